//! What an items or panel import would change, computed without writing anything: the console
//! shows it before the facilitator confirms the real import (`studies::import_items`,
//! `studies::import_panel`), which compares the same fields. A refused file gets every problem
//! at once, in line order. Also the study's keys the import templates are filled with.
//!
//! A responses file is read as `delphi responses import` reads it — ratings, CHNRI answers or a
//! ranking, whichever the study and its open round take — and its preview is the real import
//! run in a transaction that is rolled back, so it refuses exactly what the import refuses.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::labelled_lists::Listing;
use super::ratings::ResponsesImported;
use super::studies::{self, load};
use super::{chnri, ranking, ratings, Actor, ServiceError};
use crate::db::models::experts::Expert;
use crate::db::models::items::Item;
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Group, Section};
use crate::db::DbConnection;
use crate::domain::chnri::responses::{parse_chnri_responses_csv, ParsedChnriResponses};
use crate::domain::file_error::{FileError, FileErrors, Location};
use crate::domain::item_code::next_free_code;
use crate::domain::items_file::ItemRow;
use crate::domain::panel_file::PanelRow;
use crate::domain::ranking::{parse_rankings_csv, ParsedRankings};
use crate::domain::responses_file::{parse_responses_csv, ParsedResponses};
use crate::domain::round::RoundKind;
use crate::domain::study::Study;
use crate::domain::{items_file, panel_file, sheet};

#[derive(Debug, Clone, Default, Serialize)]
pub struct Preview {
    pub added: Vec<String>,
    /// One line per changed row: what it is and which fields change.
    pub updated: Vec<Change>,
    pub unchanged: usize,
}

