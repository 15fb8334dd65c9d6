//! The repeated part of the rating form — every item with its scale, comment and feedback —
//! written directly as HTML.
//!
//! Why not in the Handlebars template like the rest of the page: a 60-item round with feedback
//! is ~1,000 nested blocks, and Handlebars clones its JSON context for each of them; rendering
//! took ~20 ms a page, most of it in allocation (benches/expert_load.rs). Written here it is a
//! single pass over the view, from texts escaped once per round and language
//! (view::RoundContent) and the expert's own values escaped here, with the same
//! escaping as `{{value}}`. tests/it/expert_pages.rs pins the markup.
//!
//! A 60-item round-2 page repeats this markup 60 times (issue 17, page weight), so it is written
//! as short as HTML allows: attribute values unquoted where they are one word (item codes are
//! `[A-Za-z0-9._-]`, `items_file::is_valid_item_code`; criterion keys `[a-z0-9_]`), a field
//! inside its `<label>` rather than named by `for`/`id`, no whitespace between tags.

use std::fmt::Write;

use handlebars::html_escape as esc;

use super::view::{
    CriterionView, FeedbackState, FormView, ItemContent, ItemFeedback, ItemMarkup, ItemView, ItemWords,
    RoundContent, ScaleContent,
};

/// About how many bytes `write_sections` writes for `form`.
pub fn size_hint(form: &FormView) -> usize {
    form.sections.iter().map(|s| s.items.len()).sum::<usize>() * 1_800
}

/// The sections of the form with their items, written at the end of `out` (the page).
pub fn write_sections(out: &mut String, form: &FormView) {
    // What the feedback charts share, once, before the first of them.
    out.push_str(&form.content.frames);
    for section in &form.sections {
        out.push_str("<section><h2>");
        out.push_str(&esc(&section.title));
        out.push_str("</h2>");
        for item in &section.items {
            item_html(out, item, &form.content);
        }
        out.push_str("</section>");
    }
}

fn item_html(out: &mut String, item: &ItemView, page: &RoundContent) {
    let content = &item.content;
    if !item.criteria.is_empty() {
        criteria_html(out, item, page, &lang_attr(content));
        return;
    }
    let code = &content.code_html;
    let words = &page.words;
    let answer = &item.answer;
    // Written with `push_str` rather than `write!`: this runs 60 times a page view, and the
    // formatting machinery cost more than the copying.
    out.push_str("<fieldset id=i-");
    out.push_str(code);
    out.push_str(if answer.error.is_some() {
        " class=\"item bad\""
    } else {
        " class=item"
    });
    if let Some(band) = answer.prev_band {
        let _ = write!(out, " data-pb={band}");
    }
    if answer.error.is_some() {
        out.push_str(" aria-describedby=e-");
        out.push_str(code);
    }
    out.push('>');
    let markup = content.markup.get_or_init(|| item_markup(content, page));
    out.push_str(&markup.text);
    if let Some(error) = &answer.error {
        let _ = write!(
            out,
            "<p class=err id=e-{code}><strong>{}</strong> {}</p>",
            words.error_prefix,
            esc(error)
        );
    }
    feedback_slot(out, code, &answer.state, answer.feedback.as_deref(), words);
    let reason = answer.show_reason.then_some(answer.reason.as_str());
    if !answer.given() {
        out.push_str(&markup.blank);
        answer_rest(out, code, &answer.comment, reason, words);
    } else {
        answer_html(
            out,
            code,
            (answer.score, answer.unable, &answer.comment, reason),
            (&page.scale, &page.words),
        );
    }
    // The answer's live status (`.st`) is added by the script, the only one to fill it.
    out.push_str("</fieldset>");
}

/// A text in another language than the page's may also run the other way (an English item on
/// an Arabic page): `dir="auto"` lets its own first letters decide.
fn lang_attr(content: &ItemContent) -> String {
    content
        .text_lang
        .as_deref()
        .map(|l| format!(" lang={} dir=auto", esc(l)))
        .unwrap_or_default()
}

/// What an item of a study without criteria shows the same way on every page of the round in
/// its language: its text, and its answer fields with nothing chosen.
fn item_markup(content: &ItemContent, page: &RoundContent) -> ItemMarkup {
    let lang_attr = lang_attr(content);
    let mut text = String::new();
    legend(&mut text, &content.code_html, &lang_attr, &content.text_html);
    if let Some(description) = &content.description_html {
        // Already rendered from Markdown with raw HTML escaped (crate::markdown).
        let _ = write!(text, "<div class=desc{lang_attr}>{description}</div>");
    }
    if let Some(evidence) = &content.evidence_html {
        text.push_str(evidence);
    }
    let mut blank = String::new();
    scale_row(
        &mut blank,
        &content.code_html,
        (None, false),
        (&page.scale, &page.words),
    );
    comment_start(&mut blank, &content.code_html, &page.words);
    ItemMarkup { text, blank }
}

