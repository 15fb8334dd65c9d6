//! Consensus rules: the `[consensus]` table compiled into conditions that classify an item as
//! in, out or neither, under one primary rule and any number of named alternatives.
//!
//! Status is **in** when every `in` condition holds and not every `out` condition does, **out**
//! in the mirror case, otherwise **none**. An empty list never holds, so a rule with only `in`
//! conditions classifies items as in or none.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::scale::Scale;
use super::spec::{ConditionSpec, ConsensusSpec};
use super::stats::{Counts, QuantileType, Ratio, UnablePolicy};

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

/// Comparison of a statistic or share against a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    AtLeast,
    Above,
    AtMost,
    Below,
}

impl Op {
    pub const ALL: [Op; 4] = [Op::AtLeast, Op::Above, Op::AtMost, Op::Below];

    /// The study-file key.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::AtLeast => "at_least",
            Op::Above => "above",
            Op::AtMost => "at_most",
            Op::Below => "below",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Op::AtLeast => "≥",
            Op::Above => ">",
            Op::AtMost => "≤",
            Op::Below => "<",
        }
    }

    /// Whether `value ⋈ threshold` given `value.cmp(threshold)`.
    pub fn holds(self, ordering: Ordering) -> bool {
        match self {
            Op::AtLeast => ordering != Ordering::Less,
            Op::Above => ordering == Ordering::Greater,
            Op::AtMost => ordering != Ordering::Greater,
            Op::Below => ordering == Ordering::Less,
        }
    }
}

/// Statistics a condition may test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatName {
    Median,
    Mean,
    Sd,
    Iqr,
    Q1,
    Q3,
    P30,
    P70,
    Ipr,
    Ipras,
    Di,
    N,
}

impl StatName {
    pub const ALL: [StatName; 12] = [
        StatName::Median,
        StatName::Mean,
        StatName::Sd,
        StatName::Iqr,
        StatName::Q1,
        StatName::Q3,
        StatName::P30,
        StatName::P70,
        StatName::Ipr,
        StatName::Ipras,
        StatName::Di,
        StatName::N,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StatName::Median => "median",
            StatName::Mean => "mean",
            StatName::Sd => "sd",
            StatName::Iqr => "iqr",
            StatName::Q1 => "q1",
            StatName::Q3 => "q3",
            StatName::P30 => "p30",
            StatName::P70 => "p70",
            StatName::Ipr => "ipr",
            StatName::Ipras => "ipras",
            StatName::Di => "di",
            StatName::N => "n",
        }
    }

    pub fn parse(text: &str) -> Option<StatName> {
        StatName::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// IPRAS and DI measure asymmetry around 5, the midpoint of the 1–9 scale.
    pub fn needs_one_to_nine(self) -> bool {
        matches!(self, StatName::Ipras | StatName::Di)
    }
}

/// A threshold as written in the study file together with its exact decimal value (see
/// [`Ratio::from_decimal`]): `66.7` means 667/10, so 667 of 1000 ratings meet `at_least = 66.7`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Threshold {
    value: f64,
    exact: Ratio,
}

impl Threshold {
    pub fn new(value: f64) -> Option<Threshold> {
        // -0.0 and 0.0 mean the same; normalising keeps the canonical JSON (and hash) equal.
        let value = if value == 0.0 { 0.0 } else { value };
        Ratio::from_decimal(value).map(|exact| Threshold { value, exact })
    }

    pub fn value(self) -> f64 {
        self.value
    }

    pub fn exact(self) -> Ratio {
        self.exact
    }
}

impl PartialEq for Threshold {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl TryFrom<f64> for Threshold {
    type Error = String;

    fn try_from(value: f64) -> Result<Self, Self::Error> {
        Threshold::new(value).ok_or_else(|| format!("{value} is not a usable threshold"))
    }
}

impl From<Threshold> for f64 {
    fn from(threshold: Threshold) -> f64 {
        threshold.value
    }
}

/// One compiled condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Condition {
    /// `100 · (Σ_{lo≤v≤hi} c[v] (+ u)) / n  ⋈  percent`.
    Share {
        lo: i32,
        hi: i32,
        with_unable: bool,
        op: Op,
        percent: Threshold,
    },
    Stat {
        stat: StatName,
        op: Op,
        value: Threshold,
    },
}

impl Condition {
    /// Whether the condition holds for one distribution. A condition on an undefined statistic
    /// or share (no answers, `sd` of one score) does not hold.
    pub fn holds(&self, counts: &Counts, quantiles: QuantileType, unable: UnablePolicy) -> bool {
        match *self {
            Condition::Share {
                lo,
                hi,
                with_unable,
                op,
                percent,
            } => counts
                .share(lo, hi, with_unable, unable)
                .is_some_and(|share| op.holds(share.cmp_percent(percent.exact()))),
            Condition::Stat { stat, op, value } => {
                stat_ordering(stat, value.exact(), counts, quantiles, unable)
                    .is_some_and(|ordering| op.holds(ordering))
            }
        }
    }

    /// The condition as people read it in reports: `share 7–9 ≥ 70%`, `median ≥ 7`.
    pub fn describe(&self) -> String {
        match self {
            Condition::Share {
                lo,
                hi,
                with_unable,
                op,
                percent,
            } => {
                let unable = if *with_unable { " (with unable)" } else { "" };
                format!("share {lo}–{hi}{unable} {} {}%", op.symbol(), percent.value())
            }
            Condition::Stat { stat, op, value } => {
                format!("{} {} {}", stat.as_str(), op.symbol(), value.value())
            }
        }
    }

    /// Whether the condition depends on the distribution only through the counts of whole
    /// share ranges and the totals (true for share conditions and `n`).
    fn depends_only_on_ranges(&self) -> bool {
        match self {
            Condition::Share { .. } => true,
            Condition::Stat { stat, .. } => *stat == StatName::N,
        }
    }
}

