//! The Settings page: what may still change, and saving it.

use serde::Serialize;
use serde_json::json;

use super::create::keep_translations;
use super::{Problem, SetupForm, Start};
use crate::db::models::audit::AuditEntry;
use crate::db::models::rounds::Round;
use crate::db::models::studies::StudyRow;
use crate::db::{now, DbConnection};
use crate::domain::study::{Anonymity, ItemsSource, StudyFile};
use crate::i18n;
use crate::service::{studies, Actor, ServiceError};

/// What the Settings page may change once a study exists.
#[derive(Debug, Clone, Serialize)]
pub struct SettingsState {
    /// Round 1 opened: the scale and the consensus rule are fixed.
    pub locked: bool,
    /// Rounds opened so far; `rounds.max` may not go below it.
    pub rounds_opened: usize,
}

pub fn settings_state(
    conn: &mut DbConnection,
    slug: &str,
) -> Result<(StudyFile, SettingsState), ServiceError> {
    let study = studies::load(conn, slug)?;
    let rounds_opened = Round::count_of(conn, study.id)? as usize;
    let mut file = study.file.clone();
    file.anonymity = study.anonymity;
    Ok((
        file,
        SettingsState {
            locked: study.rule_hash.is_some(),
            rounds_opened,
        },
    ))
}

/// Saves the Settings page. The slug, sections and groups are not changed here (the slug is in
/// every link already sent; sections and groups are edited on the content page); the scale and
/// the consensus rule only until round 1 locks them.
pub fn update(
    conn: &mut DbConnection,
    slug: &str,
    form: &SetupForm,
    lang: &str,
    actor: &Actor,
) -> Result<Vec<&'static str>, Vec<Problem>> {
    let fail = |e: ServiceError| vec![Problem::new("title", e.to_string())];
    studies::write(conn, slug, |conn, study| {
        let mut edited = form.clone();
        edited.slug = study.slug.clone();
        let stored = SetupForm::from_file(&study.file, Start::Blank);
        edited.groups = stored.groups;
        edited.sections = stored.sections;
        let locked = study.rule_hash.is_some();
        if locked {
            edited.scale = stored.scale;
            edited.scale_min = stored.scale_min;
            edited.scale_max = stored.scale_max;
            edited.labels = stored.labels;
            edited.unable_to_score = stored.unable_to_score;
            edited.rule = stored.rule;
        }
        let (mut file, _scale, rules) = match edited.check(lang) {
            Ok(checked) => checked,
            Err(problems) => return Ok(Err(problems)),
        };
        let opened = Round::count_of(conn, study.id)? as usize;
        if (file.rounds.max as usize) < opened {
            return Ok(Err(vec![Problem::new(
                "rounds_max",
                i18n::translate(lang, "setup-max-below-opened", &[("n", (opened as i64).into())]),
            )]));
        }
        if locked {
            file.scale = study.file.scale.clone();
            file.consensus = study.file.consensus.clone();
        }
        file.items = study.file.items.clone();
        file.panel = study.file.panel.clone();
        keep_translations(&study.file, &mut file);
        // Criteria come from the study file and the form does not show them: they stay, and so
        // does how they combine, with the alternative each criterion is judged by.
        file.criteria = study.file.criteria.clone();
        file.consensus.combine = study.file.consensus.combine.clone();
        let orphan = file.criteria.iter().find(|c| {
            c.rule != crate::domain::rule::PRIMARY && !file.consensus.alternatives.contains_key(&c.rule)
        });
        if let Some(criterion) = orphan {
            return Ok(Err(vec![Problem::new(
                "alternatives",
                format!(
                    "the criterion `{}` is judged by the alternative `{}`: keep that alternative",
                    criterion.key, criterion.rule
                ),
            )]));
        }
        let changed = changed_settings(&study.file, study.anonymity, &file);
        if changed.is_empty() {
            return Ok(Ok(changed));
        }
        let definition =
            serde_json::to_string(&file).map_err(|e| ServiceError::invalid("study", e.to_string()))?;
        let rule_set = if locked {
            None
        } else {
            Some(
                serde_json::to_string(&rules)
                    .map_err(|e| ServiceError::invalid("consensus", e.to_string()))?,
            )
        };
        let at = now();
        StudyRow::set_settings(
            conn,
            study.id,
            &crate::db::models::studies::Settings {
                title: &file.title,
                description: &file.description,
                language: &file.language,
                timezone: file.timezone.name(),
                anonymity: file.anonymity.as_str(),
                definition: &definition,
                rule_set: rule_set.as_deref(),
            },
            at,
        )?;
        AuditEntry::append(
            conn,
            Some(study.id),
            &actor.0,
            "study.settings",
            &json!({ "changed": changed }),
            at,
        )?;
        Ok(Ok(changed))
    })
    .map_err(fail)?
}

/// The settings `after` changes from `before`, named as the study file names them.
fn changed_settings(before: &StudyFile, anonymity: Anonymity, after: &StudyFile) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let pairs: [(&'static str, bool); 9] = [
        ("title", before.title != after.title),
        ("description", before.description != after.description),
        ("language", before.language != after.language),
        ("languages", before.languages() != after.languages()),
        ("timezone", before.timezone != after.timezone),
        ("anonymity", anonymity != after.anonymity),
        ("scale", before.scale != after.scale),
        ("consensus", before.consensus != after.consensus),
        ("rounds", before.rounds != after.rounds),
    ];
    for (name, differs) in pairs {
        if differs {
            changed.push(name);
        }
    }
    changed
}

/// Whether the study's items come from the study file itself (shown on the Settings page).
pub fn items_inline(file: &StudyFile) -> bool {
    matches!(file.items, ItemsSource::Inline(_))
}
