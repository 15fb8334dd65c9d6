//! Finishing a study and its final list: "Finish the study" (a confirmation with the reason to
//! record and the closing email to the panel, on by default) after any closed round, and the
//! final consensus list, by section, printable, where a closing email not sent at finishing can
//! still be sent, once.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::access::{Editor, StudyAccess, StudyForm, Viewer};
use super::{t, Done};
use crate::domain::role::Role;
use crate::domain::rule::Status;
use crate::i18n;
use crate::service::final_list::final_list;
use crate::service::{closing, rounds, ServiceError};
use crate::web::error::PageError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/finish", web::get().to(confirm))
        .route("/console/s/{slug}/finish", web::post().to(finish))
        .route("/console/s/{slug}/final", web::get().to(list))
        .route(
            "/console/s/{slug}/final/closing-email",
            web::post().to(send_closing),
        );
}

/// The closing email as the pages show it: its wording in the facilitator's language, and how
/// many experts it would go to; or why it cannot be written (a study's own wording that no
/// longer renders), to show next to the checkbox.
async fn closing_wording<R, A>(access: &StudyAccess<R, A>) -> Result<(Value, Option<String>), PageError> {
    let (lang, links) = (access.lang(), access.state.settings.links());
    let wording = access
        .run(move |conn, slug| closing::wording(conn, slug, lang, &links))
        .await;
    match wording {
        Ok(w) => Ok((
            json!({ "subject": w.subject, "text": w.text, "experts": w.experts }),
            None,
        )),
        Err(e @ ServiceError::Invalid { .. }) => Ok((
            json!({ "subject": "—", "text": "", "experts": 0 }),
            Some(problem_with_email(lang, &e.to_string())),
        )),
        Err(e) => Err(PageError(e.into())),
    }
}

fn problem_with_email(lang: &str, reason: &str) -> String {
    i18n::translate(
        lang,
        "closing-problem-email",
        &[("reason", reason.to_string().into())],
    )
}

/// What the confirmation shows again after a refusal: the reason and the checkbox as they were
/// posted, and every problem with its field.
struct Posted<'a> {
    reason: &'a str,
    email_panel: bool,
    reason_error: Option<String>,
    email_error: Option<String>,
}

async fn confirm_page(
    access: &StudyAccess<Editor>,
    status: StatusCode,
    posted: Posted<'_>,
) -> Result<HttpResponse, PageError> {
    let (closing, wording_error) = closing_wording(access).await?;
    let email_error = posted.email_error.or(wording_error);
    let errors: Vec<Value> = [("reason", &posted.reason_error), ("email_panel", &email_error)]
        .into_iter()
        .filter_map(|(field, message)| message.as_ref().map(|m| json!({ "field": field, "message": m })))
        .collect();
    access.render_status(
        status,
        "console/finish",
        json!({
            "title": access.titled("finish-title"),
            "reason": posted.reason,
            "errors": errors,
            "error": posted.reason_error.unwrap_or_default(),
            "email_error": email_error.unwrap_or_default(),
            "email_panel": posted.email_panel,
            "closing": closing,
            "closing_open": true,
            "max": rounds::MAX_REASON_CHARS,
        }),
    )
}

async fn confirm(access: StudyAccess<Editor>) -> Result<HttpResponse, PageError> {
    let posted = Posted {
        reason: "",
        // Thanking the panel is what most studies want: on unless the facilitator says no.
        email_panel: true,
        reason_error: None,
        email_error: None,
    };
    confirm_page(&access, StatusCode::OK, posted).await
}

#[derive(Deserialize)]
struct FinishForm {
    #[serde(default)]
    reason: String,
    /// The checkbox: present (any value) when ticked. A script that leaves it out finishes
    /// without emailing anyone.
    #[serde(default)]
    email_panel: Option<String>,
}

