//! Results in the console: the closed rounds with stability and the downloads, and per round the
//! table of every item (pooled, or per stakeholder group) with its status under the primary rule
//! and every alternative (sensitivity) and a histogram.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::access::{Key, Owner, StudyAccess, StudyForm, Viewer};
use crate::domain::role::Role;
use crate::domain::round::{RoundKind, RoundState};
use crate::domain::rule::thresholds::band_thresholds;
use crate::domain::stats::display;
use crate::domain::study::Method;
use crate::export::files::{ExportFile, EXPORT_FILES};
use crate::export::{chnri_svg, ranking_svg, svg, ExportError};
use crate::i18n;
use crate::service::export::{self, ExportOptions};
use crate::service::results::{self, Scope};
use crate::service::{chnri, ranking, stability, studies};
use crate::web::error::{AppError, PageError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/results", web::get().to(overview))
        .route("/console/s/{slug}/results/{round}", web::get().to(round_page))
        .route("/console/s/{slug}/report", web::get().to(report_view))
        .route("/console/s/{slug}/export/{file}", web::get().to(download))
        .route(
            "/console/s/{slug}/export/{file}",
            web::post().to(download_identified),
        );
}

/// The label of the study's criterion `key` in `lang`; `None` for a key it does not have (the
/// item's own line is `""`).
pub(super) fn criterion_label(
    file: &crate::domain::study::StudyFile,
    key: &str,
    lang: &str,
) -> Option<String> {
    file.criteria
        .iter()
        .find(|c| c.key == key)
        .map(|c| c.label_in(lang).to_owned())
}

/// A status in the console's words ("consensus in", "no consensus"), from its machine value.
fn status_word(lang: &str, status: impl std::fmt::Display) -> String {
    i18n::translate(lang, &format!("console2-rule-status-{status}"), &[])
}

pub async fn overview(access: StudyAccess<Viewer>) -> Result<HttpResponse, PageError> {
    let (overview, table) = access
        .run(|conn, slug| {
            Ok((
                studies::show(conn, slug)?,
                stability::stability(conn, slug, None)?,
            ))
        })
        .await?;
    let lang = access.lang();
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
                "previous": status_word(lang, l.previous_status),
                "status": status_word(lang, l.status),
                "changed": l.previous_status != l.status,
                "delta_median": display::median_change(l.change.delta_median),
                "moved": l.bands.moved,
                "paired": l.bands.paired,
                "stable": match l.bands.stable {
                    Some(true) => i18n::translate(lang, "console2-yes", &[]),
                    Some(false) => i18n::translate(lang, "console2-no", &[]),
                    None => "—".into(),
                },
                "responders": l.attrition.responders,
                "non_responders": l.attrition.non_responders,
                "attrition_difference": display::mean(l.attrition.difference),
            })
        })
        .collect();
    let downloads: Vec<Value> = EXPORT_FILES
        .iter()
        .filter(|f| f.offered_for(overview.method, overview.has_ideas))
        .map(|f| json!({ "file": f.name, "href": access.page(&format!("export/{}", f.name)) }))
        .collect();
    access.render(
        "console/results",
        json!({
            "title": access.titled("console2-results-title"),
            "rounds": rounds,
            "stability": lines,
            "downloads": downloads,
            "is_owner": access.role.includes(Role::Owner),
        }),
    )
}

#[derive(Deserialize)]
pub struct RoundQuery {
    /// `groups` for one line per stakeholder group.
    view: Option<String>,
}

/// A closed round's table, of the kind of round it is.
enum RoundTable {
    Ranking(ranking::RankingTable),
    Chnri(chnri::ChnriTable),
    Ratings(results::ResultsTable),
}

pub async fn round_page(
    access: StudyAccess<Viewer>,
    Key(number): Key<i32>,
    query: web::Query<RoundQuery>,
) -> Result<HttpResponse, PageError> {
    let by_group = query.view.as_deref() == Some("groups");
    let scope = if by_group { Scope::ByGroup } else { Scope::Pooled };
    let is_chnri = access.study.file.method == Method::Chnri;
    let loaded = access
        .run(move |conn, slug| {
            Ok(match ranking::round_kind(conn, slug, Some(number))? {
                Some(RoundKind::Ranking) => {
                    RoundTable::Ranking(ranking::ranking_results(conn, slug, number)?)
                }
                _ if is_chnri => RoundTable::Chnri(chnri::results(conn, slug, Some(number), scope)?),
                _ => RoundTable::Ratings(results::results_by_criterion(conn, slug, Some(number), scope)?),
            })
        })
        .await;
    let page = RoundPage {
        access: &access,
        number,
        by_group,
    };
    match loaded {
        Ok(RoundTable::Ranking(table)) => ranking_page(&access, &table),
        Ok(RoundTable::Chnri(table)) => page.chnri(&table),
        Ok(RoundTable::Ratings(table)) => page.ratings(&table),
        Err(e) => access.refuse(e, &access.page("results")),
    }
}

