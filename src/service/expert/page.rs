//! What an expert's page shows, as data: the round's items in the page's language by section,
//! the study's sections and groups, last round's feedback, and the expert's own answers.
//! Turning it into HTML is `web::expert`'s job.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDateTime;

use super::ExpertSession;
use crate::db::models::items::Item;
use crate::db::models::ratings::{Answer as SavedAnswer, Rating};
use crate::db::models::results::ResultRow;
use crate::db::models::rounds::Round;
use crate::db::models::studies::{Group, Section, StudyRow};
use crate::domain::answer::Answer;
use crate::domain::round::RoundState;
use crate::domain::rule::PRIMARY;
use crate::domain::study::Study;
use crate::service::cache::Recent;
use crate::service::studies;
use crate::service::{Connection, ServiceError};

/// The expert pages' data caches, one per server (each holds rows of one database).
///
/// Building a 60-item round-2 page read every rating of the previous round for its comments
/// and parsed the study's definition on every view. Entries are keyed by what makes them
/// stale — a study's `updated_at` stamp, which every change to what its pages show updates,
/// or a closed round, which never changes — so every instance of a scaled-out server notices
/// a change on its next request, without any message between them.
#[derive(Default, Debug)]
pub struct ExpertCache {
    studies: Recent<i64, Study>,
    frozen: Recent<i64, FrozenFeedback>,
    /// The links whose next autosave is one statement.
    pub saved_links: super::autosave::SavedLinks,
}

impl ExpertCache {
    /// The study as of `stamp`, parsed once per change.
    pub(super) fn study(
        &self,
        conn: &mut Connection,
        study_id: i64,
        stamp: NaiveDateTime,
    ) -> Result<Arc<Study>, ServiceError> {
        if let Some(found) = self.studies.get(&study_id).filter(|s| s.updated_at == stamp) {
            return Ok(found);
        }
        let study = Arc::new(studies::from_row(StudyRow::by_id(conn, study_id)?)?);
        self.studies.put(study_id, &study);
        Ok(study)
    }

