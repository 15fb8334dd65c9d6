//! What a round asks of its experts. Stored in `rounds.kind`.

use crate::domain::named::named;

named! {
    /// `rating`: scores on the scale (per criterion when the study has criteria); `chnri`:
    /// answers to the CHNRI questions; `ranking`: an ordered choice of items; `ideas`:
    /// proposals of new items, before round 1.
    pub enum RoundKind {
        Rating = "rating",
        Chnri = "chnri",
        Ranking = "ranking",
        Ideas = "ideas",
    }
}
