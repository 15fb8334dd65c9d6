//! The rating scale of a study: its points, their labels, and the named bands that group them
//! (e.g. COMET's 1–3 / 4–6 / 7–9). Built once from the `[scale]` table and then trusted by the
//! statistics, the consensus rules and the stability measures.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use super::spec::{BandSpec, ScaleSpec};

/// The widest scale accepted. 0–100 visual analogue scales are the widest in Delphi practice;
/// every count, histogram and contradiction search is sized by the number of points, so an
/// unbounded scale (say `max = 2147483647`) would turn counting into a memory problem.
pub const MAX_POINTS: usize = 101;

/// A validated scale problem, pointing at the offending key of the study file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("key `{key}`: {reason}")]
pub struct ScaleError {
    /// Dotted key path inside the study file, e.g. `scale.bands[1].to` (indices count from 1, as a person counts the entries).
    pub key: String,
    pub reason: String,
}

impl ScaleError {
    fn new(key: impl Into<String>, reason: impl Into<String>) -> Self {
        ScaleError {
            key: key.into(),
            reason: reason.into(),
        }
    }
}

/// A named run of consecutive scale points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub name: String,
    pub from: i32,
    pub to: i32,
}

impl Band {
    pub fn contains(&self, score: i32) -> bool {
        self.from <= score && score <= self.to
    }
}

/// A validated scale. Fields are private so that every `Scale` in the program satisfies the
/// invariants checked by [`Scale::from_spec`]; it serialises as the study-file shape and
/// deserialises through the same validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ScaleSpec", into = "ScaleSpec")]
pub struct Scale {
    min: i32,
    max: i32,
    labels: BTreeMap<i32, String>,
    bands: Vec<Band>,
    unable_to_score: bool,
}

impl Scale {
    /// Validates a `[scale]` table.
    ///
    /// Bands must be in ascending order and must not overlap; gaps between bands are allowed
    /// (a study may band only the ends of a scale). For movement between rounds a gap counts as
    /// a band of its own, see [`Scale::zone_of`].
    pub fn from_spec(spec: &ScaleSpec) -> Result<Scale, ScaleError> {
        if spec.min >= spec.max {
            return Err(ScaleError::new(
                "scale.max",
                format!(
                    "must be greater than `min` ({}); a scale needs at least two points",
                    spec.min
                ),
            ));
        }
        let points = i64::from(spec.max) - i64::from(spec.min) + 1;
        if points > MAX_POINTS as i64 {
            return Err(ScaleError::new(
                "scale.max",
                format!(
                    "the scale {}–{} has {points} points; at most {MAX_POINTS} are supported \
                     (a 0–100 scale is the widest)",
                    spec.min, spec.max
                ),
            ));
        }
        let labels = compile_labels(spec)?;
        let bands = compile_bands(spec)?;
        Ok(Scale {
            min: spec.min,
            max: spec.max,
            labels,
            bands,
            unable_to_score: spec.unable_to_score,
        })
    }

    pub fn min(&self) -> i32 {
        self.min
    }

    pub fn max(&self) -> i32 {
        self.max
    }

    pub fn labels(&self) -> &BTreeMap<i32, String> {
        &self.labels
    }

    pub fn label(&self, score: i32) -> Option<&str> {
        self.labels.get(&score).map(String::as_str)
    }

    pub fn bands(&self) -> &[Band] {
        &self.bands
    }

    pub fn unable_to_score(&self) -> bool {
        self.unable_to_score
    }

    pub fn points(&self) -> RangeInclusive<i32> {
        self.min..=self.max
    }

    /// Number of points; at least 2 and at most [`MAX_POINTS`].
    pub fn len(&self) -> usize {
        // from_spec guarantees 2..=MAX_POINTS points, so the difference is small and positive.
        (i64::from(self.max) - i64::from(self.min) + 1) as usize
    }

