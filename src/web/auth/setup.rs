//! The first run in the browser: while Delphi has no account, the sign-in page sends people
//! here, and the one-time set-up link (printed by `delphi serve`, shown by `delphi
//! setup-link`) creates the first administrator and signs them in.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::one_time::{dead, Live, OneTime};
use super::problems;
use crate::domain::account;
use crate::service::{accounts, Connection, ServiceError};
use crate::web::error::PageError;
use crate::web::html::see_other;
use crate::web::{app_state, console_language_of, AppState};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/setup", web::get().to(waiting))
        .route("/setup/{token}", web::get().to(form))
        .route("/setup/{token}", web::post().to(create));
}

/// 303 to `/setup` while Delphi has no account: signing in cannot work yet, and the set-up
/// page says what to do instead.
pub async fn setup_first(req: &HttpRequest) -> Result<Option<HttpResponse>, PageError> {
    let state = app_state(req)?;
    let needed = state.store.run(accounts::needs_setup).await?;
    Ok(needed.then(|| see_other("/setup")))
}

/// What the set-up page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Setup {
    /// No account yet, no link in hand.
    Waiting,
    /// Delphi has accounts.
    Done,
    /// A link that does not (or no longer) work.
    Dead,
    Form,
}

#[derive(Debug, Default, Deserialize)]
struct SetupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

fn setup_page(
    req: &HttpRequest,
    status: StatusCode,
    shown: Setup,
    token: &str,
    typed: &SetupForm,
    problems: &[(&'static str, String)],
) -> Result<HttpResponse, PageError> {
    let context = json!({
        "waiting": shown == Setup::Waiting,
        "done": shown == Setup::Done,
        "dead": shown == Setup::Dead,
        "form": shown == Setup::Form,
        "token": token,
        "name": typed.name,
        "email": typed.email,
    });
    problems::form_page(req, status, "pages/setup", "setup-title", context, problems)
}

async fn waiting(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let needed = state.store.run(accounts::needs_setup).await?;
    let shown = if needed { Setup::Waiting } else { Setup::Done };
    setup_page(&req, StatusCode::OK, shown, "", &SetupForm::default(), &[])
}

/// The set-up link printed by `delphi serve` and `delphi setup-link`.
enum SetupLink {}

impl OneTime for SetupLink {
    type Found = ();

    fn find(conn: &mut Connection, token: &str) -> Result<Option<()>, ServiceError> {
        Ok(accounts::setup_link_works(conn, token)?.then_some(()))
    }

    fn dead_page(req: &HttpRequest, status: StatusCode) -> Result<HttpResponse, PageError> {
        setup_page(req, status, Setup::Dead, "", &SetupForm::default(), &[])
    }
}

async fn form(req: HttpRequest, link: Live<SetupLink>) -> Result<HttpResponse, PageError> {
    let token = link.token;
    setup_page(
        &req,
        StatusCode::OK,
        Setup::Form,
        &token,
        &SetupForm::default(),
        &[],
    )
}

async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    typed: web::Form<SetupForm>,
    link: Live<SetupLink>,
) -> Result<HttpResponse, PageError> {
    let token = link.token;
    let typed = typed.into_inner();
    let lang = console_language_of(&req);
    let found = account::check_new_account(Some(&typed.email), &typed.name, &typed.password, &typed.confirm);
    if !found.is_empty() {
        let listed = problems::listed(lang, &found);
        return setup_page(
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            Setup::Form,
            &token,
            &typed,
            &listed,
        );
    }
    let hash = problems::hashed(typed.password.clone()).await?;
    let (email, name, spent) = (typed.email.clone(), typed.name.clone(), token.clone());
    let created = state
        .store
        .run(move |conn| accounts::complete_setup(conn, &spent, &email, &name, &hash))
        .await;
    match created {
        Ok(account) => {
            tracing::info!(
                facilitator = account.id,
                "Delphi set up: the first administrator was created"
            );
            super::start_session(&req, &state, account.id, "/console?done=welcome").await
        }
        // Another browser used the link first.
        Err(ServiceError::NotFound(_)) => dead::<SetupLink>(&req, &state).await,
        Err(e) => Err(e.into()),
    }
}
