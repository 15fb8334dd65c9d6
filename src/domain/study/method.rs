//! How a study's experts judge its items: on a rating scale (the Delphi rounds), with the CHNRI
//! questions, or by ranking their top choices. The study file's top-level `method` key.

use crate::domain::named::named;

named! {
    /// `rating` (default): Likert rounds with consensus rules; `chnri`: yes / undecided / no /
    /// don't know answers to each criterion's questions, scored and ranked; `ranking`: one
    /// round in which every expert picks and orders their top items. Studies stored before the
    /// key existed are rating studies (the default).
    #[derive(Default)]
    pub enum Method {
        #[default]
        Rating = "rating",
        Chnri = "chnri",
        Ranking = "ranking",
    }
}

impl Method {
    /// The kind of every round a study of this method opens by default (a rating study may
    /// also open a ranking round or an ideas round when asked to).
    pub fn round_kind(self) -> crate::domain::round::RoundKind {
        use crate::domain::round::RoundKind;
        match self {
            Method::Rating => RoundKind::Rating,
            Method::Chnri => RoundKind::Chnri,
            Method::Ranking => RoundKind::Ranking,
        }
    }
}
