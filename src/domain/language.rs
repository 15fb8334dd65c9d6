//! Language tags: the form the study file and tables accept, and which supported language
//! serves a reader who asked for others (an `Accept-Language` header, or any list of tags), and
//! which way a language's text runs.

/// A language tag as the study file and tables accept it: 2–3 letters, optionally `-` and a
/// region (2 letters or 3 digits), in any case; returned canonical (`pt-BR`, `es-419`).
pub fn normalize_language_tag(tag: &str) -> Option<String> {
    let (language, region) = match tag.split_once('-') {
        Some((language, region)) => (language, Some(region)),
        None => (tag, None),
    };
    if !(2..=3).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut canonical = language.to_ascii_lowercase();
    if let Some(region) = region {
        let letters = region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic());
        let digits = region.len() == 3 && region.chars().all(|c| c.is_ascii_digit());
        if !letters && !digits {
            return None;
        }
        canonical.push('-');
        canonical.push_str(&region.to_ascii_uppercase());
    }
    Some(canonical)
}

/// The supported language that best serves `preferences`: an `Accept-Language` value such as
/// `en-GB,fr;q=0.8`, or a plain comma-separated list of tags, most wanted first.
///
/// Preferences are tried by quality (`q`, 1 when absent), then in the order written; `q=0`
/// means "not this one" and is skipped, as are malformed entries. A tag matches the supported
/// language equal to it or to one of its prefixes (`fr-CA` → `fr`, RFC 4647 lookup), else a
/// supported language it is a prefix of (`pt` → `pt-BR`). Case and `_` for `-` do not matter.
/// `None` when nothing matches, including for `*` alone: the caller picks its own default.
pub fn negotiate<'a, S>(preferences: &str, supported: S) -> Option<&'a str>
where
    S: IntoIterator<Item = &'a str>,
    S::IntoIter: Clone,
{
    let supported = supported.into_iter();
    let mut wanted: Vec<(u16, &str)> = preferences
        .split(',')
        .filter_map(preference)
        .filter(|&(quality, tag)| quality > 0 && tag != "*")
        .collect();
    // Stable: equal qualities keep the order they were written in.
    wanted.sort_by_key(|&(quality, _)| std::cmp::Reverse(quality));
    wanted
        .into_iter()
        .find_map(|(_, tag)| best_match(tag, supported.clone()))
}

/// One entry `tag[;q=0.8][;other=params]` as (quality in thousandths, tag).
fn preference(entry: &str) -> Option<(u16, &str)> {
    let mut parts = entry.split(';');
    let tag = parts.next()?.trim();
    let well_formed = tag == "*"
        || (!tag.is_empty()
            && tag
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    if !well_formed {
        return None;
    }
    let mut quality = 1000;
    for parameter in parts {
        let parameter = parameter.trim();
        if let Some(value) = parameter
            .strip_prefix("q=")
            .or_else(|| parameter.strip_prefix("Q="))
        {
            quality = thousandths(value.trim())?;
        }
    }
    Some((quality, tag))
}

/// RFC 9110 `qvalue`: `0`, `0.` and up to three digits, or `1` with only zeros after the point.
fn thousandths(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let fraction = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0u16, |total, digit| total * 10 + u16::from(digit - b'0'));
    match whole {
        "0" => Some(fraction),
        "1" if fraction == 0 => Some(1000),
        _ => None,
    }
}

fn best_match<'a>(tag: &str, supported: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    let mut prefix = tag;
    loop {
        if let Some(found) = supported.clone().find(|s| same_tag(s, prefix)) {
            return Some(found);
        }
        match prefix.rfind(['-', '_']) {
            Some(cut) => prefix = &prefix[..cut],
            None => break,
        }
    }
    supported.into_iter().find(|s| {
        s.get(..tag.len()).is_some_and(|head| same_tag(head, tag))
            && matches!(s.as_bytes().get(tag.len()), Some(b'-' | b'_'))
    })
}

