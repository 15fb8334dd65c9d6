//! Content and panel without files, over HTTP: items pasted one per line on the content page,
//! the panel page (one expert by form, many pasted), the import templates and their column
//! tables, and import previews that list every problem at once. Good and bad paths: every
//! problem listed, nothing saved, what was typed kept; re-adding an email updates; viewers
//! refused.

use delphi::db::models::audit::AuditEntry;
use delphi::db::models::experts::Expert;
use delphi::db::models::invitations::Invitation;
use delphi::db::models::items::Item;
use delphi::db::Db;
use delphi::domain::role::Role;
use delphi::domain::round::ItemOrigin;
use reqwest::multipart::Form;

use crate::support::app::{spawn_app, TestApp};
use crate::support::fixtures::{create_study, study};
use crate::support::forms::{file_part, location, unescape};
use crate::support::rounds::{current_round, open_round};
use crate::support::sign_in::{add_facilitator, grant, Session};

const SLUG: &str = "paste";

fn items(db: &Db) -> Vec<Item> {
    let id = study(db, SLUG).id;
    Item::of_study(&mut db.get().unwrap(), id).unwrap()
}

fn experts(db: &Db) -> Vec<Expert> {
    let id = study(db, SLUG).id;
    Expert::of_study(&mut db.get().unwrap(), id).unwrap()
}

fn audited(db: &Db, action: &str) -> usize {
    let id = study(db, SLUG).id;
    AuditEntry::of_study(&mut db.get().unwrap(), id, 10_000)
        .unwrap()
        .iter()
        .filter(|e| e.action == action)
        .count()
}

/// The example study (sections maternal M01–M14, infant I01–I08, research R01–R12; groups
/// researcher, clinician, programme, advocate; 24 experts), owned by an editor signed in.
async fn editor(app: &TestApp) -> Session<'_> {
    add_facilitator(&app.db, "owner@example.org");
    create_study(app, SLUG, Some("owner@example.org"));
    Session::sign_in(app, "owner@example.org").await
}

/// The content page's "Paste many items" form, sent with `lines` and the default `section`.
async fn paste(me: &Session<'_>, lines: &str, section: &str) -> reqwest::Response {
    me.post(
        &format!("/console/s/{SLUG}/content/paste"),
        &[("lines", lines), ("section", section)],
    )
    .await
}

/// A POST answered 303; where it points.
async fn posted(me: &Session<'_>, path: &str, form: &[(&str, &str)]) -> String {
    let response = me.post(path, form).await;
    let status = response.status();
    let to = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    let body = response.text().await.unwrap();
    assert_eq!(status, 303, "POST {path}: {}", unescape(&body));
    to.unwrap()
}

#[tokio::test]
async fn pasted_items_are_added_with_the_next_free_code_of_their_section() {
    let app = spawn_app().await;
    let me = editor(&app).await;
    let page = me.page(&format!("/console/s/{SLUG}/content")).await;
    assert!(page.contains("Paste many items"), "{page}");
    // The example under the box uses this study's sections and a code it does not have yet.
    assert!(page.contains("M15 | maternal | "), "{page}");
    let before = items(&app.db).len();

    let lines = "Serum zinc concentration\r\n\r\nZ1 | research | Cost of fortified foods\n| infant | Birth weight\nI99\tinfant\tLength-for-age\tin cm\n";
    let refused = paste(&me, lines, "maternal").await;
    // Four columns from a spreadsheet is one too many: nothing of the five lines is saved.
    assert_eq!(refused.status(), 422);
    assert_eq!(items(&app.db).len(), before);

    let lines = "Serum zinc concentration\r\n\r\nZ1 | research | Cost of fortified foods\n| infant | Birth weight\n\tinfant\tLength-for-age\n";
    let to = posted(
        &me,
        &format!("/console/s/{SLUG}/content/paste"),
        &[("lines", lines), ("section", "maternal")],
    )
    .await;
    assert_eq!(to, format!("/console/s/{SLUG}/content?n=4&done=pasted"));
    let page = me.page(&to).await;
    assert!(
        page.contains("4 items were added at the end of the list."),
        "{page}"
    );
    let all = items(&app.db);
    assert_eq!(all.len(), before + 4);
    let added: Vec<(&str, &str)> = all[before..]
        .iter()
        .map(|i| (i.code.as_str(), i.text.as_str()))
        .collect();
    assert_eq!(
        added,
        vec![
            ("M15", "Serum zinc concentration"),
            ("Z1", "Cost of fortified foods"),
            ("I09", "Birth weight"),
            ("I10", "Length-for-age"),
        ]
    );
    assert!(all[before..].iter().all(|i| i.origin == ItemOrigin::Editor));
    assert_eq!(audited(&app.db, "items.paste"), 1);
    let audit = me.page(&format!("/console/s/{SLUG}/audit")).await;
    assert!(
        audit.contains("Added 4 pasted items: M15, Z1, I09, I10."),
        "{audit}"
    );
}

