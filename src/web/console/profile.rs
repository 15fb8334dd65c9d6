//! "Your account": every facilitator changes their own name and password here.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::{render, see_other, t, Done};
use crate::domain::account::{self, Problem, MIN_PASSWORD_CHARS};
use crate::service::{accounts, ServiceError};
use crate::web::auth::{problems, CsrfForm, Facilitator};
use crate::web::error::{AppError, PageError};
use crate::web::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/profile", web::get().to(page))
        .route("/console/profile/name", web::post().to(rename))
        .route("/console/profile/password", web::post().to(change_password));
}

const NOTICES: &[&str] = &["renamed", "password"];

/// The page, with `name` as typed and the problems of the form that was refused, if any.
fn profile_page(
    facilitator: &Facilitator,
    status: StatusCode,
    name: &str,
    notice: Option<String>,
    found: &[Problem],
) -> Result<HttpResponse, PageError> {
    let lang = facilitator.lang;
    let mut context = json!({
        "title": t(lang, "profile-title"),
        "notice": notice,
        "name": name,
        "email": facilitator.email,
        "min": MIN_PASSWORD_CHARS,
    });
    problems::insert(&mut context, problems::of(lang, found));
    render(facilitator, status, "console/profile", context)
}

async fn page(facilitator: Facilitator, query: web::Query<Done>) -> Result<HttpResponse, PageError> {
    let notice = query.notice(facilitator.lang, NOTICES, "profile-done-");
    let name = facilitator.name.clone();
    profile_page(&facilitator, StatusCode::OK, &name, notice, &[])
}

#[derive(Deserialize)]
struct NameForm {
    #[serde(default)]
    name: String,
}

async fn rename(state: web::Data<AppState>, form: CsrfForm<NameForm>) -> Result<HttpResponse, PageError> {
    let CsrfForm { facilitator, form } = form;
    if let Err(problem) = account::check_name(&form.name) {
        return profile_page(
            &facilitator,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.name,
            None,
            &[problem],
        );
    }
    let id = facilitator.id;
    state
        .store
        .run(move |conn| accounts::rename(conn, id, &form.name))
        .await?;
    Ok(see_other("/console/profile?done=renamed"))
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

async fn change_password(
    state: web::Data<AppState>,
    form: CsrfForm<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    let CsrfForm { facilitator, form } = form;
    let id = facilitator.id;
    let stored = state
        .store
        .run(move |conn| accounts::password_hash_of(conn, id))
        .await?;
    let PasswordForm {
        current,
        password,
        confirm,
    } = form;
    // Argon2 takes a while on purpose: off the async workers. Every problem is listed at
    // once, the wrong current password included.
    let checked = web::block(move || -> Result<Result<String, Vec<Problem>>, ServiceError> {
        let mut found = Vec::new();
        if !accounts::password_matches(stored.as_deref(), &current) {
            found.push(Problem::CurrentPasswordWrong);
        }
        found.extend(account::check_new_password(&password, &confirm));
        if !found.is_empty() {
            return Ok(Err(found));
        }
        accounts::hash_password(&password).map(Ok)
    })
    .await
    .map_err(AppError::internal)??;
    let hash = match checked {
        Ok(hash) => hash,
        Err(found) => {
            let name = facilitator.name.clone();
            return profile_page(
                &facilitator,
                StatusCode::UNPROCESSABLE_ENTITY,
                &name,
                None,
                &found,
            );
        }
    };
    let keep = facilitator.session_id;
    state
        .store
        .run(move |conn| accounts::change_password(conn, id, keep, &hash))
        .await?;
    Ok(see_other("/console/profile?done=password"))
}
