//! The criteria of a CHNRI study (`[[chnri.criterion]]` of the study file), each with its
//! weight, optional threshold and questions, checked with every problem named by its key path.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::language::normalize_language_tag;
use crate::domain::stats::exact::Ratio;

/// `[chnri]`: the criteria, in file order (the order of the `cs_<key>` columns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChnriSettings {
    #[serde(rename = "criterion")]
    pub criteria: Vec<Criterion>,
}

/// One criterion as the study file states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// `[a-z0-9_]{1,32}`: it becomes a column name (`cs_<key>`), so no `-`.
    pub key: String,
    pub label: String,
    /// > 0; read as the decimal the author wrote (see `weight_exact`).
    #[serde(default = "one")]
    pub weight: f64,
    /// 0–100: items scoring lower on this criterion are flagged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    pub questions: Vec<String>,
    /// Keyed by language tag, like an item's translations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, CriterionTexts>,
}

fn one() -> f64 {
    1.0
}

/// A criterion in another language: its label and, when given, every question in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionTexts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
}

impl Criterion {
    /// The weight as the exact decimal written (`0.3` is 3/10, not the nearest double).
    pub fn weight_exact(&self) -> Ratio {
        Ratio::from_decimal(self.weight).unwrap_or(Ratio::integer(1))
    }

    pub fn threshold_exact(&self) -> Option<Ratio> {
        self.threshold.and_then(Ratio::from_decimal)
    }

    /// The label for a reader of `lang`, the main language's when there is no translation.
    pub fn label_in(&self, lang: &str) -> &str {
        self.texts_in(lang)
            .and_then(|t| t.label.as_deref())
            .filter(|l| !l.trim().is_empty())
            .unwrap_or(&self.label)
    }

    /// Question `index` (0-based) for a reader of `lang`.
    pub fn question_in(&self, lang: &str, index: usize) -> &str {
        self.texts_in(lang)
            .and_then(|t| t.questions.get(index))
            .map(String::as_str)
            .filter(|q| !q.trim().is_empty())
            .or_else(|| self.questions.get(index).map(String::as_str))
            .unwrap_or("")
    }

    fn texts_in(&self, lang: &str) -> Option<&CriterionTexts> {
        let primary = |tag: &str| tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        self.translations.get(lang).or_else(|| {
            self.translations
                .iter()
                .find(|(l, _)| primary(l) == primary(lang))
                .map(|(_, t)| t)
        })
    }
}

