//! Creating a study from an uploaded (or pasted) study file, and importing items, panel and
//! answers (ratings, CHNRI answers or a ranking, whichever the study takes now) with a preview
//! first. Uploads are multipart forms; their CSRF token is checked before anything
//! else is done with them.
//!
//! Between the preview and the confirmation the uploaded file waits in the data folder
//! (`pending`), bound to the session, study and kind of import, so the import uses exactly the
//! bytes previewed whatever their size, and the confirm form carries only a random id.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::TryStreamExt;
use serde::Deserialize;
use serde_json::json;

use super::access::{Editor, Key, StudyAccess, StudyForm};
use super::{import_templates, render, see_other, t};
use crate::domain::file_error::{FileError, FileErrors};
use crate::i18n;
use crate::service::import_preview::ResponsesKind;
use crate::service::{files, import_preview, studies, ServiceError};
use crate::web::auth::Facilitator;
use crate::web::error::{AppError, ErrorKind, PageError};
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
            "starts": super::study_setup::starts(facilitator.lang),
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
    let refused =
        |errors: Vec<String>| new_page(&facilitator, StatusCode::UNPROCESSABLE_ENTITY, errors, &pasted);
    let (name, bytes) = match parts.remove("study").filter(|p| !p.data.is_empty()) {
        Some(part) => (part.file_name.unwrap_or_else(|| "study.toml".into()), part.data),
        None if !pasted.trim().is_empty() => ("study.toml".to_string(), pasted.clone().into_bytes()),
        None => return refused(vec![t(facilitator.lang, "console2-new-nothing")]),
    };
    let mut uploads: HashMap<String, Vec<u8>> = HashMap::new();
    for key in ["items", "panel"] {
        if let Some(part) = parts.remove(key).filter(|p| !p.data.is_empty()) {
            uploads.insert(part.file_name.unwrap_or_else(|| key.to_string()), part.data);
        }
    }
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
    let read = import_preview::utf8(&name, &bytes)
        .and_then(|content| files::study_from_sources(&name, &content, &fetch));
    let bundle = match read {
        Ok(bundle) => bundle,
        Err(e) => return refused(error_lines(&ServiceError::File(e))),
    };
    let owner = facilitator.email.clone();
    let actor = facilitator.actor();
    let created = state
        .store
        .run(move |conn| studies::create_owned(conn, &bundle, Some(&owner), &actor))
        .await;
    match created {
        Ok(created) => Ok(see_other(&format!("/console/s/{}?done=created", created.slug))),
        Err(e) if e.is_bad_input() => refused(error_lines(&e)),
        Err(e) => Err(PageError(e.into())),
    }
}

/// The import page of `kind`, with its column table and template downloads (`extra` adds the
/// preview or the errors).
async fn import_page<R>(
    access: &StudyAccess<R>,
    status: StatusCode,
    kind: &str,
    extra: serde_json::Value,
) -> Result<HttpResponse, PageError> {
    let keys = access.run(import_preview::template_keys).await?;
    let answers = kind == "responses";
    let lang = access.lang();
    // Typing instead of writing a file: pasted items on the content page, experts on the panel
    // page; answers are typed by the experts themselves.
    let no_file = (!answers).then(|| {
        json!({
            "text": t(lang, &format!("import-no-file-{kind}")),
            "link": t(lang, &format!("import-no-file-link-{kind}")),
            "href": access.page(if kind == "items" { "content#paste" } else { "panel#add" }),
        })
    });
    let takes = answers.then(|| {
        let r = &keys.responses;
        i18n::translate(
            lang,
            &format!("import-responses-takes-{}", kind_name(r.kind)),
            &[("columns", r.kind.columns(!r.criteria.is_empty()).join(",").into())],
        )
    });
    let mut context = json!({
        "title": t(lang, &format!("console2-import-{kind}")),
        "kind": kind,
        "accept": if answers { ".csv" } else { ".csv,.xlsx" },
        "xlsx": !answers,
        "takes": takes,
        "columns": import_templates::columns(lang, kind, &keys),
        "no_file": no_file,
        "errors": [],
        "preview": null,
        "answers": null,
    });
    if let (Some(map), Some(extra)) = (context.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            map.insert(k.clone(), v.clone());
        }
    }
    access.render_status(status, "console/import", context)
}

pub async fn import_form(access: StudyAccess<Editor>, Key(which): Key) -> Result<HttpResponse, PageError> {
    let which = import_templates::kind(&which)?;
    import_page(&access, StatusCode::OK, which, json!({})).await
}

