//! The study file (`study.toml`): what a coordinator writes to set a study up.
//!
//! Parsing happens in three steps, each reporting every problem it can find:
//! 1. TOML syntax (all syntax errors, by line);
//! 2. shape: serde with `deny_unknown_fields`, so a typo such as `stop_when_all_resolvd` is an
//!    error instead of a silently ignored key (serde stops at the first such error);
//! 3. meaning: patterns, uniqueness and cross-references, collected all at once.
//!
//! Errors name the key path (`rounds.max`, `item[3].section`, indices counting from 1) and, in
//! the reason, the line. `[scale]` and `[consensus]` are kept as their raw specs here: turning
//! them into a validated scale and rule set is done by `Scale::from_spec` and `RuleSet::compile`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::file_error::{known_list, FileError, FileErrors, Location};
use super::items_file::{check_item, ItemRow, ItemsFileFormat};
use super::language::normalize_language_tag;
use super::round::policy::{CarryForward, InvitePolicy, ReminderOffset};
use super::spec::{ConsensusSpec, ScaleSpec};

/// A study file that passed every check that needs nothing but the file itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyFile {
    pub slug: String,
    pub title: String,
    /// Markdown shown to experts on the first page; empty when the file has none.
    pub description: String,
    /// Default language of pages and emails, canonical case (`en`, `pt-BR`).
    pub language: String,
    pub timezone: TimeZoneName,
    pub scale: ScaleSpec,
    pub consensus: ConsensusSpec,
    pub rounds: RoundsSettings,
    pub groups: Vec<Group>,
    pub sections: Vec<Section>,
    pub items: ItemsSource,
    /// Panel file, relative to the study file.
    pub panel: Option<String>,
}

impl StudyFile {
    pub fn group_keys(&self) -> BTreeSet<String> {
        self.groups.iter().map(|g| g.key.clone()).collect()
    }

    pub fn section_keys(&self) -> BTreeSet<String> {
        self.sections.iter().map(|s| s.key.clone()).collect()
    }

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

/// Round settings; each key left out of `[rounds]` (or the whole table) takes the default shown
/// on [`RoundsSettings::default`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundsSettings {
    pub max: u32,
    pub carry_forward: CarryForward,
    pub invite: InvitePolicy,
    /// Rounds in which experts may propose new items; sorted, no duplicates.
    pub suggestions_in: Vec<u32>,
    /// Ask "why?" when a score moves to another band.
    pub reason_on_band_change: bool,
    /// A stakeholder group's distribution is hidden when fewer experts of it responded.
    pub min_group_feedback: u32,
    pub stop_when_all_resolved: bool,
    /// Automatic reminders to non-submitters, this long before a round's deadline; earliest
    /// first. Studies stored before the key existed get the default.
    #[serde(default = "default_reminders")]
    pub reminders: Vec<ReminderOffset>,
    /// The scheduler closes a round whose deadline has passed.
    #[serde(default = "default_close_at_deadline")]
    pub close_at_deadline: bool,
}

fn default_reminders() -> Vec<ReminderOffset> {
    ["3d", "1d"]
        .iter()
        .filter_map(|text| ReminderOffset::parse(text).ok())
        .collect()
}

fn default_close_at_deadline() -> bool {
    true
}

