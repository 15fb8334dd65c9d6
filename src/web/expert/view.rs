//! The expert's form as a view: one expert's answers and page over the round's content
//! (`content.rs`) and last round's feedback (`feedback.rs`). `items.rs` writes the items from
//! it; the page frame is the `expert/form` template.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::domain::answer::Answer;
use crate::domain::scale::Scale;
use crate::service::expert::{
    self, field_name, parse_answer, ExpertSession, OwnAnswer, OwnAnswers, PostedAnswer, PreviousAnswer,
    Progress, RoundData,
};
use crate::service::{Connection, ServiceError};

pub use super::content::{
    Choice, CriterionContent, ExpertPages, GroupView, ItemContent, ItemFeedback, ItemMarkup, ItemWords,
    RoundContent, ScaleContent, ScaleOption,
};
use super::feedback::{criterion_feedback, feedback_for, own_text};

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
    /// A test expert's form (a banner says their answers never count).
    pub test: bool,
    /// ... rehearsing a round that has not opened yet.
    pub rehearsal: bool,
    pub feedback: bool,
    /// Each item's feedback waits for the expert's answer (`[feedback] timing = "after_rating"`).
    pub feedback_after: bool,
    pub min_group_feedback: u32,
    pub reason_on_band_change: bool,
    pub suggestions: bool,
    pub section_choices: Vec<Choice>,
    /// `from-to` of each band, comma separated: the script's band arithmetic.
    pub bands: String,
    pub error: Option<ItemRef>,
}

impl FormView {
    /// The answers not given yet, for the review page: built from the items when asked rather
    /// than with every view, whose form page does not list them (two copies of each item's
    /// code and text, a fifth of a 60-item page's allocations).
    pub fn unanswered(&self) -> Vec<ItemRef> {
        let mut found = Vec::new();
        for item in self.sections.iter().flat_map(|s| &s.items) {
            let content = &item.content;
            if item.criteria.is_empty() {
                if !item.answered {
                    found.push(ItemRef {
                        code: content.code.clone(),
                        text: content.text.clone(),
                    });
                }
                continue;
            }
            for view in item.criteria.iter().filter(|c| !c.answer.given()) {
                if let Some(criterion) = self.content.criteria.get(view.index) {
                    found.push(ItemRef {
                        code: field_name(&content.code, &criterion.key),
                        text: format!("{} — {}", content.text, criterion.label),
                    });
                }
            }
        }
        found
    }
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
    /// In a study with criteria, blank but for the state of the feedback on the whole item.
    pub answer: AnswerView,
    pub answered: bool,
    /// In a study with criteria: the item's answer on each criterion, in the study file's order.
    pub criteria: Vec<CriterionView>,
}

/// One item's answer on one criterion, as one expert sees it.
#[derive(Debug, Clone)]
pub struct CriterionView {
    /// Index into `RoundContent::criteria`.
    pub index: usize,
    pub answer: AnswerView,
}

/// One answer as its expert sees it, to an item or on one of its criteria: what they gave,
/// last round's feedback on it and a refusal's message about it.
#[derive(Debug, Clone)]
pub struct AnswerView {
    pub score: Option<i32>,
    pub unable: bool,
    pub comment: String,
    pub reason: String,
    pub show_reason: bool,
    /// Index of the band of the expert's previous score.
    pub prev_band: Option<usize>,
    /// `None` while held back (`state`).
    pub feedback: Option<Arc<ItemFeedback>>,
    pub state: FeedbackState,
    pub error: Option<String>,
}

impl AnswerView {
    /// The answer as it stands (`current`) of an expert who answered `previous` last round on
    /// `scale`, with that round's feedback as [`FeedbackState::of`] leaves it.
    fn of(
        (score, unable, comment, reason): (Option<i32>, bool, String, String),
        previous: PreviousAnswer,
        scale: &Scale,
        (state, feedback): (FeedbackState, Option<Arc<ItemFeedback>>),
        error: Option<String>,
        reason_on_band_change: bool,
    ) -> AnswerView {
        AnswerView {
            score,
            unable,
            comment,
            reason,
            show_reason: reason_on_band_change && previous.score().is_some(),
            prev_band: previous.score().and_then(|s| scale.band_of(s)),
            feedback,
            state,
            error,
        }
    }

    /// What an item answered on its criteria shows of its own: nothing but `state`.
    fn blank(state: FeedbackState) -> AnswerView {
        AnswerView {
            score: None,
            unable: false,
            comment: String::new(),
            reason: String::new(),
            show_reason: false,
            prev_band: None,
            feedback: None,
            state,
            error: None,
        }
    }

