//! Results in the console: the closed rounds with stability and the downloads, and per round the
//! table of every item (pooled, or per stakeholder group) with its status under the primary rule
//! and every alternative (sensitivity) and a histogram.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::rounds::actor;
use super::{refusal, render};
use crate::domain::round::RoundState;
use crate::export::files::{ExportFile, EXPORT_FILES};
use crate::export::{svg, ExportError};
use crate::i18n;
use crate::service::export::{self, ExportOptions};
use crate::service::results::{self, Scope};
use crate::service::{stability, studies, ServiceError};
use crate::web::auth::require_role;
use crate::web::auth::{CsrfForm, Facilitator, Role};
use crate::web::error::{AppError, PageError};
use crate::web::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/results", web::get().to(overview))
        .route("/console/s/{slug}/results/{round}", web::get().to(round_page))
        .route("/console/s/{slug}/export/{file}", web::get().to(download))
        .route(
            "/console/s/{slug}/export/{file}",
            web::post().to(download_identified),
        );
}

fn fmt(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into())
}

pub async fn overview(
    facilitator: Facilitator,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let slug = path.into_inner();
    let (study, role) = require_role(&state, &facilitator, &slug, Role::Viewer).await?;
    let lookup = slug.clone();
    let (overview, table) = state
        .store
        .run(move |conn| -> Result<_, ServiceError> {
            Ok((
                studies::show(conn, &lookup)?,
                stability::stability(conn, &lookup, None)?,
            ))
        })
        .await?;
    let lang = facilitator.lang;
    let rounds: Vec<Value> = overview
        .rounds
        .iter()
        .filter(|r| r.status == RoundState::Closed)
        .map(|r| json!({ "number": r.number, "closed_at": r.closed_at }))
        .collect();
    let lines: Vec<Value> = table
        .lines
        .iter()
        .map(|l| {
            json!({
                "round": l.round,
                "item": l.item_code,
                "previous": l.previous_status,
                "status": l.status,
                "changed": l.previous_status != l.status,
                "delta_median": fmt(l.change.delta_median),
                "moved": l.bands.moved,
                "paired": l.bands.paired,
                "stable": match l.bands.stable {
                    Some(true) => i18n::translate(lang, "console2-yes", &[]),
                    Some(false) => i18n::translate(lang, "console2-no", &[]),
                    None => "—".into(),
                },
                "responders": l.attrition.responders,
                "non_responders": l.attrition.non_responders,
                "attrition_difference": fmt(l.attrition.difference),
            })
        })
        .collect();
    let downloads: Vec<Value> = EXPORT_FILES
        .iter()
        .map(|f| json!({ "file": f.name, "href": format!("/console/s/{slug}/export/{}", f.name) }))
        .collect();
    render(
        &facilitator,
        StatusCode::OK,
        "console/results",
        json!({
            "title": i18n::translate(lang, "console2-results-title", &[("study", study.title.clone().into())]),
            "slug": slug,
            "rounds": rounds,
            "stability": lines,
            "downloads": downloads,
            "is_owner": role.includes(Role::Owner),
        }),
    )
}

#[derive(Deserialize)]
pub struct RoundQuery {
    /// `groups` for one line per stakeholder group.
    view: Option<String>,
}

pub async fn round_page(
    facilitator: Facilitator,
    state: web::Data<AppState>,
    path: web::Path<(String, i32)>,
    query: web::Query<RoundQuery>,
) -> Result<HttpResponse, PageError> {
    let (slug, number) = path.into_inner();
    require_role(&state, &facilitator, &slug, Role::Viewer).await?;
    let by_group = query.view.as_deref() == Some("groups");
    let scope = if by_group { Scope::ByGroup } else { Scope::Pooled };
    let lookup = slug.clone();
    let loaded = state
        .store
        .run(move |conn| -> Result<_, ServiceError> {
            let study = studies::load(conn, &lookup)?;
            Ok((study, results::results(conn, &lookup, Some(number), scope)?))
        })
        .await;
    let (study, table) = match loaded {
        Ok(found) => found,
        Err(e) => return refusal(&facilitator, e, &format!("/console/s/{slug}/results")),
    };
    let lang = facilitator.lang;
    let bands = study.scale.bands();
    let lines: Vec<Value> = table
        .lines
        .iter()
        .map(|l| {
            let label = i18n::translate(
                lang,
                "console2-chart-label",
                &[("item", l.item_code.clone().into()), ("n", l.n.into())],
            );
            json!({
                "code": l.item_code,
                "text": l.item_text,
                "section": l.section,
                "group": l.group,
                "responded": l.responded,
                "invited": l.invited,
                "n": l.n,
                "unable": l.unable,
                "median": fmt(l.figures.median),
                "iqr": fmt(l.figures.iqr),
                "mean": fmt(l.figures.mean),
                "status": l.status,
                "alternatives": l.alternative_statuses,
                "chart": svg::histogram(&svg::Histogram {
                    min: table.scale_min,
                    counts: &l.counts,
                    bands,
                    highlight: None,
                    label: &label,
                }),
            })
        })
        .collect();
    render(
        &facilitator,
        StatusCode::OK,
        "console/round_results",
        json!({
            "title": i18n::translate(lang, "console2-round-results-title", &[("n", number.into())]),
            "study_title": study.title,
            "slug": slug,
            "number": number,
            "by_group": by_group,
            "alternatives": table.alternatives,
            "rule_hash": table.rule_hash,
            "lines": lines,
        }),
    )
}

fn file_of(file: &str) -> Result<&'static ExportFile, PageError> {
    ExportFile::named(file).ok_or_else(|| PageError(AppError::not_found("There is no such download.")))
}

fn export_failed(e: ExportError) -> PageError {
    PageError(AppError::internal(anyhow::anyhow!(e.to_string())))
}

async fn respond(
    state: &AppState,
    facilitator: &Facilitator,
    slug: String,
    file: &'static ExportFile,
    identified: bool,
) -> Result<HttpResponse, PageError> {
    let options = ExportOptions {
        identified,
        format: file.format.to_string(),
    };
    let actor = actor(facilitator);
    let lookup = slug.clone();
    let data = state
        .store
        .run(move |conn| export::collect(conn, &lookup, &options, &actor))
        .await?;
    let bytes = file.build(&data).map_err(export_failed)?;
    let name = if identified {
        format!("{slug}-identified-{}", file.name)
    } else {
        format!("{slug}-{}", file.name)
    };
    Ok(HttpResponse::Ok()
        .content_type(file.media_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}

/// A pseudonymous download; anyone with a role in the study.
pub async fn download(
    facilitator: Facilitator,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, file) = path.into_inner();
    require_role(&state, &facilitator, &slug, Role::Viewer).await?;
    let file = file_of(&file)?;
    respond(&state, &facilitator, slug, file, false).await
}

#[derive(Deserialize)]
pub struct IdentifiedForm {}

/// An identified download (emails and names): owners only, by POST because it is written to
/// the audit log.
pub async fn download_identified(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: CsrfForm<IdentifiedForm>,
) -> Result<HttpResponse, PageError> {
    let facilitator = form.facilitator;
    let (slug, file) = path.into_inner();
    require_role(&state, &facilitator, &slug, Role::Owner).await?;
    let file = file_of(&file)?;
    respond(&state, &facilitator, slug, file, true).await
}
