//! Creating studies and keeping their items and panel up to date.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::files::StudyBundle;
use super::labelled_lists::Listing;
use super::{audit, Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::experts::{Expert, ExpertFields};
use crate::db::models::items::{Item, NewItem};
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Described, Group, NewStudy, Section, StudyRow};
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::file_error::{FileError, FileErrors};
use crate::domain::items_file::{self, ItemRow};
use crate::domain::panel_file::{self, PanelRow};
use crate::domain::round::ItemOrigin;
use crate::domain::round::RoundState;
use crate::domain::study::{Study, StudyStatus};

pub use super::load::{from_row, load, write};

#[derive(Debug, Clone, Serialize)]
pub struct Created {
    pub slug: String,
    pub items: usize,
    pub experts: usize,
}

/// Creates a study with its groups, sections, items and panel, all or nothing.
pub fn create(conn: &mut DbConnection, bundle: &StudyBundle, actor: &Actor) -> Result<Created, ServiceError> {
    create_owned(conn, bundle, None, actor)
}

/// `create`, making the facilitator with email `owner` (if given) the study's owner in the
/// same transaction; an unknown owner email changes nothing.
pub fn create_owned(
    conn: &mut DbConnection,
    bundle: &StudyBundle,
    owner: Option<&str>,
    actor: &Actor,
) -> Result<Created, ServiceError> {
    let file = &bundle.file;
    let definition =
        serde_json::to_string(file).map_err(|e| ServiceError::invalid("study", e.to_string()))?;
    let rule_set = serde_json::to_string(&bundle.rules)
        .map_err(|e| ServiceError::invalid("consensus", e.to_string()))?;
    write_transaction(conn, |conn| {
        if StudyRow::by_slug(conn, &file.slug)?.is_some() {
            return Err(ServiceError::Conflict(format!(
                "a study with slug `{}` already exists; choose another slug",
                file.slug
            )));
        }
        let owner = owner
            .map(|email| super::accounts::facilitator_by_email(conn, email))
            .transpose()?;
        let at = now();
        let study = StudyRow::insert(
            conn,
            &NewStudy {
                slug: &file.slug,
                described: Described::of(file, &definition),
                rule_set: &rule_set,
                created_by: owner.as_ref().map(|o| o.id),
                created_at: at,
                updated_at: at,
            },
        )?;
        for (i, group) in file.groups.iter().enumerate() {
            Group::insert(conn, study.id, &group.key, &group.name, i as i32 + 1)?;
        }
        for (i, section) in file.sections.iter().enumerate() {
            Section::insert(conn, study.id, &section.key, &section.title, i as i32 + 1)?;
        }
        let items = upsert_items(
            conn,
            study.id,
            &bundle.items,
            ItemOrigin::StudyFile,
            &bundle.items_file,
        )?;
        let experts = upsert_panel(conn, study.id, &bundle.panel)?;
        AuditEntry::append(
            conn,
            Some(study.id),
            &actor.0,
            "study.create",
            &serde_json::json!({ "slug": file.slug, "items": items.added, "experts": experts.added }),
            at,
        )?;
        if let Some(owner) = &owner {
            super::accounts::grant_in_transaction(
                conn,
                &study,
                owner,
                crate::domain::role::Role::Owner,
                actor,
            )?;
        }
        Ok(Created {
            slug: study.slug,
            items: items.added,
            experts: experts.added,
        })
    })
}

/// What an idempotent import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} added, {} updated, {} unchanged",
            self.added, self.updated, self.unchanged
        )
    }
}

/// Adds new items and updates existing ones by code; items missing from the file stay.
pub fn import_items(
    conn: &mut DbConnection,
    slug: &str,
    file_name: &str,
    rows: &[ItemRow],
    actor: &Actor,
) -> Result<ImportSummary, ServiceError> {
    write(conn, slug, |conn, study| {
        let keys = Section::of_study(conn, study.id)?
            .into_iter()
            .map(|s| s.key)
            .collect();
        items_file::check_sections(file_name, rows, &keys)?;
        let summary = upsert_items(conn, study.id, rows, ItemOrigin::Import, file_name)?;
        audited_import(conn, study, actor, "items.import", file_name, summary)
    })
}

