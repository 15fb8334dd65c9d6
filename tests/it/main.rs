//! The integration suite: one binary, every test against a real server on a random port and a
//! real database of its own (SQLite by default; PostgreSQL when TEST_DATABASE_URL is set).

#[cfg(feature = "browser-tests")]
mod after_rating_in_a_browser;
#[cfg(feature = "browser-tests")]
mod bounces_in_a_browser;
#[cfg(feature = "browser-tests")]
mod browser;
#[cfg(feature = "browser-tests")]
mod chnri_in_a_browser;
#[cfg(feature = "browser-tests")]
mod chnri_study_in_a_browser;
#[cfg(feature = "browser-tests")]
mod closing_priorities_in_a_browser;
#[cfg(feature = "browser-tests")]
mod criteria_in_a_browser;
#[cfg(feature = "browser-tests")]
mod criteria_study_in_a_browser;
#[cfg(feature = "browser-tests")]
mod criterion_scales_in_a_browser;
#[cfg(feature = "browser-tests")]
mod cross_site_in_a_browser;
#[cfg(feature = "browser-tests")]
mod drift_in_a_browser;
#[cfg(feature = "browser-tests")]
mod ideas_in_a_browser;
#[cfg(feature = "browser-tests")]
mod ideas_study_in_a_browser;
#[cfg(feature = "browser-tests")]
mod page_order_in_a_browser;
#[cfg(feature = "browser-tests")]
mod pages_in_a_browser;
#[cfg(feature = "browser-tests")]
mod ranking_in_a_browser;
#[cfg(feature = "browser-tests")]
mod ranking_study_in_a_browser;
#[cfg(feature = "browser-tests")]
mod raters_in_a_browser;
#[cfg(feature = "browser-tests")]
mod responses_import_in_a_browser;
#[cfg(feature = "browser-tests")]
mod sender_check_in_a_browser;
#[cfg(feature = "browser-tests")]
mod setup_in_a_browser;
#[cfg(feature = "browser-tests")]
mod whole_study_in_a_browser;

mod accounts;
mod after_rating;
mod api;
mod architecture;
mod autosave;
mod behind_a_proxy;
mod bias_controls;
mod bounces;
mod chnri;
mod cli;
mod closing;
mod closing_priorities;
mod console;
mod console_content;
mod console_rounds;
mod constraints;
mod content_paste;
mod criteria;
mod criterion_scales;
mod cross_site;
mod dkim;
mod drift;
mod email;
mod emails_page;
mod expert_pages;
mod expert_preview;
mod exports;
mod faults;
mod figure;
mod finishing;
mod first_run;
mod fuzz_corpus;
mod health;
mod ideas;
mod languages;
mod migrations;
mod operations;
mod page_order;
mod ranking;
mod raters;
mod ratings;
mod responses_import;
mod round_control;
mod scheduler;
mod security;
mod sender_check;
mod shared_limits;
mod study_cli;
mod study_errors;
mod study_setup;
mod support;
mod team;
mod test_mode;
mod translations;
