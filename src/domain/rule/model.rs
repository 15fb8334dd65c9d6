//! Compiled rules: the condition lists of a rule with its modifiers (quantile type, unable
//! policy, group mode), the presets they may come from, the status they give an item, and the
//! primary rule with its named alternatives.

use serde::{Deserialize, Serialize};

use crate::domain::named::named;

use super::condition::{constant, Condition, Op, ShareCondition, StatName};
use crate::domain::stats::{QuantileType, UnablePolicy};

/// How stakeholder groups enter a condition list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupMode {
    /// The list must hold for the pooled panel.
    #[default]
    Pooled,
    /// The list must hold in every group that has responders (`n > 0`); with no such group
    /// it does not hold.
    Each,
    /// Both of the above.
    PooledAndEach,
}

impl GroupMode {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupMode::Pooled => "pooled",
            GroupMode::Each => "each",
            GroupMode::PooledAndEach => "pooled_and_each",
        }
    }

    pub fn parse(text: &str) -> Option<GroupMode> {
        match text {
            "pooled" => Some(GroupMode::Pooled),
            "each" => Some(GroupMode::Each),
            "pooled_and_each" => Some(GroupMode::PooledAndEach),
            _ => None,
        }
    }
}

/// Named rules with a published definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Preset {
    /// COMET Handbook (Williamson et al. 2017): in when ≥70% score 7–9 and <15% score 1–3.
    #[serde(rename = "comet")]
    Comet,
    /// RAND/UCLA Appropriateness Method (Fitch et al. 2001): appropriate when the median is
    /// 7–9 without disagreement, inappropriate when it is 1–3 without disagreement.
    #[serde(rename = "rand-ucla")]
    RandUcla,
}

impl Preset {
    pub const ALL: [Preset; 2] = [Preset::Comet, Preset::RandUcla];

    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Comet => "comet",
            Preset::RandUcla => "rand-ucla",
        }
    }

    pub fn parse(text: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The `in` and `out` lists the preset stands for.
    pub fn lists(self) -> (Vec<Condition>, Vec<Condition>) {
        let share = |lo, hi, op, percent| {
            Condition::Share(ShareCondition {
                lo,
                hi,
                with_unable: false,
                op,
                percent: constant(percent),
            })
        };
        let stat = |stat, op, value| Condition::Stat {
            stat,
            op,
            value: constant(value),
        };
        match self {
            Preset::Comet => (
                vec![share(7, 9, Op::AtLeast, 70.0), share(1, 3, Op::Below, 15.0)],
                vec![share(1, 3, Op::AtLeast, 70.0), share(7, 9, Op::Below, 15.0)],
            ),
            Preset::RandUcla => (
                vec![
                    stat(StatName::Median, Op::AtLeast, 7.0),
                    stat(StatName::Di, Op::AtMost, 1.0),
                ],
                vec![
                    stat(StatName::Median, Op::AtMost, 3.0),
                    stat(StatName::Di, Op::AtMost, 1.0),
                ],
            ),
        }
    }
}

named! {
    /// Classification of an item under a rule: consensus to include, to exclude, or neither.
    pub enum Status {
        In = "in",
        Out = "out",
        None = "none",
    }
}

/// One compiled rule: its condition lists (presets expanded) and modifiers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// The preset the lists came from, kept for display; it plays no part in the hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<Preset>,
    #[serde(rename = "in")]
    pub in_: Vec<Condition>,
    pub out: Vec<Condition>,
    pub quantiles: QuantileType,
    pub unable: UnablePolicy,
    pub groups: GroupMode,
}

impl Rule {
    /// Whether every condition of the rule means something on `scale` (a preset's expanded
    /// lists included): a rule compiled against one scale may judge answers on another only
    /// then. A criterion with a scale of its own is judged by the rules that fit it.
    pub fn fits(&self, scale: &crate::domain::scale::Scale) -> bool {
        self.in_.iter().chain(&self.out).all(|c| c.fits(scale))
    }

    /// One line for reports: `in: share 7–9 ≥ 70% and share 1–3 < 15%; out: …; quantiles
    /// type 7, unable excluded, pooled`.
    pub fn describe(&self) -> String {
        let list = |conditions: &[Condition]| {
            if conditions.is_empty() {
                "never".to_string()
            } else {
                conditions
                    .iter()
                    .map(Condition::describe)
                    .collect::<Vec<_>>()
                    .join(" and ")
            }
        };
        let preset = self
            .preset
            .map(|p| format!("{} — ", p.as_str()))
            .unwrap_or_default();
        format!(
            "{preset}in: {}; out: {}; quantiles type {}, unable {}, groups {}",
            list(&self.in_),
            list(&self.out),
            self.quantiles.number(),
            match self.unable {
                UnablePolicy::Exclude => "excluded",
                UnablePolicy::Include => "included",
            },
            self.groups.as_str()
        )
    }
}

/// The primary rule and the named alternatives, in name order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleSet {
    pub primary: Rule,
    pub alternatives: Vec<(String, Rule)>,
}

/// Name of the primary rule wherever rules are listed by name.
pub const PRIMARY: &str = "primary";

impl RuleSet {
    /// Every rule by name, the primary first.
    pub fn rules(&self) -> impl Iterator<Item = (&str, &Rule)> {
        std::iter::once((PRIMARY, &self.primary))
            .chain(self.alternatives.iter().map(|(name, rule)| (name.as_str(), rule)))
    }

    pub fn get(&self, name: &str) -> Option<&Rule> {
        self.rules().find(|(n, _)| *n == name).map(|(_, rule)| rule)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{c9, compile, median_iqr, nine, preset};
    use super::*;

    #[test]
    fn compiled_rules_round_trip_through_serde() {
        let mut spec = preset("rand-ucla");
        spec.alternatives.insert("median-iqr".into(), median_iqr());
        let rules = compile(&spec, &nine());
        let json = serde_json::to_string(&rules).unwrap();
        let back: RuleSet = serde_json::from_str(&json).unwrap();
        assert_eq!(back, rules);
        assert_eq!(back.hash(), rules.hash());
        let counts = c9([0, 0, 0, 1, 1, 1, 5, 5, 2], 0);
        assert_eq!(back.primary.evaluate(&counts, &[]), Status::In);
    }

    #[test]
    fn conditions_keep_the_form_rule_sets_are_stored_in() {
        // `studies.rule_set` holds this JSON: rows written by earlier versions must still read.
        let (in_, _) = Preset::Comet.lists();
        let stored = r#"{"kind":"share","lo":7,"hi":9,"with_unable":false,"op":"at_least","percent":70.0}"#;
        assert_eq!(serde_json::to_string(&in_[0]).unwrap(), stored);
        assert_eq!(serde_json::from_str::<Condition>(stored).unwrap(), in_[0]);
    }

    #[test]
    fn status_and_names_render_as_in_the_file() {
        assert_eq!(
            [Status::In, Status::Out, Status::None].map(Status::as_str),
            ["in", "out", "none"]
        );
        assert_eq!(serde_json::to_string(&Status::None).unwrap(), "\"none\"");
        for op in Op::ALL {
            assert_eq!(
                serde_json::to_string(&op).unwrap(),
                format!("\"{}\"", op.as_str())
            );
        }
        for stat in StatName::ALL {
            assert_eq!(StatName::parse(stat.as_str()), Some(stat));
        }
    }
}
