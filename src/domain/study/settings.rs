//! What a study runs with, as its study file sets it up: title, language, time zone, scale and
//! consensus specs, round settings, stakeholder groups, sections and where the items come from.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::rounds::RoundsSettings;
use super::texts::StudyTexts;
use super::time_zone::TimeZoneName;
use crate::domain::items_file::ItemRow;
use crate::domain::named::named;
use crate::domain::spec::{ConsensusSpec, ScaleSpec};

named! {
    /// How facilitators see the panel: by pseudonym (E001…) or by name.
    pub enum Anonymity {
        Pseudonymous = "pseudonymous",
        Named = "named",
    }
}

impl Default for Anonymity {
    /// Pseudonyms unless a study says otherwise: the safer choice for an expert panel.
    fn default() -> Self {
        Anonymity::Pseudonymous
    }
}

/// A study file that passed every check that needs nothing but the file itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyFile {
    pub slug: String,
    pub title: String,
    /// Markdown shown to experts on the first page; empty when the file has none.
    pub description: String,
    /// Default language of pages and emails, canonical case (`en`, `pt-BR`).
    pub language: String,
    /// Every language the study is offered in, `language` first; studies stored before the key
    /// existed have none stored and offer their default language only (see `languages()`).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Whether the console shows experts by pseudonym or by name.
    #[serde(default)]
    pub anonymity: Anonymity,
    /// How experts judge the items; studies stored before the key existed are rating studies.
    #[serde(default)]
    pub method: super::Method,
    pub timezone: TimeZoneName,
    pub scale: ScaleSpec,
    pub consensus: ConsensusSpec,
    pub rounds: RoundsSettings,
    /// `[feedback]`: when experts see the group's answers; left out while default.
    #[serde(default, skip_serializing_if = "super::FeedbackSettings::is_default")]
    pub feedback: super::FeedbackSettings,
    pub groups: Vec<Group>,
    pub sections: Vec<Section>,
    pub items: ItemsSource,
    /// Panel file, relative to the study file.
    pub panel: Option<String>,
    /// The study's own texts in its other languages, by language tag.
    #[serde(default)]
    pub translations: BTreeMap<String, StudyTexts>,
    /// `[ranking]`: how a ranking round asks and scores; required by `method = "ranking"`, and
    /// by `round open --ranking` in a rating study.
    /// Left out when absent, so studies without it serialize (JSON export, stored definition)
    /// exactly as before the key existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking: Option<crate::domain::ranking::RankingSettings>,
    /// The criteria every item is rated on, in file order; none (studies stored before the
    /// key existed too) rates each item once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<super::Criterion>,
    /// `[ideas]`: an ideas round may open before round 1; studies stored before the key have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ideas: Option<super::IdeasSettings>,
    /// The criteria of a CHNRI study (`method = "chnri"`); `None` for every other method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chnri: Option<crate::domain::chnri::ChnriSettings>,
}

impl StudyFile {
    /// The languages the study is offered in, its default language first.
    pub fn languages(&self) -> Vec<String> {
        let mut all = vec![self.language.clone()];
        all.extend(self.languages.iter().filter(|l| **l != self.language).cloned());
        all
    }

    /// How the criteria's statuses make an item's (`[consensus] combine`, default `all`).
    pub fn combine(&self) -> super::Combine {
        super::Combine::parse(self.consensus.combine.as_deref().unwrap_or("all"))
    }

    /// The criteria's keys, in file order.
    pub fn criterion_keys(&self) -> Vec<&str> {
        self.criteria.iter().map(|c| c.key.as_str()).collect()
    }

    /// The CHNRI criteria, in file order; empty unless the study's method is CHNRI.
    pub fn chnri_criteria(&self) -> &[crate::domain::chnri::Criterion] {
        self.chnri.as_ref().map_or(&[], |c| c.criteria.as_slice())
    }

    pub fn group_keys(&self) -> BTreeSet<String> {
        self.groups.iter().map(|g| g.key.clone()).collect()
    }

    pub fn section_keys(&self) -> BTreeSet<String> {
        self.sections.iter().map(|s| s.key.clone()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub key: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub key: String,
    pub title: String,
}

/// Where the items come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemsSource {
    /// `[[item]]` tables in the study file (at least one).
    Inline(Vec<ItemRow>),
    /// `items = "items.csv"` (or `.xlsx`), relative to the study file.
    File(String),
}
