//! DKIM signing (issue 18): messages leave signed over SMTP and into `.eml` files, and the
//! signature is checked by an independent verifier (Stalwart's `mail-auth`, not lettre's code)
//! against the public key as openssl derives it; a byte changed in transit fails it. Settings
//! that cannot sign stop `delphi serve` with the setting named.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use delphi::config::{DkimSettings, EmailTransportKind, Settings};
use delphi::db::models::outbox::OutboxEmail;
use delphi::db::now;
use delphi::domain::outbox::NewEmail;
use delphi::service::outbox::Worker;
use delphi::service::Store;
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::common::verify::DomainKey;
use mail_auth::{AuthenticatedMessage, DkimResult, MessageAuthenticator, Parameters, ResolverCache, Txt};

use crate::support::app::TestDatabase;
use crate::support::cli::Cli;
use crate::support::fixtures::SLUG;
use crate::support::rounds::{load_demo, open_round};
use crate::support::smtp::{smtp_settings, SmtpServer};

const SELECTOR: &str = "delphi2026";
/// A parent of the From domain: aligned under DMARC's relaxed rule.
const DOMAIN: &str = "delphi.test";
const FROM: &str = "Lactation Delphi <study@mail.delphi.test>";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dkim")
        .join(name)
}

fn signing(settings: &mut Settings, key: &str) {
    settings.email.from = FROM.into();
    settings.email.dkim = Some(DkimSettings {
        selector: SELECTOR.into(),
        domain: DOMAIN.into(),
        private_key: fixture(key),
    });
}

/// The verifier's DNS: the one record of the test's key, answered from its cache so that no
/// query leaves the machine.
struct Records(HashMap<Box<str>, Txt>);

impl ResolverCache<Box<str>, Txt> for Records {
    fn get<Q>(&self, name: &Q) -> Option<Txt>
    where
        Box<str>: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.0.get(name).cloned()
    }

    fn remove<Q>(&self, _: &Q) -> Option<Txt>
    where
        Box<str>: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        None
    }

    fn insert(&self, _: Box<str>, _: Txt, _: Instant) {}
}

/// The verifier's verdict on each signature of `raw`, with the key published as `record`.
async fn verify(raw: &[u8], record: &str) -> Vec<(DkimResult, Option<(String, String, Vec<String>)>)> {
    let key = DomainKey::parse(record.trim().as_bytes()).expect("the record parses");
    let records = Records(HashMap::from([(
        format!("{SELECTOR}._domainkey.{DOMAIN}.").into_boxed_str(),
        Txt::DomainKey(Arc::new(key)),
    )]));
    let message = AuthenticatedMessage::parse(raw).expect("the message parses");
    let authenticator = MessageAuthenticator::new_cloudflare().expect("a resolver (never asked)");
    authenticator
        .verify_dkim(Parameters::new(&message).with_txt_cache(&records))
        .await
        .into_iter()
        .map(|output| {
            let signature = output
                .signature()
                .map(|s| (s.d.clone(), s.s.clone(), s.h.clone()));
            (output.result().clone(), signature)
        })
        .collect()
}

/// Passes as sent; fails with one byte of the body changed, and with the subject changed.
async fn assert_verifies(raw: &str, record: &str, what: &str) {
    let verdicts = verify(raw.as_bytes(), record).await;
    assert_eq!(verdicts.len(), 1, "{what}: one signature: {raw}");
    let (result, signature) = &verdicts[0];
    assert_eq!(result, &DkimResult::Pass, "{what}: {raw}");
    let (d, s, h) = signature.clone().expect("a parsed signature");
    assert_eq!((d.as_str(), s.as_str()), (DOMAIN, SELECTOR), "{what}");
    for header in [
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "content-type",
    ] {
        assert!(
            h.iter().any(|name| name.eq_ignore_ascii_case(header)),
            "{what}: {header} in h= {h:?}"
        );
    }
    let unsubscribe = h.iter().any(|name| name.eq_ignore_ascii_case("list-unsubscribe"));
    assert_eq!(
        unsubscribe,
        raw.contains("\nList-Unsubscribe:"),
        "{what}: h= {h:?}"
    );

    let body = raw.find("\r\n\r\n").expect("headers end") + 4;
    let mut tampered = raw.as_bytes().to_vec();
    let at = body + (raw.len() - body) / 2;
    tampered[at] = if tampered[at] == b'x' { b'y' } else { b'x' };
    let verdicts = verify(&tampered, record).await;
    assert!(
        verdicts.iter().all(|(result, _)| result != &DkimResult::Pass),
        "{what}: a changed body must not verify: {verdicts:?}"
    );
    let tampered = raw.replacen("\nSubject: ", "\nSubject: Re: ", 1);
    assert_ne!(tampered, raw);
    let verdicts = verify(tampered.as_bytes(), record).await;
    assert!(
        verdicts.iter().all(|(result, _)| result != &DkimResult::Pass),
        "{what}: a changed subject must not verify: {verdicts:?}"
    );
}

