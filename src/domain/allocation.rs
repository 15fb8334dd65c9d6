//! Balanced item subsets for long lists (`[rounds] items_per_expert`, `min_raters`): each
//! expert of a round rates N of its items, chosen so that every item gets the same number of
//! raters ±1, over the whole panel and within each stakeholder group, drawn from the study's
//! seed (docs/statistics.md, "Balanced subsets").

use std::collections::BTreeMap;

use crate::domain::draw::Stream;

/// One expert of the round, as the allocation sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rater {
    pub pseudonym: String,
    pub group: String,
}

/// The label of a round's allocation stream: `allocation:ROUND`.
pub fn allocation_label(round: u32) -> String {
    format!("allocation:{round}")
}

/// Each expert's items (by pseudonym), in the round's item order.
///
/// From the stream `allocation_label(round)`: the items are shuffled once (an item's place in
/// that shuffle is its tie-break rank); then, group by group in the order of their keys, the
/// group's experts, sorted by pseudonym, are shuffled, and each in turn takes the
/// `min(per_expert, items)` items with the fewest raters so far in their group, ties going to
/// the fewest raters so far overall, then to the lowest rank. Taking items round the same
/// ranked cycle keeps every item within one rater of every other, overall and in each group.
pub fn allocate<I: Clone>(
    seed: u64,
    round: u32,
    raters: &[Rater],
    items: &[I],
    per_expert: u32,
) -> BTreeMap<String, Vec<I>> {
    let mut stream = Stream::new(seed, &allocation_label(round));
    let rank = ranks(&mut stream, items.len());
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for rater in raters {
        groups
            .entry(rater.group.as_str())
            .or_default()
            .push(rater.pseudonym.as_str());
    }
    let take = items.len().min(per_expert as usize);
    let mut overall = vec![0u64; items.len()];
    let mut allocation = BTreeMap::new();
    for members in groups.values_mut() {
        members.sort_unstable();
        stream.shuffle(members);
        let mut in_group = vec![0u64; items.len()];
        for pseudonym in members.iter() {
            let mut chosen: Vec<usize> = (0..items.len()).collect();
            chosen.sort_by_key(|&i| (in_group[i], overall[i], rank[i]));
            chosen.truncate(take);
            chosen.sort_unstable();
            for &i in &chosen {
                in_group[i] += 1;
                overall[i] += 1;
            }
            allocation.insert(
                (*pseudonym).to_owned(),
                chosen.iter().map(|&i| items[i].clone()).collect(),
            );
        }
    }
    allocation
}

/// Each item's place in the round's one shuffle of its items: the first draw of the
/// allocation stream, and every tie-break of `allocate` and `late_subset`.
fn ranks(stream: &mut Stream, items: usize) -> Vec<usize> {
    let mut ranked: Vec<usize> = (0..items).collect();
    stream.shuffle(&mut ranked);
    let mut rank = vec![0usize; items];
    for (place, &item) in ranked.iter().enumerate() {
        rank[item] = place;
    }
    rank
}

/// The items of an expert who joins a round after its pages were drawn (a test expert invited
/// to the open round, or rehearsing it before it opens): the `min(per_expert, items)` items
/// with the fewest raters so far (`raters`, in the order of `items`), ties going to the lowest
/// rank of the round's allocation shuffle; in the round's item order. The panel's pages are
/// not redrawn, so nobody's page changes under them.
pub fn late_subset<I: Clone>(seed: u64, round: u32, items: &[I], raters: &[u64], per_expert: u32) -> Vec<I> {
    let rank = ranks(&mut Stream::new(seed, &allocation_label(round)), items.len());
    let mut chosen: Vec<usize> = (0..items.len()).collect();
    chosen.sort_by_key(|&i| (raters.get(i).copied().unwrap_or(0), rank[i]));
    chosen.truncate(items.len().min(per_expert as usize));
    chosen.sort_unstable();
    chosen.iter().map(|&i| items[i].clone()).collect()
}

/// How many of `allocation`'s experts rate each item, in the order of `items`.
pub fn raters_per_item<I: Clone + PartialEq>(
    items: &[I],
    allocation: &BTreeMap<String, Vec<I>>,
) -> Vec<(I, u64)> {
    items
        .iter()
        .map(|item| {
            let raters = allocation.values().filter(|mine| mine.contains(item)).count();
            (item.clone(), raters as u64)
        })
        .collect()
}

/// The items that had fewer than `min_raters` raters, in the order given, with their count:
/// the list a close refuses with.
pub fn short_of_raters<I: Clone>(raters: &[(I, u64)], min_raters: u32) -> Vec<(I, u64)> {
    raters
        .iter()
        .filter(|(_, n)| *n < u64::from(min_raters))
        .cloned()
        .collect()
}

