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
use super::studies::LoadedStudy;
use super::{notify, ServiceError};
use crate::db::models::experts::Expert;
use crate::db::models::invitations::Invitation;
use crate::db::models::items::Item;
use crate::db::models::ratings::{Answer as SavedAnswer, Rating};
use crate::db::models::results::ResultRow;
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Group, Section, Study};
use crate::db::models::suggestions::{NewSuggestion, Suggestion};
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::answer::Answer;
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
    /// Shared with every other session of the study (ExpertCache).
    pub study: Arc<LoadedStudy>,
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
pub fn resolve(
    conn: &mut DbConnection,
    cache: &ExpertCache,
    link_token: &str,
) -> Result<Resolved, ServiceError> {
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
    let stamp = Study::stamp(conn, round.study_id)?;
    let study = cache.study(conn, round.study_id, stamp)?;
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
    let total = Round::item_count(conn, invitation.round_id)?;
    let answered = Rating::answered_count(conn, invitation.round_id, invitation.expert_id)?;
    Ok(Progress {
        answered: usize::try_from(answered).unwrap_or(0),
        total: usize::try_from(total).unwrap_or(0),
    })
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
    /// Rendered by web::expert::items, never serialised into a template context.
    #[serde(skip)]
    pub sections: Vec<SectionView>,
    /// The page's shared parts (scale options, words), for the item renderer.
    #[serde(skip)]
    pub content: Arc<RoundContent>,
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

#[derive(Debug, Clone)]
pub struct SectionView {
    pub title: String,
    pub items: Vec<ItemView>,
}

/// One item as one expert sees it: the shared text plus their own answer.
#[derive(Debug, Clone)]
pub struct ItemView {
    pub content: Arc<ItemContent>,
    pub score: Option<i32>,
    pub unable: bool,
    pub comment: String,
    pub reason: String,
    pub show_reason: bool,
    /// Index of the band of the expert's previous score.
    pub prev_band: Option<usize>,
    pub answered: bool,
    pub feedback: Option<Arc<ItemFeedback>>,
    pub error: Option<String>,
}

/// An item's text in the page's language, already escaped for HTML.
#[derive(Debug)]
pub struct ItemContent {
    pub id: i64,
    pub code: String,
    /// Unescaped, for the review page's list of unanswered items (the template escapes).
    pub text: String,
    pub code_html: String,
    pub text_html: String,
    /// Set when the text falls back to a language other than the page's (the `lang` attribute).
    pub text_lang: Option<String>,
    pub description_html: Option<String>,
}

/// One point of the scale as the radio buttons show it.
#[derive(Debug)]
pub struct ScaleOption {
    pub value: i32,
    pub label_html: Option<String>,
}

/// Words every item repeats, translated and escaped for HTML once per page language.
#[derive(Debug)]
pub struct ItemWords {
    pub error_prefix: String,
    pub comments: String,
    pub unable: String,
    pub comment: String,
    pub reason: String,
}

/// Last round's feedback on one item as one expert sees it (the chart highlights their own
/// score), already rendered: every expert with the same previous answer shares it.
#[derive(Debug)]
pub struct ItemFeedback {
    pub chart: String,
    pub summary: String,
    pub own: Option<String>,
    pub groups: Vec<GroupView>,
    pub groups_hidden: bool,
    pub comments: Vec<String>,
    /// The block as HTML, written by the web layer the first time it shows it and reused for
    /// every later page with this feedback.
    pub html: std::sync::OnceLock<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub name: String,
    pub responders: i32,
    pub distribution: String,
}

/// What an expert answered last round to one item, as far as the feedback shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum PreviousAnswer {
    None,
    Score(i32),
    Unable,
    Blank,
}

impl PreviousAnswer {
    fn of(rating: Option<&SavedAnswer>) -> Self {
        match rating {
            None => Self::None,
            Some(r) => match r.score {
                Some(score) => Self::Score(score),
                None if r.unable => Self::Unable,
                None => Self::Blank,
            },
        }
    }

