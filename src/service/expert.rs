//! The expert's side of a round: open a personal link, see the form (with last round's group
//! feedback from round 2 on), save answers, submit, suggest items.
//!
//! The web layer only turns HTTP into these calls and these view models into HTML; every rule
//! (what a token opens, what may be saved, what feedback an expert may see) lives here.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use fluent_bundle::FluentValue;

use serde::Serialize;

use super::ratings::{record_in, AnswerInput};
use super::studies::{load, LoadedStudy};
use super::{notify, ServiceError};
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::items::Item;
use crate::db::models::ratings::Rating;
use crate::db::models::results::ResultRow;
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Group, Section, Study};
use crate::db::models::suggestions::{NewSuggestion, Suggestion};
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::responses_file::Answer;
use crate::domain::rule::PRIMARY;
use crate::domain::token;
use crate::export::svg;
use crate::i18n;

/// Longest comment, reason or suggestion we keep: generous for prose, bounded for storage.
pub const MAX_TEXT: usize = 4_000;

/// Everything a valid link opens.
#[derive(Debug, Clone)]
pub struct ExpertSession {
    pub invitation: Invitation,
    pub expert: Expert,
    pub round: Round,
    pub study: LoadedStudy,
    /// The language of the pages: the expert's if we have a catalogue for it, else the
    /// study's, else English.
    pub lang: &'static str,
}

impl ExpertSession {
    pub fn round_is_open(&self) -> bool {
        self.round.status == "open"
    }

    pub fn suggestions_allowed(&self) -> bool {
        self.round_is_open()
            && u32::try_from(self.round.number)
                .map(|n| self.study.file.rounds.suggestions_in.contains(&n))
                .unwrap_or(false)
    }
}

#[derive(Debug)]
pub enum Resolved {
    Found(Box<ExpertSession>),
    /// Malformed, unknown, revoked or erased: the caller shows the same 404 for all of them,
    /// so a link's state leaks nothing.
    Unknown,
}

/// What a link token opens. The shape is checked before any database work.
pub fn resolve(conn: &mut DbConnection, link_token: &str) -> Result<Resolved, ServiceError> {
    if !token::is_well_formed(link_token) {
        return Ok(Resolved::Unknown);
    }
    let Some(invitation) = Invitation::by_token_hash(conn, &token::hash(link_token))? else {
        return Ok(Resolved::Unknown);
    };
    if invitation.revoked_at.is_some() {
        return Ok(Resolved::Unknown);
    }
    let Some(expert) = Expert::by_id(conn, invitation.expert_id)? else {
        return Ok(Resolved::Unknown);
    };
    if expert.erased_at.is_some() {
        return Ok(Resolved::Unknown);
    }
    let Some(round) = Round::by_id(conn, invitation.round_id)? else {
        return Ok(Resolved::Unknown);
    };
    let slug = Study::by_id(conn, round.study_id)?.slug;
    let study = load(conn, &slug)?;
    let lang = language_for(expert.language.as_deref(), &study.study.language);
    Ok(Resolved::Found(Box::new(ExpertSession {
        invitation,
        expert,
        round,
        study,
        lang,
    })))
}

/// The catalogue language for an expert: theirs when supported, else the study's, else English.
pub fn language_for(expert: Option<&str>, study: &str) -> &'static str {
    let supported = |tag: &str| {
        let primary = primary_tag(tag);
        i18n::languages().into_iter().find(|l| *l == primary)
    };
    expert
        .and_then(supported)
        .or_else(|| supported(study))
        .unwrap_or(i18n::FALLBACK)
}