/// Adds new experts and updates existing ones by email; never duplicates an expert.
pub fn import_panel(
    conn: &mut DbConnection,
    slug: &str,
    file_name: &str,
    rows: &[PanelRow],
    actor: &Actor,
) -> Result<ImportSummary, ServiceError> {
    write(conn, slug, |conn, study| {
        panel_file::check_groups(file_name, rows, &group_keys(conn, study.id)?)?;
        // Refused here already so that the refusal names the file.
        refuse_test_addresses(conn, study.id, file_name, rows)?;
        let summary = upsert_panel(conn, study.id, rows)?;
        audited_import(conn, study, actor, "panel.import", file_name, summary)
    })
}

/// Audits the import of `file_name` as `action` and hands back what it did.
fn audited_import(
    conn: &mut DbConnection,
    study: &Study,
    actor: &Actor,
    action: &str,
    file_name: &str,
    summary: ImportSummary,
) -> Result<ImportSummary, ServiceError> {
    let details =
        serde_json::json!({ "file": file_name, "added": summary.added, "updated": summary.updated });
    audit::log(conn, study, actor, action, details, now())?;
    Ok(summary)
}

/// The keys of the study's stakeholder groups, which a panel row's `group` must be one of.
pub(super) fn group_keys(conn: &mut DbConnection, study_id: i64) -> Result<BTreeSet<String>, ServiceError> {
    Ok(Group::of_study(conn, study_id)?
        .into_iter()
        .map(|g| g.key)
        .collect())
}

/// The keys of the study's stakeholder groups by group id: how lists and files name an
/// expert's group.
pub(super) fn group_keys_by_id(
    conn: &mut DbConnection,
    study_id: i64,
) -> Result<HashMap<i64, String>, ServiceError> {
    Ok(Group::of_study(conn, study_id)?
        .into_iter()
        .map(|g| (g.id, g.key))
        .collect())
}

/// Adds the items of new codes and updates those of known ones: the one way items enter a
/// study, whether from the study file, an items file or pasted lines (`content::paste_items`).
pub(super) fn upsert_items(
    conn: &mut DbConnection,
    study_id: i64,
    rows: &[ItemRow],
    origin: ItemOrigin,
    file_name: &str,
) -> Result<ImportSummary, ServiceError> {
    let sections = Listing::Section.ids_by_key(conn, study_id)?;
    let existing = items_by_code(conn, study_id)?;
    let case_clash = CaseClash::of(existing.keys());
    let clashes: Vec<FileError> = rows
        .iter()
        .filter_map(|row| case_clash.problem(file_name, row))
        .collect();
    if !clashes.is_empty() {
        return Err(ServiceError::File(clashes.into()));
    }
    let translations_now = translations_by_item(conn, study_id)?;
    let mut next_position = existing.values().map(|i| i.position).max().unwrap_or(0) + 1;
    let mut summary = ImportSummary::default();
    let at = now();
    for row in rows {
        let section_id = *sections.get(&row.section).ok_or_else(|| {
            ServiceError::File(
                vec![FileError::whole(
                    "items",
                    format!("item `{}`: unknown section `{}`", row.code, row.section),
                )]
                .into(),
            )
        })?;
        let translations = row_translations(row);
        match existing.get(&row.code) {
            None => {
                let item = Item::insert(
                    conn,
                    NewItem {
                        study_id,
                        section_id,
                        code: &row.code,
                        text: &row.text,
                        description: row.description.as_deref(),
                        position: next_position,
                        origin,
                        created_at: at,
                        updated_at: at,
                    },
                )?;
                next_position += 1;
                Item::set_translations(conn, item.id, &translations)?;
                summary.added += 1;
            }
            Some(item) => {
                let same_wording = item.section_id == section_id
                    && item.text == row.text
                    && item.description == row.description;
                let same_translations = translations_now
                    .get(&item.id)
                    .map_or(translations.is_empty(), |now| *now == translations);
                if !same_wording {
                    Item::update(conn, item, section_id, &row.text, row.description.as_deref(), at)?;
                }
                if !same_translations {
                    Item::set_translations(conn, item.id, &translations)?;
                }
                if same_wording && same_translations {
                    summary.unchanged += 1;
                } else {
                    summary.updated += 1;
                }
            }
        }
    }
    if summary.added + summary.updated > 0 {
        // Expert pages cached from the old texts are rebuilt (StudyRow::stamp).
        StudyRow::touch(conn, study_id, at)?;
    }
    Ok(summary)
}