    fn score(self) -> Option<i32> {
        match self {
            Self::Score(score) => Some(score),
            _ => None,
        }
    }
}

/// The part of a closed round's feedback that is the same for every expert. A closed round's
/// answers and results never change, so each process reads them once: without this, every
/// page view of a 60-item round re-read every rating of the previous round for its comments.
#[derive(Debug, Default)]
struct FrozenFeedback {
    pooled: HashMap<i64, Vec<u64>>,
    groups: HashMap<i64, Vec<(String, i32, Vec<u64>)>>,
    comments: HashMap<i64, Vec<String>>,
}

/// Everything of an open round's page that is the same for every expert reading it in one
/// language: texts, sections, scale, translated words, and last round's feedback.
#[derive(Debug)]
pub struct RoundContent {
    /// The study's `updated_at` this was built from (see `Study::stamp`).
    stamp: chrono::NaiveDateTime,
    lang: &'static str,
    intro_html: String,
    sections: Vec<(String, Vec<Arc<ItemContent>>)>,
    section_choices: Vec<Choice>,
    bands: String,
    group_names: HashMap<String, (i32, String)>,
    pub options: Vec<ScaleOption>,
    pub unable_enabled: bool,
    pub words: ItemWords,
    previous: Option<(i64, i32, Arc<FrozenFeedback>)>,
    feedback: Mutex<HashMap<(i64, PreviousAnswer), Arc<ItemFeedback>>>,
}

/// The expert pages' caches, one per server (each holds rows of one database).
///
/// Building a 60-item round-2 page from the database took milliseconds: every item's text,
/// translation, description and SVG chart rebuilt on every view. Entries are keyed by what
/// makes them stale — a study's `updated_at` stamp, which every change to what its pages
/// show updates, or a closed round, which never changes — so every instance of a scaled-out
/// server notices a change on its next request, without any message between them.
#[derive(Default)]
pub struct ExpertCache {
    studies: Mutex<HashMap<i64, Arc<LoadedStudy>>>,
    frozen: Mutex<HashMap<i64, Arc<FrozenFeedback>>>,
    pages: Mutex<HashMap<(i64, &'static str), Arc<RoundContent>>>,
}

/// Entries per map: a long-running server with many studies must not grow without limit,
/// and rebuilding an entry costs one page view a few milliseconds.
const CACHE_ENTRIES: usize = 256;

fn cached<K: std::hash::Hash + Eq, V>(map: &Mutex<HashMap<K, Arc<V>>>, key: &K) -> Option<Arc<V>> {
    map.lock().ok().and_then(|m| m.get(key).cloned())
}

fn remember<K: std::hash::Hash + Eq, V>(map: &Mutex<HashMap<K, Arc<V>>>, key: K, value: &Arc<V>) {
    if let Ok(mut m) = map.lock() {
        if m.len() >= CACHE_ENTRIES {
            m.clear();
        }
        m.insert(key, Arc::clone(value));
    }
}

impl ExpertCache {
    /// The study as of `stamp`, parsed once per change.
    fn study(
        &self,
        conn: &mut DbConnection,
        study_id: i64,
        stamp: chrono::NaiveDateTime,
    ) -> Result<Arc<LoadedStudy>, ServiceError> {
        if let Some(found) = cached(&self.studies, &study_id).filter(|s| s.study.updated_at == stamp) {
            return Ok(found);
        }
        let study = Arc::new(super::studies::from_row(Study::by_id(conn, study_id)?)?);
        remember(&self.studies, study_id, &study);
        Ok(study)
    }

