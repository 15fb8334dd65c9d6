//! Gathering a whole study for export (docs/exports.md): every table of the data package, read
//! in one transaction so that results, ratings and participants describe the same moment.
//!
//! The file formats live in `crate::export`; this module only reads. A web handler calls
//! [`collect`] and then one of the `crate::export` writers, which return bytes.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDateTime;
use serde::Serialize;

use super::chnri::{self, ChnriAnswerLine, ChnriTable};
use super::drift::{self, DriftTable};
use super::exported_expert::ExportedExpert;
use super::results::{self, ResultLine, ResultsTable, Scope};
use super::stability::{self, StabilityTable};
use super::studies::load;
use super::{Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::chnri_answers::ChnriAnswerRow;
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::items::Item;
use crate::db::models::page_items::PageItem;
use crate::db::models::ratings::Rating;
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Group, Section};
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::items_file::ItemRow;
use crate::domain::outbox::DeliveryState;
use crate::domain::round::{Origin, RoundKind, RoundState, Turnout};
use crate::domain::rule::Status;
use crate::domain::stats::{Counts, Share};
use crate::domain::study::Study;
use crate::domain::study::{ItemsSource, Method};
use crate::service::listings::ItemListing;

/// What the caller asks for.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Add experts' email and name to ratings.csv and participants.csv (audited).
    pub identified: bool,
    /// The requested format, recorded in the audit entry of an identified export.
    pub format: String,
}

