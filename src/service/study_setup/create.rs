//! A new study made from the form.

use super::{Problem, SetupForm, Start};
use crate::db::DbConnection;
use crate::domain::items_file::ItemRow;
use crate::domain::study::StudyFile;
use crate::service::files::StudyBundle;
use crate::service::{demo, studies, Actor, ServiceError};

/// Creates the study the form stands for, owned by its creator. A study started from the
/// example gets the example's items too (not its panel: those addresses are made up).
pub fn create(
    conn: &mut DbConnection,
    form: &SetupForm,
    lang: &str,
    owner: &str,
    actor: &Actor,
) -> Result<studies::Created, Vec<Problem>> {
    let (mut file, scale, rules) = form.check(lang)?;
    if Start::parse(&form.start) == Some(Start::Example) {
        let example = demo::bundle().map_err(|e| vec![Problem::new("title", e.to_string())])?;
        keep_translations(&example.file, &mut file);
    }
    let items: Vec<ItemRow> = match Start::parse(&form.start) {
        Some(Start::Example) => {
            example_items(&file).map_err(|e| vec![Problem::new("title", e.to_string())])?
        }
        _ => Vec::new(),
    };
    let bundle = StudyBundle {
        file,
        scale,
        rules,
        items,
        items_file: "the example study".to_owned(),
        panel: Vec::new(),
    };
    studies::create_owned(conn, &bundle, Some(owner), actor).map_err(|e| match e {
        ServiceError::Conflict(reason) => vec![Problem::new("slug", reason)],
        other => vec![Problem::new("title", other.to_string())],
    })
}

/// The example's items, if the form kept every section they use.
fn example_items(file: &StudyFile) -> Result<Vec<ItemRow>, ServiceError> {
    let example = demo::bundle()?;
    let keys = file.section_keys();
    Ok(example
        .items
        .into_iter()
        .filter(|item| keys.contains(&item.section))
        .collect())
}

/// The translations of `from` that still fit `into` (the form does not carry them): languages
/// it still offers besides its main one, sections and groups it still has, points of its scale.
pub(super) fn keep_translations(from: &StudyFile, into: &mut StudyFile) {
    let languages = into.languages();
    let (min, max) = (into.scale.min, into.scale.max);
    let sections = into.section_keys();
    let groups = into.group_keys();
    into.translations = from
        .translations
        .iter()
        .filter(|(lang, _)| **lang != into.language && languages.contains(lang))
        .map(|(lang, texts)| {
            let mut texts = texts.clone();
            texts.sections.retain(|key, _| sections.contains(key));
            texts.groups.retain(|key, _| groups.contains(key));
            texts
                .scale_labels
                .retain(|point, _| point.parse::<i32>().is_ok_and(|p| (min..=max).contains(&p)));
            (lang.clone(), texts)
        })
        .filter(|(_, texts)| !texts.is_empty())
        .collect();
}
