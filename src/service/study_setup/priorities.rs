//! The priority-setting part of the form: the method, the rating criteria and how they combine,
//! the CHNRI criteria, the ranking round and the ideas round. Every fieldset is on the page
//! whatever the method (the page works without JavaScript); only the ones the chosen method uses
//! go into the study file, so a CHNRI form's leftover rating criteria are ignored, not refused.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use super::keys::{key_from, posted, posted_text};
use super::{Problem, Row};
use crate::domain::study::{Method, StudyFile};
use crate::i18n;

/// A CHNRI criterion as a row of the form; `questions` one per line.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChnriRow {
    pub key: String,
    pub label: String,
    pub weight: String,
    pub threshold: String,
    pub questions: String,
}

impl ChnriRow {
    fn is_blank(&self) -> bool {
        [
            &self.key,
            &self.label,
            &self.weight,
            &self.threshold,
            &self.questions,
        ]
        .iter()
        .all(|t| t.trim().is_empty())
    }

    fn question_lines(&self) -> Vec<&str> {
        self.questions
            .lines()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .collect()
    }
}

/// The priority-setting fields, as typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorityForm {
    /// `rating`, `chnri` or `ranking`.
    pub method: String,
    /// Rating criteria; none rates each item once.
    pub criteria: Vec<Row>,
    /// `all`, `any` or `one` (then `combine_criterion` names it).
    pub combine: String,
    pub combine_criterion: String,
    pub chnri: Vec<ChnriRow>,
    /// A rating study's ranking round is optional; a ranking study always has one.
    pub ranking: bool,
    pub ranking_choose: String,
    pub ranking_combine: String,
    /// Section keys, comma-separated; empty for every section.
    pub ranking_sections: String,
    pub ideas: bool,
    pub ideas_prompt: String,
    pub ideas_per_expert: String,
    pub ideas_sections: String,
}

impl Default for PriorityForm {
    fn default() -> PriorityForm {
        PriorityForm {
            method: Method::Rating.as_str().to_owned(),
            criteria: Vec::new(),
            combine: "all".to_owned(),
            combine_criterion: String::new(),
            chnri: Vec::new(),
            ranking: false,
            ranking_choose: "10".to_owned(),
            ranking_combine: "equal_groups".to_owned(),
            ranking_sections: String::new(),
            ideas: false,
            ideas_prompt: String::new(),
            ideas_per_expert: "5".to_owned(),
            ideas_sections: String::new(),
        }
    }
}

impl PriorityForm {
    pub fn from_file(file: &StudyFile) -> PriorityForm {
        let mut form = PriorityForm {
            method: file.method.as_str().to_owned(),
            criteria: file
                .criteria
                .iter()
                .map(|c| Row {
                    key: c.key.clone(),
                    label: c.label.clone(),
                })
                .collect(),
            ..PriorityForm::default()
        };
        match file.consensus.combine.as_deref() {
            None | Some("all") => {}
            Some("any") => form.combine = "any".to_owned(),
            Some(key) => {
                form.combine = "one".to_owned();
                form.combine_criterion = key.to_owned();
            }
        }
        if let Some(chnri) = &file.chnri {
            form.chnri = chnri
                .criteria
                .iter()
                .map(|c| ChnriRow {
                    key: c.key.clone(),
                    label: c.label.clone(),
                    weight: c.weight.to_string(),
                    threshold: c.threshold.map(|t| t.to_string()).unwrap_or_default(),
                    questions: c.questions.join("\n"),
                })
                .collect();
        }
        if let Some(ranking) = &file.ranking {
            form.ranking = true;
            form.ranking_choose = ranking.choose.to_string();
            form.ranking_combine = ranking.combine.as_str().to_owned();
            form.ranking_sections = ranking.sections.join(", ");
        }
        if let Some(ideas) = &file.ideas {
            form.ideas = true;
            form.ideas_prompt = ideas.prompt.clone();
            form.ideas_per_expert = ideas.per_expert.to_string();
            // Every section is what an absent key means: shown empty, it reads back the same.
            let all: Vec<String> = file.sections.iter().map(|s| s.key.clone()).collect();
            if ideas.sections != all {
                form.ideas_sections = ideas.sections.join(", ");
            }
        }
        form
    }

