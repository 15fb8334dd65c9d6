//! The expert's form as a view: the round's content escaped for HTML once per round and
//! language (with last round's feedback charts), and one expert's answers on top of it.
//! `items.rs` writes the items from it; the page frame is the `expert/form` template.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::domain::answer::Answer;
use crate::domain::language;
use crate::domain::round::{group_figures, GroupFigures};
use crate::domain::rule::thresholds::band_thresholds;
use crate::domain::rule::Rule;
use crate::domain::scale::Scale;
use crate::export::svg;
use crate::i18n;
use crate::markdown::markdown;
use crate::service::cache::Recent;
use crate::service::expert::{
    self, field_name, parse_answer, ExpertCache, ExpertSession, OwnAnswer, OwnAnswers, PostedAnswer,
    PreviousAnswer, PreviousRound, Progress, RoundData,
};
use crate::service::{Connection, ServiceError};

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
            for view in item.criteria.iter().filter(|c| c.score.is_none() && !c.unable) {
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
    /// `None` while held back (`state`).
    pub feedback: Option<Arc<ItemFeedback>>,
    pub state: FeedbackState,
    pub error: Option<String>,
    /// In a study with criteria: the item's answer on each criterion (the fields above are then
    /// unused), in the study file's order.
    pub criteria: Vec<CriterionView>,
}

