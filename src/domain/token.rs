//! Link tokens as the domain sees them: what a well-formed token looks like and its hash.

use sha2::{Digest, Sha256};

use crate::domain::named::named;

named! {
    /// What an API token may do: the facilitator's whole API, or only hand over bounces
    /// (`POST /api/v1/bounces`, for a mail service that forwards them).
    pub enum TokenScope {
        Api = "api",
        Bounces = "bounces",
    }
}

/// SHA-256 of the token, lowercase hex: what the database stores and looks up.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A token as it appears in a link: 64 lowercase hex digits (256 bits). Anything else is
/// rejected before it reaches the database.
pub fn is_well_formed(token: &str) -> bool {
    token.len() == 64
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_sha256_hex() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn only_64_hex_digits_are_tokens() {
        assert!(is_well_formed(&"a1".repeat(32)));
        assert!(!is_well_formed(&"A1".repeat(32)));
        assert!(!is_well_formed("short"));
        assert!(!is_well_formed(&"g".repeat(64)));
    }
}
