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
pub const NAMES: &[&str] = &["invitation", "reminder", "thank_you", "next_round", "new_link"];

struct Registries {
    text: Handlebars<'static>,
    html: Handlebars<'static>,
}

static REGISTRIES: LazyLock<Result<Registries, String>> = LazyLock::new(build);

fn build() -> Result<Registries, String> {
    let mut text = Handlebars::new();
    text.set_strict_mode(true);
    text.register_escape_fn(handlebars::no_escape);
    text.register_helper("t", Box::new(text_translate));
    let mut html = Handlebars::new();
    html.set_strict_mode(true);
    i18n::register_helper(&mut html);
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

/// `{{t "key" …}}` for text parts: the same messages, not escaped.
fn text_translate(
    h: &handlebars::Helper<'_>,
    _: &Handlebars<'_>,
    ctx: &handlebars::Context,
    _: &mut handlebars::RenderContext<'_, '_>,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let key = h
        .param(0)
        .and_then(|p| p.value().as_str())
        .ok_or_else(|| handlebars::RenderErrorReason::ParamNotFoundForIndex("t", 0))?;
    let lang = ctx
        .data()
        .get("lang")
        .and_then(|v| v.as_str())
        .unwrap_or(i18n::FALLBACK);
    let args: Vec<(&str, fluent_bundle::FluentValue<'_>)> = h
        .hash()
        .iter()
        .map(|(name, value)| {
            let value = match value.value() {
                serde_json::Value::Number(n) => n
                    .as_f64()
                    .map(fluent_bundle::FluentValue::from)
                    .unwrap_or(fluent_bundle::FluentValue::None),
                serde_json::Value::String(s) => fluent_bundle::FluentValue::from(s.clone()),
                other => fluent_bundle::FluentValue::from(other.to_string()),
            };
            (*name, value)
        })
        .collect();
    out.write(&i18n::translate(lang, key, &args))?;
    Ok(())
}

/// One rendered email.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    let html_name = format!("{name}/body.html");
    let html = if registries.html.has_template(&html_name) {
        Some(part(&registries.html, "body.html")?)
    } else {
        None
    };
    Ok(Rendered {
        // A subject is one line, whatever the template's trailing newline.
        subject: subject.split_whitespace().collect::<Vec<_>>().join(" "),
        text: part(&registries.text, "body.txt")?,
        html,
    })
}

/// Fails at start-up when an email template does not compile.
pub fn check() -> Result<usize, String> {
    REGISTRIES
        .as_ref()
        .map(|r| r.text.get_templates().len() + r.html.get_templates().len())
        .map_err(Clone::clone)
}