/// An email without the unsubscribe headers (what facilitators get), next to the invitations.
fn queue_plain_email(database: &TestDatabase) {
    let at = now();
    let email = NewEmail {
        idempotency_key: "dkim-plain".into(),
        kind: "password_reset".into(),
        study_id: None,
        expert_id: None,
        facilitator_id: None,
        recipient: "ada@example.org".into(),
        subject: "Réinitialiser votre mot de passe".into(),
        body_text: "Open the link below.\n\n  Indented line with trailing spaces   \n".into(),
        body_html: None,
        headers: None,
        next_attempt_at: at,
        created_at: at,
    };
    OutboxEmail::enqueue(&mut database.connect().get().unwrap(), &[email]).unwrap();
}

#[tokio::test]
async fn messages_sent_over_smtp_verify_with_an_independent_verifier() {
    for (key, record) in [
        ("rsa-2048.pem", "rsa-2048.record"),
        ("rsa-2048-pkcs1.pem", "rsa-2048.record"),
        ("ed25519.pem", "ed25519.record"),
    ] {
        let record = std::fs::read_to_string(fixture(record)).unwrap();
        let server = SmtpServer::start().await;
        let database = TestDatabase::new();
        let db = database.connect();
        load_demo(&mut db.get().unwrap());
        let invitations = open_round(&mut db.get().unwrap(), SLUG);
        queue_plain_email(&database);

        let mut settings = smtp_settings(&database, server.port());
        signing(&mut settings, key);
        let summary = Worker::new(Store::from_db(db.clone()), settings)
            .unwrap()
            .deliver_due()
            .await
            .unwrap();
        assert_eq!(summary.sent, invitations + 1, "{key}: {summary:?}");

        let received = server.received();
        let plain = received
            .iter()
            .find(|m| m.data.contains("ada@example.org"))
            .expect("the plain email arrived");
        assert_verifies(&plain.data, &record, &format!("{key}, without unsubscribe")).await;
        let invitation = received
            .iter()
            .find(|m| m.data.contains("List-Unsubscribe:"))
            .expect("an invitation arrived");
        assert_verifies(&invitation.data, &record, &format!("{key}, an invitation")).await;
    }
}

#[tokio::test]
async fn eml_files_carry_the_signature_too() {
    let database = TestDatabase::new();
    let db = database.connect();
    load_demo(&mut db.get().unwrap());
    open_round(&mut db.get().unwrap(), SLUG);
    let mut settings = database.settings();
    settings.email.transport = EmailTransportKind::File;
    signing(&mut settings, "rsa-2048.pem");
    let outbox = settings.outbox_dir();
    let summary = Worker::new(Store::from_db(db.clone()), settings)
        .unwrap()
        .deliver_due()
        .await
        .unwrap();
    assert!(summary.sent > 0, "{summary:?}");
    let file = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|e| e == "eml"))
        .expect("an .eml file");
    let raw = std::fs::read_to_string(&file).unwrap();
    let record = std::fs::read_to_string(fixture("rsa-2048.record")).unwrap();
    assert_verifies(&raw, &record, "an .eml file").await;
}

