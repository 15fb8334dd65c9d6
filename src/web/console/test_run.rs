//! The Test run page: invite test experts (the facilitator, colleagues) to rehearse the
//! questionnaire through real links, before round 1 opens or during a round, follow how far
//! they got, and remove their answers or themselves. Editors only. The rules — where they
//! answer, what is kept apart — are `service::test_run`'s.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::access::{Editor, Empty, Key, StudyAccess, StudyForm};
use super::confirm::Confirmation;
use super::panel::ExpertForm;
use super::{see_other, t, Done};
use crate::domain::account::Problem;
use crate::domain::test_expert;
use crate::i18n;
use crate::service::test_run::{self, NextTest, TestExpertProgress, TestInvite, TestRun};
use crate::service::ServiceError;
use crate::web::auth::problems;
use crate::web::error::PageError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/test", web::get().to(page))
        .route("/console/s/{slug}/test", web::post().to(invite))
        .route(
            "/console/s/{slug}/test/{pseudonym}/clear",
            web::get().to(clear_confirm),
        )
        .route("/console/s/{slug}/test/{pseudonym}/clear", web::post().to(clear))
        .route(
            "/console/s/{slug}/test/{pseudonym}/remove",
            web::get().to(remove_confirm),
        )
        .route(
            "/console/s/{slug}/test/{pseudonym}/remove",
            web::post().to(remove),
        );
}

/// "Ada Lovelace (T001)": test experts are the facilitator's colleagues, named in every study.
fn who(expert: &TestExpertProgress) -> String {
    format!("{} ({})", expert.name, expert.pseudonym)
}

/// The test experts' table rows, for this page and the dashboard (`console/test_experts`).
pub(super) fn rows(lang: &str, slug: &str, experts: &[TestExpertProgress]) -> Vec<Value> {
    experts
        .iter()
        .map(|e| {
            let round = match (e.round, e.rehearsal) {
                (Some(n), true) => i18n::translate(lang, "test-round-rehearsal", &[("n", n.into())]),
                (Some(n), false) => i18n::translate(lang, "test-round-open", &[("n", n.into())]),
                (None, _) => "—".into(),
            };
            json!({
                "pseudonym": e.pseudonym,
                "who": who(e),
                "name": e.name,
                "email": e.email,
                "group": e.group,
                "group_key": e.group_key,
                "language": e.language.clone().unwrap_or_default(),
                "round": round,
                "status": t(lang, &format!("console2-expert-{}", e.status.as_str().replace('_', "-"))),
                "answered": i18n::translate(lang, "test-answered-of", &[
                    ("answered", (e.answered as i64).into()),
                    ("items", (e.items as i64).into()),
                ]),
                "email_state": t(lang, &format!("console2-email-{}", e.email_state)),
                "email_error": e.email_error.clone().unwrap_or_default(),
                "clear": format!("/console/s/{slug}/test/{}/clear", e.pseudonym),
                "remove": format!("/console/s/{slug}/test/{}/remove", e.pseudonym),
            })
        })
        .collect()
}

/// What a POST just did, said once, naming whom. `who` is looked up among the test experts
/// (or, once removed, shown only if it is a test pseudonym), so nothing typed into the address
/// reaches the page.
fn notice(lang: &str, done: &Done, run: &TestRun) -> Option<String> {
    let found = done
        .who()
        .and_then(|p| run.experts.iter().find(|e| e.pseudonym == p));
    let n = ("n", done.count().into());
    if done.is("removed") {
        let pseudonym = done.who().filter(|p| test_expert::number(p).is_some())?;
        return Some(i18n::translate(
            lang,
            "test-done-removed",
            &[("who", pseudonym.to_string().into()), n],
        ));
    }
    let expert = found?;
    let round = expert.round.unwrap_or(0);
    let args = [
        ("who", who(expert).into()),
        ("email", expert.email.clone().into()),
        ("round", round.into()),
        n,
    ];
    let key = if done.is("invited") && expert.rehearsal {
        "test-done-invited-rehearsal"
    } else if done.is("invited") {
        "test-done-invited-open"
    } else if done.is("again") {
        "test-done-again"
    } else if done.is("cleared") {
        "test-done-cleared"
    } else {
        return None;
    };
    Some(i18n::translate(lang, key, &args))
}

