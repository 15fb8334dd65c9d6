//! The translations page: a study's texts in its main language beside their translation into
//! one of its other languages, with what is still untranslated, and one Save for all of them.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::access::{Editor, StudyAccess, StudyForm, Viewer};
use super::{see_other, t, Done};
use crate::domain::role::Role;
use crate::i18n;
use crate::service::translations::{self, Part, Sheet};
use crate::service::ServiceError;
use crate::web::error::PageError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/translations", web::get().to(page))
        .route("/console/s/{slug}/translations", web::post().to(save));
}

#[derive(Deserialize)]
struct Which {
    lang: Option<String>,
    /// `1`: only what is not translated yet.
    missing: Option<String>,
    #[serde(flatten)]
    done: Done,
}

const PARTS: [(Part, &str); 6] = [
    (Part::Study, "translations-part-study"),
    (Part::Scale, "translations-part-scale"),
    (Part::Sections, "translations-part-sections"),
    (Part::Groups, "translations-part-groups"),
    (Part::Criteria, "translations-part-criteria"),
    (Part::Items, "translations-part-items"),
];

/// The number of a CHNRI criterion's question from its field, `chnriq_<key>_<n>`.
fn chnri_question(field: &str) -> Option<i64> {
    field
        .strip_prefix("chnriq_")
        .and_then(|rest| rest.rsplit_once('_'))
        .and_then(|(_, n)| n.parse().ok())
}

/// The language's own name for the languages with pages; the tag for the others.
fn language_name(tag: &str) -> String {
    match tag {
        "en" => "English".to_owned(),
        "fr" => "Français".to_owned(),
        other => other.to_owned(),
    }
}

fn render(
    access: &StudyAccess<impl Sized>,
    status: StatusCode,
    sheet: &Sheet,
    missing_only: bool,
    notice: Option<String>,
    problem: Option<String>,
) -> Result<HttpResponse, PageError> {
    let lang = access.lang();
    let total = sheet.texts.len();
    let translated = sheet.translated();
    let parts: Vec<_> = PARTS
        .iter()
        .filter_map(|(part, key)| {
            let rows: Vec<_> = sheet
                .texts
                .iter()
                .filter(|text| text.part == *part && (!missing_only || text.translation.is_empty()))
                .map(|text| {
                    json!({
                        "field": text.field,
                        "id": format!("t-{}", text.field.replace(['.', ' '], "-")),
                        "what": if *part == Part::Items && text.field.starts_with("itemdesc_") {
                            i18n::translate(lang, "translations-item-description", &[("code", text.what.clone().into())])
                        } else if let Some(n) = chnri_question(&text.field) {
                            i18n::translate(lang, "translations-criterion-question", &[("criterion", text.what.clone().into()), ("n", n.into())])
                        } else if *part == Part::Study {
                            t(lang, if text.field == "title" { "translations-title-field" } else { "translations-description" })
                        } else {
                            text.what.clone()
                        },
                        "source": text.source,
                        "translation": text.translation,
                        "long": text.long,
                        "missing": text.translation.is_empty(),
                    })
                })
                .collect();
            (!rows.is_empty()).then(|| json!({ "title": t(lang, key), "rows": rows }))
        })
        .collect();
    let slug = &access.study.slug;
    let context = json!({
        "title": access.titled("translations-title"),
        "slug": slug,
        "notice": notice,
        "problem": problem,
        "language": sheet.language,
        "language_name": language_name(&sheet.language),
        "main_name": language_name(&sheet.main_language),
        "main_lang": sheet.main_language,
        "languages": sheet.languages.iter().map(|l| json!({
            "tag": l, "name": language_name(l), "current": *l == sheet.language,
        })).collect::<Vec<_>>(),
        "progress": i18n::translate(lang, "translations-progress", &[
            ("translated", (translated as i64).into()),
            ("total", (total as i64).into()),
            ("language", language_name(&sheet.language).into()),
        ]),
        "missing_only": missing_only,
        "all_done": missing_only && parts.is_empty(),
        "parts": parts,
        "can_edit": access.role >= Role::Editor,
    });
    access.render_status(status, "console/translations", context)
}

async fn page(access: StudyAccess<Viewer>, query: web::Query<Which>) -> Result<HttpResponse, PageError> {
    let wanted = query.lang.clone();
    let sheet = match access
        .run(move |conn, slug| translations::sheet(conn, slug, wanted.as_deref()))
        .await
    {
        Ok(sheet) => sheet,
        Err(e) => return access.refuse(e, &access.page("translations")),
    };
    let notice = query
        .done
        .notice(access.lang(), &["saved", "unchanged"], "translations-done-");
    render(
        &access,
        StatusCode::OK,
        &sheet,
        query.missing.as_deref() == Some("1"),
        notice,
        None,
    )
}

async fn save(form: StudyForm<Editor, Vec<(String, String)>>) -> Result<HttpResponse, PageError> {
    let StudyForm { access, form: fields } = form;
    let one = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let language = one("lang").unwrap_or_default();
    let missing_only = one("missing").as_deref() == Some("1");
    let (lang, posted) = (language.clone(), fields.clone());
    let saved = access
        .act(move |conn, slug, actor| translations::save(conn, slug, &lang, &posted, actor))
        .await;
    let back = format!(
        "translations?lang={language}{}",
        if missing_only { "&missing=1" } else { "" }
    );
    match saved {
        Ok(0) => Ok(see_other(&access.page(&format!("{back}&done=unchanged")))),
        Ok(n) => Ok(see_other(&access.page(&format!("{back}&done=saved&n={n}")))),
        Err(ServiceError::Invalid { field, reason }) if field.starts_with("item_") => {
            // The page comes back with what was typed, and the problem at the top.
            let wanted = language.clone();
            let mut sheet = match access
                .run(move |conn, slug| translations::sheet(conn, slug, Some(&wanted)))
                .await
            {
                Ok(sheet) => sheet,
                Err(e) => return access.refuse(e, &access.page("translations")),
            };
            for text in &mut sheet.texts {
                if let Some(value) = one(&text.field) {
                    text.translation = value;
                }
            }
            render(
                &access,
                StatusCode::UNPROCESSABLE_ENTITY,
                &sheet,
                missing_only,
                None,
                Some(reason),
            )
        }
        Err(e) => access.refuse(e, &access.page("translations")),
    }
}
