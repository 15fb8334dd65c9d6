//! Rounds, answers, results and exports.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::extract::{invalid, query, rows_refused, JsonBody, StudyCall};
use super::studies::ok;
use crate::domain::file_error::{FileError, FileErrors};
use crate::domain::role::Role;
use crate::domain::round::RoundKind;
use crate::export::files::ExportFile;
use crate::export::{chnri_csv, ranking_csv, results_csv, stability_csv};
use crate::service::chnri;
use crate::service::export::{collect, ExportOptions};
use crate::service::import_preview::{self, ParsedAnswers, ResponsesKind};
use crate::service::results::{self, Scope};
use crate::service::rounds::{self, Opening};
use crate::service::{api_input, ranking, stability, studies};
use crate::web::console::Key;
use crate::web::error::{ApiError, AppError, ErrorKind};

pub async fn list(call: StudyCall) -> Result<HttpResponse, ApiError> {
    let overview = call.run(studies::show).await?;
    Ok(ok(json!({ "rounds": overview.rounds })))
}

/// Body of "open the next round".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenRound {
    /// RFC 3339, e.g. `2026-12-01T17:00:00+03:00`.
    #[serde(default)]
    pub deadline: Option<String>,
    /// `ranking` opens the ranking round, `ideas` the ideas round before round 1; left out (or
    /// `rating`), the study's usual next round.
    #[serde(default)]
    pub kind: Option<String>,
}

