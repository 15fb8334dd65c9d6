//! Round control from the console: open the next round, remind, close (after a confirmation
//! page). Editors only; each goes through the same use case as the command line.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::access::{Editor, StudyAccess, StudyForm};
use crate::domain::round::RoundState;
use crate::i18n;
use crate::service::rounds;
use crate::service::{listings, ServiceError};
use crate::web::error::PageError;

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
pub async fn preview(access: StudyAccess<Editor>) -> Result<HttpResponse, PageError> {
    let planned = match access.run(rounds::preview).await {
        Ok(p) => p,
        Err(e) => return access.refuse(e, &access.url()),
    };
    let named = access.study.shows_names();
    let lang = access.lang();
    access.render(
        "console/preview",
        json!({
            "title": i18n::translate(lang, "console2-preview-round-title", &[("n", planned.number.into())]),
            "timezone": access.study.timezone,
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

pub async fn extend(form: StudyForm<Editor, OpenForm>) -> Result<HttpResponse, PageError> {
    let StudyForm { access, form } = form;
    let actor = access.actor();
    let extended = access
        .run(move |conn, slug| {
            if form.deadline.trim().is_empty() {
                return Err(ServiceError::invalid("deadline", "choose the new deadline"));
            }
            let deadline = rounds::parse_deadline(conn, slug, &form.deadline)?;
            rounds::extend(conn, slug, deadline, &actor)
        })
        .await;
    access.back_to_study(extended.map(|e| format!("extended&n={}", e.round)))
}

pub async fn resend(
    path: web::Path<(String, String)>,
    form: StudyForm<Editor, Empty>,
) -> Result<HttpResponse, PageError> {
    let access = form.access;
    let (_, pseudonym) = path.into_inner();
    let links = access.state.settings.links();
    let actor = access.actor();
    let resent = access
        .run(move |conn, slug| {
            let email = listings::email_of_pseudonym(conn, slug, &pseudonym)?;
            rounds::resend(conn, slug, &email, &links, &actor)
        })
        .await;
    access.back_to_study(resent.map(|r| format!("resent&n={}", r.round)))
}

pub async fn withdraw(
    path: web::Path<(String, String)>,
    form: StudyForm<Editor, Empty>,
) -> Result<HttpResponse, PageError> {
    let access = form.access;
    let (_, pseudonym) = path.into_inner();
    let actor = access.actor();
    let withdrawn = access
        .run(move |conn, slug| {
            let email = listings::email_of_pseudonym(conn, slug, &pseudonym)?;
            crate::service::mail::withdraw_expert(conn, slug, &email, &actor)
        })
        .await;
    access.back_to_study(withdrawn.map(|_| "withdrawn".into()))
}

#[derive(Deserialize)]
pub struct OpenForm {
    /// `YYYY-MM-DDTHH:MM` (an `<input type="datetime-local">`) in the study's time zone; empty
    /// for no deadline.
    #[serde(default)]
    deadline: String,
}

pub async fn open(form: StudyForm<Editor, OpenForm>) -> Result<HttpResponse, PageError> {
    let StudyForm { access, form } = form;
    let links = access.state.settings.links();
    let actor = access.actor();
    let opened = access
        .run(move |conn, slug| {
            let typed = form.deadline.trim();
            let deadline = (!typed.is_empty())
                .then(|| rounds::parse_deadline(conn, slug, typed))
                .transpose()?;
            rounds::open(conn, slug, deadline, &links, &actor)
        })
        .await;
    access.back_to_study(opened.map(|o| format!("opened&n={}", o.number)))
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn remind(form: StudyForm<Editor, Empty>) -> Result<HttpResponse, PageError> {
    let access = form.access;
    let links = access.state.settings.links();
    let actor = access.actor();
    let reminded = access
        .run(move |conn, slug| rounds::remind(conn, slug, &links, &actor))
        .await;
    access.back_to_study(reminded.map(|r| format!("reminded&n={}", r.reminded)))
}

/// Closing cannot be undone, so the button on the study page leads here first.
pub async fn close_confirm(access: StudyAccess<Editor>) -> Result<HttpResponse, PageError> {
    let board = access.run(crate::service::dashboard::dashboard).await?;
    let Some(round) = board.round.filter(|r| r.status == RoundState::Open) else {
        return access.refuse(
            ServiceError::Conflict(format!("study `{}` has no open round", access.slug())),
            &access.url(),
        );
    };
    access.render(
        "console/close",
        json!({
            "title": i18n::translate(access.lang(), "console2-close-title", &[("n", round.number.into())]),
            "study_title": access.study.title,
            "number": round.number,
            "invited": round.invited,
            "submitted": round.submitted,
            "rate": round.rate,
        }),
    )
}

pub async fn close(form: StudyForm<Editor, Empty>) -> Result<HttpResponse, PageError> {
    let access = form.access;
    let actor = access.actor();
    let closed = access
        .run(move |conn, slug| rounds::close(conn, slug, "facilitator", &actor))
        .await;
    access.back_to_study(closed.map(|c| format!("closed&n={}", c.number)))
}
