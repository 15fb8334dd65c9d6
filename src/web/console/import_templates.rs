//! The import templates: "Download a template" (CSV or XLSX) on the items and panel import
//! pages, filled with the study's own keys (`export::import_template`), and the table on those
//! pages that explains every column of the template — the same header, so the table can never
//! describe a column the file does not have.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::access::{Editor, StudyAccess};
use crate::export::import_template::{self, Template, Wording};
use crate::i18n;
use crate::service::import_preview::{self, TemplateKeys};
use crate::web::error::{AppError, PageError};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/import/{kind}/template.csv", web::get().to(csv))
        .route(
            "/console/s/{slug}/import/{kind}/template.xlsx",
            web::get().to(xlsx),
        );
}

/// The two example items' wordings in every language the console is written in (where the
/// examples are), and in the study's own (English where it has none: the `text` column must
/// not be empty).
fn wordings(study_language: &str) -> BTreeMap<String, [Wording; 2]> {
    let mut languages: Vec<&str> = i18n::console_languages();
    languages.push(study_language);
    languages
        .into_iter()
        .map(|lang| {
            let w = |n: u8| Wording {
                text: i18n::translate(lang, &format!("import-example-item-{n}"), &[]),
                description: i18n::translate(lang, &format!("import-example-item-{n}-description"), &[]),
            };
            (lang.to_string(), [w(1), w(2)])
        })
        .collect()
}

/// The template of `kind` (`items` or `panel`, checked by the caller) for the study's keys.
pub fn template(kind: &str, keys: &TemplateKeys) -> Template {
    if kind == "items" {
        import_template::items(keys, &wordings(&keys.language))
    } else {
        import_template::panel(keys)
    }
}

/// One row of the column table: the column, whether a row needs it, what it holds, and the
/// template's first example.
fn column(lang: &str, kind: &str, name: &str, template: &Template, keys: &TemplateKeys) -> Value {
    let required = matches!(
        (kind, name),
        ("items", "code" | "section" | "text") | ("panel", "email" | "name" | "group")
    );
    let (key, language) = match name.split_once('_') {
        Some((base, language)) => (format!("import-col-{kind}-{base}-in"), language),
        None => (format!("import-col-{kind}-{name}"), ""),
    };
    // Named in the reader's language where the catalogue has a name for it, else by its tag.
    let named = format!("import-language-{language}");
    let language_name = if i18n::has(lang, &named) {
        i18n::translate(lang, &named, &[])
    } else {
        language.to_string()
    };
    let meaning = i18n::translate(
        lang,
        &key,
        &[
            ("sections", keys.sections.join(", ").into()),
            ("groups", keys.groups.join(", ").into()),
            ("language", language_name.into()),
            ("study_language", keys.language.clone().into()),
        ],
    );
    json!({
        "name": name,
        "required": required,
        "meaning": meaning,
        "example": template.example(name),
    })
}

/// The column table of the import page of `kind`.
pub fn columns(lang: &str, kind: &str, keys: &TemplateKeys) -> Vec<Value> {
    let template = template(kind, keys);
    template
        .header
        .iter()
        .map(|name| column(lang, kind, name, &template, keys))
        .collect()
}

fn kind_of(kind: &str) -> Result<&'static str, PageError> {
    match kind {
        "items" => Ok("items"),
        "panel" => Ok("panel"),
        _ => Err(PageError(AppError::not_found("There is no such import."))),
    }
}

async fn download(access: &StudyAccess<Editor>, kind: &str, xlsx: bool) -> Result<HttpResponse, PageError> {
    let kind = kind_of(kind)?;
    let keys = access.run(import_preview::template_keys).await?;
    let template = template(kind, &keys);
    let failed =
        |e: crate::export::ExportError| PageError(AppError::internal(anyhow::anyhow!(e.to_string())));
    let (bytes, media_type, extension) = if xlsx {
        (template.xlsx(kind).map_err(failed)?, XLSX, "xlsx")
    } else {
        // A byte-order mark, so that Excel reads the accents of the examples as UTF-8; the
        // importer skips it.
        let text = format!("\u{feff}{}", template.csv().map_err(failed)?);
        (text.into_bytes(), "text/csv; charset=utf-8", "csv")
    };
    Ok(HttpResponse::Ok()
        .content_type(media_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}-{kind}-template.{extension}\"",
                access.slug()
            ),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}

pub async fn csv(
    access: StudyAccess<Editor>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    download(&access, &path.1, false).await
}

pub async fn xlsx(
    access: StudyAccess<Editor>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    download(&access, &path.1, true).await
}
