//! Writing a whole CSV file the way docs/exports.md promises: UTF-8, RFC 4180 quoting, CRLF.

use crate::service::exported_expert::ExportedExpert;

/// The file as text. Cells must already be in their exported form (see `csv_cell`); the
/// header is a fixed list (`&[&str]`) or one built for the study (`&[String]`).
pub fn write<H, I>(header: &[H], rows: I) -> Result<String, csv::Error>
where
    H: AsRef<[u8]>,
    I: IntoIterator<Item = Vec<String>>,
{
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The columns results.csv and a CHNRI study's results.csv start with: `round, [group,]
/// item_code` (`group` only in the file by group, right after `round` so that each row reads
/// round → group → item).
pub fn results_lead_header(by_group: bool) -> Vec<String> {
    let mut columns: Vec<String> = vec!["round".into()];
    if by_group {
        columns.push("group".into());
    }
    columns.push("item_code".into());
    columns
}

/// The cells under [`results_lead_header`].
pub fn results_lead(round: i32, group: &str, item_code: &str, by_group: bool) -> Vec<String> {
    let mut cells = vec![round.to_string()];
    if by_group {
        cells.push(super::csv_cell::text(group));
    }
    cells.push(super::csv_cell::text(item_code));
    cells
}

/// The expert columns ([`ExportedExpert`]): `expert, [email, name,] group`, the email and
/// name only in an identified export.
pub fn expert_header(identified: bool) -> Vec<&'static str> {
    let mut columns = vec!["expert"];
    if identified {
        columns.extend(["email", "name"]);
    }
    columns.push("group");
    columns
}

/// The cells under [`expert_header`].
pub fn expert_cells(who: &ExportedExpert, identified: bool) -> Vec<String> {
    let mut cells = vec![super::csv_cell::text(&who.expert)];
    if identified {
        cells.push(text(who.email.as_deref()));
        cells.push(text(who.name.as_deref()));
    }
    cells.push(super::csv_cell::text(&who.group));
    cells
}

/// `true` / `false`, or an empty cell for null: what R and pandas read as logicals.
pub fn boolean(value: Option<bool>) -> String {
    value.map(|b| b.to_string()).unwrap_or_default()
}

/// An optional text cell, neutralised against formula injection.
pub fn text(value: Option<&str>) -> String {
    value.map(super::csv_cell::text).unwrap_or_default()
}
