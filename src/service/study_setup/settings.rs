//! The Settings page: what may still change, and saving it.

use serde::Serialize;
use serde_json::json;

use super::create::keep_translations;
use super::{PriorityForm, Problem, SetupForm, Start};
use crate::db::models::experts::Expert;
use crate::db::models::items::Item;
use crate::db::models::rounds::Round;
use crate::db::models::studies::StudyRow;
use crate::db::{now, DbConnection};
use crate::domain::allocation::check_min_raters;
use crate::domain::round::{RoundKind, RoundState};
use crate::domain::study::{Anonymity, ItemsSource, StudyFile};
use crate::i18n;
use crate::service::audit;
use crate::service::{studies, Actor, ServiceError};

/// What the Settings page may change once a study exists.
#[derive(Debug, Clone, Serialize)]
pub struct SettingsState {
    /// Round 1 opened: the scale and the consensus rule are fixed.
    pub locked: bool,
    /// Rounds opened so far; `rounds.max` may not go below it.
    pub rounds_opened: usize,
    /// A round opened: the method, the criteria (rating or CHNRI) and how they combine are
    /// fixed, as experts have been asked (or are being asked) exactly these.
    pub method_locked: bool,
    /// A ranking round opened: `[ranking]` is fixed, its answers are positions out of `choose`.
    pub ranking_locked: bool,
    /// The ideas round opened: `[ideas]` is fixed, experts have read its prompt.
    pub ideas_locked: bool,
    /// A round is taking answers: `[feedback] timing` waits for its close, since switching it
    /// mid-round would hold back feedback experts have already seen, or show what was held.
    pub round_open: bool,
}

impl SettingsState {
    fn of(
        conn: &mut DbConnection,
        study: &crate::domain::study::Study,
    ) -> Result<SettingsState, ServiceError> {
        let rounds = Round::of_study(conn, study.id)?;
        Ok(SettingsState {
            locked: study.rule_hash.is_some(),
            rounds_opened: rounds.len(),
            method_locked: !rounds.is_empty() || study.rule_hash.is_some(),
            ranking_locked: rounds.iter().any(|r| r.kind == RoundKind::Ranking),
            ideas_locked: Round::ideas_of_study(conn, study.id)?.is_some(),
            round_open: rounds.iter().any(|r| r.status == RoundState::Open),
        })
    }
}

pub fn settings_state(
    conn: &mut DbConnection,
    slug: &str,
) -> Result<(StudyFile, SettingsState), ServiceError> {
    let study = studies::load(conn, slug)?;
    let state = SettingsState::of(conn, &study)?;
    let mut file = study.file.clone();
    file.anonymity = study.anonymity;
    Ok((file, state))
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
        let state = SettingsState::of(conn, study)?;
        let locked = state.locked;
        keep_locked_priorities(&mut edited.priorities, &stored.priorities, &state);
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
        let opened = state.rounds_opened;
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
        // The form never carries the seed: it is drawn when a round opens and then kept.
        file.rounds.seed = study.file.rounds.seed;
        if let Some(problem) = draw_problem(&study.file, &file, opened, lang) {
            return Ok(Err(vec![problem]));
        }
        if state.round_open && file.feedback.timing != study.file.feedback.timing {
            return Ok(Err(vec![Problem::new(
                "feedback_timing",
                i18n::translate(lang, "setup-timing-while-open", &[]),
            )]));
        }
        if let Some(problem) = panel_problem(conn, study, &file, lang)? {
            return Ok(Err(vec![problem]));
        }
        file.items = study.file.items.clone();
        file.panel = study.file.panel.clone();
        keep_translations(&study.file, &mut file);
        keep_criterion_texts(&study.file, &mut file);
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
        // A criterion on a scale of its own keeps a rule that fits it, whatever the edit.
        let misfit = file.criteria.iter().find_map(|c| {
            let scale = c.scale.as_ref()?;
            let reason = crate::domain::study::criteria::misfit(scale, &c.rule, &file.consensus)?;
            // The primary rule is the form's preset and lists; an alternative, its own field.
            let field = if c.rule == crate::domain::rule::PRIMARY {
                "rule_preset"
            } else {
                "alternatives"
            };
            Some((field, format!("criterion `{}`: {reason}", c.key)))
        });
        if let Some((field, reason)) = misfit {
            return Ok(Err(vec![Problem::new(field, reason)]));
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
            &crate::db::models::studies::Described::of(&file, &definition),
            rule_set.as_deref(),
            at,
        )?;
        audit::log(
            conn,
            study,
            actor,
            "study.settings",
            json!({ "changed": changed }),
            at,
        )?;
        Ok(Ok(changed))
    })
    .map_err(fail)?
}