    /// Always false: a scale has at least two points. Present because `len` is.
    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn contains(&self, score: i32) -> bool {
        self.min <= score && score <= self.max
    }

    /// The 1–9 scale of GRADE, COMET and the RAND/UCLA method, which the presets and the
    /// RAND/UCLA disagreement index assume.
    pub fn is_one_to_nine(&self) -> bool {
        self.min == 1 && self.max == 9
    }

    /// Index into [`Scale::bands`] of the band holding `score`.
    pub fn band_of(&self, score: i32) -> Option<usize> {
        self.bands.iter().position(|band| band.contains(score))
    }

    /// Zone of a point for counting movement between rounds: band `i` is zone `2i + 1`, and the
    /// gap just below band `i` is zone `2i` (the gap above the last band is zone `2·bands`).
    /// Giving each gap its own zone means that moving across a band counts as moving even when
    /// both scores sit in unbanded gaps. `None` for a score outside the scale.
    pub fn zone_of(&self, score: i32) -> Option<usize> {
        if !self.contains(score) {
            return None;
        }
        let below = self.bands.iter().filter(|band| band.to < score).count();
        match self.bands.get(below) {
            Some(band) if band.contains(score) => Some(2 * below + 1),
            _ => Some(2 * below),
        }
    }

    /// Human form of the scale for messages, e.g. `1–9`.
    pub fn describe(&self) -> String {
        format!("{}–{}", self.min, self.max)
    }
}

fn compile_labels(spec: &ScaleSpec) -> Result<BTreeMap<i32, String>, ScaleError> {
    let mut labels = BTreeMap::new();
    for (key, text) in &spec.labels {
        let path = format!("scale.labels.{key}");
        let point: i32 = key.parse().map_err(|_| {
            ScaleError::new(
                &path,
                format!("label keys must be whole scale points; `{key}` is not an integer"),
            )
        })?;
        if point < spec.min || point > spec.max {
            return Err(ScaleError::new(
                &path,
                format!("point {point} is outside the scale {}–{}", spec.min, spec.max),
            ));
        }
        if text.trim().is_empty() {
            return Err(ScaleError::new(
                &path,
                "label text is empty; leave the point out instead",
            ));
        }
        // Keys such as "1" and "01" parse to the same point and would silently overwrite.
        if labels.insert(point, text.clone()).is_some() {
            return Err(ScaleError::new(&path, format!("point {point} is labelled twice")));
        }
    }
    Ok(labels)
}

fn compile_bands(spec: &ScaleSpec) -> Result<Vec<Band>, ScaleError> {
    let mut bands: Vec<Band> = Vec::with_capacity(spec.bands.len());
    for (index, band) in spec.bands.iter().enumerate() {
        let path = format!("scale.bands[{}]", index + 1);
        check_band(spec, band, &path)?;
        if bands.iter().any(|earlier| earlier.name == band.name.trim()) {
            return Err(ScaleError::new(
                format!("{path}.name"),
                format!("band name `{}` is used twice", band.name.trim()),
            ));
        }
        if let Some(previous) = bands.last() {
            if band.from <= previous.to {
                return Err(ScaleError::new(
                    format!("{path}.from"),
                    format!(
                        "band `{}` starts at {} but the previous band `{}` runs to {}; bands \
                         must be listed in ascending order and must not overlap",
                        band.name.trim(),
                        band.from,
                        previous.name,
                        previous.to
                    ),
                ));
            }
        }
        bands.push(Band {
            name: band.name.trim().to_string(),
            from: band.from,
            to: band.to,
        });
    }
    Ok(bands)
}

fn check_band(spec: &ScaleSpec, band: &BandSpec, path: &str) -> Result<(), ScaleError> {
    if band.name.trim().is_empty() {
        return Err(ScaleError::new(format!("{path}.name"), "band name is empty"));
    }
    for (field, value) in [("from", band.from), ("to", band.to)] {
        if value < spec.min || value > spec.max {
            return Err(ScaleError::new(
                format!("{path}.{field}"),
                format!("{value} is outside the scale {}–{}", spec.min, spec.max),
            ));
        }
    }
    if band.from > band.to {
        return Err(ScaleError::new(
            format!("{path}.to"),
            format!(
                "band `{}` ends at {} before it starts at {}",
                band.name.trim(),
                band.to,
                band.from
            ),
        ));
    }
    Ok(())
}

