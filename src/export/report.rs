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
struct ChnriReport {
    criteria: Vec<String>,
    /// The criteria as the study file sets them, for the method section.
    method: Vec<ChnriCriterionRow>,
    rows: Vec<ChnriRow>,
    /// The same scores computed over each stakeholder group's experts, without the charts.
    groups: Vec<ChnriGroup>,
}

#[derive(Serialize)]
struct ChnriCriterionRow {
    label: String,
    weight: String,
    /// `threshold 60`, or `no threshold`.
    threshold: String,
    questions: Vec<String>,
}

#[derive(Serialize)]
struct ChnriGroup {
    name: String,
    rows: Vec<ChnriRow>,
}

#[derive(Serialize)]
struct ChnriRow {
    round: i32,
    rank: String,
    code: String,
    text: String,
    n: i32,
    cs: Vec<String>,
    rps: String,
    wrps: String,
    aea: String,
    below: String,
    chart: String,
}

/// A CHNRI study's method (its criteria with weights, thresholds and questions) and its
/// scores of every closed round, ranked: pooled with a chart of the criterion scores per item,
/// then per stakeholder group.
fn chnri_report(data: &StudyExport) -> Option<ChnriReport> {
    let chnri = data.chnri.as_ref()?;
    let criteria = data.study.file.chnri_criteria();
    let score = chnri_svg::score_cell;
    // The report names criteria by their labels, as it names sections by their titles.
    let label_of = |key: &str| {
        criteria
            .iter()
            .find(|c| c.key == key)
            .map_or(key.to_owned(), |c| c.label.clone())
    };
    let row = |l: &crate::service::chnri::ChnriLine, with_chart: bool| ChnriRow {
        round: l.round,
        rank: l.rank.map_or("—".to_owned(), |r| r.to_string()),
        code: l.item_code.clone(),
        text: l.item_text.clone(),
        n: l.n,
        cs: l.cs.iter().map(|v| score(*v)).collect(),
        rps: score(l.rps),
        wrps: score(l.wrps),
        aea: l.aea.map_or("—".to_owned(), |v| format!("{v:.2}")),
        below: l.below.iter().map(|k| label_of(k)).collect::<Vec<_>>().join(", "),
        chart: if with_chart {
            chnri_svg::criterion_scores(
                &format!("Criterion scores of {}, 0 to 100", l.item_code),
                &chnri_svg::bars(criteria, &l.cs),
            )
        } else {
            String::new()
        },
    };
    let groups = data
        .groups
        .iter()
        .map(|g| ChnriGroup {
            name: g.name.clone(),
            rows: chnri
                .results_by_group
                .lines
                .iter()
                .filter(|l| l.group == g.key)
                .map(|l| row(l, false))
                .collect(),
        })
        .filter(|g| !g.rows.is_empty())
        .collect();
    Some(ChnriReport {
        criteria: criteria.iter().map(|c| c.label.clone()).collect(),
        method: criteria
            .iter()
            .map(|c| ChnriCriterionRow {
                label: c.label.clone(),
                weight: c.weight.to_string(),
                threshold: c
                    .threshold
                    .map_or("no threshold".to_owned(), |t| format!("threshold {t}")),
                questions: c.questions.clone(),
            })
            .collect(),
        rows: chnri.results.lines.iter().map(|l| row(l, true)).collect(),
        groups,
    })
}

/// When the last closed round was a ranking round, the sentence that says its ranking is the
/// result.
fn ranking_result(data: &StudyExport) -> Option<String> {
    let last = data
        .rounds
        .iter()
        .filter(|r| r.status == RoundState::Closed)
        .map(|r| r.number)
        .max()?;
    let table = data.rankings.iter().find(|t| t.round == last)?;
    Some(if data.study.file.method == Method::Ranking {
        format!(
            "This is a ranking study: in round {last}, experts picked and ordered up to {} items \
             each, and the ranking below is the study's result.",
            table.choose
        )
    } else {
        format!(
            "The study's last round, round {last}, was a ranking round: its ranking, below, is the \
             study's result. The rating rounds before it decided which items were offered to rank; \
             their final consensus list follows the ranking."
        )
    })
}

/// A ranking round in the report: its chart and its table by rank.
#[derive(Serialize)]
struct RankingSection {
    round: i32,
    summary: String,
    chart_svg: String,
    groups: Vec<String>,
    rows: Vec<RankingRow>,
}

#[derive(Serialize)]
struct RankingRow {
    rank: u32,
    code: String,
    text: String,
    score: String,
    points: u64,
    chosen: u64,
    first: u64,
    group_ranks: Vec<String>,
}