/// The direction a language's script runs in: what a page's or an element's `dir` attribute says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    LeftToRight,
    RightToLeft,
}

impl Direction {
    /// The value of an HTML `dir` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::LeftToRight => "ltr",
            Direction::RightToLeft => "rtl",
        }
    }
}

/// Languages written right to left in their usual script: Arabic, Hebrew (and its old code
/// `iw`), Persian, Urdu, Pashto, Sindhi, Sorani Kurdish, Dhivehi, Uyghur, Yiddish, Syriac.
const RIGHT_TO_LEFT: [&str; 12] = [
    "ar", "he", "iw", "fa", "ur", "ps", "sd", "ckb", "dv", "ug", "yi", "syr",
];

/// The direction of text in language `tag` (`ar`, `ar-EG`, `he`, `fa`, `ur` → right to left).
/// An explicit script subtag decides over the language (`pa-Arab` → right to left, `ku-Latn`
/// and `az-Cyrl` → left to right); anything unknown or malformed is left to right.
pub fn direction(tag: &str) -> Direction {
    let mut subtags = tag.split(['-', '_']);
    let language = subtags.next().unwrap_or_default();
    let script = subtags.find(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic()));
    let right_to_left = match script {
        Some(script) => ["arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg"]
            .iter()
            .any(|rtl| script.eq_ignore_ascii_case(rtl)),
        None => RIGHT_TO_LEFT.iter().any(|rtl| language.eq_ignore_ascii_case(rtl)),
    };
    if right_to_left {
        Direction::RightToLeft
    } else {
        Direction::LeftToRight
    }
}

