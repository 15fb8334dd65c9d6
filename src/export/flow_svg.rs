//! The report's two flow diagrams, as inline SVG: items through the rounds and experts through
//! the rounds. Like `svg`, pure functions with class-based colours (the report's stylesheet
//! defines them) and the numbers written out as text, so nothing is told by colour alone.

use std::fmt::Write;

use super::svg::escape;
use crate::domain::round::RoundState;
use crate::domain::rule::Status;
use crate::domain::study::SetAside;
use crate::domain::suggestion::IdeasFlow;
use crate::export::words;
use crate::service::export::RoundSummary;

const ROW: u32 = 34;
const LABEL: u32 = 190;
const WIDTH: u32 = 640;
const BAR_HEIGHT: u32 = 14;

/// Draws consecutive segments `(class, count, word)` on one line, scaled so that `scale_max`
/// fills the width after the label.
fn segments(out: &mut String, y: u32, parts: &[(&str, usize, &str)], scale_max: usize) {
    let room = WIDTH - LABEL - 10;
    let mut x = LABEL;
    for (class, count, word) in parts {
        if *count == 0 {
            continue;
        }
        let w = ((*count as u64 * u64::from(room)) / scale_max.max(1) as u64).max(2) as u32;
        let _ = write!(
            out,
            r#"<rect class="{class}" x="{x}" y="{y}" width="{w}" height="{BAR_HEIGHT}"><title>{count} {word}</title></rect>"#
        );
        x += w;
    }
    let summary: Vec<String> = parts
        .iter()
        .filter(|(_, c, _)| *c > 0)
        .map(|(_, c, w)| format!("{c} {w}"))
        .collect();
    let _ = write!(
        out,
        r#"<text class="num" x="{}" y="{}">{}</text>"#,
        LABEL,
        y + BAR_HEIGHT + 11,
        escape(&summary.join(" · "))
    );
}

