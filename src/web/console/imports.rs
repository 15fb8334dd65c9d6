//! Creating a study from an uploaded (or pasted) study file, and importing items and panel with
//! a preview first. Uploads are multipart forms; their CSRF token is checked before anything
//! else is done with them.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use futures_util::TryStreamExt;
use serde::Deserialize;
use serde_json::json;

use super::rounds::actor;
use super::{refusal, render, see_other};
use crate::domain::file_error::{FileError, FileErrors};
use crate::error::{AppError, ErrorKind, PageError};
use crate::i18n;
use crate::service::{files, import_preview, studies, ServiceError};
use crate::web::auth::require_role;
use crate::web::auth::{CsrfForm, Facilitator, Role};
use crate::web::AppState;

/// Largest upload accepted, all files together.
const UPLOAD_LIMIT: usize = 8 * 1024 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/new", web::get().to(new_form))
        .route("/console/new", web::post().to(create))
        .route("/console/s/{slug}/import/{kind}", web::get().to(import_form))
        .route(
            "/console/s/{slug}/import/{kind}/preview",
            web::post().to(import_preview),
        )
        .route("/console/s/{slug}/import/{kind}", web::post().to(import_confirm));
}

/// One part of a multipart form.
struct Part {
    file_name: Option<String>,
    data: Vec<u8>,
}

/// Reads every part into memory (within `UPLOAD_LIMIT`), then checks the CSRF field.
async fn read_upload(
    facilitator: &Facilitator,
    mut payload: Multipart,
) -> Result<HashMap<String, Part>, PageError> {
    let bad = |what: String| PageError(AppError::new(ErrorKind::BadRequest, what));
    let mut parts = HashMap::new();
    let mut total = 0usize;
    while let Some(mut field) = payload
        .try_next()
        .await
        .map_err(|e| bad(format!("The upload could not be read: {e}.")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .filter(|f| !f.is_empty())
            .map(|f| f.rsplit(['/', '\\']).next().unwrap_or(f).to_string());
        let mut data = Vec::new();
        while let Some(chunk) = field
            .try_next()
            .await
            .map_err(|e| bad(format!("The upload could not be read: {e}.")))?
        {
            total += chunk.len();
            if total > UPLOAD_LIMIT {
                return Err(PageError(AppError::new(
                    ErrorKind::BadRequest,
                    format!(
                        "The upload is larger than {} MB. Nothing was saved.",
                        UPLOAD_LIMIT / (1024 * 1024)
                    ),
                )));
            }
            data.extend_from_slice(&chunk);
        }
        parts.insert(name, Part { file_name, data });
    }
    let csrf = parts.get("csrf").and_then(|p| std::str::from_utf8(&p.data).ok());
    facilitator.check_csrf(csrf)?;
    Ok(parts)
}

fn t(lang: &str, key: &str) -> String {
    i18n::translate(lang, key, &[])
}

/// Each problem on its own line, the way the command line names file, line or key.
fn error_lines(error: &ServiceError) -> Vec<String> {
    match error {
        ServiceError::File(errors) => errors.iter().map(ToString::to_string).collect(),
        other => vec![other.to_string()],
    }
}

pub async fn new_form(facilitator: Facilitator) -> Result<HttpResponse, PageError> {
    new_page(&facilitator, StatusCode::OK, Vec::new(), "")
}

fn new_page(
    facilitator: &Facilitator,
    status: StatusCode,
    errors: Vec<String>,
    pasted: &str,
) -> Result<HttpResponse, PageError> {
    render(
        facilitator,
        status,
        "console/new",
        json!({
            "title": t(facilitator.lang, "console2-new-study"),
            "errors": errors,
            "pasted": pasted,
        }),
    )
}

/// A new study from the uploaded study file, or the pasted one when no file was chosen. Files
/// the study file names (`items = "items.csv"`) are taken from the items and panel fields,
/// matched by file name. The creator becomes the study's owner.
pub async fn create(
    facilitator: Facilitator,
    state: web::Data<AppState>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let mut parts = read_upload(&facilitator, payload).await?;
    let pasted = parts
        .remove("toml")
        .map(|p| String::from_utf8_lossy(&p.data).into_owned())
        .unwrap_or_default();
    let (name, bytes) = match parts.remove("study").filter(|p| !p.data.is_empty()) {
        Some(part) => (part.file_name.unwrap_or_else(|| "study.toml".into()), part.data),
        None if !pasted.trim().is_empty() => ("study.toml".to_string(), pasted.clone().into_bytes()),
        None => {
            let lang = facilitator.lang;
            return new_page(
                &facilitator,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![t(lang, "console2-new-nothing")],
                &pasted,
            );
        }
    };
    let mut uploads: HashMap<String, Vec<u8>> = HashMap::new();
    for key in ["items", "panel"] {
        if let Some(part) = parts.remove(key).filter(|p| !p.data.is_empty()) {
            uploads.insert(part.file_name.unwrap_or_else(|| key.to_string()), part.data);
        }
    }
    let content = match import_preview::utf8(&name, &bytes) {
        Ok(content) => content,
        Err(e) => {
            return new_page(
                &facilitator,
                StatusCode::UNPROCESSABLE_ENTITY,
                error_lines(&ServiceError::File(e)),
                &pasted,
            )
        }
    };
    let fetch = |reference: &str| -> Result<(String, Vec<u8>), FileErrors> {
        let wanted = reference.rsplit(['/', '\\']).next().unwrap_or(reference);
        uploads
            .get(wanted)
            .map(|data| (wanted.to_string(), data.clone()))
            .ok_or_else(|| {
                FileErrors(vec![FileError::whole(
                    reference,
                    format!("the study file names this file, but no file called `{wanted}` was uploaded (add it in the items or panel field)"),
                )])
            })
    };
    let bundle = match files::study_from_sources(&name, &content, &fetch) {
        Ok(bundle) => bundle,
        Err(e) => {
            return new_page(
                &facilitator,
                StatusCode::UNPROCESSABLE_ENTITY,
                error_lines(&ServiceError::File(e)),
                &pasted,
            )
        }
    };
    let owner = facilitator.email.clone();
    let actor = actor(&facilitator);
    let created = state
        .db
        .run(move |conn| studies::create_owned(conn, &bundle, Some(&owner), &actor))
        .await;
    match created {
        Ok(created) => Ok(see_other(&format!("/console/s/{}?done=created", created.slug))),
        Err(e) if e.is_bad_input() => new_page(
            &facilitator,
            StatusCode::UNPROCESSABLE_ENTITY,
            error_lines(&e),
            &pasted,
        ),
        Err(e) => Err(PageError(e.into())),
    }
}

/// `items` or `panel`; anything else is not a page.
fn kind(kind: &str) -> Result<&'static str, PageError> {
    match kind {
        "items" => Ok("items"),
        "panel" => Ok("panel"),
        _ => Err(PageError(AppError::not_found("There is no such import."))),
    }
}

