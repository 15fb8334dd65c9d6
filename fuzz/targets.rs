//! What each fuzz target does with its input: the parser calls of one upload, or of the request
//! headers a reverse proxy passes on. Shared by the fuzz
//! targets (`fuzz_targets/*.rs`) and by the test that replays the seeds and the regression
//! inputs (`tests/it/fuzz_corpus.rs`), so that both always exercise the same code.

use std::collections::BTreeSet;

use delphi::domain::file_error::{FileError, FileErrors};
use delphi::domain::{items_file, panel_file, responses_file};

// The files a study file may refer to: the example's, so that a valid study file gets as far
// as the cross-checks between study, items and panel.
const ITEMS: &[u8] = include_bytes!("../examples/lactation-micronutrients/items.csv");
const PANEL: &[u8] = include_bytes!("../examples/lactation-micronutrients/panel.csv");

fn fetch(reference: &str) -> Result<(String, Vec<u8>), FileErrors> {
    match reference {
        "items.csv" => Ok((reference.to_owned(), ITEMS.to_vec())),
        "panel.csv" => Ok((reference.to_owned(), PANEL.to_vec())),
        other => Err(FileErrors(vec![FileError::whole(other, "no such file")])),
    }
}

/// A study file, as TOML (`delphi study create`, the console's upload and paste) and as JSON
/// (`POST /api/v1/studies`), validated as a whole: scale, consensus rules, items and panel.
pub fn study_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = delphi::service::files::study_from_sources("study.toml", text, &fetch);
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        let _ = delphi::service::api_input::study_from_json(value);
    }
}

fn items(name: &str, data: &[u8]) {
    if let Ok(rows) = items_file::parse_items_file(name, data) {
        let sections: BTreeSet<String> = ["maternal", "infant", "research"].map(String::from).into();
        let _ = items_file::check_sections(name, &rows, &sections);
    }
}

/// An items file as CSV, read the way an upload or `delphi items import` reads it.
pub fn items_csv(data: &[u8]) {
    items("items.csv", data);
}

/// An items file as an XLSX workbook (a zip of XML parts), read the way an upload reads it.
pub fn items_xlsx(data: &[u8]) {
    items("items.xlsx", data);
}

/// A panel file (CSV), read the way an upload or `delphi panel import` reads it.
pub fn panel_csv(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(rows) = panel_file::parse_panel_csv("panel.csv", text) {
        let groups: BTreeSet<String> = ["researcher", "clinician", "programme", "advocate"]
            .map(String::from)
            .into();
        let _ = panel_file::check_groups("panel.csv", &rows, &groups);
    }
}

/// A responses file (CSV), read the way `delphi responses import` reads it.
pub fn responses_csv(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = responses_file::parse_responses_csv("responses.csv", text);
}

/// The proxies the header targets trust: loopback, a private range and an IPv6 range.
const TRUSTED: &[&str] = &["127.0.0.1", "::1", "10.0.0.0/8", "2001:db8::/32"];

/// Forwarding headers as a trusted proxy passes them on (`web::client_addr`): each line of the
/// input is one `X-Forwarded-For` line and one `Forwarded` line. Whatever they say, the client
/// address is the peer or an address the headers name, and never a trusted proxy unless every
/// hop is one.
pub fn forwarded_headers(data: &[u8]) {
    use delphi::web::client_addr::{client_of, forwarded, x_forwarded_for};
    let text = String::from_utf8_lossy(data);
    let lines: Vec<Option<&str>> = text.lines().map(Some).collect();
    let Ok(trusted) = delphi::config::TrustedProxies::parse(TRUSTED) else {
        panic!("the fuzz targets' trusted proxies do not parse");
    };
    let peer = std::net::IpAddr::from([127, 0, 0, 1]);
    let by_forwarded: Vec<Option<std::net::IpAddr>> = forwarded(&lines)
        .into_iter()
        .filter_map(|element| element.for_)
        .collect();
    for hops in [x_forwarded_for(&lines), by_forwarded] {
        let client = client_of(peer, &hops, &trusted);
        assert!(
            client == peer || hops.contains(&Some(client)),
            "{client} is neither the peer nor a hop of {hops:?}"
        );
        let every_hop_trusted = hops.iter().flatten().all(|hop| trusted.contains(*hop));
        assert!(
            !trusted.contains(client) || every_hop_trusted || hops.contains(&None),
            "the client {client} is a trusted proxy although {hops:?} names others"
        );
    }
}

/// `[server] trusted_proxies` entries, one a line, read as the settings read them: a list that
/// parses holds every address of its ranges' own spelling, and each entry reads back the same
/// from its canonical form (`10.0.0.0/8`).
pub fn trusted_proxies(data: &[u8]) {
    use delphi::config::{IpRange, TrustedProxies};
    let text = String::from_utf8_lossy(data);
    let entries: Vec<&str> = text.lines().collect();
    let Ok(list) = TrustedProxies::parse(&entries) else {
        return;
    };
    for entry in entries {
        let Ok(range) = IpRange::parse(entry) else {
            panic!("{entry:?} is in a list that parsed, yet does not parse alone");
        };
        let canonical = range.to_string();
        assert_eq!(IpRange::parse(&canonical), Ok(range), "{canonical}");
        assert!(
            list.contains(range.network()),
            "{canonical} does not hold its own network"
        );
    }
}

/// A form body as actix's `web::Form<Vec<(String, String)>>` (and `CsrfForm`) decodes it; a
/// body it refuses never reaches a handler.
fn form_pairs(data: &[u8]) -> Option<Vec<(String, String)>> {
    serde_urlencoded::from_bytes(data).ok()
}

