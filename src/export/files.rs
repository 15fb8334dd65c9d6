//! The files a study exports to, in one table: the command line, the console's downloads and
//! the API's `/exports/{file}` all offer these names and build them here.

use super::{json, package, report, ExportError};
use crate::domain::study::Method;
use crate::service::export::StudyExport;

/// One file an export can be read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportFile {
    /// The file's name (after the study's slug when downloaded: `lmn-2024-results.csv`).
    pub name: &'static str,
    pub media_type: &'static str,
    /// The format the audit log records (`delphi export --format`).
    pub format: &'static str,
    /// Earlier names that still find this file.
    pub aliases: &'static [&'static str],
}

const CSV: &str = "text/csv; charset=utf-8";

/// Every export file, CSV files first in the order the codebook lists them.
pub static EXPORT_FILES: [ExportFile; 13] = [
    csv("results.csv"),
    csv("results_by_group.csv"),
    csv("consensus.csv"),
    csv("ratings.csv"),
    csv("chnri_answers.csv"),
    csv("participants.csv"),
    csv("stability.csv"),
    csv("drift.csv"),
    // Only for a study with [ideas] (see `ExportFile::offered_for`).
    csv("ideas.csv"),
    ExportFile {
        name: "study.xlsx",
        media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format: "xlsx",
        // The console offered these two under other names before they had one name everywhere.
        aliases: &["workbook.xlsx"],
    },
    ExportFile {
        name: "study.json",
        media_type: "application/json",
        format: "json",
        aliases: &["export.json"],
    },
    ExportFile {
        name: "report.html",
        media_type: "text/html; charset=utf-8",
        format: "html",
        aliases: &[],
    },
    ExportFile {
        name: "package.zip",
        media_type: "application/zip",
        format: "zip",
        aliases: &[],
    },
];

const fn csv(name: &'static str) -> ExportFile {
    ExportFile {
        name,
        media_type: CSV,
        format: "csv",
        aliases: &[],
    }
}

impl ExportFile {
    /// The file called `name` (or once called so).
    pub fn named(name: &str) -> Option<&'static ExportFile> {
        EXPORT_FILES
            .iter()
            .find(|f| f.name == name || f.aliases.contains(&name))
    }

    /// The one file of a whole-study format (`xlsx`, `json`, `html`, `zip`); `csv` is several.
    pub fn of_format(format: &str) -> Option<&'static ExportFile> {
        EXPORT_FILES
            .iter()
            .find(|f| f.format == format && f.format != "csv")
    }

    /// Whether a study has this file: ideas.csv only with `[ideas]`; a CHNRI study has its
    /// answers in chnri_answers.csv and no ratings, consensus, stability or drift, other
    /// studies the reverse.
    pub fn offered_for(&self, method: Method, has_ideas: bool) -> bool {
        match self.name {
            "ideas.csv" => has_ideas,
            "chnri_answers.csv" => method == Method::Chnri,
            "consensus.csv" | "ratings.csv" | "stability.csv" | "drift.csv" => method != Method::Chnri,
            _ => true,
        }
    }

    /// Every name, for messages that list the choices.
    pub fn names() -> Vec<&'static str> {
        EXPORT_FILES.iter().map(|f| f.name).collect()
    }

    /// The media types, each once.
    pub fn media_types() -> Vec<&'static str> {
        let mut types: Vec<&'static str> = Vec::new();
        for file in &EXPORT_FILES {
            if !types.contains(&file.media_type) {
                types.push(file.media_type);
            }
        }
        types
    }

    /// The file's bytes.
    pub fn build(&self, data: &StudyExport) -> Result<Vec<u8>, ExportError> {
        match self.format {
            "xlsx" => package::workbook(data),
            "json" => json::write(data),
            "html" => report::render(data).map(String::into_bytes),
            "zip" => package::zip(data),
            _ => package::csv_files(data)?
                .into_iter()
                .find(|f| f.name == self.name)
                .map(|f| f.bytes)
                .ok_or_else(|| ExportError::Missing(self.name.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_old_names_find_one_file() {
        assert_eq!(ExportFile::named("study.xlsx").map(|f| f.format), Some("xlsx"));
        assert_eq!(
            ExportFile::named("workbook.xlsx").map(|f| f.name),
            Some("study.xlsx")
        );
        assert_eq!(
            ExportFile::named("export.json").map(|f| f.name),
            Some("study.json")
        );
        assert_eq!(ExportFile::named("secrets.txt"), None);
        assert_eq!(ExportFile::of_format("zip").map(|f| f.name), Some("package.zip"));
        assert_eq!(ExportFile::of_format("csv"), None);
        let csvs: Vec<&str> = EXPORT_FILES
            .iter()
            .filter(|f| f.format == "csv")
            .map(|f| f.name)
            .collect();
        assert_eq!(csvs.len(), 9);
        let chnri: Vec<&str> = EXPORT_FILES
            .iter()
            .filter(|f| f.format == "csv" && f.offered_for(Method::Chnri, false))
            .map(|f| f.name)
            .collect();
        assert_eq!(
            chnri,
            [
                "results.csv",
                "results_by_group.csv",
                "chnri_answers.csv",
                "participants.csv"
            ]
        );
    }
}
