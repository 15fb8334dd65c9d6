//! The study page: overview, rounds, the round controls and the dashboard; and the small JSON
//! document console.js polls to keep the dashboard's counts current.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::access::{Json, StudyAccess, Viewer};
use super::{t, Done};
use crate::domain::outbox::DeliveryState;
use crate::domain::role::Role;
use crate::domain::round::{Participation, RoundKind, RoundState};
use crate::domain::study::StudyStatus;
use crate::i18n;
use crate::service::dashboard::{self, Dashboard, ExpertProgress};
use crate::web::error::{ApiError, PageError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}", web::get().to(page))
        .route("/console/s/{slug}/status.json", web::get().to(status_json));
}

/// What a POST just did, shown once on the page it redirected to. Round control's notices,
/// which name an expert or a deadline, are told by `round_notice`.
const NOTICES: &[&str] = &[
    "opened",
    "closed",
    "created",
    "items",
    "panel",
    "responses",
    "suggestion",
    "corrected",
    "corrected_resent",
];

/// How the console names an expert: "Name (E003)" in a named study, so the pseudonym the
/// exports use stays in view; the pseudonym alone otherwise.
pub(super) fn expert_name(named: bool, expert: &ExpertProgress) -> String {
    if named && expert.label != expert.pseudonym {
        format!("{} ({})", expert.label, expert.pseudonym)
    } else {
        expert.pseudonym.clone()
    }
}

/// The notice after reminding, extending, resending or withdrawing, saying to whom and how
/// many. Whom and which deadline come from the database, never from the query: `who` is only
/// looked up among the round's experts, and `n` is read as a number.
fn round_notice(lang: &str, done: &Done, board: &Dashboard) -> Option<String> {
    let expert = || {
        let who = done.who()?;
        let round = board.round.as_ref()?;
        let expert = round.experts.iter().find(|e| e.pseudonym == who)?;
        Some(expert_name(board.named, expert))
    };
    let with_who = |key: &str, fallback: &str| match expert() {
        Some(who) => i18n::translate(lang, key, &[("who", who.into())]),
        None => t(lang, fallback),
    };
    if done.is("reminded") {
        Some(i18n::translate(
            lang,
            "console2-done-reminded-count",
            &[("n", done.count().into())],
        ))
    } else if done.is("extended") {
        let n = done.count();
        let deadline = board
            .overview
            .rounds
            .iter()
            .find(|r| i64::from(r.number) == n)
            .and_then(|r| r.deadline.clone());
        Some(match deadline {
            Some(deadline) => i18n::translate(
                lang,
                "console2-done-extended-to",
                &[("n", n.into()), ("deadline", deadline.into())],
            ),
            None => i18n::translate(lang, "console2-done-extended", &[("n", n.into())]),
        })
    } else if done.is("resent") {
        Some(with_who("console2-done-resent-to", "console2-done-resent"))
    } else if done.is("withdrawn") {
        Some(with_who("console2-done-withdrawn-who", "console2-done-withdrawn"))
    } else if done.is("withdrawn_already") {
        Some(with_who(
            "console2-done-withdrawn-already",
            "console2-done-withdrawn",
        ))
    } else {
        None
    }
}

fn expert_status(lang: &str, status: Participation) -> String {
    t(
        lang,
        &format!("console2-expert-{}", status.as_str().replace('_', "-")),
    )
}

fn email_status(lang: &str, status: DeliveryState) -> String {
    t(lang, &format!("console2-email-{status}"))
}

/// The live part of the dashboard, shared by the page and status.json.
fn live(lang: &str, board: &Dashboard) -> Value {
    match &board.round {
        None => json!(null),
        Some(round) => json!({
            "number": round.number,
            "status": round.status,
            "status_label": t(lang, &format!("console2-round-{}", round.status)),
            "invited": round.turnout.invited,
            "responded": round.turnout.responded,
            "submitted": round.turnout.submitted,
            "answered_not_submitted": round.turnout.answered_not_submitted,
            "in_progress": round.in_progress,
            "rate": round.rate,
            "groups": round.groups.iter().map(|g| json!({
                "key": g.key, "name": g.name, "invited": g.turnout.invited, "responded": g.turnout.responded,
                "submitted": g.turnout.submitted, "answered_not_submitted": g.turnout.answered_not_submitted,
                "rate": g.rate,
            })).collect::<Vec<_>>(),
            "experts": round.experts.iter().map(|e| json!({
                "label": e.label,
                "who": expert_name(board.named, e),
                "pseudonym": e.pseudonym,
                "group": e.group,
                "status": e.status,
                "status_label": expert_status(lang, e.status),
                "email": e.email,
                "email_label": email_status(lang, e.email),
                "email_error": e.email_error,
                "withdrawn": e.status == Participation::Withdrawn,
            })).collect::<Vec<_>>(),
        }),
    }
}

