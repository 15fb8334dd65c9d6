//! Editing what experts are asked: sections, items (with their version history) and
//! stakeholder groups, one transaction per change, each audited and stamping the study
//! (`Study::touch`) so that cached expert pages are rebuilt.
//!
//! While a round is open, the items it asks cannot be reworded, moved to another section or
//! retired: experts are answering them at that moment, and the round's results must describe
//! the wording they saw. Every other change (new items, items the round does not ask, titles
//! of sections and groups, order) is allowed at any time; new items are asked from the next
//! round on.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::studies::{load, LoadedStudy};
use super::{Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::items::{Item, NewItem};
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Group, Section, Study};
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::items_file::is_valid_item_code;
use crate::domain::study_file::{self, is_valid_key};

/// One wording of an item.
#[derive(Debug, Clone, Serialize)]
pub struct VersionView {
    pub version: i32,
    pub text: String,
    pub description: Option<String>,
    /// UTC, `YYYY-MM-DD HH:MM`.
    pub since: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub code: String,
    pub section: String,
    pub text: String,
    pub description: Option<String>,
    pub version: i32,
    pub retired: bool,
    /// Asked by the open round: wording, section and retirement are frozen until it closes.
    pub in_open_round: bool,
    /// Rated or asked in some round: a new wording becomes a new version.
    pub versioned_on_edit: bool,
    pub versions: Vec<VersionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyedView {
    pub key: String,
    pub label: String,
    /// Items in the section, experts in the group.
    pub count: usize,
}

/// Everything the content page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Content {
    pub sections: Vec<KeyedView>,
    pub groups: Vec<KeyedView>,
    pub items: Vec<ItemView>,
    /// Number of the round open now, if any.
    pub open_round: Option<i32>,
}

pub fn content(conn: &mut DbConnection, slug: &str) -> Result<Content, ServiceError> {
    let study = load(conn, slug)?;
    let sections = Section::of_study(conn, study.id())?;
    let groups = Group::of_study(conn, study.id())?;
    let items = Item::of_study(conn, study.id())?;
    let experts = crate::db::models::experts::Expert::of_study(conn, study.id())?;
    let open = Round::open_of_study(conn, study.id())?;
    let in_open: BTreeSet<i64> = match &open {
        Some(round) => Round::items(conn, round.id)?
            .into_iter()
            .map(|ri| ri.item_id)
            .collect(),
        None => BTreeSet::new(),
    };
    let mut versions: HashMap<i64, Vec<VersionView>> = HashMap::new();
    for v in Item::versions_of_study(conn, study.id())? {
        versions.entry(v.item_id).or_default().push(VersionView {
            version: v.version,
            text: v.text,
            description: v.description,
            since: v.created_at.format("%Y-%m-%d %H:%M").to_string(),
        });
    }
    let section_key: HashMap<i64, &str> = sections.iter().map(|s| (s.id, s.key.as_str())).collect();
    let mut item_views = Vec::with_capacity(items.len());
    for item in &items {
        let versioned_on_edit = Item::has_ratings(conn, item.id)? || Item::was_asked(conn, item.id)?;
        item_views.push(ItemView {
            code: item.code.clone(),
            section: section_key.get(&item.section_id).unwrap_or(&"").to_string(),
            text: item.text.clone(),
            description: item.description.clone(),
            version: item.version,
            retired: item.retired_at.is_some(),
            in_open_round: in_open.contains(&item.id),
            versioned_on_edit,
            versions: versions.remove(&item.id).unwrap_or_default(),
        });
    }
    Ok(Content {
        sections: sections
            .iter()
            .map(|s| KeyedView {
                key: s.key.clone(),
                label: s.title.clone(),
                count: items.iter().filter(|i| i.section_id == s.id).count(),
            })
            .collect(),
        groups: groups
            .iter()
            .map(|g| KeyedView {
                key: g.key.clone(),
                label: g.name.clone(),
                count: experts
                    .iter()
                    .filter(|e| e.group_id == g.id && e.withdrawn_at.is_none())
                    .count(),
            })
            .collect(),
        items: item_views,
        open_round: open.map(|r| r.number),
    })
}

/// Up or down one place in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub fn parse(text: &str) -> Result<Direction, ServiceError> {
        match text {
            "up" => Ok(Direction::Up),
            "down" => Ok(Direction::Down),
            other => Err(ServiceError::invalid(
                "direction",
                format!("`{other}` is not a direction; use up or down"),
            )),
        }
    }
}