/// A problem's message in the test run's words ("Enter the test expert's email address").
fn message(lang: &str, problem: Problem) -> String {
    match problem {
        Problem::EmailMissing => t(lang, "test-problem-email-missing"),
        Problem::NameMissing => t(lang, "test-problem-name-missing"),
        other => problems::message(lang, other),
    }
}

/// The page, with the invitation form as `typed` and its `found` problems.
async fn test_page(
    access: &StudyAccess<Editor>,
    status: StatusCode,
    done: Option<&Done>,
    typed: &ExpertForm,
    found: &[(&'static str, String)],
) -> Result<HttpResponse, PageError> {
    let run = access.run(test_run::overview).await?;
    let lang = access.lang();
    let (next, can_invite) = match run.next {
        NextTest::Open(n) => (i18n::translate(lang, "test-next-open", &[("n", n.into())]), true),
        NextTest::Rehearsal(n) => (
            i18n::translate(lang, "test-next-rehearsal", &[("n", n.into())]),
            true,
        ),
        NextTest::Blocked(why) => (t(lang, why.key()), false),
    };
    let groups: Vec<Value> = run
        .groups
        .iter()
        .map(|(key, name)| json!({ "key": key, "name": name, "selected": *key == typed.group }))
        .collect();
    let mut languages = vec![json!({
        "value": "", "label": t(lang, "test-language-study"), "selected": typed.language.is_empty(),
    })];
    languages.extend(
        i18n::expert_languages()
            .into_iter()
            .map(|l| json!({ "value": l, "label": t(l, "language-name"), "selected": typed.language == l })),
    );
    let mut context = json!({
        "title": access.titled("test-title"),
        "notice": done.and_then(|d| notice(lang, d, &run)),
        "next": next,
        "can_invite": can_invite,
        "invite": { "email": typed.email, "name": typed.name },
        "groups": groups,
        "languages": languages,
        "tests": rows(lang, access.slug(), &run.experts),
    });
    let (errors, mut by_field) = problems::context(found);
    // Every field the template marks is present, as strict templates require.
    if let Some(map) = by_field.as_object_mut() {
        for field in ["group", "language"] {
            map.entry(field).or_insert(json!(""));
        }
    }
    problems::insert(&mut context, (errors, by_field));
    access.render_status(status, "console/test_run", context)
}

pub async fn page(access: StudyAccess<Editor>, query: web::Query<Done>) -> Result<HttpResponse, PageError> {
    let typed = ExpertForm {
        email: access.facilitator.email.clone(),
        name: access.facilitator.name.clone(),
        ..ExpertForm::default()
    };
    test_page(&access, StatusCode::OK, Some(&query), &typed, &[]).await
}

/// The field a refusal of the service names, as the page marks it.
fn field_of(field: &str) -> &'static str {
    match field {
        "name" => "name",
        "group" => "group",
        "language" => "language",
        _ => "email",
    }
}

/// Invites a test expert, or sends one invited before a new link; every problem with the form
/// is listed at once and nothing is saved until all is right.
pub async fn invite(form: StudyForm<Editor, ExpertForm>) -> Result<HttpResponse, PageError> {
    let StudyForm { access, form } = form;
    let lang = access.lang();
    let mut found: Vec<(&'static str, String)> = Vec::new();
    let checked = test_expert::check(&form.email, &form.name).map_err(|problems| {
        found.extend(problems.iter().map(|p| (p.field(), message(lang, *p))));
    });
    if form.group.trim().is_empty() {
        found.push(("group", t(lang, "test-problem-group")));
    }
    if let (Ok(expert), true) = (checked, found.is_empty()) {
        let input = TestInvite {
            expert,
            group: form.group.trim().to_string(),
            language: Some(form.language.trim().to_string()).filter(|l| !l.is_empty()),
        };
        let (links, actor) = (access.state.settings.links(), access.actor());
        let invited = access
            .run(move |conn, slug| test_run::invite(conn, slug, &input, lang, &links, &actor))
            .await;
        match invited {
            Ok(invited) => {
                let done = if invited.again { "again" } else { "invited" };
                return Ok(see_other(
                    &access.page(&format!("test?done={done}&who={}", invited.pseudonym)),
                ));
            }
            Err(ServiceError::Invalid { field, reason }) => found.push((field_of(&field), reason)),
            Err(e) => return access.refuse(e, &access.page("test")),
        }
    }
    test_page(&access, StatusCode::UNPROCESSABLE_ENTITY, None, &form, &found).await
}

/// The test expert `pseudonym` as the confirmation pages name them; NotFound otherwise.
async fn find(access: &StudyAccess<Editor>, pseudonym: String) -> Result<TestExpertProgress, ServiceError> {
    access
        .run(move |conn, slug| {
            test_run::overview(conn, slug)?
                .experts
                .into_iter()
                .find(|e| e.pseudonym == pseudonym)
                .ok_or_else(|| {
                    ServiceError::NotFound(format!(
                        "study `{slug}` has no test expert {pseudonym}; nothing was changed"
                    ))
                })
        })
        .await
}

/// Which of the two removals a confirmation is for.
#[derive(Clone, Copy)]
enum Removal {
    Answers,
    Expert,
}

impl Removal {
    fn path(self) -> &'static str {
        match self {
            Removal::Answers => "clear",
            Removal::Expert => "remove",
        }
    }
}

async fn confirm(
    access: StudyAccess<Editor>,
    pseudonym: String,
    removal: Removal,
) -> Result<HttpResponse, PageError> {
    let back = access.page("test");
    let expert = match find(&access, pseudonym).await {
        Ok(expert) => expert,
        Err(e) => return access.refuse(e, &back),
    };
    let lang = access.lang();
    let args = [
        ("who", who(&expert).into()),
        ("n", (expert.answered as i64).into()),
    ];
    let key = format!("test-confirm-{}", removal.path());
    Confirmation {
        title: i18n::translate(lang, &format!("{key}-title"), &args),
        lines: vec![i18n::translate(lang, &format!("{key}-body"), &args)],
        action: format!("test/{}/{}", expert.pseudonym, removal.path()),
        fields: json!([]),
        button: t(lang, &format!("{key}-button")),
    }
    .page(&access, &back)
}

pub async fn clear_confirm(
    access: StudyAccess<Editor>,
    Key(pseudonym): Key,
) -> Result<HttpResponse, PageError> {
    confirm(access, pseudonym, Removal::Answers).await
}

pub async fn remove_confirm(
    access: StudyAccess<Editor>,
    Key(pseudonym): Key,
) -> Result<HttpResponse, PageError> {
    confirm(access, pseudonym, Removal::Expert).await
}

async fn removed(
    form: StudyForm<Editor, Empty>,
    pseudonym: String,
    removal: Removal,
) -> Result<HttpResponse, PageError> {
    let access = form.access;
    let outcome = access
        .act(move |conn, slug, actor| match removal {
            Removal::Answers => test_run::clear(conn, slug, &pseudonym, actor),
            Removal::Expert => test_run::remove(conn, slug, &pseudonym, actor),
        })
        .await;
    let done = match removal {
        Removal::Answers => "cleared",
        Removal::Expert => "removed",
    };
    access.redirect(
        outcome.map(|r| access.page(&format!("test?done={done}&n={}&who={}", r.answers, r.pseudonym))),
        &access.page("test"),
    )
}

pub async fn clear(form: StudyForm<Editor, Empty>, Key(pseudonym): Key) -> Result<HttpResponse, PageError> {
    removed(form, pseudonym, Removal::Answers).await
}

pub async fn remove(form: StudyForm<Editor, Empty>, Key(pseudonym): Key) -> Result<HttpResponse, PageError> {
    removed(form, pseudonym, Removal::Expert).await
}
