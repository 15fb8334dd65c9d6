//! The expert's page of the ideas round (round 0): the study's prompt, then per section up to
//! `[ideas] per_expert` proposals, each a text and an optional rationale. A plain form that
//! posts back to `/r/{token}`; `static/js/ideas.js` only saves drafts as the expert types.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::{html, see_other, ExpertLink};
use crate::service::expert::ExpertSession;
use crate::service::ideas::{self, Written};
use crate::service::ServiceError;
use crate::web::error::{AppError, PageError};

/// Field names: `t_{section}_{n}` (text) and `w_{section}_{n}` (why), `n` from 1.
fn field(kind: &str, section: &str, n: usize) -> String {
    format!("{kind}_{section}_{n}")
}

/// The page's view: each section open to ideas with its rows, filled from `written` in order.
fn view(session: &ExpertSession, written: &[Written], error: Option<(&str, &str)>, saved: bool) -> Value {
    let study = &session.study.file;
    let texts = study.texts_in(session.lang);
    let Some(settings) = study.ideas.as_ref() else {
        return json!({});
    };
    let per_expert = settings.per_expert as usize;
    let sections: Vec<Value> = settings
        .sections
        .iter()
        .map(|key| {
            let title = study
                .sections
                .iter()
                .find(|s| &s.key == key)
                .map(|s| texts.section(key, &s.title).to_owned())
                .unwrap_or_else(|| key.clone());
            let mine: Vec<&Written> = written.iter().filter(|(s, _, _)| s == key).collect();
            let rows: Vec<Value> = (1..=per_expert)
                .map(|n| {
                    let (text, why) = mine
                        .get(n - 1)
                        .map(|(_, t, w)| (t.as_str(), w.as_str()))
                        .unwrap_or(("", ""));
                    let text_name = field("t", key, n);
                    let invalid = error.is_some_and(|(f, _)| f == text_name);
                    json!({
                        "n": n, "text": text, "why": why, "text_name": text_name,
                        "why_name": field("w", key, n), "invalid": invalid,
                    })
                })
                .collect();
            json!({ "key": key, "title": title, "rows": rows })
        })
        .collect();
    let error = error.map(|(field, reason)| {
        // A section-wide problem points at its first box.
        let anchor = field
            .strip_prefix("section.")
            .map(|key| self::field("t", key, 1))
            .unwrap_or_else(|| field.to_owned());
        json!({ "anchor": anchor, "text": reason })
    });
    json!({
        "lang": session.lang,
        "title": study.title,
        "study_title": texts.title(),
        "prompt": texts.ideas_prompt(),
        "per_expert": per_expert,
        "deadline": session.round.deadline.map(|d| session.study.local_time(d)),
        "sections": sections,
        "error": error,
        "notice_saved": saved,
    })
}

/// The form's fields as written proposals, section by section in the page's order.
fn collect(session: &ExpertSession, pairs: &[(String, String)]) -> Vec<Written> {
    let Some(settings) = session.study.file.ideas.as_ref() else {
        return Vec::new();
    };
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut written = Vec::new();
    for key in &settings.sections {
        for n in 1..=settings.per_expert as usize {
            let (text, why) = (value(&field("t", key, n)), value(&field("w", key, n)));
            if !text.trim().is_empty() || !why.trim().is_empty() {
                written.push((key.clone(), text, why));
            }
        }
    }
    written
}

/// Names a problem by the field the expert must fix: `proposal[k]` is the k-th written row.
fn field_of(written: &[Written], field: &str) -> String {
    let index = field
        .strip_prefix("proposal[")
        .and_then(|rest| rest.split(']').next())
        .and_then(|n| n.parse::<usize>().ok());
    let Some(index) = index else {
        return field.to_owned();
    };
    let Some((section, _, _)) = written.get(index.saturating_sub(1)) else {
        return field.to_owned();
    };
    let n = written[..index].iter().filter(|(s, _, _)| s == section).count();
    self::field("t", section, n)
}

/// GET /r/{token} of the ideas round.
pub(super) async fn show(link: ExpertLink, saved: bool) -> Result<HttpResponse, PageError> {
    let written = link
        .run_opened(|conn, session| {
            Ok(ideas::of_expert(
                conn,
                &session.study,
                session.round.id,
                session.expert_id,
            )?)
        })
        .await?;
    html(
        StatusCode::OK,
        "expert/ideas",
        &with_token(view(&link.session, &written, None, saved), &link.token),
    )
}

fn with_token(mut view: Value, token: &str) -> Value {
    if let Some(map) = view.as_object_mut() {
        map.insert("token".into(), json!(token));
    }
    view
}

/// POST /r/{token} of the ideas round: every proposal saved, or none with the problem named.
pub(super) async fn save(
    link: ExpertLink,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let written = collect(&link.session, &form.into_inner());
    let attempt = written.clone();
    let outcome = link
        .run(move |conn, session| {
            match ideas::save_for_expert(
                conn,
                &session.study,
                session.round.id,
                session.expert_id,
                &attempt,
            ) {
                Ok(_) => Ok(None),
                Err(ServiceError::Invalid { field, reason }) => Ok(Some((field, reason))),
                Err(ServiceError::Conflict(reason)) => Ok(Some((String::new(), reason))),
                Err(e) => Err(AppError::from(e)),
            }
        })
        .await?;
    match outcome {
        None => Ok(see_other(&format!("/r/{}?saved=1", link.token))),
        Some((field, reason)) => {
            let field = field_of(&written, &field);
            html(
                StatusCode::UNPROCESSABLE_ENTITY,
                "expert/ideas",
                &with_token(
                    view(
                        &link.session,
                        &written,
                        Some((field.as_str(), reason.as_str())),
                        false,
                    ),
                    &link.token,
                ),
            )
        }
    }
}