fn same_tag(a: &str, b: &str) -> bool {
    let canonical = |byte: u8| {
        if byte == b'_' {
            b'-'
        } else {
            byte.to_ascii_lowercase()
        }
    };
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .all(|(x, y)| canonical(x) == canonical(y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn language_tags_are_canonicalised() {
        assert_eq!(normalize_language_tag("pt-br").as_deref(), Some("pt-BR"));
        assert_eq!(normalize_language_tag("ES-419").as_deref(), Some("es-419"));
        assert_eq!(normalize_language_tag("fil").as_deref(), Some("fil"));
        for bad in ["", "e", "engl", "en-", "en-USA", "en_US", "1n"] {
            assert_eq!(normalize_language_tag(bad), None, "{bad}");
        }
    }

    #[test]
    fn arabic_hebrew_persian_and_urdu_run_right_to_left() {
        for tag in [
            "ar",
            "AR",
            "ar-EG",
            "ar_MA",
            "he",
            "he-IL",
            "fa",
            "fa-IR",
            "ur",
            "ps",
            "ckb",
            "pa-Arab",
            "ku-Arab-IQ",
        ] {
            assert_eq!(direction(tag), Direction::RightToLeft, "{tag}");
        }
        for tag in [
            "en", "fr", "es", "pt-BR", "sw", "zh-Hant", "ku-Latn", "az-Cyrl", "arn", "far", "", "-", "a",
        ] {
            assert_eq!(direction(tag), Direction::LeftToRight, "{tag}");
        }
        assert_eq!(direction("ar").as_str(), "rtl");
        assert_eq!(direction("es").as_str(), "ltr");
    }

    const EN_FR: [&str; 2] = ["en", "fr"];

    #[test]
    fn the_best_supported_language_is_chosen() {
        assert_eq!(negotiate("en-GB,fr;q=0.8", EN_FR), Some("en"));
        assert_eq!(negotiate("fr-CA", EN_FR), Some("fr"));
        assert_eq!(negotiate("de, fr;q=0.5", EN_FR), Some("fr"));
        assert_eq!(
            negotiate("de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", EN_FR),
            Some("en")
        );
        assert_eq!(negotiate("fr;q=0.5, en;q=0.9", EN_FR), Some("en"));
        assert_eq!(negotiate("FR_be", EN_FR), Some("fr"));
        assert_eq!(negotiate(" fr ; Q=1.000 ", EN_FR), Some("fr"));
        assert_eq!(
            negotiate("zh-Hant-TW, fr;q=0.1", ["zh-Hant", "fr"]),
            Some("zh-Hant")
        );
        assert_eq!(negotiate("pt", ["en", "pt-BR"]), Some("pt-BR"));
        assert_eq!(negotiate("pt-PT, pt-BR;q=0.9", ["pt", "pt-BR"]), Some("pt"));
    }

    #[test]
    fn nothing_acceptable_leaves_the_choice_to_the_caller() {
        for header in [
            "",
            " ",
            "*",
            "de",
            "de, *;q=0.5",
            "fr;q=0",
            "fr;q=0.000, en;q=0",
            ",,;",
        ] {
            assert_eq!(negotiate(header, EN_FR), None, "{header:?}");
        }
        assert_eq!(negotiate("fr", []), None);
    }

    #[test]
    fn malformed_entries_are_skipped() {
        assert_eq!(negotiate("fr;q=2, en", EN_FR), Some("en"));
        assert_eq!(negotiate("fr;q=0.1234, en;q=0.1", EN_FR), Some("en"));
        assert_eq!(negotiate("fr;q=high, en;q=0.1", EN_FR), Some("en"));
        assert_eq!(negotiate("f r, fr.UTF-8, en;q=0.1", EN_FR), Some("en"));
        // `en` is not a prefix of `english`: tags are compared subtag by subtag.
        assert_eq!(negotiate("english", EN_FR), None);
        assert_eq!(negotiate("e", EN_FR), None);
    }

    fn supported() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::btree_set("[a-z]{2,3}", 1..5).prop_map(|set| set.into_iter().collect())
    }

    proptest! {
        #[test]
        fn any_header_gives_a_supported_language_or_none(header in "\\PC{0,40}", langs in supported()) {
            let langs: Vec<&str> = langs.iter().map(String::as_str).collect();
            if let Some(chosen) = negotiate(&header, langs.iter().copied()) {
                prop_assert!(langs.contains(&chosen));
            }
        }

        #[test]
        fn a_supported_tag_in_any_case_or_with_a_region_gets_itself(
            langs in supported(),
            pick in any::<prop::sample::Index>(),
            region in proptest::option::of("[A-Za-z]{2}"),
            upper in any::<bool>(),
        ) {
            let wanted = pick.get(&langs).as_str();
            let mut tag = if upper { wanted.to_ascii_uppercase() } else { wanted.to_owned() };
            if let Some(region) = region {
                tag = format!("{tag}-{region}");
            }
            prop_assert_eq!(negotiate(&tag, langs.iter().map(String::as_str)), Some(wanted));
        }

        #[test]
        fn higher_quality_wins_and_order_breaks_ties(
            langs in proptest::collection::btree_set("[a-z]{2,3}", 2..5),
            first_q in 1u16..=1000,
            second_q in 1u16..=1000,
        ) {
            let langs: Vec<&str> = langs.iter().map(String::as_str).collect();
            let (a, b) = (langs[0], langs[1]);
            let header = format!("{a};q={}.{:03}, {b};q={}.{:03}", first_q / 1000, first_q % 1000, second_q / 1000, second_q % 1000);
            let expected = if second_q > first_q { b } else { a };
            prop_assert_eq!(negotiate(&header, langs.iter().copied()), Some(expected), "{}", header);
        }

        #[test]
        fn refused_and_unsupported_tags_are_never_chosen(langs in supported(), other in "[a-z]{4}") {
            let refused: Vec<String> = langs.iter().map(|l| format!("{l};q=0")).collect();
            let header = format!("{other}, {}, *", refused.join(", "));
            prop_assert_eq!(negotiate(&header, langs.iter().map(String::as_str)), None);
        }
    }
}