/// Parses the file and shows what the import would change; writes nothing.
pub async fn import_preview(
    facilitator: Facilitator,
    req: HttpRequest,
    Key(which): Key,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let which = import_templates::kind(&which)?;
    let mut parts = read_upload(&facilitator, payload).await?;
    let access = StudyAccess::<Editor>::check(&req, facilitator).await?;
    let Some(part) = parts.remove("file").filter(|p| !p.data.is_empty()) else {
        return import_page(
            &access,
            StatusCode::UNPROCESSABLE_ENTITY,
            which,
            json!({ "errors": [t(access.lang(), "console2-import-nothing")] }),
        )
        .await;
    };
    let file_name = part.file_name.unwrap_or_else(|| format!("{which}.csv"));
    let (name, data, actor) = (file_name.clone(), part.data.clone(), access.actor());
    let preview = access
        .run(move |conn, slug| match which {
            "items" => import_preview::items(conn, slug, &name, &data).map(Shown::Changes),
            "panel" => import_preview::panel(conn, slug, &name, &data).map(Shown::Changes),
            _ => import_preview::responses(conn, slug, &name, &data, &actor).map(Shown::Answers),
        })
        .await;
    match preview {
        Ok(shown) => {
            let upload = pending::Upload {
                session_id: access.facilitator.session_id,
                slug: access.slug().to_string(),
                kind: which.to_string(),
                file_name: file_name.clone(),
            };
            let dir = access.state.settings.data_dir().join(pending::FOLDER);
            let id = web::block(move || pending::store(&dir, &upload, &part.data))
                .await
                .map_err(AppError::internal)?
                .map_err(AppError::internal)?;
            import_page(
                &access,
                StatusCode::OK,
                which,
                shown.context(access.lang(), &file_name, &id),
            )
            .await
        }
        Err(e) if e.is_bad_input() => {
            import_page(
                &access,
                StatusCode::UNPROCESSABLE_ENTITY,
                which,
                json!({ "errors": error_lines(&e) }),
            )
            .await
        }
        Err(e) => Err(PageError(e.into())),
    }
}

/// What the preview shows: rows added and changed (items, panel), or the answers a responses
/// file would write.
enum Shown {
    Changes(import_preview::Preview),
    Answers(import_preview::AnswersPreview),
}

impl Shown {
    fn context(&self, lang: &str, file_name: &str, upload: &str) -> serde_json::Value {
        match self {
            Self::Changes(preview) => json!({
                "counts": { "added": preview.added.len(), "updated": preview.updated.len(), "unchanged": preview.unchanged },
                "preview": preview,
                "file_name": file_name,
                "upload": upload,
            }),
            Self::Answers(answers) => {
                let summary = i18n::translate(
                    lang,
                    &format!("import-responses-preview-{}", kind_name(answers.kind)),
                    &[
                        ("round", answers.round.into()),
                        ("rows", answers.rows.into()),
                        ("experts", answers.experts.len().into()),
                        ("items", answers.items.len().into()),
                        ("saved", answers.saved.into()),
                        ("cleared", answers.cleared.into()),
                    ],
                );
                json!({
                    "answers": answers,
                    "summary": summary,
                    "file_name": file_name,
                    "upload": upload,
                })
            }
        }
    }
}

/// The kind's part of its message keys.
fn kind_name(kind: ResponsesKind) -> &'static str {
    match kind {
        ResponsesKind::Ratings => "ratings",
        ResponsesKind::Chnri => "chnri",
        ResponsesKind::Ranking => "ranking",
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    /// The id `pending::store` gave the previewed file.
    #[serde(default)]
    upload: String,
}

pub async fn import_confirm(
    Key(which): Key,
    form: StudyForm<Editor, ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let StudyForm { access, form } = form;
    let which = import_templates::kind(&which)?;
    let back = access.page(&format!("import/{which}"));
    let dir = access.state.settings.data_dir().join(pending::FOLDER);
    let wanted = pending::Upload {
        session_id: access.facilitator.session_id,
        slug: access.slug().to_string(),
        kind: which.to_string(),
        file_name: String::new(),
    };
    let (id, lookup_dir) = (form.upload.clone(), dir.clone());
    let found = web::block(move || pending::load(&lookup_dir, &id, &wanted))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let Some((name, bytes)) = found else {
        return access.refuse(
            ServiceError::invalid(
                "file",
                "the previewed file is no longer here (previews are kept for an hour, for the \
                 session that made them); upload it again. Nothing was imported",
            ),
            &back,
        );
    };
    let imported = access
        .act(move |conn, slug, actor| match which {
            "items" => {
                let rows = crate::domain::items_file::parse_items_file(&name, &bytes)?;
                studies::import_items(conn, slug, &name, &rows, actor).map(|s| s.added + s.updated)
            }
            "panel" => {
                let rows = crate::domain::panel_file::parse_panel_file(&name, &bytes)?;
                studies::import_panel(conn, slug, &name, &rows, actor).map(|s| s.added + s.updated)
            }
            _ => {
                let kind = import_preview::responses_kind(conn, slug)?;
                let criteria = import_preview::has_criteria(conn, slug)?;
                let parsed = import_preview::parse_responses(kind, criteria, &name, &bytes)?;
                import_preview::import_responses(conn, slug, &parsed, actor).map(|s| s.saved + s.cleared)
            }
        })
        .await;
    if imported.is_ok() {
        // Kept after a refusal, so that confirming again works once the cause is gone.
        let id = form.upload;
        if let Err(e) = web::block(move || pending::remove(&dir, &id)).await {
            tracing::warn!(error = %e, "a confirmed import's upload could not be removed");
        }
    }
    access.redirect(imported.map(|n| access.done(&format!("{which}&n={n}"))), &back)
}

