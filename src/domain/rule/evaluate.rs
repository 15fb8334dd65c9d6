//! Classifying an item under a rule: status is **in** when every `in` condition holds and not
//! every `out` condition does, **out** in the mirror case, otherwise **none**; under the `each`
//! group modes, in every stakeholder group that responded.

use super::condition::Condition;
use super::model::{GroupMode, Rule, Status};
use crate::domain::stats::Counts;

impl Rule {
    /// Classifies one item. `groups` are the per-stakeholder-group counts (used by the `each`
    /// modes; a group with `n = 0` under the rule's unable policy is skipped).
    pub fn evaluate(&self, pooled: &Counts, groups: &[Counts]) -> Status {
        let in_holds = self.list_holds(&self.in_, pooled, groups);
        let out_holds = self.list_holds(&self.out, pooled, groups);
        match (in_holds, out_holds) {
            (true, false) => Status::In,
            (false, true) => Status::Out,
            _ => Status::None,
        }
    }

    pub fn in_holds(&self, pooled: &Counts, groups: &[Counts]) -> bool {
        self.list_holds(&self.in_, pooled, groups)
    }

    pub fn out_holds(&self, pooled: &Counts, groups: &[Counts]) -> bool {
        self.list_holds(&self.out, pooled, groups)
    }

    fn list_holds(&self, list: &[Condition], pooled: &Counts, groups: &[Counts]) -> bool {
        match self.groups {
            GroupMode::Pooled => self.holds_for(list, pooled),
            GroupMode::Each => self.holds_in_each_group(list, groups),
            GroupMode::PooledAndEach => {
                self.holds_for(list, pooled) && self.holds_in_each_group(list, groups)
            }
        }
    }

    fn holds_in_each_group(&self, list: &[Condition], groups: &[Counts]) -> bool {
        let mut responding = groups.iter().filter(|g| g.n(self.unable) > 0).peekable();
        responding.peek().is_some() && responding.all(|group| self.holds_for(list, group))
    }

    /// A list holds for one distribution when it is non-empty and all its conditions hold.
    pub(super) fn holds_for(&self, list: &[Condition], counts: &Counts) -> bool {
        !list.is_empty() && list.iter().all(|c| c.holds(counts, self.quantiles, self.unable))
    }
}

#[cfg(test)]
mod tests {
    use super::super::condition::Op;
    use super::super::model::{Rule, Status};
    use super::super::testing::{c9, compile, nine, preset, share, stat};
    use crate::domain::spec::{ConditionSpec, ConsensusSpec};

    /// The primary rule of `spec` on the 1–9 scale.
    fn primary(spec: ConsensusSpec) -> Rule {
        compile(&spec, &nine()).primary
    }

    /// The primary rule of a `[consensus]` table with these `in` conditions and no `out` ones.
    fn in_only(conditions: Vec<ConditionSpec>) -> Rule {
        primary(ConsensusSpec {
            in_: Some(conditions),
            ..ConsensusSpec::default()
        })
    }

    /// The status `rule` gives scores 1–9 counted `per_point`, without unable answers or groups.
    fn status(rule: &Rule, per_point: [u64; 9]) -> Status {
        rule.evaluate(&c9(per_point, 0), &[])
    }

    #[test]
    fn comet_boundaries_are_exact() {
        assert_statuses(
            "comet",
            [
                (
                    [0, 0, 0, 1, 1, 1, 2, 2, 3],
                    Status::In,
                    "exactly 70% (7 of 10) at 7–9, nobody at 1–3",
                ),
                (
                    [0, 0, 0, 0, 3001, 0, 0, 0, 6999],
                    Status::None,
                    "6999 of 10,000 (69.99%)",
                ),
                (
                    [3, 0, 0, 3, 0, 0, 14, 0, 0],
                    Status::None,
                    "exactly 15% at 1–3 blocks in",
                ),
                ([2, 0, 0, 4, 0, 0, 14, 0, 0], Status::In, "10% at 1–3 does not"),
                ([3, 2, 2, 1, 1, 1, 0, 0, 0], Status::Out, "the mirror image"),
                ([0; 9], Status::None, "nobody answered"),
            ],
        );
    }

    /// Asserts the status the preset's primary rule gives each distribution of scores 1–9.
    #[track_caller]
    fn assert_statuses<const N: usize>(name: &str, cases: [([u64; 9], Status, &str); N]) {
        let rule = primary(preset(name));
        for (counts, expected, why) in cases {
            assert_eq!(status(&rule, counts), expected, "{name}: {why}");
        }
    }