pub async fn open(call: StudyCall, body: JsonBody) -> Result<HttpResponse, ApiError> {
    let body: OpenRound = body.parse("body")?;
    let opening = match body.kind.as_deref() {
        None | Some("rating") => Opening::Next,
        Some("ranking") => Opening::Ranking,
        Some("ideas") => Opening::Ideas,
        Some(other) => {
            let mut error = AppError::new(
                ErrorKind::Invalid,
                format!("`{other}` is not a round kind that can be opened: use \"rating\", \"ranking\" or \"ideas\""),
            );
            error.field = Some("kind".into());
            return Err(ApiError(error));
        }
    };
    let links = call.state().settings.links();
    let actor = call.actor();
    let opened = call
        .run(move |conn, slug| {
            let deadline = body
                .deadline
                .map(|text| rounds::parse_deadline(conn, slug, &text))
                .transpose()?;
            rounds::open_as(conn, slug, opening, deadline, &links, &actor)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(opened))
}

pub async fn close(call: StudyCall) -> Result<HttpResponse, ApiError> {
    let actor = call.actor();
    let closed = call
        .run(move |conn, slug| rounds::close(conn, slug, "facilitator", &actor))
        .await?;
    let mut body = json!({
        "number": closed.number,
        "kind": closed.kind,
        "items": closed.items,
        "in": closed.in_,
        "out": closed.out,
        "none": closed.none,
        "study_finished": closed.study_finished,
    });
    // Only the ideas round says how many proposals it collected.
    if let (Some(proposals), Some(fields)) = (closed.proposals, body.as_object_mut()) {
        fields.insert("proposals".into(), json!(proposals));
    }
    Ok(ok(body))
}

pub async fn remind(call: StudyCall) -> Result<HttpResponse, ApiError> {
    let links = call.state().settings.links();
    let actor = call.actor();
    let reminded = call
        .run(move |conn, slug| rounds::remind(conn, slug, &links, &actor))
        .await?;
    Ok(ok(reminded))
}

/// Answers into the open round, as `delphi responses import` writes them: a ranking while a
/// ranking round is open, CHNRI answers in a CHNRI study, ratings otherwise.
pub async fn responses(call: StudyCall, body: JsonBody) -> Result<HttpResponse, ApiError> {
    let value = body.required("an array of answers")?;
    let kind = call.run(import_preview::responses_kind).await?;
    let (parsed, array) = match kind {
        // `[{"expert", "item", "position"}]`.
        ResponsesKind::Ranking => (
            ParsedAnswers::Ranking(api_input::rankings_from_json(value).map_err(|e| of_kind(kind, e))?),
            "rankings",
        ),
        // `[{"expert", "item", "criterion", "question", "answer"}]`.
        ResponsesKind::Chnri => (
            ParsedAnswers::Chnri(api_input::chnri_from_json(value).map_err(|e| of_kind(kind, e))?),
            "answers",
        ),
        ResponsesKind::Ratings => (
            ParsedAnswers::Ratings(api_input::responses_from_json(value).map_err(invalid)?),
            "responses",
        ),
    };
    let actor = call.actor();
    let imported = call
        .run(move |conn, slug| import_preview::import_responses(conn, slug, &parsed, &actor))
        .await
        .map_err(|e| rows_refused(array, e))?;
    Ok(ok(imported))
}

/// Rows of the wrong shape for `kind` (rating rows sent to a CHNRI study) are refused with a
/// first sentence naming the keys this study's answers have.
fn of_kind(kind: ResponsesKind, errors: FileErrors) -> ApiError {
    let shape = errors
        .iter()
        .any(|e| e.reason.contains("unknown field") || e.reason.contains("missing field"));
    if !shape {
        return invalid(errors);
    }
    let what = match kind {
        ResponsesKind::Chnri => "CHNRI answers",
        _ => "a ranking (an open ranking round)",
    };
    let mut named = FileErrors::from(FileError::whole(
        api_input::BODY,
        format!(
            "this study takes {what} now: each row has the keys {}",
            kind.columns(false).join(", ")
        ),
    ));
    named.extend(errors.into_vec());
    invalid(named)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsQuery {
    #[serde(default)]
    pub round: Option<i32>,
    #[serde(default)]
    pub by_group: Option<bool>,
    #[serde(default)]
    pub format: Option<TableFormat>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    Json,
    Csv,
}

fn csv(text: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .content_type("text/csv; charset=utf-8")
        .body(text)
}

fn export_failed(e: impl Into<anyhow::Error>) -> ApiError {
    ApiError(AppError::internal(e))
}

/// The results of a rating study, or the scores of a CHNRI study.
enum Table {
    Rating(results::ResultsTable),
    Chnri(chnri::ChnriTable),
}

/// Results of closed rounds, as `delphi results` gives them (`format=csv`: the same CSV).
pub async fn results(call: StudyCall, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let q: ResultsQuery = query(&req)?;
    let by_group = q.by_group.unwrap_or(false);
    let scope = if by_group { Scope::ByGroup } else { Scope::Pooled };
    // A ranking round's results are its ranking (ranking.csv), as on the command line.
    if let Some(number) = q.round {
        let ranked = call
            .run(
                move |conn, slug| match ranking::round_kind(conn, slug, Some(number))? {
                    Some(RoundKind::Ranking) => ranking::ranking_results(conn, slug, number).map(Some),
                    _ => Ok(None),
                },
            )
            .await?;
        if let Some(table) = ranked {
            return match q.format.unwrap_or(TableFormat::Json) {
                TableFormat::Csv => Ok(csv(ranking_csv::write(
                    &table.groups,
                    std::slice::from_ref(&table),
                )
                .map_err(export_failed)?)),
                TableFormat::Json => Ok(ok(table)),
            };
        }
    }
    // A CHNRI study's results are its scores, with their own columns.
    let table = call
        .run(move |conn, slug| {
            Ok(if chnri::is_chnri(conn, slug)? {
                Table::Chnri(chnri::results(conn, slug, q.round, scope)?)
            } else {
                Table::Rating(results::results_by_criterion(conn, slug, q.round, scope)?)
            })
        })
        .await?;
    match (q.format.unwrap_or(TableFormat::Json), table) {
        (TableFormat::Csv, Table::Rating(table)) => {
            Ok(csv(results_csv::write(&table, by_group).map_err(export_failed)?))
        }
        (TableFormat::Csv, Table::Chnri(scores)) => Ok(csv(
            chnri_csv::write_results(&scores, by_group).map_err(export_failed)?
        )),
        (TableFormat::Json, Table::Rating(table)) => Ok(ok(table)),
        (TableFormat::Json, Table::Chnri(scores)) => Ok(ok(scores)),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StabilityQuery {
    #[serde(default)]
    pub round: Option<i32>,
    #[serde(default)]
    pub format: Option<TableFormat>,
}

pub async fn stability(call: StudyCall, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let q: StabilityQuery = query(&req)?;
    let table = call
        .run(move |conn, slug| stability::stability(conn, slug, q.round))
        .await?;
    match q.format.unwrap_or(TableFormat::Json) {
        TableFormat::Csv => Ok(csv(stability_csv::write(&table).map_err(export_failed)?)),
        TableFormat::Json => Ok(ok(table)),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    #[serde(default)]
    pub identified: Option<bool>,
}

/// One export file. Identified exports (experts' emails and names) are for owners and are
/// written to the audit log before anything is sent.
pub async fn export(call: StudyCall, Key(file): Key, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let q: ExportQuery = query(&req)?;
    let identified = q.identified.unwrap_or(false);
    if identified {
        call.needs(Role::Owner)?;
    }
    let Some(export) = ExportFile::named(&file) else {
        let mut error = AppError::new(
            ErrorKind::NotFound,
            format!(
                "there is no export file `{file}`; choose one of {}",
                ExportFile::names().join(", ")
            ),
        );
        error.field = Some("file".into());
        return Err(ApiError(error));
    };
    let options = ExportOptions {
        identified,
        format: export.format.to_owned(),
    };
    let actor = call.actor();
    let data = call
        .run(move |conn, slug| collect(conn, slug, &options, &actor))
        .await?;
    if !export.offered_for(data.study.file.method, data.study.file.ideas.is_some()) {
        let mut error = AppError::new(
            ErrorKind::NotFound,
            format!(
                "study `{}` has no [ideas] table, so no {}",
                data.study.slug, export.name
            ),
        );
        error.field = Some("file".into());
        return Err(ApiError(error));
    }
    let bytes = export.build(&data).map_err(export_failed)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}-{}\"", data.study.slug, export.name),
        ))
        .content_type(export.media_type)
        .body(bytes))
}

