//! Round control from the console: open the next round, remind, extend the deadline, close;
//! resend an expert's invitation, withdraw an expert. Editors only; each goes through the same
//! use case as the command line. What cannot be taken back in one click (close, extend, resend,
//! withdraw) is a link or a GET form to a confirmation page first, whose button posts the CSRF
//! form; the POST endpoints themselves act at once, as the tests and scripts expect.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::access::{Editor, Empty, Key, StudyAccess, StudyForm};
use super::confirm::Confirmation;
use super::study::expert_name;
use crate::domain::round::{Participation, RoundState};
use crate::i18n;
use crate::service::dashboard;
use crate::service::rounds::{self, Opening};
use crate::service::{listings, ServiceError};
use crate::web::error::PageError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/rounds/open", web::post().to(open))
        .route("/console/s/{slug}/rounds/remind", web::post().to(remind))
        .route("/console/s/{slug}/rounds/close", web::get().to(close_confirm))
        .route("/console/s/{slug}/rounds/close", web::post().to(close))
        .route("/console/s/{slug}/rounds/preview", web::get().to(preview))
        .route("/console/s/{slug}/rounds/extend", web::get().to(extend_confirm))
        .route("/console/s/{slug}/rounds/extend", web::post().to(extend))
        .route(
            "/console/s/{slug}/experts/{pseudonym}/resend",
            web::get().to(resend_confirm),
        )
        .route(
            "/console/s/{slug}/experts/{pseudonym}/resend",
            web::post().to(resend),
        )
        .route(
            "/console/s/{slug}/experts/{pseudonym}/withdraw",
            web::get().to(withdraw_confirm),
        )
        .route(
            "/console/s/{slug}/experts/{pseudonym}/withdraw",
            web::post().to(withdraw),
        );
}

/// What opening the next round would do (items by origin, who is invited); writes nothing.
pub async fn preview(access: StudyAccess<Editor>) -> Result<HttpResponse, PageError> {
    let planned = match access.run(rounds::preview).await {
        Ok(p) => p,
        Err(e) => return access.refuse(e, &access.url()),
    };
    let named = access.study.shows_names();
    let lang = access.lang();
    access.render(
        "console/preview",
        json!({
            "title": i18n::translate(lang, "console2-preview-round-title", &[("n", planned.number.into())]),
            "timezone": access.study.timezone,
            "number": planned.number,
            "locks_rule": planned.locks_rule,
            "summary": i18n::translate(lang, "console2-preview-round-summary", &[
                ("carried", (planned.carried as i64).into()),
                ("suggestions", (planned.suggestions as i64).into()),
                ("new", (planned.new_items as i64).into()),
                ("invited", (planned.invite.len() as i64).into()),
            ]),
            "items": planned.items.iter().map(|i| json!({
                "code": i.code, "text": i.text,
                "origin": i18n::translate(lang, &format!("console2-origin-{}", i.origin.as_str()), &[]),
            })).collect::<Vec<_>>(),
            "invite": planned.invite.iter().map(|e| if named { format!("{} ({})", e.name, e.pseudonym) } else { e.pseudonym.clone() }).collect::<Vec<_>>(),
        }),
    )
}

/// An expert of the current round as the confirmation pages need them.
struct OnBoard {
    /// "Name (E003)" in a named study, "E003" otherwise.
    who: String,
    round: i32,
    round_open: bool,
    withdrawn: bool,
}

/// The expert `pseudonym` among those of the dashboard's round; `NotFound` naming the pseudonym
/// (as typed in the path: the refusal page escapes it) otherwise.
async fn on_board(access: &StudyAccess<Editor>, pseudonym: String) -> Result<OnBoard, ServiceError> {
    access
        .run(move |conn, slug| {
            let board = dashboard::dashboard(conn, slug)?;
            let named = board.named;
            board
                .round
                .and_then(|round| {
                    let expert = round.experts.into_iter().find(|e| e.pseudonym == pseudonym)?;
                    Some(OnBoard {
                        who: expert_name(named, &expert),
                        round: round.number,
                        round_open: round.status == RoundState::Open,
                        withdrawn: expert.status == Participation::Withdrawn,
                    })
                })
                .ok_or_else(|| {
                    ServiceError::NotFound(format!(
                        "study `{slug}` has no expert {pseudonym} in its current round; nothing was changed"
                    ))
                })
        })
        .await
}

#[derive(Deserialize)]
pub struct ExtendQuery {
    #[serde(default)]
    deadline: String,
}

