//! What an open round's page shows the same way to every expert reading it in one language —
//! texts, sections, scales, translated words, the charts' shared frame — escaped for HTML once
//! per round and language and kept in `ExpertPages`, with the caches of what is built from it
//! later (each item's feedback, each page state's frame).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::domain::language;
use crate::domain::rule::thresholds::band_thresholds;
use crate::domain::rule::Rule;
use crate::domain::scale::Scale;
use crate::export::svg;
use crate::i18n;
use crate::markdown::markdown;
use crate::service::cache::Recent;
use crate::service::expert::{self, ExpertCache, ExpertSession, PreviousAnswer, PreviousRound, RoundData};
use crate::service::{Connection, ServiceError};

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub key: String,
    pub title: String,
}

#[derive(Debug)]
pub struct CriterionContent {
    pub key: String,
    /// Unescaped, for the review page's list of unanswered answers (the template escapes).
    pub label: String,
    pub label_html: String,
    /// The rule that judges it, for the thresholds drawn on its feedback chart.
    pub(super) rule: String,
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
    pub(super) chart_bands: Vec<crate::domain::scale::Band>,
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
    pub(super) stamp: chrono::NaiveDateTime,
    pub(super) lang: &'static str,
    pub(super) intro_html: String,
    pub(super) sections: Vec<(String, Vec<Arc<ItemContent>>)>,
    pub(super) section_choices: Vec<Choice>,
    pub(super) group_names: HashMap<String, (i32, String)>,
    /// The study's `[scale]`; a criterion with a scale of its own has its own.
    pub scale: ScaleContent,
    pub words: ItemWords,
    /// The study's criteria (empty without criteria).
    pub criteria: Vec<CriterionContent>,
    /// What every feedback chart of the page repeats, drawn once (`chart_frames`); empty in a
    /// round without feedback.
    pub frames: String,
    pub(super) previous: Option<PreviousRound>,
    pub(super) feedback: Mutex<HashMap<(i64, PreviousAnswer), Arc<ItemFeedback>>>,
    /// The same per criterion: (item, index of the criterion, previous answer).
    pub(super) feedback_on: Mutex<HashMap<(i64, usize, PreviousAnswer), Arc<ItemFeedback>>>,
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
    pub(super) fn content(
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
    pub(super) fn build(data: RoundData, session: &ExpertSession) -> RoundContent {
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
pub(super) fn frame_id(criterion: Option<usize>) -> String {
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

pub(super) fn esc(text: &str) -> String {
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
