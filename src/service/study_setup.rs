//! Setting a study up with the console's forms instead of a study file. The form's fields are
//! filled from a starting point (blank, the example study, a template) or from a study's
//! settings, and turned back into a study file checked by exactly the rules `study create`
//! applies: every problem at once, each named by the form field it belongs to. The study file
//! stays the exchange format: a study made here exports a `study.toml` that `study create`
//! accepts back.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::files::StudyBundle;
use super::rule_editor::RuleForm;
use super::{studies, Actor, ServiceError};
use crate::db::models::audit::AuditEntry;
use crate::db::models::rounds::Round;
use crate::db::models::studies::StudyRow;
use crate::db::{now, DbConnection};
use crate::domain::file_error::{FileErrors, Location};
use crate::domain::items_file::ItemRow;
use crate::domain::rule::RuleSet;
use crate::domain::scale::Scale;
use crate::domain::spec::{BandSpec, ScaleSpec};
use crate::domain::study::{Anonymity, ItemsSource, StudyFile};
use crate::domain::study_file::{parse_study_json_with, ItemsRule};
use crate::i18n;

/// Where a new study starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    Blank,
    /// The lactation example, with its items.
    Example,
    /// A COMET-style core outcome set.
    CoreOutcomeSet,
    /// A RAND/UCLA appropriateness panel.
    Appropriateness,
    /// Research priorities on a 1–5 scale.
    Priorities,
}

impl Start {
    pub const ALL: [Start; 5] = [
        Start::Blank,
        Start::Example,
        Start::CoreOutcomeSet,
        Start::Appropriateness,
        Start::Priorities,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Start::Blank => "blank",
            Start::Example => "example",
            Start::CoreOutcomeSet => "core-outcome-set",
            Start::Appropriateness => "appropriateness",
            Start::Priorities => "priorities",
        }
    }

    pub fn parse(text: &str) -> Option<Start> {
        Start::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// The scales the form offers; `Custom` takes its range from the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleChoice {
    /// 1–9, as GRADE and COMET use it.
    Nine,
    Five,
    Seven,
    Custom,
}

impl ScaleChoice {
    pub const ALL: [ScaleChoice; 4] = [
        ScaleChoice::Nine,
        ScaleChoice::Five,
        ScaleChoice::Seven,
        ScaleChoice::Custom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ScaleChoice::Nine => "nine",
            ScaleChoice::Five => "five",
            ScaleChoice::Seven => "seven",
            ScaleChoice::Custom => "custom",
        }
    }

    pub fn parse(text: &str) -> Option<ScaleChoice> {
        ScaleChoice::ALL.into_iter().find(|s| s.as_str() == text)
    }

    fn range(self) -> Option<(i32, i32)> {
        match self {
            ScaleChoice::Nine => Some((1, 9)),
            ScaleChoice::Five => Some((1, 5)),
            ScaleChoice::Seven => Some((1, 7)),
            ScaleChoice::Custom => None,
        }
    }

    /// The preset's words per point (message keys), and its bands as (key, from, to).
    fn wording(self) -> (Vec<PointWords>, Vec<BandWords>) {
        match self {
            ScaleChoice::Nine => (
                vec![(1, "setup-nine-1"), (5, "setup-nine-5"), (9, "setup-nine-9")],
                vec![
                    ("setup-nine-1", 1, 3),
                    ("setup-nine-5", 4, 6),
                    ("setup-nine-9", 7, 9),
                ],
            ),
            ScaleChoice::Five => (
                (1..=5).map(|p| (p, FIVE[p as usize - 1])).collect(),
                vec![
                    ("setup-five-band-low", 1, 2),
                    ("setup-five-3", 3, 3),
                    ("setup-five-band-high", 4, 5),
                ],
            ),
            ScaleChoice::Seven => (
                (1..=7).map(|p| (p, SEVEN[p as usize - 1])).collect(),
                vec![
                    ("setup-seven-band-low", 1, 3),
                    ("setup-seven-4", 4, 4),
                    ("setup-seven-band-high", 5, 7),
                ],
            ),
            ScaleChoice::Custom => (Vec::new(), Vec::new()),
        }
    }

    /// The preset a stored scale is, if it is one (same range and bands), else `Custom`.
    fn of(spec: &ScaleSpec) -> ScaleChoice {
        [ScaleChoice::Nine, ScaleChoice::Five, ScaleChoice::Seven]
            .into_iter()
            .find(|choice| {
                let same_bands = |lang: &str| {
                    choice
                        .bands(lang)
                        .iter()
                        .map(|b| (b.from, b.to))
                        .collect::<Vec<_>>()
                        == spec.bands.iter().map(|b| (b.from, b.to)).collect::<Vec<_>>()
                };
                choice.range() == Some((spec.min, spec.max)) && same_bands("en")
            })
            .unwrap_or(ScaleChoice::Custom)
    }

    fn bands(self, lang: &str) -> Vec<BandSpec> {
        self.wording()
            .1
            .into_iter()
            .map(|(key, from, to)| BandSpec {
                name: i18n::translate(lang, key, &[]),
                from,
                to,
            })
            .collect()
    }

    fn labels(self, lang: &str) -> BTreeMap<i32, String> {
        self.wording()
            .0
            .into_iter()
            .map(|(point, key)| (point, i18n::translate(lang, key, &[])))
            .collect()
    }
}

