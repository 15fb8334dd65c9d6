//! The files of an export and the data package (`--format zip`): every CSV, study.toml,
//! codebook.md, report.html and SHA256SUMS.

use std::io::Write;

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

use crate::export::{
    chnri_csv, codebook, consensus_csv, drift_csv, participants_csv, ranking_csv, ratings_csv, report,
    results_csv, stability_csv, xlsx, ExportError,
};
use crate::service::export::StudyExport;

/// One file of an export.
#[derive(Debug, Clone)]
pub struct ExportFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl ExportFile {
    fn new(name: &str, bytes: impl Into<Vec<u8>>) -> ExportFile {
        ExportFile {
            name: name.to_string(),
            bytes: bytes.into(),
        }
    }
}

/// The CSV files, in the order the codebook lists them.
pub fn csv_files(data: &StudyExport) -> Result<Vec<ExportFile>, ExportError> {
    if let Some(chnri) = &data.chnri {
        // A CHNRI study's results have the CHNRI columns, and its answers are chnri_answers.csv;
        // it has no ratings, statuses or stability to write.
        return Ok(vec![
            ExportFile::new("results.csv", chnri_csv::write_results(&chnri.results, false)?),
            ExportFile::new(
                "results_by_group.csv",
                chnri_csv::write_results(&chnri.results_by_group, true)?,
            ),
            ExportFile::new("chnri_answers.csv", chnri_csv::write_answers(&chnri.answers)?),
            ExportFile::new(
                "participants.csv",
                participants_csv::write(&data.participants, data.identified)?,
            ),
        ]);
    }
    let mut files = vec![
        ExportFile::new("results.csv", results_csv::write(&data.results, false)?),
        ExportFile::new(
            "results_by_group.csv",
            results_csv::write(&data.results_by_group, true)?,
        ),
        ExportFile::new("consensus.csv", consensus_csv::write(&data.consensus)?),
        ExportFile::new(
            "ratings.csv",
            ratings_csv::write(
                &data.ratings,
                ratings_csv::Columns::of(&data.study.file, data.identified),
            )?,
        ),
        ExportFile::new(
            "participants.csv",
            participants_csv::write(&data.participants, data.identified)?,
        ),
        ExportFile::new("stability.csv", stability_csv::write(&data.stability)?),
        ExportFile::new("drift.csv", drift_csv::write(&data.drift)?),
    ];
    // Only a study that ran a ranking round has ranking files: the others export as before.
    if !data.rankings.is_empty() {
        let groups: Vec<String> = data.groups.iter().map(|g| g.key.clone()).collect();
        files.push(ExportFile::new(
            "ranking.csv",
            ranking_csv::write(&groups, &data.rankings)?,
        ));
        files.push(ExportFile::new(
            "rankings.csv",
            ranking_csv::write_answers(&data.ranking_answers, data.identified)?,
        ));
    }
    // Only a study with [ideas] has it: other studies export exactly what they did before.
    if let Some(ideas) = &data.ideas {
        files.push(ExportFile::new(
            "ideas.csv",
            super::ideas_csv::write(&ideas.proposals)?,
        ));
    }
    Ok(files)
}

/// The workbook: a summary sheet, then one sheet per CSV file (named without `.csv`).
pub fn workbook(data: &StudyExport) -> Result<Vec<u8>, ExportError> {
    let files = csv_files(data)?;
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            (
                f.name.trim_end_matches(".csv").to_string(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect();
    let tables: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    xlsx::workbook(data, &tables)
}

/// Every file of the data package but SHA256SUMS.
pub fn package_files(data: &StudyExport) -> Result<Vec<ExportFile>, ExportError> {
    let mut files = csv_files(data)?;
    files.push(ExportFile::new("study.toml", data.study_toml.clone()));
    files.push(ExportFile::new("codebook.md", codebook::write(data)));
    files.push(ExportFile::new("report.html", report::render(data)?));
    Ok(files)
}

/// `sha256sum -c` input: `<hex>  <name>` per line (two spaces: text mode).
pub fn sha256sums(files: &[ExportFile]) -> String {
    files
        .iter()
        .map(|f| format!("{}  {}\n", hex::encode(Sha256::digest(&f.bytes)), f.name))
        .collect()
}

/// The data package as a zip archive. Files sit in one folder named after the study, so that
/// unpacking never scatters them; entries carry the export time.
pub fn zip(data: &StudyExport) -> Result<Vec<u8>, ExportError> {
    let mut files = package_files(data)?;
    let sums = sha256sums(&files);
    files.push(ExportFile::new("SHA256SUMS", sums));
    let folder = data.study.slug.clone();
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip_time(data.generated_at));
    let zip_error = |e: zip::result::ZipError| ExportError::Zip(e.to_string());
    for file in &files {
        writer
            .start_file(format!("{folder}/{}", file.name), options)
            .map_err(zip_error)?;
        writer
            .write_all(&file.bytes)
            .map_err(|e| ExportError::Zip(e.to_string()))?;
    }
    let cursor = writer.finish().map_err(zip_error)?;
    Ok(cursor.into_inner())
}

fn zip_time(at: chrono::NaiveDateTime) -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    zip::DateTime::from_date_and_time(
        u16::try_from(at.year()).unwrap_or(1980),
        at.month() as u8,
        at.day() as u8,
        at.hour() as u8,
        at.minute() as u8,
        at.second() as u8,
    )
    .unwrap_or_default()
}