fn check_key(field: &str, key: &str) -> Result<(), ServiceError> {
    if key.is_empty() {
        return Err(ServiceError::invalid(field, "must not be empty"));
    }
    if !is_valid_key(key) {
        return Err(ServiceError::invalid(
            field,
            format!(
                "`{key}` is not a valid key: use 1 to 32 lower-case letters, digits, `_` or `-`, \
                 starting with a letter or digit"
            ),
        ));
    }
    Ok(())
}

fn non_empty<'a>(field: &str, text: &'a str) -> Result<&'a str, ServiceError> {
    let text = text.trim();
    if text.is_empty() {
        Err(ServiceError::invalid(field, "must not be empty"))
    } else {
        Ok(text)
    }
}

/// Writes the tables' sections and groups back into the stored study file, so the study file
/// exported "as locked" names every section its items use.
fn sync_definition(conn: &mut DbConnection, study: &LoadedStudy) -> Result<(), ServiceError> {
    let mut file = study.file.clone();
    file.sections = Section::of_study(conn, study.id())?
        .into_iter()
        .map(|s| study_file::Section {
            key: s.key,
            title: s.title,
        })
        .collect();
    file.groups = Group::of_study(conn, study.id())?
        .into_iter()
        .map(|g| study_file::Group {
            key: g.key,
            name: g.name,
        })
        .collect();
    let definition =
        serde_json::to_string(&file).map_err(|e| ServiceError::invalid("study", e.to_string()))?;
    Study::set_definition(conn, study.id(), &definition, now())?;
    Ok(())
}

fn audit(
    conn: &mut DbConnection,
    study: &LoadedStudy,
    actor: &Actor,
    action: &str,
    details: serde_json::Value,
) -> Result<(), ServiceError> {
    AuditEntry::append(conn, Some(study.id()), &actor.0, action, &details, now())?;
    Ok(())
}

fn section_by_key(
    conn: &mut DbConnection,
    study: &LoadedStudy,
    field: &str,
    key: &str,
) -> Result<Section, ServiceError> {
    Section::of_study(conn, study.id())?
        .into_iter()
        .find(|s| s.key == key)
        .ok_or_else(|| ServiceError::invalid(field, format!("the study has no section `{key}`")))
}

fn group_by_key(conn: &mut DbConnection, study: &LoadedStudy, key: &str) -> Result<Group, ServiceError> {
    Group::of_study(conn, study.id())?
        .into_iter()
        .find(|g| g.key == key)
        .ok_or_else(|| ServiceError::NotFound(format!("study `{}` has no group `{key}`", study.study.slug)))
}

pub fn add_section(
    conn: &mut DbConnection,
    slug: &str,
    key: &str,
    title: &str,
    actor: &Actor,
) -> Result<(), ServiceError> {
    let key = key.trim();
    check_key("key", key)?;
    let title = non_empty("title", title)?;
    write_transaction(conn, |conn| {
        let study = load(conn, slug)?;
        let sections = Section::of_study(conn, study.id())?;
        if sections.iter().any(|s| s.key == key) {
            return Err(ServiceError::invalid(
                "key",
                format!("the section `{key}` already exists; choose another key"),
            ));
        }
        let position = sections.iter().map(|s| s.position).max().unwrap_or(0) + 1;
        Section::insert(conn, study.id(), key, title, position)?;
        sync_definition(conn, &study)?;
        audit(
            conn,
            &study,
            actor,
            "section.add",
            serde_json::json!({ "key": key, "title": title }),
        )
    })
}

pub fn rename_section(
    conn: &mut DbConnection,
    slug: &str,
    key: &str,
    title: &str,
    actor: &Actor,
) -> Result<(), ServiceError> {
    let title = non_empty("title", title)?;
    write_transaction(conn, |conn| {
        let study = load(conn, slug)?;
        let section = section_by_key(conn, &study, "key", key)?;
        if section.title == title {
            return Ok(());
        }
        Section::rename(conn, section.id, title)?;
        sync_definition(conn, &study)?;
        audit(
            conn,
            &study,
            actor,
            "section.rename",
            serde_json::json!({ "key": key, "from": section.title, "to": title }),
        )
    })
}

/// The index of the neighbour `key` swaps places with, if it has one that way.
fn neighbour(index: usize, len: usize, direction: Direction) -> Option<usize> {
    match direction {
        Direction::Up => index.checked_sub(1),
        Direction::Down => (index + 1 < len).then_some(index + 1),
    }
}

