//! A study's Team page: who has which role. Owners grant a role to an existing account by
//! email, change a role and remove one; everyone else sees the list read-only. The rules (the
//! last owner stays, unknown emails are refused) are `service::team`'s, shared with the API.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::access::{Owner, StudyAccess, StudyForm, Viewer};
use super::{correctable, see_other, t, Done};
use crate::domain::role::Role;
use crate::service::{team, ServiceError};
use crate::web::error::PageError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/team", web::get().to(page))
        .route("/console/s/{slug}/team", web::post().to(set_role))
        .route("/console/s/{slug}/team/remove", web::post().to(remove));
}

/// What a POST just did, shown once on the page it redirected to.
const NOTICES: &[&str] = &["granted", "changed", "removed", "unchanged"];

/// The page, with `error` (a refused change) shown above the forms and the typed email kept.
async fn team_page<R>(
    access: &StudyAccess<R>,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
    typed_email: &str,
) -> Result<HttpResponse, PageError> {
    let members = access.run(team::members).await?;
    let (lang, role) = (access.lang(), access.role);
    let is_owner = role.includes(Role::Owner);
    let roles = |current: Option<Role>| {
        [Role::Owner, Role::Editor, Role::Viewer]
            .iter()
            .map(|r| {
                json!({
                    "value": r.as_str(),
                    "label": t(lang, &format!("console-role-{}", r.as_str())),
                    "selected": current == Some(*r),
                })
            })
            .collect::<Vec<_>>()
    };
    let rows: Vec<serde_json::Value> = members
        .iter()
        .map(|m| {
            json!({
                "email": m.email,
                "name": m.name,
                "role": t(lang, &format!("console-role-{}", m.role.as_str())),
                "active": m.active,
                "since": m.since,
                "me": m.email == access.facilitator.email,
                "roles": roles(Some(m.role)),
            })
        })
        .collect();
    access.render_status(
        status,
        "console/team",
        json!({
            "title": access.titled("team-title"),
            "members": rows,
            "is_owner": is_owner,
            "my_role": t(lang, &format!("console-role-{}", role.as_str())),
            "roles": roles(Some(Role::Viewer)),
            "notice": notice,
            "error": error,
            "typed_email": typed_email,
        }),
    )
}

pub async fn page(access: StudyAccess<Viewer>, query: web::Query<Done>) -> Result<HttpResponse, PageError> {
    let notice = query.notice(access.lang(), NOTICES, "team-done-");
    team_page(&access, StatusCode::OK, notice, None, "").await
}

/// A refusal the owner can correct (unknown email, last owner) on the Team page itself, with
/// the status of its kind; failures of ours stay the generic error page.
async fn refused(
    access: &StudyAccess<Owner>,
    error: ServiceError,
    typed_email: &str,
) -> Result<HttpResponse, PageError> {
    let app = correctable(error)?;
    // `email: there is no …` reads better without the key on a page with one email field.
    let message = app
        .message
        .strip_prefix("email: ")
        .unwrap_or(&app.message)
        .to_string();
    team_page(access, app.kind.status(), None, Some(message), typed_email).await
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// Grants a role to an existing account, or changes the role someone has (owners only).
pub async fn set_role(
    StudyForm { access, form }: StudyForm<Owner, RoleForm>,
) -> Result<HttpResponse, PageError> {
    let email = form.email.trim().to_string();
    if email.is_empty() {
        let error = ServiceError::invalid("email", t(access.lang(), "team-email-missing"));
        return refused(&access, error, "").await;
    }
    let role: Role = match form.role.parse() {
        Ok(role) => role,
        Err(reason) => return refused(&access, ServiceError::invalid("role", reason), &email).await,
    };
    let who = email.clone();
    let changed = access
        .act(move |conn, slug, actor| team::set_role(conn, slug, &who, role, actor))
        .await;
    match changed {
        Ok(change) => {
            let done = match change.previous {
                None => "granted",
                Some(previous) if previous == change.role => "unchanged",
                Some(_) => "changed",
            };
            Ok(see_other(&access.page(&format!("team?done={done}"))))
        }
        Err(e) => refused(&access, e, &email).await,
    }
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    email: String,
}

/// Removes someone's role in the study (owners only).
pub async fn remove(
    StudyForm { access, form }: StudyForm<Owner, RemoveForm>,
) -> Result<HttpResponse, PageError> {
    let email = form.email.trim().to_string();
    let who = email.clone();
    let removed = access
        .act(move |conn, slug, actor| team::remove(conn, slug, &who, actor))
        .await;
    match removed {
        // Someone who removed themselves can no longer see the page.
        Ok(_) if email.eq_ignore_ascii_case(&access.facilitator.email) => Ok(see_other("/console")),
        Ok(_) => Ok(see_other(&access.page("team?done=removed"))),
        Err(e) => refused(&access, e, "").await,
    }
}
