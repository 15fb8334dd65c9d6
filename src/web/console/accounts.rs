//! The administrators' Accounts page: every facilitator account, with disable and enable.
//! Administrators (`delphi admin add --admin`) only; everyone else gets 403. Accounts are
//! created on the server (`delphi admin add`), never here: that needs a password to be set.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::{refusal, render, see_other, t, Done};
use crate::service::{accounts, ServiceError};
use crate::web::auth::{CsrfForm, Facilitator};
use crate::web::error::{AppError, ErrorKind, PageError};
use crate::web::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/accounts", web::get().to(page))
        .route("/console/accounts/disable", web::post().to(disable))
        .route("/console/accounts/enable", web::post().to(enable));
}

const NOTICES: &[&str] = &["disabled", "enabled"];

fn admins_only(facilitator: &Facilitator) -> Result<(), PageError> {
    if facilitator.is_admin {
        Ok(())
    } else {
        Err(PageError(AppError::new(
            ErrorKind::Forbidden,
            "Only administrators can manage accounts (an administrator's account is created with \
             `delphi admin add --admin`). Nothing was changed.",
        )))
    }
}

pub async fn page(
    facilitator: Facilitator,
    state: web::Data<AppState>,
    query: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    admins_only(&facilitator)?;
    let list = state.store.run(accounts::all_accounts).await?;
    let lang = facilitator.lang;
    let rows: Vec<serde_json::Value> = list
        .iter()
        .map(|a| {
            json!({
                "email": a.email,
                "name": a.name,
                "admin": t(lang, if a.is_admin { "accounts-yes" } else { "accounts-no" }),
                "active": a.active,
                "last_login": a.last_login.clone().unwrap_or_else(|| t(lang, "accounts-never")),
                "me": a.email == facilitator.email,
            })
        })
        .collect();
    let notice = query.notice(lang, NOTICES, "accounts-done-");
    render(
        &facilitator,
        StatusCode::OK,
        "console/accounts",
        json!({ "title": t(lang, "accounts-title"), "accounts": rows, "notice": notice }),
    )
}

#[derive(Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    email: String,
}

async fn set_disabled(
    state: web::Data<AppState>,
    form: CsrfForm<AccountForm>,
    disabled: bool,
) -> Result<HttpResponse, PageError> {
    let CsrfForm { facilitator, form } = form;
    admins_only(&facilitator)?;
    let email = form.email.trim().to_string();
    if disabled && email.eq_ignore_ascii_case(&facilitator.email) {
        // An administrator locking themselves out would leave nobody to undo it in the browser.
        return refusal(
            &facilitator,
            ServiceError::Conflict(
                "You cannot disable your own account here; another administrator can, or use \
                 `delphi admin disable` on the server. Nothing was changed."
                    .into(),
            ),
            "/console/accounts",
        );
    }
    let actor = facilitator.actor();
    let changed = state
        .store
        .run(move |conn| accounts::set_account_disabled(conn, &email, disabled, &actor))
        .await;
    match changed {
        Ok(_) => Ok(see_other(&format!(
            "/console/accounts?done={}",
            if disabled { "disabled" } else { "enabled" }
        ))),
        Err(e) => refusal(&facilitator, e, "/console/accounts"),
    }
}

pub async fn disable(
    state: web::Data<AppState>,
    form: CsrfForm<AccountForm>,
) -> Result<HttpResponse, PageError> {
    set_disabled(state, form, true).await
}

pub async fn enable(
    state: web::Data<AppState>,
    form: CsrfForm<AccountForm>,
) -> Result<HttpResponse, PageError> {
    set_disabled(state, form, false).await
}
