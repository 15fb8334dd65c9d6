//! The expert's pages, reached by the personal link `/r/{token}` from an email.
//!
//! Everything works without JavaScript: the form posts back to `/r/{token}` (save, or review and
//! submit); `static/js/rating.js` only adds autosave through `/r/{token}/answer`. Pages are
//! personal, so they are never cached; unknown tokens count against a per-address limit.

pub(crate) mod chnri;
mod content;
mod context;
mod feedback;
mod frame;
mod gzip;
mod ideas;
mod items;
pub(crate) mod ranking;
mod results;
pub mod view;

use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;
use serde_json::json;

use super::html::see_other;
use super::{templates, AppState};
use crate::domain::round::RoundKind;
use crate::domain::token;
use crate::service::expert::{self, ExpertSession, PostedAnswer, Resolved};
use crate::service::{Connection, ServiceError};
use crate::web::error::{ApiError, AppError, ErrorKind, PageError};
use context::FormContext;
use frame::Frame;
use view::FormView;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/r/{token}")
            // Experts on slow or metered connections: a 60-item page compresses about tenfold.
            .wrap(actix_web::middleware::Compress::default())
            // A 60-item form with comments can exceed the 16 KB default.
            .app_data(web::FormConfig::default().limit(512 * 1024))
            .app_data(web::JsonConfig::default().limit(64 * 1024))
            .route("", web::get().to(show))
            .route("", web::post().to(save))
            .route("/answer", web::post().to(answer))
            .route("/feedback", web::get().to(feedback))
            .route("/ranking", web::post().to(ranking::autosave))
            .route("/chnri", web::post().to(chnri::answer))
            .route("/submit", web::post().to(submit))
            .route("/suggest", web::post().to(suggest))
            .route("/done", web::get().to(done))
            .route("/results", web::get().to(results::show)),
    );
}

fn html(status: StatusCode, template: &str, context: &serde_json::Value) -> Result<HttpResponse, PageError> {
    let body = templates::render(template, context).map_err(AppError::internal)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        // Personal pages: never kept by shared caches or shown from the back-forward cache of a
        // shared computer.
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .body(body))
}

/// The form page: the frame (frame.rs) with the items (items.rs) written into it. Passing
/// ~160 KB of item HTML through Handlebars made it clone and re-scan that text, a third of the
/// cost of a 60-item page.
fn form_page(
    req: &HttpRequest,
    status: StatusCode,
    frame: &Frame,
    (token, progress): (&str, &str),
    view: &FormView,
) -> HttpResponse {
    let body = frame.fill(token, progress, items::size_hint(view), |out| {
        items::write_sections(out, view)
    });
    let mut response = HttpResponse::build(status);
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .insert_header((header::VARY, HeaderValue::from_static("accept-encoding")));
    if gzip::accepted(req) {
        // Compressed here, in one call, rather than by the Compress middleware: the middleware
        // keeps a compressor (~0.3 MB) and the whole page alive per response until the client
        // has read it, which at 256 concurrent clients took the server past 100 MB of RSS.
        // The middleware leaves a response that already has a Content-Encoding alone.
        if let Ok(compressed) = gzip::compress(body.as_bytes()) {
            return response
                .insert_header((header::CONTENT_ENCODING, HeaderValue::from_static("gzip")))
                .body(compressed);
        }
    }
    response.body(body)
}

/// "12 of 60 answered" in `lang`, escaped for the page.
fn progress_html(lang: &str, view: &FormView) -> String {
    let progress = view.progress;
    handlebars::html_escape(&crate::i18n::translate(
        lang,
        "expert-progress",
        &[
            ("answered", progress.answered.into()),
            ("total", progress.total.into()),
        ],
    ))
}

/// The form page for a view built elsewhere (the console's "preview as an expert"), with
/// `context` around it: the same frame and item markup as an expert's page, rendered whole.
pub(crate) fn form_response(
    req: &HttpRequest,
    mut context: serde_json::Value,
    view: FormView,
) -> Result<HttpResponse, PageError> {
    let lang = context["lang"].as_str().unwrap_or("en").to_owned();
    if let Some(map) = context.as_object_mut() {
        map.insert("progress".into(), json!(progress_html(&lang, &view)));
        map.insert("form".into(), json!(view));
    }
    let frame = whole_frame(&context)?;
    Ok(form_page(req, StatusCode::OK, &frame, ("", ""), &view))
}

