//! The expert's page of a CHNRI round: every item with each criterion's questions, four answers
//! each as radio buttons. Without JavaScript the form posts back to `/r/{token}` (save, or save
//! and submit); `static/js/chnri.js` autosaves each answer through `/r/{token}/chnri`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::{closed_page, html, see_other, ExpertLink, UnknownLink};
use crate::service::expert::chnri;
use crate::service::expert::{self, ExpertSession, RoundData};
use crate::service::ServiceError;
use crate::web::error::{ApiError, AppError, PageError};

/// The context of templates/expert/chnri.hbs.
fn context(
    session: &ExpertSession,
    token: &str,
    page: &chnri::ChnriPage,
    error: Option<(&str, &str)>,
    saved: bool,
) -> serde_json::Value {
    json!({
        "lang": session.lang,
        "title": session.study.title,
        "token": token,
        "study_title": session.study.file.texts_in(session.lang).title(),
        "round": session.round.number,
        "deadline": session.round.deadline.map(|d| session.study.local_time(d)),
        "submitted": session.submitted,
        "test": session.is_test,
        "intro_html": crate::markdown::markdown(session.study.file.texts_in(session.lang).description()),
        "page": page,
        "answers": ["yes", "undecided", "no", "dont_know"],
        "error": error.map(|(field, reason)| json!({ "field": field, "reason": reason })),
        "notice_saved": saved,
    })
}

/// GET /r/{token} of a CHNRI round.
pub(super) async fn show(link: ExpertLink, req: HttpRequest) -> Result<HttpResponse, PageError> {
    let cache = link.state().expert_cache.clone();
    let page = link
        .run_opened(move |conn, session| Ok(chnri::page(conn, &cache.data, session, None)?))
        .await?;
    let saved = req.query_string().contains("saved=1");
    html(
        StatusCode::OK,
        "expert/chnri",
        &context(&link.session, &link.token, &page, None, saved),
    )
}

enum Outcome {
    Saved,
    Invalid(Box<chnri::ChnriPage>, String, String),
    Closed,
}

/// POST /r/{token} of a CHNRI round: the whole page, all answers or none; `action=submit` also
/// submits them.
pub(super) async fn save(link: ExpertLink, pairs: Vec<(String, String)>) -> Result<HttpResponse, PageError> {
    let form = chnri::parse_chnri_form(pairs);
    let submit = form.as_ref().is_ok_and(|form| form.submit);
    let posted = form.map(|form| form.answers);
    let cache = link.state().expert_cache.clone();
    let outcome = link
        .run(move |conn, session| {
            let result = posted.and_then(|posted| {
                chnri::save(conn, session, &posted)?;
                if submit {
                    expert::submit(conn, session.invitation_id)?;
                }
                Ok(posted)
            });
            match result {
                Ok(_) => Ok(Outcome::Saved),
                Err(ServiceError::Invalid { field, reason }) => {
                    // Shown as the expert left it: their earlier answers, nothing of this post.
                    let page = chnri::page(conn, &cache.data, session, None)?;
                    Ok(Outcome::Invalid(Box::new(page), field, reason))
                }
                Err(ServiceError::Conflict(_)) => Ok(Outcome::Closed),
                Err(e) => Err(AppError::from(e)),
            }
        })
        .await?;
    match outcome {
        Outcome::Closed => closed_page(&link.session, StatusCode::CONFLICT),
        Outcome::Invalid(page, field, reason) => html(
            StatusCode::UNPROCESSABLE_ENTITY,
            "expert/chnri",
            &context(
                &link.session,
                &link.token,
                &page,
                Some((field.as_str(), reason.as_str())),
                false,
            ),
        ),
        Outcome::Saved if submit => Ok(see_other(&format!("/r/{}/done", link.token))),
        Outcome::Saved => Ok(see_other(&format!("/r/{}?saved=1", link.token))),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct AnswerBody {
    /// The question's form field, `q.{item}.{criterion}.{question}`.
    field: String,
    #[serde(default)]
    answer: String,
}

/// POST /r/{token}/chnri: autosave of one answer, form-encoded or JSON; JSON with the progress
/// back, or a JSON error naming the field.
pub(super) async fn answer(
    link: Result<ExpertLink, UnknownLink>,
    body: web::Either<web::Json<AnswerBody>, web::Form<AnswerBody>>,
) -> Result<HttpResponse, ApiError> {
    let link = link.map_err(UnknownLink::into_api_error)?;
    let body = body.into_inner();
    let posted =
        chnri::parse_chnri_answer(&body.field, &body.answer).map_err(|e| ApiError(AppError::from(e)))?;
    let progress = link
        .run(move |conn, session| Ok(chnri::save(conn, session, &[posted])?))
        .await?;
    let progress_text = crate::i18n::translate(
        link.session.lang,
        "expert-chnri-progress",
        &[
            ("answered", (progress.answered as f64).into()),
            ("total", (progress.total as f64).into()),
        ],
    );
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .json(json!({ "saved": true, "progress": progress, "progress_text": progress_text })))
}

/// The console's "preview as an expert" of a CHNRI round: the page of `data` with the answers
/// its form last sent (the form comes back to the preview; nothing is saved), and `around` (the
/// preview bar, the page's title) added to the context. A value that is not an answer is named
/// as a refused save would name it.
pub(crate) fn preview(
    session: &ExpertSession,
    data: &RoundData,
    pairs: Vec<(String, String)>,
    around: serde_json::Value,
) -> Result<HttpResponse, PageError> {
    let (posted, error) = match chnri::parse_chnri_form(pairs) {
        Ok(form) => (form.answers, None),
        Err(ServiceError::Invalid { field, reason }) => (Vec::new(), Some((field, reason))),
        Err(e) => return Err(e.into()),
    };
    let page = chnri::preview_page(session, data, &posted);
    let error = error.as_ref().map(|(f, r)| (f.as_str(), r.as_str()));
    let mut context = context(session, "", &page, error, false);
    super::extend(&mut context, around);
    html(StatusCode::OK, "expert/chnri", &context)
}