/// `fr` of `fr-CA`, lowercase.
fn primary_tag(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// Records the first visit (the facilitator's "opened" column); later visits change nothing.
pub fn mark_opened(conn: &mut DbConnection, invitation_id: i64) -> Result<(), ServiceError> {
    Invitation::mark_opened(conn, invitation_id, now())?;
    Ok(())
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Progress {
    pub answered: usize,
    pub total: usize,
}

/// Items with a score or "unable to score", out of the items of the round.
pub fn progress(conn: &mut DbConnection, invitation: &Invitation) -> Result<Progress, ServiceError> {
    let total = Round::items(conn, invitation.round_id)?.len();
    let answered = Rating::of_expert(conn, invitation.round_id, invitation.expert_id)?
        .iter()
        .filter(|r| r.score.is_some() || r.unable)
        .count();
    Ok(Progress { answered, total })
}

/// One item's answer as a form posts it: the raw score field (`""`, `"U"` or a number).
#[derive(Debug, Clone, Default)]
pub struct PostedAnswer {
    pub code: String,
    pub score: String,
    pub comment: String,
    pub reason: String,
}

impl PostedAnswer {
    fn is_empty(&self) -> bool {
        self.score.trim().is_empty() && self.comment.trim().is_empty() && self.reason.trim().is_empty()
    }
}

/// Reads the score field; the scale check itself is `ratings::record`'s.
fn parse_answer(code: &str, raw: &str) -> Result<Answer, ServiceError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(Answer::Blank);
    }
    if raw.eq_ignore_ascii_case("u") {
        return Ok(Answer::Unable);
    }
    raw.parse::<i32>()
        .map(Answer::Score)
        .map_err(|_| ServiceError::invalid(code, format!("{code}: `{raw}` is not a score")))
}

fn to_input(posted: &PostedAnswer) -> Result<AnswerInput, ServiceError> {
    for (field, text) in [("comment", &posted.comment), ("reason", &posted.reason)] {
        if text.chars().count() > MAX_TEXT {
            return Err(ServiceError::invalid(
                &posted.code,
                format!(
                    "{}: the {field} is longer than {MAX_TEXT} characters",
                    posted.code
                ),
            ));
        }
    }
    Ok(AnswerInput {
        item_code: posted.code.clone(),
        answer: parse_answer(&posted.code, &posted.score)?,
        comment: Some(posted.comment.clone()),
        reason: Some(posted.reason.clone()),
    })
}

/// Names the item in a refusal so the page can point at it.
fn naming(code: &str, e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Invalid { field, reason } if field == code => ServiceError::Invalid { field, reason },
        ServiceError::Invalid { reason, .. } => ServiceError::Invalid {
            field: code.to_string(),
            reason: format!("{code}: {reason}"),
        },
        other => other,
    }
}

/// Saves the whole form (the page without JavaScript) in one transaction: one bad answer
/// refuses the post, names its item, and saves nothing. Items left blank are skipped rather
/// than cleared, because a radio button cannot be unticked: a blank means "not answered in
/// this form", and must not erase an answer autosaved from another device meanwhile.
pub fn save_all(
    conn: &mut DbConnection,
    session: &ExpertSession,
    posted: &[PostedAnswer],
) -> Result<Progress, ServiceError> {
    let invitation_id = session.invitation.id;
    write_transaction(conn, |conn| {
        let codes = round_codes(conn, session.round.id)?;
        for answer in posted.iter().filter(|p| !p.is_empty()) {
            precheck(session, &codes, answer)?;
            let input = to_input(answer)?;
            record_in(conn, invitation_id, &input, Some(&session.study.scale))
                .map_err(|e| naming(&answer.code, e))?;
        }
        let invitation = Invitation::by_id(conn, invitation_id)?
            .ok_or_else(|| ServiceError::NotFound("this invitation does not exist".into()))?;
        progress(conn, &invitation)
    })
}

/// Saves one answer (autosave). A blank score with no comment clears the answer.
pub fn save_one(
    conn: &mut DbConnection,
    session: &ExpertSession,
    posted: &PostedAnswer,
) -> Result<Progress, ServiceError> {
    // One answer: ask whether its item is in the round rather than listing every item.
    let in_round = Round::item_by_code(conn, session.round.id, &posted.code)?.is_some();
    let codes: HashSet<String> = if in_round {
        HashSet::from([posted.code.clone()])
    } else {
        HashSet::new()
    };
    precheck(session, &codes, posted)?;
    let input = to_input(posted)?;
    let invitation_id = session.invitation.id;
    write_transaction(conn, |conn| {
        record_in(conn, invitation_id, &input, Some(&session.study.scale))
    })
    .map_err(|e| naming(&posted.code, e))?;
    progress(conn, &session.invitation)
}

