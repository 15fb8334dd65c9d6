//! An expert's delivery history (issue 18), one click from the dashboard: every attempt,
//! acceptance, bounce and auto-reply of their emails with the server's words; and, when their
//! address bounced for good, the form that corrects it and sends the invitation again.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::access::{Editor, Key, StudyAccess, StudyForm, Viewer};
use super::t;
use crate::domain::role::Role;
use crate::service::{bounces, rounds, ServiceError};
use crate::web::error::PageError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/console/s/{slug}/experts/{pseudonym}/deliveries",
        web::get().to(page),
    )
    .route(
        "/console/s/{slug}/experts/{pseudonym}/address",
        web::post().to(correct),
    );
}

pub async fn page(access: StudyAccess<Viewer>, Key(pseudonym): Key) -> Result<HttpResponse, PageError> {
    let history = match access
        .run(move |conn, slug| bounces::history(conn, slug, &pseudonym))
        .await
    {
        Ok(history) => history,
        Err(e) => return access.refuse(e, &access.url()),
    };
    let lang = access.lang();
    let entries: Vec<_> = history
        .entries
        .iter()
        .map(|e| {
            json!({
                "at": e.at,
                "kind": e.kind,
                "message": e.message,
                "event": t(lang, &format!("delivery-event-{}", e.event.as_str().replace('_', "-"))),
                "status": e.status,
                "detail": e.detail,
            })
        })
        .collect();
    let who = match &history.name {
        Some(name) => format!("{name} ({})", history.pseudonym),
        None => history.pseudonym.clone(),
    };
    access.render(
        "console/deliveries",
        json!({
            "title": crate::i18n::translate(lang, "delivery-title", &[("who", who.into())]),
            "pseudonym": history.pseudonym,
            "address": history.address,
            "undeliverable": history.undeliverable,
            "entries": entries,
            "can_correct": access.role.includes(Role::Editor),
        }),
    )
}

#[derive(Deserialize)]
pub struct AddressForm {
    email: String,
}

/// Corrects the address, then sends the invitation to the open round again when the expert
/// has one (a study between rounds just gets the address for the next one).
pub async fn correct(
    Key(pseudonym): Key,
    StudyForm { access, form }: StudyForm<Editor, AddressForm>,
) -> Result<HttpResponse, PageError> {
    let links = access.state.settings.links();
    let actor = access.actor();
    let outcome = access
        .run(move |conn, slug| {
            let corrected = bounces::correct_address(conn, slug, &pseudonym, &form.email, &actor)?;
            match rounds::resend(conn, slug, &corrected.address, &links, &actor) {
                Ok(_) => Ok("corrected_resent".to_string()),
                // No open round, or not invited to it: the address is what changed.
                Err(ServiceError::Conflict(_)) => Ok("corrected".to_string()),
                Err(e) => Err(e),
            }
        })
        .await;
    access.back_to_study(outcome)
}
