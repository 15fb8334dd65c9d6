//! Scales, condition specs and counts the rule tests share.

use std::collections::BTreeMap;

use super::compile::RuleError;
use super::condition::Op;
use super::model::RuleSet;
use crate::domain::scale::Scale;
use crate::domain::spec::{AlternativeSpec, ConditionSpec, ConsensusSpec, ScaleSpec};
use crate::domain::stats::Counts;

pub(super) fn scale(min: i32, max: i32, unable_to_score: bool) -> Scale {
    Scale::from_spec(&ScaleSpec {
        min,
        max,
        labels: BTreeMap::new(),
        bands: Vec::new(),
        unable_to_score,
    })
    .unwrap()
}

pub(super) fn nine() -> Scale {
    scale(1, 9, true)
}

pub(super) fn share(lo: i32, hi: i32, op: Op, value: f64) -> ConditionSpec {
    let mut c = ConditionSpec {
        share: Some([lo, hi]),
        ..ConditionSpec::default()
    };
    set_op(&mut c, op, value);
    c
}

pub(super) fn stat(name: &str, op: Op, value: f64) -> ConditionSpec {
    let mut c = ConditionSpec {
        stat: Some(name.to_string()),
        ..ConditionSpec::default()
    };
    set_op(&mut c, op, value);
    c
}

pub(super) fn set_op(c: &mut ConditionSpec, op: Op, value: f64) {
    match op {
        Op::AtLeast => c.at_least = Some(value),
        Op::Above => c.above = Some(value),
        Op::AtMost => c.at_most = Some(value),
        Op::Below => c.below = Some(value),
    }
}

pub(super) fn preset(name: &str) -> ConsensusSpec {
    ConsensusSpec {
        preset: Some(name.to_string()),
        ..ConsensusSpec::default()
    }
}

pub(super) fn lists(in_: Vec<ConditionSpec>, out: Vec<ConditionSpec>) -> ConsensusSpec {
    ConsensusSpec {
        in_: Some(in_),
        out: Some(out),
        ..ConsensusSpec::default()
    }
}

pub(super) fn compile(spec: &ConsensusSpec, scale: &Scale) -> RuleSet {
    RuleSet::compile(spec, scale).unwrap()
}

pub(super) fn error(spec: &ConsensusSpec, scale: &Scale) -> RuleError {
    match RuleSet::compile(spec, scale) {
        Ok(rules) => panic!("expected an error, got {rules:?}"),
        Err(e) => e,
    }
}

/// Counts on 1–9 from per-point counts.
pub(super) fn c9(per_point: [u64; 9], unable: u64) -> Counts {
    Counts::from_slice(1, &per_point, unable)
}

pub(super) fn with_alternative(name: &str, alternative: AlternativeSpec) -> ConsensusSpec {
    let mut spec = preset("comet");
    spec.alternatives.insert(name.to_string(), alternative);
    spec
}

pub(super) fn median_iqr() -> AlternativeSpec {
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