    /// The feedback of a closed round, read once: its answers and results never change.
    pub(super) fn frozen(
        &self,
        conn: &mut Connection,
        round_id: i64,
    ) -> Result<Arc<FrozenFeedback>, ServiceError> {
        if let Some(found) = self.frozen.get(&round_id) {
            return Ok(found);
        }
        let mut frozen = FrozenFeedback::default();
        for row in ResultRow::of_round_with_criteria(conn, round_id)? {
            if !row.criterion.is_empty() {
                // A criterion has a row per rule that judges it, all counting the same answers:
                // the first one seen gives its counts.
                let on = (row.item_id, row.criterion.clone());
                if row.group_key.is_empty() {
                    frozen
                        .pooled_on
                        .entry(on)
                        .or_insert_with(|| serde_json::from_str(&row.counts).unwrap_or_default());
                } else {
                    let groups = frozen.groups_on.entry(on).or_default();
                    if !groups.iter().any(|(key, _, _)| *key == row.group_key) {
                        let counts = serde_json::from_str(&row.counts).unwrap_or_default();
                        groups.push((row.group_key, row.responded, counts));
                    }
                }
                continue;
            }
            if row.rule != PRIMARY {
                continue;
            }
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
            let answer = PreviousAnswer::from(answer_of(rating.score, rating.unable));
            // Each map has one owner until the feedback is shared: `make_mut` copies nothing.
            let (on_items, on_criteria) = frozen.answers.entry(rating.expert_id).or_default();
            if rating.criterion.is_empty() {
                Arc::make_mut(on_items).insert(rating.item_id, answer);
            } else {
                Arc::make_mut(on_criteria).insert((rating.item_id, rating.criterion), answer);
            }
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
        self.frozen.put(round_id, &frozen);
        Ok(frozen)
    }
}

/// The stakeholder groups' lines of an item's (or a criterion's) feedback: (group key,
/// responders, counts per scale point).
pub type GroupLines = Vec<(String, i32, Vec<u64>)>;

/// The part of a closed round's feedback that is the same for every expert.
#[derive(Debug, Default)]
pub struct FrozenFeedback {
    /// Counts per scale point of each item, the whole panel.
    pub pooled: HashMap<i64, Vec<u64>>,
    /// Per item: its groups' lines.
    pub groups: HashMap<i64, GroupLines>,
    /// Per item: the comments, anonymous and sorted.
    pub comments: HashMap<i64, Vec<String>>,
    /// In a study with criteria: counts per scale point of each (item, criterion), the whole
    /// panel.
    pub pooled_on: HashMap<(i64, String), Vec<u64>>,
    /// ... and per stakeholder group: (group key, responders, counts per scale point).
    pub groups_on: HashMap<(i64, String), GroupLines>,
    /// Each panel expert's own answers, by item and by (item, criterion): what their page of
    /// the next round recalls ("your score last round"), read here with the comments rather
    /// than by a statement on every page view.
    answers: HashMap<i64, PreviousAnswers>,
}

/// One expert's answers in a closed round, by item and by (item, criterion).
type PreviousAnswers = (
    Arc<HashMap<i64, PreviousAnswer>>,
    Arc<HashMap<(i64, String), PreviousAnswer>>,
);

/// The round before the one an expert answers, when it closed.
#[derive(Debug)]
pub struct PreviousRound {
    pub id: i64,
    pub number: i32,
    pub feedback: Arc<FrozenFeedback>,
    /// Made-up figures (the facilitator's preview of a round whose previous round has no
    /// results yet); never set on an expert's page.
    pub sample: bool,
}

/// `fr` of `fr-CA`, lowercase: a translation serves the page of its primary language.
pub(crate) fn primary_tag(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// One item in the page's language (or the study's, when it has no translation).
#[derive(Debug)]
pub struct ItemText {
    pub id: i64,
    pub code: String,
    pub text: String,
    pub description: Option<String>,
    /// The language of `text` when it is not the page's.
    pub text_lang: Option<String>,
    /// Evidence notes (citation, optional link): the item's background.
    pub evidence: Vec<(String, Option<String>)>,
}

/// Everything of an open round's page that is the same for every expert reading it in one
/// language.
#[derive(Debug)]
pub struct RoundData {
    /// The study's `updated_at` this was read at (see `StudyRow::stamp`).
    pub stamp: NaiveDateTime,
    /// Sections in order, each with its title and the round's items in it.
    pub sections: Vec<(String, Vec<ItemText>)>,
    /// Every section of the study, (key, title), for the suggestion form.
    pub section_choices: Vec<(String, String)>,
    /// Group key → (position, name).
    pub group_names: HashMap<String, (i32, String)>,
    pub previous: Option<PreviousRound>,
}

/// Reads the session's round as its page shows it.
pub fn round_data(
    conn: &mut Connection,
    cache: &ExpertCache,
    session: &ExpertSession,
) -> Result<RoundData, ServiceError> {
    // The current wording: a corrected typo reaches the open round's next page view.
    let asked: Vec<Asked> = Round::items(conn, session.round.id)?
        .into_iter()
        .map(|ri| Asked {
            item_id: ri.item_id,
            version: None,
        })
        .collect();
    let previous = match session.round.number {
        n if n >= 2 => match Round::by_number(conn, session.study.id, n - 1)? {
            Some(prev) if prev.status == RoundState::Closed => Some(PreviousRound {
                id: prev.id,
                number: prev.number,
                feedback: cache.frozen(conn, prev.id)?,
                sample: false,
            }),
            _ => None,
        },
        _ => None,
    };
    build_round_data(conn, &session.study, session.lang, &asked, previous)
}

/// One item a round asks, in the wording of `version` (a closed round, as it was asked), or in
/// its current wording (`None`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Asked {
    pub item_id: i64,
    pub version: Option<i32>,
}

/// A round's page data from its items in order, in `lang`, with the previous round's feedback.
pub(super) fn build_round_data(
    conn: &mut Connection,
    study: &Study,
    lang: &'static str,
    asked: &[Asked],
    previous: Option<PreviousRound>,
) -> Result<RoundData, ServiceError> {
    let mut items: HashMap<i64, Item> = Item::by_id_of_study(conn, study.id)?;
    // The study's own language, not the catalogue its pages would use: items of a study in a
    // language without a catalogue (Hebrew, Swahili) are still marked with their `lang` (and so
    // their direction) on a page in another.
    let study_lang = primary_tag(&study.language);
    let mut translations: HashMap<i64, (String, Option<String>)> = if study_lang == lang {
        HashMap::new()
    } else {
        Item::translations_of_study(conn, study.id)?
            .into_iter()
            .filter(|t| primary_tag(&t.language) == lang)
            .map(|t| (t.item_id, (t.text, t.description)))
            .collect()
    };
    // Evidence notes are the item's background: listed after its description.
    let mut evidence = crate::service::origins::evidence(conn, study.id)?;
    let sections = Section::of_study(conn, study.id)?;
    let section_order: HashMap<i64, (i32, i64)> =
        sections.iter().map(|s| (s.id, (s.position, s.id))).collect();
    let mut by_section: BTreeMap<(i32, i64), Vec<ItemText>> = BTreeMap::new();
    for ask in asked {
        let Some(mut item) = items.remove(&ask.item_id) else {
            continue;
        };
        // Translations follow the newest wording, so an earlier one is shown untranslated.
        let earlier = match ask.version {
            Some(version) if version != item.version => Item::text_at(conn, item.id, version)?,
            _ => None,
        };
        let translation = match earlier {
            Some(text) => {
                item.text = text;
                None
            }
            None => translations.remove(&item.id),
        };
        let key = section_order
            .get(&item.section_id)
            .copied()
            .unwrap_or((i32::MAX, item.section_id));
        let (text, description, text_lang) = match translation {
            Some((text, description)) => (text, description, None),
            None => (
                item.text,
                item.description,
                (study_lang != lang).then(|| study.language.clone()),
            ),
        };
        let notes: Vec<(String, Option<String>)> = evidence
            .remove(&item.id)
            .unwrap_or_default()
            .into_iter()
            .map(|note| (note.citation, note.link))
            .collect();
        by_section.entry(key).or_default().push(ItemText {
            id: item.id,
            code: item.code,
            text,
            description,
            text_lang,
            evidence: notes,
        });
    }
    // Section titles and group names in the page's language where the study translates them.
    let texts = study.file.texts_in(lang);
    let titles: HashMap<i64, String> = sections
        .iter()
        .map(|s| (s.id, texts.section(&s.key, &s.title).to_owned()))
        .collect();
    Ok(RoundData {
        stamp: study.updated_at,
        sections: by_section
            .into_iter()
            .map(|((_, id), items)| (titles.get(&id).cloned().unwrap_or_default(), items))
            .collect(),
        section_choices: sections
            .iter()
            .map(|s| (s.key.clone(), texts.section(&s.key, &s.title).to_owned()))
            .collect(),
        group_names: Group::of_study(conn, study.id)?
            .into_iter()
            .map(|g| {
                let name = texts.group(&g.key, &g.name).to_owned();
                (g.key, (g.position, name))
            })
            .collect(),
        previous,
    })
}

/// What an expert has saved for one item of the round.
#[derive(Debug, Clone)]
pub struct OwnAnswer {
    pub answer: Answer,
    pub comment: String,
    pub reason: String,
}

/// What an expert answered last round to one item, as far as the feedback shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PreviousAnswer {
    None,
    Score(i32),
    Unable,
    Blank,
}

