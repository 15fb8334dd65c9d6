//! `delphi demo`: the example study (examples/lactation-micronutrients), embedded in the binary
//! so it works from any folder.

use super::files::{study_from_sources, StudyBundle};
use super::studies::{self, Created};
use super::{Actor, ServiceError};
use crate::db::models::studies::StudyRow;
use crate::db::DbConnection;
use crate::domain::file_error::{FileError, FileErrors};

const STUDY: &str = include_str!("../../examples/lactation-micronutrients/study.toml");
const ITEMS: &[u8] = include_bytes!("../../examples/lactation-micronutrients/items.csv");
const PANEL: &[u8] = include_bytes!("../../examples/lactation-micronutrients/panel.csv");

/// The example study as a validated bundle.
pub fn bundle() -> Result<StudyBundle, FileErrors> {
    study_from_sources(
        "examples/lactation-micronutrients/study.toml",
        STUDY,
        &|reference| match reference {
            "items.csv" => Ok((
                "examples/lactation-micronutrients/items.csv".into(),
                ITEMS.to_vec(),
            )),
            "panel.csv" => Ok((
                "examples/lactation-micronutrients/panel.csv".into(),
                PANEL.to_vec(),
            )),
            other => Err(FileErrors(vec![FileError::whole(
                other,
                "not part of the embedded example",
            )])),
        },
    )
}

pub enum DemoOutcome {
    Created(Created),
    AlreadyThere(String),
}

/// Creates the example study unless a study with its slug exists (idempotent).
pub fn load(conn: &mut DbConnection, actor: &Actor) -> Result<DemoOutcome, ServiceError> {
    let bundle = bundle()?;
    if StudyRow::by_slug(conn, &bundle.file.slug)?.is_some() {
        return Ok(DemoOutcome::AlreadyThere(bundle.file.slug));
    }
    match studies::create(conn, &bundle, actor) {
        Ok(created) => Ok(DemoOutcome::Created(created)),
        // Another process created it between our check and our insert: still idempotent.
        Err(ServiceError::Conflict(_)) => Ok(DemoOutcome::AlreadyThere(bundle.file.slug)),
        Err(e) => Err(e),
    }
}

/// What [`sample_rounds`] did.
#[derive(Debug)]
pub struct SampleRounds {
    /// Rounds answered by the whole panel and closed.
    pub closed: Vec<super::rounds::Closed>,
    /// The round left open for the reader to try, if the study is not finished.
    pub open: Option<i32>,
}

/// Sample answers for a study to look at: opens and answers `rounds` rounds with made-up but
/// varied scores from every invited expert (a quarter of the items near agreement, a quarter
/// near rejection, the rest divided), closes each, then opens the next so a reader finds a
/// round with feedback. For `delphi demo --answers`, screenshots and the pages' browser tests;
/// never for a real study (the answers are invented, and said to be in every comment).
pub fn sample_rounds(
    conn: &mut DbConnection,
    slug: &str,
    rounds: usize,
    links: &crate::domain::link::LinkBase,
    actor: &Actor,
) -> Result<SampleRounds, ServiceError> {
    use super::ratings::{record, AnswerInput};
    use crate::db::models::invitations::Invitation;
    use crate::db::models::rounds::Round;
    use crate::domain::answer::Answer;

    let mut closed = Vec::new();
    for _ in 0..rounds {
        let study = studies::load(conn, slug)?;
        let round = match Round::open_of_study(conn, study.id)? {
            Some(round) => round,
            None => {
                super::rounds::open(conn, slug, None, links, actor)?;
                Round::open_of_study(conn, study.id)?
                    .ok_or_else(|| ServiceError::invalid("round", "the round just opened is not open"))?
            }
        };
        let (min, max) = (study.scale.min(), study.scale.max());
        let codes: Vec<String> = study_codes(conn, slug)?;
        for (n, invitation) in Invitation::of_round(conn, round.id)?.iter().enumerate() {
            for (i, code) in codes.iter().enumerate() {
                if Round::item_by_code(conn, round.id, code)?.is_none() {
                    continue;
                }
                let answer = AnswerInput {
                    item_code: code.clone(),
                    answer: Answer::Score(sample_score(i, n, round.number, min, max)),
                    comment: (n % 7 == 0 && i % 3 == 0)
                        .then(|| "Sample comment (made-up answers of the demo).".to_string()),
                    reason: None,
                };
                record(conn, invitation.id, &answer)?;
            }
        }
        let result = super::rounds::close(conn, slug, actor.0.as_str(), actor)?;
        let finished = result.study_finished.is_some();
        closed.push(result);
        if finished {
            return Ok(SampleRounds { closed, open: None });
        }
    }
    let opened = super::rounds::open(conn, slug, None, links, actor)?;
    Ok(SampleRounds {
        closed,
        open: Some(opened.number),
    })
}

fn study_codes(conn: &mut DbConnection, slug: &str) -> Result<Vec<String>, ServiceError> {
    let study = studies::load(conn, slug)?;
    Ok(crate::db::models::items::Item::of_study(conn, study.id)?
        .into_iter()
        .map(|item| item.code)
        .collect())
}

/// A made-up score for item `item` from expert `expert` in `round`, on `min..=max`: items fall
/// in four kinds by their position (agreed high, agreed low, divided, middling), each expert
/// spreads around the kind's centre, and later rounds draw closer to it, as panels do.
fn sample_score(item: usize, expert: usize, round: i32, min: i32, max: i32) -> i32 {
    let span = f64::from(max - min);
    let centre = match item % 4 {
        0 => 0.9,
        1 => 0.15,
        2 => {
            if expert % 2 == 0 {
                0.85
            } else {
                0.3
            }
        }
        _ => 0.55,
    };
    // A fixed spread of -2..=2 points per expert and item, halved from the second round on.
    let wobble = ((item * 7 + expert * 13) % 5) as f64 - 2.0;
    let wobble = if round > 1 { wobble / 2.0 } else { wobble };
    let score = f64::from(min) + centre * span + wobble * span / 8.0;
    (score.round() as i32).clamp(min, max)
}

#[cfg(test)]
mod tests {
    use super::{bundle, sample_score};
    use crate::domain::scale::Band;

    #[test]
    fn bands_take_the_translated_words_of_the_point_they_are_named_after() {
        let file = bundle().unwrap().file;
        let critical = Band {
            name: "Critical".into(),
            from: 7,
            to: 9,
        };
        assert_eq!(file.texts_in("fr").band_name(&critical), Some("Essentiel"));
        assert_eq!(file.texts_in("fr-CA").band_name(&critical), Some("Essentiel"));
        assert_eq!(
            file.texts_in("en").band_name(&critical),
            None,
            "no translation needed"
        );
        let other = Band {
            name: "Top".into(),
            from: 7,
            to: 9,
        };
        assert_eq!(
            file.texts_in("fr").band_name(&other),
            None,
            "named after no point"
        );
    }

    #[test]
    fn sample_scores_stay_on_the_scale_and_differ_by_kind() {
        for item in 0..40 {
            for expert in 0..30 {
                for round in 1..3 {
                    let s = sample_score(item, expert, round, 1, 9);
                    assert!((1..=9).contains(&s), "{s}");
                }
            }
        }
        let mean = |item: usize| (0..20).map(|e| sample_score(item, e, 1, 1, 9)).sum::<i32>() as f64 / 20.0;
        assert!(mean(0) > 7.0 && mean(1) < 3.0, "{} {}", mean(0), mean(1));
    }
}
