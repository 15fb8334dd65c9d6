//! Email: transports (smtp | file | log), building messages from outbox rows, the outbox worker,
//! and the templates that compose the emails.

pub mod message;
pub mod messages;
pub mod render;
pub mod transport;
