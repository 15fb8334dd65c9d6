//! serde's messages reworded for people who write TOML or JSON, not Rust.

pub(super) fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &text[text.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

pub(super) fn humanize(message: &str) -> String {
    let mut text = message
        .trim()
        .replacen("unknown field", "unknown key", 1)
        .replacen("missing field", "missing required key", 1)
        .replace("invalid type: sequence", "invalid type: array")
        .replace("invalid type: map", "invalid type: table");
    if let Some(at) = text.find("expected struct ") {
        text.truncate(at);
        text.push_str("expected a table");
    }
    for (rust, human) in [
        ("expected u8", "expected an integer from 0 to 255"),
        ("expected i32", "expected an integer"),
        ("expected i64", "expected an integer"),
        ("expected u32", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected an array"),
        ("expected a map", "expected a table"),
    ] {
        if text.ends_with(rust) {
            text.truncate(text.len() - rust.len());
            text.push_str(human);
        }
    }
    text
}
