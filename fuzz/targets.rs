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
