//! Files that leave the platform. Column names and meanings are a contract with analysis
//! scripts (docs/exports.md). Every writer here is pure: it takes the data a service gathered
//! (`service::export::collect`) and returns text or bytes, so the command line writes them to
//! files and a web handler can send them as they are.

pub mod chnri_csv;
pub mod chnri_svg;
pub mod codebook;
pub mod consensus_csv;
pub mod csv_cell;
pub mod csv_file;
pub mod diverging_svg;
pub mod drift_csv;
pub mod files;
pub mod flow_svg;
pub mod ideas_csv;
pub mod import_template;
pub mod json;
pub mod package;
pub mod participants_csv;
pub mod ranking_csv;
pub mod ranking_svg;
pub mod ratings_csv;
pub mod report;
pub mod results_csv;
pub mod stability_csv;
pub mod svg;
pub mod words;
pub mod xlsx;

/// Why an export could not be produced. None of these is the user's fault.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing the XLSX workbook: {0}")]
    Xlsx(String),
    #[error("writing the zip archive: {0}")]
    Zip(String),
    #[error("rendering the report: {0}")]
    Template(String),
    #[error("writing JSON: {0}")]
    Json(String),
    #[error("no export file is written as {0}")]
    Missing(String),
}
