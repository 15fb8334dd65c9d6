//! Link, session and API tokens: 256 random bits, shown once (in the email, the cookie, the
//! console), stored only as a hash.

use rand::RngCore;

use super::ServiceError;
use crate::domain::token;

/// The row a token a client sent names, found by `find` from the token's hash; `None`, without
/// asking, for a token that is not one we could have made.
pub(crate) fn find<T, E>(
    token: &str,
    find: impl FnOnce(&str) -> Result<Option<T>, E>,
) -> Result<Option<T>, ServiceError>
where
    ServiceError: From<E>,
{
    if !token::is_well_formed(token) {
        return Ok(None);
    }
    Ok(find(&token::hash(token))?)
}

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
