//! Several criteria per item (`[[criterion]]` of the study file): every item of a rating round
//! is rated once per criterion, each criterion gets its own statistics and status under its own
//! rule, and `[consensus] combine` makes the item's status from the criteria's.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::rule::{Rule, RuleSet, Status, PRIMARY};
use crate::domain::scale::Scale;
use crate::domain::spec::ConsensusSpec;

/// One criterion items are rated on (`importance`, `feasibility`…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// `[a-z0-9_]{1,32}`: it names the criterion in answer files and exports.
    pub key: String,
    /// The question experts answer, in the study's main language.
    pub label: String,
    /// The label in the study's other languages, by language tag (`label_fr` in the file).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// `primary` or the name of an alternative of `[consensus.alternatives]`: the rule that
    /// makes this criterion's status.
    #[serde(default = "primary")]
    pub rule: String,
    /// `scale = { … }` of the file: the criterion's own scale (importance 1–9, feasibility 1–5);
    /// `None` rates it on the study's `[scale]`. Validated when read, like `[scale]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
}

fn primary() -> String {
    PRIMARY.to_owned()
}

impl Criterion {
    /// The label for a reader of `lang` (`fr-CA` reads `fr`), the main language's otherwise.
    pub fn label_in(&self, lang: &str) -> &str {
        let primary = |tag: &str| tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        self.labels
            .get(lang)
            .or_else(|| {
                self.labels
                    .iter()
                    .find(|(l, _)| primary(l) == primary(lang))
                    .map(|(_, t)| t)
            })
            .map(String::as_str)
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(&self.label)
    }

    /// The scale its answers are on: its own, or the study's.
    pub fn scale_or<'a>(&'a self, study: &'a Scale) -> &'a Scale {
        self.scale.as_ref().unwrap_or(study)
    }

    /// The rules that can judge this criterion, by name, the primary first: on the study's
    /// scale every rule; on a scale of its own, those whose ranges and statistics exist on it
    /// (the study file makes sure its own `rule` is one of them). A rule left out gives the
    /// criterion no status under that name, and an empty cell where results list it.
    pub fn rules<'a>(&'a self, rules: &'a RuleSet) -> impl Iterator<Item = (&'a str, &'a Rule)> {
        rules
            .rules()
            .filter(move |(_, rule)| self.scale.as_ref().is_none_or(|scale| rule.fits(scale)))
    }
}

/// Why the rule `name` of `consensus` cannot judge answers on `scale` (a criterion's own), or
/// `None` when it can: compiled against it (ranges inside it, no contradiction on it) and with
/// every score threshold between its ends. A rule written for the study's 1–9 scale (the
/// presets) does not fit a 1–5 criterion, which then needs an alternative of its own. `None`
/// too when `consensus` has no such rule (that is reported where the rule is named).
pub fn misfit(scale: &Scale, name: &str, consensus: &ConsensusSpec) -> Option<String> {
    let key = if name == PRIMARY {
        "consensus".to_owned()
    } else {
        format!("consensus.alternatives.{name}")
    };
    let reason = match RuleSet::compile_named(consensus, name, scale)? {
        Err(e) => format!("`{}` {}", e.key, e.reason),
        Ok(rule) if !rule.fits(scale) => format!("a threshold of `{key}` lies outside {}", scale.describe()),
        Ok(_) => return None,
    };
    Some(format!(
        "the rule `{name}` that judges this criterion ({key}) does not fit its scale {}: {reason}; \
         give the criterion a `rule` of [consensus.alternatives] written for its scale",
        scale.describe()
    ))
}

/// `[a-z0-9_]{1,32}`: narrower than group and section keys (no `-`), because a criterion key
/// becomes part of column names in analysis scripts.
pub fn is_valid_criterion_key(key: &str) -> bool {
    (1..=32).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// How the criteria's statuses make the item's (`[consensus] combine`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Combine {
    /// In when every criterion is in, out when any is out.
    All,
    /// In when any criterion is in and none is out, out when every criterion is out.
    Any,
    /// The status of this one criterion.
    Criterion(String),
}

