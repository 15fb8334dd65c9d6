//! The sender check against a DNS server of the test's own (support::dns): `delphi email check`
//! as a process, and the Accounts page's "Check the sender's domain".

use std::process::Output;

use serde_json::Value;

use crate::support::app::{spawn_app_with, TestApp};
use crate::support::cli::Cli;
use crate::support::dns::{a, txt, Answer, DnsServer, Zone};
use crate::support::sign_in::{add_administrator, add_facilitator, Session};

const FROM: &str = "Lactation Delphi <delphi@study.example.org>";
const DOMAIN: &str = "study.example.org";
const DMARC: &str = "_dmarc.study.example.org";

/// `delphi email check` (with `args`) against `dns`, sending from [`FROM`], with more settings.
fn check(dns: &DnsServer, settings: &[(&str, &str)], args: &[&str]) -> Output {
    let folder = tempfile::tempdir().unwrap();
    // The check opens no database: the URL names a file that is never created.
    let url = format!("sqlite://{}", folder.path().join("never.db").display());
    let mut cli = Cli::on(folder.path(), &url)
        .quiet()
        .env("DELPHI__EMAIL__FROM", FROM)
        .env("DELPHI__EMAIL__DNS_SERVER", &dns.address.to_string());
    for (key, value) in settings {
        cli = cli.env(key, value);
    }
    let mut all = vec!["email", "check"];
    all.extend_from_slice(args);
    let output = cli.run(&all);
    assert!(
        !folder.path().join("never.db").exists(),
        "the check opened the database"
    );
    output
}

/// The `--json` report and the exit code.
fn checked(dns: &DnsServer, settings: &[(&str, &str)]) -> (Value, i32) {
    let output = check(dns, settings, &["--json"]);
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)));
    (report, output.status.code().unwrap())
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}:{}", f["level"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect()
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `DELPHI__…` settings of a check.
type Settings = &'static [(&'static str, &'static str)];

/// The relay is `smtp.study.example.org` at 198.51.100.7, in the range its provider's SPF
/// record (included by the sender's) lists.
const RELAY: [(&str, &str); 2] = [
    ("DELPHI__EMAIL__TRANSPORT", "smtp"),
    ("DELPHI__EMAIL__SMTP__HOST", "smtp.study.example.org"),
];

fn good_zone() -> Zone {
    vec![
        txt(DOMAIN, "v=spf1 include:_spf.mailhost.example.net -all"),
        txt(DOMAIN, "google-site-verification=abc"),
        txt("_spf.mailhost.example.net", "v=spf1 ip4:198.51.100.0/24 ~all"),
        txt(
            DMARC,
            "v=DMARC1; p=quarantine; rua=mailto:dmarc@study.example.org",
        ),
        a("smtp.study.example.org", "198.51.100.7"),
    ]
}

#[test]
fn a_domain_with_spf_and_dmarc_is_likely_to_be_accepted() {
    let dns = DnsServer::start(good_zone());
    let output = check(&dns, &RELAY, &[]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("Sender check of study.example.org"), "{stdout}");
    assert!(stdout.contains("ends in “-all”"), "{stdout}");
    assert!(
        stdout.contains(
            "The mail server smtp.study.example.org (198.51.100.7) is allowed to send by the SPF record."
        ),
        "{stdout}"
    );
    assert!(stdout.contains("DMARC policy of “quarantine”"), "{stdout}");
    assert!(
        stdout
            .trim_end()
            .ends_with("Invitations are likely to be accepted."),
        "{stdout}"
    );
    assert_eq!(stderr, "");

    let (report, code) = checked(&dns, &RELAY);
    assert_eq!(code, 0);
    assert_eq!(report["verdict"], "likely_accepted");
    assert_eq!(report["domain"], DOMAIN);
    assert_eq!(
        codes(&report),
        [
            "ok:sender-spf-strict",
            "ok:sender-dmarc-enforced",
            "ok:sender-dkim-not-configured",
            "ok:sender-relay-allowed"
        ]
    );
}

