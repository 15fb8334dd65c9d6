//! The one chart of a distribution of scores, used by the expert feedback, the console's results
//! and the report: an accessible inline SVG histogram.
//!
//! What a reader needs to trust it at a glance, all drawn: every scale point labelled on the
//! axis, the count above each bar, the bands shaded and named, a strip of the band shares under
//! the axis with the consensus thresholds ticked on it, and the reader's own previous score as a
//! coloured bar with a triangle (a shape, not colour alone). The numbers are also in the
//! `aria-label` text equivalent, so nothing is conveyed by the picture alone.
//!
//! Pure functions from counts to markup. No inline styles (the pages' CSP forbids them) and no
//! external references: colours and type are presentation attributes, which the stylesheet can
//! override (`.hist .bar` …) and which keep the chart right where no stylesheet reaches it (the
//! self-contained report, a copied SVG). Shapes of one kind share one `<path>` so a 60-item
//! feedback page stays small.

use std::fmt::Write;

use crate::domain::rule::thresholds::Thresholds;
use crate::domain::scale::Band;

/// A consensus threshold to tick on the band strip: "at least `share` of the answers in
/// `bands[band]`". Only the first and last band can be drawn on the strip (their segments
/// start at an end of it); thresholds on middle bands are left to the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    pub band: usize,
    /// A fraction in 0..=1.
    pub share: f64,
}

impl Threshold {
    /// The floors of a consensus rule that a band strip can show (`domain::rule::thresholds`):
    /// the share needed in a band to be in, and to be out.
    pub fn of_rule(thresholds: &Thresholds) -> Vec<Threshold> {
        [thresholds.in_, thresholds.out]
            .into_iter()
            .flatten()
            .map(|t| Threshold {
                band: t.band,
                share: t.percent / 100.0,
            })
            .collect()
    }
}

/// One distribution to draw.
#[derive(Debug, Clone)]
pub struct Histogram<'a> {
    /// The scale's first point; `counts[0]` is the count of this point.
    pub min: i32,
    /// Count per scale point, in order.
    pub counts: &'a [u64],
    /// Bands of the scale, in the reader's language.
    pub bands: &'a [Band],
    /// The reader's own previous score, drawn as a marked bar with a triangle under it.
    pub highlight: Option<i32>,
    /// Text alternative, e.g. "Round 1: 12 of 20 rated 7–9". Escaped here; the count of every
    /// point is appended to it.
    pub label: &'a str,
    /// Consensus thresholds to tick on the band strip.
    pub thresholds: &'a [Threshold],
    /// The page runs right to left (Arabic): the scale runs from the right, as the rating
    /// scale's row does on that page, so a bar stands over the point it counts.
    pub rtl: bool,
}

/// Width of one scale point, in user units.
const BAR: u32 = 24;
/// Room for two lines of band names.
const NAMES: u32 = 22;
/// Room for the counts above the bars.
const COUNTS: u32 = 12;
/// Height of the tallest bar.
const BARS: u32 = 48;
/// Axis labels under the bars.
const AXIS: u32 = 14;
/// The own-score triangle.
const MARK: u32 = 7;
/// The band strip and its threshold labels.
const STRIP: u32 = 8;
const STRIP_LABEL: u32 = 11;

/// Characters of a band name that fit in `width` units at the names' type size (9 units; an
/// average sans-serif letter is about half as wide).
fn fits(width: u32) -> usize {
    (width * 2 / 9).max(3) as usize
}

/// Where everything of one chart goes: the same for every distribution on one scale, rule and
/// direction.
struct Layout {
    /// Index of the scale's last point.
    last: u32,
    width: u32,
    height: u32,
    /// The bars' baseline, where the axis runs.
    base: u32,
    strip_y: u32,
    /// The band strip is drawn (two bands or more).
    strip: bool,
    ticks: Vec<(u32, u32, usize)>,
}

