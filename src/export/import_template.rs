//! The templates the console's import pages offer for download (CSV and XLSX): the header row
//! the importer reads and two example rows filled with the study's own section and group keys,
//! so that a researcher starts from a file that imports as it is and replaces the examples.
//! Cells are our own keys and wordings, written as they are (no formula guard, which would add
//! a `'` that the importer would then read back).

use std::collections::{BTreeMap, BTreeSet};

use super::{csv_file, xlsx, ExportError};
use crate::domain::panel_file::FORM_COLUMNS;
use crate::service::import_preview::{ResponsesKind, TemplateKeys};

/// A header row and the example rows under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Template {
    pub fn csv(&self) -> Result<String, ExportError> {
        Ok(csv_file::write(&self.header, self.rows.iter().cloned())?)
    }

    /// A workbook whose first (and only) sheet, `sheet`, holds the template.
    pub fn xlsx(&self, sheet: &str) -> Result<Vec<u8>, ExportError> {
        xlsx::one_sheet(sheet, &self.csv()?)
    }

    /// The first example's value in `column` ("" when there is none).
    pub fn example(&self, column: &str) -> &str {
        self.header
            .iter()
            .position(|h| h == column)
            .and_then(|i| self.rows.first()?.get(i))
            .map_or("", String::as_str)
    }
}

/// The wording of an example item in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wording {
    pub text: String,
    pub description: String,
}

/// The items template: `code, section, text, description`, then `text_<lang>` and
/// `description_<lang>` for every language the study's items are translated into and every
/// language `wordings` has, but the study's own. `wordings` holds the two examples' wordings
/// per language; the second example has no description, to show it is optional.
pub fn items(keys: &TemplateKeys, wordings: &BTreeMap<String, [Wording; 2]>) -> Template {
    let translated: BTreeSet<&String> = keys
        .translations
        .iter()
        .chain(wordings.keys())
        .filter(|lang| **lang != keys.language)
        .collect();
    let mut header: Vec<String> = ["code", "section", "text", "description"]
        .map(str::to_owned)
        .to_vec();
    for lang in &translated {
        header.push(format!("text_{lang}"));
        header.push(format!("description_{lang}"));
    }
    let rows = keys
        .examples
        .iter()
        .enumerate()
        .map(|(n, (code, section))| {
            let wording = |lang: &str| wordings.get(lang).and_then(|w| w.get(n));
            let own = wording(&keys.language);
            let describe = |w: Option<&Wording>| match w {
                Some(w) if n == 0 => w.description.clone(),
                _ => String::new(),
            };
            let mut row = vec![
                code.clone(),
                section.clone(),
                own.map(|w| w.text.clone()).unwrap_or_default(),
                describe(own),
            ];
            for lang in &translated {
                let theirs = wording(lang);
                row.push(theirs.map(|w| w.text.clone()).unwrap_or_default());
                row.push(describe(theirs));
            }
            row
        })
        .collect();
    Template { header, rows }
}

/// The `n`th of the study's keys for an example row, the first when the study has fewer, empty
/// when it has none (the template still shows where the key goes).
fn nth_or_first(keys: &[String], n: usize) -> String {
    keys.get(n).or_else(|| keys.first()).cloned().unwrap_or_default()
}

/// The panel template: `email, name, group, language, country`, the order of the console's
/// form and pasted lines; the second example leaves the two optional columns empty.
pub fn panel(keys: &TemplateKeys) -> Template {
    let group = |n: usize| nth_or_first(&keys.groups, n);
    let rows = vec![
        vec![
            "amina.diallo@example.org".to_owned(),
            "Amina Diallo".to_owned(),
            group(0),
            "fr".to_owned(),
            "SN".to_owned(),
        ],
        vec![
            "grace.kamau@example.org".to_owned(),
            "Grace Kamau".to_owned(),
            group(1),
            String::new(),
            String::new(),
        ],
    ];
    Template {
        header: FORM_COLUMNS.map(str::to_owned).to_vec(),
        rows,
    }
}

