//! The reader's tests, through its entry points: every step of reading (syntax, shape, meaning,
//! inline items, the round trip through TOML) shows in the errors a whole file gets.

use proptest::prelude::*;

use super::parse_study_file;
use crate::domain::file_error::{FileError, FileErrors, Location};
use crate::domain::items_file::ItemRow;
use crate::domain::order::ItemOrder;
use crate::domain::round::policy::{CarryForward, InvitePolicy};
use crate::domain::spec::{ConsensusSpec, ScaleSpec};
use crate::domain::study::{Group, ItemsSource, RoundsSettings, Section, StudyFile, TimeZoneName};

const EXAMPLE: &str = r#"
slug = "lmn-2024"
title = "Lactation and Micronutrient Needs"
description = "..."
language = "en"
timezone = "Africa/Nairobi"
panel = "panel.csv"

[scale]
min = 1
max = 9
labels = { 1 = "Not important", 5 = "Important but not critical", 9 = "Critical" }
bands = [
  { name = "Not important", from = 1, to = 3 },
  { name = "Important but not critical", from = 4, to = 6 },
  { name = "Critical", from = 7, to = 9 },
]
unable_to_score = true

[consensus]
preset = "comet"
quantiles = 7
unable = "exclude"
groups = "pooled"

[consensus.alternatives.median-iqr]
in  = [ { stat = "median", at_least = 7 }, { stat = "iqr", at_most = 2 } ]
out = [ { stat = "median", at_most = 3 }, { stat = "iqr", at_most = 2 } ]

[rounds]
max = 3
carry_forward = "unresolved"
invite = "previous_responders"
suggestions_in = [1]
reason_on_band_change = true
min_group_feedback = 3
stop_when_all_resolved = true

[[group]]
key = "researcher"
name = "Researchers"

[[group]]
key = "practitioner"
name = "Practitioners and programme managers"

[[section]]
key = "maternal"
title = "Maternal health and nutritional status indicators"

[[item]]
code = "M01"
section = "maternal"
text = "Haemoglobin concentration"
description = "..."
"#;

fn parse(content: &str) -> Result<StudyFile, FileErrors> {
    parse_study_file("study.toml", content)
}

fn errors(content: &str) -> Vec<FileError> {
    match parse(content) {
        Ok(study) => panic!("expected errors, got {study:?}"),
        Err(errors) => errors.into_vec(),
    }
}

fn key(path: &str) -> Location {
    Location::Key(path.to_owned())
}

/// Asserts that `error` is at key `at` and that its reason says `says`.
#[track_caller]
fn assert_error(error: &FileError, at: &str, says: &str) {
    assert_eq!(error.location, key(at), "{error}");
    assert!(error.reason.contains(says), "{error}");
}

/// The example with `from` replaced by `to` (which must occur exactly once).
#[track_caller]
fn edited(from: &str, to: &str) -> String {
    replaced_once(EXAMPLE, from, to)
}

/// `base` with `from` replaced by `to`; `from` must occur exactly once, so that an edit never
/// silently misses (or hits twice) after the example changes.
#[track_caller]
fn replaced_once(base: &str, from: &str, to: &str) -> String {
    assert_eq!(base.matches(from).count(), 1, "{from}");
    base.replace(from, to)
}

#[test]
fn the_example_parses() {
    let study = parse(EXAMPLE).unwrap();
    assert_eq!(study.slug, "lmn-2024");
    assert_eq!(study.timezone.name(), "Africa/Nairobi");
    assert_eq!(study.scale.max, 9);
    assert_eq!(study.scale.bands.len(), 3);
    assert_eq!(study.consensus.preset.as_deref(), Some("comet"));
    assert!(study.consensus.alternatives.contains_key("median-iqr"));
    assert_eq!(study.rounds, RoundsSettings::default());
    assert_eq!(study.groups.len(), 2);
    let ItemsSource::Inline(items) = &study.items else {
        panic!("inline items expected")
    };
    assert_eq!(items[0].code, "M01");
    assert_eq!(study.panel.as_deref(), Some("panel.csv"));
}

#[test]
fn defaults_fill_in_absent_keys() {
    let content = r#"
slug = "abc"
title = "T"
timezone = "UTC"
items = "items.xlsx"
[scale]
min = 1
max = 9
[consensus]
preset = "comet"
[[group]]
key = "g"
name = "G"
[[section]]
key = "s"
title = "S"
"#;
    let study = parse(content).unwrap();
    assert_eq!(study.rounds, RoundsSettings::default());
    assert_eq!(study.language, "en");
    assert_eq!(study.description, "");
    assert_eq!(study.items, ItemsSource::File("items.xlsx".to_owned()));
    assert_eq!(study.panel, None);
}

#[test]
fn unknown_keys_are_named_with_the_expected_ones() {
    let e = errors(&edited("slug = ", "slgu = \"x\"\nslug = "));
    assert_eq!(e[0].location, key("slgu"));
    assert!(
        e[0].reason.starts_with("unknown key `slgu`, expected one of"),
        "{}",
        e[0]
    );
    assert!(
        e[0].reason.contains("`slug`") && e[0].reason.ends_with("(line 2)"),
        "{}",
        e[0]
    );

    let e = errors(&edited("max = 3", "maxx = 3"));
    assert_error(&e[0], "rounds.maxx", "`carry_forward`");

    let e = errors(&edited("text = \"Haemoglobin", "txet = \"Haemoglobin"));
    assert_error(&e[0], "item[1].txet", "unknown key `txet`");

    let e = errors(&edited("unable_to_score = true", "unable_to_scor = true"));
    assert_eq!(e[0].location, key("scale.unable_to_scor"));

    let e = errors(&edited(
        "{ stat = \"iqr\", at_most = 2 } ]\nout",
        "{ stat = \"iqr\", at_mots = 2 } ]\nout",
    ));
    assert_eq!(
        e[0].location,
        key("consensus.alternatives.median-iqr.in[2].at_mots")
    );
}

