//! The import templates: "Download a template" (CSV or XLSX; CSV only for answers) on the
//! items, panel and responses import pages, filled with the study's own keys (`export::import_template`), and the table on those
//! pages that explains every column of the template — the same header, so the table can never
//! describe a column the file does not have.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::access::{Editor, Key, StudyAccess};
use crate::export::import_template::{self, Template, Wording};
use crate::i18n;
use crate::service::import_preview::{self, ResponsesKind, TemplateKeys};
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

/// The template of `kind` (`items`, `panel` or `responses`, checked by the caller) for the
/// study's keys.
pub fn template(kind: &str, keys: &TemplateKeys) -> Template {
    match kind {
        "items" => import_template::items(keys, &wordings(&keys.language)),
        "responses" => import_template::responses(keys),
        _ => import_template::panel(keys),
    }
}

/// One row of the column table: the column, whether a row needs it, what it holds, and the
/// template's first example.
fn column(lang: &str, kind: &str, name: &str, template: &Template, keys: &TemplateKeys) -> Value {
    // An empty score or answer is "no answer", which clears an earlier one.
    let required = matches!(
        (kind, name),
        ("items", "code" | "section" | "text")
            | ("panel", "email" | "name" | "group")
            | (
                "responses",
                "expert" | "item" | "criterion" | "question" | "position"
            )
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
            ("criteria", criteria_of(keys).into()),
            ("scale_max", keys.responses.score.into()),
        ],
    );
    json!({
        "name": name,
        "required": required,
        "meaning": meaning,
        "example": template.example(name),
    })
}

/// The criteria keys a responses file names: the CHNRI criteria with their questions' count,
/// or the rating criteria.
fn criteria_of(keys: &TemplateKeys) -> String {
    let r = &keys.responses;
    if r.kind == ResponsesKind::Chnri {
        r.chnri
            .iter()
            .map(|(key, questions)| match questions {
                1 => format!("{key} (1)"),
                n => format!("{key} (1–{n})"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        r.criteria.join(", ")
    }
}

/// `items`, `panel` or `responses`; anything else is not a page.
pub(super) fn kind(kind: &str) -> Result<&'static str, PageError> {
    match kind {
        "items" => Ok("items"),
        "panel" => Ok("panel"),
        "responses" => Ok("responses"),
        _ => Err(PageError(AppError::not_found("There is no such import."))),
    }
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

async fn download(access: &StudyAccess<Editor>, kind: &str, xlsx: bool) -> Result<HttpResponse, PageError> {
    let kind = self::kind(kind)?;
    if xlsx && kind == "responses" {
        // Responses files are read as CSV only, as `delphi responses import` reads them.
        return Err(PageError(AppError::not_found("Responses files are CSV files.")));
    }
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

pub async fn csv(access: StudyAccess<Editor>, Key(name): Key) -> Result<HttpResponse, PageError> {
    download(&access, &name, false).await
}

pub async fn xlsx(access: StudyAccess<Editor>, Key(name): Key) -> Result<HttpResponse, PageError> {
    download(&access, &name, true).await
}
