//! A study file read from TOML: syntax errors by line, the first shape error by key path and
//! line, then every problem of meaning with the line of its key.

use toml::de::DeTable;

use super::check::check_study;
use super::raw::RawStudy;
use super::spans::{line_of, SpanIndex};
use super::wording::{between, humanize};
use crate::domain::file_error::{FileError, FileErrors, Location};
use crate::domain::study::StudyFile;

/// Parses and checks a study file. `name` is only used in error messages.
pub fn parse_study_file(name: &str, content: &str) -> Result<StudyFile, FileErrors> {
    let (document, syntax_errors) = DeTable::parse_recoverable(content);
    if !syntax_errors.is_empty() {
        // The parser's recovery after an error often reports follow-on errors on the same line;
        // one per line keeps independent mistakes without the noise.
        let mut errors: Vec<FileError> = Vec::new();
        for error in &syntax_errors {
            let error = syntax_error(name, content, error);
            if !errors.iter().any(|e| e.location == error.location) {
                errors.push(error);
            }
        }
        return Err(errors.into());
    }
    let index = SpanIndex::new(&document);
    let raw: RawStudy =
        toml::from_str(content).map_err(|e| FileErrors::from(shape_error(name, content, &index, &e)))?;
    let mut errors = index.wrong_pairs.clone();
    let study = check_study(raw, &mut errors);
    let errors: FileErrors = errors
        .into_iter()
        .map(|(key, reason)| {
            let reason = match index.offset_of(&key) {
                Some(offset) => format!("{reason} (line {})", line_of(content, offset)),
                None => reason,
            };
            FileError::key(name, key, reason)
        })
        .collect();
    errors.into_result(study)
}

fn syntax_error(name: &str, content: &str, error: &toml::de::Error) -> FileError {
    let line = error.span().map_or(1, |span| line_of(content, span.start));
    let mut reason = error.message().trim().to_owned();
    if let Some(text) = error
        .span()
        .and_then(|span| content.get(span))
        .filter(|t| !t.is_empty() && t.len() <= 40 && !t.contains('\n'))
    {
        reason.push_str(&format!(" (at `{text}`)"));
    }
    FileError::line(name, line as u64, reason)
}

/// Serde stops at its first error; this names where it was and rewords serde's Rust-flavoured
/// message ("expected u8", "struct RawRounds") for people who write TOML, not Rust.
fn shape_error(name: &str, content: &str, index: &SpanIndex, error: &toml::de::Error) -> FileError {
    let message = humanize(error.message());
    let span = error.span().filter(|s| !(s.start == 0 && s.end == 0));
    let mut path = span.as_ref().and_then(|s| index.path_at(s)).map(str::to_owned);
    if let Some(missing) = between(&message, "missing required key `", "`") {
        path = Some(match path {
            Some(table) => format!("{table}.{missing}"),
            None => missing.to_owned(),
        });
    }
    let mut reason = message.clone();
    if path.as_deref() == Some("items") && message.starts_with("invalid type") {
        reason.push_str(" (inline items are written as [[item]] tables)");
    }
    if let Some((_, last)) = path.as_deref().and_then(|p| p.rsplit_once('.')) {
        if message.starts_with("unknown key") && TOP_LEVEL_KEYS.contains(&last) {
            reason.push_str(&format!(
                "; TOML puts every key written below a [table] header into that table: move \
                 `{last}` above the first table"
            ));
        }
    }
    if let Some(span) = &span {
        reason.push_str(&format!(" (line {})", line_of(content, span.start)));
    }
    match path {
        Some(path) => FileError::key(name, path, reason),
        None => FileError {
            file: name.to_owned(),
            location: Location::Whole,
            reason,
        },
    }
}

const TOP_LEVEL_KEYS: [&str; 7] = [
    "slug",
    "title",
    "description",
    "language",
    "timezone",
    "items",
    "panel",
];

#[cfg(test)]
mod tests {
    use super::super::testing::{edited, errors, key, parse, EXAMPLE};
    use crate::domain::file_error::Location;
    use crate::domain::study::{ItemsSource, RoundsSettings};

    #[test]
    fn the_example_parses() {
        let study = parse(EXAMPLE).unwrap();
        assert_eq!(study.slug, "lmn-2024");
        assert_eq!(study.timezone.name(), "Africa/Nairobi");
        assert_eq!(study.scale.max, 9);
        assert_eq!(study.scale.bands.len(), 3);
        assert_eq!(study.consensus.preset.as_deref(), Some("comet"));
        assert!(study.consensus.alternatives.contains_key("median-iqr"));
        assert_eq!(study.rounds, RoundsSettings::default());
        assert_eq!(study.groups.len(), 2);
        let ItemsSource::Inline(items) = &study.items else {
            panic!("inline items expected")
        };
        assert_eq!(items[0].code, "M01");
        assert_eq!(study.panel.as_deref(), Some("panel.csv"));
    }

