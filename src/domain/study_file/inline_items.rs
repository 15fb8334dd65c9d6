//! `[[item]]` tables of a study file: held to the same rules as rows of an items file
//! ([`check_item`]), plus language tags, known sections and codes unique regardless of case.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::file_error::known_list;
use crate::domain::items_file::{check_item, ItemRow};
use crate::domain::language::normalize_language_tag;

pub(super) fn check_inline_items(
    rows: Vec<ItemRow>,
    section_keys: &BTreeSet<String>,
    err: &mut impl FnMut(&str, String),
) -> Vec<ItemRow> {
    let mut items = Vec::with_capacity(rows.len());
    let mut first_at: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for (index, mut row) in rows.into_iter().enumerate() {
        let n = index + 1;
        let mut translations = BTreeMap::new();
        for (lang, translation) in std::mem::take(&mut row.translations) {
            match normalize_language_tag(&lang) {
                None => err(
                    &format!("item[{n}].translations.{lang}"),
                    format!("`{lang}` is not a language tag like `fr` or `pt-BR`"),
                ),
                Some(tag) if translations.contains_key(&tag) => err(
                    &format!("item[{n}].translations.{lang}"),
                    format!("a translation into `{tag}` is given twice"),
                ),
                Some(tag) => {
                    translations.insert(tag, translation);
                }
            }
        }
        row.translations = translations;
        let row = match check_item(row) {
            Ok(row) => row,
            Err(problems) => {
                for (field, reason) in problems {
                    err(&format!("item[{n}].{}", field.key()), reason);
                }
                continue;
            }
        };
        if !section_keys.contains(&row.section) {
            err(
                &format!("item[{n}].section"),
                format!(
                    "`{}` is not the key of a [[section]] (known: {})",
                    row.section,
                    known_list(section_keys)
                ),
            );
        }
        match first_at.get(&row.code.to_lowercase()) {
            Some((first, code)) if *code == row.code => err(
                &format!("item[{n}].code"),
                format!("`{}` is already the code of item[{first}]", row.code),
            ),
            Some((first, code)) => err(
                &format!("item[{n}].code"),
                format!(
                    "`{}` differs only in case from `{code}` (item[{first}]); codes must be \
                     unique regardless of case",
                    row.code
                ),
            ),
            None => {
                first_at.insert(row.code.to_lowercase(), (n, row.code.clone()));
            }
        }
        items.push(row);
    }
    items
}
