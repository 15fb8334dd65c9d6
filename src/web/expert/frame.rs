//! The rating form's page around its items, rendered by Handlebars once per round, language and
//! state of the page, then reused for every expert with their own link and progress put in.
//!
//! Why: rendering this frame through the template — the context cloned into JSON, every `{{t}}`
//! looked up and formatted — was a third of the instructions of a 60-item round-1 page
//! (benches/request_cost.rs), and it is the same for every expert of a round but for two
//! values. The frame is rendered with marks in their place and cut at them; a view whose
//! frame differs in anything else (a notice, a test expert's banner, a new deadline) has a
//! key of its own, because the key is the whole template context with the marks in it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Where the expert's link token goes. `\u{1}` is in no text a page shows (a study's texts
/// would have to hold the whole mark); `Frame::cut` refuses a frame where it stands elsewhere.
const TOKEN_MARK: &str = "\u{1}delphi:token\u{1}";
/// Where "12 of 60 answered" goes (its plural depends on the numbers, so it is formatted per
/// expert).
const PROGRESS_MARK: &str = "\u{1}delphi:progress\u{1}";
/// Where form.hbs wants the items. Nothing else on the page can contain it: every other value
/// is escaped, and escaping turns `<` into `&lt;`.
const ITEMS_MARK: &str = "<!--delphi:items-->";

/// Frames kept per round and language at the most: the states of a page are few (notices,
/// submitted, test expert), so more means something varies that should not; then start again.
const MOST: usize = 64;

#[derive(Clone, Copy, PartialEq)]
enum Slot {
    Token,
    Progress,
    Items,
}

enum Piece {
    Text(String),
    Slot(Slot),
}

/// A rendered frame cut at its marks.
pub struct Frame {
    pieces: Vec<Piece>,
    /// The length of its text, for the page's buffer.
    len: usize,
}

impl Frame {
    /// A frame rendered with the marks, cut at them; `None` when it has no place for the
    /// items, or holds a mark's first character outside a mark.
    pub fn cut(rendered: &str) -> Option<Frame> {
        let frame = Frame::cut_at(
            rendered,
            &[
                (TOKEN_MARK, Slot::Token),
                (PROGRESS_MARK, Slot::Progress),
                (ITEMS_MARK, Slot::Items),
            ],
        )?;
        let stray = frame
            .pieces
            .iter()
            .any(|p| matches!(p, Piece::Text(text) if text.contains('\u{1}')));
        (!stray).then_some(frame)
    }

    /// A frame rendered with its own values, cut at the place for the items only.
    pub fn whole(rendered: &str) -> Option<Frame> {
        Frame::cut_at(rendered, &[(ITEMS_MARK, Slot::Items)])
    }

    fn cut_at(rendered: &str, marks: &[(&str, Slot)]) -> Option<Frame> {
        let mut pieces = Vec::with_capacity(8);
        let mut rest = rendered;
        let mut has_items = false;
        while let Some((at, mark, slot)) = marks
            .iter()
            .filter_map(|&(mark, slot)| rest.find(mark).map(|at| (at, mark, slot)))
            .min_by_key(|(at, _, _)| *at)
        {
            pieces.push(Piece::Text(rest[..at].to_string()));
            has_items |= slot == Slot::Items;
            pieces.push(Piece::Slot(slot));
            rest = &rest[at + mark.len()..];
        }
        pieces.push(Piece::Text(rest.to_string()));
        if !has_items {
            return None;
        }
        let len = pieces
            .iter()
            .map(|p| match p {
                Piece::Text(text) => text.len(),
                Piece::Slot(_) => 0,
            })
            .sum();
        Some(Frame { pieces, len })
    }

    /// The page: the frame with `token` and `progress` (both already HTML) in their places and
    /// the items written by `items` in theirs, into one buffer of about `items_len` more bytes.
    pub fn fill(&self, token: &str, progress: &str, items_len: usize, items: impl Fn(&mut String)) -> String {
        let mut page = String::with_capacity(self.len + items_len);
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => page.push_str(text),
                Piece::Slot(Slot::Token) => page.push_str(token),
                Piece::Slot(Slot::Progress) => page.push_str(progress),
                Piece::Slot(Slot::Items) => items(&mut page),
            }
        }
        page
    }
}

/// The frames of one round's pages in one language (held by its `RoundContent`, so that a
/// change to the study, which rebuilds the content, drops them too).
#[derive(Default)]
pub struct Frames(Mutex<HashMap<FrameKey, Arc<Frame>>>);

impl std::fmt::Debug for Frames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Frames")
    }
}

