//! Rows of each table and the queries over them, one module per table family. Functions take
//! `&mut DbConnection` and return diesel results; transactions are opened by the service layer.

pub mod api_tokens;
pub mod audit;
pub mod chnri_answers;
pub mod closing_emails;
pub mod deliveries;
pub mod email_templates;
pub mod evidence;
pub mod experts;
pub mod facilitators;
pub mod invitations;
pub mod items;
pub mod outbox;
pub mod page_items;
pub mod password_resets;
pub mod rankings;
pub mod rate_limits;
pub mod ratings;
pub mod results;
pub mod round_reminders;
pub mod rounds;
pub mod sessions;
pub mod setup_links;
pub mod studies;
pub mod study_roles;
pub mod suggestions;