fn ranking_sections(data: &StudyExport) -> Vec<RankingSection> {
    data.rankings
        .iter()
        .map(|table| RankingSection {
            round: table.round,
            summary: format!(
                "{} experts picked and ordered up to {} items each; position p earned {} − p + 1 points. Score: {}.",
                table.responded,
                table.choose,
                table.choose,
                if table.combine == "pooled" {
                    "the sum of every expert's points (pooled)"
                } else {
                    "the sum over stakeholder groups of each group's share of its own points, so every group weighs the same (equal_groups)"
                }
            ),
            chart_svg: ranking_svg::ranking_chart(table, &format!("Ranking scores, round {}", table.round), false),
            groups: table.groups.clone(),
            rows: table
                .lines
                .iter()
                .map(|l| RankingRow {
                    rank: l.rank,
                    code: l.item_code.clone(),
                    text: l.item_text.clone(),
                    score: ranking_svg::score_text(l.score),
                    points: l.points,
                    chosen: l.chosen,
                    first: l.first,
                    group_ranks: l
                        .groups
                        .iter()
                        .map(|g| g.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into()))
                        .collect(),
                })
                .collect(),
        })
        .collect()
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
    FinalList {
        columns: 6 + bands.len(),
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
            experts: data.participants.iter().filter(|p| p.group == g.key).count(),
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
            code: l.item_code.clone(),
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
        methods,
        accord,
        rankings: ranking_sections(data),
        chnri: chnri_report(data),
        rating: data.study.file.method == Method::Rating,
        ranking_result: ranking_result(data),
    }
}

/// Why the study stopped, in parentheses, or nothing while it runs.
fn stopped(data: &StudyExport) -> String {
    data.study
        .finish_reason
        .as_ref()
        .map(|r| format!(" (stopped: {r})"))
        .unwrap_or_default()
}

/// The first sentence of the methods: the platform, the panel and the rounds.
fn study_sentence(data: &StudyExport, what: &str, closed: usize) -> String {
    format!(
        "{what} was run on the Delphi platform (version {}). Experts were recruited into {} \
         stakeholder group(s) ({} experts); {} round(s) were completed{}.",
        env!("CARGO_PKG_VERSION"),
        data.groups.len(),
        data.participants.len(),
        closed,
        stopped(data),
    )
}

