//! The meaning of a study file that has the right shape: patterns, ranges, uniqueness and
//! cross-references, every problem collected at once and named by its key path.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::inline_items::check_inline_items;
use super::raw::{RawCriterion, RawFeedback, RawIdeas, RawRanking, RawRounds, RawStudy};
use crate::domain::chnri::criteria::check_criteria as check_chnri_criteria;
use crate::domain::chnri::ChnriSettings;
use crate::domain::file_error::or_list;
use crate::domain::items_file::ItemsFileFormat;
use crate::domain::language::normalize_language_tag;
use crate::domain::order::ItemOrder;
use crate::domain::round::policy::ReminderOffset;
use crate::domain::rule::PRIMARY;
use crate::domain::scale::Scale;
use crate::domain::spec::{ConsensusSpec, ScaleSpec};
use crate::domain::study::criteria::misfit;
use crate::domain::study::{
    is_valid_criterion_key, is_valid_key, is_valid_slug, Anonymity, Criterion, FeedbackSettings,
    FeedbackTiming, Group, IdeasSettings, ItemsSource, Method, RoundsSettings, Section, StudyFile,
    StudyTexts, TimeZoneName,
};

pub(super) type KeyErrors = Vec<(String, String)>;

/// Whether a study may be checked before it has items: a study set up with the console's forms
/// gets its items afterwards (opening round 1 refuses a study without any), while a study file
/// that names no items is a mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemsRule {
    Required,
    Later,
}