/// A scale point and the message key of its words.
type PointWords = (i32, &'static str);
/// A band's message key and its points from–to.
type BandWords = (&'static str, i32, i32);

const FIVE: [&str; 5] = [
    "setup-five-1",
    "setup-five-2",
    "setup-five-3",
    "setup-five-4",
    "setup-five-5",
];
const SEVEN: [&str; 7] = [
    "setup-seven-1",
    "setup-seven-2",
    "setup-seven-3",
    "setup-seven-4",
    "setup-seven-5",
    "setup-seven-6",
    "setup-seven-7",
];

/// A stakeholder group or a section as a row of the form.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Row {
    pub key: String,
    pub label: String,
}

/// A scale point and its words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub point: i32,
    pub text: String,
}

/// The set-up form, every field as text the way it was typed, so a refused form comes back as
/// it was sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetupForm {
    pub start: String,
    pub title: String,
    pub slug: String,
    pub description: String,
    pub language: String,
    pub languages: Vec<String>,
    pub timezone: String,
    pub anonymity: String,
    pub scale: String,
    pub scale_min: String,
    pub scale_max: String,
    pub labels: Vec<Label>,
    pub unable_to_score: bool,
    pub rule: RuleForm,
    pub rounds_max: String,
    pub carry_forward: String,
    pub invite: String,
    pub suggestions_in: String,
    pub min_group_feedback: String,
    pub reminders: String,
    pub reason_on_band_change: bool,
    pub close_at_deadline: bool,
    pub stop_when_all_resolved: bool,
    pub groups: Vec<Row>,
    pub sections: Vec<Row>,
}

/// Empty rows offered below the filled ones, so a list can grow without JavaScript.
pub const SPARE_ROWS: usize = 2;