/// The study page's Extend form arrives here (a GET): the new deadline is checked as `extend`
/// will check it, and shown next to the current one before anything changes.
pub async fn extend_confirm(
    access: StudyAccess<Editor>,
    query: web::Query<ExtendQuery>,
) -> Result<HttpResponse, PageError> {
    let typed = query.into_inner().deadline;
    let checked_text = typed.clone();
    let checked = access
        .run(move |conn, slug| {
            if checked_text.trim().is_empty() {
                return Err(ServiceError::invalid("deadline", "choose the new deadline"));
            }
            let deadline = rounds::parse_deadline(conn, slug, &checked_text)?;
            rounds::check_extend(conn, slug, deadline)
        })
        .await;
    let plan = match checked {
        Ok(plan) => plan,
        Err(e) => return access.refuse(e, &format!("{}#new-deadline", access.url())),
    };
    let lang = access.lang();
    let moves = match &plan.previous_local {
        Some(from) => i18n::translate(
            lang,
            "console2-extend-confirm-moves",
            &[
                ("from", from.clone().into()),
                ("to", plan.deadline_local.clone().into()),
            ],
        ),
        None => i18n::translate(
            lang,
            "console2-extend-confirm-sets",
            &[("to", plan.deadline_local.clone().into())],
        ),
    };
    Confirmation {
        title: i18n::translate(lang, "console2-extend-confirm-title", &[("n", plan.round.into())]),
        lines: vec![
            moves,
            i18n::translate(lang, "console2-extend-confirm-effects", &[]),
        ],
        action: "rounds/extend".into(),
        fields: json!([{ "name": "deadline", "value": typed.trim() }]),
        button: i18n::translate(lang, "console2-extend-confirm-button", &[]),
    }
    .page_back_to_dashboard(&access)
}

pub async fn extend(
    StudyForm { access, form }: StudyForm<Editor, OpenForm>,
) -> Result<HttpResponse, PageError> {
    let extended = access
        .act(move |conn, slug, actor| {
            if form.deadline.trim().is_empty() {
                return Err(ServiceError::invalid("deadline", "choose the new deadline"));
            }
            let deadline = rounds::parse_deadline(conn, slug, &form.deadline)?;
            rounds::extend(conn, slug, deadline, actor)
        })
        .await;
    access.back_to_study(extended.map(|e| format!("extended&n={}", e.round)))
}

/// `&who=PSEUDONYM` for the notice, encoded: the study page looks the pseudonym up again.
fn who_param(pseudonym: &str) -> String {
    serde_urlencoded::to_string([("who", pseudonym)]).unwrap_or_default()
}

pub async fn resend_confirm(
    access: StudyAccess<Editor>,
    Key(pseudonym): Key,
) -> Result<HttpResponse, PageError> {
    let slug = access.slug().to_string();
    // The same refusals as the POST, said before the facilitator confirms.
    let refused = move |expert: &OnBoard| {
        if !expert.round_open {
            Some(ServiceError::Conflict(format!(
                "study `{slug}` has no open round"
            )))
        } else if expert.withdrawn {
            Some(ServiceError::Conflict(format!(
                "{} has withdrawn; nothing is sent to them",
                expert.who
            )))
        } else {
            None
        }
    };
    let keys = [
        "console2-resend-confirm-title",
        "console2-resend-confirm-link",
        "console2-resend-confirm-button",
    ];
    confirm_on_expert(&access, pseudonym, "resend", refused, keys).await
}

/// The confirmation page of `action` (`resend`, `withdraw`) on the expert `pseudonym`:
/// refused, with a way back to the study, when the expert is not on the panel or `refused`
/// gives a reason; else the question, what will happen and that answers are kept (`keys`:
/// title, what happens, button; each message is given the expert as `who` and the round as `n`).
async fn confirm_on_expert(
    access: &StudyAccess<Editor>,
    pseudonym: String,
    action: &str,
    refused: impl FnOnce(&OnBoard) -> Option<ServiceError>,
    [title, happens, button]: [&str; 3],
) -> Result<HttpResponse, PageError> {
    let expert = match on_board(access, pseudonym.clone()).await {
        Ok(expert) => expert,
        Err(e) => return access.refuse(e, &access.url()),
    };
    if let Some(e) = refused(&expert) {
        return access.refuse(e, &access.url());
    }
    let lang = access.lang();
    let args = [("who", expert.who.into()), ("n", expert.round.into())];
    Confirmation {
        title: i18n::translate(lang, title, &args),
        lines: vec![
            i18n::translate(lang, happens, &args),
            i18n::translate(lang, "console2-confirm-answers-kept", &[]),
        ],
        action: format!("experts/{pseudonym}/{action}"),
        fields: json!([]),
        button: i18n::translate(lang, button, &args),
    }
    .page_back_to_dashboard(access)
}

