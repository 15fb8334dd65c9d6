//! The search for a contradiction in a rule: a small panel's distribution for which both the
//! `in` and the `out` list hold. Such a rule says an item is agreed in and agreed out at once,
//! so compiling refuses it and names the distribution.

use super::condition::Condition;
use super::model::{GroupMode, Rule};
use crate::domain::scale::Scale;
use crate::domain::stats::{Counts, UnablePolicy};

/// Largest panel searched for contradictions (the spec's "small panels").
const CONTRADICTION_PANEL: u64 = 10;

/// Most distributions one contradiction search may visit. It covers every panel of up to 10
/// answers on scales of up to 12 points, unable answers included (0–10 with unable: 646,646
/// distributions, about 40 ms in a release build); wider scales are searched with smaller
/// panels (0–100 with statistic conditions: up to 3 answers, about 0.1 s). Rules made only of
/// share and `n` conditions are searched over share ranges instead of points and always get 10.
const CONTRADICTION_BUDGET: u128 = 1_000_000;

/// Looks for a distribution of a small panel for which both lists hold, smallest panels first.
///
/// One distribution is enough under every group mode: if both lists held only across several
/// groups, they would hold in each of those groups alone. Under the `each` modes a group must
/// have responders, so panels with `n = 0` are skipped there.
pub(super) fn find_contradiction(rule: &Rule, scale: &Scale) -> Option<Counts> {
    if rule.in_.is_empty() || rule.out.is_empty() {
        return None;
    }
    let mut search = Search {
        rule,
        points: search_points(rule, scale),
        with_unable: rule.unable == UnablePolicy::Include && scale.unable_to_score(),
        counts: Counts::new(scale),
    };
    let categories = search.points.len() + usize::from(search.with_unable);
    let panel = panel_size(categories);
    (0..=panel)
        .any(|answers| search.fill(0, answers))
        .then_some(search.counts)
}

