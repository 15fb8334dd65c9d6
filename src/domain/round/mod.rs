//! The round cycle's decisions: which state a round is in and what may happen next, which items
//! go on to the next round, when the study stops, and what the scheduler does before and after
//! a deadline; with the `[rounds]` policies those decisions follow; and who responded to a
//! round (`Turnout`).

pub mod close;
pub mod deadline;
pub mod kind;
pub mod origin;
pub mod policy;
pub mod small_groups;
pub mod state;
pub mod turnout;

pub use close::{carried_items, stop_decision, ItemCarry, RoundOutcome, StopDecision};
pub use deadline::{deadline_action, DeadlineAction, DeadlineWatch};
pub use kind::RoundKind;
pub use origin::{ItemOrigin, Origin, Participation};
pub use policy::{CarryForward, InvitePolicy, ReminderOffset};
pub use small_groups::{group_figures, GroupFigures};
pub use state::RoundState;
pub use turnout::Turnout;