/// `statistic.cmp(threshold)`, exactly; `None` when the statistic is undefined.
fn stat_ordering(
    stat: StatName,
    threshold: Ratio,
    counts: &Counts,
    quantiles: QuantileType,
    unable: UnablePolicy,
) -> Option<Ordering> {
    let value = match stat {
        StatName::Median => counts.exact_median()?,
        StatName::Mean => counts.exact_mean()?,
        StatName::Sd => return sd_ordering(counts.exact_variance()?, threshold),
        StatName::Iqr => counts.exact_iqr(quantiles)?,
        StatName::Q1 => counts.exact_quantile(25, quantiles)?,
        StatName::Q3 => counts.exact_quantile(75, quantiles)?,
        StatName::P30 => counts.exact_rand_ucla(quantiles)?.p30,
        StatName::P70 => counts.exact_rand_ucla(quantiles)?.p70,
        StatName::Ipr => counts.exact_rand_ucla(quantiles)?.ipr,
        StatName::Ipras => counts.exact_rand_ucla(quantiles)?.asymmetry?.ipras,
        StatName::Di => counts.exact_rand_ucla(quantiles)?.asymmetry?.di,
        StatName::N => Ratio::integer(i128::from(counts.n(unable))),
    };
    Some(value.cmp(&threshold))
}

/// Compares `sqrt(variance)` with the threshold through squares, which is exact and monotone
/// for a non-negative threshold; every standard deviation exceeds a negative one.
fn sd_ordering(variance: Ratio, threshold: Ratio) -> Option<Ordering> {
    if threshold.is_negative() {
        return Some(Ordering::Greater);
    }
    match threshold.checked_mul(threshold) {
        Some(square) => Some(variance.cmp(&square)),
        // Only a threshold beyond ~10^19 overflows; no scale of 101 points comes near it.
        None => Some(Ordering::Less),
    }
}

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
        let share = |lo, hi, op, percent| Condition::Share {
            lo,
            hi,
            with_unable: false,
            op,
            percent: constant(percent),
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

/// A threshold for a small whole number, which always has an exact decimal form.
fn constant(value: f64) -> Threshold {
    let exact = Ratio::integer(value as i128);
    Threshold { value, exact }
}

/// Classification of an item under a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    In,
    Out,
    None,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::In => "in",
            Status::Out => "out",
            Status::None => "none",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "in" => Some(Status::In),
            "out" => Some(Status::Out),
            "none" => Some(Status::None),
            _ => None,
        }
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
    /// Classifies one item. `groups` are the per-stakeholder-group counts (used by the `each`
    /// modes; a group with `n = 0` under the rule's unable policy is skipped).
    pub fn evaluate(&self, pooled: &Counts, groups: &[Counts]) -> Status {
        let in_holds = self.list_holds(&self.in_, pooled, groups);
        let out_holds = self.list_holds(&self.out, pooled, groups);
        match (in_holds, out_holds) {
            (true, false) => Status::In,
            (false, true) => Status::Out,
            _ => Status::None,
        }
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

    pub fn in_holds(&self, pooled: &Counts, groups: &[Counts]) -> bool {
        self.list_holds(&self.in_, pooled, groups)
    }

    pub fn out_holds(&self, pooled: &Counts, groups: &[Counts]) -> bool {
        self.list_holds(&self.out, pooled, groups)
    }

    fn list_holds(&self, list: &[Condition], pooled: &Counts, groups: &[Counts]) -> bool {
        match self.groups {
            GroupMode::Pooled => self.holds_for(list, pooled),
            GroupMode::Each => self.holds_in_each_group(list, groups),
            GroupMode::PooledAndEach => {
                self.holds_for(list, pooled) && self.holds_in_each_group(list, groups)
            }
        }
    }

    fn holds_in_each_group(&self, list: &[Condition], groups: &[Counts]) -> bool {
        let mut responding = groups.iter().filter(|g| g.n(self.unable) > 0).peekable();
        responding.peek().is_some() && responding.all(|group| self.holds_for(list, group))
    }

    /// A list holds for one distribution when it is non-empty and all its conditions hold.
    fn holds_for(&self, list: &[Condition], counts: &Counts) -> bool {
        !list.is_empty() && list.iter().all(|c| c.holds(counts, self.quantiles, self.unable))
    }

    fn canonical(&self) -> Value {
        // Keys inserted in sorted order so the output is the same whether serde_json's map
        // keeps insertion order (feature `preserve_order`) or sorts.
        let mut map = Map::new();
        map.insert("groups".into(), Value::from(self.groups.as_str()));
        map.insert("in".into(), canonical_list(&self.in_));
        map.insert("out".into(), canonical_list(&self.out));
        map.insert("quantiles".into(), Value::from(self.quantiles.number()));
        map.insert("unable".into(), Value::from(self.unable.as_str()));
        Value::Object(map)
    }
}

/// A list is a conjunction, so its order and repetitions carry no meaning.
fn canonical_list(list: &[Condition]) -> Value {
    let mut rendered: Vec<(String, Value)> = list
        .iter()
        .map(|c| {
            let value = canonical_condition(c);
            (value.to_string(), value)
        })
        .collect();
    rendered.sort_by(|a, b| a.0.cmp(&b.0));
    rendered.dedup_by(|a, b| a.0 == b.0);
    Value::Array(rendered.into_iter().map(|(_, v)| v).collect())
}

fn canonical_condition(condition: &Condition) -> Value {
    let mut map = Map::new();
    match *condition {
        Condition::Share {
            lo,
            hi,
            with_unable,
            op,
            percent,
        } => {
            map.insert(op.as_str().into(), Value::from(percent.value()));
            map.insert("share".into(), Value::from(vec![lo, hi]));
            map.insert("with_unable".into(), Value::from(with_unable));
        }
        Condition::Stat { stat, op, value } => {
            map.insert(op.as_str().into(), Value::from(value.value()));
            map.insert("stat".into(), Value::from(stat.as_str()));
        }
    }
    Value::Object(map)
}