fn round_codes(conn: &mut DbConnection, round_id: i64) -> Result<HashSet<String>, ServiceError> {
    let ids: HashSet<i64> = Round::items(conn, round_id)?
        .into_iter()
        .map(|ri| ri.item_id)
        .collect();
    let study_id = Round::by_id(conn, round_id)?
        .map(|r| r.study_id)
        .unwrap_or_default();
    Ok(Item::of_study(conn, study_id)?
        .into_iter()
        .filter(|i| ids.contains(&i.id))
        .map(|i| i.code)
        .collect())
}

/// Refuses, in the expert's own language, what `ratings::record` would refuse in English. That
/// function stays the authority (a race with a close is still caught there); this only makes
/// the common mistakes readable for an expert answering in French.
fn precheck(session: &ExpertSession, codes: &HashSet<String>, p: &PostedAnswer) -> Result<(), ServiceError> {
    let lang = session.lang;
    let scale = &session.study.scale;
    let refuse = |key: &str, args: &[(&str, FluentValue<'_>)]| {
        ServiceError::invalid(
            &p.code,
            format!("{}: {}", p.code, i18n::translate(lang, key, args)),
        )
    };
    if !codes.contains(&p.code) {
        return Err(refuse("expert-error-not-in-round", &[]));
    }
    if p.comment.chars().count() > MAX_TEXT || p.reason.chars().count() > MAX_TEXT {
        return Err(refuse(
            "expert-error-too-long",
            &[("max", (MAX_TEXT as f64).into())],
        ));
    }
    match parse_answer(&p.code, &p.score) {
        Err(_) => Err(refuse(
            "expert-error-not-a-score",
            &[("value", p.score.trim().to_string().into())],
        )),
        Ok(Answer::Score(score)) if !scale.contains(score) => Err(refuse(
            "expert-error-off-scale",
            &[
                ("score", score.into()),
                ("min", scale.min().into()),
                ("max", scale.max().into()),
            ],
        )),
        Ok(Answer::Unable) if !scale.unable_to_score() => Err(refuse("expert-error-no-unable", &[])),
        _ => Ok(()),
    }
}

/// Marks the invitation submitted and queues the thank-you, in one transaction. Answers stay
/// editable until the round closes; submitting again confirms again.
pub fn submit(conn: &mut DbConnection, invitation_id: i64) -> Result<(), ServiceError> {
    write_transaction(conn, |conn| {
        let invitation = Invitation::by_id(conn, invitation_id)?
            .ok_or_else(|| ServiceError::NotFound("this invitation does not exist".into()))?;
        let round = Round::lock(conn, invitation.round_id, false)?;
        if round.status != "open" {
            return Err(ServiceError::Conflict(format!(
                "round {} is closed; answers can no longer be submitted",
                round.number
            )));
        }
        Invitation::mark_submitted(conn, invitation.id, now())?;
        notify::thank_you(conn, invitation.id)?;
        Ok(())
    })
}

/// Stores a proposed item for the facilitator's triage (status `pending`).
pub fn suggest(
    conn: &mut DbConnection,
    session: &ExpertSession,
    text: &str,
    rationale: &str,
    section_key: &str,
) -> Result<(), ServiceError> {
    let text = text.trim();
    let rationale = rationale.trim();
    if text.is_empty() {
        return Err(ServiceError::invalid("text", "write the item you suggest"));
    }
    if text.chars().count() > MAX_TEXT || rationale.chars().count() > MAX_TEXT {
        return Err(ServiceError::invalid(
            "text",
            format!("a suggestion is limited to {MAX_TEXT} characters"),
        ));
    }
    write_transaction(conn, |conn| {
        let round = Round::lock(conn, session.round.id, false)?;
        let number = u32::try_from(round.number).unwrap_or(0);
        if round.status != "open" || !session.study.file.rounds.suggestions_in.contains(&number) {
            return Err(ServiceError::Conflict(format!(
                "suggestions are not collected in round {}",
                round.number
            )));
        }
        let section_id = Section::of_study(conn, session.study.id())?
            .into_iter()
            .find(|s| s.key == section_key)
            .map(|s| s.id);
        Suggestion::insert(
            conn,
            &NewSuggestion {
                study_id: session.study.id(),
                round_id: round.id,
                expert_id: Some(session.expert.id),
                section_id,
                text: text.to_string(),
                rationale: (!rationale.is_empty()).then(|| rationale.to_string()),
                status: "pending".into(),
                created_at: now(),
            },
        )?;
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// View models

#[derive(Debug, Clone, Serialize)]
pub struct FormView {
    pub study_title: String,
    pub intro_html: String,
    pub round: i32,
    pub deadline: Option<String>,
    pub sections: Vec<SectionView>,
    pub progress: Progress,
    pub submitted: bool,
    pub feedback: bool,
    pub min_group_feedback: u32,
    pub reason_on_band_change: bool,
    pub suggestions: bool,
    pub section_choices: Vec<Choice>,
    /// `from-to` of each band, comma separated: the script's band arithmetic.
    pub bands: String,
    pub unanswered: Vec<ItemRef>,
    pub error: Option<ItemRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub key: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemRef {
    pub code: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub title: String,
    pub items: Vec<ItemView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub code: String,
    pub text: String,
    /// Set when the text falls back to a language other than the page's (the `lang` attribute).
    pub text_lang: Option<String>,
    pub description_html: Option<String>,
    pub options: Vec<OptionView>,
    pub unable_enabled: bool,
    pub unable: bool,
    pub comment: String,
    pub reason: String,
    pub show_reason: bool,
    /// Index of the band of the expert's previous score, as text (templates treat 0 as false).
    pub prev_band: Option<String>,
    pub answered: bool,
    pub feedback: Option<FeedbackView>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OptionView {
    pub value: i32,
    pub label: Option<String>,
    pub checked: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeedbackView {
    pub chart: String,
    pub summary: String,
    pub own: Option<String>,
    pub groups: Vec<GroupView>,
    pub groups_hidden: bool,
    pub comments: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub name: String,
    pub responders: i32,
    pub distribution: String,
}

/// What the previous (closed) round left for this expert: the panel's frozen results, shared
/// by everyone, plus the expert's own answers.
struct Previous {
    number: i32,
    shared: Arc<FrozenFeedback>,
    own: HashMap<i64, Rating>,
}

/// The part of a closed round's feedback that is the same for every expert. A closed round's
/// answers and results never change, so each process reads them once: without this, every
/// page view of a 60-item round re-read every rating of the previous round for its comments.
#[derive(Default)]
struct FrozenFeedback {
    pooled: HashMap<i64, Vec<u64>>,
    groups: HashMap<i64, Vec<(String, i32, Vec<u64>)>>,
    comments: HashMap<i64, Vec<String>>,
}

/// Frozen feedback by round id, for one database: the server keeps one in its state (a
/// process-wide cache would mix up databases that number their rounds alike).
#[derive(Default)]
pub struct FeedbackCache(Mutex<HashMap<i64, Arc<FrozenFeedback>>>);

fn frozen_feedback(
    conn: &mut DbConnection,
    cache: &FeedbackCache,
    round_id: i64,
) -> Result<Arc<FrozenFeedback>, ServiceError> {
    if let Some(found) = cache
        .0
        .lock()
        .ok()
        .and_then(|cache| cache.get(&round_id).cloned())
    {
        return Ok(found);
    }
    let mut frozen = FrozenFeedback::default();
    for row in ResultRow::of_round(conn, round_id)?
        .into_iter()
        .filter(|r| r.rule == PRIMARY)
    {
        let counts: Vec<u64> = serde_json::from_str(&row.counts).unwrap_or_default();
        if row.group_key.is_empty() {
            frozen.pooled.insert(row.item_id, counts);
        } else {
            frozen
                .groups
                .entry(row.item_id)
                .or_default()
                .push((row.group_key, row.responded, counts));
        }
    }
    for rating in Rating::of_round(conn, round_id)? {
        if let Some(comment) = rating.comment {
            frozen.comments.entry(rating.item_id).or_default().push(comment);
        }
    }
    // Alphabetical order says nothing about who wrote what (storage order would follow the
    // experts' ids, i.e. the panel file).
    for comments in frozen.comments.values_mut() {
        comments.sort();
        comments.dedup();
    }
    let frozen = Arc::new(frozen);
    if let Ok(mut cache) = cache.0.lock() {
        // Rounds close a handful of times in a study's life; a bound keeps a long-running
        // server with many studies from growing without limit.
        if cache.len() > 256 {
            cache.clear();
        }
        cache.insert(round_id, Arc::clone(&frozen));
    }
    Ok(frozen)
}

fn previous_round(
    conn: &mut DbConnection,
    cache: &FeedbackCache,
    session: &ExpertSession,
) -> Result<Option<Previous>, ServiceError> {
    if session.round.number < 2 {
        return Ok(None);
    }
    let Some(prev) = Round::by_number(conn, session.study.id(), session.round.number - 1)? else {
        return Ok(None);
    };
    if prev.status != "closed" {
        return Ok(None);
    }
    Ok(Some(Previous {
        number: prev.number,
        shared: frozen_feedback(conn, cache, prev.id)?,
        own: Rating::of_expert(conn, prev.id, session.expert.id)?
            .into_iter()
            .map(|r| (r.item_id, r))
            .collect(),
    }))
}

/// The form of one expert, with their saved answers, or — after a refused post — with what
/// they posted and the error next to its item.
pub fn form(
    conn: &mut DbConnection,
    cache: &FeedbackCache,
    session: &ExpertSession,
    posted: Option<&[PostedAnswer]>,
    error: Option<(&str, &str)>,
) -> Result<FormView, ServiceError> {
    let lang = session.lang;
    let study = &session.study;
    let scale = &study.scale;
    let settings = &study.file.rounds;
    let round_items = Round::items(conn, session.round.id)?;
    let items: HashMap<i64, Item> = Item::of_study(conn, study.id())?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let study_lang = language_for(None, &study.study.language);
    let translations: HashMap<i64, (String, Option<String>)> = if study_lang == lang {
        HashMap::new()
    } else {
        Item::translations_of_study(conn, study.id())?
            .into_iter()
            .filter(|t| primary_tag(&t.language) == lang)
            .map(|t| (t.item_id, (t.text, t.description)))
            .collect()
    };
    let sections = Section::of_study(conn, study.id())?;
    let group_names: HashMap<String, (i32, String)> = Group::of_study(conn, study.id())?
        .into_iter()
        .map(|g| (g.key, (g.position, g.name)))
        .collect();
    let saved: HashMap<i64, Rating> = Rating::of_expert(conn, session.round.id, session.expert.id)?
        .into_iter()
        .map(|r| (r.item_id, r))
        .collect();
    let posted: HashMap<&str, &PostedAnswer> = posted
        .unwrap_or_default()
        .iter()
        .map(|p| (p.code.as_str(), p))
        .collect();
    let previous = previous_round(conn, cache, session)?;

    let mut by_section: BTreeMap<(i32, i64), Vec<ItemView>> = BTreeMap::new();
    let section_order: HashMap<i64, (i32, i64)> =
        sections.iter().map(|s| (s.id, (s.position, s.id))).collect();
    let mut progress = Progress {
        answered: 0,
        total: round_items.len(),
    };
    let mut unanswered = Vec::new();
    let mut error_ref = None;
    for ri in &round_items {
        let Some(item) = items.get(&ri.item_id) else {
            continue;
        };
        let (text, description, text_lang) = match translations.get(&item.id) {
            Some((text, description)) => (text.clone(), description.clone(), None),
            None => (
                item.text.clone(),
                item.description.clone(),
                (study_lang != lang).then(|| study.study.language.clone()),
            ),
        };
        // Current state: what was posted (after a refusal), else what is saved.
        let (score, unable, comment, reason) = match posted.get(item.code.as_str()) {
            Some(p) => {
                let answer = parse_answer(&item.code, &p.score).unwrap_or(Answer::Blank);
                let (score, unable) = match answer {
                    Answer::Score(s) => (Some(s), false),
                    Answer::Unable => (None, true),
                    Answer::Blank => (None, false),
                };
                (score, unable, p.comment.clone(), p.reason.clone())
            }
            None => match saved.get(&item.id) {
                Some(r) => (
                    r.score,
                    r.unable,
                    r.comment.clone().unwrap_or_default(),
                    r.reason.clone().unwrap_or_default(),
                ),
                None => (None, false, String::new(), String::new()),
            },
        };
        let answered = score.is_some() || unable;
        if answered {
            progress.answered += 1;
        } else {
            unanswered.push(ItemRef {
                code: item.code.clone(),
                text: text.clone(),
            });
        }
        let item_error = match error {
            Some((code, message)) if code == item.code => {
                error_ref = Some(ItemRef {
                    code: item.code.clone(),
                    text: message.to_string(),
                });
                Some(message.to_string())
            }
            _ => None,
        };
        let own_prev = previous
            .as_ref()
            .and_then(|p| p.own.get(&item.id))
            .and_then(|r| r.score);
        let feedback = previous
            .as_ref()
            .and_then(|p| feedback_for(session, p, item.id, own_prev, &group_names));
        let options = scale
            .points()
            .map(|v| OptionView {
                value: v,
                label: scale.label(v).map(str::to_string),
                checked: score == Some(v),
            })
            .collect();
        let view = ItemView {
            code: item.code.clone(),
            text,
            text_lang,
            description_html: description.as_deref().map(markdown),
            options,
            unable_enabled: scale.unable_to_score(),
            unable,
            comment,
            reason,
            show_reason: settings.reason_on_band_change && own_prev.is_some(),
            prev_band: own_prev.and_then(|s| scale.band_of(s)).map(|b| b.to_string()),
            answered,
            feedback,
            error: item_error,
        };
        let key = section_order
            .get(&item.section_id)
            .copied()
            .unwrap_or((i32::MAX, item.section_id));
        by_section.entry(key).or_default().push(view);
    }
    let titles: HashMap<i64, String> = sections.iter().map(|s| (s.id, s.title.clone())).collect();
    let section_views = by_section
        .into_iter()
        .map(|((_, id), items)| SectionView {
            title: titles.get(&id).cloned().unwrap_or_default(),
            items,
        })
        .collect();
    // An error about an item not on the page (a forged code) is still shown in the summary.
    if error_ref.is_none() {
        if let Some((code, message)) = error {
            error_ref = Some(ItemRef {
                code: code.to_string(),
                text: message.to_string(),
            });
        }
    }
    Ok(FormView {
        study_title: study.study.title.clone(),
        intro_html: markdown(&study.study.description),
        round: session.round.number,
        deadline: session
            .round
            .deadline
            .map(|d| super::rounds::local_time(study, d)),
        sections: section_views,
        progress,
        submitted: session.invitation.submitted_at.is_some(),
        feedback: previous.is_some(),
        min_group_feedback: settings.min_group_feedback,
        reason_on_band_change: settings.reason_on_band_change,
        suggestions: session.suggestions_allowed(),
        section_choices: sections
            .iter()
            .map(|s| Choice {
                key: s.key.clone(),
                title: s.title.clone(),
            })
            .collect(),
        bands: scale
            .bands()
            .iter()
            .map(|b| format!("{}-{}", b.from, b.to))
            .collect::<Vec<_>>()
            .join(","),
        unanswered,
        error: error_ref,
    })
}

fn feedback_for(
    session: &ExpertSession,
    prev: &Previous,
    item_id: i64,
    own_prev: Option<i32>,
    group_names: &HashMap<String, (i32, String)>,
) -> Option<FeedbackView> {
    let lang = session.lang;
    let scale = &session.study.scale;
    let pooled = prev.shared.pooled.get(&item_id)?;
    let summary = summary_text(lang, prev.number, scale, pooled);
    let chart = svg::histogram(&svg::Histogram {
        min: scale.min(),
        counts: pooled,
        bands: scale.bands(),
        highlight: own_prev,
        label: &summary,
    });
    let own = prev.own.get(&item_id).map(|r| match r.score {
        Some(score) => score.to_string(),
        None if r.unable => i18n::translate(lang, "expert-unable", &[]),
        None => "–".to_string(),
    });
    let min_group = i32::try_from(session.study.file.rounds.min_group_feedback).unwrap_or(i32::MAX);
    let mut groups = Vec::new();
    let mut groups_hidden = false;
    // In the study file's order of groups, not the storage order of their keys.
    let mut rows: Vec<&(String, i32, Vec<u64>)> = prev
        .shared
        .groups
        .get(&item_id)
        .map(|g| g.iter().collect())
        .unwrap_or_default();
    rows.sort_by_key(|(key, _, _)| group_names.get(key).map(|(p, _)| *p).unwrap_or(i32::MAX));
    for (key, responders, counts) in rows {
        if *responders == 0 {
            continue;
        }
        // Small groups are hidden: with two responders, one of them could work out the other's
        // score from their own.
        if *responders < min_group {
            groups_hidden = true;
            continue;
        }
        groups.push(GroupView {
            name: group_names
                .get(key)
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| key.clone()),
            responders: *responders,
            distribution: distribution_text(scale, counts),
        });
    }
    Some(FeedbackView {
        chart,
        summary,
        own,
        groups,
        groups_hidden,
        comments: prev.shared.comments.get(&item_id).cloned().unwrap_or_default(),
    })
}

/// "Round 1: 12 of 20 rated 7–9", about the top band.
fn summary_text(lang: &str, round: i32, scale: &crate::domain::scale::Scale, counts: &[u64]) -> String {
    match scale.bands().last() {
        Some(band) => {
            let (inside, total) = svg::in_band(scale.min(), counts, band);
            i18n::translate(
                lang,
                "expert-chart-summary",
                &[
                    ("round", round.into()),
                    ("count", (inside as f64).into()),
                    ("total", (total as f64).into()),
                    ("range", format!("{}–{}", band.from, band.to).into()),
                ],
            )
        }
        None => i18n::translate(
            lang,
            "expert-chart-summary-plain",
            &[
                ("round", round.into()),
                ("total", (counts.iter().sum::<u64>() as f64).into()),
            ],
        ),
    }
}

/// Counts per band ("1–3: 1 · 4–6: 2 · 7–9: 3"), or per point when the scale has no bands.
fn distribution_text(scale: &crate::domain::scale::Scale, counts: &[u64]) -> String {
    if scale.bands().is_empty() {
        return counts
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{}: {c}", scale.min() + i as i32))
            .collect::<Vec<_>>()
            .join(" · ");
    }
    scale
        .bands()
        .iter()
        .map(|band| {
            let (inside, _) = svg::in_band(scale.min(), counts, band);
            format!("{}–{}: {inside}", band.from, band.to)
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The little Markdown study texts use — paragraphs, line breaks, `**strong**`, `*emphasis*` —
/// with everything else escaped: a study file can never inject markup into an expert's page.
pub fn markdown(text: &str) -> String {
    let mut out = String::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        out.push_str("<p>");
        let lines: Vec<&str> = paragraph.lines().map(str::trim).collect();
        out.push_str(&inline(&lines.join("\n")).replace('\n', "<br>"));
        out.push_str("</p>");
    }
    out
}

fn inline(text: &str) -> String {
    let escaped = handlebars::html_escape(text);
    let strong = emphasis(&escaped, "**", "strong");
    emphasis(&strong, "*", "em")
}

/// Replaces balanced `marker`…`marker` pairs; an unpaired marker stays as text.
fn emphasis(text: &str, marker: &str, tag: &str) -> String {
    let parts: Vec<&str> = text.split(marker).collect();
    if parts.len() < 3 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let pairs = (parts.len() - 1) / 2;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            let opening = i % 2 == 1;
            if i.div_ceil(2) <= pairs {
                out.push_str(if opening { "<" } else { "</" });
                out.push_str(tag);
                out.push('>');
            } else {
                out.push_str(marker);
            }
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_small_and_safe() {
        assert_eq!(
            markdown("Hello **world** and *you*.\n\n<script>x</script>"),
            "<p>Hello <strong>world</strong> and <em>you</em>.</p><p>&lt;script&gt;x&lt;/script&gt;</p>"
        );
        assert_eq!(markdown("a * b"), "<p>a * b</p>");
        assert_eq!(markdown("line\none"), "<p>line<br>one</p>");
    }

    #[test]
    fn languages_fall_back_to_the_study_then_english() {
        assert_eq!(language_for(Some("fr"), "en"), "fr");
        assert_eq!(language_for(Some("fr-CA"), "en"), "fr");
        assert_eq!(language_for(Some("sw"), "fr"), "fr");
        assert_eq!(language_for(None, "de"), "en");
    }

    #[test]
    fn answers_parse() {
        assert!(matches!(parse_answer("M01", " 7 "), Ok(Answer::Score(7))));
        assert!(matches!(parse_answer("M01", "u"), Ok(Answer::Unable)));
        assert!(matches!(parse_answer("M01", ""), Ok(Answer::Blank)));
        match parse_answer("M01", "seven") {
            Err(ServiceError::Invalid { field, reason }) => {
                assert_eq!(field, "M01");
                assert!(reason.contains("M01"));
            }
            other => panic!("{other:?}"),
        }
    }
}
