//! Items proposed by experts, and the facilitator's triage of them; the flow of the ideas
//! round's proposals into rated items.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::domain::named::named;
use crate::domain::study::SetAside;

named! {
    /// pending → accepted (a new item), merged (into an existing item) or rejected (with a reason).
    pub enum SuggestionStatus {
        Pending = "pending",
        Accepted = "accepted",
        Merged = "merged",
        Rejected = "rejected",
    }
}

/// What became of a proposal of the ideas round, as `ideas.csv` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalOutcome {
    Pending,
    Merged,
    SetAside(SetAside),
}

impl ProposalOutcome {
    /// `merged`, the reason it was set aside, or empty while pending.
    pub fn label(&self) -> &'static str {
        match self {
            ProposalOutcome::Pending => "",
            ProposalOutcome::Merged => "merged",
            ProposalOutcome::SetAside(reason) => reason.as_str(),
        }
    }
}

/// The report's flow of ideas: proposals received → items made → set aside by reason → items
/// rated → in consensus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdeasFlow {
    pub received: usize,
    /// Proposals merged into an item.
    pub merged: usize,
    /// Distinct items the merged proposals went into.
    pub items: usize,
    /// Set aside, by reason, in `SetAside::ALL`'s order (zeros included).
    pub set_aside: Vec<(SetAside, usize)>,
    pub pending: usize,
    /// Of `items`, those put to the panel in a closed rating round.
    pub rated: usize,
    /// Of `items`, those whose final standing is consensus in.
    pub in_consensus: usize,
}

/// Counts the flow from each proposal's outcome and item code, and the codes of the items
/// rated and of those in consensus.
pub fn ideas_flow(
    proposals: &[(ProposalOutcome, Option<&str>)],
    rated: &BTreeSet<&str>,
    in_consensus: &BTreeSet<&str>,
) -> IdeasFlow {
    let count = |wanted: ProposalOutcome| proposals.iter().filter(|(o, _)| *o == wanted).count();
    let items: BTreeSet<&str> = proposals
        .iter()
        .filter(|(o, _)| *o == ProposalOutcome::Merged)
        .filter_map(|(_, item)| *item)
        .collect();
    IdeasFlow {
        received: proposals.len(),
        merged: count(ProposalOutcome::Merged),
        items: items.len(),
        set_aside: SetAside::ALL
            .iter()
            .map(|r| (*r, count(ProposalOutcome::SetAside(*r))))
            .collect(),
        pending: count(ProposalOutcome::Pending),
        rated: items.iter().filter(|i| rated.contains(*i)).count(),
        in_consensus: items.iter().filter(|i| in_consensus.contains(*i)).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of docs/statistics.md ("Ideas before round 1").
    #[test]
    fn the_flow_of_the_worked_example() {
        use ProposalOutcome::*;
        let proposals = [
            (Merged, Some("N01")),
            (Merged, Some("N01")),
            (Merged, Some("M01")),
            (SetAside(crate::domain::study::SetAside::Duplicate), None),
            (SetAside(crate::domain::study::SetAside::AlreadyAnswered), None),
            (SetAside(crate::domain::study::SetAside::AlreadyAnswered), None),
            (Merged, Some("N02")),
        ];
        let flow = ideas_flow(&proposals, &["N01", "N02", "M01"].into(), &["N01"].into());
        assert_eq!(flow.received, 7);
        assert_eq!(flow.merged, 4);
        assert_eq!(flow.items, 3);
        assert_eq!(
            flow.set_aside.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
            [0, 1, 2, 0]
        );
        assert_eq!((flow.pending, flow.rated, flow.in_consensus), (0, 3, 1));
    }

    proptest::proptest! {
        /// Every proposal is counted once: merged, set aside for one reason, or pending.
        #[test]
        fn every_proposal_is_counted_once(picks in proptest::collection::vec((0usize..6, 0usize..4), 0..40)) {
            let codes = ["A", "B", "C", "D"];
            let proposals: Vec<(ProposalOutcome, Option<&str>)> = picks
                .iter()
                .map(|(kind, item)| match kind {
                    0 | 1 => (ProposalOutcome::Merged, Some(codes[*item])),
                    2..=5 => (ProposalOutcome::SetAside(SetAside::ALL[kind - 2]), None),
                    _ => (ProposalOutcome::Pending, None),
                })
                .chain(picks.iter().filter(|(k, _)| *k == 5).map(|_| (ProposalOutcome::Pending, None)))
                .collect();
            let flow = ideas_flow(&proposals, &["A", "B"].into(), &["A"].into());
            let aside: usize = flow.set_aside.iter().map(|(_, n)| n).sum();
            proptest::prop_assert_eq!(flow.merged + aside + flow.pending, flow.received);
            proptest::prop_assert!(flow.in_consensus <= flow.rated && flow.rated <= flow.items);
            proptest::prop_assert!(flow.items <= flow.merged);
        }
    }
}
