//! The `[consensus]` table compiled against the study's scale into a [`RuleSet`]: presets
//! expanded, modifiers inherited by alternatives, every condition checked, and no rule whose `in`
//! and `out` lists can both hold.

use std::fmt;

use super::condition::{Condition, Op, ShareCondition, StatName, Threshold};
use super::contradiction::{describe_distribution, find_contradiction};
use super::model::{GroupMode, Preset, Rule, RuleSet, PRIMARY};
use crate::domain::scale::Scale;
use crate::domain::spec::{AlternativeSpec, ConditionSpec, ConsensusSpec};
use crate::domain::stats::{QuantileType, UnablePolicy};

/// A rule problem, pointing at the offending key of the study file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("key `{key}`: {reason}")]
pub struct RuleError {
    /// Dotted key path, e.g. `consensus.alternatives.median-iqr.in[1]` (indices count from 1, as a person counts the entries).
    pub key: String,
    pub reason: String,
}

impl RuleError {
    fn new(key: impl Into<String>, reason: impl Into<String>) -> Self {
        RuleError {
            key: key.into(),
            reason: reason.into(),
        }
    }
}

/// The key of the primary rule's table in the study file.
const CONSENSUS: &str = "consensus";

/// The keys of one rule's table: `[consensus]` and each of its alternatives have the same ones
/// (`spec::ConsensusSpec`, `spec::AlternativeSpec`), so each is read through this.
#[derive(Clone, Copy)]
struct Table<'a> {
    preset: Option<&'a str>,
    in_: Option<&'a [ConditionSpec]>,
    out: Option<&'a [ConditionSpec]>,
    quantiles: Option<u8>,
    unable: Option<&'a str>,
    groups: Option<&'a str>,
}

/// The [`Table`] of a `ConsensusSpec` or an `AlternativeSpec`: two types with the same fields.
macro_rules! table_of {
    ($spec:expr) => {
        Table {
            preset: $spec.preset.as_deref(),
            in_: $spec.in_.as_deref(),
            out: $spec.out.as_deref(),
            quantiles: $spec.quantiles,
            unable: $spec.unable.as_deref(),
            groups: $spec.groups.as_deref(),
        }
    };
}

impl RuleSet {
    /// Validates and compiles the `[consensus]` table against the study's scale.
    pub fn compile(spec: &ConsensusSpec, scale: &Scale) -> Result<RuleSet, RuleError> {
        let primary = compile_rule(CONSENSUS, PRIMARY, table_of!(spec), Modifiers::default(), scale)?;
        let inherited = Modifiers {
            quantiles: primary.quantiles,
            unable: primary.unable,
            groups: primary.groups,
        };
        let mut alternatives = Vec::with_capacity(spec.alternatives.len());
        for (name, alternative) in &spec.alternatives {
            alternatives.push((
                name.clone(),
                compile_alternative(name, alternative, inherited, scale)?,
            ));
        }
        Ok(RuleSet {
            primary,
            alternatives,
        })
    }

    /// Compiles one rule of the `[consensus]` table, `primary` or an alternative by name,
    /// against `scale`: how a criterion with a scale of its own is checked against the rule
    /// that judges it (ranges inside its scale, no contradiction on it). `None` when the
    /// table has no rule of that name.
    pub fn compile_named(spec: &ConsensusSpec, name: &str, scale: &Scale) -> Option<Result<Rule, RuleError>> {
        let primary = table_of!(spec);
        if name == PRIMARY {
            return Some(compile_rule(
                CONSENSUS,
                PRIMARY,
                primary,
                Modifiers::default(),
                scale,
            ));
        }
        let alternative = spec.alternatives.get(name)?;
        Some(
            Modifiers::compile(CONSENSUS, &primary, Modifiers::default())
                .and_then(|inherited| compile_alternative(name, alternative, inherited, scale)),
        )
    }
}

/// An alternative of `[consensus.alternatives]`, inheriting the primary rule's modifiers.
fn compile_alternative(
    name: &str,
    alternative: &AlternativeSpec,
    inherited: Modifiers,
    scale: &Scale,
) -> Result<Rule, RuleError> {
    let key = alternative_key(name);
    check_alternative_name(name, &key)?;
    compile_rule(&key, name, table_of!(alternative), inherited, scale)
}

