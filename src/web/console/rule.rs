//! The consensus-rule editor: the rule as form fields, a preview table of example
//! distributions with the status each rule gives them (the same table from the Preview button
//! without JavaScript, and from `preview.json` for static/js/rule.js as the facilitator types),
//! and saving until round 1 opens. From then on the page shows the rule locked, with its hash.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::access::{Editor, Json, StudyAccess, StudyForm, Viewer};
use super::{correctable, naming_field, see_other, Done};
use crate::domain::role::Role;
use crate::i18n;
use crate::service::rule_editor::{self, Preview, RuleForm};
use crate::web::error::{ApiError, PageError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/rule", web::get().to(page))
        .route("/console/s/{slug}/rule", web::post().to(save))
        .route("/console/s/{slug}/rule/preview", web::post().to(preview_page))
        .route(
            "/console/s/{slug}/rule/preview.json",
            web::post().to(preview_json),
        );
}

/// The preview as the page and rule.js show it: labels translated.
fn preview_json_value(lang: &str, preview: &Preview) -> Value {
    json!({
        "points": preview.points,
        "rules": preview.rules,
        "rows": preview.rows.iter().map(|row| json!({
            "label": i18n::translate(lang, &format!("console2-rule-{}", row.label), &[]),
            "counts": row.counts,
            "unable": row.unable,
            "statuses": row.statuses.iter().map(|(rule, status)| json!({
                "rule": rule,
                "status": status,
                "text": i18n::translate(lang, &format!("console2-rule-status-{status}"), &[]),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

pub async fn page(access: StudyAccess<Viewer>, query: web::Query<Done>) -> Result<HttpResponse, PageError> {
    show(&access, StatusCode::OK, None, query.is("saved")).await
}

/// Renders the editor with `typed` (the stored rule when `None`) and its preview, or the reason
/// the typed rule is refused.
async fn show<R>(
    access: &StudyAccess<R>,
    status: StatusCode,
    typed: Option<(RuleForm, Option<String>)>,
    saved: bool,
) -> Result<HttpResponse, PageError> {
    let (typed_form, error) = match typed {
        Some((form, error)) => (Some(form), error),
        None => (None, None),
    };
    let (editor, form, preview) = access
        .run(move |conn, slug| {
            let editor = rule_editor::editor(conn, slug)?;
            let form = typed_form.unwrap_or_else(|| editor.form.clone());
            let preview = rule_editor::preview_of(conn, slug, &form);
            Ok((editor, form, preview))
        })
        .await?;
    let lang = access.lang();
    // A refusal to save is the error to show even if the typed rule previews fine.
    let (preview, error) = match (preview, error) {
        (Ok(p), e) => (Some(preview_json_value(lang, &p)), e),
        (Err(e), None) if e.is_bad_input() => (None, Some(e.to_string())),
        (Err(e), Some(first)) if e.is_bad_input() => (None, Some(format!("{first}; {e}"))),
        (Err(e), _) => return Err(PageError(e.into())),
    };
    let stored = &editor.study;
    let option = |value: &str, chosen: &str, label: String| json!({ "value": value, "label": label, "selected": value == chosen });
    let default_label = || i18n::translate(lang, "console2-rule-default", &[]);
    let presets = vec![
        option(
            "",
            &form.preset,
            i18n::translate(lang, "console2-rule-custom", &[]),
        ),
        option("comet", &form.preset, "COMET (≥ 70 % 7–9, < 15 % 1–3)".into()),
        option(
            "rand-ucla",
            &form.preset,
            "RAND/UCLA (median, disagreement index)".into(),
        ),
    ];
    // The settings left empty take the study's default.
    let choices = |values: &[&str], chosen: &str| -> Vec<Value> {
        let label = |v: &str| {
            if v.is_empty() {
                default_label()
            } else {
                v.to_string()
            }
        };
        values.iter().map(|v| option(v, chosen, label(v))).collect()
    };
    let quantiles = choices(
        &["", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        &form.quantiles,
    );
    let unable = choices(&["", "exclude", "include"], &form.unable);
    let groups = choices(&["", "pooled", "each", "pooled_and_each"], &form.groups);
    access.render_status(
        status,
        "console/rule",
        json!({
            "title": access.titled("console2-rule-title"),
            "saved": saved,
            "error": error,
            "locked": editor.locked,
            "rule_hash": stored.rule_hash,
            "rule_locked_at": stored.rule_locked_at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
            "current": stored.rules.rules().map(|(name, rule)| format!("{name}: {}", rule.describe())).collect::<Vec<_>>(),
            "scale": stored.scale.describe(),
            "can_save": access.role.includes(Role::Editor) && !editor.locked,
            "form": form,
            "presets": presets,
            "quantiles": quantiles,
            "unable": unable,
            "groups": groups,
            "preview": preview,
        }),
    )
}

pub async fn preview_page(
    StudyForm { access, form }: StudyForm<Viewer, RuleForm>,
) -> Result<HttpResponse, PageError> {
    show(&access, StatusCode::OK, Some((form, None)), false).await
}

pub async fn save(
    StudyForm { access, form }: StudyForm<Editor, RuleForm>,
) -> Result<HttpResponse, PageError> {
    let typed = form.clone();
    let saved = access
        .act(move |conn, slug, actor| rule_editor::save(conn, slug, &typed, actor))
        .await;
    match saved {
        Ok(_) => Ok(see_other(&access.page("rule?done=saved"))),
        Err(e) => {
            let refused = correctable(e)?;
            let message = naming_field(&refused);
            show(&access, refused.kind.status(), Some((form, Some(message))), false).await
        }
    }
}

/// The preview table for rule.js: 200 with the rows, or 422 `{"error", "field", "message"}`
/// naming what in the typed rule is wrong. Viewers may preview; nothing is written.
pub async fn preview_json(
    StudyForm { access, form }: StudyForm<Viewer, RuleForm, Json>,
) -> Result<HttpResponse, ApiError> {
    let preview = access
        .run(move |conn, slug| rule_editor::preview_of(conn, slug, &form))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(preview_json_value(access.lang(), &preview)))
}