/// The primary rule and the named alternatives, in name order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleSet {
    pub primary: Rule,
    pub alternatives: Vec<(String, Rule)>,
}

/// Name of the primary rule wherever rules are listed by name.
pub const PRIMARY: &str = "primary";

/// Largest panel searched for contradictions (the spec's "small panels").
const CONTRADICTION_PANEL: u64 = 10;

/// Most distributions one contradiction search may visit. It covers every panel of up to 10
/// answers on scales of up to 12 points, unable answers included (0–10 with unable: 646,646
/// distributions, about 40 ms in a release build); wider scales are searched with smaller
/// panels (0–100 with statistic conditions: up to 3 answers, about 0.1 s). Rules made only of
/// share and `n` conditions are searched over share ranges instead of points and always get 10.
const CONTRADICTION_BUDGET: u128 = 1_000_000;

impl RuleSet {
    /// Validates and compiles the `[consensus]` table against the study's scale.
    pub fn compile(spec: &ConsensusSpec, scale: &Scale) -> Result<RuleSet, RuleError> {
        let base = "consensus";
        let modifiers = Modifiers::compile(
            base,
            spec.quantiles,
            spec.unable.as_deref(),
            spec.groups.as_deref(),
            Modifiers::default(),
        )?;
        let body = Body {
            preset: spec.preset.as_deref(),
            in_: spec.in_.as_deref(),
            out: spec.out.as_deref(),
        };
        let primary = compile_rule(base, PRIMARY, body, modifiers, scale)?;
        let inherited = Modifiers {
            quantiles: primary.quantiles,
            unable: primary.unable,
            groups: primary.groups,
        };
        let mut alternatives = Vec::with_capacity(spec.alternatives.len());
        for (name, alternative) in &spec.alternatives {
            let key = alternative_key(name);
            check_alternative_name(name, &key)?;
            let modifiers = Modifiers::compile(
                &key,
                alternative.quantiles,
                alternative.unable.as_deref(),
                alternative.groups.as_deref(),
                inherited,
            )?;
            let body = Body {
                preset: alternative.preset.as_deref(),
                in_: alternative.in_.as_deref(),
                out: alternative.out.as_deref(),
            };
            alternatives.push((name.clone(), compile_rule(&key, name, body, modifiers, scale)?));
        }
        Ok(RuleSet {
            primary,
            alternatives,
        })
    }

    /// Every rule by name, the primary first.
    pub fn rules(&self) -> impl Iterator<Item = (&str, &Rule)> {
        std::iter::once((PRIMARY, &self.primary))
            .chain(self.alternatives.iter().map(|(name, rule)| (name.as_str(), rule)))
    }

    pub fn get(&self, name: &str) -> Option<&Rule> {
        self.rules().find(|(n, _)| *n == name).map(|(_, rule)| rule)
    }

    /// Deterministic JSON of what the rules mean: expanded condition lists (sorted, since order
    /// within a list is meaningless), modifiers and alternative names. Preset names are left
    /// out, so `preset = "comet"` and its written-out lists hash alike.
    pub fn canonical_json(&self) -> String {
        let mut alternatives = Map::new();
        let mut sorted: Vec<&(String, Rule)> = self.alternatives.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, rule) in sorted {
            alternatives.insert(name.clone(), rule.canonical());
        }
        let mut map = Map::new();
        map.insert("alternatives".into(), Value::Object(alternatives));
        map.insert("format".into(), Value::from("delphi.consensus-rules.v1"));
        map.insert("primary".into(), self.primary.canonical());
        Value::Object(map).to_string()
    }

    /// Lowercase hex SHA-256 of [`RuleSet::canonical_json`].
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.canonical_json().as_bytes()))
    }
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
    fn compile(
        key: &str,
        quantiles: Option<u8>,
        unable: Option<&str>,
        groups: Option<&str>,
        inherited: Modifiers,
    ) -> Result<Modifiers, RuleError> {
        let quantiles = match quantiles {
            None => inherited.quantiles,
            Some(number) => QuantileType::from_number(number).ok_or_else(|| {
                RuleError::new(
                    format!("{key}.quantiles"),
                    format!("must be 6 or 7 (Hyndman & Fan sample quantile type); got {number}"),
                )
            })?,
        };
        let unable = match unable {
            None => inherited.unable,
            Some(text) => UnablePolicy::parse(text).ok_or_else(|| {
                RuleError::new(
                    format!("{key}.unable"),
                    format!("must be \"exclude\" or \"include\"; got {text:?}"),
                )
            })?,
        };
        let groups = match groups {
            None => inherited.groups,
            Some(text) => GroupMode::parse(text).ok_or_else(|| {
                RuleError::new(
                    format!("{key}.groups"),
                    format!("must be \"pooled\", \"each\" or \"pooled_and_each\"; got {text:?}"),
                )
            })?,
        };
        Ok(Modifiers {
            quantiles,
            unable,
            groups,
        })
    }
}

#[derive(Clone, Copy)]
struct Body<'a> {
    preset: Option<&'a str>,
    in_: Option<&'a [ConditionSpec]>,
    out: Option<&'a [ConditionSpec]>,
}