pub(super) fn check_study(raw: RawStudy, items_rule: ItemsRule, errors: &mut KeyErrors) -> StudyFile {
    let mut err = |key: &str, reason: String| errors.push((key.to_owned(), reason));

    if !is_valid_slug(&raw.slug) {
        err(
            "slug",
            format!(
                "`{}` is not a valid slug: use 3 to 64 lower-case letters, digits and `-`",
                raw.slug
            ),
        );
    }
    if raw.title.trim().is_empty() {
        err("title", "must not be empty".to_owned());
    }
    let language = match raw.language.as_deref() {
        None => "en".to_owned(),
        Some(tag) => normalize_language_tag(tag).unwrap_or_else(|| {
            err(
                "language",
                format!("`{tag}` is not a language tag like `en`, `fr` or `pt-BR`"),
            );
            tag.to_owned()
        }),
    };
    let languages = check_languages(&language, raw.languages, &mut err);
    let anonymity = one_of("anonymity", raw.anonymity.as_deref(), Anonymity::ALL, &mut err);
    let method = one_of("method", raw.method.as_deref(), Method::ALL, &mut err);
    let timezone = TimeZoneName::parse(&raw.timezone).unwrap_or_else(|| {
        err("timezone", timezone_reason(&raw.timezone));
        TimeZoneName::UTC
    });
    let rounds = check_rounds(raw.rounds.unwrap_or_default(), method, &mut err);
    let feedback = check_feedback(raw.feedback.unwrap_or_default(), &mut err);
    let (scale, mut consensus) = check_scale_and_consensus(method, raw.scale, raw.consensus, &mut err);
    let chnri = match (method, raw.chnri) {
        (Method::Chnri, None) => {
            err(
                "chnri.criterion",
                "a study with method = \"chnri\" needs at least one [[chnri.criterion]]".to_owned(),
            );
            None
        }
        (Method::Chnri, Some(settings)) => Some(ChnriSettings {
            criteria: check_chnri_criteria(settings.criteria, &languages, &mut err),
        }),
        (_, None) => None,
        (other, Some(_)) => {
            err(
                "chnri",
                format!("CHNRI criteria belong to a study with method = \"chnri\" (this one is \"{other}\")"),
            );
            None
        }
    };

    if raw.group.is_empty() {
        // Every expert belongs to exactly one stakeholder group (the panel file's `group` column
        // is required), so a study without groups could never get a panel.
        err(
            "group",
            "at least one [[group]] is required: every expert on the panel belongs to one".to_owned(),
        );
    }
    check_keys(
        "group",
        raw.group.iter().map(|g| (g.key.as_str(), g.name.as_str())),
        "name",
        &mut err,
    );
    if raw.section.is_empty() {
        err(
            "section",
            "at least one [[section]] is required: every item belongs to one".to_owned(),
        );
    }
    check_keys(
        "section",
        raw.section.iter().map(|s| (s.key.as_str(), s.title.as_str())),
        "title",
        &mut err,
    );
    let section_keys: BTreeSet<String> = raw.section.iter().map(|s| s.key.clone()).collect();

    let items = match (raw.item, raw.items) {
        (Some(_), Some(_)) => {
            err(
                "items",
                "give the items either as [[item]] tables or as a file reference \
                 `items = \"items.csv\"`, not both"
                    .to_owned(),
            );
            ItemsSource::Inline(Vec::new())
        }
        (None, Some(path)) => {
            if let Some(reason) = file_reference_problem(&path) {
                err("items", reason);
            } else if ItemsFileFormat::from_name(&path).is_none() {
                err("items", format!("`{path}` must be a .csv or .xlsx file"));
            }
            ItemsSource::File(path)
        }
        (Some(rows), None) if !rows.is_empty() => {
            ItemsSource::Inline(check_inline_items(rows, &section_keys, &mut err))
        }
        (Some(_), None) | (None, None) if items_rule == ItemsRule::Later => ItemsSource::Inline(Vec::new()),
        (Some(_), None) | (None, None) => {
            err(
                "items",
                "the study has no items: add [[item]] tables or `items = \"items.csv\"`".to_owned(),
            );
            ItemsSource::Inline(Vec::new())
        }
    };
    if let Some(path) = &raw.panel {
        if let Some(reason) = file_reference_problem(path) {
            err("panel", reason);
        } else if !path.to_ascii_lowercase().ends_with(".csv") {
            err("panel", format!("`{path}` must be a .csv file"));
        }
    }

    let ranking = check_ranking(raw.ranking, method, &section_keys, &mut err);
    let criteria = check_criteria(raw.criterion, &language, &languages, &mut consensus, &mut err);
    let ideas = raw.ideas.map(|ideas| check_ideas(ideas, &raw.section, &mut err));
    if let Some(translations) = &raw.translations {
        for (tag, texts) in translations {
            if texts.ideas_prompt.is_some() && ideas.is_none() {
                err(
                    &format!("translations.{tag}.ideas_prompt"),
                    "the study has no [ideas] table to translate".to_owned(),
                );
            }
        }
    }
    let translations = check_translations(
        raw.translations.unwrap_or_default(),
        &language,
        &languages,
        &scale,
        &raw.group,
        &raw.section,
        &mut err,
    );
    StudyFile {
        translations,
        slug: raw.slug,
        title: raw.title,
        description: raw.description.unwrap_or_default(),
        language,
        languages,
        anonymity,
        method,
        timezone,
        scale,
        consensus,
        criteria,
        chnri,
        rounds,
        feedback,
        groups: raw.group,
        sections: raw.section,
        items,
        panel: raw.panel,
        ranking,
        ideas,
    }
}

/// `[ideas]`: a prompt, at least one proposal per expert and section, sections the study has
/// (every section, in the study's order, when the key is left out).
fn check_ideas(raw: RawIdeas, sections: &[Section], err: &mut impl FnMut(&str, String)) -> IdeasSettings {
    if raw.prompt.trim().is_empty() {
        err(
            "ideas.prompt",
            "must not be empty: it is what experts are asked".to_owned(),
        );
    }
    let per_expert = match raw.per_expert {
        None => 5,
        Some(n) => u32::try_from(n)
            .ok()
            .filter(|&n| (1..=50).contains(&n))
            .unwrap_or_else(|| {
                err("ideas.per_expert", format!("must be from 1 to 50 (found {n})"));
                1
            }),
    };
    let chosen = match raw.sections {
        None => sections.iter().map(|s| s.key.clone()).collect(),
        Some(keys) => {
            if keys.is_empty() {
                err(
                    "ideas.sections",
                    "must name at least one section (leave the key out for every section)".to_owned(),
                );
            }
            let mut seen: Vec<&str> = Vec::new();
            for key in &keys {
                if !sections.iter().any(|s| &s.key == key) {
                    err("ideas.sections", format!("there is no section `{key}`"));
                } else if seen.contains(&key.as_str()) {
                    err("ideas.sections", format!("`{key}` is listed twice"));
                } else {
                    seen.push(key);
                }
            }
            // In the study's order, whatever the order written.
            sections
                .iter()
                .filter(|s| seen.contains(&s.key.as_str()))
                .map(|s| s.key.clone())
                .collect()
        }
    };
    IdeasSettings {
        prompt: raw.prompt,
        per_expert,
        sections: chosen,
    }
}

