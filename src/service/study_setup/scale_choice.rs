//! The scales the form offers as presets, with their words and bands in the reader's language.

use std::collections::BTreeMap;

use crate::domain::spec::{BandSpec, ScaleSpec};
use crate::i18n;

/// The scales the form offers; `Custom` takes its range from the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleChoice {
    /// 1–9, as GRADE and COMET use it.
    Nine,
    Five,
    Seven,
    Custom,
}

impl ScaleChoice {
    pub const ALL: [ScaleChoice; 4] = [
        ScaleChoice::Nine,
        ScaleChoice::Five,
        ScaleChoice::Seven,
        ScaleChoice::Custom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ScaleChoice::Nine => "nine",
            ScaleChoice::Five => "five",
            ScaleChoice::Seven => "seven",
            ScaleChoice::Custom => "custom",
        }
    }

    pub fn parse(text: &str) -> Option<ScaleChoice> {
        ScaleChoice::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub(super) fn range(self) -> Option<(i32, i32)> {
        match self {
            ScaleChoice::Nine => Some((1, 9)),
            ScaleChoice::Five => Some((1, 5)),
            ScaleChoice::Seven => Some((1, 7)),
            ScaleChoice::Custom => None,
        }
    }

    /// The preset's words per point (message keys), and its bands as (key, from, to).
    fn wording(self) -> (Vec<PointWords>, Vec<BandWords>) {
        match self {
            ScaleChoice::Nine => (
                vec![(1, "setup-nine-1"), (5, "setup-nine-5"), (9, "setup-nine-9")],
                vec![
                    ("setup-nine-1", 1, 3),
                    ("setup-nine-5", 4, 6),
                    ("setup-nine-9", 7, 9),
                ],
            ),
            ScaleChoice::Five => every_point_worded(&FIVE, "setup-five-band-low", "setup-five-band-high"),
            ScaleChoice::Seven => every_point_worded(&SEVEN, "setup-seven-band-low", "setup-seven-band-high"),
            ScaleChoice::Custom => (Vec::new(), Vec::new()),
        }
    }

    /// The preset a stored scale is, if it is one (same range and bands), else `Custom`.
    pub(super) fn of(spec: &ScaleSpec) -> ScaleChoice {
        [ScaleChoice::Nine, ScaleChoice::Five, ScaleChoice::Seven]
            .into_iter()
            .find(|choice| {
                let same_bands = |lang: &str| {
                    choice
                        .bands(lang)
                        .iter()
                        .map(|b| (b.from, b.to))
                        .collect::<Vec<_>>()
                        == spec.bands.iter().map(|b| (b.from, b.to)).collect::<Vec<_>>()
                };
                choice.range() == Some((spec.min, spec.max)) && same_bands("en")
            })
            .unwrap_or(ScaleChoice::Custom)
    }

    pub(super) fn bands(self, lang: &str) -> Vec<BandSpec> {
        self.wording()
            .1
            .into_iter()
            .map(|(key, from, to)| BandSpec {
                name: i18n::translate(lang, key, &[]),
                from,
                to,
            })
            .collect()
    }

    pub(super) fn labels(self, lang: &str) -> BTreeMap<i32, String> {
        self.wording()
            .0
            .into_iter()
            .map(|(point, key)| (point, i18n::translate(lang, key, &[])))
            .collect()
    }
}

/// A scale point and the message key of its words.
type PointWords = (i32, &'static str);
/// A band's message key and its points from–to.
type BandWords = (&'static str, i32, i32);

/// An odd scale with words on every point (`words`, from 1) and three bands: the points below
/// the middle one, the middle point alone under its own words, and the points above it.
fn every_point_worded(
    words: &'static [&'static str],
    low: &'static str,
    high: &'static str,
) -> (Vec<PointWords>, Vec<BandWords>) {
    let max = words.len() as i32;
    let middle = max / 2 + 1;
    let points = (1..=max).zip(words.iter().copied()).collect();
    let bands = vec![
        (low, 1, middle - 1),
        (words[words.len() / 2], middle, middle),
        (high, middle + 1, max),
    ];
    (points, bands)
}

const FIVE: [&str; 5] = [
    "setup-five-1",
    "setup-five-2",
    "setup-five-3",
    "setup-five-4",
    "setup-five-5",
];
const SEVEN: [&str; 7] = [
    "setup-seven-1",
    "setup-seven-2",
    "setup-seven-3",
    "setup-seven-4",
    "setup-seven-5",
    "setup-seven-6",
    "setup-seven-7",
];
