//! The sign-in form's CSRF token (against login CSRF: another site signing a browser in to
//! the attacker's account, so that what the victim then types lands there). There is no
//! session yet to hold a token, so it is a double-submit token: the sign-in page sets a random
//! 256-bit token in a cookie of its own and repeats it in the form's hidden `csrf` field, and a
//! sign-in is accepted only when the two are equal. Another site can make a browser post to
//! `/login` but can neither read the cookie nor set it (SameSite=Strict, HttpOnly, only for
//! `/login`); a sibling subdomain able to plant cookies is refused by `web::cross_site` (its
//! `Origin` is not ours). The token is not signed: it guards nothing but this form.
//!
//! The cookie lasts as long as the browser, so several tabs of the sign-in page share it.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::HttpRequest;

use crate::domain::token;
use crate::service::{accounts, tokens};
use crate::web::client_addr;

/// The cookie that holds the sign-in form's token.
pub const LOGIN_COOKIE: &str = "delphi_login";

/// The token for a sign-in form and, when the browser has none yet (or a malformed one), the
/// cookie that gives it one.
pub fn issue(req: &HttpRequest, secure_setting: bool) -> (String, Option<Cookie<'static>>) {
    if let Some(existing) = req.cookie(LOGIN_COOKIE) {
        if token::is_well_formed(existing.value()) {
            return (existing.value().to_string(), None);
        }
    }
    let (fresh, _) = tokens::generate();
    let secure = secure_setting || client_addr::scheme(req) == "https";
    let cookie = Cookie::build(LOGIN_COOKIE, fresh.clone())
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/login")
        .secure(secure)
        .finish();
    (fresh, Some(cookie))
}

/// Whether the submitted form token is the one of the browser's cookie.
pub fn accepted(req: &HttpRequest, submitted: &str) -> bool {
    match req.cookie(LOGIN_COOKIE) {
        Some(cookie) => {
            token::is_well_formed(cookie.value()) && accounts::constant_time_eq(cookie.value(), submitted)
        }
        None => false,
    }
}
