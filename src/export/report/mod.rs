//! report.html: one self-contained page (no script, no external resource; inline styles and
//! SVG) that prints well to PDF. Rendered by templates/report/report.hbs in strict mode with
//! HTML escaping: item texts, comments and names are data and stay inert. The study's and the
//! items' descriptions are Markdown, rendered by `crate::markdown` (raw HTML escaped) and
//! inserted as they come out of it.
//!
//! Every number goes through `domain::stats::display` and every status through
//! `export::words`, so the report reads like the workbook and the console.

use std::collections::HashMap;
use std::sync::LazyLock;

use handlebars::Handlebars;
use rust_embed::RustEmbed;
use serde::Serialize;

use crate::domain::round::RoundState;
use crate::domain::rule::Status;
use crate::domain::rule::PRIMARY;
use crate::domain::stats::display;
use crate::domain::study::Method;
use crate::export::{chnri_svg, flow_svg, ranking_svg, svg, words, ExportError};
use crate::markdown::markdown;
use crate::service::export::{ConsensusLine, StudyExport};

mod chnri;
mod drift;
mod methods;
mod ranking;
mod raters;

use chnri::*;
use drift::*;
use methods::*;
use ranking::*;
use raters::*;

#[derive(RustEmbed)]
#[folder = "templates/report/"]
#[include = "*.hbs"]
struct ReportTemplates;

static REGISTRY: LazyLock<Result<Handlebars<'static>, String>> = LazyLock::new(|| {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    let file = ReportTemplates::get("report.hbs").ok_or("templates/report/report.hbs is missing")?;
    let source = std::str::from_utf8(&file.data).map_err(|e| format!("report.hbs: {e}"))?;
    hb.register_template_string("report", source)
        .map_err(|e| format!("report.hbs: {e}"))?;
    Ok(hb)
});

#[derive(Serialize)]
struct Context {
    title: String,
    slug: String,
    status: String,
    finish_reason: String,
    generated_at: String,
    identified: bool,
    no_results: bool,
    /// Rendered Markdown, raw HTML escaped; empty when the study has no description.
    description_html: String,
    panel_total: usize,
    groups: Vec<GroupRow>,
    countries: Vec<(String, usize)>,
    rule_locked: bool,
    rule_hash: String,
    rule_locked_at: String,
    rules: Vec<RuleRow>,
    scale: String,
    quantiles: u8,
    unable: String,
    rounds: Vec<RoundRow>,
    group_names: Vec<String>,
    item_flow_svg: String,
    participant_flow_svg: String,
    /// The ideas round's flow, for a study with `[ideas]`.
    ideas_flow_svg: Option<String>,
    final_list: FinalList,
    has_alternatives: bool,
    charts: Vec<Chart>,
    alternatives: Vec<String>,
    sensitivity: Vec<SensitivityRow>,
    share_ranges: Vec<String>,
    stability: Vec<StabilityRow>,
    /// With two or more closed rating rounds.
    drift: Option<DriftSection>,
    methods: Vec<String>,
    accord: Vec<AccordRow>,
    /// One per closed ranking round; empty (and the section left out) for other studies.
    rankings: Vec<RankingSection>,
    /// A CHNRI study's ranked scores, last closed round first.
    chnri: Option<ChnriReport>,
    /// Whether the report has the rating rounds' sections (definition of consensus, item flow,
    /// final list, distributions, sensitivity, stability, attrition): a CHNRI or a ranking
    /// study has no rating round, so it has none of them.
    rating: bool,
    /// Said at the top when the study's last closed round was a ranking round: its ranking is
    /// the study's result.
    ranking_result: Option<String>,
}

#[derive(Serialize)]
struct GroupRow {
    name: String,
    experts: usize,
}

#[derive(Serialize)]
struct RuleRow {
    name: String,
    primary: bool,
    description: String,
}

#[derive(Serialize)]
struct RoundRow {
    number: i32,
    status: String,
    opened_at: String,
    deadline: String,
    closed_at: String,
    items: usize,
    invited: usize,
    responded: usize,
    submitted: usize,
    answered_not_submitted: usize,
    rate: String,
    groups: Vec<String>,
}

/// The final list as a manuscript's appendix: the items that reached consensus, then those that
/// did not, each grouped by section in the study's order.
#[derive(Serialize)]
struct FinalList {
    /// `% 1–3`, … one per band of the scale.
    bands: Vec<String>,
    /// Columns of a row, for the section rows that span them.
    columns: usize,
    decided: Vec<SectionRows>,
    undecided: Vec<SectionRows>,
    /// Whether the rows carry the item's raters (a study with `items_per_expert`).
    raters: bool,
    in_count: usize,
    out_count: usize,
    none_count: usize,
    tally: String,
}

#[derive(Serialize)]
struct SectionRows {
    title: String,
    rows: Vec<FinalRow>,
}

