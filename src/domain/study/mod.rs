//! A study as the domain knows it: the study itself with where it stands (`Study`), its settings (`StudyFile`, what the study file sets up,
//! validated by `study_file`), the `[rounds]` settings, its time zone, and what its slug and
//! keys may look like.

pub mod criteria;
pub mod feedback;
pub mod ideas;
pub mod keys;
pub mod method;
pub mod model;
pub mod rounds;
pub mod settings;
pub mod texts;
pub mod time_zone;

pub use criteria::{is_valid_criterion_key, Combine, Criterion};
pub use feedback::{FeedbackSettings, FeedbackTiming};
pub use ideas::{IdeasSettings, SetAside};
pub use keys::{is_valid_key, is_valid_slug};
pub use method::Method;
pub use model::{Study, StudyStatus};
pub use rounds::{RoundsSettings, DEFAULT_MIN_RATERS};
pub use settings::{Anonymity, Group, ItemsSource, Section, StudyFile};
pub use texts::{StudyTexts, TextsIn};
pub use time_zone::TimeZoneName;