#[test]
fn each_flaw_of_the_records_is_named_with_its_verdict() {
    let without = |name: &str| -> Zone { good_zone().into_iter().filter(|(n, _)| n != name).collect() };
    let with = |extra: Zone, dropped: &str| {
        let mut zone = without(dropped);
        zone.extend(extra);
        zone
    };
    // The exit code follows the verdict: 0 for likely_accepted only.
    let cases: Vec<(&str, Zone, Settings, &str, &str)> = vec![
        (
            "no SPF record",
            without(DOMAIN),
            &[],
            "problem:sender-spf-missing",
            "likely_refused",
        ),
        (
            "+all",
            with(vec![txt(DOMAIN, "v=spf1 +all")], DOMAIN),
            &[],
            "problem:sender-spf-open",
            "likely_refused",
        ),
        (
            "two SPF records",
            with(
                vec![txt(DOMAIN, "v=spf1 -all"), txt(DOMAIN, "v=spf1 mx ~all")],
                DOMAIN,
            ),
            &[],
            "problem:sender-spf-several",
            "likely_refused",
        ),
        (
            "p=none",
            with(vec![txt(DMARC, "v=DMARC1; p=none")], DMARC),
            &[],
            "ok:sender-dmarc-none",
            "likely_accepted",
        ),
        (
            "no DMARC",
            without(DMARC),
            &[],
            "warning:sender-dmarc-missing",
            "may_land_in_spam",
        ),
        (
            "a relay the record does not list, -all",
            with(
                vec![a("smtp.study.example.org", "203.0.113.9")],
                "smtp.study.example.org",
            ),
            &RELAY,
            "problem:sender-relay-refused",
            "likely_refused",
        ),
        (
            "a DNS server failing for the included domain",
            with(
                vec![("_spf.mailhost.example.net".to_string(), Answer::ServFail)],
                "_spf.mailhost.example.net",
            ),
            &RELAY,
            "warning:sender-relay-cannot-tell",
            "may_land_in_spam",
        ),
        (
            "a relay on this computer",
            with(
                vec![a("smtp.study.example.org", "127.0.0.1")],
                "smtp.study.example.org",
            ),
            &RELAY,
            "ok:sender-relay-private",
            "likely_accepted",
        ),
    ];
    for (what, zone, settings, finding, verdict) in cases {
        let exit = if verdict == "likely_accepted" { 0 } else { 1 };
        let dns = DnsServer::start(zone);
        let (report, code) = checked(&dns, settings);
        assert!(
            codes(&report).contains(&finding.to_string()),
            "{what}: {:?}",
            codes(&report)
        );
        assert_eq!(report["verdict"], verdict, "{what}: {report}");
        assert_eq!(code, exit, "{what}");
    }
}

#[test]
fn a_missing_spf_record_is_explained_in_plain_words() {
    let dns = DnsServer::start(vec![txt(DMARC, "v=DMARC1; p=none")]);
    let output = check(&dns, &[], &[]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout.contains("study.example.org publishes no SPF record, so receivers cannot tell whether Delphi may send in its name"),
        "{stdout}"
    );
    assert_eq!(
        stderr.trim(),
        "delphi: Invitations are likely to be refused by some mail servers."
    );
}

#[test]
fn a_dns_server_that_does_not_answer_gives_a_clear_message() {
    let dns = DnsServer::silent();
    let output = check(&dns, &RELAY, &[]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("Could not look up study.example.org: no answer within 2 seconds."),
        "{stdout}"
    );
    assert!(
        stdout.contains("Could not look up _dmarc.study.example.org"),
        "{stdout}"
    );
    assert!(
        stdout.contains("smtp.study.example.org could not be looked up"),
        "{stdout}"
    );
    assert!(stderr.contains("The check could not tell"), "{stderr}");
}

