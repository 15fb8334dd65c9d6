//! A study set up with forms: the "New study" form (from a starting point) and the Settings
//! page, one template and one form for both. Buttons other than Save change only the page
//! (show a scale's labels, more rows, preview the description), so everything works without
//! JavaScript; the script only derives the slug and fills in the browser's time zone.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::access::{Editor, StudyAccess, StudyForm, Viewer};
use super::{render, see_other, t, Done};
use crate::domain::ranking::Combine as RankingCombine;
use crate::domain::study::{Anonymity, Method};
use crate::i18n;
use crate::markdown::markdown;
use crate::service::study_setup::{
    self, ChnriRow, PriorityForm, Problem, ScaleChoice, SettingsState, SetupForm, Start,
};
use crate::web::auth::{CsrfForm, Facilitator};
use crate::web::error::PageError;
use crate::web::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/new/form", web::get().to(new_form))
        .route("/console/new/form", web::post().to(create))
        .route("/console/s/{slug}/settings", web::get().to(settings))
        .route("/console/s/{slug}/settings", web::post().to(save_settings));
}

/// The starting points with what each gives, for the "New study" page.
pub fn starts(lang: &str) -> Value {
    json!(Start::ALL
        .iter()
        .map(|s| json!({
            "value": s.as_str(),
            "label": t(lang, &format!("setup-start-{}", s.as_str())),
            "help": t(lang, &format!("setup-start-{}-help", s.as_str())),
        }))
        .collect::<Vec<_>>())
}

#[derive(Deserialize)]
struct StartQuery {
    start: Option<String>,
}

/// Fields the template may test for a problem; every one is present in `problems`.
const FIELDS: &[&str] = &[
    "title",
    "slug",
    "description",
    "language",
    "languages",
    "timezone",
    "anonymity",
    "scale",
    "scale_min",
    "scale_max",
    "rule_preset",
    "rule_in",
    "rule_out",
    "rule_unable",
    "rounds_max",
    "suggestions_in",
    "min_group_feedback",
    "reminders",
    "feedback_timing",
    "order",
    "items_per_expert",
    "min_raters",
    "method",
    "combine",
    "combine_criterion",
    "ranking_choose",
    "ranking_combine",
    "ranking_sections",
    "ideas_prompt",
    "ideas_per_expert",
    "ideas_sections",
];

/// How the page is shown: a new study or a study's settings, and what the page says.
struct View<'a> {
    settings: Option<(&'a str, &'a SettingsState)>,
    /// The criteria with a scale of their own, as `key: 1–5 (words…)`: shown, not edited here.
    own_scales: Vec<String>,
    problems: &'a [Problem],
    description_preview: Option<String>,
    notice: Option<String>,
}

/// Words of the page that are not fields (legends, headings, buttons, hints), as `l.<key>` with
/// `-` written `_`: a partial cannot call the `t` helper in a sub-expression.
const WORDS: &[&str] = &[
    "setup-about",
    "setup-close-at-deadline",
    "setup-create",
    "setup-description",
    "setup-description-hint",
    "setup-edit-on-content",
    "setup-group-name",
    "setup-groups",
    "setup-groups-hint",
    "setup-key",
    "setup-labels",
    "setup-language",
    "setup-languages",
    "setup-languages-hint",
    "setup-languages-legend",
    "setup-locked",
    "setup-more-rows",
    "setup-other-languages",
    "setup-panel-legend",
    "setup-point",
    "setup-preview-description",
    "setup-preview-title",
    "setup-reason-on-band-change",
    "setup-rescale",
    "setup-rounds-legend",
    "setup-rule-legend",
    "setup-rule-more",
    "setup-rule-syntax",
    "setup-save",
    "setup-scale-legend",
    "setup-scale-range-hint",
    "setup-section-title",
    "setup-sections",
    "setup-sections-hint",
    "setup-slug",
    "setup-slug-fixed",
    "setup-starts",
    "setup-stop-when-all-resolved",
    "setup-unable-to-score",
    "setup-words",
    "setup-method-hint",
    "setup-method-locked",
    "setup-criteria",
    "setup-criteria-hint",
    "setup-criterion-scales",
    "setup-criterion-label",
    "setup-combine-hint",
    "setup-chnri-legend",
    "setup-chnri-hint",
    "setup-chnri-criterion",
    "setup-chnri-label",
    "setup-chnri-key",
    "setup-chnri-weight",
    "setup-chnri-threshold",
    "setup-chnri-questions",
    "setup-chnri-questions-hint",
    "setup-chnri-standard",
    "setup-chnri-weights-hint",
    "setup-ranking-legend",
    "setup-ranking-hint",
    "setup-ranking-on",
    "setup-ranking-locked",
    "setup-ideas-legend",
    "setup-ideas-hint",
    "setup-ideas-on",
    "setup-ideas-prompt",
    "setup-ideas-prompt-hint",
    "setup-ideas-locked",
    "setup-scale-not-chnri",
    "setup-bias-legend",
    "setup-bias-hint",
    "setup-sections-fixed",
    "setup-draws-fixed",
];