/// `[ranking]`: `choose` at least 1, `combine` one of its names, `sections` naming sections of
/// the study, each once. A `ranking` study has no other way to ask, so it requires the table; a
/// CHNRI study never opens a ranking round, so the table there is a mistake.
fn check_ranking(
    raw: Option<RawRanking>,
    method: Method,
    section_keys: &BTreeSet<String>,
    err: &mut impl FnMut(&str, String),
) -> Option<crate::domain::ranking::RankingSettings> {
    use crate::domain::ranking::{Combine, RankingSettings};
    let Some(raw) = raw else {
        if method == Method::Ranking {
            err(
                "ranking",
                "a study with `method = \"ranking\"` needs a [ranking] table with `choose`".to_owned(),
            );
        }
        return None;
    };
    if method == Method::Chnri {
        err(
            "ranking",
            "a CHNRI study scores its items with the CHNRI questions; remove [ranking]".to_owned(),
        );
    }
    let choose = match raw.choose {
        None => {
            err(
                "ranking.choose",
                "is required: how many items each expert picks and orders".to_owned(),
            );
            1
        }
        Some(n) => u32::try_from(n).ok().filter(|&n| n >= 1).unwrap_or_else(|| {
            err("ranking.choose", format!("must be at least 1 (found {n})"));
            1
        }),
    };
    let combine = one_of("ranking.combine", raw.combine.as_deref(), Combine::ALL, err);
    let mut sections: Vec<String> = Vec::new();
    for (index, key) in raw.sections.unwrap_or_default().into_iter().enumerate() {
        let at = format!("ranking.sections[{}]", index + 1);
        if !section_keys.contains(&key) {
            err(&at, format!("there is no section `{key}`"));
        } else if sections.contains(&key) {
            err(&at, format!("section `{key}` is listed twice"));
        } else {
            sections.push(key);
        }
    }
    Some(RankingSettings {
        choose,
        combine,
        sections,
    })
}

/// `languages`: valid tags, each once, including the default `language`. Left out, the study is
/// offered in its default language only.
fn check_languages(
    language: &str,
    given: Option<Vec<String>>,
    err: &mut impl FnMut(&str, String),
) -> Vec<String> {
    let Some(given) = given else {
        return vec![language.to_owned()];
    };
    let mut languages: Vec<String> = Vec::with_capacity(given.len());
    for tag in &given {
        match normalize_language_tag(tag) {
            None => err(
                "languages",
                format!("`{tag}` is not a language tag like `en`, `fr` or `pt-BR`"),
            ),
            Some(tag) if languages.contains(&tag) => err("languages", format!("`{tag}` is listed twice")),
            Some(tag) => languages.push(tag),
        }
    }
    if !languages.iter().any(|l| l == language) {
        err(
            "languages",
            format!("must include the study's default language `{language}`"),
        );
    }
    // The default language first, the others in the order given.
    languages.sort_by_key(|l| l != language);
    languages
}

