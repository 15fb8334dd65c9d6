//! The figure Delphi papers print: one diverging stacked bar per item, the share of the scores
//! in each band, the rows sorted by agreement and the consensus threshold drawn as a dashed line.
//!
//! Pure functions from counts to markup, like `svg` and `flow_svg`, but made to leave the page:
//! the same SVG is shown inline and downloaded for a manuscript, so it carries its colours and
//! fonts as presentation attributes (`fill`, `font-family`), never `style=` (the pages' CSP
//! forbids inline styles) nor a class a stylesheet would have to define, and no script and no
//! external reference. Every number is written out in the `<desc>` and in the table the page
//! shows beside it, so nothing is told by colour alone.
//!
//! Layout. The bar of the band a rule's "in" threshold is about (COMET: 7–9) starts at the
//! centre line and grows to the right; the band of the "out" threshold (1–3) grows to the left;
//! the bands beyond them continue outwards. A dashed line at 70 % then means exactly "70 % of
//! the scores in 7–9", whatever the middle band holds. Splitting the middle band (4–6) across the
//! centre, as Likert charts often do, would shift every 7–9 segment by half of its row's 4–6
//! share and make the line lie; so the bands between the two threshold bands are drawn on the
//! same scale in a column of their own at the right ("neutral aside", Robbins & Heiberger
//! 2011). Without thresholds the scale's lower half goes left, the upper half right, and a
//! middle band or point aside.

use std::fmt::Write;

use super::svg::{escape, word_lines};
use crate::domain::rule::{BandThreshold, Op};
use crate::domain::scale::Scale;

/// Width of the figure in user units; the height grows with the rows.
pub const WIDTH: f64 = 800.0;
const PAD: f64 = 8.0;
const LABEL_WIDTH: f64 = 214.0;
const N_WIDTH: f64 = 44.0;
const GAP: f64 = 22.0;
const ROW: f64 = 22.0;
const BAR: f64 = 14.0;
const LEGEND_ROW: f64 = 18.0;
const NOTE_LINE: f64 = 14.0;
/// Average advance of a character of an 11-unit sans-serif font, for fitting text; generous,
/// so that a label judged to fit does fit in Helvetica, Arial or DejaVu Sans.
const CHAR_11: f64 = 6.2;
/// The same for the item labels, where a little overflow into the gap before the bars is
/// better than cutting text that would have fit in Arial.
const LABEL_CHAR: f64 = 5.8;
const FONT: &str = "Helvetica, Arial, sans-serif";
const INK: &str = "#222222";
const SOFT_INK: &str = "#595959";

/// A run of scale points drawn as one segment of a bar: a band, a gap between bands, or, on a
/// scale without bands, one point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub name: String,
    pub from: i32,
    pub to: i32,
    /// Index into the scale's bands; `None` for a gap or a point.
    pub band: Option<usize>,
}

/// The segments of `scale` in order, covering every point once: its bands and the gaps
/// between them (named by their points, "4–6"), or one segment per point (named by the point
/// and its label, if it has one) when the scale has no bands.
pub fn segments(scale: &Scale) -> Vec<Segment> {
    let range = |from: i32, to: i32| {
        if from == to {
            from.to_string()
        } else {
            format!("{from}–{to}")
        }
    };
    if scale.bands().is_empty() {
        return scale
            .points()
            .map(|p| Segment {
                name: match scale.label(p) {
                    Some(label) => format!("{p} ({label})"),
                    None => p.to_string(),
                },
                from: p,
                to: p,
                band: None,
            })
            .collect();
    }
    let mut out = Vec::new();
    let mut next = scale.min();
    for (i, band) in scale.bands().iter().enumerate() {
        if band.from > next {
            out.push(Segment {
                name: range(next, band.from - 1),
                from: next,
                to: band.from - 1,
                band: None,
            });
        }
        out.push(Segment {
            name: band.name.clone(),
            from: band.from,
            to: band.to,
            band: Some(i),
        });
        next = band.to + 1;
    }
    if next <= scale.max() {
        out.push(Segment {
            name: range(next, scale.max()),
            from: next,
            to: scale.max(),
            band: None,
        });
    }
    out
}

/// A consensus threshold to draw: the share `percent` of segment `segment`.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub segment: usize,
    pub op: Op,
    pub percent: f64,
    /// What the legend says of it, e.g. "Consensus in: ≥ 70 % Critical".
    pub label: String,
}

impl Line {
    /// The line of a rule's band threshold, if its band is one of `segments`.
    pub fn of(threshold: &BandThreshold, segments: &[Segment], label: String) -> Option<Line> {
        let segment = segments.iter().position(|s| s.band == Some(threshold.band))?;
        Some(Line {
            segment,
            op: threshold.op,
            percent: threshold.percent.clamp(0.0, 100.0),
            label,
        })
    }
}

/// What one item's bar shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answers {
    /// Scores per scale point, from the scale's minimum ("unable to score" not among them).
    Counts(Vec<u64>),
    /// Too few answered to show them (small-group rule).
    Withheld,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub code: String,
    pub text: String,
    pub answers: Answers,
}

/// The words of the figure, in the reader's language (the module knows no language).
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub title: String,
    /// Sentences under the chart and in its `<desc>`: what is counted, the lines, the order.
    pub notes: Vec<String>,
    pub no_answers: String,
    pub withheld: String,
    /// Heading of the aside column when it holds several segments.
    pub middle: String,
    /// What follows a number to make it a percentage: "%" or, in French, "\u{202f}%".
    pub percent: String,
}

