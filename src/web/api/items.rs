//! One item: `PATCH /api/v1/studies/{slug}/items/{code}` rewords, moves or retires it through
//! the same use case as the console's content page (`service::content::edit_item`).

use actix_web::HttpResponse;
use serde::Deserialize;
use serde_json::Value;

use super::extract::{JsonBody, StudyCall};
use super::studies::ok;
use crate::service::content::{self, ItemChange};
use crate::web::console::Key;
use crate::web::error::{ApiError, AppError};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemPatch {
    text: Option<String>,
    /// A string, or `null` (or `""`) to remove the description; absent leaves it.
    #[serde(default, deserialize_with = "present")]
    description: Option<Value>,
    section: Option<String>,
    retired: Option<bool>,
}

/// `Some` for any value given, `null` included (serde's default reads `null` as absent).
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

pub async fn edit(call: StudyCall, Key(code): Key, body: JsonBody) -> Result<HttpResponse, ApiError> {
    let body = JsonBody(body.required("the change: text, description, section and/or retired")?);
    let patch: ItemPatch = body.parse("the change")?;
    let description = match patch.description {
        None => None,
        Some(Value::Null) => Some(String::new()),
        Some(Value::String(text)) => Some(text),
        Some(_) => {
            return Err(ApiError(AppError::invalid(
                "description",
                "description: give a string, or null to remove the description",
            )))
        }
    };
    let change = ItemChange {
        text: patch.text,
        description,
        section: patch.section,
        retired: patch.retired,
    };
    if change.text.is_none()
        && change.description.is_none()
        && change.section.is_none()
        && change.retired.is_none()
    {
        return Err(ApiError(AppError::invalid(
            "body",
            "give at least one of text, description, section or retired",
        )));
    }
    let actor = call.actor();
    let edited = call
        .run(move |conn, slug| content::edit_item(conn, slug, &code, &change, &actor))
        .await?;
    Ok(ok(edited))
}