/// `[translations.LANG]`: a language the study is offered in (not its main one), naming only
/// points, sections and groups the study has. Empty tables are dropped.
fn check_translations(
    given: BTreeMap<String, StudyTexts>,
    language: &str,
    languages: &[String],
    scale: &ScaleSpec,
    groups: &[Group],
    sections: &[Section],
    err: &mut impl FnMut(&str, String),
) -> BTreeMap<String, StudyTexts> {
    let mut translations = BTreeMap::new();
    for (tag, texts) in given {
        let Some(lang) = normalize_language_tag(&tag) else {
            err(
                &format!("translations.{tag}"),
                format!("`{tag}` is not a language tag like `fr` or `pt-BR`"),
            );
            continue;
        };
        let at = format!("translations.{tag}");
        if lang == language {
            err(
                &at,
                format!("`{lang}` is the study's main language: its texts are the study's own"),
            );
        } else if !languages.contains(&lang) {
            err(&at, format!("`{lang}` is not one of the study's `languages`"));
        }
        // A scale without a range is reported at `[scale]`; its words are checked once it has one.
        for point in texts.scale_labels.keys().filter(|_| scale.min < scale.max) {
            let inside = point
                .parse::<i32>()
                .is_ok_and(|p| (scale.min..=scale.max).contains(&p));
            if !inside {
                err(
                    &format!("{at}.scale_labels"),
                    format!(
                        "`{point}` is not a point of the scale ({} to {})",
                        scale.min, scale.max
                    ),
                );
            }
        }
        for key in texts.sections.keys() {
            if !sections.iter().any(|s| &s.key == key) {
                err(&format!("{at}.sections"), format!("there is no section `{key}`"));
            }
        }
        for key in texts.groups.keys() {
            if !groups.iter().any(|g| &g.key == key) {
                err(&format!("{at}.groups"), format!("there is no group `{key}`"));
            }
        }
        if !texts.is_empty() {
            translations.insert(lang, texts);
        }
    }
    translations
}

fn timezone_reason(name: &str) -> String {
    let same_but_case = chrono_tz::TZ_VARIANTS
        .iter()
        .find(|tz| tz.name().eq_ignore_ascii_case(name));
    match same_but_case {
        Some(tz) => format!(
            "`{name}` is not an IANA time zone name; did you mean `{}`?",
            tz.name()
        ),
        None => format!(
            "`{name}` is not an IANA time zone name such as `Africa/Nairobi`, `Europe/Paris` or `UTC`"
        ),
    }
}

/// `[scale]` and `[consensus]` are required of a study whose experts rate items. A CHNRI study
/// asks no ratings: it may leave both out, and then holds the default 1–9 scale with the COMET
/// rule, which nothing of a CHNRI study uses (they keep the shape every study has, and are
/// written out in study.toml like every other default).
fn check_scale_and_consensus(
    method: Method,
    scale: Option<ScaleSpec>,
    consensus: Option<ConsensusSpec>,
    err: &mut impl FnMut(&str, String),
) -> (ScaleSpec, ConsensusSpec) {
    let optional = method == Method::Chnri;
    let scale = scale.unwrap_or_else(|| {
        if !optional {
            err("scale", "missing required key `scale`".to_owned());
        }
        ScaleSpec {
            min: 1,
            max: 9,
            labels: BTreeMap::new(),
            bands: Vec::new(),
            unable_to_score: false,
        }
    });
    let consensus = consensus.unwrap_or_else(|| {
        if !optional {
            err("consensus", "missing required key `consensus`".to_owned());
        }
        ConsensusSpec {
            preset: Some("comet".to_owned()),
            ..ConsensusSpec::default()
        }
    });
    (scale, consensus)
}