#[derive(Serialize)]
struct FinalRow {
    code: String,
    text: String,
    /// The item's description as rendered Markdown; empty when it has none.
    description_html: String,
    status: String,
    status_class: &'static str,
    round: String,
    n: i32,
    /// Experts who answered the item in that round; empty without subsets.
    raters: String,
    median: String,
    bands: Vec<String>,
}

#[derive(Serialize)]
struct Chart {
    code: String,
    text: String,
    status: String,
    round: i32,
    n: i32,
    median: String,
    svg: String,
}

#[derive(Serialize)]
struct SensitivityRow {
    code: String,
    round: i32,
    primary: String,
    alternatives: Vec<String>,
    agree: bool,
}

#[derive(Serialize)]
struct StabilityRow {
    round: i32,
    code: String,
    change: String,
    deltas: Vec<String>,
    delta_median: String,
    moved: String,
    stable: String,
    responders: String,
    non_responders: String,
    difference: String,
}

#[derive(Serialize)]
struct AccordRow {
    topic: String,
    filled: bool,
    value: String,
}

fn utc(t: Option<chrono::NaiveDateTime>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| display::MISSING.into())
}

/// The report as HTML text.
pub fn render(data: &StudyExport) -> Result<String, ExportError> {
    let registry = REGISTRY.as_ref().map_err(|e| ExportError::Template(e.clone()))?;
    registry
        .render("report", &context(data))
        .map_err(|e| ExportError::Template(e.to_string()))
}

fn final_list(data: &StudyExport) -> FinalList {
    let descriptions: HashMap<&str, &str> = data
        .items
        .iter()
        .filter_map(|i| i.description.as_deref().map(|d| (i.code.as_str(), d)))
        .collect();
    let bands: Vec<String> = data
        .study
        .scale
        .bands()
        .iter()
        .map(|b| format!("% {}–{}", b.from, b.to))
        .collect();
    let raters = raters_by_item(data);
    let row = |c: &ConsensusLine| FinalRow {
        code: c.item_code.clone(),
        text: c.item_text.clone(),
        description_html: descriptions
            .get(c.item_code.as_str())
            .map(|d| markdown(d))
            .unwrap_or_default(),
        status: words::status(c.status).to_string(),
        status_class: c.status.as_str(),
        round: c.decided_in_round.unwrap_or(c.last_round).to_string(),
        n: c.n,
        raters: raters
            .get(&(c.last_round, c.item_code.as_str()))
            .map(u64::to_string)
            .unwrap_or_default(),
        median: display::median_quartiles(c.median, c.q1, c.q3),
        bands: c.band_shares.iter().map(|s| display::percent(*s)).collect(),
    };
    let sections = |decided: bool| -> Vec<SectionRows> {
        data.final_by_section(decided)
            .into_iter()
            .map(|(title, lines)| SectionRows {
                title: title.to_string(),
                rows: lines.into_iter().map(row).collect(),
            })
            .collect()
    };
    let (in_count, out_count, none_count) = (
        data.final_count(Status::In),
        data.final_count(Status::Out),
        data.final_count(Status::None),
    );
    let with_raters = !data.raters.is_empty();
    FinalList {
        columns: 6 + usize::from(with_raters) + bands.len(),
        raters: with_raters,
        bands,
        decided: sections(true),
        undecided: sections(false),
        in_count,
        out_count,
        none_count,
        tally: words::tally(in_count, out_count, none_count),
    }
}

