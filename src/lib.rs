//! Delphi: an open-source platform for Delphi-style consensus studies.
//!
//! Every way in — the command line, the web pages, the JSON API and the background workers —
//! calls the same use cases; `db` is the only module that knows the database, and `domain` does
//! no I/O at all.

pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod email;
pub mod export;
pub mod i18n;
pub mod markdown;
pub mod service;
pub mod startup;
pub mod telemetry;
pub mod web;
