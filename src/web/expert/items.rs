//! The repeated part of the rating form — every item with its scale, comment and feedback —
//! written directly as HTML.
//!
//! Why not in the Handlebars template like the rest of the page: a 60-item round with feedback
//! is ~1,000 nested blocks, and Handlebars clones its JSON context for each of them; rendering
//! took ~20 ms a page, most of it in allocation (benches/expert_load.rs). Written here it is a
//! single pass over the view. Every value goes through the same escaping as `{{value}}`, and
//! the markup is the one the template had (tests/it/expert_pages.rs pins it).

use std::fmt::Write;

use handlebars::html_escape as esc;

use crate::i18n::translate;
use crate::service::expert::{FormView, ItemView};

/// Translations used once per item, looked up once per page.
struct Words {
    error_prefix: String,
    comments: String,
    unable: String,
    comment: String,
    reason: String,
}

/// The sections of the form with their items.
pub fn sections(form: &FormView, lang: &str) -> String {
    let words = Words {
        error_prefix: translate(lang, "expert-error-prefix", &[]),
        comments: translate(lang, "expert-comments", &[]),
        unable: translate(lang, "expert-unable", &[]),
        comment: translate(lang, "expert-comment", &[]),
        reason: translate(lang, "expert-reason", &[]),
    };
    let mut out = String::with_capacity(form.sections.iter().map(|s| s.items.len()).sum::<usize>() * 2_500);
    for section in &form.sections {
        let _ = writeln!(out, "<section><h2>{}</h2>", esc(&section.title));
        for item in &section.items {
            item_html(&mut out, item, lang, &words);
        }
        out.push_str("</section>\n");
    }
    out
}

fn item_html(out: &mut String, item: &ItemView, lang: &str, words: &Words) {
    let code = esc(&item.code);
    let lang_attr = item
        .text_lang
        .as_deref()
        .map(|l| format!(" lang=\"{}\"", esc(l)))
        .unwrap_or_default();
    let _ = write!(
        out,
        "<fieldset id=\"i-{code}\" class=\"item{}\"",
        if item.error.is_some() { " bad" } else { "" }
    );
    if let Some(band) = &item.prev_band {
        let _ = write!(out, " data-pb=\"{}\"", esc(band));
    }
    if item.error.is_some() {
        let _ = write!(out, " aria-describedby=\"e-{code}\"");
    }
    let _ = writeln!(
        out,
        "><legend><span class=\"code\">{code}</span> <span{lang_attr}>{}</span></legend>",
        esc(&item.text)
    );
    if let Some(error) = &item.error {
        let _ = writeln!(
            out,
            "<p class=\"err\" id=\"e-{code}\"><strong>{}</strong> {}</p>",
            esc(&words.error_prefix),
            esc(error)
        );
    }
    if let Some(description) = &item.description_html {
        // Already rendered from Markdown with raw HTML escaped (service::expert::markdown).
        let _ = writeln!(out, "<div class=\"desc\"{lang_attr}>{description}</div>");
    }
    if let Some(feedback) = &item.feedback {
        // The chart is our own SVG (export::svg), built from numbers and escaped labels.
        let _ = write!(
            out,
            "<div class=\"fb\">{}<p>{}",
            feedback.chart,
            esc(&feedback.summary)
        );
        if let Some(own) = &feedback.own {
            let mine = translate(lang, "expert-your-previous", &[("score", own.clone().into())]);
            let _ = write!(out, "<br><strong class=\"mine\">{}</strong>", esc(&mine));
        }
        out.push_str("</p>\n");
        if !feedback.groups.is_empty() {
            out.push_str("<ul class=\"groups\">");
            for group in &feedback.groups {
                let _ = write!(
                    out,
                    "<li>{} ({}): {}</li>",
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
                esc(&words.comments)
            );
            for comment in &feedback.comments {
                let _ = write!(out, "<li>{}</li>", esc(comment));
            }
            out.push_str("</ul></details>");
        }
        out.push_str("</div>\n");
    }
    out.push_str("<div class=\"scale\">");
    for option in &item.options {
        let _ = write!(
            out,
            "<label><input type=\"radio\" name=\"s_{code}\" value=\"{}\"{}> {}",
            option.value,
            if option.checked { " checked" } else { "" },
            option.value
        );
        if let Some(label) = &option.label {
            let _ = write!(out, " <small>{}</small>", esc(label));
        }
        out.push_str("</label>");
    }
    if item.unable_enabled {
        let _ = write!(
            out,
            "<label class=\"u\"><input type=\"radio\" name=\"s_{code}\" value=\"U\"{}> {}</label>",
            if item.unable { " checked" } else { "" },
            esc(&words.unable)
        );
    }
    out.push_str("</div>\n");
    let _ = writeln!(
        out,
        "<label for=\"c_{code}\">{}</label><textarea id=\"c_{code}\" name=\"c_{code}\" rows=\"2\">{}</textarea>",
        esc(&words.comment),
        esc(&item.comment)
    );
    if item.show_reason {
        let _ = writeln!(
            out,
            "<div class=\"why\"><label for=\"r_{code}\">{}</label><textarea id=\"r_{code}\" name=\"r_{code}\" rows=\"2\">{}</textarea></div>",
            esc(&words.reason),
            esc(&item.reason)
        );
    }
    out.push_str("<p class=\"st\" aria-live=\"polite\"></p>\n</fieldset>\n");
}
