//! The closing email of a finished study and the experts' read-only results page: sent with
//! finishing (on by default) or later from the final list, once; each expert's personal link
//! opens the final list in their language, with aggregates only and small groups hidden.

use std::collections::HashMap;

use delphi::config::{EmailTransportKind, Settings, SmtpSecurity};
use delphi::db::models::invitations::Invitation;
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::schema::{audit_log, email_templates, invitation_tokens};
use delphi::db::{now, DbConnection};
use delphi::domain::answer::Answer;
use delphi::domain::link::LinkBase;
use delphi::domain::role::Role;
use delphi::service::closing;
use delphi::service::ratings::{self, AnswerInput};
use delphi::service::{erasure, mail, studies, ServiceError};
use diesel::prelude::*;

use crate::support::app::{spawn_app_keeping_emails_with, TestApp, PUBLIC_URL};
use crate::support::fixtures::{actor, SLUG};
use crate::support::forms::{location, unescape};
use crate::support::mail::{decoded, outbox_emails, token_after};
use crate::support::rounds::{
    close_round, current_round, experts, item_codes, load_demo, open_round_with_links, round_one_responders,
};
use crate::support::sign_in::{add_facilitator, add_named_facilitator, grant, Session};
use crate::support::smtp::SmtpServer;

const REASON: &str = "Consensus reached on the core items";

/// The expert the tests withdraw before finishing: no closing email for them.
const WITHDRAWN: &str = "h.lefevre@example.org";

/// The demo's round 1 answered by the six researchers and two clinicians, then closed: items
/// 1, 4, 7 … all scored 8 (in), items 2, 5, 8 … all 2 (out), the rest spread (no consensus).
/// With `min_group_feedback = 3`, the researchers' figures may be shown and the clinicians' not.
fn round_one_closed(app: &TestApp, conn: &mut DbConnection) {
    open_round_with_links(app, conn, SLUG);
    let round = current_round(conn, SLUG);
    let codes = item_codes(conn);
    for (n, expert) in round_one_responders(conn) {
        let invitation = Invitation::find(conn, round.id, expert.id).unwrap().unwrap();
        for (i, code) in codes.iter().enumerate() {
            let score = match i % 3 {
                0 => 8,
                1 => 2,
                _ => [2, 5, 8][n % 3],
            };
            let comment = (i == 0).then(|| format!("A remark by {}", expert.name));
            ratings::record(
                conn,
                invitation.id,
                &AnswerInput {
                    item_code: code.clone(),
                    answer: Answer::Score(score),
                    comment,
                    reason: None,
                },
            )
            .unwrap();
        }
    }
    close_round(conn, SLUG);
}

/// A finished-ready demo study (round 1 closed, one expert withdrawn) and its editor.
async fn ready_to_finish() -> TestApp {
    ready_to_finish_with(|_| {}).await
}

/// `ready_to_finish` on a server whose settings `configure` changes.
async fn ready_to_finish_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let app = spawn_app_keeping_emails_with(configure).await;
    {
        let mut conn = app.db.get().unwrap();
        load_demo(&mut conn);
        round_one_closed(&app, &mut conn);
        mail::withdraw_expert(&mut conn, SLUG, WITHDRAWN, &actor()).unwrap();
    }
    add_named_facilitator(&app.db, "ed@example.org", "Ed Itor");
    grant(&app.db, SLUG, "ed@example.org", Role::Editor);
    app
}

fn closing_emails(conn: &mut DbConnection) -> Vec<OutboxEmail> {
    outbox_emails(conn)
        .into_iter()
        .filter(|e| e.kind == "study_closed")
        .collect()
}

fn results_tokens(conn: &mut DbConnection) -> i64 {
    invitation_tokens::table
        .filter(invitation_tokens::purpose.eq("results"))
        .count()
        .get_result(conn)
        .unwrap()
}

fn audited(conn: &mut DbConnection, action: &str) -> Vec<(String, String)> {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .select((audit_log::actor, audit_log::details))
        .load(conn)
        .unwrap()
}

