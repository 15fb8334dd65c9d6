//! What the rating form's template is rendered with, and the key under which its frame is
//! kept (frame.rs): apart from both the view and the frame, so that the frame's cache, which
//! the round's content holds, knows nothing of the views built from that content.

use serde::Serialize;

use super::frame::FrameKey;
use super::view::FormView;

/// What the form template is rendered with.
#[derive(Serialize)]
pub struct FormContext<'a> {
    pub lang: &'a str,
    pub title: &'a str,
    pub token: &'a str,
    pub form: &'a FormView,
    /// "12 of 60 answered", in the page's language.
    pub progress: &'a str,
    pub notice_saved: bool,
    pub notice_suggested: bool,
}

impl FormContext<'_> {
    /// What tells this page's frame apart from the other pages' of its round and language;
    /// `None` for a page with an error summary, which is not kept: each refusal has its own.
    pub fn frame_key(&self) -> Option<FrameKey> {
        // Written out field by field, so that a value added to the view or the context cannot
        // be left out of the key without the compiler noticing.
        let FormContext {
            lang: _,
            title,
            token: _,
            form,
            progress: _,
            notice_saved,
            notice_suggested,
        } = self;
        let FormView {
            study_title,
            // The round's content's own (view::build_form copies them from the content these
            // frames are kept in), like the language.
            intro_html: _,
            section_choices: _,
            bands: _,
            content: _,
            // Not in the frame: the items go in their slot, the progress in its own, formatted
            // by the handler (the template reads neither from the view).
            sections: _,
            progress: _,
            round,
            deadline,
            submitted,
            test,
            rehearsal,
            feedback,
            feedback_after,
            min_group_feedback,
            reason_on_band_change,
            suggestions,
            error,
        } = form;
        if error.is_some() {
            return None;
        }
        Some(FrameKey {
            title: (*title).to_owned(),
            study_title: study_title.clone(),
            round: *round,
            deadline: deadline.clone(),
            flags: [
                *notice_saved,
                *notice_suggested,
                *submitted,
                *test,
                *rehearsal,
                *feedback,
                *feedback_after,
                *reason_on_band_change,
                *suggestions,
            ],
            min_group_feedback: *min_group_feedback,
        })
    }
}