/// The form's frame rendered with `context`'s own values.
fn whole_frame(context: &impl serde::Serialize) -> Result<Frame, PageError> {
    let rendered = templates::render("expert/form", context).map_err(AppError::internal)?;
    Ok(Frame::whole(&rendered)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("expert/form has no place for the items")))?)
}

/// An expert's form page: the frame kept for pages like it, filled with their link, progress
/// and items; rendered whole when it has no such frame (a refused post's error summary).
fn expert_form_page(
    link: &ExpertLink,
    req: &HttpRequest,
    status: StatusCode,
    view: FormView,
    (notice_saved, notice_suggested): (bool, bool),
) -> Result<HttpResponse, PageError> {
    let session = &link.session;
    let progress = progress_html(session.lang, &view);
    let context = FormContext {
        lang: session.lang,
        title: &session.study.title,
        token: &link.token,
        form: &view,
        progress: &progress,
        notice_saved,
        notice_suggested,
    };
    let kept = match context.frame_key() {
        Some(key) => view
            .content
            .page_frames
            .get(key, |token, progress| {
                templates::render(
                    "expert/form",
                    &FormContext {
                        token,
                        progress,
                        ..context
                    },
                )
            })
            .map_err(AppError::internal)?,
        None => None,
    };
    let frame = match kept {
        Some(frame) => frame,
        None => Arc::new(whole_frame(&context)?),
    };
    Ok(form_page(req, status, &frame, (&link.token, &progress), &view))
}

/// Adds every key of `more` (an object) to `context`, replacing those it had.
pub(crate) fn extend(context: &mut serde_json::Value, more: serde_json::Value) {
    if let (Some(map), serde_json::Value::Object(more)) = (context.as_object_mut(), more) {
        map.extend(more);
    }
}

/// What a personal link `/r/{token}` opens: the expert's session in its round. Malformed,
/// unknown, revoked and erased links are one refusal, `UnknownLink`, so a link's state leaks
/// nothing; valid links are never rate limited, malformed ones never reach the database.
pub struct ExpertLink {
    /// Shared with the blocking closures that run its use cases, never copied.
    pub session: Arc<ExpertSession>,
    pub token: String,
    state: web::Data<AppState>,
}

impl FromRequest for ExpertLink {
    type Error = UnknownLink;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            ExpertLink::open_then(&req, |_, _| Ok(()))
                .await
                .map(|(link, ())| link)
        })
    }
}

impl ExpertLink {
    /// Resolves the link and runs `then` on its session in the same blocking call: one
    /// connection from the pool and one trip to a blocking thread per request instead of two,
    /// for the request that reads the page straight after (`show`).
    async fn open_then<T, F>(req: &HttpRequest, then: F) -> Result<(ExpertLink, T), UnknownLink>
    where
        F: FnOnce(&mut Connection, &ExpertSession) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let state = super::app_state(req).map_err(|e| UnknownLink::Failed(PageError(e)))?;
        let token = req.match_info().get("token").unwrap_or_default().to_owned();
        if !token::is_well_formed(&token) {
            return Err(UnknownLink::refused(&state, req).await);
        }
        let (lookup, cache) = (token.clone(), state.expert_cache.clone());
        let found = state
            .store
            .run(move |conn| {
                let Resolved::Found(session) = expert::resolve(conn, &cache.data, &lookup)? else {
                    return Ok(None);
                };
                let then = then(conn, &session)?;
                Ok(Some((session, then)))
            })
            .await
            .map_err(|e: AppError| UnknownLink::Failed(PageError(e)))?;
        match found {
            Some((session, then)) => Ok((
                ExpertLink {
                    session: Arc::from(session),
                    token,
                    state,
                },
                then,
            )),
            None => Err(UnknownLink::refused(&state, req).await),
        }
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Runs use cases for this expert.
    async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut Connection, &ExpertSession) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let session = Arc::clone(&self.session);
        self.state.store.run(move |conn| f(conn, &session)).await
    }

    /// `run` for a page view: the link's first view is noted as "opened" before `f` reads the
    /// page. Only the first writes: a write on every view would queue page views behind each
    /// other on SQLite.
    async fn run_opened<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut Connection, &ExpertSession) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |conn, session| {
            if !session.opened {
                expert::mark_opened(conn, session.invitation_id)?;
            }
            f(conn, session)
        })
        .await
    }
}