/// The results page of closed round `number` of a rating or CHNRI study, pooled or per group.
struct RoundPage<'a> {
    access: &'a StudyAccess<Viewer>,
    number: i32,
    by_group: bool,
}

impl RoundPage<'_> {
    /// Renders template `name` with `context` and what both kinds of page show: the page's
    /// title, the study's title, the round's number and whether the lines are per group.
    fn render(&self, name: &str, context: Value) -> Result<HttpResponse, PageError> {
        let mut context = context;
        if let Some(map) = context.as_object_mut() {
            let n = self.number;
            let title = i18n::translate(
                self.access.lang(),
                "console2-round-results-title",
                &[("n", n.into())],
            );
            map.insert("title".into(), json!(title));
            map.insert("study_title".into(), json!(self.access.study.title));
            map.insert("number".into(), json!(n));
            map.insert("by_group".into(), json!(self.by_group));
        }
        self.access.render(name, context)
    }

    /// A rating round: each item's figures and statuses with a histogram per line.
    fn ratings(&self, table: &results::ResultsTable) -> Result<HttpResponse, PageError> {
        let access = self.access;
        let lang = access.lang();
        let study = &access.study;
        let lines: Vec<Value> = table
        .lines
        .iter()
        .map(|l| {
            let label = i18n::translate(
                lang,
                "console2-chart-label",
                &[("item", l.item_code.clone().into()), ("n", l.n.into())],
            );
            // In a study with criteria: the criterion's label, or the item's combined line,
            // whose figures are its criteria's (no chart of its own).
            let criterion = l.criterion.as_deref().map(|key| {
                criterion_label(&access.study.file, key, lang)
                    .unwrap_or_else(|| i18n::translate(lang, "console2-criterion-combined", &[]))
            });
            let combined = l.criterion.as_deref() == Some("");
            // Each line drawn on its own scale (a criterion's, or the study's) with the
            // thresholds of the rule that judges it.
            let key = l.criterion.as_deref().unwrap_or("");
            let scale = study.scale_of(key);
            let rule = study
                .criterion(key)
                .and_then(|c| study.rules.get(&c.rule))
                .unwrap_or(&study.rules.primary);
            let from = usize::try_from(scale.min() - table.scale_min).unwrap_or(0);
            let counts = l.counts.get(from..from + scale.len()).unwrap_or(&l.counts);
            json!({
                "code": l.item_code,
                "criterion": criterion,
                "combined": combined,
                "text": l.item_text,
                "section": l.section,
                "group": l.group,
                "responded": l.responded,
                "invited": l.invited,
                // The combined line counts no answers of its own: a dash, as for its median,
                // rather than a 0 that reads as "nobody answered".
                "n": if combined { json!("–") } else { json!(l.n) },
                "unable": if combined { json!("–") } else { json!(l.unable) },
                "median": display::median(l.figures.median),
                "iqr": display::iqr(l.figures.iqr),
                "mean": display::mean(l.figures.mean),
                "status": status_word(lang, l.status),
                "alternatives": l.alternative_statuses.iter().map(|s| status_word(lang, s)).collect::<Vec<_>>(),
                "chart": (!combined).then(|| svg::histogram(&svg::Histogram {
                    min: scale.min(),
                    counts,
                    bands: scale.bands(),
                    highlight: None,
                    label: &label,
                    thresholds: &svg::Threshold::of_rule(&band_thresholds(rule, scale)),
                    rtl: false,
                })),
            })
        })
        .collect();
        self.render(
            "console/round_results",
            json!({
                // Drift compares a round with the one before it.
                "drift": self.number >= 2,
                "alternatives": table.alternatives,
                "criteria": !table.criteria.is_empty(),
                "rule_hash": table.rule_hash,
                "lines": lines,
            }),
        )
    }

    /// A CHNRI round: the items ranked by wRPS with each criterion's score, RPS, wRPS, AEA and
    /// the criteria below their threshold, with a chart per item.
    fn chnri(&self, table: &chnri::ChnriTable) -> Result<HttpResponse, PageError> {
        let access = self.access;
        let lang = access.lang();
        let criteria = access.study.file.chnri_criteria();
        let score = chnri_svg::score_cell;
        let lines: Vec<Value> = table
            .lines
            .iter()
            .map(|l| {
                let bars = chnri_svg::bars(criteria, lang, &l.cs);
                let label = i18n::translate(
                    lang,
                    "console2-chnri-chart-label",
                    &[("item", l.item_code.clone().into())],
                );
                json!({
                    "rank": l.rank.map_or("—".to_owned(), |r| r.to_string()),
                    "code": l.item_code,
                    "text": l.item_text,
                    "group": l.group,
                    "n": l.n,
                    "cs": l.cs.iter().map(|v| score(*v)).collect::<Vec<_>>(),
                    "rps": score(l.rps),
                    "wrps": score(l.wrps),
                    "aea": l.aea.map_or("—".to_owned(), |v| format!("{v:.2}")),
                    "below": l.below.join(", "),
                    "chart": chnri_svg::criterion_scores(&label, &bars),
                })
            })
            .collect();
        let headers: Vec<&str> = criteria.iter().map(|c| c.label_in(lang)).collect();
        self.render(
            "console/chnri_results",
            json!({
                "criteria": headers,
                "lines": lines,
            }),
        )
    }
}

