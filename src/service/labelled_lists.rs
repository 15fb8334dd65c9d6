//! The two labelled lists a study's content is organised in, sections and groups, and what
//! reading and writing them takes: below the use cases (`content` edits them, `studies` and
//! `ideas` read them against files and forms).

use std::collections::HashMap;

use super::ServiceError;
use crate::db::models::studies::{Group, Section};
use crate::db::DbConnection;
use crate::domain::study::Study;

/// The two labelled lists a study's content is organised in. They behave alike — a key fixed
/// at creation, a label that may change, an order — so one set of use cases serves both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    Section,
    Group,
}

/// One entry of a listing: id, key, label.
pub(super) struct Entry {
    pub id: i64,
    pub key: String,
    pub label: String,
    pub position: i32,
}

impl Listing {
    /// `section` or `group`, as audit actions and messages name them.
    pub fn noun(self) -> &'static str {
        match self {
            Listing::Section => "section",
            Listing::Group => "group",
        }
    }

    /// The form field of the label, as the study file names it.
    pub fn label_field(self) -> &'static str {
        match self {
            Listing::Section => "title",
            Listing::Group => "name",
        }
    }

    pub(super) fn entries(self, conn: &mut DbConnection, study_id: i64) -> Result<Vec<Entry>, ServiceError> {
        Ok(match self {
            Listing::Section => Section::of_study(conn, study_id)?
                .into_iter()
                .map(|s| Entry {
                    id: s.id,
                    key: s.key,
                    label: s.title,
                    position: s.position,
                })
                .collect(),
            Listing::Group => Group::of_study(conn, study_id)?
                .into_iter()
                .map(|g| Entry {
                    id: g.id,
                    key: g.key,
                    label: g.name,
                    position: g.position,
                })
                .collect(),
        })
    }

    /// The listing's ids by key: what a file or form naming sections or groups is read against.
    pub(crate) fn ids_by_key(
        self,
        conn: &mut DbConnection,
        study_id: i64,
    ) -> Result<HashMap<String, i64>, ServiceError> {
        Ok(self
            .entries(conn, study_id)?
            .into_iter()
            .map(|e| (e.key, e.id))
            .collect())
    }

    pub(super) fn insert(
        self,
        conn: &mut DbConnection,
        study_id: i64,
        key: &str,
        label: &str,
        position: i32,
    ) -> Result<(), ServiceError> {
        match self {
            Listing::Section => Section::insert(conn, study_id, key, label, position).map(|_| ()),
            Listing::Group => Group::insert(conn, study_id, key, label, position).map(|_| ()),
        }?;
        Ok(())
    }

    pub(super) fn rename(self, conn: &mut DbConnection, id: i64, label: &str) -> Result<(), ServiceError> {
        match self {
            Listing::Section => Section::rename(conn, id, label),
            Listing::Group => Group::rename(conn, id, label),
        }?;
        Ok(())
    }

    pub(super) fn set_position(
        self,
        conn: &mut DbConnection,
        id: i64,
        position: i32,
    ) -> Result<(), ServiceError> {
        match self {
            Listing::Section => Section::set_position(conn, id, position),
            Listing::Group => Group::set_position(conn, id, position),
        }?;
        Ok(())
    }

    pub(super) fn find(
        self,
        conn: &mut DbConnection,
        study: &Study,
        key: &str,
    ) -> Result<(usize, Vec<Entry>), ServiceError> {
        let entries = self.entries(conn, study.id)?;
        let index = entries.iter().position(|e| e.key == key).ok_or_else(|| {
            ServiceError::NotFound(format!("study `{}` has no {} `{key}`", study.slug, self.noun()))
        })?;
        Ok((index, entries))
    }
}