/// A link that opens nothing: the unknown-link page in the browser's language, 404, or 429
/// once the address has guessed too much; or our own failure while looking it up.
#[derive(Debug)]
pub enum UnknownLink {
    Refused { status: StatusCode, lang: &'static str },
    Failed(PageError),
}

impl UnknownLink {
    async fn refused(state: &AppState, req: &HttpRequest) -> UnknownLink {
        let status = if state
            .limits
            .bad_tokens
            .allow(super::client_addr::client_addr(req))
            .await
        {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        UnknownLink::Refused {
            status,
            lang: super::expert_language_of(req),
        }
    }

    /// The same refusal as JSON, for the autosave script.
    fn into_api_error(self) -> ApiError {
        match self {
            UnknownLink::Refused { status, .. } => {
                let kind = if status == StatusCode::TOO_MANY_REQUESTS {
                    ErrorKind::TooManyRequests
                } else {
                    ErrorKind::NotFound
                };
                ApiError(AppError::new(kind, "this link does not open any questionnaire"))
            }
            UnknownLink::Failed(PageError(e)) => ApiError(e),
        }
    }
}

impl std::fmt::Display for UnknownLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("this link does not open any questionnaire")
    }
}

impl ResponseError for UnknownLink {
    fn status_code(&self) -> StatusCode {
        match self {
            UnknownLink::Refused { status, .. } => *status,
            UnknownLink::Failed(e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            UnknownLink::Refused { status, lang } => html(
                *status,
                "expert/unknown",
                &json!({
                    "lang": lang,
                    "title": "Delphi",
                    "too_many": *status == StatusCode::TOO_MANY_REQUESTS,
                }),
            )
            .unwrap_or_else(|e| e.error_response()),
            UnknownLink::Failed(e) => e.error_response(),
        }
    }
}

fn closed_page(session: &ExpertSession, status: StatusCode) -> Result<HttpResponse, PageError> {
    html(
        status,
        "expert/closed",
        &json!({
            "lang": session.lang,
            "title": session.study.title,
            "study_title": session.study.title,
            "round": session.round.number,
            "ideas": session.round.number == 0,
            "finished": session.study.is_finished(),
        }),
    )
}

/// GET /r/{token}: the form, or what happens next when the round is closed.
async fn show(req: HttpRequest) -> Result<HttpResponse, UnknownLink> {
    let cache = super::app_state(&req)
        .map_err(|e| UnknownLink::Failed(PageError(e)))?
        .expert_cache
        .clone();
    // A rating form is read with the link, in the same blocking call.
    let (link, view) = ExpertLink::open_then(&req, move |conn, session| {
        // Round 0 is the ideas round (a CHECK of `rounds` keeps it so).
        if !session.round_is_open() || session.round.kind != RoundKind::Rating || session.round.number == 0 {
            return Ok(None);
        }
        // Only the first visit writes: a write on every view would queue page views behind
        // each other on SQLite.
        if !session.opened {
            expert::mark_opened(conn, session.invitation_id)?;
        }
        Ok(Some(view::form(conn, &cache, session, None, None)?))
    })
    .await?;
    let page = match view {
        Some(view) => form_view_page(&link, &req, view),
        None => other_page(link, &req).await,
    };
    page.map_err(UnknownLink::Failed)
}

/// `show` for what is not a rating form: a closed round, a CHNRI round, a ranking, the ideas
/// round.
async fn other_page(link: ExpertLink, req: &HttpRequest) -> Result<HttpResponse, PageError> {
    let session = &link.session;
    if !session.round_is_open() {
        return closed_page(session, StatusCode::OK);
    }
    if session.round.kind == RoundKind::Chnri {
        return chnri::show(link, req.clone()).await;
    }
    if session.round.kind == RoundKind::Ranking {
        return ranking::show(link, req.clone()).await;
    }
    ideas::show(link, req.query_string().contains("saved=1")).await
}

/// The rating form of `show`.
fn form_view_page(link: &ExpertLink, req: &HttpRequest, view: FormView) -> Result<HttpResponse, PageError> {
    let query = req.query_string();
    let notices = (query.contains("saved=1"), query.contains("suggested=1"));
    expert_form_page(link, req, StatusCode::OK, view, notices)
}

/// Form fields `s_CODE` (score: a number, `U`, or absent), `c_CODE` (comment), `r_CODE`
/// (reason), and `action` (`save` or `review`), in page order. In a study with criteria each
/// field names its criterion after a `~`: `s_CODE~importance`.
pub(crate) fn collect(pairs: Vec<(String, String)>) -> (Vec<PostedAnswer>, String) {
    let mut answers: Vec<PostedAnswer> = Vec::new();
    let mut action = String::from("save");
    for (name, value) in pairs {
        if name == "action" {
            action = value;
            continue;
        }
        let Some((kind, code)) = name.split_once('_') else {
            continue;
        };
        let (code, criterion) = code.split_once('~').unwrap_or((code, ""));
        if code.is_empty() || !matches!(kind, "s" | "c" | "r") {
            continue;
        }
        let index = match answers
            .iter()
            .position(|a| a.code == code && a.criterion == criterion)
        {
            Some(i) => i,
            None => {
                answers.push(PostedAnswer {
                    code: code.to_string(),
                    criterion: criterion.to_string(),
                    ..PostedAnswer::default()
                });
                answers.len() - 1
            }
        };
        let answer = &mut answers[index];
        match kind {
            "s" => answer.score = value,
            "c" => answer.comment = value,
            _ => answer.reason = value,
        }
    }
    (answers, action)
}

enum Saved {
    /// With the review page's view when the expert asked to review.
    Ok(Option<Box<FormView>>),
    Invalid(Box<FormView>),
    Closed,
    /// Not a rating form: the fields, for the round's own kind of form.
    NotRating(Vec<(String, String)>),
}

/// POST /r/{token}: the whole form without JavaScript. All answers or none are saved.
async fn save(req: HttpRequest, form: web::Form<Vec<(String, String)>>) -> Result<HttpResponse, UnknownLink> {
    let cache = super::app_state(&req)
        .map_err(|e| UnknownLink::Failed(PageError(e)))?
        .expert_cache
        .clone();
    let pairs = form.into_inner();
    // A rating form is saved with the link resolved, in the same blocking call.
    let (link, outcome) = ExpertLink::open_then(&req, move |conn, session| {
        if !session.round_is_open() || session.round.kind != RoundKind::Rating || session.round.number == 0 {
            return Ok(Saved::NotRating(pairs));
        }
        let (posted, action) = collect(pairs);
        let review = action == "review";
        match expert::save_all(conn, session, &posted) {
            // A plain save redirects to the form, which the next request builds.
            Ok(()) if !review => Ok(Saved::Ok(None)),
            Ok(()) => Ok(Saved::Ok(Some(Box::new(view::form(
                conn, &cache, session, None, None,
            )?)))),
            Err(ServiceError::Invalid { field, reason }) => Ok(Saved::Invalid(Box::new(view::form(
                conn,
                &cache,
                session,
                Some(&posted),
                Some((field.as_str(), reason.as_str())),
            )?))),
            Err(ServiceError::Conflict(_)) => Ok(Saved::Closed),
            Err(e) => Err(AppError::from(e)),
        }
    })
    .await?;
    saved_page(link, &req, outcome).await.map_err(UnknownLink::Failed)
}

/// The answer to a posted form: the next page, or the round's own kind of form saved.
async fn saved_page(link: ExpertLink, req: &HttpRequest, outcome: Saved) -> Result<HttpResponse, PageError> {
    let (lang, title, link_token) = (
        link.session.lang,
        link.session.study.title.clone(),
        link.token.clone(),
    );
    match outcome {
        Saved::NotRating(pairs) => {
            if !link.session.round_is_open() {
                closed_page(&link.session, StatusCode::CONFLICT)
            } else if link.session.round.kind == RoundKind::Chnri {
                chnri::save(link, pairs).await
            } else if link.session.round.kind == RoundKind::Ranking {
                ranking::save(link, pairs).await
            } else {
                ideas::save(link, web::Form(pairs)).await
            }
        }
        Saved::Closed => closed_page(&link.session, StatusCode::CONFLICT),
        Saved::Invalid(view) => expert_form_page(
            &link,
            req,
            StatusCode::UNPROCESSABLE_ENTITY,
            *view,
            (false, false),
        ),
        Saved::Ok(Some(view)) => html(
            StatusCode::OK,
            "expert/review",
            &json!({
                "lang": lang, "title": title, "token": link_token,
                "unanswered": view.unanswered(), "form": view,
            }),
        ),
        Saved::Ok(None) => Ok(see_other(&format!("/r/{link_token}?saved=1"))),
    }
}

/// POST /r/{token}/submit: marks the answers submitted and queues the thank-you.
async fn submit(link: ExpertLink) -> Result<HttpResponse, PageError> {
    let outcome = link
        .run(
            move |conn, session| match expert::submit(conn, session.invitation_id) {
                Ok(()) => Ok(true),
                Err(ServiceError::Conflict(_)) => Ok(false),
                Err(e) => Err(AppError::from(e)),
            },
        )
        .await?;
    if outcome {
        Ok(see_other(&format!("/r/{}/done", link.token)))
    } else {
        closed_page(&link.session, StatusCode::CONFLICT)
    }
}

/// GET /r/{token}/done: the thank-you page.
async fn done(link: ExpertLink) -> Result<HttpResponse, PageError> {
    let session = &link.session;
    if !session.round_is_open() {
        return closed_page(session, StatusCode::OK);
    }
    html(
        StatusCode::OK,
        "expert/done",
        &json!({
            "lang": session.lang,
            "title": session.study.title,
            "token": link.token,
            "round": session.round.number,
            "test": session.is_test,
        }),
    )
}

/// A score as JSON sends it (a number or a string) or as a form sends it (a string).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ScoreField {
    Number(i64),
    Text(String),
}

