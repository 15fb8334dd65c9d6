//! Recording single answers (what the rating page will call): every refusal is clear and
//! leaves what was saved untouched.

use delphi::db::models::invitations::Invitation;
use delphi::db::models::ratings::Rating;
use delphi::db::models::rounds::Round;
use delphi::domain::answer::Answer;
use delphi::service::ratings::{record, AnswerInput};
use delphi::service::{studies, ServiceError};

use crate::support::app::TestDatabase;
use crate::support::rounds::{answer_input as answer, close_round, load_demo, open_round};

#[test]
fn answers_are_checked_and_frozen_at_close() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    load_demo(&mut conn);
    open_round(&mut conn, "lmn-2024");
    let study = studies::load(&mut conn, "lmn-2024").unwrap();
    let round = Round::open_of_study(&mut conn, study.id).unwrap().unwrap();
    let invitation = Invitation::of_round(&mut conn, round.id).unwrap()[0].clone();
    let saved = |conn: &mut delphi::db::DbConnection| {
        Rating::of_expert(conn, round.id, invitation.expert_id)
            .unwrap()
            .into_iter()
            .map(|r| (r.score, r.unable, r.comment))
            .collect::<Vec<_>>()
    };

    record(
        &mut conn,
        invitation.id,
        &AnswerInput {
            comment: Some("  Needs a standard assay  ".into()),
            ..answer("M01", Answer::Score(8))
        },
    )
    .unwrap();
    assert_eq!(
        saved(&mut conn),
        vec![(Some(8), false, Some("Needs a standard assay".into()))]
    );
    let started = Invitation::by_id(&mut conn, invitation.id)
        .unwrap()
        .unwrap()
        .started_at;
    assert!(started.is_some(), "the first answer marks the invitation started");

    match record(&mut conn, invitation.id, &answer("M01", Answer::Score(10))) {
        Err(ServiceError::Invalid { field, reason }) => {
            assert_eq!(field, "score");
            assert!(reason.contains("not on the scale 1–9"), "{reason}");
        }
        other => panic!("expected an invalid score, got {other:?}"),
    }
    match record(&mut conn, invitation.id, &answer("Z99", Answer::Score(5))) {
        Err(ServiceError::Invalid { field, reason }) => {
            assert_eq!(field, "item");
            assert!(reason.contains("not part of round 1"), "{reason}");
        }
        other => panic!("expected an unknown item, got {other:?}"),
    }
    assert!(matches!(
        record(&mut conn, 999_999, &answer("M01", Answer::Score(5))),
        Err(ServiceError::NotFound(_))
    ));
    assert_eq!(saved(&mut conn).len(), 1, "refusals changed nothing");

    // Changing an answer replaces it; "unable" replaces a score.
    record(&mut conn, invitation.id, &answer("M01", Answer::Unable)).unwrap();
    assert_eq!(saved(&mut conn), vec![(None, true, None)]);
    record(&mut conn, invitation.id, &answer("M02", Answer::Score(3))).unwrap();
    // Blank with no comment removes the answer.
    record(&mut conn, invitation.id, &answer("M02", Answer::Blank)).unwrap();
    assert_eq!(saved(&mut conn).len(), 1);

    close_round(&mut conn, "lmn-2024");
    match record(&mut conn, invitation.id, &answer("M01", Answer::Score(9))) {
        Err(ServiceError::Conflict(message)) => assert!(message.contains("round 1 is closed"), "{message}"),
        other => panic!("expected a closed round, got {other:?}"),
    }
    assert_eq!(
        saved(&mut conn),
        vec![(None, true, None)],
        "the frozen answer stays"
    );
}
