//! The figure for a paper (/console/s/SLUG/figure): one diverging stacked bar per item of a
//! closed round, for every expert or one stakeholder group, its SVG download, who may see it,
//! and the refusals of a bad round or group.

use delphi::db::models::invitations::Invitation;
use delphi::db::models::items::Item;
use delphi::db::models::rounds::Round;
use delphi::db::models::studies::Group;
use delphi::db::DbConnection;
use delphi::domain::answer::Answer;
use delphi::domain::role::Role;
use delphi::service::ratings;
use delphi::service::studies;

use crate::support::app::{spawn_app_keeping_emails, TestApp};
use crate::support::fixtures::SLUG;
use crate::support::forms::unescape;
use crate::support::rounds::{
    answer_input, close_round, current_round, experts, item_codes, load_demo, open_round_with_links,
    round_one_responders,
};
use crate::support::sign_in::{add_facilitator, grant, Session};

const PAGE: &str = "/console/s/lmn-2024/figure";
const FILE: &str = "/console/s/lmn-2024/figure.svg";

/// Round 1 answered by the six researchers and two clinicians: M01 all 8 (100 % in 7–9), M02
/// six 8s and two 5s (75 %), M03 "unable to score" by everyone (no answers), M04 four 9s and
/// four 1s (50 %), every other item 2 (0 %). COMET then puts M01 and M02 in, M03 and M04 in no
/// consensus (carried into round 2), the rest out.
fn round_one(app: &TestApp, conn: &mut DbConnection) {
    open_round_with_links(app, conn, SLUG);
    let round = current_round(conn, SLUG);
    let codes = item_codes(conn);
    for (responder, (_, expert)) in round_one_responders(conn).into_iter().enumerate() {
        let invitation = Invitation::find(conn, round.id, expert.id).unwrap().unwrap();
        for code in &codes {
            let answer = match code.as_str() {
                "M01" => Answer::Score(8),
                "M02" if responder < 6 => Answer::Score(8),
                "M02" => Answer::Score(5),
                "M03" => Answer::Unable,
                "M04" if responder % 2 == 0 => Answer::Score(9),
                "M04" => Answer::Score(1),
                _ => Answer::Score(2),
            };
            ratings::record(conn, invitation.id, &answer_input(code, answer)).unwrap();
        }
    }
    close_round(conn, SLUG);
}

/// Round 2 (M03 and M04) answered 8 by the researchers who are invited to it, then closed.
fn round_two(app: &TestApp, conn: &mut DbConnection) {
    open_round_with_links(app, conn, SLUG);
    let round = current_round(conn, SLUG);
    let study = studies::load(conn, SLUG).unwrap();
    let researcher = Group::of_study(conn, study.id)
        .unwrap()
        .into_iter()
        .find(|g| g.key == "researcher")
        .unwrap()
        .id;
    let asked: Vec<String> = Round::items(conn, round.id)
        .unwrap()
        .into_iter()
        .map(|ri| Item::by_id(conn, ri.item_id).unwrap().unwrap().code)
        .collect();
    assert_eq!(asked, ["M03", "M04"]);
    for expert in experts(conn, SLUG).iter().filter(|e| e.group_id == researcher) {
        let invitation = Invitation::find(conn, round.id, expert.id).unwrap().unwrap();
        for code in &asked {
            ratings::record(conn, invitation.id, &answer_input(code, Answer::Score(8))).unwrap();
        }
    }
    close_round(conn, SLUG);
}

/// The demo with `closed` rounds closed, an owner, a viewer and a facilitator of another study.
async fn study_with(closed: usize) -> TestApp {
    let app = spawn_app_keeping_emails().await;
    {
        let mut conn = app.db.get().unwrap();
        load_demo(&mut conn);
        if closed >= 1 {
            round_one(&app, &mut conn);
        }
        if closed >= 2 {
            round_two(&app, &mut conn);
        }
    }
    for (email, role) in [
        ("owner@example.org", Some(Role::Owner)),
        ("vi@example.org", Some(Role::Viewer)),
    ] {
        add_facilitator(&app.db, email);
        if let Some(role) = role {
            grant(&app.db, SLUG, email, role);
        }
    }
    add_facilitator(&app.db, "stranger@example.org");
    app
}