    /// Rows are `criterion_key_N` / `criterion_label_N` and `chnri_FIELD_N`; the optional
    /// ranking and ideas rounds are checkboxes named `ranking` and `ideas`.
    pub fn from_pairs(pairs: &[(String, String)]) -> PriorityForm {
        let one = |name: &str| posted(pairs, name);
        let numbered = |prefix: &str| -> BTreeMap<u32, String> {
            pairs
                .iter()
                .filter_map(|(name, value)| {
                    let n = name.strip_prefix(prefix)?.parse().ok()?;
                    Some((n, value.replace("\r\n", "\n").trim().to_owned()))
                })
                .collect()
        };
        let mut criteria: BTreeMap<u32, Row> = BTreeMap::new();
        for (n, key) in numbered("criterion_key_") {
            criteria.entry(n).or_default().key = key;
        }
        for (n, label) in numbered("criterion_label_") {
            criteria.entry(n).or_default().label = label;
        }
        let mut chnri: BTreeMap<u32, ChnriRow> = BTreeMap::new();
        let columns: [(&str, ChnriColumn); 5] = [
            ("chnri_key_", |r| &mut r.key),
            ("chnri_label_", |r| &mut r.label),
            ("chnri_weight_", |r| &mut r.weight),
            ("chnri_threshold_", |r| &mut r.threshold),
            ("chnri_questions_", |r| &mut r.questions),
        ];
        for (prefix, field) in columns {
            for (n, value) in numbered(prefix) {
                *field(chnri.entry(n).or_default()) = value;
            }
        }
        let ticked = |name: &str| pairs.iter().any(|(n, _)| n == name);
        let or = |value: String, default: &str| {
            if value.is_empty() {
                default.to_owned()
            } else {
                value
            }
        };
        PriorityForm {
            method: or(one("method"), Method::Rating.as_str()),
            criteria: criteria.into_values().collect(),
            combine: or(one("combine"), "all"),
            combine_criterion: one("combine_criterion"),
            chnri: chnri.into_values().collect(),
            ranking: ticked("ranking"),
            ranking_choose: one("ranking_choose"),
            ranking_combine: or(one("ranking_combine"), "equal_groups"),
            ranking_sections: one("ranking_sections"),
            ideas: ticked("ideas"),
            ideas_prompt: posted_text(pairs, "ideas_prompt").trim_start().to_owned(),
            ideas_per_expert: one("ideas_per_expert"),
            ideas_sections: one("ideas_sections"),
        }
    }

    /// The five standard CHNRI criteria (Rudan et al., 2008), in the facilitator's language,
    /// worded as in the example study.
    pub fn standard_chnri(lang: &str) -> Vec<ChnriRow> {
        STANDARD_CHNRI
            .iter()
            .map(|(key, questions)| {
                let t = |name: &str| i18n::translate(lang, &format!("setup-chnri-{key}-{name}"), &[]);
                ChnriRow {
                    key: (*key).to_owned(),
                    label: t("label"),
                    weight: "1".to_owned(),
                    threshold: String::new(),
                    questions: (1..=*questions)
                        .map(|q| t(&format!("q{q}")))
                        .collect::<Vec<_>>()
                        .join("\n"),
                }
            })
            .collect()
    }

    /// Empty rows offered below the filled ones, as for groups and sections.
    pub(super) fn spare_rows(&mut self, spare: usize) {
        self.criteria.retain(|r| !r.key.is_empty() || !r.label.is_empty());
        self.criteria.extend(std::iter::repeat_n(Row::default(), spare));
        self.chnri.retain(|r| !r.is_blank());
        self.chnri.extend(std::iter::repeat_n(ChnriRow::default(), spare));
    }

    pub fn method(&self) -> Option<Method> {
        Method::parse(&self.method)
    }

    /// Adds the keys of the method's own tables to the study-file JSON `study`; what cannot be
    /// read (a weight that is not a number) goes to `problems`.
    pub(super) fn fill(&self, study: &mut Value, lang: &str, problems: &mut Vec<Problem>) {
        study["method"] = json!(self.method);
        let method = self.method();
        if method == Some(Method::Rating) {
            let criteria: Vec<Value> = self
                .criteria
                .iter()
                .filter(|r| !r.key.is_empty() || !r.label.is_empty())
                .map(|r| json!({ "key": criterion_key(r), "label": r.label }))
                .collect();
            if !criteria.is_empty() {
                study["consensus"]["combine"] = json!(match self.combine.as_str() {
                    "one" => self.combine_criterion.as_str(),
                    other => other,
                });
                study["criterion"] = json!(criteria);
            }
        }
        if method == Some(Method::Chnri) {
            study["chnri"] = json!({ "criterion": self.chnri_json(lang, problems) });
        }
        let ranking_used = match method {
            Some(Method::Ranking) => true,
            Some(Method::Rating) => self.ranking,
            _ => false,
        };
        if ranking_used {
            let mut ranking = json!({
                "combine": self.ranking_combine,
                "sections": key_list(&self.ranking_sections),
            });
            if let Some(n) = whole(lang, "ranking_choose", &self.ranking_choose, problems) {
                ranking["choose"] = json!(n);
            }
            study["ranking"] = ranking;
        }
        if self.ideas {
            let mut ideas = json!({ "prompt": self.ideas_prompt });
            if let Some(n) = whole(lang, "ideas_per_expert", &self.ideas_per_expert, problems) {
                ideas["per_expert"] = json!(n);
            }
            if !self.ideas_sections.trim().is_empty() {
                ideas["sections"] = json!(key_list(&self.ideas_sections));
            }
            study["ideas"] = ideas;
        }
    }

