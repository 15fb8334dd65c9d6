//! Raw, unvalidated shapes of the `[scale]` and `[consensus]` tables of a study file
//! (see docs/study-file.md). They mirror the TOML one to one so that serde can reject unknown
//! keys; `Scale::from_spec` and `RuleSet::compile` turn them into validated domain values.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleSpec {
    pub min: i32,
    pub max: i32,
    /// Keys are scale points written as strings in TOML (`{ 1 = "Not important" }`).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub bands: Vec<BandSpec>,
    #[serde(default)]
    pub unable_to_score: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandSpec {
    pub name: String,
    pub from: i32,
    pub to: i32,
}

/// The primary rule (`[consensus]`). Alternatives use the same shape but may not nest further.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsensusSpec {
    pub preset: Option<String>,
    #[serde(rename = "in")]
    pub in_: Option<Vec<ConditionSpec>>,
    pub out: Option<Vec<ConditionSpec>>,
    pub quantiles: Option<u8>,
    pub unable: Option<String>,
    pub groups: Option<String>,
    /// How several criteria make an item's status: `all` (default), `any` or a criterion key.
    /// Written only when given, so that studies without criteria read as before the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combine: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub alternatives: BTreeMap<String, AlternativeSpec>,
}

/// An alternative rule (`[consensus.alternatives.NAME]`): the keys of [`ConsensusSpec`] but
/// `combine` and `alternatives`, written out again because serde's `flatten`, which could share
/// them, does not work with `deny_unknown_fields`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlternativeSpec {
    pub preset: Option<String>,
    #[serde(rename = "in")]
    pub in_: Option<Vec<ConditionSpec>>,
    pub out: Option<Vec<ConditionSpec>>,
    pub quantiles: Option<u8>,
    pub unable: Option<String>,
    pub groups: Option<String>,
}

/// One condition: either `{ share = [lo, hi], <op> = percent, with_unable = bool }` or
/// `{ stat = "median", <op> = value }`; exactly one of the four operators must be given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionSpec {
    pub share: Option<[i32; 2]>,
    pub stat: Option<String>,
    pub at_least: Option<f64>,
    pub above: Option<f64>,
    pub at_most: Option<f64>,
    pub below: Option<f64>,
    pub with_unable: Option<bool>,
}
