//! The console's consensus-rule editor: the `[consensus]` table as form fields, a preview of
//! the statuses example distributions get under the edited rule (computed by
//! `domain::rule`, the code that classifies real results), and saving the rule until round 1
//! opens and locks it.
//!
//! Conditions are written one per line as reports print them (`share 7–9 ≥ 70%`,
//! `median >= 7`, `share 1-3 (with unable) < 15`); an alternative is one line
//! `NAME: PRESET` or `NAME: in: COND and COND; out: COND and COND`, optionally followed by
//! `; quantiles N`, `; unable include|exclude`, `; groups pooled|each|pooled_and_each`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::studies::load;
use super::{Actor, ServiceError};
use crate::db::models::rounds::Round;
use crate::db::models::studies::StudyRow;
use crate::db::{now, DbConnection};
use crate::domain::rule::{RuleError, RuleSet, Status};
use crate::domain::scale::Scale;
use crate::domain::spec::{AlternativeSpec, ConditionSpec, ConsensusSpec};
use crate::domain::stats::Counts;
use crate::domain::study::Study;
use crate::service::audit;
use crate::service::studies;

/// The editor's fields, as the form posts them and as the page fills them in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleForm {
    /// `comet`, `rand-ucla`, or empty for the `in` and `out` lists below.
    #[serde(default)]
    pub preset: String,
    #[serde(default, rename = "in")]
    pub in_: String,
    #[serde(default)]
    pub out: String,
    /// Hyndman–Fan type 1–9; empty for the default.
    #[serde(default)]
    pub quantiles: String,
    #[serde(default)]
    pub unable: String,
    #[serde(default)]
    pub groups: String,
    #[serde(default)]
    pub alternatives: String,
    /// Counts per scale point for the preview, lowest point first; `U=n` for unable answers.
    #[serde(default)]
    pub distribution: String,
}