/// `delphi email dkim-record` prints the key's record as openssl derives it, from a settings
/// file whose relative key path is read next to the file.
#[test]
fn the_dns_record_is_the_one_openssl_derives() {
    let database = TestDatabase::new();
    for (key, record) in [
        ("rsa-2048.pem", "rsa-2048.record"),
        ("rsa-2048-pkcs1.pem", "rsa-2048.record"),
        ("ed25519.pem", "ed25519.record"),
    ] {
        let config = database.dir.path().join("settings");
        std::fs::create_dir_all(&config).unwrap();
        std::fs::copy(fixture(key), config.join("dkim.pem")).unwrap();
        std::fs::write(
            config.join("delphi.toml"),
            format!(
                "[email]\nfrom = \"{}\"\n[email.dkim]\nselector = \"{SELECTOR}\"\ndomain = \"{DOMAIN}\"\nprivate_key = \"dkim.pem\"\n",
                FROM
            ),
        )
        .unwrap();
        let cli = Cli::new(&database).quiet();
        let value = cli.ok(&[
            "--config",
            "settings/delphi.toml",
            "email",
            "dkim-record",
            "--value",
        ]);
        assert_eq!(
            value.trim(),
            std::fs::read_to_string(fixture(record)).unwrap().trim(),
            "{key}"
        );
        let full = cli.ok(&["--config", "settings/delphi.toml", "email", "dkim-record"]);
        assert!(
            full.contains(&format!("Name:  {SELECTOR}._domainkey.{DOMAIN}\n")),
            "{full}"
        );
        assert!(
            full.contains(&format!("{SELECTOR}._domainkey.{DOMAIN}. IN TXT ( \"v=DKIM1; ")),
            "{full}"
        );
    }
    let refused = Cli::new(&database).quiet().refused(&["email", "dkim-record"]);
    assert!(refused.contains("[email.dkim]"), "{refused}");
}

/// Settings that cannot sign: `delphi serve` stops at once, exit code 2, one line naming the
/// setting and why.
#[test]
fn serve_refuses_settings_it_cannot_sign_with() {
    let database = TestDatabase::new();
    let missing = database.dir.path().join("no-such-key.pem");
    let not_pem = database.dir.path().join("notes.txt");
    std::fs::write(&not_pem, "my key is somewhere else\n").unwrap();
    for (selector, domain, key, setting, says) in [
        (
            SELECTOR,
            DOMAIN,
            missing.clone(),
            "email.dkim.private_key",
            "cannot read the key",
        ),
        (
            SELECTOR,
            DOMAIN,
            not_pem,
            "email.dkim.private_key",
            "not a PEM file",
        ),
        (
            SELECTOR,
            DOMAIN,
            fixture("ec-p256.pem"),
            "email.dkim.private_key",
            "neither an RSA nor an Ed25519",
        ),
        (
            SELECTOR,
            "example.org",
            fixture("rsa-2048.pem"),
            "email.dkim.domain",
            "DMARC alignment",
        ),
        (
            SELECTOR,
            "delphi.test.evil.org",
            fixture("rsa-2048.pem"),
            "email.dkim.domain",
            "nor a parent",
        ),
        (
            "",
            DOMAIN,
            fixture("rsa-2048.pem"),
            "email.dkim.selector",
            "must be set",
        ),
        (
            "a b",
            DOMAIN,
            fixture("rsa-2048.pem"),
            "email.dkim.selector",
            "not a DNS label",
        ),
    ] {
        let mut serve = crate::support::cli::child_process(&database);
        serve
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("DELPHI__EMAIL__FROM", FROM)
            .env("DELPHI__EMAIL__DKIM__SELECTOR", selector)
            .env("DELPHI__EMAIL__DKIM__DOMAIN", domain)
            .env("DELPHI__EMAIL__DKIM__PRIVATE_KEY", &key)
            .stderr(Stdio::piped());
        let mut child = serve.spawn().unwrap();
        // A server that starts despite the settings would never exit: stop it and fail.
        let deadline = Instant::now() + Duration::from_secs(120);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if Instant::now() > deadline {
                child.kill().unwrap();
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            status.and_then(|s| s.code()),
            Some(2),
            "{setting} {says}: {stderr}"
        );
        assert!(stderr.contains(&format!("`{setting}`")), "{says}: {stderr}");
        assert!(stderr.contains(says), "{stderr}");
        if setting == "email.dkim.private_key" {
            assert!(
                stderr.contains(&key.display().to_string()),
                "the file is named: {stderr}"
            );
        }
    }
}
