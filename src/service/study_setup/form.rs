//! The set-up form's fields, read from a study file or from a posted form.

use std::collections::BTreeMap;

use serde::Serialize;

use super::keys::{join_numbers, posted, posted_text};
use super::priorities::PriorityForm;
use super::{ScaleChoice, Start};
use crate::domain::study::StudyFile;
use crate::service::rule_editor::RuleForm;

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
    /// Guarding against bias (issue 16): `[feedback] timing`, `[rounds] order`,
    /// `sections_fixed`, `items_per_expert` (blank: every item) and `min_raters`.
    pub feedback_timing: String,
    pub order: String,
    pub sections_fixed: bool,
    pub items_per_expert: String,
    pub min_raters: String,
    pub groups: Vec<Row>,
    pub sections: Vec<Row>,
    pub priorities: PriorityForm,
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
            feedback_timing: file.feedback.timing.as_str().to_owned(),
            order: rounds.order.as_str().to_owned(),
            sections_fixed: rounds.sections_fixed,
            items_per_expert: rounds.items_per_expert.map(|n| n.to_string()).unwrap_or_default(),
            min_raters: rounds.min_raters.to_string(),
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
            priorities: PriorityForm::from_file(file),
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
        let one = |name: &str| posted(pairs, name);
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
            description: posted_text(pairs, "description"),
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
            feedback_timing: one("feedback_timing"),
            order: one("order"),
            sections_fixed: ticked("sections_fixed"),
            items_per_expert: one("items_per_expert"),
            min_raters: one("min_raters"),
            groups: rows("group_key_", "group_name_"),
            sections: rows("section_key_", "section_title_"),
            priorities: PriorityForm::from_pairs(pairs),
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
                // A label row per point: a range a person would rate on, nothing wilder. In i64:
                // `i32::MAX - i32::MIN` overflows (a panic, or in a release build a wrap to -1
                // and four billion label rows).
                (min < max && i64::from(max) - i64::from(min) <= 20).then_some((min, max))
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
        self.priorities.spare_rows(SPARE_ROWS);
        self
    }

    /// Spare rows for the criteria only: the Settings page lists groups and sections.
    pub fn with_spare_priority_rows(mut self) -> SetupForm {
        self.priorities.spare_rows(SPARE_ROWS);
        self
    }
}