impl Default for RoundsSettings {
    /// Three rounds, carrying forward unresolved items to previous responders, suggestions in
    /// round 1 only, as in most published COMET-style Delphi studies.
    fn default() -> Self {
        Self {
            max: 3,
            carry_forward: CarryForward::Unresolved,
            invite: InvitePolicy::PreviousResponders,
            suggestions_in: vec![1],
            reason_on_band_change: true,
            min_group_feedback: 3,
            stop_when_all_resolved: true,
            reminders: default_reminders(),
            close_at_deadline: default_close_at_deadline(),
        }
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

/// A valid IANA time zone name. Kept as the zone itself so that code showing deadlines never
/// has to handle a name that does not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZoneName(chrono_tz::Tz);

impl TimeZoneName {
    /// Exact (case-sensitive) IANA name, e.g. `Africa/Nairobi` or `UTC`.
    pub fn parse(name: &str) -> Option<Self> {
        name.parse::<chrono_tz::Tz>().ok().map(Self)
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.0
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for TimeZoneName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for TimeZoneName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Self::parse(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("`{name}` is not an IANA time zone name")))
    }
}

/// `[a-z0-9-]{3,64}`: the slug is part of every URL of the study.
pub fn is_valid_slug(slug: &str) -> bool {
    (3..=64).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `[a-z0-9][a-z0-9_-]{0,31}`, for group and section keys, which panel and items files refer to.
pub fn is_valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) if first.is_ascii_lowercase() || first.is_ascii_digit() => {}
        _ => return false,
    }
    key.len() <= 32 && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// Parses and checks a study file. `name` is only used in error messages.
pub fn parse_study_file(name: &str, content: &str) -> Result<StudyFile, FileErrors> {
    let (document, syntax_errors) = DeTable::parse_recoverable(content);
    if !syntax_errors.is_empty() {
        // The parser's recovery after an error often reports follow-on errors on the same line;
        // one per line keeps independent mistakes without the noise.
        let mut errors: Vec<FileError> = Vec::new();
        for error in &syntax_errors {
            let error = syntax_error(name, content, error);
            if !errors.iter().any(|e| e.location == error.location) {
                errors.push(error);
            }
        }
        return Err(errors.into());
    }
    let index = SpanIndex::new(&document);
    let raw: RawStudy =
        toml::from_str(content).map_err(|e| FileErrors::from(shape_error(name, content, &index, &e)))?;
    let mut errors = index.wrong_pairs.clone();
    let study = check_study(raw, &mut errors);
    let errors: FileErrors = errors
        .into_iter()
        .map(|(key, reason)| {
            let reason = match index.offset_of(&key) {
                Some(offset) => format!("{reason} (line {})", line_of(content, offset)),
                None => reason,
            };
            FileError::key(name, key, reason)
        })
        .collect();
    errors.into_result(study)
}

// ---------------------------------------------------------------------------------------------
// Shape: what serde reads. Field order matters for `to_toml_string`: plain keys must come before
// tables in TOML.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStudy {
    slug: String,
    title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    timezone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    items: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    panel: Option<String>,
    scale: ScaleSpec,
    consensus: ConsensusSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rounds: Option<RawRounds>,
    #[serde(default)]
    group: Vec<Group>,
    #[serde(default)]
    section: Vec<Section>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    item: Option<Vec<ItemRow>>,
}

/// Numbers are read as `i64` so that `max = 0` or `-1` gets a sentence, not a serde type error.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRounds {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    carry_forward: Option<CarryForward>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    invite: Option<InvitePolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    suggestions_in: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason_on_band_change: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_group_feedback: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stop_when_all_resolved: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reminders: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    close_at_deadline: Option<bool>,
}

// ---------------------------------------------------------------------------------------------
// Meaning.
// ---------------------------------------------------------------------------------------------

type KeyErrors = Vec<(String, String)>;

