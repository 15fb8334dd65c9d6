//! The repeated part of the rating form — every item with its scale, comment and feedback —
//! written directly as HTML.
//!
//! Why not in the Handlebars template like the rest of the page: a 60-item round with feedback
//! is ~1,000 nested blocks, and Handlebars clones its JSON context for each of them; rendering
//! took ~20 ms a page, most of it in allocation (benches/expert_load.rs). Written here it is a
//! single pass over the view, from texts escaped once per round and language
//! (view::RoundContent) and the expert's own values escaped here, with the same
//! escaping as `{{value}}`. The markup is the one the template had (tests/it/expert_pages.rs
//! pins it).

use std::fmt::Write;

use handlebars::html_escape as esc;

use super::view::{FormView, ItemFeedback, ItemView, ItemWords, RoundContent};

/// The sections of the form with their items.
pub fn sections(form: &FormView) -> String {
    let items: usize = form.sections.iter().map(|s| s.items.len()).sum();
    let mut out = String::with_capacity(items * 2_800);
    for section in &form.sections {
        let _ = writeln!(out, "<section><h2>{}</h2>", esc(&section.title));
        for item in &section.items {
            item_html(&mut out, item, &form.content);
        }
        out.push_str("</section>\n");
    }
    out
}

fn item_html(out: &mut String, item: &ItemView, page: &RoundContent) {
    let content = &item.content;
    let code = &content.code_html;
    let words = &page.words;
    // A text in another language than the page's may also run the other way (an English item
    // on an Arabic page): `dir="auto"` lets its own first letters decide.
    let lang_attr = content
        .text_lang
        .as_deref()
        .map(|l| format!(" lang=\"{}\" dir=\"auto\"", esc(l)))
        .unwrap_or_default();
    let _ = write!(
        out,
        "<fieldset id=\"i-{code}\" class=\"item{}\"",
        if item.error.is_some() { " bad" } else { "" }
    );
    if let Some(band) = item.prev_band {
        let _ = write!(out, " data-pb=\"{band}\"");
    }
    if item.error.is_some() {
        let _ = write!(out, " aria-describedby=\"e-{code}\"");
    }
    let _ = writeln!(
        out,
        "><legend><span class=\"code\">{code}</span> <span{lang_attr}>{}</span></legend>",
        content.text_html
    );
    if let Some(error) = &item.error {
        let _ = writeln!(
            out,
            "<p class=\"err\" id=\"e-{code}\"><strong>{}</strong> {}</p>",
            words.error_prefix,
            esc(error)
        );
    }
    if let Some(description) = &content.description_html {
        // Already rendered from Markdown with raw HTML escaped (web::markdown).
        let _ = writeln!(out, "<div class=\"desc\"{lang_attr}>{description}</div>");
    }
    if let Some(feedback) = &item.feedback {
        out.push_str(feedback.html.get_or_init(|| feedback_html(feedback, words)));
    }
    out.push_str("<div class=\"scale\">");
    for option in &page.options {
        let _ = write!(
            out,
            "<label><input type=\"radio\" name=\"s_{code}\" value=\"{}\"{}> {}",
            option.value,
            if item.score == Some(option.value) {
                " checked"
            } else {
                ""
            },
            option.value
        );
        if let Some(label) = &option.label_html {
            let _ = write!(out, " <small>{label}</small>");
        }
        out.push_str("</label>");
    }
    if page.unable_enabled {
        let _ = write!(
            out,
            "<label class=\"u\"><input type=\"radio\" name=\"s_{code}\" value=\"U\"{}> {}</label>",
            if item.unable { " checked" } else { "" },
            words.unable
        );
    }
    out.push_str("</div>\n");
    let _ = writeln!(
        out,
        "<label for=\"c_{code}\">{}</label><textarea id=\"c_{code}\" name=\"c_{code}\" rows=\"2\">{}</textarea>",
        words.comment,
        esc(&item.comment)
    );
    if item.show_reason {
        let _ = writeln!(
            out,
            "<div class=\"why\"><label for=\"r_{code}\">{}</label><textarea id=\"r_{code}\" name=\"r_{code}\" rows=\"2\">{}</textarea></div>",
            words.reason,
            esc(&item.reason)
        );
    }
    out.push_str("<p class=\"st\" aria-live=\"polite\"></p>\n</fieldset>\n");
}

/// Last round's feedback on an item: the chart, the summary, the expert's previous answer, the
/// groups' distributions and the comments. Written once per round, language, item and previous
/// answer (ItemFeedback::html).
fn feedback_html(feedback: &ItemFeedback, words: &ItemWords) -> String {
    let mut out = String::with_capacity(feedback.chart.len() + 1_024);
    // The chart is our own SVG (export::svg), built from numbers and escaped labels.
    out.push_str("<div class=\"fb\">");
    if let Some(label) = &feedback.label {
        let _ = write!(out, "<p class=\"fbh sample\">{}</p>", esc(label));
    }
    let _ = write!(out, "{}<p>{}", feedback.chart, esc(&feedback.summary));
    if let Some(own) = &feedback.own {
        let _ = write!(out, "<br><strong class=\"mine\">{}</strong>", esc(own));
    }
    out.push_str("</p>\n");
    if !feedback.groups.is_empty() {
        out.push_str("<ul class=\"groups\">");
        // The distribution ("1–3: 1 · 4–6: 2") is numbers and dashes, which a right-to-left
        // page would reorder: it keeps its own direction.
        for group in &feedback.groups {
            let _ = write!(
                out,
                "<li>{} ({}): <span dir=\"ltr\">{}</span></li>",
                esc(&group.name),
                group.responders,
                esc(&group.distribution)
            );
        }
        out.push_str("</ul>\n");
    }
    if !feedback.comments.is_empty() {
        let _ = write!(
            out,
            "<details><summary>{}</summary><ul class=\"comments\">",
            words.comments
        );
        for comment in &feedback.comments {
            let _ = write!(out, "<li>{}</li>", esc(comment));
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</div>\n");
    out
}