impl Layout {
    fn of(h: &Histogram<'_>) -> Layout {
        let points = h.counts.len().max(1) as u32;
        let width = points * BAR;
        let names_h = if h.bands.is_empty() { 0 } else { NAMES };
        let base = names_h + COUNTS + BARS;
        let strip_y = base + AXIS + MARK + 3;
        let strip = h.bands.len() >= 2;
        let ticks = if strip {
            tick_positions(h, width)
        } else {
            Vec::new()
        };
        let height = if strip {
            strip_y + STRIP + if ticks.is_empty() { 2 } else { STRIP_LABEL }
        } else {
            base + AXIS + MARK + 2
        };
        Layout {
            last: points - 1,
            width,
            height,
            base,
            strip_y,
            strip,
            ticks,
        }
    }

    /// The left edge of a point's column, in the page's reading direction. (The text inside
    /// runs left to right whatever the page: `direction="ltr"` keeps the anchors' meaning.)
    fn x_of(&self, h: &Histogram<'_>, score: i32) -> u32 {
        let i = ((score - h.min).max(0) as u32).min(self.last);
        if h.rtl {
            (self.last - i) * BAR
        } else {
            i * BAR
        }
    }

    fn span(&self, h: &Histogram<'_>, band: &Band) -> Option<(u32, u32)> {
        if band.to < h.min || band.from > h.min + self.last as i32 {
            return None;
        }
        let (a, b) = (self.x_of(h, band.from), self.x_of(h, band.to));
        let (from, to) = (a.min(b), (a.max(b) + BAR).min(self.width));
        (to > from).then_some((from, to))
    }
}

/// The type every text of a chart is set in, and the direction that keeps the anchors' meaning.
const TYPE: &str = r#"font-family="system-ui,sans-serif" direction="ltr""#;

/// Renders the histogram as a self-contained `<svg role="img">` element, painted by its own
/// presentation attributes.
pub fn histogram(h: &Histogram<'_>) -> String {
    let layout = Layout::of(h);
    let mut out = String::with_capacity(1_200 + 60 * h.counts.len());
    open(&mut out, h, &layout, &format!(" {TYPE}"));
    back(&mut out, h, &layout);
    data(&mut out, h, &layout, Paint::Attributes);
    front(&mut out, h, &layout);
    out.push_str("</svg>");
    out
}