/// One round as the report and the JSON describe it.
#[derive(Debug, Clone, Serialize)]
pub struct RoundSummary {
    pub number: i32,
    pub status: RoundState,
    pub opened_at: Option<NaiveDateTime>,
    pub deadline: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub items: usize,
    /// Items asked again after the round before.
    pub carried: usize,
    /// Items asked for the first time (from the study file or an import).
    pub new_items: usize,
    /// Items asked for the first time that came from experts' suggestions.
    pub suggested: usize,
    /// Pooled primary statuses after the round (closed rounds only; zero otherwise).
    pub in_: usize,
    pub out: usize,
    pub none: usize,
    pub invited: usize,
    /// Invited experts who answered at least one item (a score or "unable"), submitted or not:
    /// `domain::round::Turnout`, the definition the console uses too. 0 while the round is open.
    pub responded: usize,
    /// Of the responders, those who submitted, and those who did not (`responded = submitted +
    /// answered_not_submitted`).
    pub submitted: usize,
    pub answered_not_submitted: usize,
    /// Per stakeholder group, in the study's order.
    pub groups: Vec<GroupTurnout>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupTurnout {
    pub group: String,
    pub invited: usize,
    pub responded: usize,
    pub submitted: usize,
    pub answered_not_submitted: usize,
}

impl GroupTurnout {
    fn new(group: String, turnout: Turnout) -> GroupTurnout {
        GroupTurnout {
            group,
            invited: turnout.invited,
            responded: turnout.responded,
            submitted: turnout.submitted,
            answered_not_submitted: turnout.answered_not_submitted,
        }
    }
}

/// One line of ratings.csv.
#[derive(Debug, Clone, Serialize)]
pub struct RatingLine {
    pub round: i32,
    #[serde(flatten)]
    pub who: ExportedExpert,
    pub item_code: String,
    /// In a study with criteria, the criterion the score is on; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
    pub score: Option<i32>,
    /// The score given before the group's feedback showed (`[feedback] timing =
    /// "after_rating"`); ratings.csv has the column only in such a study.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_feedback_score: Option<i32>,
    /// The item's 1-based place on the expert's page when the round drew orders or subsets;
    /// ratings.csv has the column only in a study that draws them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<i32>,
    pub unable: bool,
    pub comment: Option<String>,
    /// Whether the score is in another band than the expert's score of the round before;
    /// None when either score is missing, in round 1, or when the scale has no bands.
    pub changed_band: Option<bool>,
    pub reason: Option<String>,
    pub saved_at: NaiveDateTime,
}

/// One line of participants.csv.
#[derive(Debug, Clone, Serialize)]
pub struct Participant {
    #[serde(flatten)]
    pub who: ExportedExpert,
    pub country: Option<String>,
    /// Closed rounds the expert was invited to.
    pub invited_rounds: u32,
    /// Closed rounds in which the expert answered at least one item.
    pub responded_rounds: u32,
    /// Of those, the rounds in which they also submitted their answers.
    pub submitted_rounds: u32,
    /// Where their last email carrying a link stands (`DeliveryState`, issue 18).
    pub delivery_state: DeliveryState,
}

/// One line of consensus.csv: an item's final standing.
#[derive(Debug, Clone, Serialize)]
pub struct ConsensusLine {
    pub item_code: String,
    pub section: String,
    pub item_text: String,
    /// Primary pooled status in the last closed round that rated the item.
    pub status: Status,
    /// That round when the status is `in` or `out`.
    pub decided_in_round: Option<i32>,
    /// The last closed round that rated the item (the source of the statistics below).
    pub last_round: i32,
    pub n: i32,
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    pub share_top: Option<f64>,
    pub share_bottom: Option<f64>,
    /// Percent of `n` in each band of the scale, in the scale's order (the report's and the
    /// workbook's final list); `share_bottom` and `share_top` are the first and the last.
    /// Not in the JSON document, which has the counts it follows from.
    #[serde(skip)]
    pub band_shares: Vec<Option<f64>>,
    /// Status under each alternative rule in the same round (sensitivity).
    pub alternative_statuses: Vec<String>,
    /// Counts per scale point in that round, for the report's chart.
    pub counts: Vec<u64>,
}

/// Everything an export writes.
#[derive(Debug, Clone)]
pub struct StudyExport {
    pub study: Study,
    /// Stakeholder groups and sections in the study's order.
    pub groups: Vec<crate::domain::study::Group>,
    pub sections: Vec<crate::domain::study::Section>,
    /// Every item, retired ones too, in the study's order.
    pub items: Vec<ItemListing>,
    pub rounds: Vec<RoundSummary>,
    pub results: ResultsTable,
    pub results_by_group: ResultsTable,
    pub stability: StabilityTable,
    pub drift: DriftTable,
    pub consensus: Vec<ConsensusLine>,
    pub ratings: Vec<RatingLine>,
    pub participants: Vec<Participant>,
    /// The results of each closed ranking round (none for a study without one: its exports
    /// have no ranking files).
    pub rankings: Vec<super::ranking::RankingTable>,
    /// The lists behind them, one row per chosen item (rankings.csv).
    pub ranking_answers: Vec<super::ranking::RankingAnswerLine>,
    /// The panel as countries (empty key for unknown) with their number of experts.
    pub countries: BTreeMap<String, usize>,
    pub identified: bool,
    /// The study file as locked, items inline, with the rule hash in a comment.
    pub study_toml: String,
    pub generated_at: NaiveDateTime,
    /// The ideas round's proposals and their flow, for a study with `[ideas]`; `None` leaves
    /// every export as it was before ideas rounds existed.
    pub ideas: Option<IdeasExport>,
    /// A CHNRI study's scores and answers (its results.csv and results_by_group.csv take these
    /// columns); `None` for every other method.
    pub chnri: Option<ChnriExport>,
    /// With `[rounds] items_per_expert`, each closed rating round's raters per item; empty in a
    /// study where every expert rates every item, so its report stays as it was.
    pub raters: Vec<RoundRaters>,
}

/// How many raters each item of one closed round had (`service::pages::rater_counts`, the
/// dashboard's numbers).
#[derive(Debug, Clone)]
pub struct RoundRaters {
    pub round: i32,
    pub counts: super::pages::RaterCounts,
}

/// What the exports say about the ideas round.
#[derive(Debug, Clone)]
pub struct IdeasExport {
    pub proposals: Vec<super::ideas::ProposalView>,
    pub flow: crate::domain::suggestion::IdeasFlow,
}

/// What a CHNRI study exports besides what every study does.
#[derive(Debug, Clone)]
pub struct ChnriExport {
    pub results: ChnriTable,
    pub results_by_group: ChnriTable,
    pub answers: Vec<ChnriAnswerLine>,
}

impl StudyExport {
    /// Items whose final standing is `status`.
    pub fn final_count(&self, status: Status) -> usize {
        self.consensus.iter().filter(|c| c.status == status).count()
    }