#[tokio::test]
async fn bad_pasted_items_list_every_problem_save_nothing_and_keep_the_text() {
    let app = spawn_app().await;
    let me = editor(&app).await;
    let before = items(&app.db).len();
    let lines = "A1 | mat | Ferritin\nNo section named here\nm01 | maternal | Again\nB 2 | infant |\none | two\nA1 | infant | Twice\n";
    let refused = paste(&me, lines, "").await;
    assert_eq!(refused.status(), 422);
    let page = unescape(&refused.text().await.unwrap());
    for problem in [
        "Line 1, section: `mat` is not a section of the study (known: infant, maternal, research)",
        "Line 2, section: names no section: choose the section of such lines, or write `code | section | wording`",
        "Line 3, code: the item `M01` already exists; choose another code, or leave the code empty to get the next free one",
        "Line 4, code: `B 2` is not a valid item code",
        "Line 4, wording: must not be empty",
        "Line 5: has 2 parts; write the wording alone, or `code | section | wording`",
        "Line 6, code: code `A1` already appears on line 1",
    ] {
        assert!(page.contains(problem), "{problem}\n{page}");
    }
    // The summary at the top links each problem to the text box, which keeps the lines.
    assert!(page.contains("There is a problem"), "{page}");
    assert_eq!(page.matches("<a href=\"#paste-lines\">").count(), 7, "{page}");
    assert!(page.contains(&format!(">{lines}</textarea>")), "{page}");
    assert!(page.contains("aria-invalid=\"true\""));
    assert_eq!(items(&app.db).len(), before);
    assert_eq!(audited(&app.db, "items.paste"), 0);

    // Nothing at all, and a study without the chosen section, are refused the same way.
    let refused = paste(&me, " \n ", "maternal").await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("nothing was pasted: write one item per line"),
        "{page}"
    );
    assert_eq!(items(&app.db).len(), before);
}

#[tokio::test]
async fn items_pasted_while_a_round_is_open_are_asked_from_the_next_round() {
    let app = spawn_app().await;
    let me = editor(&app).await;
    open_round(&mut app.db.get().unwrap(), SLUG);
    let round = current_round(&mut app.db.get().unwrap(), SLUG);
    let asked = delphi::db::models::rounds::Round::items(&mut app.db.get().unwrap(), round.id)
        .unwrap()
        .len();
    // The rule is locked now; adding items is still allowed (as the add form and the items
    // import allow it), and they wait for the next round.
    assert!(study(&app.db, SLUG).rule_hash.is_some());
    let to = posted(
        &me,
        &format!("/console/s/{SLUG}/content/paste"),
        &[("lines", "Serum zinc\nSerum copper"), ("section", "maternal")],
    )
    .await;
    let page = me.page(&to).await;
    assert!(page.contains("2 items were added"), "{page}");
    assert!(page.contains("New items are asked from the next round on."));
    let codes: Vec<String> = items(&app.db).iter().map(|i| i.code.clone()).collect();
    assert!(codes.contains(&"M15".to_string()) && codes.contains(&"M16".to_string()));
    let still = delphi::db::models::rounds::Round::items(&mut app.db.get().unwrap(), round.id)
        .unwrap()
        .len();
    assert_eq!(still, asked, "the open round asks what it asked");
}

