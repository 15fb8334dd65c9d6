//! The administrators' Accounts page: every facilitator account, with disable and enable, and
//! invitations: an administrator invites a facilitator by email, the invitee chooses their name
//! and password through the link. Administrators only; everyone else gets 403.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::{refusal, render, see_other, t, Done};
use crate::domain::account::{self, Problem};
use crate::domain::sender_check::Verdict;
use crate::service::accounts::{self, InvitationLetter};
use crate::service::sender_check;
use crate::service::ServiceError;
use crate::web::auth::{problems, CsrfForm, Facilitator};
use crate::web::error::{AppError, ErrorKind, PageError};
use crate::web::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/accounts", web::get().to(page))
        .route("/console/accounts/disable", web::post().to(disable))
        .route("/console/accounts/enable", web::post().to(enable))
        .route("/console/accounts/invite", web::post().to(invite))
        .route("/console/accounts/reinvite", web::post().to(reinvite))
        .route("/console/accounts/sender-check", web::get().to(sender_check));
}

const NOTICES: &[&str] = &["disabled", "enabled", "invited", "reinvited"];

fn admins_only(facilitator: &Facilitator) -> Result<(), PageError> {
    if facilitator.is_admin {
        Ok(())
    } else {
        Err(PageError(AppError::new(
            ErrorKind::Forbidden,
            "Only administrators can manage accounts: ask one to invite or disable a facilitator. \
             Nothing was changed.",
        )))
    }
}

pub async fn page(
    facilitator: Facilitator,
    state: web::Data<AppState>,
    query: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    admins_only(&facilitator)?;
    let notice = query.notice(facilitator.lang, NOTICES, "accounts-done-");
    accounts_page(
        &facilitator,
        &state,
        StatusCode::OK,
        notice,
        &InviteForm::default(),
        &[],
        None,
    )
    .await
}

/// The page with the sender check's findings: the lookups run on demand, never on every visit
/// (a few seconds, at most `sender_check::CHECK_TIMEOUT`).
async fn sender_check(
    facilitator: Facilitator,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    admins_only(&facilitator)?;
    let report = sender_check::check(&state.settings.email).await;
    let worded = sender_check::worded(&report, facilitator.lang);
    let problem = report.verdict != Verdict::LikelyAccepted;
    let sender = json!({ "report": worded, "warn": problem });
    accounts_page(
        &facilitator,
        &state,
        StatusCode::OK,
        None,
        &InviteForm::default(),
        &[],
        Some(sender),
    )
    .await
}

/// The list, and the invitation form as typed with its problems when it was refused.
async fn accounts_page(
    facilitator: &Facilitator,
    state: &AppState,
    status: StatusCode,
    notice: Option<String>,
    typed: &InviteForm,
    found: &[(&'static str, String)],
    sender: Option<serde_json::Value>,
) -> Result<HttpResponse, PageError> {
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
                "joined": a.joined,
                "last_login": a.last_login.clone().unwrap_or_else(|| t(lang, "accounts-never")),
                "me": a.email == facilitator.email,
            })
        })
        .collect();
    let mut context = json!({
        "title": t(lang, "accounts-title"),
        "accounts": rows,
        "notice": notice,
        "invite": { "email": typed.email, "name": typed.name, "admin": typed.admin.is_some() },
        "invitation_days": invitation_days(state),
        "sender": sender,
        "sender_from": state.settings.email.from,
    });
    problems::insert(&mut context, problems::context(found));
    render(facilitator, status, "console/accounts", context)
}

fn invitation_days(state: &AppState) -> u64 {
    state.settings.accounts.invitation_secs.div_ceil(86_400)
}

#[derive(Debug, Default, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    /// The checkbox: present when ticked.
    #[serde(default)]
    admin: Option<String>,
}

fn letter(facilitator: &Facilitator, state: &AppState) -> InvitationLetter {
    InvitationLetter {
        link_base: state.settings.public_url(),
        lang: facilitator.lang,
        valid_for: accounts::seconds(state.settings.accounts.invitation_secs),
        inviter_name: facilitator.name.clone(),
    }
}

async fn invite(state: web::Data<AppState>, form: CsrfForm<InviteForm>) -> Result<HttpResponse, PageError> {
    let CsrfForm { facilitator, form } = form;
    admins_only(&facilitator)?;
    let lang = facilitator.lang;
    // The invitee chooses their own name later; until then the address stands for it.
    let name = if form.name.trim().is_empty() {
        form.email.trim().to_string()
    } else {
        form.name.clone()
    };
    let mut found: Vec<Problem> = account::check_email(&form.email).err().into_iter().collect();
    found.extend(account::check_name(&name).err());
    let mut listed = problems::listed(lang, &found);
    if listed.is_empty() {
        let (email, is_admin, letter, actor) = (
            form.email.clone(),
            form.admin.is_some(),
            letter(&facilitator, &state),
            facilitator.actor(),
        );
        let invited = state
            .store
            .run(move |conn| accounts::invite(conn, &email, &name, is_admin, &letter, &actor))
            .await;
        match invited {
            Ok(_) => return Ok(see_other("/console/accounts?done=invited")),
            Err(ServiceError::Conflict(_)) => listed.push(("email", t(lang, "account-problem-email-taken"))),
            Err(e) => return Err(e.into()),
        }
    }
    accounts_page(
        &facilitator,
        &state,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
        &form,
        &listed,
        None,
    )
    .await
}

async fn reinvite(
    state: web::Data<AppState>,
    form: CsrfForm<AccountForm>,
) -> Result<HttpResponse, PageError> {
    let CsrfForm { facilitator, form } = form;
    admins_only(&facilitator)?;
    let (letter, actor) = (letter(&facilitator, &state), facilitator.actor());
    let sent = state
        .store
        .run(move |conn| accounts::reinvite(conn, &form.email, &letter, &actor))
        .await;
    match sent {
        Ok(_) => Ok(see_other("/console/accounts?done=reinvited")),
        Err(e) => refusal(&facilitator, e, "/console/accounts"),
    }
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
