//! Suggestion triage: every suggestion of the study, and for editors a form per pending one to
//! accept it as a new item, merge it into an existing item, or reject it, with a reason.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::rounds::actor;
use super::{refusal, render, see_other};
use crate::i18n;
use crate::service::suggestions::{self, Decision};
use crate::service::{listings, studies, ServiceError};
use crate::web::auth::require_role;
use crate::web::auth::{CsrfForm, Facilitator, Role};
use crate::web::error::PageError;
use crate::web::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/suggestions", web::get().to(page))
        .route("/console/s/{slug}/suggestions/{id}", web::post().to(decide));
}

pub async fn page(
    facilitator: Facilitator,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let slug = path.into_inner();
    let (study, role) = require_role(&state, &facilitator, &slug, Role::Viewer).await?;
    let lookup = slug.clone();
    let (list, overview, items) = state
        .store
        .run(move |conn| -> Result<_, ServiceError> {
            Ok((
                suggestions::list(conn, &lookup)?,
                studies::show(conn, &lookup)?,
                listings::items(conn, &lookup)?,
            ))
        })
        .await?;
    let lang = facilitator.lang;
    let items: Vec<_> = items
        .iter()
        .filter(|i| !i.retired)
        .map(|i| json!({ "code": i.code, "text": i.text }))
        .collect();
    let rows: Vec<_> = list
        .iter()
        .map(|s| {
            json!({
                "id": s.id,
                "round": s.round,
                "expert": s.expert.clone().unwrap_or_else(|| "—".into()),
                "section": s.section.clone().unwrap_or_default(),
                "text": s.text,
                "rationale": s.rationale,
                "pending": s.status == "pending",
                "status": i18n::translate(lang, &format!("console2-suggestion-{}", s.status), &[]),
                "reason": s.reason,
                "item": s.item,
            })
        })
        .collect();
    render(
        &facilitator,
        StatusCode::OK,
        "console/suggestions",
        json!({
            "title": i18n::translate(lang, "console2-suggestions-title", &[("study", study.title.clone().into())]),
            "slug": slug,
            "suggestions": rows,
            "sections": overview.sections.iter().map(|(k, t, _)| json!({"key": k, "title": t})).collect::<Vec<_>>(),
            "items": items,
            "can_edit": role.includes(Role::Editor),
        }),
    )
}

#[derive(Deserialize)]
pub struct DecideForm {
    decision: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    into: String,
    #[serde(default)]
    reason: String,
}

pub async fn decide(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    form: CsrfForm<DecideForm>,
) -> Result<HttpResponse, PageError> {
    let CsrfForm { facilitator, form } = form;
    let (slug, id) = path.into_inner();
    require_role(&state, &facilitator, &slug, Role::Editor).await?;
    let back = format!("/console/s/{slug}/suggestions");
    let decision = match form.decision.as_str() {
        "accept" => Decision::Accept {
            code: form.code,
            section: form.section,
            text: form.text,
        },
        "merge" => Decision::Merge { into: form.into },
        "reject" => Decision::Reject,
        _ => {
            return refusal(
                &facilitator,
                ServiceError::invalid("decision", "choose accept, merge or reject"),
                &back,
            )
        }
    };
    let actor = actor(&facilitator);
    let facilitator_id = facilitator.id;
    let lookup = slug.clone();
    let reason = form.reason;
    let decided = state
        .store
        .run(move |conn| {
            suggestions::decide(
                conn,
                &lookup,
                id,
                &decision,
                &reason,
                Some(facilitator_id),
                &actor,
            )
        })
        .await;
    match decided {
        Ok(_) => Ok(see_other(&format!("/console/s/{slug}?done=suggestion"))),
        Err(e) => refusal(&facilitator, e, &back),
    }
}
