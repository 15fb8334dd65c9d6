//! The study file's shape as serde reads it (`deny_unknown_fields`, so a typo is an error rather
//! than an ignored key), and the study written back out in that shape.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::chnri::ChnriSettings;
use crate::domain::items_file::ItemRow;
use crate::domain::round::policy::{CarryForward, InvitePolicy};
use crate::domain::spec::{ConsensusSpec, ScaleSpec};
use crate::domain::study::{Group, ItemsSource, Section, StudyFile, StudyTexts};

impl StudyFile {
    /// The study as TOML, every default written out, so that the file shown "as locked" says
    /// exactly what the study runs with. `parse_study_file` of the result gives `self` back.
    pub fn to_toml_string(&self) -> Result<String, toml::ser::Error> {
        let (items, item) = match &self.items {
            ItemsSource::Inline(rows) => (None, Some(rows.clone())),
            ItemsSource::File(path) => (Some(path.clone()), None),
        };
        let raw = RawStudy {
            slug: self.slug.clone(),
            title: self.title.clone(),
            description: Some(self.description.clone()),
            language: Some(self.language.clone()),
            languages: Some(self.languages()),
            anonymity: Some(self.anonymity.as_str().to_owned()),
            // Left out for rating studies, so that their study.toml reads as before the key.
            method: (self.method != crate::domain::study::Method::Rating)
                .then(|| self.method.as_str().to_owned()),
            timezone: self.timezone.name().to_owned(),
            items,
            panel: self.panel.clone(),
            scale: Some(self.scale.clone()),
            consensus: Some(self.consensus.clone()),
            chnri: self.chnri.clone(),
            rounds: Some(RawRounds {
                max: Some(i64::from(self.rounds.max)),
                carry_forward: Some(self.rounds.carry_forward),
                invite: Some(self.rounds.invite),
                suggestions_in: Some(self.rounds.suggestions_in.iter().map(|&r| i64::from(r)).collect()),
                reason_on_band_change: Some(self.rounds.reason_on_band_change),
                min_group_feedback: Some(i64::from(self.rounds.min_group_feedback)),
                stop_when_all_resolved: Some(self.rounds.stop_when_all_resolved),
                reminders: Some(self.rounds.reminders.iter().map(|r| r.label()).collect()),
                close_at_deadline: Some(self.rounds.close_at_deadline),
            }),
            translations: (!self.translations.is_empty()).then(|| self.translations.clone()),
            group: self.groups.clone(),
            section: self.sections.clone(),
            item,
        };
        toml::to_string(&raw)
    }
}

/// What serde reads. Field order matters for `to_toml_string`: plain keys must come before tables
/// in TOML.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStudy {
    pub(super) slug: String,
    pub(super) title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) languages: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) anonymity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) method: Option<String>,
    pub(super) timezone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) items: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) panel: Option<String>,
    /// Required, except in a CHNRI study, which asks no ratings (see `check_study`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) scale: Option<ScaleSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) consensus: Option<ConsensusSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) rounds: Option<RawRounds>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) chnri: Option<ChnriSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) translations: Option<BTreeMap<String, StudyTexts>>,
    #[serde(default)]
    pub(super) group: Vec<Group>,
    #[serde(default)]
    pub(super) section: Vec<Section>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) item: Option<Vec<ItemRow>>,
}

/// Numbers are read as `i64` so that `max = 0` or `-1` gets a sentence, not a serde type error.
/// Every key may be left out; `to_toml_string` writes them all.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawRounds {
    pub(super) max: Option<i64>,
    pub(super) carry_forward: Option<CarryForward>,
    pub(super) invite: Option<InvitePolicy>,
    pub(super) suggestions_in: Option<Vec<i64>>,
    pub(super) reason_on_band_change: Option<bool>,
    pub(super) min_group_feedback: Option<i64>,
    pub(super) stop_when_all_resolved: Option<bool>,
    pub(super) reminders: Option<Vec<String>>,
    pub(super) close_at_deadline: Option<bool>,
}