fn check_study(raw: RawStudy, errors: &mut KeyErrors) -> StudyFile {
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
    let timezone = TimeZoneName::parse(&raw.timezone).unwrap_or_else(|| {
        err("timezone", timezone_reason(&raw.timezone));
        TimeZoneName(chrono_tz::UTC)
    });
    let rounds = check_rounds(raw.rounds.unwrap_or_default(), &mut err);

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

    StudyFile {
        slug: raw.slug,
        title: raw.title,
        description: raw.description.unwrap_or_default(),
        language,
        timezone,
        scale: raw.scale,
        consensus: raw.consensus,
        rounds,
        groups: raw.group,
        sections: raw.section,
        items,
        panel: raw.panel,
    }
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

fn check_rounds(raw: RawRounds, err: &mut impl FnMut(&str, String)) -> RoundsSettings {
    let defaults = RoundsSettings::default();
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

fn check_inline_items(
    rows: Vec<ItemRow>,
    section_keys: &BTreeSet<String>,
    err: &mut impl FnMut(&str, String),
) -> Vec<ItemRow> {
    let mut items = Vec::with_capacity(rows.len());
    let mut first_at: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for (index, mut row) in rows.into_iter().enumerate() {
        let n = index + 1;
        let mut translations = BTreeMap::new();
        for (lang, translation) in std::mem::take(&mut row.translations) {
            match normalize_language_tag(&lang) {
                None => err(
                    &format!("item[{n}].translations.{lang}"),
                    format!("`{lang}` is not a language tag like `fr` or `pt-BR`"),
                ),
                Some(tag) if translations.contains_key(&tag) => err(
                    &format!("item[{n}].translations.{lang}"),
                    format!("a translation into `{tag}` is given twice"),
                ),
                Some(tag) => {
                    translations.insert(tag, translation);
                }
            }
        }
        row.translations = translations;
        let row = match check_item(row) {
            Ok(row) => row,
            Err(problems) => {
                for (field, reason) in problems {
                    err(&format!("item[{n}].{}", field.key()), reason);
                }
                continue;
            }
        };
        if !section_keys.contains(&row.section) {
            err(
                &format!("item[{n}].section"),
                format!(
                    "`{}` is not the key of a [[section]] (known: {})",
                    row.section,
                    known_list(section_keys)
                ),
            );
        }
        match first_at.get(&row.code.to_lowercase()) {
            Some((first, code)) if *code == row.code => err(
                &format!("item[{n}].code"),
                format!("`{}` is already the code of item[{first}]", row.code),
            ),
            Some((first, code)) => err(
                &format!("item[{n}].code"),
                format!(
                    "`{}` differs only in case from `{code}` (item[{first}]); codes must be \
                     unique regardless of case",
                    row.code
                ),
            ),
            None => {
                first_at.insert(row.code.to_lowercase(), (n, row.code.clone()));
            }
        }
        items.push(row);
    }
    items
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

// ---------------------------------------------------------------------------------------------
// Locating errors: toml gives byte spans; people need key paths and lines.
// ---------------------------------------------------------------------------------------------

/// Every key and array element of the document with its path and spans.
struct SpanIndex {
    entries: Vec<IndexEntry>,
    by_path: HashMap<String, usize>,
    /// `share = [lo, hi]` arrays of another length: serde reads a `[i32; 2]` from the first two
    /// elements and ignores the rest, so `[7, 9, 3]` would pass unnoticed.
    wrong_pairs: Vec<(String, String)>,
}

struct IndexEntry {
    path: String,
    depth: usize,
    key_span: Option<Range<usize>>,
    value_span: Range<usize>,
}

impl SpanIndex {
    fn new(document: &Spanned<DeTable<'_>>) -> Self {
        let mut index = Self {
            entries: Vec::new(),
            by_path: HashMap::new(),
            wrong_pairs: Vec::new(),
        };
        index.add_table(document.get_ref(), "", 0);
        index
    }

    fn add_table(&mut self, table: &DeTable<'_>, prefix: &str, depth: usize) {
        for (key, value) in table.iter() {
            let path = join_key(prefix, key.get_ref());
            self.add(path.clone(), depth + 1, Some(key.span()), value.span());
            if let (true, DeValue::Array(array)) = (key.get_ref() == "share", value.get_ref()) {
                if array.len() != 2 {
                    self.wrong_pairs.push((
                        path.clone(),
                        format!(
                            "must be a pair [from, to] of scale points, found {} values",
                            array.len()
                        ),
                    ));
                }
            }
            self.add_value(value, &path, depth + 1);
        }
    }

    fn add_value(&mut self, value: &Spanned<DeValue<'_>>, path: &str, depth: usize) {
        match value.get_ref() {
            DeValue::Table(table) => self.add_table(table, path, depth),
            DeValue::Array(array) => {
                for (i, element) in array.iter().enumerate() {
                    let element_path = format!("{path}[{}]", i + 1);
                    self.add(element_path.clone(), depth + 1, None, element.span());
                    self.add_value(element, &element_path, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn add(&mut self, path: String, depth: usize, key_span: Option<Range<usize>>, value_span: Range<usize>) {
        self.by_path.entry(path.clone()).or_insert(self.entries.len());
        self.entries.push(IndexEntry {
            path,
            depth,
            key_span,
            value_span,
        });
    }

    /// Where the key (or, for an array element, the value) at `path` starts.
    fn offset_of(&self, path: &str) -> Option<usize> {
        let entry = &self.entries[*self.by_path.get(path)?];
        Some(entry.key_span.as_ref().unwrap_or(&entry.value_span).start)
    }

    /// The deepest key or value whose span holds `span`; `None` means the document root.
    fn path_at(&self, span: &Range<usize>) -> Option<&str> {
        let holds = |outer: &Range<usize>| outer.start <= span.start && span.end <= outer.end;
        self.entries
            .iter()
            .filter(|e| holds(&e.value_span) || e.key_span.as_ref().is_some_and(holds))
            .max_by_key(|e| (e.depth, std::cmp::Reverse(e.value_span.len())))
            .map(|e| e.path.as_str())
    }
}

fn join_key(prefix: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let key = if bare { key.to_owned() } else { format!("{key:?}") };
    if prefix.is_empty() {
        key
    } else {
        format!("{prefix}.{key}")
    }
}

fn line_of(content: &str, offset: usize) -> usize {
    let end = offset.min(content.len());
    content.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

fn syntax_error(name: &str, content: &str, error: &toml::de::Error) -> FileError {
    let line = error.span().map_or(1, |span| line_of(content, span.start));
    let mut reason = error.message().trim().to_owned();
    if let Some(text) = error
        .span()
        .and_then(|span| content.get(span))
        .filter(|t| !t.is_empty() && t.len() <= 40 && !t.contains('\n'))
    {
        reason.push_str(&format!(" (at `{text}`)"));
    }
    FileError::line(name, line as u64, reason)
}

/// Serde stops at its first error; this names where it was and rewords serde's Rust-flavoured
/// message ("expected u8", "struct RawRounds") for people who write TOML, not Rust.
fn shape_error(name: &str, content: &str, index: &SpanIndex, error: &toml::de::Error) -> FileError {
    let message = humanize(error.message());
    let span = error.span().filter(|s| !(s.start == 0 && s.end == 0));
    let mut path = span.as_ref().and_then(|s| index.path_at(s)).map(str::to_owned);
    if let Some(missing) = between(&message, "missing required key `", "`") {
        path = Some(match path {
            Some(table) => format!("{table}.{missing}"),
            None => missing.to_owned(),
        });
    }
    let mut reason = message.clone();
    if path.as_deref() == Some("items") && message.starts_with("invalid type") {
        reason.push_str(" (inline items are written as [[item]] tables)");
    }
    if let Some((_, last)) = path.as_deref().and_then(|p| p.rsplit_once('.')) {
        if message.starts_with("unknown key") && TOP_LEVEL_KEYS.contains(&last) {
            reason.push_str(&format!(
                "; TOML puts every key written below a [table] header into that table: move \
                 `{last}` above the first table"
            ));
        }
    }
    if let Some(span) = &span {
        reason.push_str(&format!(" (line {})", line_of(content, span.start)));
    }
    match path {
        Some(path) => FileError::key(name, path, reason),
        None => FileError {
            file: name.to_owned(),
            location: Location::Whole,
            reason,
        },
    }
}

const TOP_LEVEL_KEYS: [&str; 7] = [
    "slug",
    "title",
    "description",
    "language",
    "timezone",
    "items",
    "panel",
];

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &text[text.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

fn humanize(message: &str) -> String {
    let mut text = message
        .trim()
        .replacen("unknown field", "unknown key", 1)
        .replacen("missing field", "missing required key", 1)
        .replace("invalid type: sequence", "invalid type: array")
        .replace("invalid type: map", "invalid type: table");
    if let Some(at) = text.find("expected struct ") {
        text.truncate(at);
        text.push_str("expected a table");
    }
    for (rust, human) in [
        ("expected u8", "expected an integer from 0 to 255"),
        ("expected i32", "expected an integer"),
        ("expected i64", "expected an integer"),
        ("expected u32", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected an array"),
        ("expected a map", "expected a table"),
    ] {
        if text.ends_with(rust) {
            text.truncate(text.len() - rust.len());
            text.push_str(human);
        }
    }
    text
}

/// The study file's structure read from JSON (the API's "create study" body): the same raw
/// types and the same checks as `parse_study_file`, so errors name the same key paths
/// (`rounds.max`, `item[3].section`, indices counting from 1).
pub fn parse_study_json(name: &str, value: serde_json::Value) -> Result<StudyFile, FileErrors> {
    let raw: RawStudy = serde_path_to_error::deserialize(value).map_err(|e| {
        let message = humanize(&e.inner().to_string());
        let mut path = String::new();
        for segment in e.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => path.push_str(&format!("[{}]", index + 1)),
                serde_path_to_error::Segment::Map { key } => path = join_key(&path, key),
                serde_path_to_error::Segment::Enum { variant } => path = join_key(&path, variant),
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        // serde names a missing or unknown key in its message, not in the path.
        let named = between(&message, "missing required key `", "`")
            .or_else(|| between(&message, "unknown key `", "`"));
        if let Some(key) = named {
            if !path.ends_with(key) {
                path = join_key(&path, key);
            }
        }
        let path = if path.is_empty() {
            "(the whole document)".to_owned()
        } else {
            path
        };
        FileErrors::from(FileError::key(name, path, message))
    })?;
    let mut errors = Vec::new();
    let study = check_study(raw, &mut errors);
    let errors: FileErrors = errors
        .into_iter()
        .map(|(key, reason)| FileError::key(name, key, reason))
        .collect();
    errors.into_result(study)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(super) const EXAMPLE: &str = r#"
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

    /// The example with `from` replaced by `to` (which must occur exactly once).
    fn edited(from: &str, to: &str) -> String {
        assert_eq!(EXAMPLE.matches(from).count(), 1, "{from}");
        EXAMPLE.replace(from, to)
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
        assert_eq!(e[0].location, key("rounds.maxx"));
        assert!(e[0].reason.contains("`carry_forward`"), "{}", e[0]);

        let e = errors(&edited("text = \"Haemoglobin", "txet = \"Haemoglobin"));
        assert_eq!(e[0].location, key("item[1].txet"));
        assert!(e[0].reason.contains("unknown key `txet`"), "{}", e[0]);

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
        assert_eq!(e[0].location, key("item[1].panel"));
        assert!(
            e[0].reason.contains("move `panel` above the first table"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn wrong_types_and_missing_keys_name_the_key() {
        let e = errors(&edited("max = 9", "max = \"nine\""));
        assert_eq!(e[0].location, key("scale.max"));
        assert!(e[0].reason.contains("expected an integer"), "{}", e[0]);
        assert!(e[0].reason.ends_with("(line 11)"), "{}", e[0]);

        let e = errors(&edited(
            "carry_forward = \"unresolved\"",
            "carry_forward = \"some\"",
        ));
        assert_eq!(e[0].location, key("rounds.carry_forward"));
        assert!(e[0].reason.contains("`unresolved` or `all`"), "{}", e[0]);

        let e = errors(&edited("min = 1\n", ""));
        assert_eq!(e[0].location, key("scale.min"));
        assert!(e[0].reason.starts_with("missing required key `min`"), "{}", e[0]);

        let e = errors(&edited("timezone = \"Africa/Nairobi\"\n", ""));
        assert_eq!(e[0].location, key("timezone"));

        let e = errors(&edited("quantiles = 7", "quantiles = 700"));
        assert_eq!(e[0].location, key("consensus.quantiles"));
        assert!(e[0].reason.contains("from 0 to 255"), "{}", e[0]);

        let e = errors(&edited("[rounds]\nmax = 3", "[rounds.max]"));
        assert_eq!(e[0].location, key("rounds.max"));
        assert!(
            e[0].reason.contains("invalid type: table, expected an integer"),
            "{}",
            e[0]
        );

        let e = errors(&edited("[[section]]", "[section]"));
        assert_eq!(e[0].location, key("section"));
        assert!(e[0].reason.contains("expected an array"), "{}", e[0]);
    }

    #[test]
    fn share_must_be_a_pair() {
        let e = errors(&edited(
            "preset = \"comet\"",
            "in = [ { share = [7, 9], at_least = 70 }, { share = [1, 2, 3], below = 15 } ]",
        ));
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].location, key("consensus.in[2].share"));
        assert!(e[0].reason.contains("found 3 values"), "{}", e[0]);
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
        assert_eq!(e[0].location, key("rounds.reminders"));
        assert!(
            e[0].reason.contains("`3 days` is not a time before the deadline"),
            "{}",
            e[0]
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
        assert_eq!(e[0].location, key("section[2].key"));
        assert!(e[0].reason.contains("already the key of section[1]"), "{}", e[0]);
        assert_eq!(e[1].location, key("item[1].section"));
        assert!(
            e[1].reason
                .starts_with("`infant` is not the key of a [[section]] (known: maternal)"),
            "{}",
            e[1]
        );
    }

    #[test]
    fn items_inline_and_as_file_is_an_error() {
        let content = edited(
            "timezone = \"Africa/Nairobi\"",
            "timezone = \"Africa/Nairobi\"\nitems = \"items.csv\"",
        );
        let e = errors(&content);
        assert_eq!(e[0].location, key("items"));
        assert!(e[0].reason.contains("not both"), "{}", e[0]);
    }

    #[test]
    fn items_given_as_array_hints_at_item_tables() {
        let content = edited(
            "timezone = \"Africa/Nairobi\"",
            "timezone = \"Africa/Nairobi\"\nitems = [ { code = \"A\" } ]",
        );
        let e = errors(&content);
        assert_eq!(e[0].location, key("items"));
        assert!(e[0].reason.contains("[[item]] tables"), "{}", e[0]);
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
        assert_eq!(e[0].location, key("item[2].code"));
        assert!(
            e[0].reason.contains("differs only in case from `M01` (item[1])"),
            "{}",
            e[0]
        );
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

    fn condition() -> impl Strategy<Value = super::super::spec::ConditionSpec> {
        (
            proptest::option::of(any::<[i32; 2]>()),
            proptest::option::of(prop::sample::select(vec!["median", "iqr", "mean"])),
            proptest::option::of(-1.0e6f64..1.0e6),
            proptest::option::of(0u8..100),
            proptest::option::of(any::<bool>()),
        )
            .prop_map(|(share, stat, at_least, below, with_unable)| {
                super::super::spec::ConditionSpec {
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
                    .prop_map(|(preset, in_)| super::super::spec::AlternativeSpec {
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
                    .prop_map(|(name, from, to)| super::super::spec::BandSpec { name, from, to }),
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
                            super::super::items_file::Translation { text, description },
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
