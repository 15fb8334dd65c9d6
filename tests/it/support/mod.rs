//! What the integration tests share: a server on a database of its own, signed-in facilitators,
//! forms, the example study and its rounds, the `delphi` binary, an SMTP relay, emails and files
//! read back, waiting for a condition, a WebDriver client, and a second implementation of the
//! statistics. A helper lives here once it serves more than one test file; test files keep their
//! tests and what is private to them.

pub mod api;
pub mod app;
#[cfg(feature = "browser-tests")]
pub mod browser;
pub mod cli;
pub mod dns;
pub mod drift;
pub mod files;
pub mod fixtures;
#[cfg(feature = "browser-tests")]
pub mod flows;
pub mod forms;
pub mod frac;
pub mod mail;
pub mod rating_page;
pub mod reference_stats;
pub mod rounds;
pub mod sign_in;
pub mod smtp;
pub mod wait;
