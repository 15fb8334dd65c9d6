use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::{lookups, setters, values};
use crate::db::schema::{sections, stakeholder_groups, studies};
use crate::db::{DbConnection, DbError};
use crate::domain::rule::RuleSet;
use crate::domain::scale::Scale;
use crate::domain::study::{Anonymity, Study, StudyFile, StudyStatus};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = studies)]
pub struct StudyRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub language: String,
    pub timezone: String,
    #[diesel(deserialize_as = String)]
    pub status: StudyStatus,
    pub definition: String,
    pub rule_set: String,
    pub rule_hash: Option<String>,
    pub rule_locked_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = String)]
    pub anonymity: Anonymity,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub finish_reason: Option<String>,
}

/// What a study file says in its study's row: written when the study is created, and again
/// when its Settings page changes it.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = studies)]
pub struct Described<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub timezone: &'a str,
    pub anonymity: &'a str,
    /// The study file itself, as JSON.
    pub definition: &'a str,
}

impl<'a> Described<'a> {
    pub fn of(file: &'a StudyFile, definition: &'a str) -> Described<'a> {
        Described {
            title: &file.title,
            description: &file.description,
            language: &file.language,
            timezone: file.timezone.name(),
            anonymity: file.anonymity.as_str(),
            definition,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = studies)]
pub struct NewStudy<'a> {
    pub slug: &'a str,
    #[diesel(embed)]
    pub described: Described<'a>,
    pub rule_set: &'a str,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

lookups!(StudyRow in studies {
    by_slug(slug: &str) unique;
    /// Oldest first.
    all by studies::created_at.asc();
});

setters!(StudyRow in studies {
    /// Stamps the study as changed now (see `stamp`).
    touch(at: NaiveDateTime) sets updated_at;
});

impl StudyRow {
    /// The study with its stored definition and rule set read back into domain values.
    pub fn into_study(self) -> Result<Study, DbError> {
        let corrupt = |what: &str, e: &dyn std::fmt::Display| {
            DbError::Query(diesel::result::Error::DeserializationError(
                format!("stored {what} of study `{}` cannot be read: {e}", self.slug).into(),
            ))
        };
        let file: StudyFile =
            serde_json::from_str(&self.definition).map_err(|e| corrupt("definition", &e))?;
        let rules: RuleSet = serde_json::from_str(&self.rule_set).map_err(|e| corrupt("rule set", &e))?;
        let scale = Scale::from_spec(&file.scale).map_err(|e| corrupt("scale", &e))?;
        Ok(Study {
            id: self.id,
            slug: self.slug,
            title: self.title,
            description: self.description,
            language: self.language,
            timezone: self.timezone,
            status: self.status,
            anonymity: self.anonymity,
            rule_hash: self.rule_hash,
            rule_locked_at: self.rule_locked_at,
            updated_at: self.updated_at,
            finished_at: self.finished_at,
            finish_reason: self.finish_reason,
            file,
            scale,
            rules,
        })
    }

    /// A new study, in draft.
    pub fn insert(conn: &mut DbConnection, new: &NewStudy<'_>) -> QueryResult<StudyRow> {
        diesel::insert_into(studies::table)
            .values((new, studies::status.eq(StudyStatus::Draft.as_str())))
            .returning(studies::all_columns)
            .get_result(conn)
    }

    pub fn by_id(conn: &mut DbConnection, id: i64) -> QueryResult<StudyRow> {
        studies::table
            .find(id)
            .select(StudyRow::as_select())
            .get_result(conn)
    }

    /// When the study last changed in anything its pages show. Caches of rendered pages are
    /// keyed by it, so every change to the study's texts, sections, groups, definition or
    /// status must go through `touch` (or set `updated_at` itself).
    pub fn stamp(conn: &mut DbConnection, id: i64) -> QueryResult<NaiveDateTime> {
        studies::table
            .find(id)
            .select(studies::updated_at)
            .get_result(conn)
    }

    /// Freezes the rule set: from now on its hash is shown in every report.
    pub fn lock_rule(conn: &mut DbConnection, id: i64, hash: &str, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(studies::table.find(id).filter(studies::rule_hash.is_null()))
            .set(values!(studies {
                rule_hash: hash,
                rule_locked_at: at,
                status: StudyStatus::Running.as_str(),
                updated_at: at,
            }))
            .execute(conn)
    }

    /// Replaces the stored study file (sections, groups, rule as edited in the console) and
    /// stamps the study, so cached pages are rebuilt.
    pub fn set_definition(
        conn: &mut DbConnection,
        id: i64,
        definition: &str,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        diesel::update(studies::table.find(id))
            .set((studies::definition.eq(definition), studies::updated_at.eq(at)))
            .execute(conn)
    }

    /// Replaces what the Settings page edits; the compiled rule only when given (it is `None`
    /// once the rule is locked) and, as everywhere, never once it is locked.
    pub fn set_settings(
        conn: &mut DbConnection,
        id: i64,
        described: &Described<'_>,
        rule_set: Option<&str>,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        let row = studies::table.find(id);
        let changed = diesel::update(row)
            .set((described, studies::updated_at.eq(at)))
            .execute(conn)?;
        if let Some(rule_set) = rule_set {
            diesel::update(row.filter(studies::rule_hash.is_null()))
                .set(studies::rule_set.eq(rule_set))
                .execute(conn)?;
        }
        Ok(changed)
    }

    /// Replaces the consensus rule (its `[consensus]` table inside `definition` and the compiled
    /// `rule_set`) unless the rule is locked; 0 rows when it is.
    pub fn set_rule(
        conn: &mut DbConnection,
        id: i64,
        definition: &str,
        rule_set: &str,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        diesel::update(studies::table.find(id).filter(studies::rule_hash.is_null()))
            .set(values!(studies {
                definition,
                rule_set,
                updated_at: at
            }))
            .execute(conn)
    }

    /// Running again after the stopping rule finished it: a rating study whose Delphi rounds
    /// are over may still open its ranking round.
    pub fn resume(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(studies::table.find(id))
            .set(values!(studies {
                status: StudyStatus::Running.as_str(),
                finished_at: None::<NaiveDateTime>,
                finish_reason: None::<String>,
                updated_at: at,
            }))
            .execute(conn)
    }

    pub fn finish(conn: &mut DbConnection, id: i64, reason: &str, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(studies::table.find(id))
            .set(values!(studies {
                status: StudyStatus::Finished.as_str(),
                finished_at: at,
                finish_reason: reason,
                updated_at: at,
            }))
            .execute(conn)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = stakeholder_groups)]
pub struct Group {
    pub id: i64,
    pub study_id: i64,
    pub key: String,
    pub name: String,
    pub position: i32,
}

lookups!(Group in stakeholder_groups {
    of_study(study_id) by stakeholder_groups::position.asc();
    insert(study_id: i64, key: &str, name: &str, position: i32);
});

setters!(Group in stakeholder_groups {
    rename(name: &str);
    set_position(position: i32);
});

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = sections)]
pub struct Section {
    pub id: i64,
    pub study_id: i64,
    pub key: String,
    pub title: String,
    pub position: i32,
}

lookups!(Section in sections {
    of_study(study_id) by sections::position.asc();
    /// The study's section keys by section id: how lists and files name a section.
    keys_of_study(study_id) maps id to key;
    insert(study_id: i64, key: &str, title: &str, position: i32);
});

setters!(Section in sections {
    rename(title: &str);
    set_position(position: i32);
});
