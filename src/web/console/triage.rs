//! What the console's two triages of items proposed by experts share: the ideas round's
//! proposals (`ideas`) and the items suggested during a rating round (`suggestions`). Both
//! show a proposal the same way, and a proposal can become a new item or join an existing one
//! on either page, so both forms carry the same fields for that and offer the same choices.

use serde::Deserialize;
use serde_json::{json, Value};

use super::content::NewItemFields;
use crate::service::{listings, studies, Connection, ServiceError};

/// What both pages show of one proposal: who proposed it ("—" when not known), its section,
/// text and rationale, and whether it awaits a decision; `own` adds what only one page shows.
pub fn proposal(
    expert: Option<&str>,
    section: Option<&str>,
    text: &str,
    rationale: Option<&str>,
    pending: bool,
    own: Value,
) -> Value {
    let mut row = json!({
        "expert": expert.unwrap_or("—"),
        "section": section.unwrap_or_default(),
        "text": text,
        "rationale": rationale,
        "pending": pending,
    });
    if let (Some(row), Value::Object(own)) = (row.as_object_mut(), own) {
        row.extend(own);
    }
    row
}

/// The choices of the forms: the study's sections, and the items still in use, which a
/// proposal may be merged into.
pub struct Choices {
    pub sections: Vec<Value>,
    pub items: Vec<Value>,
}

impl Choices {
    pub fn load(conn: &mut Connection, slug: &str) -> Result<Choices, ServiceError> {
        let sections = studies::show(conn, slug)?
            .sections
            .iter()
            .map(|(key, title, _)| json!({ "key": key, "title": title }))
            .collect();
        let items = listings::items(conn, slug)?
            .iter()
            .filter(|i| !i.retired)
            .map(|i| json!({ "code": i.code, "text": i.text }))
            .collect();
        Ok(Choices { sections, items })
    }
}

/// A triage form: the `decision`, the item it names — a new one or the existing item `into` —
/// and the `reason` given.
#[derive(Deserialize)]
pub struct Decided {
    decision: String,
    #[serde(flatten)]
    new: NewItemFields,
    #[serde(default)]
    into: String,
    /// Free text, or the key of one of the reasons the page offers.
    #[serde(default)]
    pub reason: String,
}

/// What a proposal becomes.
pub enum Becomes {
    New {
        code: String,
        section: String,
        text: String,
    },
    Existing(String),
    /// Set aside or rejected.
    Neither,
}

impl Decided {
    /// What the decision says the proposal becomes, read with the words the page's three
    /// choices post (a new item, an existing item, neither); `None` for any other word.
    pub fn becomes(&mut self, [new, existing, neither]: [&str; 3]) -> Option<Becomes> {
        let decision = self.decision.as_str();
        if decision == new {
            let NewItemFields { code, section, text } = std::mem::take(&mut self.new);
            Some(Becomes::New { code, section, text })
        } else if decision == existing {
            Some(Becomes::Existing(std::mem::take(&mut self.into)))
        } else {
            (decision == neither).then_some(Becomes::Neither)
        }
    }
}