fn op_text(c: &ConditionSpec) -> String {
    let pairs = [
        (c.at_least, "≥"),
        (c.above, ">"),
        (c.at_most, "≤"),
        (c.below, "<"),
    ];
    pairs
        .iter()
        .filter_map(|(v, sym)| v.map(|v| format!("{sym} {v}")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A condition as one line of the editor.
pub fn condition_text(c: &ConditionSpec) -> String {
    match (c.share, &c.stat) {
        (Some([lo, hi]), _) => {
            let unable = if c.with_unable == Some(true) {
                " (with unable)"
            } else {
                ""
            };
            format!("share {lo}–{hi}{unable} {}%", op_text(c))
        }
        (None, Some(stat)) => format!("{stat} {}", op_text(c)),
        (None, None) => op_text(c),
    }
}

fn list_text(list: &Option<Vec<ConditionSpec>>, separator: &str) -> String {
    list.iter()
        .flatten()
        .map(condition_text)
        .collect::<Vec<_>>()
        .join(separator)
}

fn modifiers_text(quantiles: Option<u8>, unable: &Option<String>, groups: &Option<String>) -> String {
    let mut parts = Vec::new();
    if let Some(q) = quantiles {
        parts.push(format!("quantiles {q}"));
    }
    if let Some(u) = unable {
        parts.push(format!("unable {u}"));
    }
    if let Some(g) = groups {
        parts.push(format!("groups {g}"));
    }
    parts.iter().map(|p| format!("; {p}")).collect()
}

impl RuleForm {
    /// The form showing `spec`.
    pub fn from_spec(spec: &ConsensusSpec) -> RuleForm {
        let alternatives = spec
            .alternatives
            .iter()
            .map(|(name, alt)| {
                let body = match &alt.preset {
                    Some(preset) => preset.clone(),
                    None => format!(
                        "in: {}; out: {}",
                        list_text(&alt.in_, " and "),
                        list_text(&alt.out, " and ")
                    ),
                };
                format!(
                    "{name}: {body}{}",
                    modifiers_text(alt.quantiles, &alt.unable, &alt.groups)
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        RuleForm {
            preset: spec.preset.clone().unwrap_or_default(),
            in_: list_text(&spec.in_, "\n"),
            out: list_text(&spec.out, "\n"),
            quantiles: spec.quantiles.map(|q| q.to_string()).unwrap_or_default(),
            unable: spec.unable.clone().unwrap_or_default(),
            groups: spec.groups.clone().unwrap_or_default(),
            alternatives,
            distribution: String::new(),
        }
    }

    /// The `[consensus]` table the form stands for (not yet validated against the scale: that
    /// is `RuleSet::compile`'s job).
    pub fn to_spec(&self) -> Result<ConsensusSpec, ServiceError> {
        let preset = non_empty(&self.preset);
        let (in_, out) = if preset.is_some() {
            (None, None)
        } else {
            (
                Some(parse_list("in", &self.in_)?),
                Some(parse_list("out", &self.out)?),
            )
        };
        let quantiles = match non_empty(&self.quantiles) {
            None => None,
            Some(q) => Some(q.parse::<u8>().map_err(|_| {
                ServiceError::invalid("quantiles", format!("`{q}` is not a quantile type (1 to 9)"))
            })?),
        };
        let mut alternatives = BTreeMap::new();
        for (index, line) in self.alternatives.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let (name, alternative) = parse_alternative(index + 1, line)?;
            if alternatives.insert(name.clone(), alternative).is_some() {
                return Err(ServiceError::invalid(
                    format!("alternatives, line {}", index + 1),
                    format!("the alternative `{name}` is named twice"),
                ));
            }
        }
        Ok(ConsensusSpec {
            preset,
            in_,
            out,
            quantiles,
            unable: non_empty(&self.unable),
            groups: non_empty(&self.groups),
            alternatives,
            // The form edits the rules; how criteria combine is kept by `save`.
            combine: None,
        })
    }
}

fn non_empty(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// Conditions one per line (or joined by `and`).
fn parse_list(field: &str, text: &str) -> Result<Vec<ConditionSpec>, ServiceError> {
    let mut list = Vec::new();
    for (index, line) in text.lines().enumerate() {
        for part in line.split(" and ") {
            if part.trim().is_empty() {
                continue;
            }
            list.push(
                parse_condition(part).map_err(|reason| {
                    ServiceError::invalid(format!("{field}, line {}", index + 1), reason)
                })?,
            );
        }
    }
    Ok(list)
}

/// One condition: `share LO–HI [(with unable)] OP PERCENT[%]` or `STAT OP VALUE`, where OP is
/// `≥ > ≤ <` (or `>= <=`).
pub fn parse_condition(text: &str) -> Result<ConditionSpec, String> {
    let normalised = text
        .trim()
        .replace(['–', '—'], "-")
        .replace('≥', ">=")
        .replace('≤', "<=")
        .replace('%', "");
    let (left, op, right) = [">=", "<=", ">", "<"]
        .iter()
        .find_map(|op| normalised.split_once(op).map(|(l, r)| (l.trim(), *op, r.trim())))
        .ok_or_else(|| {
            format!(
                "`{}` has no comparison: write e.g. `share 7-9 >= 70` or `median >= 7`",
                text.trim()
            )
        })?;
    let value: f64 = right
        .parse()
        .map_err(|_| format!("`{right}` is not a number (in `{}`)", text.trim()))?;
    let mut spec = ConditionSpec::default();
    match op {
        ">=" => spec.at_least = Some(value),
        "<=" => spec.at_most = Some(value),
        ">" => spec.above = Some(value),
        _ => spec.below = Some(value),
    }
    let left = left.to_ascii_lowercase();
    if let Some(range) = left.strip_prefix("share") {
        let with_unable = range.contains("with unable");
        let range = range.replace("(with unable)", "").replace("with unable", "");
        let range = range.trim();
        let (lo, hi) = range
            .char_indices()
            .skip(1)
            .find(|(_, c)| *c == '-')
            .map(|(i, _)| (&range[..i], &range[i + 1..]))
            .ok_or_else(|| format!("`{range}` is not a range of scale points such as 7-9"))?;
        let point = |p: &str| {
            p.trim()
                .parse::<i32>()
                .map_err(|_| format!("`{}` is not a scale point (in `{}`)", p.trim(), text.trim()))
        };
        spec.share = Some([point(lo)?, point(hi)?]);
        spec.with_unable = with_unable.then_some(true);
    } else if left.is_empty() {
        return Err(format!("`{}` names no share or statistic", text.trim()));
    } else {
        spec.stat = Some(left.to_string());
    }
    Ok(spec)
}

fn parse_alternative(line_no: usize, line: &str) -> Result<(String, AlternativeSpec), ServiceError> {
    let field = format!("alternatives, line {line_no}");
    let (name, rest) = line.split_once(':').ok_or_else(|| {
        ServiceError::invalid(
            &field,
            "write `NAME: PRESET` or `NAME: in: CONDITIONS; out: CONDITIONS`",
        )
    })?;
    let name = name.trim().to_string();
    let mut alternative = AlternativeSpec::default();
    for part in rest.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let conditions = |list: &str| parse_list(&field, list).map(Some);
        if let Some(list) = part.strip_prefix("in:") {
            alternative.in_ = conditions(list)?;
        } else if let Some(list) = part.strip_prefix("out:") {
            alternative.out = conditions(list)?;
        } else if let Some(q) = part.strip_prefix("quantiles") {
            alternative.quantiles = Some(q.trim().parse().map_err(|_| {
                ServiceError::invalid(&field, format!("`{}` is not a quantile type (1 to 9)", q.trim()))
            })?);
        } else if let Some(u) = part.strip_prefix("unable") {
            alternative.unable = Some(u.trim().to_string());
        } else if let Some(g) = part.strip_prefix("groups") {
            alternative.groups = Some(g.trim().to_string());
        } else if let Some(p) = part.strip_prefix("preset") {
            alternative.preset = Some(p.trim().to_string());
        } else if !part.contains(' ') {
            alternative.preset = Some(part.to_string());
        } else {
            return Err(ServiceError::invalid(
                &field,
                format!("`{part}` is not understood: use in:, out:, a preset, quantiles, unable or groups"),
            ));
        }
    }
    Ok((name, alternative))
}

fn rule_refused(e: RuleError) -> ServiceError {
    ServiceError::invalid(e.key, e.reason)
}

/// The form compiled against the study's scale, as `study create` would.
pub fn compile(form: &RuleForm, scale: &Scale) -> Result<(ConsensusSpec, RuleSet), ServiceError> {
    let spec = form.to_spec()?;
    let rules = RuleSet::compile(&spec, scale).map_err(rule_refused)?;
    Ok((spec, rules))
}

/// One example distribution and the status each rule gives it.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewRow {
    pub label: String,
    /// Counts per scale point, lowest first.
    pub counts: Vec<u64>,
    pub unable: u64,
    /// `(rule name, in|out|none)`, the primary rule first.
    pub statuses: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub points: Vec<i32>,
    pub rules: Vec<String>,
    pub rows: Vec<PreviewRow>,
}

/// Fixed illustrations on any scale, for a panel of 20: most answers high, borderline high,
/// most low, split, middle. "High" and "low" are the top and bottom thirds of the scale.
pub fn examples(scale: &Scale) -> Vec<(&'static str, Vec<u64>)> {
    let len = scale.len();
    let third = (len / 3).max(1);
    let spread = |counts: &mut [u64], from: usize, to: usize, total: u64| {
        // Round-robin from the extreme inwards, so the shape is the same on every scale.
        let width = to - from;
        for k in 0..total as usize {
            let i = if from == 0 { k % width } else { to - 1 - k % width };
            counts[i] += 1;
        }
    };
    let make = |low: u64, mid: u64, high: u64| {
        let mut counts = vec![0u64; len];
        spread(&mut counts, 0, third, low);
        if len > 2 * third {
            spread(&mut counts[third..len - third], 0, len - 2 * third, mid);
        }
        spread(&mut counts, len - third, len, high);
        counts
    };
    vec![
        ("example-agree", make(1, 3, 16)),
        ("example-borderline", make(3, 3, 14)),
        ("example-disagree", make(16, 3, 1)),
        ("example-split", make(9, 2, 9)),
        ("example-middle", make(2, 16, 2)),
    ]
}

/// The facilitator's own distribution: one count per scale point, lowest first, separated by
/// spaces or commas, and optionally `U=n` for "unable to score" answers.
pub fn parse_distribution(text: &str, scale: &Scale) -> Result<Option<(Vec<u64>, u64)>, ServiceError> {
    let field = "distribution";
    let mut counts = Vec::new();
    let mut unable = 0;
    for part in text.split([' ', ',', ';', '\t']).filter(|p| !p.is_empty()) {
        if let Some(u) = part.strip_prefix("U=").or_else(|| part.strip_prefix("u=")) {
            unable = u.parse().map_err(|_| {
                ServiceError::invalid(field, format!("`{u}` is not a count of unable answers"))
            })?;
            if !scale.unable_to_score() && unable > 0 {
                return Err(ServiceError::invalid(
                    field,
                    "this study's scale has no \"unable to score\" answer",
                ));
            }
        } else {
            counts.push(part.parse::<u64>().map_err(|_| {
                ServiceError::invalid(field, format!("`{part}` is not a count (a whole number ≥ 0)"))
            })?);
        }
    }
    if counts.is_empty() && unable == 0 {
        return Ok(None);
    }
    if counts.len() != scale.len() {
        return Err(ServiceError::invalid(
            field,
            format!(
                "give {} counts, one per scale point from {} to {} (you gave {})",
                scale.len(),
                scale.min(),
                scale.max(),
                counts.len()
            ),
        ));
    }
    Ok(Some((counts, unable)))
}

/// What each rule says about the examples and the facilitator's distribution (labelled
/// `example-yours`). Groups are not known for an example, so it counts as a single group for
/// the `each` modes.
pub fn preview(rules: &RuleSet, scale: &Scale, own: Option<(Vec<u64>, u64)>) -> Preview {
    let mut distributions: Vec<(&str, Vec<u64>, u64)> = examples(scale)
        .into_iter()
        .map(|(label, c)| (label, c, 0))
        .collect();
    if let Some((counts, unable)) = own {
        distributions.push(("example-yours", counts, unable));
    }
    let rows = distributions
        .into_iter()
        .map(|(label, per_point, unable)| {
            let counts = Counts::from_slice(scale.min(), &per_point, unable);
            let statuses = rules
                .rules()
                .map(|(name, rule)| {
                    let status = rule.evaluate(&counts, std::slice::from_ref(&counts));
                    (name.to_string(), status.as_str().to_string())
                })
                .collect();
            PreviewRow {
                label: label.to_string(),
                counts: per_point,
                unable,
                statuses,
            }
        })
        .collect();
    Preview {
        points: scale.points().collect(),
        rules: rules.rules().map(|(name, _)| name.to_string()).collect(),
        rows,
    }
}

/// The editor as it opens: the stored rule and whether it is locked.
pub struct Editor {
    pub study: Study,
    pub form: RuleForm,
    pub locked: bool,
}

/// The preview for a form's rule and distribution in the study `slug`'s scale.
pub fn preview_of(conn: &mut DbConnection, slug: &str, form: &RuleForm) -> Result<Preview, ServiceError> {
    let study = super::studies::load(conn, slug)?;
    let (_, rules) = compile(form, &study.scale)?;
    let own = parse_distribution(&form.distribution, &study.scale)?;
    let mut shown = preview(&rules, &study.scale, own);
    with_criteria(&mut shown, &rules, &study.file.criteria, &study.file.combine());
    Ok(shown)
}

/// A criterion's own scale and the examples drawn on it.
type OwnExamples<'a> = (&'a Scale, Vec<Vec<u64>>);

/// In a study with criteria, the preview goes on with one column per criterion (the status
/// under the criterion's own rule, named `key (rule)`) and the item's combined status
/// (`combined (all)`), as if every criterion got the row's distribution: a criterion judged
/// by a stricter alternative can keep an item out of consensus that the primary rule lets in.
/// A criterion on a scale of its own gets the same example drawn on its scale (most answers
/// high, borderline…) and no status for the facilitator's own distribution, which is on the
/// study's scale.
fn with_criteria(
    shown: &mut Preview,
    rules: &RuleSet,
    criteria: &[crate::domain::study::Criterion],
    combine: &crate::domain::study::Combine,
) {
    if criteria.is_empty() {
        return;
    }
    for criterion in criteria {
        shown
            .rules
            .push(format!("{} ({})", criterion.key, criterion.rule));
    }
    shown.rules.push(format!("combined ({})", combine.as_str()));
    // Each criterion's own examples, in the order of `examples` (the preview's first rows).
    let own_examples: Vec<Option<OwnExamples<'_>>> = criteria
        .iter()
        .map(|c| {
            let scale = c.scale.as_ref()?;
            Some((
                scale,
                examples(scale).into_iter().map(|(_, counts)| counts).collect(),
            ))
        })
        .collect();
    for (index, row) in shown.rows.iter_mut().enumerate() {
        let statuses: Vec<(&str, Option<Status>)> = criteria
            .iter()
            .zip(&own_examples)
            .map(|(c, own)| {
                let status = match own {
                    None => row
                        .statuses
                        .iter()
                        .find(|(rule, _)| *rule == c.rule)
                        .and_then(|(_, status)| Status::parse(status)),
                    Some((scale, examples)) => examples.get(index).and_then(|per_point| {
                        let counts = Counts::from_slice(scale.min(), per_point, 0);
                        let rule = rules.get(&c.rule)?;
                        Some(rule.evaluate(&counts, std::slice::from_ref(&counts)))
                    }),
                };
                (c.key.as_str(), status)
            })
            .collect();
        let known: Vec<(&str, Status)> = statuses
            .iter()
            .map(|(key, status)| (*key, status.unwrap_or(Status::None)))
            .collect();
        let combined = combine.status(&known);
        let mut added: Vec<(String, String)> = statuses
            .iter()
            .zip(criteria)
            .map(|((_, status), c)| {
                (
                    format!("{} ({})", c.key, c.rule),
                    status.map_or("–", Status::as_str).to_owned(),
                )
            })
            .collect();
        added.push((
            format!("combined ({})", combine.as_str()),
            combined.as_str().to_owned(),
        ));
        row.statuses.extend(added);
    }
}

pub fn editor(conn: &mut DbConnection, slug: &str) -> Result<Editor, ServiceError> {
    let study = load(conn, slug)?;
    let locked = is_locked(conn, &study)?;
    Ok(Editor {
        form: RuleForm::from_spec(&study.file.consensus),
        study,
        locked,
    })
}

/// Locked once round 1 has opened (the rule's hash is recorded then).
fn is_locked(conn: &mut DbConnection, study: &Study) -> Result<bool, ServiceError> {
    Ok(study.rule_hash.is_some() || !Round::of_study(conn, study.id)?.is_empty())
}

/// Replaces the study's consensus rule; refused once round 1 has opened.
pub fn save(
    conn: &mut DbConnection,
    slug: &str,
    form: &RuleForm,
    actor: &Actor,
) -> Result<String, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        let refused = |study: &Study| {
            ServiceError::Conflict(format!(
                "the consensus rule of `{slug}` was locked when round 1 opened{}; it cannot change \
                 any more, so that every result is judged by the rule fixed in advance",
                study
                    .rule_hash
                    .as_ref()
                    .map(|h| format!(" (hash {h})"))
                    .unwrap_or_default()
            ))
        };
        if is_locked(conn, study)? {
            return Err(refused(study));
        }
        let (mut spec, rules) = compile(form, &study.scale)?;
        // A criterion judged by an alternative rule keeps it: removing or renaming that
        // alternative would leave the criterion without a rule.
        for criterion in &study.file.criteria {
            if criterion.rule != crate::domain::rule::PRIMARY && rules.get(&criterion.rule).is_none() {
                return Err(ServiceError::invalid(
                    "alternatives",
                    format!(
                        "the criterion `{}` is judged by the alternative `{}`: keep that alternative",
                        criterion.key, criterion.rule
                    ),
                ));
            }
            // ... and one that fits its own scale, when it has one.
            let misfit = criterion
                .scale
                .as_ref()
                .and_then(|scale| crate::domain::study::criteria::misfit(scale, &criterion.rule, &spec));
            if let Some(reason) = misfit {
                let field = if criterion.rule == crate::domain::rule::PRIMARY {
                    "preset"
                } else {
                    "alternatives"
                };
                return Err(ServiceError::invalid(
                    field,
                    format!("criterion `{}`: {reason}", criterion.key),
                ));
            }
        }
        spec.combine = study.file.consensus.combine.clone();
        let before = study.rules.hash();
        let mut file = study.file.clone();
        file.consensus = spec;
        let definition =
            serde_json::to_string(&file).map_err(|e| ServiceError::invalid("consensus", e.to_string()))?;
        let rule_set =
            serde_json::to_string(&rules).map_err(|e| ServiceError::invalid("consensus", e.to_string()))?;
        let at = now();
        if StudyRow::set_rule(conn, study.id, &definition, &rule_set, at)? == 0 {
            return Err(refused(study));
        }
        let hash = rules.hash();
        audit::log(
            conn,
            study,
            actor,
            "rule.update",
            serde_json::json!({ "from": before, "to": hash }),
            at,
        )?;
        Ok(hash)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::spec::ScaleSpec;

    fn nine() -> Scale {
        Scale::from_spec(&ScaleSpec {
            min: 1,
            max: 9,
            labels: BTreeMap::new(),
            bands: Vec::new(),
            unable_to_score: true,
        })
        .unwrap()
    }

    #[test]
    fn conditions_read_as_reports_print_them() {
        let c = parse_condition("share 7–9 ≥ 70%").unwrap();
        assert_eq!(c.share, Some([7, 9]));
        assert_eq!(c.at_least, Some(70.0));
        let c = parse_condition("share 1-3 (with unable) < 15").unwrap();
        assert_eq!(c.with_unable, Some(true));
        assert_eq!(c.below, Some(15.0));
        let c = parse_condition("median >= 7").unwrap();
        assert_eq!(c.stat.as_deref(), Some("median"));
        assert!(parse_condition("median seven").is_err());
        assert!(parse_condition("share 7 >= 70").is_err());
        assert!(parse_condition(">= 7").is_err());
    }

    #[test]
    fn a_spec_survives_the_form() {
        let mut spec = ConsensusSpec {
            in_: Some(vec![
                parse_condition("share 7-9 >= 70").unwrap(),
                parse_condition("iqr <= 2").unwrap(),
            ]),
            out: Some(vec![parse_condition("share 1-3 (with unable) > 50").unwrap()]),
            quantiles: Some(6),
            unable: Some("include".into()),
            groups: Some("each".into()),
            ..ConsensusSpec::default()
        };
        spec.alternatives.insert(
            "rand".into(),
            AlternativeSpec {
                preset: Some("rand-ucla".into()),
                groups: Some("pooled".into()),
                ..AlternativeSpec::default()
            },
        );
        spec.alternatives.insert(
            "median-iqr".into(),
            AlternativeSpec {
                in_: Some(vec![parse_condition("median >= 7").unwrap()]),
                out: Some(vec![parse_condition("median <= 3").unwrap()]),
                ..AlternativeSpec::default()
            },
        );
        let form = RuleForm::from_spec(&spec);
        assert_eq!(form.to_spec().unwrap(), spec);
        assert!(compile(&form, &nine()).is_ok());
    }

    #[test]
    fn examples_have_twenty_answers_on_any_scale() {
        for (min, max) in [(1, 9), (1, 5), (0, 10), (1, 3)] {
            let scale = Scale::from_spec(&ScaleSpec {
                min,
                max,
                labels: BTreeMap::new(),
                bands: Vec::new(),
                unable_to_score: false,
            })
            .unwrap();
            for (label, counts) in examples(&scale) {
                assert_eq!(counts.len(), scale.len(), "{label}");
                assert_eq!(counts.iter().sum::<u64>(), 20, "{label} on {min}-{max}");
            }
        }
    }

    #[test]
    fn comet_on_the_examples() {
        let form = RuleForm {
            preset: "comet".into(),
            ..RuleForm::default()
        };
        let (_, rules) = compile(&form, &nine()).unwrap();
        let own = parse_distribution("0 0 1 0 0 2 3 3 1", &nine()).unwrap();
        let preview = preview(&rules, &nine(), own);
        let status = |label: &str| {
            preview.rows.iter().find(|r| r.label == label).unwrap().statuses[0]
                .1
                .clone()
        };
        assert_eq!(status("example-agree"), "in");
        // 14/20 = 70 % high but 3/20 = 15 % low, which is not below 15 %.
        assert_eq!(status("example-borderline"), "none");
        assert_eq!(status("example-disagree"), "out");
        assert_eq!(status("example-split"), "none");
        assert_eq!(status("example-yours"), "in");
    }

    #[test]
    fn criteria_get_their_own_columns_and_the_combined_status() {
        let form = RuleForm {
            preset: "comet".into(),
            alternatives: "strict: in: median >= 8; out: median <= 2".into(),
            ..RuleForm::default()
        };
        let (_, rules) = compile(&form, &nine()).unwrap();
        let mut shown = preview(&rules, &nine(), None);
        let criterion = |key: &str, rule: &str| crate::domain::study::Criterion {
            key: key.into(),
            label: key.into(),
            labels: Default::default(),
            rule: rule.into(),
            scale: None,
        };
        let criteria = [
            criterion("importance", "primary"),
            criterion("feasibility", "strict"),
        ];
        with_criteria(&mut shown, &rules, &criteria, &crate::domain::study::Combine::All);
        assert_eq!(
            shown.rules[2..],
            ["importance (primary)", "feasibility (strict)", "combined (all)"]
        );
        for row in &shown.rows {
            let by_name: BTreeMap<&str, &str> = row
                .statuses
                .iter()
                .map(|(r, s)| (r.as_str(), s.as_str()))
                .collect();
            assert_eq!(
                by_name["importance (primary)"], by_name["primary"],
                "{}",
                row.label
            );
            assert_eq!(
                by_name["feasibility (strict)"], by_name["strict"],
                "{}",
                row.label
            );
            let both: Vec<Status> = [by_name["primary"], by_name["strict"]]
                .iter()
                .map(|s| Status::parse(s).unwrap())
                .collect();
            let expected = if both.contains(&Status::Out) {
                "out"
            } else if both.iter().all(|s| *s == Status::In) {
                "in"
            } else {
                "none"
            };
            assert_eq!(by_name["combined (all)"], expected, "{}", row.label);
        }
    }

    /// A criterion on 1–5 is previewed on the examples drawn on its own scale, under its own
    /// rule; the facilitator's distribution, on the study's scale, gives it no status.
    #[test]
    fn a_criterion_on_its_own_scale_is_previewed_on_it() {
        let form = RuleForm {
            preset: "comet".into(),
            alternatives:
                "feasible: in: share 4–5 ≥ 70% and share 1–2 < 15%; out: share 1–2 ≥ 70% and share 4–5 < 15%"
                    .into(),
            ..RuleForm::default()
        };
        let (_, rules) = compile(&form, &nine()).unwrap();
        let five = Scale::from_spec(&ScaleSpec {
            min: 1,
            max: 5,
            labels: BTreeMap::new(),
            bands: Vec::new(),
            unable_to_score: false,
        })
        .unwrap();
        let mut shown = preview(&rules, &nine(), Some((vec![0, 0, 0, 0, 0, 0, 1, 1, 1], 0)));
        let criteria = [crate::domain::study::Criterion {
            key: "feasibility".into(),
            label: "How feasible?".into(),
            labels: Default::default(),
            rule: "feasible".into(),
            scale: Some(five),
        }];
        with_criteria(&mut shown, &rules, &criteria, &crate::domain::study::Combine::All);
        let status = |label: &str| {
            let row = shown.rows.iter().find(|r| r.label == label).unwrap();
            row.statuses
                .iter()
                .find(|(name, _)| name == "feasibility (feasible)")
                .map(|(_, s)| s.clone())
                .unwrap()
        };
        // The examples on 1–5: 20 answers, most in the top or bottom third (5, or 1).
        assert_eq!(status("example-agree"), "in");
        assert_eq!(status("example-disagree"), "out");
        assert_eq!(status("example-yours"), "–");
    }

    #[test]
    fn distributions_name_what_is_wrong() {
        assert!(parse_distribution("", &nine()).unwrap().is_none());
        let e = parse_distribution("1 2 3", &nine()).unwrap_err().to_string();
        assert!(e.contains("give 9 counts"), "{e}");
        let e = parse_distribution("1 2 x 0 0 0 0 0 0", &nine())
            .unwrap_err()
            .to_string();
        assert!(e.contains("`x`"), "{e}");
        assert_eq!(
            parse_distribution("0,0,0,0,0,0,1,1,1 U=2", &nine()).unwrap(),
            Some((vec![0, 0, 0, 0, 0, 0, 1, 1, 1], 2))
        );
    }
}