#[tokio::test]
async fn finishing_emails_each_expert_who_took_part_once_through_smtp_with_a_working_results_link() {
    // The server's own outbox worker delivers through a real SMTP conversation.
    let smtp = SmtpServer::start().await;
    let app = ready_to_finish_with(|settings| {
        settings.email.transport = EmailTransportKind::Smtp;
        settings.email.smtp.host = "127.0.0.1".into();
        settings.email.smtp.port = smtp.port();
        settings.email.smtp.security = SmtpSecurity::None;
        settings.email.smtp.timeout_secs = 5;
        settings.workers.outbox_interval_secs = 1;
    })
    .await;
    let ed = Session::sign_in(&app, "ed@example.org").await;
    let finish = format!("/console/s/{SLUG}/finish");

    // The confirmation offers the email, ticked, with its wording and whom it goes to.
    let page = unescape(&ed.page(&finish).await);
    assert!(
        page.contains(r#"name="email_panel" value="yes" checked"#),
        "{page}"
    );
    assert!(page.contains("Email the panel a thank-you with a link to the results"));
    assert!(page.contains("It goes to the 23 experts who took part"), "{page}");
    assert!(
        page.contains("Lactation and Micronutrient Needs: the results, and thank you"),
        "{page}"
    );
    assert!(
        page.contains("The panel reached consensus on 12 items."),
        "{page}"
    );
    assert!(page.contains("/r/[personal-link]/results"), "{page}");

    let done = ed
        .post(&finish, &[("reason", REASON), ("email_panel", "yes")])
        .await;
    assert_eq!(
        location(&done),
        format!("/console/s/{SLUG}/final?done=finished-emailed&n=23")
    );
    let list = ed.page(&location(&done)).await;
    assert!(
        list.contains("The study is finished. Closing email queued for 23 experts."),
        "{list}"
    );
    assert!(list.contains("The closing email was queued on"), "{list}");
    assert!(!list.contains("closing-email\""), "no second offer: {list}");

    let mut conn = app.db.get().unwrap();
    let queued = closing_emails(&mut conn);
    assert_eq!(queued.len(), 23);
    let withdrawn_id = experts(&mut conn, SLUG)
        .into_iter()
        .find(|e| e.email.as_deref() == Some(WITHDRAWN))
        .unwrap()
        .id;
    assert!(queued.iter().all(|e| e.expert_id != Some(withdrawn_id)));
    assert_eq!(results_tokens(&mut conn), 23);
    let audit = audited(&mut conn, "study.closing_email");
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].0, "ed@example.org");
    assert!(audit[0].1.contains("\"experts\":23"), "{audit:?}");

    // Delivered by the server's worker over SMTP, each expert once.
    let closing_received = || -> Vec<(Vec<String>, String)> {
        smtp.received()
            .into_iter()
            .map(|m| (m.to.clone(), decoded(&m.data)))
            .filter(|(_, text)| text.contains("/results"))
            .collect()
    };
    let mut waited = 0;
    while closing_received().len() < 23 && waited < 300 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    let closing = closing_received();
    assert_eq!(closing.len(), 23);
    let mut per_recipient: HashMap<String, usize> = HashMap::new();
    for (to, _) in &closing {
        *per_recipient.entry(to.join(",")).or_default() += 1;
    }
    assert!(per_recipient.values().all(|n| *n == 1), "{per_recipient:?}");
    assert!(!per_recipient.keys().any(|to| to.contains(WITHDRAWN)));

    // The French expert's email and page are in French; the link works.
    let (_, french) = closing
        .iter()
        .find(|(to, _)| to.iter().any(|t| t.contains("a.diallo@example.org")))
        .unwrap();
    assert!(french.contains("Bonjour Aïssatou Diallo"), "{french}");
    assert!(french.contains("Voir les résultats"), "{french}");
    let link_token = token_after(french, &format!("{PUBLIC_URL}/r/"));
    assert!(french.contains(&format!("/r/{link_token}/results")));
    let response = app.get(&format!("/r/{link_token}/results")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let page = unescape(&response.text().await.unwrap());
    assert!(page.contains("<html lang=\"fr\" dir=\"ltr\">"), "{page}");
    assert!(page.contains("Résultats de l'étude"), "{page}");
    assert!(
        page.contains("12 consensus d’inclusion, 11 consensus d’exclusion, 11 sans consensus."),
        "{page}"
    );
    // Item texts in the expert's language.
    assert!(page.contains("Concentration d'hémoglobine"), "{page}");
    assert!(page.contains("Consensus d’inclusion : inclure") && page.contains("Pas de consensus"));
    assert!(page.contains("Médiane 8,0 · EIQ 0,0 · n = 8 · tour 1"), "{page}");

    // Sent once: the final list no longer offers it and the use case refuses.
    let again = closing::send_later(&mut conn, SLUG, &LinkBase(PUBLIC_URL.into()), &actor());
    assert!(
        matches!(&again, Err(ServiceError::Conflict(m)) if m.contains("queued already")),
        "{again:?}"
    );
    let refused = ed
        .post_refused(&format!("/console/s/{SLUG}/final/closing-email"), &[], 409)
        .await;
    assert!(refused.contains("it is sent once"), "{refused}");
    assert_eq!(closing_emails(&mut conn).len(), 23);
    assert_eq!(results_tokens(&mut conn), 23);
}

