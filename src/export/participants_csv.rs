//! participants.csv: one row per expert of the panel (docs/exports.md).

use crate::export::csv_file;
use crate::service::export::Participant;

pub fn header(identified: bool) -> Vec<String> {
    let mut columns = csv_file::expert_header(identified);
    // `submitted_rounds` came after the contract's columns: scripts that read by position keep
    // working.
    columns.extend([
        "country",
        "invited_rounds",
        "responded_rounds",
        "submitted_rounds",
        // Issue 18, after every earlier column for the same reason.
        "delivery_state",
    ]);
    columns.into_iter().map(String::from).collect()
}

pub fn write(participants: &[Participant], identified: bool) -> Result<String, csv::Error> {
    csv_file::write(
        &header(identified),
        participants.iter().map(|p| {
            let mut cells = csv_file::expert_cells(&p.who, identified);
            cells.extend([
                csv_file::text(p.country.as_deref()),
                p.invited_rounds.to_string(),
                p.responded_rounds.to_string(),
                p.submitted_rounds.to_string(),
                p.delivery_state.to_string(),
            ]);
            cells
        }),
    )
}
