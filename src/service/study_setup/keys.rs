//! What a person typed: the values read from a posted form, and the slugs and keys made from them.

pub(super) fn join_numbers(numbers: &[u32]) -> String {
    numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// A slug from a title: lower-case ASCII letters and digits, words joined by `-`, at most 64.
pub fn slug_from(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 64 {
            break;
        }
    }
    slug.trim_matches('-').to_owned()
}

/// A group or section key from its name: as a slug, at most 32 characters.
pub(super) fn key_from(label: &str) -> String {
    let mut key = slug_from(label);
    key.truncate(32);
    key.trim_matches('-').to_owned()
}

/// The unaccented letter for the common Latin accented ones, so "Nutrição" becomes "nutricao".
fn fold_accent(c: char) -> Option<char> {
    const FROM: &str = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝ";
    const TO: &str = "aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUY";
    match FROM.chars().position(|f| f == c) {
        Some(i) => TO.chars().nth(i),
        None => Some(c),
    }
}

/// The last text area posted under `name`, with the browser's CRLF line ends as LF and no
/// trailing white space (leading spaces may be Markdown); empty when there is none.
pub(super) fn posted_text(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.replace("\r\n", "\n").trim_end().to_owned())
        .unwrap_or_default()
}

/// The last value posted under `name`, trimmed; empty when there is none.
pub(super) fn posted(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}
