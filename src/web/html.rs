//! A page answered as HTML: rendered from its template (`templates`), a failure turned into
//! the error page (`error`). Apart from `templates` so that the error page, which renders
//! through `templates`, and these answers, which fail through `error`, import each other in
//! one direction only.

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use serde::Serialize;
use serde_json::{json, Value};

use crate::web::error::{AppError, PageError};
use crate::web::templates::render;

/// Page `name` rendered with `context`, answered with `status` and never stored by the browser:
/// the pages this serves hold a form's token, a personal link or someone's own data.
pub fn page<T: Serialize>(status: StatusCode, name: &str, context: &T) -> Result<HttpResponse, PageError> {
    let html = render(name, context).map_err(AppError::internal)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html))
}

/// A page outside the console in `lang`: `context` (a JSON object) with the `lang` and the
/// `title` (message `title`) its layout shows, answered as [`page`] does.
pub fn titled_page(
    status: StatusCode,
    name: &str,
    lang: &str,
    title: &str,
    mut context: Value,
) -> Result<HttpResponse, PageError> {
    if let Some(map) = context.as_object_mut() {
        map.insert("lang".into(), json!(lang));
        map.insert("title".into(), json!(crate::i18n::translate(lang, title, &[])));
    }
    page(status, name, &context)
}

/// 303 to `location`, the answer to a form posted and done (post, redirect, get): kept by no
/// cache, because where it points can hold a personal link or a one-time notice.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}