fn check_rounds(raw: RawRounds, method: Method, err: &mut impl FnMut(&str, String)) -> RoundsSettings {
    let draws = check_draws(&raw, &mut *err);
    let mut defaults = RoundsSettings::default();
    // CHNRI is usually one round of answers; more must be asked for.
    if method == Method::Chnri {
        defaults.max = 1;
    }
    let max = match raw.max {
        None => defaults.max,
        Some(max) => u32::try_from(max).ok().filter(|&m| m >= 1).unwrap_or_else(|| {
            err("rounds.max", format!("must be at least 1 (found {max})"));
            1
        }),
    };
    let mut suggestions_in = Vec::new();
    for round in raw.suggestions_in.unwrap_or_else(|| vec![1]) {
        match u32::try_from(round).ok().filter(|r| (1..=max).contains(r)) {
            None => err(
                "rounds.suggestions_in",
                format!("round {round} is not between 1 and rounds.max ({max})"),
            ),
            Some(r) if suggestions_in.contains(&r) => {
                err("rounds.suggestions_in", format!("round {round} is listed twice"))
            }
            Some(r) => suggestions_in.push(r),
        }
    }
    suggestions_in.sort_unstable();
    let min_group_feedback = match raw.min_group_feedback {
        None => defaults.min_group_feedback,
        Some(n) => u32::try_from(n).ok().filter(|&n| n >= 1).unwrap_or_else(|| {
            err(
                "rounds.min_group_feedback",
                format!("must be at least 1 (found {n})"),
            );
            1
        }),
    };
    let reminders = match raw.reminders {
        None => defaults.reminders,
        Some(texts) => {
            let mut offsets: Vec<ReminderOffset> = Vec::with_capacity(texts.len());
            for text in &texts {
                match ReminderOffset::parse(text) {
                    Err(reason) => err("rounds.reminders", reason),
                    Ok(offset) => match offsets.iter().find(|o| o.duration() == offset.duration()) {
                        Some(same) => err(
                            "rounds.reminders",
                            format!("`{text}` is the same time before the deadline as `{same}`"),
                        ),
                        None => offsets.push(offset),
                    },
                }
            }
            // Earliest first, the order in which they go out.
            offsets.sort_by_key(|o| std::cmp::Reverse(o.duration()));
            offsets
        }
    };
    RoundsSettings {
        order: draws.order,
        sections_fixed: draws.sections_fixed,
        items_per_expert: draws.items_per_expert,
        min_raters: draws.min_raters,
        seed: draws.seed,
        reminders,
        close_at_deadline: raw.close_at_deadline.unwrap_or(defaults.close_at_deadline),
        max,
        carry_forward: raw.carry_forward.unwrap_or(defaults.carry_forward),
        invite: raw.invite.unwrap_or(defaults.invite),
        suggestions_in,
        reason_on_band_change: raw
            .reason_on_band_change
            .unwrap_or(defaults.reason_on_band_change),
        min_group_feedback,
        stop_when_all_resolved: raw
            .stop_when_all_resolved
            .unwrap_or(defaults.stop_when_all_resolved),
    }
}

/// `[feedback] timing`: `before` (default) or `after_rating`.
fn check_feedback(raw: RawFeedback, err: &mut impl FnMut(&str, String)) -> FeedbackSettings {
    let timing = one_of("feedback.timing", raw.timing.as_deref(), FeedbackTiming::ALL, err);
    FeedbackSettings { timing }
}

/// A key naming one value of a closed list (`all`): the list's default when the key is absent,
/// and also, with a problem naming the values, when its text is none of them.
fn one_of<T: Copy + Default + fmt::Display>(
    key: &str,
    text: Option<&str>,
    all: &[T],
    err: &mut impl FnMut(&str, String),
) -> T {
    let Some(text) = text else { return T::default() };
    all.iter()
        .copied()
        .find(|value| value.to_string() == text)
        .unwrap_or_else(|| {
            let names: Vec<String> = all.iter().map(|value| format!("\"{value}\"")).collect();
            err(key, format!("`{text}` is not {}", or_list(&names)));
            T::default()
        })
}

/// The `[rounds]` keys of issue 16, checked as a whole because they depend on each other.
struct Draws {
    order: ItemOrder,
    sections_fixed: bool,
    items_per_expert: Option<u32>,
    min_raters: u32,
    seed: Option<u64>,
}

