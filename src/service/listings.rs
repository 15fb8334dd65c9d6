//! A study's items and panel as rows, for the API, the console's lists and forms.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::studies::{self, load};
use super::ServiceError;
use crate::db::models::experts::Expert;
use crate::db::models::items::Item;
use crate::db::models::studies::Section;
use crate::db::DbConnection;
use crate::domain::items_file::Translation;
use crate::domain::round::ItemOrigin;

/// An item as the items import takes it, plus what the platform adds.
#[derive(Debug, Clone, Serialize)]
pub struct ItemListing {
    pub code: String,
    pub section: String,
    pub text: String,
    pub description: Option<String>,
    pub translations: BTreeMap<String, Translation>,
    pub version: i32,
    pub origin: ItemOrigin,
    pub retired: bool,
    /// The proposals of the ideas round it came from (`P003`, …); left out when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub from_proposals: Vec<String>,
    /// Evidence notes (citation, optional link), shown to experts as the item's background.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceNote>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceNote {
    pub citation: String,
    pub link: Option<String>,
}

/// The study's item translations by item id, then by language: as the items file carries them.
pub(crate) fn translations_by_item(
    conn: &mut DbConnection,
    study_id: i64,
) -> Result<HashMap<i64, BTreeMap<String, Translation>>, ServiceError> {
    let mut translations: HashMap<i64, BTreeMap<String, Translation>> = HashMap::new();
    for t in Item::translations_of_study(conn, study_id)? {
        translations.entry(t.item_id).or_default().insert(
            t.language,
            Translation {
                text: t.text,
                description: t.description,
            },
        );
    }
    Ok(translations)
}

pub fn items(conn: &mut DbConnection, slug: &str) -> Result<Vec<ItemListing>, ServiceError> {
    let study = load(conn, slug)?;
    let sections: HashMap<i64, String> = Section::keys_of_study(conn, study.id)?;
    let mut translations = translations_by_item(conn, study.id)?;
    let mut from = super::origins::provenance(conn, &study)?;
    let mut evidence = super::origins::evidence(conn, study.id)?;
    Ok(Item::of_study(conn, study.id)?
        .into_iter()
        .map(|item| ItemListing {
            from_proposals: from.remove(&item.id).unwrap_or_default(),
            evidence: evidence
                .remove(&item.id)
                .unwrap_or_default()
                .into_iter()
                .map(|e| EvidenceNote {
                    citation: e.citation,
                    link: e.link,
                })
                .collect(),
            section: sections.get(&item.section_id).cloned().unwrap_or_default(),
            translations: translations.remove(&item.id).unwrap_or_default(),
            code: item.code,
            text: item.text,
            description: item.description,
            version: item.version,
            origin: item.origin,
            retired: item.retired_at.is_some(),
        })
        .collect())
}

/// An expert of the panel. Erased experts keep only their pseudonym.
#[derive(Debug, Clone, Serialize)]
pub struct ExpertListing {
    pub email: Option<String>,
    pub name: String,
    pub group: String,
    pub country: Option<String>,
    pub language: Option<String>,
    pub pseudonym: String,
    pub withdrawn: bool,
}

pub fn panel(conn: &mut DbConnection, slug: &str) -> Result<Vec<ExpertListing>, ServiceError> {
    let study = load(conn, slug)?;
    let groups = studies::group_keys_by_id(conn, study.id)?;
    Ok(Expert::of_study(conn, study.id)?
        .into_iter()
        .map(|e| ExpertListing {
            group: groups.get(&e.group_id).cloned().unwrap_or_default(),
            email: e.email,
            name: e.name,
            country: e.country,
            language: e.language,
            pseudonym: e.pseudonym,
            withdrawn: e.withdrawn_at.is_some(),
        })
        .collect())
}

/// The email of the study's expert with this pseudonym: the console names experts by
/// pseudonym, the use cases find them by email.
pub fn email_of_pseudonym(
    conn: &mut DbConnection,
    slug: &str,
    pseudonym: &str,
) -> Result<String, ServiceError> {
    let study = load(conn, slug)?;
    Expert::of_study(conn, study.id)?
        .into_iter()
        .find(|e| e.pseudonym == pseudonym)
        .and_then(|e| e.email)
        .ok_or_else(|| {
            ServiceError::NotFound(format!("study `{slug}` has no expert {pseudonym} with an email"))
        })
}