#[test]
fn a_top_level_key_after_item_tables_gets_a_hint() {
    // The spec's own example ends with `panel = ...` below `[[item]]`: TOML puts it into
    // that item, so the error must explain why a valid-looking key is "unknown".
    let content = EXAMPLE.replace("panel = \"panel.csv\"\n", "") + "\npanel = \"panel.csv\"\n";
    let e = errors(&content);
    assert_eq!(e.len(), 1);
    assert_error(&e[0], "item[1].panel", "move `panel` above the first table");
}

#[test]
fn wrong_types_and_missing_keys_name_the_key() {
    // (replace, by, the key named, what its reason says)
    let cases = [
        ("max = 9", "max = \"nine\"", "scale.max", "expected an integer"),
        (
            "carry_forward = \"unresolved\"",
            "carry_forward = \"some\"",
            "rounds.carry_forward",
            "\"some\" is not one of unresolved, all",
        ),
        ("min = 1\n", "", "scale.min", "missing required key `min`"),
        (
            "timezone = \"Africa/Nairobi\"\n",
            "",
            "timezone",
            "missing required key `timezone`",
        ),
        (
            "quantiles = 7",
            "quantiles = 700",
            "consensus.quantiles",
            "from 0 to 255",
        ),
        (
            "[rounds]\nmax = 3",
            "[rounds.max]",
            "rounds.max",
            "invalid type: table, expected an integer",
        ),
        ("[[section]]", "[section]", "section", "expected an array"),
        (
            "timezone = \"Africa/Nairobi\"",
            "timezone = \"Africa/Nairobi\"\nitems = \"items.csv\"",
            "items",
            "not both",
        ),
        (
            "timezone = \"Africa/Nairobi\"",
            "timezone = \"Africa/Nairobi\"\nitems = [ { code = \"A\" } ]",
            "items",
            "[[item]] tables",
        ),
    ];
    for (from, to, at, says) in cases {
        assert_error(&errors(&edited(from, to))[0], at, says);
    }
    let e = errors(&edited("max = 9", "max = \"nine\""));
    assert!(e[0].reason.ends_with("(line 11)"), "{}", e[0]);
}

#[test]
fn share_must_be_a_pair() {
    let e = errors(&edited(
        "preset = \"comet\"",
        "in = [ { share = [7, 9], at_least = 70 }, { share = [1, 2, 3], below = 15 } ]",
    ));
    assert_eq!(e.len(), 1);
    assert_error(&e[0], "consensus.in[2].share", "found 3 values");
}

#[test]
fn syntax_errors_give_the_line() {
    let e = errors("slug = \"abc\"\ntitle = \"unterminated\n");
    assert_eq!(e[0].location, Location::Line(2));
    let e = errors("a = [\nb = 1\nc = \"x\n");
    let lines: Vec<&Location> = e.iter().map(|e| &e.location).collect();
    assert_eq!(lines, vec![&Location::Line(2), &Location::Line(3)]);
    let e = errors("slug = \"abc\"\nslug = \"def\"\n");
    assert_eq!(e[0].location, Location::Line(2));
    assert!(e[0].reason.contains("duplicate key"), "{}", e[0]);
}

#[test]
fn semantic_errors_are_all_collected() {
    let content = edited("slug = \"lmn-2024\"", "slug = \"LMN 2024\"")
        .replace("timezone = \"Africa/Nairobi\"", "timezone = \"Africa/Nairobbi\"")
        .replace("language = \"en\"", "language = \"english\"")
        .replace("max = 3", "max = 0")
        .replace("min_group_feedback = 3", "min_group_feedback = 0")
        .replace("key = \"practitioner\"", "key = \"researcher\"");
    let e = errors(&content);
    let locations: Vec<&Location> = e.iter().map(|e| &e.location).collect();
    assert_eq!(
        locations,
        vec![
            &key("slug"),
            &key("language"),
            &key("timezone"),
            &key("rounds.max"),
            &key("rounds.min_group_feedback"),
            &key("group[2].key"),
        ]
    );
    assert_eq!(
        e[0].to_string(),
        "study.toml: key `slug`: `LMN 2024` is not a valid slug: use 3 to 64 lower-case \
         letters, digits and `-` (line 2)"
    );
    assert!(e[2].reason.contains("is not an IANA time zone name"), "{}", e[2]);
    assert!(e[5].reason.contains("already the key of group[1]"), "{}", e[5]);
}