    fn frozen(&self, conn: &mut DbConnection, round_id: i64) -> Result<Arc<FrozenFeedback>, ServiceError> {
        if let Some(found) = cached(&self.frozen, &round_id) {
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
        remember(&self.frozen, round_id, &frozen);
        Ok(frozen)
    }

    /// The shared content of the session's round in the session's language.
    fn page(
        &self,
        conn: &mut DbConnection,
        session: &ExpertSession,
    ) -> Result<Arc<RoundContent>, ServiceError> {
        let key = (session.round.id, session.lang);
        let stamp = session.study.study.updated_at;
        if let Some(found) = cached(&self.pages, &key).filter(|p| p.stamp == stamp) {
            return Ok(found);
        }
        let content = Arc::new(self.build_page(conn, session)?);
        remember(&self.pages, key, &content);
        Ok(content)
    }

    fn build_page(
        &self,
        conn: &mut DbConnection,
        session: &ExpertSession,
    ) -> Result<RoundContent, ServiceError> {
        let lang = session.lang;
        let study = &session.study;
        let scale = &study.scale;
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
        let section_order: HashMap<i64, (i32, i64)> =
            sections.iter().map(|s| (s.id, (s.position, s.id))).collect();
        let mut by_section: BTreeMap<(i32, i64), Vec<Arc<ItemContent>>> = BTreeMap::new();
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
            let key = section_order
                .get(&item.section_id)
                .copied()
                .unwrap_or((i32::MAX, item.section_id));
            by_section.entry(key).or_default().push(Arc::new(ItemContent {
                id: item.id,
                code_html: esc(&item.code),
                code: item.code.clone(),
                text_html: esc(&text),
                text,
                text_lang,
                description_html: description.as_deref().map(markdown),
            }));
        }
        let titles: HashMap<i64, String> = sections.iter().map(|s| (s.id, s.title.clone())).collect();
        let previous = match session.round.number {
            n if n >= 2 => match Round::by_number(conn, study.id(), n - 1)? {
                Some(prev) if prev.status == "closed" => {
                    Some((prev.id, prev.number, self.frozen(conn, prev.id)?))
                }
                _ => None,
            },
            _ => None,
        };
        let words = |key: &str| esc(&i18n::translate(lang, key, &[]));
        Ok(RoundContent {
            stamp: study.study.updated_at,
            lang,
            intro_html: markdown(&study.study.description),
            sections: by_section
                .into_iter()
                .map(|((_, id), items)| (titles.get(&id).cloned().unwrap_or_default(), items))
                .collect(),
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
            group_names: Group::of_study(conn, study.id())?
                .into_iter()
                .map(|g| (g.key, (g.position, g.name)))
                .collect(),
            options: scale
                .points()
                .map(|value| ScaleOption {
                    value,
                    label_html: scale.label(value).map(esc),
                })
                .collect(),
            unable_enabled: scale.unable_to_score(),
            words: ItemWords {
                error_prefix: words("expert-error-prefix"),
                comments: words("expert-comments"),
                unable: words("expert-unable"),
                comment: words("expert-comment"),
                reason: words("expert-reason"),
            },
            previous,
            feedback: Mutex::default(),
        })
    }
}

fn esc(text: &str) -> String {
    handlebars::html_escape(text)
}

/// The form of one expert, with their saved answers, or — after a refused post — with what
/// they posted and the error next to its item.
pub fn form(
    conn: &mut DbConnection,
    cache: &ExpertCache,
    session: &ExpertSession,
    posted: Option<&[PostedAnswer]>,
    error: Option<(&str, &str)>,
) -> Result<FormView, ServiceError> {
    let study = &session.study;
    let scale = &study.scale;
    let settings = &study.file.rounds;
    let content = cache.page(conn, session)?;
    let saved: HashMap<i64, SavedAnswer> = SavedAnswer::of_expert(conn, session.round.id, session.expert.id)?
        .into_iter()
        .map(|r| (r.item_id, r))
        .collect();
    let previous_own: HashMap<i64, SavedAnswer> = match &content.previous {
        Some((prev_id, _, _)) => SavedAnswer::of_expert(conn, *prev_id, session.expert.id)?
            .into_iter()
            .map(|r| (r.item_id, r))
            .collect(),
        None => HashMap::new(),
    };
    let posted: HashMap<&str, &PostedAnswer> = posted
        .unwrap_or_default()
        .iter()
        .map(|p| (p.code.as_str(), p))
        .collect();

    let mut progress = Progress {
        answered: 0,
        total: 0,
    };
    let mut unanswered = Vec::new();
    let mut error_ref = None;
    let mut section_views = Vec::with_capacity(content.sections.len());
    for (title, items) in &content.sections {
        let mut views = Vec::with_capacity(items.len());
        for item in items {
            progress.total += 1;
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
                    text: item.text.clone(),
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
            let own_prev = PreviousAnswer::of(previous_own.get(&item.id));
            views.push(ItemView {
                content: Arc::clone(item),
                score,
                unable,
                comment,
                reason,
                show_reason: settings.reason_on_band_change && own_prev.score().is_some(),
                prev_band: own_prev.score().and_then(|s| scale.band_of(s)),
                answered,
                feedback: feedback_for(session, &content, item.id, own_prev),
                error: item_error,
            });
        }
        section_views.push(SectionView {
            title: title.clone(),
            items: views,
        });
    }
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
        intro_html: content.intro_html.clone(),
        round: session.round.number,
        deadline: session
            .round
            .deadline
            .map(|d| super::rounds::local_time(study, d)),
        sections: section_views,
        progress,
        submitted: session.invitation.submitted_at.is_some(),
        feedback: content.previous.is_some(),
        min_group_feedback: settings.min_group_feedback,
        reason_on_band_change: settings.reason_on_band_change,
        suggestions: session.suggestions_allowed(),
        section_choices: content.section_choices.clone(),
        bands: content.bands.clone(),
        unanswered,
        error: error_ref,
        content,
    })
}