fn compile_rule(
    key: &str,
    name: &str,
    body: Body<'_>,
    modifiers: Modifiers,
    scale: &Scale,
) -> Result<Rule, RuleError> {
    let (preset, in_, out) = match body.preset {
        Some(text) => {
            let preset_key = format!("{key}.preset");
            if body.in_.is_some() || body.out.is_some() {
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
            let in_ = compile_list(key, "in", body.in_.unwrap_or_default(), modifiers, scale)?;
            let out = compile_list(key, "out", body.out.unwrap_or_default(), modifiers, scale)?;
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
            Ok(Condition::Share {
                lo,
                hi,
                with_unable,
                op,
                percent: threshold,
            })
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

/// Looks for a distribution of a small panel for which both lists hold, smallest panels first.
///
/// One distribution is enough under every group mode: if both lists held only across several
/// groups, they would hold in each of those groups alone. Under the `each` modes a group must
/// have responders, so panels with `n = 0` are skipped there.
fn find_contradiction(rule: &Rule, scale: &Scale) -> Option<Counts> {
    if rule.in_.is_empty() || rule.out.is_empty() {
        return None;
    }
    let mut search = Search {
        rule,
        points: search_points(rule, scale),
        with_unable: rule.unable == UnablePolicy::Include && scale.unable_to_score(),
        counts: Counts::new(scale),
    };
    let categories = search.points.len() + usize::from(search.with_unable);
    let panel = panel_size(categories);
    (0..=panel)
        .any(|answers| search.fill(0, answers))
        .then_some(search.counts)
}

/// Points the search puts answers on. Share conditions see a distribution only through the
/// counts of whole ranges, so when every condition is a share (or `n`) one representative
/// point per run of points that no range boundary splits is exact, and far cheaper.
fn search_points(rule: &Rule, scale: &Scale) -> Vec<i32> {
    let all = rule.in_.iter().chain(&rule.out);
    if !all.clone().all(Condition::depends_only_on_ranges) {
        return scale.points().collect();
    }
    let mut starts = vec![scale.min()];
    for condition in all {
        if let Condition::Share { lo, hi, .. } = *condition {
            starts.push(lo);
            if hi < scale.max() {
                starts.push(hi + 1);
            }
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// Largest panel up to [`CONTRADICTION_PANEL`] whose distributions over `categories` fit the
/// budget; there are C(categories + size, size) of them with at most `size` answers.
fn panel_size(categories: usize) -> u64 {
    let k = categories as u128;
    let mut distributions: u128 = 1;
    let mut size: u64 = 0;
    while size < CONTRADICTION_PANEL {
        let next = u128::from(size) + 1;
        let grown = distributions * (k + next) / next;
        if grown > CONTRADICTION_BUDGET {
            break;
        }
        distributions = grown;
        size += 1;
    }
    size
}

struct Search<'a> {
    rule: &'a Rule,
    points: Vec<i32>,
    with_unable: bool,
    counts: Counts,
}

impl Search<'_> {
    fn set(&mut self, category: usize, count: u64) {
        match self.points.get(category) {
            Some(&point) => self.counts.set_count(point, count),
            None => self.counts.set_unable(count),
        }
    }

    /// Tries every way to spread `remaining` answers over categories `category..`; on success
    /// leaves the witness in `self.counts`.
    fn fill(&mut self, category: usize, remaining: u64) -> bool {
        let last = self.points.len() + usize::from(self.with_unable) - 1;
        if category == last {
            self.set(category, remaining);
            if self.both_hold() {
                return true;
            }
            self.set(category, 0);
            return false;
        }
        for count in 0..=remaining {
            self.set(category, count);
            if self.fill(category + 1, remaining - count) {
                return true;
            }
        }
        self.set(category, 0);
        false
    }

    fn both_hold(&self) -> bool {
        if self.rule.groups != GroupMode::Pooled && self.counts.n(self.rule.unable) == 0 {
            return false;
        }
        self.rule.holds_for(&self.rule.in_, &self.counts) && self.rule.holds_for(&self.rule.out, &self.counts)
    }
}

/// `c1=0 c2=0 … c9=10, unable=0 (10 answers)`; on wide scales only the non-zero points.
fn describe_distribution(counts: &Counts, scale: &Scale) -> String {
    let wide = scale.len() > 11;
    let mut points: Vec<String> = counts
        .iter()
        .filter(|&(_, c)| !wide || c > 0)
        .map(|(point, count)| format!("c{point}={count}"))
        .collect();
    if wide {
        points.push("other points 0".to_string());
    }
    let answers = counts.m().saturating_add(counts.unable());
    format!(
        "{}, unable={} ({answers} answer{})",
        points.join(" "),
        counts.unable(),
        if answers == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::super::spec::{AlternativeSpec, ScaleSpec};
    use super::*;
    use std::collections::BTreeMap;
    use std::time::Instant;

    fn scale(min: i32, max: i32, unable_to_score: bool) -> Scale {
        Scale::from_spec(&ScaleSpec {
            min,
            max,
            labels: BTreeMap::new(),
            bands: Vec::new(),
            unable_to_score,
        })
        .unwrap()
    }

    fn nine() -> Scale {
        scale(1, 9, true)
    }

    fn share(lo: i32, hi: i32, op: Op, value: f64) -> ConditionSpec {
        let mut c = ConditionSpec {
            share: Some([lo, hi]),
            ..ConditionSpec::default()
        };
        set_op(&mut c, op, value);
        c
    }

    fn stat(name: &str, op: Op, value: f64) -> ConditionSpec {
        let mut c = ConditionSpec {
            stat: Some(name.to_string()),
            ..ConditionSpec::default()
        };
        set_op(&mut c, op, value);
        c
    }

    fn set_op(c: &mut ConditionSpec, op: Op, value: f64) {
        match op {
            Op::AtLeast => c.at_least = Some(value),
            Op::Above => c.above = Some(value),
            Op::AtMost => c.at_most = Some(value),
            Op::Below => c.below = Some(value),
        }
    }

    fn preset(name: &str) -> ConsensusSpec {
        ConsensusSpec {
            preset: Some(name.to_string()),
            ..ConsensusSpec::default()
        }
    }

    fn lists(in_: Vec<ConditionSpec>, out: Vec<ConditionSpec>) -> ConsensusSpec {
        ConsensusSpec {
            in_: Some(in_),
            out: Some(out),
            ..ConsensusSpec::default()
        }
    }

    fn compile(spec: &ConsensusSpec, scale: &Scale) -> RuleSet {
        RuleSet::compile(spec, scale).unwrap()
    }

    fn error(spec: &ConsensusSpec, scale: &Scale) -> RuleError {
        match RuleSet::compile(spec, scale) {
            Ok(rules) => panic!("expected an error, got {rules:?}"),
            Err(e) => e,
        }
    }

    /// Counts on 1–9 from per-point counts.
    fn c9(per_point: [u64; 9], unable: u64) -> Counts {
        Counts::from_slice(1, &per_point, unable)
    }

    // ---- presets ----------------------------------------------------------------------------

    #[test]
    fn comet_boundaries_are_exact() {
        let rule = compile(&preset("comet"), &nine()).primary;
        // Exactly 70% (7 of 10) scoring 7–9 with nobody at 1–3 is in.
        assert_eq!(
            rule.evaluate(&c9([0, 0, 0, 1, 1, 1, 2, 2, 3], 0), &[]),
            Status::In
        );
        // 6999 of 10,000 (69.99%) is not.
        let almost = c9([0, 0, 0, 0, 3001, 0, 0, 0, 6999], 0);
        assert_eq!(rule.evaluate(&almost, &[]), Status::None);
        // Exactly 15% at 1–3 blocks in: 14 of 20 at 7–9 (70%), 3 of 20 at 1–3 (15%).
        let blocked = c9([3, 0, 0, 3, 0, 0, 14, 0, 0], 0);
        assert_eq!(rule.evaluate(&blocked, &[]), Status::None);
        // 2 of 20 (10%) at 1–3 does not.
        let allowed = c9([2, 0, 0, 4, 0, 0, 14, 0, 0], 0);
        assert_eq!(rule.evaluate(&allowed, &[]), Status::In);
        // Mirror image: out.
        assert_eq!(
            rule.evaluate(&c9([3, 2, 2, 1, 1, 1, 0, 0, 0], 0), &[]),
            Status::Out
        );
        // Nobody answered: none.
        assert_eq!(rule.evaluate(&c9([0; 9], 0), &[]), Status::None);
    }

    #[test]
    fn comet_with_unable_included_counts_them_in_the_denominator() {
        let exclude = compile(&preset("comet"), &nine()).primary;
        let include = compile(
            &ConsensusSpec {
                unable: Some("include".into()),
                ..preset("comet")
            },
            &nine(),
        )
        .primary;
        let counts = c9([0, 0, 0, 1, 1, 1, 2, 2, 3], 1);
        assert_eq!(exclude.evaluate(&counts, &[]), Status::In);
        // 7 of 11 is 63.6%.
        assert_eq!(include.evaluate(&counts, &[]), Status::None);
    }

    #[test]
    fn rand_ucla_classifies_by_median_and_disagreement() {
        let rule = compile(&preset("rand-ucla"), &nine()).primary;
        // Basger et al. 2012, Table 1: median 7, DI 1/6.1 → appropriate.
        let basger = c9([0, 0, 0, 1, 1, 1, 5, 5, 2], 0);
        assert_eq!(rule.evaluate(&basger, &[]), Status::In);
        // Median 9 but split between 1 and 9: p30 = 1, p70 = 9, DI = 8 / 2.35 > 1 → uncertain.
        let split = c9([4, 0, 0, 0, 0, 0, 0, 0, 6], 0);
        assert_eq!(rule.evaluate(&split, &[]), Status::None);
        // Median 2 without disagreement → inappropriate.
        assert_eq!(
            rule.evaluate(&c9([3, 5, 2, 0, 0, 0, 0, 0, 0], 0), &[]),
            Status::Out
        );
        // Median 5 → uncertain.
        assert_eq!(rule.evaluate(&c9([1; 9], 0), &[]), Status::None);
    }

    #[test]
    fn presets_are_free_of_contradictions_under_every_modifier() {
        for name in ["comet", "rand-ucla"] {
            for unable in ["exclude", "include"] {
                for (quantiles, groups) in [(7, "pooled"), (6, "each")] {
                    let spec = ConsensusSpec {
                        unable: Some(unable.into()),
                        quantiles: Some(quantiles),
                        groups: Some(groups.into()),
                        ..preset(name)
                    };
                    let rules = compile(&spec, &nine());
                    assert_eq!(rules.primary.preset, Preset::parse(name));
                }
            }
        }
    }

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

    // ---- explicit lists ---------------------------------------------------------------------

    #[test]
    fn a_rule_with_only_in_conditions_never_says_out() {
        let spec = ConsensusSpec {
            in_: Some(vec![
                stat("median", Op::AtLeast, 7.0),
                stat("iqr", Op::AtMost, 1.0),
            ]),
            ..ConsensusSpec::default()
        };
        let rule = compile(&spec, &nine()).primary;
        assert!(rule.out.is_empty());
        assert_eq!(
            rule.evaluate(&c9([0, 0, 0, 0, 0, 0, 4, 4, 0], 0), &[]),
            Status::In
        );
        assert_eq!(
            rule.evaluate(&c9([9, 0, 0, 0, 0, 0, 0, 0, 0], 0), &[]),
            Status::None
        );
    }

    #[test]
    fn every_statistic_can_be_tested() {
        // 1..=9 once each: mean 5, sd √7.5, q1 3, q3 7, iqr 4, p30 3.4, p70 6.6, ipr 3.2,
        // ipras 2.35, di 64/47, n 9.
        let counts = c9([1; 9], 0);
        let cases = [
            ("median", 5.0),
            ("mean", 5.0),
            ("iqr", 4.0),
            ("q1", 3.0),
            ("q3", 7.0),
            ("p30", 3.4),
            ("p70", 6.6),
            ("ipr", 3.2),
            ("ipras", 2.35),
            ("n", 9.0),
        ];
        // In-only rules: no contradiction search, so this stays quick in debug builds.
        let status = |name: &str, op, value| {
            let spec = ConsensusSpec {
                in_: Some(vec![stat(name, op, value)]),
                ..ConsensusSpec::default()
            };
            compile(&spec, &nine()).primary.evaluate(&counts, &[])
        };
        for (name, value) in cases {
            assert_eq!(status(name, Op::AtLeast, value), Status::In, "{name} ≥ {value}");
            assert_eq!(status(name, Op::AtMost, value), Status::In, "{name} ≤ {value}");
            assert_eq!(status(name, Op::Above, value), Status::None, "{name} > {value}");
            assert_eq!(status(name, Op::Below, value), Status::None, "{name} < {value}");
        }
        // sd = √7.5 ≈ 2.7386: compared through squares.
        let sd = |op, v| {
            let spec = ConsensusSpec {
                in_: Some(vec![stat("sd", op, v)]),
                ..ConsensusSpec::default()
            };
            compile(&spec, &nine()).primary.evaluate(&counts, &[])
        };
        assert_eq!(sd(Op::Below, 2.7387), Status::In);
        assert_eq!(sd(Op::Above, 2.7386), Status::In);
        assert_eq!(sd(Op::AtMost, 2.7386), Status::None);
        assert_eq!(sd(Op::Above, -1.0), Status::In);
        // di = 64/47 = 1.3617…
        let di = |op, v| {
            let spec = ConsensusSpec {
                in_: Some(vec![stat("di", op, v)]),
                ..ConsensusSpec::default()
            };
            compile(&spec, &nine()).primary.evaluate(&counts, &[])
        };
        assert_eq!(di(Op::Above, 1.0), Status::In);
        assert_eq!(di(Op::Below, 1.3618), Status::In);
        assert_eq!(di(Op::Below, 1.3617), Status::None);
    }

    #[test]
    fn undefined_statistics_do_not_hold() {
        let sd = ConsensusSpec {
            in_: Some(vec![stat("sd", Op::AtMost, 100.0)]),
            ..ConsensusSpec::default()
        };
        let sd = compile(&sd, &nine()).primary;
        let one = c9([0, 0, 0, 0, 1, 0, 0, 0, 0], 0);
        let two = c9([0, 0, 0, 0, 2, 0, 0, 0, 0], 0);
        // sd of one score is undefined, so even `sd ≤ 100` does not hold.
        assert_eq!(sd.evaluate(&one, &[]), Status::None);
        assert_eq!(sd.evaluate(&two, &[]), Status::In);
        let median = ConsensusSpec {
            out: Some(vec![stat("median", Op::AtLeast, -100.0)]),
            ..ConsensusSpec::default()
        };
        let median = compile(&median, &nine()).primary;
        assert_eq!(median.evaluate(&one, &[]), Status::Out);
        // No scores, only unable answers: no median.
        assert_eq!(median.evaluate(&c9([0; 9], 3), &[]), Status::None);
    }

    #[test]
    fn share_thresholds_with_decimals_compare_exactly() {
        let spec = ConsensusSpec {
            in_: Some(vec![share(7, 9, Op::AtLeast, 66.7)]),
            ..ConsensusSpec::default()
        };
        let rule = compile(&spec, &nine()).primary;
        // 667 of 1000 is exactly 66.7%; 2 of 3 (66.66…%) is not.
        let exact = c9([0, 0, 0, 0, 333, 0, 0, 0, 667], 0);
        assert_eq!(rule.evaluate(&exact, &[]), Status::In);
        assert_eq!(
            rule.evaluate(&c9([0, 0, 0, 0, 1, 0, 0, 0, 2], 0), &[]),
            Status::None
        );
    }

    #[test]
    fn with_unable_counts_unable_answers_in_the_numerator() {
        let spec = ConsensusSpec {
            unable: Some("include".into()),
            out: Some(vec![ConditionSpec {
                with_unable: Some(true),
                ..share(1, 3, Op::AtLeast, 50.0)
            }]),
            ..ConsensusSpec::default()
        };
        let rule = compile(&spec, &nine()).primary;
        // 1 score at 2 plus 1 unable of 4 answers: 50%.
        let counts = c9([0, 1, 0, 0, 0, 0, 0, 2, 0], 1);
        assert_eq!(rule.evaluate(&counts, &[]), Status::Out);
        assert_eq!(
            rule.evaluate(&c9([0, 1, 0, 0, 0, 0, 0, 2, 0], 0), &[]),
            Status::None
        );
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
        let e = error(
            &ConsensusSpec {
                quantiles: Some(5),
                ..base()
            },
            &nine(),
        );
        assert_eq!(e.key, "consensus.quantiles");
        assert!(e.reason.contains("6 or 7"));
        let e = error(
            &ConsensusSpec {
                unable: Some("maybe".into()),
                ..base()
            },
            &nine(),
        );
        assert_eq!(e.key, "consensus.unable");
        let e = error(
            &ConsensusSpec {
                groups: Some("all".into()),
                ..base()
            },
            &nine(),
        );
        assert_eq!(e.key, "consensus.groups");
        assert!(e.reason.contains("pooled_and_each"));
    }

    // ---- alternatives -----------------------------------------------------------------------

    fn with_alternative(name: &str, alternative: AlternativeSpec) -> ConsensusSpec {
        let mut spec = preset("comet");
        spec.alternatives.insert(name.to_string(), alternative);
        spec
    }

    fn median_iqr() -> AlternativeSpec {
        AlternativeSpec {
            in_: Some(vec![
                stat("median", Op::AtLeast, 7.0),
                stat("iqr", Op::AtMost, 2.0),
            ]),
            out: Some(vec![
                stat("median", Op::AtMost, 3.0),
                stat("iqr", Op::AtMost, 2.0),
            ]),
            ..AlternativeSpec::default()
        }
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
        let alternative = AlternativeSpec {
            in_: Some(vec![
                stat("median", Op::AtLeast, 7.0),
                stat("iqr", Op::AtMost, 2.0),
            ]),
            out: Some(vec![
                stat("median", Op::AtMost, 3.0),
                stat("iqq", Op::AtMost, 2.0),
            ]),
            ..AlternativeSpec::default()
        };
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

    // ---- contradictions ---------------------------------------------------------------------

    #[test]
    fn a_rule_where_both_lists_can_hold_is_rejected_with_the_distribution() {
        let spec = lists(
            vec![share(7, 9, Op::AtLeast, 50.0)],
            vec![share(1, 3, Op::AtLeast, 50.0)],
        );
        let e = error(&spec, &nine());
        assert_eq!(e.key, "consensus");
        assert_eq!(
            e.reason,
            "rule `primary`: both `in` and `out` hold for the distribution \
             c1=1 c2=0 c3=0 c4=0 c5=0 c6=0 c7=1 c8=0 c9=0, unable=0 (2 answers)"
        );
        // The named distribution really makes both lists hold.
        let rule = Rule {
            preset: None,
            in_: vec![Condition::Share {
                lo: 7,
                hi: 9,
                with_unable: false,
                op: Op::AtLeast,
                percent: Threshold::new(50.0).unwrap(),
            }],
            out: vec![Condition::Share {
                lo: 1,
                hi: 3,
                with_unable: false,
                op: Op::AtLeast,
                percent: Threshold::new(50.0).unwrap(),
            }],
            quantiles: QuantileType::Seven,
            unable: UnablePolicy::Exclude,
            groups: GroupMode::Pooled,
        };
        let witness = c9([1, 0, 0, 0, 0, 0, 1, 0, 0], 0);
        assert!(rule.in_holds(&witness, &[]) && rule.out_holds(&witness, &[]));
        // Above 50% on both sides cannot happen.
        let fixed = lists(
            vec![share(7, 9, Op::Above, 50.0)],
            vec![share(1, 3, Op::Above, 50.0)],
        );
        compile(&fixed, &nine());
    }

    #[test]
    fn contradictions_in_statistics_are_found_on_points() {
        let mut spec = preset("comet");
        spec.alternatives.insert(
            "loose".into(),
            AlternativeSpec {
                in_: Some(vec![stat("median", Op::AtLeast, 5.0)]),
                out: Some(vec![stat("mean", Op::AtMost, 5.0)]),
                ..AlternativeSpec::default()
            },
        );
        let e = error(&spec, &nine());
        assert_eq!(e.key, "consensus.alternatives.loose");
        assert!(
            e.reason.starts_with("rule `loose`: both `in` and `out` hold"),
            "{e}"
        );
        assert!(
            e.reason
                .ends_with("c5=1 c6=0 c7=0 c8=0 c9=0, unable=0 (1 answer)"),
            "{e}"
        );
    }

    #[test]
    fn unable_answers_are_searched_only_when_included() {
        let in_ = vec![share(1, 9, Op::AtMost, 50.0)];
        let out = vec![share(1, 9, Op::Below, 60.0)];
        // Excluding unable answers, any score makes the share 100%: no contradiction.
        compile(&lists(in_.clone(), out.clone()), &nine());
        // Including them, a panel of one unable answer has 0% and both hold.
        let spec = ConsensusSpec {
            unable: Some("include".into()),
            ..lists(in_.clone(), out.clone())
        };
        let e = error(&spec, &nine());
        assert!(e.reason.ends_with("c9=0, unable=1 (1 answer)"), "{e}");
        // A scale without an unable option never produces unable answers.
        compile(&spec, &scale(1, 9, false));
    }

    #[test]
    fn group_modes_need_responders_in_the_witness() {
        let in_ = vec![stat("n", Op::AtMost, 3.0)];
        let out = vec![stat("n", Op::AtMost, 5.0)];
        let e = error(&lists(in_.clone(), out.clone()), &nine());
        assert!(e.reason.ends_with("unable=0 (0 answers)"), "{e}");
        let each = ConsensusSpec {
            groups: Some("each".into()),
            ..lists(in_, out)
        };
        // `n` conditions are searched over one representative point, the scale's lowest.
        let e = error(&each, &nine());
        assert!(e.reason.contains("c1=1 c2=0"), "{e}");
        assert!(e.reason.ends_with("unable=0 (1 answer)"), "{e}");
    }

    #[test]
    fn wide_scales_are_searched_within_budget() {
        assert_eq!(panel_size(3), 10);
        assert_eq!(panel_size(10), 10); // 1–9 with unable: 184,756 distributions
        assert_eq!(panel_size(12), 10); // 0–10 with unable: 646,646
        assert_eq!(panel_size(13), 9);
        assert_eq!(panel_size(101), 3);
        let wide = scale(0, 100, false);
        let spec = lists(
            vec![stat("median", Op::AtLeast, 70.0), stat("iqr", Op::AtMost, 10.0)],
            vec![stat("median", Op::AtMost, 30.0), stat("iqr", Op::AtMost, 10.0)],
        );
        let started = Instant::now();
        compile(&spec, &wide);
        // Generous: debug builds are slow; release takes a fraction of this.
        assert!(started.elapsed().as_secs() < 30);
        // Share-only rules are searched over ranges, so even 0–100 gets 10 answers.
        let shares = lists(
            vec![share(70, 100, Op::AtLeast, 50.0)],
            vec![share(0, 30, Op::AtLeast, 50.0)],
        );
        let e = error(&shares, &wide);
        assert!(
            e.reason
                .contains("c0=1 c70=1 other points 0, unable=0 (2 answers)"),
            "{e}"
        );
    }

    #[test]
    #[ignore = "timing report; run with `cargo test --release -- --ignored --nocapture`"]
    fn contradiction_search_timing() {
        let statistic_rule = |unable: &str| ConsensusSpec {
            unable: Some(unable.into()),
            ..lists(
                vec![stat("median", Op::AtLeast, 7.0), stat("iqr", Op::AtMost, 2.0)],
                vec![stat("median", Op::AtMost, 3.0), stat("iqr", Op::AtMost, 2.0)],
            )
        };
        let rand_ucla = ConsensusSpec {
            unable: Some("include".into()),
            ..preset("rand-ucla")
        };
        let cases = [
            (
                "1–9 median/iqr, unable included",
                statistic_rule("include"),
                nine(),
            ),
            ("1–9 rand-ucla, unable included", rand_ucla, nine()),
            (
                "0–10 median/iqr, unable included",
                statistic_rule("include"),
                scale(0, 10, true),
            ),
            (
                "0–100 median/iqr",
                statistic_rule("exclude"),
                scale(0, 100, false),
            ),
        ];
        for (label, spec, scale) in cases {
            let started = Instant::now();
            compile(&spec, &scale);
            eprintln!("{label}: {:?}", started.elapsed());
        }
    }

    // ---- groups -----------------------------------------------------------------------------

    #[test]
    fn group_modes() {
        let spec = |groups: &str| ConsensusSpec {
            groups: Some(groups.into()),
            ..preset("comet")
        };
        let pooled = compile(&spec("pooled"), &nine()).primary;
        let each = compile(&spec("each"), &nine()).primary;
        let both = compile(&spec("pooled_and_each"), &nine()).primary;
        let agree = c9([0, 0, 0, 1, 0, 0, 0, 0, 9], 0);
        let lukewarm = c9([0, 0, 0, 4, 0, 0, 0, 0, 6], 0);
        let silent = c9([0; 9], 0);
        let mut all = agree.clone();
        all.merge(&lukewarm).unwrap();
        // Pooled 15 of 20 = 75%: in; the lukewarm group alone (60%) is not.
        assert_eq!(
            pooled.evaluate(&all, &[agree.clone(), lukewarm.clone()]),
            Status::In
        );
        assert_eq!(
            each.evaluate(&all, &[agree.clone(), lukewarm.clone()]),
            Status::None
        );
        assert_eq!(
            both.evaluate(&all, &[agree.clone(), lukewarm.clone()]),
            Status::None
        );
        // A group without responders is skipped.
        assert_eq!(
            each.evaluate(&agree, &[agree.clone(), silent.clone()]),
            Status::In
        );
        assert_eq!(
            both.evaluate(&agree, &[agree.clone(), silent.clone()]),
            Status::In
        );
        // No group with responders: the lists do not hold.
        assert_eq!(each.evaluate(&agree, std::slice::from_ref(&silent)), Status::None);
        assert_eq!(each.evaluate(&agree, &[]), Status::None);
        assert_eq!(both.evaluate(&agree, &[]), Status::None);
        // Pooled must hold too in pooled_and_each.
        assert_eq!(
            both.evaluate(&lukewarm, std::slice::from_ref(&agree)),
            Status::None
        );
        assert_eq!(each.evaluate(&lukewarm, &[agree]), Status::In);
    }

    #[test]
    fn a_group_of_only_unable_answers_responds_when_they_are_included() {
        let spec = ConsensusSpec {
            groups: Some("each".into()),
            unable: Some("include".into()),
            ..preset("comet")
        };
        let rule = compile(&spec, &nine()).primary;
        let agree = c9([0, 0, 0, 0, 0, 0, 0, 0, 10], 0);
        let unable_only = c9([0; 9], 2);
        assert_eq!(
            rule.evaluate(&agree, &[agree.clone(), unable_only.clone()]),
            Status::None
        );
        let exclude = compile(
            &ConsensusSpec {
                groups: Some("each".into()),
                ..preset("comet")
            },
            &nine(),
        )
        .primary;
        assert_eq!(
            exclude.evaluate(&agree, &[agree.clone(), unable_only]),
            Status::In
        );
    }

    // ---- canonical form and hash --------------------------------------------------------------

    #[test]
    fn same_meaning_same_hash() {
        let from_preset = compile(&preset("comet"), &nine());
        let written_out = compile(
            &lists(
                vec![share(1, 3, Op::Below, 15.0), share(7, 9, Op::AtLeast, 70.0)],
                vec![share(7, 9, Op::Below, 15.0), share(1, 3, Op::AtLeast, 70.0)],
            ),
            &nine(),
        );
        assert_eq!(from_preset.canonical_json(), written_out.canonical_json());
        assert_eq!(from_preset.hash(), written_out.hash());
        let hash = from_preset.hash();
        assert_eq!(hash.len(), 64);
        assert!(hash
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));

        let stricter = compile(
            &lists(
                vec![share(1, 3, Op::Below, 15.0), share(7, 9, Op::AtLeast, 75.0)],
                vec![share(7, 9, Op::Below, 15.0), share(1, 3, Op::AtLeast, 70.0)],
            ),
            &nine(),
        );
        assert_ne!(stricter.hash(), hash);
        let six = compile(
            &ConsensusSpec {
                quantiles: Some(6),
                ..preset("comet")
            },
            &nine(),
        );
        assert_ne!(six.hash(), hash);
        let explicit_defaults = compile(
            &ConsensusSpec {
                quantiles: Some(7),
                unable: Some("exclude".into()),
                groups: Some("pooled".into()),
                ..preset("comet")
            },
            &nine(),
        );
        assert_eq!(explicit_defaults.hash(), hash);
        let mut named = preset("comet");
        named.alternatives.insert("x".into(), median_iqr());
        assert_ne!(compile(&named, &nine()).hash(), hash);
    }

    #[test]
    fn canonical_json_is_pinned() {
        // Stored hashes depend on this exact text: changing it needs a new `format` version.
        let rules = compile(&preset("comet"), &nine());
        assert_eq!(
            rules.canonical_json(),
            concat!(
                r#"{"alternatives":{},"format":"delphi.consensus-rules.v1","primary":{"#,
                r#""groups":"pooled","#,
                r#""in":[{"at_least":70.0,"share":[7,9],"with_unable":false},"#,
                r#"{"below":15.0,"share":[1,3],"with_unable":false}],"#,
                r#""out":[{"at_least":70.0,"share":[1,3],"with_unable":false},"#,
                r#"{"below":15.0,"share":[7,9],"with_unable":false}],"#,
                r#""quantiles":7,"unable":"exclude"}}"#
            )
        );
    }

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
