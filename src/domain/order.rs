//! The order in which one expert sees a round's items (`[rounds] order` and `sections_fixed`):
//! the study's own order, or an order drawn for each expert and round from the study's seed,
//! so that order effects average out over the panel and every page can be redrawn from the
//! data package (docs/statistics.md, "Item order").

use crate::domain::draw::Stream;
use crate::domain::named::named;

named! {
    /// `fixed` (default): every expert sees the study's order; `random`: an order drawn per
    /// expert and round.
    #[derive(Default)]
    pub enum ItemOrder {
        #[default]
        Fixed = "fixed",
        Random = "random",
    }
}

/// One section of a round's page: its key and its items, in the study's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionItems<I> {
    pub section: String,
    pub items: Vec<I>,
}

/// The label of one expert's order stream in one round: `order:ROUND:PSEUDONYM`.
pub fn order_label(round: u32, pseudonym: &str) -> String {
    format!("order:{round}:{pseudonym}")
}

/// The page of `pseudonym` in round `round`. With `ItemOrder::Fixed`, `sections` as given.
/// With `Random`, drawn from the stream `order_label(round, pseudonym)`: first each section's
/// items are shuffled, section by section in the study's order, then — unless
/// `sections_fixed` — the sections themselves, so that fixing the sections changes nothing but
/// their order.
pub fn page_order<I: Clone>(
    order: ItemOrder,
    sections_fixed: bool,
    seed: u64,
    round: u32,
    pseudonym: &str,
    sections: &[SectionItems<I>],
) -> Vec<SectionItems<I>> {
    let mut page = sections.to_vec();
    if order == ItemOrder::Fixed {
        return page;
    }
    let mut stream = Stream::new(seed, &order_label(round, pseudonym));
    for section in &mut page {
        stream.shuffle(&mut section.items);
    }
    if !sections_fixed {
        stream.shuffle(&mut page);
    }
    page
}

/// Each item with its position on the page, counting from 1 down the whole page: what
/// ratings.csv's `position` column says.
pub fn positions<I: Clone>(page: &[SectionItems<I>]) -> Vec<(I, u32)> {
    page.iter()
        .flat_map(|section| section.items.iter().cloned())
        .zip(1..)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn round_sections(sizes: &[usize]) -> Vec<SectionItems<String>> {
        sizes
            .iter()
            .enumerate()
            .map(|(s, &size)| SectionItems {
                section: format!("s{s}"),
                items: (0..size).map(|i| format!("S{s}I{i}")).collect(),
            })
            .collect()
    }

    /// docs/statistics.md, "Item order": the page of E001 in round 2 of a study with seed 42.
    #[test]
    fn the_worked_example_of_the_documentation() {
        let sections = vec![
            SectionItems {
                section: "maternal".to_owned(),
                items: vec!["M01", "M02", "M03"],
            },
            SectionItems {
                section: "infant".to_owned(),
                items: vec!["I01", "I02"],
            },
        ];
        let page = page_order(ItemOrder::Random, false, 42, 2, "E001", &sections);
        let written: Vec<(&str, Vec<&str>)> = page
            .iter()
            .map(|s| (s.section.as_str(), s.items.clone()))
            .collect();
        assert_eq!(
            written,
            [
                ("infant", vec!["I01", "I02"]),
                ("maternal", vec!["M02", "M01", "M03"])
            ]
        );
        let fixed = page_order(ItemOrder::Random, true, 42, 2, "E001", &sections);
        assert_eq!(fixed[0].section, "maternal");
        assert_eq!(fixed[0].items, ["M02", "M01", "M03"]);
        assert_eq!(
            positions(&page),
            [("I01", 1), ("I02", 2), ("M02", 3), ("M01", 4), ("M03", 5)]
        );
    }

    proptest! {
        #[test]
        fn a_random_page_is_a_reproducible_permutation_within_sections(
            sizes in prop::collection::vec(0usize..6, 0..5),
            seed: u64,
            round in 1u32..5,
            sections_fixed: bool,
        ) {
            let sections = round_sections(&sizes);
            let page = page_order(ItemOrder::Random, sections_fixed, seed, round, "E001", &sections);
            prop_assert_eq!(&page, &page_order(ItemOrder::Random, sections_fixed, seed, round, "E001", &sections));
            // Every section once, each with its own items and nothing else.
            let mut keys: Vec<&str> = page.iter().map(|s| s.section.as_str()).collect();
            keys.sort_unstable();
            let mut expected: Vec<&str> = sections.iter().map(|s| s.section.as_str()).collect();
            expected.sort_unstable();
            prop_assert_eq!(keys, expected);
            for section in &page {
                let original = sections.iter().find(|s| s.section == section.section);
                let mut mine = section.items.clone();
                mine.sort();
                let mut theirs = original.map(|s| s.items.clone()).unwrap_or_default();
                theirs.sort();
                prop_assert_eq!(mine, theirs);
            }
            if sections_fixed {
                prop_assert!(page.iter().zip(&sections).all(|(a, b)| a.section == b.section));
            }
            let numbered = positions(&page);
            prop_assert_eq!(numbered.len(), sizes.iter().sum::<usize>());
            prop_assert!(numbered.iter().zip(1..).all(|((_, at), n)| *at == n));
        }

        #[test]
        fn a_fixed_order_is_the_study_order(sizes in prop::collection::vec(0usize..6, 0..5), seed: u64, sections_fixed: bool) {
            let sections = round_sections(&sizes);
            prop_assert_eq!(page_order(ItemOrder::Fixed, sections_fixed, seed, 1, "E001", &sections), sections);
        }

        /// Fixing the sections changes only the sections' order, never the items' order within one.
        #[test]
        fn fixing_sections_keeps_each_sections_items_in_place(sizes in prop::collection::vec(0usize..6, 0..5), seed: u64) {
            let sections = round_sections(&sizes);
            let free = page_order(ItemOrder::Random, false, seed, 2, "E003", &sections);
            let fixed = page_order(ItemOrder::Random, true, seed, 2, "E003", &sections);
            for section in &fixed {
                let same = free.iter().find(|s| s.section == section.section);
                prop_assert_eq!(Some(&section.items), same.map(|s| &s.items));
            }
        }
    }

    #[test]
    fn experts_and_rounds_get_orders_of_their_own() {
        let sections = round_sections(&[8, 8]);
        let page = |round, who| page_order(ItemOrder::Random, false, 9, round, who, &sections);
        assert_ne!(page(1, "E001"), page(1, "E002"));
        assert_ne!(page(1, "E001"), page(2, "E001"));
    }
}
