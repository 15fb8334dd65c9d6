//! An expert's CHNRI round: every item with each criterion's questions and the expert's answers
//! so far, and saving answers (the whole page at once, or one answer as the page autosaves).

use std::collections::HashMap;

use serde::Serialize;

use super::{round_data, ExpertCache, ExpertSession, Progress, RoundData};
use crate::db::models::chnri_answers::{ChnriAnswerRow, NewChnriAnswer};
use crate::db::models::invitations::Invitation;
use crate::db::models::rounds::Round;
use crate::db::{now, write_transaction, DbConnection};
use crate::domain::chnri::ChnriAnswer;
use crate::service::ServiceError;

/// One answer as a page posts it: the field `q.{item}.{criterion}.{question}` and its value
/// (`yes`, `undecided`, `no`, `dont_know`, or empty for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostedChnri {
    pub item: String,
    pub criterion: String,
    /// 1-based.
    pub question: i32,
    pub answer: Option<ChnriAnswer>,
}

impl PostedChnri {
    /// The name of the form field of one question.
    pub fn field(item: &str, criterion: &str, question: usize) -> String {
        format!("q.{item}.{criterion}.{question}")
    }

    /// Reads one form field; `None` for fields that are not answers. A value that is not one of
    /// the four answers is refused, naming the field.
    pub fn from_field(name: &str, value: &str) -> Option<Result<PostedChnri, ServiceError>> {
        let rest = name.strip_prefix("q.")?;
        // Item codes may hold dots; criterion keys and numbers cannot.
        let (rest, question) = rest.rsplit_once('.')?;
        let (item, criterion) = rest.rsplit_once('.')?;
        let question = question.parse::<i32>().ok()?;
        let answer = match value {
            "" => None,
            text => match ChnriAnswer::parse(text) {
                Some(answer) => Some(answer),
                None => {
                    return Some(Err(ServiceError::invalid(
                        name,
                        format!("`{text}` is not one of the answers"),
                    )))
                }
            },
        };
        Some(Ok(PostedChnri {
            item: item.to_owned(),
            criterion: criterion.to_owned(),
            question,
            answer,
        }))
    }
}

/// A CHNRI page as posted without JavaScript: every answer field, and whether the expert
/// pressed "submit" (otherwise "save").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChnriForm {
    pub answers: Vec<PostedChnri>,
    pub submit: bool,
}

/// Reads a posted CHNRI page (its form fields as name–value pairs, in order): all its answers,
/// or the first field whose value is not an answer, named in the error. Fields that are not
/// questions are ignored; the last `action` decides between save and submit.
pub fn parse_chnri_form(pairs: Vec<(String, String)>) -> Result<ChnriForm, ServiceError> {
    let mut submit = false;
    let mut answers = Vec::new();
    for (name, value) in pairs {
        if name == "action" {
            submit = value == "submit";
            continue;
        }
        if let Some(answer) = PostedChnri::from_field(&name, &value) {
            answers.push(answer?);
        }
    }
    Ok(ChnriForm { answers, submit })
}