/// Points the search puts answers on. Share conditions see a distribution only through the
/// counts of whole ranges, so when every condition is a share (or `n`) one representative
/// point per run of points that no range boundary splits is exact, and far cheaper.
fn search_points(rule: &Rule, scale: &Scale) -> Vec<i32> {
    let all = rule.in_.iter().chain(&rule.out);
    if !all.clone().all(Condition::depends_only_on_ranges) {
        return scale.points().collect();
    }
    let mut starts = vec![scale.min()];
    for condition in all {
        if let Condition::Share(share) = condition {
            starts.push(share.lo);
            if share.hi < scale.max() {
                starts.push(share.hi + 1);
            }
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// Largest panel up to [`CONTRADICTION_PANEL`] whose distributions over `categories` fit the
/// budget; there are C(categories + size, size) of them with at most `size` answers.
fn panel_size(categories: usize) -> u64 {
    let k = categories as u128;
    let mut distributions: u128 = 1;
    let mut size: u64 = 0;
    while size < CONTRADICTION_PANEL {
        let next = u128::from(size) + 1;
        let grown = distributions * (k + next) / next;
        if grown > CONTRADICTION_BUDGET {
            break;
        }
        distributions = grown;
        size += 1;
    }
    size
}

struct Search<'a> {
    rule: &'a Rule,
    points: Vec<i32>,
    with_unable: bool,
    counts: Counts,
}

impl Search<'_> {
    fn set(&mut self, category: usize, count: u64) {
        match self.points.get(category) {
            Some(&point) => self.counts.set_count(point, count),
            None => self.counts.set_unable(count),
        }
    }

    /// Tries every way to spread `remaining` answers over categories `category..`; on success
    /// leaves the witness in `self.counts`.
    fn fill(&mut self, category: usize, remaining: u64) -> bool {
        let last = self.points.len() + usize::from(self.with_unable) - 1;
        if category == last {
            self.set(category, remaining);
            if self.both_hold() {
                return true;
            }
            self.set(category, 0);
            return false;
        }
        for count in 0..=remaining {
            self.set(category, count);
            if self.fill(category + 1, remaining - count) {
                return true;
            }
        }
        self.set(category, 0);
        false
    }

    fn both_hold(&self) -> bool {
        if self.rule.groups != GroupMode::Pooled && self.counts.n(self.rule.unable) == 0 {
            return false;
        }
        self.rule.holds_for(&self.rule.in_, &self.counts) && self.rule.holds_for(&self.rule.out, &self.counts)
    }
}

/// `c1=0 c2=0 … c9=10, unable=0 (10 answers)`; on wide scales only the non-zero points.
pub(super) fn describe_distribution(counts: &Counts, scale: &Scale) -> String {
    let wide = scale.len() > 11;
    let mut points: Vec<String> = counts
        .iter()
        .filter(|&(_, c)| !wide || c > 0)
        .map(|(point, count)| format!("c{point}={count}"))
        .collect();
    if wide {
        points.push("other points 0".to_string());
    }
    let answers = counts.m().saturating_add(counts.unable());
    format!(
        "{}, unable={} ({answers} answer{})",
        points.join(" "),
        counts.unable(),
        if answers == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::super::condition::{Op, ShareCondition, Threshold};
    use super::super::model::Preset;
    use super::super::testing::{c9, compile, error, lists, nine, preset, scale, share, stat};
    use super::*;
    use crate::domain::spec::{AlternativeSpec, ConsensusSpec};
    use crate::domain::stats::QuantileType;
    use std::time::Instant;

    #[test]
    fn presets_are_free_of_contradictions_under_every_modifier() {
        for name in ["comet", "rand-ucla"] {
            for unable in ["exclude", "include"] {
                for (quantiles, groups) in [(7, "pooled"), (6, "each")] {
                    let spec = ConsensusSpec {
                        unable: Some(unable.into()),
                        quantiles: Some(quantiles),
                        groups: Some(groups.into()),
                        ..preset(name)
                    };
                    let rules = compile(&spec, &nine());
                    assert_eq!(rules.primary.preset, Preset::parse(name));
                }
            }
        }
    }

    #[test]
    fn a_rule_where_both_lists_can_hold_is_rejected_with_the_distribution() {
        let spec = lists(
            vec![share(7, 9, Op::AtLeast, 50.0)],
            vec![share(1, 3, Op::AtLeast, 50.0)],
        );
        let e = error(&spec, &nine());
        assert_eq!(e.key, "consensus");
        assert_eq!(
            e.reason,
            "rule `primary`: both `in` and `out` hold for the distribution \
             c1=1 c2=0 c3=0 c4=0 c5=0 c6=0 c7=1 c8=0 c9=0, unable=0 (2 answers)"
        );
        // The named distribution really makes both lists hold.
        let at_least_half = |lo, hi| {
            Condition::Share(ShareCondition {
                lo,
                hi,
                with_unable: false,
                op: Op::AtLeast,
                percent: Threshold::new(50.0).unwrap(),
            })
        };
        let rule = Rule {
            preset: None,
            in_: vec![at_least_half(7, 9)],
            out: vec![at_least_half(1, 3)],
            quantiles: QuantileType::Seven,
            unable: UnablePolicy::Exclude,
            groups: GroupMode::Pooled,
        };
        let witness = c9([1, 0, 0, 0, 0, 0, 1, 0, 0], 0);
        assert!(rule.in_holds(&witness, &[]) && rule.out_holds(&witness, &[]));
        // Above 50% on both sides cannot happen.
        let fixed = lists(
            vec![share(7, 9, Op::Above, 50.0)],
            vec![share(1, 3, Op::Above, 50.0)],
        );
        compile(&fixed, &nine());
    }

    #[test]
    fn contradictions_in_statistics_are_found_on_points() {
        let mut spec = preset("comet");
        spec.alternatives.insert(
            "loose".into(),
            AlternativeSpec {
                in_: Some(vec![stat("median", Op::AtLeast, 5.0)]),
                out: Some(vec![stat("mean", Op::AtMost, 5.0)]),
                ..AlternativeSpec::default()
            },
        );
        let e = error(&spec, &nine());
        assert_eq!(e.key, "consensus.alternatives.loose");
        assert!(
            e.reason.starts_with("rule `loose`: both `in` and `out` hold"),
            "{e}"
        );
        assert!(
            e.reason
                .ends_with("c5=1 c6=0 c7=0 c8=0 c9=0, unable=0 (1 answer)"),
            "{e}"
        );
    }

    #[test]
    fn unable_answers_are_searched_only_when_included() {
        let in_ = vec![share(1, 9, Op::AtMost, 50.0)];
        let out = vec![share(1, 9, Op::Below, 60.0)];
        // Excluding unable answers, any score makes the share 100%: no contradiction.
        compile(&lists(in_.clone(), out.clone()), &nine());
        // Including them, a panel of one unable answer has 0% and both hold.
        let spec = ConsensusSpec {
            unable: Some("include".into()),
            ..lists(in_.clone(), out.clone())
        };
        let e = error(&spec, &nine());
        assert!(e.reason.ends_with("c9=0, unable=1 (1 answer)"), "{e}");
        // A scale without an unable option never produces unable answers.
        compile(&spec, &scale(1, 9, false));
    }

    #[test]
    fn group_modes_need_responders_in_the_witness() {
        let in_ = vec![stat("n", Op::AtMost, 3.0)];
        let out = vec![stat("n", Op::AtMost, 5.0)];
        let e = error(&lists(in_.clone(), out.clone()), &nine());
        assert!(e.reason.ends_with("unable=0 (0 answers)"), "{e}");
        let each = ConsensusSpec {
            groups: Some("each".into()),
            ..lists(in_, out)
        };
        // `n` conditions are searched over one representative point, the scale's lowest.
        let e = error(&each, &nine());
        assert!(e.reason.contains("c1=1 c2=0"), "{e}");
        assert!(e.reason.ends_with("unable=0 (1 answer)"), "{e}");
    }

    #[test]
    fn wide_scales_are_searched_within_budget() {
        assert_eq!(panel_size(3), 10);
        assert_eq!(panel_size(10), 10); // 1–9 with unable: 184,756 distributions
        assert_eq!(panel_size(12), 10); // 0–10 with unable: 646,646
        assert_eq!(panel_size(13), 9);
        assert_eq!(panel_size(101), 3);
        let wide = scale(0, 100, false);
        let spec = lists(
            vec![stat("median", Op::AtLeast, 70.0), stat("iqr", Op::AtMost, 10.0)],
            vec![stat("median", Op::AtMost, 30.0), stat("iqr", Op::AtMost, 10.0)],
        );
        let started = Instant::now();
        compile(&spec, &wide);
        // Generous: debug builds are slow; release takes a fraction of this.
        assert!(started.elapsed().as_secs() < 30);
        // Share-only rules are searched over ranges, so even 0–100 gets 10 answers.
        let shares = lists(
            vec![share(70, 100, Op::AtLeast, 50.0)],
            vec![share(0, 30, Op::AtLeast, 50.0)],
        );
        let e = error(&shares, &wide);
        assert!(
            e.reason
                .contains("c0=1 c70=1 other points 0, unable=0 (2 answers)"),
            "{e}"
        );
    }

    #[test]
    #[ignore = "timing report; run with `cargo test --release -- --ignored --nocapture`"]
    fn contradiction_search_timing() {
        let statistic_rule = |unable: &str| ConsensusSpec {
            unable: Some(unable.into()),
            ..lists(
                vec![stat("median", Op::AtLeast, 7.0), stat("iqr", Op::AtMost, 2.0)],
                vec![stat("median", Op::AtMost, 3.0), stat("iqr", Op::AtMost, 2.0)],
            )
        };
        let rand_ucla = ConsensusSpec {
            unable: Some("include".into()),
            ..preset("rand-ucla")
        };
        let cases = [
            (
                "1–9 median/iqr, unable included",
                statistic_rule("include"),
                nine(),
            ),
            ("1–9 rand-ucla, unable included", rand_ucla, nine()),
            (
                "0–10 median/iqr, unable included",
                statistic_rule("include"),
                scale(0, 10, true),
            ),
            (
                "0–100 median/iqr",
                statistic_rule("exclude"),
                scale(0, 100, false),
            ),
        ];
        for (label, spec, scale) in cases {
            let started = Instant::now();
            compile(&spec, &scale);
            eprintln!("{label}: {:?}", started.elapsed());
        }
    }
}