    fn chnri_json(&self, lang: &str, problems: &mut Vec<Problem>) -> Vec<Value> {
        let mut rows = Vec::new();
        for (i, row) in self.chnri.iter().enumerate() {
            if row.is_blank() {
                continue;
            }
            let n = i + 1;
            let key = if row.key.is_empty() {
                criterion_key(&Row {
                    key: String::new(),
                    label: row.label.clone(),
                })
            } else {
                row.key.clone()
            };
            let mut criterion = json!({
                "key": key,
                "label": row.label,
                "questions": row.question_lines(),
            });
            let mut decimal = |name: &str, text: &str| -> Option<f64> {
                if text.is_empty() {
                    return None;
                }
                let read = text
                    .replace(',', ".")
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite());
                if read.is_none() {
                    problems.push(Problem::new(
                        &format!("chnri_{name}_{n}"),
                        i18n::translate(lang, "setup-not-a-decimal", &[("text", text.to_owned().into())]),
                    ));
                }
                read
            };
            if let Some(weight) = decimal("weight", &row.weight) {
                criterion["weight"] = json!(weight);
            }
            if let Some(threshold) = decimal("threshold", &row.threshold) {
                criterion["threshold"] = json!(threshold);
            }
            rows.push(criterion);
        }
        rows
    }

    /// The form field a study-file key of these tables belongs to: `chnri.criterion[2].weight`
    /// is `chnri_weight_N` with N the page row of the second filled row.
    pub(super) fn field_of(&self, key: &str) -> Option<String> {
        let filled_rows = |blank: &dyn Fn(usize) -> bool, len: usize| -> Vec<usize> {
            (0..len).filter(|&i| !blank(i)).map(|i| i + 1).collect()
        };
        let page_row = |rows: &[usize], index: &str| -> Option<usize> {
            let index: usize = index.parse().ok()?;
            Some(rows.get(index.checked_sub(1)?).copied().unwrap_or(index))
        };
        if let Some(rest) = key.strip_prefix("chnri.criterion[") {
            let rows = filled_rows(&|i| self.chnri[i].is_blank(), self.chnri.len());
            let (index, column) = rest.split_once("].")?;
            let column = column.split(['.', '[']).next().unwrap_or(column);
            let column = if column == "translations" { "label" } else { column };
            return Some(format!("chnri_{column}_{}", page_row(&rows, index)?));
        }
        if let Some(rest) = key.strip_prefix("criterion[") {
            let rows = filled_rows(
                &|i| self.criteria[i].key.is_empty() && self.criteria[i].label.is_empty(),
                self.criteria.len(),
            );
            let (index, column) = rest.split_once("].")?;
            let column = if column == "key" { "key" } else { "label" };
            return Some(format!("criterion_{column}_{}", page_row(&rows, index)?));
        }
        let field = match key {
            "method" => "method",
            "chnri" | "chnri.criterion" => "chnri_label_1",
            "consensus.combine" if self.combine == "one" => "combine_criterion",
            "consensus.combine" => "combine",
            "ranking" | "ranking.choose" => "ranking_choose",
            "ranking.combine" => "ranking_combine",
            "ideas" | "ideas.prompt" => "ideas_prompt",
            "ideas.per_expert" => "ideas_per_expert",
            _ if key.starts_with("ranking.sections") => "ranking_sections",
            _ if key.starts_with("ideas.sections") => "ideas_sections",
            _ => return None,
        };
        Some(field.to_owned())
    }
}

/// A column of the CHNRI rows, by the field it fills.
type ChnriColumn = fn(&mut ChnriRow) -> &mut String;

/// The standard criteria's keys and how many questions each asks (their wording is in the
/// catalogues, `setup-chnri-KEY-label` and `-qN`).
const STANDARD_CHNRI: [(&str, usize); 5] = [
    ("answerability", 3),
    ("effectiveness", 3),
    ("deliverability", 3),
    ("burden_reduction", 1),
    ("equity", 2),
];

/// A criterion's key, made from its label when left empty (`_` for `-`: criterion keys name
/// columns of the exports).
fn criterion_key(row: &Row) -> String {
    if row.key.is_empty() {
        key_from(&row.label).replace('-', "_")
    } else {
        row.key.clone()
    }
}

fn key_list(text: &str) -> Vec<String> {
    text.split([',', ' ', ';'])
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A whole number typed in `field`; an empty field is left to the study file's own rule.
fn whole(lang: &str, field: &str, text: &str, problems: &mut Vec<Problem>) -> Option<i64> {
    if text.is_empty() {
        return None;
    }
    let read = text.parse::<i64>().ok();
    if read.is_none() {
        problems.push(Problem::new(
            field,
            i18n::translate(lang, "setup-not-a-number", &[("text", text.to_owned().into())]),
        ));
    }
    read
}
