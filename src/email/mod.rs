//! Email: composing the platform's emails from domain values (`messages`), rendering their
//! templates (`render`), building Internet messages (`message`) and the transports that carry
//! them (smtp | file | log), signed with DKIM when configured (`dkim`). The outbox worker that sends them is `service::outbox`.

pub mod bounce;
pub mod dkim;
pub mod dns;
pub mod message;
pub mod messages;
pub mod render;
pub mod transport;