/// Uploaded files waiting between an import's preview and its confirmation: `ID.bin` (the
/// bytes) and `ID.json` (whose session, study and import they are for) in
/// `DATA/pending-imports`. The id is 256 random bits; a file is found only by the session that
/// uploaded it, for the same study and kind, within `KEPT`; older ones are swept on each upload.
mod pending {
    use std::fs;
    use std::io;
    use std::path::Path;
    use std::time::{Duration, SystemTime};

    use serde::{Deserialize, Serialize};

    use crate::domain::token;
    use crate::service::tokens;

    pub const FOLDER: &str = "pending-imports";
    const KEPT: Duration = Duration::from_secs(3600);

    #[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
    pub struct Upload {
        pub session_id: i64,
        pub slug: String,
        pub kind: String,
        pub file_name: String,
    }

    /// Stores the bytes; returns their id.
    pub fn store(dir: &Path, upload: &Upload, bytes: &[u8]) -> io::Result<String> {
        fs::create_dir_all(dir)?;
        sweep(dir);
        let (id, _) = tokens::generate();
        let meta = serde_json::to_vec(upload).map_err(io::Error::other)?;
        // The bytes first, the description last: `load` ignores an id without its description,
        // so a half-written upload is never imported.
        write_atomically(&dir.join(format!("{id}.bin")), bytes)?;
        write_atomically(&dir.join(format!("{id}.json")), &meta)?;
        Ok(id)
    }

    fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
        let partial = path.with_extension("part");
        fs::write(&partial, bytes)?;
        fs::rename(&partial, path)
    }

    /// The file name and bytes of upload `id` if it belongs to `wanted`'s session, study and
    /// kind and is recent enough; `None` otherwise (unknown, expired or someone else's).
    pub fn load(dir: &Path, id: &str, wanted: &Upload) -> io::Result<Option<(String, Vec<u8>)>> {
        if !token::is_well_formed(id) {
            return Ok(None);
        }
        let meta_path = dir.join(format!("{id}.json"));
        let meta = match fs::read(&meta_path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let Ok(upload) = serde_json::from_slice::<Upload>(&meta) else {
            return Ok(None);
        };
        let fresh = fs::metadata(&meta_path)?
            .modified()?
            .elapsed()
            .is_ok_and(|age| age < KEPT);
        let same = upload.session_id == wanted.session_id
            && upload.slug == wanted.slug
            && upload.kind == wanted.kind;
        if !fresh || !same {
            return Ok(None);
        }
        match fs::read(dir.join(format!("{id}.bin"))) {
            Ok(bytes) => Ok(Some((upload.file_name, bytes))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn remove(dir: &Path, id: &str) -> io::Result<()> {
        if !token::is_well_formed(id) {
            return Ok(());
        }
        for extension in ["json", "bin"] {
            let removed = fs::remove_file(dir.join(format!("{id}.{extension}")));
            if removed
                .as_ref()
                .is_err_and(|e| e.kind() != io::ErrorKind::NotFound)
            {
                return removed;
            }
        }
        Ok(())
    }

    /// Removes files older than `KEPT` (abandoned previews); best effort.
    fn sweep(dir: &Path) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|modified| now.duration_since(modified).ok())
                .is_some_and(|age| age >= KEPT);
            if old {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn an_upload_is_found_only_by_its_session_study_and_kind() {
            let dir = tempfile::tempdir().unwrap();
            let upload = Upload {
                session_id: 7,
                slug: "s1".into(),
                kind: "items".into(),
                file_name: "items.csv".into(),
            };
            let id = store(dir.path(), &upload, b"code,text\n").unwrap();
            let found = load(dir.path(), &id, &upload).unwrap();
            assert_eq!(found, Some(("items.csv".to_string(), b"code,text\n".to_vec())));
            for other in [
                Upload {
                    session_id: 8,
                    ..upload_like(&upload)
                },
                Upload {
                    slug: "s2".into(),
                    ..upload_like(&upload)
                },
                Upload {
                    kind: "panel".into(),
                    ..upload_like(&upload)
                },
            ] {
                assert_eq!(load(dir.path(), &id, &other).unwrap(), None);
            }
            assert_eq!(load(dir.path(), "../../etc/passwd", &upload).unwrap(), None);
            remove(dir.path(), &id).unwrap();
            assert_eq!(load(dir.path(), &id, &upload).unwrap(), None);
        }

        fn upload_like(upload: &Upload) -> Upload {
            Upload {
                session_id: upload.session_id,
                slug: upload.slug.clone(),
                kind: upload.kind.clone(),
                file_name: upload.file_name.clone(),
            }
        }
    }
}