    #[test]
    fn unknown_keys_are_named_with_the_expected_ones() {
        let e = errors(&edited("slug = ", "slgu = \"x\"\nslug = "));
        assert_eq!(e[0].location, key("slgu"));
        assert!(
            e[0].reason.starts_with("unknown key `slgu`, expected one of"),
            "{}",
            e[0]
        );
        assert!(
            e[0].reason.contains("`slug`") && e[0].reason.ends_with("(line 2)"),
            "{}",
            e[0]
        );

        let e = errors(&edited("max = 3", "maxx = 3"));
        assert_eq!(e[0].location, key("rounds.maxx"));
        assert!(e[0].reason.contains("`carry_forward`"), "{}", e[0]);

        let e = errors(&edited("text = \"Haemoglobin", "txet = \"Haemoglobin"));
        assert_eq!(e[0].location, key("item[1].txet"));
        assert!(e[0].reason.contains("unknown key `txet`"), "{}", e[0]);

        let e = errors(&edited("unable_to_score = true", "unable_to_scor = true"));
        assert_eq!(e[0].location, key("scale.unable_to_scor"));

        let e = errors(&edited(
            "{ stat = \"iqr\", at_most = 2 } ]\nout",
            "{ stat = \"iqr\", at_mots = 2 } ]\nout",
        ));
        assert_eq!(
            e[0].location,
            key("consensus.alternatives.median-iqr.in[2].at_mots")
        );
    }

    #[test]
    fn a_top_level_key_after_item_tables_gets_a_hint() {
        // The spec's own example ends with `panel = ...` below `[[item]]`: TOML puts it into
        // that item, so the error must explain why a valid-looking key is "unknown".
        let content = EXAMPLE.replace("panel = \"panel.csv\"\n", "") + "\npanel = \"panel.csv\"\n";
        let e = errors(&content);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].location, key("item[1].panel"));
        assert!(
            e[0].reason.contains("move `panel` above the first table"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn wrong_types_and_missing_keys_name_the_key() {
        let e = errors(&edited("max = 9", "max = \"nine\""));
        assert_eq!(e[0].location, key("scale.max"));
        assert!(e[0].reason.contains("expected an integer"), "{}", e[0]);
        assert!(e[0].reason.ends_with("(line 11)"), "{}", e[0]);

        let e = errors(&edited(
            "carry_forward = \"unresolved\"",
            "carry_forward = \"some\"",
        ));
        assert_eq!(e[0].location, key("rounds.carry_forward"));
        assert!(e[0].reason.contains("`unresolved` or `all`"), "{}", e[0]);

        let e = errors(&edited("min = 1\n", ""));
        assert_eq!(e[0].location, key("scale.min"));
        assert!(e[0].reason.starts_with("missing required key `min`"), "{}", e[0]);

        let e = errors(&edited("timezone = \"Africa/Nairobi\"\n", ""));
        assert_eq!(e[0].location, key("timezone"));

        let e = errors(&edited("quantiles = 7", "quantiles = 700"));
        assert_eq!(e[0].location, key("consensus.quantiles"));
        assert!(e[0].reason.contains("from 0 to 255"), "{}", e[0]);

        let e = errors(&edited("[rounds]\nmax = 3", "[rounds.max]"));
        assert_eq!(e[0].location, key("rounds.max"));
        assert!(
            e[0].reason.contains("invalid type: table, expected an integer"),
            "{}",
            e[0]
        );

        let e = errors(&edited("[[section]]", "[section]"));
        assert_eq!(e[0].location, key("section"));
        assert!(e[0].reason.contains("expected an array"), "{}", e[0]);
    }

    #[test]
    fn syntax_errors_give_the_line() {
        let e = errors("slug = \"abc\"\ntitle = \"unterminated\n");
        assert_eq!(e[0].location, Location::Line(2));
        let e = errors("a = [\nb = 1\nc = \"x\n");
        let lines: Vec<&Location> = e.iter().map(|e| &e.location).collect();
        assert_eq!(lines, vec![&Location::Line(2), &Location::Line(3)]);
        let e = errors("slug = \"abc\"\nslug = \"def\"\n");
        assert_eq!(e[0].location, Location::Line(2));
        assert!(e[0].reason.contains("duplicate key"), "{}", e[0]);
    }

    #[test]
    fn items_given_as_array_hints_at_item_tables() {
        let content = edited(
            "timezone = \"Africa/Nairobi\"",
            "timezone = \"Africa/Nairobi\"\nitems = [ { code = \"A\" } ]",
        );
        let e = errors(&content);
        assert_eq!(e[0].location, key("items"));
        assert!(e[0].reason.contains("[[item]] tables"), "{}", e[0]);
    }
}
