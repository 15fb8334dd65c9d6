//! The read-only results page a finished study's closing email links to
//! (`/r/{token}/results`): the final list in the expert's language, aggregates only, with
//! stakeholder groups too small to show left out. A link that opens nothing gets the same
//! unknown-link page as a questionnaire link.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::{html, UnknownLink};
use crate::domain::rule::Status;
use crate::domain::token;
use crate::i18n;
use crate::service::closing::{self, ExpertResults};
use crate::service::closing_outcome::{ChnriOutcome, RankingOutcome};
use crate::service::ServiceError;
use crate::web::error::PageError;

/// GET /r/{token}/results.
pub async fn show(req: HttpRequest) -> Result<HttpResponse, UnknownLink> {
    let state = crate::web::app_state(&req).map_err(|e| UnknownLink::Failed(PageError(e)))?;
    let link_token = req.match_info().get("token").unwrap_or_default().to_owned();
    let found = if token::is_well_formed(&link_token) {
        state
            .store
            .on_text(&link_token, closing::results_page)
            .await
            .map_err(|e: ServiceError| UnknownLink::Failed(PageError(e.into())))?
    } else {
        None
    };
    let Some(results) = found else {
        return Err(UnknownLink::refused(&state, &req).await);
    };
    html(StatusCode::OK, "expert/results", &context(&results)).map_err(UnknownLink::Failed)
}

/// A statistic with one decimal, with the decimal comma in French.
fn number(lang: &str, value: Option<f64>) -> String {
    decimals(lang, value, 1)
}

fn decimals(lang: &str, value: Option<f64>, places: usize) -> String {
    match value {
        Some(v) if lang == "fr" => format!("{v:.places$}").replace('.', ","),
        Some(v) => format!("{v:.places$}"),
        None => "—".into(),
    }
}

fn status_key(status: Status) -> &'static str {
    match status {
        Status::In => "results-status-in",
        Status::Out => "results-status-out",
        Status::None => "results-status-none",
    }
}

fn context(results: &ExpertResults) -> Value {
    let lang = results.lang;
    let t = |key: &str| i18n::translate(lang, key, &[]);
    let groups_hidden = results
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .any(|i| i.groups_hidden);
    let sections: Vec<Value> = results
        .sections
        .iter()
        .map(|section| {
            let items: Vec<Value> = section
                .items
                .iter()
                .map(|item| {
                    let groups: Vec<String> = item
                        .groups
                        .iter()
                        .map(|g| {
                            i18n::translate(
                                lang,
                                "results-group",
                                &[
                                    ("group", g.name.clone().into()),
                                    ("responders", g.responders.into()),
                                    ("median", number(lang, g.median).into()),
                                    ("iqr", number(lang, g.iqr).into()),
                                ],
                            )
                        })
                        .collect();
                    let criteria: Vec<String> = item
                        .criteria
                        .iter()
                        .map(|c| {
                            i18n::translate(
                                lang,
                                "results-criterion",
                                &[
                                    ("criterion", c.label.clone().into()),
                                    ("scale", c.scale.clone().into()),
                                    ("status", t(status_key(c.status)).into()),
                                    ("median", number(lang, c.median).into()),
                                    ("iqr", number(lang, c.iqr).into()),
                                    ("n", c.n.into()),
                                ],
                            )
                        })
                        .collect();
                    json!({
                        "criteria": criteria,
                        "code": item.code,
                        "text": item.text,
                        "text_lang": item.text_lang,
                        "class": item.status.as_str(),
                        "status": t(status_key(item.status)),
                        // With criteria the figures are the criteria's, on their lines.
                        "figures": item.criteria.is_empty().then(|| i18n::translate(lang, "results-figures", &[
                            ("median", number(lang, item.median).into()),
                            ("iqr", number(lang, item.iqr).into()),
                            ("n", item.n.into()),
                            ("round", item.round.into()),
                        ])),
                        "groups": groups,
                        "groups_hidden": item.groups_hidden,
                    })
                })
                .collect();
            json!({ "title": section.title, "items": items })
        })
        .collect();
    let [agreed, out, none] = results.tally;
    let outcome = &results.outcome;
    json!({
        "lang": lang,
        "title": format!("{} · {}", t("results-title"), results.study_title),
        "study_title": results.study_title,
        "finished": results.finished_local.as_ref().map(|at| {
            i18n::translate(lang, "results-finished", &[
                ("at", at.clone().into()),
                ("round", results.last_round.unwrap_or(0).into()),
            ])
        }),
        "tally": i18n::translate(lang, "results-tally", &[
            ("in", (agreed as i64).into()),
            ("out", (out as i64).into()),
            ("none", (none as i64).into()),
        ]),
        "groups_hidden": groups_hidden,
        "min": results.min_group_feedback,
        "sections": sections,
        // No consensus to tally in a CHNRI study, nor in a study that only ranked.
        "rated": outcome.chnri.is_none() && (outcome.ranking.is_none() || !results.sections.is_empty()),
        "chnri": outcome.chnri.as_ref().map(|c| chnri(lang, c)),
        "ranking": outcome.ranking.as_ref().map(|r| ranking(lang, r)),
    })
}

