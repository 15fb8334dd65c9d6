//! Locating errors: toml gives byte spans; people need key paths and lines.

use std::collections::HashMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Every key and array element of the document with its path and spans.
pub(super) struct SpanIndex {
    entries: Vec<IndexEntry>,
    by_path: HashMap<String, usize>,
    /// `share = [lo, hi]` arrays of another length: serde reads a `[i32; 2]` from the first two
    /// elements and ignores the rest, so `[7, 9, 3]` would pass unnoticed.
    pub(super) wrong_pairs: Vec<(String, String)>,
}

struct IndexEntry {
    path: String,
    depth: usize,
    key_span: Option<Range<usize>>,
    value_span: Range<usize>,
}

impl SpanIndex {
    pub(super) fn new(document: &Spanned<DeTable<'_>>) -> Self {
        let mut index = Self {
            entries: Vec::new(),
            by_path: HashMap::new(),
            wrong_pairs: Vec::new(),
        };
        index.add_table(document.get_ref(), "", 0);
        index
    }

    fn add_table(&mut self, table: &DeTable<'_>, prefix: &str, depth: usize) {
        for (key, value) in table.iter() {
            let path = join_key(prefix, key.get_ref());
            self.add(path.clone(), depth + 1, Some(key.span()), value.span());
            if let (true, DeValue::Array(array)) = (key.get_ref() == "share", value.get_ref()) {
                if array.len() != 2 {
                    self.wrong_pairs.push((
                        path.clone(),
                        format!(
                            "must be a pair [from, to] of scale points, found {} values",
                            array.len()
                        ),
                    ));
                }
            }
            self.add_value(value, &path, depth + 1);
        }
    }

    fn add_value(&mut self, value: &Spanned<DeValue<'_>>, path: &str, depth: usize) {
        match value.get_ref() {
            DeValue::Table(table) => self.add_table(table, path, depth),
            DeValue::Array(array) => {
                for (i, element) in array.iter().enumerate() {
                    let element_path = format!("{path}[{}]", i + 1);
                    self.add(element_path.clone(), depth + 1, None, element.span());
                    self.add_value(element, &element_path, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn add(&mut self, path: String, depth: usize, key_span: Option<Range<usize>>, value_span: Range<usize>) {
        self.by_path.entry(path.clone()).or_insert(self.entries.len());
        self.entries.push(IndexEntry {
            path,
            depth,
            key_span,
            value_span,
        });
    }

    /// Where the key (or, for an array element, the value) at `path` starts.
    pub(super) fn offset_of(&self, path: &str) -> Option<usize> {
        let entry = &self.entries[*self.by_path.get(path)?];
        Some(entry.key_span.as_ref().unwrap_or(&entry.value_span).start)
    }

    /// The deepest key or value whose span holds `span`; `None` means the document root.
    pub(super) fn path_at(&self, span: &Range<usize>) -> Option<&str> {
        let holds = |outer: &Range<usize>| outer.start <= span.start && span.end <= outer.end;
        self.entries
            .iter()
            .filter(|e| holds(&e.value_span) || e.key_span.as_ref().is_some_and(holds))
            .max_by_key(|e| (e.depth, std::cmp::Reverse(e.value_span.len())))
            .map(|e| e.path.as_str())
    }
}

pub(super) fn join_key(prefix: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let key = if bare { key.to_owned() } else { format!("{key:?}") };
    if prefix.is_empty() {
        key
    } else {
        format!("{prefix}.{key}")
    }
}

pub(super) fn line_of(content: &str, offset: usize) -> usize {
    let end = offset.min(content.len());
    content.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}