#[derive(Debug, Deserialize)]
struct AnswerBody {
    item: String,
    /// The criterion the answer is about, in a study with criteria.
    #[serde(default)]
    criterion: String,
    #[serde(default)]
    score: Option<ScoreField>,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    reason: String,
}

/// POST /r/{token}/answer: autosave of one answer, form-encoded or JSON. 204, or JSON with the
/// progress when the client accepts JSON; errors are JSON `{"error", "message", "field"}`.
///
/// A link that has saved before is tried first in one statement (`expert::autosave`, committed
/// with the other autosaves queued meanwhile); what that declines takes the full path — the link resolved as every expert page resolves it,
/// `save_one` — which saves it or words the refusal.
async fn answer(
    req: HttpRequest,
    body: web::Either<web::Json<AnswerBody>, web::Form<AnswerBody>>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let posted = PostedAnswer {
        code: body.item,
        criterion: body.criterion,
        score: match body.score {
            Some(ScoreField::Number(n)) => n.to_string(),
            Some(ScoreField::Text(t)) => t,
            None => String::new(),
        },
        comment: body.comment,
        reason: body.reason,
    };
    let state = super::app_state(&req)?;
    let token = req.match_info().get("token").unwrap_or_default().to_owned();
    let quick = expert::autosave::save_grouped(
        &state.store,
        &state.expert_cache.data.saved_links,
        &token,
        &posted,
    )
    .await
    .map_err(|e: ServiceError| ApiError(e.into()))?;
    if let Some(saved) = quick {
        return Ok(answered(&req, saved.lang, saved.progress));
    }
    let link = ExpertLink::from_request(&req, &mut Payload::None)
        .await
        .map_err(UnknownLink::into_api_error)?;
    let cache = state.expert_cache.clone();
    let progress = link
        .run(move |conn, session| {
            let progress = expert::save_one(conn, session, &posted)?;
            expert::autosave::remember(&cache.data.saved_links, &token, session);
            Ok(progress)
        })
        .await?;
    Ok(answered(&req, link.session.lang, progress))
}

