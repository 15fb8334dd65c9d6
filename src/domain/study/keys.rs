//! What a study's slug and the keys of its groups and sections may look like: they appear in
//! URLs and are what panel and items files refer to.

/// `[a-z0-9-]{3,64}`: the slug is part of every URL of the study.
pub fn is_valid_slug(slug: &str) -> bool {
    (3..=64).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `[a-z0-9][a-z0-9_-]{0,31}`, for group and section keys, which panel and items files refer to.
pub fn is_valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) if first.is_ascii_lowercase() || first.is_ascii_digit() => {}
        _ => return false,
    }
    key.len() <= 32 && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}
