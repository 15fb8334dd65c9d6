//! `delphi export SLUG --format csv|xlsx|json|html|zip --out PATH [--identified]`.
//!
//! The output is checked before anything is read (so that a typo in `--out` costs nothing and
//! leaves no audit entry), and each file is written beside its destination under a temporary
//! name, then renamed: a failed export never leaves a half-written file where the last good one
//! was.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::CliError;
use crate::export::files::{ExportFile, EXPORT_FILES};
use crate::export::{package, ExportError};
use crate::service::export::{collect, ExportOptions};
use crate::service::{studies, Actor, Connection};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// The CSV files, into the directory --out (created if missing).
    Csv,
    /// One workbook: a summary sheet and one sheet per CSV file.
    Xlsx,
    /// The whole study as one JSON document.
    Json,
    /// The report, one self-contained HTML page.
    Html,
    /// The data package: CSV files, study.toml, codebook.md, report.html, SHA256SUMS.
    Zip,
}

impl ExportFormat {
    fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Json => "json",
            ExportFormat::Html => "html",
            ExportFormat::Zip => "zip",
        }
    }
}

/// A file being written: a temporary sibling of `target`, renamed over it on success.
struct Pending {
    temp: PathBuf,
    target: PathBuf,
    file: Option<File>,
}

impl Pending {
    fn create(target: &Path) -> Result<Pending, CliError> {
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| bad_out(target, "is not a file name"))?;
        let temp = dir.join(format!(".{name}.{}.partial", std::process::id()));
        let file = File::create(&temp).map_err(|e| bad_out(target, &format!("cannot be written: {e}")))?;
        Ok(Pending {
            temp,
            target: target.to_path_buf(),
            file: Some(file),
        })
    }

    fn finish(mut self, bytes: &[u8]) -> Result<(), CliError> {
        let target = self.target.clone();
        let mut file = self
            .file
            .take()
            .ok_or_else(|| bad_out(&target, "was already written"))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| bad_out(&target, &format!("cannot be written: {e}")))?;
        drop(file);
        fs::rename(&self.temp, &target).map_err(|e| bad_out(&target, &format!("cannot be written: {e}")))
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // Still here after `finish` only when it failed, or when the export did.
        let _ = fs::remove_file(&self.temp);
    }
}

fn bad_out(path: &Path, reason: &str) -> CliError {
    CliError::Usage(format!("--out {}: {reason}", path.display()))
}

fn failed(e: ExportError) -> CliError {
    CliError::Failed(e.into())
}

pub fn run(
    conn: &mut Connection,
    slug: &str,
    format: ExportFormat,
    out: &Path,
    identified: bool,
    actor: &Actor,
) -> Result<(), CliError> {
    // An unknown study is reported by `collect` below, as for any other format.
    let (method, has_ideas) = studies::load(conn, slug)
        .map(|s| (s.file.method, s.file.ideas.is_some()))
        .unwrap_or_default();
    let names: Vec<&str> = EXPORT_FILES
        .iter()
        .filter(|f| f.format == "csv" && f.offered_for(method, has_ideas))
        .map(|f| f.name)
        .collect();
    // A directory made for this export goes again if the export fails before writing into it.
    let made_dir = format == ExportFormat::Csv && !out.exists();
    let pending: Vec<Pending> = if format == ExportFormat::Csv {
        if out.exists() && !out.is_dir() {
            return Err(bad_out(
                out,
                "is a file; --format csv writes several files into a directory",
            ));
        }
        fs::create_dir_all(out).map_err(|e| bad_out(out, &format!("cannot create the directory: {e}")))?;
        names
            .iter()
            .map(|name| Pending::create(&out.join(name)))
            .collect::<Result<_, _>>()?
    } else {
        if out.is_dir() {
            return Err(bad_out(
                out,
                &format!(
                    "is a directory; give a file name such as {}",
                    out.join(format!("{slug}.{}", format.as_str())).display()
                ),
            ));
        }
        vec![Pending::create(out)?]
    };

    let options = ExportOptions {
        identified,
        format: format.as_str().to_string(),
    };
    let data = match collect(conn, slug, &options, actor) {
        Ok(data) => data,
        Err(e) => {
            drop(pending);
            if made_dir {
                let _ = fs::remove_dir(out);
            }
            return Err(e.into());
        }
    };
    let mut written = Vec::new();
    match format {
        ExportFormat::Csv => {
            let files = package::csv_files(&data).map_err(failed)?;
            let mut pending = pending.into_iter();
            for file in &files {
                // The files every study has were opened before reading; a study that ran a
                // ranking round has two more (ranking.csv, rankings.csv), opened now.
                let pending = match pending.next() {
                    Some(pending) => pending,
                    None => Pending::create(&out.join(&file.name))?,
                };
                debug_assert!(pending.target.ends_with(&file.name));
                pending.finish(&file.bytes)?;
                written.push(file.name.clone());
            }
        }
        other => {
            let file = ExportFile::of_format(other.as_str())
                .ok_or_else(|| failed(ExportError::Missing(other.as_str().to_string())))?;
            let bytes = file.build(&data).map_err(failed)?;
            let size = bytes.len();
            for p in pending {
                p.finish(&bytes)?;
            }
            written.push(format!("{size} bytes"));
        }
    }
    println!(
        "exported `{slug}` as {} to {} ({})",
        format.as_str(),
        out.display(),
        written.join(", ")
    );
    if data.has_no_results() {
        println!("note: no round of `{slug}` has closed yet, so the results are empty (they are computed when a round closes)");
    }
    if identified {
        println!("identified export: experts' emails and names are included; this export is recorded in the audit log");
    }
    Ok(())
}
