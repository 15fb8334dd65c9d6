//! The consensus lines a figure can draw: a rule's condition "at least 70 % of scores in 7–9"
//! is a line at 70 % on the bar of the band 7–9. Only a condition on the share of exactly one
//! band of the scale, counted among the answers with a score, is such a line; a median, an IQR
//! or a range that is not a band has no place on a bar of band shares, and neither has a share
//! whose denominator counts "unable to score" answers (the figure leaves them out).

use super::condition::{Condition, Op, ShareCondition};
use super::model::Rule;
use crate::domain::scale::Scale;
use crate::domain::stats::UnablePolicy;

/// A share threshold on one band: the band must hold `op` `percent` of the scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandThreshold {
    /// Index into [`Scale::bands`].
    pub band: usize,
    /// [`Op::AtLeast`] or [`Op::Above`]: a floor is what a line on a bar marks.
    pub op: Op,
    pub percent: f64,
}

/// The lines of a rule: the share an item needs in a band to be **in**, and to be **out**.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Thresholds {
    pub in_: Option<BandThreshold>,
    pub out: Option<BandThreshold>,
    /// The rule counts "unable to score" answers in its shares, so no band share of the
    /// figure's bars (which leave them out) compares with its thresholds: no line is drawn.
    pub unable_counted: bool,
}

impl Thresholds {
    pub fn is_empty(&self) -> bool {
        self.in_.is_none() && self.out.is_none()
    }
}

/// The band thresholds of `rule` on `scale`: for `in` and for `out`, the first condition of the
/// list that is a floor on the share of one band (COMET's "≥ 70 % in 7–9"). Ceilings ("< 15 %
/// in 1–3") qualify an item but are not what its bar is read against, so they are left out.
pub fn band_thresholds(rule: &Rule, scale: &Scale) -> Thresholds {
    if rule.unable == UnablePolicy::Include {
        let any = rule
            .in_
            .iter()
            .chain(&rule.out)
            .any(|c| floor_on_band(c, scale).is_some());
        return Thresholds {
            unable_counted: any,
            ..Thresholds::default()
        };
    }
    let first = |list: &[Condition]| list.iter().find_map(|c| floor_on_band(c, scale));
    Thresholds {
        in_: first(&rule.in_),
        out: first(&rule.out),
        unable_counted: false,
    }
}

fn floor_on_band(condition: &Condition, scale: &Scale) -> Option<BandThreshold> {
    let Condition::Share(ShareCondition {
        lo,
        hi,
        with_unable: false,
        op: op @ (Op::AtLeast | Op::Above),
        percent,
    }) = *condition
    else {
        return None;
    };
    let band = scale.bands().iter().position(|b| b.from == lo && b.to == hi)?;
    Some(BandThreshold {
        band,
        op,
        percent: percent.value(),
    })
}

#[cfg(test)]
mod tests {

    use super::super::testing::{compile, lists, preset, share, stat};
    use super::*;
    use crate::domain::scale::nine_points;

    #[test]
    fn comet_draws_seventy_percent_on_the_top_band_and_on_the_bottom_one() {
        let rules = compile(&preset("comet"), &nine_points(true));
        let t = band_thresholds(&rules.primary, &nine_points(true));
        assert_eq!(
            t.in_,
            Some(BandThreshold {
                band: 2,
                op: Op::AtLeast,
                percent: 70.0
            })
        );
        assert_eq!(
            t.out,
            Some(BandThreshold {
                band: 0,
                op: Op::AtLeast,
                percent: 70.0
            })
        );
        assert!(!t.unable_counted && !t.is_empty());
    }

    #[test]
    fn statistics_ceilings_and_ranges_that_are_not_bands_draw_nothing() {
        let scale = nine_points(true);
        let rules = compile(&preset("rand-ucla"), &scale);
        assert!(band_thresholds(&rules.primary, &scale).is_empty());
        // 8–9 is no band; "below 15 % in 1–3" is a ceiling.
        let spec = lists(
            vec![share(8, 9, Op::AtLeast, 60.0), share(1, 3, Op::Below, 15.0)],
            vec![stat("median", Op::AtMost, 3.0)],
        );
        let rules = compile(&spec, &scale);
        let t = band_thresholds(&rules.primary, &scale);
        assert!(t.is_empty(), "{t:?}");
        assert!(!t.unable_counted);
    }

    #[test]
    fn the_first_floor_on_a_band_is_the_line_and_above_counts_as_a_floor() {
        let scale = nine_points(true);
        let spec = lists(
            vec![stat("median", Op::AtLeast, 7.0), share(7, 9, Op::Above, 75.5)],
            vec![],
        );
        let t = band_thresholds(&compile(&spec, &scale).primary, &scale);
        assert_eq!(
            t.in_,
            Some(BandThreshold {
                band: 2,
                op: Op::Above,
                percent: 75.5
            })
        );
        assert_eq!(t.out, None);
    }

    #[test]
    fn a_scale_without_bands_has_no_band_to_mark() {
        let scale = super::super::testing::nine();
        let rules = compile(&preset("comet"), &scale);
        assert!(band_thresholds(&rules.primary, &scale).is_empty());
    }

    #[test]
    fn a_rule_counting_unable_answers_draws_no_line_and_says_why() {
        let scale = nine_points(true);
        let mut spec = preset("comet");
        spec.unable = Some("include".into());
        let t = band_thresholds(&compile(&spec, &scale).primary, &scale);
        assert!(t.is_empty());
        assert!(t.unable_counted);
    }
}
