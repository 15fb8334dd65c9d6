//! An invited facilitator joins: the emailed link opens a form for their name and password,
//! and signs them in.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::one_time::{dead, Live, OneTime};
use super::problems;
use crate::domain::account;
use crate::service::accounts::{self, Invitee};
use crate::service::{Connection, ServiceError};
use crate::web::error::PageError;
use crate::web::{console_language_of, AppState};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/join/{token}", web::get().to(form))
        .route("/join/{token}", web::post().to(join));
}

#[derive(Debug, Default, Deserialize)]
struct JoinForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

fn join_page(
    req: &HttpRequest,
    status: StatusCode,
    token: &str,
    invitee: Option<&Invitee>,
    name: &str,
    problems: &[(&'static str, String)],
) -> Result<HttpResponse, PageError> {
    let context = json!({
        "dead": invitee.is_none(),
        "token": token,
        "email": invitee.map(|i| i.email.as_str()).unwrap_or_default(),
        "name": name,
    });
    problems::form_page(req, status, "pages/join", "join-title", context, problems)
}

/// The link of an invitation email.
enum JoinLink {}

impl OneTime for JoinLink {
    type Found = Invitee;

    fn find(conn: &mut Connection, token: &str) -> Result<Option<Invitee>, ServiceError> {
        accounts::invitation(conn, token)
    }

    fn dead_page(req: &HttpRequest, status: StatusCode) -> Result<HttpResponse, PageError> {
        join_page(req, status, "", None, "", &[])
    }
}

async fn form(req: HttpRequest, link: Live<JoinLink>) -> Result<HttpResponse, PageError> {
    let Live { token, found } = link;
    join_page(&req, StatusCode::OK, &token, Some(&found), &found.name, &[])
}

async fn join(
    req: HttpRequest,
    state: web::Data<AppState>,
    typed: web::Form<JoinForm>,
    link: Live<JoinLink>,
) -> Result<HttpResponse, PageError> {
    let Live { token, found } = link;
    let JoinForm {
        name,
        password,
        confirm,
    } = typed.into_inner();
    let lang = console_language_of(&req);
    let problems_found = account::check_new_account(None, &name, &password, &confirm);
    if !problems_found.is_empty() {
        let listed = problems::listed(lang, &problems_found);
        return join_page(
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            &token,
            Some(&found),
            &name,
            &listed,
        );
    }
    let hash = problems::hashed(password).await?;
    let spent = token.clone();
    let joined = state
        .store
        .run(move |conn| accounts::join(conn, &spent, &name, &hash))
        .await?;
    match joined {
        Some(account) => super::start_session(&req, &state, account.id, "/console?done=welcome").await,
        // Used or expired between the check above and now.
        None => dead::<JoinLink>(&req, &state).await,
    }
}
