//! Consensus rules: the `[consensus]` table compiled into conditions that classify an item as
//! in, out or neither, under one primary rule and any number of named alternatives.
//!
//! Status is **in** when every `in` condition holds and not every `out` condition does, **out**
//! in the mirror case, otherwise **none**. An empty list never holds, so a rule with only `in`
//! conditions classifies items as in or none.

pub mod canonical;
pub mod compile;
pub mod condition;
pub mod contradiction;
pub mod evaluate;
pub mod model;
#[cfg(test)]
mod testing;
pub mod thresholds;

pub use compile::RuleError;
pub use condition::{Condition, Op, ShareCondition, StatName, Threshold};
pub use model::{GroupMode, Preset, Rule, RuleSet, Status, PRIMARY};
pub use thresholds::{band_thresholds, BandThreshold, Thresholds};