pub async fn resend(
    Key(pseudonym): Key,
    StudyForm { access, .. }: StudyForm<Editor, Empty>,
) -> Result<HttpResponse, PageError> {
    let links = access.state.settings.links();
    let resent = access
        .act(move |conn, slug, actor| {
            let email = listings::email_of_pseudonym(conn, slug, &pseudonym)?;
            rounds::resend(conn, slug, &email, &links, actor)
        })
        .await;
    access.back_to_study(resent.map(|r| format!("resent&n={}&{}", r.round, who_param(&r.pseudonym))))
}

pub async fn withdraw_confirm(
    access: StudyAccess<Editor>,
    Key(pseudonym): Key,
) -> Result<HttpResponse, PageError> {
    let refused = |expert: &OnBoard| {
        expert
            .withdrawn
            .then(|| ServiceError::Conflict(format!("{} has already withdrawn; nothing to do", expert.who)))
    };
    let keys = [
        "console2-withdraw-confirm-title",
        "console2-withdraw-confirm-nothing-sent",
        "console2-withdraw-confirm-button",
    ];
    confirm_on_expert(&access, pseudonym, "withdraw", refused, keys).await
}

pub async fn withdraw(
    Key(pseudonym): Key,
    StudyForm { access, .. }: StudyForm<Editor, Empty>,
) -> Result<HttpResponse, PageError> {
    let withdrawn = access
        .act(move |conn, slug, actor| {
            let email = listings::email_of_pseudonym(conn, slug, &pseudonym)?;
            crate::service::mail::withdraw_expert(conn, slug, &email, actor)
        })
        .await;
    access.back_to_study(withdrawn.map(|w| {
        let what = if w.already {
            "withdrawn_already"
        } else {
            "withdrawn"
        };
        format!("{what}&{}", who_param(&w.pseudonym))
    }))
}

#[derive(Deserialize)]
pub struct OpenForm {
    /// `YYYY-MM-DDTHH:MM` (an `<input type="datetime-local">`) in the study's time zone; empty
    /// for no deadline.
    #[serde(default)]
    deadline: String,
    /// `ranking` for the "Open a ranking round" button; empty for the next round.
    #[serde(default)]
    kind: String,
}

pub async fn open(
    StudyForm { access, form }: StudyForm<Editor, OpenForm>,
) -> Result<HttpResponse, PageError> {
    let links = access.state.settings.links();
    let opened = access
        .act(move |conn, slug, actor| {
            let typed = form.deadline.trim();
            let deadline = (!typed.is_empty())
                .then(|| rounds::parse_deadline(conn, slug, typed))
                .transpose()?;
            let opening = if form.kind == "ranking" {
                Opening::Ranking
            } else {
                Opening::Next
            };
            rounds::open_as(conn, slug, opening, deadline, &links, actor)
        })
        .await;
    access.back_to_study(opened.map(|o| format!("opened&n={}", o.number)))
}

pub async fn remind(StudyForm { access, .. }: StudyForm<Editor, Empty>) -> Result<HttpResponse, PageError> {
    let links = access.state.settings.links();
    let reminded = access
        .act(move |conn, slug, actor| rounds::remind(conn, slug, &links, actor))
        .await;
    access.back_to_study(reminded.map(|r| format!("reminded&n={}", r.reminded)))
}

/// Closing cannot be undone, so the button on the study page leads here first.
pub async fn close_confirm(access: StudyAccess<Editor>) -> Result<HttpResponse, PageError> {
    let board = access.run(crate::service::dashboard::dashboard).await?;
    let Some(round) = board.round.filter(|r| r.status == RoundState::Open) else {
        return access.refuse(
            ServiceError::Conflict(format!("study `{}` has no open round", access.slug())),
            &access.url(),
        );
    };
    access.render(
        "console/close",
        json!({
            "title": i18n::translate(access.lang(), "console2-close-title", &[("n", round.number.into())]),
            "study_title": access.study.title,
            "number": round.number,
            "invited": round.turnout.invited,
            "responded": round.turnout.responded,
            "submitted": round.turnout.submitted,
            "answered": round.turnout.answered_not_submitted,
            "rate": round.rate,
        }),
    )
}

pub async fn close(StudyForm { access, .. }: StudyForm<Editor, Empty>) -> Result<HttpResponse, PageError> {
    let closed = access
        .act(move |conn, slug, actor| rounds::close(conn, slug, "facilitator", actor))
        .await;
    access.back_to_study(closed.map(|c| format!("closed&n={}", c.number)))
}