/// Everything the figure is drawn from.
#[derive(Debug, Clone)]
pub struct Figure<'a> {
    /// The scale's first point: `Answers::Counts[0]` counts it.
    pub min: i32,
    pub segments: &'a [Segment],
    pub rows: &'a [Row],
    pub in_line: Option<Line>,
    pub out_line: Option<Line>,
    pub words: &'a Words,
}

/// One row of the figure and of its text equivalent.
#[derive(Debug, Clone, PartialEq)]
pub struct Shares {
    pub code: String,
    pub text: String,
    /// Scores counted (`0` for no answers or withheld).
    pub n: u64,
    pub withheld: bool,
    /// Percent of `n` per segment, exact (empty when `n` is 0 or withheld).
    pub percent: Vec<f64>,
    /// The same rounded to whole percents that add up to 100 (largest remainders).
    pub rounded: Vec<u64>,
}

/// Where each segment goes: `left` and `right` from the centre outwards, `aside` in scale order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sides {
    pub left: Vec<usize>,
    pub aside: Vec<usize>,
    pub right: Vec<usize>,
}

impl Sides {
    /// The sides of `count` segments with the threshold segments `lines` (see the module doc).
    pub fn of(count: usize, lines: &[usize]) -> Sides {
        if count == 0 {
            return Sides {
                left: Vec::new(),
                aside: Vec::new(),
                right: Vec::new(),
            };
        }
        let last = count - 1;
        let mut marked: Vec<usize> = lines.iter().copied().filter(|&s| s <= last).collect();
        marked.sort_unstable();
        marked.dedup();
        // (left anchor, right anchor): the segments next to the centre.
        let (left, right) = match marked[..] {
            [low, .., high] => (Some(low), high),
            [one] => {
                let mirror = last - one;
                match one.cmp(&mirror) {
                    std::cmp::Ordering::Greater => (Some(mirror), one),
                    std::cmp::Ordering::Less => (Some(one), mirror),
                    std::cmp::Ordering::Equal => (one.checked_sub(1), one),
                }
            }
            [] if count == 1 => (None, 0),
            [] if count % 2 == 0 => (Some(count / 2 - 1), count / 2),
            [] => (Some(count / 2 - 1), count / 2 + 1),
        };
        let aside_from = left.map_or(0, |l| l + 1);
        Sides {
            left: left.map(|l| (0..=l).rev().collect()).unwrap_or_default(),
            aside: (aside_from..right).collect(),
            right: (right..count).collect(),
        }
    }
}

impl Figure<'_> {
    fn sides(&self) -> Sides {
        let lines: Vec<usize> = [&self.in_line, &self.out_line]
            .into_iter()
            .flatten()
            .map(|l| l.segment)
            .collect();
        Sides::of(self.segments.len(), &lines)
    }

    /// The rows with their shares, sorted by agreement: the share of the "in" threshold's
    /// segment (without one, of the right side), highest first; ties and rows without answers
    /// (last) by code.
    pub fn table(&self) -> Vec<Shares> {
        let sides = self.sides();
        let agreement: Vec<usize> = match &self.in_line {
            Some(line) => vec![line.segment],
            None => sides.right.clone(),
        };
        let mut rows: Vec<(Option<(u64, u64)>, Shares)> = self
            .rows
            .iter()
            .map(|row| {
                let shares = self.shares(row);
                let key = (shares.n > 0).then(|| {
                    let inside = agreement
                        .iter()
                        .fold(0u64, |sum, &s| sum.saturating_add(self.in_segment(row, s)));
                    (inside, shares.n)
                });
                (key, shares)
            })
            .collect();
        // a/b against c/d as a·d against c·b: exact, where floating shares could tie wrongly.
        let by_share = |(a, b): (u64, u64), (c, d): (u64, u64)| {
            (u128::from(a) * u128::from(d)).cmp(&(u128::from(c) * u128::from(b)))
        };
        rows.sort_by(|(a, ra), (b, rb)| match (a, b) {
            (Some(a), Some(b)) => by_share(*b, *a).then_with(|| ra.code.cmp(&rb.code)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => ra.code.cmp(&rb.code),
        });
        rows.into_iter().map(|(_, shares)| shares).collect()
    }

    fn in_segment(&self, row: &Row, segment: usize) -> u64 {
        let (Answers::Counts(counts), Some(seg)) = (&row.answers, self.segments.get(segment)) else {
            return 0;
        };
        counts
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                let point = i64::from(self.min) + *i as i64;
                i64::from(seg.from) <= point && point <= i64::from(seg.to)
            })
            .fold(0u64, |sum, (_, c)| sum.saturating_add(*c))
    }

    fn shares(&self, row: &Row) -> Shares {
        let counts: Vec<u64> = (0..self.segments.len())
            .map(|s| self.in_segment(row, s))
            .collect();
        let n = counts.iter().fold(0u64, |sum, c| sum.saturating_add(*c));
        let withheld = row.answers == Answers::Withheld;
        let (percent, rounded) = if n == 0 {
            (Vec::new(), Vec::new())
        } else {
            (
                counts.iter().map(|&c| c as f64 * 100.0 / n as f64).collect(),
                largest_remainders(&counts, n),
            )
        };
        Shares {
            code: row.code.clone(),
            text: row.text.clone(),
            n,
            withheld,
            percent,
            rounded,
        }
    }
}

