//! The chart of a CHNRI item's criterion scores: one bar per criterion on a 0–100 scale, its
//! threshold as a tick, its value written at the bar's end. One small chart per item, so that a
//! results table row (and a phone's screen, 390 px) holds it.

use std::fmt::Write;

use super::svg::escape;
use crate::domain::chnri::Criterion;

/// One criterion's bar.
pub struct CriterionBar<'a> {
    /// The criterion's name (shortened on the chart when long; whole in the accessible name).
    pub label: &'a str,
    /// 0–100; `None` when undefined (nobody answered).
    pub score: Option<f64>,
    pub threshold: Option<f64>,
}

/// The bars of one item: a bar per criterion, named in `lang` when the study translates it (in
/// its main language otherwise), with the item's score on it (`scores`, in the criteria's
/// order) and the criterion's threshold.
pub fn bars<'a>(criteria: &'a [Criterion], lang: &str, scores: &[Option<f64>]) -> Vec<CriterionBar<'a>> {
    criteria
        .iter()
        .zip(scores)
        .map(|(c, score)| CriterionBar {
            label: c.label_in(lang),
            score: *score,
            threshold: c.threshold,
        })
        .collect()
}

/// A CHNRI score as the results tables print it: one decimal, "—" when undefined.
pub fn score_cell(score: Option<f64>) -> String {
    score.map_or("—".to_owned(), |v| format!("{v:.1}"))
}

const LABEL_W: u32 = 130;
/// Characters of a name that fit in `LABEL_W` at the chart's font size.
const LABEL_CHARS: usize = 24;
const BAR_W: u32 = 100;
const VALUE_W: u32 = 34;
const ROW: u32 = 16;

/// `<svg role="img">` with `label` (the item and what it shows) and every value in its
/// accessible name, for readers who do not see the bars.
pub fn criterion_scores(label: &str, bars: &[CriterionBar<'_>]) -> String {
    let width = LABEL_W + BAR_W + VALUE_W;
    let height = ROW * bars.len().max(1) as u32 + 2;
    let values: Vec<String> = bars
        .iter()
        .map(|b| {
            format!(
                "{} {}",
                b.label,
                b.score.map_or("–".to_owned(), |s| format!("{s:.1}"))
            )
        })
        .collect();
    let name = escape(&format!("{label}: {}", values.join(", ")));
    let mut out = String::with_capacity(300 + 260 * bars.len());
    let _ = write!(
        out,
        r##"<svg class="cs" viewBox="0 0 {width} {height}" role="img" aria-label="{name}" font-family="system-ui,sans-serif" font-size="10" direction="ltr">"##
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = i as u32 * ROW + 1;
        let text_y = y + 11;
        let shown = if bar.label.chars().count() > LABEL_CHARS {
            let head: String = bar.label.chars().take(LABEL_CHARS - 1).collect();
            format!("{}…", head.trim_end())
        } else {
            bar.label.to_owned()
        };
        let _ = write!(
            out,
            r##"<text x="0" y="{text_y}" fill="#1b1b1b"><title>{}</title>{}</text><rect x="{LABEL_W}" y="{}" width="{BAR_W}" height="10" fill="#e6e6e6"/>"##,
            escape(bar.label),
            escape(&shown),
            y + 2
        );
        if let Some(score) = bar.score {
            let w = (score.clamp(0.0, 100.0) * f64::from(BAR_W) / 100.0).round();
            let below = bar.threshold.is_some_and(|t| score < t);
            let fill = if below { "#9c2a00" } else { "#0b5394" };
            let _ = write!(
                out,
                r##"<rect class="bar" x="{LABEL_W}" y="{}" width="{w}" height="10" fill="{fill}"/>"##,
                y + 2
            );
        }
        if let Some(threshold) = bar.threshold {
            let x = f64::from(LABEL_W) + threshold.clamp(0.0, 100.0) * f64::from(BAR_W) / 100.0;
            let _ = write!(
                out,
                r##"<path class="th" stroke="#1b1b1b" stroke-width="2" d="M{x:.1} {}V{}"/>"##,
                y,
                y + 14
            );
        }
        let value = bar.score.map_or("–".to_owned(), |s| format!("{s:.0}"));
        let _ = write!(
            out,
            r##"<text x="{}" y="{text_y}" fill="#1b1b1b">{value}</text>"##,
            LABEL_W + BAR_W + 4
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_in_the_accessible_name_and_low_scores_stand_out() {
        let svg = criterion_scores(
            "R01 <b>",
            &[
                CriterionBar {
                    label: "answerability",
                    score: Some(50.0),
                    threshold: Some(60.0),
                },
                CriterionBar {
                    label: "equity",
                    score: None,
                    threshold: None,
                },
            ],
        );
        assert!(
            svg.contains(r#"aria-label="R01 &lt;b&gt;: answerability 50.0, equity –""#),
            "{svg}"
        );
        assert!(svg.contains(r##"fill="#9c2a00""##));
        assert_eq!(svg.matches("class=\"bar\"").count(), 1);
        assert_eq!(svg.matches("class=\"th\"").count(), 1);
    }

    #[test]
    fn criteria_are_named_in_the_readers_language_and_long_names_shortened() {
        let criterion: Criterion = toml::from_str(
            r#"
key = "deliverability"
label = "Deliverability"
questions = ["Q?"]
translations.fr = { label = "Faisabilité de la mise en œuvre" }
"#,
        )
        .unwrap();
        let criteria = [criterion];
        assert_eq!(bars(&criteria, "en", &[Some(1.0)])[0].label, "Deliverability");
        assert_eq!(bars(&criteria, "es", &[Some(1.0)])[0].label, "Deliverability");
        let french = bars(&criteria, "fr", &[Some(70.0)]);
        let svg = criterion_scores("R01", &french);
        assert!(svg.contains("R01: Faisabilité de la mise en œuvre 70.0"), "{svg}");
        assert!(
            svg.contains("<title>Faisabilité de la mise en œuvre</title>Faisabilité de la mise…<"),
            "{svg}"
        );
        assert!(!svg.contains("deliverability"), "{svg}");
    }
}
