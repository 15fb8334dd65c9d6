//! Files that leave the platform. Column names and meanings are a contract with analysis
//! scripts (docs/exports.md).

pub mod csv_cell;
pub mod results_csv;
pub mod stability_csv;
pub mod svg;