impl TryFrom<ScaleSpec> for Scale {
    type Error = ScaleError;

    fn try_from(spec: ScaleSpec) -> Result<Self, Self::Error> {
        Scale::from_spec(&spec)
    }
}

impl From<Scale> for ScaleSpec {
    fn from(scale: Scale) -> Self {
        ScaleSpec {
            min: scale.min,
            max: scale.max,
            labels: scale
                .labels
                .into_iter()
                .map(|(point, text)| (point.to_string(), text))
                .collect(),
            bands: scale
                .bands
                .into_iter()
                .map(|band| BandSpec {
                    name: band.name,
                    from: band.from,
                    to: band.to,
                })
                .collect(),
            unable_to_score: scale.unable_to_score,
        }
    }
}

/// A 1–9 scale with "unable to score", in the three GRADE bands of three points each or in
/// none: the scale the figure and stability tests reason about.
#[cfg(test)]
pub(crate) fn nine_points(banded: bool) -> Scale {
    let band = |name: &str, from, to| BandSpec {
        name: name.into(),
        from,
        to,
    };
    let bands = [
        band("Not important", 1, 3),
        band("Important but not critical", 4, 6),
        band("Critical", 7, 9),
    ];
    let spec = ScaleSpec {
        min: 1,
        max: 9,
        labels: BTreeMap::new(),
        bands: if banded { bands.into() } else { Vec::new() },
        unable_to_score: true,
    };
    // A spec written out just above: a failure here is a broken test, not bad input.
    Scale::from_spec(&spec).unwrap_or_else(|e| panic!("the nine-point test scale: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(min: i32, max: i32) -> ScaleSpec {
        ScaleSpec {
            min,
            max,
            labels: BTreeMap::new(),
            bands: Vec::new(),
            unable_to_score: false,
        }
    }

    fn band(name: &str, from: i32, to: i32) -> BandSpec {
        BandSpec {
            name: name.to_string(),
            from,
            to,
        }
    }

    fn grade() -> ScaleSpec {
        ScaleSpec {
            bands: vec![
                band("not important", 1, 3),
                band("important but not critical", 4, 6),
                band("critical", 7, 9),
            ],
            ..spec(1, 9)
        }
    }

    fn err(spec: &ScaleSpec) -> ScaleError {
        match Scale::from_spec(spec) {
            Ok(scale) => panic!("expected an error, got {scale:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn grade_scale_compiles_with_bands() {
        let scale = Scale::from_spec(&grade()).unwrap();
        assert_eq!(scale.len(), 9);
        assert!(scale.is_one_to_nine());
        assert_eq!(scale.points().collect::<Vec<_>>(), (1..=9).collect::<Vec<_>>());
        assert_eq!(scale.band_of(1), Some(0));
        assert_eq!(scale.band_of(3), Some(0));
        assert_eq!(scale.band_of(4), Some(1));
        assert_eq!(scale.band_of(9), Some(2));
        assert_eq!(scale.band_of(10), None);
        assert!(scale.contains(1) && scale.contains(9));
        assert!(!scale.contains(0) && !scale.contains(10));
    }

    #[test]
    fn min_must_be_below_max() {
        let e = err(&spec(5, 5));
        assert_eq!(e.key, "scale.max");
        assert!(e.reason.contains("at least two points"), "{e}");
        assert_eq!(err(&spec(9, 1)).key, "scale.max");
    }

    #[test]
    fn at_most_101_points() {
        assert!(Scale::from_spec(&spec(0, 100)).is_ok());
        let e = err(&spec(0, 101));
        assert!(e.reason.contains("102 points"), "{e}");
        // Extreme bounds must not overflow while counting points.
        assert!(Scale::from_spec(&spec(i32::MIN, i32::MAX)).is_err());
    }

    #[test]
    fn labels_must_be_integer_points_inside_the_scale() {
        let mut s = spec(1, 5);
        s.labels.insert("1".into(), "Not important".into());
        s.labels.insert("5".into(), "Critical".into());
        let scale = Scale::from_spec(&s).unwrap();
        assert_eq!(scale.label(1), Some("Not important"));
        assert_eq!(scale.label(3), None);

        let mut bad = spec(1, 5);
        bad.labels.insert("one".into(), "x".into());
        let e = err(&bad);
        assert_eq!(e.key, "scale.labels.one");
        assert!(e.reason.contains("not an integer"));

        let mut outside = spec(1, 5);
        outside.labels.insert("6".into(), "x".into());
        assert!(err(&outside).reason.contains("outside the scale 1–5"));

        let mut twice = spec(1, 5);
        twice.labels.insert("1".into(), "a".into());
        twice.labels.insert("01".into(), "b".into());
        assert!(err(&twice).reason.contains("labelled twice"));

        let mut empty = spec(1, 5);
        empty.labels.insert("2".into(), "  ".into());
        assert!(err(&empty).reason.contains("empty"));
    }

    #[test]
    fn band_errors_carry_the_key_path() {
        let mut s = grade();
        s.bands[1].to = 10;
        let e = err(&s);
        assert_eq!(e.key, "scale.bands[2].to");
        assert_eq!(
            e.to_string(),
            "key `scale.bands[2].to`: 10 is outside the scale 1–9"
        );

        let mut reversed = grade();
        reversed.bands[2] = band("critical", 9, 7);
        assert_eq!(err(&reversed).key, "scale.bands[3].to");

        let mut overlap = grade();
        overlap.bands[1].from = 3;
        let e = err(&overlap);
        assert_eq!(e.key, "scale.bands[2].from");
        assert!(e.reason.contains("must not overlap"));

        let mut unordered = grade();
        unordered.bands.swap(0, 2);
        assert_eq!(err(&unordered).key, "scale.bands[2].from");

        let mut unnamed = grade();
        unnamed.bands[0].name = " ".into();
        assert_eq!(err(&unnamed).key, "scale.bands[1].name");

        let mut duplicate = grade();
        duplicate.bands[2].name = "not important".into();
        assert_eq!(err(&duplicate).key, "scale.bands[3].name");
    }

    #[test]
    fn gaps_between_bands_are_zones_of_their_own() {
        let s = ScaleSpec {
            bands: vec![band("low", 1, 2), band("high", 8, 9)],
            ..spec(1, 9)
        };
        let scale = Scale::from_spec(&s).unwrap();
        assert_eq!(scale.band_of(5), None);
        let zones: Vec<_> = scale.points().map(|p| scale.zone_of(p)).collect();
        let expected = [1, 1, 2, 2, 2, 2, 2, 3, 3].map(Some);
        assert_eq!(zones, expected);
        assert_eq!(scale.zone_of(0), None);

        // Adjacent bands are still different zones.
        let adjacent = Scale::from_spec(&grade()).unwrap();
        assert_eq!(adjacent.zone_of(3), Some(1));
        assert_eq!(adjacent.zone_of(4), Some(3));
        assert_eq!(adjacent.zone_of(7), Some(5));
    }

    #[test]
    fn serde_round_trip_goes_through_validation() {
        let scale = Scale::from_spec(&grade()).unwrap();
        let json = serde_json::to_string(&scale).unwrap();
        let back: Scale = serde_json::from_str(&json).unwrap();
        assert_eq!(back, scale);
        let invalid = r#"{"min":3,"max":1}"#;
        assert!(serde_json::from_str::<Scale>(invalid).is_err());
    }
}
