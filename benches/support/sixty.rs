//! The study the expert-page benches load: the example study widened to 60 items and 64
//! experts, closed after round 1 (every expert answered every item, three with a comment) and
//! open in round 2, so that every item of a round-2 page carries the group's feedback; and the
//! same study again in its round 1, for the page without feedback.

use delphi::db::models::invitations::Invitation;
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::models::rounds::Round;
use delphi::db::DbConnection;
use delphi::domain::answer::Answer;
use delphi::domain::link::LinkBase;
use delphi::domain::panel_file::EmailAddress;
use delphi::service::ratings::{record, AnswerInput};
use delphi::service::{demo, rounds, studies, Actor};

/// Experts in the panel (the example study's 24 and more): the whole-form save has each of
/// 64 connections post for a different expert.
pub const EXPERTS: usize = 64;

/// The links and codes the benches request with.
pub struct SixtyItems {
    /// Round 2's links, one per expert, in the panel's order.
    pub round_two: Vec<String>,
    /// The items' codes, in the study's order.
    pub codes: Vec<String>,
    /// A link to the second study's round 1.
    pub round_one: String,
}

/// The token of the personal link in an invitation.
fn link_of(email: &OutboxEmail) -> String {
    let start = email.body_text.find("/r/").expect("a link") + 3;
    email.body_text[start..start + 64].to_string()
}

/// Creates both studies; `base` is the server's address, which the links are built on.
pub fn sixty_items(conn: &mut DbConnection, base: &str) -> SixtyItems {
    let actor = Actor("bench".into());
    let mut bundle = demo::bundle().expect("example study");
    bundle.file.slug = "sixty".into();
    let originals = bundle.items.clone();
    for i in 0..(60 - originals.len()) {
        let mut item = originals[i % originals.len()].clone();
        item.code = format!("X{i:02}");
        bundle.items.push(item);
    }
    let panel = bundle.panel.clone();
    for n in 0..(EXPERTS - panel.len()) {
        let mut expert = panel[n % panel.len()].clone();
        expert.email = EmailAddress::parse(&format!("bench{n}@example.org")).expect("email");
        expert.name = format!("Bench expert {n}");
        bundle.panel.push(expert);
    }
    studies::create(conn, &bundle, &actor).expect("study");
    let links = LinkBase(base.to_string());
    rounds::open(conn, "sixty", None, &links, &actor).expect("round 1");
    let study = studies::load(conn, "sixty").expect("study loads");
    let round = Round::open_of_study(conn, study.id)
        .expect("query")
        .expect("open round");
    for (n, invitation) in Invitation::of_round(conn, round.id)
        .expect("invitations")
        .iter()
        .enumerate()
    {
        for item in &bundle.items {
            let answer = AnswerInput {
                item_code: item.code.clone(),
                answer: Answer::Score([2, 5, 8, 5, 8, 2, 5, 8][n % 8]),
                comment: (n < 3).then(|| "The assay is not available in most district laboratories.".into()),
                reason: None,
            };
            record(conn, invitation.id, &answer).expect("answer");
        }
    }
    rounds::close(conn, "sixty", "facilitator", &actor).expect("close");
    rounds::open(conn, "sixty", None, &links, &actor).expect("round 2");
    // Round 2's invitations are the last EXPERTS of the outbox.
    let invitations: Vec<OutboxEmail> = OutboxEmail::pending(conn, Some(study.id))
        .expect("outbox")
        .into_iter()
        .filter(|e| e.kind == "invitation")
        .collect();
    let round_two: Vec<String> = invitations[invitations.len() - EXPERTS..]
        .iter()
        .map(link_of)
        .collect();
    let codes: Vec<String> = bundle.items.iter().map(|i| i.code.clone()).collect();
    bundle.file.slug = "sixty-one".into();
    studies::create(conn, &bundle, &actor).expect("second study");
    rounds::open(conn, "sixty-one", None, &links, &actor).expect("its round 1");
    let second = studies::load(conn, "sixty-one").expect("study loads");
    let round_one = link_of(
        OutboxEmail::pending(conn, Some(second.id))
            .expect("outbox")
            .iter()
            .rfind(|e| e.kind == "invitation")
            .expect("an invitation"),
    );
    SixtyItems {
        round_two,
        codes,
        round_one,
    }
}