/// The text inputs: field, whether it has a hint, `text` or `numeric` (a text input with a
/// numeric keyboard: a number input would silently drop what is not a number), narrow or not.
const INPUTS: &[(&str, bool, &str, bool)] = &[
    ("title", true, "text", false),
    ("slug", true, "text", false),
    ("timezone", true, "text", false),
    ("scale_min", false, "numeric", true),
    ("scale_max", false, "numeric", true),
    ("rounds_max", true, "numeric", true),
    ("suggestions_in", true, "text", true),
    ("min_group_feedback", true, "numeric", true),
    ("reminders", true, "text", true),
    ("items_per_expert", true, "numeric", true),
    ("min_raters", true, "numeric", true),
    ("combine_criterion", false, "text", true),
    ("ranking_choose", true, "numeric", true),
    ("ranking_sections", true, "text", false),
    ("ideas_per_expert", true, "numeric", true),
    ("ideas_sections", true, "text", false),
];

fn context(lang: &str, form: &SetupForm, view: &View<'_>) -> Value {
    let mut problems: Map<String, Value> = FIELDS.iter().map(|f| (f.to_string(), json!(""))).collect();
    for p in view.problems {
        if problems.get(&p.field).is_none_or(|v| v == "") {
            problems.insert(p.field.clone(), json!(p.message));
        }
    }
    let problem_of = |field: &str| problems.get(field).cloned().unwrap_or(json!(""));
    let locked = view.settings.is_some_and(|(_, s)| s.locked);
    let method_locked = view.settings.is_some_and(|(_, s)| s.method_locked);
    let ranking_locked = view.settings.is_some_and(|(_, s)| s.ranking_locked);
    let ideas_locked = view.settings.is_some_and(|(_, s)| s.ideas_locked);
    let disabled_of = |name: &str| {
        if name.starts_with("scale") {
            locked
        } else if name.starts_with("combine") {
            method_locked
        } else if name.starts_with("ranking") {
            ranking_locked
        } else if name.starts_with("ideas") {
            ideas_locked
        } else {
            false
        }
    };
    let form_value = serde_json::to_value(form).unwrap_or(Value::Null);
    let words: Map<String, Value> = WORDS
        .iter()
        .map(|key| (key.replace('-', "_"), json!(t(lang, key))))
        .collect();
    let inputs: Map<String, Value> = INPUTS
        .iter()
        .map(|(name, hinted, kind, narrow)| {
            // `setup-title` is the first administrator's page; the study's title is `study-title`.
            let key = match *name {
                "title" => "setup-study-title".to_owned(),
                other => format!("setup-{}", other.replace('_', "-")),
            };
            let value = form_value
                .get(*name)
                .or_else(|| form_value.get("priorities").and_then(|p| p.get(*name)))
                .cloned()
                .unwrap_or(json!(""));
            (
                name.to_string(),
                json!({
                    "id": anchor(name), "name": name, "label": t(lang, &key),
                    "hint": if *hinted { t(lang, &format!("{key}-hint")) } else { String::new() },
                    "value": value, "error": problem_of(name), "error_prefix": t(lang, "account-errors-title"),
                    "numeric": *kind == "numeric", "width": if *narrow { "short" } else { "" },
                    "list": if *name == "timezone" { "timezones" } else { "" },
                    "disabled": disabled_of(name),
                }),
            )
        })
        .collect();
    let radios =
        |name: &str, current: &str, values: &[&str], key_of: &dyn Fn(&str) -> String, disabled: bool| {
            json!({
                "id": anchor(name), "legend": t(lang, &format!("setup-{}", name.replace('_', "-"))),
                "error": problem_of(name), "disabled": disabled,
                "options": values.iter().enumerate().map(|(i, v)| json!({
                    "id": format!("{}-{i}", anchor_base(name)), "name": name, "value": v,
                    "label": t(lang, &key_of(v)), "checked": *v == current, "disabled": disabled,
                })).collect::<Vec<_>>(),
            })
        };
    let scales: Vec<&str> = ScaleChoice::ALL.iter().map(|c| c.as_str()).collect();
    let anonymities: Vec<&str> = Anonymity::ALL.iter().map(|a| a.as_str()).collect();
    let methods: Vec<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
    let rank_combines: Vec<&str> = RankingCombine::ALL.iter().map(|c| c.as_str()).collect();
    let p = &form.priorities;
    let unable = if form.rule.unable.is_empty() {
        "exclude"
    } else {
        form.rule.unable.as_str()
    };
    let r = json!({
        "scale": radios("scale", &form.scale, &scales, &|v| format!("setup-scale-{v}"), locked),
        "rule_preset": radios("rule_preset", &form.rule.preset, &["comet", "rand-ucla", ""],
            &|v| format!("setup-rule-{}", if v.is_empty() { "own" } else { v }), locked),
        "rule_unable": radios("rule_unable", unable, &["exclude", "include"], &|v| format!("setup-unable-{v}"), locked),
        "carry_forward": radios("carry_forward", &form.carry_forward, &["unresolved", "all"], &|v| format!("setup-carry-{v}"), false),
        "invite": radios("invite", &form.invite, &["previous_responders", "all"], &|v| format!("setup-invite-{v}"), false),
        "anonymity": radios("anonymity", &form.anonymity, &anonymities, &|v| format!("setup-anonymity-{v}"), false),
        "method": radios("method", &p.method, &methods, &|v| format!("setup-method-{v}"), method_locked),
        "combine": radios("combine", &p.combine, &["all", "any", "one"], &|v| format!("setup-combine-{v}"), method_locked),
        "feedback_timing": radios("feedback_timing", &form.feedback_timing, &["before", "after_rating"],
            &|v| format!("setup-feedback-timing-{v}"), false),
        "order": radios("order", &form.order, &["fixed", "random"], &|v| format!("setup-order-{v}"), false),
        "ranking_combine": radios("ranking_combine", &p.ranking_combine, &rank_combines,
            &|v| format!("setup-ranking-combine-{v}"), ranking_locked),
    });
    let rows = |rows: &[study_setup::Row], table: &str, label: &str| -> Vec<Value> {
        rows.iter()
            .enumerate()
            .map(|(i, r)| {
                let n = i + 1;
                json!({
                    "n": n, "key": r.key, "label": r.label,
                    "key_error": problem_of(&format!("{table}_key_{n}")),
                    "label_error": problem_of(&format!("{table}_{label}_{n}")),
                })
            })
            .collect()
    };
    let catalogue: Vec<&str> = i18n::expert_languages();
    let mut language_options: Vec<String> = catalogue.iter().map(|l| l.to_string()).collect();
    for other in form.languages.iter().chain([&form.language]) {
        if !other.is_empty() && !language_options.contains(other) {
            language_options.push(other.clone());
        }
    }
    let starts: Vec<Value> = Start::ALL
        .iter()
        .map(|s| {
            json!({
                "value": s.as_str(),
                "label": t(lang, &format!("setup-start-{}", s.as_str())),
                "current": s.as_str() == form.start,
            })
        })
        .collect();
    json!({
        "form": form_value,
        "problems": problems,
        "f": inputs,
        "r": r,
        "l": words,
        "errors": in_page_order(view.problems).iter().map(|p| json!({
            "field": anchor(&p.field),
            "message": format!("{}: {}", field_label(lang, &p.field), p.message),
        })).collect::<Vec<_>>(),
        "settings": view.settings.map(|(slug, state)| json!({ "slug": slug, "locked": state.locked, "rounds_opened": state.rounds_opened })),
        "draws_fixed": view.settings.is_some_and(|(_, s)| s.rounds_opened > 0),
        "locked": locked,
        "notice": view.notice,
        "description_preview": view.description_preview,
        "starts": starts,
        "groups": rows(&form.groups, "group", "name"),
        "sections": rows(&form.sections, "section", "title"),
        "criteria": rows(&p.criteria, "criterion", "label"),
        "own_scales": view.own_scales,
        "chnri": chnri_rows(&p.chnri, &problem_of),
        "method_locked": method_locked,
        "ranking_locked": ranking_locked,
        "ideas_locked": ideas_locked,
        "language_options": language_options.iter().map(|l| json!({
            "value": l,
            "label": language_name(l),
            "default": *l == form.language,
            "offered": form.languages.contains(l) || *l == form.language,
        })).collect::<Vec<_>>(),
        "timezones": chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect::<Vec<_>>(),
    })
}