/// The answer to a saved autosave: 204, or the progress as JSON when the script asks for it.
fn answered(req: &HttpRequest, lang: &'static str, progress: expert::Progress) -> HttpResponse {
    let wants_json = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    if !wants_json {
        return HttpResponse::NoContent().finish();
    }
    // The sentence as the page writes it: a template with the numbers put in by the script
    // could not choose the plural.
    let progress_text = crate::i18n::translate(
        lang,
        "expert-progress",
        &[
            ("answered", (progress.answered as f64).into()),
            ("total", (progress.total as f64).into()),
        ],
    );
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .json(json!({ "saved": true, "progress": progress, "progress_text": progress_text }))
}

#[derive(Debug, Deserialize)]
struct FeedbackQuery {
    item: String,
    #[serde(default)]
    criterion: String,
}

/// GET /r/{token}/feedback?item=CODE[&criterion=KEY]: last round's group feedback on one
/// answer, as the HTML the page would show, for the autosave script of a study that holds the
/// feedback until each item is rated (`after_rating`). Only once the expert's answer is saved:
/// before, the feedback is in neither the page nor any response. Small (one chart, a few
/// lines) and compressed by the scope.
async fn feedback(link: ExpertLink, query: web::Query<FeedbackQuery>) -> Result<HttpResponse, PageError> {
    let session = &link.session;
    if !session.round_is_open() || session.round.kind != RoundKind::Rating || session.round.number == 0 {
        return Err(AppError::new(ErrorKind::NotFound, "this round shows no feedback").into());
    }
    let FeedbackQuery { item, criterion } = query.into_inner();
    let field = expert::field_name(&item, &criterion);
    let cache = link.state().expert_cache.clone();
    let found = link
        .run(move |conn, session| {
            let view = view::form(conn, &cache, session, None, None)?;
            Ok(items::revealed(&view, &field))
        })
        .await?;
    match found {
        Some(fragment) => Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
            .body(fragment)),
        None => Err(AppError::new(
            ErrorKind::NotFound,
            format!(
                "no feedback to show on `{}`: it is not on this form, has no feedback, or is not answered yet",
                expert::field_name(&item, &criterion)
            ),
        )
        .into()),
    }
}

