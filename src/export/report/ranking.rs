//! A ranking round in the report: the sentence that makes it the result, its chart and table
//! by rank, and its paragraph of the methods.

use super::*;

/// When the last closed round was a ranking round, the sentence that says its ranking is the
/// result.
pub(super) fn ranking_result(data: &StudyExport) -> Option<String> {
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
pub(super) struct RankingSection {
    pub(super) round: i32,
    pub(super) summary: String,
    pub(super) chart_svg: String,
    pub(super) groups: Vec<String>,
    pub(super) rows: Vec<RankingRow>,
}

#[derive(Serialize)]
pub(super) struct RankingRow {
    pub(super) rank: u32,
    pub(super) code: String,
    pub(super) text: String,
    pub(super) score: String,
    pub(super) points: u64,
    pub(super) chosen: u64,
    pub(super) first: u64,
    pub(super) group_ranks: Vec<String>,
}

pub(super) fn ranking_sections(data: &StudyExport) -> Vec<RankingSection> {
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

pub(super) fn ranking_methods(data: &StudyExport, closed: usize) -> Vec<String> {
    std::iter::once(study_sentence(data, "A ranking exercise", closed))
        .chain(ranking_sections(data).into_iter().map(|s| s.summary))
        .collect()
}