impl From<Answer> for PreviousAnswer {
    fn from(answer: Answer) -> Self {
        match answer {
            Answer::Score(score) => Self::Score(score),
            Answer::Unable => Self::Unable,
            Answer::Blank => Self::Blank,
        }
    }
}

/// A stored rating's answer: a score, "unable to score", or a blank (a comment alone).
fn answer_of(score: Option<i32>, unable: bool) -> Answer {
    match (score, unable) {
        (Some(score), _) => Answer::Score(score),
        (None, true) => Answer::Unable,
        (None, false) => Answer::Blank,
    }
}

impl PreviousAnswer {
    pub fn score(self) -> Option<i32> {
        match self {
            Self::Score(score) => Some(score),
            _ => None,
        }
    }
}

/// The expert's answers by item id: this round's, and (when there is a previous round) the
/// previous round's.
#[derive(Debug, Default)]
pub struct OwnAnswers {
    pub now: HashMap<i64, OwnAnswer>,
    pub previous: Arc<HashMap<i64, PreviousAnswer>>,
    /// In a study with criteria: the same, per (item, criterion).
    pub now_on: HashMap<(i64, String), OwnAnswer>,
    pub previous_on: Arc<HashMap<(i64, String), PreviousAnswer>>,
    /// Items (and, with criteria, (item, criterion)) whose group feedback the expert's first
    /// answer of the round has revealed (`[feedback] timing = "after_rating"`).
    pub shown: HashSet<i64>,
    pub shown_on: HashSet<(i64, String)>,
}

