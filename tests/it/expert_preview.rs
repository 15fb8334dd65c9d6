//! "Preview as an expert": the experts' questionnaire of any round, in any of the study's
//! languages, with last round's feedback (real, or a labelled sample), rendered by the experts'
//! own page builder — and writing nothing.

use chrono::NaiveDateTime;
use delphi::db::schema::{audit_log, invitation_tokens, invitations, outbox, ratings, studies, suggestions};
use delphi::db::DbConnection;
use delphi::domain::role::Role;
use diesel::prelude::*;

use crate::support::app::{spawn_app, TestApp};
use crate::support::fixtures::SLUG;
use crate::support::forms::unescape;
use crate::support::rounds::{load_demo, open_round, run_round_one};
use crate::support::sign_in::{add_facilitator, add_named_facilitator, grant, Session};

/// What a preview must never change: row counts of every table an expert's page writes to, and
/// the study's stamp.
#[derive(Debug, PartialEq, Eq)]
struct Footprint {
    ratings: i64,
    invitations: i64,
    tokens: i64,
    suggestions: i64,
    audit: i64,
    outbox: i64,
    opened: i64,
    updated_at: NaiveDateTime,
}

fn footprint(conn: &mut DbConnection) -> Footprint {
    Footprint {
        ratings: ratings::table.count().get_result(conn).unwrap(),
        invitations: invitations::table.count().get_result(conn).unwrap(),
        tokens: invitation_tokens::table.count().get_result(conn).unwrap(),
        suggestions: suggestions::table.count().get_result(conn).unwrap(),
        audit: audit_log::table.count().get_result(conn).unwrap(),
        outbox: outbox::table.count().get_result(conn).unwrap(),
        opened: invitations::table
            .filter(invitations::opened_at.is_not_null())
            .count()
            .get_result(conn)
            .unwrap(),
        updated_at: studies::table
            .filter(studies::slug.eq(SLUG))
            .select(studies::updated_at)
            .get_result(conn)
            .unwrap(),
    }
}

/// The demo study and a viewer of it, signed in.
async fn demo_with_viewer() -> (TestApp, String) {
    let app = spawn_app().await;
    load_demo(&mut app.db.get().unwrap());
    add_named_facilitator(&app.db, "vi@example.org", "Vi Ewer");
    grant(&app.db, SLUG, "vi@example.org", Role::Viewer);
    (app, format!("/console/s/{SLUG}/preview"))
}

