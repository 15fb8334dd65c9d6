//! Lists pasted into a console form instead of uploaded as a file: one entry per line, its
//! parts separated by a vertical bar `|` (or by tabs, as cells copied from a spreadsheet
//! arrive). Each line becomes a row of the items or panel table and is read by the same checks
//! as a file's row, so a pasted item or expert is held to exactly the rules of an imported
//! one; problems name the line they were pasted on.

use std::collections::BTreeSet;

use super::file_error::{FileError, FileErrors};
use super::item_code::next_free_code;
use super::items_file::{check_sections, read_items, ItemRow};
use super::panel_file::{read_panel, PanelRow, FORM_COLUMNS};
use super::sheet::{Sheet, SheetRow};

/// What problems of pasted lines name as their file.
pub const PASTED: &str = "pasted lines";

/// One non-blank pasted line: its number (counting blank lines too, as the text box shows
/// them) and its trimmed parts.
struct Line {
    number: u64,
    parts: Vec<String>,
}

/// A line holding a tab is split at tabs only, so a bar inside a spreadsheet cell stays text.
fn lines(text: &str) -> Vec<Line> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let parts: Vec<String> = if line.contains('\t') {
                line.split('\t').map(|p| p.trim().to_owned()).collect()
            } else {
                line.split('|').map(|p| p.trim().to_owned()).collect()
            };
            Line {
                number: i as u64 + 1,
                parts,
            }
        })
        .collect()
}

fn nothing_pasted(what: &str) -> FileErrors {
    FileError::whole(PASTED, format!("nothing was pasted: write one {what} per line")).into()
}

/// What pasted items are checked against.
#[derive(Debug, Clone, Copy)]
pub struct StudyItems<'a> {
    /// The study's section keys.
    pub sections: &'a BTreeSet<String>,
    /// The section of lines that name none; empty when none was chosen.
    pub default_section: &'a str,
    /// Every item of the study as (code, section key), in the study's order.
    pub items: &'a [(String, String)],
}

/// Items pasted one per line as `wording` or `code | section | wording`, the code or the
/// section left empty for the next free code of the section (see `item_code`) or the
/// section chosen for the whole paste. New items only: a code the study has already is
/// refused, since rewording an item is the edit form's job and keeps its versions.
pub fn items(text: &str, study: StudyItems<'_>) -> Result<Vec<ItemRow>, FileErrors> {
    let pasted = lines(text);
    if pasted.is_empty() {
        return Err(nothing_pasted("item"));
    }
    let mut errors = FileErrors::new();
    let existing: BTreeSet<String> = study.items.iter().map(|(code, _)| code.to_lowercase()).collect();
    // (line, code, section, wording) of the lines with the right number of parts.
    let mut wanted: Vec<(u64, String, String, String)> = Vec::new();
    for line in pasted {
        let (code, section, wording) = match line.parts.as_slice() {
            [wording] => (String::new(), String::new(), wording.clone()),
            [code, section, wording] => (code.clone(), section.clone(), wording.clone()),
            parts => {
                errors.push(FileError::line(
                    PASTED,
                    line.number,
                    format!(
                        "has {} parts; write the wording alone, or `code | section | wording` \
                         (the code or the section may be left empty, as in `| maternal | Birth weight`)",
                        parts.len()
                    ),
                ));
                continue;
            }
        };
        let section = if section.is_empty() {
            study.default_section.to_owned()
        } else {
            section
        };
        if section.is_empty() {
            errors.push(FileError::field(
                PASTED,
                line.number,
                "section",
                "names no section: choose the section of such lines, or write `code | section | wording`",
            ));
            continue;
        }
        if existing.contains(&code.to_lowercase()) {
            let known = study.items.iter().find(|(c, _)| c.eq_ignore_ascii_case(&code));
            errors.push(FileError::field(
                PASTED,
                line.number,
                "code",
                format!(
                    "the item `{}` already exists; choose another code, or leave the code empty \
                     to get the next free one",
                    known.map_or(code.as_str(), |(c, _)| c.as_str())
                ),
            ));
            continue;
        }
        wanted.push((line.number, code, section, wording));
    }
    // Codes written on a line are reserved before any is given out, so a later line's own
    // code is never handed to an earlier line.
    let mut taken: BTreeSet<String> = existing;
    taken.extend(wanted.iter().map(|(_, code, _, _)| code.to_lowercase()));
    let mut codes_of: Vec<(String, String)> = study.items.to_vec();
    let mut rows = Vec::with_capacity(wanted.len());
    for (number, code, section, wording) in wanted {
        let code = if code.is_empty() {
            let in_section: Vec<String> = codes_of
                .iter()
                .filter(|(_, s)| *s == section)
                .map(|(c, _)| c.clone())
                .collect();
            let code = next_free_code(&section, &in_section, &taken);
            taken.insert(code.to_lowercase());
            code
        } else {
            code
        };
        codes_of.push((code.clone(), section.clone()));
        rows.push(SheetRow {
            line: number,
            cells: vec![code, section, wording],
        });
    }
    let (items, found) = read_items(PASTED, Sheet::typed(&["code", "section", "text"], rows));
    errors.extend(found);
    if let Err(unknown) = check_sections(PASTED, &items, study.sections) {
        errors.extend(unknown);
    }
    errors.sort_by_line();
    errors.into_result(items)
}