impl Preview {
    /// Counts a row for something that exists already: unchanged, or changed in the fields
    /// whose flag is set.
    fn compared<const N: usize>(&mut self, label: String, fields: [(&str, bool); N]) {
        let fields: Vec<String> = fields
            .into_iter()
            .filter(|(_, changed)| *changed)
            .map(|(field, _)| field.to_string())
            .collect();
        if fields.is_empty() {
            self.unchanged += 1;
        } else {
            self.updated.push(Change { label, fields });
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub label: String,
    pub fields: Vec<String>,
}

/// An uploaded file as UTF-8 text, or the line where it stops being UTF-8.
pub fn utf8(name: &str, bytes: &[u8]) -> Result<String, FileErrors> {
    sheet::utf8_text(name, bytes).map(str::to_string)
}

/// An import file read against its study: the rows, every problem found so far (the rows'
/// own, then those of rows naming a key the study does not have) and the study's keys (of
/// sections or groups) with their ids.
struct ReadFile<R> {
    study: Study,
    rows: Vec<R>,
    problems: FileErrors,
    keys: HashMap<String, i64>,
}

/// A file's check that the keys its rows name (sections or groups) are among the study's.
type CheckKeys<R> = fn(&str, &[R], &BTreeSet<String>) -> Result<(), FileErrors>;

/// How an import file of rows `R` is read: its reader, the listing whose keys its rows name,
/// and the check of those keys.
struct FileKind<R> {
    read: fn(&str, &[u8]) -> (Vec<R>, FileErrors),
    listing: Listing,
    check: CheckKeys<R>,
}

const ITEMS_FILE: FileKind<ItemRow> = FileKind {
    read: items_file::read_items_file,
    listing: Listing::Section,
    check: items_file::check_sections,
};

const PANEL_FILE: FileKind<PanelRow> = FileKind {
    read: panel_file::read_panel_file,
    listing: Listing::Group,
    check: panel_file::check_groups,
};

impl<R> ReadFile<R> {
    /// Reads the file as `kind` reads it, then checks the keys its rows name.
    fn of(
        conn: &mut DbConnection,
        slug: &str,
        kind: &FileKind<R>,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<ReadFile<R>, ServiceError> {
        let study = load(conn, slug)?;
        let (rows, mut problems) = (kind.read)(file_name, bytes);
        let keys = kind.listing.ids_by_key(conn, study.id)?;
        if let Err(unknown) = (kind.check)(file_name, &rows, &keys.keys().cloned().collect()) {
            problems.extend(unknown);
        }
        Ok(ReadFile {
            study,
            rows,
            problems,
            keys,
        })
    }
}

pub fn items(
    conn: &mut DbConnection,
    slug: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<Preview, ServiceError> {
    // Every problem at once: the rows' own, then the sections the readable rows name, then
    // codes that clash with the study's, all in line order.
    let file = ReadFile::of(conn, slug, &ITEMS_FILE, file_name, bytes)?;
    let mut problems = file.problems;
    let existing = studies::items_by_code(conn, file.study.id)?;
    let case_clash = studies::CaseClash::of(existing.keys());
    let translations = studies::translations_by_item(conn, file.study.id)?;
    let mut preview = Preview::default();
    for row in &file.rows {
        if let Some(clash) = case_clash.problem(file_name, row) {
            problems.push(clash);
            continue;
        }
        let Some(item) = existing.get(&row.code) else {
            preview.added.push(format!("{} — {}", row.code, row.text));
            continue;
        };
        let now = translations.get(&item.id).cloned().unwrap_or_default();
        let wanted = studies::row_translations(row);
        preview.compared(
            row.code.clone(),
            [
                ("section", file.keys.get(&row.section) != Some(&item.section_id)),
                ("text", item.text != row.text),
                ("description", item.description != row.description),
                ("translations", now != wanted),
            ],
        );
    }
    problems.sort_by_line();
    Ok(problems.into_result(preview)?)
}

pub fn panel(
    conn: &mut DbConnection,
    slug: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<Preview, ServiceError> {
    let file = ReadFile::of(conn, slug, &PANEL_FILE, file_name, bytes)?;
    let mut problems = file.problems;
    problems.extend(super::studies::test_address_clashes(
        conn,
        file.study.id,
        file_name,
        &file.rows,
    )?);
    problems.sort_by_line();
    problems.into_result(())?;
    let existing = studies::experts_by_email(conn, file.study.id)?;
    let mut preview = Preview::default();
    for row in &file.rows {
        let Some(expert) = existing.get(row.email.as_str()) else {
            preview
                .added
                .push(format!("{} <{}>", row.name, row.email.as_str()));
            continue;
        };
        preview.compared(
            format!("{} <{}>", row.name, row.email.as_str()),
            [
                ("group", file.keys.get(&row.group) != Some(&expert.group_id)),
                ("name", expert.name != row.name),
                ("country", expert.country != row.country),
                ("language", expert.language != row.language),
            ],
        );
    }
    Ok(preview)
}

/// What the import templates are filled with: the study's own keys, and codes that are free.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateKeys {
    /// Section keys, in the study's order.
    pub sections: Vec<String>,
    /// Group keys, in the study's order.
    pub groups: Vec<String>,
    /// The study's language: the `text` column's.
    pub language: String,
    /// Languages the study's items are already translated into.
    pub translations: Vec<String>,
    /// Two new items as (code, section): the first two sections (or the only one), each with
    /// its next free code, so that importing the template unchanged adds two items and
    /// rewords none.
    pub examples: Vec<(String, String)>,
    /// What the responses template is filled with.
    pub responses: ResponsesKeys,
}

/// Which responses file a study takes now, decided as `delphi responses import` decides: a
/// ranking while a ranking round is open, CHNRI answers in a CHNRI study, ratings otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponsesKind {
    Ratings,
    Chnri,
    Ranking,
}

impl ResponsesKind {
    /// The file's columns (`criteria`: the rating study has criteria).
    pub fn columns(self, criteria: bool) -> &'static [&'static str] {
        match self {
            Self::Ratings if criteria => &["expert", "item", "criterion", "score", "comment"],
            Self::Ratings => &["expert", "item", "score", "comment"],
            Self::Chnri => &["expert", "item", "criterion", "question", "answer"],
            Self::Ranking => &["expert", "item", "position"],
        }
    }

    fn described(self) -> &'static str {
        match self {
            Self::Ratings => "ratings",
            Self::Chnri => "CHNRI answers, one row per question",
            Self::Ranking => "each expert's chosen items in order",
        }
    }
}

/// The study's keys a responses template is filled with.
#[derive(Debug, Clone, Serialize)]
pub struct ResponsesKeys {
    pub kind: ResponsesKind,
    /// Up to two panel members' addresses.
    pub experts: Vec<String>,
    /// Up to two item codes, of the open round when there is one.
    pub items: Vec<String>,
    /// Rating criteria keys (none: the file has no `criterion` column).
    pub criteria: Vec<String>,
    /// CHNRI criteria keys with their number of questions.
    pub chnri: Vec<(String, usize)>,
    /// A score on the study's scale (its highest point), or the first criterion's.
    pub score: i32,
}

/// A responses file, parsed for the kind the study takes.
#[derive(Debug, Clone)]
pub enum ParsedAnswers {
    Ratings(ParsedResponses),
    Chnri(ParsedChnriResponses),
    Ranking(ParsedRankings),
}

impl ParsedAnswers {
    /// (rows, distinct experts, distinct items) of the file.
    fn extent(&self) -> (usize, BTreeSet<String>, BTreeSet<String>) {
        let pairs: Vec<(String, String)> = match self {
            Self::Ratings(p) => p
                .rows
                .iter()
                .map(|r| (r.expert.as_str().to_owned(), r.item.clone()))
                .collect(),
            Self::Chnri(p) => p
                .rows
                .iter()
                .map(|r| (r.expert.as_str().to_owned(), r.item.clone()))
                .collect(),
            Self::Ranking(p) => p
                .rows
                .iter()
                .map(|r| (r.expert.as_str().to_owned(), r.item.clone()))
                .collect(),
        };
        let rows = pairs.len();
        let (experts, items) = pairs.into_iter().unzip();
        (rows, experts, items)
    }
}

/// The kind of responses file the study `slug` takes now.
pub fn responses_kind(conn: &mut DbConnection, slug: &str) -> Result<ResponsesKind, ServiceError> {
    Ok(
        if ranking::round_kind(conn, slug, None)? == Some(RoundKind::Ranking) {
            ResponsesKind::Ranking
        } else if chnri::is_chnri(conn, slug)? {
            ResponsesKind::Chnri
        } else {
            ResponsesKind::Ratings
        },
    )
}

/// Reads an uploaded responses file (CSV) with the parser of `kind`, the one the command line
/// uses. A header that is not this kind's gets a first line saying which columns it needs.
pub fn parse_responses(
    kind: ResponsesKind,
    criteria: bool,
    file_name: &str,
    bytes: &[u8],
) -> Result<ParsedAnswers, FileErrors> {
    let text = sheet::utf8_text(file_name, bytes)?;
    let parsed = match kind {
        ResponsesKind::Ratings => parse_responses_csv(file_name, text).map(ParsedAnswers::Ratings),
        ResponsesKind::Chnri => parse_chnri_responses_csv(file_name, text).map(ParsedAnswers::Chnri),
        ResponsesKind::Ranking => parse_rankings_csv(file_name, text).map(ParsedAnswers::Ranking),
    };
    parsed.map_err(|errors| {
        let header_refused = errors.iter().any(|e| match &e.location {
            Location::Line(line) | Location::LineField { line, .. } => *line == 1,
            _ => false,
        });
        if !header_refused {
            return errors;
        }
        let mut named = FileErrors::from(FileError::whole(
            file_name,
            format!(
                "this study takes {} now: its responses file has the columns {}",
                kind.described(),
                kind.columns(criteria).join(",")
            ),
        ));
        named.extend(errors.into_vec());
        named
    })
}

/// Whether the study's rating rows carry a `criterion` column.
pub fn has_criteria(conn: &mut DbConnection, slug: &str) -> Result<bool, ServiceError> {
    Ok(!load(conn, slug)?.file.criteria.is_empty())
}

/// Writes parsed answers into the open round through the import of their kind, the one
/// `delphi responses import` calls.
pub fn import_responses(
    conn: &mut DbConnection,
    slug: &str,
    parsed: &ParsedAnswers,
    actor: &Actor,
) -> Result<ResponsesImported, ServiceError> {
    match parsed {
        ParsedAnswers::Ratings(p) => ratings::import_responses(conn, slug, p, actor),
        ParsedAnswers::Chnri(p) => chnri::import_responses(conn, slug, p, actor),
        ParsedAnswers::Ranking(p) => {
            let imported = ranking::import_rankings(conn, slug, p, actor)?;
            Ok(ResponsesImported {
                round: imported.round,
                saved: imported.saved,
                cleared: 0,
                experts: imported.experts,
            })
        }
    }
}

/// What a responses import would write, from the import itself rolled back.
#[derive(Debug, Clone, Serialize)]
pub struct AnswersPreview {
    pub kind: ResponsesKind,
    pub round: i32,
    pub rows: usize,
    pub experts: Vec<String>,
    pub items: Vec<String>,
    /// Answers (or placed items) written, and earlier answers an empty cell removes.
    pub saved: usize,
    pub cleared: usize,
}

pub fn responses(
    conn: &mut DbConnection,
    slug: &str,
    file_name: &str,
    bytes: &[u8],
    actor: &Actor,
) -> Result<AnswersPreview, ServiceError> {
    let kind = responses_kind(conn, slug)?;
    let parsed = parse_responses(kind, has_criteria(conn, slug)?, file_name, bytes)?;
    let imported = crate::db::rolled_back(conn, |conn| import_responses(conn, slug, &parsed, actor))?;
    let (rows, experts, items) = parsed.extent();
    Ok(AnswersPreview {
        kind,
        round: imported.round,
        rows,
        experts: experts.into_iter().collect(),
        items: items.into_iter().collect(),
        saved: imported.saved,
        cleared: imported.cleared,
    })
}

fn responses_keys(conn: &mut DbConnection, slug: &str) -> Result<ResponsesKeys, ServiceError> {
    let kind = responses_kind(conn, slug)?;
    let study = load(conn, slug)?;
    let experts = Expert::of_study(conn, study.id)?
        .into_iter()
        .filter_map(|e| e.email)
        .take(2)
        .collect();
    let all = Item::of_study(conn, study.id)?;
    let in_round: Option<BTreeSet<i64>> = match Round::open_of_study(conn, study.id)? {
        Some(round) => Some(
            Round::items(conn, round.id)?
                .into_iter()
                .map(|ri| ri.item_id)
                .collect(),
        ),
        None => None,
    };
    let items = all
        .into_iter()
        .filter(|i| in_round.as_ref().is_none_or(|ids| ids.contains(&i.id)))
        .map(|i| i.code)
        .take(2)
        .collect();
    Ok(ResponsesKeys {
        kind,
        experts,
        items,
        criteria: study.file.criteria.iter().map(|c| c.key.clone()).collect(),
        chnri: study
            .file
            .chnri_criteria()
            .iter()
            .map(|c| (c.key.clone(), c.questions.len()))
            .collect(),
        // The example rows answer the first criterion: a score on its scale.
        score: study
            .scale_of(study.file.criteria.first().map_or("", |c| c.key.as_str()))
            .max(),
    })
}

pub fn template_keys(conn: &mut DbConnection, slug: &str) -> Result<TemplateKeys, ServiceError> {
    let study = load(conn, slug)?;
    let sections = Section::of_study(conn, study.id)?;
    let key_of: HashMap<i64, &str> = sections.iter().map(|s| (s.id, s.key.as_str())).collect();
    let items = Item::of_study(conn, study.id)?;
    let mut taken: BTreeSet<String> = items.iter().map(|i| i.code.to_lowercase()).collect();
    let mut codes: Vec<(String, String)> = items
        .iter()
        .map(|i| {
            (
                i.code.clone(),
                key_of.get(&i.section_id).copied().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let mut examples = Vec::new();
    let chosen: Vec<&Section> = match sections.as_slice() {
        [] => Vec::new(),
        [only] => vec![only, only],
        [first, second, ..] => vec![first, second],
    };
    for section in chosen {
        let in_section: Vec<String> = codes
            .iter()
            .filter(|(_, s)| *s == section.key)
            .map(|(c, _)| c.clone())
            .collect();
        let code = next_free_code(&section.key, &in_section, &taken);
        taken.insert(code.to_lowercase());
        codes.push((code.clone(), section.key.clone()));
        examples.push((code, section.key.clone()));
    }
    let translations: BTreeSet<String> = Item::translations_of_study(conn, study.id)?
        .into_iter()
        .map(|t| t.language)
        .collect();
    Ok(TemplateKeys {
        sections: sections.iter().map(|s| s.key.clone()).collect(),
        groups: Group::of_study(conn, study.id)?
            .into_iter()
            .map(|g| g.key)
            .collect(),
        language: study.language.clone(),
        translations: translations.into_iter().collect(),
        examples,
        responses: responses_keys(conn, slug)?,
    })
}
