//! Writing a whole CSV file the way docs/exports.md promises: UTF-8, RFC 4180 quoting, CRLF.

/// The file as text. Cells must already be in their exported form (see `csv_cell`).
pub fn write<I>(header: &[String], rows: I) -> Result<String, csv::Error>
where
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

/// `true` / `false`, or an empty cell for null: what R and pandas read as logicals.
pub fn boolean(value: Option<bool>) -> String {
    value.map(|b| b.to_string()).unwrap_or_default()
}

/// An optional text cell, neutralised against formula injection.
pub fn text(value: Option<&str>) -> String {
    value.map(super::csv_cell::text).unwrap_or_default()
}
