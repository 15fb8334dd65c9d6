//! Who may open a study's console pages, checked once for every handler: `StudyAccess<R>` is
//! the signed-in facilitator with at least role `R` in the study of the path's `{slug}`, and
//! `StudyForm<R, T>` the same for a form. A study the facilitator has no role in answers 404
//! like an unknown one, so slugs cannot be probed; a role too small answers 403.
//!
//! Handlers then reach the study, the store, the audit log's actor and the console's pages
//! through the access, without repeating the slug; `Key<T>` reads what the path names after it.

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{refusal, render, see_other};
use crate::domain::role::Role;
use crate::domain::study::Study;
use crate::i18n;
use crate::service::accounts::{self, Access};
use crate::service::{Actor, Connection, ServiceError};
use crate::web::auth::{self, Facilitator};
use crate::web::error::{ApiError, AppError, ErrorKind, PageError};
use crate::web::AppState;

/// The form of a button that posts nothing but its CSRF token (`StudyForm<Editor, Empty>`).
#[derive(serde::Deserialize)]
pub struct Empty {}

/// The role a handler needs, as a type: `StudyAccess<Editor>`.
pub trait Needed {
    const ROLE: Role;
}

/// Anyone with a role in the study.
pub enum Viewer {}
/// Editors and owners.
pub enum Editor {}
/// Owners only.
pub enum Owner {}

impl Needed for Viewer {
    const ROLE: Role = Role::Viewer;
}
impl Needed for Editor {
    const ROLE: Role = Role::Editor;
}
impl Needed for Owner {
    const ROLE: Role = Role::Owner;
}

/// How a refused access is answered: a page (`Html`) or, for what the console's scripts fetch,
/// JSON (`Json`). Signing in and the CSRF check answer as pages either way.
pub trait Answer {
    type Error: From<AppError> + ResponseError + 'static;
}

/// Refusals as the console's error page.
pub enum Html {}
/// Refusals as `{"error", "message"}`, for status.json and the rule preview.
pub enum Json {}

impl Answer for Html {
    type Error = PageError;
}
impl Answer for Json {
    type Error = ApiError;
}

/// The signed-in facilitator, the study of the path's `{slug}` and their role in it, which
/// includes `R`. Without a session: 303 to the sign-in page.
pub struct StudyAccess<R, A = Html> {
    pub facilitator: Facilitator,
    pub study: Study,
    pub role: Role,
    pub state: web::Data<AppState>,
    needed: PhantomData<fn() -> (R, A)>,
}

impl<R: Needed, A: Answer> FromRequest for StudyAccess<R, A> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let facilitator = Facilitator::of(&req).await?;
            Ok(StudyAccess::check(&req, facilitator).await?)
        })
    }
}

impl<R: Needed, A: Answer> StudyAccess<R, A> {
    /// The role check alone, for a handler that has to read its body first (a multipart upload
    /// checks its CSRF token before anything else).
    pub async fn check(req: &HttpRequest, facilitator: Facilitator) -> Result<Self, A::Error> {
        let state = crate::web::app_state(req)?;
        let Some(slug) = req.match_info().get("slug") else {
            return Err(AppError::internal(anyhow::anyhow!("a study page's route has no {{slug}}")).into());
        };
        let (study, role) = role_in(&state, &facilitator, slug, R::ROLE).await?;
        Ok(StudyAccess {
            facilitator,
            study,
            role,
            state,
            needed: PhantomData,
        })
    }
}

/// The study `slug` and the facilitator's role in it, if that role includes `needed`.
async fn role_in(
    state: &AppState,
    facilitator: &Facilitator,
    slug: &str,
    needed: Role,
) -> Result<(Study, Role), AppError> {
    let facilitator_id = facilitator.id;
    let lookup = slug.to_string();
    let access = state
        .store
        .run(move |conn| accounts::access(conn, facilitator_id, &lookup, needed))
        .await;
    match access {
        Ok(Access::Granted { study, role }) => Ok((*study, role)),
        Ok(Access::Denied { role: None }) | Err(ServiceError::NotFound(_)) => Err(AppError::not_found(format!(
            "There is no study `{slug}` in your console."
        ))),
        Ok(Access::Denied { role: Some(role) }) => Err(AppError::new(
            ErrorKind::Forbidden,
            format!(
                "You are {} of the study `{slug}`; this needs the {} role. Nothing was changed. Ask an owner of the study.",
                role.as_str(),
                needed.as_str()
            ),
        )),
        Err(e) => Err(e.into()),
    }
}

impl<R, A> StudyAccess<R, A> {
    pub fn slug(&self) -> &str {
        &self.study.slug
    }

