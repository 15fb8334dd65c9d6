//! Email templates: `templates/email/<name>/{subject.txt,body.txt,body.html}.hbs`, embedded in
//! the binary and rendered in strict mode. Subjects and text bodies go through a registry that
//! does not HTML-escape (an apostrophe in a study title must stay an apostrophe); HTML bodies
//! through one that does.

use std::sync::LazyLock;

use handlebars::Handlebars;
use rust_embed::RustEmbed;
use serde::Serialize;

use crate::i18n;

#[derive(RustEmbed)]
#[folder = "templates/email/"]
#[include = "*.hbs"]
struct EmailTemplates;

/// Every email the platform sends.
pub const NAMES: &[&str] = &[
    "invitation",
    "reminder",
    "thank_you",
    "next_round",
    "ranking_round",
    "new_link",
    "study_closed",
];

struct Registries {
    text: Handlebars<'static>,
    html: Handlebars<'static>,
}

static REGISTRIES: LazyLock<Result<Registries, String>> = LazyLock::new(build);

fn text_registry() -> Handlebars<'static> {
    let mut text = Handlebars::new();
    text.set_strict_mode(true);
    text.register_escape_fn(handlebars::no_escape);
    i18n::register_helper(&mut text);
    text
}

fn html_registry() -> Handlebars<'static> {
    let mut html = Handlebars::new();
    html.set_strict_mode(true);
    i18n::register_helper(&mut html);
    html
}

fn build() -> Result<Registries, String> {
    let mut text = text_registry();
    let mut html = html_registry();
    for path in EmailTemplates::iter() {
        let Some(name) = path.strip_suffix(".hbs") else {
            continue;
        };
        let file = EmailTemplates::get(&path).ok_or_else(|| format!("email template {path} vanished"))?;
        let source = std::str::from_utf8(&file.data).map_err(|e| format!("email template {path}: {e}"))?;
        let registry = if name.ends_with(".html") {
            &mut html
        } else {
            &mut text
        };
        registry
            .register_template_string(name, source)
            .map_err(|e| format!("email template {path}: {e}"))?;
    }
    Ok(Registries { text, html })
}

/// One rendered email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

/// Renders the email `name` with `context` (which must carry `lang`).
pub fn render<T: Serialize>(name: &str, context: &T) -> Result<Rendered, String> {
    let registries = REGISTRIES.as_ref().map_err(Clone::clone)?;
    let part = |registry: &Handlebars<'static>, part: &str| {
        registry
            .render(&format!("{name}/{part}"), context)
            .map_err(|e| format!("email {name}/{part}: {e}"))
    };
    let subject = part(&registries.text, "subject.txt")?;
    let html = optional_part(&registries.html, &format!("{name}/body.html"), || {
        part(&registries.html, "body.html")
    })?;
    Ok(Rendered::of(&subject, part(&registries.text, "body.txt")?, html))
}

/// The HTML part, rendered by `render` if `registry` has its template `name`: without one the
/// email goes as plain text.
fn optional_part(
    registry: &Handlebars<'static>,
    name: &str,
    render: impl FnOnce() -> Result<String, String>,
) -> Result<Option<String>, String> {
    registry.has_template(name).then(render).transpose()
}

impl Rendered {
    /// The email of its rendered parts. A subject is one line, whatever the template's
    /// trailing newline.
    fn of(subject: &str, text: String, html: Option<String>) -> Rendered {
        Rendered {
            subject: subject.split_whitespace().collect::<Vec<_>>().join(" "),
            text,
            html,
        }
    }
}

/// A study's own wording of one email (see `delphi email template set`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub subject: String,
    pub body_text: String,
    /// Without it the email goes as plain text: the built-in HTML would say something else.
    pub body_html: Option<String>,
}

/// The overrides of one study, compiled once and used for every email it queues.
pub struct Overrides {
    text: Handlebars<'static>,
    html: Handlebars<'static>,
    present: std::collections::HashSet<(String, String)>,
}

impl Overrides {
    /// No overrides: the built-in templates.
    pub fn none() -> Overrides {
        Overrides {
            text: text_registry(),
            html: html_registry(),
            present: Default::default(),
        }
    }

