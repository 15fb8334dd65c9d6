//! The form turned into a study file by the checks `study create` applies, and the study file's
//! errors turned back into problems of the form's fields.

use serde_json::{json, Map, Value};

use super::keys::{key_from, slug_from};
use super::{Problem, Row, ScaleChoice, SetupForm};
use crate::domain::file_error::{FileErrors, Location};
use crate::domain::rule::RuleSet;
use crate::domain::scale::Scale;
use crate::domain::study::StudyFile;
use crate::domain::study_file::{parse_study_json_with, ItemsRule};
use crate::i18n;
use crate::service::ServiceError;

impl SetupForm {
    /// The study file the form stands for, with its scale and rules, or every problem found,
    /// each with the form field it belongs to.
    pub fn check(&self, lang: &str) -> Result<(StudyFile, Scale, RuleSet), Vec<Problem>> {
        let mut problems = Vec::new();
        let value = self.to_study_json(lang, &mut problems);
        let file = match parse_study_json_with("form", value, ItemsRule::Later) {
            Ok(file) => Some(file),
            Err(errors) => {
                let mut found = self.file_problems(&errors);
                // With neither title nor slug, the slug made from the title is empty too: one
                // problem, at the title, says it.
                if self.title.is_empty() && self.slug.is_empty() {
                    found.retain(|p| p.field != "slug");
                }
                problems.extend(found);
                None
            }
        };
        let Some(file) = file else {
            return Err(problems);
        };
        let scale = Scale::from_spec(&file.scale)
            .map_err(|e| problems.push(Problem::new(scale_field(&e.key), e.reason)))
            .ok();
        let rules = match &scale {
            Some(scale) if problems.is_empty() => RuleSet::compile(&file.consensus, scale)
                .map_err(|e| problems.push(Problem::new(rule_field(&e.key), e.reason)))
                .ok(),
            _ => None,
        };
        match (scale, rules) {
            (Some(scale), Some(rules)) if problems.is_empty() => Ok((file, scale, rules)),
            _ => Err(problems),
        }
    }

