//! A ranking round (issue 15, part 3): every expert picks and orders up to `choose` items of the
//! round; position `p` earns `choose − p + 1` points. `settings`: the study file's `[ranking]`;
//! `score`: points, per-group totals, the pooled and equal-groups scores and the ranks, exact;
//! `answers_file`: the `expert,item,position` responses file and the rules one expert's list obeys.

pub mod answers_file;
pub mod score;
pub mod settings;

pub use answers_file::{
    check_list, parse_rankings_csv, validate_rankings, ListProblem, ParsedRankings, RankingRow,
};
pub use score::{score, Ballot, GroupScore, ItemScore, RankingError};
pub use settings::{Combine, RankingSettings};
