//! The ideas round in the console: open it (before round 1), close it, and process every
//! proposal — merge it into a new or an existing item, or set it aside with a reason (and the
//! source that already answers it) — and add evidence notes to items.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::access::{Editor, Empty, Key, StudyAccess, StudyForm, Viewer};
use super::triage::{self, Becomes, Choices, Decided};
use crate::domain::role::Role;
use crate::domain::round::RoundState;
use crate::domain::study::SetAside;
use crate::i18n;
use crate::service::ideas::{self, MergeInto, Outcome};
use crate::service::rounds::{self, Opening};
use crate::service::ServiceError;
use crate::web::error::PageError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/ideas", web::get().to(page))
        .route("/console/s/{slug}/ideas/open", web::post().to(open))
        .route("/console/s/{slug}/ideas/close", web::post().to(close))
        .route("/console/s/{slug}/ideas/evidence", web::post().to(evidence))
        .route("/console/s/{slug}/ideas/{code}", web::post().to(process));
}

#[derive(Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

pub async fn page(access: StudyAccess<Viewer>, query: web::Query<Done>) -> Result<HttpResponse, PageError> {
    let (status, choices) = access
        .run(|conn, slug| Ok((ideas::status(conn, slug)?, Choices::load(conn, slug)?)))
        .await?;
    let has_ideas = access.study.file.ideas.is_some();
    let lang = access.lang();
    let editor = access.role.includes(Role::Editor);
    let pending = status
        .proposals
        .iter()
        .filter(|p| p.outcome == Outcome::Pending)
        .count();
    let rows: Vec<_> = status
        .proposals
        .iter()
        .map(|p| {
            let outcome = match (&p.outcome, &p.item) {
                (Outcome::Pending, _) => i18n::translate(lang, "ideas-outcome-pending", &[]),
                (Outcome::Merged, Some(item)) => {
                    i18n::translate(lang, "ideas-outcome-merged", &[("item", item.clone().into())])
                }
                (outcome, _) => i18n::translate(lang, &format!("ideas-reason-{}", outcome.label()), &[]),
            };
            triage::proposal(
                p.expert.as_deref(),
                p.section.as_deref(),
                &p.text,
                p.rationale.as_deref(),
                p.outcome == Outcome::Pending,
                json!({
                    "code": p.code,
                    "outcome": outcome,
                    "source": crate::export::ideas_csv::source(p),
                }),
            )
        })
        .collect();
    let notice = (!query.done.is_empty())
        .then(|| i18n::translate(lang, &format!("ideas-done-{}", query.done), &[]))
        .filter(|text| !text.starts_with("ideas-done-"));
    access.render(
        "console/ideas",
        json!({
            "title": access.titled("ideas-title"),
            "notice": notice,
            "has_ideas": has_ideas,
            "can_open": editor && has_ideas && status.round.is_none() && status.rating_rounds == 0,
            "can_close": editor && status.round == Some(RoundState::Open),
            "round_state": status.round.map(|s| i18n::translate(lang, &format!("console2-round-{s}"), &[])),
            "summary": i18n::translate(lang, "ideas-summary", &[
                ("received", (status.proposals.len() as i64).into()),
                ("pending", (pending as i64).into()),
            ]),
            "proposals": rows,
            "reasons": SetAside::ALL.iter().map(|r| json!({
                "value": r.as_str(),
                "label": i18n::translate(lang, &format!("ideas-reason-{r}"), &[]),
            })).collect::<Vec<_>>(),
            "sections": choices.sections,
            "items": choices.items,
            "can_edit": editor && status.round.is_some(),
        }),
    )
}

pub async fn open(StudyForm { access, .. }: StudyForm<Editor, Empty>) -> Result<HttpResponse, PageError> {
    let links = access.state.settings.links();
    let opened = access
        .act(move |conn, slug, actor| rounds::open_as(conn, slug, Opening::Ideas, None, &links, actor))
        .await;
    access.back_to_page("ideas", opened.map(|_| "opened"))
}

pub async fn close(StudyForm { access, .. }: StudyForm<Editor, Empty>) -> Result<HttpResponse, PageError> {
    let closed = access.act(ideas::close).await;
    access.back_to_page("ideas", closed.map(|_| "closed"))
}

#[derive(Deserialize)]
pub struct ProcessForm {
    #[serde(flatten)]
    decided: Decided,
    /// For a proposal set aside as already answered: the source that answers it.
    #[serde(default)]
    source: String,
    #[serde(default)]
    link: String,
}

/// One proposal processed: merged into a new or existing item, or set aside.
pub async fn process(
    Key(proposal): Key,
    StudyForm { access, form }: StudyForm<Editor, ProcessForm>,
) -> Result<HttpResponse, PageError> {
    let facilitator_id = access.facilitator.id;
    let actor = access.actor();
    let ProcessForm {
        mut decided,
        source,
        link,
    } = form;
    let into = match decided.becomes(["new", "existing", "aside"]) {
        Some(Becomes::New { code, section, text }) => Some(MergeInto::New { code, section, text }),
        Some(Becomes::Existing(into)) => Some(MergeInto::Existing(into)),
        Some(Becomes::Neither) => None,
        None => {
            return access.refuse(
                ServiceError::invalid(
                    "decision",
                    "choose: merge into a new item, into an existing item, or set aside",
                ),
                &access.page("ideas"),
            )
        }
    };
    let outcome = match (into, SetAside::parse(&decided.reason)) {
        (Some(into), _) => {
            access
                .run(move |conn, slug| {
                    ideas::merge(conn, slug, &[proposal], &into, Some(facilitator_id), &actor).map(|_| ())
                })
                .await
        }
        (None, None) => Err(ServiceError::invalid("reason", "choose why it is set aside")),
        (None, Some(reason)) => {
            access
                .run(move |conn, slug| {
                    ideas::set_aside(
                        conn,
                        slug,
                        &proposal,
                        reason,
                        Some(source.as_str()),
                        Some(link.as_str()),
                        Some(facilitator_id),
                        &actor,
                    )
                })
                .await
        }
    };
    access.back_to_page("ideas", outcome.map(|()| "processed"))
}

#[derive(Deserialize)]
pub struct EvidenceForm {
    item: String,
    citation: String,
    #[serde(default)]
    link: String,
}

pub async fn evidence(
    StudyForm { access, form }: StudyForm<Editor, EvidenceForm>,
) -> Result<HttpResponse, PageError> {
    let added = access
        .act(move |conn, slug, actor| {
            ideas::add_evidence(
                conn,
                slug,
                &form.item,
                &form.citation,
                Some(form.link.as_str()),
                actor,
            )
        })
        .await;
    access.back_to_page("ideas", added.map(|()| "evidence"))
}
