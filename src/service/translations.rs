//! Translating a study in the console: every text an expert sees — the title, the welcome text,
//! the words of the scale, section titles, group names, the criteria (a rating criterion's
//! question; a CHNRI criterion's name and questions), item texts and descriptions — side by side
//! with the main language's, per language, and what is still untranslated.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::json;

use super::{studies, Actor, ServiceError};
use crate::db::models::items::Item;
use crate::db::models::studies::StudyRow;
use crate::db::{now, DbConnection};
use crate::domain::study::{Study, StudyTexts};
use crate::service::audit;

/// One text to translate: the form field that carries it, its part of the page, what it is,
/// the main language's text and the translation so far (empty when there is none).
#[derive(Debug, Clone, Serialize)]
pub struct Text {
    pub field: String,
    pub part: Part,
    /// What the text is, for the reader: a scale point, a section key, an item code.
    pub what: String,
    pub source: String,
    pub translation: String,
    /// Several lines (Markdown): shown in a text area.
    pub long: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Study,
    Scale,
    Sections,
    Groups,
    Criteria,
    Items,
}

/// A study's texts in one language.
#[derive(Debug, Clone, Serialize)]
pub struct Sheet {
    pub language: String,
    /// The languages that can be translated into (every language of the study but its main one).
    pub languages: Vec<String>,
    pub main_language: String,
    pub texts: Vec<Text>,
}

impl Sheet {
    pub fn translated(&self) -> usize {
        self.texts.iter().filter(|t| !t.translation.is_empty()).count()
    }
}

/// The languages the study can be translated into.
fn targets(study: &Study) -> Vec<String> {
    study
        .file
        .languages()
        .into_iter()
        .filter(|l| *l != study.file.language)
        .collect()
}

/// The study's texts in `language`; `None` picks its first language other than the main one.
/// NotFound-free: a study offered in one language only gets an empty list of languages.
pub fn sheet(conn: &mut DbConnection, slug: &str, language: Option<&str>) -> Result<Sheet, ServiceError> {
    let study = studies::load(conn, slug)?;
    let languages = targets(&study);
    let language = match language {
        Some(lang) if languages.iter().any(|l| l == lang) => lang.to_owned(),
        Some(lang) => {
            return Err(ServiceError::invalid(
                "language",
                format!(
                    "`{lang}` is not one of the study's other languages ({}); add it in Settings",
                    if languages.is_empty() {
                        "none yet".to_owned()
                    } else {
                        languages.join(", ")
                    }
                ),
            ))
        }
        None => languages.first().cloned().unwrap_or_default(),
    };
    let texts = if language.is_empty() {
        Vec::new()
    } else {
        texts_of(conn, &study, &language)?
    };
    Ok(Sheet {
        main_language: study.file.language.clone(),
        language,
        languages,
        texts,
    })
}

