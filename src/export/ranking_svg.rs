//! The chart of a ranking round: one horizontal bar per item, its length the item's score
//! relative to the top score, ranked from the top. Drawn in a 360-unit wide viewBox that
//! scales to the page: at 390 px each row is as tall as a line of text. The whole chart is
//! one image whose accessible name lists every item with its rank and score (the table next to
//! it holds the same numbers).

use std::fmt::Write;

use super::svg::escape;
use crate::service::ranking::RankingTable;

const WIDTH: u32 = 360;
const ROW: u32 = 26;
/// Room for "12. CODE" before the bars.
const LABEL: u32 = 92;
/// Room for the score after the longest bar.
const VALUE: u32 = 52;

/// A score as the chart and the tables print it: four decimals at most, no trailing zeros.
pub fn score_text(score: f64) -> String {
    let text = format!("{score:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-0" {
        "0".into()
    } else {
        text.to_owned()
    }
}

/// The chart as an `<svg role="img">` element; `label` names it ("Ranking, round 2"), `rtl`
/// runs the bars from the right.
pub fn ranking_chart(table: &RankingTable, label: &str, rtl: bool) -> String {
    let rows = table.lines.len().max(1) as u32;
    let height = rows * ROW + 4;
    let top = table.lines.iter().map(|l| l.score).fold(0.0f64, f64::max);
    let summary: Vec<String> = table
        .lines
        .iter()
        .map(|l| format!("{}. {} {}", l.rank, l.item_code, score_text(l.score)))
        .collect();
    let name = escape(&format!("{label}: {}", summary.join("; ")));
    let mut out = String::with_capacity(400 + 220 * table.lines.len());
    let _ = write!(
        out,
        r##"<svg class="rankchart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{name}" font-family="system-ui,sans-serif" font-size="12" direction="ltr">"##
    );
    let room = WIDTH - LABEL - VALUE;
    for (i, line) in table.lines.iter().enumerate() {
        let y = i as u32 * ROW + 2;
        let length = if top > 0.0 {
            ((line.score / top) * f64::from(room)).round() as u32
        } else {
            0
        };
        let code = escape(&line.item_code);
        let text_y = y + ROW / 2 + 4;
        let value = score_text(line.score);
        if rtl {
            let bar_x = WIDTH - LABEL - length;
            let _ = write!(
                out,
                r##"<text x="{}" y="{text_y}" text-anchor="end" fill="#1b1b1b">{}. {code}</text><rect x="{bar_x}" y="{}" width="{length}" height="{}" fill="#0b5394"/><text x="{}" y="{text_y}" text-anchor="end" fill="#1b1b1b">{value}</text>"##,
                WIDTH - 2,
                line.rank,
                y + 4,
                ROW - 8,
                bar_x.saturating_sub(4),
            );
        } else {
            let _ = write!(
                out,
                r##"<text x="2" y="{text_y}" fill="#1b1b1b">{}. {code}</text><rect x="{LABEL}" y="{}" width="{length}" height="{}" fill="#0b5394"/><text x="{}" y="{text_y}" fill="#1b1b1b">{value}</text>"##,
                line.rank,
                y + 4,
                ROW - 8,
                LABEL + length + 4,
            );
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::ranking::{RankingLine, RankingTable};

    fn table() -> RankingTable {
        let line = |code: &str, score: f64, rank: u32| RankingLine {
            round: 2,
            item_code: code.into(),
            section: "s".into(),
            item_text: "t".into(),
            chosen: 1,
            first: 0,
            points: 1,
            groups: Vec::new(),
            score,
            rank,
        };
        RankingTable {
            study: "s".into(),
            round: 2,
            choose: 3,
            combine: "pooled".into(),
            groups: Vec::new(),
            responded: 2,
            lines: vec![
                line("C<1>", 7.0 / 9.0, 1),
                line("B", 2.0 / 3.0, 2),
                line("A", 0.0, 3),
            ],
        }
    }

    #[test]
    fn the_longest_bar_is_the_top_score_and_every_item_is_named() {
        let svg = ranking_chart(&table(), "Ranking", false);
        assert!(svg.starts_with("<svg class=\"rankchart\""));
        assert!(
            svg.contains("aria-label=\"Ranking: 1. C&lt;1&gt; 0.7778; 2. B 0.6667; 3. A 0\""),
            "{svg}"
        );
        assert!(
            svg.contains(&format!("width=\"{}\"", WIDTH - LABEL - VALUE)),
            "{svg}"
        );
        assert!(svg.contains("width=\"0\""), "{svg}");
        assert!(!svg.contains("C<1>"));
        let rtl = ranking_chart(&table(), "Ranking", true);
        assert!(rtl.contains("text-anchor=\"end\""));
    }

    #[test]
    fn scores_print_short() {
        assert_eq!(score_text(0.5), "0.5");
        assert_eq!(score_text(12.0), "12");
        assert_eq!(score_text(7.0 / 9.0), "0.7778");
        assert_eq!(score_text(0.0), "0");
    }
}
