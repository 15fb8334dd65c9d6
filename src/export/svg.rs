//! Small, accessible inline SVG charts (rating pages now, reports later).
//!
//! Pure functions from counts to markup. Charts carry no fonts, no external references and no
//! inline styles (the pages' CSP forbids them): colours come from classes the stylesheet
//! defines (`.hist .bd`, `.bar`, `.own`), so a chart costs a few hundred bytes and inherits
//! the page's high-contrast palette. The numbers are in the `aria-label`/`<title>` text, so
//! nothing is conveyed by colour or shape alone.

use std::fmt::Write;

use crate::domain::scale::Band;

/// One distribution to draw.
#[derive(Debug, Clone)]
pub struct Histogram<'a> {
    /// The scale's first point; `counts[0]` is the count of this point.
    pub min: i32,
    /// Count per scale point, in order.
    pub counts: &'a [u64],
    /// Bands of the scale, drawn as alternating shaded backgrounds with a boundary line.
    pub bands: &'a [Band],
    /// The reader's own previous score, drawn as a marked bar with a triangle under it.
    pub highlight: Option<i32>,
    /// Text alternative, e.g. "Round 1: 12 of 20 rated 7–9". Escaped here.
    pub label: &'a str,
}

const BAR: u32 = 16;
const HEIGHT: u32 = 40;
const MARK: u32 = 6;