/// Once a round has opened, its pages were drawn from these keys: a change would make the data
/// package's seed and settings redraw other pages than the experts saw.
fn draw_problem(before: &StudyFile, after: &StudyFile, opened: usize, lang: &str) -> Option<Problem> {
    if opened == 0 {
        return None;
    }
    let (was, now) = (&before.rounds, &after.rounds);
    let changed = [
        ("order", "rounds.order", was.order != now.order),
        (
            "order",
            "rounds.sections_fixed",
            was.sections_fixed != now.sections_fixed,
        ),
        (
            "items_per_expert",
            "rounds.items_per_expert",
            was.items_per_expert != now.items_per_expert,
        ),
        (
            "min_raters",
            "rounds.min_raters",
            was.min_raters != now.min_raters,
        ),
    ];
    let (field, key, _) = changed.into_iter().find(|(_, _, differs)| *differs)?;
    Some(Problem::new(
        field,
        i18n::translate(lang, "setup-draws-locked", &[("key", key.into())]),
    ))
}

/// With subsets, a panel too small to give every item `min_raters` raters is refused while
/// there is still time to change the settings (`allocation::check_min_raters`); a study with
/// no panel yet is not judged.
fn panel_problem(
    conn: &mut DbConnection,
    study: &crate::domain::study::Study,
    file: &StudyFile,
    lang: &str,
) -> Result<Option<Problem>, ServiceError> {
    let Some(per_expert) = file.rounds.items_per_expert else {
        return Ok(None);
    };
    let experts = Expert::of_study(conn, study.id)?
        .iter()
        .filter(|e| e.withdrawn_at.is_none())
        .count() as u64;
    let items = Item::of_study(conn, study.id)?
        .iter()
        .filter(|i| i.retired_at.is_none())
        .count() as u64;
    if experts == 0 || items == 0 {
        return Ok(None);
    }
    Ok(
        check_min_raters(experts, items, per_expert, file.rounds.min_raters)
            .err()
            .map(|reason| {
                Problem::new(
                    "min_raters",
                    i18n::translate(lang, "setup-min-raters-panel", &[("reason", reason.into())]),
                )
            }),
    )
}

/// The form's priority-setting fields that may no longer change, put back as stored.
fn keep_locked_priorities(edited: &mut PriorityForm, stored: &PriorityForm, state: &SettingsState) {
    if state.method_locked {
        edited.method = stored.method.clone();
        edited.criteria = stored.criteria.clone();
        edited.combine = stored.combine.clone();
        edited.combine_criterion = stored.combine_criterion.clone();
        edited.chnri = stored.chnri.clone();
    }
    if state.ranking_locked {
        edited.ranking = stored.ranking;
        edited.ranking_choose = stored.ranking_choose.clone();
        edited.ranking_combine = stored.ranking_combine.clone();
        edited.ranking_sections = stored.ranking_sections.clone();
    }
    if state.ideas_locked {
        edited.ideas = stored.ideas;
        edited.ideas_prompt = stored.ideas_prompt.clone();
        edited.ideas_per_expert = stored.ideas_per_expert.clone();
        edited.ideas_sections = stored.ideas_sections.clone();
    }
}

/// What the form does not carry about a criterion that keeps its key: the rule it is judged by
/// (an alternative is chosen in the study file), its own scale and its translations, in the languages the
/// study still offers (a CHNRI criterion's questions only while their number is the same).
fn keep_criterion_texts(before: &StudyFile, after: &mut StudyFile) {
    let languages = after.languages();
    for criterion in &mut after.criteria {
        if let Some(old) = before.criteria.iter().find(|c| c.key == criterion.key) {
            criterion.rule = old.rule.clone();
            // The form shows a criterion's own scale but does not edit it.
            criterion.scale = old.scale.clone();
            criterion.labels = old
                .labels
                .iter()
                .filter(|(lang, _)| languages.contains(lang))
                .map(|(lang, label)| (lang.clone(), label.clone()))
                .collect();
        }
    }
    let (Some(old), Some(new)) = (&before.chnri, &mut after.chnri) else {
        return;
    };
    for criterion in &mut new.criteria {
        if let Some(was) = old.criteria.iter().find(|c| c.key == criterion.key) {
            let count = criterion.questions.len();
            criterion.translations = was
                .translations
                .iter()
                .filter(|(lang, _)| languages.contains(lang))
                .map(|(lang, texts)| {
                    let mut texts = texts.clone();
                    if texts.questions.len() != count {
                        texts.questions.clear();
                    }
                    (lang.clone(), texts)
                })
                .collect();
        }
    }
}

/// The settings `after` changes from `before`, named as the study file names them.
fn changed_settings(before: &StudyFile, anonymity: Anonymity, after: &StudyFile) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let pairs: [(&'static str, bool); 15] = [
        ("method", before.method != after.method),
        ("criterion", before.criteria != after.criteria),
        ("chnri", before.chnri != after.chnri),
        ("ranking", before.ranking != after.ranking),
        ("ideas", before.ideas != after.ideas),
        ("title", before.title != after.title),
        ("description", before.description != after.description),
        ("language", before.language != after.language),
        ("languages", before.languages() != after.languages()),
        ("timezone", before.timezone != after.timezone),
        ("anonymity", anonymity != after.anonymity),
        ("scale", before.scale != after.scale),
        ("consensus", before.consensus != after.consensus),
        ("rounds", before.rounds != after.rounds),
        ("feedback", before.feedback != after.feedback),
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