#[tokio::test]
async fn round_one_previews_in_english_and_french_and_nothing_it_does_is_saved() {
    let (app, preview) = demo_with_viewer().await;
    open_round(&mut app.db.get().unwrap(), SLUG);
    let vi = Session::sign_in(&app, "vi@example.org").await;
    let before = footprint(&mut app.db.get().unwrap());

    let page = unescape(&vi.page(&preview).await);
    assert!(
        page.contains("Preview — this is what experts see; nothing you do here is saved."),
        "{page}"
    );
    assert!(page.contains("<html lang=\"en\" dir=\"ltr\">"));
    // The experts' page: their title, round line, items and scale, from their builder.
    assert!(
        page.contains("<h1>Lactation and Micronutrient Needs</h1>"),
        "{page}"
    );
    assert!(page.contains("Round 1"));
    assert_eq!(page.matches("<fieldset id=i-").count(), 34);
    assert!(page.contains("Haemoglobin concentration (g/L) in venous blood"));
    assert!(page.contains("name=s_M01 value=9>"));
    assert!(
        page.contains(r#"<option value="1" selected>Round 1 (open)</option>"#),
        "{page}"
    );
    // Round 1 collects suggestions: the form is there, as experts see it.
    assert!(page.contains("id=\"suggest\""), "{page}");
    // Nothing on the page can write: no post to an expert link, no autosave script.
    assert!(!page.contains("method=\"post\""), "{page}");
    assert!(!page.contains("/r/"), "{page}");
    assert!(!page.contains("rating.js"), "{page}");
    assert!(page.contains(&format!(r#"<form method="get" action="{preview}" id="rating">"#)));

    let french = unescape(&vi.page(&format!("{preview}?lang=fr")).await);
    assert!(french.contains("<html lang=\"fr\" dir=\"ltr\">"), "{french}");
    assert!(french.contains("Concentration d'hémoglobine (g/L) dans le sang veineux"));
    assert!(french.contains("Tour 1"), "{french}");
    // The bar stays in the facilitator's language.
    assert!(
        french.contains(r#"<div class="preview-bar" lang="en" dir="ltr">"#),
        "{french}"
    );
    assert!(
        french.contains(r#"<option value="fr" selected>French (fr)</option>"#),
        "{french}"
    );

    // The form's buttons come back here, keep what was typed, and say that nothing happened.
    let saved = unescape(
        &vi.page(&format!(
            "{preview}?lang=fr&round=1&s_M01=7&c_M01=Une+remarque&action=save"
        ))
        .await,
    );
    assert!(
        saved.contains("In the questionnaire, Save keeps the answers. This is a preview: nothing was saved."),
        "{saved}"
    );
    assert!(saved.contains("name=s_M01 value=7 checked"), "{saved}");
    assert!(saved.contains("Une remarque</textarea>"), "{saved}");
    assert!(saved.contains("1 élément renseigné sur 34"), "{saved}");
    let reviewed = vi.page(&format!("{preview}?s_M02=U&action=review")).await;
    assert!(reviewed.contains("nothing was saved or submitted"), "{reviewed}");
    let suggested = vi
        .page(&format!(
            "{preview}?action=suggest&text=A+new+item&section=maternal"
        ))
        .await;
    assert!(suggested.contains("nothing was sent"), "{suggested}");
    // The experts' POST routes are not reachable from here, and the preview takes no POST.
    assert_eq!(vi.post(&preview, &[("s_M01", "7")]).await.status(), 404);

    assert_eq!(
        footprint(&mut app.db.get().unwrap()),
        before,
        "a preview wrote something"
    );
}

#[tokio::test]
async fn round_two_shows_a_labelled_sample_before_round_one_closes_and_real_feedback_after() {
    let (app, preview) = demo_with_viewer().await;
    let vi = Session::sign_in(&app, "vi@example.org").await;

    // A draft study: round 1 as opening it would plan it, and round 2 with made-up feedback.
    let first = unescape(&vi.page(&preview).await);
    assert!(first.contains("Round 1 has not opened yet"), "{first}");
    assert!(!first.contains("<div class=fb>"), "round 1 has no feedback");
    let sample = unescape(&vi.page(&format!("{preview}?round=2")).await);
    assert!(
        sample.contains(r#"<option value="2" selected>Round 2 (planned)</option>"#),
        "{sample}"
    );
    assert!(sample.contains("made-up sample"), "{sample}");
    assert_eq!(
        sample
            .matches("<p class=\"fbh sample\">Sample feedback — made-up figures for this preview</p>")
            .count(),
        34,
        "every feedback block is labelled"
    );
    assert!(
        sample.contains("Researchers and academics ("),
        "sample group lines: {sample}"
    );
    let sample_fr = unescape(&vi.page(&format!("{preview}?round=2&lang=fr")).await);
    assert_eq!(
        sample_fr
            .matches("Exemple de retours — chiffres inventés")
            .count(),
        34
    );

    // Round 1 answered and closed, round 2 open: its feedback is the real one.
    let before = {
        let mut conn = app.db.get().unwrap();
        run_round_one(&app, &mut conn);
        footprint(&mut conn)
    };
    let real = unescape(&vi.page(&format!("{preview}?round=2")).await);
    assert!(
        real.contains(r#"<option value="2" selected>Round 2 (open)</option>"#),
        "{real}"
    );
    assert!(!real.contains("Sample feedback"), "{real}");
    assert!(!real.contains("made-up"), "{real}");
    assert!(real.contains("<div class=fb>"), "{real}");
    assert!(
        real.contains("Anonymous remark 0"),
        "last round's comments: {real}"
    );
    assert!(real.contains("Researchers and academics (6)"), "{real}");
    // Two clinicians answered: fewer than min_group_feedback = 3, hidden as on experts' pages.
    assert!(!real.contains("Clinicians and midwives ("), "{real}");
    // Nobody's own previous score: the preview is nobody's page.
    assert!(!real.contains("class=mine>"), "{real}");

    // Round 1, closed, as it was while open; round 3 planned with a sample (round 2 is open).
    let closed = unescape(&vi.page(&format!("{preview}?round=1")).await);
    assert!(closed.contains("Round 1 is closed: experts who open their link now see a page saying so"));
    let third = unescape(&vi.page(&format!("{preview}?round=3")).await);
    assert!(
        third.contains("these are the items it would ask if no item reaches consensus in round 2"),
        "{third}"
    );
    assert!(third.contains("Sample feedback"), "{third}");
    assert_eq!(
        footprint(&mut app.db.get().unwrap()),
        before,
        "a preview wrote something"
    );
}

#[tokio::test]
async fn unknown_choices_are_listed_with_links_and_the_defaults_shown() {
    let (app, preview) = demo_with_viewer().await;
    let vi = Session::sign_in(&app, "vi@example.org").await;
    let page = unescape(&vi.page(&format!("{preview}?lang=xx&round=9")).await);
    assert!(page.contains(r#"<div class="errsum" role="alert""#), "{page}");
    assert!(
        page.contains(
            r##"<a href="#pv-lang">Language: the study is not read in “xx”; choose one of en, fr, es, pt, ar."##
        ),
        "{page}"
    );
    assert!(
        page.contains(r##"<a href="#pv-round">Round: there is no round “9” to preview; choose one of 1, 2. Round 1 is shown."##),
        "{page}"
    );
    assert!(page.contains("id=\"pv-lang\"") && page.contains("id=\"pv-round\""));
    assert!(page.contains("<html lang=\"en\" dir=\"ltr\">"));
    let words = unescape(&vi.page(&format!("{preview}?round=two")).await);
    assert!(words.contains("there is no round “two”"), "{words}");
}

#[tokio::test]
async fn viewers_may_preview_and_nobody_else() {
    let (app, preview) = demo_with_viewer().await;
    assert_eq!(app.get(&preview).await.status(), 303, "signing in first");
    let vi = Session::sign_in(&app, "vi@example.org").await;
    assert_eq!(vi.get(&preview).await.status(), 200);
    let study = vi.page(&format!("/console/s/{SLUG}")).await;
    assert!(study.contains(&format!(r#"<a href="{preview}">Preview as an expert</a>"#)));
    let content = vi.page(&format!("/console/s/{SLUG}/content")).await;
    assert!(content.contains(&format!(r#"<a href="{preview}">Preview as an expert</a>"#)));

    add_facilitator(&app.db, "nobody@example.org");
    let nobody = Session::sign_in(&app, "nobody@example.org").await;
    let refused = nobody.get(&preview).await;
    assert_eq!(refused.status(), 404);
    assert!(!refused.text().await.unwrap().contains("Haemoglobin"));
}