/// The set-up form of a new study and the Settings page (`web::console::study_setup`; both
/// post the same fields): read as the handlers read it, with the page's buttons (`action`)
/// applied, then checked as Save checks it, in both console languages. Every problem names a
/// field and says something; a form that passes gives a study file whose own form passes too.
pub fn setup_form(data: &[u8]) {
    use delphi::service::study_setup::{PriorityForm, SetupForm, Start};
    let Some(pairs) = form_pairs(data) else {
        return;
    };
    let action = pairs
        .iter()
        .rev()
        .find(|(n, _)| n == "action")
        .map(|(_, v)| v.as_str());
    for lang in ["en", "fr"] {
        let mut form = SetupForm::from_pairs(&pairs);
        match action {
            Some("rescale") => form.rescale(lang),
            Some("standard") => form.priorities.chnri = PriorityForm::standard_chnri(lang),
            _ => {}
        }
        let _ = form.clone().with_spare_rows();
        match form.check(lang) {
            Ok((file, _, _)) => {
                let again = SetupForm::from_file(&file, Start::Blank).check(lang);
                assert!(
                    again.is_ok(),
                    "a study set up from a form does not pass as its own form: {again:?}"
                );
            }
            Err(problems) => {
                assert!(!problems.is_empty(), "refused without a problem");
                for problem in problems {
                    assert!(
                        !problem.field.trim().is_empty() && !problem.message.trim().is_empty(),
                        "a problem without its field or its message: {problem:?}"
                    );
                }
            }
        }
    }
}

/// The items of the ranking round the ranking target posts to: the study's codes and ids, and
/// the ids the round offers (all but the last, so that an item outside the round is possible).
const RANKING_ITEMS: &[&str] = &["M01", "M02", "M03", "I01", "I02", "R.01"];
const RANKING_CHOOSE: u32 = 3;

/// The ranking round's form (`web::expert::ranking`, POST `/r/{token}` and its autosave): the
/// position fields read as the handlers read them and checked against a round of five items
/// out of six, three to choose. A list that passes has positions 1 to n without a repeat, at
/// most three, items of the round only; every problem names a posted field or the whole list.
pub fn ranking_form(data: &[u8]) {
    use delphi::service::ranking::expert::{check_ranking, parse_ranking_form};
    let Some(pairs) = form_pairs(data) else {
        return;
    };
    let names: Vec<String> = pairs.iter().map(|(n, _)| n.clone()).collect();
    let posted = parse_ranking_form(pairs);
    let ids: std::collections::HashMap<String, i64> = (1..)
        .zip(RANKING_ITEMS)
        .map(|(id, code)| (code.to_string(), id))
        .collect();
    let in_round: Vec<i64> = (1..RANKING_ITEMS.len() as i64).collect();
    match check_ranking(&posted, &ids, &in_round, RANKING_CHOOSE) {
        Ok(list) => {
            let mut positions: Vec<u32> = list.iter().map(|&(_, position)| position).collect();
            positions.sort_unstable();
            let expected: Vec<u32> = (1..=positions.len() as u32).collect();
            assert_eq!(positions, expected, "positions of an accepted list: {list:?}");
            assert!(positions.len() <= RANKING_CHOOSE as usize, "{list:?}");
            assert!(list.iter().all(|(id, _)| in_round.contains(id)), "{list:?}");
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "refused without a problem");
            for problem in problems {
                let field = problem.field();
                assert!(
                    field == "ranking" || names.contains(&field),
                    "{problem:?} names {field:?}, which was not posted"
                );
            }
        }
    }
}

/// A CHNRI round's form (`web::expert::chnri`): the whole page as posted without JavaScript,
/// and each `field`/`answer` pair as the page's script autosaves it. An answer read back from
/// its field's name is the same answer; a refusal is a bad value naming the posted field.
pub fn chnri_form(data: &[u8]) {
    use delphi::service::expert::chnri::{parse_chnri_answer, parse_chnri_form, PostedChnri};
    use delphi::service::ServiceError;
    let Some(pairs) = form_pairs(data) else {
        return;
    };
    let names: Vec<String> = pairs.iter().map(|(n, _)| n.clone()).collect();
    let named_field = |e: ServiceError| match e {
        ServiceError::Invalid { field, reason } => {
            assert!(!reason.trim().is_empty(), "{field}: refused without a reason");
            field
        }
        other => panic!("refused with something else than a field's problem: {other:?}"),
    };
    match parse_chnri_form(pairs.clone()) {
        Ok(form) => {
            for answer in form.answers {
                let Ok(question) = usize::try_from(answer.question) else {
                    continue;
                };
                let field = PostedChnri::field(&answer.item, &answer.criterion, question);
                let value = answer.answer.map(|a| a.as_str()).unwrap_or_default();
                let again = parse_chnri_answer(&field, value).map_err(named_field);
                assert_eq!(again, Ok(answer.clone()), "{field}={value}");
            }
        }
        Err(e) => {
            let field = named_field(e);
            assert!(
                names.contains(&field),
                "the refusal names {field:?}, which was not posted"
            );
        }
    }
    let value_of = |name: &str| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    if let Some(field) = value_of("field") {
        if let Err(e) = parse_chnri_answer(field, value_of("answer").unwrap_or_default()) {
            let named = named_field(e);
            assert!(
                named == "field" || named == field,
                "{field}: the refusal names {named:?}"
            );
        }
    }
}