    #[test]
    fn comet_with_unable_included_counts_them_in_the_denominator() {
        let exclude = primary(preset("comet"));
        let include = primary(ConsensusSpec {
            unable: Some("include".into()),
            ..preset("comet")
        });
        let counts = c9([0, 0, 0, 1, 1, 1, 2, 2, 3], 1);
        assert_eq!(exclude.evaluate(&counts, &[]), Status::In);
        // 7 of 11 is 63.6%.
        assert_eq!(include.evaluate(&counts, &[]), Status::None);
    }

    #[test]
    fn rand_ucla_classifies_by_median_and_disagreement() {
        assert_statuses(
            "rand-ucla",
            [
                // Basger et al. 2012, Table 1.
                (
                    [0, 0, 0, 1, 1, 1, 5, 5, 2],
                    Status::In,
                    "median 7, DI 1/6.1: appropriate",
                ),
                // p30 = 1, p70 = 9, DI = 8 / 2.35 > 1.
                (
                    [4, 0, 0, 0, 0, 0, 0, 0, 6],
                    Status::None,
                    "median 9 split between 1 and 9: uncertain",
                ),
                (
                    [3, 5, 2, 0, 0, 0, 0, 0, 0],
                    Status::Out,
                    "median 2 without disagreement: inappropriate",
                ),
                ([1; 9], Status::None, "median 5: uncertain"),
            ],
        );
    }

    #[test]
    fn a_rule_with_only_in_conditions_never_says_out() {
        let rule = in_only(vec![
            stat("median", Op::AtLeast, 7.0),
            stat("iqr", Op::AtMost, 1.0),
        ]);
        assert!(rule.out.is_empty());
        assert_eq!(status(&rule, [0, 0, 0, 0, 0, 0, 4, 4, 0]), Status::In);
        assert_eq!(status(&rule, [9, 0, 0, 0, 0, 0, 0, 0, 0]), Status::None);
    }

    #[test]
    fn every_statistic_can_be_tested() {
        // 1..=9 once each: mean 5, sd √7.5, q1 3, q3 7, iqr 4, p30 3.4, p70 6.6, ipr 3.2,
        // ipras 2.35, di 64/47, n 9.
        let counts = c9([1; 9], 0);
        let cases = [
            ("median", 5.0),
            ("mean", 5.0),
            ("iqr", 4.0),
            ("q1", 3.0),
            ("q3", 7.0),
            ("p30", 3.4),
            ("p70", 6.6),
            ("ipr", 3.2),
            ("ipras", 2.35),
            ("n", 9.0),
        ];
        // In-only rules: no contradiction search, so this stays quick in debug builds.
        let rule_says = |name: &str, op, value| in_only(vec![stat(name, op, value)]).evaluate(&counts, &[]);
        for (name, value) in cases {
            assert_eq!(
                rule_says(name, Op::AtLeast, value),
                Status::In,
                "{name} ≥ {value}"
            );
            assert_eq!(rule_says(name, Op::AtMost, value), Status::In, "{name} ≤ {value}");
            assert_eq!(
                rule_says(name, Op::Above, value),
                Status::None,
                "{name} > {value}"
            );
            assert_eq!(
                rule_says(name, Op::Below, value),
                Status::None,
                "{name} < {value}"
            );
        }
        // sd = √7.5 ≈ 2.7386: compared through squares.
        assert_eq!(rule_says("sd", Op::Below, 2.7387), Status::In);
        assert_eq!(rule_says("sd", Op::Above, 2.7386), Status::In);
        assert_eq!(rule_says("sd", Op::AtMost, 2.7386), Status::None);
        assert_eq!(rule_says("sd", Op::Above, -1.0), Status::In);
        // di = 64/47 = 1.3617…
        assert_eq!(rule_says("di", Op::Above, 1.0), Status::In);
        assert_eq!(rule_says("di", Op::Below, 1.3618), Status::In);
        assert_eq!(rule_says("di", Op::Below, 1.3617), Status::None);
    }