#[test]
fn reminders_and_automatic_close() {
    let study = parse(&edited(
        "stop_when_all_resolved = true",
        "stop_when_all_resolved = true\nreminders = [\"12h\", \"2d\"]\nclose_at_deadline = false",
    ))
    .unwrap();
    let labels: Vec<String> = study.rounds.reminders.iter().map(|r| r.label()).collect();
    assert_eq!(labels, ["2d", "12h"], "earliest first");
    assert!(!study.rounds.close_at_deadline);
    let none = parse(&edited(
        "stop_when_all_resolved = true",
        "stop_when_all_resolved = true\nreminders = []",
    ))
    .unwrap();
    assert!(none.rounds.reminders.is_empty());

    let e = errors(&edited(
        "stop_when_all_resolved = true",
        "stop_when_all_resolved = true\nreminders = [\"3d\", \"3 days\", \"72h\"]",
    ));
    assert_eq!(e.len(), 2, "{e:?}");
    assert_error(
        &e[0],
        "rounds.reminders",
        "`3 days` is not a time before the deadline",
    );
    assert!(
        e[1].reason
            .contains("`72h` is the same time before the deadline as `3d`"),
        "{}",
        e[1]
    );

    let e = errors(&edited(
        "stop_when_all_resolved = true",
        "stop_when_all_resolved = true\nclose_at_deadline = \"yes\"",
    ));
    assert_eq!(e[0].location, key("rounds.close_at_deadline"));
    let e = errors(&edited(
        "stop_when_all_resolved = true",
        "stop_when_all_resolved = true\nreminder = [\"1d\"]",
    ));
    assert_eq!(e[0].location, key("rounds.reminder"));
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

#[test]
fn time_zone_case_mistakes_get_a_suggestion() {
    let e = errors(&edited("Africa/Nairobi", "africa/nairobi"));
    assert!(e[0].reason.contains("did you mean `Africa/Nairobi`?"), "{}", e[0]);
}

#[test]
fn duplicate_section_and_unknown_item_section() {
    let content = edited(
        "[[item]]",
        "[[section]]\nkey = \"maternal\"\ntitle = \"Again\"\n\n[[item]]",
    )
    .replace("section = \"maternal\"", "section = \"infant\"");
    let e = errors(&content);
    assert_error(&e[0], "section[2].key", "already the key of section[1]");
    assert_eq!(e[1].location, key("item[1].section"));
    assert!(
        e[1].reason
            .starts_with("`infant` is not the key of a [[section]] (known: maternal)"),
        "{}",
        e[1]
    );
}

#[test]
fn item_checks_are_shared_with_tables() {
    let content = EXAMPLE.replace("code = \"M01\"", "code = \"M 01\"").replace(
        "text = \"Haemoglobin concentration\"",
        "text = \"  \"\ntranslations = { french = { text = \"x\" }, fr = { text = \"\" } }",
    );
    let e = errors(&content);
    let locations: Vec<&Location> = e.iter().map(|e| &e.location).collect();
    assert_eq!(
        locations,
        vec![
            &key("item[1].translations.french"),
            &key("item[1].code"),
            &key("item[1].text"),
            &key("item[1].translations.fr.text"),
        ]
    );
}

#[test]
fn duplicate_item_codes_name_both_items() {
    let content =
        EXAMPLE.to_owned() + "\n[[item]]\ncode = \"m01\"\nsection = \"maternal\"\ntext = \"Again\"\n";
    let e = errors(&content);
    assert_error(&e[0], "item[2].code", "differs only in case from `M01` (item[1])");
}

#[test]
fn no_groups_no_sections_no_items() {
    let content = r#"
slug = "abc"
title = "T"
timezone = "UTC"
[scale]
min = 1
max = 9
[consensus]
"#;
    let e = errors(content);
    let locations: Vec<&Location> = e.iter().map(|e| &e.location).collect();
    assert_eq!(locations, vec![&key("group"), &key("section"), &key("items")]);
}

#[test]
fn file_references_must_stay_inside_the_folder() {
    for bad in [
        "/etc/panel.csv",
        "../panel.csv",
        "a/../../p.csv",
        "C:\\p.csv",
        "panel.txt",
        "",
    ] {
        let content = edited("panel = \"panel.csv\"", &format!("panel = {bad:?}"));
        let e = errors(&content);
        assert_eq!(e[0].location, key("panel"), "{bad}");
    }
}

#[test]
fn example_round_trips_through_toml_and_json() {
    let study = parse(EXAMPLE).unwrap();
    let toml = study.to_toml_string().unwrap();
    assert_eq!(parse(&toml).unwrap(), study, "{toml}");
    let json = serde_json::to_string(&study).unwrap();
    assert_eq!(serde_json::from_str::<StudyFile>(&json).unwrap(), study);
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
        .prop_map(
            |(share, stat, at_least, below, with_unable)| crate::domain::spec::ConditionSpec {
                share,
                stat: stat.map(str::to_owned),
                at_least,
                above: None,
                at_most: None,
                below: below.map(f64::from),
                with_unable,
            },
        )
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
            combine: None,
        })
}

