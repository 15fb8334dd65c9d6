//! Facilitator accounts: the first run's set-up link, invitations, each one's own profile,
//! passwords, browser sessions, password resets, API tokens and roles per study, one module
//! each.
//!
//! Password hashing (argon2id) takes a noticeable fraction of a second on purpose, so it is kept
//! out of the transactions: callers hash with `hash_password` / check with `password_matches`
//! (on a blocking thread in the web server) and pass the result in.

mod api_tokens;
mod facilitators;
mod invitations;
mod passwords;
mod profile;
mod resets;
mod roles;
mod sessions;
mod setup;

pub use api_tokens::*;
pub use facilitators::*;
pub use invitations::*;
pub use passwords::*;
pub use profile::*;
pub use resets::*;
pub use roles::*;
pub use sessions::*;
pub use setup::*;
