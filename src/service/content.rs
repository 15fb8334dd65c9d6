//! Editing what experts are asked: sections, items (with their version history) and
//! stakeholder groups, one transaction per change, each audited and stamping the study
//! (`StudyRow::touch`) so that cached expert pages are rebuilt.
//!
//! While a round is open, the items it asks cannot be reworded, moved to another section or
//! retired: experts are answering them at that moment, and the round's results must describe
//! the wording they saw. Every other change (new items, items the round does not ask, titles
//! of sections and groups, order) is allowed at any time; new items are asked from the next
//! round on.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

pub use super::labelled_lists::Listing;
use super::studies::load;
use super::{Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::items::{Item, NewItem};
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Group, Section, StudyRow};
use crate::db::{now, DbConnection};
use crate::domain::items_file::is_valid_item_code;
use crate::domain::paste;
use crate::domain::round::ItemOrigin;
use crate::domain::study::Study;
use crate::domain::study::{self, is_valid_key};
use crate::service::studies;

/// One wording of an item.
#[derive(Debug, Clone, Serialize)]
pub struct VersionView {
    pub version: i32,
    pub text: String,
    pub description: Option<String>,
    /// UTC, `YYYY-MM-DD HH:MM`.
    pub since: String,
}

/// An item as it stands: its code, the key of its section and its current wording.
#[derive(Debug, Clone, Serialize)]
pub struct CurrentItem {
    pub code: String,
    pub section: String,
    pub text: String,
    pub description: Option<String>,
    pub version: i32,
}