    /// The final list grouped by section for the report's appendix and the workbook: the items
    /// that reached consensus (`decided`) or those that did not, each group titled with its
    /// section's title, in the study's section order, items in the study's order within it.
    /// An item of an unknown section gets a group of its own at the end, titled by the key.
    pub fn final_by_section(&self, decided: bool) -> Vec<(&str, Vec<&ConsensusLine>)> {
        let mut groups: Vec<(&str, Vec<&ConsensusLine>)> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        let keys = self
            .sections
            .iter()
            .map(|s| s.key.as_str())
            .chain(self.consensus.iter().map(|c| c.section.as_str()));
        for key in keys {
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let lines: Vec<&ConsensusLine> = self
                .consensus
                .iter()
                .filter(|c| c.section == key && (c.status != Status::None) == decided)
                .collect();
            if !lines.is_empty() {
                groups.push((self.section_title(key), lines));
            }
        }
        groups
    }

    /// The title of the section `key`, or the key when the study has no such section.
    pub fn section_title<'a>(&'a self, key: &'a str) -> &'a str {
        self.sections
            .iter()
            .find(|s| s.key == key)
            .map(|s| s.title.as_str())
            .unwrap_or(key)
    }

    /// True when no round has closed: the files hold headers and the study only.
    pub fn has_no_results(&self) -> bool {
        !self.rounds.iter().any(|r| r.status == RoundState::Closed)
    }
}

/// Reads the study `slug` for export. An identified export is written to the audit log first,
/// so that personal data never leaves without a trace.
pub fn collect(
    conn: &mut DbConnection,
    slug: &str,
    options: &ExportOptions,
    actor: &Actor,
) -> Result<StudyExport, ServiceError> {
    let export = diesel::Connection::transaction(conn, |conn| gather(conn, slug, options.identified))?;
    if options.identified {
        write_transaction(conn, |conn| {
            AuditEntry::append(
                conn,
                Some(export.study.id),
                &actor.0,
                "export.identified",
                &serde_json::json!({
                    "format": options.format,
                    "experts": export.participants.len(),
                    "ratings": export.ratings.len(),
                }),
                now(),
            )
        })?;
    }
    Ok(export)
}

fn gather(conn: &mut DbConnection, slug: &str, identified: bool) -> Result<StudyExport, ServiceError> {
    let study = load(conn, slug)?;
    let groups = Group::of_study(conn, study.id)?;
    let sections = Section::of_study(conn, study.id)?;
    let items = Item::of_study(conn, study.id)?;
    let experts = Expert::of_study(conn, study.id)?;
    let all_rounds = Round::of_study(conn, study.id)?;
    let results_table = results::results(conn, slug, None, Scope::Pooled)?;
    // The files publish each criterion's lines too; the tallies and the final list read the
    // items' own lines.
    let results_file = results::results_by_criterion(conn, slug, None, Scope::Pooled)?;
    let by_group = results::results_by_criterion(conn, slug, None, Scope::ByGroup)?;
    let stability_table = stability::stability(conn, slug, None)?;
    let drift_table = drift::drift(conn, slug, None)?;

    let group_key: HashMap<i64, &str> = groups.iter().map(|g| (g.id, g.key.as_str())).collect();
    let expert_by_id: HashMap<i64, &Expert> = experts.iter().map(|e| (e.id, e)).collect();
    let item_code: HashMap<i64, &str> = items.iter().map(|i| (i.id, i.code.as_str())).collect();
    let group_of = |expert_id: i64| -> String {
        expert_by_id
            .get(&expert_id)
            .and_then(|e| group_key.get(&e.group_id))
            .map(|k| k.to_string())
            .unwrap_or_default()
    };

    let mut rounds = Vec::new();
    let mut ratings = Vec::new();
    let mut invited_rounds: HashMap<i64, u32> = HashMap::new();
    let mut responded_rounds: HashMap<i64, u32> = HashMap::new();
    let mut submitted_rounds: HashMap<i64, u32> = HashMap::new();
    let mut previous_scores: HashMap<(i64, i64, String), i32> = HashMap::new();
    let criterion_order: HashMap<&str, usize> = study
        .file
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| (c.key.as_str(), i))
        .collect();
    let mut previous_number: Option<i32> = None;
    for round in &all_rounds {
        let closed = round.status == RoundState::Closed;
        let round_items = Round::items(conn, round.id)?;
        let invitations = Invitation::of_round(conn, round.id)?;
        let round_ratings = if closed {
            Rating::of_round(conn, round.id)?
        } else {
            Vec::new()
        };
        let mut responders: HashSet<i64> = round_ratings
            .iter()
            .filter(|r| r.score.is_some() || r.unable)
            .map(|r| r.expert_id)
            .collect();
        // In a ranking round, responding is placing at least one item.
        if closed && round.kind == crate::domain::round::RoundKind::Ranking {
            responders.extend(
                crate::db::models::rankings::Ranking::of_round(conn, round.id)?
                    .into_iter()
                    .map(|r| r.expert_id),
            );
        }
        if closed && round.kind == RoundKind::Chnri {
            responders.extend(
                ChnriAnswerRow::of_round(conn, round.id)?
                    .into_iter()
                    .map(|a| a.expert_id),
            );
        }
        let origin = |origin: Origin| round_items.iter().filter(|ri| ri.origin == origin).count();
        let (mut in_, mut out, mut none) = (0, 0, 0);
        for line in results_table.lines.iter().filter(|l| l.round == round.number) {
            match line.status {
                Status::In => in_ += 1,
                Status::Out => out += 1,
                Status::None => none += 1,
            }
        }
        let count = |members: &mut dyn Iterator<Item = &Invitation>| {
            let mut turnout = Turnout::default();
            for invitation in members {
                turnout.add(
                    responders.contains(&invitation.expert_id),
                    invitation.submitted_at.is_some(),
                );
            }
            turnout
        };
        let whole = count(&mut invitations.iter());
        let turnout = groups
            .iter()
            .map(|g| {
                let mut members = invitations
                    .iter()
                    .filter(|i| expert_by_id.get(&i.expert_id).is_some_and(|e| e.group_id == g.id));
                GroupTurnout::new(g.key.clone(), count(&mut members))
            })
            .collect();
        rounds.push(RoundSummary {
            number: round.number,
            status: round.status,
            opened_at: round.opened_at,
            deadline: round.deadline,
            closed_at: round.closed_at,
            items: round_items.len(),
            carried: origin(Origin::Carried),
            new_items: origin(Origin::New),
            suggested: origin(Origin::Suggestion),
            in_,
            out,
            none,
            invited: whole.invited,
            responded: whole.responded,
            submitted: whole.submitted,
            answered_not_submitted: whole.answered_not_submitted,
            groups: turnout,
        });
        if !closed {
            // Answers of an open round are not final and have no results yet: leaving them out
            // keeps ratings.csv and results.csv describing the same answers.
            continue;
        }
        for invitation in &invitations {
            *invited_rounds.entry(invitation.expert_id).or_default() += 1;
            if invitation.submitted_at.is_some() && responders.contains(&invitation.expert_id) {
                *submitted_rounds.entry(invitation.expert_id).or_default() += 1;
            }
        }
        for expert in &responders {
            *responded_rounds.entry(*expert).or_default() += 1;
        }
        let position: HashMap<i64, i32> = round_items.iter().map(|ri| (ri.item_id, ri.position)).collect();
        let page_position: HashMap<(i64, i64), i32> = PageItem::of_round(conn, round.id)?
            .into_iter()
            .map(|p| ((p.expert_id, p.item_id), p.position))
            .collect();
        let consecutive = previous_number == Some(round.number - 1);
        let mut lines: Vec<(i32, i64, usize, RatingLine)> = Vec::with_capacity(round_ratings.len());
        for rating in &round_ratings {
            let expert = expert_by_id.get(&rating.expert_id);
            let before = previous_scores
                .get(&(rating.expert_id, rating.item_id, rating.criterion.clone()))
                .copied();
            let scale = study.scale_of(&rating.criterion);
            let changed_band = match (rating.score, before, scale.bands().is_empty()) {
                (Some(now), Some(before), false) if consecutive => {
                    Some(scale.zone_of(now) != scale.zone_of(before))
                }
                _ => None,
            };
            lines.push((
                position.get(&rating.item_id).copied().unwrap_or(i32::MAX),
                rating.expert_id,
                criterion_order
                    .get(rating.criterion.as_str())
                    .copied()
                    .unwrap_or(0),
                RatingLine {
                    criterion: (!study.file.criteria.is_empty()).then(|| rating.criterion.clone()),
                    round: round.number,
                    who: ExportedExpert::of(expert.copied(), group_of(rating.expert_id), identified),
                    item_code: item_code
                        .get(&rating.item_id)
                        .map(|c| c.to_string())
                        .unwrap_or_default(),
                    score: rating.score,
                    pre_feedback_score: rating.pre_feedback_score,
                    position: page_position.get(&(rating.expert_id, rating.item_id)).copied(),
                    unable: rating.unable,
                    comment: rating.comment.clone().filter(|c| !c.is_empty()),
                    changed_band,
                    reason: rating.reason.clone().filter(|r| !r.is_empty()),
                    saved_at: rating.saved_at,
                },
            ));
        }
        lines.sort_by_key(|(position, expert, criterion, _)| (*position, *expert, *criterion));
        ratings.extend(lines.into_iter().map(|(_, _, _, line)| line));
        previous_scores = round_ratings
            .iter()
            .filter_map(|r| {
                r.score
                    .map(|s| ((r.expert_id, r.item_id, r.criterion.clone()), s))
            })
            .collect();
        previous_number = Some(round.number);
    }