fn chnri_methods(data: &StudyExport, closed: usize) -> Vec<String> {
    let criteria = data.study.file.chnri_criteria();
    let items = data
        .chnri
        .as_ref()
        .map(|c| {
            let mut codes: Vec<&str> = c.results.lines.iter().map(|l| l.item_code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            codes.len()
        })
        .unwrap_or(0);
    vec![
        study_sentence(
            data,
            "A research priority-setting exercise by the CHNRI method (Child Health and Nutrition \
             Research Initiative)",
            closed,
        ),
        format!(
            "{items} research question(s) were scored against {} criteria ({}). For every item, \
             each expert answered every question of every criterion with yes, undecided \
             (informed but undecided), no or don't know.",
            criteria.len(),
            criteria
                .iter()
                .map(|c| format!("{}, weight {}", c.label, c.weight))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        "Yes counted 1 point, undecided 1/2 and no 0; don't know and unanswered questions counted \
         nowhere. A criterion's score (CS) is 100 × (yes + undecided/2) / (yes + undecided + no) \
         over its questions and the experts; the research priority score (RPS) is the mean of the \
         criterion scores and the weighted RPS (wRPS) their mean weighted by the criteria's \
         weights; the average expert agreement (AEA) is the mean, over the questions, of the share \
         of experts who gave the most common answer. Items were ranked by wRPS, equal scores \
         sharing a rank; an item with a criterion nobody scored has no RPS and no rank. Every \
         score was computed with exact fractions, for the whole panel and for each stakeholder \
         group."
            .to_owned(),
    ]
}

fn ranking_methods(data: &StudyExport, closed: usize) -> Vec<String> {
    std::iter::once(study_sentence(data, "A ranking exercise", closed))
        .chain(ranking_sections(data).into_iter().map(|s| s.summary))
        .collect()
}

fn methods(data: &StudyExport, closed: usize) -> Vec<String> {
    let file = &data.study.file;
    let primary = &data.study.rules.primary;
    let scale = &data.study.scale;
    let labels: Vec<String> = scale
        .labels()
        .iter()
        .map(|(point, label)| format!("{point} = {label}"))
        .collect();
    let mut paragraphs = vec![format!(
        "A modified Delphi study was run on the Delphi platform (version {}). Experts were recruited \
         into {} stakeholder group(s) ({} experts) and rated {} item(s) in {} section(s) on a {} scale{}{}. \
         Up to {} rounds were planned; {} round(s) were completed{}.",
        env!("CARGO_PKG_VERSION"),
        data.groups.len(),
        data.participants.len(),
        data.consensus.len(),
        data.sections.len(),
        scale.describe(),
        if labels.is_empty() {
            String::new()
        } else {
            format!(" ({})", labels.join(", "))
        },
        if scale.unable_to_score() {
            ", with an \"unable to score\" option"
        } else {
            ""
        },
        file.rounds.max,
        closed,
        stopped(data),
    )];
    paragraphs.push(format!(
        "Consensus was defined before round 1 and locked when it opened ({}): {}. Items without \
         consensus were {} to the next round, to which {} were invited. From round 2, experts saw \
         the anonymous distribution of the panel's scores, their own previous score, the \
         distribution per stakeholder group (when at least {} of a group responded) and anonymised \
         comments{}.",
        data.study
            .rule_hash
            .as_ref()
            .map(|h| format!("SHA-256 {}", &h[..h.len().min(16)]))
            .unwrap_or_else(|| "not locked yet".into()),
        primary.describe(),
        match file.rounds.carry_forward {
            crate::domain::round::CarryForward::Unresolved => "carried forward",
            crate::domain::round::CarryForward::All => "carried forward together with all other items",
        },
        match file.rounds.invite {
            crate::domain::round::InvitePolicy::PreviousResponders =>
                "the experts who responded to the previous round",
            crate::domain::round::InvitePolicy::All => "all experts of the panel",
        },
        file.rounds.min_group_feedback,
        if file.rounds.reason_on_band_change {
            "; an expert who moved a score to another band was asked why"
        } else {
            ""
        },
    ));
    paragraphs.push(format!(
        "For each item and round the platform computed counts per scale point, the mean, the sample \
         standard deviation, the median, quartiles and the 30th and 70th percentiles by Hyndman–Fan \
         type {} quantiles, the IQR and the RAND/UCLA disagreement index; \"unable to score\" answers \
         were {} the denominator. {} Stability between rounds is the share of experts who rated an \
         item in both rounds and moved to another band (stable below 15%); attrition compares the \
         previous-round scores of experts who stayed with those of experts who left.",
        primary.quantiles.number(),
        match primary.unable {
            crate::domain::stats::UnablePolicy::Exclude => "excluded from",
            crate::domain::stats::UnablePolicy::Include => "included in",
        },
        if data.study.rules.alternatives.is_empty() {
            "No alternative definition of consensus was set.".to_string()
        } else {
            format!(
                "As a sensitivity analysis, every item was also classified under {} alternative \
                 definition(s): {}.",
                data.study.rules.alternatives.len(),
                data.results.alternatives.join(", ")
            )
        },
    ));
    paragraphs
}

/// The ACCORD items (Gattrell et al., 2024) the platform knows the answer to, and those it does
/// not, which the authors must report themselves.
fn accord(data: &StudyExport, closed: usize) -> Vec<AccordRow> {
    let study = &data.study;
    // A CHNRI study has scores and ranks where a rating study has a scale, a rule and statuses.
    let chnri = chnri_accord(data);
    let filled = |topic: &str, value: String| AccordRow {
        topic: topic.into(),
        filled: true,
        value,
    };
    let open = |topic: &str| AccordRow {
        topic: topic.into(),
        filled: false,
        value: "not recorded by the platform: report it yourself".into(),
    };
    let rates: Vec<String> = data
        .rounds
        .iter()
        .map(|r| {
            format!(
                "round {}: {}/{} ({}; {} submitted, {} answered without submitting)",
                r.number,
                r.responded,
                r.invited,
                display::rate(r.responded, r.invited),
                r.submitted,
                r.answered_not_submitted
            )
        })
        .collect();
    vec![
        filled(
            "Consensus method",
            match chnri {
                Some(_) => format!("CHNRI research priority setting, online, {closed} round(s) completed"),
                None => format!("Modified Delphi, online, {closed} round(s) completed"),
            },
        ),
        filled(
            "Participants: number and stakeholder groups",
            format!(
                "{} experts in {} group(s): {}",
                data.participants.len(),
                data.groups.len(),
                data.groups
                    .iter()
                    .map(|g| format!(
                        "{} ({})",
                        g.name,
                        data.participants.iter().filter(|p| p.group == g.key).count()
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        open("Participant selection and recruitment"),
        filled(
            "Definition of consensus, set in advance",
            match (&chnri, &study.rule_hash) {
                (Some(c), _) => c.definition.clone(),
                (None, Some(hash)) => format!(
                    "{} — locked {} (SHA-256 {hash})",
                    data.study.rules.primary.describe(),
                    utc(study.rule_locked_at)
                ),
                (None, None) => format!("{} — not locked yet", data.study.rules.primary.describe()),
            },
        ),
        filled(
            "Rating scale",
            match chnri {
                Some(_) => "yes, undecided, no or don't know to each question of each criterion".into(),
                None => format!(
                    "{}{}",
                    data.study.scale.describe(),
                    if data.study.scale.unable_to_score() {
                        " with \"unable to score\""
                    } else {
                        ""
                    }
                ),
            },
        ),
        filled(
            "Number of rounds and stopping criteria",
            format!(
                "at most {}; stop when all items are resolved: {}; {}",
                data.study.file.rounds.max,
                if data.study.file.rounds.stop_when_all_resolved {
                    "yes"
                } else {
                    "no"
                },
                study
                    .finish_reason
                    .clone()
                    .unwrap_or_else(|| "study not finished".into())
            ),
        ),
        filled(
            "Anonymity",
            "experts rated privately; feedback and exports are anonymous (pseudonyms E001…)".into(),
        ),
        filled(
            "Feedback between rounds",
            "panel distribution, own previous score, per-group distributions, anonymised comments".into(),
        ),
        filled(
            "Items added, removed or carried between rounds",
            data.rounds
                .iter()
                .map(|r| {
                    format!(
                        "round {}: {} asked ({} new, {} suggested, {} carried)",
                        r.number, r.items, r.new_items, r.suggested, r.carried
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        filled("Response rate per round", rates.join("; ")),
        filled(
            "Statistical analysis",
            match chnri {
                Some(_) => "criterion scores, research priority score (RPS), weighted RPS and average \
                            expert agreement, computed with exact fractions, pooled and per \
                            stakeholder group"
                    .into(),
                None => format!(
                    "median, IQR (Hyndman–Fan type {}), shares per band, RAND/UCLA disagreement index",
                    data.study.rules.primary.quantiles.number()
                ),
            },
        ),
        match &chnri {
            Some(c) => filled("Outcome: items ranked", c.outcome.clone()),
            None => filled(
                "Outcome: items reaching consensus",
                words::tally(
                    data.final_count(Status::In),
                    data.final_count(Status::Out),
                    data.final_count(Status::None),
                ),
            ),
        },
        filled(
            "Sensitivity to the definition of consensus",
            match chnri {
                Some(_) => "the unweighted RPS beside the weighted one, and every score per stakeholder \
                            group"
                    .into(),
                None if data.results.alternatives.is_empty() => "no alternative rule set".into(),
                None => format!("alternative rules: {}", data.results.alternatives.join(", ")),
            },
        ),
        open("Steering committee and its role"),
        open("Preparatory research (literature review) and item generation"),
        open("Pilot testing of the questionnaire"),
        open("Ethics approval and consent"),
        open("Funding and conflicts of interest"),
        open("Registration or protocol"),
    ]
}

/// What the ACCORD checklist says of a CHNRI study's scoring and outcome.
struct ChnriAccord {
    definition: String,
    outcome: String,
}

fn chnri_accord(data: &StudyExport) -> Option<ChnriAccord> {
    let chnri = data.chnri.as_ref()?;
    let criteria = data.study.file.chnri_criteria();
    let last = chnri.results.lines.iter().map(|l| l.round).max();
    let final_lines: Vec<_> = chnri
        .results
        .lines
        .iter()
        .filter(|l| Some(l.round) == last)
        .collect();
    Some(ChnriAccord {
        definition: format!(
            "no consensus threshold: items are ranked by weighted research priority score; {} \
             criteria with their weights and thresholds, set in the study file before round 1 ({})",
            criteria.len(),
            criteria
                .iter()
                .map(|c| match c.threshold {
                    Some(t) => format!("{}: weight {}, threshold {t}", c.label, c.weight),
                    None => format!("{}: weight {}", c.label, c.weight),
                })
                .collect::<Vec<_>>()
                .join("; ")
        ),
        outcome: format!(
            "{} of {} item(s) ranked by wRPS{}; {} below at least one criterion's threshold",
            final_lines.iter().filter(|l| l.rank.is_some()).count(),
            final_lines.len(),
            last.map(|r| format!(" in round {r}")).unwrap_or_default(),
            final_lines.iter().filter(|l| !l.below.is_empty()).count(),
        ),
    })
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