#[tokio::test]
async fn finishing_without_the_email_sends_nothing_and_the_final_list_sends_it_later_once() {
    let app = ready_to_finish().await;
    add_named_facilitator(&app.db, "vi@example.org", "Vi Ewer");
    grant(&app.db, SLUG, "vi@example.org", Role::Viewer);
    let ed = Session::sign_in(&app, "ed@example.org").await;
    let vi = Session::sign_in(&app, "vi@example.org").await;
    let final_page = format!("/console/s/{SLUG}/final");
    let send = format!("/console/s/{SLUG}/final/closing-email");

    // Before finishing there is nothing to send.
    let page = ed.post_refused(&send, &[], 409).await;
    assert!(page.contains("is not finished"), "{page}");

    // The box unticked (a browser sends nothing for it).
    let done = ed
        .post(&format!("/console/s/{SLUG}/finish"), &[("reason", REASON)])
        .await;
    assert_eq!(location(&done), format!("{final_page}?done=finished"));
    let mut conn = app.db.get().unwrap();
    assert!(closing_emails(&mut conn).is_empty());
    assert_eq!(results_tokens(&mut conn), 0);

    // The final list offers it to editors, with its wording; viewers neither see nor send it.
    let list = unescape(&ed.page(&final_page).await);
    assert!(list.contains(&format!(r#"action="{send}""#)), "{list}");
    assert!(
        list.contains("The study finished without a closing email"),
        "{list}"
    );
    assert!(list.contains("It goes to the 23 experts who took part"), "{list}");
    assert!(list.contains("the results, and thank you"), "{list}");
    let seen = vi.page(&final_page).await;
    assert!(!seen.contains(&send), "{seen}");
    assert_eq!(vi.post(&send, &[]).await.status(), 403);
    assert!(closing_emails(&mut conn).is_empty());

    let sent = ed.post_ok(&send, &[], "closing&n=23").await;
    assert!(sent.contains("Closing email queued for 23 experts."), "{sent}");
    assert!(sent.contains("The closing email was queued on"), "{sent}");
    assert!(!sent.contains(&format!(r#"action="{send}""#)), "{sent}");
    assert_eq!(closing_emails(&mut conn).len(), 23);

    // Once only, however it is asked again.
    let refused = ed.post_refused(&send, &[], 409).await;
    assert!(refused.contains("queued already"), "{refused}");
    assert_eq!(closing_emails(&mut conn).len(), 23);
    assert_eq!(audited(&mut conn, "study.closing_email").len(), 1);
    let audit = ed.page(&format!("/console/s/{SLUG}/audit")).await;
    assert!(
        audit.contains("Queued the closing email with the results link for 23 experts."),
        "{audit}"
    );
}

/// The English results page of an expert who got the closing email.
fn results_link_of(conn: &mut DbConnection, email: &str) -> String {
    let expert_id = experts(conn, SLUG)
        .into_iter()
        .find(|e| e.email.as_deref() == Some(email))
        .unwrap()
        .id;
    let sent = closing_emails(conn)
        .into_iter()
        .find(|e| e.expert_id == Some(expert_id))
        .unwrap();
    token_after(&sent.body_text, &format!("{PUBLIC_URL}/r/"))
}

#[tokio::test]
async fn the_results_page_shows_the_final_list_without_anyone_s_identity_and_hides_small_groups() {
    let app = ready_to_finish().await;
    let mut conn = app.db.get().unwrap();
    closing::finish(
        &mut conn,
        SLUG,
        REASON,
        true,
        &LinkBase(PUBLIC_URL.into()),
        &actor(),
    )
    .unwrap();
    let link_token = results_link_of(&mut conn, "m.tran@example.org");
    let response = app.get(&format!("/r/{link_token}/results")).await;
    assert_eq!(response.status(), 200);
    let page = unescape(&response.text().await.unwrap());
    assert!(page.contains("<html lang=\"en\" dir=\"ltr\">"), "{page}");
    assert!(page.contains("Results of the study"));
    assert!(page.contains("The study finished on"), "{page}");
    assert!(
        page.contains("12 consensus in (include), 11 consensus out (exclude), 11 no consensus."),
        "{page}"
    );
    // Every item once, by section, with its decision and last round's figures.
    assert_eq!(page.matches("<li class=\"st-").count(), 34, "{page}");
    assert_eq!(page.matches("<li class=\"st-in\">").count(), 12);
    assert_eq!(page.matches("<li class=\"st-out\">").count(), 11);
    assert!(page.contains("<h2>Maternal health and nutritional status indicators</h2>"));
    assert!(page.contains("Median 8.0 · IQR 0.0 · n = 8 · round 1"), "{page}");
    assert!(page.contains("Median 2.0 · IQR 0.0 · n = 8 · round 1"), "{page}");

    // The six researchers are a group large enough to show; the two clinicians are not.
    assert!(
        page.contains("Researchers and academics (6): median 8.0, IQR 0.0"),
        "{page}"
    );
    assert!(
        !page.contains("Clinicians and midwives"),
        "a group of 2 < 3 is hidden: {page}"
    );
    assert!(
        page.contains("Stakeholder groups with fewer than 3 responders to an item are not shown"),
        "{page}"
    );

    // Nobody's name, address or pseudonym; no comment (they could name their author).
    for expert in experts(&mut conn, SLUG) {
        assert!(!page.contains(&expert.name), "{} on the page", expert.name);
        if let Some(email) = &expert.email {
            assert!(!page.contains(email.as_str()), "{email} on the page");
        }
        assert!(
            !page.contains(&expert.pseudonym),
            "{} on the page",
            expert.pseudonym
        );
    }
    assert!(!page.contains("A remark by"), "{page}");
    assert!(
        !page.contains(REASON),
        "the facilitators' reason stays in the console"
    );
}

#[tokio::test]
async fn links_that_open_no_results_get_the_unknown_link_page() {
    let app = ready_to_finish().await;
    let mut conn = app.db.get().unwrap();
    let links = LinkBase(PUBLIC_URL.into());
    // A questionnaire link of round 1, from its invitation email.
    let invitation = outbox_emails(&mut conn)
        .into_iter()
        .find(|e| e.kind == "invitation" && e.body_text.contains("/r/"))
        .unwrap();
    let questionnaire = token_after(&invitation.body_text, "/r/");
    assert_eq!(app.get(&format!("/r/{questionnaire}")).await.status(), 200);
    closing::finish(&mut conn, SLUG, REASON, true, &links, &actor()).unwrap();
    // Read before the outbox worker gets a turn: sending removes the links from its copy.
    let results = results_link_of(&mut conn, "m.tran@example.org");
    let other = results_link_of(&mut conn, "a.diallo@example.org");
    assert_eq!(app.get(&format!("/r/{results}/results")).await.status(), 200);

    let unknown = |path: String| {
        let app = &app;
        async move {
            let response = app.get(&path).await;
            let status = response.status();
            let body = response.text().await.unwrap();
            assert_eq!(status, 404, "{path}: {body}");
            assert!(body.contains("This link does not work"), "{path}: {body}");
        }
    };
    unknown("/r/not-a-token/results".into()).await;
    unknown(format!("/r/{}/results", "ab".repeat(32))).await;
    // A questionnaire link does not open the results, nor a results link the questionnaire.
    unknown(format!("/r/{questionnaire}/results")).await;
    unknown(format!("/r/{results}")).await;
    assert_eq!(app.get(&format!("/u/{results}")).await.status(), 404);

    // Erasing the expert revokes the link with the expert's others.
    erasure::erase(&mut conn, SLUG, "m.tran@example.org", true, &actor()).unwrap();
    unknown(format!("/r/{results}/results")).await;
    // A link revoked by hand (as a resend does) stops too.
    assert_eq!(app.get(&format!("/r/{other}/results")).await.status(), 200);
    diesel::update(invitation_tokens::table.filter(invitation_tokens::purpose.eq("results")))
        .set(invitation_tokens::revoked_at.eq(now()))
        .execute(&mut conn)
        .unwrap();
    unknown(format!("/r/{other}/results")).await;
}

#[tokio::test]
async fn an_email_that_cannot_be_written_is_named_on_the_form_and_nothing_is_finished() {
    let app = ready_to_finish().await;
    let mut conn = app.db.get().unwrap();
    let study = studies::load(&mut conn, SLUG).unwrap();
    // A stored wording that no longer renders (set before a variable it uses was removed).
    diesel::insert_into(email_templates::table)
        .values((
            email_templates::study_id.eq(study.id),
            email_templates::name.eq("study_closed"),
            email_templates::language.eq("en"),
            email_templates::subject.eq("Thanks"),
            email_templates::body_text.eq("Hello {{no_such_variable}}"),
            email_templates::updated_at.eq(now()),
        ))
        .execute(&mut conn)
        .unwrap();
    let ed = Session::sign_in(&app, "ed@example.org").await;
    let finish = format!("/console/s/{SLUG}/finish");
    let page = ed.page(&finish).await;
    assert!(page.contains("The closing email could not be written"), "{page}");

    let refused = ed
        .post_refused(&finish, &[("reason", REASON), ("email_panel", "yes")], 422)
        .await;
    assert!(refused.contains(r##"<a href="#email_panel">"##), "{refused}");
    assert!(refused.contains("no_such_variable"), "{refused}");
    assert!(refused.contains(REASON), "what was typed is kept: {refused}");
    assert!(refused.contains(r#"value="yes" checked"#), "{refused}");
    assert!(studies::load(&mut conn, SLUG).unwrap().finished_at.is_none());
    assert!(closing_emails(&mut conn).is_empty());
    assert_eq!(results_tokens(&mut conn), 0);

    // Both problems at once: no reason, and the email.
    let refused = ed
        .post_refused(&finish, &[("reason", " "), ("email_panel", "yes")], 422)
        .await;
    assert!(refused.contains(r##"<a href="#reason">"##), "{refused}");
    assert!(refused.contains(r##"<a href="#email_panel">"##), "{refused}");
    assert!(studies::load(&mut conn, SLUG).unwrap().finished_at.is_none());

    // Without the email it finishes.
    let done = ed.post(&finish, &[("reason", REASON)]).await;
    assert_eq!(location(&done), format!("/console/s/{SLUG}/final?done=finished"));
    assert!(studies::load(&mut conn, SLUG).unwrap().finished_at.is_some());

    // Nobody without a role sees the study.
    add_facilitator(&app.db, "nobody@example.org");
    let nobody = Session::sign_in(&app, "nobody@example.org").await;
    assert_eq!(
        nobody
            .post(&format!("/console/s/{SLUG}/final/closing-email"), &[])
            .await
            .status(),
        404
    );
}