/// Each criterion on a scale of its own, `feasibility: 1–5 (1 = Not feasible, 5 = Very
/// feasible)`, for the Settings page to show (the study file sets it).
fn own_scales(file: &crate::domain::study::StudyFile) -> Vec<String> {
    file.criteria
        .iter()
        .filter_map(|c| {
            let scale = c.scale.as_ref()?;
            let words: Vec<String> = scale.labels().iter().map(|(p, l)| format!("{p} = {l}")).collect();
            Some(match words.is_empty() {
                true => format!("{}: {}", c.key, scale.describe()),
                false => format!("{}: {} ({})", c.key, scale.describe(), words.join(", ")),
            })
        })
        .collect()
}

/// The CHNRI criteria as rows of the page, each column with its problem.
fn chnri_rows(rows: &[ChnriRow], problem_of: &dyn Fn(&str) -> Value) -> Vec<Value> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let n = i + 1;
            let mut row = json!({ "n": n });
            for (column, value) in [
                ("label", &r.label),
                ("key", &r.key),
                ("weight", &r.weight),
                ("threshold", &r.threshold),
                ("questions", &r.questions),
            ] {
                row[column] = json!(value);
                row[format!("{column}_error")] = problem_of(&format!("chnri_{column}_{n}"));
            }
            row
        })
        .collect()
}

