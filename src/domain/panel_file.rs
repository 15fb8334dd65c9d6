//! The panel file (`panel.csv`, or the first sheet of `panel.xlsx`): one expert per row,
//! `email,name,group[,country][,language]`; the console's form and pasted lines are read as such rows.
//!
//! The email identifies an expert across imports: re-importing a file updates the experts it
//! names and never adds a second one, so one file naming the same email twice is ambiguous and
//! refused.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::file_error::{unknown_references, FileError, FileErrors};
use super::items_file::ItemsFileFormat;
use super::language::normalize_language_tag;
use super::sheet::{
    columns, read_csv, read_rows, read_xlsx, required_header, utf8_text, Cells, Column, FirstLines, Sheet,
    SheetRow,
};

/// An email address that passed a deliberately loose check: enough to catch a pasted name, a
/// missing domain or two addresses in one cell, while leaving real deliverability to the mail
/// server. The domain is lower-cased (domains are case-insensitive); the local part is kept as
/// written, since some mail servers do tell case apart there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EmailAddress(String);

/// Why a text is not an [`EmailAddress`]; displays as `"bob@" is not an email address`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an email address")]
pub struct NotAnEmail(pub String);

impl EmailAddress {
    pub fn parse(text: &str) -> Result<Self, NotAnEmail> {
        let trimmed = text.trim();
        let invalid = || NotAnEmail(trimmed.to_owned());
        let (local, domain) = trimmed.split_once('@').ok_or_else(invalid)?;
        let well_formed = !local.is_empty()
            && !domain.contains('@')
            && !trimmed.chars().any(|c| c.is_whitespace() || c.is_control())
            && domain.contains('.')
            && domain.split('.').all(|label| !label.is_empty());
        if !well_formed {
            return Err(invalid());
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for EmailAddress {
    type Err = NotAnEmail;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for EmailAddress {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for EmailAddress {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// One expert of the panel file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelRow {
    /// Line of the panel file, for errors found later (e.g. by [`check_groups`]).
    pub line: u64,
    pub email: EmailAddress,
    pub name: String,
    /// Key of a `[[group]]` of the study file.
    pub group: String,
    /// Free text: the file is typed by people, and nothing is computed from the country.
    pub country: Option<String>,
    /// Canonical language tag; `None` means the study's default language.
    pub language: Option<String>,
}

columns! {
    enum PanelColumn {
        required Email = "email",
        required Name = "name",
        required Group = "group",
        Country = "country",
        Language = "language",
    }
}

/// The address in `column` of a table row (the panel's experts, the responses' experts).
pub(super) fn email_in<C: Column>(cells: &mut Cells<'_, C>, column: C) -> Option<EmailAddress> {
    let text = cells.required(column)?;
    EmailAddress::parse(text)
        .map_err(|e| cells.problem(column, e.to_string()))
        .ok()
}

pub fn parse_panel_csv(name: &str, content: &str) -> Result<Vec<PanelRow>, FileErrors> {
    let (panel, errors) = match read_csv(name, content, &required_header::<PanelColumn>()) {
        Ok(sheet) => read_panel(name, sheet),
        Err(errors) => (Vec::new(), errors),
    };
    errors.into_result(panel)
}

/// A panel file of either format, chosen by the extension of `name` (a CSV file, or the first
/// sheet of an XLSX workbook): the experts that could be read, and every problem found, so
/// that checks against the study (`check_groups`) can add theirs to the same list.
pub fn read_panel_file(name: &str, bytes: &[u8]) -> (Vec<PanelRow>, FileErrors) {
    let sheet = match ItemsFileFormat::from_name(name) {
        Some(ItemsFileFormat::Xlsx) => read_xlsx(name, bytes, &required_header::<PanelColumn>()),
        Some(ItemsFileFormat::Csv) => {
            utf8_text(name, bytes).and_then(|text| read_csv(name, text, &required_header::<PanelColumn>()))
        }
        None => Err(FileError::whole(name, "panel files must be .csv or .xlsx").into()),
    };
    match sheet {
        Ok(sheet) => read_panel(name, sheet),
        Err(errors) => (Vec::new(), errors),
    }
}

/// `read_panel_file`, refusing the file if anything is wrong with it.
pub fn parse_panel_file(name: &str, bytes: &[u8]) -> Result<Vec<PanelRow>, FileErrors> {
    let (panel, errors) = read_panel_file(name, bytes);
    errors.into_result(panel)
}

/// One expert typed into a form, held to the rules of a panel file's row. Problems are named
/// by the form's fields (`email`, `name`, `group`, `language`, `country`), as on line 1.
pub fn one_expert(file: &str, fields: [&str; 5]) -> Result<PanelRow, FileErrors> {
    let row = SheetRow {
        line: 1,
        cells: fields.iter().map(|f| f.trim().to_owned()).collect(),
    };
    let (mut panel, errors) = read_panel(file, Sheet::typed(&FORM_COLUMNS, vec![row]));
    match panel.pop() {
        Some(expert) if errors.is_empty() => Ok(expert),
        _ => Err(errors),
    }
}

/// The columns of the console's forms and of the templates it offers, in this order.
pub const FORM_COLUMNS: [&str; 5] = ["email", "name", "group", "language", "country"];

/// The experts of a table, whatever it was read from: those whose row is valid, and the
/// problems of every other row.
pub(super) fn read_panel(file: &str, sheet: Sheet) -> (Vec<PanelRow>, FileErrors) {
    let mut panel = Vec::new();
    let mut first_lines = FirstLines::default();
    let errors = read_rows(file, sheet, |cells: &mut Cells<'_, PanelColumn>| {
        let email = email_in(cells, PanelColumn::Email);
        // Invitations and reminders greet the expert by name.
        let expert_name = cells.required(PanelColumn::Name);
        let group = cells.required(PanelColumn::Group);
        let language = match cells.get(PanelColumn::Language) {
            "" => Some(None),
            tag => match normalize_language_tag(tag) {
                Some(tag) => Some(Some(tag)),
                None => {
                    cells.problem(
                        PanelColumn::Language,
                        format!("`{tag}` is not a language tag like `en`, `fr` or `pt-BR`"),
                    );
                    None
                }
            },
        };
        let country = Some(cells.get(PanelColumn::Country))
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        if let Some(email) = &email {
            if let Some(first) = first_lines.repeats(email, cells.line()) {
                cells.problem(
                    PanelColumn::Email,
                    format!("`{email}` already appears on line {first}"),
                );
                return;
            }
        }
        if let (Some(email), Some(language), Some(expert_name), Some(group)) =
            (email, language, expert_name, group)
        {
            panel.push(PanelRow {
                line: cells.line(),
                email,
                name: expert_name.to_owned(),
                group: group.to_owned(),
                country,
                language,
            });
        }
    });
    (panel, errors)
}

/// Checks that every expert's group is a `[[group]]` of the study.
pub fn check_groups(file: &str, rows: &[PanelRow], known: &BTreeSet<String>) -> Result<(), FileErrors> {
    let refuse = |row: &PanelRow, known: &str| {
        let reason = format!("`{}` is not a group of the study (known: {known})", row.group);
        FileError::field(file, row.line, "group", reason)
    };
    unknown_references(rows, known, |row| &row.group, refuse)
}

#[cfg(test)]
mod tests {
    use super::super::file_error::{field, Location};
    use super::*;

    fn errors(content: &str) -> Vec<FileError> {
        match parse_panel_csv("panel.csv", content) {
            Ok(rows) => panic!("expected errors, got {rows:?}"),
            Err(errors) => errors.into_vec(),
        }
    }

    #[test]
    fn email_addresses_are_parsed_loosely() {
        let email = EmailAddress::parse("  Ann.Lee+delphi@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "Ann.Lee+delphi@example.org");
        assert_eq!(email.to_string(), "Ann.Lee+delphi@example.org");
        for bad in [
            "bob@",
            "@x.org",
            "bob",
            "bob@localhost",
            "a@b@c.org",
            "Bob <b@x.org>",
            "b@x..org",
            "b@.x.org",
            "b@x.org.",
            "a@x.org;b@y.org",
            "a b@x.org",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            EmailAddress::parse("bob@").unwrap_err().to_string(),
            "\"bob@\" is not an email address"
        );
        let json = serde_json::to_string(&email).unwrap();
        assert_eq!(json, "\"Ann.Lee+delphi@example.org\"");
        assert_eq!(serde_json::from_str::<EmailAddress>(&json).unwrap(), email);
        assert!(serde_json::from_str::<EmailAddress>("\"nope\"").is_err());
    }

    #[test]
    fn parses_a_panel_with_optional_columns() {
        let csv = "\u{feff}Email,Name,Group,Country,Language\r\n\
                   ann@example.org,\"Lee, Ann\",researcher,Kenya,SW\r\n\
                   bo@example.org,Bō Zhang 张博,practitioner,,\r\n";
        let rows = parse_panel_csv("panel.csv", csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "Lee, Ann");
        assert_eq!(rows[0].country.as_deref(), Some("Kenya"));
        assert_eq!(rows[0].language.as_deref(), Some("sw"));
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[1].name, "Bō Zhang 张博");
        assert_eq!(rows[1].country, None);
        assert_eq!(rows[1].language, None);
    }

    #[test]
    fn row_problems_are_all_reported() {
        let csv = "email,name,group,language\n\
                   bob@,Bob,researcher,\n\
                   ann@example.org,,,english\n";
        let e = errors(csv);
        assert_eq!(
            e[0].to_string(),
            "panel.csv: line 2, field `email`: \"bob@\" is not an email address"
        );
        let locations: Vec<&Location> = e.iter().map(|e| &e.location).collect();
        assert_eq!(
            locations,
            vec![
                &field(2, "email"),
                &field(3, "name"),
                &field(3, "group"),
                &field(3, "language"),
            ]
        );
    }

    #[test]
    fn duplicate_emails_name_both_lines() {
        let csv =
            "email,name,group\nann@example.org,Ann,r\nbob@example.org,Bob,r\nann@EXAMPLE.org,Ann again,r\n";
        let e = errors(csv);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].location, field(4, "email"));
        assert_eq!(e[0].reason, "`ann@example.org` already appears on line 2");
    }

    #[test]
    fn header_problems_and_ragged_rows() {
        let e = errors("email,name,team\nann@example.org,Ann,r\n");
        assert_eq!(e[0].location, field(1, "team"));
        assert_eq!(e[1].location, Location::Line(1));
        assert!(e[1].reason.contains("missing required column `group`"));
        let e = errors("email,name,group\nann@example.org,Ann\n");
        assert_eq!(e[0].location, Location::Line(2));
        let e = errors("");
        assert_eq!(e[0].location, Location::Whole);
        assert!(e[0].reason.contains("email,name,group"), "{}", e[0]);
    }

    #[test]
    fn check_groups_names_the_line() {
        let rows = parse_panel_csv(
            "panel.csv",
            "email,name,group\nann@example.org,Ann,researcher\nbob@example.org,Bob,reseacher\n",
        )
        .unwrap();
        let known: BTreeSet<String> = ["practitioner".to_owned(), "researcher".to_owned()].into();
        let e = check_groups("panel.csv", &rows, &known).unwrap_err();
        assert_eq!(
            e.to_string(),
            "panel.csv: line 3, field `group`: `reseacher` is not a group of the study \
             (known: practitioner, researcher)"
        );
        assert!(check_groups("panel.csv", &rows[..1], &known).is_ok());
    }
}