/// The results of a ranking round: its chart, then the table by rank.
fn ranking_page(
    access: &StudyAccess<Viewer>,
    table: &ranking::RankingTable,
) -> Result<HttpResponse, PageError> {
    let lang = access.lang();
    let label = i18n::translate(lang, "console2-ranking-chart-label", &[("n", table.round.into())]);
    let rtl = crate::domain::language::direction(lang) == crate::domain::language::Direction::RightToLeft;
    let lines: Vec<Value> = table
        .lines
        .iter()
        .map(|l| {
            json!({
                "rank": l.rank,
                "code": l.item_code,
                "text": l.item_text,
                "score": ranking_svg::score_text(l.score),
                "points": l.points,
                "chosen": l.chosen,
                "first": l.first,
                "group_ranks": l.groups.iter().map(|g| g.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into())).collect::<Vec<_>>(),
            })
        })
        .collect();
    access.render(
        "console/ranking_results",
        json!({
            "title": i18n::translate(lang, "console2-ranking-results-title", &[("n", table.round.into())]),
            "study_title": access.study.title,
            "summary": i18n::translate(lang, &format!("console2-ranking-summary-{}", table.combine), &[
                ("responded", (table.responded as i64).into()),
                ("choose", i64::from(table.choose).into()),
            ]),
            "chart": ranking_svg::ranking_chart(table, &label, rtl),
            "groups": table.groups,
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

/// How a file is handed over: saved as a download, or shown in the browser (the report).
#[derive(Clone, Copy, PartialEq)]
enum Handover {
    Download,
    Show,
}

/// The report's own policy when shown in the browser: its styles are inline (it is one
/// self-contained file, also meant to be saved and mailed), and nothing else may load or run.
const REPORT_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
     form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

async fn respond<R>(
    access: &StudyAccess<R>,
    file: &'static ExportFile,
    identified: bool,
    handover: Handover,
) -> Result<HttpResponse, PageError> {
    let options = ExportOptions {
        identified,
        format: file.format.to_string(),
    };
    let data = access
        .act(move |conn, slug, actor| export::collect(conn, slug, &options, actor))
        .await?;
    if !file.offered_for(data.study.file.method, data.study.file.ideas.is_some()) {
        return Err(PageError(AppError::not_found("There is no such download.")));
    }
    let bytes = file.build(&data).map_err(export_failed)?;
    let slug = access.slug();
    let name = if identified {
        format!("{slug}-identified-{}", file.name)
    } else {
        format!("{slug}-{}", file.name)
    };
    let mut response = HttpResponse::Ok();
    response
        .content_type(file.media_type)
        .insert_header((header::CACHE_CONTROL, "no-store"));
    match handover {
        Handover::Download => response.insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )),
        Handover::Show => response
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ))
            .insert_header(("content-security-policy", REPORT_POLICY)),
    };
    Ok(response.body(bytes))
}

/// A pseudonymous download; anyone with a role in the study.
pub async fn download(access: StudyAccess<Viewer>, Key(file): Key) -> Result<HttpResponse, PageError> {
    let file = file_of(&file)?;
    respond(&access, file, false, Handover::Download).await
}

/// The pseudonymous report shown in the browser, to read or print to PDF; anyone with a role.
pub async fn report_view(access: StudyAccess<Viewer>) -> Result<HttpResponse, PageError> {
    respond(&access, file_of("report.html")?, false, Handover::Show).await
}

#[derive(Deserialize)]
pub struct IdentifiedForm {}

/// An identified download (emails and names): owners only, by POST because it is written to
/// the audit log.
pub async fn download_identified(
    Key(file): Key,
    form: StudyForm<Owner, IdentifiedForm>,
) -> Result<HttpResponse, PageError> {
    let file = file_of(&file)?;
    respond(&form.access, file, true, Handover::Download).await
}
