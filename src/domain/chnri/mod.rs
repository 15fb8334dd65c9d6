//! CHNRI scoring (Child Health and Nutrition Research Initiative): experts answer each
//! criterion's questions about each item with yes / informed but undecided / no / don't know, and
//! the answers become criterion scores (CS), a research priority score (RPS), its weighted form
//! (wRPS), the average expert agreement (AEA), a rank and threshold flags (docs/statistics.md,
//! "CHNRI").
//!
//! - `criteria`: the study file's `[[chnri.criterion]]` tables, checked;
//! - `answer`: the four answers and their points;
//! - `score`: the scores, exact rationals, pooled or over one stakeholder group;
//! - `responses`: answers collected on paper, `expert,item,criterion,question,answer`.

pub mod answer;
pub mod criteria;
pub mod responses;
pub mod score;

pub use answer::ChnriAnswer;
pub use criteria::{ChnriSettings, Criterion, CriterionTexts};
pub use score::{rank, score_item, AnswerCount, ItemScores};