impl CurrentItem {
    fn of(item: &Item, section: &str) -> CurrentItem {
        CurrentItem {
            code: item.code.clone(),
            section: section.to_string(),
            text: item.text.clone(),
            description: item.description.clone(),
            version: item.version,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    #[serde(flatten)]
    pub current: CurrentItem,
    pub retired: bool,
    /// Asked by the open round: wording, section and retirement are frozen until it closes.
    pub in_open_round: bool,
    /// Rated or asked in some round: a new wording becomes a new version.
    pub versioned_on_edit: bool,
    pub versions: Vec<VersionView>,
    /// The proposals of the ideas round it came from (provenance), in code order.
    pub from_proposals: Vec<String>,
    /// Its evidence notes: (citation, link).
    pub evidence: Vec<(String, Option<String>)>,
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
    let sections = Section::of_study(conn, study.id)?;
    let groups = Group::of_study(conn, study.id)?;
    let items = Item::of_study(conn, study.id)?;
    let experts = crate::db::models::experts::Expert::of_study(conn, study.id)?;
    let open = Round::open_of_study(conn, study.id)?;
    let in_open: BTreeSet<i64> = match &open {
        Some(round) => Round::items(conn, round.id)?
            .into_iter()
            .map(|ri| ri.item_id)
            .collect(),
        None => BTreeSet::new(),
    };
    let mut versions: HashMap<i64, Vec<VersionView>> = HashMap::new();
    let mut from_proposals = super::origins::provenance(conn, &study)?;
    let mut evidence = super::origins::evidence(conn, study.id)?;
    for v in Item::versions_of_study(conn, study.id)? {
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
            current: CurrentItem::of(item, section_key.get(&item.section_id).unwrap_or(&"")),
            retired: item.retired_at.is_some(),
            in_open_round: in_open.contains(&item.id),
            versioned_on_edit,
            versions: versions.remove(&item.id).unwrap_or_default(),
            from_proposals: from_proposals.remove(&item.id).unwrap_or_default(),
            evidence: evidence
                .remove(&item.id)
                .unwrap_or_default()
                .into_iter()
                .map(|e| (e.citation, e.link))
                .collect(),
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

/// The wording of `item` that a round asked, as version `version` (its current one when that
/// version's text was not kept): results and answers show what the experts read.
pub(crate) fn asked_text(conn: &mut DbConnection, item: &Item, version: i32) -> Result<String, ServiceError> {
    if version == item.version {
        return Ok(item.text.clone());
    }
    Ok(Item::text_at(conn, item.id, version)?.unwrap_or_else(|| item.text.clone()))
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

/// After a change to the listing: the study file written back (`sync_definition`) and the
/// change audited as `section.VERB` or `group.VERB`.
fn listing_changed(
    listing: Listing,
    conn: &mut DbConnection,
    study: &Study,
    actor: &Actor,
    verb: &str,
    details: serde_json::Value,
) -> Result<(), ServiceError> {
    sync_definition(conn, study)?;
    audit(conn, study, actor, &format!("{}.{verb}", listing.noun()), details)
}

/// Writes the tables' sections and groups back into the stored study file, so the study file
/// exported "as locked" names every section its items use.
fn sync_definition(conn: &mut DbConnection, study: &Study) -> Result<(), ServiceError> {
    let mut file = study.file.clone();
    file.sections = Section::of_study(conn, study.id)?
        .into_iter()
        .map(|s| study::Section {
            key: s.key,
            title: s.title,
        })
        .collect();
    file.groups = Group::of_study(conn, study.id)?
        .into_iter()
        .map(|g| study::Group {
            key: g.key,
            name: g.name,
        })
        .collect();
    let definition =
        serde_json::to_string(&file).map_err(|e| ServiceError::invalid("study", e.to_string()))?;
    StudyRow::set_definition(conn, study.id, &definition, now())?;
    Ok(())
}

fn audit(
    conn: &mut DbConnection,
    study: &Study,
    actor: &Actor,
    action: &str,
    details: serde_json::Value,
) -> Result<(), ServiceError> {
    AuditEntry::append(conn, Some(study.id), &actor.0, action, &details, now())?;
    Ok(())
}

fn section_by_key(
    conn: &mut DbConnection,
    study: &Study,
    field: &str,
    key: &str,
) -> Result<Section, ServiceError> {
    Section::of_study(conn, study.id)?
        .into_iter()
        .find(|s| s.key == key)
        .ok_or_else(|| ServiceError::invalid(field, format!("the study has no section `{key}`")))
}

/// Adds a section or group at the end of its list.
pub fn add(
    conn: &mut DbConnection,
    slug: &str,
    listing: Listing,
    key: &str,
    label: &str,
    actor: &Actor,
) -> Result<(), ServiceError> {
    let key = key.trim();
    check_key("key", key)?;
    let label = non_empty(listing.label_field(), label)?;
    studies::write(conn, slug, |conn, study| {
        let entries = listing.entries(conn, study.id)?;
        if entries.iter().any(|e| e.key == key) {
            return Err(ServiceError::invalid(
                "key",
                format!(
                    "the {} `{key}` already exists; choose another key",
                    listing.noun()
                ),
            ));
        }
        let position = entries.iter().map(|e| e.position).max().unwrap_or(0) + 1;
        listing.insert(conn, study.id, key, label, position)?;
        listing_changed(
            listing,
            conn,
            study,
            actor,
            "add",
            serde_json::json!({ "key": key, "label": label }),
        )
    })
}

/// Gives a section a new title or a group a new name; the key stays.
pub fn rename(
    conn: &mut DbConnection,
    slug: &str,
    listing: Listing,
    key: &str,
    label: &str,
    actor: &Actor,
) -> Result<(), ServiceError> {
    let label = non_empty(listing.label_field(), label)?;
    studies::write(conn, slug, |conn, study| {
        let (index, entries) = listing.find(conn, study, key)?;
        let entry = &entries[index];
        if entry.label == label {
            return Ok(());
        }
        listing.rename(conn, entry.id, label)?;
        listing_changed(
            listing,
            conn,
            study,
            actor,
            "rename",
            serde_json::json!({ "key": key, "from": entry.label, "to": label }),
        )
    })
}

/// The ids in their new order after moving the one at `index`, or `None` at the end of the list.
/// Positions are then renumbered 1..n, so equal positions left by earlier edits cannot make
/// the swap a no-op.
fn reordered(ids: Vec<i64>, index: usize, direction: Direction) -> Option<Vec<i64>> {
    let other = match direction {
        Direction::Up => index.checked_sub(1)?,
        Direction::Down => Some(index + 1).filter(|i| *i < ids.len())?,
    };
    let mut ids = ids;
    ids.swap(index, other);
    Some(ids)
}

fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Up => "up",
        Direction::Down => "down",
    }
}

/// Moves a section (or group) one place in its list.
pub fn move_entry(
    conn: &mut DbConnection,
    slug: &str,
    listing: Listing,
    key: &str,
    direction: Direction,
    actor: &Actor,
) -> Result<(), ServiceError> {
    studies::write(conn, slug, |conn, study| {
        let (index, entries) = listing.find(conn, study, key)?;
        let Some(order) = reordered(entries.iter().map(|e| e.id).collect(), index, direction) else {
            return Ok(());
        };
        for (i, id) in order.iter().enumerate() {
            listing.set_position(conn, *id, i as i32 + 1)?;
        }
        listing_changed(
            listing,
            conn,
            study,
            actor,
            "move",
            serde_json::json!({ "key": key, "direction": direction_name(direction) }),
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
    studies::write(conn, slug, |conn, study| {
        let section = section_by_key(conn, study, "section", input.section.trim())?;
        let items = Item::of_study(conn, study.id)?;
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
            NewItem {
                study_id: study.id,
                section_id: section.id,
                code,
                text,
                description,
                position: items.iter().map(|i| i.position).max().unwrap_or(0) + 1,
                origin: ItemOrigin::Editor,
                created_at: at,
                updated_at: at,
            },
        )?;
        StudyRow::touch(conn, study.id, at)?;
        audit(
            conn,
            study,
            actor,
            "item.add",
            serde_json::json!({ "code": code, "section": section.key, "text": text }),
        )
    })
}

/// Adds the items pasted one per line (`wording`, or `code | section | wording` with the code
/// or the section left empty for the next free code or `default_section`), all or none:
/// every problem of every line is listed at once. Through the items import's own path
/// (`studies::upsert_items`), so an item is held to the same rules however it came in. The
/// codes given out, in line order.
pub fn paste_items(
    conn: &mut DbConnection,
    slug: &str,
    text: &str,
    default_section: &str,
    actor: &Actor,
) -> Result<Vec<String>, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        let sections = Section::of_study(conn, study.id)?;
        let key_of: HashMap<i64, &str> = sections.iter().map(|s| (s.id, s.key.as_str())).collect();
        let keys: BTreeSet<String> = sections.iter().map(|s| s.key.clone()).collect();
        let items: Vec<(String, String)> = Item::of_study(conn, study.id)?
            .into_iter()
            .map(|i| {
                let section = key_of.get(&i.section_id).copied().unwrap_or_default().to_string();
                (i.code, section)
            })
            .collect();
        let pasted = paste::items(
            text,
            paste::StudyItems {
                sections: &keys,
                default_section: default_section.trim(),
                items: &items,
            },
        )?;
        studies::upsert_items(conn, study.id, &pasted, ItemOrigin::Editor, paste::PASTED)?;
        let codes: Vec<String> = pasted.into_iter().map(|row| row.code).collect();
        audit(
            conn,
            study,
            actor,
            "items.paste",
            serde_json::json!({ "added": codes.len(), "codes": codes.join(", ") }),
        )?;
        Ok(codes)
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
    #[serde(flatten)]
    pub current: CurrentItem,
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
    studies::write(conn, slug, |conn, study| {
        let item = Item::of_study(conn, study.id)?
            .into_iter()
            .find(|i| i.code == code)
            .ok_or_else(|| ServiceError::NotFound(format!("study `{slug}` has no item `{code}`")))?;
        let section = match change.section.as_deref().map(str::trim) {
            Some(key) => section_by_key(conn, study, "section", key)?,
            None => Section::of_study(conn, study.id)?
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
        if let Some(round) = Round::open_of_study(conn, study.id)? {
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
        StudyRow::touch(conn, study.id, at)?;
        let new_version = updated.version != item.version;
        audit(
            conn,
            study,
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
        current: CurrentItem::of(item, section),
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
    studies::write(conn, slug, |conn, study| {
        let items = Item::of_study(conn, study.id)?;
        let index = items
            .iter()
            .position(|i| i.code == code)
            .ok_or_else(|| ServiceError::NotFound(format!("study `{slug}` has no item `{code}`")))?;
        let Some(order) = reordered(items.iter().map(|i| i.id).collect(), index, direction) else {
            return Ok(());
        };
        for (i, id) in order.iter().enumerate() {
            Item::set_position(conn, *id, i as i32 + 1)?;
        }
        StudyRow::touch(conn, study.id, now())?;
        audit(
            conn,
            study,
            actor,
            "item.move",
            serde_json::json!({ "code": code, "direction": direction_name(direction) }),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stop_at_the_ends() {
        assert_eq!(reordered(vec![1, 2, 3], 0, Direction::Up), None);
        assert_eq!(reordered(vec![1, 2, 3], 0, Direction::Down), Some(vec![2, 1, 3]));
        assert_eq!(reordered(vec![1, 2, 3], 2, Direction::Down), None);
        assert_eq!(reordered(vec![1, 2, 3], 2, Direction::Up), Some(vec![1, 3, 2]));
    }
}
