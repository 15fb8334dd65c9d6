//! Per-study wording of emails: set (validated), clear, list; and the compiled overrides the
//! email composers use.

use super::studies::load;
use super::{Actor, ServiceError};
use crate::db::models::email_templates::EmailTemplate;
use crate::db::{now, DbConnection};
use crate::email::render::{self, Override, Overrides, Rendered};
use crate::i18n;
use crate::service::audit;
use crate::service::studies;

/// The study's overrides, compiled, for composing many emails.
pub fn overrides(conn: &mut DbConnection, study_id: i64) -> Result<Overrides, ServiceError> {
    let rows = EmailTemplate::of_study(conn, study_id)?;
    let parts: Vec<(String, String, Override)> = rows
        .into_iter()
        .map(|r| {
            (
                r.name,
                r.language,
                Override {
                    subject: r.subject,
                    body_text: r.body_text,
                    body_html: r.body_html,
                },
            )
        })
        .collect();
    // Stored overrides were validated when set; one that no longer compiles (after an upgrade)
    // is reported rather than silently replaced by the built-in wording.
    Overrides::compile(parts.iter().map(|(n, l, o)| (n.as_str(), l.as_str(), o)))
        .map_err(|reason| ServiceError::invalid("email template", reason))
}

fn check_language(lang: &str) -> Result<&'static str, ServiceError> {
    i18n::expert_languages()
        .into_iter()
        .find(|l| *l == lang)
        .ok_or_else(|| {
            ServiceError::invalid(
                "--lang",
                format!(
                    "{lang:?} has no catalogue; expected one of {}",
                    i18n::expert_languages().join(", ")
                ),
            )
        })
}

/// Sets the study's wording of `name` in `lang` after rendering it against the sample
/// context; returns that rendering as a preview.
pub fn set(
    conn: &mut DbConnection,
    slug: &str,
    name: &str,
    lang: &str,
    template: &Override,
    actor: &Actor,
) -> Result<Rendered, ServiceError> {
    let lang = check_language(lang)?;
    let preview =
        render::validate(name, lang, template).map_err(|reason| ServiceError::invalid(name, reason))?;
    studies::write(conn, slug, |conn, study| {
        let at = now();
        EmailTemplate::set(
            conn,
            study.id,
            name,
            lang,
            &template.subject,
            &template.body_text,
            template.body_html.as_deref(),
            at,
        )?;
        audit::log(
            conn,
            study,
            actor,
            "email_template.set",
            serde_json::json!({ "name": name, "language": lang }),
            at,
        )?;
        Ok(preview)
    })
}

/// Back to the built-in wording; false when there was no override.
pub fn clear(
    conn: &mut DbConnection,
    slug: &str,
    name: &str,
    lang: &str,
    actor: &Actor,
) -> Result<bool, ServiceError> {
    let lang = check_language(lang)?;
    studies::write(conn, slug, |conn, study| {
        let at = now();
        let removed = EmailTemplate::clear(conn, study.id, name, lang)? > 0;
        if removed {
            audit::log(
                conn,
                study,
                actor,
                "email_template.clear",
                serde_json::json!({ "name": name, "language": lang }),
                at,
            )?;
        }
        Ok(removed)
    })
}

/// A study's own wording of one email in one language.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Wording {
    pub name: String,
    pub language: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub updated_at: chrono::NaiveDateTime,
}

/// The study's overrides.
pub fn list(conn: &mut DbConnection, slug: &str) -> Result<Vec<Wording>, ServiceError> {
    let study = load(conn, slug)?;
    Ok(EmailTemplate::of_study(conn, study.id)?
        .into_iter()
        .map(|t| Wording {
            name: t.name,
            language: t.language,
            subject: t.subject,
            body_text: t.body_text,
            body_html: t.body_html,
            updated_at: t.updated_at,
        })
        .collect())
}

/// One email's wording in one language as the console edits it: the study's own, or Delphi's
/// written out as an editable template.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Editable {
    pub name: String,
    pub language: String,
    pub subject: String,
    pub body_text: String,
    /// The study has its own wording (else this is Delphi's).
    pub custom: bool,
    /// The email as an expert would get it, with sample names and links.
    pub sample: Rendered,
}

/// The languages whose email wording a study can change: those it is offered in that have a
/// catalogue (the others get English emails).
pub fn languages_of(study: &crate::domain::study::Study) -> Vec<&'static str> {
    let offered = study.file.languages();
    i18n::expert_languages()
        .into_iter()
        .filter(|l| offered.iter().any(|o| o == l))
        .collect()
}

/// The wording of `name` in `lang` for the study `slug`.
pub fn editable(
    conn: &mut DbConnection,
    slug: &str,
    name: &str,
    lang: &str,
) -> Result<Editable, ServiceError> {
    let lang = check_language(lang)?;
    let study = load(conn, slug)?;
    let own = EmailTemplate::of_study(conn, study.id)?
        .into_iter()
        .find(|t| t.name == name && t.language == lang);
    let (subject, body_text, custom) = match own {
        Some(t) => (t.subject, t.body_text, true),
        None => {
            let (subject, body) = render::editable_source(name, lang)
                .ok_or_else(|| ServiceError::NotFound(format!("there is no email called `{name}`")))?;
            (subject, body, false)
        }
    };
    let sample = render::validate(
        name,
        lang,
        &Override {
            subject: subject.clone(),
            body_text: body_text.clone(),
            body_html: None,
        },
    )
    .map_err(|reason| ServiceError::invalid("body", reason))?;
    Ok(Editable {
        name: name.to_owned(),
        language: lang.to_owned(),
        subject,
        body_text,
        custom,
        sample,
    })
}