/// What opening the next round would do, written nowhere.
pub async fn preview(call: StudyCall) -> Result<HttpResponse, ApiError> {
    let preview = call.run(rounds::preview).await?;
    Ok(ok(preview))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extend {
    pub deadline: String,
}

/// Moves the open round's deadline later.
pub async fn extend(call: StudyCall, body: JsonBody) -> Result<HttpResponse, ApiError> {
    let body: Extend = JsonBody(body.required("{\"deadline\": …}")?).parse("body")?;
    let actor = call.actor();
    let extended = call
        .run(move |conn, slug| {
            let deadline = rounds::parse_deadline(conn, slug, &body.deadline)?;
            rounds::extend(conn, slug, deadline, &actor)
        })
        .await?;
    Ok(ok(extended))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertEmail {
    pub email: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erasure {
    pub email: String,
    #[serde(default)]
    pub drop_comments: bool,
}

/// Erases an expert on request (docs/operations.md); owners only, as identified exports.
pub async fn erase(call: StudyCall, body: JsonBody) -> Result<HttpResponse, ApiError> {
    let body: Erasure = JsonBody(body.required("{\"email\": …}")?).parse("body")?;
    let actor = call.actor();
    let erased = call
        .run(move |conn, slug| {
            crate::service::erasure::erase(conn, slug, &body.email, body.drop_comments, &actor)
        })
        .await?;
    Ok(ok(json!(erased)))
}

/// Sends an expert's invitation to the open round again with a new link.
pub async fn resend(call: StudyCall, body: JsonBody) -> Result<HttpResponse, ApiError> {
    let body: ExpertEmail = JsonBody(body.required("{\"email\": …}")?).parse("body")?;
    let links = call.state().settings.links();
    let actor = call.actor();
    let resent = call
        .run(move |conn, slug| rounds::resend(conn, slug, &body.email, &links, &actor))
        .await?;
    Ok(ok(resent))
}

/// Withdraws an expert from the study (no more emails; their answers stay). Idempotent.
pub async fn withdraw(call: StudyCall, body: JsonBody) -> Result<HttpResponse, ApiError> {
    let body: ExpertEmail = JsonBody(body.required("{\"email\": …}")?).parse("body")?;
    let actor = call.actor();
    let withdrawn = call
        .run(move |conn, slug| crate::service::mail::withdraw_expert(conn, slug, &body.email, &actor))
        .await?;
    Ok(ok(json!({
        "pseudonym": withdrawn.pseudonym,
        "already": withdrawn.already,
        "emails_cancelled": withdrawn.emails_cancelled,
    })))
}