/// An item's translations as (language, text, description), in language order: how a row of an
/// items file and a stored item are compared.
pub(super) type Translations = Vec<(String, String, Option<String>)>;

/// The study's item translations by item id.
pub(super) fn translations_by_item(
    conn: &mut DbConnection,
    study_id: i64,
) -> Result<HashMap<i64, Translations>, ServiceError> {
    let mut by_item: HashMap<i64, Translations> = HashMap::new();
    for t in Item::translations_of_study(conn, study_id)? {
        by_item
            .entry(t.item_id)
            .or_default()
            .push((t.language, t.text, t.description));
    }
    for list in by_item.values_mut() {
        list.sort();
    }
    Ok(by_item)
}

/// The translations of an items file's row (a map by language, so already in order).
pub(super) fn row_translations(row: &ItemRow) -> Translations {
    row.translations
        .iter()
        .map(|(lang, t)| (lang.clone(), t.text.clone(), t.description.clone()))
        .collect()
}

/// The study's item codes by their lower case. Codes are compared exactly, but two codes
/// differing only in case would be ambiguous in exports and responses files, so a new code
/// like that is refused rather than added as another item.
pub(super) struct CaseClash<'a>(HashMap<String, &'a str>);

impl<'a> CaseClash<'a> {
    pub(super) fn of(codes: impl Iterator<Item = &'a String>) -> Self {
        CaseClash(codes.map(|c| (c.to_lowercase(), c.as_str())).collect())
    }

    /// Why `row` is refused, when an existing code differs from its code only in case: on its
    /// line, or on the whole file for a row without one (the study file's).
    pub(super) fn problem(&self, file_name: &str, row: &ItemRow) -> Option<FileError> {
        let code = row.code.as_str();
        let other = self.0.get(&code.to_lowercase()).filter(|other| **other != code)?;
        let reason = format!("`{code}` differs only in letter case from the existing item `{other}`");
        Some(if row.line > 0 {
            FileError::field(file_name, row.line, "code", reason)
        } else {
            FileError::whole(file_name, reason)
        })
    }
}

/// The study's items by code, retired ones too.
pub(super) fn items_by_code(
    conn: &mut DbConnection,
    study_id: i64,
) -> Result<HashMap<String, Item>, ServiceError> {
    Ok(Item::of_study(conn, study_id)?
        .into_iter()
        .map(|i| (i.code.clone(), i))
        .collect())
}

/// The study's experts by email; erased experts, who have none, are not among them.
pub(super) fn experts_by_email(
    conn: &mut DbConnection,
    study_id: i64,
) -> Result<HashMap<String, Expert>, ServiceError> {
    Ok(Expert::of_study(conn, study_id)?
        .into_iter()
        .filter_map(|e| e.email.clone().map(|email| (email, e)))
        .collect())
}