impl Combine {
    /// `"all"`, `"any"` or a criterion key; which keys exist is checked by the study file.
    pub fn parse(text: &str) -> Combine {
        match text {
            "all" => Combine::All,
            "any" => Combine::Any,
            key => Combine::Criterion(key.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Combine::All => "all",
            Combine::Any => "any",
            Combine::Criterion(key) => key,
        }
    }

    /// The item's status from its criteria's, given as (key, status) in any order. A criterion
    /// key that is not among them counts as `none` (it cannot happen with a checked study).
    pub fn status(&self, criteria: &[(&str, Status)]) -> Status {
        let has = |wanted: Status| criteria.iter().any(|(_, s)| *s == wanted);
        let only = |wanted: Status| criteria.iter().all(|(_, s)| *s == wanted);
        match self {
            // No criteria at all decide nothing (a checked study has at least one).
            _ if criteria.is_empty() => Status::None,
            Combine::All if has(Status::Out) => Status::Out,
            Combine::All if only(Status::In) => Status::In,
            Combine::Any if only(Status::Out) => Status::Out,
            Combine::Any if has(Status::In) && !has(Status::Out) => Status::In,
            Combine::All | Combine::Any => Status::None,
            Combine::Criterion(key) => criteria
                .iter()
                .find(|(k, _)| k == key)
                .map_or(Status::None, |(_, s)| *s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Status::{In, None as Neither, Out};

    #[test]
    fn the_contract_table() {
        let two = |a, b| [("importance", a), ("feasibility", b)];
        // all
        assert_eq!(Combine::All.status(&two(In, In)), In);
        assert_eq!(Combine::All.status(&two(In, Neither)), Neither);
        assert_eq!(Combine::All.status(&two(In, Out)), Out);
        assert_eq!(Combine::All.status(&two(Neither, Neither)), Neither);
        // any
        assert_eq!(Combine::Any.status(&two(In, Neither)), In);
        assert_eq!(Combine::Any.status(&two(In, Out)), Neither);
        assert_eq!(Combine::Any.status(&two(Out, Out)), Out);
        assert_eq!(Combine::Any.status(&two(Out, Neither)), Neither);
        // one criterion decides
        let feasibility = Combine::parse("feasibility");
        assert_eq!(feasibility.status(&two(Out, In)), In);
        assert_eq!(feasibility.status(&two(In, Out)), Out);
        assert_eq!(feasibility.status(&two(In, Neither)), Neither);
    }

    #[test]
    fn keys_and_names() {
        assert!(is_valid_criterion_key("importance"));
        assert!(is_valid_criterion_key("cost_2"));
        assert!(!is_valid_criterion_key("cost-2"));
        assert!(!is_valid_criterion_key(""));
        assert!(!is_valid_criterion_key(&"a".repeat(33)));
        assert!(!is_valid_criterion_key("Importance"));
        for text in ["all", "any", "importance"] {
            assert_eq!(Combine::parse(text).as_str(), text);
        }
    }

    #[test]
    fn labels_fall_back_to_the_main_language() {
        let criterion = Criterion {
            key: "importance".into(),
            label: "How important?".into(),
            labels: [("fr".to_owned(), "Quelle importance ?".to_owned())].into(),
            rule: PRIMARY.into(),
            scale: None,
        };
        assert_eq!(criterion.label_in("fr-CA"), "Quelle importance ?");
        assert_eq!(criterion.label_in("es"), "How important?");
    }

    /// docs/statistics.md, "Criteria", the worked example: COMET per criterion, then combined.
    #[test]
    fn the_worked_example_of_the_documentation() {
        use crate::domain::rule::RuleSet;
        use crate::domain::scale::Scale;
        use crate::domain::spec::{ConsensusSpec, ScaleSpec};
        use crate::domain::stats::{Counts, Statistics};
        let scale = Scale::from_spec(&ScaleSpec {
            min: 1,
            max: 9,
            labels: Default::default(),
            bands: Vec::new(),
            unable_to_score: true,
        })
        .unwrap();
        let rules = RuleSet::compile(
            &ConsensusSpec {
                preset: Some("comet".into()),
                ..ConsensusSpec::default()
            },
            &scale,
        )
        .unwrap();
        let status = |scores: &[i32]| {
            let mut counts = Counts::new(&scale);
            for &score in scores {
                counts.add(score, 1).unwrap();
            }
            let stats = Statistics::compute(&counts, rules.primary.quantiles, rules.primary.unable);
            (
                rules.primary.evaluate(&counts, &[]),
                stats.figures.median,
                stats.figures.mean,
            )
        };
        let importance = status(&[8, 9, 7, 7, 6]);
        let feasibility = status(&[7, 5, 8, 4, 9]);
        assert_eq!((importance.0, importance.1), (In, Some(7.0)));
        assert_eq!((feasibility.0, feasibility.1), (Neither, Some(7.0)));
        let round1 = [("importance", importance.0), ("feasibility", feasibility.0)];
        assert_eq!(Combine::All.status(&round1), Neither);
        assert_eq!(Combine::Any.status(&round1), In);
        assert_eq!(Combine::parse("feasibility").status(&round1), Neither);

        let importance = status(&[8, 9, 7, 8, 7]);
        let feasibility = status(&[7, 7, 8, 6, 9]);
        assert_eq!((importance.0, importance.2), (In, Some(7.8)));
        assert_eq!((feasibility.0, feasibility.2), (In, Some(7.4)));
        assert_eq!(
            Combine::All.status(&[("importance", importance.0), ("feasibility", feasibility.0)]),
            In
        );
        let out = status(&[2, 1, 3, 2, 3]).0;
        assert_eq!(out, Out);
        let mixed = [("importance", importance.0), ("feasibility", out)];
        assert_eq!(Combine::All.status(&mixed), Out);
        assert_eq!(Combine::Any.status(&mixed), Neither);
    }

    /// docs/statistics.md, "A criterion on a scale of its own": feasibility on 1–5 under an
    /// alternative written for it; COMET and a median ≥ 7 do not fit it.
    #[test]
    fn the_worked_example_on_a_scale_of_its_own() {
        use crate::domain::rule::RuleSet;
        use crate::domain::spec::{AlternativeSpec, ConditionSpec, ScaleSpec};
        use crate::domain::stats::{Counts, Statistics};
        let scale = |max| {
            Scale::from_spec(&ScaleSpec {
                min: 1,
                max,
                labels: Default::default(),
                bands: Vec::new(),
                unable_to_score: false,
            })
            .unwrap()
        };
        let share = |lo, hi, at_least: Option<f64>, below: Option<f64>| ConditionSpec {
            share: Some([lo, hi]),
            at_least,
            below,
            ..ConditionSpec::default()
        };
        let mut spec = ConsensusSpec {
            preset: Some("comet".into()),
            ..ConsensusSpec::default()
        };
        spec.alternatives.insert(
            "feasible".into(),
            AlternativeSpec {
                in_: Some(vec![share(4, 5, Some(70.0), None), share(1, 2, None, Some(15.0))]),
                out: Some(vec![share(1, 2, Some(70.0), None), share(4, 5, None, Some(15.0))]),
                ..AlternativeSpec::default()
            },
        );
        spec.alternatives.insert(
            "high".into(),
            AlternativeSpec {
                in_: Some(vec![ConditionSpec {
                    stat: Some("median".into()),
                    at_least: Some(7.0),
                    ..ConditionSpec::default()
                }]),
                ..AlternativeSpec::default()
            },
        );
        let rules = RuleSet::compile(&spec, &scale(9)).unwrap();
        let five = scale(5);
        let feasibility = Criterion {
            key: "feasibility".into(),
            label: "How feasible?".into(),
            labels: Default::default(),
            rule: "feasible".into(),
            scale: Some(five.clone()),
        };
        let names: Vec<&str> = feasibility.rules(&rules).map(|(name, _)| name).collect();
        assert_eq!(names, ["feasible"]);
        assert!(misfit(&five, "feasible", &spec).is_none());
        let refused = misfit(&five, PRIMARY, &spec).unwrap();
        assert!(refused.contains("comet needs the 1–9 scale"), "{refused}");
        let refused = misfit(&five, "high", &spec).unwrap();
        assert!(refused.contains("lies outside 1–5"), "{refused}");
        let feasible = rules.get("feasible").unwrap();
        let judge = |scores: &[i32]| {
            let mut counts = Counts::new(&five);
            for &score in scores {
                counts.add(score, 1).unwrap();
            }
            let stats = Statistics::compute(&counts, feasible.quantiles, feasible.unable);
            (feasible.evaluate(&counts, &[]), stats.figures)
        };
        let (round1, figures) = judge(&[4, 2, 5, 3, 4]);
        assert_eq!((round1, figures.median), (Neither, Some(4.0)));
        let (round2, figures) = judge(&[4, 5, 4, 3, 5]);
        assert_eq!(round2, In);
        assert_eq!(figures.mean, Some(4.2));
        assert_eq!(figures.sd, Some(0.7f64.sqrt()));
        assert_eq!(
            (figures.q1, figures.q3, figures.iqr),
            (Some(4.0), Some(5.0), Some(1.0))
        );
        assert_eq!(
            (figures.p30, figures.p70, figures.ipr),
            (Some(4.0), Some(4.8), Some(0.8))
        );
        assert_eq!((figures.ipras, figures.di), (None, None));
    }

    fn status() -> impl Strategy<Value = Status> {
        prop_oneof![Just(In), Just(Out), Just(Neither)]
    }

    proptest! {
        /// The table read the other way round: "all" is in exactly when no criterion is
        /// anything but in, "any" is out exactly when no criterion is anything but out, and
        /// a single criterion behaves like "all" and "any" alike.
        #[test]
        fn combine_agrees_with_its_definition(statuses in prop::collection::vec(status(), 1..6)) {
            let named: Vec<(String, Status)> =
                statuses.iter().enumerate().map(|(i, s)| (format!("c{i}"), *s)).collect();
            let criteria: Vec<(&str, Status)> = named.iter().map(|(k, s)| (k.as_str(), *s)).collect();
            let count = |wanted: Status| statuses.iter().filter(|s| **s == wanted).count();
            let all = Combine::All.status(&criteria);
            prop_assert_eq!(all == In, count(In) == statuses.len());
            prop_assert_eq!(all == Out, count(Out) > 0);
            let any = Combine::Any.status(&criteria);
            prop_assert_eq!(any == In, count(In) > 0 && count(Out) == 0);
            prop_assert_eq!(any == Out, count(Out) == statuses.len());
            // `all` is never more lenient than `any` towards "in".
            prop_assert!(all != In || any == In);
            for (i, s) in statuses.iter().enumerate() {
                prop_assert_eq!(Combine::parse(&format!("c{i}")).status(&criteria), *s);
            }
            if statuses.len() == 1 {
                prop_assert_eq!(all, statuses[0]);
                prop_assert_eq!(any, statuses[0]);
            }
        }
    }
}