/// An item's legend: its code, then its text (in an element of its own only when it is in
/// another language than the page's).
fn legend(out: &mut String, code: &str, lang_attr: &str, text_html: &str) {
    let _ = write!(out, "<legend><span class=code>{code}</span> ");
    if lang_attr.is_empty() {
        let _ = write!(out, "{text_html}</legend>");
    } else {
        let _ = write!(out, "<span{lang_attr}>{text_html}</span></legend>");
    }
}

/// The scale row, "unable to score", the comment and (when asked) the reason of one answer
/// (score, unable, comment, reason), whose fields are named after `field` (`s_{field}`…: an
/// item's code, or `CODE~criterion`).
fn answer_html(
    out: &mut String,
    field: &str,
    (score, unable, comment, reason): (Option<i32>, bool, &str, Option<&str>),
    (scale, words): (&ScaleContent, &ItemWords),
) {
    scale_row(out, field, (score, unable), (scale, words));
    comment_start(out, field, words);
    answer_rest(out, field, comment, reason, words);
}

/// One row of equal points (a radio group inside the item's fieldset), the words of the ends
/// once under it, "unable to score" apart. A point's words stay in its accessible name.
fn scale_row(
    out: &mut String,
    field: &str,
    (score, unable): (Option<i32>, bool),
    (scale, words): (&ScaleContent, &ItemWords),
) {
    out.push_str("<div class=scale><div class=pts>");
    for option in &scale.options {
        out.push_str("<label><input type=radio name=s_");
        out.push_str(field);
        out.push_str(if score == Some(option.value) {
            &option.checked_html
        } else {
            &option.html
        });
    }
    out.push_str("</div>");
    out.push_str(&scale.key_html);
    if scale.scale.unable_to_score() {
        let _ = write!(
            out,
            "<label class=u><input type=radio name=s_{field} value=U{}> {}</label>",
            if unable { " checked" } else { "" },
            words.unable
        );
    }
    out.push_str("</div>");
}

/// The comment box up to its text: each text box is inside its label, which names it; two
/// rows, a textarea's default.
fn comment_start(out: &mut String, field: &str, words: &ItemWords) {
    out.push_str("<label>");
    out.push_str(&words.comment);
    out.push_str("<textarea name=c_");
    out.push_str(field);
    out.push('>');
}

/// The comment's text and the end of its box, then (when asked) the reason.
fn answer_rest(out: &mut String, field: &str, comment: &str, reason: Option<&str>, words: &ItemWords) {
    if !comment.is_empty() {
        out.push_str(&esc(comment));
    }
    out.push_str("</textarea></label>");
    if let Some(reason) = reason {
        let _ = write!(
            out,
            "<label class=why>{}<textarea name=r_{field}>{}</textarea></label>",
            words.reason,
            esc(reason)
        );
    }
}

/// An item of a study with criteria: its text once, then one fieldset per criterion (its label
/// as legend, its feedback, its scale row and fields), each saved on its own by the script.
/// Last round's comments, about every criterion, come once after the text.
fn criteria_html(out: &mut String, item: &ItemView, page: &RoundContent, lang_attr: &str) {
    let content = &item.content;
    let code = &content.code_html;
    let words = &page.words;
    let _ = write!(out, "<fieldset id=i-{code} class=\"item crits\">");
    legend(out, code, lang_attr, &content.text_html);
    if let Some(description) = &content.description_html {
        // Already rendered from Markdown with raw HTML escaped (crate::markdown).
        let _ = write!(out, "<div class=desc{lang_attr}>{description}</div>");
    }
    let comments = page.previous_comments(content.id);
    if !comments.is_empty() && !matches!(item.answer.state, FeedbackState::Held { .. }) {
        let _ = write!(
            out,
            "<details class=fbc><summary>{}</summary><ul>",
            words.comments
        );
        for comment in comments {
            let _ = write!(out, "<li>{}</li>", esc(comment));
        }
        out.push_str("</ul></details>");
    }
    for criterion in &item.criteria {
        criterion_html(out, code, criterion, page);
    }
    out.push_str("</fieldset>");
}

fn criterion_html(out: &mut String, code: &str, view: &CriterionView, page: &RoundContent) {
    let Some(criterion) = page.criteria.get(view.index) else {
        return;
    };
    // Criterion keys are `[a-z0-9_]`: nothing to escape.
    let field = format!("{code}~{}", criterion.key);
    let answer = &view.answer;
    let _ = write!(
        out,
        "<fieldset id=i-{field} class={}",
        if answer.error.is_some() {
            "\"crit bad\""
        } else {
            "crit"
        }
    );
    if let Some(band) = answer.prev_band {
        let _ = write!(out, " data-pb={band}");
    }
    // A scale of its own has its own bands for the script's "why did you change?".
    if let Some(own) = &criterion.scale {
        let _ = write!(out, " data-bands={}", own.bands);
    }
    if answer.error.is_some() {
        let _ = write!(out, " aria-describedby=e-{field}");
    }
    let _ = write!(out, "><legend>{}</legend>", criterion.label_html);
    if let Some(error) = &answer.error {
        let _ = write!(
            out,
            "<p class=err id=e-{field}><strong>{}</strong> {}</p>",
            page.words.error_prefix,
            esc(error)
        );
    }
    feedback_slot(
        out,
        &field,
        &answer.state,
        answer.feedback.as_deref(),
        &page.words,
    );
    answer_html(
        out,
        &field,
        (
            answer.score,
            answer.unable,
            &answer.comment,
            answer.show_reason.then_some(answer.reason.as_str()),
        ),
        (criterion.scale_in(page), &page.words),
    );
    // The answer's live status (`.st`) is added by the script, the only one to fill it.
    out.push_str("</fieldset>");
}