    /// Compiles `(name, language, override)` triples; an error names the part and the reason.
    pub fn compile<'a>(
        rows: impl IntoIterator<Item = (&'a str, &'a str, &'a Override)>,
    ) -> Result<Overrides, String> {
        let mut overrides = Overrides::none();
        for (name, lang, o) in rows {
            let prefix = format!("{name}/{lang}");
            let register = |registry: &mut Handlebars<'static>, part: &str, source: &str| {
                registry
                    .register_template_string(&format!("{prefix}/{part}"), source)
                    .map_err(|e| format!("the {part} of the {name} email ({lang}) does not compile: {e}"))
            };
            register(&mut overrides.text, "subject", &o.subject)?;
            register(&mut overrides.text, "text", &o.body_text)?;
            if let Some(html) = &o.body_html {
                register(&mut overrides.html, "html", html)?;
            }
            overrides.present.insert((name.to_string(), lang.to_string()));
        }
        Ok(overrides)
    }

    /// Renders `name` in `context.lang`, preferring the study's wording for that language.
    pub fn render(&self, name: &str, context: &serde_json::Value) -> Result<Rendered, String> {
        let lang = context
            .get("lang")
            .and_then(|l| l.as_str())
            .unwrap_or(i18n::FALLBACK);
        if !self.present.contains(&(name.to_string(), lang.to_string())) {
            return render(name, context);
        }
        let prefix = format!("{name}/{lang}");
        let part = |registry: &Handlebars<'static>, part: &str| {
            registry
                .render(&format!("{prefix}/{part}"), context)
                .map_err(|e| format!("the {part} of the {name} email ({lang}): {e}"))
        };
        let subject = part(&self.text, "subject")?;
        let text = part(&self.text, "text")?;
        let html = optional_part(&self.html, &format!("{prefix}/html"), || part(&self.html, "html"))?;
        Ok(Rendered::of(&subject, text, html))
    }
}

/// Checks an override: each part must compile and render in strict mode against the sample
/// context of its email. The error names the part and the reason.
pub fn validate(name: &str, lang: &str, o: &Override) -> Result<Rendered, String> {
    if !NAMES.contains(&name) {
        return Err(format!(
            "no email is called {name:?}; expected one of {}",
            NAMES.join(", ")
        ));
    }
    let overrides = Overrides::compile([(name, lang, o)])?;
    overrides.render(name, &sample_context(lang))
}

/// A context with every variable any email uses, for checks and previews.
pub fn sample_context(lang: &str) -> serde_json::Value {
    serde_json::json!({
        "lang": lang,
        "study": "Lactation and Micronutrient Needs",
        "name": "Ada Example",
        "round": 2,
        "items": 24,
        "choose": 10,
        "minutes": 10,
        "agreed": 12,
        "deadline": "2026-12-01 17:00 (Africa/Nairobi)",
        "link": format!("https://delphi.example.org/r/{}", "0".repeat(64)),
        "unsubscribe": format!("https://delphi.example.org/u/{}", "0".repeat(64)),
        "answers": [
            {"code": "M01", "text": "Maternal haemoglobin", "score": 8, "label": "critical", "unable": false, "comment": "A comment"},
            {"code": "M02", "text": "Serum zinc", "score": null, "label": null, "unable": true, "comment": null},
        ],
    })
}

/// Fails at start-up when an email template does not compile.
pub fn check() -> Result<usize, String> {
    REGISTRIES
        .as_ref()
        .map(|r| r.text.get_templates().len() + r.html.get_templates().len())
        .map_err(Clone::clone)
}

/// The built-in wording of `name` in `lang` as a template a person can edit: each `{{t …}}`
/// replaced by its sentence in `lang`, the sentence's variables written back as `{{variable}}`,
/// and the rest (conditions, lists) left as it is. Subject and text body; `None` for an
/// unknown email.
pub fn editable_source(name: &str, lang: &str) -> Option<(String, String)> {
    if !NAMES.contains(&name) {
        return None;
    }
    let source = |part: &str| -> Option<String> {
        let file = EmailTemplates::get(&format!("{name}/{part}.hbs"))?;
        let text = std::str::from_utf8(&file.data).ok()?;
        Some(expand_messages(text, lang))
    };
    Some((source("subject.txt")?.trim().to_owned(), source("body.txt")?))
}

/// `{{t "key" a=b}}` → the message `key` in `lang` with `{{b}}` where `a` goes.
fn expand_messages(template: &str, lang: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{t \"") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 5..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let (key, args) = inner.split_once('"').unwrap_or((inner, ""));
        let values: Vec<(String, String)> = args
            .split_whitespace()
            .filter_map(|pair| pair.split_once('='))
            .map(|(name, path)| (name.to_owned(), format!("{{{{{path}}}}}")))
            .collect();
        let fluent: Vec<(&str, fluent_bundle::FluentValue<'_>)> = values
            .iter()
            .map(|(name, value)| (name.as_str(), value.clone().into()))
            .collect();
        out.push_str(&i18n::translate(lang, key, &fluent));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod editable_tests {
    use super::*;

    #[test]
    fn the_editable_wording_is_the_built_in_one_and_renders_the_same() {
        for name in NAMES {
            for lang in ["en", "fr"] {
                let (subject, body_text) = editable_source(name, lang).unwrap();
                assert!(!body_text.contains("{{t "), "{name} {lang}: {body_text}");
                let edited = Override {
                    subject,
                    body_text,
                    body_html: None,
                };
                let mine = validate(name, lang, &edited).unwrap();
                let built_in = render(name, &sample_context(lang)).unwrap();
                assert_eq!(mine.subject, built_in.subject, "{name} {lang}");
                assert_eq!(mine.text, built_in.text, "{name} {lang}");
            }
        }
        assert!(editable_source("no_such_email", "en").is_none());
    }
}