/// Whole percents of `counts` (out of `n > 0`) that add up to exactly 100: each rounded down,
/// then the points left over go to the largest remainders (the first segment on a tie).
fn largest_remainders(counts: &[u64], n: u64) -> Vec<u64> {
    let n = u128::from(n);
    let mut floors: Vec<u64> = Vec::with_capacity(counts.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(counts.len());
    for (i, &c) in counts.iter().enumerate() {
        let scaled = u128::from(c) * 100;
        floors.push((scaled / n) as u64);
        remainders.push((scaled % n, i));
    }
    let given: u64 = floors.iter().sum();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take(100u64.saturating_sub(given) as usize) {
        floors[i] += 1;
    }
    floors
}

/// Where the parts of the figure are, in user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// The centre line.
    pub centre: f64,
    /// Width of 100 %.
    pub scale: f64,
    /// Left edge of the aside column, when there is one.
    pub aside: Option<f64>,
}

impl Geometry {
    pub fn of(sides: &Sides) -> Geometry {
        let start = PAD + LABEL_WIDTH + 8.0;
        let room = WIDTH - PAD - N_WIDTH - start;
        if sides.aside.is_empty() {
            let scale = room / 2.0;
            Geometry {
                centre: start + scale,
                scale,
                aside: None,
            }
        } else {
            let scale = (room - GAP) / 3.0;
            Geometry {
                centre: start + scale,
                scale,
                aside: Some(start + 2.0 * scale + GAP),
            }
        }
    }

    /// The x of a line at `percent` on the side of `segment`.
    fn line_x(&self, sides: &Sides, line: &Line) -> f64 {
        let offset = line.percent / 100.0 * self.scale;
        if sides.left.contains(&line.segment) {
            self.centre - offset
        } else {
            self.centre + offset
        }
    }
}

/// The x of each line of `figure` (in, then out), for tests and the page's checks.
pub fn line_positions(figure: &Figure<'_>) -> Vec<f64> {
    let sides = figure.sides();
    let geometry = Geometry::of(&sides);
    [&figure.in_line, &figure.out_line]
        .into_iter()
        .flatten()
        .map(|l| geometry.line_x(&sides, l))
        .collect()
}

/// A number as SVG writes it: at most one decimal, no "-0".
fn num(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    if rounded == 0.0 {
        return "0".into();
    }
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// A percentage as labels show it.
fn percent(value: f64, suffix: &str) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}{suffix}")
    } else {
        format!("{rounded:.1}{suffix}")
    }
}

fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * CHAR_11 * size / 11.0
}

/// `text` cut to at most `max` characters with an ellipsis, at a word's end when one is near.
pub fn truncate(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let keep = max.saturating_sub(1);
    let cut: String = text.chars().take(keep).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space * 3 >= cut.len() * 2 => cut[..space].trim_end().to_string(),
        _ => cut,
    };
    let cut = cut.trim_end_matches([',', ';', ':', '(', '-', '–', ' ']);
    format!("{cut}…")
}

type Rgb = (u8, u8, u8);

fn mix(light: Rgb, dark: Rgb, t: f64) -> Rgb {
    let channel = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    (
        channel(light.0, dark.0),
        channel(light.1, dark.1),
        channel(light.2, dark.2),
    )
}

/// Shade `i` of `count` on a ramp, lightest next to the centre.
fn shade(light: Rgb, dark: Rgb, i: usize, count: usize) -> Rgb {
    let t = if count <= 1 {
        0.6
    } else {
        0.2 + 0.75 * i as f64 / (count - 1) as f64
    };
    mix(light, dark, t)
}

fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn luminance(c: Rgb) -> f64 {
    let linear = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(c.0) + 0.7152 * linear(c.1) + 0.0722 * linear(c.2)
}

/// WCAG contrast ratio of two colours.
fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Black or white, whichever reads better on `fill`: at least 4.58:1 for any fill, so every
/// percent label keeps AA contrast.
fn ink_on(fill: Rgb) -> Rgb {
    let (black, white) = ((0, 0, 0), (255, 255, 255));
    if contrast(fill, white) >= contrast(fill, black) {
        white
    } else {
        black
    }
}

/// The fill of each segment: blues to the left, oranges to the right (told apart by readers
/// with any common colour-vision deficiency), greys aside; darker outwards.
fn palette(sides: &Sides, count: usize) -> Vec<Rgb> {
    const BLUE: (Rgb, Rgb) = ((198, 219, 239), (8, 69, 148));
    const ORANGE: (Rgb, Rgb) = ((253, 208, 162), (166, 54, 3));
    const GREY: (Rgb, Rgb) = ((225, 225, 225), (140, 140, 140));
    let mut fills = vec![(200, 200, 200); count];
    for (side, (light, dark)) in [(&sides.left, ORANGE), (&sides.right, BLUE), (&sides.aside, GREY)] {
        for (i, &s) in side.iter().enumerate() {
            if let Some(fill) = fills.get_mut(s) {
                *fill = shade(light, dark, i, side.len());
            }
        }
    }
    fills
}

/// Where the next legend entry `width` wide goes, moving on to a new line when it does not fit.
fn place(width: f64, x: &mut f64, y: &mut f64) -> (f64, f64) {
    if *x > PAD && *x + width > WIDTH - PAD {
        *x = PAD;
        *y += LEGEND_ROW;
    }
    let at = (*x, *y);
    *x += width + 14.0;
    at
}

