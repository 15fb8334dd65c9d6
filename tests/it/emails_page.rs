//! The emails page: every email's wording per language, Delphi's written out for editing, the
//! study's own saved after a check against a sample, and what experts then get.

use delphi::db::schema::audit_log;
use diesel::prelude::*;

use crate::support::app::spawn_app;
use crate::support::fixtures::SLUG;
use crate::support::forms::unescape;
use crate::support::mail::{decoded, outbox_emails};
use crate::support::rounds::{experts, load_demo, open_round, speaking};
use crate::support::sign_in::{editor_and_viewer, Session};

#[tokio::test]
async fn a_study_s_own_wording_is_checked_saved_sent_and_undone() {
    let app = spawn_app().await;
    load_demo(&mut app.db.get().unwrap());
    editor_and_viewer(&app.db, SLUG);
    let ed = Session::sign_in(&app, "ed@example.org").await;

    let list = unescape(&ed.page(&format!("/console/s/{SLUG}/emails")).await);
    assert!(list.contains("Invitation to a round") && list.contains("Closing email with the results"));
    assert!(
        list.contains(&format!("/console/s/{SLUG}/emails/invitation?lang=fr")),
        "{list}"
    );

    // Delphi's French wording, written out with its placeholders, and a sample.
    let url = format!("/console/s/{SLUG}/emails/invitation");
    let page = unescape(&ed.page(&format!("{url}?lang=fr")).await);
    assert!(
        page.contains("{{link}}") && page.contains("Delphi's wording"),
        "{page}"
    );
    assert!(
        page.contains("https://delphi.example.org/r/"),
        "the sample shows a link"
    );

    // A template that does not compile is refused, saying why, and kept as typed.
    let broken = ed
        .post_refused(
            &url,
            &[
                ("lang", "fr"),
                ("subject", "Tour {{round}}"),
                ("body", "Bonjour {{#if name}}"),
            ],
            422,
        )
        .await;
    assert!(broken.contains("does not compile"), "{broken}");
    assert!(broken.contains("Bonjour {{#if name}}"));

    let body =
        "Bonjour {{name}},\n\nLe tour {{round}} de {{study}} est ouvert : {{link}}\n\n-- \n{{unsubscribe}}\n";
    let saved = ed
        .post_ok(
            &url,
            &[
                ("lang", "fr"),
                ("subject", "{{study}} : à vous, tour {{round}}"),
                ("body", body),
            ],
            "saved",
        )
        .await;
    assert!(unescape(&saved).contains("the study's own wording"), "{saved}");
    let actions: Vec<String> = audit_log::table
        .select(audit_log::action)
        .load(&mut app.db.get().unwrap())
        .unwrap();
    assert!(actions.iter().any(|a| a == "email_template.set"));

    // French experts get it; English experts get Delphi's.
    open_round(&mut app.db.get().unwrap(), SLUG);
    let panel = experts(&mut app.db.get().unwrap(), SLUG);
    let (french, english) = (speaking(&panel, "fr"), speaking(&panel, "en"));
    let emails = outbox_emails(&mut app.db.get().unwrap());
    let to = |id: i64| emails.iter().find(|e| e.expert_id == Some(id)).unwrap();
    assert_eq!(
        to(french.id).subject,
        "Lactation and Micronutrient Needs : à vous, tour 1"
    );
    assert!(decoded(&to(french.id).body_text).contains("Le tour 1 de Lactation"));
    assert!(to(english.id).subject.contains("you are invited to round 1"));

    // A viewer reads but cannot change; an unknown email or language is refused.
    let vi = Session::sign_in(&app, "vi@example.org").await;
    vi.page(&format!("{url}?lang=fr")).await;
    assert_eq!(
        vi.post(&url, &[("lang", "fr"), ("subject", "x"), ("body", "y")])
            .await
            .status(),
        403
    );
    assert_eq!(
        ed.get(&format!("/console/s/{SLUG}/emails/nonsense"))
            .await
            .status(),
        404
    );
    let refused = ed
        .post_refused(&url, &[("lang", "de"), ("subject", "x"), ("body", "y")], 422)
        .await;
    assert!(refused.contains("\"de\" has no catalogue"), "{refused}");

    // Back to Delphi's wording.
    let cleared = ed
        .post_ok(&format!("{url}/clear"), &[("lang", "fr")], "cleared")
        .await;
    assert!(unescape(&cleared).contains("Delphi's wording is used again."));
}