/// Problems in the order their fields come on the page, as the error summary lists them.
fn in_page_order(problems: &[Problem]) -> Vec<&Problem> {
    const ORDER: &[&str] = &[
        "method",
        "title",
        "slug",
        "description",
        "language",
        "languages",
        "timezone",
        "anonymity",
        "group",
        "section",
        "criterion",
        "combine",
        "chnri",
        "scale",
        "label",
        "rule",
        "rounds_max",
        "carry",
        "invite",
        "suggestions_in",
        "min_group_feedback",
        "reminders",
        "feedback_timing",
        "order",
        "items_per_expert",
        "min_raters",
        "ranking",
        "ideas",
    ];
    let mut sorted: Vec<&Problem> = problems.iter().collect();
    sorted.sort_by_key(|p| {
        ORDER
            .iter()
            .position(|f| p.field.starts_with(f))
            .unwrap_or(ORDER.len())
    });
    sorted
}

/// What the error summary calls a field: its label, and for a row of a list, which row.
fn field_label(lang: &str, field: &str) -> String {
    let row = |rest: &str, key: &str| -> Option<String> {
        let (column, n) = rest.rsplit_once('_')?;
        let row = format!("{} {n}", t(lang, key));
        Some(if column == "key" {
            format!("{} ({row})", t(lang, "setup-key"))
        } else {
            row
        })
    };
    if let Some(rest) = field.strip_prefix("group_") {
        if let Some(label) = row(rest, "setup-group-name") {
            return label;
        }
    }
    if let Some(rest) = field.strip_prefix("section_") {
        if let Some(label) = row(rest, "setup-section-title") {
            return label;
        }
    }
    if let Some(rest) = field.strip_prefix("criterion_") {
        if let Some(label) = row(rest, "setup-criterion-label") {
            return label;
        }
    }
    if let Some((column, n)) = field
        .strip_prefix("chnri_")
        .and_then(|rest| rest.rsplit_once('_'))
    {
        return format!(
            "{} ({} {n})",
            t(lang, &format!("setup-chnri-{column}")),
            t(lang, "setup-chnri-criterion")
        );
    }
    match field {
        "title" => t(lang, "setup-study-title"),
        "rule_in" => t(lang, "console2-rule-in"),
        "rule_out" => t(lang, "console2-rule-out"),
        other => t(lang, &format!("setup-{}", other.replace('_', "-"))),
    }
}