#[tokio::test]
async fn an_expert_added_by_form_is_updated_when_the_email_is_added_again() {
    let app = spawn_app().await;
    let me = editor(&app).await;
    let study_page = me.page(&format!("/console/s/{SLUG}")).await;
    assert!(study_page.contains(&format!("href=\"/console/s/{SLUG}/panel\"")));
    let page = me.page(&format!("/console/s/{SLUG}/panel")).await;
    assert!(page.contains("Experts (24)"), "{page}");
    assert!(
        page.contains("a.diallo@example.org"),
        "editors see addresses: {page}"
    );
    assert!(
        page.contains("No round has opened yet: round 1 will invite everyone on the panel"),
        "{page}"
    );
    let before = experts(&app.db).len();

    let to = posted(
        &me,
        &format!("/console/s/{SLUG}/panel/experts"),
        &[
            ("email", " New.Person@Example.ORG "),
            ("name", "Nadia Person"),
            ("group", "clinician"),
            ("language", "fr"),
            ("country", "Benin"),
        ],
    )
    .await;
    assert_eq!(to, format!("/console/s/{SLUG}/panel?who=E025&done=added"));
    let page = me.page(&to).await;
    assert!(
        page.contains("Nadia Person (E025) was added to the panel."),
        "{page}"
    );
    let all = experts(&app.db);
    assert_eq!(all.len(), before + 1);
    let added = all.last().unwrap();
    assert_eq!(added.email.as_deref(), Some("New.Person@example.org"));
    assert_eq!(added.language.as_deref(), Some("fr"));
    assert_eq!(added.country.as_deref(), Some("Benin"));

    // The same address again: the same expert, updated, never a second one.
    let to = posted(
        &me,
        &format!("/console/s/{SLUG}/panel/experts"),
        &[
            ("email", "New.Person@example.org"),
            ("name", "Nadia Person-Adjovi"),
            ("group", "researcher"),
            ("language", ""),
            ("country", ""),
        ],
    )
    .await;
    assert_eq!(to, format!("/console/s/{SLUG}/panel?who=E025&done=updated"));
    let page = unescape(&me.page(&to).await);
    assert!(
        page.contains("Nadia Person-Adjovi (E025) was already on the panel: their details were updated."),
        "{page}"
    );
    let all = experts(&app.db);
    assert_eq!(all.len(), before + 1);
    let updated = all.last().unwrap();
    assert_eq!(updated.name, "Nadia Person-Adjovi");
    assert_eq!(
        (updated.language.as_deref(), updated.country.as_deref()),
        (None, None)
    );

    let to = posted(
        &me,
        &format!("/console/s/{SLUG}/panel/experts"),
        &[
            ("email", "New.Person@example.org"),
            ("name", "Nadia Person-Adjovi"),
            ("group", "researcher"),
        ],
    )
    .await;
    assert_eq!(to, format!("/console/s/{SLUG}/panel?who=E025&done=unchanged"));
    assert_eq!(audited(&app.db, "expert.add"), 1);
    assert_eq!(audited(&app.db, "expert.update"), 1);
    // A crafted notice names nobody it cannot find.
    let page = me
        .page(&format!("/console/s/{SLUG}/panel?who=<b>x</b>&done=added"))
        .await;
    assert!(!page.contains("was added to the panel") && !page.contains("<b>x</b>"));
}

