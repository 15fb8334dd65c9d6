//! What the integration tests share: a server on a database of its own, signed-in facilitators,
//! the example study and its rounds, the `delphi` binary, an SMTP relay, files read back, and a
//! second implementation of the statistics. A helper lives here once it serves more than one
//! test file; test files keep their tests and what is private to them.

pub mod app;
pub mod cli;
pub mod reference_stats;
pub mod smtp;