fn texts_of(conn: &mut DbConnection, study: &Study, language: &str) -> Result<Vec<Text>, ServiceError> {
    let file = &study.file;
    let have = file.translations.get(language).cloned().unwrap_or_default();
    let mut texts = Vec::new();
    let mut push =
        |field: String, part: Part, what: String, source: &str, translation: Option<&String>, long: bool| {
            if !source.trim().is_empty() {
                texts.push(Text {
                    field,
                    part,
                    what,
                    source: source.to_owned(),
                    translation: translation.cloned().unwrap_or_default(),
                    long,
                });
            }
        };
    push(
        "title".into(),
        Part::Study,
        String::new(),
        &file.title,
        have.title.as_ref(),
        false,
    );
    push(
        "description".into(),
        Part::Study,
        String::new(),
        &file.description,
        have.description.as_ref(),
        true,
    );
    for point in file.scale.min..=file.scale.max {
        let key = point.to_string();
        if let Some(words) = file.scale.labels.get(&key) {
            push(
                format!("label_{point}"),
                Part::Scale,
                key.clone(),
                words,
                have.scale_labels.get(&key),
                false,
            );
        }
    }
    // Sections, groups and rating criteria: one short text each, named by its key.
    let sections = file
        .sections
        .iter()
        .map(|s| (&s.key, &s.title, have.sections.get(&s.key)));
    let groups = file
        .groups
        .iter()
        .map(|g| (&g.key, &g.name, have.groups.get(&g.key)));
    let criteria = file
        .criteria
        .iter()
        .map(|c| (&c.key, &c.label, c.labels.get(language)));
    let keyed: [(_, _, Vec<_>); 3] = [
        ("section", Part::Sections, sections.collect()),
        ("group", Part::Groups, groups.collect()),
        ("criterion", Part::Criteria, criteria.collect()),
    ];
    for (prefix, part, entries) in keyed {
        for (key, text, had) in entries {
            push(format!("{prefix}_{key}"), part, key.clone(), text, had, false);
        }
    }
    for criterion in file.chnri_criteria() {
        let have = criterion.translations.get(language);
        push(
            format!("chnri_{}", criterion.key),
            Part::Criteria,
            criterion.key.clone(),
            &criterion.label,
            have.and_then(|t| t.label.as_ref()),
            false,
        );
        for (i, question) in criterion.questions.iter().enumerate() {
            push(
                format!("chnriq_{}_{}", criterion.key, i + 1),
                Part::Criteria,
                criterion.key.clone(),
                question,
                have.and_then(|t| t.questions.get(i)),
                false,
            );
        }
    }
    let mut translated: HashMap<i64, (String, Option<String>)> = Item::translations_of_study(conn, study.id)?
        .into_iter()
        .filter(|t| t.language == language)
        .map(|t| (t.item_id, (t.text, t.description)))
        .collect();
    for item in Item::of_study(conn, study.id)?
        .into_iter()
        .filter(|i| i.retired_at.is_none())
    {
        let (text, description) = translated.remove(&item.id).unwrap_or_default();
        push(
            format!("item_{}", item.code),
            Part::Items,
            item.code.clone(),
            &item.text,
            Some(&text),
            false,
        );
        if let Some(source) = &item.description {
            push(
                format!("itemdesc_{}", item.code),
                Part::Items,
                item.code.clone(),
                source,
                description.as_ref(),
                true,
            );
        }
    }
    Ok(texts)
}

/// A CHNRI criterion's name and questions in `language` as the form carries them: its questions
/// are translated all together or not at all (a reader gets one language per criterion).
fn save_chnri_criterion(
    criterion: &mut crate::domain::chnri::Criterion,
    language: &str,
    posted: &HashMap<&str, String>,
) -> Result<(), ServiceError> {
    let key = criterion.key.clone();
    let mut texts = criterion
        .translations
        .remove(language)
        .unwrap_or(crate::domain::chnri::CriterionTexts {
            label: None,
            questions: Vec::new(),
        });
    if let Some(label) = posted.get(format!("chnri_{key}").as_str()) {
        texts.label = (!label.is_empty()).then(|| label.clone());
    }
    let count = criterion.questions.len();
    let questions: Vec<String> = (0..count)
        .map(|i| {
            posted
                .get(format!("chnriq_{key}_{}", i + 1).as_str())
                .cloned()
                .unwrap_or_else(|| texts.questions.get(i).cloned().unwrap_or_default())
        })
        .collect();
    let given = questions.iter().filter(|q| !q.is_empty()).count();
    if given != 0 && given != count {
        let first_missing = questions.iter().position(String::is_empty).unwrap_or(0) + 1;
        return Err(ServiceError::invalid(
            format!("chnriq_{key}_{first_missing}"),
            format!(
                "criterion {key}: translate all {count} of its questions, or none (question {first_missing} is empty)"
            ),
        ));
    }
    texts.questions = if given == 0 { Vec::new() } else { questions };
    if texts.label.is_some() || !texts.questions.is_empty() {
        criterion.translations.insert(language.to_owned(), texts);
    }
    Ok(())
}