/// `order` one of its names and `sections_fixed` only with a random order; `items_per_expert`
/// and `min_raters` at least 1, `min_raters` only with subsets; `seed` not negative.
fn check_draws(raw: &RawRounds, err: &mut impl FnMut(&str, String)) -> Draws {
    let defaults = RoundsSettings::default();
    let order = one_of("rounds.order", raw.order.as_deref(), ItemOrder::ALL, err);
    if raw.sections_fixed == Some(true) && order == ItemOrder::Fixed {
        err(
            "rounds.sections_fixed",
            "only applies with rounds.order = \"random\": with a fixed order every section keeps its \
             place already"
                .to_owned(),
        );
    }
    let at_least_one = |key: &str, n: i64, err: &mut dyn FnMut(&str, String)| {
        u32::try_from(n).ok().filter(|&n| n >= 1).unwrap_or_else(|| {
            err(key, format!("must be at least 1 (found {n})"));
            1
        })
    };
    let items_per_expert = raw
        .items_per_expert
        .map(|n| at_least_one("rounds.items_per_expert", n, &mut *err));
    let min_raters = match raw.min_raters {
        None => defaults.min_raters,
        Some(n) => {
            if items_per_expert.is_none() {
                err(
                    "rounds.min_raters",
                    "only applies with rounds.items_per_expert (without subsets every item has every \
                     responder): set that too, or remove this key"
                        .to_owned(),
                );
            }
            at_least_one("rounds.min_raters", n, &mut *err)
        }
    };
    let seed = raw.seed.map(|n| {
        u64::try_from(n).unwrap_or_else(|_| {
            err(
                "rounds.seed",
                format!("must be a whole number from 0 to {} (found {n})", i64::MAX),
            );
            0
        })
    });
    Draws {
        order,
        sections_fixed: raw.sections_fixed.unwrap_or(defaults.sections_fixed),
        items_per_expert,
        min_raters,
        seed,
    }
}

/// Keys of `[[group]]` / `[[section]]` tables: pattern, uniqueness, non-empty label.
fn check_keys<'a>(
    table: &str,
    entries: impl Iterator<Item = (&'a str, &'a str)>,
    label: &str,
    err: &mut impl FnMut(&str, String),
) {
    let mut first_at: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, (key, text)) in entries.enumerate() {
        let n = index + 1;
        if !is_valid_key(key) {
            err(
                &format!("{table}[{n}].key"),
                format!(
                    "`{key}` is not a valid key: use 1 to 32 lower-case letters, digits, `_` or \
                     `-`, starting with a letter or digit"
                ),
            );
        } else if let Some(first) = first_at.get(key) {
            err(
                &format!("{table}[{n}].key"),
                format!("`{key}` is already the key of {table}[{first}]"),
            );
        } else {
            first_at.insert(key, n);
        }
        if text.trim().is_empty() {
            err(&format!("{table}[{n}].{label}"), "must not be empty".to_owned());
        }
    }
}

/// File references are resolved by the caller relative to the study file; refusing absolute
/// paths and `..` keeps a study file from pointing outside its own folder.
fn file_reference_problem(path: &str) -> Option<String> {
    let trimmed = path.trim();
    if trimmed.is_empty() {
        return Some("must not be empty".to_owned());
    }
    let absolute =
        trimmed.starts_with('/') || trimmed.starts_with('\\') || trimmed.chars().nth(1) == Some(':');
    if absolute || trimmed.split(['/', '\\']).any(|part| part == "..") {
        return Some(format!(
            "`{path}` must be a path relative to the study file, inside its folder"
        ));
    }
    None
}