#[tokio::test]
async fn a_refused_expert_form_lists_every_problem_next_to_its_field() {
    let app = spawn_app().await;
    let me = editor(&app).await;
    let before = experts(&app.db).len();
    let refused = me
        .post(
            &format!("/console/s/{SLUG}/panel/experts"),
            &[
                ("email", "bob@"),
                ("name", "  "),
                ("group", "clinician"),
                ("language", "english"),
                ("country", "Côte d'Ivoire"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = unescape(&refused.text().await.unwrap());
    assert!(page.contains("There is a problem"), "{page}");
    for (field, message) in [
        ("email", "Email address: \"bob@\" is not an email address"),
        ("name", "Name: must not be empty"),
        (
            "language",
            "Language: `english` is not a language tag like `en`, `fr` or `pt-BR`",
        ),
    ] {
        assert!(
            page.contains(&format!("<li><a href=\"#{field}\">{message}</a></li>")),
            "{field}\n{page}"
        );
        assert!(page.contains(&format!("id=\"{field}-error\"")), "{field}\n{page}");
    }
    // What was typed stays; the group chosen stays chosen.
    assert!(page.contains("value=\"bob@\""), "{page}");
    assert!(page.contains("value=\"Côte d'Ivoire\""), "{page}");
    assert!(page.contains("<option value=\"clinician\" selected>"), "{page}");
    assert_eq!(experts(&app.db).len(), before);

    // A group the study does not have (a stale or crafted form) is named, and nothing saved.
    let refused = me
        .post(
            &format!("/console/s/{SLUG}/panel/experts"),
            &[("email", "x@example.org"), ("name", "X"), ("group", "nurses")],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = unescape(&refused.text().await.unwrap());
    assert!(
        page.contains("<a href=\"#group\">Stakeholder group: `nurses` is not a group of the study (known: advocate, clinician, programme, researcher)</a>"),
        "{page}"
    );
    assert_eq!(experts(&app.db).len(), before);
    assert_eq!(audited(&app.db, "expert.add"), 0);
}

#[tokio::test]
async fn pasted_experts_are_saved_all_or_none() {
    let app = spawn_app().await;
    let me = editor(&app).await;
    let before = experts(&app.db).len();
    let bad = "ann.lee@example.org | Ann Lee | researcher\nbob@ | Bob | clinician | en\nonly | two\ncy@example.org | Cy | nurses\n\nann.lee@EXAMPLE.org | Ann again | researcher\n";
    let refused = me
        .post(&format!("/console/s/{SLUG}/panel/paste"), &[("lines", bad)])
        .await;
    assert_eq!(refused.status(), 422);
    let page = unescape(&refused.text().await.unwrap());
    for problem in [
        "Line 2, Email address: \"bob@\" is not an email address",
        "Line 3: has 2 parts; write `email | name | group`, optionally followed by `| language | country`",
        "Line 4, Stakeholder group: `nurses` is not a group of the study (known: advocate, clinician, programme, researcher)",
        "Line 6, Email address: `ann.lee@example.org` already appears on line 1",
    ] {
        assert!(page.contains(problem), "{problem}\n{page}");
    }
    assert_eq!(page.matches("<a href=\"#paste-experts\">").count(), 4, "{page}");
    assert!(page.contains(&format!(">{bad}</textarea>")), "{page}");
    assert_eq!(experts(&app.db).len(), before);
    assert_eq!(audited(&app.db, "panel.paste"), 0);

    // Two new experts and one already on the panel (by email): two added, one updated.
    let good = "ann.lee@example.org | Ann Lee | researcher\nbo@example.org\tBo Zhang\tclinician\tfr\tChina\na.diallo@example.org | Aïssatou Diallo | programme | fr | SN\n";
    let to = posted(&me, &format!("/console/s/{SLUG}/panel/paste"), &[("lines", good)]).await;
    assert_eq!(
        to,
        format!("/console/s/{SLUG}/panel?added=2&updated=1&unchanged=0&done=pasted")
    );
    let page = me.page(&to).await;
    assert!(
        page.contains("Experts saved: 2 added, 1 updated, 0 already on the panel unchanged."),
        "{page}"
    );
    let all = experts(&app.db);
    assert_eq!(all.len(), before + 2);
    let diallo = all
        .iter()
        .find(|e| e.email.as_deref() == Some("a.diallo@example.org"))
        .unwrap();
    let programme =
        delphi::db::models::studies::Group::of_study(&mut app.db.get().unwrap(), study(&app.db, SLUG).id)
            .unwrap()
            .into_iter()
            .find(|g| g.key == "programme")
            .unwrap();
    assert_eq!(diallo.group_id, programme.id);
    assert_eq!(audited(&app.db, "panel.paste"), 1);
}

#[tokio::test]
async fn experts_added_while_a_round_is_open_are_not_invited_to_it_and_the_page_says_so() {
    let app = spawn_app().await;
    let me = editor(&app).await;
    open_round(&mut app.db.get().unwrap(), SLUG);
    let round = current_round(&mut app.db.get().unwrap(), SLUG);
    let invited = Invitation::of_round(&mut app.db.get().unwrap(), round.id)
        .unwrap()
        .len();
    posted(
        &me,
        &format!("/console/s/{SLUG}/panel/experts"),
        &[
            ("email", "late@example.org"),
            ("name", "Late Comer"),
            ("group", "advocate"),
        ],
    )
    .await;
    assert_eq!(
        Invitation::of_round(&mut app.db.get().unwrap(), round.id)
            .unwrap()
            .len(),
        invited
    );
    let page = unescape(&me.page(&format!("/console/s/{SLUG}/panel")).await);
    assert!(
        page.contains("Round 1 is open. Experts added now are not invited to it"),
        "{page}"
    );
    assert!(
        page.contains("invite = \"previous_responders\""),
        "the study's setting is named: {page}"
    );
    assert!(page.contains("Not in round 1") && page.contains("Invited to round 1"));
}

#[tokio::test]
async fn templates_download_with_the_study_s_keys_and_import_back_cleanly() {
    let app = spawn_app().await;
    let me = editor(&app).await;
    let page = unescape(&me.page(&format!("/console/s/{SLUG}/import/items")).await);
    for column in [
        "code",
        "section",
        "text",
        "description",
        "text_fr",
        "description_fr",
    ] {
        assert!(
            page.contains(&format!("<th scope=\"row\"><code>{column}</code></th>")),
            "{column}\n{page}"
        );
    }
    assert!(
        page.contains("The key of the item's section: one of maternal, infant, research."),
        "{page}"
    );
    assert!(page.contains("The wording in French, shown to experts"), "{page}");
    let page = unescape(&me.page(&format!("/console/s/{SLUG}/import/panel")).await);
    assert!(
        page.contains("one of researcher, clinician, programme, advocate"),
        "{page}"
    );
    assert!(page.contains("accept=\".csv,.xlsx\""));

    for (kind, format, media_type) in [
        ("items", "csv", "text/csv; charset=utf-8"),
        (
            "items",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("panel", "csv", "text/csv; charset=utf-8"),
        (
            "panel",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ] {
        let response = me
            .get(&format!("/console/s/{SLUG}/import/{kind}/template.{format}"))
            .await;
        assert_eq!(response.status(), 200, "{kind}.{format}");
        assert_eq!(response.headers()["content-type"], media_type);
        assert_eq!(
            response.headers()["content-disposition"],
            format!("attachment; filename=\"{SLUG}-{kind}-template.{format}\"").as_str()
        );
        let bytes = response.bytes().await.unwrap().to_vec();
        if format == "csv" {
            let text = String::from_utf8(bytes.clone()).unwrap();
            let first = if kind == "items" {
                "\u{feff}code,section,text,description,text_fr,description_fr\r\nM15,maternal,Serum zinc concentration (µg/dL),"
            } else {
                "\u{feff}email,name,group,language,country\r\namina.diallo@example.org,Amina Diallo,researcher,fr,SN\r\ngrace.kamau@example.org,Grace Kamau,clinician,,\r\n"
            };
            assert!(text.starts_with(first), "{text}");
        }
        // The template, uploaded as it is, previews without a problem: two rows to add.
        let preview = me
            .upload(
                &format!("/console/s/{SLUG}/import/{kind}/preview"),
                Form::new().part("file", file_part(&format!("template.{format}"), bytes)),
            )
            .await;
        let status = preview.status();
        let html = unescape(&preview.text().await.unwrap());
        assert_eq!(status, 200, "{kind}.{format}: {html}");
        assert!(
            html.contains("2 to add, 0 to update, 0 unchanged"),
            "{kind}.{format}: {html}"
        );
    }
    // And it imports: the items template adds M15 and I09, which rewords nothing.
    let bytes = me
        .get(&format!("/console/s/{SLUG}/import/items/template.xlsx"))
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let html = me
        .upload(
            &format!("/console/s/{SLUG}/import/items/preview"),
            Form::new().part("file", file_part("template.xlsx", bytes)),
        )
        .await
        .text()
        .await
        .unwrap();
    let upload = {
        let marker = "name=\"upload\" value=\"";
        let start = html.find(marker).unwrap() + marker.len();
        html[start..start + html[start..].find('"').unwrap()].to_string()
    };
    let confirmed = me
        .post(&format!("/console/s/{SLUG}/import/items"), &[("upload", &upload)])
        .await;
    assert_eq!(confirmed.status(), 303);
    assert_eq!(location(&confirmed), format!("/console/s/{SLUG}?done=items&n=2"));
    let all = items(&app.db);
    let new: Vec<&str> = all[all.len() - 2..].iter().map(|i| i.code.as_str()).collect();
    assert_eq!(new, ["M15", "I09"]);

    assert_eq!(
        me.get(&format!("/console/s/{SLUG}/import/other/template.csv"))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn import_previews_list_every_problem_at_once_in_line_order() {
    let app = spawn_app().await;
    let me = editor(&app).await;
    // A row error, an unknown section on a readable row, and a code differing only in case
    // from an existing one: before, only the first kind was shown.
    let csv = "code,section,text\nX1,nosuch,Text\nX2,maternal,\nm01,maternal,Case clash\n";
    let refused = me
        .upload(
            &format!("/console/s/{SLUG}/import/items/preview"),
            Form::new().part("file", file_part("bad.csv", csv.into())),
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = unescape(&refused.text().await.unwrap());
    let expected = [
        "bad.csv: line 2, field `section`: `nosuch` is not a section of the study (known: infant, maternal, research)",
        "bad.csv: line 3, field `text`: must not be empty",
        "bad.csv: line 4, field `code`: `m01` differs only in letter case from the existing item `M01`",
    ];
    let at: Vec<usize> = expected
        .iter()
        .map(|e| html.find(e).unwrap_or_else(|| panic!("{e}\n{html}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "in line order: {html}");

    let csv = "email,name,group\nbob@,Bob,researcher\ncy@example.org,Cy,nurses\n";
    let refused = me
        .upload(
            &format!("/console/s/{SLUG}/import/panel/preview"),
            Form::new().part("file", file_part("panel.csv", csv.into())),
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = unescape(&refused.text().await.unwrap());
    assert!(
        html.contains("panel.csv: line 2, field `email`: \"bob@\" is not an email address"),
        "{html}"
    );
    assert!(
        html.contains("panel.csv: line 3, field `group`: `nurses` is not a group of the study"),
        "{html}"
    );
}

#[tokio::test]
async fn viewers_see_the_panel_without_addresses_and_are_refused_every_change() {
    let app = spawn_app().await;
    let _owner = editor(&app).await;
    add_facilitator(&app.db, "viewer@example.org");
    grant(&app.db, SLUG, "viewer@example.org", Role::Viewer);
    let viewer = Session::sign_in(&app, "viewer@example.org").await;
    let page = viewer.page(&format!("/console/s/{SLUG}/panel")).await;
    assert!(page.contains("E001") && page.contains("Experts (24)"), "{page}");
    // A pseudonymous study: no names, no addresses, and no forms.
    assert!(
        !page.contains("a.diallo@example.org") && !page.contains("Diallo"),
        "{page}"
    );
    assert!(!page.contains("Add an expert") && !page.contains("Paste many experts"));
    let content = viewer.page(&format!("/console/s/{SLUG}/content")).await;
    assert!(!content.contains("Paste many items"));

    let (items_before, experts_before) = (items(&app.db).len(), experts(&app.db).len());
    for (path, form) in [
        (
            "content/paste",
            vec![("lines", "Serum zinc"), ("section", "maternal")],
        ),
        (
            "panel/experts",
            vec![("email", "v@example.org"), ("name", "V"), ("group", "researcher")],
        ),
        ("panel/paste", vec![("lines", "v@example.org | V | researcher")]),
    ] {
        let response = viewer.post(&format!("/console/s/{SLUG}/{path}"), &form).await;
        assert_eq!(response.status(), 403, "{path}");
    }
    for path in ["import/items/template.csv", "import/panel/template.xlsx"] {
        assert_eq!(
            viewer.get(&format!("/console/s/{SLUG}/{path}")).await.status(),
            403,
            "{path}"
        );
    }
    assert_eq!(items(&app.db).len(), items_before);
    assert_eq!(experts(&app.db).len(), experts_before);

    // Without the CSRF token, an editor's paste is refused too.
    let owner = Session::sign_in(&app, "owner@example.org").await;
    let response = owner
        .post_raw(
            &format!("/console/s/{SLUG}/content/paste"),
            &[("lines", "Serum zinc"), ("section", "maternal")],
        )
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(items(&app.db).len(), items_before);
}

/// The pages in a real browser: refused pasted lines and a refused expert form come back with
/// their summary, and every page passes axe-core, before and after a refusal.
#[cfg(feature = "browser-tests")]
mod in_a_browser {
    use super::*;
    use crate::support::browser::Browser;

    #[tokio::test]
    async fn pasting_and_adding_experts_in_a_browser_pass_axe_when_refused() {
        let app = spawn_app().await;
        add_facilitator(&app.db, "owner@example.org");
        create_study(&app, SLUG, Some("owner@example.org"));
        let browser = Browser::start(true).await;
        browser.sign_in(&app, "owner@example.org").await;

        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/content")))
            .await;
        browser
            .assert_accessible("the content page with the paste form")
            .await;
        browser
            .send_keys("#paste-lines", "A1 | mat | Ferritin\nTwo | parts")
            .await;
        browser.click("#paste button[type=\"submit\"]").await;
        browser.wait_for_text("Line 2: has 2 parts").await;
        browser.assert_accessible("refused pasted items").await;
        // The summary's link takes the keyboard to the text box, which kept the lines.
        browser.click("a[href=\"#paste-lines\"]").await;
        let kept = browser
            .script(
                "return document.getElementById('paste-lines').value",
                serde_json::json!([]),
            )
            .await;
        assert_eq!(kept, "A1 | mat | Ferritin\nTwo | parts");

        browser.goto(&app.url(&format!("/console/s/{SLUG}/panel"))).await;
        browser.assert_accessible("the panel page").await;
        browser.send_keys("#email", "bob@").await;
        browser.click("#add button[type=\"submit\"]").await;
        browser.wait_for_text("is not an email address").await;
        browser.assert_accessible("the refused expert form").await;

        browser
            .goto(&app.url(&format!("/console/s/{SLUG}/import/items")))
            .await;
        browser
            .assert_accessible("the items import page with its column table")
            .await;
    }
}
