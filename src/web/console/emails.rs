//! The emails page: the wording of every email the study sends, per language, Delphi's or the
//! study's own, edited as text with its placeholders and checked against a sample before it is
//! saved (what `delphi email template` does on the command line).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::access::{Editor, Key, StudyAccess, StudyForm, Viewer};
use super::{see_other, t, Done};
use crate::domain::role::Role;
use crate::email::render::{Override, NAMES};
use crate::service::email_templates::{self, Editable};
use crate::service::ServiceError;
use crate::web::error::{AppError, PageError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/emails", web::get().to(list))
        .route("/console/s/{slug}/emails/{name}", web::get().to(edit))
        .route("/console/s/{slug}/emails/{name}", web::post().to(save))
        .route("/console/s/{slug}/emails/{name}/clear", web::post().to(clear));
}

/// The placeholders an email may use, each with what it stands for.
const PLACEHOLDERS: &[&str] = &[
    "study",
    "name",
    "round",
    "items",
    "minutes",
    "deadline",
    "link",
    "unsubscribe",
    "agreed",
    "choose",
];

fn email_name(path: &str) -> Result<&'static str, PageError> {
    NAMES
        .iter()
        .find(|n| **n == path)
        .copied()
        .ok_or_else(|| PageError(AppError::not_found("There is no such email.")))
}

async fn list(access: StudyAccess<Viewer>) -> Result<HttpResponse, PageError> {
    let lang = access.lang();
    let languages = email_templates::languages_of(&access.study);
    let own = match access.run(email_templates::list).await {
        Ok(own) => own,
        Err(e) => return access.refuse(e, &access.url()),
    };
    let rows: Vec<_> = NAMES
        .iter()
        .map(|name| {
            json!({
                "name": name,
                "title": t(lang, &format!("emails-name-{name}")),
                "languages": languages.iter().map(|l| json!({
                    "tag": l,
                    "label": t(l, "language-name"),
                    "custom": own.iter().any(|w| w.name == *name && w.language == *l),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    access.render(
        "console/emails",
        json!({ "title": access.titled("emails-title"), "slug": access.study.slug, "rows": rows }),
    )
}

#[derive(Deserialize)]
struct Which {
    lang: Option<String>,
    #[serde(flatten)]
    done: Done,
}

fn edit_page(
    access: &StudyAccess<impl Sized>,
    status: StatusCode,
    wording: &Editable,
    notice: Option<String>,
    problem: Option<String>,
) -> Result<HttpResponse, PageError> {
    let lang = access.lang();
    access.render_status(
        status,
        "console/email_edit",
        json!({
            "title": access.titled(&format!("emails-name-{}", wording.name)),
            "email_title": t(lang, &format!("emails-name-{}", wording.name)),
            "slug": access.study.slug,
            "wording": wording,
            "language_label": t(&wording.language, "language-name"),
            "notice": notice,
            "problem": problem,
            "placeholders": PLACEHOLDERS.iter().map(|p| json!({
                "code": format!("{{{{{p}}}}}"),
                "means": t(lang, &format!("emails-placeholder-{p}")),
            })).collect::<Vec<_>>(),
            "can_edit": access.role >= Role::Editor,
        }),
    )
}

async fn edit(
    access: StudyAccess<Viewer>,
    Key(name): Key,
    query: web::Query<Which>,
) -> Result<HttpResponse, PageError> {
    let name = email_name(&name)?;
    let wanted = query
        .lang
        .clone()
        .unwrap_or_else(|| access.study.file.language.clone());
    let wording = match access
        .run(move |conn, slug| email_templates::editable(conn, slug, name, &wanted))
        .await
    {
        Ok(wording) => wording,
        Err(e) => return access.refuse(e, &access.page("emails")),
    };
    let notice = query
        .done
        .notice(access.lang(), &["saved", "cleared"], "emails-done-");
    edit_page(&access, StatusCode::OK, &wording, notice, None)
}

#[derive(Deserialize)]
struct WordingForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

async fn save(
    StudyForm { access, form }: StudyForm<Editor, WordingForm>,
    Key(name): Key,
) -> Result<HttpResponse, PageError> {
    let name = email_name(&name)?;
    let template = Override {
        subject: form.subject.trim().to_owned(),
        body_text: form.body.replace("\r\n", "\n"),
        body_html: None,
    };
    let (lang, typed) = (form.lang.clone(), template.clone());
    let saved = access
        .act(move |conn, slug, actor| email_templates::set(conn, slug, name, &lang, &typed, actor))
        .await;
    match saved {
        Ok(_) => Ok(see_other(
            &access.page(&format!("emails/{name}?lang={}&done=saved", form.lang)),
        )),
        Err(ServiceError::Invalid { reason, .. }) if !form.lang.is_empty() => {
            // The page comes back with what was typed and why it was refused.
            let lang = form.lang.clone();
            let mut wording = match access
                .run(move |conn, slug| email_templates::editable(conn, slug, name, &lang))
                .await
            {
                Ok(wording) => wording,
                Err(e) => return access.refuse(e, &access.page("emails")),
            };
            wording.subject = template.subject;
            wording.body_text = template.body_text;
            edit_page(
                &access,
                StatusCode::UNPROCESSABLE_ENTITY,
                &wording,
                None,
                Some(reason),
            )
        }
        Err(e) => access.refuse(e, &access.page("emails")),
    }
}

#[derive(Deserialize)]
struct LangForm {
    #[serde(default)]
    lang: String,
}

async fn clear(
    StudyForm { access, form }: StudyForm<Editor, LangForm>,
    Key(name): Key,
) -> Result<HttpResponse, PageError> {
    let name = email_name(&name)?;
    let lang = form.lang.clone();
    let cleared = access
        .act(move |conn, slug, actor| email_templates::clear(conn, slug, name, &lang, actor))
        .await;
    access.redirect(
        cleared.map(|_| access.page(&format!("emails/{name}?lang={}&done=cleared", form.lang))),
        &access.page("emails"),
    )
}
