//! The page of a ranking round: every item with a position select ("not chosen" by default, 1
//! to `choose`), posted as a whole form without JavaScript; `static/js/ranking.js` turns it into
//! an ordered list with move up / move down buttons that saves as it goes (POST
//! `/r/{token}/ranking`, the same fields, JSON back). The rules are `service::ranking::expert`'s;
//! a refused list comes back with a GOV.UK error summary naming the items in conflict and every
//! position the expert chose kept.

use std::collections::HashMap;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::json;

use super::{closed_page, html, see_other, ExpertLink, UnknownLink};
use crate::i18n;
use crate::markdown::markdown;
use crate::service::expert::{self, ExpertSession, RoundData};
use crate::service::ranking::expert::{self as ranking, RankingProblem, RankingSaved};
use crate::service::{Connection, ServiceError};
use crate::web::error::{ApiError, AppError, ErrorKind, PageError};

#[derive(Debug, Serialize)]
struct OptionView {
    value: u32,
    selected: bool,
}

#[derive(Debug, Serialize)]
struct ItemView {
    code: String,
    text: String,
    text_lang: Option<String>,
    description_html: Option<String>,
    not_chosen: bool,
    options: Vec<OptionView>,
    error: Option<String>,
}

#[derive(Debug, Serialize)]
struct SectionView {
    title: String,
    items: Vec<ItemView>,
}

#[derive(Debug, Serialize)]
struct ErrorLink {
    href: String,
    text: String,
}

#[derive(Debug, Serialize)]
struct PageView {
    study_title: String,
    intro_html: String,
    round: i32,
    deadline: Option<String>,
    choose: u32,
    chosen: usize,
    sections: Vec<SectionView>,
    errors: Vec<ErrorLink>,
    test: bool,
    submitted: bool,
}

/// The sentence for a problem, in the page's language.
fn describe(lang: &str, problem: &RankingProblem, texts: &HashMap<String, String>) -> String {
    let name = |code: &str| texts.get(code).cloned().unwrap_or_else(|| code.to_owned());
    match problem {
        RankingProblem::NotAPosition { code, value } => i18n::translate(
            lang,
            "ranking-error-not-a-position",
            &[("item", name(code).into()), ("value", value.clone().into())],
        ),
        RankingProblem::Repeated { codes, position } => {
            let names: Vec<String> = codes.iter().map(|c| format!("“{}”", name(c))).collect();
            i18n::translate(
                lang,
                "ranking-error-repeated",
                &[
                    ("items", names.join(", ").into()),
                    ("position", f64::from(*position).into()),
                ],
            )
        }
        RankingProblem::AboveChoose { code, position } => i18n::translate(
            lang,
            "ranking-error-above-choose",
            &[
                ("item", name(code).into()),
                ("position", f64::from(*position).into()),
            ],
        ),
        RankingProblem::Gap { missing } => i18n::translate(
            lang,
            "ranking-error-gap",
            &[("position", f64::from(*missing).into())],
        ),
        RankingProblem::NotInRound { code } => {
            i18n::translate(lang, "ranking-error-not-in-round", &[("item", name(code).into())])
        }
    }
}

/// The page's view: `positions` are the expert's (saved, or as posted when refused).
fn view(
    conn: &mut Connection,
    cache: &super::view::ExpertPages,
    session: &ExpertSession,
    positions: &HashMap<String, String>,
    problems: &[RankingProblem],
) -> Result<PageView, ServiceError> {
    let data = expert::round_data(conn, &cache.data, session)?;
    Ok(view_of(data, session, positions, problems))
}

/// The page's view of `data`, the round's items as `expert::round_data` reads them.
fn view_of(
    data: RoundData,
    session: &ExpertSession,
    positions: &HashMap<String, String>,
    problems: &[RankingProblem],
) -> PageView {
    let study = &session.study;
    let texts = study.file.texts_in(session.lang);
    let choose = study.file.ranking.as_ref().map(|r| r.choose).unwrap_or(1);
    let names: HashMap<String, String> = data
        .sections
        .iter()
        .flat_map(|(_, items)| items.iter().map(|i| (i.code.clone(), i.text.clone())))
        .collect();
    let mut item_errors: HashMap<&str, String> = HashMap::new();
    let mut errors = Vec::new();
    for problem in problems {
        let text = describe(session.lang, problem, &names);
        let codes = problem.codes();
        let href = match codes.first() {
            Some(code) => format!("#p-{code}"),
            None => "#ranking".to_owned(),
        };
        for code in codes {
            item_errors.entry(code).or_insert_with(|| text.clone());
        }
        errors.push(ErrorLink { href, text });
    }
    let sections = data
        .sections
        .into_iter()
        .map(|(title, items)| SectionView {
            title,
            items: items
                .into_iter()
                .map(|item| {
                    let raw = positions.get(&item.code).map(|s| s.trim()).unwrap_or("");
                    ItemView {
                        not_chosen: raw.is_empty(),
                        options: (1..=choose)
                            .map(|value| OptionView {
                                value,
                                selected: raw == value.to_string(),
                            })
                            .collect(),
                        error: item_errors.get(item.code.as_str()).cloned(),
                        description_html: item.description.as_deref().map(markdown),
                        code: item.code,
                        text: item.text,
                        text_lang: item.text_lang,
                    }
                })
                .collect(),
        })
        .collect();
    PageView {
        study_title: texts.title().to_owned(),
        intro_html: markdown(texts.description()),
        round: session.round.number,
        deadline: session.round.deadline.map(|d| study.local_time(d)),
        choose,
        chosen: positions.values().filter(|v| !v.trim().is_empty()).count(),
        sections,
        errors,
        test: session.is_test,
        submitted: session.submitted,
    }
}