/// Adds new experts and updates known ones by email: the one way experts enter a study,
/// whether from the study file, a panel file, the console's form or pasted lines
/// (`service::panel`). Nobody is invited here: invitations are made when a round opens.
pub(super) fn upsert_panel(
    conn: &mut DbConnection,
    study_id: i64,
    rows: &[PanelRow],
) -> Result<ImportSummary, ServiceError> {
    let groups = Listing::Group.ids_by_key(conn, study_id)?;
    // Every way experts join (file, form, paste) comes through here: none may take a test
    // expert's address.
    refuse_test_addresses(conn, study_id, "panel", rows)?;
    let existing = experts_by_email(conn, study_id)?;
    let mut summary = ImportSummary::default();
    let at = now();
    for row in rows {
        let group_id = *groups.get(&row.group).ok_or_else(|| {
            ServiceError::File(
                vec![FileError::field(
                    "panel",
                    row.line,
                    "group",
                    format!("unknown group `{}`", row.group),
                )]
                .into(),
            )
        })?;
        let fields = ExpertFields {
            group_id,
            email: Some(row.email.as_str()),
            name: &row.name,
            country: row.country.as_deref(),
            language: row.language.as_deref(),
        };
        match existing.get(row.email.as_str()) {
            None => {
                Expert::insert(conn, study_id, &fields, at)?;
                summary.added += 1;
            }
            Some(expert) => {
                let same = expert.group_id == group_id
                    && expert.name == row.name
                    && expert.country == row.country
                    && expert.language == row.language;
                if same {
                    summary.unchanged += 1;
                } else {
                    Expert::update(conn, expert.id, &fields, at)?;
                    summary.updated += 1;
                }
            }
        }
    }
    Ok(summary)
}

/// One line per study for `study list`.
/// Panel rows whose email belongs to a test expert, each as a problem naming its line: an
/// address is unique in a study, so the test expert has to go first (or be invited under
/// another address).
pub(crate) fn test_address_clashes(
    conn: &mut DbConnection,
    study_id: i64,
    file_name: &str,
    rows: &[PanelRow],
) -> Result<Vec<FileError>, ServiceError> {
    let tests: HashMap<String, String> = Expert::tests_of_study(conn, study_id)?
        .into_iter()
        .filter_map(|e| Some((e.email?, e.pseudonym)))
        .collect();
    Ok(rows
        .iter()
        .filter_map(|row| {
            let pseudonym = tests.get(row.email.as_str())?;
            Some(FileError::field(
                file_name,
                row.line,
                "email",
                format!(
                    "{} is the address of test expert {pseudonym}; remove {pseudonym} on the Test run \
                     page first, or invite them as a test expert under another address",
                    row.email
                ),
            ))
        })
        .collect())
}

/// [`test_address_clashes`] as a refusal, when there is any.
pub(crate) fn refuse_test_addresses(
    conn: &mut DbConnection,
    study_id: i64,
    file_name: &str,
    rows: &[PanelRow],
) -> Result<(), ServiceError> {
    let clashes = test_address_clashes(conn, study_id, file_name, rows)?;
    if clashes.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::File(FileErrors(clashes)))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StudyListing {
    pub slug: String,
    pub title: String,
    pub status: StudyStatus,
    pub rounds: usize,
}

pub fn list(conn: &mut DbConnection) -> Result<Vec<StudyListing>, ServiceError> {
    let mut listing = Vec::new();
    for study in StudyRow::all(conn)? {
        let rounds = Round::of_study(conn, study.id)?.len();
        listing.push(StudyListing {
            slug: study.slug,
            title: study.title,
            status: study.status,
            rounds,
        });
    }
    Ok(listing)
}

