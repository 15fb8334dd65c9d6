//! CHNRI studies: answers imported into the open round, the scores of closed rounds (pooled and
//! per stakeholder group, computed from the frozen answers each time they are read), and the
//! answers as the data package's tidy table.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDateTime;
use serde::Serialize;

use super::ratings::{ImportTarget, ResponsesImported, Saved};
use super::results::Scope;
use super::studies::{self, load};
use super::{Actor, ServiceError};
use crate::db::models::chnri_answers::{ChnriAnswerRow, NewChnriAnswer};
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::items::Item;
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Group, Section};
use crate::db::{now, DbConnection};
use crate::domain::chnri::responses::{self, ParsedChnriResponses};
use crate::domain::chnri::{rank, score_item, AnswerCount, Criterion};
use crate::domain::round::{RoundKind, RoundState};
use crate::domain::study::{Method, Study};

/// One item in one closed CHNRI round, for the pooled panel or one stakeholder group: the
/// columns of a CHNRI study's results.csv (docs/exports.md).
#[derive(Debug, Clone, Serialize)]
pub struct ChnriLine {
    pub round: i32,
    /// Empty for the pooled panel.
    pub group: String,
    pub item_code: String,
    pub section: String,
    pub item_text: String,
    pub invited: i32,
    /// Experts who gave at least one yes, undecided or no answer on the item.
    pub n: i32,
    /// `CS(i,c)` per criterion, in `ChnriTable::criteria` order.
    pub cs: Vec<Option<f64>>,
    pub rps: Option<f64>,
    pub wrps: Option<f64>,
    pub aea: Option<f64>,
    pub rank: Option<u32>,
    /// Keys of the criteria below their threshold.
    pub below: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChnriTable {
    pub study: String,
    /// Criterion keys, in the study file's order.
    pub criteria: Vec<String>,
    /// Ranked: by round, then group (study order), then rank (items without a score last).
    pub lines: Vec<ChnriLine>,
}

/// One line of chnri_answers.csv.
#[derive(Debug, Clone, Serialize)]
pub struct ChnriAnswerLine {
    pub round: i32,
    pub expert: String,
    pub group: String,
    pub item_code: String,
    pub criterion: String,
    pub question: i32,
    pub answer: String,
    pub saved_at: NaiveDateTime,
}

fn require_chnri(study: &Study) -> Result<(), ServiceError> {
    if study.file.method == Method::Chnri {
        Ok(())
    } else {
        Err(ServiceError::Conflict(format!(
            "study `{}` is a {} study, not a CHNRI study",
            study.slug, study.file.method
        )))
    }
}

/// Whether the study `slug` scores its items with CHNRI (its responses file and results have
/// their own columns).
pub fn is_chnri(conn: &mut DbConnection, slug: &str) -> Result<bool, ServiceError> {
    Ok(load(conn, slug)?.file.method == Method::Chnri)
}

/// Writes a CHNRI responses file into the open round: every row checked first (each problem
/// named by line and column), then all of them in one transaction, or nothing. An empty
/// `answer` removes that answer.
pub fn import_responses(
    conn: &mut DbConnection,
    slug: &str,
    parsed: &ParsedChnriResponses,
    actor: &Actor,
) -> Result<ResponsesImported, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        require_chnri(study)?;
        let target = ImportTarget::open(conn, study, true)?;
        let (round, by_email, codes) = (&target.round, &target.by_email, &target.codes);
        responses::validate_against(
            parsed,
            &target.emails(),
            &target.item_codes(),
            study.file.chnri_criteria(),
        )?;
        let errors: crate::domain::file_error::FileErrors = parsed
            .rows
            .iter()
            .filter_map(|row| target.not_invited(&parsed.file, row.line, row.expert.as_str()))
            .collect();
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let at = now();
        let mut upserts = Vec::with_capacity(parsed.rows.len());
        let mut cleared = 0;
        let mut touched = BTreeSet::new();
        for row in &parsed.rows {
            let expert_id = by_email[row.expert.as_str()];
            let item_id = codes[&row.item];
            let question = i32::try_from(row.question).unwrap_or(i32::MAX);
            touched.insert(expert_id);
            match row.answer {
                None => {
                    cleared +=
                        ChnriAnswerRow::delete(conn, round.id, item_id, expert_id, &row.criterion, question)?
                }
                Some(answer) => upserts.push(NewChnriAnswer {
                    round_id: round.id,
                    item_id,
                    expert_id,
                    criterion: row.criterion.clone(),
                    question,
                    answer: answer.as_str().to_owned(),
                    saved_at: at,
                }),
            }
        }
        let saved = ChnriAnswerRow::upsert_many(conn, &upserts)?;
        let saved = Saved {
            touched: &touched,
            saved,
            cleared,
        };
        target.imported(conn, actor, &parsed.file, saved, at)
    })
}