/// Reads one answer as the page's script autosaves it (`field` and `answer`): a field that is
/// not a question is refused as well, naming `field`.
pub fn parse_chnri_answer(field: &str, answer: &str) -> Result<PostedChnri, ServiceError> {
    PostedChnri::from_field(field, answer).unwrap_or_else(|| {
        Err(ServiceError::invalid(
            "field",
            format!("`{field}` is not a question"),
        ))
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct ChnriQuestion {
    pub number: usize,
    pub text: String,
    /// The form field's name.
    pub field: String,
    /// `yes`, `undecided`, `no`, `dont_know` or empty.
    pub answer: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChnriCriterionView {
    pub key: String,
    pub label: String,
    pub questions: Vec<ChnriQuestion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChnriItemView {
    pub code: String,
    pub text: String,
    /// The text's language when it is not the page's (an untranslated item).
    pub text_lang: Option<String>,
    pub criteria: Vec<ChnriCriterionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChnriSectionView {
    pub title: String,
    pub items: Vec<ChnriItemView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChnriPage {
    pub sections: Vec<ChnriSectionView>,
    pub progress: Progress,
}

/// The page of the session's CHNRI round, in the expert's language, with their answers (or,
/// after a refused save, what they posted).
pub fn page(
    conn: &mut DbConnection,
    cache: &ExpertCache,
    session: &ExpertSession,
    posted: Option<&[PostedChnri]>,
) -> Result<ChnriPage, ServiceError> {
    let data = round_data(conn, cache, session)?;
    let answers: Answers = ChnriAnswerRow::of_expert(conn, session.round.id, session.expert_id)?
        .into_iter()
        .map(|a| ((a.item_id, a.criterion, a.question), a.answer))
        .collect();
    let sections = sections(&data, session, answers, posted);
    let progress = progress(conn, session)?;
    Ok(ChnriPage { sections, progress })
}

/// The page the console's "preview as an expert" shows for `data`: nobody's answers, only what
/// the previewed form last sent (nothing of it saved).
pub fn preview_page(session: &ExpertSession, data: &RoundData, posted: &[PostedChnri]) -> ChnriPage {
    let sections = sections(data, session, Answers::new(), Some(posted));
    let questions = sections
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(|i| &i.criteria)
        .flat_map(|c| &c.questions);
    let (total, answered) = questions.fold((0, 0), |(total, answered), q| {
        (total + 1, answered + usize::from(!q.answer.is_empty()))
    });
    ChnriPage {
        sections,
        progress: Progress { answered, total },
    }
}

/// (item id, criterion, question) → the answer.
type Answers = HashMap<(i64, String, i32), ChnriAnswer>;

/// Every item of `data` with each criterion's questions and their answers: `answers`, with what
/// was `posted` over them.
fn sections(
    data: &RoundData,
    session: &ExpertSession,
    mut answers: Answers,
    posted: Option<&[PostedChnri]>,
) -> Vec<ChnriSectionView> {
    let criteria = session.study.file.chnri_criteria();
    let lang = session.lang;
    let mut sections = Vec::with_capacity(data.sections.len());
    for (title, items) in &data.sections {
        let mut views = Vec::with_capacity(items.len());
        for item in items {
            if let Some(posted) = posted {
                for p in posted.iter().filter(|p| p.item == item.code) {
                    let key = (item.id, p.criterion.clone(), p.question);
                    match p.answer {
                        Some(answer) => answers.insert(key, answer),
                        None => answers.remove(&key),
                    };
                }
            }
            views.push(ChnriItemView {
                code: item.code.clone(),
                text: item.text.clone(),
                text_lang: item.text_lang.clone(),
                criteria: criteria
                    .iter()
                    .map(|c| ChnriCriterionView {
                        key: c.key.clone(),
                        label: c.label_in(lang).to_owned(),
                        questions: (0..c.questions.len())
                            .map(|q| ChnriQuestion {
                                number: q + 1,
                                text: c.question_in(lang, q).to_owned(),
                                field: PostedChnri::field(&item.code, &c.key, q + 1),
                                answer: answers
                                    .get(&(item.id, c.key.clone(), (q + 1) as i32))
                                    .map(|a| a.as_str().to_owned())
                                    .unwrap_or_default(),
                            })
                            .collect(),
                    })
                    .collect(),
            });
        }
        sections.push(ChnriSectionView {
            title: title.clone(),
            items: views,
        });
    }
    sections
}

/// Questions answered (don't know included) out of every question of every item.
fn progress(conn: &mut DbConnection, session: &ExpertSession) -> Result<Progress, ServiceError> {
    let questions: usize = session
        .study
        .file
        .chnri_criteria()
        .iter()
        .map(|c| c.questions.len())
        .sum();
    let items = usize::try_from(Round::item_count(conn, session.round.id)?).unwrap_or(0);
    let answered = ChnriAnswerRow::of_expert(conn, session.round.id, session.expert_id)?.len();
    Ok(Progress {
        answered,
        total: items * questions,
    })
}

/// Saves answers of the session's expert, all or none: each must name an item of the round, a
/// criterion of the study and one of its questions. An empty answer removes an earlier one.
pub fn save(
    conn: &mut DbConnection,
    session: &ExpertSession,
    posted: &[PostedChnri],
) -> Result<Progress, ServiceError> {
    let criteria = session.study.file.chnri_criteria();
    write_transaction(conn, |conn| {
        let round = Round::lock(conn, session.round.id, false)?;
        crate::service::ratings::require_taking_answers(&round, session.is_test)?;
        let at = now();
        let mut upserts = Vec::with_capacity(posted.len());
        for p in posted {
            let field = PostedChnri::field(&p.item, &p.criterion, p.question.max(0) as usize);
            let item_id = Round::item_by_code(conn, round.id, &p.item)?.ok_or_else(|| {
                ServiceError::invalid(&field, format!("item `{}` is not part of this round", p.item))
            })?;
            let questions = criteria
                .iter()
                .find(|c| c.key == p.criterion)
                .map(|c| c.questions.len())
                .ok_or_else(|| {
                    ServiceError::invalid(
                        &field,
                        format!("`{}` is not a criterion of this study", p.criterion),
                    )
                })?;
            if p.question < 1 || p.question as usize > questions {
                return Err(ServiceError::invalid(
                    &field,
                    format!("criterion `{}` has no question {}", p.criterion, p.question),
                ));
            }
            match p.answer {
                None => {
                    ChnriAnswerRow::delete(
                        conn,
                        round.id,
                        item_id,
                        session.expert_id,
                        &p.criterion,
                        p.question,
                    )?;
                }
                Some(answer) => upserts.push(NewChnriAnswer {
                    round_id: round.id,
                    item_id,
                    expert_id: session.expert_id,
                    criterion: p.criterion.clone(),
                    question: p.question,
                    answer: answer.as_str().to_owned(),
                    saved_at: at,
                }),
            }
        }
        ChnriAnswerRow::upsert_many(conn, &upserts)?;
        if !upserts.is_empty() {
            Invitation::mark_started(conn, session.invitation_id, at)?;
        }
        Ok(())
    })?;
    progress(conn, session)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_name_item_criterion_and_question() {
        let posted = PostedChnri::from_field("q.R.01.answerability.2", "undecided")
            .unwrap()
            .unwrap();
        assert_eq!(
            posted,
            PostedChnri {
                item: "R.01".into(),
                criterion: "answerability".into(),
                question: 2,
                answer: Some(ChnriAnswer::Undecided),
            }
        );
        assert_eq!(
            PostedChnri::field("R.01", "answerability", 2),
            "q.R.01.answerability.2"
        );
        assert!(PostedChnri::from_field("q.R01.equity.1", "maybe")
            .unwrap()
            .is_err());
        assert!(PostedChnri::from_field("action", "save").is_none());
        assert_eq!(
            PostedChnri::from_field("q.R01.equity.1", "")
                .unwrap()
                .unwrap()
                .answer,
            None
        );
    }
}