/// The responses template of the kind the study takes now (`ResponsesKind::columns`), two
/// rows from the study's own experts, items and criteria: a rating on the scale's top point
/// and an "unable to score"; two questions of the first CHNRI criterion; a ranking's first
/// two places.
pub fn responses(keys: &TemplateKeys) -> Template {
    let r = &keys.responses;
    let expert = r
        .experts
        .first()
        .cloned()
        .unwrap_or_else(|| "amina.diallo@example.org".into());
    let item = |n: usize| nth_or_first(&r.items, n);
    let criteria = !r.criteria.is_empty();
    let rows = match r.kind {
        ResponsesKind::Ratings => [(r.score.to_string(), "Seen in two trials"), ("U".into(), "")]
            .into_iter()
            .enumerate()
            .map(|(n, (score, comment))| {
                let mut row = vec![expert.clone(), item(n)];
                if let Some(criterion) = r.criteria.first().filter(|_| criteria) {
                    row.push(criterion.clone());
                }
                row.extend([score, comment.to_owned()]);
                row
            })
            .collect(),
        ResponsesKind::Chnri => {
            let (criterion, questions) = r.chnri.first().cloned().unwrap_or_default();
            [("1", "yes"), ("2", "dont_know")]
                .into_iter()
                .take(questions.max(1))
                .map(|(question, answer)| {
                    vec![
                        expert.clone(),
                        item(0),
                        criterion.clone(),
                        question.into(),
                        answer.into(),
                    ]
                })
                .collect()
        }
        ResponsesKind::Ranking => (0..2)
            .map(|n| vec![expert.clone(), item(n), (n + 1).to_string()])
            .collect(),
    };
    Template {
        header: r.kind.columns(criteria).iter().map(|c| (*c).to_owned()).collect(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{chnri, items_file, panel_file, ranking, responses_file};
    use crate::service::import_preview::ResponsesKeys;

    fn keys() -> TemplateKeys {
        TemplateKeys {
            sections: vec!["maternal".into(), "infant".into()],
            groups: vec!["researcher".into()],
            language: "en".into(),
            translations: vec!["pt-BR".into()],
            examples: vec![("M13".into(), "maternal".into()), ("I04".into(), "infant".into())],
            responses: ResponsesKeys {
                kind: ResponsesKind::Ratings,
                experts: vec!["a@example.org".into()],
                items: vec!["M01".into(), "I01".into()],
                criteria: Vec::new(),
                chnri: vec![("answerability".into(), 2)],
                score: 9,
            },
        }
    }

    fn responses_of(kind: ResponsesKind, criteria: &[&str]) -> Template {
        let mut keys = keys();
        keys.responses.kind = kind;
        keys.responses.criteria = criteria.iter().map(|c| (*c).to_owned()).collect();
        responses(&keys)
    }

    fn wordings() -> BTreeMap<String, [Wording; 2]> {
        let w = |text: &str, description: &str| Wording {
            text: text.into(),
            description: description.into(),
        };
        [
            (
                "en".to_owned(),
                [w("Serum zinc", "Why"), w("Birth weight", "Unused")],
            ),
            (
                "fr".to_owned(),
                [w("Zinc sérique", "Pourquoi"), w("Poids de naissance", "")],
            ),
        ]
        .into()
    }

    #[test]
    fn the_items_template_reads_back_as_the_examples_in_both_formats() {
        let template = items(&keys(), &wordings());
        assert_eq!(
            template.header,
            [
                "code",
                "section",
                "text",
                "description",
                "text_fr",
                "description_fr",
                "text_pt-BR",
                "description_pt-BR"
            ]
        );
        assert_eq!(template.example("description_fr"), "Pourquoi");
        let csv = template.csv().unwrap();
        let from_csv = items_file::parse_items_csv("items.csv", &csv).unwrap();
        let from_xlsx = items_file::parse_items_xlsx("items.xlsx", &template.xlsx("items").unwrap()).unwrap();
        assert_eq!(from_csv, from_xlsx);
        assert_eq!(from_csv[0].code, "M13");
        assert_eq!(from_csv[0].translations["fr"].text, "Zinc sérique");
        assert!(!from_csv[0].translations.contains_key("pt-BR"));
        assert_eq!(from_csv[1].section, "infant");
        assert_eq!(from_csv[1].description, None);
    }

    #[test]
    fn the_panel_template_reads_back_with_a_group_of_the_study() {
        let template = panel(&keys());
        let bytes = template.xlsx("panel").unwrap();
        let (rows, errors) = panel_file::read_panel_file("panel.xlsx", &bytes);
        assert!(errors.is_empty(), "{errors}");
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.group == "researcher"));
        assert_eq!(rows[0].language.as_deref(), Some("fr"));
        assert_eq!(rows[1].language, None);
        let csv = template.csv().unwrap();
        assert_eq!(panel_file::parse_panel_csv("panel.csv", &csv).unwrap(), rows);
    }

    #[test]
    fn each_responses_template_reads_back_with_the_parser_of_its_kind() {
        let ratings = responses_of(ResponsesKind::Ratings, &[]).csv().unwrap();
        let parsed = responses_file::parse_responses_csv("r.csv", &ratings).unwrap();
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.rows[0].item, "M01");
        let with_criteria = responses_of(ResponsesKind::Ratings, &["importance"]);
        assert_eq!(with_criteria.example("criterion"), "importance");
        responses_file::parse_responses_csv("r.csv", &with_criteria.csv().unwrap()).unwrap();
        let chnri = responses_of(ResponsesKind::Chnri, &[]).csv().unwrap();
        let parsed = chnri::responses::parse_chnri_responses_csv("c.csv", &chnri).unwrap();
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.rows[1].question, 2);
        assert_eq!(parsed.rows[1].answer.map(|a| a.as_str()), Some("dont_know"));
        let ranking = responses_of(ResponsesKind::Ranking, &[]).csv().unwrap();
        let parsed = ranking::parse_rankings_csv("k.csv", &ranking).unwrap();
        assert_eq!(
            parsed
                .rows
                .iter()
                .map(|r| (r.item.as_str(), r.position))
                .collect::<Vec<_>>(),
            [("M01", 1), ("I01", 2)]
        );
    }
}
