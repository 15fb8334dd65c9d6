//! The console's confirmation page, shown before what cannot be undone (closing a round,
//! withdrawing an expert, resending a link): shared by the pages that ask.

use actix_web::HttpResponse;
use serde_json::{json, Value};

use super::access::{Editor, StudyAccess};
use crate::web::error::PageError;

/// A confirmation page: the question as its title, what will happen, and a button posting
/// `action` (a page of the study, `rounds/extend`) with `fields` and the CSRF token.
pub(super) struct Confirmation {
    pub title: String,
    pub lines: Vec<String>,
    pub action: String,
    pub fields: Value,
    pub button: String,
}

impl Confirmation {
    /// The page, its Cancel going to `cancel`.
    pub(super) fn page(self, access: &StudyAccess<Editor>, cancel: &str) -> Result<HttpResponse, PageError> {
        access.render(
            "console/confirm",
            json!({
                "title": self.title,
                "study_title": access.study.title,
                "lines": self.lines,
                "action": access.page(&self.action),
                "fields": self.fields,
                "button": self.button,
                "cancel": cancel,
            }),
        )
    }

    /// The page, its Cancel going back to the dashboard.
    pub(super) fn page_back_to_dashboard(
        self,
        access: &StudyAccess<Editor>,
    ) -> Result<HttpResponse, PageError> {
        self.page(access, &format!("{}#dashboard", access.url()))
    }
}
