//! Suggestion triage: every suggestion of the study, and for editors a form per pending one to
//! accept it as a new item, merge it into an existing item, or reject it, with a reason.

use actix_web::{web, HttpResponse};
use serde_json::json;

use super::access::{Editor, Key, StudyAccess, StudyForm, Viewer};
use super::triage::{self, Becomes, Choices, Decided};
use crate::domain::role::Role;
use crate::domain::suggestion::SuggestionStatus;
use crate::i18n;
use crate::service::suggestions::{self, Decision};
use crate::service::ServiceError;
use crate::web::error::PageError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/suggestions", web::get().to(page))
        .route("/console/s/{slug}/suggestions/{id}", web::post().to(decide));
}

pub async fn page(access: StudyAccess<Viewer>) -> Result<HttpResponse, PageError> {
    let (list, choices) = access
        .run(|conn, slug| Ok((suggestions::list(conn, slug)?, Choices::load(conn, slug)?)))
        .await?;
    let lang = access.lang();
    let rows: Vec<_> = list
        .iter()
        .map(|s| {
            triage::proposal(
                s.expert.as_deref(),
                s.section.as_deref(),
                &s.text,
                s.rationale.as_deref(),
                s.status == SuggestionStatus::Pending,
                json!({
                    "id": s.id,
                    "round": s.round,
                    "status": i18n::translate(lang, &format!("console2-suggestion-{}", s.status), &[]),
                    "reason": s.reason,
                    "item": s.item,
                }),
            )
        })
        .collect();
    access.render(
        "console/suggestions",
        json!({
            "title": access.titled("console2-suggestions-title"),
            "suggestions": rows,
            "sections": choices.sections,
            "items": choices.items,
            "can_edit": access.role.includes(Role::Editor),
        }),
    )
}

pub async fn decide(
    Key(id): Key<i64>,
    StudyForm { access, mut form }: StudyForm<Editor, Decided>,
) -> Result<HttpResponse, PageError> {
    let back = access.page("suggestions");
    let decision = match form.becomes(["accept", "merge", "reject"]) {
        Some(Becomes::New { code, section, text }) => Decision::Accept { code, section, text },
        Some(Becomes::Existing(into)) => Decision::Merge { into },
        Some(Becomes::Neither) => Decision::Reject,
        None => {
            return access.refuse(
                ServiceError::invalid("decision", "choose accept, merge or reject"),
                &back,
            )
        }
    };
    let facilitator_id = access.facilitator.id;
    let ruling = suggestions::Ruling {
        suggestion_id: id,
        decision,
        reason: form.reason,
        facilitator_id: Some(facilitator_id),
    };
    let decided = access
        .act(move |conn, slug, actor| suggestions::decide(conn, slug, &ruling, actor))
        .await;
    access.redirect(decided.map(|_| access.done("suggestion")), &back)
}
