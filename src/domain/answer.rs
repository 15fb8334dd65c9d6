//! One answer to one item: a score, "unable to score", or no answer. The expert's form, a
//! responses file and the API all write a score as text; reading it here, once, keeps them
//! accepting exactly the same answers.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use super::scale::Scale;

/// One answer to one item, however it was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Score(i32),
    /// `U`: the expert said they cannot score this item.
    Unable,
    /// Nothing typed: no answer (a re-import or an autosave clears an earlier one).
    Blank,
}

/// Why a typed answer was refused. The messages are the responses file's; other callers word
/// their own from the fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// Neither a whole number, `U` nor blank; holds the text without surrounding space.
    #[error(
        "`{0}` is not a score: write a whole number, `U` for \"unable to score\", or leave it empty \
         for no answer"
    )]
    NotAScore(String),
    #[error("{score} is not on the scale ({min} to {max})")]
    OffScale { score: i32, min: i32, max: i32 },
    #[error("this study does not offer \"unable to score\" (`U`)")]
    UnableNotOffered,
}

impl Answer {
    /// Reads `raw` as [`Answer::read`] does and checks it against `scale`.
    pub fn parse(raw: &str, scale: &Scale) -> Result<Answer, AnswerError> {
        Answer::read(raw)?.check(scale.points(), scale.unable_to_score())
    }

    /// Reads an answer without a scale at hand. Surrounding space is ignored; nothing left is
    /// [`Answer::Blank`], which is not an error: leaving an item empty means "no answer" (and
    /// clears an earlier one where the caller stores blanks). `U` or `u` is unable to score;
    /// anything else must be a whole number.
    pub fn read(raw: &str) -> Result<Answer, AnswerError> {
        let text = raw.trim();
        if text.is_empty() {
            Ok(Answer::Blank)
        } else if text.eq_ignore_ascii_case("u") {
            Ok(Answer::Unable)
        } else {
            text.parse::<i32>()
                .map(Answer::Score)
                .map_err(|_| AnswerError::NotAScore(text.to_owned()))
        }
    }

    /// Checks an answer against a scale known only by its points and whether it offers "unable
    /// to score" (a responses file is checked against the study's state, not a [`Scale`]).
    pub fn check(self, points: RangeInclusive<i32>, unable_offered: bool) -> Result<Answer, AnswerError> {
        match self {
            Answer::Score(score) if !points.contains(&score) => Err(AnswerError::OffScale {
                score,
                min: *points.start(),
                max: *points.end(),
            }),
            Answer::Unable if !unable_offered => Err(AnswerError::UnableNotOffered),
            answer => Ok(answer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::spec::ScaleSpec;
    use proptest::prelude::*;

    fn scale(min: i32, max: i32, unable_to_score: bool) -> Scale {
        Scale::from_spec(&ScaleSpec {
            min,
            max,
            labels: Default::default(),
            bands: Vec::new(),
            unable_to_score,
        })
        .unwrap()
    }

    #[test]
    fn scores_unable_and_blank_are_read() {
        assert_eq!(Answer::read(" 7 "), Ok(Answer::Score(7)));
        assert_eq!(Answer::read("-3"), Ok(Answer::Score(-3)));
        assert_eq!(Answer::read("u"), Ok(Answer::Unable));
        assert_eq!(Answer::read(" U\t"), Ok(Answer::Unable));
        assert_eq!(Answer::read(""), Ok(Answer::Blank));
        assert_eq!(Answer::read("  \r\n"), Ok(Answer::Blank));
    }

    #[test]
    fn what_is_not_a_score_is_named_as_typed() {
        for bad in ["seven", "7.5", "7,0", "1e1", "uu", "99999999999"] {
            assert_eq!(
                Answer::read(&format!(" {bad} ")),
                Err(AnswerError::NotAScore(bad.to_owned()))
            );
        }
        assert_eq!(
            Answer::read("7.5").unwrap_err().to_string(),
            "`7.5` is not a score: write a whole number, `U` for \"unable to score\", or leave it \
             empty for no answer"
        );
    }

    #[test]
    fn the_scale_bounds_scores_and_may_refuse_unable() {
        let nine = scale(1, 9, false);
        assert_eq!(Answer::parse("9", &nine), Ok(Answer::Score(9)));
        assert_eq!(Answer::parse("", &nine), Ok(Answer::Blank));
        let off = Answer::parse("0", &nine).unwrap_err();
        assert_eq!(
            off,
            AnswerError::OffScale {
                score: 0,
                min: 1,
                max: 9
            }
        );
        assert_eq!(off.to_string(), "0 is not on the scale (1 to 9)");
        let unable = Answer::parse("U", &nine).unwrap_err();
        assert_eq!(unable, AnswerError::UnableNotOffered);
        assert_eq!(
            unable.to_string(),
            "this study does not offer \"unable to score\" (`U`)"
        );
        assert_eq!(Answer::parse("u", &scale(0, 10, true)), Ok(Answer::Unable));
        assert_eq!(
            Answer::parse("x", &nine),
            Err(AnswerError::NotAScore("x".to_owned()))
        );
    }

    proptest! {
        #[test]
        fn every_whole_number_reads_back(score in any::<i32>(), pad in "[ \t]{0,3}") {
            prop_assert_eq!(Answer::read(&format!("{pad}{score}{pad}")), Ok(Answer::Score(score)));
        }

        #[test]
        fn parse_is_read_then_check(raw in "\\PC{0,12}", min in -5i32..5, len in 1i32..12, unable in any::<bool>()) {
            let scale = scale(min, min + len, unable);
            let parsed = Answer::parse(&raw, &scale);
            prop_assert_eq!(&parsed, &Answer::read(&raw).and_then(|a| a.check(scale.points(), unable)));
            match parsed {
                Ok(Answer::Score(score)) => prop_assert!(scale.contains(score)),
                Ok(Answer::Unable) => prop_assert!(unable),
                Ok(Answer::Blank) => prop_assert!(raw.trim().is_empty()),
                Err(_) => {}
            }
        }
    }
}