impl SetupForm {
    /// The form showing `file` (a starting point or a study's settings).
    pub fn from_file(file: &StudyFile, start: Start) -> SetupForm {
        let choice = ScaleChoice::of(&file.scale);
        let rounds = &file.rounds;
        let mut form = SetupForm {
            start: start.as_str().to_owned(),
            title: file.title.clone(),
            slug: file.slug.clone(),
            description: file.description.clone(),
            language: file.language.clone(),
            languages: file.languages(),
            timezone: file.timezone.name().to_owned(),
            anonymity: file.anonymity.as_str().to_owned(),
            scale: choice.as_str().to_owned(),
            scale_min: file.scale.min.to_string(),
            scale_max: file.scale.max.to_string(),
            labels: Vec::new(),
            unable_to_score: file.scale.unable_to_score,
            rule: RuleForm::from_spec(&file.consensus),
            rounds_max: rounds.max.to_string(),
            carry_forward: rounds.carry_forward.as_str().to_owned(),
            invite: rounds.invite.as_str().to_owned(),
            suggestions_in: join_numbers(&rounds.suggestions_in),
            min_group_feedback: rounds.min_group_feedback.to_string(),
            reminders: rounds
                .reminders
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join(", "),
            reason_on_band_change: rounds.reason_on_band_change,
            close_at_deadline: rounds.close_at_deadline,
            stop_when_all_resolved: rounds.stop_when_all_resolved,
            groups: file
                .groups
                .iter()
                .map(|g| Row {
                    key: g.key.clone(),
                    label: g.name.clone(),
                })
                .collect(),
            sections: file
                .sections
                .iter()
                .map(|s| Row {
                    key: s.key.clone(),
                    label: s.title.clone(),
                })
                .collect(),
        };
        let stored: BTreeMap<i32, String> = file
            .scale
            .labels
            .iter()
            .filter_map(|(point, text)| point.parse().ok().map(|p| (p, text.clone())))
            .collect();
        form.set_labels(&stored);
        form
    }

