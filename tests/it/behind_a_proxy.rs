//! Behind a reverse proxy (web::client_addr): the client's address is taken from
//! `X-Forwarded-For` / `Forwarded` only when the connection comes from one of
//! `[server] trusted_proxies`, and then it is the rightmost hop that is not a trusted proxy.
//! The rate limits show which address a request was counted under: "send me a new link"
//! allows 5 requests in a burst per address.

use delphi::config::TrustedProxies;

use crate::support::app::{spawn_app_with, TestApp};

/// POST /link through a proxy that sent `headers`; the status.
async fn ask_for_a_link(app: &TestApp, headers: &[(&str, &str)]) -> u16 {
    let mut request = app
        .client
        .post(app.url("/link"))
        .form(&[("email", "nobody@example.org")]);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap().status().as_u16()
}

/// Uses up the budget of the address the headers give: 5 accepted, then 429.
async fn use_up(app: &TestApp, headers: &[(&str, &str)]) {
    let statuses = [
        ask_for_a_link(app, headers).await,
        ask_for_a_link(app, headers).await,
        ask_for_a_link(app, headers).await,
        ask_for_a_link(app, headers).await,
        ask_for_a_link(app, headers).await,
        ask_for_a_link(app, headers).await,
    ];
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429], "{headers:?}");
}

async fn spawn_trusting(proxies: &[&str]) -> TestApp {
    let trusted = TrustedProxies::parse(proxies).unwrap();
    spawn_app_with(|s| s.server.trusted_proxies = trusted).await
}

#[tokio::test]
async fn a_trusted_proxy_says_who_the_client_is() {
    // The test client connects from 127.0.0.1: it plays the proxy.
    let app = spawn_trusting(&["127.0.0.1", "10.0.0.0/8"]).await;
    use_up(&app, &[("X-Forwarded-For", "203.0.113.5")]).await;

    // Another client behind the same proxy has a budget of its own…
    assert_eq!(
        ask_for_a_link(&app, &[("X-Forwarded-For", "203.0.113.6")]).await,
        200
    );
    // …and so has one named by `Forwarded` (RFC 7239), in brackets with a port.
    assert_eq!(
        ask_for_a_link(&app, &[("Forwarded", r#"for="[2001:db8::7]:4711";proto=https"#)]).await,
        200
    );
    // A client cannot pick another address by sending its own header: the proxy appends the
    // address it saw, and that (the rightmost untrusted hop) is the one counted.
    assert_eq!(
        ask_for_a_link(&app, &[("X-Forwarded-For", "198.51.100.1, 203.0.113.5")]).await,
        429
    );
    // Hops through more trusted proxies (10.0.0.0/8) are skipped.
    assert_eq!(
        ask_for_a_link(&app, &[("X-Forwarded-For", "203.0.113.5, 10.1.2.3")]).await,
        429
    );
    // A hop that names nobody counts as the proxy that wrote it, here 10.1.2.3, which has
    // a budget of its own: the client did not escape into "unknown"'s.
    use_up(&app, &[("X-Forwarded-For", "203.0.113.5, unknown, 10.1.2.3")]).await;
    assert_eq!(
        ask_for_a_link(&app, &[("X-Forwarded-For", "198.51.100.99, unknown, 10.1.2.3")]).await,
        429
    );
}

#[tokio::test]
async fn anyone_elses_forwarding_headers_are_ignored() {
    // No proxy trusted, or not the peer: every request counts under the peer, 127.0.0.1,
    // whatever it claims.
    for proxies in [&[][..], &["10.0.0.0/8", "::1"][..]] {
        let app = spawn_trusting(proxies).await;
        use_up(&app, &[("X-Forwarded-For", "203.0.113.5")]).await;
        for claim in [
            ("X-Forwarded-For", "203.0.113.6"),
            ("Forwarded", "for=192.0.2.1"),
            ("X-Real-IP", "192.0.2.2"),
        ] {
            assert_eq!(
                ask_for_a_link(&app, &[claim]).await,
                429,
                "{proxies:?}: {claim:?}"
            );
        }
        assert_eq!(ask_for_a_link(&app, &[]).await, 429, "{proxies:?}");
    }
}
