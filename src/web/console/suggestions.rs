//! Suggestion triage: every suggestion of the study, and for editors a form per pending one to
//! accept it as a new item, merge it into an existing item, or reject it, with a reason.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::access::{Editor, StudyAccess, StudyForm, Viewer};
use crate::domain::role::Role;
use crate::domain::suggestion::SuggestionStatus;
use crate::i18n;
use crate::service::suggestions::{self, Decision};
use crate::service::{listings, studies, ServiceError};
use crate::web::error::PageError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/suggestions", web::get().to(page))
        .route("/console/s/{slug}/suggestions/{id}", web::post().to(decide));
}

pub async fn page(access: StudyAccess<Viewer>) -> Result<HttpResponse, PageError> {
    let (list, overview, items) = access
        .run(|conn, slug| {
            Ok((
                suggestions::list(conn, slug)?,
                studies::show(conn, slug)?,
                listings::items(conn, slug)?,
            ))
        })
        .await?;
    let lang = access.lang();
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
                "pending": s.status == SuggestionStatus::Pending,
                "status": i18n::translate(lang, &format!("console2-suggestion-{}", s.status), &[]),
                "reason": s.reason,
                "item": s.item,
            })
        })
        .collect();
    access.render(
        "console/suggestions",
        json!({
            "title": access.titled("console2-suggestions-title"),
            "suggestions": rows,
            "sections": overview.sections.iter().map(|(k, t, _)| json!({"key": k, "title": t})).collect::<Vec<_>>(),
            "items": items,
            "can_edit": access.role.includes(Role::Editor),
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
    path: web::Path<(String, i64)>,
    form: StudyForm<Editor, DecideForm>,
) -> Result<HttpResponse, PageError> {
    let StudyForm { access, form } = form;
    let (_, id) = path.into_inner();
    let back = access.page("suggestions");
    let decision = match form.decision.as_str() {
        "accept" => Decision::Accept {
            code: form.code,
            section: form.section,
            text: form.text,
        },
        "merge" => Decision::Merge { into: form.into },
        "reject" => Decision::Reject,
        _ => {
            return access.refuse(
                ServiceError::invalid("decision", "choose accept, merge or reject"),
                &back,
            )
        }
    };
    let actor = access.actor();
    let facilitator_id = access.facilitator.id;
    let reason = form.reason;
    let decided = access
        .run(move |conn, slug| {
            suggestions::decide(conn, slug, id, &decision, &reason, Some(facilitator_id), &actor)
        })
        .await;
    access.redirect(decided.map(|_| access.done("suggestion")), &back)
}