fn import_page(
    facilitator: &Facilitator,
    status: StatusCode,
    slug: &str,
    kind: &str,
    extra: serde_json::Value,
) -> Result<HttpResponse, PageError> {
    let lang = facilitator.lang;
    let mut context = json!({
        "title": t(lang, &format!("console2-import-{kind}")),
        "slug": slug,
        "kind": kind,
        "accept": if kind == "items" { ".csv,.xlsx" } else { ".csv" },
        "errors": [],
        "preview": null,
    });
    if let (Some(map), Some(extra)) = (context.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            map.insert(k.clone(), v.clone());
        }
    }
    render(facilitator, status, "console/import", context)
}

pub async fn import_form(
    facilitator: Facilitator,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, which) = path.into_inner();
    let which = kind(&which)?;
    require_role(&state, &facilitator, &slug, Role::Editor).await?;
    import_page(&facilitator, StatusCode::OK, &slug, which, json!({}))
}

/// Parses the file and shows what the import would change; writes nothing.
pub async fn import_preview(
    facilitator: Facilitator,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let (slug, which) = path.into_inner();
    let which = kind(&which)?;
    let mut parts = read_upload(&facilitator, payload).await?;
    require_role(&state, &facilitator, &slug, Role::Editor).await?;
    let Some(part) = parts.remove("file").filter(|p| !p.data.is_empty()) else {
        let lang = facilitator.lang;
        return import_page(
            &facilitator,
            StatusCode::UNPROCESSABLE_ENTITY,
            &slug,
            which,
            json!({ "errors": [t(lang, "console2-import-nothing")] }),
        );
    };
    let file_name = part.file_name.unwrap_or_else(|| {
        if which == "items" {
            "items.csv".into()
        } else {
            "panel.csv".into()
        }
    });
    let (lookup, name, data) = (slug.clone(), file_name.clone(), part.data.clone());
    let preview = state
        .db
        .run(move |conn| match which {
            "items" => import_preview::items(conn, &lookup, &name, &data),
            _ => import_preview::panel(conn, &lookup, &name, &data),
        })
        .await;
    match preview {
        Ok(preview) => import_page(
            &facilitator,
            StatusCode::OK,
            &slug,
            which,
            json!({
                "counts": { "added": preview.added.len(), "updated": preview.updated.len(), "unchanged": preview.unchanged },
                "preview": preview,
                "file_name": file_name,
                "content": hex::encode(&part.data),
            }),
        ),
        Err(e) if e.is_bad_input() => import_page(
            &facilitator,
            StatusCode::UNPROCESSABLE_ENTITY,
            &slug,
            which,
            json!({ "errors": error_lines(&e) }),
        ),
        Err(e) => Err(PageError(e.into())),
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    file_name: String,
    /// The previewed file, hex-encoded, so the import uses exactly the bytes previewed.
    content: String,
}

pub async fn import_confirm(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CsrfForm<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let CsrfForm { facilitator, form } = form;
    let (slug, which) = path.into_inner();
    let which = kind(&which)?;
    require_role(&state, &facilitator, &slug, Role::Editor).await?;
    let back = format!("/console/s/{slug}/import/{which}");
    let bytes = match hex::decode(form.content.trim()) {
        Ok(bytes) => bytes,
        Err(_) => {
            return refusal(
                &facilitator,
                ServiceError::invalid(
                    "content",
                    "the previewed file did not come back whole; upload it again",
                ),
                &back,
            )
        }
    };
    let actor = actor(&facilitator);
    let (lookup, name) = (slug.clone(), form.file_name.clone());
    let imported = state
        .db
        .run(move |conn| -> Result<_, ServiceError> {
            match which {
                "items" => {
                    let rows = crate::domain::items_file::parse_items_file(&name, &bytes)?;
                    studies::import_items(conn, &lookup, &name, &rows, &actor)
                }
                _ => {
                    let text = import_preview::utf8(&name, &bytes)?;
                    let rows = crate::domain::panel_file::parse_panel_csv(&name, &text)?;
                    studies::import_panel(conn, &lookup, &name, &rows, &actor)
                }
            }
        })
        .await;
    match imported {
        Ok(summary) => Ok(see_other(&format!(
            "/console/s/{slug}?done={which}&n={}",
            summary.added + summary.updated
        ))),
        Err(e) => refusal(&facilitator, e, &back),
    }
}