#[test]
fn the_dkim_key_of_the_configured_selector_is_looked_up() {
    let folder = tempfile::tempdir().unwrap();
    let config = folder.path().join("delphi.toml");
    std::fs::write(
        &config,
        "[email.dkim]\nselector = \"delphi2026\"\ndomain = \"study.example.org\"\nprivate_key = \"dkim.pem\"\n",
    )
    .unwrap();
    let key = "delphi2026._domainkey.study.example.org";
    for (record, finding, exit) in [
        (
            "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
            "ok:sender-dkim-published",
            0,
        ),
        ("v=DKIM1; p=", "problem:sender-dkim-revoked", 1),
    ] {
        let mut zone = good_zone();
        zone.push(txt(key, record));
        let dns = DnsServer::start(zone);
        let output = check(&dns, &[], &["--json", "--config", config.to_str().unwrap()]);
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert!(
            codes(&report).contains(&finding.to_string()),
            "{:?}",
            codes(&report)
        );
        assert_eq!(output.status.code(), Some(exit));
    }
    // A missing key is named with the record to publish; without the settings file no key is
    // looked for.
    let dns = DnsServer::start(good_zone());
    let (report, code) = checked(&dns, &[]);
    assert!(codes(&report).contains(&"ok:sender-dkim-not-configured".to_string()));
    assert_eq!(code, 0);
    let output = check(&dns, &[], &["--config", config.to_str().unwrap()]);
    let (stdout, _) = text(&output);
    assert!(
        stdout.contains("There is no DKIM key at delphi2026._domainkey.study.example.org"),
        "{stdout}"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_bad_dns_server_setting_or_sender_is_refused() {
    let dns = DnsServer::start(Vec::new());
    let output = check(&dns, &[("DELPHI__EMAIL__DNS_SERVER", "dns.example.org")], &[]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.starts_with("delphi: setting `email.dns_server`"),
        "{stderr}"
    );
    assert!(stderr.contains("127.0.0.1:5353"), "{stderr}");

    // The default sender, delphi@localhost, has no public records to look up.
    let (report, code) = checked(&dns, &[("DELPHI__EMAIL__FROM", "Delphi <delphi@localhost>")]);
    assert_eq!(codes(&report), ["problem:sender-not-a-domain"]);
    assert_eq!(code, 1);
}

/// A server sending from [`FROM`] whose sender check asks `dns`, with an administrator.
async fn app_asking(dns: &DnsServer) -> TestApp {
    let address = dns.address.to_string();
    let app = spawn_app_with(|settings| {
        settings.email.from = FROM.into();
        settings.email.dns_server = address;
    })
    .await;
    add_administrator(&app.db, "admin@example.org", "Ada Admin");
    app
}

#[tokio::test]
async fn administrators_run_the_check_from_the_accounts_page() {
    let dns = DnsServer::start(good_zone());
    let app = app_asking(&dns).await;
    add_facilitator(&app.db, "fac@example.org");
    let admin = Session::sign_in(&app, "admin@example.org").await;

    // Nothing is looked up on an ordinary visit: only the button is there.
    let page = admin.page("/console/accounts").await;
    assert!(
        page.contains("Check the sender&#x27;s domain") || page.contains("Check the sender's domain"),
        "{page}"
    );
    assert!(page.contains(r#"action="/console/accounts/sender-check#sender""#));
    assert!(!page.contains("data-verdict"));

    let page = admin.page("/console/accounts/sender-check").await;
    assert!(page.contains(r#"data-verdict="likely_accepted""#), "{page}");
    assert!(page.contains("Invitations are likely to be accepted."));
    assert!(page.contains(r#"data-code="sender-spf-strict""#));
    assert!(page.contains(r#"data-code="sender-dmarc-enforced""#));

    // Facilitators who are not administrators cannot run it.
    let facilitator = Session::sign_in(&app, "fac@example.org").await;
    assert_eq!(
        facilitator.get("/console/accounts/sender-check").await.status(),
        403
    );
}

#[tokio::test]
async fn the_page_says_when_the_dns_server_does_not_answer() {
    let dns = DnsServer::silent();
    let app = app_asking(&dns).await;
    let admin = Session::sign_in(&app, "admin@example.org").await;
    let page = admin.page("/console/accounts/sender-check").await;
    assert!(page.contains(r#"data-verdict="could_not_tell""#), "{page}");
    assert!(page.contains("no answer within 2 seconds"), "{page}");
}