#[derive(Debug, Deserialize)]
struct SuggestBody {
    text: String,
    #[serde(default)]
    rationale: String,
    #[serde(default)]
    section: String,
}

/// POST /r/{token}/suggest: a proposed item for the facilitator's triage.
async fn suggest(link: ExpertLink, form: web::Form<SuggestBody>) -> Result<HttpResponse, PageError> {
    let body = form.into_inner();
    link.run(move |conn, session| {
        Ok(expert::suggest(
            conn,
            session,
            &body.text,
            &body.rationale,
            &body.section,
        )?)
    })
    .await?;
    Ok(see_other(&format!("/r/{}?suggested=1#suggest", link.token)))
}

#[cfg(test)]
mod tests {
    use super::collect;

    /// A form's fields as the form extractor hands them over.
    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn form_fields_are_grouped_by_item_in_page_order() {
        let pairs = [
            ("s_M01", "7"),
            ("c_M01", "why"),
            ("c_M02", "only a comment"),
            ("r_M01", "moved"),
            ("action", "review"),
            ("x_M03", "ignored"),
            ("s_", "ignored"),
            ("stray", "ignored"),
        ];
        let (answers, action) = collect(owned(&pairs));
        assert_eq!(action, "review");
        assert_eq!(answers.len(), 2);
        assert_eq!(
            (
                answers[0].code.as_str(),
                answers[0].score.as_str(),
                answers[0].comment.as_str()
            ),
            ("M01", "7", "why")
        );
        assert_eq!(answers[0].reason, "moved");
        assert_eq!((answers[1].code.as_str(), answers[1].score.as_str()), ("M02", ""));
    }

    #[test]
    fn criteria_fields_are_one_answer_per_item_and_criterion() {
        let pairs = [
            ("s_M01~importance", "7"),
            ("s_M01~feasibility", "U"),
            ("c_M01~importance", "why"),
            ("r_M01~feasibility", "moved"),
            ("s_M.2_b~importance", "3"),
        ];
        let (answers, _) = collect(owned(&pairs));
        let seen: Vec<(&str, &str, &str, &str, &str)> = answers
            .iter()
            .map(|a| {
                (
                    a.code.as_str(),
                    a.criterion.as_str(),
                    a.score.as_str(),
                    a.comment.as_str(),
                    a.reason.as_str(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("M01", "importance", "7", "why", ""),
                ("M01", "feasibility", "U", "", "moved"),
                ("M.2_b", "importance", "3", "", ""),
            ]
        );
        assert_eq!(answers[1].field(), "M01~feasibility");
    }
}
