//! The words exports show people for a status (docs/exports.md, "Statuses"). Data files keep the
//! machine values `in`, `out` and `none`; the report, the workbook's display sheets and the
//! flow diagram say "Consensus in", "Consensus out" and "No consensus", the words the console
//! uses too. The report is in English, so these are English only.

use crate::domain::rule::Status;

/// At the start of a cell or sentence: `Consensus in`.
pub fn status(status: Status) -> &'static str {
    match status {
        Status::In => "Consensus in",
        Status::Out => "Consensus out",
        Status::None => "No consensus",
    }
}

/// Inside a sentence: `consensus in`.
pub fn status_in_sentence(status: Status) -> &'static str {
    match status {
        Status::In => "consensus in",
        Status::Out => "consensus out",
        Status::None => "no consensus",
    }
}

/// A status given by its machine value (alternative rules' statuses are kept as text), in
/// words; a value that is not a status is shown as it is rather than hidden.
pub fn status_value(value: &str) -> String {
    Status::parse(value)
        .map(|s| status(s).to_string())
        .unwrap_or_else(|| value.to_string())
}

/// `12 consensus in, 3 consensus out, 5 no consensus`.
pub fn tally(in_: usize, out: usize, none: usize) -> String {
    format!(
        "{in_} {}, {out} {}, {none} {}",
        status_in_sentence(Status::In),
        status_in_sentence(Status::Out),
        status_in_sentence(Status::None)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_as_words_and_tallies_as_a_sentence() {
        assert_eq!(status(Status::None), "No consensus");
        assert_eq!(status_in_sentence(Status::Out), "consensus out");
        assert_eq!(status_value("in"), "Consensus in");
        assert_eq!(status_value("maybe"), "maybe");
        assert_eq!(
            tally(12, 3, 5),
            "12 consensus in, 3 consensus out, 5 no consensus"
        );
    }
}
