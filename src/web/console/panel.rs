//! The panel page: a study's experts, and for editors "Add an expert" (one, by form) and
//! "Paste many experts" (one per line). Both save through the panel import's rules
//! (`service::panel`); a refused form comes back with every problem listed at once, each next
//! to its field, and with what was typed still in it.
//!
//! Who sees what: pseudonyms, groups, languages and countries are shown to every role; names
//! to editors (who add the experts) and, in a `named` study, to viewers too, as the dashboard
//! does; email addresses to editors only, as the panel import's preview does.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::access::{Editor, StudyAccess, StudyForm, Viewer};
use super::{correctable, pasted, see_other};
use crate::domain::file_error::FileErrors;
use crate::domain::role::Role;
use crate::i18n;
use crate::service::panel::{self, ExpertInput, Outcome, Panel};
use crate::service::ServiceError;
use crate::web::auth::problems;
use crate::web::error::PageError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/panel", web::get().to(page))
        .route("/console/s/{slug}/panel/experts", web::post().to(add_expert))
        .route("/console/s/{slug}/panel/paste", web::post().to(paste_experts));
}

/// The id of the pasted lines' text box, which the error summary links to.
const PASTE_FIELD: &str = "paste-experts";

/// The add form's fields, in the order the form shows them; each problem links to one.
const FORM_FIELDS: [&str; 5] = ["email", "name", "group", "language", "country"];

/// What a POST just did, told once after the redirect. Counts are read as numbers and the
/// expert is looked up among the panel by pseudonym, so nothing typed into the address reaches
/// the page as text.
#[derive(Deserialize)]
pub struct PanelDone {
    done: Option<String>,
    who: Option<String>,
    added: Option<String>,
    updated: Option<String>,
    unchanged: Option<String>,
}