fn scale() -> impl Strategy<Value = ScaleSpec> {
    (
        any::<i32>(),
        any::<i32>(),
        proptest::collection::btree_map("-?[0-9]{1,3}", text(), 0..4),
        proptest::collection::vec(
            (text(), any::<i32>(), any::<i32>()).prop_map(|(name, from, to)| crate::domain::spec::BandSpec {
                name,
                from,
                to,
            }),
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
            (
                any::<bool>(),
                any::<bool>(),
                proptest::option::of(1u32..40),
                1u32..8,
            ),
            proptest::option::of(0..=i64::MAX),
        )
            .prop_flat_map(
                |(max, c, i, r, s, m, close, (random, fixed, per_expert, min), seed)| {
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
                        order: if random {
                            ItemOrder::Random
                        } else {
                            ItemOrder::Fixed
                        },
                        sections_fixed: random && fixed,
                        items_per_expert: per_expert,
                        // The default unless there are subsets, the only case the key is allowed.
                        min_raters: per_expert.map_or(crate::domain::study::DEFAULT_MIN_RATERS, |_| min),
                        seed: seed.map(|n| n.unsigned_abs()),
                    })
                },
            );
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
                    // Derived from other drawn values: proptest tuples stop at twelve.
                    let mut languages = vec![language.to_owned()];
                    if language != "fr" && title.len() % 2 == 1 {
                        languages.push("fr".to_owned());
                    }
                    let anonymity = if slug.len() % 2 == 0 {
                        crate::domain::study::Anonymity::Named
                    } else {
                        crate::domain::study::Anonymity::Pseudonymous
                    };
                    let ranking = (slug.len() % 3 != 0).then(|| crate::domain::ranking::RankingSettings {
                        choose: (title.len() % 7) as u32 + 1,
                        combine: if title.len() % 2 == 0 {
                            crate::domain::ranking::Combine::Pooled
                        } else {
                            crate::domain::ranking::Combine::EqualGroups
                        },
                        sections: sections.iter().take(slug.len() % 2).cloned().collect(),
                    });
                    // Criteria in about a third of the studies, with every way of combining them,
                    // translated labels and a criterion judged by an alternative rule.
                    let mut consensus = consensus;
                    let mut criteria = Vec::new();
                    if slug.len() % 3 == 0 {
                        let labels = if languages.len() > 1 {
                            [("fr".to_owned(), format!("{title} (fr)"))].into()
                        } else {
                            Default::default()
                        };
                        criteria.push(crate::domain::study::Criterion {
                            key: "importance".into(),
                            label: title.clone(),
                            labels,
                            rule: crate::domain::rule::PRIMARY.into(),
                            scale: None,
                        });
                        criteria.push(crate::domain::study::Criterion {
                            key: "feasibility_2".into(),
                            label: format!("{title} ?"),
                            labels: Default::default(),
                            rule: consensus
                                .alternatives
                                .keys()
                                .next()
                                .cloned()
                                .unwrap_or_else(|| crate::domain::rule::PRIMARY.into()),
                            scale: None,
                        });
                        let ways = ["all", "any", "feasibility_2"];
                        consensus.combine = Some(ways[title.len() % 3].to_owned());
                    }
                    // Some studies have [ideas] over their first section.
                    let ideas = (title.len() % 3 == 0).then(|| crate::domain::study::IdeasSettings {
                        prompt: format!("What is missing from {title}?"),
                        per_expert: (description.len() % 7) as u32 + 1,
                        sections: sections.iter().take(1).cloned().collect(),
                    });
                    // After rating in about a quarter of the studies.
                    let timing = if title.len() % 4 == 1 {
                        crate::domain::study::FeedbackTiming::AfterRating
                    } else {
                        crate::domain::study::FeedbackTiming::Before
                    };
                    StudyFile {
                        criteria,
                        ranking,
                        ideas,
                        slug,
                        title,
                        description,
                        language: language.to_owned(),
                        languages,
                        anonymity,
                        method: crate::domain::study::Method::Rating,
                        chnri: None,
                        timezone: TimeZoneName::parse(tz).expect("known zone"),
                        scale,
                        consensus,
                        rounds,
                        feedback: crate::domain::study::FeedbackSettings { timing },
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
                        translations: Default::default(),
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

#[test]
fn languages_anonymity_and_translations_are_checked_by_key() {
    let file = edited(
        "language = \"en\"",
        "language = \"en\"\nlanguages = [\"en\", \"fr\", \"fr\", \"x!\"]\nanonymity = \"open\"",
    );
    let e = errors(&file);
    let at = |k: &str| e.iter().filter(|e| e.location == key(k)).count();
    assert_eq!(at("languages"), 2, "{e:?}");
    assert_eq!(at("anonymity"), 1, "{e:?}");

    let translated = format!(
        "{}\n[translations.fr]\nsections = {{ nowhere = \"Nulle part\" }}\nscale_labels = {{ 10 = \"Dix\" }}\n\n[translations.en]\ntitle = \"Same\"\n",
        edited("language = \"en\"", "language = \"en\"\nlanguages = [\"en\", \"fr\"]")
    );
    let e = errors(&translated);
    let reasons: Vec<String> = e.iter().map(|e| e.to_string()).collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("there is no section `nowhere`")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("`10` is not a point of the scale")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("`en` is the study's main language")),
        "{reasons:?}"
    );
}

#[test]
fn the_method_defaults_to_rating_and_is_checked() {
    assert_eq!(
        parse(EXAMPLE).unwrap().method,
        crate::domain::study::Method::Rating
    );
    let found = errors(&edited("timezone = ", "method = \"delphi\"\ntimezone = "));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_error(&found[0], "method", "`delphi`");
}

#[test]
fn ranking_is_read_with_its_default_and_checked_by_key() {
    let ranked = parse(&format!("{EXAMPLE}\n[ranking]\nchoose = 3\n")).unwrap();
    let settings = ranked.ranking.clone().unwrap();
    assert_eq!(settings.choose, 3);
    assert_eq!(settings.combine, crate::domain::ranking::Combine::EqualGroups);
    assert!(settings.sections.is_empty());
    let again = parse(&ranked.to_toml_string().unwrap()).unwrap();
    assert_eq!(again, ranked);

    let wrong = format!(
        "{EXAMPLE}\n[ranking]\nchoose = 0\ncombine = \"sum\"\nsections = [\"maternal\", \"nowhere\", \"maternal\"]\n"
    );
    let e = errors(&wrong);
    let at = |k: &str| e.iter().filter(|e| e.location == key(k)).count();
    assert_eq!(at("ranking.choose"), 1, "{e:?}");
    assert_eq!(at("ranking.combine"), 1, "{e:?}");
    assert_eq!(at("ranking.sections[2]"), 1, "{e:?}");
    assert_eq!(at("ranking.sections[3]"), 1, "{e:?}");
    assert!(e.iter().any(|e| e.to_string().contains("line")), "{e:?}");

    let typo = errors(&format!("{EXAMPLE}\n[ranking]\nchose = 3\n"));
    assert_eq!(typo.len(), 1, "{typo:?}");
    assert!(typo[0].to_string().contains("chose"), "{typo:?}");

    let bare = errors(&edited("timezone = ", "method = \"ranking\"\ntimezone = "));
    assert_eq!(bare.len(), 1, "{bare:?}");
    assert_eq!(bare[0].location, key("ranking"));
    let study = parse(&format!(
        "{}\n[ranking]\nchoose = 2\ncombine = \"pooled\"\n",
        edited("timezone = ", "method = \"ranking\"\ntimezone = ")
    ))
    .unwrap();
    assert_eq!(
        study.ranking.map(|r| r.combine),
        Some(crate::domain::ranking::Combine::Pooled)
    );
}

