//! The next free item code, for items added without one (pasted lines, the examples of the
//! import templates): the section's numbering continued, so that after `M12` comes `M13` and
//! a researcher reading the list sees no break in it.

use std::collections::BTreeSet;

use super::items_file::is_valid_item_code;

/// `code` as a prefix and its trailing number: `M12` → (`M`, `12`); `None` without a number.
fn numbered(code: &str) -> Option<(&str, &str)> {
    let prefix = code.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = &code[prefix.len()..];
    (!digits.is_empty()).then_some((prefix, digits))
}

/// What a section without numbered codes starts from: its key's first letter, upper-cased
/// (`infant` → `I`), or `I` (for "item") when the key starts with a digit.
fn initial(section: &str) -> String {
    section
        .chars()
        .next()
        .filter(char::is_ascii_alphabetic)
        .map_or_else(|| "I".to_owned(), |c| c.to_ascii_uppercase().to_string())
}

/// The next code for a new item of `section`, whose items have `section_codes` (in the study's
/// order), that is none of `taken` (every code of the study and those already given out,
/// lower-cased: codes are unique regardless of letter case).
///
/// The section's last numbered code gives the prefix and the width of the number (`M12` →
/// `M13`, `P.09` → `P.10`); a section without one starts from its initial (`I01`). The number
/// follows the highest one that prefix has anywhere in the study, so a code is never reused
/// from another section.
pub fn next_free_code(section: &str, section_codes: &[String], taken: &BTreeSet<String>) -> String {
    let from_section = section_codes
        .iter()
        .rev()
        .find_map(|code| numbered(code))
        .map(|(prefix, digits)| (prefix.to_owned(), digits.len()));
    let (prefix, width) = match from_section {
        // A 32-character code cannot grow; start again from the initial.
        Some((prefix, width)) if prefix.len() + width < 32 => (prefix, width),
        _ => (initial(section), 2),
    };
    let folded = prefix.to_lowercase();
    let highest = taken
        .iter()
        .filter_map(|code| numbered(code))
        .filter(|(p, _)| *p == folded)
        .filter_map(|(_, digits)| digits.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let mut n = highest.saturating_add(1);
    loop {
        let code = format!("{prefix}{n:0width$}");
        if !is_valid_item_code(&code) {
            return next_free_code("", &[], taken);
        }
        if !taken.contains(&code.to_lowercase()) {
            return code;
        }
        n = n.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn taken(codes: &[&str]) -> BTreeSet<String> {
        codes.iter().map(|c| c.to_lowercase()).collect()
    }

    fn owned(codes: &[&str]) -> Vec<String> {
        codes.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn continues_the_section_s_numbering_with_its_width() {
        let all = taken(&["M01", "M02", "M12", "I01"]);
        assert_eq!(
            next_free_code("maternal", &owned(&["M01", "M12", "M02"]), &all),
            "M13"
        );
        assert_eq!(next_free_code("infant", &owned(&["I01"]), &all), "I02");
        let all = taken(&["P.009"]);
        assert_eq!(next_free_code("research", &owned(&["P.009"]), &all), "P.010");
    }

    #[test]
    fn a_section_without_numbers_starts_from_its_initial_after_any_code_of_that_prefix() {
        let all = taken(&["I01", "I02", "m5"]);
        assert_eq!(next_free_code("infant", &[], &all), "I03");
        assert_eq!(next_free_code("maternal", &owned(&["intro"]), &all), "M06");
        assert_eq!(next_free_code("2024", &[], &BTreeSet::new()), "I01");
    }

    #[test]
    fn skips_codes_taken_in_any_letter_case() {
        let all = taken(&["M01", "m03"]);
        assert_eq!(next_free_code("maternal", &owned(&["M01"]), &all), "M04");
    }

    #[test]
    fn a_code_that_cannot_grow_falls_back_to_the_initial() {
        let long = format!("{}9", "A".repeat(31));
        let all = taken(&[long.as_str()]);
        assert_eq!(
            next_free_code("maternal", std::slice::from_ref(&long), &all),
            "M01"
        );
    }

    proptest! {
        #[test]
        fn the_code_is_valid_and_free(
            codes in proptest::collection::vec("[A-Za-z][A-Za-z0-9._-]{0,6}[0-9]{0,3}", 0..12),
            section in "[a-z0-9][a-z0-9_-]{0,8}",
        ) {
            let all: BTreeSet<String> = codes.iter().map(|c| c.to_lowercase()).collect();
            let code = next_free_code(&section, &codes, &all);
            prop_assert!(is_valid_item_code(&code), "{}", code);
            prop_assert!(!all.contains(&code.to_lowercase()), "{}", code);
        }
    }
}