/// What tells the frames of one round's pages in one language apart: every value the template
/// is given but the expert's link and progress, and but what the round's content itself holds.
#[derive(PartialEq, Eq, Hash)]
pub struct FrameKey {
    pub title: String,
    pub study_title: String,
    pub round: i32,
    pub deadline: Option<String>,
    pub flags: [bool; 9],
    pub min_group_feedback: u32,
}

impl Frames {
    /// The frame under `key`, rendered on first use by `render` with `TOKEN_MARK` and
    /// `PROGRESS_MARK` as its token and progress; `None` when it cannot be cut: then the page
    /// is rendered whole.
    pub fn get<E>(
        &self,
        key: FrameKey,
        render: impl FnOnce(&str, &str) -> Result<String, E>,
    ) -> Result<Option<Arc<Frame>>, E> {
        if let Some(found) = self.lock().get(&key) {
            return Ok(Some(Arc::clone(found)));
        }
        let Some(frame) = Frame::cut(&render(TOKEN_MARK, PROGRESS_MARK)?) else {
            return Ok(None);
        };
        let frame = Arc::new(frame);
        let mut frames = self.lock();
        if frames.len() >= MOST {
            frames.clear();
        }
        frames.insert(key, Arc::clone(&frame));
        Ok(Some(frame))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<FrameKey, Arc<Frame>>> {
        // A panic while holding the lock leaves only a map of finished frames behind.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::web::templates;

    /// The page from a frame rendered with the marks is the page rendered with the values, in
    /// every state the template knows.
    #[test]
    fn a_kept_frame_filled_in_is_the_page_rendered_whole() {
        let token = "a".repeat(64);
        let progress = "\u{2068}3\u{2069} of \u{2068}60\u{2069} answered &amp; more";
        for (lang, suggestions, deadline, test, notice) in [
            ("en", true, Some("1 March 2027"), false, false),
            ("ar", false, None, true, true),
            ("fr", true, None, false, true),
        ] {
            let context = |token: &str, progress: &str| {
                json!({
                    "lang": lang, "title": "Study <1>", "token": token, "progress": progress,
                    "notice_saved": notice, "notice_suggested": !notice,
                    "form": {
                        "study_title": "Study <1>", "intro_html": "<p>Why</p>", "round": 2,
                        "deadline": deadline, "submitted": notice, "test": test, "rehearsal": test,
                        "feedback": true, "feedback_after": test, "min_group_feedback": 3,
                        "reason_on_band_change": true, "suggestions": suggestions,
                        "section_choices": [{"key": "a", "title": "A & B"}], "bands": "1-3,4-6,7-9",
                        "error": null,
                        "progress": {"answered": 0, "total": 0},
                    }
                })
            };
            let items = |out: &mut String| out.push_str("<section>items</section>");
            let marked = templates::render("expert/form", &context(TOKEN_MARK, PROGRESS_MARK)).unwrap();
            let kept = Frame::cut(&marked).expect("cut").fill(&token, progress, 0, items);
            let rendered = templates::render("expert/form", &context(&token, progress)).unwrap();
            let whole = Frame::whole(&rendered).expect("whole").fill("", "", 0, items);
            assert_eq!(kept, whole, "{lang}");
            assert!(whole.contains(&format!("action=\"/r/{token}\"")));
            assert!(whole.contains(progress));
            assert_eq!(kept.matches(&token).count(), if suggestions { 2 } else { 1 });
        }
    }

    #[test]
    fn a_frame_is_cut_at_its_marks_in_order() {
        let rendered = format!("<a href=/r/{TOKEN_MARK}>{PROGRESS_MARK}</a>{ITEMS_MARK}<b>{TOKEN_MARK}</b>");
        let frame = Frame::cut(&rendered).expect("cut");
        let page = frame.fill("abc", "3 of 9", 10, |out| out.push_str("<i>items</i>"));
        assert_eq!(page, "<a href=/r/abc>3 of 9</a><i>items</i><b>abc</b>");
    }

    #[test]
    fn a_frame_without_a_place_for_the_items_or_with_a_stray_mark_is_not_cut() {
        assert!(Frame::cut("<p>no items</p>").is_none());
        assert!(Frame::cut(&format!("<p>\u{1}delphi:tok\u{1}</p>{ITEMS_MARK}")).is_none());
        assert!(Frame::cut(&format!("<p>plain</p>{ITEMS_MARK}")).is_some());
        // Rendered with its own values, a text may hold anything.
        let whole = Frame::whole(&format!("<p>\u{1}</p>{ITEMS_MARK}<p>{TOKEN_MARK}</p>")).expect("whole");
        let page = whole.fill("abc", "3 of 9", 0, |out| out.push('|'));
        assert_eq!(page, format!("<p>\u{1}</p>|<p>{TOKEN_MARK}</p>"));
    }
}