const CRITERIA: &str = r#"
[[criterion]]
key = "importance"
label = "How important is this indicator?"
label_fr = "Quelle est l'importance de cet indicateur ?"

[[criterion]]
key = "feasibility"
label = "How feasible is it to measure in routine programmes?"
rule = "median-iqr"
"#;

/// The example with two criteria and `languages` that include French.
fn with_criteria(combine: &str) -> String {
    let languages = edited(
        "language = \"en\"",
        "language = \"en\"\nlanguages = [\"en\", \"fr\"]",
    );
    let combine = combine.replace("groups = \"pooled\"", "");
    format!(
        "{}{CRITERIA}",
        languages.replace("groups = \"pooled\"", &format!("groups = \"pooled\"\n{combine}"))
    )
}

#[test]
fn criteria_are_read_with_their_labels_rules_and_combine() {
    let study = parse(&with_criteria("")).unwrap();
    assert_eq!(study.criterion_keys(), ["importance", "feasibility"]);
    assert_eq!(study.criteria[0].rule, "primary");
    assert_eq!(study.criteria[1].rule, "median-iqr");
    assert_eq!(
        study.criteria[0].label_in("fr"),
        "Quelle est l'importance de cet indicateur ?"
    );
    // Left out, `combine` is "all", and written out so that the locked file says it.
    assert_eq!(study.combine(), crate::domain::study::Combine::All);
    assert_eq!(study.consensus.combine.as_deref(), Some("all"));
    let toml = study.to_toml_string().unwrap();
    assert!(toml.contains("combine = \"all\""), "{toml}");
    assert!(toml.contains("label_fr = "), "{toml}");
    assert_eq!(parse(&toml).unwrap(), study, "{toml}");
    let json = serde_json::to_value(&study).unwrap();
    assert_eq!(serde_json::from_value::<StudyFile>(json).unwrap(), study);

    let by_one = parse(&with_criteria("combine = \"feasibility\"")).unwrap();
    assert_eq!(
        by_one.combine(),
        crate::domain::study::Combine::Criterion("feasibility".into())
    );
    // A study without criteria reads and writes as before the key.
    let plain = parse(EXAMPLE).unwrap();
    assert!(plain.criteria.is_empty());
    assert!(!plain.to_toml_string().unwrap().contains("combine"));
}

#[test]
fn criterion_mistakes_are_named_by_key_path() {
    let found = errors(&with_criteria("combine = \"cost\""));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].location, key("consensus.combine"));
    assert!(
        found[0].reason.contains("`cost`") && found[0].reason.contains("importance, feasibility"),
        "{}",
        found[0].reason
    );

    let bad = with_criteria("")
        .replace("key = \"feasibility\"", "key = \"importance\"")
        .replace(
            "rule = \"median-iqr\"",
            "rule = \"strict\"\nlabel_de = \"Wie?\"\nweight = \"2\"\nscale = { min = 5, max = 1 }",
        );
    let found = errors(&bad);
    let at: Vec<_> = found.iter().map(|e| e.location.clone()).collect();
    for path in [
        "criterion[2].key",
        "criterion[2].rule",
        "criterion[2].label_de",
        "criterion[2].weight",
        "criterion[2].scale.max",
    ] {
        assert!(at.contains(&key(path)), "{path} not in {found:?}");
    }
    let found = errors(&with_criteria("").replace("key = \"importance\"", "key = \"Importance-1\""));
    assert_eq!(found[0].location, key("criterion[1].key"));
    // `combine` naming a key needs criteria.
    let found = errors(&edited(
        "groups = \"pooled\"",
        "groups = \"pooled\"\ncombine = \"importance\"",
    ));
    assert_error(&found[0], "consensus.combine", "no [[criterion]]");
}

/// The example with a feasibility criterion on a 1–5 scale of its own, judged by `rule`.
fn with_feasibility_scale(rule: &str, scale: &str) -> String {
    with_criteria("")
        .replace(
            "rule = \"median-iqr\"",
            &format!("rule = \"{rule}\"\nscale = {scale}"),
        )
        .replace(
            "[rounds]",
            "[consensus.alternatives.feasible]\n\
             in = [ { share = [4, 5], at_least = 70 } ]\n\
             out = [ { share = [1, 2], at_least = 70 } ]\n\n\
             [consensus.alternatives.high]\n\
             in = [ { stat = \"median\", at_least = 7 } ]\n\n[rounds]",
        )
}

const FIVE_POINTS: &str = r#"{ min = 1, max = 5, labels = { 1 = "Not feasible", 5 = "Very feasible" }, bands = [ { name = "Low", from = 1, to = 2 }, { name = "High", from = 4, to = 5 } ] }"#;