fn alternative_key(name: &str) -> String {
    if is_valid_alternative_name(name) {
        format!("consensus.alternatives.{name}")
    } else {
        format!("consensus.alternatives.{name:?}")
    }
}

fn is_valid_alternative_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    first_ok
        && name.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

fn check_alternative_name(name: &str, key: &str) -> Result<(), RuleError> {
    if name == PRIMARY {
        return Err(RuleError::new(
            key,
            "`primary` names the main rule and cannot name an alternative",
        ));
    }
    if !is_valid_alternative_name(name) {
        return Err(RuleError::new(
            key,
            format!(
                "alternative name {name:?} must be 1–32 characters of a–z, 0–9, `_` and `-`, \
                 starting with a letter or digit"
            ),
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, Default)]
struct Modifiers {
    quantiles: QuantileType,
    unable: UnablePolicy,
    groups: GroupMode,
}

impl Modifiers {
    /// The modifiers `table` gives, each the inherited one where it leaves it out.
    fn compile(key: &str, table: &Table<'_>, inherited: Modifiers) -> Result<Modifiers, RuleError> {
        let refused = |name: &str, expected: &str, got: &dyn fmt::Debug| {
            RuleError::new(format!("{key}.{name}"), format!("{expected}; got {got:?}"))
        };
        const QUANTILES: &str = "must be 6 or 7 (Hyndman & Fan sample quantile type)";
        const UNABLE: &str = "must be \"exclude\" or \"include\"";
        const GROUPS: &str = "must be \"pooled\", \"each\" or \"pooled_and_each\"";
        let quantiles = given_or(table.quantiles, inherited.quantiles, QuantileType::from_number)
            .map_err(|n| refused("quantiles", QUANTILES, &n))?;
        let unable = given_or(table.unable, inherited.unable, UnablePolicy::parse)
            .map_err(|t| refused("unable", UNABLE, &t))?;
        let groups = given_or(table.groups, inherited.groups, GroupMode::parse)
            .map_err(|t| refused("groups", GROUPS, &t))?;
        Ok(Modifiers {
            quantiles,
            unable,
            groups,
        })
    }
}

/// The modifier a table gives, or the inherited one when it leaves it out; `Err` with what it
/// gives when that does not parse.
fn given_or<V: Copy, T>(given: Option<V>, inherited: T, parse: impl FnOnce(V) -> Option<T>) -> Result<T, V> {
    match given {
        None => Ok(inherited),
        Some(value) => parse(value).ok_or(value),
    }
}

/// The rule of `table` (at `key`, named `name`), its modifiers inherited from `inherited` where
/// it leaves them out.
fn compile_rule(
    key: &str,
    name: &str,
    table: Table<'_>,
    inherited: Modifiers,
    scale: &Scale,
) -> Result<Rule, RuleError> {
    let modifiers = Modifiers::compile(key, &table, inherited)?;
    let (preset, in_, out) = match table.preset {
        Some(text) => {
            let preset_key = format!("{key}.preset");
            if table.in_.is_some() || table.out.is_some() {
                return Err(RuleError::new(
                    preset_key,
                    "a preset cannot be combined with `in`/`out` lists in the same table; \
                     drop the preset or the lists",
                ));
            }
            let preset = Preset::parse(text).ok_or_else(|| {
                let known: Vec<&str> = Preset::ALL.iter().map(|p| p.as_str()).collect();
                RuleError::new(
                    &preset_key,
                    format!("unknown preset {text:?}; known presets: {}", known.join(", ")),
                )
            })?;
            if !scale.is_one_to_nine() {
                return Err(RuleError::new(
                    preset_key,
                    format!(
                        "{} needs the 1–9 scale; this study's scale is {}",
                        preset.as_str(),
                        scale.describe()
                    ),
                ));
            }
            let (in_, out) = preset.lists();
            (Some(preset), in_, out)
        }
        None => {
            let in_ = compile_list(key, "in", table.in_.unwrap_or_default(), modifiers, scale)?;
            let out = compile_list(key, "out", table.out.unwrap_or_default(), modifiers, scale)?;
            if in_.is_empty() && out.is_empty() {
                return Err(RuleError::new(
                    key,
                    "a rule needs a `preset` or at least one condition in `in` or `out`",
                ));
            }
            (None, in_, out)
        }
    };
    let rule = Rule {
        preset,
        in_,
        out,
        quantiles: modifiers.quantiles,
        unable: modifiers.unable,
        groups: modifiers.groups,
    };
    if let Some(witness) = find_contradiction(&rule, scale) {
        return Err(RuleError::new(
            key,
            format!(
                "rule `{name}`: both `in` and `out` hold for the distribution {}",
                describe_distribution(&witness, scale)
            ),
        ));
    }
    Ok(rule)
}

fn compile_list(
    key: &str,
    list: &str,
    specs: &[ConditionSpec],
    modifiers: Modifiers,
    scale: &Scale,
) -> Result<Vec<Condition>, RuleError> {
    specs
        .iter()
        .enumerate()
        .map(|(index, spec)| {
            compile_condition(&format!("{key}.{list}[{}]", index + 1), spec, modifiers, scale)
        })
        .collect()
}

fn compile_condition(
    key: &str,
    spec: &ConditionSpec,
    modifiers: Modifiers,
    scale: &Scale,
) -> Result<Condition, RuleError> {
    let given: Vec<(Op, f64)> = [
        (Op::AtLeast, spec.at_least),
        (Op::Above, spec.above),
        (Op::AtMost, spec.at_most),
        (Op::Below, spec.below),
    ]
    .into_iter()
    .filter_map(|(op, value)| value.map(|v| (op, v)))
    .collect();
    let (op, raw) = match given.as_slice() {
        [single] => *single,
        [] => {
            return Err(RuleError::new(
                key,
                "a condition needs one of `at_least`, `above`, `at_most` or `below`",
            ))
        }
        [first, second, ..] => {
            return Err(RuleError::new(
                key,
                format!(
                    "a condition takes exactly one operator but has both `{}` and `{}`; \
                     write two conditions instead",
                    first.0.as_str(),
                    second.0.as_str()
                ),
            ))
        }
    };
    let op_key = format!("{key}.{}", op.as_str());
    if !raw.is_finite() {
        return Err(RuleError::new(
            op_key,
            format!("{raw} is not a usable threshold; it must be a finite number"),
        ));
    }
    if spec.share.is_some() && !(0.0..=100.0).contains(&raw) {
        return Err(RuleError::new(
            op_key,
            format!("{raw} is not a percentage between 0 and 100"),
        ));
    }
    let threshold = Threshold::new(raw).ok_or_else(|| {
        RuleError::new(
            &op_key,
            format!("{raw} has too many digits to be compared exactly"),
        )
    })?;
    match (spec.share, spec.stat.as_deref()) {
        (Some(_), Some(_)) => Err(RuleError::new(
            key,
            "a condition has either `share` or `stat`, not both",
        )),
        (None, None) => Err(RuleError::new(
            key,
            "a condition needs `share = [lo, hi]` or `stat = \"…\"`",
        )),
        (Some([lo, hi]), None) => {
            let share_key = format!("{key}.share");
            if lo > hi {
                return Err(RuleError::new(
                    share_key,
                    format!("[{lo}, {hi}] runs backwards; write [{hi}, {lo}]"),
                ));
            }
            if !scale.contains(lo) || !scale.contains(hi) {
                return Err(RuleError::new(
                    share_key,
                    format!("[{lo}, {hi}] is not inside the scale {}", scale.describe()),
                ));
            }
            let with_unable = spec.with_unable.unwrap_or(false);
            if with_unable && modifiers.unable == UnablePolicy::Exclude {
                // With unable answers outside the denominator the share could pass 100%.
                return Err(RuleError::new(
                    format!("{key}.with_unable"),
                    "`with_unable = true` needs `unable = \"include\"`, which counts unable \
                     answers in the denominator",
                ));
            }
            Ok(Condition::Share(ShareCondition {
                lo,
                hi,
                with_unable,
                op,
                percent: threshold,
            }))
        }
        (None, Some(text)) => {
            if spec.with_unable.is_some() {
                return Err(RuleError::new(
                    format!("{key}.with_unable"),
                    "`with_unable` applies to share conditions only",
                ));
            }
            let stat = StatName::parse(text).ok_or_else(|| {
                let known: Vec<&str> = StatName::ALL.iter().map(|s| s.as_str()).collect();
                RuleError::new(
                    format!("{key}.stat"),
                    format!(
                        "unknown statistic {text:?}; known statistics: {}",
                        known.join(", ")
                    ),
                )
            })?;
            if stat.needs_one_to_nine() && !scale.is_one_to_nine() {
                return Err(RuleError::new(
                    format!("{key}.stat"),
                    format!(
                        "{} is defined for the 1–9 scale (it measures asymmetry around 5); \
                         this study's scale is {}",
                        stat.as_str(),
                        scale.describe()
                    ),
                ));
            }
            Ok(Condition::Stat {
                stat,
                op,
                value: threshold,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{
        compile, error, lists, median_iqr, nine, preset, scale, share, stat, with_alternative,
    };
    use super::*;
    use crate::domain::spec::AlternativeSpec;

    #[test]
    fn preset_errors() {
        let e = error(&preset("delphi"), &nine());
        assert_eq!(e.key, "consensus.preset");
        assert!(e.reason.contains("known presets: comet, rand-ucla"), "{e}");

        let e = error(&preset("rand-ucla"), &scale(1, 5, false));
        assert_eq!(
            e.to_string(),
            "key `consensus.preset`: rand-ucla needs the 1–9 scale; this study's scale is 1–5"
        );

        let mixed = ConsensusSpec {
            in_: Some(vec![share(7, 9, Op::AtLeast, 80.0)]),
            ..preset("comet")
        };
        let e = error(&mixed, &nine());
        assert_eq!(e.key, "consensus.preset");
        assert!(e.reason.contains("cannot be combined"));

        let e = error(&ConsensusSpec::default(), &nine());
        assert_eq!(e.key, "consensus");
        assert!(e.reason.contains("needs a `preset`"));
        assert_eq!(error(&lists(vec![], vec![]), &nine()).key, "consensus");
    }

    #[test]
    fn condition_errors_name_the_key() {
        let s = nine();
        let check = |condition: ConditionSpec, key: &str, reason: &str| {
            let e = error(
                &lists(vec![share(7, 9, Op::AtLeast, 70.0), condition], vec![]),
                &s,
            );
            assert_eq!(e.key, key, "{e}");
            assert!(e.reason.contains(reason), "{e}");
        };
        check(
            ConditionSpec {
                share: Some([1, 3]),
                ..ConditionSpec::default()
            },
            "consensus.in[2]",
            "needs one of",
        );
        check(
            ConditionSpec {
                below: Some(15.0),
                ..share(1, 3, Op::AtLeast, 70.0)
            },
            "consensus.in[2]",
            "both `at_least` and `below`",
        );
        check(
            ConditionSpec {
                stat: Some("median".into()),
                ..share(1, 3, Op::AtLeast, 70.0)
            },
            "consensus.in[2]",
            "not both",
        );
        check(
            ConditionSpec {
                at_least: Some(3.0),
                ..ConditionSpec::default()
            },
            "consensus.in[2]",
            "needs `share",
        );
        check(
            share(0, 3, Op::AtLeast, 70.0),
            "consensus.in[2].share",
            "not inside the scale 1–9",
        );
        check(
            share(3, 1, Op::AtLeast, 70.0),
            "consensus.in[2].share",
            "runs backwards",
        );
        check(
            share(1, 3, Op::Below, 100.5),
            "consensus.in[2].below",
            "between 0 and 100",
        );
        check(
            share(1, 3, Op::Below, -1.0),
            "consensus.in[2].below",
            "between 0 and 100",
        );
        check(
            share(1, 3, Op::Below, f64::NAN),
            "consensus.in[2].below",
            "finite",
        );
        check(
            stat("mean", Op::AtLeast, 1e300),
            "consensus.in[2].at_least",
            "too many digits",
        );
        check(
            stat("mode", Op::AtLeast, 7.0),
            "consensus.in[2].stat",
            "unknown statistic \"mode\"",
        );
        check(
            ConditionSpec {
                with_unable: Some(false),
                ..stat("median", Op::AtLeast, 7.0)
            },
            "consensus.in[2].with_unable",
            "share conditions only",
        );
        check(
            ConditionSpec {
                with_unable: Some(true),
                ..share(1, 3, Op::Below, 15.0)
            },
            "consensus.in[2].with_unable",
            "needs `unable = \"include\"`",
        );
        let e = error(
            &lists(vec![stat("di", Op::AtMost, 1.0)], vec![]),
            &scale(1, 5, false),
        );
        assert_eq!(e.key, "consensus.in[1].stat");
        assert!(e.reason.contains("1–9 scale"));
    }

    #[test]
    fn modifier_errors() {
        let base = || preset("comet");
        let error_of = |spec: ConsensusSpec| error(&spec, &nine());
        let e = error_of(ConsensusSpec {
            quantiles: Some(5),
            ..base()
        });
        assert_eq!(e.key, "consensus.quantiles");
        assert!(e.reason.contains("6 or 7"));
        let e = error_of(ConsensusSpec {
            unable: Some("maybe".into()),
            ..base()
        });
        assert_eq!(e.key, "consensus.unable");
        let e = error_of(ConsensusSpec {
            groups: Some("all".into()),
            ..base()
        });
        assert_eq!(e.key, "consensus.groups");
        assert!(e.reason.contains("pooled_and_each"));
    }

    #[test]
    fn alternatives_inherit_modifiers_unless_they_set_their_own() {
        let mut spec = ConsensusSpec {
            quantiles: Some(6),
            unable: Some("include".into()),
            groups: Some("each".into()),
            ..preset("comet")
        };
        spec.alternatives.insert("median-iqr".into(), median_iqr());
        spec.alternatives.insert(
            "pooled_only".into(),
            AlternativeSpec {
                groups: Some("pooled".into()),
                quantiles: Some(7),
                ..median_iqr()
            },
        );
        let rules = compile(&spec, &nine());
        let names: Vec<&str> = rules.rules().map(|(name, _)| name).collect();
        assert_eq!(names, ["primary", "median-iqr", "pooled_only"]);
        let inherited = rules.get("median-iqr").unwrap();
        assert_eq!(
            (inherited.quantiles, inherited.unable, inherited.groups),
            (QuantileType::Six, UnablePolicy::Include, GroupMode::Each)
        );
        let own = rules.get("pooled_only").unwrap();
        assert_eq!(
            (own.quantiles, own.unable, own.groups),
            (QuantileType::Seven, UnablePolicy::Include, GroupMode::Pooled)
        );
        assert!(rules.get("missing").is_none());
    }

    #[test]
    fn alternative_names_are_checked() {
        for bad in ["Bad", "-x", "", "a.b", "primary", &"a".repeat(33)] {
            let e = error(&with_alternative(bad, median_iqr()), &nine());
            assert!(e.key.starts_with("consensus.alternatives."), "{e}");
        }
        let e = error(&with_alternative("Bad Name", median_iqr()), &nine());
        assert_eq!(e.key, "consensus.alternatives.\"Bad Name\"");
        assert!(compile(&with_alternative(&"a".repeat(32), median_iqr()), &nine())
            .get(&"a".repeat(32))
            .is_some());
        assert!(compile(&with_alternative("0_x-y", median_iqr()), &nine())
            .get("0_x-y")
            .is_some());
    }

    #[test]
    fn alternative_errors_carry_their_path() {
        // median-iqr with a typo in the last `out` condition.
        let mut alternative = median_iqr();
        alternative.out.as_mut().unwrap()[1].stat = Some("iqq".into());
        let e = error(&with_alternative("median-iqr", alternative), &nine());
        assert_eq!(e.key, "consensus.alternatives.median-iqr.out[2].stat");
        let e = error(
            &with_alternative(
                "x",
                AlternativeSpec {
                    quantiles: Some(8),
                    ..median_iqr()
                },
            ),
            &nine(),
        );
        assert_eq!(e.key, "consensus.alternatives.x.quantiles");
    }
}