fn chnri(lang: &str, outcome: &ChnriOutcome) -> Value {
    let questions: Vec<Value> = outcome
        .questions
        .iter()
        .map(|q| {
            let (verdict, class) = match (q.rps, q.below.is_empty()) {
                (None, _) => (i18n::translate(lang, "results-chnri-unscored", &[]), "none"),
                (Some(_), true) if outcome.thresholds => {
                    (i18n::translate(lang, "results-chnri-passed", &[]), "in")
                }
                (Some(_), true) => (String::new(), "none"),
                (Some(_), false) => (
                    i18n::translate(
                        lang,
                        "results-chnri-below",
                        &[("criteria", q.below.join(", ").into())],
                    ),
                    "out",
                ),
            };
            let figures = [
                ("wrps", number(lang, q.wrps).into()),
                ("rps", number(lang, q.rps).into()),
                // A share from 0 to 1: two decimals, as the console shows it.
                ("aea", decimals(lang, q.aea, 2).into()),
                ("n", q.n.into()),
            ];
            let key = if outcome.weighted {
                "results-chnri-figures-weighted"
            } else {
                "results-chnri-figures"
            };
            json!({
                "rank": q.rank.map(|r| rank(lang, r)),
                "code": q.code,
                "text": q.text,
                "text_lang": q.text_lang,
                "class": class,
                "verdict": verdict,
                "figures": i18n::translate(lang, key, &figures),
            })
        })
        .collect();
    json!({ "weighted": outcome.weighted, "thresholds": outcome.thresholds, "questions": questions })
}

fn ranking(lang: &str, outcome: &RankingOutcome) -> Value {
    let items: Vec<Value> = outcome
        .top
        .iter()
        .map(|item| {
            json!({
                "rank": rank(lang, item.rank),
                "code": item.code,
                "text": item.text,
                "text_lang": item.text_lang,
                "figures": i18n::translate(lang, "results-ranking-item", &[
                    ("chosen", count(item.chosen).into()),
                    ("first", count(item.first).into()),
                ]),
            })
        })
        .collect();
    json!({
        "intro": i18n::translate(lang, "results-ranking-intro", &[
            ("round", outcome.round.into()),
            ("responded", count(outcome.responded).into()),
            ("shown", count(items.len()).into()),
            ("offered", count(outcome.offered).into()),
        ]),
        "equal_groups": outcome.equal_groups,
        "items": items,
    })
}

fn rank(lang: &str, rank: u32) -> String {
    i18n::translate(lang, "results-rank", &[("rank", rank.into())])
}

/// A count as Fluent reads numbers (plural categories need a number, not text).
fn count(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}