pub fn move_section(
    conn: &mut DbConnection,
    slug: &str,
    key: &str,
    direction: Direction,
    actor: &Actor,
) -> Result<(), ServiceError> {
    write_transaction(conn, |conn| {
        let study = load(conn, slug)?;
        let sections = Section::of_study(conn, study.id())?;
        let index = sections
            .iter()
            .position(|s| s.key == key)
            .ok_or_else(|| ServiceError::invalid("key", format!("the study has no section `{key}`")))?;
        let Some(other) = neighbour(index, sections.len(), direction) else {
            return Ok(());
        };
        // Positions are renumbered 1..n so that equal positions left by earlier edits cannot
        // make the swap a no-op.
        let mut order: Vec<i64> = sections.iter().map(|s| s.id).collect();
        order.swap(index, other);
        for (i, id) in order.iter().enumerate() {
            Section::set_position(conn, *id, i as i32 + 1)?;
        }
        sync_definition(conn, &study)?;
        audit(
            conn,
            &study,
            actor,
            "section.move",
            serde_json::json!({ "key": key, "direction": if direction == Direction::Up { "up" } else { "down" } }),
        )
    })
}

pub fn add_group(
    conn: &mut DbConnection,
    slug: &str,
    key: &str,
    name: &str,
    actor: &Actor,
) -> Result<(), ServiceError> {
    let key = key.trim();
    check_key("key", key)?;
    let name = non_empty("name", name)?;
    write_transaction(conn, |conn| {
        let study = load(conn, slug)?;
        let groups = Group::of_study(conn, study.id())?;
        if groups.iter().any(|g| g.key == key) {
            return Err(ServiceError::invalid(
                "key",
                format!("the group `{key}` already exists; choose another key"),
            ));
        }
        let position = groups.iter().map(|g| g.position).max().unwrap_or(0) + 1;
        Group::insert(conn, study.id(), key, name, position)?;
        sync_definition(conn, &study)?;
        audit(
            conn,
            &study,
            actor,
            "group.add",
            serde_json::json!({ "key": key, "name": name }),
        )
    })
}

pub fn rename_group(
    conn: &mut DbConnection,
    slug: &str,
    key: &str,
    name: &str,
    actor: &Actor,
) -> Result<(), ServiceError> {
    let name = non_empty("name", name)?;
    write_transaction(conn, |conn| {
        let study = load(conn, slug)?;
        let group = group_by_key(conn, &study, key)?;
        if group.name == name {
            return Ok(());
        }
        Group::rename(conn, group.id, name)?;
        sync_definition(conn, &study)?;
        audit(
            conn,
            &study,
            actor,
            "group.rename",
            serde_json::json!({ "key": key, "from": group.name, "to": name }),
        )
    })
}

/// A new item as typed in the console.
#[derive(Debug, Clone, Default)]
pub struct NewItemInput {
    pub code: String,
    pub section: String,
    pub text: String,
    pub description: String,
}

pub fn add_item(
    conn: &mut DbConnection,
    slug: &str,
    input: &NewItemInput,
    actor: &Actor,
) -> Result<(), ServiceError> {
    let code = input.code.trim();
    if code.is_empty() {
        return Err(ServiceError::invalid("code", "must not be empty"));
    }
    if !is_valid_item_code(code) {
        return Err(ServiceError::invalid(
            "code",
            format!(
                "`{code}` is not a valid item code: use 1 to 32 letters, digits, `.`, `_` or `-`, \
                 starting with a letter or digit"
            ),
        ));
    }
    let text = non_empty("text", &input.text)?;
    let description = Some(input.description.trim()).filter(|d| !d.is_empty());
    write_transaction(conn, |conn| {
        let study = load(conn, slug)?;
        let section = section_by_key(conn, &study, "section", input.section.trim())?;
        let items = Item::of_study(conn, study.id())?;
        // Codes differing only in case would be ambiguous in exports and responses files.
        if let Some(other) = items.iter().find(|i| i.code.eq_ignore_ascii_case(code)) {
            return Err(ServiceError::invalid(
                "code",
                format!("the item `{}` already exists; choose another code", other.code),
            ));
        }
        let at = now();
        Item::insert(
            conn,
            &NewItem {
                study_id: study.id(),
                section_id: section.id,
                code,
                text,
                description,
                position: items.iter().map(|i| i.position).max().unwrap_or(0) + 1,
                origin: "editor",
                created_at: at,
                updated_at: at,
            },
        )?;
        Study::touch(conn, study.id(), at)?;
        audit(
            conn,
            &study,
            actor,
            "item.add",
            serde_json::json!({ "code": code, "section": section.key, "text": text }),
        )
    })
}

/// What to change in an item; `None` leaves that part as it is.
#[derive(Debug, Clone, Default)]
pub struct ItemChange {
    pub text: Option<String>,
    /// `Some("")` removes the description.
    pub description: Option<String>,
    pub section: Option<String>,
    pub retired: Option<bool>,
}