/// The item codes of the figure's rows, top to bottom.
fn row_codes(svg: &str) -> Vec<String> {
    svg.split("<g><title>")
        .skip(1)
        .map(|row| row.split(" — ").next().unwrap().to_string())
        .collect()
}

/// The x of an attribute `x="…"` just before `marker` in `svg`.
fn x_before(svg: &str, marker: &str, nth: usize) -> f64 {
    let at = svg.match_indices(marker).nth(nth).unwrap().0;
    let before = &svg[..at];
    let x = before.rfind(" x=\"").unwrap() + 4;
    before[x..].split('"').next().unwrap().parse().unwrap()
}

/// The x of every dashed consensus line.
fn dashed_lines(svg: &str) -> Vec<f64> {
    svg.split("<path d=\"M")
        .skip(1)
        .filter(|p| p.split("/>").next().unwrap().contains("stroke-dasharray=\"5 3\""))
        .map(|p| p.split(' ').next().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn owners_and_viewers_see_the_figure_with_its_table_and_downloads() {
    let app = study_with(1).await;
    for who in ["owner@example.org", "vi@example.org"] {
        let me = Session::sign_in(&app, who).await;
        let page = unescape(&me.page(PAGE).await);
        assert!(
            page.contains("Figure for your paper — Lactation and Micronutrient Needs"),
            "{page}"
        );
        assert!(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(page.contains("role=\"img\""));
        assert!(
            page.contains("<option value=\"1\" selected>Round 1</option>"),
            "{page}"
        );
        assert!(page.contains("<option value=\"researcher\">Researchers and academics</option>"));
        // Too few clinicians answered (2 < 3); nobody of the other two groups did.
        assert!(!page.contains("<option value=\"clinician\""));
        assert!(
            page.contains("Clinicians and midwives (2 responders; a group is shown from 3)"),
            "{page}"
        );
        assert!(page.contains("Programme managers and policy makers (no responders)"));
        assert!(page.contains("href=\"/console/s/lmn-2024/figure.svg?round=1\" download"));
        assert!(page.contains("data-png-name=\"lmn-2024-round-1.png\""));
        assert!(page.contains("<script src=\"/static/js/figure.js\" defer></script>"));
        assert!(
            !page.contains(">Download PNG"),
            "the PNG button exists only with JavaScript"
        );
        assert!(!page.contains("<script>"), "no inline script");
        // The text equivalent: a row per item, shares per band and n.
        assert!(page.contains("<summary>The figure as a table</summary>"));
        assert!(
            page.contains("<th scope=\"row\"><code>M02</code> ")
                && page.contains("<td>0%</td><td>25%</td><td>75%</td><td>8</td>"),
            "{page}"
        );
        assert!(page.contains("<td colspan=\"3\">no answers</td><td>0</td>"));
        assert!(page.contains("“Unable to score” answers are left out (8 in this round)"));
        assert!(page.contains("Consensus in: ≥ 70% “Critical”; Consensus out: ≥ 70% “Not important”"));
    }
    let script = app.get("/static/js/figure.js").await;
    assert_eq!(script.status(), 200);
    assert!(script.text().await.unwrap().contains("toBlob"));
}

#[tokio::test]
async fn the_svg_download_sorts_by_agreement_and_draws_the_seventy_percent_line() {
    let app = study_with(1).await;
    let me = Session::sign_in(&app, "vi@example.org").await;
    let response = me.get(&format!("{FILE}?round=1")).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("image/svg+xml"));
    assert_eq!(
        headers["content-disposition"].to_str().unwrap(),
        "attachment; filename=\"lmn-2024-round-1.svg\""
    );
    let svg = response.text().await.unwrap();
    assert!(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns="));
    assert!(
        svg.contains(" width=\"800\" height=\""),
        "a file has its own size"
    );
    for forbidden in [" style=", "<script", "href=", "class="] {
        assert!(!svg.contains(forbidden), "{forbidden}");
    }
    // By share in 7–9, highest first, ties by code; the item without answers last.
    let codes = row_codes(&svg);
    assert_eq!(&codes[..3], ["M01", "M02", "M04"]);
    assert_eq!(codes.last().unwrap(), "M03");
    let zeros = &codes[3..codes.len() - 1];
    let mut sorted = zeros.to_vec();
    sorted.sort();
    assert_eq!(zeros, sorted.as_slice());
    assert!(svg.contains(">no answers<"));
    // The centre is the first "0" tick of the axis, 100 % to the right its second "100%" tick;
    // the rule's 70 % lines sit at 70 % of that on either side.
    let centre = x_before(&svg, "font-size=\"10\">0</text>", 0);
    let hundred = x_before(&svg, "font-size=\"10\">100%</text>", 1);
    let lines = dashed_lines(&svg);
    assert_eq!(lines.len(), 2, "in and out: {lines:?}");
    let expected = centre + 0.7 * (hundred - centre);
    assert!((lines[0] - expected).abs() < 0.11, "{} vs {expected}", lines[0]);
    assert!((lines[1] - (centre - 0.7 * (hundred - centre))).abs() < 0.11);
    // M02's 75 % of 7–9 starts on the centre line and passes the line.
    let m02 = svg
        .split("<g><title>M02 — ")
        .nth(1)
        .unwrap()
        .split("</g>")
        .next()
        .unwrap();
    assert!(m02.contains(&format!("<rect x=\"{}\"", fmt(centre))), "{m02}");
    assert!(m02.contains(">75%</text>"));
    assert!(svg.contains("M02: Not important 0%, Important but not critical 25%, Critical 75% (n = 8)."));
}

fn fmt(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

#[tokio::test]
async fn a_group_and_a_round_can_be_chosen_and_bad_ones_are_named() {
    let app = study_with(2).await;
    let me = Session::sign_in(&app, "owner@example.org").await;

    // Without a choice: the latest closed round, whose items are M03 and M04.
    let latest = me.get(FILE).await;
    assert_eq!(
        latest.headers()["content-disposition"].to_str().unwrap(),
        "attachment; filename=\"lmn-2024-round-2.svg\""
    );
    assert_eq!(row_codes(&latest.text().await.unwrap()), ["M03", "M04"]);
    let first = me.get(&format!("{FILE}?round=1")).await.text().await.unwrap();
    assert_eq!(row_codes(&first).len(), 34);
    let page = unescape(&me.page(&format!("{PAGE}?round=1&group=")).await);
    assert!(page.contains("<option value=\"1\" selected>Round 1</option>"));
    assert!(page.contains("<option value=\"2\">Round 2</option>"));

    // One group: its own counts and name, in the file name too.
    let response = me.get(&format!("{FILE}?round=1&group=researcher")).await;
    assert_eq!(
        response.headers()["content-disposition"].to_str().unwrap(),
        "attachment; filename=\"lmn-2024-round-1-researcher.svg\""
    );
    let svg = response.text().await.unwrap();
    assert!(svg.contains("Lactation and Micronutrient Needs — round 1 — Researchers and academics"));
    assert!(
        svg.contains("M02: Not important 0%, Important but not critical 0%, Critical 100% (n = 6)."),
        "{svg}"
    );
    assert!(svg.contains("Stakeholder group: Researchers and academics (6 responders)."));
    let page = unescape(&me.page(&format!("{PAGE}?round=1&group=researcher")).await);
    assert!(page.contains("<option value=\"researcher\" selected>"));
    assert!(page.contains("figure.svg?round=1&group=researcher"), "{page}");

    // Bad values: named, with a way back.
    for (query, status, named) in [
        ("round=abc", 400, "“abc” is not a round number"),
        ("round=0", 400, "“0” is not a round number"),
        ("round=3", 404, "Round 3 is not a closed round of this study"),
        ("group=nobody", 404, "no stakeholder group “nobody”"),
        (
            "round=1&group=clinician",
            404,
            "“clinician” is not shown for round 1: 2 of its members",
        ),
    ] {
        for path in [PAGE, FILE] {
            let response = me.get(&format!("{path}?{query}")).await;
            assert_eq!(response.status(), status, "{path}?{query}");
            let body = unescape(&response.text().await.unwrap());
            assert!(body.contains(named), "{path}?{query}: {body}");
            assert!(body.contains("href=\"/console/s/lmn-2024/figure\""), "{body}");
        }
    }
}

#[tokio::test]
async fn only_people_with_a_role_in_the_study_see_it() {
    let app = study_with(1).await;
    let stranger = Session::sign_in(&app, "stranger@example.org").await;
    for path in [PAGE, FILE] {
        assert_eq!(stranger.get(path).await.status(), 404, "{path}");
        let anonymous = app.get(path).await;
        assert_eq!(anonymous.status(), 303, "{path}: sign in first");
    }
    let unknown = Session::sign_in(&app, "owner@example.org").await;
    assert_eq!(unknown.get("/console/s/no-such-study/figure").await.status(), 404);
}

#[tokio::test]
async fn before_any_round_closes_the_page_says_so_and_leads_back() {
    let app = study_with(0).await;
    let me = Session::sign_in(&app, "owner@example.org").await;
    let page = unescape(&me.page(PAGE).await);
    assert!(page.contains("No round has closed yet"), "{page}");
    assert!(page.contains("<a href=\"/console/s/lmn-2024\">Go to the study page</a>"));
    assert!(!page.contains("<svg xmlns"));
    let file = me.get(FILE).await;
    assert_eq!(file.status(), 404);
    assert!(unescape(&file.text().await.unwrap()).contains("No round has closed yet"));
    assert_eq!(me.get(&format!("{PAGE}?round=1")).await.status(), 404);
}

/// The PNG in a real browser, under the pages' Content-Security-Policy: made from the inline SVG
/// at three times its size, offered only with JavaScript. axe-core on the page.
#[cfg(feature = "browser-tests")]
mod browser {
    use serde_json::json;

    use super::{study_with, PAGE};
    use crate::support::browser::Browser;

    #[tokio::test]
    async fn the_png_is_drawn_in_the_browser_at_three_times_the_figure_size() {
        let app = study_with(1).await;
        let browser = Browser::start(true).await;
        browser.window(1280, 900).await;
        browser.sign_in(&app, "vi@example.org").await;
        browser.goto(&app.url(PAGE)).await;
        browser.find("#figure-downloads button").await;
        browser.assert_accessible("the figure page").await;
        // The download is caught where the script saves it, and the PNG's header read from the
        // blob itself (fetching its URL would be a connection the CSP does not allow).
        browser
            .script(
                "var make = URL.createObjectURL; \
                 URL.createObjectURL = function (blob) { window.figureBlob = blob; return make.call(URL, blob); }; \
                 HTMLAnchorElement.prototype.click = function () { \
                   var name = this.download; \
                   window.figureBlob.arrayBuffer().then(function (b) { \
                     var v = new DataView(b); \
                     window.figurePng = [name, v.getUint32(0), v.getUint32(16), v.getUint32(20)]; \
                   }); \
                 };",
                json!([]),
            )
            .await;
        let width = browser
            .script(
                "return document.querySelector('#figure svg').viewBox.baseVal.width;",
                json!([]),
            )
            .await;
        let height = browser
            .script(
                "return document.querySelector('#figure svg').viewBox.baseVal.height;",
                json!([]),
            )
            .await;
        assert_eq!(width, json!(800));
        browser.click("#figure-downloads button").await;
        let png = browser
            .wait_until(
                "return window.figurePng || null;",
                &json!([
                    "lmn-2024-round-1.png",
                    0x8950_4e47u32,
                    2400,
                    (height.as_f64().unwrap() * 3.0).round() as u64
                ]),
                10,
            )
            .await;
        let alert = browser
            .script("var a = document.querySelector('#figure-downloads [role=alert]'); return a && a.textContent;", json!([]))
            .await;
        assert_eq!(png[0], json!("lmn-2024-round-1.png"), "{png} {alert}");
        assert_eq!(png[2], json!(2400), "{png}");
        assert_eq!(png[1], json!(0x8950_4e47u32), "the PNG signature");
        assert!(alert.is_null(), "{alert}");

        let without_script = Browser::start(false).await;
        without_script.sign_in(&app, "vi@example.org").await;
        without_script.goto(&app.url(PAGE)).await;
        let page = without_script.source().await;
        assert!(
            page.contains("Download SVG") && !page.contains(">Download PNG"),
            "{page}"
        );
    }
}