/// Scores of one closed CHNRI round, or of every closed one when `round` is None.
pub fn results(
    conn: &mut DbConnection,
    slug: &str,
    round: Option<i32>,
    scope: Scope,
) -> Result<ChnriTable, ServiceError> {
    let study = load(conn, slug)?;
    require_chnri(&study)?;
    let rounds = Round::of_study(conn, study.id)?;
    let chosen: Vec<&Round> = match round {
        Some(number) => {
            let round = super::results::numbered(&rounds, slug, number)?;
            super::results::require_closed(round, slug)?;
            vec![round]
        }
        None => rounds
            .iter()
            .filter(|r| r.status == RoundState::Closed && r.kind == RoundKind::Chnri)
            .collect(),
    };
    let context = Context::load(conn, &study)?;
    let mut lines = Vec::new();
    for round in chosen {
        lines.extend(round_lines(conn, &study, &context, round, scope)?);
    }
    Ok(ChnriTable {
        study: study.slug.clone(),
        criteria: study
            .file
            .chnri_criteria()
            .iter()
            .map(|c| c.key.clone())
            .collect(),
        lines,
    })
}

/// What every round's lines look up: items, sections, groups, and each expert's group.
struct Context {
    items: HashMap<i64, Item>,
    sections: HashMap<i64, String>,
    groups: Vec<Group>,
    group_of: HashMap<i64, i64>,
    pseudonyms: HashMap<i64, String>,
}

impl Context {
    fn load(conn: &mut DbConnection, study: &Study) -> Result<Context, ServiceError> {
        let experts = Expert::of_study(conn, study.id)?;
        Ok(Context {
            items: Item::by_id_of_study(conn, study.id)?,
            sections: Section::keys_of_study(conn, study.id)?,
            groups: Group::of_study(conn, study.id)?,
            group_of: experts.iter().map(|e| (e.id, e.group_id)).collect(),
            pseudonyms: experts.into_iter().map(|e| (e.id, e.pseudonym)).collect(),
        })
    }

    fn group_key(&self, expert_id: i64) -> &str {
        self.group_of
            .get(&expert_id)
            .and_then(|g| self.groups.iter().find(|group| group.id == *g))
            .map_or("", |g| g.key.as_str())
    }
}

/// The answers of one item tallied per criterion and question, with who answered.
struct Tally {
    counts: Vec<Vec<AnswerCount>>,
    experts: BTreeSet<i64>,
}

impl Tally {
    fn new(criteria: &[Criterion]) -> Tally {
        Tally {
            counts: criteria
                .iter()
                .map(|c| vec![AnswerCount::default(); c.questions.len()])
                .collect(),
            experts: BTreeSet::new(),
        }
    }
}

