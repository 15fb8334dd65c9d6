//! A second implementation of the drift figures (docs/statistics.md, "Drift"), in floating
//! point from ratings.csv alone, written plainly from the definitions: it shares no code with
//! `domain::drift`.

use std::collections::{BTreeMap, BTreeSet};

/// One set's figures for one item from round r − 1 to round r.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub experts: usize,
    pub distance_before: Option<f64>,
    pub distance_after: Option<f64>,
    pub toward_median: Option<f64>,
    pub toward: usize,
    pub away: usize,
    pub stayed: usize,
}

/// Every figure of one row of drift.csv.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub median_previous: Option<f64>,
    pub between_rounds: Figures,
    pub after_feedback: Figures,
    pub later_minus_early: Option<f64>,
}

fn median(scores: &[i32]) -> Option<f64> {
    let mut sorted = scores.to_vec();
    sorted.sort_unstable();
    let m = sorted.len();
    match m {
        0 => None,
        _ if m % 2 == 1 => Some(f64::from(sorted[m / 2])),
        _ => Some(f64::from(sorted[m / 2 - 1] + sorted[m / 2]) / 2.0),
    }
}

/// Mean distances and moves of `pairs` (from, to) around `m`.
fn figures(m: f64, pairs: &[(i32, i32)]) -> Figures {
    let mut out = Figures {
        experts: pairs.len(),
        ..Figures::default()
    };
    if pairs.is_empty() {
        return out;
    }
    let n = pairs.len() as f64;
    let before: f64 = pairs
        .iter()
        .map(|(from, _)| (f64::from(*from) - m).abs())
        .sum::<f64>()
        / n;
    let after: f64 = pairs
        .iter()
        .map(|(_, to)| (f64::from(*to) - m).abs())
        .sum::<f64>()
        / n;
    for (from, to) in pairs {
        let (d_from, d_to) = ((f64::from(*from) - m).abs(), (f64::from(*to) - m).abs());
        if d_to < d_from {
            out.toward += 1;
        } else if d_to > d_from {
            out.away += 1;
        } else {
            out.stayed += 1;
        }
    }
    out.distance_before = Some(before);
    out.distance_after = Some(after);
    out.toward_median = Some(before - after);
    out
}

struct Answer {
    group: String,
    score: Option<i32>,
    pre_feedback: Option<i32>,
}

fn number(row: &BTreeMap<String, String>, column: &str) -> Option<i32> {
    row.get(column).and_then(|v| v.parse().ok())
}

/// The figures of drift.csv recomputed from ratings.csv (a study without criteria), keyed by
/// (round r, item code, set), for the sets `panel`, `group:<key>` of each of `groups`,
/// `cohort:early` and `cohort:later`.
pub fn recompute(
    ratings: &[BTreeMap<String, String>],
    groups: &[&str],
) -> BTreeMap<(u32, String, String), Row> {
    // round → item → expert → answer; blanks (no score, not "unable") are no answer.
    let mut answers: BTreeMap<u32, BTreeMap<String, BTreeMap<String, Answer>>> = BTreeMap::new();
    let mut first_answer: BTreeMap<String, u32> = BTreeMap::new();
    for row in ratings {
        let score = number(row, "score");
        if score.is_none() && row["unable"] != "true" {
            continue;
        }
        let round: u32 = row["round"].parse().unwrap();
        let expert = row["expert"].clone();
        let first = first_answer.entry(expert.clone()).or_insert(round);
        *first = (*first).min(round);
        answers
            .entry(round)
            .or_default()
            .entry(row["item_code"].clone())
            .or_default()
            .insert(
                expert,
                Answer {
                    group: row["group"].clone(),
                    score,
                    pre_feedback: number(row, "pre_feedback_score"),
                },
            );
    }
    let first_round = answers.keys().next().copied().unwrap_or(1);
    let mut out = BTreeMap::new();
    for (&round, items) in &answers {
        let Some(previous_items) = answers.get(&(round - 1)) else {
            continue;
        };
        for (item, now) in items {
            let Some(then) = previous_items.get(item) else {
                continue;
            };
            let previous_scores: Vec<i32> = then.values().filter_map(|a| a.score).collect();
            let m = median(&previous_scores);
            let experts: BTreeSet<&String> = then.keys().chain(now.keys()).collect();
            let set_figures = |keep: &dyn Fn(&str, &str) -> bool| -> (Figures, Figures) {
                let Some(m) = m else {
                    return (Figures::default(), Figures::default());
                };
                let mut rounds = Vec::new();
                let mut feedback = Vec::new();
                for expert in &experts {
                    let group = then
                        .get(*expert)
                        .or(now.get(*expert))
                        .map(|a| a.group.as_str())
                        .unwrap_or("");
                    if !keep(expert, group) {
                        continue;
                    }
                    let previous = then.get(*expert).and_then(|a| a.score);
                    let current = now.get(*expert).and_then(|a| a.score);
                    if let (Some(p), Some(c)) = (previous, current) {
                        rounds.push((p, c));
                        if let Some(pre) = now.get(*expert).and_then(|a| a.pre_feedback) {
                            feedback.push((pre, c));
                        }
                    }
                }
                (figures(m, &rounds), figures(m, &feedback))
            };
            let cohort = |expert: &str| {
                if first_answer[expert] <= first_round {
                    "early"
                } else {
                    "later"
                }
            };
            let mut sets: Vec<(String, (Figures, Figures))> =
                vec![("panel".into(), set_figures(&|_, _| true))];
            for group in groups {
                sets.push((format!("group:{group}"), set_figures(&|_, g| g == *group)));
            }
            let early = set_figures(&|e, _| cohort(e) == "early");
            let later = set_figures(&|e, _| cohort(e) == "later");
            let later_minus_early = match (later.0.toward_median, early.0.toward_median) {
                (Some(l), Some(e)) => Some(l - e),
                _ => None,
            };
            sets.push(("cohort:early".into(), early));
            sets.push(("cohort:later".into(), later));
            for (set, (between_rounds, after_feedback)) in sets {
                let row = Row {
                    median_previous: m,
                    later_minus_early: if set == "panel" { later_minus_early } else { None },
                    between_rounds,
                    after_feedback,
                };
                out.insert((round, item.clone(), set), row);
            }
        }
    }
    out
}