    let mut countries: BTreeMap<String, usize> = BTreeMap::new();
    let delivery_states = super::bounces::expert_states_of_study(conn, study.id)?;
    let participants = experts
        .iter()
        .map(|e| {
            *countries
                .entry(e.country.clone().unwrap_or_default())
                .or_default() += 1;
            Participant {
                who: ExportedExpert::of(Some(e), group_of(e.id), identified),
                country: e.country.clone().filter(|c| !c.is_empty()),
                invited_rounds: invited_rounds.get(&e.id).copied().unwrap_or(0),
                responded_rounds: responded_rounds.get(&e.id).copied().unwrap_or(0),
                submitted_rounds: submitted_rounds.get(&e.id).copied().unwrap_or(0),
                delivery_state: delivery_states.get(&e.id).copied().unwrap_or(DeliveryState::None),
            }
        })
        .collect();

    let mut rankings = Vec::new();
    let mut ranking_answers = Vec::new();
    for round in all_rounds
        .iter()
        .filter(|r| r.kind == crate::domain::round::RoundKind::Ranking && r.status == RoundState::Closed)
    {
        rankings.push(super::ranking::compute(conn, &study, round)?);
        ranking_answers.extend(super::ranking::ranking_answers(conn, &study, round, identified)?);
    }
    let consensus = consensus_lines(&study, &items, &results_table.lines);
    let study_toml = locked_study_file(conn, &study, &items, &sections)?;
    let ideas = match study.file.ideas {
        None => None,
        Some(_) => {
            let proposals = super::ideas::list_of(conn, &study)?;
            let rated: std::collections::BTreeSet<&str> =
                consensus.iter().map(|c| c.item_code.as_str()).collect();
            let in_consensus: std::collections::BTreeSet<&str> = consensus
                .iter()
                .filter(|c| c.status == Status::In)
                .map(|c| c.item_code.as_str())
                .collect();
            let outcomes: Vec<_> = proposals.iter().map(|p| (p.outcome, p.item.as_deref())).collect();
            let flow = crate::domain::suggestion::ideas_flow(&outcomes, &rated, &in_consensus);
            Some(IdeasExport { proposals, flow })
        }
    };
    let chnri = if study.file.method == Method::Chnri {
        Some(ChnriExport {
            results: chnri::results(conn, slug, None, Scope::Pooled)?,
            results_by_group: chnri::results(conn, slug, None, Scope::ByGroup)?,
            answers: chnri::answers(conn, slug)?,
        })
    } else {
        None
    };
    let mut raters = Vec::new();
    for round in all_rounds.iter().filter(|r| r.status == RoundState::Closed) {
        if let Some(counts) = super::pages::rater_counts(conn, &study, round)? {
            raters.push(RoundRaters {
                round: round.number,
                counts,
            });
        }
    }
    Ok(StudyExport {
        ideas,
        chnri,
        raters,
        groups: groups
            .into_iter()
            .map(|g| crate::domain::study::Group {
                key: g.key,
                name: g.name,
            })
            .collect(),
        sections: sections
            .into_iter()
            .map(|s| crate::domain::study::Section {
                key: s.key,
                title: s.title,
            })
            .collect(),
        items: super::listings::items(conn, &study.slug)?,
        study,
        rounds,
        results: results_file,
        results_by_group: by_group,
        stability: stability_table,
        drift: drift_table,
        consensus,
        ratings,
        participants,
        rankings,
        ranking_answers,
        countries,
        identified,
        study_toml,
        generated_at: now(),
    })
}

