//! The study file's shape as serde reads it (`deny_unknown_fields`, so a typo is an error rather
//! than an ignored key), and the study written back out in that shape.

use serde::{Deserialize, Serialize};

use crate::domain::items_file::ItemRow;
use crate::domain::round::policy::{CarryForward, InvitePolicy};
use crate::domain::spec::{ConsensusSpec, ScaleSpec};
use crate::domain::study::{Group, ItemsSource, Section, StudyFile};

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
            timezone: self.timezone.name().to_owned(),
            items,
            panel: self.panel.clone(),
            scale: self.scale.clone(),
            consensus: self.consensus.clone(),
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
    pub(super) timezone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) items: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) panel: Option<String>,
    pub(super) scale: ScaleSpec,
    pub(super) consensus: ConsensusSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) rounds: Option<RawRounds>,
    #[serde(default)]
    pub(super) group: Vec<Group>,
    #[serde(default)]
    pub(super) section: Vec<Section>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) item: Option<Vec<ItemRow>>,
}

/// Numbers are read as `i64` so that `max = 0` or `-1` gets a sentence, not a serde type error.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRounds {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) carry_forward: Option<CarryForward>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) invite: Option<InvitePolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) suggestions_in: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) reason_on_band_change: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) min_group_feedback: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) stop_when_all_resolved: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) reminders: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) close_at_deadline: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::super::parse_study_file;
    use super::super::testing::{parse, EXAMPLE};
    use super::*;
    use crate::domain::study::{RoundsSettings, TimeZoneName};
    use proptest::prelude::*;

    #[test]
    fn example_round_trips_through_toml_and_json() {
        let study = parse(EXAMPLE).unwrap();
        let toml = study.to_toml_string().unwrap();
        assert_eq!(parse(&toml).unwrap(), study, "{toml}");
        let json = serde_json::to_string(&study).unwrap();
        assert_eq!(serde_json::from_str::<StudyFile>(&json).unwrap(), study);
    }

    #[test]
    fn studies_stored_before_reminders_existed_get_the_defaults() {
        let mut stored = serde_json::to_value(parse(EXAMPLE).unwrap()).unwrap();
        let rounds = stored["rounds"].as_object_mut().unwrap();
        rounds.remove("reminders");
        rounds.remove("close_at_deadline");
        let study: StudyFile = serde_json::from_value(stored).unwrap();
        assert_eq!(study.rounds, RoundsSettings::default());
        let labels: Vec<String> = study.rounds.reminders.iter().map(|r| r.label()).collect();
        assert_eq!(labels, ["3d", "1d"]);
        assert!(study.rounds.close_at_deadline);
    }

    // -- property: parse(to_toml(x)) == x for any valid study ----------------------------------

    fn text() -> impl Strategy<Value = String> {
        "[ -~éü血红蛋白\"'\\\\\n\t]{0,20}".prop_filter("non-blank", |s| !s.trim().is_empty())
    }

    fn condition() -> impl Strategy<Value = crate::domain::spec::ConditionSpec> {
        (
            proptest::option::of(any::<[i32; 2]>()),
            proptest::option::of(prop::sample::select(vec!["median", "iqr", "mean"])),
            proptest::option::of(-1.0e6f64..1.0e6),
            proptest::option::of(0u8..100),
            proptest::option::of(any::<bool>()),
        )
            .prop_map(|(share, stat, at_least, below, with_unable)| {
                crate::domain::spec::ConditionSpec {
                    share,
                    stat: stat.map(str::to_owned),
                    at_least,
                    above: None,
                    at_most: None,
                    below: below.map(f64::from),
                    with_unable,
                }
            })
    }

    fn consensus() -> impl Strategy<Value = ConsensusSpec> {
        (
            proptest::option::of("[a-z]{1,8}"),
            proptest::option::of(proptest::collection::vec(condition(), 0..3)),
            proptest::option::of(proptest::collection::vec(condition(), 0..3)),
            proptest::option::of(any::<u8>()),
            proptest::collection::btree_map(
                "[a-z][a-z0-9-]{0,8}",
                (
                    proptest::option::of("[a-z]{1,8}"),
                    proptest::option::of(proptest::collection::vec(condition(), 1..3)),
                )
                    .prop_map(|(preset, in_)| crate::domain::spec::AlternativeSpec {
                        preset,
                        in_,
                        ..Default::default()
                    }),
                0..3,
            ),
        )
            .prop_map(|(preset, in_, out, quantiles, alternatives)| ConsensusSpec {
                preset,
                in_,
                out,
                quantiles,
                unable: Some("exclude".to_owned()),
                groups: None,
                alternatives,
            })
    }

    fn scale() -> impl Strategy<Value = ScaleSpec> {
        (
            any::<i32>(),
            any::<i32>(),
            proptest::collection::btree_map("-?[0-9]{1,3}", text(), 0..4),
            proptest::collection::vec(
                (text(), any::<i32>(), any::<i32>())
                    .prop_map(|(name, from, to)| crate::domain::spec::BandSpec { name, from, to }),
                0..4,
            ),
            any::<bool>(),
        )
            .prop_map(|(min, max, labels, bands, unable_to_score)| ScaleSpec {
                min,
                max,
                labels,
                bands,
                unable_to_score,
            })
    }

    fn item(sections: Vec<String>) -> impl Strategy<Value = ItemRow> {
        (
            prop::sample::select(sections),
            text(),
            proptest::option::of(text()),
            proptest::collection::btree_map(
                prop::sample::select(vec!["fr", "pt-BR", "zh", "es-419"]),
                (text(), proptest::option::of(text())),
                0..3,
            ),
        )
            .prop_map(|(section, text, description, translations)| ItemRow {
                line: 0,
                code: String::new(),
                section,
                text,
                description,
                translations: translations
                    .into_iter()
                    .map(|(lang, (text, description))| {
                        (
                            lang.to_owned(),
                            crate::domain::items_file::Translation { text, description },
                        )
                    })
                    .collect(),
            })
    }

    fn study() -> impl Strategy<Value = StudyFile> {
        let keys = proptest::collection::btree_set("[a-z0-9][a-z0-9_-]{0,10}", 1..4);
        (keys.clone(), keys).prop_flat_map(|(group_keys, section_keys)| {
            let sections: Vec<String> = section_keys.into_iter().collect();
            let items = prop_oneof![
                proptest::collection::vec(item(sections.clone()), 1..4).prop_map(|mut rows| {
                    for (i, row) in rows.iter_mut().enumerate() {
                        row.code = format!("I{i}.x");
                    }
                    ItemsSource::Inline(rows)
                }),
                "[a-z]{1,8}(/[a-z]{1,8})?\\.(csv|xlsx|CSV)".prop_map(ItemsSource::File),
            ];
            let rounds = (
                1u32..6,
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                1u32..10,
                any::<bool>(),
            )
                .prop_flat_map(|(max, c, i, r, s, m, close)| {
                    proptest::collection::btree_set(1..=max, 0..3).prop_map(move |suggest| RoundsSettings {
                        max,
                        carry_forward: if c {
                            CarryForward::All
                        } else {
                            CarryForward::Unresolved
                        },
                        invite: if i {
                            InvitePolicy::All
                        } else {
                            InvitePolicy::PreviousResponders
                        },
                        suggestions_in: suggest.into_iter().collect(),
                        reason_on_band_change: r,
                        min_group_feedback: m,
                        stop_when_all_resolved: s,
                        reminders: if close {
                            RoundsSettings::default().reminders
                        } else {
                            Vec::new()
                        },
                        close_at_deadline: close,
                    })
                });
            (
                "[a-z0-9-]{3,64}",
                text(),
                "[ -~\n]{0,30}",
                prop::sample::select(vec!["en", "fr", "pt-BR", "sw"]),
                prop::sample::select(vec!["UTC", "Africa/Nairobi", "America/Argentina/Buenos_Aires"]),
                scale(),
                consensus(),
                rounds,
                proptest::collection::vec(text(), group_keys.len()),
                items,
                proptest::option::of("[a-z]{1,8}\\.csv"),
                Just((group_keys.clone(), sections.clone())),
            )
                .prop_map(
                    |(
                        slug,
                        title,
                        description,
                        language,
                        tz,
                        scale,
                        consensus,
                        rounds,
                        names,
                        items,
                        panel,
                        (group_keys, sections),
                    )| {
                        StudyFile {
                            slug,
                            title,
                            description,
                            language: language.to_owned(),
                            timezone: TimeZoneName::parse(tz).expect("known zone"),
                            scale,
                            consensus,
                            rounds,
                            groups: group_keys
                                .into_iter()
                                .zip(names)
                                .map(|(key, name)| Group { key, name })
                                .collect(),
                            sections: sections
                                .into_iter()
                                .map(|key| Section {
                                    title: format!("Section {key}"),
                                    key,
                                })
                                .collect(),
                            items,
                            panel,
                        }
                    },
                )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn to_toml_string_round_trips(study in study()) {
            let toml = study.to_toml_string().unwrap();
            let parsed = parse_study_file("study.toml", &toml);
            prop_assert_eq!(parsed.as_ref().ok(), Some(&study), "{}\n{:?}", toml, parsed.as_ref().err());
        }
    }
}
