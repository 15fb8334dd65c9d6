//! The expert columns that participants.csv, ratings.csv and rankings.csv share, made once so
//! that the three files name the same expert alike.

use serde::Serialize;

use crate::db::models::experts::Expert;

/// An expert as the export files name them: by pseudonym (and, in an identified export, by
/// email and name) with their group. The first columns of participants.csv, and the ones after
/// `round` in ratings.csv and rankings.csv.
#[derive(Debug, Clone, Serialize)]
pub struct ExportedExpert {
    pub expert: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub group: String,
}

impl ExportedExpert {
    /// `expert` of the group keyed `group`; an expert no longer found is exported with empty
    /// cells rather than dropping the answers that name them.
    pub(crate) fn of(expert: Option<&Expert>, group: String, identified: bool) -> ExportedExpert {
        ExportedExpert {
            expert: expert.map(|e| e.pseudonym.clone()).unwrap_or_default(),
            email: identified.then(|| expert.and_then(|e| e.email.clone()).unwrap_or_default()),
            name: identified.then(|| expert.map(|e| e.name.clone()).unwrap_or_default()),
            group,
        }
    }
}