/// The final standing of every item rated in a closed round, in the study's item order: its
/// status in the last closed round that rated it.
fn consensus_lines(study: &Study, items: &[Item], lines: &[ResultLine]) -> Vec<ConsensusLine> {
    let mut last: HashMap<&str, &ResultLine> = HashMap::new();
    for line in lines {
        // Lines come in round order, so the last one seen is the latest round.
        last.insert(line.item_code.as_str(), line);
    }
    let policy = study.rules.primary.unable;
    let bands = study.scale.bands();
    let share = |line: &ResultLine, band: Option<&crate::domain::scale::Band>| -> Option<f64> {
        let band = band?;
        let counts = Counts::from_slice(
            study.scale.min(),
            &line.counts,
            u64::try_from(line.unable).unwrap_or(0),
        );
        counts
            .share(band.from, band.to, false, policy)
            .map(Share::percent)
    };
    items
        .iter()
        .filter_map(|item| {
            let line = last.get(item.code.as_str())?;
            let decided = line.status != Status::None;
            Some(ConsensusLine {
                item_code: line.item_code.clone(),
                section: line.section.clone(),
                item_text: line.item_text.clone(),
                status: line.status,
                decided_in_round: decided.then_some(line.round),
                last_round: line.round,
                n: line.n,
                median: line.figures.median,
                q1: line.figures.q1,
                q3: line.figures.q3,
                share_top: share(line, bands.last()),
                share_bottom: share(line, bands.first()),
                band_shares: bands.iter().map(|band| share(line, Some(band))).collect(),
                alternative_statuses: line.alternative_statuses.clone(),
                counts: line.counts.clone(),
            })
        })
        .collect()
}