/// Whether `experts` experts, each given `per_expert` of `items` items, can give every item
/// `min_raters` raters; the reason names `rounds.min_raters` when they cannot. The allocation
/// gives every item at least `⌊experts · min(per_expert, items) / items⌋` raters.
pub fn check_min_raters(experts: u64, items: u64, per_expert: u32, min_raters: u32) -> Result<(), String> {
    let min_raters = u64::from(min_raters);
    if experts < min_raters {
        return Err(format!(
            "rounds.min_raters = {min_raters} is more than the {experts} experts of the round"
        ));
    }
    if items == 0 {
        return Ok(());
    }
    let each = items.min(u64::from(per_expert));
    let fewest = experts.saturating_mul(each) / items;
    if fewest < min_raters {
        return Err(format!(
            "rounds.min_raters = {min_raters}: {experts} experts rating {each} of {items} items each give some \
             items only {fewest} raters; raise rounds.items_per_expert or lower rounds.min_raters"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rater(pseudonym: &str, group: &str) -> Rater {
        Rater {
            pseudonym: pseudonym.to_owned(),
            group: group.to_owned(),
        }
    }

    fn spread(counts: impl Iterator<Item = u64>) -> u64 {
        let counts: Vec<u64> = counts.collect();
        counts.iter().max().unwrap_or(&0) - counts.iter().min().unwrap_or(&0)
    }

    fn panel() -> impl Strategy<Value = Vec<Rater>> {
        prop::collection::vec(0usize..4, 0..25).prop_map(|groups| {
            groups
                .iter()
                .enumerate()
                .map(|(n, g)| rater(&format!("E{:03}", n + 1), &format!("g{g}")))
                .collect()
        })
    }

    /// docs/statistics.md, "Balanced subsets": five experts in two groups, four items, two each.
    #[test]
    fn the_worked_example_of_the_documentation() {
        let raters = [
            rater("E001", "clinician"),
            rater("E002", "clinician"),
            rater("E003", "clinician"),
            rater("E004", "patient"),
            rater("E005", "patient"),
        ];
        let items = ["M01", "M02", "M03", "M04"];
        let allocation = allocate(42, 1, &raters, &items, 2);
        let written: Vec<(&str, Vec<&str>)> = allocation
            .iter()
            .map(|(who, mine)| (who.as_str(), mine.clone()))
            .collect();
        assert_eq!(
            written,
            [
                ("E001", vec!["M01", "M04"]),
                ("E002", vec!["M02", "M03"]),
                ("E003", vec!["M01", "M04"]),
                ("E004", vec!["M01", "M04"]),
                ("E005", vec!["M02", "M03"]),
            ]
        );
        assert_eq!(
            raters_per_item(&items, &allocation),
            [("M01", 3), ("M02", 2), ("M03", 2), ("M04", 3)]
        );
        assert_eq!(
            short_of_raters(&raters_per_item(&items, &allocation), 3),
            [("M02", 2), ("M03", 2)]
        );
    }

    #[test]
    fn a_late_expert_takes_the_items_with_the_fewest_raters() {
        let items = ["M01", "M02", "M03", "M04"];
        assert_eq!(late_subset(42, 1, &items, &[3, 2, 2, 3], 2), ["M02", "M03"]);
        assert_eq!(late_subset(42, 1, &items, &[3, 2, 3, 3], 9), items);
        // With every count equal, the allocation's own first choice.
        let first = allocate(42, 1, &[rater("E001", "g")], &items, 2);
        assert_eq!(Some(&late_subset(42, 1, &items, &[0; 4], 2)), first.get("E001"));
    }

    #[test]
    fn min_raters_against_the_panel() {
        assert!(check_min_raters(20, 40, 10, 5).is_ok());
        let few = check_min_raters(4, 40, 10, 5).unwrap_err();
        assert!(
            few.contains("rounds.min_raters = 5 is more than the 4 experts"),
            "{few}"
        );
        let thin = check_min_raters(10, 40, 10, 5).unwrap_err();
        assert!(thin.contains("only 2 raters"), "{thin}");
        assert!(check_min_raters(10, 0, 10, 5).is_ok());
    }

    proptest! {
        #[test]
        fn subsets_are_balanced_overall_and_within_groups(
            raters in panel(),
            items in 0usize..15,
            per_expert in 1u32..20,
            seed: u64,
            round in 1u32..4,
        ) {
            let items: Vec<usize> = (0..items).collect();
            let allocation = allocate(seed, round, &raters, &items, per_expert);
            prop_assert_eq!(allocation.len(), raters.len());
            let take = items.len().min(per_expert as usize);
            for mine in allocation.values() {
                prop_assert_eq!(mine.len(), take);
                prop_assert!(mine.windows(2).all(|w| w[0] < w[1]), "distinct, in the round's order");
            }
            let overall = raters_per_item(&items, &allocation);
            prop_assert!(spread(overall.iter().map(|(_, n)| *n)) <= 1);
            let mut groups: BTreeMap<&str, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
            for r in &raters {
                let mine = allocation.get(&r.pseudonym).cloned().unwrap_or_default();
                groups.entry(r.group.as_str()).or_default().insert(r.pseudonym.clone(), mine);
            }
            for group in groups.values() {
                prop_assert!(spread(raters_per_item(&items, group).iter().map(|(_, n)| *n)) <= 1);
            }
            prop_assert_eq!(&allocation, &allocate(seed, round, &raters, &items, per_expert));
            // The order in which the panel is listed does not matter.
            let mut reversed = raters.clone();
            reversed.reverse();
            prop_assert_eq!(allocation, allocate(seed, round, &reversed, &items, per_expert));
        }

        #[test]
        fn items_short_of_raters_are_exactly_those_below_the_minimum(
            counts in prop::collection::vec(0u64..10, 0..12),
            min in 0u32..10,
        ) {
            let raters: Vec<(usize, u64)> = counts.iter().copied().enumerate().collect();
            let short = short_of_raters(&raters, min);
            prop_assert!(short.iter().all(|(_, n)| *n < u64::from(min)));
            prop_assert_eq!(short.len(), counts.iter().filter(|&&n| n < u64::from(min)).count());
        }
    }
}