/// The language's own name, for the catalogue languages; the tag for others.
fn language_name(tag: &str) -> String {
    match tag {
        "en" => "English".to_owned(),
        "fr" => "Français".to_owned(),
        other => other.to_owned(),
    }
}

/// The id of a field's element.
fn anchor_base(field: &str) -> String {
    format!("f-{}", field.replace('_', "-"))
}

/// The id of the element a problem's summary link goes to: for a group of choices, its first.
fn anchor(field: &str) -> String {
    match field {
        "languages" | "scale" | "anonymity" | "rule_preset" | "rule_unable" | "carry_forward" | "invite"
        | "method" | "combine" | "ranking_combine" | "feedback_timing" | "order" => {
            format!("{}-0", anchor_base(field))
        }
        other => anchor_base(other),
    }
}

fn page(
    facilitator: &Facilitator,
    status: StatusCode,
    form: &SetupForm,
    view: View<'_>,
) -> Result<HttpResponse, PageError> {
    let lang = facilitator.lang;
    let mut ctx = context(lang, form, &view);
    let title = match view.settings {
        Some(_) => t(lang, "setup-settings-title"),
        None => t(lang, "setup-new-title"),
    };
    if let Some(map) = ctx.as_object_mut() {
        map.insert("title".into(), json!(title));
    }
    render(facilitator, status, "console/study_form", ctx)
}

async fn new_form(
    facilitator: Facilitator,
    query: web::Query<StartQuery>,
) -> Result<HttpResponse, PageError> {
    let start = query
        .start
        .as_deref()
        .and_then(Start::parse)
        .unwrap_or(Start::Blank);
    let form = study_setup::starting_form(start, facilitator.lang)
        .map_err(|e| PageError(e.into()))?
        .with_spare_rows();
    page(
        &facilitator,
        StatusCode::OK,
        &form,
        View {
            settings: None,
            own_scales: Vec::new(),
            problems: &[],
            description_preview: None,
            notice: None,
        },
    )
}

/// What a press of a button other than Save asks for; `None` is Save.
fn page_action(pairs: &[(String, String)], form: &mut SetupForm, lang: &str) -> Option<Option<String>> {
    let action = pairs
        .iter()
        .rev()
        .find(|(n, _)| n == "action")
        .map(|(_, v)| v.as_str())
        .unwrap_or("save");
    match action {
        "rescale" => {
            form.rescale(lang);
            Some(Some(t(lang, "setup-rescaled")))
        }
        "more" => Some(None),
        "standard" => {
            form.priorities.chnri = PriorityForm::standard_chnri(lang);
            Some(Some(t(lang, "setup-standard-loaded")))
        }
        "preview" => Some(None),
        _ => None,
    }
}

fn wants_preview(pairs: &[(String, String)]) -> bool {
    pairs.iter().any(|(n, v)| n == "action" && v == "preview")
}