fn decimal(row: &BTreeMap<String, String>, column: &str) -> Option<f64> {
    let cell = &row[column];
    (!cell.is_empty()).then(|| cell.parse().unwrap())
}

fn count(row: &BTreeMap<String, String>, column: &str) -> usize {
    row[column].parse().unwrap_or(0)
}

/// A row of drift.csv read back into the same shape.
pub fn read_row(row: &BTreeMap<String, String>) -> Row {
    let shift = |prefix: &str, experts: &str, toward: &str, away: &str, stayed: &str| Figures {
        experts: count(row, experts),
        distance_before: decimal(row, &format!("{prefix}distance_before")),
        distance_after: decimal(row, &format!("{prefix}distance_after")),
        toward_median: decimal(
            row,
            if prefix.is_empty() {
                "toward_median"
            } else {
                "feedback_shift"
            },
        ),
        toward: count(row, toward),
        away: count(row, away),
        stayed: count(row, stayed),
    };
    Row {
        median_previous: decimal(row, "median_previous"),
        between_rounds: shift("", "experts", "moved_toward", "moved_away", "stayed"),
        after_feedback: shift(
            "feedback_",
            "feedback_experts",
            "feedback_toward",
            "feedback_away",
            "feedback_stayed",
        ),
        later_minus_early: decimal(row, "later_minus_early"),
    }
}

/// Equal up to rounding in the last digits (the exact fractions are written as doubles).
pub fn assert_close(actual: &Row, expected: &Row, what: &str) {
    let near = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
        (None, None) => true,
        _ => false,
    };
    let same = |a: &Figures, b: &Figures| {
        a.experts == b.experts
            && (a.toward, a.away, a.stayed) == (b.toward, b.away, b.stayed)
            && near(a.distance_before, b.distance_before)
            && near(a.distance_after, b.distance_after)
            && near(a.toward_median, b.toward_median)
    };
    assert!(
        near(actual.median_previous, expected.median_previous)
            && same(&actual.between_rounds, &expected.between_rounds)
            && same(&actual.after_feedback, &expected.after_feedback)
            && near(actual.later_minus_early, expected.later_minus_early),
        "{what}: drift.csv has {actual:?}, the recomputation {expected:?}"
    );
}

/// Asserts that drift.csv's rows equal, one for one, the recomputation from ratings.csv (with
/// the study's group keys); the recomputation, for the checks a test adds.
pub fn assert_recomputed(
    drift: &[BTreeMap<String, String>],
    ratings: &[BTreeMap<String, String>],
    groups: &[&str],
) -> BTreeMap<(u32, String, String), Row> {
    let expected = recompute(ratings, groups);
    assert_eq!(drift.len(), expected.len(), "one row per item and set");
    for row in drift {
        let round: u32 = row["round"].parse().unwrap();
        assert_eq!(row["previous_round"], (round - 1).to_string());
        let key = (round, row["item_code"].clone(), row["set"].clone());
        let want = expected
            .get(&key)
            .unwrap_or_else(|| panic!("{key:?} is not in the recomputation"));
        assert_close(&read_row(row), want, &format!("{key:?}"));
    }
    expected
}