/// The item after an edit.
#[derive(Debug, Clone, Serialize)]
pub struct Edited {
    pub code: String,
    pub section: String,
    pub text: String,
    pub description: Option<String>,
    pub version: i32,
    /// Whether this edit made a new version (the item had been rated or asked before).
    pub new_version: bool,
    pub retired: bool,
}

pub fn edit_item(
    conn: &mut DbConnection,
    slug: &str,
    code: &str,
    change: &ItemChange,
    actor: &Actor,
) -> Result<Edited, ServiceError> {
    let text = change.text.as_deref().map(|t| non_empty("text", t)).transpose()?;
    write_transaction(conn, |conn| {
        let study = load(conn, slug)?;
        let item = Item::of_study(conn, study.id())?
            .into_iter()
            .find(|i| i.code == code)
            .ok_or_else(|| ServiceError::NotFound(format!("study `{slug}` has no item `{code}`")))?;
        let section = match change.section.as_deref().map(str::trim) {
            Some(key) => section_by_key(conn, &study, "section", key)?,
            None => Section::of_study(conn, study.id())?
                .into_iter()
                .find(|s| s.id == item.section_id)
                .ok_or_else(|| ServiceError::NotFound(format!("item `{code}` has no section")))?,
        };
        let text = text.unwrap_or(&item.text);
        let description = match change.description.as_deref() {
            Some(d) => Some(d.trim()).filter(|d| !d.is_empty()),
            None => item.description.as_deref(),
        };
        let reworded = text != item.text || description != item.description.as_deref();
        let moved = section.id != item.section_id;
        let retire = change.retired.filter(|r| *r != item.retired_at.is_some());
        if !reworded && !moved && retire.is_none() {
            return Ok(edited(&item, &section.key, false));
        }
        if let Some(round) = Round::open_of_study(conn, study.id())? {
            let asked = Round::items(conn, round.id)?
                .iter()
                .any(|ri| ri.item_id == item.id);
            if asked {
                return Err(ServiceError::Conflict(format!(
                    "item `{code}` is being rated in round {}, which is open: its wording, section \
                     and retirement cannot change until the round closes (then the next round uses \
                     the new wording, and round {} keeps the one its experts saw)",
                    round.number, round.number
                )));
            }
        }
        let at = now();
        let mut updated = item.clone();
        if reworded || moved {
            updated = Item::update(conn, &item, section.id, text, description, at)?;
        }
        if let Some(retired) = retire {
            Item::set_retired(conn, item.id, retired.then_some(at), at)?;
            updated.retired_at = retired.then_some(at);
        }
        Study::touch(conn, study.id(), at)?;
        let new_version = updated.version != item.version;
        audit(
            conn,
            &study,
            actor,
            "item.edit",
            serde_json::json!({
                "code": code,
                "reworded": reworded,
                "section": moved.then_some(&section.key),
                "retired": retire,
                "version": updated.version,
                "new_version": new_version,
            }),
        )?;
        Ok(edited(&updated, &section.key, new_version))
    })
}

fn edited(item: &Item, section: &str, new_version: bool) -> Edited {
    Edited {
        code: item.code.clone(),
        section: section.to_string(),
        text: item.text.clone(),
        description: item.description.clone(),
        version: item.version,
        new_version,
        retired: item.retired_at.is_some(),
    }
}

/// Moves the item one place in the study's order (the order of the next round's form).
pub fn move_item(
    conn: &mut DbConnection,
    slug: &str,
    code: &str,
    direction: Direction,
    actor: &Actor,
) -> Result<(), ServiceError> {
    write_transaction(conn, |conn| {
        let study = load(conn, slug)?;
        let items = Item::of_study(conn, study.id())?;
        let index = items
            .iter()
            .position(|i| i.code == code)
            .ok_or_else(|| ServiceError::NotFound(format!("study `{slug}` has no item `{code}`")))?;
        let Some(other) = neighbour(index, items.len(), direction) else {
            return Ok(());
        };
        let mut order: Vec<i64> = items.iter().map(|i| i.id).collect();
        order.swap(index, other);
        for (i, id) in order.iter().enumerate() {
            Item::set_position(conn, *id, i as i32 + 1)?;
        }
        Study::touch(conn, study.id(), now())?;
        audit(
            conn,
            &study,
            actor,
            "item.move",
            serde_json::json!({ "code": code, "direction": if direction == Direction::Up { "up" } else { "down" } }),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_stop_at_the_ends() {
        assert_eq!(neighbour(0, 3, Direction::Up), None);
        assert_eq!(neighbour(0, 3, Direction::Down), Some(1));
        assert_eq!(neighbour(2, 3, Direction::Down), None);
        assert_eq!(neighbour(2, 3, Direction::Up), Some(1));
    }
}