/// Last round's feedback on the answer `field` as it stands: shown, held back until the
/// expert answers (`after_rating`: only their own previous answer, and no trace of the
/// group's in the page), or shown after their answer with a note that they may change it.
/// The note's paragraph is the live region that announces the feedback when the script
/// reveals it in place (static/js/rating.js), without moving the focus.
fn feedback_slot(
    out: &mut String,
    field: &str,
    state: &FeedbackState,
    feedback: Option<&ItemFeedback>,
    words: &ItemWords,
) {
    match (state, feedback) {
        (FeedbackState::Held { own }, _) => {
            let _ = write!(
                out,
                "<div class=\"fbslot held\" id=f-{field}><p class=fbwait aria-live=polite>"
            );
            if let Some(own) = own {
                let _ = write!(out, "<strong class=mine>{}</strong><br>", esc(own));
            }
            let _ = write!(out, "{}</p></div>", words.held);
        }
        (FeedbackState::Revealed, Some(feedback)) => {
            let _ = write!(out, "<div class=fbslot id=f-{field}>");
            revealed_html(out, feedback, words);
            out.push_str("</div>");
        }
        (_, Some(feedback)) => out.push_str(feedback.html.get_or_init(|| feedback_html(feedback, words))),
        (_, None) => {}
    }
}

/// The inside of a revealed feedback slot: the note, then the feedback.
fn revealed_html(out: &mut String, feedback: &ItemFeedback, words: &ItemWords) {
    let _ = write!(out, "<p class=fbnew aria-live=polite>{}</p>", words.revealed);
    out.push_str(feedback.html.get_or_init(|| feedback_html(feedback, words)));
}

/// The revealed feedback on the answer `field` (an item's code, or `CODE~criterion`) for the
/// script to put in place after an autosave; `None` while the expert has not answered it, or
/// when the form does not hold feedback back.
pub fn revealed(form: &FormView, field: &str) -> Option<String> {
    let (code, criterion) = field.split_once('~').unwrap_or((field, ""));
    let item = form
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.content.code == code)?;
    let answer = if criterion.is_empty() {
        &item.answer
    } else {
        let view = item.criteria.iter().find(|c| {
            form.content
                .criteria
                .get(c.index)
                .is_some_and(|k| k.key == criterion)
        })?;
        &view.answer
    };
    match (&answer.state, answer.feedback.as_deref()) {
        (FeedbackState::Revealed, Some(feedback)) => {
            let mut out = String::new();
            revealed_html(&mut out, feedback, &form.content.words);
            Some(out)
        }
        _ => None,
    }
}

/// Last round's feedback on an item: the chart, the summary, the expert's previous answer, the
/// groups' distributions and the comments. Written once per round, language, item and previous
/// answer (ItemFeedback::html).
fn feedback_html(feedback: &ItemFeedback, words: &ItemWords) -> String {
    let mut out = String::with_capacity(feedback.chart.len() + 1_024);
    // The chart is our own SVG (export::svg), built from numbers and escaped labels.
    out.push_str("<div class=fb>");
    if let Some(label) = &feedback.label {
        let _ = write!(out, "<p class=\"fbh sample\">{}</p>", esc(label));
    }
    // The summary is the chart's caption: its text equivalent holds only the counts
    // (svg::on_frame), so that a screen reader does not read the summary twice.
    let _ = write!(out, "{}<p>{}", feedback.chart, esc(&feedback.summary));
    if let Some(own) = &feedback.own {
        let _ = write!(out, "<br><strong class=mine>{}</strong>", esc(own));
    }
    out.push_str("</p>");
    if !feedback.groups.is_empty() {
        out.push_str("<ul class=groups>");
        // The distribution ("1–3: 1 · 4–6: 2") is numbers and dashes, which a right-to-left
        // page would reorder: it keeps its own direction (`.fb .groups span`).
        for group in &feedback.groups {
            let _ = write!(
                out,
                "<li>{} ({}): <span>{}</span></li>",
                esc(&group.name),
                group.responders,
                esc(&group.distribution)
            );
        }
        out.push_str("</ul>");
    }
    if !feedback.comments.is_empty() {
        let _ = write!(out, "<details><summary>{}</summary><ul>", words.comments);
        for comment in &feedback.comments {
            let _ = write!(out, "<li>{}</li>", esc(comment));
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</div>");
    out
}
