//! The study file's shape as serde reads it (`deny_unknown_fields`, so a typo is an error rather
//! than an ignored key), and the study written back out in that shape.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::chnri::ChnriSettings;
use crate::domain::items_file::ItemRow;
use crate::domain::order::ItemOrder;
use crate::domain::round::policy::{CarryForward, InvitePolicy};
use crate::domain::spec::{ConsensusSpec, ScaleSpec};
use crate::domain::study::{
    Criterion, Group, ItemsSource, Section, StudyFile, StudyTexts, DEFAULT_MIN_RATERS,
};

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
                // Issue 16's keys only when set, so that study.toml reads as before them.
                order: (self.rounds.order != ItemOrder::Fixed).then(|| self.rounds.order.as_str().to_owned()),
                sections_fixed: self.rounds.sections_fixed.then_some(true),
                items_per_expert: self.rounds.items_per_expert.map(i64::from),
                min_raters: (self.rounds.min_raters != DEFAULT_MIN_RATERS)
                    .then(|| i64::from(self.rounds.min_raters)),
                seed: self.rounds.seed.and_then(|seed| i64::try_from(seed).ok()),
            }),
            feedback: (!self.feedback.is_default()).then(|| RawFeedback {
                timing: Some(self.feedback.timing.as_str().to_owned()),
            }),
            ranking: self.ranking.as_ref().map(|r| RawRanking {
                choose: Some(i64::from(r.choose)),
                combine: Some(r.combine.as_str().to_owned()),
                sections: Some(r.sections.clone()),
            }),
            ideas: self.ideas.as_ref().map(|ideas| RawIdeas {
                prompt: ideas.prompt.clone(),
                per_expert: Some(i64::from(ideas.per_expert)),
                sections: Some(ideas.sections.clone()),
            }),
            translations: (!self.translations.is_empty()).then(|| self.translations.clone()),
            criterion: self.criteria.iter().map(RawCriterion::from_criterion).collect(),
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
    pub(super) feedback: Option<RawFeedback>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) ranking: Option<RawRanking>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) ideas: Option<RawIdeas>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) chnri: Option<ChnriSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) translations: Option<BTreeMap<String, StudyTexts>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) criterion: Vec<RawCriterion>,
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
    /// Read as text, like `[feedback] timing`, so that a wrong value gets a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) order: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) sections_fixed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) items_per_expert: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) min_raters: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) seed: Option<i64>,
}

/// `[feedback]`; `timing` read as text so that a wrong value gets a sentence naming the key.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawFeedback {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) timing: Option<String>,
}

/// `[ranking]`; `choose` read as `i64` and `combine` as text so that a wrong value gets a
/// sentence naming the key rather than a serde type error.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawRanking {
    pub(super) choose: Option<i64>,
    pub(super) combine: Option<String>,
    pub(super) sections: Option<Vec<String>>,
}

/// A `[[criterion]]` table. Its translated labels are keys of their own (`label_fr`, like every
/// translated text), so the table cannot deny unknown keys through serde: every key other than
/// the named ones below lands in `other`, and the check refuses those that are not `label_LANG`.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct RawCriterion {
    pub(super) key: String,
    pub(super) label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) rule: Option<String>,
    #[serde(flatten)]
    pub(super) other: BTreeMap<String, String>,
    /// The criterion's own scale, the same form as `[scale]`; left out, the study's. After
    /// `other` so that `to_toml_string` writes the labels before this table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) scale: Option<ScaleSpec>,
}

impl RawCriterion {
    fn from_criterion(criterion: &Criterion) -> RawCriterion {
        RawCriterion {
            key: criterion.key.clone(),
            label: criterion.label.clone(),
            rule: Some(criterion.rule.clone()),
            scale: criterion.scale.clone().map(ScaleSpec::from),
            other: criterion
                .labels
                .iter()
                .map(|(lang, label)| (format!("label_{lang}"), label.clone()))
                .collect(),
        }
    }
}

/// `[ideas]`; `per_expert` read as `i64` so that 0 or -1 gets a sentence.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIdeas {
    pub(super) prompt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) per_expert: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) sections: Option<Vec<String>>,
}
