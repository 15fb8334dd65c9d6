//! The drift page of a round's results (docs/statistics.md, "Drift"): per item, how far the
//! scores moved toward the previous round's median, for the panel, then per stakeholder group
//! and per cohort; with pre-feedback scores, how much of it came after seeing the feedback.

use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::access::{Key, StudyAccess, Viewer};
use super::results::criterion_label;
use crate::domain::drift::{DriftFigures, Shift};
use crate::domain::stats::{display, Ratio};
use crate::i18n;
use crate::service::drift::{self, DriftLine};
use crate::web::error::PageError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/console/s/{slug}/results/{round}/drift", web::get().to(page));
}

fn distance(value: Option<Ratio>) -> String {
    display::mean(value.map(Ratio::to_f64))
}

fn change(value: Option<Ratio>) -> String {
    display::distance_change(value.map(Ratio::to_f64))
}

/// The figures of one set of experts as the tables show them.
fn figures(set: Option<&DriftFigures>) -> Value {
    let Some(set) = set else {
        return json!({ "experts": 0, "before": display::MISSING, "after": display::MISSING,
            "toward": display::MISSING, "moved": "0 / 0 / 0", "feedback": display::MISSING });
    };
    let shift = |s: &Shift| {
        format!(
            "{} / {} / {}",
            s.movement.toward, s.movement.away, s.movement.stayed
        )
    };
    let rounds = &set.between_rounds;
    json!({
        "experts": rounds.experts,
        "before": distance(rounds.distance_before),
        "after": distance(rounds.distance_after),
        "toward": change(rounds.toward_median),
        "moved": shift(rounds),
        "feedback": set.after_feedback.as_ref().map_or(display::MISSING.to_owned(), |f| format!(
            "{} → {} ({}; {})",
            distance(f.distance_before),
            distance(f.distance_after),
            change(f.toward_median),
            shift(f),
        )),
        "feedback_experts": set.after_feedback.as_ref().map_or(0, |f| f.experts),
    })
}

pub async fn page(access: StudyAccess<Viewer>, Key(number): Key<i32>) -> Result<HttpResponse, PageError> {
    let loaded = access
        .run(move |conn, slug| drift::drift(conn, slug, Some(number)))
        .await;
    let table = match loaded {
        Ok(found) => found,
        Err(e) => return access.refuse(e, &access.page(&format!("results/{number}"))),
    };
    let lang = access.lang();
    let criterion_label = |line: &DriftLine| {
        line.criterion
            .as_deref()
            .map(|key| criterion_label(&access.study.file, key, lang).unwrap_or_else(|| key.to_owned()))
    };
    let group_name = |key: &str| {
        access
            .study
            .file
            .groups
            .iter()
            .find(|g| g.key == key)
            .map_or(key.to_owned(), |g| g.name.clone())
    };
    let first = table.first_round;
    let mut panel = Vec::new();
    let mut sets = Vec::new();
    for line in &table.lines {
        let mut row = figures(Some(&line.drift.pooled));
        row["code"] = json!(line.item_code);
        row["text"] = json!(line.item_text);
        row["criterion"] = json!(criterion_label(line));
        row["median"] = json!(display::median(line.drift.median.map(Ratio::to_f64)));
        row["later_minus_early"] = json!(change(line.drift.later_minus_early));
        panel.push(row);
        let named = table
            .groups
            .iter()
            .map(|key| (group_name(key), line.drift.groups.get(key)))
            .chain([
                (
                    i18n::translate(lang, "console2-drift-early", &[("n", first.into())]),
                    Some(&line.drift.early),
                ),
                (
                    i18n::translate(lang, "console2-drift-later", &[("n", first.into())]),
                    Some(&line.drift.later),
                ),
            ]);
        for (set, figures_of_set) in named {
            let mut row = figures(figures_of_set);
            row["code"] = json!(line.item_code);
            row["criterion"] = json!(criterion_label(line));
            row["set"] = json!(set);
            sets.push(row);
        }
    }
    access.render(
        "console/drift",
        json!({
            "title": i18n::translate(lang, "console2-drift-title", &[("from", (number - 1).into()), ("to", number.into())]),
            "study_title": access.study.title,
            "number": number,
            "from": number - 1,
            "after_rating": table.after_rating,
            "criteria": table.lines.iter().any(|l| l.criterion.is_some()),
            "panel": panel,
            "sets": sets,
        }),
    )
}