    /// A score or "unable to score": what counts as answered.
    pub fn given(&self) -> bool {
        self.score.is_some() || self.unable
    }
}

/// Whether last round's group feedback on an answer shows (`[feedback] timing`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedbackState {
    /// Shown from the start (`before`), or there is none to show.
    Always,
    /// `after_rating`, not answered yet in this round: only the expert's own previous answer
    /// ("Your score last round: 7", when they gave one) shows; the feedback is not in the page.
    Held { own: Option<String> },
    /// `after_rating`, answered: the feedback shows with a note that the answer may change.
    Revealed,
}

impl FeedbackState {
    /// The state of an answer whose feedback is `feedback`: held back (and `feedback` dropped)
    /// when the form holds feedback until each answer is given and this one is not.
    fn of(
        holds: bool,
        shown: bool,
        lang: &str,
        own: PreviousAnswer,
        feedback: Option<Arc<ItemFeedback>>,
    ) -> (FeedbackState, Option<Arc<ItemFeedback>>) {
        match feedback {
            Some(_) if holds && !shown => (
                FeedbackState::Held {
                    own: own_text(lang, own),
                },
                None,
            ),
            Some(feedback) if holds => (FeedbackState::Revealed, Some(feedback)),
            feedback => (FeedbackState::Always, feedback),
        }
    }
}
/// The form of one expert, with their saved answers, or — after a refused post — with what
/// they posted and the error next to its item.
pub fn form(
    conn: &mut Connection,
    pages: &ExpertPages,
    session: &ExpertSession,
    posted: Option<&[PostedAnswer]>,
    error: Option<(&str, &str)>,
) -> Result<FormView, ServiceError> {
    let content = pages.content(conn, session)?;
    let own = expert::own_answers(conn, session, content.previous.as_ref())?;
    let page = expert::page(conn, session)?;
    Ok(build_form(session, content, page.as_deref(), &own, posted, error))
}

/// The form of nobody, for the facilitator's "preview as an expert": built by the same code as
/// an expert's, from content made for this one look (never cached with the experts' pages), with
/// no saved answers and what was typed into the preview kept.
pub fn preview(
    session: &ExpertSession,
    data: RoundData,
    page: Option<&[i64]>,
    posted: Option<&[PostedAnswer]>,
) -> FormView {
    let content = Arc::new(RoundContent::build(data, session));
    build_form(session, content, page, &OwnAnswers::default(), posted, None)
}

/// The sections and items one expert's page shows: the round's, or — when the expert has a
/// drawn page (`page`, item ids in order) — only its items, in its order. A drawn page keeps
/// each section's items together, so a section starts wherever the next item's section changes.
fn arranged<'a>(
    sections: &'a [(String, Vec<Arc<ItemContent>>)],
    page: Option<&[i64]>,
) -> Vec<(&'a str, Vec<&'a Arc<ItemContent>>)> {
    let Some(page) = page else {
        return sections
            .iter()
            .map(|(title, items)| (title.as_str(), items.iter().collect()))
            .collect();
    };
    let found: HashMap<i64, (usize, &Arc<ItemContent>)> = sections
        .iter()
        .enumerate()
        .flat_map(|(s, (_, items))| items.iter().map(move |item| (item.id, (s, item))))
        .collect();
    let mut shown: Vec<(usize, Vec<&Arc<ItemContent>>)> = Vec::new();
    for (s, item) in page.iter().filter_map(|id| found.get(id)) {
        match shown.last_mut() {
            Some((last, items)) if last == s => items.push(item),
            _ => shown.push((*s, vec![item])),
        }
    }
    shown
        .into_iter()
        .map(|(s, items)| (sections[s].0.as_str(), items))
        .collect()
}

