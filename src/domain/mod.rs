//! Pure domain logic: no I/O, no database, no clock reads. Everything here is property-tested.
//!
//! - `study`: a study's settings (`StudyFile`), `round`: the round cycle's policies and decisions,
//!   `answer`: one answer to one item; `chnri`: the CHNRI criteria, answers and scores;
//! - `scale`, `stats`, `rule`, `stability`: docs/statistics.md, computed from counts, compared
//!   exactly;
//! - `spec`, `study_file`, `items_file`, `panel_file`, `responses_file`, `sheet`, `file_error`: the
//!   input files of docs/study-file.md, parsed with errors that name file, line or key, and reason;
//!   `paste`: the same rows pasted into the console one per line, `item_code`: the next free code;
//! - `draw`: the study's seeded random stream; `order`: each expert's page order; `allocation`:
//!   balanced item subsets; `drift`: how far scores moved toward the previous round's median;
//! - `language`: language tags and the supported language a reader gets; `token`: expert link
//!   tokens; `token_bucket`: the arithmetic of the rate limits.
pub mod account;
pub mod allocation;
pub mod answer;
pub mod chnri;
pub mod delivery;
pub mod draw;
pub mod drift;
pub mod file_error;
pub mod item_code;
pub mod items_file;
pub mod language;
pub mod link;
pub mod named;
pub mod order;
pub mod outbox;
pub mod panel_file;
pub mod paste;
pub mod proposals_file;
pub mod ranking;
pub mod responses_file;
pub mod role;
pub mod round;
pub mod rule;
pub mod scale;
pub mod sender_check;
pub mod sheet;
pub mod spec;
pub mod stability;
pub mod stats;
pub mod study;
pub mod study_file;
pub mod suggestion;
pub mod test_expert;
pub mod time;
pub mod token;
pub mod token_bucket;
