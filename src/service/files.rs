//! Reading input files from disk and turning them into validated domain values. The parsing
//! itself is pure (`domain::*_file`); this module only fetches bytes and ties files together.

use std::path::Path;

use super::ServiceError;
use crate::domain::file_error::{FileError, FileErrors};
use crate::domain::items_file::{self, ItemRow};
use crate::domain::panel_file::{self, PanelRow};
use crate::domain::responses_file::{self, ParsedResponses};
use crate::domain::rule::RuleSet;
use crate::domain::scale::Scale;
use crate::domain::study::{ItemsSource, StudyFile};
use crate::domain::study_file;

/// A study file with everything it refers to, validated as a whole.
#[derive(Debug, Clone)]
pub struct StudyBundle {
    pub file: StudyFile,
    pub scale: Scale,
    pub rules: RuleSet,
    pub items: Vec<ItemRow>,
    /// The file the items came from (the study file itself for `[[item]]` tables).
    pub items_file: String,
    pub panel: Vec<PanelRow>,
}

fn display_name(path: &Path) -> String {
    path.display().to_string()
}

fn read(path: &Path) -> Result<Vec<u8>, FileErrors> {
    std::fs::read(path).map_err(|e| {
        FileErrors(vec![FileError::whole(
            &display_name(path),
            format!("cannot read the file: {e}"),
        )])
    })
}

fn utf8(name: &str, bytes: Vec<u8>) -> Result<String, FileErrors> {
    String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        FileErrors(vec![FileError::line(
            name,
            line,
            "is not valid UTF-8 text (save the file as UTF-8)",
        )])
    })
}

/// Reads `path` and the items and panel files it names (relative to its folder).
pub fn load_study(path: &Path) -> Result<StudyBundle, ServiceError> {
    let name = display_name(path);
    let content = utf8(&name, read(path)?)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(study_from_sources(&name, &content, &|reference: &str| {
        let referenced = base.join(reference);
        read(&referenced).map(|bytes| (display_name(&referenced), bytes))
    })?)
}

/// The study file's scale, and its consensus rule compiled against it, with each problem added
/// to `errors` under the file's `name`.
pub(super) fn scale_and_rules(
    file: &StudyFile,
    name: &str,
    errors: &mut FileErrors,
) -> (Option<Scale>, Option<RuleSet>) {
    let scale = Scale::from_spec(&file.scale)
        .map_err(|e| errors.push(FileError::key(name, e.key, e.reason)))
        .ok();
    let rules = scale.as_ref().and_then(|scale| {
        RuleSet::compile(&file.consensus, scale)
            .map_err(|e| errors.push(FileError::key(name, e.key, e.reason)))
            .ok()
    });
    (scale, rules)
}

/// Fetches a file a study file refers to: its display name and bytes.
pub type Fetch<'a> = &'a dyn Fn(&str) -> Result<(String, Vec<u8>), FileErrors>;

/// A study file whose referenced files come from `fetch` (the disk, or files embedded in the
/// binary for `delphi demo`). All problems are collected before giving up.
pub fn study_from_sources(name: &str, content: &str, fetch: Fetch<'_>) -> Result<StudyBundle, FileErrors> {
    let file = study_file::parse_study_file(name, content)?;
    let mut errors = FileErrors::new();
    let (scale, rules) = scale_and_rules(&file, name, &mut errors);
    let mut items_name = name.to_string();
    let items = match &file.items {
        ItemsSource::Inline(rows) => Some(rows.clone()),
        ItemsSource::File(reference) => fetch(reference)
            .and_then(|(fetched_name, bytes)| {
                items_name = fetched_name;
                let rows = items_file::parse_items_file(&items_name, &bytes)?;
                items_file::check_sections(&items_name, &rows, &file.section_keys())?;
                Ok(rows)
            })
            .map_err(|e| errors.extend(e.into_vec()))
            .ok(),
    };
    let panel = match &file.panel {
        None => Some(Vec::new()),
        Some(reference) => fetch(reference)
            .and_then(|(panel_name, bytes)| {
                let text = utf8(&panel_name, bytes)?;
                let rows = panel_file::parse_panel_csv(&panel_name, &text)?;
                panel_file::check_groups(&panel_name, &rows, &file.group_keys())?;
                Ok(rows)
            })
            .map_err(|e| errors.extend(e.into_vec()))
            .ok(),
    };
    match (scale, rules, items, panel) {
        (Some(scale), Some(rules), Some(items), Some(panel)) if errors.is_empty() => Ok(StudyBundle {
            file,
            scale,
            rules,
            items,
            items_file: items_name,
            panel,
        }),
        _ => Err(errors),
    }
}

/// An items file (.csv or .xlsx, by extension).
pub fn read_items(path: &Path) -> Result<Vec<ItemRow>, ServiceError> {
    let name = display_name(path);
    Ok(items_file::parse_items_file(&name, &read(path)?)?)
}

pub fn read_panel(path: &Path) -> Result<Vec<PanelRow>, ServiceError> {
    let name = display_name(path);
    let text = utf8(&name, read(path)?)?;
    Ok(panel_file::parse_panel_csv(&name, &text)?)
}

pub fn read_responses(path: &Path) -> Result<ParsedResponses, ServiceError> {
    let name = display_name(path);
    let text = utf8(&name, read(path)?)?;
    Ok(responses_file::parse_responses_csv(&name, &text)?)
}

/// A ranking round's responses file (`expert,item,position`).
pub fn read_rankings(path: &Path) -> Result<crate::domain::ranking::ParsedRankings, ServiceError> {
    let name = display_name(path);
    let text = utf8(&name, read(path)?)?;
    Ok(crate::domain::ranking::parse_rankings_csv(&name, &text)?)
}

/// A proposals file (`expert,section,text[,rationale]`): its name, for errors, and its text.
pub fn read_proposals(path: &Path) -> Result<(String, String), ServiceError> {
    let name = display_name(path);
    let text = utf8(&name, read(path)?)?;
    Ok((name, text.to_string()))
}

/// A CHNRI study's responses file (`expert,item,criterion,question,answer`).
pub fn read_chnri_responses(
    path: &Path,
) -> Result<crate::domain::chnri::responses::ParsedChnriResponses, ServiceError> {
    let name = display_name(path);
    let text = utf8(&name, read(path)?)?;
    Ok(crate::domain::chnri::responses::parse_chnri_responses_csv(
        &name, &text,
    )?)
}
