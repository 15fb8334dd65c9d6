//! Finishing a study and its final list: "Finish the study" (a confirmation with the reason to
//! record) after any closed round, and the final consensus list, by section, printable.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::access::{Editor, StudyAccess, StudyForm, Viewer};
use super::{t, Done};
use crate::domain::rule::Status;
use crate::service::final_list::final_list;
use crate::service::{rounds, ServiceError};
use crate::web::error::PageError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/finish", web::get().to(confirm))
        .route("/console/s/{slug}/finish", web::post().to(finish))
        .route("/console/s/{slug}/final", web::get().to(list));
}

fn confirm_page(
    access: &StudyAccess<Editor>,
    status: StatusCode,
    reason: &str,
    error: Option<String>,
) -> Result<HttpResponse, PageError> {
    let errors: Vec<Value> = error
        .iter()
        .map(|message| json!({ "field": "reason", "message": message }))
        .collect();
    access.render_status(
        status,
        "console/finish",
        json!({
            "title": access.titled("finish-title"),
            "reason": reason,
            "errors": errors,
            "error": error.unwrap_or_default(),
            "max": rounds::MAX_REASON_CHARS,
        }),
    )
}

async fn confirm(access: StudyAccess<Editor>) -> Result<HttpResponse, PageError> {
    confirm_page(&access, StatusCode::OK, "", None)
}

#[derive(Deserialize)]
struct FinishForm {
    #[serde(default)]
    reason: String,
}

async fn finish(form: StudyForm<Editor, FinishForm>) -> Result<HttpResponse, PageError> {
    let StudyForm { access, form } = form;
    let (actor, reason) = (access.actor(), form.reason.clone());
    let finished = access
        .run(move |conn, slug| rounds::finish(conn, slug, &reason, &actor))
        .await;
    match finished {
        Ok(_) => Ok(super::see_other(&format!(
            "{}?done=finished",
            access.page("final")
        ))),
        Err(ServiceError::Invalid { reason, .. }) => {
            let message = format!("{}: {reason}", t(access.lang(), "finish-reason"));
            confirm_page(
                &access,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form.reason,
                Some(message),
            )
        }
        Err(e) => access.refuse(e, &access.url()),
    }
}

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
    access.render(
        "console/final",
        json!({
            "title": access.titled("final-title"),
            "notice": query.notice(lang, &["finished"], "final-done-"),
            "finished": found.finished.is_some(),
            "finished_at": found.finished_local,
            "reason": found.finished.map(|(_, reason)| reason),
            "last_round": found.last_round,
            "sections": sections,
            "in": in_, "out": out, "none": none,
        }),
    )
}