/// Experts pasted one per line as `email | name | group`, optionally followed by
/// `| language | country`: the experts whose line is valid, and every problem (the study's
/// groups are checked by the caller, with `panel_file::check_groups`).
pub fn experts(text: &str) -> (Vec<PanelRow>, FileErrors) {
    let pasted = lines(text);
    if pasted.is_empty() {
        return (Vec::new(), nothing_pasted("expert"));
    }
    let mut errors = FileErrors::new();
    let mut rows = Vec::with_capacity(pasted.len());
    for line in pasted {
        if !(3..=FORM_COLUMNS.len()).contains(&line.parts.len()) {
            errors.push(FileError::line(
                PASTED,
                line.number,
                format!(
                    "has {} part{}; write `email | name | group`, optionally followed by \
                     `| language | country`",
                    line.parts.len(),
                    if line.parts.len() == 1 { "" } else { "s" }
                ),
            ));
            continue;
        }
        rows.push(SheetRow {
            line: line.number,
            cells: line.parts,
        });
    }
    let (panel, found) = read_panel(PASTED, Sheet::typed(&FORM_COLUMNS, rows));
    errors.extend(found);
    errors.sort_by_line();
    (panel, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::file_error::Location;

    /// `items` pasted into a study of sections `maternal` (items M01, M02) and `infant` (I01),
    /// where a line that names no section goes to `default_section`.
    fn pasted_items(text: &str, default_section: &str) -> Result<Vec<ItemRow>, FileErrors> {
        let sections: BTreeSet<String> = ["maternal", "infant"].map(str::to_owned).into();
        let known = [("M01", "maternal"), ("M02", "maternal"), ("I01", "infant")]
            .map(|(c, s)| (c.to_owned(), s.to_owned()));
        let study = StudyItems {
            sections: &sections,
            default_section,
            items: &known,
        };
        items(text, study)
    }

    fn shown(errors: &FileErrors) -> Vec<String> {
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn items_get_the_next_free_code_of_their_section_and_keep_their_own() {
        let text = "Serum zinc\r\n\r\nM03 | maternal | Serum ferritin\n| infant | Birth weight\nX9\tinfant\tLength | in cm\n";
        let rows = pasted_items(text, "maternal").unwrap();
        let got: Vec<(&str, &str, &str, u64)> = rows
            .iter()
            .map(|r| (r.code.as_str(), r.section.as_str(), r.text.as_str(), r.line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("M04", "maternal", "Serum zinc", 1),
                ("M03", "maternal", "Serum ferritin", 3),
                ("I02", "infant", "Birth weight", 4),
                ("X9", "infant", "Length | in cm", 5),
            ]
        );
    }

    #[test]
    fn every_problem_of_every_line_is_listed_in_line_order() {
        let text = "A1 | mat | Ferritin\nNo section here\nm01 | maternal | Again\nB 2 | infant |\none | two\nA1 | infant | Twice\n";
        let errors = pasted_items(text, "").unwrap_err();
        assert_eq!(
            shown(&errors),
            vec![
                "pasted lines: line 1, field `section`: `mat` is not a section of the study (known: infant, maternal)",
                "pasted lines: line 2, field `section`: names no section: choose the section of such lines, or write `code | section | wording`",
                "pasted lines: line 3, field `code`: the item `M01` already exists; choose another code, or leave the code empty to get the next free one",
                "pasted lines: line 4, field `code`: `B 2` is not a valid item code: use 1 to 32 letters, digits, `.`, `_` or `-`, starting with a letter or digit",
                "pasted lines: line 4, field `text`: must not be empty",
                "pasted lines: line 5: has 2 parts; write the wording alone, or `code | section | wording` (the code or the section may be left empty, as in `| maternal | Birth weight`)",
                "pasted lines: line 6, field `code`: code `A1` already appears on line 1",
            ]
        );
    }

    #[test]
    fn nothing_pasted_is_one_clear_problem() {
        let errors = pasted_items(" \n\t\n", "maternal").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors.iter().next().unwrap().location, Location::Whole);
        let (panel, errors) = experts("\n");
        assert!(panel.is_empty());
        assert!(shown(&errors)[0].contains("nothing was pasted"));
    }

    #[test]
    fn experts_are_read_as_panel_rows_with_every_problem() {
        let text = "ann@example.org | Ann Lee | researcher\n\
                    bo@example.org\tBo Zhang\tclinician\tFR\tChina\n\
                    \n\
                    bob@ | | researcher | english\n\
                    only | two\n\
                    ann@EXAMPLE.org | Ann again | researcher\n";
        let (panel, errors) = experts(text);
        assert_eq!(panel.len(), 2);
        assert_eq!(panel[1].language.as_deref(), Some("fr"));
        assert_eq!(panel[1].country.as_deref(), Some("China"));
        assert_eq!(panel[1].line, 2);
        assert_eq!(
            shown(&errors),
            vec![
                "pasted lines: line 4, field `email`: \"bob@\" is not an email address",
                "pasted lines: line 4, field `name`: must not be empty",
                "pasted lines: line 4, field `language`: `english` is not a language tag like `en`, `fr` or `pt-BR`",
                "pasted lines: line 5: has 2 parts; write `email | name | group`, optionally followed by `| language | country`",
                "pasted lines: line 6, field `email`: `ann@example.org` already appears on line 1",
            ]
        );
    }
}