fn context(data: &StudyExport) -> Context {
    let study = &data.study;
    let primary = &data.study.rules.primary;
    let names: Vec<(String, String)> = data
        .groups
        .iter()
        .map(|g| (g.key.clone(), g.name.clone()))
        .collect();
    let groups = data
        .groups
        .iter()
        .map(|g| GroupRow {
            name: g.name.clone(),
            experts: data.participants.iter().filter(|p| p.who.group == g.key).count(),
        })
        .collect();
    let rounds: Vec<RoundRow> = data
        .rounds
        .iter()
        .map(|r| RoundRow {
            number: r.number,
            status: r.status.to_string(),
            opened_at: utc(r.opened_at),
            deadline: utc(r.deadline),
            closed_at: utc(r.closed_at),
            items: r.items,
            invited: r.invited,
            responded: r.responded,
            submitted: r.submitted,
            answered_not_submitted: r.answered_not_submitted,
            rate: display::rate(r.responded, r.invited),
            groups: r
                .groups
                .iter()
                .map(|g| {
                    format!(
                        "{}/{} ({}): {} submitted, {} answered without submitting",
                        g.responded,
                        g.invited,
                        display::rate(g.responded, g.invited),
                        g.submitted,
                        g.answered_not_submitted
                    )
                })
                .collect(),
        })
        .collect();
    let bands = data.study.scale.bands();
    let ticks = svg::Threshold::of_rule(&crate::domain::rule::thresholds::band_thresholds(
        &data.study.rules.primary,
        &data.study.scale,
    ));
    let charts = data
        .consensus
        .iter()
        .map(|c| {
            let label = match bands.last() {
                Some(band) => {
                    let (inside, total) = svg::in_band(data.study.scale.min(), &c.counts, band);
                    format!(
                        "{}, round {}: {inside} of {total} scored {}–{}",
                        c.item_code, c.last_round, band.from, band.to
                    )
                }
                None => format!("{}, round {}", c.item_code, c.last_round),
            };
            Chart {
                code: c.item_code.clone(),
                text: c.item_text.clone(),
                status: words::status_in_sentence(c.status).to_string(),
                round: c.last_round,
                n: c.n,
                median: display::median(c.median),
                svg: svg::histogram(&svg::Histogram {
                    min: data.study.scale.min(),
                    counts: &c.counts,
                    bands,
                    highlight: None,
                    label: &label,
                    thresholds: &ticks,
                    rtl: false,
                }),
            }
        })
        .collect();
    let sensitivity = data
        .consensus
        .iter()
        .map(|c| SensitivityRow {
            code: c.item_code.clone(),
            round: c.last_round,
            primary: words::status(c.status).to_string(),
            agree: c.alternative_statuses.iter().all(|s| *s == c.status.as_str()),
            alternatives: c
                .alternative_statuses
                .iter()
                .map(|s| words::status_value(s))
                .collect(),
        })
        .collect();
    let stability = data
        .stability
        .lines
        .iter()
        .map(|l| StabilityRow {
            round: l.round,
            code: if l.criterion.is_empty() {
                l.item_code.clone()
            } else {
                format!("{} ({})", l.item_code, l.criterion)
            },
            change: format!(
                "{} → {}",
                words::status(l.previous_status),
                words::status_in_sentence(l.status)
            ),
            deltas: l
                .change
                .shares
                .iter()
                .map(|s| display::percent_points(s.delta))
                .collect(),
            delta_median: display::median_change(l.change.delta_median),
            moved: match l.bands.moved_share {
                Some(share) => format!(
                    "{}/{} ({})",
                    l.bands.moved,
                    l.bands.paired,
                    display::percent(Some(share.percent()))
                ),
                None => format!("{}/{}", l.bands.moved, l.bands.paired),
            },
            stable: match l.bands.stable {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => display::MISSING.into(),
            },
            responders: format!(
                "{} ({})",
                l.attrition.responders,
                display::mean(l.attrition.responders_mean)
            ),
            non_responders: format!(
                "{} ({})",
                l.attrition.non_responders,
                display::mean(l.attrition.non_responders_mean)
            ),
            difference: display::mean(l.attrition.difference),
        })
        .collect();
    let closed = data
        .rounds
        .iter()
        .filter(|r| r.status == RoundState::Closed)
        .count();
    let methods = match data.study.file.method {
        Method::Chnri => chnri_methods(data, closed),
        Method::Ranking => ranking_methods(data, closed),
        Method::Rating => methods(data, closed),
    };
    let accord = accord(data, closed);
    Context {
        title: study.title.clone(),
        slug: study.slug.clone(),
        status: study.status.to_string(),
        finish_reason: study.finish_reason.clone().unwrap_or_default(),
        generated_at: data.generated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        identified: data.identified,
        no_results: data.has_no_results(),
        description_html: markdown(&study.description),
        panel_total: data.participants.len(),
        groups,
        countries: data
            .countries
            .iter()
            .map(|(c, n)| {
                (
                    if c.is_empty() {
                        "not given".into()
                    } else {
                        c.clone()
                    },
                    *n,
                )
            })
            .collect(),
        rule_locked: study.rule_hash.is_some(),
        rule_hash: study.rule_hash.clone().unwrap_or_default(),
        rule_locked_at: utc(study.rule_locked_at),
        rules: data
            .study
            .rules
            .rules()
            .map(|(name, rule)| RuleRow {
                name: name.to_string(),
                primary: name == PRIMARY,
                description: rule.describe(),
            })
            .collect(),
        scale: data.study.scale.describe(),
        quantiles: primary.quantiles.number(),
        unable: primary.unable.as_str().to_string(),
        rounds,
        group_names: names.iter().map(|(_, n)| n.clone()).collect(),
        item_flow_svg: flow_svg::item_flow(&data.rounds),
        participant_flow_svg: flow_svg::participant_flow(&data.rounds, &names),
        ideas_flow_svg: data.ideas.as_ref().map(|ideas| flow_svg::ideas_flow(&ideas.flow)),
        final_list: final_list(data),
        has_alternatives: !data.results.alternatives.is_empty(),
        charts,
        alternatives: data.results.alternatives.clone(),
        sensitivity,
        share_ranges: data.stability.share_ranges.clone(),
        stability,
        drift: drift_section(data),
        methods,
        accord,
        rankings: ranking_sections(data),
        chnri: chnri_report(data),
        rating: data.study.file.method == Method::Rating,
        ranking_result: ranking_result(data),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_template_compiles() {
        assert!(
            super::REGISTRY.as_ref().is_ok(),
            "{:?}",
            super::REGISTRY.as_ref().err()
        );
    }
}