/// Renders the figure as a complete `<svg>` element. `standalone` adds the size attributes a
/// file opened on its own needs (inline, the figure takes the width of its container).
pub fn figure(f: &Figure<'_>, standalone: bool) -> String {
    let words = f.words;
    let sides = f.sides();
    let geo = Geometry::of(&sides);
    let fills = palette(&sides, f.segments.len());
    let table = f.table();
    let lines: Vec<(&Line, f64)> = [&f.in_line, &f.out_line]
        .into_iter()
        .flatten()
        .map(|l| (l, geo.line_x(&sides, l)))
        .collect();

    // Legend: a swatch per segment in scale order, then the dashed line(s); wrapped to the width.
    let mut legend = String::new();
    let mut x = PAD;
    let mut y = PAD;
    for (segment, fill) in f.segments.iter().zip(&fills) {
        let name = truncate(&segment.name, 60);
        let (lx, ly) = place(16.0 + text_width(&name, 11.0), &mut x, &mut y);
        let _ = write!(
            legend,
            r#"<rect x="{}" y="{}" width="12" height="12" fill="{}" stroke="{INK}" stroke-width="0.5"/><text x="{}" y="{}">{}</text>"#,
            num(lx),
            num(ly),
            hex(*fill),
            num(lx + 16.0),
            num(ly + 10.5),
            escape(&name)
        );
    }
    for (line, _) in &lines {
        let label = truncate(&line.label, 80);
        let (lx, ly) = place(26.0 + text_width(&label, 11.0), &mut x, &mut y);
        let _ = write!(
            legend,
            r#"<path d="M{} {}h20" stroke="{INK}" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{}" y="{}">{}</text>"#,
            num(lx),
            num(ly + 6.0),
            num(lx + 26.0),
            num(ly + 10.5),
            escape(&label)
        );
    }
    let head = y + LEGEND_ROW + 8.0;
    let top = head + 10.0;
    let bottom = top + ROW * table.len().max(1) as f64;

    let mut body = String::new();
    // Column heads: the threshold values over their lines, the aside column, n.
    for (line, lx) in &lines {
        let _ = write!(
            body,
            r#"<text x="{}" y="{}" text-anchor="middle" font-size="10">{}</text>"#,
            num(*lx),
            num(head),
            escape(&format!(
                "{}{}",
                line.op.symbol(),
                percent(line.percent, &words.percent)
            ))
        );
    }
    if let Some(ax) = geo.aside {
        let heading = match sides.aside[..] {
            [one] => f.segments.get(one).map(|s| s.name.clone()).unwrap_or_default(),
            _ => words.middle.clone(),
        };
        let chars = (geo.scale / (CHAR_11 * 10.0 / 11.0)) as usize;
        let _ = write!(
            body,
            r#"<text x="{}" y="{}" font-size="10">{}</text>"#,
            num(ax),
            num(head),
            escape(&truncate(&heading, chars.max(4)))
        );
    }
    let _ = write!(
        body,
        r#"<text x="{}" y="{}" text-anchor="end" font-size="10" font-style="italic">n</text>"#,
        num(WIDTH - PAD),
        num(head)
    );

    // Grid every 20 % behind the bars.
    let mut grid = String::new();
    for step in -5i32..=5 {
        let gx = geo.centre + f64::from(step) * 0.2 * geo.scale;
        let _ = write!(grid, "M{} {}V{}", num(gx), num(top), num(bottom));
    }
    if let Some(ax) = geo.aside {
        for step in 0..=2 {
            let gx = ax + f64::from(step) * 0.5 * geo.scale;
            let _ = write!(grid, "M{} {}V{}", num(gx), num(top), num(bottom));
        }
    }

    let code_chars = table.iter().map(|r| r.code.chars().count()).max().unwrap_or(0);
    let code_width = text_width(&"M".repeat(code_chars.min(16)), 11.0) + 6.0;
    let text_chars = ((LABEL_WIDTH - code_width) / LABEL_CHAR).max(6.0) as usize;
    let mut rows = String::new();
    for (i, row) in table.iter().enumerate() {
        let ry = top + ROW * i as f64;
        let by = ry + (ROW - BAR) / 2.0;
        let full = format!(
            "{} — {}",
            row.code,
            row.text.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        let _ = write!(rows, "<g><title>{}</title>", escape(&full));
        if i % 2 == 1 {
            let _ = write!(
                rows,
                r##"<rect x="{}" y="{}" width="{}" height="{ROW}" fill="#f2f2f2"/>"##,
                num(PAD / 2.0),
                num(ry),
                num(WIDTH - PAD)
            );
        }
        let _ = write!(
            rows,
            r#"<text x="{}" y="{}"><tspan font-weight="bold">{}</tspan><tspan x="{}">{}</tspan></text>"#,
            num(PAD),
            num(by + BAR - 3.0),
            escape(&truncate(&row.code, 16)),
            num(PAD + code_width),
            escape(&truncate(&row.text, text_chars))
        );
        if row.n == 0 {
            let note = if row.withheld {
                &words.withheld
            } else {
                &words.no_answers
            };
            let _ = write!(
                rows,
                r#"<text x="{}" y="{}" text-anchor="middle" font-style="italic" fill="{SOFT_INK}">{}</text>"#,
                num(geo.centre),
                num(by + BAR - 3.0),
                escape(note)
            );
        } else {
            let mut segment = |s: usize, from: f64, width: f64| {
                let (Some(&share), Some(&fill)) = (row.rounded.get(s), fills.get(s)) else {
                    return;
                };
                if width <= 0.0 {
                    return;
                }
                let _ = write!(
                    rows,
                    r#"<rect x="{}" y="{}" width="{}" height="{BAR}" fill="{}"/>"#,
                    num(from),
                    num(by),
                    num(width),
                    hex(fill)
                );
                let label = format!("{share}{}", words.percent);
                if width >= text_width(&label, 10.0) + 4.0 {
                    let _ = write!(
                        rows,
                        r#"<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="{}">{}</text>"#,
                        num(from + width / 2.0),
                        num(by + BAR - 3.5),
                        hex(ink_on(fill)),
                        escape(&label)
                    );
                }
            };
            let width = |s: usize| row.percent.get(s).copied().unwrap_or(0.0) / 100.0 * geo.scale;
            let mut at = geo.centre;
            for &s in &sides.right {
                segment(s, at, width(s));
                at += width(s);
            }
            let mut at = geo.centre;
            for &s in &sides.left {
                at -= width(s);
                segment(s, at, width(s));
            }
            if let Some(ax) = geo.aside {
                let mut at = ax;
                for &s in &sides.aside {
                    segment(s, at, width(s));
                    at += width(s);
                }
            }
        }
        let _ = write!(
            rows,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text></g>"#,
            num(WIDTH - PAD),
            num(by + BAR - 3.0),
            row.n
        );
    }

    // The centre line, the consensus lines (white under black dashes, visible on any fill) and
    // the axes in percent.
    let mut marks = String::new();
    let _ = write!(
        marks,
        r#"<path d="M{c} {}V{}" stroke="{INK}" stroke-width="1.2"/>"#,
        num(top - 4.0),
        num(bottom + 4.0),
        c = num(geo.centre)
    );
    for (_, lx) in &lines {
        let d = format!("M{} {}V{}", num(*lx), num(top - 4.0), num(bottom + 4.0));
        let _ = write!(
            marks,
            r##"<path d="{d}" stroke="#ffffff" stroke-width="3.5"/><path d="{d}" stroke="#000000" stroke-width="1.5" stroke-dasharray="5 3"/>"##
        );
    }
    let axis = bottom + 6.0;
    let mut ticks = format!(
        "M{} {}H{}",
        num(geo.centre - geo.scale),
        num(axis),
        num(geo.centre + geo.scale)
    );
    let mut tick_labels = String::new();
    // A tick at `tx` and its label, `value` per cent ("0" bare).
    let mut tick = |ticks: &mut String, tx: f64, value: i32| {
        let _ = write!(ticks, "M{} {}v4", num(tx), num(axis));
        let label = if value == 0 {
            "0".to_string()
        } else {
            percent(f64::from(value), &words.percent)
        };
        let _ = write!(
            tick_labels,
            r#"<text x="{}" y="{}" text-anchor="middle" font-size="10">{}</text>"#,
            num(tx),
            num(axis + 15.0),
            escape(&label)
        );
    };
    for step in -5i32..=5 {
        tick(
            &mut ticks,
            geo.centre + f64::from(step) * 0.2 * geo.scale,
            step.abs() * 20,
        );
    }
    if let Some(ax) = geo.aside {
        let _ = write!(ticks, "M{} {}H{}", num(ax), num(axis), num(ax + geo.scale));
        for step in 0..=2 {
            tick(&mut ticks, ax + f64::from(step) * 0.5 * geo.scale, step * 50);
        }
    }
    let _ = write!(
        marks,
        r#"<path d="{ticks}" stroke="{INK}" fill="none"/>{tick_labels}"#
    );

    let mut notes = String::new();
    let mut ny = axis + 36.0;
    let per_line = ((WIDTH - 2.0 * PAD) / CHAR_11) as usize;
    for note in &words.notes {
        for line in word_lines(note, per_line) {
            let _ = write!(
                notes,
                r#"<text x="{}" y="{}" fill="{SOFT_INK}">{}</text>"#,
                num(PAD),
                num(ny),
                escape(&line)
            );
            ny += NOTE_LINE;
        }
    }
    let height = ny - NOTE_LINE + 10.0;

    let mut out = String::with_capacity(2_000 + 700 * table.len());
    let size = if standalone {
        format!(r#" width="{}" height="{}""#, num(WIDTH), num(height))
    } else {
        String::new()
    };
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}"{size} role="img" aria-labelledby="dvg-title dvg-desc" font-family="{FONT}" font-size="11" fill="{INK}">"#,
        num(WIDTH),
        num(height)
    );
    let _ = write!(
        out,
        r#"<title id="dvg-title">{}</title><desc id="dvg-desc">{}</desc>"#,
        escape(&words.title),
        escape(&describe(f, &table))
    );
    let _ = write!(
        out,
        r##"<rect width="{}" height="{}" fill="#ffffff"/>"##,
        num(WIDTH),
        num(height)
    );
    out.push_str(&legend);
    let _ = write!(out, r##"<path d="{grid}" stroke="#dddddd" stroke-width="0.8"/>"##);
    out.push_str(&body);
    out.push_str(&rows);
    out.push_str(&marks);
    out.push_str(&notes);
    out.push_str("</svg>");
    out
}

/// The text equivalent: the notes, then every row's shares in order.
fn describe(f: &Figure<'_>, table: &[Shares]) -> String {
    let mut text = f.words.notes.join(" ");
    for row in table {
        let _ = write!(text, " {}: ", row.code);
        if row.n == 0 {
            text.push_str(if row.withheld {
                &f.words.withheld
            } else {
                &f.words.no_answers
            });
        } else {
            let parts: Vec<String> = f
                .segments
                .iter()
                .zip(&row.rounded)
                .map(|(s, p)| format!("{} {p}{}", s.name, f.words.percent))
                .collect();
            let _ = write!(text, "{} (n = {})", parts.join(", "), row.n);
        }
        text.push('.');
    }
    text
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::domain::spec::{BandSpec, ScaleSpec};

    fn scale(min: i32, max: i32, bands: &[(&str, i32, i32)]) -> Scale {
        Scale::from_spec(&ScaleSpec {
            min,
            max,
            labels: BTreeMap::new(),
            bands: bands
                .iter()
                .map(|(name, from, to)| BandSpec {
                    name: (*name).into(),
                    from: *from,
                    to: *to,
                })
                .collect(),
            unable_to_score: true,
        })
        .unwrap()
    }

    /// The figure of `rows` on `segments` from point `min`, with the consensus lines (in, out).
    fn drawn<'a>(
        min: i32,
        segments: &'a [Segment],
        rows: &'a [Row],
        (in_line, out_line): (Option<Line>, Option<Line>),
        words: &'a Words,
    ) -> Figure<'a> {
        Figure {
            min,
            segments,
            rows,
            in_line,
            out_line,
            words,
        }
    }

    fn comet_scale() -> Scale {
        scale(
            1,
            9,
            &[
                ("Not important", 1, 3),
                ("Important but not critical", 4, 6),
                ("Critical", 7, 9),
            ],
        )
    }

    fn words() -> Words {
        Words {
            title: "Round 1 — all experts".into(),
            notes: vec!["Unable to score answers are left out of the shares.".into()],
            no_answers: "no answers".into(),
            withheld: "too few answers to show".into(),
            middle: "Middle".into(),
            percent: "%".into(),
        }
    }

    fn row(code: &str, counts: &[u64]) -> Row {
        Row {
            code: code.into(),
            text: format!("Item {code}"),
            answers: Answers::Counts(counts.to_vec()),
        }
    }

    fn comet_lines(segments: &[Segment]) -> (Option<Line>, Option<Line>) {
        let t = |band| BandThreshold {
            band,
            op: Op::AtLeast,
            percent: 70.0,
        };
        (
            Line::of(&t(2), segments, "In: ≥70% Critical".into()),
            Line::of(&t(0), segments, "Out: ≥70% Not important".into()),
        )
    }

    /// Checks that every element opened is closed in order and every `&` starts an entity.
    fn well_formed(svg: &str) -> Result<(), String> {
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        while let Some(open) = rest.find('<') {
            let text = &rest[..open];
            check_entities(text)?;
            let close = rest[open..].find('>').ok_or("unclosed <")? + open;
            let tag = &rest[open + 1..close];
            if tag.contains('<') {
                return Err(format!("< inside a tag: {tag}"));
            }
            if let Some(name) = tag.strip_prefix('/') {
                match stack.pop() {
                    Some(top) if top == name => {}
                    other => return Err(format!("</{name}> closes {other:?}")),
                }
            } else if !tag.ends_with('/') {
                let name: String = tag.chars().take_while(|c| !c.is_whitespace()).collect();
                stack.push(name);
            }
            check_entities(tag)?;
            if tag.matches('"').count() % 2 != 0 {
                return Err(format!("unbalanced quotes in {tag}"));
            }
            rest = &rest[close + 1..];
        }
        check_entities(rest)?;
        if stack.is_empty() {
            Ok(())
        } else {
            Err(format!("left open: {stack:?}"))
        }
    }

    fn check_entities(text: &str) -> Result<(), String> {
        for (i, _) in text.match_indices('&') {
            let after = &text[i..];
            if !["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                .iter()
                .any(|e| after.starts_with(e))
            {
                return Err(format!("bare & in {text}"));
            }
        }
        Ok(())
    }

    #[test]
    fn segments_cover_bands_gaps_and_points() {
        let names = |s: Vec<Segment>| s.into_iter().map(|s| s.name).collect::<Vec<_>>();
        assert_eq!(
            names(segments(&comet_scale())),
            ["Not important", "Important but not critical", "Critical"]
        );
        let gaps = scale(1, 9, &[("Low", 1, 3), ("High", 7, 8)]);
        let s = segments(&gaps);
        assert_eq!(names(s.clone()), ["Low", "4–6", "High", "9"]);
        assert_eq!(s[2].band, Some(1));
        assert_eq!(s[1].band, None);
        let mut spec_labels = BTreeMap::new();
        spec_labels.insert("1".to_string(), "Disagree".to_string());
        let bare = Scale::from_spec(&ScaleSpec {
            min: 1,
            max: 3,
            labels: spec_labels,
            bands: Vec::new(),
            unable_to_score: false,
        })
        .unwrap();
        assert_eq!(names(segments(&bare)), ["1 (Disagree)", "2", "3"]);
    }

    #[test]
    fn sides_anchor_the_threshold_bands_at_the_centre() {
        // COMET: 1–3 left, 7–9 right, 4–6 aside.
        assert_eq!(
            Sides::of(3, &[2, 0]),
            Sides {
                left: vec![0],
                aside: vec![1],
                right: vec![2]
            }
        );
        // Only an "in" line on the top band of five: its mirror is the left anchor.
        assert_eq!(
            Sides::of(5, &[4]),
            Sides {
                left: vec![0],
                aside: vec![1, 2, 3],
                right: vec![4]
            }
        );
        // An "in" line on the fourth of five bands: the fifth continues outwards.
        assert_eq!(
            Sides::of(5, &[3]),
            Sides {
                left: vec![1, 0],
                aside: vec![2],
                right: vec![3, 4]
            }
        );
        // No line: halves, the middle one aside.
        assert_eq!(
            Sides::of(9, &[]),
            Sides {
                left: vec![3, 2, 1, 0],
                aside: vec![4],
                right: vec![5, 6, 7, 8]
            }
        );
        assert_eq!(
            Sides::of(2, &[]),
            Sides {
                left: vec![0],
                aside: vec![],
                right: vec![1]
            }
        );
        assert_eq!(
            Sides::of(1, &[]),
            Sides {
                left: vec![],
                aside: vec![],
                right: vec![0]
            }
        );
        // A line on the middle band itself: it goes right, the band below it left.
        assert_eq!(
            Sides::of(3, &[1]),
            Sides {
                left: vec![0],
                aside: vec![],
                right: vec![1, 2]
            }
        );
    }

    #[test]
    fn rows_are_sorted_by_agreement_with_ties_by_code_and_empty_rows_last() {
        let scale = comet_scale();
        let segs = segments(&scale);
        let rows = vec![
            row("B2", &[0, 0, 0, 0, 0, 2, 2, 2, 4]), // 8/10 in 7–9
            row("A9", &[1, 0, 0, 0, 0, 0, 0, 0, 0]), // 0
            row("Z1", &[0; 9]),                      // no answers
            row("A1", &[0, 0, 0, 0, 0, 0, 4, 0, 0]), // 100 %
            row("B1", &[0, 0, 0, 0, 1, 1, 4, 2, 2]), // 8/10, ties with B2
            Row {
                code: "C0".into(),
                text: "withheld".into(),
                answers: Answers::Withheld,
            },
        ];
        let words = words();
        let fig = drawn(1, &segs, &rows, comet_lines(&segs), &words);
        let table = fig.table();
        let codes: Vec<&str> = table.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["A1", "B1", "B2", "A9", "C0", "Z1"]);
        assert_eq!(table[1].rounded, vec![0, 20, 80]);
        assert_eq!(table[1].n, 10);
        assert!(table[4].withheld && table[4].n == 0);
        let svg = figure(&fig, true);
        well_formed(&svg).unwrap();
        assert!(svg.contains(">no answers<"), "{svg}");
        assert!(svg.contains(">too few answers to show<"));
        // Rows appear in the SVG in the same order.
        let at = |code: &str| svg.find(&format!("<title>{code} — ")).unwrap();
        assert!(at("A1") < at("B1") && at("B1") < at("B2") && at("B2") < at("A9") && at("A9") < at("Z1"));
    }

    #[test]
    fn the_seventy_percent_line_is_seventy_percent_of_the_half_width_right_of_centre() {
        let segs = segments(&comet_scale());
        let rows = vec![row("M01", &[1, 0, 0, 2, 0, 0, 3, 3, 1])];
        let words = words();
        let fig = drawn(1, &segs, &rows, comet_lines(&segs), &words);
        let geo = Geometry::of(&fig.sides());
        let xs = line_positions(&fig);
        assert_eq!(xs.len(), 2);
        assert!((xs[0] - (geo.centre + 0.7 * geo.scale)).abs() < 1e-9);
        assert!((xs[1] - (geo.centre - 0.7 * geo.scale)).abs() < 1e-9);
        let svg = figure(&fig, true);
        well_formed(&svg).unwrap();
        let dashes = format!(r#"d="M{} "#, num(xs[0]));
        assert!(svg.contains(&dashes), "{dashes} in {svg}");
        assert!(svg.contains("stroke-dasharray"));
        // The 7–9 segment of M01 (70 %) starts at the centre and ends exactly on the line.
        let seven_to_nine = format!(r#"<rect x="{}" y="#, num(geo.centre));
        assert!(svg.contains(&seven_to_nine), "{svg}");
        assert!(svg.contains(&format!(r#"width="{}" height="14" fill="#, num(0.7 * geo.scale))));
        // The middle band is aside, on the same scale: 20 % wide.
        assert!(svg.contains(&format!(r#"<rect x="{}" y="#, num(geo.aside.unwrap()))));
        assert!(svg.contains(">≥70%<"), "the threshold over its line");
        assert!(
            svg.contains("M01: Not important 10%, Important but not critical 20%, Critical 70% (n = 10).")
        );
    }

    #[test]
    fn the_figure_is_self_contained_accessible_and_escaped() {
        let segs = segments(&scale(1, 5, &[("<Low> & \"bad\"", 1, 2), ("High", 4, 5)]));
        let rows = vec![Row {
            code: "X<1>".into(),
            text: "Tom & Jerry's \"quoted\" <b>item</b> with a long text that goes on and on until it cannot fit any more in the column".into(),
            answers: Answers::Counts(vec![1, 1, 1, 1, 1]),
        }];
        let mut words = words();
        words.title = "A & B".into();
        words.notes = vec!["<script>alert(1)</script>".into()];
        let fig = drawn(1, &segs, &rows, (None, None), &words);
        let svg = figure(&fig, false);
        well_formed(&svg).unwrap();
        for forbidden in [" style=", "<style", "<script", "href", "class=", "url("] {
            assert!(!svg.contains(forbidden), "{forbidden} in {svg}");
        }
        let root = &svg[..svg.find('>').unwrap()];
        assert!(
            !root.contains(" width="),
            "inline, the figure takes its container's width"
        );
        assert_eq!(svg.matches("http").count(), 1, "only the SVG namespace");
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("<title id=\"dvg-title\">A &amp; B</title>"));
        assert!(svg.contains("&lt;Low&gt; &amp; &quot;bad&quot;"));
        assert!(
            svg.contains("<title>X&lt;1&gt; — Tom &amp; Jerry&#39;s"),
            "full text per row"
        );
        assert!(svg.contains("…</tspan>"), "truncated label");
        assert!(!svg.contains("dasharray=\"5 3\""), "no rule line, no dashes");
        let file = figure(&fig, true);
        let root = &file[..file.find('>').unwrap()];
        assert!(root.contains(" width=\"800\" height=\""), "{root}");
    }

    #[test]
    fn truncation_keeps_words_and_marks_the_cut() {
        assert_eq!(truncate("Short", 10), "Short");
        assert_eq!(
            truncate("Serum ferritin concentration adjusted", 20),
            "Serum ferritin…"
        );
        assert_eq!(truncate("Averyveryverylongword", 8), "Averyve…");
        assert_eq!(truncate("  spaced\n text ", 20), "spaced text");
        assert!(truncate("é".repeat(50).as_str(), 10).chars().count() <= 10);
    }

    #[test]
    fn percent_labels_keep_aa_contrast_on_every_fill() {
        for count in 1..=11 {
            for lines in [vec![], vec![count - 1], vec![0, count - 1]] {
                let sides = Sides::of(count, &lines);
                for fill in palette(&sides, count) {
                    assert!(contrast(fill, ink_on(fill)) >= 4.5, "{fill:?}");
                }
            }
        }
    }

    #[test]
    fn largest_remainders_add_up_to_one_hundred() {
        assert_eq!(largest_remainders(&[1, 1, 1], 3), vec![34, 33, 33]);
        assert_eq!(largest_remainders(&[2, 1], 3), vec![67, 33]);
        assert_eq!(largest_remainders(&[0, 7, 0], 7), vec![0, 100, 0]);
    }

    #[test]
    fn many_items_and_a_wide_scale_without_bands() {
        let segs = segments(&scale(0, 10, &[]));
        let rows: Vec<Row> = (0..200)
            .map(|i| {
                row(
                    &format!("I{i:03}"),
                    &(0..11).map(|p| ((p * 7 + i) % 5) as u64).collect::<Vec<_>>(),
                )
            })
            .collect();
        let words = words();
        let fig = drawn(0, &segs, &rows, (None, None), &words);
        let svg = figure(&fig, true);
        well_formed(&svg).unwrap();
        assert_eq!(svg.matches("<g><title>").count(), 200);
        let height: f64 = svg
            .split("viewBox=\"0 0 800 ")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(height > 200.0 * ROW, "{height}");
    }

    fn arbitrary_scale() -> impl Strategy<Value = Scale> {
        (2i32..=11, 0usize..=5).prop_flat_map(|(points, bands)| {
            let bands = bands.min(points as usize);
            proptest::sample::subsequence((2..=points).collect::<Vec<i32>>(), bands.saturating_sub(1))
                .prop_map(move |cuts| {
                    let mut edges = vec![1];
                    edges.extend(cuts);
                    edges.push(points + 1);
                    let names: Vec<String> = (0..edges.len()).map(|i| format!("Band {i} <&>")).collect();
                    let bands: Vec<(&str, i32, i32)> = if bands == 0 {
                        Vec::new()
                    } else {
                        edges
                            .windows(2)
                            .enumerate()
                            .map(|(i, w)| (names[i].as_str(), w[0], w[1] - 1))
                            .collect()
                    };
                    scale(1, points, &bands)
                })
        })
    }

    proptest! {
        #[test]
        fn shares_add_up_and_the_markup_is_well_formed(
            scale in arbitrary_scale(),
            rows in proptest::collection::vec(proptest::collection::vec(0u64..40, 11), 1..30),
            line_in in proptest::option::of(0usize..5),
            line_out in proptest::option::of(0usize..5),
            percent in 0.0f64..=100.0,
        ) {
            let segs = segments(&scale);
            let t = |band| BandThreshold { band, op: Op::AtLeast, percent };
            let in_line = line_in.and_then(|b| Line::of(&t(b), &segs, "in & <x>".into()));
            let out_line = line_out.and_then(|b| Line::of(&t(b), &segs, "out".into()));
            let rows: Vec<Row> = rows
                .iter()
                .enumerate()
                .map(|(i, counts)| row(&format!("C{i}"), &counts[..scale.len()]))
                .collect();
            let words = words();
            let fig = drawn(1, &segs, &rows, (in_line, out_line), &words);
            for shares in fig.table() {
                if shares.n > 0 {
                    let sum: f64 = shares.percent.iter().sum();
                    prop_assert!((sum - 100.0).abs() < 1e-9, "{sum}");
                    prop_assert_eq!(shares.rounded.iter().sum::<u64>(), 100);
                    prop_assert!(shares.percent.iter().all(|p| p.is_finite()));
                }
            }
            for x in line_positions(&fig) {
                prop_assert!(x.is_finite() && (0.0..=WIDTH).contains(&x));
            }
            let svg = figure(&fig, true);
            prop_assert!(!svg.contains("NaN") && !svg.contains("inf"));
            prop_assert!(well_formed(&svg).is_ok(), "{:?}", well_formed(&svg));
            let sides = fig.sides();
            let mut all: Vec<usize> = sides.left.iter().chain(&sides.aside).chain(&sides.right).copied().collect();
            all.sort_unstable();
            prop_assert_eq!(all, (0..segs.len()).collect::<Vec<_>>());
        }
    }
}