/// Last round's feedback on one item for an expert whose previous answer was `own`, built
/// once per round, language, item and previous answer.
fn feedback_for(
    session: &ExpertSession,
    content: &RoundContent,
    item_id: i64,
    own: PreviousAnswer,
) -> Option<Arc<ItemFeedback>> {
    let (_, number, frozen) = content.previous.as_ref()?;
    let key = (item_id, own);
    if let Some(found) = content.feedback.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Some(found);
    }
    let lang = content.lang;
    let scale = &session.study.scale;
    let pooled = frozen.pooled.get(&item_id)?;
    let summary = summary_text(lang, *number, scale, pooled);
    let chart = svg::histogram(&svg::Histogram {
        min: scale.min(),
        counts: pooled,
        bands: scale.bands(),
        highlight: own.score(),
        label: &summary,
    });
    let own_text = match own {
        PreviousAnswer::None => None,
        PreviousAnswer::Score(score) => Some(score.to_string()),
        PreviousAnswer::Unable => Some(i18n::translate(lang, "expert-unable", &[])),
        PreviousAnswer::Blank => Some("–".to_string()),
    };
    let min_group = i32::try_from(session.study.file.rounds.min_group_feedback).unwrap_or(i32::MAX);
    let mut groups = Vec::new();
    let mut groups_hidden = false;
    // In the study file's order of groups, not the storage order of their keys.
    let mut rows: Vec<&(String, i32, Vec<u64>)> = frozen
        .groups
        .get(&item_id)
        .map(|g| g.iter().collect())
        .unwrap_or_default();
    let group_names = &content.group_names;
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
    let feedback = Arc::new(ItemFeedback {
        chart,
        summary,
        own: own_text.map(|own| i18n::translate(lang, "expert-your-previous", &[("score", own.into())])),
        groups,
        groups_hidden,
        comments: frozen.comments.get(&item_id).cloned().unwrap_or_default(),
        html: std::sync::OnceLock::new(),
    });
    if let Ok(mut m) = content.feedback.lock() {
        m.insert(key, Arc::clone(&feedback));
    }
    Some(feedback)
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