async fn create(
    state: web::Data<AppState>,
    posted: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let CsrfForm {
        facilitator,
        form: pairs,
    } = posted;
    let lang = facilitator.lang;
    let mut form = SetupForm::from_pairs(&pairs);
    if let Some(notice) = page_action(&pairs, &mut form, lang) {
        let preview = wants_preview(&pairs).then(|| markdown(&form.description));
        return page(
            &facilitator,
            StatusCode::OK,
            &form.with_spare_rows(),
            View {
                settings: None,
                own_scales: Vec::new(),
                problems: &[],
                description_preview: preview,
                notice,
            },
        );
    }
    let owner = facilitator.email.clone();
    let actor = facilitator.actor();
    let submitted = form.clone();
    let created = state
        .store
        .run(move |conn| {
            Ok::<_, crate::service::ServiceError>(study_setup::create(conn, &submitted, lang, &owner, &actor))
        })
        .await?;
    match created {
        Ok(created) => Ok(see_other(&format!("/console/s/{}?done=created", created.slug))),
        Err(problems) => page(
            &facilitator,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.with_spare_rows(),
            View {
                settings: None,
                own_scales: Vec::new(),
                problems: &problems,
                description_preview: None,
                notice: None,
            },
        ),
    }
}

async fn settings(access: StudyAccess<Viewer>, query: web::Query<Done>) -> Result<HttpResponse, PageError> {
    let (file, state) = match access.run(study_setup::settings_state).await {
        Ok(found) => found,
        Err(e) => return access.refuse(e, &access.url()),
    };
    let mut form = SetupForm::from_file(&file, Start::Blank).with_spare_priority_rows();
    if form.priorities.chnri.iter().all(|r| r.label.is_empty()) && !state.method_locked {
        // A rating study may still become a CHNRI one: offer the standard criteria to start from.
        form.priorities.chnri = PriorityForm::standard_chnri(access.lang());
    }
    let notice = query.notice(access.lang(), &["saved", "unchanged"], "setup-done-");
    page(
        &access.facilitator,
        StatusCode::OK,
        &form,
        View {
            settings: Some((&access.study.slug, &state)),
            own_scales: own_scales(&file),
            problems: &[],
            description_preview: None,
            notice,
        },
    )
}

async fn save_settings(posted: StudyForm<Editor, Vec<(String, String)>>) -> Result<HttpResponse, PageError> {
    let StudyForm { access, form: pairs } = posted;
    let lang = access.lang();
    let mut form = SetupForm::from_pairs(&pairs);
    let (_, state) = match access.run(study_setup::settings_state).await {
        Ok(found) => found,
        Err(e) => return access.refuse(e, &access.url()),
    };
    let shown =
        |form: &SetupForm, problems: &[Problem], preview: Option<String>, notice: Option<String>, status| {
            // Sections and groups are shown from the study, as they are not edited here.
            let mut shown = form.clone().with_spare_priority_rows();
            let stored = SetupForm::from_file(&access.study.file, Start::Blank);
            shown.groups = stored.groups;
            shown.sections = stored.sections;
            page(
                &access.facilitator,
                status,
                &shown,
                View {
                    settings: Some((&access.study.slug, &state)),
                    own_scales: own_scales(&access.study.file),
                    problems,
                    description_preview: preview,
                    notice,
                },
            )
        };
    if let Some(notice) = page_action(&pairs, &mut form, lang) {
        let preview = wants_preview(&pairs).then(|| markdown(&form.description));
        return shown(&form, &[], preview, notice, StatusCode::OK);
    }
    let submitted = form.clone();
    let saved = access
        .act(move |conn, slug, actor| Ok(study_setup::update(conn, slug, &submitted, lang, actor)))
        .await?;
    match saved {
        Ok(changed) if changed.is_empty() => {
            Ok(see_other(&format!("{}/settings?done=unchanged", access.url())))
        }
        Ok(_) => Ok(see_other(&format!("{}/settings?done=saved", access.url()))),
        Err(problems) => shown(&form, &problems, None, None, StatusCode::UNPROCESSABLE_ENTITY),
    }
}