/// Renders the histogram as an `<svg role="img">` element.
pub fn histogram(h: &Histogram<'_>) -> String {
    let points = h.counts.len() as u32;
    let width = points.max(1) * BAR;
    let total_height = HEIGHT + MARK + 1;
    let label = escape(h.label);
    let mut out = String::with_capacity(160 + 40 * h.counts.len());
    let _ = write!(
        out,
        r#"<svg class="hist" viewBox="0 0 {width} {total_height}" role="img" aria-label="{label}"><title>{label}</title>"#
    );
    let x_of = |score: i32| -> u32 { (score - h.min).max(0) as u32 * BAR };
    // Shapes of one kind share a single <path> (one subpath each): a third of the bytes of
    // separate <rect>s, which matters on a 60-item page.
    let mut shade = [String::new(), String::new()];
    let mut bounds = String::new();
    for (i, band) in h.bands.iter().enumerate() {
        let from = x_of(band.from);
        let to = (x_of(band.to) + BAR).min(width);
        if to <= from || from >= width {
            continue;
        }
        let _ = write!(shade[i % 2], "M{from} 0h{}v{HEIGHT}h-{}z", to - from, to - from);
        if i > 0 {
            let _ = write!(bounds, "M{from} 0V{HEIGHT}");
        }
    }
    for (class, d) in [("bd", &shade[0]), ("bd bd2", &shade[1]), ("bl", &bounds)] {
        if !d.is_empty() {
            let _ = write!(out, r#"<path class="{class}" d="{d}"/>"#);
        }
    }
    let max = h.counts.iter().copied().max().unwrap_or(0);
    let mut bars = String::new();
    let mut own = String::new();
    for (i, &count) in h.counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        // Scaled to the tallest bar; a single answer stays visible (at least 2 units tall).
        let bar = ((count * u64::from(HEIGHT - 2)) / max.max(1)).max(2) as u32;
        let score = h.min + i as i32;
        let target = if h.highlight == Some(score) {
            &mut own
        } else {
            &mut bars
        };
        let _ = write!(
            target,
            "M{} {}h{}v{bar}h-{}z",
            i as u32 * BAR + 2,
            HEIGHT - bar,
            BAR - 4,
            BAR - 4
        );
    }
    if let Some(score) = h.highlight {
        if score >= h.min && ((score - h.min) as usize) < h.counts.len() {
            // A triangle under the expert's own score: the highlight is a shape, not only a colour.
            let _ = write!(
                own,
                "M{} {}l{} {MARK}h-{}z",
                x_of(score) + BAR / 2,
                HEIGHT + 1,
                BAR / 2 - 2,
                BAR - 4
            );
        }
    }
    if !bars.is_empty() {
        let _ = write!(out, r#"<path class="bar" d="{bars}"/>"#);
    }
    if !own.is_empty() {
        let _ = write!(out, r#"<path class="own" d="{own}"/>"#);
    }
    out.push_str("</svg>");
    out
}

/// How many of the answers fall in `band`, and how many answers there are in all.
pub fn in_band(min: i32, counts: &[u64], band: &Band) -> (u64, u64) {
    let total = counts.iter().sum();
    let inside = counts
        .iter()
        .enumerate()
        .filter(|(i, _)| band.contains(min + *i as i32))
        .map(|(_, c)| *c)
        .sum();
    (inside, total)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bands() -> Vec<Band> {
        vec![
            Band {
                name: "Not important".into(),
                from: 1,
                to: 3,
            },
            Band {
                name: "Important".into(),
                from: 4,
                to: 6,
            },
            Band {
                name: "Critical".into(),
                from: 7,
                to: 9,
            },
        ]
    }

    #[test]
    fn chart_is_accessible_small_and_self_contained() {
        let counts = [0, 1, 0, 2, 0, 3, 4, 6, 4];
        let bands = bands();
        let svg = histogram(&Histogram {
            min: 1,
            counts: &counts,
            bands: &bands,
            highlight: Some(8),
            label: "Round 1: 14 of 20 rated 7–9",
        });
        assert!(svg.starts_with("<svg class=\"hist\""));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-label="Round 1: 14 of 20 rated 7–9""#));
        assert!(svg.contains("<title>Round 1: 14 of 20 rated 7–9</title>"));
        let bars = svg.split("class=\"bar\" d=\"").nth(1).unwrap();
        let bars = &bars[..bars.find('"').unwrap()];
        assert_eq!(
            bars.matches('M').count(),
            5,
            "one bar per non-zero point but the own"
        );
        let own = svg.split("class=\"own\" d=\"").nth(1).unwrap();
        let own = &own[..own.find('"').unwrap()];
        assert_eq!(
            own.matches('M').count(),
            2,
            "own bar plus a triangle: shape, not colour alone"
        );
        assert!(own.starts_with("M114 "), "the bar of score 8: {own}");
        assert_eq!(
            svg.matches('z').count(),
            3 + 5 + 2,
            "three bands, five bars, own bar and mark"
        );
        assert!(
            svg.contains(r#"<path class="bl" d="M48 0V40M96 0V40"/>"#),
            "two band boundaries"
        );
        for forbidden in ["http", "style=", "font", "<script", "href"] {
            assert!(!svg.contains(forbidden), "{forbidden} in {svg}");
        }
        assert!(svg.len() < 600, "{} bytes", svg.len());
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn tallest_bar_fills_the_height_and_labels_are_escaped() {
        let counts = [50, 0, 1];
        let svg = histogram(&Histogram {
            min: 0,
            counts: &counts,
            bands: &[],
            highlight: None,
            label: "a <b> & \"c\"",
        });
        assert!(svg.contains("M2 2h12v38h-12z"), "{svg}");
        assert!(
            svg.contains("M34 38h12v2h-12z"),
            "one answer in fifty still shows: {svg}"
        );
        assert!(svg.contains("a &lt;b&gt; &amp; &quot;c&quot;"));
        assert!(!svg.contains("own"));
    }

    #[test]
    fn empty_distribution_draws_no_bars() {
        let svg = histogram(&Histogram {
            min: 1,
            counts: &[0; 9],
            bands: &bands(),
            highlight: Some(20),
            label: "none",
        });
        assert!(!svg.contains("class=\"bar\""));
        assert!(!svg.contains("class=\"own\""), "off-scale highlight ignored");
    }

    #[test]
    fn counts_in_a_band() {
        let bands = bands();
        assert_eq!(in_band(1, &[0, 1, 0, 2, 0, 3, 4, 6, 4], &bands[2]), (14, 20));
        assert_eq!(in_band(1, &[0; 9], &bands[0]), (0, 0));
    }
}