    /// The language of the console pages.
    pub fn lang(&self) -> &'static str {
        self.facilitator.lang
    }

    /// The study's page in the console.
    pub fn url(&self) -> String {
        format!("/console/s/{}", self.study.slug)
    }

    /// One of the study's console pages: `page("results")` is `/console/s/SLUG/results`.
    pub fn page(&self, page: &str) -> String {
        format!("/console/s/{}/{page}", self.study.slug)
    }

    /// The study's page telling what a POST just did: `done("opened&n=2")`.
    pub fn done(&self, what: &str) -> String {
        format!("/console/s/{}?done={what}", self.study.slug)
    }

    /// The facilitator as the audit log names them.
    pub fn actor(&self) -> Actor {
        self.facilitator.actor()
    }

    /// Message `key` naming the study (`{ $study }`), such as a page's title.
    pub fn titled(&self, key: &str) -> String {
        i18n::translate(self.lang(), key, &[("study", self.study.title.clone().into())])
    }

    /// Runs a use case on the store, given the study's slug.
    pub async fn run<T, F>(&self, f: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut Connection, &str) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        self.state.store.on_study(&self.study.slug, f).await
    }

    /// `run` for a use case that changes the study: it is given the facilitator as the audit
    /// log's actor too.
    pub async fn act<T, F>(&self, f: F) -> Result<T, ServiceError>
    where
        F: FnOnce(&mut Connection, &str, &Actor) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        let actor = self.actor();
        self.run(move |conn, slug| f(conn, slug, &actor)).await
    }

    /// Renders console page `name` with `context` and the study's `slug` (see
    /// `console::render`), 200.
    pub fn render(&self, name: &str, context: Value) -> Result<HttpResponse, PageError> {
        self.render_status(StatusCode::OK, name, context)
    }

    /// `render` with another status (a form refused on its own page).
    pub fn render_status(
        &self,
        status: StatusCode,
        name: &str,
        context: Value,
    ) -> Result<HttpResponse, PageError> {
        let mut context = context;
        if let Some(map) = context.as_object_mut() {
            map.insert("slug".into(), Value::from(self.slug()));
        }
        render(&self.facilitator, status, name, context)
    }

    /// A use case's refusal as a page with a way `back` (see `console::refusal`).
    pub fn refuse(&self, error: ServiceError, back: &str) -> Result<HttpResponse, PageError> {
        refusal(&self.facilitator, error, back)
    }

    /// After a use case: 303 to the place it names, or its refusal with a way `back` (failures
    /// of ours stay the generic error page).
    pub fn redirect(
        &self,
        outcome: Result<String, ServiceError>,
        back: &str,
    ) -> Result<HttpResponse, PageError> {
        match outcome {
            Ok(location) => Ok(see_other(&location)),
            Err(e) => self.refuse(e, back),
        }
    }

    /// After a use case on the study's page: 303 back to it telling what was done (`done`), or
    /// the refusal with a way back to it.
    pub fn back_to_study(&self, outcome: Result<String, ServiceError>) -> Result<HttpResponse, PageError> {
        self.redirect(outcome.map(|what| self.done(&what)), &self.url())
    }

    /// The same for console page `page` (`ideas`): 303 back to it with `?done=` what was done,
    /// or the refusal with a way back to it.
    pub fn back_to_page(
        &self,
        page: &str,
        outcome: Result<&str, ServiceError>,
    ) -> Result<HttpResponse, PageError> {
        self.redirect(
            outcome.map(|what| self.page(&format!("{page}?done={what}"))),
            &self.page(page),
        )
    }
}

/// The path's key after the study's `{slug}` — the `{pseudonym}` of `/experts/{pseudonym}/resend`,
/// the `{code}` of `/content/items/{code}`, the `{number}` of `/results/{number}`, and the same
/// in the API's paths — read as `T`; one that is not a `T` answers 404, as any path that leads
/// nowhere.
pub struct Key<T = String>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Key<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let path = web::Path::<(String, T)>::from_request(req, payload);
        Box::pin(async move {
            let (_slug, key) = path.await?.into_inner();
            Ok(Key(key))
        })
    }
}

/// A console form on a study: CSRF checked first (403 before anything else), then the role as
/// `StudyAccess<R>` checks it, then the form decoded (400 when it cannot be). `T` must ignore
/// the `csrf` field (serde does by default, unless `deny_unknown_fields`).
pub struct StudyForm<R, T, A = Html> {
    pub access: StudyAccess<R, A>,
    pub form: T,
}

impl<R: Needed, T: DeserializeOwned + 'static, A: Answer> FromRequest for StudyForm<R, T, A> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let checked = auth::checked_form(&req, payload);
        Box::pin(async move {
            let (facilitator, body) = checked.await?;
            let access = StudyAccess::check(&req, facilitator).await?;
            let form = auth::decode_form(&body)?;
            Ok(StudyForm { access, form })
        })
    }
}