/// Per round: the items that entered it (new, suggested, carried forward) and what became of
/// them (consensus in, consensus out, no consensus) once it closed.
pub fn item_flow(rounds: &[RoundSummary]) -> String {
    let scale_max = rounds.iter().map(|r| r.items).max().unwrap_or(0);
    let height = (rounds.len() as u32 * 2 * ROW).max(ROW) + 4;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="flow" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="item-flow-title"><title id="item-flow-title">Items entering each round and their status after it</title>"#
    );
    for (i, round) in rounds.iter().enumerate() {
        let y = i as u32 * 2 * ROW + 4;
        let _ = write!(
            out,
            r#"<text class="lbl" x="0" y="{}">Round {} asked</text>"#,
            y + BAR_HEIGHT - 2,
            round.number
        );
        segments(
            &mut out,
            y,
            &[
                ("new", round.new_items, "new"),
                ("sug", round.suggested, "suggested by experts"),
                ("car", round.carried, "carried forward"),
            ],
            scale_max,
        );
        let y = y + ROW;
        let after = if round.status == RoundState::Closed {
            format!("after round {}", round.number)
        } else {
            format!("round {} is {}", round.number, round.status)
        };
        let _ = write!(
            out,
            r#"<text class="lbl" x="0" y="{}">{}</text>"#,
            y + BAR_HEIGHT - 2,
            escape(&after)
        );
        if round.status == RoundState::Closed {
            segments(
                &mut out,
                y,
                &[
                    ("in", round.in_, words::status_in_sentence(Status::In)),
                    ("out", round.out, words::status_in_sentence(Status::Out)),
                    ("none", round.none, words::status_in_sentence(Status::None)),
                ],
                scale_max,
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Per round and stakeholder group: experts invited and experts who responded (submitted, or
/// answered without submitting). `names` gives
/// each group key its display name.
pub fn participant_flow(rounds: &[RoundSummary], names: &[(String, String)]) -> String {
    let scale_max = rounds
        .iter()
        .flat_map(|r| r.groups.iter().map(|g| g.invited))
        .max()
        .unwrap_or(0);
    let lines: u32 = rounds.iter().map(|r| 1 + r.groups.len() as u32).sum();
    let height = (lines * ROW).max(ROW) + 4;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="flow" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="participant-flow-title"><title id="participant-flow-title">Experts invited to and responding in each round, per stakeholder group</title>"#
    );
    let mut y = 4;
    for round in rounds {
        let _ = write!(
            out,
            r#"<text class="lbl head" x="0" y="{}">Round {}: {} of {} invited responded ({} submitted, {} answered without submitting)</text>"#,
            y + BAR_HEIGHT - 2,
            round.number,
            round.responded,
            round.invited,
            round.submitted,
            round.answered_not_submitted
        );
        y += ROW;
        for group in &round.groups {
            let name = names
                .iter()
                .find(|(key, _)| *key == group.group)
                .map(|(_, name)| name.as_str())
                .unwrap_or(group.group.as_str());
            let short: String = name.chars().take(30).collect();
            let _ = write!(
                out,
                r#"<text class="lbl" x="0" y="{}">{}</text>"#,
                y + BAR_HEIGHT - 2,
                escape(&short)
            );
            segments(
                &mut out,
                y,
                &[
                    // Responders, split as everywhere: submitted, answered without submitting.
                    ("resp", group.submitted, "submitted"),
                    (
                        "part",
                        group.answered_not_submitted,
                        "answered without submitting",
                    ),
                    (
                        "nonresp",
                        group.invited - group.responded.min(group.invited),
                        "did not respond",
                    ),
                ],
                scale_max,
            );
            y += ROW;
        }
    }
    out.push_str("</svg>");
    out
}

/// One segment of a bar: (class, count, word).
type Segment<'a> = (&'a str, usize, &'a str);

/// The ideas round's flow: proposals received, then what became of them (merged, set aside by
/// reason, not processed), the items made from the merged ones, and of those the items rated
/// and in consensus. One bar per step, on one scale (the proposals received).
pub fn ideas_flow(flow: &IdeasFlow) -> String {
    let scale_max = flow.received.max(flow.items);
    let height = 4 * ROW + 4;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="flow" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="flow-ideas-title"><title id="flow-ideas-title">Proposals of the ideas round: received, merged into items or set aside, and the items made, rated and in consensus</title>"#
    );
    let reason_word = |reason: SetAside| match reason {
        SetAside::OutOfScope => "set aside: out of scope",
        SetAside::Duplicate => "set aside: duplicate",
        SetAside::AlreadyAnswered => "set aside: already answered",
        SetAside::Unclear => "set aside: unclear",
    };
    let reason_class = |reason: SetAside| match reason {
        SetAside::OutOfScope => "oos",
        SetAside::Duplicate => "dup",
        SetAside::AlreadyAnswered => "ans",
        SetAside::Unclear => "unc",
    };
    let mut outcome: Vec<Segment> = vec![("sug", flow.merged, "merged into items")];
    outcome.extend(
        flow.set_aside
            .iter()
            .map(|(reason, n)| (reason_class(*reason), *n, reason_word(*reason))),
    );
    outcome.push(("none", flow.pending, "not processed"));
    let steps: [(&str, Vec<Segment>); 4] = [
        ("Proposals received", vec![("new", flow.received, "proposals")]),
        ("What became of them", outcome),
        ("Items made", vec![("new", flow.items, "items")]),
        (
            "Those items rated",
            vec![
                ("in", flow.in_consensus, "in consensus"),
                (
                    "car",
                    flow.rated - flow.in_consensus.min(flow.rated),
                    "rated, not in consensus",
                ),
                ("none", flow.items - flow.rated.min(flow.items), "not rated yet"),
            ],
        ),
    ];
    for (i, (label, parts)) in steps.iter().enumerate() {
        let y = i as u32 * ROW + 4;
        let _ = write!(
            out,
            r#"<text class="lbl" x="0" y="{}">{}</text>"#,
            y + BAR_HEIGHT - 2,
            escape(label)
        );
        segments(&mut out, y, parts, scale_max);
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::export::GroupTurnout;

    #[test]
    fn ideas_flow_writes_every_number() {
        let flow = crate::domain::suggestion::IdeasFlow {
            received: 7,
            merged: 4,
            items: 3,
            set_aside: SetAside::ALL
                .iter()
                .zip([0, 1, 2, 0])
                .map(|(r, n)| (*r, n))
                .collect(),
            pending: 0,
            rated: 3,
            in_consensus: 1,
        };
        let svg = ideas_flow(&flow);
        for said in [
            "7 proposals",
            "4 merged into items · 1 set aside: duplicate · 2 set aside: already answered",
            "1 in consensus · 2 rated, not in consensus",
        ] {
            assert!(svg.contains(said), "{said} in {svg}");
        }
    }

    fn round(number: i32, status: &str) -> RoundSummary {
        RoundSummary {
            number,
            status: RoundState::parse(status).unwrap_or(RoundState::Draft),
            opened_at: None,
            deadline: None,
            closed_at: None,
            items: 10,
            carried: 4,
            new_items: 5,
            suggested: 1,
            in_: 3,
            out: 2,
            none: 5,
            invited: 6,
            responded: 4,
            submitted: 3,
            answered_not_submitted: 1,
            groups: vec![GroupTurnout {
                group: "a<b".into(),
                invited: 6,
                responded: 4,
                submitted: 3,
                answered_not_submitted: 1,
            }],
        }
    }

    #[test]
    fn item_flow_writes_every_number_and_no_outcome_for_an_open_round() {
        let svg = item_flow(&[round(1, "closed"), round(2, "open")]);
        assert!(
            svg.contains("5 new · 1 suggested by experts · 4 carried forward"),
            "{svg}"
        );
        assert_eq!(
            svg.matches("3 consensus in · 2 consensus out · 5 no consensus")
                .count(),
            1,
            "{svg}"
        );
        assert!(svg.contains("round 2 is open"));
        for forbidden in ["http", "style=", "<script", "href"] {
            assert!(!svg.contains(forbidden), "{forbidden}");
        }
    }

    #[test]
    fn participant_flow_escapes_group_names() {
        let svg = participant_flow(
            &[round(1, "closed")],
            &[("a<b".into(), "<b>Researchers</b>".into())],
        );
        for said in [
            "&lt;b&gt;Researchers&lt;/b",
            "Round 1: 4 of 6 invited responded (3 submitted, 1 answered without submitting)",
            "3 submitted · 1 answered without submitting · 2 did not respond",
        ] {
            assert!(svg.contains(said), "{said} in {svg}");
        }
        assert!(!svg.contains("<b>"));
    }
}
