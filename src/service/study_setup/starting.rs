//! The form a new study starts with: blank, the example study or a template.

use serde_json::{json, Map, Value};

use super::keys::slug_from;
use super::{PriorityForm, ScaleChoice, SetupForm, Start};
use crate::domain::study::StudyFile;
use crate::domain::study_file::{parse_study_json_with, ItemsRule};
use crate::i18n;
use crate::service::{demo, ServiceError};

/// The form a new study starts with, in the facilitator's language `lang`.
pub fn starting_form(start: Start, lang: &str) -> Result<SetupForm, ServiceError> {
    let file = starting_file(start, lang)?;
    let mut form = SetupForm::from_file(&file, start);
    if start != Start::Example {
        // A new study takes the browser's time zone (the page fills it in) unless one is typed.
        form.timezone = String::new();
        // Keys are made from the names on saving, so renaming a suggested group or section
        // renames its key too.
        for row in form.groups.iter_mut().chain(form.sections.iter_mut()) {
            row.key.clear();
        }
    }
    if form.priorities.chnri.is_empty() {
        form.priorities.chnri = PriorityForm::standard_chnri(lang);
    }
    Ok(form)
}

fn starting_file(start: Start, lang: &str) -> Result<StudyFile, ServiceError> {
    if start == Start::Example {
        return Ok(demo::bundle()?.file);
    }
    let t = |key: &str| i18n::translate(lang, key, &[]);
    let (scale, rule, groups, sections, rounds_max) = match start {
        Start::Appropriateness => (
            ScaleChoice::Nine,
            json!({ "preset": "rand-ucla" }),
            vec![("panel", t("setup-group-panel"))],
            vec![("indications", t("setup-section-indications"))],
            2,
        ),
        Start::Priorities => (
            ScaleChoice::Five,
            json!({ "in": [{ "share": [4, 5], "at_least": 70 }], "out": [{ "share": [1, 2], "at_least": 70 }] }),
            vec![
                ("researchers", t("setup-group-researchers")),
                ("practitioners", t("setup-group-practitioners")),
                ("funders", t("setup-group-funders")),
            ],
            vec![("questions", t("setup-section-questions"))],
            3,
        ),
        Start::CoreOutcomeSet => (
            ScaleChoice::Nine,
            json!({ "preset": "comet" }),
            vec![
                ("patients", t("setup-group-patients")),
                ("professionals", t("setup-group-professionals")),
                ("researchers", t("setup-group-researchers")),
            ],
            vec![
                ("clinical", t("setup-section-clinical")),
                ("life-impact", t("setup-section-life-impact")),
                ("resource-use", t("setup-section-resource-use")),
                ("adverse-events", t("setup-section-adverse-events")),
            ],
            3,
        ),
        Start::Blank | Start::Example => (
            ScaleChoice::Nine,
            json!({ "preset": "comet" }),
            vec![("experts", t("setup-group-experts"))],
            vec![("items", t("setup-section-items"))],
            3,
        ),
    };
    let description = match start {
        Start::Blank => String::new(),
        _ => t(&format!("setup-start-{}-description", start.as_str())),
    };
    let title = match start {
        Start::Blank => String::new(),
        _ => t(&format!("setup-start-{}", start.as_str())),
    };
    let (min, max) = scale.range().unwrap_or((1, 9));
    let labels: Map<String, Value> = scale
        .labels(lang)
        .into_iter()
        .map(|(p, text)| (p.to_string(), json!(text)))
        .collect();
    let value = json!({
        // Placeholders that pass the checks; the form shows the slug derived from the title.
        "slug": if title.is_empty() { "new-study".to_owned() } else { slug_from(&title) },
        "title": if title.is_empty() { "-".to_owned() } else { title.clone() },
        "description": description,
        "language": i18n::negotiate_console(lang),
        "timezone": "UTC",
        "scale": { "min": min, "max": max, "labels": labels, "bands": scale.bands(lang), "unable_to_score": true },
        "consensus": rule,
        "rounds": { "max": rounds_max, "invite": if start == Start::Appropriateness { "all" } else { "previous_responders" } },
        "group": groups.iter().map(|(k, n)| json!({ "key": k, "name": n })).collect::<Vec<_>>(),
        "section": sections.iter().map(|(k, n)| json!({ "key": k, "title": n })).collect::<Vec<_>>(),
    });
    let mut file = parse_study_json_with("starting point", value, ItemsRule::Later)?;
    if title.is_empty() {
        file.title = String::new();
        file.slug = String::new();
    }
    Ok(file)
}
