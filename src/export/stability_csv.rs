//! stability.csv: one row per item (per item and criterion in a study with criteria) per round
//! r ≥ 2, compared with round r − 1.

use crate::export::csv_cell;
use crate::service::stability::StabilityTable;

pub fn header(table: &StabilityTable) -> Vec<String> {
    let mut columns: Vec<String> = vec!["round".into(), "item_code".into()];
    // As in results.csv: the column only in a study with criteria.
    if table.by_criterion {
        columns.push("criterion".into());
    }
    columns.extend(["status_previous", "status"].map(String::from));
    for range in &table.share_ranges {
        let (lo, hi) = range.split_once('–').unwrap_or((range, range));
        columns.push(format!("delta_share_{lo}_{hi}"));
    }
    columns.extend(
        [
            "delta_median",
            "paired",
            "moved_band",
            "moved_band_percent",
            "stable",
            "attrition_responders",
            "attrition_non_responders",
            "attrition_responders_mean",
            "attrition_non_responders_mean",
            "attrition_difference",
        ]
        .map(String::from),
    );
    columns
}

pub fn write(table: &StabilityTable) -> Result<String, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(header(table))?;
    for line in &table.lines {
        let mut cells = vec![line.round.to_string(), csv_cell::text(&line.item_code)];
        if table.by_criterion {
            cells.push(csv_cell::text(&line.criterion));
        }
        cells.extend([line.previous_status.to_string(), line.status.to_string()]);
        cells.extend(line.change.shares.iter().map(|s| csv_cell::number(s.delta)));
        cells.push(csv_cell::number(line.change.delta_median));
        cells.push(line.bands.paired.to_string());
        cells.push(line.bands.moved.to_string());
        cells.push(csv_cell::number(line.bands.moved_share.map(|s| s.percent())));
        cells.push(line.bands.stable.map(|s| s.to_string()).unwrap_or_default());
        cells.push(line.attrition.responders.to_string());
        cells.push(line.attrition.non_responders.to_string());
        cells.push(csv_cell::number(line.attrition.responders_mean));
        cells.push(csv_cell::number(line.attrition.non_responders_mean));
        cells.push(csv_cell::number(line.attrition.difference));
        writer.write_record(cells)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