fn page(
    status: StatusCode,
    session: &ExpertSession,
    token: &str,
    view: PageView,
    saved: bool,
) -> Result<HttpResponse, PageError> {
    html(
        status,
        "expert/ranking",
        &json!({
            "lang": session.lang,
            "title": session.study.title,
            "token": token,
            "form": view,
            "notice_saved": saved,
        }),
    )
}

/// GET /r/{token} of a ranking round.
pub(super) async fn show(link: ExpertLink, req: HttpRequest) -> Result<HttpResponse, PageError> {
    let cache = link.state().expert_cache.clone();
    let view = link
        .run_opened(move |conn, session| {
            let saved: HashMap<String, String> = ranking::saved_positions(conn, session)?
                .into_iter()
                .map(|(code, p)| (code, p.to_string()))
                .collect();
            Ok(view(conn, &cache, session, &saved, &[])?)
        })
        .await?;
    let saved = req.query_string().contains("saved=1");
    page(StatusCode::OK, &link.session, &link.token, view, saved)
}

enum Outcome {
    Saved,
    Refused(Box<PageView>),
    Closed,
}

/// POST /r/{token} of a ranking round: the whole list, without JavaScript.
pub(super) async fn save(link: ExpertLink, pairs: Vec<(String, String)>) -> Result<HttpResponse, PageError> {
    if !link.session.round_is_open() {
        return closed_page(&link.session, StatusCode::CONFLICT);
    }
    let posted = ranking::parse_ranking_form(pairs);
    let cache = link.state().expert_cache.clone();
    let outcome = link
        .run(move |conn, session| match ranking::save(conn, session, &posted) {
            Ok(RankingSaved::Saved(_)) => Ok(Outcome::Saved),
            Ok(RankingSaved::Refused(problems)) => {
                let kept: HashMap<String, String> = posted.into_iter().collect();
                Ok(Outcome::Refused(Box::new(view(
                    conn, &cache, session, &kept, &problems,
                )?)))
            }
            Err(ServiceError::Conflict(_)) => Ok(Outcome::Closed),
            Err(e) => Err(AppError::from(e)),
        })
        .await?;
    match outcome {
        Outcome::Saved => Ok(see_other(&format!("/r/{}?saved=1", link.token))),
        Outcome::Refused(view) => page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &link.session,
            &link.token,
            *view,
            false,
        ),
        Outcome::Closed => closed_page(&link.session, StatusCode::CONFLICT),
    }
}

/// POST /r/{token}/ranking: the script's save as it goes. The same fields as the form; JSON
/// back: `{"saved": true, "chosen": n}`, or 422 with the problems in the page's language.
pub(super) async fn autosave(
    link: Result<ExpertLink, UnknownLink>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, ApiError> {
    let link = link.map_err(UnknownLink::into_api_error)?;
    let posted = ranking::parse_ranking_form(form.into_inner());
    let lang = link.session.lang;
    let outcome = link
        .run(move |conn, session| {
            let names = ranking::item_names(conn, session)?;
            Ok((ranking::save(conn, session, &posted)?, names))
        })
        .await?;
    match outcome {
        (RankingSaved::Saved(chosen), _) => Ok(HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
            .json(json!({ "saved": true, "chosen": chosen }))),
        (RankingSaved::Refused(problems), names) => {
            let messages: Vec<String> = problems.iter().map(|p| describe(lang, p, &names)).collect();
            let mut error = AppError::new(ErrorKind::Invalid, messages.join(" "));
            error.field = Some("ranking".into());
            Err(ApiError(error))
        }
    }
}

/// The console's "preview as an expert" of a ranking round: the page of `data` with the
/// positions its form last sent (the form comes back to the preview; nothing is saved), and
/// `around` (the preview bar, the page's title) added to the context.
pub(crate) fn preview(
    session: &ExpertSession,
    data: RoundData,
    pairs: Vec<(String, String)>,
    around: serde_json::Value,
) -> Result<HttpResponse, PageError> {
    let positions: HashMap<String, String> = ranking::parse_ranking_form(pairs).into_iter().collect();
    let view = view_of(data, session, &positions, &[]);
    let mut context = json!({ "lang": session.lang, "form": view, "notice_saved": false });
    super::extend(&mut context, around);
    html(StatusCode::OK, "expert/ranking", &context)
}