fn count(n: &Option<String>) -> i64 {
    n.as_deref().and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// What the page shows of an expert as "who": "Name (E003)" when names may be shown.
fn who(expert: &panel::PanelExpert, names: bool) -> String {
    if names {
        format!("{} ({})", expert.name, expert.pseudonym)
    } else {
        expert.pseudonym.clone()
    }
}

fn notice(lang: &str, done: &PanelDone, panel: &Panel, names: bool) -> Option<String> {
    let kind = done.done.as_deref()?;
    if kind == "pasted" {
        return Some(i18n::translate(
            lang,
            "panel-done-pasted",
            &[
                ("added", count(&done.added).into()),
                ("updated", count(&done.updated).into()),
                ("unchanged", count(&done.unchanged).into()),
            ],
        ));
    }
    if !["added", "updated", "unchanged"].contains(&kind) {
        return None;
    }
    let expert = panel
        .experts
        .iter()
        .find(|e| Some(e.pseudonym.as_str()) == done.who.as_deref())?;
    Some(i18n::translate(
        lang,
        &format!("panel-done-{kind}"),
        &[("who", who(expert, names).into())],
    ))
}

/// What the round cycle does with experts added now: the code invites nobody when experts are
/// added; a round's invitations are made when it opens (`service::rounds::open`).
fn invitations_note(lang: &str, panel: &Panel) -> String {
    let later = if panel.invites_everyone {
        "panel-note-later-all"
    } else {
        "panel-note-later-responders"
    };
    let later = i18n::translate(lang, later, &[]);
    match (panel.open_round, panel.rounds_opened) {
        (_, 0) => i18n::translate(lang, "panel-note-before-round-1", &[]),
        (Some(n), _) => format!(
            "{} {later}",
            i18n::translate(lang, "panel-note-open", &[("n", n.into())])
        ),
        (None, _) => later,
    }
}

/// A refused form: which one (`add` or `paste`), its problems as (field, message), and what
/// was typed.
struct Failed {
    form: &'static str,
    problems: Vec<(&'static str, String)>,
    values: Value,
}

async fn show<R>(
    access: &StudyAccess<R>,
    status: StatusCode,
    done: Option<&PanelDone>,
    failed: Option<Failed>,
) -> Result<HttpResponse, PageError> {
    let panel = access.run(panel::panel).await?;
    let lang = access.lang();
    let editor = access.role.includes(Role::Editor);
    let names = editor || panel.named;
    let typed = |form: &str, field: &str| -> String {
        failed
            .as_ref()
            .filter(|f| f.form == form)
            .and_then(|f| f.values.get(field))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let problem = |form: &str, field: &str| -> String {
        failed
            .as_ref()
            .filter(|f| f.form == form)
            .and_then(|f| f.problems.iter().find(|(name, _)| *name == field))
            .map(|(_, message)| message.clone())
            .unwrap_or_default()
    };
    let language_name = |tag: &Option<String>| match tag {
        Some(tag) if i18n::expert_languages().contains(&tag.as_str()) => {
            i18n::translate(tag, "language-name", &[])
        }
        Some(tag) => tag.clone(),
        None => i18n::translate(
            lang,
            "panel-language-study",
            &[("language", panel.language.clone().into())],
        ),
    };
    let experts: Vec<Value> = panel
        .experts
        .iter()
        .map(|e| {
            json!({
                "pseudonym": e.pseudonym,
                "name": if names { e.name.clone() } else { String::new() },
                "email": if editor { e.email.clone().unwrap_or_default() } else { String::new() },
                "group": e.group_name,
                "language": language_name(&e.language),
                "country": e.country.clone().unwrap_or_default(),
                "withdrawn": e.withdrawn,
                "in_open_round": e.in_open_round,
            })
        })
        .collect();
    let chosen_group = typed("add", "group");
    let chosen_language = typed("add", "language");
    let paste_problems: Vec<String> = failed
        .iter()
        .filter(|f| f.form == "paste")
        .flat_map(|f| f.problems.iter().map(|(_, m)| m.clone()))
        .collect();
    let group_keys: Vec<&str> = panel.groups.iter().map(|(k, _)| k.as_str()).collect();
    let mut context = json!({
        "title": access.titled("panel-title"),
        "notice": done.and_then(|d| notice(lang, d, &panel, names)),
        "note": invitations_note(lang, &panel),
        "can_edit": editor,
        "names": names,
        "emails": editor,
        "open_round": panel.open_round,
        "experts": experts,
        "count": panel.experts.len(),
        "groups_known": group_keys.join(", "),
        "has_groups": !panel.groups.is_empty(),
        "add": {
            "email": typed("add", "email"),
            "name": typed("add", "name"),
            "country": typed("add", "country"),
            "problems": FORM_FIELDS.iter().map(|f| (f.to_string(), json!(problem("add", f)))).collect::<serde_json::Map<_, _>>(),
            "groups": panel.groups.iter().map(|(key, name)| json!({
                "key": key, "name": name, "selected": *key == chosen_group,
            })).collect::<Vec<_>>(),
            "languages": panel.languages.iter().map(|tag| json!({
                "tag": tag,
                "name": language_name(&Some(tag.clone())),
                "selected": *tag == chosen_language,
            })).collect::<Vec<_>>(),
            "study_language": i18n::translate(lang, "panel-language-study", &[("language", panel.language.clone().into())]),
        },
        "paste": {
            "lines": typed("paste", "lines"),
            "problems": paste_problems,
            "example": paste_example(&group_keys),
        },
    });
    let listed = failed.map(|f| f.problems).unwrap_or_default();
    problems::insert(&mut context, problems::context(&listed));
    access.render_status(status, "console/panel", context)
}

/// Example lines under the paste box, with the study's own groups.
fn paste_example(groups: &[&str]) -> String {
    let first = groups.first().copied().unwrap_or("");
    let second = groups.get(1).copied().unwrap_or(first);
    format!(
        "amina.diallo@example.org | Amina Diallo | {first} | fr | SN\ngrace.kamau@example.org | Grace Kamau | {second}"
    )
}

pub async fn page(
    access: StudyAccess<Viewer>,
    query: web::Query<PanelDone>,
) -> Result<HttpResponse, PageError> {
    show(&access, StatusCode::OK, Some(&query), None).await
}

/// One expert as a form types them: the panel's add form, and the test run's invitation
/// (which has no country).
#[derive(Debug, Default, Deserialize)]
pub struct ExpertForm {
    #[serde(default)]
    pub(super) email: String,
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) group: String,
    #[serde(default)]
    pub(super) language: String,
    #[serde(default)]
    pub(super) country: String,
}

/// Each problem of the add form with the field it links to (`email` … `country`).
fn form_problems(lang: &str, errors: &FileErrors) -> Vec<(&'static str, String)> {
    errors
        .iter()
        .map(|e| {
            let field = e
                .location
                .field()
                .and_then(|f| FORM_FIELDS.iter().find(|known| **known == f))
                .copied()
                .unwrap_or("email");
            let message = i18n::translate(
                lang,
                "panel-form-problem",
                &[
                    ("field", pasted::field_label(lang, field).into()),
                    ("reason", e.reason.clone().into()),
                ],
            );
            (field, message)
        })
        .collect()
}

/// Adds an expert, or updates the one with that email.
pub async fn add_expert(
    StudyForm { access, form }: StudyForm<Editor, ExpertForm>,
) -> Result<HttpResponse, PageError> {
    let input = ExpertInput {
        email: form.email.clone(),
        name: form.name.clone(),
        group: form.group.clone(),
        language: form.language.clone(),
        country: form.country.clone(),
    };
    let result = access
        .act(move |conn, slug, actor| panel::add_expert(conn, slug, &input, actor))
        .await;
    let values = json!({
        "email": form.email, "name": form.name, "group": form.group,
        "language": form.language, "country": form.country,
    });
    match result {
        Ok(saved) => {
            let done = match saved.outcome {
                Outcome::Added => "added",
                Outcome::Updated => "updated",
                Outcome::Unchanged => "unchanged",
            };
            Ok(see_other(
                &access.page(&format!("panel?who={}&done={done}", saved.pseudonym)),
            ))
        }
        Err(e) => {
            let problems = match e {
                ServiceError::File(errors) => form_problems(access.lang(), &errors),
                other => {
                    let refused = correctable(other)?;
                    vec![("email", refused.message)]
                }
            };
            let failed = Failed {
                form: "add",
                problems,
                values,
            };
            show(&access, StatusCode::UNPROCESSABLE_ENTITY, None, Some(failed)).await
        }
    }
}

#[derive(Deserialize)]
pub struct PasteForm {
    #[serde(default)]
    lines: String,
}

/// Adds or updates the pasted experts, all or none.
pub async fn paste_experts(
    StudyForm { access, form }: StudyForm<Editor, PasteForm>,
) -> Result<HttpResponse, PageError> {
    let lines = form.lines.clone();
    let result = access
        .act(move |conn, slug, actor| panel::paste_experts(conn, slug, &lines, actor))
        .await;
    match result {
        Ok(summary) => Ok(see_other(&access.page(&format!(
            "panel?added={}&updated={}&unchanged={}&done=pasted",
            summary.added, summary.updated, summary.unchanged
        )))),
        Err(e) => {
            let messages = match e {
                ServiceError::File(errors) => pasted::line_problems(access.lang(), &errors),
                other => vec![correctable(other)?.message],
            };
            let failed = Failed {
                form: "paste",
                problems: messages.into_iter().map(|m| (PASTE_FIELD, m)).collect(),
                values: json!({ "lines": form.lines }),
            };
            show(&access, StatusCode::UNPROCESSABLE_ENTITY, None, Some(failed)).await
        }
    }
}