/// One item's answer on one criterion, as one expert sees it.
#[derive(Debug, Clone)]
pub struct CriterionView {
    /// Index into `RoundContent::criteria`.
    pub index: usize,
    pub score: Option<i32>,
    pub unable: bool,
    pub comment: String,
    pub reason: String,
    pub show_reason: bool,
    pub prev_band: Option<usize>,
    pub feedback: Option<Arc<ItemFeedback>>,
    pub state: FeedbackState,
    pub error: Option<String>,
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
#[derive(Debug)]
pub struct CriterionContent {
    pub key: String,
    /// Unescaped, for the review page's list of unanswered answers (the template escapes).
    pub label: String,
    pub label_html: String,
    /// The rule that judges it, for the thresholds drawn on its feedback chart.
    rule: String,
    /// Its own scale; `None` when it is rated on the study's.
    pub scale: Option<ScaleContent>,
}

impl CriterionContent {
    /// The scale this criterion is answered on, as the page shows it.
    pub fn scale_in<'a>(&'a self, page: &'a RoundContent) -> &'a ScaleContent {
        self.scale.as_ref().unwrap_or(&page.scale)
    }
}

/// A scale as the form shows it, built once per round and language: the points with their
/// words, the words of the ends, the bands (for the script and the charts).
#[derive(Debug)]
pub struct ScaleContent {
    pub scale: Scale,
    pub options: Vec<ScaleOption>,
    /// The words of the scale's ends under its row (`scale_key`).
    pub key_html: String,
    /// `from-to` of each band, comma separated: the script's band arithmetic.
    pub bands: String,
    /// The scale's bands named in the page's language, for the feedback charts.
    chart_bands: Vec<crate::domain::scale::Band>,
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
    /// The item's evidence notes as a list, escaped; links only to web addresses.
    pub evidence_html: Option<String>,
    /// What every expert's page shows of the item the same way, written by web::expert::items
    /// the first time a page shows it.
    pub markup: std::sync::OnceLock<ItemMarkup>,
}

/// An item's markup that is the same on every page of the round in one language.
#[derive(Debug)]
pub struct ItemMarkup {
    /// The legend, the description and the evidence.
    pub text: String,
    /// The answer fields with nothing chosen, up to the comment box's text.
    pub blank: String,
}

/// One point of the scale as the radio buttons show it.
#[derive(Debug)]
pub struct ScaleOption {
    pub value: i32,
    pub label_html: Option<String>,
    /// The end of its radio button's `<label>`, from its value on (` value=7>7</label>`),
    /// written once per round and language: an item writes only the start, with its field.
    pub html: String,
    /// The same, checked.
    pub checked_html: String,
}

impl ScaleOption {
    fn new(value: i32, label_html: Option<String>) -> ScaleOption {
        // Visually hidden (`.pts span`): the words under the row show them.
        let words = label_html
            .as_deref()
            .map(|label| format!("<span> {label}</span>"))
            .unwrap_or_default();
        ScaleOption {
            html: format!(" value={value}>{value}{words}</label>"),
            checked_html: format!(" value={value} checked>{value}{words}</label>"),
            value,
            label_html,
        }
    }
}

/// Words every item repeats, translated and escaped for HTML once per page language.
#[derive(Debug)]
pub struct ItemWords {
    pub error_prefix: String,
    pub comments: String,
    pub unable: String,
    pub comment: String,
    pub reason: String,
    /// Where the feedback waits for the expert's answer (`after_rating`).
    pub held: String,
    /// Over the feedback once it shows (`after_rating`).
    pub revealed: String,
}

/// Last round's feedback on one item as one expert sees it (the chart highlights their own
/// score), already rendered: every expert with the same previous answer shares it.
#[derive(Debug)]
pub struct ItemFeedback {
    /// "Sample feedback" when the figures are made up (the facilitator's preview).
    pub label: Option<String>,
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

/// Everything of an open round's page that is the same for every expert reading it in one
/// language: texts, sections, scale, translated words, and last round's feedback, escaped
/// for HTML once.
#[derive(Debug)]
pub struct RoundContent {
    /// The study's `updated_at` this was built from (see `ExpertPages::content`).
    stamp: chrono::NaiveDateTime,
    lang: &'static str,
    intro_html: String,
    sections: Vec<(String, Vec<Arc<ItemContent>>)>,
    section_choices: Vec<Choice>,
    group_names: HashMap<String, (i32, String)>,
    /// The study's `[scale]`; a criterion with a scale of its own has its own.
    pub scale: ScaleContent,
    pub words: ItemWords,
    /// The study's criteria (empty without criteria).
    pub criteria: Vec<CriterionContent>,
    /// What every feedback chart of the page repeats, drawn once (`chart_frames`); empty in a
    /// round without feedback.
    pub frames: String,
    previous: Option<PreviousRound>,
    feedback: Mutex<HashMap<(i64, PreviousAnswer), Arc<ItemFeedback>>>,
    /// The same per criterion: (item, index of the criterion, previous answer).
    feedback_on: Mutex<HashMap<(i64, usize, PreviousAnswer), Arc<ItemFeedback>>>,
    /// The pages around the items, rendered once per state of the page (frame.rs).
    pub(super) page_frames: super::frame::Frames,
}

impl RoundContent {
    /// Last round's comments on an item (every criterion's, in a study with criteria).
    pub fn previous_comments(&self, item_id: i64) -> &[String] {
        self.previous
            .as_ref()
            .and_then(|p| p.feedback.comments.get(&item_id))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// The expert pages' caches, one per server: the data the service reads once per change
/// (`service::expert::ExpertCache`) and the HTML built from it, per round and language.
///
/// Building a 60-item round-2 page from the database took milliseconds: every item's text,
/// translation, description and SVG chart rebuilt on every view. The built content is keyed
/// by the study's `updated_at` stamp, which every change to what its pages show updates, so
/// every instance of a scaled-out server notices a change on its next request.
#[derive(Default)]
pub struct ExpertPages {
    pub data: ExpertCache,
    pages: Recent<(i64, &'static str), RoundContent>,
}

impl ExpertPages {
    /// The shared content of the session's round in the session's language.
    fn content(
        &self,
        conn: &mut Connection,
        session: &ExpertSession,
    ) -> Result<Arc<RoundContent>, ServiceError> {
        let key = (session.round.id, session.lang);
        let stamp = session.study.updated_at;
        if let Some(found) = self.pages.get(&key).filter(|p| p.stamp == stamp) {
            return Ok(found);
        }
        let data = expert::round_data(conn, &self.data, session)?;
        let content = Arc::new(RoundContent::build(data, session));
        self.pages.put(key, &content);
        Ok(content)
    }
}

impl RoundContent {
    fn build(data: RoundData, session: &ExpertSession) -> RoundContent {
        let lang = session.lang;
        let study = &session.study;
        let texts = study.file.texts_in(lang);
        let words = |key: &str| esc(&i18n::translate(lang, key, &[]));
        let mut content = RoundContent {
            stamp: data.stamp,
            lang,
            intro_html: markdown(texts.description()),
            sections: data
                .sections
                .into_iter()
                .map(|(title, items)| {
                    let items = items
                        .into_iter()
                        .map(|item| {
                            Arc::new(ItemContent {
                                id: item.id,
                                code_html: esc(&item.code),
                                text_html: esc(&item.text),
                                description_html: item.description.as_deref().map(markdown),
                                evidence_html: evidence_html(&item.evidence),
                                code: item.code,
                                text: item.text,
                                text_lang: item.text_lang,
                                markup: std::sync::OnceLock::new(),
                            })
                        })
                        .collect();
                    (title, items)
                })
                .collect(),
            section_choices: data
                .section_choices
                .into_iter()
                .map(|(key, title)| Choice { key, title })
                .collect(),
            group_names: data.group_names,
            scale: ScaleContent::study(&study.scale, &texts),
            words: ItemWords {
                error_prefix: words("expert-error-prefix"),
                comments: words("expert-comments"),
                unable: words("expert-unable"),
                comment: words("expert-comment"),
                reason: words("expert-reason"),
                held: words("expert-feedback-held"),
                revealed: words("expert-feedback-revealed"),
            },
            criteria: study
                .file
                .criteria
                .iter()
                .map(|c| CriterionContent {
                    key: c.key.clone(),
                    label: c.label_in(lang).to_owned(),
                    label_html: esc(c.label_in(lang)),
                    rule: c.rule.clone(),
                    scale: c.scale.as_ref().map(ScaleContent::own),
                })
                .collect(),
            frames: String::new(),
            previous: data.previous,
            feedback: Mutex::default(),
            feedback_on: Mutex::default(),
            page_frames: super::frame::Frames::default(),
        };
        content.frames = chart_frames(&content, study);
        content
    }
}

/// The id of the chart frame an item's feedback is drawn over, or a criterion's (its index).
fn frame_id(criterion: Option<usize>) -> String {
    match criterion {
        None => "h".into(),
        Some(index) => format!("h{index}"),
    }
}

/// What every feedback chart of a page repeats — bands, names, axis, thresholds — drawn once in
/// a hidden `<svg>` whose groups each chart uses (`svg::frame`): one frame for the items, or
/// one per criterion (its own scale and rule). Present whenever the round has feedback, also
/// while it is held back: the charts revealed later use it.
fn chart_frames(content: &RoundContent, study: &crate::domain::study::Study) -> String {
    if content.previous.is_none() {
        return String::new();
    }
    let rtl = language::direction(content.lang) == language::Direction::RightToLeft;
    let frame = |shown: &ScaleContent, rule: &Rule, id: String| {
        let scale = &shown.scale;
        let zeros = vec![0; scale.points().count()];
        svg::frame(
            &svg::Histogram {
                min: scale.min(),
                counts: &zeros,
                bands: &shown.chart_bands,
                highlight: None,
                label: "",
                thresholds: &svg::Threshold::of_rule(&band_thresholds(rule, scale)),
                rtl,
            },
            &id,
        )
    };
    let mut out = String::from("<svg class=defs aria-hidden=true><defs>");
    if content.criteria.is_empty() {
        out.push_str(&frame(&content.scale, &study.rules.primary, frame_id(None)));
    }
    for (index, criterion) in content.criteria.iter().enumerate() {
        let rule = study.rules.get(&criterion.rule).unwrap_or(&study.rules.primary);
        out.push_str(&frame(criterion.scale_in(content), rule, frame_id(Some(index))));
    }
    out.push_str("</defs></svg>");
    out
}

fn esc(text: &str) -> String {
    handlebars::html_escape(text)
}

/// The words of the scale under its row, written once per round and language: the first
/// point's at the start, the middle point's (odd scales) in the middle, the last point's at the
/// end; words of other points follow as a line of their own. Hidden from assistive technology,
/// which reads each point's words with the point.
fn scale_key(options: &[ScaleOption]) -> String {
    let Some((first, last)) = options.first().zip(options.last()) else {
        return String::new();
    };
    let middle = (options.len() % 2 == 1 && options.len() > 2).then(|| &options[options.len() / 2]);
    let words = |o: Option<&ScaleOption>| o.and_then(|o| o.label_html.clone()).unwrap_or_default();
    let (start, centre, end) = (words(Some(first)), words(middle), words(Some(last)));
    let others: Vec<String> = options
        .iter()
        .filter(|o| o.value != first.value && o.value != last.value)
        .filter(|o| middle.is_none_or(|m| m.value != o.value))
        .filter_map(|o| o.label_html.as_ref().map(|l| format!("{} = {l}", o.value)))
        .collect();
    if start.is_empty() && centre.is_empty() && end.is_empty() && others.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<div class=ends aria-hidden=true><span>{start}</span><span>{centre}</span><span>{end}</span></div>"
    );
    if !others.is_empty() {
        out.push_str(&format!(
            "<p class=more aria-hidden=true>{}</p>",
            others.join(" · ")
        ));
    }
    out
}

impl ScaleContent {
    /// The study's `[scale]`, its words and band names in the page's language.
    fn study(scale: &Scale, texts: &crate::domain::study::TextsIn<'_>) -> ScaleContent {
        ScaleContent::build(
            scale,
            |value| texts.scale_label(value),
            |band| texts.band_name(band).unwrap_or(&band.name).to_string(),
        )
    }

    /// A criterion's own scale, in the words of the study file (its main language).
    fn own(scale: &Scale) -> ScaleContent {
        ScaleContent::build(scale, |value| scale.label(value), |band| band.name.clone())
    }

    fn build<'l>(
        scale: &Scale,
        label: impl Fn(i32) -> Option<&'l str>,
        band_name: impl Fn(&crate::domain::scale::Band) -> String,
    ) -> ScaleContent {
        let options: Vec<ScaleOption> = scale
            .points()
            .map(|value| ScaleOption::new(value, label(value).map(esc)))
            .collect();
        ScaleContent {
            scale: scale.clone(),
            bands: scale
                .bands()
                .iter()
                .map(|b| format!("{}-{}", b.from, b.to))
                .collect::<Vec<_>>()
                .join(","),
            key_html: scale_key(&options),
            chart_bands: scale
                .bands()
                .iter()
                .map(|band| crate::domain::scale::Band {
                    name: band_name(band),
                    ..band.clone()
                })
                .collect(),
            options,
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
                    let (score, unable, comment, reason) =
                        current(&item.code, posted.get(&field).copied(), own.now_on.get(&on));
                    if score.is_some() || unable {
                        progress.answered += 1;
                    }
                    let error = error_on(&field);
                    let own_prev = own.previous_on.get(&on).copied().unwrap_or(PreviousAnswer::None);
                    let (state, feedback) = FeedbackState::of(
                        holds,
                        own.shown_on.contains(&on),
                        session.lang,
                        own_prev,
                        criterion_feedback(session, &content, item.id, index, own_prev),
                    );
                    criteria.push(CriterionView {
                        index,
                        score,
                        unable,
                        comment,
                        reason,
                        show_reason: settings.reason_on_band_change && own_prev.score().is_some(),
                        prev_band: own_prev
                            .score()
                            .and_then(|s| criterion.scale_in(&content).scale.band_of(s)),
                        feedback,
                        state,
                        error,
                    });
                }
                views.push(ItemView {
                    content: Arc::clone(item),
                    score: None,
                    unable: false,
                    comment: String::new(),
                    reason: String::new(),
                    show_reason: false,
                    prev_band: None,
                    answered: criteria.iter().all(|c| c.score.is_some() || c.unable),
                    feedback: None,
                    // The comments of last round, about every criterion, wait for all of them.
                    state: criteria
                        .iter()
                        .find(|c| matches!(c.state, FeedbackState::Held { .. }))
                        .map(|c| c.state.clone())
                        .unwrap_or(FeedbackState::Always),
                    error: None,
                    criteria,
                });
                continue;
            }
            progress.total += 1;
            // Current state: what was posted (after a refusal), else what is saved.
            let (score, unable, comment, reason) =
                current(&item.code, posted.get(&item.code).copied(), own.now.get(&item.id));
            let answered = score.is_some() || unable;
            if answered {
                progress.answered += 1;
            }
            let item_error = error_on(&item.code);
            let own_prev = own
                .previous
                .get(&item.id)
                .copied()
                .unwrap_or(PreviousAnswer::None);
            let (state, feedback) = FeedbackState::of(
                holds,
                own.shown.contains(&item.id),
                session.lang,
                own_prev,
                feedback_for(session, &content, item.id, own_prev),
            );
            views.push(ItemView {
                content: Arc::clone(item),
                score,
                unable,
                comment,
                reason,
                show_reason: settings.reason_on_band_change && own_prev.score().is_some(),
                prev_band: own_prev.score().and_then(|s| scale.band_of(s)),
                answered,
                feedback,
                state,
                error: item_error,
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

/// Last round's feedback on one criterion of an item: the panel's chart under the criterion's
/// rule, the groups' distributions on it and the expert's own previous score on it, built once per round, language, item,
/// criterion and previous answer.
fn criterion_feedback(
    session: &ExpertSession,
    content: &RoundContent,
    item_id: i64,
    index: usize,
    own: PreviousAnswer,
) -> Option<Arc<ItemFeedback>> {
    let previous = content.previous.as_ref()?;
    let criterion = content.criteria.get(index)?;
    memo(&content.feedback_on, (item_id, index, own), || {
        let study = &session.study;
        let scale = criterion.scale_in(content);
        let pooled = previous
            .feedback
            .pooled_on
            .get(&(item_id, criterion.key.clone()))?;
        let rule = study.rules.get(&criterion.rule).unwrap_or(&study.rules.primary);
        let rows = previous.feedback.groups_on.get(&(item_id, criterion.key.clone()));
        let (groups, groups_hidden) = group_views(session, content, &scale.scale, rows);
        Some(ItemFeedback {
            groups,
            groups_hidden,
            ..charted(content, previous, (scale, Some(index)), rule, pooled, own)
        })
    })
}

/// The value under `key` in a round's cache, or the one `build` makes, kept for the next view.
/// A poisoned lock only costs the cache: the value is built and served all the same.
fn memo<K: std::hash::Hash + Eq>(
    cache: &Mutex<HashMap<K, Arc<ItemFeedback>>>,
    key: K,
    build: impl FnOnce() -> Option<ItemFeedback>,
) -> Option<Arc<ItemFeedback>> {
    if let Some(found) = cache.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Some(found);
    }
    let built = Arc::new(build()?);
    if let Ok(mut m) = cache.lock() {
        m.insert(key, Arc::clone(&built));
    }
    Some(built)
}

/// Last round's chart of the scores `pooled` under `rule` with the expert's own previous score
/// marked, and its summary; without groups or comments, which only an item's feedback has.
fn charted(
    content: &RoundContent,
    previous: &PreviousRound,
    (shown, criterion): (&ScaleContent, Option<usize>),
    rule: &Rule,
    pooled: &[u64],
    own: PreviousAnswer,
) -> ItemFeedback {
    let lang = content.lang;
    let scale = &shown.scale;
    let summary = summary_text(lang, previous.number, scale, pooled);
    // Drawn over the page's frame for this scale and rule (`chart_frames`).
    let chart = svg::on_frame(
        &svg::Histogram {
            min: scale.min(),
            counts: pooled,
            bands: &shown.chart_bands,
            highlight: own.score(),
            // Shown beside the chart (items::feedback_html), not in its text equivalent.
            label: "",
            thresholds: &svg::Threshold::of_rule(&band_thresholds(rule, scale)),
            rtl: language::direction(lang) == language::Direction::RightToLeft,
        },
        &frame_id(criterion),
    );
    ItemFeedback {
        label: previous
            .sample
            .then(|| i18n::translate(lang, "preview-sample-feedback", &[])),
        chart,
        summary,
        own: own_text(lang, own),
        groups: Vec::new(),
        groups_hidden: false,
        comments: Vec::new(),
        html: std::sync::OnceLock::new(),
    }
}

/// "Your score last round: 7", or nothing when the expert was not asked last round.
fn own_text(lang: &str, own: PreviousAnswer) -> Option<String> {
    let own = match own {
        PreviousAnswer::None => return None,
        PreviousAnswer::Score(score) => score.to_string(),
        PreviousAnswer::Unable => i18n::translate(lang, "expert-unable", &[]),
        PreviousAnswer::Blank => "–".to_string(),
    };
    Some(i18n::translate(
        lang,
        "expert-your-previous",
        &[("score", own.into())],
    ))
}

/// Last round's feedback on one item for an expert whose previous answer was `own`, built
/// once per round, language, item and previous answer.
fn feedback_for(
    session: &ExpertSession,
    content: &RoundContent,
    item_id: i64,
    own: PreviousAnswer,
) -> Option<Arc<ItemFeedback>> {
    let previous = content.previous.as_ref()?;
    let frozen = &previous.feedback;
    memo(&content.feedback, (item_id, own), || {
        let pooled = frozen.pooled.get(&item_id)?;
        let (groups, groups_hidden) = group_views(
            session,
            content,
            &session.study.scale,
            frozen.groups.get(&item_id),
        );
        Some(ItemFeedback {
            groups,
            groups_hidden,
            comments: frozen.comments.get(&item_id).cloned().unwrap_or_default(),
            ..charted(
                content,
                previous,
                (&content.scale, None),
                &session.study.rules.primary,
                pooled,
                own,
            )
        })
    })
}

/// The groups' lines of last round's feedback from their `rows` (group key, responders, counts
/// on `scale`), in the study file's order of groups, and whether some were hidden for having
/// fewer responders than `[rounds] min_group_feedback`.
fn group_views(
    session: &ExpertSession,
    content: &RoundContent,
    scale: &Scale,
    rows: Option<&expert::GroupLines>,
) -> (Vec<GroupView>, bool) {
    let mut groups = Vec::new();
    let mut groups_hidden = false;
    // In the study file's order of groups, not the storage order of their keys.
    let mut rows: Vec<&(String, i32, Vec<u64>)> = rows.map(|g| g.iter().collect()).unwrap_or_default();
    let group_names = &content.group_names;
    rows.sort_by_key(|(key, _, _)| group_names.get(key).map(|(p, _)| *p).unwrap_or(i32::MAX));
    for (key, responders, counts) in rows {
        match group_figures(*responders, session.study.file.rounds.min_group_feedback) {
            GroupFigures::Empty => continue,
            GroupFigures::Hidden => {
                groups_hidden = true;
                continue;
            }
            GroupFigures::Shown => {}
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
    (groups, groups_hidden)
}

/// "Round 1: 12 of 20 rated 7–9", about the top band.
fn summary_text(lang: &str, round: i32, scale: &Scale, counts: &[u64]) -> String {
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
                    ("range", range_text(lang, band).into()),
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

/// A band's range, "7–9", kept in that order on a right-to-left page (a left-to-right isolate:
/// bare digits and a dash would otherwise read "9–7" there).
fn range_text(lang: &str, band: &crate::domain::scale::Band) -> String {
    let range = format!("{}–{}", band.from, band.to);
    if language::direction(lang) == language::Direction::RightToLeft {
        format!("\u{2066}{range}\u{2069}")
    } else {
        range
    }
}

/// Counts per band ("1–3: 1 · 4–6: 2 · 7–9: 3"), or per point when the scale has no bands.
fn distribution_text(scale: &Scale, counts: &[u64]) -> String {
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

/// Evidence notes as `<ul class="evidence">`: each citation escaped, its link (checked to be a
/// web address when stored) as an anchor.
fn evidence_html(notes: &[(String, Option<String>)]) -> Option<String> {
    if notes.is_empty() {
        return None;
    }
    let mut out = String::from("<ul class=evidence>");
    for (citation, link) in notes {
        out.push_str("<li>");
        out.push_str(&esc(citation));
        if let Some(link) = link
            .as_deref()
            .filter(|l| l.starts_with("https://") || l.starts_with("http://"))
        {
            out.push_str(&format!(
                " <a href=\"{0}\" rel=\"noopener noreferrer\">{0}</a>",
                esc(link)
            ));
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    Some(out)
}