    #[test]
    fn undefined_statistics_do_not_hold() {
        let sd = in_only(vec![stat("sd", Op::AtMost, 100.0)]);
        let one = c9([0, 0, 0, 0, 1, 0, 0, 0, 0], 0);
        let two = c9([0, 0, 0, 0, 2, 0, 0, 0, 0], 0);
        // sd of one score is undefined, so even `sd ≤ 100` does not hold.
        assert_eq!(sd.evaluate(&one, &[]), Status::None);
        assert_eq!(sd.evaluate(&two, &[]), Status::In);
        let median = primary(ConsensusSpec {
            out: Some(vec![stat("median", Op::AtLeast, -100.0)]),
            ..ConsensusSpec::default()
        });
        assert_eq!(median.evaluate(&one, &[]), Status::Out);
        // No scores, only unable answers: no median.
        assert_eq!(median.evaluate(&c9([0; 9], 3), &[]), Status::None);
    }

    #[test]
    fn share_thresholds_with_decimals_compare_exactly() {
        let rule = in_only(vec![share(7, 9, Op::AtLeast, 66.7)]);
        // 667 of 1000 is exactly 66.7%; 2 of 3 (66.66…%) is not.
        assert_eq!(status(&rule, [0, 0, 0, 0, 333, 0, 0, 0, 667]), Status::In);
        assert_eq!(status(&rule, [0, 0, 0, 0, 1, 0, 0, 0, 2]), Status::None);
    }

    #[test]
    fn with_unable_counts_unable_answers_in_the_numerator() {
        let rule = primary(ConsensusSpec {
            unable: Some("include".into()),
            out: Some(vec![ConditionSpec {
                with_unable: Some(true),
                ..share(1, 3, Op::AtLeast, 50.0)
            }]),
            ..ConsensusSpec::default()
        });
        // 1 score at 2 plus 1 unable of 4 answers: 50%.
        let counts = c9([0, 1, 0, 0, 0, 0, 0, 2, 0], 1);
        assert_eq!(rule.evaluate(&counts, &[]), Status::Out);
        assert_eq!(status(&rule, [0, 1, 0, 0, 0, 0, 0, 2, 0]), Status::None);
    }

    /// Comet's primary rule with `groups` set.
    fn comet_in_groups(groups: &str) -> Rule {
        primary(ConsensusSpec {
            groups: Some(groups.into()),
            ..preset("comet")
        })
    }

    #[test]
    fn group_modes() {
        let pooled = comet_in_groups("pooled");
        let each = comet_in_groups("each");
        let both = comet_in_groups("pooled_and_each");
        let agree = c9([0, 0, 0, 1, 0, 0, 0, 0, 9], 0);
        let lukewarm = c9([0, 0, 0, 4, 0, 0, 0, 0, 6], 0);
        let silent = c9([0; 9], 0);
        let mut all = agree.clone();
        all.merge(&lukewarm).unwrap();
        // Pooled 15 of 20 = 75%: in; the lukewarm group alone (60%) is not.
        let split = [agree.clone(), lukewarm.clone()];
        assert_eq!(pooled.evaluate(&all, &split), Status::In);
        assert_eq!(each.evaluate(&all, &split), Status::None);
        assert_eq!(both.evaluate(&all, &split), Status::None);
        // A group without responders is skipped.
        let one_silent = [agree.clone(), silent.clone()];
        assert_eq!(each.evaluate(&agree, &one_silent), Status::In);
        assert_eq!(both.evaluate(&agree, &one_silent), Status::In);
        // No group with responders: the lists do not hold.
        assert_eq!(each.evaluate(&agree, std::slice::from_ref(&silent)), Status::None);
        assert_eq!(each.evaluate(&agree, &[]), Status::None);
        assert_eq!(both.evaluate(&agree, &[]), Status::None);
        // Pooled must hold too in pooled_and_each.
        assert_eq!(
            both.evaluate(&lukewarm, std::slice::from_ref(&agree)),
            Status::None
        );
        assert_eq!(each.evaluate(&lukewarm, &[agree]), Status::In);
    }

    #[test]
    fn a_group_of_only_unable_answers_responds_when_they_are_included() {
        let include = primary(ConsensusSpec {
            groups: Some("each".into()),
            unable: Some("include".into()),
            ..preset("comet")
        });
        let exclude = comet_in_groups("each");
        let agree = c9([0, 0, 0, 0, 0, 0, 0, 0, 10], 0);
        let unable_only = c9([0; 9], 2);
        let groups = [agree.clone(), unable_only];
        assert_eq!(include.evaluate(&agree, &groups), Status::None);
        assert_eq!(exclude.evaluate(&agree, &groups), Status::In);
    }
}