pub async fn page(access: StudyAccess<Viewer>, query: web::Query<Done>) -> Result<HttpResponse, PageError> {
    let board = access.run(dashboard::dashboard).await?;
    let (lang, role) = (access.lang(), access.role);
    let o = &board.overview;
    let notice = round_notice(lang, &query, &board).or_else(|| query.notice(lang, NOTICES, "console2-done-"));
    let has_open = o.rounds.iter().any(|r| r.status == RoundState::Open);
    let rounds: Vec<Value> = o
        .rounds
        .iter()
        .map(|r| {
            json!({
                "number": r.number,
                "status": if r.kind == RoundKind::Ranking {
                    format!("{} ({})", t(lang, &format!("console2-round-{}", r.status)), t(lang, "console2-ranking-round-kind"))
                } else {
                    t(lang, &format!("console2-round-{}", r.status))
                },
                "items": r.items,
                "invited": r.invited,
                "opened_at": r.opened_at.clone().unwrap_or_else(|| "—".into()),
                "deadline": r.deadline.clone().unwrap_or_else(|| "—".into()),
                "closed_at": r.closed_at.clone().unwrap_or_else(|| "—".into()),
                "closed": r.status == RoundState::Closed,
            })
        })
        .collect();
    let editor = role.includes(Role::Editor);
    let finished = o.status == StudyStatus::Finished;
    let can_open = editor && !has_open && !finished;
    // A ranking round follows a closed rating round (and may follow the last one of a study the
    // stopping rule finished); it is the study's last.
    let ranked = o.rounds.iter().any(|r| r.kind == RoundKind::Ranking);
    let rated = o
        .rounds
        .iter()
        .any(|r| r.kind == RoundKind::Rating && r.status == RoundState::Closed);
    let can_open_ranking = editor && !has_open && o.has_ranking && rated && !ranked;
    let can_finish = editor && !has_open && !finished && rounds.iter().any(|r| r["closed"] == json!(true));
    access.render(
        "console/study",
        json!({
            "title": o.title,
            "status": t(lang, &format!("console-status-{}", o.status)),
            "finish_reason": o.finish_reason,
            "role": t(lang, &format!("console-role-{}", role.as_str())),
            "scale": o.scale,
            "language": o.language,
            "timezone": o.timezone,
            "max_rounds": o.max_rounds,
            "rules": o.rules,
            "rule_hash": o.rule_hash,
            "rule_locked_at": o.rule_locked_at,
            "sections": o.sections.iter().map(|(k, title, n)| json!({"key": k, "title": title, "items": n})).collect::<Vec<_>>(),
            "groups": o.groups.iter().map(|(k, name, n)| json!({"key": k, "name": name, "experts": n})).collect::<Vec<_>>(),
            "rounds": rounds,
            "named": board.named,
            "live": live(lang, &board),
            "failed_emails": board.failed_emails,
            "undeliverable": board.undeliverable,
            "raters": board.round.as_ref().and_then(|r| r.raters.as_ref()),
            "raters_short": board.round.as_ref().and_then(|r| r.raters.as_ref()).map_or(0, |r| r.short.len()),
            "close_refused": board.round.as_ref().and_then(|r| r.close_refused.as_ref()).map(|c| json!({
                "n": c.short.len(), "min": c.min_raters, "items": c.short.join(", "),
            })),
            "tests": super::test_run::rows(lang, access.slug(), &board.tests),
            "notice": notice,
            "can_edit": role.includes(Role::Editor),
            "can_open": can_open,
            "can_open_ranking": can_open_ranking,
            "has_ideas": o.has_ideas,
            // Before round 1 only; the ideas page says whether one was already opened.
            "can_open_ideas": can_open && o.has_ideas && o.rounds.is_empty() && !o.ideas_opened,
            "has_open": has_open,
            "can_act": role.includes(Role::Editor) && has_open,
            "can_finish": can_finish,
            // The round-control box only when something can be done in it (a finished study
            // gets a sentence and its final list instead of an empty heading).
            "has_controls": editor && (can_open || can_open_ranking || has_open || can_finish),
            "finished": finished,
            "is_owner": role.includes(Role::Owner),
        }),
    )
}

/// The dashboard's counts for console.js; same access rule as the page.
pub async fn status_json(access: StudyAccess<Viewer, Json>) -> Result<HttpResponse, ApiError> {
    let board = access.run(dashboard::dashboard).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({ "round": live(access.lang(), &board), "failed_emails": board.failed_emails.len() })))
}
