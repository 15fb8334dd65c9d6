//! What an items or panel import would change, computed without writing anything: the console
//! shows it before the facilitator confirms the real import (`studies::import_items`,
//! `studies::import_panel`), which compares the same fields.

use std::collections::HashMap;

use serde::Serialize;

use super::studies::load;
use super::ServiceError;
use crate::db::models::experts::Expert;
use crate::db::models::items::Item;
use crate::db::models::studies::{Group, Section};
use crate::db::DbConnection;
use crate::domain::file_error::{FileError, FileErrors};
use crate::domain::{items_file, panel_file};

#[derive(Debug, Clone, Default, Serialize)]
pub struct Preview {
    pub added: Vec<String>,
    /// One line per changed row: what it is and which fields change.
    pub updated: Vec<Change>,
    pub unchanged: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub label: String,
    pub fields: Vec<String>,
}

/// An uploaded file as UTF-8 text, or the line where it stops being UTF-8.
pub fn utf8(name: &str, bytes: &[u8]) -> Result<String, FileErrors> {
    std::str::from_utf8(bytes).map(str::to_string).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64;
        FileErrors(vec![FileError::line(
            name,
            line,
            "is not valid UTF-8 text (save the file as UTF-8)",
        )])
    })
}

pub fn items(
    conn: &mut DbConnection,
    slug: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<Preview, ServiceError> {
    let study = load(conn, slug)?;
    let rows = items_file::parse_items_file(file_name, bytes)?;
    let sections: HashMap<String, i64> = Section::of_study(conn, study.id)?
        .into_iter()
        .map(|s| (s.key, s.id))
        .collect();
    items_file::check_sections(file_name, &rows, &sections.keys().cloned().collect())?;
    let existing: HashMap<String, Item> = Item::of_study(conn, study.id)?
        .into_iter()
        .map(|i| (i.code.clone(), i))
        .collect();
    let folded: HashMap<String, &str> = existing.keys().map(|c| (c.to_lowercase(), c.as_str())).collect();
    let mut translations: HashMap<i64, Vec<(String, String, Option<String>)>> = HashMap::new();
    for t in Item::translations_of_study(conn, study.id)? {
        translations
            .entry(t.item_id)
            .or_default()
            .push((t.language, t.text, t.description));
    }
    let mut clashes = FileErrors::new();
    let mut preview = Preview::default();
    for row in &rows {
        if let Some(other) = folded.get(&row.code.to_lowercase()).filter(|o| **o != row.code) {
            clashes.push(FileError::field(
                file_name,
                row.line,
                "code",
                format!(
                    "`{}` differs only in letter case from the existing item `{other}`",
                    row.code
                ),
            ));
            continue;
        }
        let Some(item) = existing.get(&row.code) else {
            preview.added.push(format!("{} — {}", row.code, row.text));
            continue;
        };
        let mut fields = Vec::new();
        if sections.get(&row.section) != Some(&item.section_id) {
            fields.push("section".to_string());
        }
        if item.text != row.text {
            fields.push("text".to_string());
        }
        if item.description != row.description {
            fields.push("description".to_string());
        }
        let mut now: Vec<_> = translations.get(&item.id).cloned().unwrap_or_default();
        now.sort();
        let mut wanted: Vec<_> = row
            .translations
            .iter()
            .map(|(lang, t)| (lang.clone(), t.text.clone(), t.description.clone()))
            .collect();
        wanted.sort();
        if now != wanted {
            fields.push("translations".to_string());
        }
        if fields.is_empty() {
            preview.unchanged += 1;
        } else {
            preview.updated.push(Change {
                label: row.code.clone(),
                fields,
            });
        }
    }
    if !clashes.is_empty() {
        return Err(clashes.into());
    }
    Ok(preview)
}

pub fn panel(
    conn: &mut DbConnection,
    slug: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<Preview, ServiceError> {
    let study = load(conn, slug)?;
    let text = utf8(file_name, bytes)?;
    let rows = panel_file::parse_panel_csv(file_name, &text)?;
    let groups: HashMap<String, i64> = Group::of_study(conn, study.id)?
        .into_iter()
        .map(|g| (g.key, g.id))
        .collect();
    panel_file::check_groups(file_name, &rows, &groups.keys().cloned().collect())?;
    let existing: HashMap<String, Expert> = Expert::of_study(conn, study.id)?
        .into_iter()
        .filter_map(|e| e.email.clone().map(|email| (email, e)))
        .collect();
    let mut preview = Preview::default();
    for row in &rows {
        let Some(expert) = existing.get(row.email.as_str()) else {
            preview
                .added
                .push(format!("{} <{}>", row.name, row.email.as_str()));
            continue;
        };
        let mut fields = Vec::new();
        if groups.get(&row.group) != Some(&expert.group_id) {
            fields.push("group".to_string());
        }
        if expert.name != row.name {
            fields.push("name".to_string());
        }
        if expert.country != row.country {
            fields.push("country".to_string());
        }
        if expert.language != row.language {
            fields.push("language".to_string());
        }
        if fields.is_empty() {
            preview.unchanged += 1;
        } else {
            preview.updated.push(Change {
                label: format!("{} <{}>", row.name, row.email.as_str()),
                fields,
            });
        }
    }
    Ok(preview)
}