fn round_lines(
    conn: &mut DbConnection,
    study: &Study,
    context: &Context,
    round: &Round,
    scope: Scope,
) -> Result<Vec<ChnriLine>, ServiceError> {
    let criteria = study.file.chnri_criteria();
    let round_items = Round::items(conn, round.id)?;
    // None: the pooled panel; Some(group id): one stakeholder group.
    let audiences: Vec<Option<&Group>> = match scope {
        Scope::Pooled => vec![None],
        Scope::ByGroup => context.groups.iter().map(Some).collect(),
    };
    let invitations = Invitation::of_round(conn, round.id)?;
    let answers = ChnriAnswerRow::of_round(conn, round.id)?;
    let mut lines = Vec::new();
    for audience in audiences {
        let counts_for = |expert_id: i64| match audience {
            None => context.group_of.contains_key(&expert_id),
            Some(group) => context.group_of.get(&expert_id) == Some(&group.id),
        };
        let invited = invitations.iter().filter(|i| counts_for(i.expert_id)).count();
        let mut tallies: HashMap<i64, Tally> = round_items
            .iter()
            .map(|ri| (ri.item_id, Tally::new(criteria)))
            .collect();
        for answer in answers.iter().filter(|a| counts_for(a.expert_id)) {
            let Some(tally) = tallies.get_mut(&answer.item_id) else {
                continue;
            };
            let Some(c) = criteria.iter().position(|c| c.key == answer.criterion) else {
                continue;
            };
            let Some(count) = usize::try_from(answer.question - 1)
                .ok()
                .and_then(|q| tally.counts[c].get_mut(q))
            else {
                continue;
            };
            count.add(answer.answer);
            if answer.answer.points().is_some() {
                tally.experts.insert(answer.expert_id);
            }
        }
        let mut unranked = Vec::with_capacity(round_items.len());
        for ri in &round_items {
            let Some(item) = context.items.get(&ri.item_id) else {
                continue;
            };
            let item_text = crate::service::content::asked_text(conn, item, ri.item_version)?;
            let tally = &tallies[&ri.item_id];
            let scores = score_item(criteria, &tally.counts);
            unranked.push((item, item_text, tally.experts.len(), scores));
        }
        let keys: Vec<(&str, Option<crate::domain::stats::Ratio>)> = unranked
            .iter()
            .map(|(item, _, _, scores)| (item.code.as_str(), scores.wrps))
            .collect();
        for (index, rank) in rank(&keys) {
            let (item, item_text, n, scores) = &unranked[index];
            let f = |v: Option<crate::domain::stats::Ratio>| v.map(|r| r.to_f64());
            lines.push(ChnriLine {
                round: round.number,
                group: audience.map(|g| g.key.clone()).unwrap_or_default(),
                item_code: item.code.clone(),
                section: context
                    .sections
                    .get(&item.section_id)
                    .cloned()
                    .unwrap_or_default(),
                item_text: item_text.clone(),
                invited: i32::try_from(invited).unwrap_or(i32::MAX),
                n: i32::try_from(*n).unwrap_or(i32::MAX),
                cs: scores.cs.iter().map(|v| f(*v)).collect(),
                rps: f(scores.rps),
                wrps: f(scores.wrps),
                aea: f(scores.aea),
                rank,
                below: scores.below.clone(),
            });
        }
    }
    Ok(lines)
}

/// Every answer of the panel in the study's closed CHNRI rounds, by round, expert, item,
/// criterion and question: the data package's chnri_answers.csv.
pub fn answers(conn: &mut DbConnection, slug: &str) -> Result<Vec<ChnriAnswerLine>, ServiceError> {
    let study = load(conn, slug)?;
    require_chnri(&study)?;
    let context = Context::load(conn, &study)?;
    let order: HashMap<&str, usize> = study
        .file
        .chnri_criteria()
        .iter()
        .enumerate()
        .map(|(i, c)| (c.key.as_str(), i))
        .collect();
    let mut lines = Vec::new();
    for round in Round::of_study(conn, study.id)? {
        if round.status != RoundState::Closed || round.kind != RoundKind::Chnri {
            continue;
        }
        let mut answers = ChnriAnswerRow::of_round(conn, round.id)?;
        answers.sort_by_key(|a| {
            (
                a.expert_id,
                context.items.get(&a.item_id).map_or(0, |i| i.position),
                a.item_id,
                order.get(a.criterion.as_str()).copied().unwrap_or(usize::MAX),
                a.question,
            )
        });
        for answer in answers {
            lines.push(ChnriAnswerLine {
                round: round.number,
                expert: context
                    .pseudonyms
                    .get(&answer.expert_id)
                    .cloned()
                    .unwrap_or_default(),
                group: context.group_key(answer.expert_id).to_owned(),
                item_code: context
                    .items
                    .get(&answer.item_id)
                    .map(|i| i.code.clone())
                    .unwrap_or_default(),
                criterion: answer.criterion,
                question: answer.question,
                answer: answer.answer.as_str().to_owned(),
                saved_at: answer.saved_at,
            });
        }
    }
    Ok(lines)
}