/// What every chart of one scale, rule and direction repeats — the bands, their names, the axis
/// with its labels and the thresholds — as two groups, `{id}b` drawn under the bars and `{id}f`
/// over them, for a page's `<defs>`: each of its charts ([`on_frame`]) then holds only its
/// own numbers. `h`'s counts give the number of points; their values do not matter.
pub fn frame(h: &Histogram<'_>, id: &str) -> String {
    let layout = Layout::of(h);
    let mut out = String::with_capacity(1_500);
    let _ = write!(out, r#"<g id="{id}b" {TYPE}>"#);
    back(&mut out, h, &layout);
    let _ = write!(out, r#"</g><g id="{id}f" {TYPE}>"#);
    front(&mut out, h, &layout);
    out.push_str("</g>");
    out
}

/// The histogram drawn over the [`frame`] `id` of the page's defs (the same scale, rule and
/// direction): its bars, counts, own score and band shares, painted by the stylesheet
/// (`.hist .bar` … in static/css/delphi.css), which a page always has. Written for a page
/// that repeats it for every item (issue 17): attribute values unquoted where HTML allows,
/// paths as short as the same shapes can be written, and a text equivalent of the counts
/// alone: `h.label` is not used, the page shows its summary beside the chart, and a screen
/// reader would otherwise read it twice.
pub fn on_frame(h: &Histogram<'_>, id: &str) -> String {
    let layout = Layout::of(h);
    let mut out = String::with_capacity(300 + 40 * h.counts.len());
    let _ = write!(
        out,
        r#"<svg class=hist viewBox="0 0 {} {}" role=img aria-label="{}">"#,
        layout.width,
        layout.height,
        escape(&points_text(h.min, h.counts))
    );
    // A space before `/>`: an unquoted value would otherwise take the slash.
    let _ = write!(out, "<use href=#{id}b />");
    data(&mut out, h, &layout, Paint::Stylesheet);
    let _ = write!(out, "<use href=#{id}f /></svg>");
    out
}

/// Whether a chart's own marks carry their colours and type (self-contained), or leave them
/// to the page's stylesheet — and are then written as short as HTML allows (see [`on_frame`]).
#[derive(Clone, Copy, PartialEq)]
enum Paint {
    Attributes,
    Stylesheet,
}

impl Paint {
    /// `attributes` when the chart paints itself, nothing when the stylesheet does.
    fn pick(self, attributes: &str) -> &str {
        match self {
            Paint::Attributes => attributes,
            Paint::Stylesheet => "",
        }
    }

    /// The quote around a one-word attribute value: none in a page's chart.
    fn quote(self) -> &'static str {
        self.pick("\"")
    }

    /// The rectangle from (`x`, `y`) `w` wide down to `bottom`, as a path: closed explicitly
    /// in a self-contained chart, by the fill in a page's.
    fn rect(self, out: &mut String, (x, y): (u32, u32), w: u32, bottom: u32) {
        let _ = match self {
            Paint::Attributes => write!(out, "M{x} {y}h{w}v{}h-{w}z", bottom - y),
            Paint::Stylesheet => write!(out, "M{x} {y}h{w}V{bottom}H{x}"),
        };
    }
}

/// `<svg class="hist" … aria-label="…">`: the numbers are in the text equivalent too, so
/// nothing is conveyed by the picture alone.
fn open(out: &mut String, h: &Histogram<'_>, layout: &Layout, attributes: &str) {
    let label = escape(&format!("{} ({})", h.label, points_text(h.min, h.counts)));
    let _ = write!(
        out,
        r#"<svg class="hist" viewBox="0 0 {} {}" role="img" aria-label="{label}"{attributes}>"#,
        layout.width, layout.height
    );
}

/// Under the bars: the bands' alternating shades behind names and bars, a dashed line between
/// neighbours, and their names.
fn back(out: &mut String, h: &Histogram<'_>, layout: &Layout) {
    let base = layout.base;
    let mut shade = [String::new(), String::new()];
    let mut bounds = String::new();
    let mut names = String::new();
    for (i, band) in h.bands.iter().enumerate() {
        let Some((from, to)) = layout.span(h, band) else {
            continue;
        };
        let _ = write!(shade[i % 2], "M{from} 0h{}v{base}h-{}z", to - from, to - from);
        if i > 0 {
            // The edge this band shares with the one before it.
            let _ = write!(bounds, "M{} 0V{base}", if h.rtl { to } else { from });
        }
        for (line, text) in wrap(&band.name, fits(to - from - 4)).iter().enumerate() {
            let _ = write!(
                names,
                r#"<text x="{}" y="{}">{}</text>"#,
                (from + to) / 2,
                9 + line as u32 * 10,
                escape(text)
            );
        }
    }
    for (class, fill, d) in [("bd", "#e4e4e4", &shade[0]), ("bd bd2", "#f2f2f2", &shade[1])] {
        if !d.is_empty() {
            let _ = write!(out, r#"<path class="{class}" fill="{fill}" d="{d}"/>"#);
        }
    }
    if !bounds.is_empty() {
        let _ = write!(
            out,
            r##"<path class="bl" stroke="#555" stroke-dasharray="2 2" d="{bounds}"/>"##
        );
    }
    if !names.is_empty() {
        let _ = write!(
            out,
            r##"<g class="bn" font-size="9" text-anchor="middle" fill="#333">{names}</g>"##
        );
    }
}

/// What only this distribution shows: the bars, scaled to the tallest (a single answer stays
/// visible), with their counts above, the reader's own score, and the band shares' strip.
fn data(out: &mut String, h: &Histogram<'_>, layout: &Layout, paint: Paint) {
    let base = layout.base;
    let q = paint.quote();
    let max = h.counts.iter().copied().max().unwrap_or(0);
    let mut bars = String::new();
    let mut own = String::new();
    let mut counts = String::new();
    for (i, &count) in h.counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let bar = ((count * u64::from(BARS)) / max.max(1)).max(2) as u32;
        let score = h.min + i as i32;
        let target = if h.highlight == Some(score) {
            &mut own
        } else {
            &mut bars
        };
        let x = layout.x_of(h, score);
        paint.rect(target, (x + 3, base - bar), BAR - 6, base);
        let _ = write!(
            counts,
            "<text x={q}{}{q} y={q}{}{q}>{count}</text>",
            x + BAR / 2,
            base - bar - 2
        );
    }
    if let Some(score) = h.highlight {
        if score >= h.min && ((score - h.min) as usize) < h.counts.len() {
            // A triangle under the reader's own score, pointing at its label.
            let _ = write!(
                own,
                "M{} {}l{} {MARK}h-{}{}",
                layout.x_of(h, score) + BAR / 2,
                base + AXIS + 1,
                BAR / 2 - 5,
                BAR - 10,
                paint.pick("z")
            );
        }
    }
    if !bars.is_empty() {
        let _ = write!(
            out,
            r#"<path class={q}bar{q}{} d="{bars}"/>"#,
            paint.pick(r##" fill="#5a5a5a""##)
        );
    }
    if !own.is_empty() {
        let _ = write!(
            out,
            r#"<path class={q}own{q}{} d="{own}"/>"#,
            paint.pick(r##" fill="#0b5394""##)
        );
    }
    if !counts.is_empty() {
        let _ = write!(
            out,
            "<g class={q}n{q}{}>{counts}</g>",
            paint.pick(r##" font-size="10" text-anchor="middle" fill="#1b1b1b""##)
        );
    }
    if layout.strip {
        shares(out, h, layout, paint);
    }
}

/// The share of the answers in each band as one bar the width of the chart, lowest band on the
/// left.
fn shares(out: &mut String, h: &Histogram<'_>, layout: &Layout, paint: Paint) {
    let (width, y) = (layout.width, layout.strip_y);
    let total: u64 = h.counts.iter().sum();
    if total == 0 {
        let _ = write!(
            out,
            r##"<path class="sg" fill="none" stroke="#767676" d="M0 {y}h{width}v{STRIP}H0z"/>"##
        );
        return;
    }
    let last = h.bands.len() - 1;
    // Edges from the running total, rounded once each, so the segments meet and the last one
    // ends exactly at the right edge.
    let mut before = 0u64;
    let mut x = 0u32;
    for (i, band) in h.bands.iter().enumerate() {
        let (inside, _) = in_band(h.min, h.counts, band);
        before += inside;
        let end = if i == last {
            width
        } else {
            ((before * u64::from(width) * 2 + total) / (total * 2)) as u32
        };
        let w = end.saturating_sub(x);
        if w > 0 && inside > 0 {
            // The stylesheet tells the segments apart by `lo`, `mid` and `hi` alone.
            let (class, fill) = match (i, paint) {
                (0, Paint::Attributes) => ("\"sg lo\"", "#b54d0b"),
                (i, Paint::Attributes) if i == last => ("\"sg hi\"", "#0b5394"),
                (_, Paint::Attributes) => ("\"sg mid\"", "#b8b8b8"),
                (0, Paint::Stylesheet) => ("lo", ""),
                (i, Paint::Stylesheet) if i == last => ("hi", ""),
                (_, Paint::Stylesheet) => ("mid", ""),
            };
            let left = if h.rtl { width - x - w } else { x };
            let fill = format!(r#" fill="{fill}""#);
            let _ = write!(out, "<path class={class}{} d=\"", paint.pick(&fill));
            paint.rect(out, (left, y), w, y + STRIP);
            out.push_str("\"/>");
        }
        x = end;
    }
}

/// Over the bars: the score axis (a line and every point's label), and each drawable threshold
/// ticked on the band strip and labelled ("≥70%").
fn front(out: &mut String, h: &Histogram<'_>, layout: &Layout) {
    let (base, width) = (layout.base, layout.width);
    let _ = write!(
        out,
        r##"<path class="axis" stroke="#555" d="M0 {base}H{width}"/><g class="ax" font-size="11" text-anchor="middle" fill="#1b1b1b">"##
    );
    for i in 0..h.counts.len() {
        let score = h.min + i as i32;
        let _ = write!(
            out,
            r#"<text x="{}" y="{}">{score}</text>"#,
            layout.x_of(h, score) + BAR / 2,
            base + 12,
        );
    }
    out.push_str("</g>");
    if layout.strip {
        thresholds(out, h, width, layout.strip_y, &layout.ticks);
    }
}

/// Each drawable threshold ticked on the strip and labelled ("≥70%").
fn thresholds(out: &mut String, h: &Histogram<'_>, width: u32, y: u32, ticks: &[(u32, u32, usize)]) {
    if ticks.is_empty() {
        return;
    }
    let mut d = String::new();
    let mut labels = String::new();
    for &(x, percent, band) in ticks {
        let _ = write!(
            d,
            "M{} {}v{}",
            if h.rtl { width - x } else { x },
            y - 2,
            STRIP + 4
        );
        // The label names its band and runs away from the middle (the low band's to the right
        // of its tick, the high band's to the left), so an in and an out label never meet;
        // on a chart too narrow for that (a scale of few points) it drops the band's range,
        // which the strip's colour shows; towards the middle only when even that would be cut
        // off at the edge.
        let runs_left = band != 0;
        let room = |text: &str| text.chars().count() as u32 * 5;
        let away = |text: &str| match runs_left {
            true => x >= room(text),
            false => x + room(text) <= width,
        };
        let text = h
            .bands
            .get(band)
            .map(|b| format!("{}–{} ≥{percent}%", b.from, b.to))
            .filter(|text| away(text))
            .unwrap_or_else(|| format!("≥{percent}%"));
        let room = room(&text);
        let anchor = match (runs_left, x >= room, x + room <= width) {
            (true, true, _) | (false, _, false) => "end",
            _ => "start",
        };
        // Right to left, the strip is mirrored: the tick, and the side its label runs to.
        let (x, anchor) = match (h.rtl, anchor) {
            (false, _) => (x, anchor),
            (true, "end") => (width - x, "start"),
            (true, _) => (width - x, "end"),
        };
        let _ = write!(
            labels,
            r#"<text x="{x}" y="{}" text-anchor="{anchor}">{}</text>"#,
            y + STRIP + 10,
            escape(&text)
        );
    }
    let _ = write!(
        out,
        r##"<path class="th" stroke="#1b1b1b" stroke-width="2" d="{d}"/><g class="thl" font-size="9" fill="#1b1b1b">{labels}</g>"##
    );
}

/// Where each drawable threshold falls on the strip, with its percentage and band: the last
/// band's segment ends at the right edge, so reaching a share `s` means starting left of `1 - s`.
fn tick_positions(h: &Histogram<'_>, width: u32) -> Vec<(u32, u32, usize)> {
    let last = h.bands.len().saturating_sub(1);
    h.thresholds
        .iter()
        .filter(|t| t.share.is_finite() && (0.0..=1.0).contains(&t.share))
        .filter_map(|t| {
            let at = if t.band == 0 {
                t.share
            } else if t.band == last {
                1.0 - t.share
            } else {
                return None;
            };
            Some((
                (at * f64::from(width)).round() as u32,
                (t.share * 100.0).round() as u32,
                t.band,
            ))
        })
        .collect()
}

/// "1: 0, 2: 1, 3: 0, …": every point's count, for the text equivalent.
pub fn points_text(min: i32, counts: &[u64]) -> String {
    counts
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{}: {c}", min + i as i32))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A band name in at most two lines of `chars` characters, cut with an ellipsis beyond.
fn wrap(name: &str, chars: usize) -> Vec<String> {
    let mut lines = word_lines(name, chars);
    if lines.len() > 2 {
        let rest = lines.split_off(1).join(" ");
        lines.push(rest);
    }
    lines
        .into_iter()
        .map(|line| {
            if line.chars().count() > chars {
                let mut cut: String = line.chars().take(chars.saturating_sub(1)).collect();
                cut.push('…');
                cut
            } else {
                line
            }
        })
        .collect()
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

/// The words of `text` in lines of at most `max` characters, for every chart of `export`; a
/// word longer than that stands on a line of its own, for the caller to cut.
pub(crate) fn word_lines(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Text for SVG and XML, for every chart of `export`: the five characters that could end a text
/// or an attribute, escaped in one pass.
pub(crate) fn escape(text: &str) -> String {
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
                name: "Important but not critical".into(),
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

    fn between<'a>(svg: &'a str, start: &str, end: &str) -> &'a str {
        let from = svg.find(start).map(|i| i + start.len()).unwrap_or(svg.len());
        let rest = &svg[from..];
        &rest[..rest.find(end).unwrap_or(rest.len())]
    }

    /// The text of every `<text>` of `group`, in order.
    fn texts(group: &str) -> Vec<&str> {
        group
            .split("<text")
            .skip(1)
            .map(|t| between(t, ">", "</text>"))
            .collect()
    }

    /// Fourteen of twenty answers in 7–9 on the COMET scale (`bands`), 70 % needed there, the
    /// reader's own score `own`.
    fn fourteen_of_twenty<'a>(bands: &'a [Band], own: i32, label: &'a str, rtl: bool) -> Histogram<'a> {
        Histogram {
            min: 1,
            counts: &[0, 1, 0, 2, 0, 3, 4, 6, 4],
            bands,
            highlight: Some(own),
            label,
            thresholds: &[Threshold { band: 2, share: 0.7 }],
            rtl,
        }
    }

    #[test]
    fn chart_names_every_point_counts_every_bar_and_stays_self_contained() {
        let svg = histogram(&fourteen_of_twenty(
            &bands(),
            8,
            "Round 1: 14 of 20 rated 7–9",
            false,
        ));
        assert!(svg.starts_with("<svg class=\"hist\""));
        assert!(svg.contains(r#"role="img""#));
        let text = "Round 1: 14 of 20 rated 7–9 (1: 0, 2: 1, 3: 0, 4: 2, 5: 0, 6: 3, 7: 4, 8: 6, 9: 4)";
        assert!(svg.contains(&format!(r#"aria-label="{text}""#)), "{svg}");
        let axis = between(&svg, r#"<g class="ax""#, "</g>");
        assert_eq!(texts(axis), ["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        let numbers = between(&svg, r#"<g class="n""#, "</g>");
        assert_eq!(
            texts(numbers),
            ["1", "2", "3", "4", "6", "4"],
            "a count over each bar"
        );
        let bars = between(&svg, r##"class="bar" fill="#5a5a5a" d=""##, "\"");
        assert_eq!(bars.matches('M').count(), 5, "every non-zero point but the own");
        let own = between(&svg, r##"class="own" fill="#0b5394" d=""##, "\"");
        assert_eq!(own.matches('M').count(), 2, "own bar plus a triangle");
        assert!(own.starts_with("M171 "), "the bar of score 8: {own}");
        let names = between(&svg, r#"<g class="bn""#, "</g>");
        for name in ["Not important", "Important but", "not critical", "Critical"] {
            assert!(names.contains(&format!(">{name}<")), "{name} in {names}");
        }
        assert!(
            svg.contains(r#"d="M72 0V82M144 0V82""#),
            "two band boundaries: {svg}"
        );
        // 14 of 20 in 7–9: the strip's top segment is 70 % of 216 units, the tick at 30 %.
        assert!(
            svg.contains(r##"class="sg hi" fill="#0b5394" d="M65 106h151v8h-151z""##),
            "{svg}"
        );
        assert!(svg.contains(r#"d="M65 104v12""#), "{svg}");
        assert!(svg.contains(r#"text-anchor="end">7–9 ≥70%</text>"#), "{svg}");
        for forbidden in ["http", "style=", "<script", "href", "NaN"] {
            assert!(!svg.contains(forbidden), "{forbidden} in {svg}");
        }
        assert!(svg.len() < 2_400, "{} bytes", svg.len());
        assert!(svg.ends_with("</svg>"));
    }

    /// A page draws what its charts share once (`frame`) and each chart over it (`on_frame`):
    /// together they are the self-contained chart, less the colours the stylesheet gives.
    #[test]
    fn a_chart_over_a_shared_frame_draws_what_the_self_contained_one_does() {
        let bands = bands();
        let h = fourteen_of_twenty(&bands, 8, "Round 1: 14 of 20 rated 7–9", false);
        let whole = histogram(&h);
        let frame = frame(
            &Histogram {
                counts: &[0; 9],
                ..h.clone()
            },
            "h1",
        );
        let chart = on_frame(&h, "h1");
        let under = between(&frame, r#"<g id="h1b" "#, "</g><g id=\"h1f\"");
        let over = between(&frame, r#"<g id="h1f" "#, "</svg>");
        let type_ = r#"font-family="system-ui,sans-serif" direction="ltr">"#;
        let (under, over) = (&under[type_.len()..], &over[type_.len()..over.len() - 4]);
        assert!(
            whole.contains(under) && under.contains(">not critical</text>"),
            "{under}"
        );
        assert!(
            whole.contains(over) && over.contains(">9</text>") && over.contains("≥70%"),
            "{over}"
        );
        assert!(
            chart.starts_with(
                r#"<svg class=hist viewBox="0 0 216 125" role=img aria-label="1: 0, 2: 1, 3: 0, 4: 2, 5: 0, 6: 3, 7: 4, 8: 6, 9: 4">"#
            ),
            "the counts are its text equivalent, the page says the summary: {chart}"
        );
        assert!(!chart.contains("Round 1"), "{chart}");
        assert!(chart.contains("<use href=#h1b /><path class=bar d="), "{chart}");
        assert!(chart.ends_with("<use href=#h1f /></svg>"), "{chart}");
        // The segments the self-contained chart draws, closed by their fill.
        assert!(whole.contains(r#"d="M65 106h151v8h-151z""#), "{whole}");
        assert!(
            chart.contains(r#"<path class=hi d="M65 106h151V114H65"/>"#),
            "{chart}"
        );
        assert!(
            whole.contains(r#"d="M171 34h18v48h-18zM180 97l7 7h-14z""#),
            "{whole}"
        );
        assert!(
            chart.contains(r#"<path class=own d="M171 34h18V82H171M180 97l7 7h-14"/>"#),
            "the same own bar and triangle: {chart}"
        );
        assert!(chart.contains("<text x=180 y=32>6</text>"), "{chart}");
        for drawn in ["fill=", "font-", "<text x=12 ", "Critical", "class=\"", "z\""] {
            assert!(
                !chart.contains(drawn),
                "{drawn} is the frame's or the stylesheet's, or longer than needed: {chart}"
            );
        }
        assert!(chart.len() < 600, "{} bytes", chart.len());
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
            thresholds: &[],
            rtl: false,
        });
        assert!(svg.contains("M3 12h18v48h-18z"), "{svg}");
        assert!(
            svg.contains("M51 58h18v2h-18z"),
            "one answer in fifty still shows: {svg}"
        );
        assert!(svg.contains("a &lt;b&gt; &amp; &quot;c&quot;"));
        assert!(!svg.contains("own"));
        assert!(!svg.contains("class=\"sg"), "no strip without bands");
    }

    /// A five-point chart is too narrow for "4–5 ≥70%" beside "1–2 ≥70%": both labels keep
    /// to their side of their tick with the percentage only, so they never overlap.
    #[test]
    fn a_narrow_chart_shortens_its_threshold_labels() {
        let band = |name: &str, from, to| Band {
            name: name.into(),
            from,
            to,
        };
        let svg = histogram(&Histogram {
            min: 1,
            counts: &[5, 6, 5, 4, 2],
            bands: &[band("Low", 1, 2), band("High", 4, 5)],
            highlight: None,
            label: "five",
            thresholds: &[
                Threshold { band: 1, share: 0.7 },
                Threshold { band: 0, share: 0.7 },
            ],
            rtl: false,
        });
        let labels = between(&svg, r#"<g class="thl""#, "</g>");
        assert!(!labels.contains('–'), "{labels}");
        // The high band's tick at 30 % (x 36) runs left, the low band's at 70 % (x 84) right.
        assert!(
            labels.contains(r#"x="36" y="#) && labels.contains(r#"text-anchor="end">≥70%"#),
            "{labels}"
        );
        assert!(
            labels.contains(r#"x="84" y="#) && labels.contains(r#"text-anchor="start">≥70%"#),
            "{labels}"
        );
    }

    #[test]
    fn empty_distribution_draws_no_bars_but_keeps_its_axis() {
        let svg = histogram(&Histogram {
            min: 1,
            counts: &[0; 9],
            bands: &bands(),
            highlight: Some(20),
            label: "none",
            thresholds: &[
                Threshold { band: 0, share: 0.7 },
                Threshold { band: 1, share: 0.5 },
            ],
            rtl: false,
        });
        assert!(!svg.contains("class=\"bar\""));
        assert!(!svg.contains("class=\"own\""), "off-scale highlight ignored");
        assert_eq!(
            between(&svg, r#"<g class="ax""#, "</g>").matches("<text").count(),
            9
        );
        assert!(
            svg.contains(r#"d="M151 104v12""#),
            "the low band's tick at 70 %: {svg}"
        );
        assert_eq!(
            svg.matches("≥").count(),
            1,
            "a middle band's threshold is not drawable"
        );
    }

    #[test]
    fn right_to_left_runs_the_scale_from_the_right_with_its_words_upright() {
        let svg = histogram(&fourteen_of_twenty(&bands(), 2, "r", true));
        assert!(svg.contains(r#"direction="ltr""#), "anchors keep their meaning");
        let axis = between(&svg, r#"<g class="ax""#, "</g>");
        assert!(
            axis.starts_with(
                r##" font-size="11" text-anchor="middle" fill="#1b1b1b"><text x="204" y="94">1</text>"##
            ),
            "{axis}"
        );
        assert!(axis.ends_with(r#"<text x="12" y="94">9</text>"#), "{axis}");
        let own = between(&svg, r##"class="own" fill="#0b5394" d=""##, "\"");
        assert!(
            own.starts_with("M171 "),
            "score 2 is the second from the right: {own}"
        );
        assert!(
            svg.contains(r#"d="M144 0V82M72 0V82""#),
            "band edges mirrored: {svg}"
        );
        // The top band's share (70 %) fills the strip from the left; its tick at 70 % from the left.
        assert!(
            svg.contains(r##"class="sg hi" fill="#0b5394" d="M0 106h151v8h-151z""##),
            "{svg}"
        );
        assert!(
            svg.contains(r#"<text x="151" y="124" text-anchor="start">7–9 ≥70%</text>"#),
            "{svg}"
        );
        let names = between(&svg, r#"<g class="bn""#, "</g>");
        assert!(
            names.contains(r#"<text x="180" y="9">Not important</text>"#),
            "{names}"
        );
    }

    #[test]
    fn long_band_names_wrap_then_shorten() {
        assert_eq!(wrap("Critical", 13), ["Critical"]);
        assert_eq!(
            wrap("Important but not critical", 13),
            ["Important but", "not critical"]
        );
        assert_eq!(
            wrap("Sehr wichtig und unbedingt aufzunehmen", 13),
            ["Sehr wichtig", "und unbeding…"]
        );
    }

    #[test]
    fn counts_in_a_band() {
        let bands = bands();
        assert_eq!(in_band(1, &[0, 1, 0, 2, 0, 3, 4, 6, 4], &bands[2]), (14, 20));
        assert_eq!(in_band(1, &[0; 9], &bands[0]), (0, 0));
    }
}