/// The study file as the study runs it: every default written out, the items inline as they
/// stand now (so the file needs no items.csv beside it), no panel file (it holds emails), and
/// the locked rule's hash in a comment.
fn locked_study_file(
    conn: &mut DbConnection,
    study: &Study,
    items: &[Item],
    sections: &[Section],
) -> Result<String, ServiceError> {
    let section_key: HashMap<i64, &str> = sections.iter().map(|s| (s.id, s.key.as_str())).collect();
    let mut translations = super::listings::translations_by_item(conn, study.id)?;
    let mut file = study.file.clone();
    file.panel = None;
    file.anonymity = study.anonymity;
    let rows: Vec<ItemRow> = items
        .iter()
        .map(|item| ItemRow {
            code: item.code.clone(),
            section: section_key
                .get(&item.section_id)
                .map(|k| k.to_string())
                .unwrap_or_default(),
            text: item.text.clone(),
            description: item.description.clone(),
            translations: translations.remove(&item.id).unwrap_or_default(),
            line: 0,
        })
        .collect();
    if !rows.is_empty() {
        file.items = ItemsSource::Inline(rows);
    }
    let body = file
        .to_toml_string()
        .map_err(|e| ServiceError::invalid("study.toml", e.to_string()))?;
    let mut head = format!(
        "# Study `{}` as locked, exported by Delphi {}.\n",
        study.slug,
        env!("CARGO_PKG_VERSION")
    );
    match (&study.rule_hash, study.rule_locked_at) {
        (Some(hash), Some(at)) => head.push_str(&format!(
            "# Consensus rules locked {} UTC when round 1 opened; SHA-256 {hash}\n",
            at.format("%Y-%m-%d %H:%M:%S")
        )),
        _ => head.push_str("# Consensus rules not locked yet: no round has been opened.\n"),
    }
    for (name, rule) in study.rules.rules() {
        head.push_str(&format!("#   {name}: {}\n", rule.describe()));
    }
    head.push_str("# Items are written inline as they stand at export; results name them by code.\n\n");
    Ok(head + &body)
}
