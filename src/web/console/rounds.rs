//! Round control from the console: open the next round, remind, close (after a confirmation
//! page). Editors only; each goes through the same use case as the command line.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::{refusal, render, see_other};
use crate::domain::round::RoundState;
use crate::i18n;
use crate::service::rounds;
use crate::service::{listings, Actor, ServiceError};
use crate::web::auth::require_role;
use crate::web::auth::{CsrfForm, Facilitator, Role};
use crate::web::error::PageError;
use crate::web::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/rounds/open", web::post().to(open))
        .route("/console/s/{slug}/rounds/remind", web::post().to(remind))
        .route("/console/s/{slug}/rounds/close", web::get().to(close_confirm))
        .route("/console/s/{slug}/rounds/close", web::post().to(close))
        .route("/console/s/{slug}/rounds/preview", web::get().to(preview))
        .route("/console/s/{slug}/rounds/extend", web::post().to(extend))
        .route(
            "/console/s/{slug}/experts/{pseudonym}/resend",
            web::post().to(resend),
        )
        .route(
            "/console/s/{slug}/experts/{pseudonym}/withdraw",
            web::post().to(withdraw),
        );
}

/// What opening the next round would do (items by origin, who is invited); writes nothing.
pub async fn preview(
    facilitator: Facilitator,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let slug = path.into_inner();
    let (study, _) = require_role(&state, &facilitator, &slug, Role::Editor).await?;
    let lookup = slug.clone();
    let planned = state.store.run(move |conn| rounds::preview(conn, &lookup)).await;
    let planned = match planned {
        Ok(p) => p,
        Err(e) => return refusal(&facilitator, e, &study_url(&slug)),
    };
    let named = study.shows_names();
    let lang = facilitator.lang;
    render(
        &facilitator,
        StatusCode::OK,
        "console/preview",
        json!({
            "title": i18n::translate(lang, "console2-preview-round-title", &[("n", planned.number.into())]),
            "slug": slug,
            "timezone": study.timezone,
            "number": planned.number,
            "locks_rule": planned.locks_rule,
            "summary": i18n::translate(lang, "console2-preview-round-summary", &[
                ("carried", (planned.carried as i64).into()),
                ("suggestions", (planned.suggestions as i64).into()),
                ("new", (planned.new_items as i64).into()),
                ("invited", (planned.invite.len() as i64).into()),
            ]),
            "items": planned.items.iter().map(|i| json!({
                "code": i.code, "text": i.text,
                "origin": i18n::translate(lang, &format!("console2-origin-{}", i.origin.as_str()), &[]),
            })).collect::<Vec<_>>(),
            "invite": planned.invite.iter().map(|e| if named { format!("{} ({})", e.name, e.pseudonym) } else { e.pseudonym.clone() }).collect::<Vec<_>>(),
        }),
    )
}

pub async fn extend(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<OpenForm>,
) -> Result<HttpResponse, PageError> {
    let CsrfForm { facilitator, form } = form;
    let slug = path.into_inner();
    require_role(&state, &facilitator, &slug, Role::Editor).await?;
    let actor = actor(&facilitator);
    let lookup = slug.clone();
    let extended = state
        .store
        .run(move |conn| {
            if form.deadline.trim().is_empty() {
                return Err(ServiceError::invalid("deadline", "choose the new deadline"));
            }
            let deadline = rounds::parse_deadline(conn, &lookup, &form.deadline)?;
            rounds::extend(conn, &lookup, deadline, &actor)
        })
        .await;
    match extended {
        Ok(e) => Ok(see_other(&format!(
            "{}?done=extended&n={}",
            study_url(&slug),
            e.round
        ))),
        Err(e) => refusal(&facilitator, e, &study_url(&slug)),
    }
}

pub async fn resend(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let facilitator = form.facilitator;
    let (slug, pseudonym) = path.into_inner();
    require_role(&state, &facilitator, &slug, Role::Editor).await?;
    let links = state.settings.links();
    let actor = actor(&facilitator);
    let lookup = slug.clone();
    let resent = state
        .store
        .run(move |conn| {
            let email = listings::email_of_pseudonym(conn, &lookup, &pseudonym)?;
            rounds::resend(conn, &lookup, &email, &links, &actor)
        })
        .await;
    match resent {
        Ok(r) => Ok(see_other(&format!(
            "{}?done=resent&n={}",
            study_url(&slug),
            r.round
        ))),
        Err(e) => refusal(&facilitator, e, &study_url(&slug)),
    }
}