/// `[[criterion]]` tables and `[consensus] combine`: keys unique and well formed, labels given,
/// `label_LANG` only for the study's other languages, `rule` naming the primary rule or an
/// alternative that fits the criterion's own `scale` if it has one, `combine` naming `all`,
/// `any` or a criterion. With criteria, `combine` is
/// written out (default `all`) so that the study file shown "as locked" says it.
fn check_criteria(
    given: Vec<RawCriterion>,
    language: &str,
    languages: &[String],
    consensus: &mut ConsensusSpec,
    err: &mut impl FnMut(&str, String),
) -> Vec<Criterion> {
    let mut criteria: Vec<Criterion> = Vec::with_capacity(given.len());
    for (index, raw) in given.into_iter().enumerate() {
        let at = format!("criterion[{}]", index + 1);
        if !is_valid_criterion_key(&raw.key) {
            err(
                &format!("{at}.key"),
                format!(
                    "`{}` is not a valid criterion key: use 1 to 32 lower-case letters, digits or `_`",
                    raw.key
                ),
            );
        } else if let Some(first) = criteria.iter().position(|c| c.key == raw.key) {
            err(
                &format!("{at}.key"),
                format!("`{}` is already the key of criterion[{}]", raw.key, first + 1),
            );
        }
        if raw.label.trim().is_empty() {
            err(&format!("{at}.label"), "must not be empty".to_owned());
        }
        let rule = raw.rule.unwrap_or_else(|| PRIMARY.to_owned());
        let known_rule = rule == PRIMARY || consensus.alternatives.contains_key(&rule);
        let scale = raw.scale.and_then(|spec| {
            criterion_scale(&at, &spec, known_rule.then_some(rule.as_str()), consensus, err)
        });
        if !known_rule {
            let known: Vec<&str> = std::iter::once(PRIMARY)
                .chain(consensus.alternatives.keys().map(String::as_str))
                .collect();
            err(
                &format!("{at}.rule"),
                format!(
                    "`{rule}` is not the primary rule nor an alternative of [consensus.alternatives] \
                     (one of: {})",
                    known.join(", ")
                ),
            );
        }
        let mut labels = std::collections::BTreeMap::new();
        for (name, text) in raw.other {
            let Some(tag) = name.strip_prefix("label_") else {
                err(
                    &format!("{at}.{name}"),
                    "unknown key: a criterion has `key`, `label`, `label_LANG`, `rule` and `scale`"
                        .to_owned(),
                );
                continue;
            };
            match normalize_language_tag(tag) {
                Some(lang) if lang != language && languages.contains(&lang) => {
                    labels.insert(lang, text);
                }
                Some(lang) if lang == language => err(
                    &format!("{at}.{name}"),
                    format!("`{lang}` is the study's main language: its label is `label`"),
                ),
                _ => err(
                    &format!("{at}.{name}"),
                    format!("`{tag}` is not one of the study's `languages`"),
                ),
            }
        }
        criteria.push(Criterion {
            key: raw.key,
            label: raw.label,
            labels,
            rule,
            scale,
        });
    }
    match consensus.combine.as_deref() {
        None if !criteria.is_empty() => consensus.combine = Some("all".to_owned()),
        None | Some("all" | "any") => {}
        Some(key) if criteria.iter().any(|c| c.key == key) => {}
        Some(key) => err(
            "consensus.combine",
            if criteria.is_empty() {
                format!("`{key}` is not \"all\", \"any\" or a criterion key: the study has no [[criterion]]")
            } else {
                format!(
                    "`{key}` is not \"all\", \"any\" or a criterion key (one of: {})",
                    criteria
                        .iter()
                        .map(|c| c.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
        ),
    }
    criteria
}

/// A criterion's own `scale = { … }`, checked as `[scale]` is (its problems named under
/// `criterion[N].scale`), and the rule that judges it (`rule`, `None` when that names no rule)
/// against it (`Criterion::misfit`).
fn criterion_scale(
    at: &str,
    spec: &ScaleSpec,
    rule: Option<&str>,
    consensus: &ConsensusSpec,
    err: &mut impl FnMut(&str, String),
) -> Option<Scale> {
    let scale = Scale::from_spec(spec)
        .map_err(|e| {
            let key = e.key.strip_prefix("scale").unwrap_or(&e.key);
            err(&format!("{at}.scale{key}"), e.reason);
        })
        .ok()?;
    if let Some(reason) = rule.and_then(|name| misfit(&scale, name, consensus)) {
        err(&format!("{at}.scale"), reason);
    }
    Some(scale)
}
