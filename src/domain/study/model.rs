//! A study as the platform holds it: who it is, where it stands, and its settings with the
//! scale and consensus rules they define. Every use case works on this; how it is stored is
//! `db`'s business.

use chrono::NaiveDateTime;

use super::{Anonymity, StudyFile};
use crate::domain::named::named;
use crate::domain::rule::RuleSet;
use crate::domain::scale::Scale;

named! {
    /// draft (being set up) → running (round 1 opened) → finished (the stopping rule said so).
    pub enum StudyStatus {
        Draft = "draft",
        Running = "running",
        Finished = "finished",
    }
}

#[derive(Debug, Clone)]
pub struct Study {
    pub id: i64,
    pub slug: String,
    pub title: String,
    /// Markdown.
    pub description: String,
    pub language: String,
    pub timezone: String,
    pub status: StudyStatus,
    pub anonymity: Anonymity,
    /// Set when round 1 opened: the consensus rules can no longer change.
    pub rule_hash: Option<String>,
    pub rule_locked_at: Option<NaiveDateTime>,
    /// Moves with every change to what the study's pages show (caches compare it).
    pub updated_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub finish_reason: Option<String>,
    /// The settings as the study file states them (sections and groups as last edited).
    pub file: StudyFile,
    pub scale: Scale,
    pub rules: RuleSet,
}

impl Study {
    /// A UTC time as the study's people read it, in its time zone.
    pub fn local_time(&self, utc: NaiveDateTime) -> String {
        crate::domain::time::local_time(self.file.timezone.tz(), utc)
    }

    pub fn is_finished(&self) -> bool {
        self.status == StudyStatus::Finished
    }

    /// The scale answers on `criterion` are on: the criterion's own, or the study's (also for
    /// `""`, the single rating of a study without criteria, and for a key it does not have).
    pub fn scale_of(&self, criterion: &str) -> &Scale {
        self.criterion(criterion)
            .map_or(&self.scale, |c| c.scale_or(&self.scale))
    }

    /// The rules that judge `criterion` (every rule for `""` or the study's scale), primary first.
    pub fn rules_of<'a>(&'a self, criterion: &str) -> Vec<(&'a str, &'a crate::domain::rule::Rule)> {
        match self.criterion(criterion) {
            Some(c) => c.rules(&self.rules).collect(),
            None => self.rules.rules().collect(),
        }
    }

    /// The criterion with this key, if the study has it.
    pub fn criterion(&self, key: &str) -> Option<&super::Criterion> {
        self.file.criteria.iter().find(|c| c.key == key)
    }

    /// Whether facilitators see experts' names (else pseudonyms).
    pub fn shows_names(&self) -> bool {
        self.anonymity == Anonymity::Named
    }
}