pub async fn withdraw(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let facilitator = form.facilitator;
    let (slug, pseudonym) = path.into_inner();
    require_role(&state, &facilitator, &slug, Role::Editor).await?;
    let actor = actor(&facilitator);
    let lookup = slug.clone();
    let withdrawn = state
        .store
        .run(move |conn| {
            let email = listings::email_of_pseudonym(conn, &lookup, &pseudonym)?;
            crate::service::mail::withdraw_expert(conn, &lookup, &email, &actor)
        })
        .await;
    match withdrawn {
        Ok(_) => Ok(see_other(&format!("{}?done=withdrawn", study_url(&slug)))),
        Err(e) => refusal(&facilitator, e, &study_url(&slug)),
    }
}

/// The facilitator as the audit log names them.
pub fn actor(facilitator: &Facilitator) -> Actor {
    Actor(facilitator.email.clone())
}

fn study_url(slug: &str) -> String {
    format!("/console/s/{slug}")
}

#[derive(Deserialize)]
pub struct OpenForm {
    /// `YYYY-MM-DDTHH:MM` (an `<input type="datetime-local">`) in the study's time zone; empty
    /// for no deadline.
    #[serde(default)]
    deadline: String,
}

pub async fn open(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<OpenForm>,
) -> Result<HttpResponse, PageError> {
    let CsrfForm { facilitator, form } = form;
    let slug = path.into_inner();
    require_role(&state, &facilitator, &slug, Role::Editor).await?;
    let links = state.settings.links();
    let actor = actor(&facilitator);
    let lookup = slug.clone();
    let opened = state
        .store
        .run(move |conn| {
            let typed = form.deadline.trim();
            let deadline = (!typed.is_empty())
                .then(|| rounds::parse_deadline(conn, &lookup, typed))
                .transpose()?;
            rounds::open(conn, &lookup, deadline, &links, &actor)
        })
        .await;
    match opened {
        Ok(opened) => Ok(see_other(&format!(
            "{}?done=opened&n={}",
            study_url(&slug),
            opened.number
        ))),
        Err(e) => refusal(&facilitator, e, &study_url(&slug)),
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn remind(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let facilitator = form.facilitator;
    let slug = path.into_inner();
    require_role(&state, &facilitator, &slug, Role::Editor).await?;
    let links = state.settings.links();
    let actor = actor(&facilitator);
    let lookup = slug.clone();
    let reminded = state
        .store
        .run(move |conn| rounds::remind(conn, &lookup, &links, &actor))
        .await;
    match reminded {
        Ok(r) => Ok(see_other(&format!(
            "{}?done=reminded&n={}",
            study_url(&slug),
            r.reminded
        ))),
        Err(e) => refusal(&facilitator, e, &study_url(&slug)),
    }
}

/// Closing cannot be undone, so the button on the study page leads here first.
pub async fn close_confirm(
    facilitator: Facilitator,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let slug = path.into_inner();
    let (study, _) = require_role(&state, &facilitator, &slug, Role::Editor).await?;
    let lookup = slug.clone();
    let open = state
        .store
        .run(move |conn| -> Result<_, ServiceError> {
            let board = crate::service::dashboard::dashboard(conn, &lookup)?;
            Ok(board.round.filter(|r| r.status == RoundState::Open))
        })
        .await?;
    let Some(round) = open else {
        return refusal(
            &facilitator,
            ServiceError::Conflict(format!("study `{slug}` has no open round")),
            &study_url(&slug),
        );
    };
    let lang = facilitator.lang;
    render(
        &facilitator,
        StatusCode::OK,
        "console/close",
        json!({
            "title": i18n::translate(lang, "console2-close-title", &[("n", round.number.into())]),
            "study_title": study.title,
            "slug": slug,
            "number": round.number,
            "invited": round.invited,
            "submitted": round.submitted,
            "rate": round.rate,
        }),
    )
}

pub async fn close(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<Empty>,
) -> Result<HttpResponse, PageError> {
    let facilitator = form.facilitator;
    let slug = path.into_inner();
    require_role(&state, &facilitator, &slug, Role::Editor).await?;
    let actor = actor(&facilitator);
    let lookup = slug.clone();
    let closed = state
        .store
        .run(move |conn| rounds::close(conn, &lookup, "facilitator", &actor))
        .await;
    match closed {
        Ok(c) => Ok(see_other(&format!(
            "{}?done=closed&n={}",
            study_url(&slug),
            c.number
        ))),
        Err(e) => refusal(&facilitator, e, &study_url(&slug)),
    }
}