    /// The study-file JSON the form stands for; what cannot even be read (a number that is
    /// not one) goes to `problems` instead.
    fn to_study_json(&self, lang: &str, problems: &mut Vec<Problem>) -> Value {
        let mut number = |field: &'static str, text: &str| -> Value {
            match text.trim().parse::<i64>() {
                Ok(n) => json!(n),
                Err(_) if text.trim().is_empty() => {
                    problems.push(Problem::new(
                        field,
                        i18n::translate(lang, "setup-number-missing", &[]),
                    ));
                    Value::Null
                }
                Err(_) => {
                    problems.push(Problem::new(
                        field,
                        i18n::translate(lang, "setup-not-a-number", &[("text", text.to_owned().into())]),
                    ));
                    Value::Null
                }
            }
        };
        let choice = ScaleChoice::parse(&self.scale).unwrap_or(ScaleChoice::Custom);
        let (min, max) = match choice.range() {
            Some(range) => (json!(range.0), json!(range.1)),
            None => (
                number("scale_min", &self.scale_min),
                number("scale_max", &self.scale_max),
            ),
        };
        let rounds_max = number("rounds_max", &self.rounds_max);
        let min_group_feedback = number("min_group_feedback", &self.min_group_feedback);
        // Blank: every expert rates every item (the key is left out).
        let items_per_expert = match self.items_per_expert.trim() {
            "" => Value::Null,
            given => number("items_per_expert", given),
        };
        // The minimum means something only with subsets: the field keeps its value otherwise.
        let min_raters = match self.min_raters.trim() {
            _ if items_per_expert.is_null() => Value::Null,
            "" => Value::Null,
            given => number("min_raters", given),
        };
        let mut suggestions_in = Vec::new();
        for part in self
            .suggestions_in
            .split([',', ' ', ';'])
            .filter(|p| !p.is_empty())
        {
            let n = number("suggestions_in", part);
            if !n.is_null() {
                suggestions_in.push(n);
            }
        }
        let labels: Map<String, Value> = self
            .labels
            .iter()
            .filter(|l| !l.text.is_empty())
            .map(|l| (l.point.to_string(), json!(l.text)))
            .collect();
        let consensus = match self.rule.to_spec() {
            Ok(spec) => serde_json::to_value(spec).unwrap_or(Value::Null),
            Err(e) => {
                let (field, reason) = match e {
                    ServiceError::Invalid { field, reason } => (rule_field(&field), reason),
                    other => ("rule_preset", other.to_string()),
                };
                problems.push(Problem::new(field, reason));
                json!({ "preset": "comet" })
            }
        };
        let rows = |rows: &[Row], label: &str| -> Vec<Value> {
            rows.iter()
                .filter(|r| !r.key.is_empty() || !r.label.is_empty())
                .map(|r| {
                    let key = if r.key.is_empty() {
                        key_from(&r.label)
                    } else {
                        r.key.clone()
                    };
                    json!({ "key": key, label: r.label })
                })
                .collect()
        };
        let groups = rows(&self.groups, "name");
        let sections = rows(&self.sections, "title");
        let slug = if self.slug.is_empty() {
            slug_from(&self.title)
        } else {
            self.slug.clone()
        };
        let reminders: Vec<&str> = self
            .reminders
            .split([',', ';'])
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .collect();
        let mut rounds = json!({
            "carry_forward": self.carry_forward,
            "invite": self.invite,
            "suggestions_in": suggestions_in,
            "reason_on_band_change": self.reason_on_band_change,
            "stop_when_all_resolved": self.stop_when_all_resolved,
            "reminders": reminders,
            "close_at_deadline": self.close_at_deadline,
        });
        if !self.order.is_empty() {
            rounds["order"] = json!(self.order);
        }
        if self.sections_fixed {
            rounds["sections_fixed"] = json!(true);
        }
        for (key, value) in [
            ("max", rounds_max),
            ("min_group_feedback", min_group_feedback),
            ("items_per_expert", items_per_expert),
            ("min_raters", min_raters),
        ] {
            if !value.is_null() {
                rounds[key] = value;
            }
        }
        let bands = match choice {
            ScaleChoice::Custom => Vec::new(),
            preset => preset.bands(&self.language_or(lang)),
        };
        let mut languages = self.languages.clone();
        if !self.language.is_empty() && !languages.contains(&self.language) {
            languages.insert(0, self.language.clone());
        }
        let mut study = json!({
            "slug": slug,
            "title": self.title,
            "description": self.description,
            "language": self.language_or(lang),
            "languages": languages,
            "anonymity": if self.anonymity.is_empty() { "pseudonymous" } else { self.anonymity.as_str() },
            "timezone": self.timezone,
            "scale": {
                "min": min, "max": max, "labels": labels, "bands": bands,
                "unable_to_score": self.unable_to_score,
            },
            "consensus": consensus,
            "rounds": rounds,
            "feedback": { "timing": if self.feedback_timing.is_empty() { "before" } else { self.feedback_timing.as_str() } },
            "group": groups,
            "section": sections,
        });
        self.priorities.fill(&mut study, lang, problems);
        study
    }

    fn language_or(&self, lang: &str) -> String {
        if self.language.is_empty() {
            lang.to_owned()
        } else {
            self.language.clone()
        }
    }

    /// Study-file errors as problems of form fields: `group[2].key` is the key field of the
    /// second filled group row, whatever row number it had on the page.
    fn file_problems(&self, errors: &FileErrors) -> Vec<Problem> {
        let filled = |rows: &[Row]| -> Vec<usize> {
            rows.iter()
                .enumerate()
                .filter(|(_, r)| !r.key.is_empty() || !r.label.is_empty())
                .map(|(i, _)| i + 1)
                .collect()
        };
        let group_rows = filled(&self.groups);
        let section_rows = filled(&self.sections);
        errors
            .0
            .iter()
            .map(|error| {
                let key = match &error.location {
                    Location::Key(key) => key.as_str(),
                    _ => "",
                };
                let field = match self.priorities.field_of(key) {
                    Some(field) => field,
                    None => self.field_of(key, &group_rows, &section_rows),
                };
                Problem {
                    field,
                    message: error.reason.clone(),
                }
            })
            .collect()
    }

    /// The field of a key outside the priority-setting tables.
    fn field_of(&self, key: &str, group_rows: &[usize], section_rows: &[usize]) -> String {
        match key {
            "title" | "slug" | "description" | "language" | "languages" | "timezone" | "anonymity" => {
                key.to_owned()
            }
            "rounds.max" => "rounds_max".to_owned(),
            "rounds.carry_forward" => "carry_forward".to_owned(),
            "rounds.invite" => "invite".to_owned(),
            "rounds.suggestions_in" => "suggestions_in".to_owned(),
            "rounds.min_group_feedback" => "min_group_feedback".to_owned(),
            "rounds.reminders" => "reminders".to_owned(),
            "rounds.order" | "rounds.sections_fixed" => "order".to_owned(),
            "rounds.items_per_expert" => "items_per_expert".to_owned(),
            "rounds.min_raters" => "min_raters".to_owned(),
            "feedback" | "feedback.timing" => "feedback_timing".to_owned(),
            "group" => "group_name_1".to_owned(),
            "section" => "section_title_1".to_owned(),
            other => row_field(other, "group", "name", group_rows)
                .or_else(|| row_field(other, "section", "title", section_rows))
                .unwrap_or_else(|| {
                    if other.starts_with("scale") {
                        scale_field(other).to_owned()
                    } else if other.starts_with("consensus") {
                        rule_field(other).to_owned()
                    } else {
                        "title".to_owned()
                    }
                }),
        }
    }
}

/// `group[2].key` → `group_key_5` when the second filled row is the fifth on the page.
fn row_field(key: &str, table: &str, label: &str, rows: &[usize]) -> Option<String> {
    let rest = key.strip_prefix(table)?.strip_prefix('[')?;
    let (index, column) = rest.split_once("].")?;
    let index: usize = index.parse().ok()?;
    let row = rows.get(index.checked_sub(1)?).copied().unwrap_or(index);
    let column = if column == "key" { "key" } else { label };
    Some(format!("{table}_{column}_{row}"))
}

fn scale_field(key: &str) -> &'static str {
    if key.ends_with(".min") {
        "scale_min"
    } else if key.ends_with(".max") {
        "scale_max"
    } else {
        "scale"
    }
}

fn rule_field(key: &str) -> &'static str {
    if key.starts_with("in") || key.contains(".in") {
        "rule_in"
    } else if key.starts_with("out") || key.contains(".out") {
        "rule_out"
    } else if key.contains("unable") {
        "rule_unable"
    } else {
        "rule_preset"
    }
}
