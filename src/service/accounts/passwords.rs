//! Passwords: the policy, argon2id hashing (kept out of transactions: it takes a noticeable
//! fraction of a second on purpose), and comparing secrets in constant time.

use std::sync::LazyLock;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

use crate::service::{tokens, ServiceError};

/// Shorter passwords are refused: length is what makes a password hard to guess.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longer ones too: argon2 would happily hash a megabyte, which is a cheap way to burn our CPU.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// The email as stored and looked up: trimmed and lowercased.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub(super) fn check_email(email: &str) -> Result<String, ServiceError> {
    let email = normalise_email(email);
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty() && !domain.contains('@'));
    if valid {
        Ok(email)
    } else {
        Err(ServiceError::invalid(
            "email",
            format!("{email:?} is not an email address"),
        ))
    }
}

/// Refuses passwords that are too short or absurdly long; counts characters, not bytes.
pub fn check_password_policy(password: &str) -> Result<(), ServiceError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(ServiceError::invalid(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters long (this one has {chars})"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(ServiceError::invalid(
            "password",
            format!("must be at most {MAX_PASSWORD_CHARS} characters long"),
        ));
    }
    Ok(())
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
    fn emails_are_checked_and_normalised() {
        assert_eq!(check_email("  Ada@Example.ORG ").unwrap(), "ada@example.org");
        assert!(check_email("ada@localhost").is_ok());
        for bad in ["", "ada", "ada@", "@example.org", "a b@example.org", "a@b@c"] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets_compare_in_full() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
