//! Small-group suppression: a stakeholder group's figures are shown to experts only when enough
//! of its members responded. With two responders, either one could work out the other's score
//! from their own; `[rounds] min_group_feedback` sets how many are enough. The round-2 feedback
//! and the experts' results page both ask this one question.

/// What may be shown of one group's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupFigures {
    /// Nobody of the group responded: there is nothing to show, and nothing was hidden.
    Empty,
    /// Too few responded: hidden, and the page says groups may be hidden.
    Hidden,
    Shown,
}

/// Whether a group with `responders` may be shown under `min_group_feedback`.
pub fn group_figures(responders: i32, min_group_feedback: u32) -> GroupFigures {
    if responders <= 0 {
        return GroupFigures::Empty;
    }
    let min = i64::from(min_group_feedback);
    if i64::from(responders) < min {
        GroupFigures::Hidden
    } else {
        GroupFigures::Shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_below_the_minimum_are_hidden_and_empty_ones_are_not_counted() {
        assert_eq!(group_figures(0, 3), GroupFigures::Empty);
        assert_eq!(group_figures(1, 3), GroupFigures::Hidden);
        assert_eq!(group_figures(2, 3), GroupFigures::Hidden);
        assert_eq!(group_figures(3, 3), GroupFigures::Shown);
        assert_eq!(group_figures(40, 3), GroupFigures::Shown);
        // 0 and 1 both mean "show every group that has a responder".
        assert_eq!(group_figures(1, 0), GroupFigures::Shown);
        assert_eq!(group_figures(1, 1), GroupFigures::Shown);
    }
}