/// Saves the translations into `language` that the form carries (fields it does not carry stay
/// as they are; an emptied field removes that translation). The number of texts changed.
pub fn save(
    conn: &mut DbConnection,
    slug: &str,
    language: &str,
    fields: &[(String, String)],
    actor: &Actor,
) -> Result<usize, ServiceError> {
    studies::write(conn, slug, |conn, study| {
        if !targets(study).iter().any(|l| l == language) {
            return Err(ServiceError::invalid(
                "language",
                format!("`{language}` is not one of the study's other languages; add it in Settings"),
            ));
        }
        let posted: HashMap<&str, String> = fields
            .iter()
            .map(|(name, value)| (name.as_str(), value.replace("\r\n", "\n").trim().to_owned()))
            .collect();
        let before = texts_of(conn, study, language)?;
        let changed: Vec<&Text> = before
            .iter()
            .filter(|t| posted.get(t.field.as_str()).is_some_and(|v| *v != t.translation))
            .collect();
        if changed.is_empty() {
            return Ok(0);
        }
        // An item's description in a language needs the item's text in that language.
        for text in before.iter().filter(|t| t.field.starts_with("itemdesc_")) {
            let code = &text.what;
            let item_text = posted
                .get(format!("item_{code}").as_str())
                .cloned()
                .or_else(|| {
                    before
                        .iter()
                        .find(|t| t.field == format!("item_{code}"))
                        .map(|t| t.translation.clone())
                })
                .unwrap_or_default();
            let description = posted
                .get(text.field.as_str())
                .cloned()
                .unwrap_or_else(|| text.translation.clone());
            if item_text.is_empty() && !description.is_empty() {
                return Err(ServiceError::invalid(
                    format!("item_{code}"),
                    format!("item {code}: translate its text too, not only its description"),
                ));
            }
        }
        let mut file = study.file.clone();
        let mut texts: StudyTexts = file.translations.remove(language).unwrap_or_default();
        let value = |field: &str, now: &Option<String>| -> Option<String> {
            match posted.get(field) {
                Some(v) if v.is_empty() => None,
                Some(v) => Some(v.clone()),
                None => now.clone(),
            }
        };
        texts.title = value("title", &texts.title);
        texts.description = value("description", &texts.description);
        let set = |map: &mut std::collections::BTreeMap<String, String>, key: &str, field: String| {
            if let Some(v) = posted.get(field.as_str()) {
                if v.is_empty() {
                    map.remove(key);
                } else {
                    map.insert(key.to_owned(), v.clone());
                }
            }
        };
        for point in file.scale.min..=file.scale.max {
            set(
                &mut texts.scale_labels,
                &point.to_string(),
                format!("label_{point}"),
            );
        }
        for section in &file.sections {
            set(
                &mut texts.sections,
                &section.key,
                format!("section_{}", section.key),
            );
        }
        for group in &file.groups {
            set(&mut texts.groups, &group.key, format!("group_{}", group.key));
        }
        if !texts.is_empty() {
            file.translations.insert(language.to_owned(), texts);
        }
        // Criteria keep their translations where the study file does: beside each criterion.
        for criterion in &mut file.criteria {
            let key = criterion.key.clone();
            set(&mut criterion.labels, language, format!("criterion_{key}"));
        }
        if let Some(chnri) = &mut file.chnri {
            for criterion in &mut chnri.criteria {
                save_chnri_criterion(criterion, language, &posted)?;
            }
        }
        let at = now();
        let definition =
            serde_json::to_string(&file).map_err(|e| ServiceError::invalid("study", e.to_string()))?;
        StudyRow::set_definition(conn, study.id, &definition, at)?;

        let items = Item::of_study(conn, study.id)?;
        let mut all: HashMap<i64, Vec<(String, String, Option<String>)>> = HashMap::new();
        for t in Item::translations_of_study(conn, study.id)? {
            all.entry(t.item_id)
                .or_default()
                .push((t.language, t.text, t.description));
        }
        for item in items.iter().filter(|i| i.retired_at.is_none()) {
            let text_field = format!("item_{}", item.code);
            let desc_field = format!("itemdesc_{}", item.code);
            if !posted.contains_key(text_field.as_str()) && !posted.contains_key(desc_field.as_str()) {
                continue;
            }
            let mut list = all.remove(&item.id).unwrap_or_default();
            let current = list.iter().position(|(l, _, _)| l == language);
            let (old_text, old_desc) = current
                .map(|i| (list[i].1.clone(), list[i].2.clone()))
                .unwrap_or_default();
            let text = posted
                .get(text_field.as_str())
                .cloned()
                .unwrap_or(old_text.clone());
            let description = match posted.get(desc_field.as_str()) {
                Some(d) if d.is_empty() => None,
                Some(d) => Some(d.clone()),
                None => old_desc.clone(),
            };
            if text == old_text && description == old_desc {
                continue;
            }
            if let Some(i) = current {
                list.remove(i);
            }
            if !text.is_empty() {
                list.push((language.to_owned(), text, description));
            }
            Item::set_translations(conn, item.id, &list)?;
        }
        audit::log(
            conn,
            study,
            actor,
            "study.translations",
            json!({ "language": language, "changed": changed.len() }),
            at,
        )?;
        Ok(changed.len())
    })
}
