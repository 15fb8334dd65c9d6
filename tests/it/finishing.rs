//! Finishing a study from the console after any closed round, with the reason recorded, and
//! its final list: each item's last result, by section.

use delphi::db::schema::audit_log;
use delphi::domain::link::LinkBase;
use delphi::service::{rounds, studies};
use diesel::prelude::*;

use crate::support::app::spawn_app;
use crate::support::fixtures::{actor, SLUG};
use crate::support::forms::location;
use crate::support::rounds::{close_round, load_demo, run_round_one};
use crate::support::sign_in::{editor_and_viewer, Session};

#[tokio::test]
async fn a_study_finishes_after_a_closed_round_with_its_reason_and_shows_its_final_list() {
    let app = spawn_app().await;
    {
        let mut conn = app.db.get().unwrap();
        load_demo(&mut conn);
    }
    editor_and_viewer(&app.db, SLUG);
    let ed = Session::sign_in(&app, "ed@example.org").await;
    let finish = format!("/console/s/{SLUG}/finish");
    let reason = [("reason", "Two rounds were planned and agreed in the protocol")];

    // Before any round has closed: refused, saying why.
    let page = ed.post_refused(&finish, &reason, 409).await;
    assert!(page.contains("no round has closed yet"), "{page}");
    let empty = ed.page(&format!("/console/s/{SLUG}/final")).await;
    assert!(empty.contains("No round has closed yet"), "{empty}");

    // Round 1 closed, round 2 open: close it first.
    run_round_one(&app, &mut app.db.get().unwrap());
    let page = ed.post_refused(&finish, &reason, 409).await;
    assert!(page.contains("round 2 is open: close it first"), "{page}");
    let provisional = ed.page(&format!("/console/s/{SLUG}/final")).await;
    assert!(provisional.contains("still running"), "{provisional}");
    let offer = format!(r#"href="/console/s/{SLUG}/finish""#);
    assert!(
        !ed.page(&format!("/console/s/{SLUG}")).await.contains(&offer),
        "not while a round is open"
    );
    close_round(&mut app.db.get().unwrap(), SLUG);
    assert!(
        ed.page(&format!("/console/s/{SLUG}")).await.contains(&offer),
        "offered after a close"
    );

    // No reason: the form again, naming the field, nothing finished.
    let form = ed.page(&finish).await;
    assert!(form.contains(r#"name="reason""#), "{form}");
    let page = ed.post_refused(&finish, &[("reason", "   ")], 422).await;
    assert!(
        page.contains(r##"<a href="#reason">"##) && page.contains("say why the study ends now"),
        "{page}"
    );
    let study = studies::load(&mut app.db.get().unwrap(), SLUG).unwrap();
    assert!(study.finished_at.is_none());

    // A viewer may not finish.
    let vi = Session::sign_in(&app, "vi@example.org").await;
    assert_eq!(vi.post(&finish, &reason).await.status(), 403);

    let done = ed.post(&finish, &reason).await;
    assert_eq!(location(&done), format!("/console/s/{SLUG}/final?done=finished"));
    let list = vi.page(&format!("/console/s/{SLUG}/final?done=finished")).await;
    assert!(list.contains("The study is finished."), "{list}");
    assert!(
        list.contains("Two rounds were planned and agreed in the protocol"),
        "{list}"
    );
    // The demo's 34 items, each with its last round's result: spread scores reach no consensus.
    assert!(
        list.contains("0 consensus in, 0 consensus out, 34 no consensus."),
        "{list}"
    );
    assert_eq!(list.matches(r#"<tr class="st-"#).count(), 34, "every item once");
    let study = studies::load(&mut app.db.get().unwrap(), SLUG).unwrap();
    assert_eq!(
        study.finish_reason.as_deref(),
        Some("Two rounds were planned and agreed in the protocol")
    );

    // Finished means finished: no second finish, no new round.
    assert!(!ed.page(&format!("/console/s/{SLUG}")).await.contains(&offer));
    let page = ed.post_refused(&finish, &reason, 409).await;
    assert!(page.contains("finished already"), "{page}");
    let links = LinkBase(app.address.clone());
    let refused = rounds::open(&mut app.db.get().unwrap(), SLUG, None, &links, &actor());
    assert!(refused.is_err(), "a finished study opens no round");
    let actions: Vec<String> = audit_log::table
        .filter(audit_log::action.eq("study.finish"))
        .select(audit_log::actor)
        .load(&mut app.db.get().unwrap())
        .unwrap();
    assert_eq!(actions, ["ed@example.org"]);
    let audit = ed.page(&format!("/console/s/{SLUG}/audit")).await;
    assert!(
        audit.contains("Finished the study after round 2: Two rounds were planned"),
        "{audit}"
    );
}