pub fn own_answers(
    conn: &mut Connection,
    session: &ExpertSession,
    previous_round: Option<&PreviousRound>,
) -> Result<OwnAnswers, ServiceError> {
    // A panel expert's answers of the closed round are in its cached feedback; a test expert's
    // are not (it counts the panel only), so theirs are read.
    let (previous, previous_on) = match previous_round {
        Some(round) if !session.is_test => round
            .feedback
            .answers
            .get(&session.expert_id)
            .cloned()
            .unwrap_or_default(),
        Some(round) => previous_of(conn, session, round.id)?,
        None => PreviousAnswers::default(),
    };
    let saved = SavedAnswer::of_expert(conn, session.round.id, session.expert_id)?;
    let shown = saved
        .iter()
        .filter(|r| r.feedback_shown)
        .map(|r| r.item_id)
        .collect();
    let now = saved
        .into_iter()
        .map(|r| {
            let own = OwnAnswer {
                answer: answer_of(r.score, r.unable),
                comment: r.comment.unwrap_or_default(),
                reason: r.reason.unwrap_or_default(),
            };
            (r.item_id, own)
        })
        .collect();
    if session.study.file.criteria.is_empty() {
        return Ok(OwnAnswers {
            now,
            previous,
            shown,
            ..OwnAnswers::default()
        });
    }
    let saved_on = SavedAnswer::of_expert_on_criteria(conn, session.round.id, session.expert_id)?;
    let shown_on = saved_on
        .iter()
        .filter(|(_, r)| r.feedback_shown)
        .map(|(criterion, r)| (r.item_id, criterion.clone()))
        .collect();
    let now_on = saved_on
        .into_iter()
        .map(|(criterion, r)| {
            let own = OwnAnswer {
                answer: answer_of(r.score, r.unable),
                comment: r.comment.unwrap_or_default(),
                reason: r.reason.unwrap_or_default(),
            };
            ((r.item_id, criterion), own)
        })
        .collect();
    Ok(OwnAnswers {
        now,
        previous,
        now_on,
        previous_on,
        shown,
        shown_on,
    })
}

/// An expert's answers in the closed round `round_id`, read from the database.
fn previous_of(
    conn: &mut Connection,
    session: &ExpertSession,
    round_id: i64,
) -> Result<PreviousAnswers, ServiceError> {
    let on_items = SavedAnswer::of_expert(conn, round_id, session.expert_id)?
        .into_iter()
        .map(|r| (r.item_id, PreviousAnswer::from(answer_of(r.score, r.unable))))
        .collect();
    let on_criteria = if session.study.file.criteria.is_empty() {
        HashMap::new()
    } else {
        SavedAnswer::of_expert_on_criteria(conn, round_id, session.expert_id)?
            .into_iter()
            .map(|(criterion, r)| {
                (
                    (r.item_id, criterion),
                    PreviousAnswer::from(answer_of(r.score, r.unable)),
                )
            })
            .collect()
    };
    Ok((Arc::new(on_items), Arc::new(on_criteria)))
}
