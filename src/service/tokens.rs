//! Expert link tokens: 256 random bits, shown once (in the email), stored only as a hash.

use rand::RngCore;

use crate::domain::token;

/// A fresh token and the hash to store.
pub fn generate() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = token::hash(&token);
    (token, hash)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_fresh_and_hashed() {
        let (a, ha) = super::generate();
        let (b, _) = super::generate();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(a, ha);
        assert_eq!(crate::domain::token::hash(&a), ha);
    }
}