    /// The form posted as name–value pairs. Checkboxes are sent only when ticked; rows are
    /// `group_key_N` / `group_name_N` and `section_key_N` / `section_title_N`; labels `label_P`.
    pub fn from_pairs(pairs: &[(String, String)]) -> SetupForm {
        let one = |name: &str| {
            pairs
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        let ticked = |name: &str| pairs.iter().any(|(n, _)| n == name);
        let mut languages: Vec<String> = pairs
            .iter()
            .filter(|(n, _)| n == "languages")
            .map(|(_, v)| v.trim().to_owned())
            .collect();
        languages.extend(
            one("other_languages")
                .split([',', ' ', ';'])
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        );
        let rows = |key_prefix: &str, label_prefix: &str| {
            let mut by_number: BTreeMap<u32, Row> = BTreeMap::new();
            for (name, value) in pairs {
                if let Some(n) = name.strip_prefix(key_prefix).and_then(|n| n.parse().ok()) {
                    by_number.entry(n).or_default().key = value.trim().to_owned();
                } else if let Some(n) = name.strip_prefix(label_prefix).and_then(|n| n.parse().ok()) {
                    by_number.entry(n).or_default().label = value.trim().to_owned();
                }
            }
            by_number.into_values().collect::<Vec<_>>()
        };
        let labels: BTreeMap<i32, String> = pairs
            .iter()
            .filter_map(|(name, value)| {
                let point = name.strip_prefix("label_")?.parse().ok()?;
                Some((point, value.trim().to_owned()))
            })
            .collect();
        let mut form = SetupForm {
            start: one("start"),
            title: one("title"),
            slug: one("slug"),
            description: pairs
                .iter()
                .rev()
                .find(|(n, _)| n == "description")
                .map(|(_, v)| v.replace("\r\n", "\n").trim_end().to_owned())
                .unwrap_or_default(),
            language: one("language"),
            languages,
            timezone: one("timezone"),
            anonymity: one("anonymity"),
            scale: one("scale"),
            scale_min: one("scale_min"),
            scale_max: one("scale_max"),
            labels: Vec::new(),
            unable_to_score: ticked("unable_to_score"),
            rule: RuleForm {
                preset: one("rule_preset"),
                in_: one("rule_in"),
                out: one("rule_out"),
                quantiles: one("rule_quantiles"),
                unable: one("rule_unable"),
                groups: one("rule_groups"),
                alternatives: one("rule_alternatives"),
                distribution: String::new(),
            },
            rounds_max: one("rounds_max"),
            carry_forward: one("carry_forward"),
            invite: one("invite"),
            suggestions_in: one("suggestions_in"),
            min_group_feedback: one("min_group_feedback"),
            reminders: one("reminders"),
            reason_on_band_change: ticked("reason_on_band_change"),
            close_at_deadline: ticked("close_at_deadline"),
            stop_when_all_resolved: ticked("stop_when_all_resolved"),
            groups: rows("group_key_", "group_name_"),
            sections: rows("section_key_", "section_title_"),
        };
        form.set_labels(&labels);
        form
    }

    /// The scale range the form stands for, if it can be read.
    fn range(&self) -> Option<(i32, i32)> {
        match ScaleChoice::parse(&self.scale) {
            Some(ScaleChoice::Custom) | None => {
                let min = self.scale_min.trim().parse().ok()?;
                let max = self.scale_max.trim().parse().ok()?;
                // A label row per point: a range a person would rate on, nothing wilder.
                (min < max && max - min <= 20).then_some((min, max))
            }
            Some(choice) => choice.range(),
        }
    }

    /// One label row per point of the scale, keeping the words given for points that remain.
    fn set_labels(&mut self, given: &BTreeMap<i32, String>) {
        self.labels = match self.range() {
            Some((min, max)) => (min..=max)
                .map(|point| Label {
                    point,
                    text: given.get(&point).cloned().unwrap_or_default(),
                })
                .collect(),
            None => Vec::new(),
        };
    }

    /// Switches the scale to `choice`'s range, with its words in `lang` (the form's "show the
    /// labels of this scale" button, and choosing a preset).
    pub fn rescale(&mut self, lang: &str) {
        let Some(choice) = ScaleChoice::parse(&self.scale) else {
            return;
        };
        if let Some((min, max)) = choice.range() {
            self.scale_min = min.to_string();
            self.scale_max = max.to_string();
            self.set_labels(&choice.labels(lang));
        } else {
            let kept: BTreeMap<i32, String> = self.labels.iter().map(|l| (l.point, l.text.clone())).collect();
            self.set_labels(&kept);
        }
    }

    /// Rows ready for the page: the filled ones and `SPARE_ROWS` empty ones.
    pub fn with_spare_rows(mut self) -> SetupForm {
        for rows in [&mut self.groups, &mut self.sections] {
            rows.retain(|r| !r.key.is_empty() || !r.label.is_empty());
            rows.extend(std::iter::repeat_n(Row::default(), SPARE_ROWS));
        }
        self
    }

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
        for (key, value) in [("max", rounds_max), ("min_group_feedback", min_group_feedback)] {
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
        json!({
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
            "group": groups,
            "section": sections,
        })
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
                let field = match key {
                    "title" | "slug" | "description" | "language" | "languages" | "timezone"
                    | "anonymity" => key.to_owned(),
                    "rounds.max" => "rounds_max".to_owned(),
                    "rounds.suggestions_in" => "suggestions_in".to_owned(),
                    "rounds.min_group_feedback" => "min_group_feedback".to_owned(),
                    "rounds.reminders" => "reminders".to_owned(),
                    "group" => "group_name_1".to_owned(),
                    "section" => "section_title_1".to_owned(),
                    other => row_field(other, "group", "name", &group_rows)
                        .or_else(|| row_field(other, "section", "title", &section_rows))
                        .unwrap_or_else(|| {
                            if other.starts_with("scale") {
                                scale_field(other).to_owned()
                            } else if other.starts_with("consensus") {
                                rule_field(other).to_owned()
                            } else {
                                "title".to_owned()
                            }
                        }),
                };
                Problem {
                    field,
                    message: error.reason.clone(),
                }
            })
            .collect()
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

/// A form field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

impl Problem {
    fn new(field: &str, message: impl Into<String>) -> Problem {
        Problem {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

fn join_numbers(numbers: &[u32]) -> String {
    numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// A slug from a title: lower-case ASCII letters and digits, words joined by `-`, at most 64.
pub fn slug_from(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 64 {
            break;
        }
    }
    slug.trim_matches('-').to_owned()
}

/// A group or section key from its name: as a slug, at most 32 characters.
fn key_from(label: &str) -> String {
    let mut key = slug_from(label);
    key.truncate(32);
    key.trim_matches('-').to_owned()
}

/// The unaccented letter for the common Latin accented ones, so "Nutrição" becomes "nutricao".
fn fold_accent(c: char) -> Option<char> {
    const FROM: &str = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝ";
    const TO: &str = "aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUY";
    match FROM.chars().position(|f| f == c) {
        Some(i) => TO.chars().nth(i),
        None => Some(c),
    }
}

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
    Ok(form)
}

fn starting_file(start: Start, lang: &str) -> Result<StudyFile, ServiceError> {
    if start == Start::Example {
        return Ok(super::demo::bundle()?.file);
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

/// Creates the study the form stands for, owned by its creator. A study started from the
/// example gets the example's items too (not its panel: those addresses are made up).
pub fn create(
    conn: &mut DbConnection,
    form: &SetupForm,
    lang: &str,
    owner: &str,
    actor: &Actor,
) -> Result<studies::Created, Vec<Problem>> {
    let (mut file, scale, rules) = form.check(lang)?;
    if Start::parse(&form.start) == Some(Start::Example) {
        let example = super::demo::bundle().map_err(|e| vec![Problem::new("title", e.to_string())])?;
        keep_translations(&example.file, &mut file);
    }
    let items: Vec<ItemRow> = match Start::parse(&form.start) {
        Some(Start::Example) => {
            example_items(&file).map_err(|e| vec![Problem::new("title", e.to_string())])?
        }
        _ => Vec::new(),
    };
    let bundle = StudyBundle {
        file,
        scale,
        rules,
        items,
        items_file: "the example study".to_owned(),
        panel: Vec::new(),
    };
    studies::create_owned(conn, &bundle, Some(owner), actor).map_err(|e| match e {
        ServiceError::Conflict(reason) => vec![Problem::new("slug", reason)],
        other => vec![Problem::new("title", other.to_string())],
    })
}

/// The example's items, if the form kept every section they use.
fn example_items(file: &StudyFile) -> Result<Vec<ItemRow>, ServiceError> {
    let example = super::demo::bundle()?;
    let keys = file.section_keys();
    Ok(example
        .items
        .into_iter()
        .filter(|item| keys.contains(&item.section))
        .collect())
}

/// The translations of `from` that still fit `into` (the form does not carry them): languages
/// it still offers besides its main one, sections and groups it still has, points of its scale.
fn keep_translations(from: &StudyFile, into: &mut StudyFile) {
    let languages = into.languages();
    let (min, max) = (into.scale.min, into.scale.max);
    let sections = into.section_keys();
    let groups = into.group_keys();
    into.translations = from
        .translations
        .iter()
        .filter(|(lang, _)| **lang != into.language && languages.contains(lang))
        .map(|(lang, texts)| {
            let mut texts = texts.clone();
            texts.sections.retain(|key, _| sections.contains(key));
            texts.groups.retain(|key, _| groups.contains(key));
            texts
                .scale_labels
                .retain(|point, _| point.parse::<i32>().is_ok_and(|p| (min..=max).contains(&p)));
            (lang.clone(), texts)
        })
        .filter(|(_, texts)| !texts.is_empty())
        .collect();
}

/// What the Settings page may change once a study exists.
#[derive(Debug, Clone, Serialize)]
pub struct SettingsState {
    /// Round 1 opened: the scale and the consensus rule are fixed.
    pub locked: bool,
    /// Rounds opened so far; `rounds.max` may not go below it.
    pub rounds_opened: usize,
}

pub fn settings_state(
    conn: &mut DbConnection,
    slug: &str,
) -> Result<(StudyFile, SettingsState), ServiceError> {
    let study = studies::load(conn, slug)?;
    let rounds_opened = Round::count_of(conn, study.id)? as usize;
    let mut file = study.file.clone();
    file.anonymity = study.anonymity;
    Ok((
        file,
        SettingsState {
            locked: study.rule_hash.is_some(),
            rounds_opened,
        },
    ))
}

/// Saves the Settings page. The slug, sections and groups are not changed here (the slug is in
/// every link already sent; sections and groups are edited on the content page); the scale and
/// the consensus rule only until round 1 locks them.
pub fn update(
    conn: &mut DbConnection,
    slug: &str,
    form: &SetupForm,
    lang: &str,
    actor: &Actor,
) -> Result<Vec<&'static str>, Vec<Problem>> {
    let fail = |e: ServiceError| vec![Problem::new("title", e.to_string())];
    studies::write(conn, slug, |conn, study| {
        let mut edited = form.clone();
        edited.slug = study.slug.clone();
        let stored = SetupForm::from_file(&study.file, Start::Blank);
        edited.groups = stored.groups;
        edited.sections = stored.sections;
        let locked = study.rule_hash.is_some();
        if locked {
            edited.scale = stored.scale;
            edited.scale_min = stored.scale_min;
            edited.scale_max = stored.scale_max;
            edited.labels = stored.labels;
            edited.unable_to_score = stored.unable_to_score;
            edited.rule = stored.rule;
        }
        let (mut file, _scale, rules) = match edited.check(lang) {
            Ok(checked) => checked,
            Err(problems) => return Ok(Err(problems)),
        };
        let opened = Round::count_of(conn, study.id)? as usize;
        if (file.rounds.max as usize) < opened {
            return Ok(Err(vec![Problem::new(
                "rounds_max",
                i18n::translate(lang, "setup-max-below-opened", &[("n", (opened as i64).into())]),
            )]));
        }
        if locked {
            file.scale = study.file.scale.clone();
            file.consensus = study.file.consensus.clone();
        }
        file.items = study.file.items.clone();
        file.panel = study.file.panel.clone();
        keep_translations(&study.file, &mut file);
        // Criteria come from the study file and the form does not show them: they stay, and so
        // does how they combine, with the alternative each criterion is judged by.
        file.criteria = study.file.criteria.clone();
        file.consensus.combine = study.file.consensus.combine.clone();
        let orphan = file.criteria.iter().find(|c| {
            c.rule != crate::domain::rule::PRIMARY && !file.consensus.alternatives.contains_key(&c.rule)
        });
        if let Some(criterion) = orphan {
            return Ok(Err(vec![Problem::new(
                "alternatives",
                format!(
                    "the criterion `{}` is judged by the alternative `{}`: keep that alternative",
                    criterion.key, criterion.rule
                ),
            )]));
        }
        let changed = changed_settings(&study.file, study.anonymity, &file);
        if changed.is_empty() {
            return Ok(Ok(changed));
        }
        let definition =
            serde_json::to_string(&file).map_err(|e| ServiceError::invalid("study", e.to_string()))?;
        let rule_set = if locked {
            None
        } else {
            Some(
                serde_json::to_string(&rules)
                    .map_err(|e| ServiceError::invalid("consensus", e.to_string()))?,
            )
        };
        let at = now();
        StudyRow::set_settings(
            conn,
            study.id,
            &crate::db::models::studies::Settings {
                title: &file.title,
                description: &file.description,
                language: &file.language,
                timezone: file.timezone.name(),
                anonymity: file.anonymity.as_str(),
                definition: &definition,
                rule_set: rule_set.as_deref(),
            },
            at,
        )?;
        AuditEntry::append(
            conn,
            Some(study.id),
            &actor.0,
            "study.settings",
            &json!({ "changed": changed }),
            at,
        )?;
        Ok(Ok(changed))
    })
    .map_err(fail)?
}

/// The settings `after` changes from `before`, named as the study file names them.
fn changed_settings(before: &StudyFile, anonymity: Anonymity, after: &StudyFile) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let pairs: [(&'static str, bool); 9] = [
        ("title", before.title != after.title),
        ("description", before.description != after.description),
        ("language", before.language != after.language),
        ("languages", before.languages() != after.languages()),
        ("timezone", before.timezone != after.timezone),
        ("anonymity", anonymity != after.anonymity),
        ("scale", before.scale != after.scale),
        ("consensus", before.consensus != after.consensus),
        ("rounds", before.rounds != after.rounds),
    ];
    for (name, differs) in pairs {
        if differs {
            changed.push(name);
        }
    }
    changed
}

/// Whether the study's items come from the study file itself (shown on the Settings page).
pub fn items_inline(file: &StudyFile) -> bool {
    matches!(file.items, ItemsSource::Inline(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(start: Start) -> SetupForm {
        let mut form = starting_form(start, "en").unwrap();
        form.title = "Micronutrients in lactation".into();
        form.timezone = "Africa/Nairobi".into();
        form
    }

    #[test]
    fn every_starting_point_gives_a_form_that_checks() {
        for start in Start::ALL {
            for lang in ["en", "fr"] {
                let mut form = starting_form(start, lang).unwrap();
                form.title = "Études".into();
                form.timezone = "Europe/Paris".into();
                let checked = form.check(lang);
                assert!(checked.is_ok(), "{start:?} {lang}: {:?}", checked.err());
            }
        }
    }

    #[test]
    fn a_blank_form_lists_every_problem_at_once_by_field() {
        let mut form = starting_form(Start::Blank, "en").unwrap();
        form.rounds_max = "three".into();
        form.groups = vec![
            Row::default(),
            Row {
                key: "Bad Key".into(),
                label: "X".into(),
            },
        ];
        let problems = form.check("en").unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        for expected in ["rounds_max", "title", "timezone", "group_key_2"] {
            assert!(fields.contains(&expected), "{expected} missing from {problems:?}");
        }
    }

    #[test]
    fn the_form_of_a_file_gives_the_same_file_back() {
        let example = super::super::demo::bundle().unwrap().file;
        let form = SetupForm::from_file(&example, Start::Example);
        let (file, _, _) = form.check("en").unwrap();
        let mut expected = example.clone();
        expected.items = ItemsSource::Inline(Vec::new());
        expected.panel = None;
        // Translations are not on the form; `keep_translations` carries them over.
        expected.translations = Default::default();
        assert_eq!(file, expected);
        assert_eq!(ScaleChoice::parse(&form.scale), Some(ScaleChoice::Nine));
    }

    #[test]
    fn posted_pairs_read_rows_labels_and_checkboxes() {
        let pairs: Vec<(String, String)> = [
            ("title", "Priorités"),
            ("scale", "five"),
            ("label_1", "Pas du tout"),
            ("group_key_1", ""),
            ("group_name_1", "Chercheurs et chercheuses"),
            ("section_title_3", "Questions"),
            ("languages", "en"),
            ("languages", "fr"),
            ("unable_to_score", "on"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let form = SetupForm::from_pairs(&pairs);
        assert_eq!(form.labels.len(), 5);
        assert_eq!(form.labels[0].text, "Pas du tout");
        assert_eq!(form.groups[0].label, "Chercheurs et chercheuses");
        assert_eq!(form.sections.len(), 1);
        assert!(form.unable_to_score && !form.close_at_deadline);
        assert_eq!(form.languages, ["en", "fr"]);
        assert_eq!(slug_from(&form.title), "priorites");
        assert_eq!(key_from(&form.groups[0].label), "chercheurs-et-chercheuses");
    }

    #[test]
    fn rescaling_takes_the_preset_words_and_keeps_custom_ones() {
        let mut form = filled(Start::Blank);
        form.scale = "seven".into();
        form.rescale("en");
        assert_eq!(form.labels.len(), 7);
        assert_eq!(form.labels[6].text, "Strongly agree");
        form.scale = "custom".into();
        form.scale_min = "0".into();
        form.scale_max = "10".into();
        form.rescale("en");
        assert_eq!(form.labels.len(), 11);
        assert_eq!(form.labels[7].text, "Strongly agree");
    }
}