/// `[a-z0-9_]{1,32}`.
pub fn is_valid_criterion_key(key: &str) -> bool {
    (1..=32).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Checks `[[chnri.criterion]]` tables; `languages` are the study's languages, its main one
/// first. Translation tags are normalised.
pub fn check_criteria(
    criteria: Vec<Criterion>,
    languages: &[String],
    err: &mut impl FnMut(&str, String),
) -> Vec<Criterion> {
    if criteria.is_empty() {
        err(
            "chnri.criterion",
            "a CHNRI study needs at least one [[chnri.criterion]]".to_owned(),
        );
    }
    let mut first_at: BTreeMap<String, usize> = BTreeMap::new();
    let mut checked = Vec::with_capacity(criteria.len());
    for (index, mut criterion) in criteria.into_iter().enumerate() {
        let at = format!("chnri.criterion[{}]", index + 1);
        let key = &criterion.key;
        if !is_valid_criterion_key(key) {
            err(
                &format!("{at}.key"),
                format!("`{key}` is not a valid key: use 1 to 32 lower-case letters, digits or `_`"),
            );
        } else if let Some(first) = first_at.get(key) {
            err(
                &format!("{at}.key"),
                format!("`{key}` is already the key of chnri.criterion[{first}]"),
            );
        } else {
            first_at.insert(key.clone(), index + 1);
        }
        if criterion.label.trim().is_empty() {
            err(&format!("{at}.label"), "must not be empty".to_owned());
        }
        let weight = criterion.weight;
        if !(weight.is_finite() && weight > 0.0) || Ratio::from_decimal(weight).is_none() {
            err(
                &format!("{at}.weight"),
                format!("must be greater than 0 (found {weight})"),
            );
        }
        if let Some(threshold) = criterion.threshold {
            if !(0.0..=100.0).contains(&threshold) {
                err(
                    &format!("{at}.threshold"),
                    format!("must be between 0 and 100 (found {threshold})"),
                );
            }
        }
        if criterion.questions.is_empty() {
            err(
                &format!("{at}.questions"),
                "must list at least one question".to_owned(),
            );
        }
        for (q, question) in criterion.questions.iter().enumerate() {
            if question.trim().is_empty() {
                err(
                    &format!("{at}.questions[{}]", q + 1),
                    "must not be empty".to_owned(),
                );
            }
        }
        let mut translations = BTreeMap::new();
        for (tag, texts) in std::mem::take(&mut criterion.translations) {
            let place = format!("{at}.translations.{tag}");
            let Some(lang) = normalize_language_tag(&tag) else {
                err(
                    &place,
                    format!("`{tag}` is not a language tag like `fr` or `pt-BR`"),
                );
                continue;
            };
            if languages.first() == Some(&lang) {
                err(
                    &place,
                    format!("`{lang}` is the study's main language: its texts are the criterion's own"),
                );
            } else if !languages.contains(&lang) {
                err(&place, format!("`{lang}` is not one of the study's `languages`"));
            }
            if !texts.questions.is_empty() && texts.questions.len() != criterion.questions.len() {
                err(
                    &format!("{place}.questions"),
                    format!(
                        "gives {} questions, the criterion has {}: translate every question, in order",
                        texts.questions.len(),
                        criterion.questions.len()
                    ),
                );
            }
            translations.insert(lang, texts);
        }
        criterion.translations = translations;
        checked.push(criterion);
    }
    checked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(key: &str) -> Criterion {
        Criterion {
            key: key.to_owned(),
            label: "Answerability".to_owned(),
            weight: 1.0,
            threshold: None,
            questions: vec!["Is it answerable?".to_owned()],
            translations: BTreeMap::new(),
        }
    }

    fn problems(criteria: Vec<Criterion>) -> Vec<(String, String)> {
        let mut found = Vec::new();
        check_criteria(criteria, &["en".to_owned(), "fr".to_owned()], &mut |k, r| {
            found.push((k.to_owned(), r))
        });
        found
    }

    #[test]
    fn keys_weights_thresholds_and_questions_are_checked_by_path() {
        let mut bad_weight = criterion("b");
        bad_weight.weight = 0.0;
        let mut bad_threshold = criterion("c");
        bad_threshold.threshold = Some(100.5);
        let mut no_questions = criterion("d");
        no_questions.questions.clear();
        let found = problems(vec![
            criterion("a"),
            bad_weight,
            bad_threshold,
            no_questions,
            criterion("a"),
            criterion("Bad-key"),
        ]);
        let keys: Vec<&str> = found.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "chnri.criterion[2].weight",
                "chnri.criterion[3].threshold",
                "chnri.criterion[4].questions",
                "chnri.criterion[5].key",
                "chnri.criterion[6].key",
            ]
        );
        assert!(found[3].1.contains("chnri.criterion[1]"), "{found:?}");
    }

    fn translate(c: &mut Criterion, lang: &str, label: Option<&str>, questions: &[&str]) {
        let texts = CriterionTexts {
            label: label.map(str::to_owned),
            questions: questions.iter().map(|q| (*q).to_owned()).collect(),
        };
        c.translations.insert(lang.to_owned(), texts);
    }

    #[test]
    fn translations_must_be_study_languages_with_every_question() {
        let mut c = criterion("a");
        translate(&mut c, "fr", Some("Faisabilité"), &["Un", "Deux"]);
        translate(&mut c, "de", None, &[]);
        let found = problems(vec![c]);
        let keys: Vec<&str> = found.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "chnri.criterion[1].translations.de",
                "chnri.criterion[1].translations.fr.questions"
            ]
        );
    }

    #[test]
    fn labels_and_questions_fall_back_to_the_main_language() {
        let mut c = criterion("a");
        translate(&mut c, "fr", Some("Faisabilité"), &[]);
        assert_eq!(c.label_in("fr-CA"), "Faisabilité");
        assert_eq!(c.label_in("es"), "Answerability");
        assert_eq!(c.question_in("fr", 0), "Is it answerable?");
        assert_eq!(
            Criterion { weight: 0.3, ..c }.weight_exact(),
            Ratio::new(3, 10).unwrap()
        );
    }
}