fn build_form(
    session: &ExpertSession,
    content: Arc<RoundContent>,
    page: Option<&[i64]>,
    own: &OwnAnswers,
    posted: Option<&[PostedAnswer]>,
    error: Option<(&str, &str)>,
) -> FormView {
    let study = &session.study;
    let scale = &study.scale;
    let settings = &study.file.rounds;
    let holds = expert::holds_feedback(session);
    let posted: HashMap<String, &PostedAnswer> = posted
        .unwrap_or_default()
        .iter()
        .map(|p| (p.field(), p))
        .collect();

    let mut progress = Progress {
        answered: 0,
        total: 0,
    };
    let mut error_ref = None;
    // The refusal's message on the answer `field`, if it is about that one, noted for the
    // page's error summary.
    let mut error_on = |field: &str| -> Option<String> {
        let (_, message) = error.filter(|(name, _)| *name == field)?;
        error_ref = Some(ItemRef {
            code: field.to_string(),
            text: message.to_string(),
        });
        Some(message.to_string())
    };
    let mut section_views = Vec::with_capacity(content.sections.len());
    for (title, items) in arranged(&content.sections, page) {
        let mut views = Vec::with_capacity(items.len());
        for item in items {
            if !content.criteria.is_empty() {
                let mut criteria = Vec::with_capacity(content.criteria.len());
                for (index, criterion) in content.criteria.iter().enumerate() {
                    progress.total += 1;
                    let field = field_name(&item.code, &criterion.key);
                    let on = (item.id, criterion.key.clone());
                    let now = current(&item.code, posted.get(&field).copied(), own.now_on.get(&on));
                    let error = error_on(&field);
                    let own_prev = own.previous_on.get(&on).copied().unwrap_or(PreviousAnswer::None);
                    let shown = FeedbackState::of(
                        holds,
                        own.shown_on.contains(&on),
                        session.lang,
                        own_prev,
                        criterion_feedback(session, &content, item.id, index, own_prev),
                    );
                    let scale = &criterion.scale_in(&content).scale;
                    let answer =
                        AnswerView::of(now, own_prev, scale, shown, error, settings.reason_on_band_change);
                    if answer.given() {
                        progress.answered += 1;
                    }
                    criteria.push(CriterionView { index, answer });
                }
                // The comments of last round, about every criterion, wait for all of them.
                let state = criteria
                    .iter()
                    .find(|c| matches!(c.answer.state, FeedbackState::Held { .. }))
                    .map(|c| c.answer.state.clone())
                    .unwrap_or(FeedbackState::Always);
                views.push(ItemView {
                    content: Arc::clone(item),
                    answer: AnswerView::blank(state),
                    answered: criteria.iter().all(|c| c.answer.given()),
                    criteria,
                });
                continue;
            }
            progress.total += 1;
            let now = current(&item.code, posted.get(&item.code).copied(), own.now.get(&item.id));
            let item_error = error_on(&item.code);
            let own_prev = own
                .previous
                .get(&item.id)
                .copied()
                .unwrap_or(PreviousAnswer::None);
            let shown = FeedbackState::of(
                holds,
                own.shown.contains(&item.id),
                session.lang,
                own_prev,
                feedback_for(session, &content, item.id, own_prev),
            );
            let answer = AnswerView::of(
                now,
                own_prev,
                scale,
                shown,
                item_error,
                settings.reason_on_band_change,
            );
            let answered = answer.given();
            if answered {
                progress.answered += 1;
            }
            views.push(ItemView {
                content: Arc::clone(item),
                answer,
                answered,
                criteria: Vec::new(),
            });
        }
        section_views.push(SectionView {
            title: title.to_owned(),
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
    FormView {
        study_title: study.file.texts_in(session.lang).title().to_owned(),
        intro_html: content.intro_html.clone(),
        round: session.round.number,
        deadline: session.round.deadline.map(|d| study.local_time(d)),
        sections: section_views,
        progress,
        submitted: session.submitted,
        test: session.is_test,
        rehearsal: session.round.state == crate::domain::round::RoundState::Draft,
        feedback: content.previous.is_some(),
        feedback_after: holds && content.previous.is_some(),
        min_group_feedback: settings.min_group_feedback,
        reason_on_band_change: settings.reason_on_band_change,
        suggestions: session.suggestions_allowed(),
        section_choices: content.section_choices.clone(),
        bands: content.scale.bands.clone(),
        error: error_ref,
        content,
    }
}

/// An answer's current state: what was posted (after a refusal), else what is saved.
fn current(
    code: &str,
    posted: Option<&PostedAnswer>,
    saved: Option<&OwnAnswer>,
) -> (Option<i32>, bool, String, String) {
    let (answer, comment, reason) = match (posted, saved) {
        (Some(p), _) => (
            parse_answer(code, &p.score).unwrap_or(Answer::Blank),
            &p.comment,
            &p.reason,
        ),
        (None, Some(saved)) => (saved.answer, &saved.comment, &saved.reason),
        (None, None) => return (None, false, String::new(), String::new()),
    };
    let (score, unable) = match answer {
        Answer::Score(s) => (Some(s), false),
        Answer::Unable => (None, true),
        Answer::Blank => (None, false),
    };
    (score, unable, comment.clone(), reason.clone())
}