/// Everything `study show` prints.
#[derive(Debug, Clone, Serialize)]
pub struct StudyOverview {
    pub slug: String,
    pub title: String,
    pub method: crate::domain::study::Method,
    pub status: StudyStatus,
    pub language: String,
    pub timezone: String,
    pub scale: String,
    pub rule_hash: Option<String>,
    pub rule_locked_at: Option<String>,
    pub rules: Vec<String>,
    /// In a study with criteria: each criterion with the rule that judges it, then how they
    /// combine (`combine: all`). Absent without criteria.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<String>,
    pub max_rounds: u32,
    pub sections: Vec<(String, String, usize)>,
    pub groups: Vec<(String, String, usize)>,
    pub rounds: Vec<RoundOverview>,
    pub finish_reason: Option<String>,
    /// The study file has `[ranking]`: a ranking round may be opened (for the console's
    /// button; the plan itself decides).
    #[serde(skip)]
    pub has_ranking: bool,
    /// The study has `[ideas]`: an ideas round before round 1, and ideas.csv.
    pub has_ideas: bool,
    /// Its ideas round was opened (it comes once).
    pub ideas_opened: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundOverview {
    pub number: i32,
    pub kind: crate::domain::round::RoundKind,
    pub status: RoundState,
    pub items: usize,
    pub invited: usize,
    pub opened_at: Option<String>,
    pub deadline: Option<String>,
    pub closed_at: Option<String>,
}

pub fn show(conn: &mut DbConnection, slug: &str) -> Result<StudyOverview, ServiceError> {
    use crate::db::models::invitations::Invitation;
    let loaded = load(conn, slug)?;
    let items = Item::of_study(conn, loaded.id)?;
    let experts = Expert::of_study(conn, loaded.id)?;
    let mut per_section: BTreeMap<i64, usize> = BTreeMap::new();
    for item in &items {
        *per_section.entry(item.section_id).or_default() += 1;
    }
    let mut per_group: BTreeMap<i64, usize> = BTreeMap::new();
    for expert in experts.iter().filter(|e| e.withdrawn_at.is_none()) {
        *per_group.entry(expert.group_id).or_default() += 1;
    }
    let sections = Section::of_study(conn, loaded.id)?
        .into_iter()
        .map(|s| {
            let n = per_section.get(&s.id).copied().unwrap_or(0);
            (s.key, s.title, n)
        })
        .collect();
    let groups = Group::of_study(conn, loaded.id)?
        .into_iter()
        .map(|g| {
            let n = per_group.get(&g.id).copied().unwrap_or(0);
            (g.key, g.name, n)
        })
        .collect();
    // Times are shown in the study's zone, as experts see them in emails.
    let fmt = |t: Option<chrono::NaiveDateTime>| t.map(|t| loaded.local_time(t));
    let mut rounds = Vec::new();
    for round in Round::of_study(conn, loaded.id)? {
        rounds.push(RoundOverview {
            number: round.number,
            kind: round.kind,
            status: round.status,
            items: Round::items(conn, round.id)?.len(),
            invited: Invitation::of_round(conn, round.id)?.len(),
            opened_at: fmt(round.opened_at),
            deadline: fmt(round.deadline),
            closed_at: fmt(round.closed_at),
        });
    }
    Ok(StudyOverview {
        slug: loaded.slug.clone(),
        title: loaded.title.clone(),
        method: loaded.file.method,
        status: loaded.status,
        language: loaded.language.clone(),
        timezone: loaded.timezone.clone(),
        scale: loaded.scale.describe(),
        rule_hash: loaded.rule_hash.clone(),
        rule_locked_at: fmt(loaded.rule_locked_at),
        rules: loaded
            .rules
            .rules()
            .map(|(name, rule)| format!("{name}: {}", rule.describe()))
            .collect(),
        criteria: match loaded.file.criteria.is_empty() {
            true => Vec::new(),
            false => loaded
                .file
                .criteria
                .iter()
                .map(|c| match &c.scale {
                    // A scale of its own is named; the others are on the study's.
                    Some(own) => format!(
                        "{} (rule {}, scale {}): {}",
                        c.key,
                        c.rule,
                        own.describe(),
                        c.label
                    ),
                    None => format!("{} (rule {}): {}", c.key, c.rule, c.label),
                })
                .chain(std::iter::once(format!(
                    "combine: {}",
                    loaded.file.combine().as_str()
                )))
                .collect(),
        },
        max_rounds: loaded.file.rounds.max,
        sections,
        groups,
        rounds,
        finish_reason: loaded.finish_reason.clone(),
        has_ranking: loaded.file.ranking.is_some(),
        has_ideas: loaded.file.ideas.is_some(),
        ideas_opened: Round::ideas_of_study(conn, loaded.id)?.is_some(),
    })
}