#[test]
fn a_criterion_reads_its_own_scale_and_writes_it_back() {
    let study = parse(&with_feasibility_scale("feasible", FIVE_POINTS)).unwrap();
    let own = study.criteria[1]
        .scale
        .as_ref()
        .expect("feasibility has its own scale");
    assert_eq!((own.min(), own.max()), (1, 5));
    assert_eq!(own.label(5), Some("Very feasible"));
    assert_eq!(own.bands().len(), 2);
    // Importance keeps the study's scale.
    assert_eq!(study.criteria[0].scale, None);
    let toml = study.to_toml_string().unwrap();
    assert_eq!(parse(&toml).unwrap(), study, "{toml}");
    let json = serde_json::to_value(&study).unwrap();
    assert_eq!(json["criteria"][1]["scale"]["max"], 5, "{json}");
    assert_eq!(serde_json::from_value::<StudyFile>(json).unwrap(), study);
    // Judged by the rules that fit 1–5: not COMET (shares of 7–9) nor a median of at least 7.
    let rules = crate::domain::rule::RuleSet::compile(
        &study.consensus,
        &crate::domain::scale::Scale::from_spec(&study.scale).unwrap(),
    )
    .unwrap();
    let names: Vec<&str> = study.criteria[1].rules(&rules).map(|(name, _)| name).collect();
    assert_eq!(names, ["feasible"]);
    assert_eq!(study.criteria[0].rules(&rules).count(), 4);
}

#[test]
fn a_criterion_scale_and_its_rule_are_checked_by_key() {
    // The scale's own problems, under the criterion's key.
    for (scale, path) in [
        ("{ min = 5, max = 5 }", "criterion[2].scale.max"),
        (
            "{ min = 1, max = 5, bands = [ { name = \"Low\", from = 1, to = 7 } ] }",
            "criterion[2].scale.bands[1].to",
        ),
        (
            "{ min = 1, max = 5, labels = { 9 = \"Very\" } }",
            "criterion[2].scale.labels.9",
        ),
    ] {
        let found = errors(&with_feasibility_scale("feasible", scale));
        assert_eq!(found.len(), 1, "{scale}: {found:?}");
        assert_eq!(found[0].location, key(path), "{found:?}");
    }
    // Its rule must fit it: the primary COMET rule counts 7–9, which 1–5 has not.
    let found = errors(&with_feasibility_scale("primary", FIVE_POINTS));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].location, key("criterion[2].scale"));
    for part in ["`primary`", "consensus", "1–5", "comet"] {
        assert!(found[0].reason.contains(part), "{part}: {}", found[0].reason);
    }
    // A threshold on the scores beyond its end (median ≥ 7 on 1–5) names the alternative.
    let found = errors(&with_feasibility_scale("high", FIVE_POINTS));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].location, key("criterion[2].scale"));
    assert!(
        found[0].reason.contains("consensus.alternatives.high") && found[0].reason.contains("outside 1–5"),
        "{}",
        found[0].reason
    );
    // A share range outside it: the condition's own key is named.
    let found =
        errors(&with_feasibility_scale("feasible", FIVE_POINTS).replace("share = [4, 5]", "share = [4, 6]"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .reason
            .contains("consensus.alternatives.feasible.in[1].share"),
        "{}",
        found[0].reason
    );
}

#[test]
fn criteria_read_from_json_as_from_toml() {
    let study = parse(&with_criteria("combine = \"any\"")).unwrap();
    let mut json = serde_json::json!({
        "slug": "lmn-2024",
        "title": "Criteria",
        "timezone": "UTC",
        "languages": ["en", "fr"],
        "scale": { "min": 1, "max": 9 },
        "consensus": { "preset": "comet", "combine": "any" },
        "group": [{ "key": "researcher", "name": "Researchers" }],
        "section": [{ "key": "maternal", "title": "Maternal" }],
        "item": [{ "code": "M01", "section": "maternal", "text": "Haemoglobin" }],
        "criterion": [
            { "key": "importance", "label": "How important?", "label_fr": "Quelle importance ?" },
            { "key": "feasibility", "label": "How feasible?", "rule": "strict" },
        ],
    });
    let found = match super::parse_study_json("study", json.clone()) {
        Ok(study) => panic!("expected errors, got {study:?}"),
        Err(errors) => errors.into_vec(),
    };
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].location, key("criterion[2].rule"));
    assert_eq!(study.combine(), crate::domain::study::Combine::Any);
    json["criterion"][1]["rule"] = serde_json::json!("primary");
    let read = super::parse_study_json("study", json).unwrap();
    assert_eq!(read.criterion_keys(), ["importance", "feasibility"]);
    assert_eq!(read.criteria[0].label_in("fr"), "Quelle importance ?");
    assert_eq!(read.combine(), crate::domain::study::Combine::Any);
}

/// The example with `[ideas]` (and a second section) before the first `[[group]]`.
fn with_ideas(ideas: &str) -> String {
    edited(
        "[[group]]\nkey = \"researcher\"",
        &format!("{ideas}\n[[section]]\nkey = \"priorities\"\ntitle = \"Research priorities\"\n\n[[group]]\nkey = \"researcher\""),
    )
}

#[test]
fn ideas_default_to_five_per_expert_in_every_section() {
    assert_eq!(parse(EXAMPLE).unwrap().ideas, None);
    let study = parse(&with_ideas("[ideas]\nprompt = \"What is missing?\"\n")).unwrap();
    let ideas = study.ideas.clone().unwrap();
    assert_eq!(ideas.prompt, "What is missing?");
    assert_eq!(ideas.per_expert, 5);
    assert_eq!(ideas.sections, ["priorities", "maternal"], "the study's order");
    let toml = study.to_toml_string().unwrap();
    assert!(toml.contains("[ideas]"), "{toml}");
    assert_eq!(parse(&toml).unwrap(), study);
    // The JSON form reads the same table.
    let json = serde_json::json!({
        "slug": "json-ideas", "title": "T", "timezone": "UTC",
        "scale": { "min": 1, "max": 9 }, "consensus": { "preset": "comet" },
        "group": [{ "key": "g", "name": "G" }],
        "section": [{ "key": "a", "title": "A" }, { "key": "b", "title": "B" }],
        "item": [{ "code": "A1", "section": "a", "text": "x" }],
        "ideas": { "prompt": "Missing?", "per_expert": 2, "sections": ["b"] },
    });
    let study = super::parse_study_json("study.json", json).unwrap();
    let ideas = study.ideas.unwrap();
    assert_eq!((ideas.per_expert, ideas.sections), (2, vec!["b".to_owned()]));
}

