//! The facilitator console. Every page requires signing in: a study's pages through the
//! `access` extractors (`StudyAccess<R>`, `StudyForm<R, T>`: a role in the study of the path),
//! the others through `Facilitator`. Pages render inside `templates/console/layout.hbs`, which
//! carries the navigation and the sign-out form; `render` adds what that layout needs.
//!
//! One module per part of the console: `study` (overview and dashboard), `rounds` (open,
//! remind, extend, close, resend, withdraw, with their confirmation pages), `imports` (new study, items and panel), `results` (tables, charts and
//! downloads), `drift` (a round's drift page), `figure` (the diverging-bar figure for a paper, SVG and PNG), `suggestions`
//! (triage of suggested items; `triage` holds what it shares with the ideas round's), `audit` (the audit log), `team`
//! (roles), `content` (sections, items and groups, and items pasted one per line), `panel`
//! (the experts: one added by form, many pasted), `import_templates` (the files the import
//! pages offer to start from), `rule` (the consensus-rule editor), `finish` (finishing, the
//! final list, the closing email), `preview` (the questionnaire as an expert sees it),
//! `test_run` (test experts rehearsing the questionnaire) and `accounts` (administrators only);
//! `pasted` words the problems of pasted lines.

// Named apart from `service::accounts`, which this module uses.
mod access;
#[path = "accounts.rs"]
mod account_admin;
mod audit;
mod confirm;
mod content;
mod delivery;
mod drift;
mod emails;
mod figure;
mod finish;
mod ideas;
mod import_templates;
mod imports;
mod panel;
mod pasted;
mod preview;
mod profile;
mod results;
mod rounds;
mod rule;
mod study;
mod study_setup;
mod suggestions;
mod team;
mod test_run;
mod translations;
mod triage;

pub use access::Key;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::auth::Facilitator;
use super::{html, AppState};
use crate::i18n;
use crate::service::accounts;
use crate::service::ServiceError;
use crate::web::error::{AppError, PageError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console", web::get().to(home));
    imports::configure(cfg);
    study::configure(cfg);
    delivery::configure(cfg);
    rounds::configure(cfg);
    results::configure(cfg);
    drift::configure(cfg);
    figure::configure(cfg);
    audit::configure(cfg);
    suggestions::configure(cfg);
    ideas::configure(cfg);
    team::configure(cfg);
    account_admin::configure(cfg);
    content::configure(cfg);
    panel::configure(cfg);
    import_templates::configure(cfg);
    rule::configure(cfg);
    profile::configure(cfg);
    finish::configure(cfg);
    study_setup::configure(cfg);
    translations::configure(cfg);
    emails::configure(cfg);
    preview::configure(cfg);
    test_run::configure(cfg);
}

/// A console message without arguments, in `lang`.
fn t(lang: &str, key: &str) -> String {
    i18n::translate(lang, key, &[])
}

/// 303 to `location` after a POST, so a reload does not send the form again.
pub use super::html::see_other;

/// What a POST just did (`?done=…&n=…&who=…`), told once on the page it redirected to.
#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
    /// Read leniently: a count that is not one shows as 0 rather than failing the page.
    n: Option<String>,
    /// The pseudonym of the expert the POST acted on. Never shown as typed: the page looks it up
    /// among the study's experts and shows what it finds, so a crafted link shows nothing.
    who: Option<String>,
}

impl Done {
    /// Whether the POST did `what`.
    pub fn is(&self, what: &str) -> bool {
        self.done.as_deref() == Some(what)
    }

    /// The count `n` (0 when missing or not a number).
    pub fn count(&self) -> i64 {
        self.n.as_deref().and_then(|n| n.parse::<i64>().ok()).unwrap_or(0)
    }

    /// The pseudonym `who`, as typed: only to look up, never to show.
    pub fn who(&self) -> Option<&str> {
        self.who.as_deref()
    }

    /// Message `{prefix}{done}` (with `n`), if `done` is one of `known`: only those are
    /// translated, so the query string cannot put arbitrary text on the page.
    pub fn notice(&self, lang: &str, known: &[&str], prefix: &str) -> Option<String> {
        let done = self.done.as_deref().filter(|d| known.contains(d))?;
        Some(i18n::translate(
            lang,
            &format!("{prefix}{done}"),
            &[("n", self.count().into())],
        ))
    }
}

/// A use case's error as a refusal the user can correct (a round already open, a bad file, an
/// unknown email …), to show with its status; failures of ours stay the generic error page.
pub fn correctable(error: ServiceError) -> Result<AppError, PageError> {
    if error.is_bad_input() {
        Ok(error.into())
    } else {
        Err(PageError(error.into()))
    }
}

/// A refusal's message naming the field it is about (`deadline: …`), for forms with several.
pub fn naming_field(refused: &AppError) -> String {
    match &refused.field {
        Some(field) => format!("{field}: {}", refused.message),
        None => refused.message.clone(),
    }
}

/// A use case's refusal as a console page naming the reason, with a way back; failures of ours
/// stay the generic error page.
pub fn refusal(
    facilitator: &Facilitator,
    error: ServiceError,
    back: &str,
) -> Result<HttpResponse, PageError> {
    let app = correctable(error)?;
    refused_page(facilitator, app.kind.status(), &app.message, back)
}

/// The console's page refusing a request with `message` and a way `back`, answered with
/// `status`: a use case's refusal, or a request refused before any use case ran.
pub fn refused_page(
    facilitator: &Facilitator,
    status: StatusCode,
    message: &str,
    back: &str,
) -> Result<HttpResponse, PageError> {
    render(
        facilitator,
        status,
        "console/refused",
        json!({
            "title": i18n::translate(facilitator.lang, "console2-refused-title", &[]),
            "message": message,
            "back": back,
        }),
    )
}

/// Renders console page `name` (e.g. `console/home`) with `context`, adding `lang`, `me` (name
/// and email) and `csrf` for the layout. `context` must be a JSON object.
pub fn render(
    facilitator: &Facilitator,
    status: StatusCode,
    name: &str,
    context: serde_json::Value,
) -> Result<HttpResponse, PageError> {
    let mut context = context;
    if let Some(map) = context.as_object_mut() {
        map.insert("lang".into(), json!(facilitator.lang));
        map.insert(
            "me".into(),
            json!({ "name": facilitator.name, "email": facilitator.email, "is_admin": facilitator.is_admin }),
        );
        map.insert("csrf".into(), json!(facilitator.csrf));
    }
    html::page(status, name, &context)
}

/// The studies the facilitator has a role in.
pub async fn home(
    facilitator: Facilitator,
    state: web::Data<AppState>,
    query: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    let id = facilitator.id;
    let studies = state
        .store
        .run(move |conn| accounts::my_studies(conn, id))
        .await?;
    let lang = facilitator.lang;
    let rows: Vec<serde_json::Value> = studies
        .iter()
        .map(|s| {
            json!({
                "href": format!("/console/s/{}", s.slug),
                "slug": s.slug,
                "title": s.title,
                "status": i18n::translate(lang, &format!("console-status-{}", s.status), &[]),
                "role": i18n::translate(lang, &format!("console-role-{}", s.role.as_str()), &[]),
            })
        })
        .collect();
    render(
        &facilitator,
        StatusCode::OK,
        "console/home",
        json!({
            "title": i18n::translate(lang, "console-home-title", &[]),
            "studies": rows,
            "can_create": true,
            "notice": query.notice(lang, &["welcome"], "console-"),
        }),
    )
}
