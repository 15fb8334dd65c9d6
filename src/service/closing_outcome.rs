//! What a finished study's results page and closing email say besides the rating results: a
//! CHNRI study's ranked research questions, and the combined ranking of a ranking round that
//! ended the study. Aggregates only, as the rest of the page; texts in the reader's language.

use std::collections::HashMap;

use serde::Serialize;

use super::chnri;
use super::expert::primary_tag;
use super::ranking;
use super::results::Scope;
use super::ServiceError;
use crate::db::models::items::Item;
use crate::db::models::rounds::Round;
use crate::db::DbConnection;
use crate::domain::ranking::Combine;
use crate::domain::round::{RoundKind, RoundState};
use crate::domain::study::{Method, Study};

/// How many ranked items the results page lists after a ranking round: the head of the list
/// is what a panel reads; the whole table is in the exports.
pub const RANKING_TOP: usize = 10;

/// Item texts in the reader's language, the study's own (marked with its language) otherwise.
pub struct ItemTexts {
    translations: HashMap<String, String>,
    /// The study's language when the reader's is another one.
    foreign: Option<String>,
}

impl ItemTexts {
    pub fn load(conn: &mut DbConnection, study: &Study, lang: &str) -> Result<ItemTexts, ServiceError> {
        // The study's own language, not the catalogue its pages would use: items of a study in
        // a language without a catalogue (Hebrew, Swahili) are still marked with their `lang`
        // (and so their direction) on a page in another.
        if primary_tag(&study.language) == lang {
            return Ok(ItemTexts::none());
        }
        let codes = Item::codes_of_study(conn, study.id)?;
        let translations = Item::translations_of_study(conn, study.id)?
            .into_iter()
            .filter(|t| primary_tag(&t.language) == lang)
            .filter_map(|t| codes.get(&t.item_id).map(|code| (code.clone(), t.text)))
            .collect();
        Ok(ItemTexts {
            translations,
            foreign: Some(study.language.clone()),
        })
    }

    /// The study's own texts, unmarked: for what counts items and does not show them.
    pub fn none() -> ItemTexts {
        ItemTexts {
            translations: HashMap::new(),
            foreign: None,
        }
    }

    /// The text of item `code` and, when it is untranslated, its language.
    pub fn of(&self, code: &str, text: String) -> (String, Option<String>) {
        match self.translations.get(code) {
            Some(text) => (text.clone(), None),
            None => (text, self.foreign.clone()),
        }
    }
}

/// One research question of a CHNRI study, as ranked in its last round.
#[derive(Debug, Clone, Serialize)]
pub struct ChnriQuestion {
    /// None when the panel's answers give it no score.
    pub rank: Option<u32>,
    pub code: String,
    pub text: String,
    pub text_lang: Option<String>,
    pub n: i32,
    pub rps: Option<f64>,
    pub wrps: Option<f64>,
    pub aea: Option<f64>,
    /// The names, in the reader's language, of the criteria it scored below the threshold on.
    pub below: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChnriOutcome {
    pub round: i32,
    /// The criteria do not all weigh the same, so the weighted score (which ranks) differs.
    pub weighted: bool,
    /// Some criterion has a threshold, so passing it means something.
    pub thresholds: bool,
    pub questions: Vec<ChnriQuestion>,
}

/// One item at the head of a ranking round's combined ranking.
#[derive(Debug, Clone, Serialize)]
pub struct RankedItem {
    pub rank: u32,
    pub code: String,
    pub text: String,
    pub text_lang: Option<String>,
    /// Experts who put it in their list, and who put it first.
    pub chosen: u64,
    pub first: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankingOutcome {
    pub round: i32,
    /// `combine = "equal_groups"`: every stakeholder group counted the same.
    pub equal_groups: bool,
    pub responded: usize,
    /// Items the round offered.
    pub offered: usize,
    /// At most `RANKING_TOP` items, only ones some expert chose.
    pub top: Vec<RankedItem>,
}

/// What the study ended with, besides the rating rounds' final list.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    pub chnri: Option<ChnriOutcome>,
    pub ranking: Option<RankingOutcome>,
}

impl Outcome {
    /// The number of the round the study's results come from, when it is one of these.
    pub fn last_round(&self) -> Option<i32> {
        self.ranking
            .as_ref()
            .map(|r| r.round)
            .or(self.chnri.as_ref().map(|c| c.round))
    }
}

/// The CHNRI scores and the ranking of `study` for a reader of `lang`.
pub fn outcome(
    conn: &mut DbConnection,
    study: &Study,
    lang: &str,
    texts: &ItemTexts,
) -> Result<Outcome, ServiceError> {
    Ok(Outcome {
        chnri: chnri_outcome(conn, study, lang, texts)?,
        ranking: ranking_outcome(conn, study, texts)?,
    })
}

fn chnri_outcome(
    conn: &mut DbConnection,
    study: &Study,
    lang: &str,
    texts: &ItemTexts,
) -> Result<Option<ChnriOutcome>, ServiceError> {
    if study.file.method != Method::Chnri {
        return Ok(None);
    }
    let table = chnri::results(conn, &study.slug, None, Scope::Pooled)?;
    let Some(round) = table.lines.iter().map(|l| l.round).max() else {
        return Ok(None);
    };
    let criteria = study.file.chnri_criteria();
    let name = |key: &str| {
        criteria
            .iter()
            .find(|c| c.key == key)
            .map_or_else(|| key.to_owned(), |c| c.label_in(lang).to_owned())
    };
    let questions = table
        .lines
        .into_iter()
        .filter(|l| l.round == round)
        .map(|line| {
            let (text, text_lang) = texts.of(&line.item_code, line.item_text);
            ChnriQuestion {
                rank: line.rank,
                code: line.item_code,
                text,
                text_lang,
                n: line.n,
                rps: line.rps,
                wrps: line.wrps,
                aea: line.aea,
                below: line.below.iter().map(|k| name(k)).collect(),
            }
        })
        .collect();
    Ok(Some(ChnriOutcome {
        round,
        weighted: criteria
            .windows(2)
            .any(|w| w[0].weight_exact() != w[1].weight_exact()),
        thresholds: criteria.iter().any(|c| c.threshold.is_some()),
        questions,
    }))
}

fn ranking_outcome(
    conn: &mut DbConnection,
    study: &Study,
    texts: &ItemTexts,
) -> Result<Option<RankingOutcome>, ServiceError> {
    let last = Round::of_study(conn, study.id)?
        .into_iter()
        .filter(|r| r.kind == RoundKind::Ranking && r.status == RoundState::Closed)
        .max_by_key(|r| r.number);
    let Some(round) = last else {
        return Ok(None);
    };
    let table = ranking::compute(conn, study, &round)?;
    let offered = table.lines.len();
    let top = table
        .lines
        .into_iter()
        .filter(|l| l.chosen > 0)
        .take(RANKING_TOP)
        .map(|line| {
            let (text, text_lang) = texts.of(&line.item_code, line.item_text);
            RankedItem {
                rank: line.rank,
                code: line.item_code,
                text,
                text_lang,
                chosen: line.chosen,
                first: line.first,
            }
        })
        .collect();
    Ok(Some(RankingOutcome {
        round: round.number,
        equal_groups: study
            .file
            .ranking
            .as_ref()
            .is_some_and(|r| r.combine == Combine::EqualGroups),
        responded: table.responded,
        offered,
        top,
    }))
}