#[test]
fn ideas_errors_name_the_key() {
    let e = errors(&with_ideas(
        "[ideas]\nprompt = \" \"\nper_expert = 0\nsections = [\"maternal\", \"nowhere\", \"maternal\"]\n",
    ));
    let at = |k: &str| e.iter().filter(|e| e.location == key(k)).count();
    assert_eq!(at("ideas.prompt"), 1, "{e:?}");
    assert_eq!(at("ideas.per_expert"), 1, "{e:?}");
    assert_eq!(at("ideas.sections"), 2, "{e:?}");
    assert!(
        e.iter().any(|e| e.reason.contains("no section `nowhere`")),
        "{e:?}"
    );
    let e = errors(&with_ideas("[ideas]\nprompt = \"x\"\nper_person = 3\n"));
    assert_eq!(e[0].location, key("ideas.per_person"), "{e:?}");
    let e = errors(&with_ideas("[ideas]\nper_expert = 3\n"));
    assert_eq!(e[0].location, key("ideas.prompt"), "{e:?}");
    // A translated prompt needs a prompt to translate.
    let e = errors(&format!(
        "{}\n[translations.fr]\nideas_prompt = \"Qu'est-ce qui manque ?\"\n",
        edited(
            "language = \"en\"",
            "language = \"en\"\nlanguages = [\"en\", \"fr\"]"
        )
    ));
    assert_eq!(e[0].location, key("translations.fr.ideas_prompt"), "{e:?}");
}

#[test]
fn the_ideas_prompt_is_read_in_the_experts_language() {
    let file = format!(
        "{}\n[translations.fr]\nideas_prompt = \"Qu'est-ce qui manque ?\"\n",
        with_ideas("[ideas]\nprompt = \"What is missing?\"\n").replace(
            "language = \"en\"",
            "language = \"en\"\nlanguages = [\"en\", \"fr\"]"
        )
    );
    let study = parse(&file).unwrap();
    assert_eq!(
        study.texts_in("fr-CA").ideas_prompt(),
        Some("Qu'est-ce qui manque ?")
    );
    assert_eq!(study.texts_in("es").ideas_prompt(), Some("What is missing?"));
}

/// A CHNRI study: no `[scale]` or `[consensus]`, two criteria, one translated.
const CHNRI: &str = r#"
slug = "chnri-2024"
method = "chnri"
title = "Research priorities"
language = "en"
languages = ["en", "fr"]
timezone = "UTC"

[[chnri.criterion]]
key = "answerability"
label = "Answerability"
weight = 2
threshold = 60
questions = ["Is the question well framed?", "Is a study likely to be approved?"]
translations.fr = { label = "Faisabilité", questions = ["La question est-elle bien posée ?", "Une étude serait-elle approuvée ?"] }

[[chnri.criterion]]
key = "equity"
label = "Effect on equity"
questions = ["Would the poorest benefit?"]

[[group]]
key = "researcher"
name = "Researchers"

[[section]]
key = "q"
title = "Questions"

[[item]]
code = "Q01"
section = "q"
text = "Does zinc help?"
"#;

#[test]
fn a_chnri_study_needs_no_scale_and_gets_one_round() {
    let study = parse(CHNRI).unwrap();
    assert_eq!(study.method, crate::domain::study::Method::Chnri);
    assert_eq!(study.rounds.max, 1);
    let criteria = study.chnri_criteria();
    assert_eq!(criteria.len(), 2);
    assert_eq!((criteria[0].weight, criteria[0].threshold), (2.0, Some(60.0)));
    assert_eq!((criteria[1].weight, criteria[1].threshold), (1.0, None));
    assert_eq!(criteria[0].label_in("fr"), "Faisabilité");
    assert_eq!(
        criteria[0].question_in("fr", 1),
        "Une étude serait-elle approuvée ?"
    );
    let again = parse(&study.to_toml_string().unwrap()).unwrap();
    assert_eq!(again, study);
}

#[test]
fn chnri_mistakes_are_named_by_key_path() {
    let cases = [
        ("weight = 2", "weight = 0", "chnri.criterion[1].weight"),
        ("weight = 2", "weight = -1.5", "chnri.criterion[1].weight"),
        (
            "threshold = 60",
            "threshold = 101",
            "chnri.criterion[1].threshold",
        ),
        (
            "questions = [\"Would the poorest benefit?\"]",
            "questions = []",
            "chnri.criterion[2].questions",
        ),
        (
            "key = \"equity\"",
            "key = \"answerability\"",
            "chnri.criterion[2].key",
        ),
        ("key = \"equity\"", "key = \"equity-2\"", "chnri.criterion[2].key"),
        ("method = \"chnri\"\n", "", "chnri"),
    ];
    for (from, to, path) in cases {
        let found = errors(&replaced_once(CHNRI, from, to));
        let paths: Vec<&Location> = found.iter().map(|e| &e.location).collect();
        assert!(paths.contains(&&key(path)), "{to}: {found:?}");
        let line = found.iter().find(|e| e.location == key(path)).unwrap();
        assert!(!line.reason.contains('\n'), "{}", line.reason);
    }
    let missing = errors(&edited("timezone = ", "method = \"chnri\"\ntimezone = "));
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0].location, key("chnri.criterion"));
    let unknown = errors(&replaced_once(CHNRI, "weight = 2", "wieght = 2"));
    assert_eq!(
        unknown[0].location,
        key("chnri.criterion[1].wieght"),
        "{unknown:?}"
    );
}

