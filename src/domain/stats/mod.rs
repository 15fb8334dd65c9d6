//! Agreement statistics for one item in one round, computed from per-point counts.
//!
//! Everything is derived from [`Counts`] in time proportional to the number of scale points, so a
//! round of a million ratings costs no more than a round of ten: order statistics are found by
//! walking cumulative counts, never by materialising the sorted scores.
//!
//! Every statistic is first computed as an exact rational ([`Ratio`]) from integer sums and
//! integer quantile positions, then turned into `f64` by a single division. This is what makes
//! the published numbers agree with the definitions to the last digit, and what lets consensus
//! rules compare against thresholds without rounding: a floating `h = (m − 1)·0.3 + 1` can land
//! on 2.9999999 and pick the wrong order statistic, and a floating 7/10 compared with 70% can
//! fall on either side.

pub mod counts;
pub mod display;
pub mod exact;
pub mod moments;
pub mod quantile;
pub mod rand_ucla;
pub mod statistics;
#[cfg(test)]
mod testing;

pub use counts::{Counts, CountsError, UnablePolicy};
pub use exact::{Ratio, Share};
pub use quantile::QuantileType;
pub use rand_ucla::{RandUcla, RandUclaAsymmetry};
pub use statistics::{Figures, Statistics};
