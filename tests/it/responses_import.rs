//! The console's responses import: the page says which file the study takes now (ratings, CHNRI
//! answers, a ranking) and offers that file's template; a file is previewed (rows, experts,
//! items, what would be saved) with nothing written, then imported on confirmation. Here the
//! ratings of the example study; CHNRI answers are in `chnri.rs`, a ranking in `ranking.rs`,
//! each checked against what `delphi responses import` gives for the same file.

use reqwest::multipart::Form;

use crate::support::app::{spawn_app, TestApp};
use crate::support::fixtures::create_study;
use crate::support::forms::{file_part, location, unescape};
use crate::support::rounds::{current_round, experts, open_round};
use crate::support::sign_in::{add_facilitator, Session};

/// `file` previewed on the responses import page of `slug`: the preview's status and text.
pub(crate) async fn preview(me: &Session<'_>, slug: &str, name: &str, file: &str) -> (u16, String) {
    let response = me
        .upload(
            &format!("/console/s/{slug}/import/responses/preview"),
            Form::new().part("file", file_part(name, file.as_bytes().to_vec())),
        )
        .await;
    let status = response.status().as_u16();
    (status, unescape(&response.text().await.unwrap()))
}

/// Confirms the import the preview page `html` offers; where it redirects.
pub(crate) async fn confirm(me: &Session<'_>, slug: &str, html: &str) -> String {
    let marker = "name=\"upload\" value=\"";
    let start = html.find(marker).expect("a confirm form") + marker.len();
    let upload = &html[start..start + html[start..].find('"').unwrap()];
    let confirmed = me
        .post(
            &format!("/console/s/{slug}/import/responses"),
            &[("upload", upload)],
        )
        .await;
    assert_eq!(confirmed.status(), 303);
    location(&confirmed)
}

/// A signed-in owner of `slug`.
pub(crate) async fn owner<'a>(app: &'a TestApp, slug: &str) -> Session<'a> {
    add_facilitator(&app.db, "owner@example.org");
    crate::support::sign_in::grant(
        &app.db,
        slug,
        "owner@example.org",
        delphi::domain::role::Role::Owner,
    );
    Session::sign_in(app, "owner@example.org").await
}

#[tokio::test]
async fn the_console_previews_then_imports_ratings() {
    use delphi::db::models::items::Item;
    use delphi::db::models::ratings::Rating;
    use delphi::db::models::rounds::Round;

    let app = spawn_app().await;
    create_study(&app, "rate", None);
    let me = owner(&app, "rate").await;
    let mut conn = app.db.get().unwrap();
    open_round(&mut conn, "rate");
    let round = current_round(&mut conn, "rate");
    let panel = experts(&mut conn, "rate");
    let first_item = Round::items(&mut conn, round.id).unwrap()[0].item_id;
    let code = Item::by_id(&mut conn, first_item).unwrap().unwrap().code;
    let (a, b) = (panel[0].email.clone().unwrap(), panel[1].email.clone().unwrap());
    drop(conn);
    let saved = || {
        let mut conn = app.db.get().unwrap();
        Rating::of_round(&mut conn, round.id).unwrap().len()
    };

    let page = unescape(&me.page("/console/s/rate/import/responses").await);
    assert!(page.contains("This study takes ratings now"), "{page}");
    assert!(page.contains("expert,item,score,comment"), "{page}");
    assert!(!page.contains("template.xlsx"), "responses are CSV only: {page}");
    let template = me.get("/console/s/rate/import/responses/template.csv").await;
    assert_eq!(template.status(), 200);
    let template = template.text().await.unwrap();
    assert_eq!(
        template.lines().next(),
        Some("\u{feff}expert,item,score,comment"),
        "{template}"
    );
    assert!(
        template.contains(&a),
        "the template names a panel member: {template}"
    );
    assert_eq!(
        me.get("/console/s/rate/import/responses/template.xlsx")
            .await
            .status(),
        404
    );

    let file = format!("expert,item,score,comment\n{a},{code},7,\n{b},{code},U,Not my field\n");
    let (status, html) = preview(&me, "rate", "paper.csv", &file).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("Round 1: 2 rows from 2 experts on 1 item. 2 answers will be saved and 0 removed."),
        "{html}"
    );
    assert!(html.contains(&a) && html.contains(&code), "{html}");
    assert_eq!(saved(), 0, "a preview writes nothing");
    assert_eq!(
        confirm(&me, "rate", &html).await,
        "/console/s/rate?done=responses&n=2"
    );
    assert_eq!(saved(), 2);

    // CHNRI columns in a rating study: the first line says which columns it needs.
    let chnri = format!("expert,item,criterion,question,answer\n{a},{code},x,1,yes\n");
    let (status, html) = preview(&me, "rate", "chnri.csv", &chnri).await;
    assert_eq!(status, 422, "{html}");
    assert!(
        html.contains(
            "chnri.csv: this study takes ratings now: its responses file has the columns expert,item,score,comment"
        ),
        "{html}"
    );
    assert!(html.contains("Nothing was saved"), "{html}");
    let unknown = format!("expert,item,score\nnobody@example.org,{code},3\n{a},{code},99\n");
    let (status, html) = preview(&me, "rate", "bad.csv", &unknown).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("bad.csv: line 2, field `expert`"), "{html}");
    assert!(html.contains("bad.csv: line 3, field `score`"), "{html}");
    assert_eq!(saved(), 2, "nothing changed");
}