#[test]
fn a_rating_study_still_needs_its_scale() {
    let start = EXAMPLE.find("[scale]").unwrap();
    let end = EXAMPLE.find("[consensus]").unwrap();
    let without = format!("{}{}", &EXAMPLE[..start], &EXAMPLE[end..]);
    let found = errors(&without);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].location, key("scale"));
}

/// Issue 16's keys: read, checked by key, and left out of the file written back while default.
#[test]
fn order_subsets_seed_and_feedback_timing_are_read() {
    let study = parse(&edited(
        "stop_when_all_resolved = true",
        "stop_when_all_resolved = true\norder = \"random\"\nsections_fixed = true\nitems_per_expert = 20\n\
         min_raters = 4\nseed = 9223372036854775807\n\n[feedback]\ntiming = \"after_rating\"",
    ))
    .unwrap();
    assert_eq!(study.rounds.order, ItemOrder::Random);
    assert!(study.rounds.sections_fixed);
    assert_eq!(study.rounds.items_per_expert, Some(20));
    assert_eq!(study.rounds.min_raters, 4);
    assert_eq!(study.rounds.seed, Some(i64::MAX as u64));
    assert!(study.rounds.draws());
    assert_eq!(
        study.feedback.timing,
        crate::domain::study::FeedbackTiming::AfterRating
    );
    let written = study.to_toml_string().unwrap();
    assert!(written.contains("seed = 9223372036854775807"), "{written}");
    assert!(
        written.contains("[feedback]\ntiming = \"after_rating\""),
        "{written}"
    );
    assert_eq!(parse(&written).unwrap(), study);

    let plain = parse(EXAMPLE).unwrap();
    assert_eq!(plain.rounds.order, ItemOrder::Fixed);
    assert_eq!(
        (
            plain.rounds.items_per_expert,
            plain.rounds.min_raters,
            plain.rounds.seed
        ),
        (None, 5, None)
    );
    assert!(!plain.rounds.draws());
    let written = plain.to_toml_string().unwrap();
    for absent in [
        "order",
        "sections_fixed",
        "items_per_expert",
        "min_raters",
        "seed",
        "[feedback]",
        "timing",
    ] {
        assert!(!written.contains(absent), "{absent} in\n{written}");
    }
    let stored = serde_json::to_string(&plain).unwrap();
    for absent in [
        "\"order\"",
        "sections_fixed",
        "items_per_expert",
        "min_raters",
        "\"seed\"",
        "\"feedback\"",
    ] {
        assert!(!stored.contains(absent), "{absent} in {stored}");
    }
    // Settings stored before the keys existed read as the defaults.
    let stored: StudyFile = serde_json::from_str(&stored).unwrap();
    assert_eq!(stored, plain);
}

#[test]
fn order_subsets_seed_and_feedback_mistakes_name_the_key() {
    let e = errors(&edited(
        "stop_when_all_resolved = true",
        "stop_when_all_resolved = true\norder = \"shuffled\"\nitems_per_expert = 0\nseed = -1\n\n\
         [feedback]\ntiming = \"later\"",
    ));
    let reasons: Vec<(String, String)> = e
        .iter()
        .map(|e| (format!("{:?}", e.location), e.reason.clone()))
        .collect();
    assert_eq!(e.len(), 4, "{reasons:?}");
    assert_error(&e[0], "rounds.order", "`shuffled` is not \"fixed\" or \"random\"");
    assert_error(&e[1], "rounds.items_per_expert", "must be at least 1 (found 0)");
    assert_error(&e[2], "rounds.seed", "from 0 to 9223372036854775807 (found -1)");
    assert_error(
        &e[3],
        "feedback.timing",
        "`later` is not \"before\" or \"after_rating\"",
    );

    let e = errors(&edited(
        "stop_when_all_resolved = true",
        "stop_when_all_resolved = true\nsections_fixed = true\nmin_raters = 3",
    ));
    assert_eq!(e.len(), 2, "{e:?}");
    assert_error(
        &e[0],
        "rounds.sections_fixed",
        "only applies with rounds.order = \"random\"",
    );
    assert_error(
        &e[1],
        "rounds.min_raters",
        "only applies with rounds.items_per_expert",
    );

    let e = errors(&edited(
        "stop_when_all_resolved = true",
        "stop_when_all_resolved = true\nitems_per_expert = 10\nmin_raters = 0\n\n[feedback]\ntimng = \"before\"",
    ));
    assert_eq!(e[0].location, key("feedback.timng"), "{e:?}");
    let e = errors(&edited(
        "stop_when_all_resolved = true",
        "stop_when_all_resolved = true\nitems_per_expert = 10\nmin_raters = 0",
    ));
    assert_error(&e[0], "rounds.min_raters", "must be at least 1 (found 0)");
}

#[test]
fn order_subsets_and_feedback_read_from_json_as_from_toml() {
    let mut value = serde_json::to_value(
        parse(EXAMPLE)
            .unwrap()
            .to_toml_string()
            .map(|t| toml::from_str::<toml::Value>(&t).unwrap())
            .unwrap(),
    )
    .unwrap();
    value["rounds"]["order"] = "random".into();
    value["rounds"]["items_per_expert"] = 0.into();
    value["feedback"] = serde_json::json!({ "timing": "after_rating" });
    let e = super::parse_study_json("study.json", value.clone())
        .unwrap_err()
        .into_vec();
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].location, key("rounds.items_per_expert"));
    value["rounds"]["items_per_expert"] = 12.into();
    let study = super::parse_study_json("study.json", value).unwrap();
    assert_eq!(
        (study.rounds.order, study.rounds.items_per_expert),
        (ItemOrder::Random, Some(12))
    );
}