async fn finish(
    StudyForm { access, form }: StudyForm<Editor, FinishForm>,
) -> Result<HttpResponse, PageError> {
    let email_panel = form.email_panel.is_some();
    let (actor, reason, links) = (access.actor(), form.reason.clone(), access.state.settings.links());
    let finished = access
        .run(move |conn, slug| closing::finish(conn, slug, &reason, email_panel, &links, &actor))
        .await;
    let lang = access.lang();
    let refused = |reason_error, email_error| Posted {
        reason: &form.reason,
        email_panel,
        reason_error,
        email_error,
    };
    match finished {
        Ok((_, None)) => Ok(super::see_other(&format!(
            "{}?done=finished",
            access.page("final")
        ))),
        Ok((_, Some(sent))) => Ok(super::see_other(&format!(
            "{}?done=finished-emailed&n={}",
            access.page("final"),
            sent.experts
        ))),
        Err(ServiceError::Invalid { field, reason }) if field == "reason" => {
            let message = format!("{}: {reason}", t(lang, "finish-reason"));
            confirm_page(
                &access,
                StatusCode::UNPROCESSABLE_ENTITY,
                refused(Some(message), None),
            )
            .await
        }
        Err(e @ ServiceError::Invalid { .. }) => {
            let message = problem_with_email(lang, &e.to_string());
            confirm_page(
                &access,
                StatusCode::UNPROCESSABLE_ENTITY,
                refused(None, Some(message)),
            )
            .await
        }
        Err(e) => access.refuse(e, &access.url()),
    }
}

/// POST …/final/closing-email: the closing email of a study finished without it, once.
async fn send_closing(
    StudyForm { access, .. }: StudyForm<Editor, NoFields>,
) -> Result<HttpResponse, PageError> {
    let (actor, links) = (access.actor(), access.state.settings.links());
    let sent = access
        .run(move |conn, slug| closing::send_later(conn, slug, &links, &actor))
        .await
        .map(|sent| format!("{}?done=closing&n={}", access.page("final"), sent.experts));
    access.redirect(sent, &access.page("final"))
}

/// A form with nothing but its CSRF token.
#[derive(Deserialize)]
struct NoFields {}

fn number(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())
}

async fn list(access: StudyAccess<Viewer>, query: web::Query<Done>) -> Result<HttpResponse, PageError> {
    let found = access.run(final_list).await?;
    let lang = access.lang();
    let sections: Vec<Value> = found
        .sections
        .iter()
        .map(|s| {
            let items: Vec<Value> = s
                .items
                .iter()
                .map(|l| {
                    json!({
                        "code": l.item_code,
                        "text": l.item_text,
                        "round": l.round,
                        "n": l.n,
                        "median": number(l.figures.median),
                        "iqr": number(l.figures.iqr),
                        "agree": l.status == Status::In,
                        "status": t(lang, &format!("console2-rule-status-{}", l.status)),
                        "class": l.status.as_str(),
                    })
                })
                .collect();
            json!({ "key": s.key, "title": s.title, "items": items })
        })
        .collect();
    let [in_, out, none] = found.tally;
    let finished = found.finished.is_some();
    let sent = access.run(closing::sent).await?;
    let offer = finished && sent.is_none() && access.role.includes(Role::Editor);
    let closing = if offer {
        Some(closing_wording(&access).await?.0)
    } else {
        None
    };
    let closing_sent = sent.map(|s| {
        i18n::translate(
            lang,
            "closing-sent",
            &[("at", s.queued_at_local.into()), ("n", s.experts.into())],
        )
    });
    access.render(
        "console/final",
        json!({
            "title": access.titled("final-title"),
            "notice": query.notice(lang, &["finished", "finished-emailed", "closing"], "final-done-"),
            "closing_sent": closing_sent,
            "closing_offer": offer,
            "closing": closing,
            "closing_open": false,
            "finished": finished,
            "finished_at": found.finished_local,
            "reason": found.finished.map(|(_, reason)| reason),
            "last_round": found.last_round,
            "sections": sections,
            "in": in_, "out": out, "none": none,
        }),
    )
}
