//! Passwords: the policy, argon2id hashing (kept out of transactions: it takes a noticeable
//! fraction of a second on purpose), and comparing secrets in constant time.

use std::sync::LazyLock;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

use crate::domain::account;
use crate::service::{tokens, ServiceError};

pub use crate::domain::account::{normalise_email, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};

pub(super) fn check_email(email: &str) -> Result<String, ServiceError> {
    account::check_email(email).map_err(|_| {
        ServiceError::invalid(
            "email",
            format!("{:?} is not an email address", normalise_email(email)),
        )
    })
}

/// Refuses passwords that are too short or absurdly long; counts characters, not bytes.
pub fn check_password_policy(password: &str) -> Result<(), ServiceError> {
    account::check_password(password).map_err(|_| {
        let chars = password.chars().count();
        let reason = if chars < MIN_PASSWORD_CHARS {
            format!("must be at least {MIN_PASSWORD_CHARS} characters long (this one has {chars})")
        } else {
            format!("must be at most {MAX_PASSWORD_CHARS} characters long")
        };
        ServiceError::invalid("password", reason)
    })
}

/// Checks the policy, then hashes with argon2id and a fresh salt into a PHC string. Slow.
pub fn hash_password(password: &str) -> Result<String, ServiceError> {
    check_password_policy(password)?;
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| ServiceError::invalid("password", format!("cannot be hashed: {e}")))
}

/// A hash of a password nobody knows, checked when the email is unknown so that the answer
/// takes as long as for a known email with a wrong password.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    Argon2::default()
        .hash_password(tokens::generate().0.as_bytes())
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

/// Computes the decoy hash now, so that the first sign-in with an unknown email does not take
/// twice as long as the others (which would tell that the email is unknown). Slow.
pub fn warm_up() {
    LazyLock::force(&DECOY_HASH);
}

/// Whether `password` matches the stored PHC string (argon2 compares in constant time).
/// Without a stored hash the decoy is checked, and the answer is no. Slow.
pub fn password_matches(stored: Option<&str>, password: &str) -> bool {
    let argon2 = Argon2::default();
    match stored {
        Some(hash) => argon2.verify_password(password.as_bytes(), hash).is_ok(),
        None => {
            let _ = argon2.verify_password(password.as_bytes(), DECOY_HASH.as_str());
            false
        }
    }
}

/// Compares secrets without an early exit, so timing does not tell how much matched.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_to_argon2id_and_verify() {
        assert!(check_password_policy("short").is_err());
        assert!(check_password_policy("ééééééééééé").is_err(), "11 characters");
        assert!(
            check_password_policy("éééééééééééé").is_ok(),
            "12 characters, 24 bytes"
        );
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(password_matches(Some(&hash), "correct horse battery"));
        assert!(!password_matches(Some(&hash), "correct horse batterY"));
        assert!(!password_matches(None, "correct horse battery"));
        assert!(!password_matches(Some("not a hash"), "correct horse battery"));
    }

    #[test]
    fn secrets_compare_in_full() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
