use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::lookups::lookups;
use crate::db::schema::experts;
use crate::db::DbConnection;
use crate::domain::test_expert;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = experts)]
pub struct Expert {
    pub id: i64,
    pub study_id: i64,
    pub group_id: i64,
    pub email: Option<String>,
    pub name: String,
    pub country: Option<String>,
    pub language: Option<String>,
    pub pseudonym: String,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub erased_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// A test expert (pseudonym T001…), rehearsing the questionnaire: never counted.
    pub is_test: bool,
}

lookups!(Expert in experts {
    by_id;
    /// Whoever of the study has this email, panel member or test expert: the address is
    /// unique in a study, whichever they are.
    with_email(study_id: i64, email: &str) unique;
});

/// Experts of the panel, as opposed to test experts (defined with the lookups, whose `on panel`
/// entries use it).
pub(crate) use crate::db::lookups::on_panel;

/// An expert's details as a panel row gives them. An update writes every field, an empty
/// country or language included: the row says what is true now, and an import (or the panel
/// form) that leaves the language empty means the study's language, not "keep the old one".
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = experts, treat_none_as_null = true)]
pub struct ExpertFields<'a> {
    pub group_id: i64,
    pub email: Option<&'a str>,
    pub name: &'a str,
    pub country: Option<&'a str>,
    pub language: Option<&'a str>,
}

impl Expert {
    /// The panel of the study, in the order experts were added.
    pub fn of_study(conn: &mut DbConnection, study_id: i64) -> QueryResult<Vec<Expert>> {
        experts::table
            .filter(experts::study_id.eq(study_id))
            .filter(on_panel())
            .order(experts::id.asc())
            .select(Expert::as_select())
            .load(conn)
    }

    /// The study's test experts, in the order they were invited.
    pub fn tests_of_study(conn: &mut DbConnection, study_id: i64) -> QueryResult<Vec<Expert>> {
        experts::table
            .filter(experts::study_id.eq(study_id))
            .filter(experts::is_test.eq(true))
            .order(experts::id.asc())
            .select(Expert::as_select())
            .load(conn)
    }

    /// The panel member with this email.
    pub fn by_email(conn: &mut DbConnection, study_id: i64, email: &str) -> QueryResult<Option<Expert>> {
        Expert::with_email(conn, study_id, email).map(|found| found.filter(|e| !e.is_test))
    }

    /// Inserts an expert with the next pseudonym of the study (E001, E002, …). Pseudonyms are
    /// never reused, so exports stay comparable after an erasure; test experts, numbered apart,
    /// leave no gap in them.
    pub fn insert(
        conn: &mut DbConnection,
        study_id: i64,
        fields: &ExpertFields<'_>,
        at: NaiveDateTime,
    ) -> QueryResult<Expert> {
        let count: i64 = experts::table
            .filter(experts::study_id.eq(study_id))
            .filter(on_panel())
            .count()
            .get_result(conn)?;
        Expert::insert_as(conn, study_id, fields, pseudonym(count + 1), false, at)
    }

    /// Inserts the expert under `pseudonym`: a panel member, or a test expert (`is_test`).
    fn insert_as(
        conn: &mut DbConnection,
        study_id: i64,
        fields: &ExpertFields<'_>,
        pseudonym: String,
        is_test: bool,
        at: NaiveDateTime,
    ) -> QueryResult<Expert> {
        diesel::insert_into(experts::table)
            .values((
                fields,
                experts::study_id.eq(study_id),
                experts::pseudonym.eq(pseudonym),
                experts::is_test.eq(is_test),
                experts::created_at.eq(at),
                experts::updated_at.eq(at),
            ))
            .returning(experts::all_columns)
            .get_result(conn)
    }

    pub fn update(
        conn: &mut DbConnection,
        id: i64,
        fields: &ExpertFields<'_>,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        diesel::update(experts::table.find(id))
            .set((fields, experts::updated_at.eq(at)))
            .execute(conn)
    }
}

impl Expert {
    /// Inserts a test expert with the next test pseudonym (T001, …): one more than the highest
    /// in use, since removed test experts leave nothing behind to keep a number for.
    pub fn insert_test(
        conn: &mut DbConnection,
        study_id: i64,
        fields: &ExpertFields<'_>,
        at: NaiveDateTime,
    ) -> QueryResult<Expert> {
        let highest = Expert::tests_of_study(conn, study_id)?
            .iter()
            .filter_map(|e| test_expert::number(&e.pseudonym))
            .max()
            .unwrap_or(0);
        Expert::insert_as(
            conn,
            study_id,
            fields,
            test_expert::pseudonym(highest + 1),
            true,
            at,
        )
    }

    /// Takes back a test expert's withdrawal (the unsubscribe link of a test invitation): the
    /// facilitator has just invited them again.
    pub fn reinstate_test(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(
            experts::table
                .find(id)
                .filter(experts::is_test.eq(true))
                .filter(experts::withdrawn_at.is_not_null()),
        )
        .set((
            experts::withdrawn_at.eq(None::<NaiveDateTime>),
            experts::updated_at.eq(at),
        ))
        .execute(conn)
    }

    /// Deletes a test expert with their invitations, links and answers (the foreign keys
    /// cascade); a panel member is never deleted here. True if there was one.
    pub fn delete_test(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
        let deleted =
            diesel::delete(experts::table.find(id).filter(experts::is_test.eq(true))).execute(conn)?;
        Ok(deleted == 1)
    }
}

pub fn pseudonym(n: i64) -> String {
    format!("E{n:03}")
}

impl Expert {
    /// Withdraws the expert from their study; true if they were not withdrawn yet.
    pub fn withdraw(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
        let changed = diesel::update(experts::table.find(id).filter(experts::withdrawn_at.is_null()))
            .set((experts::withdrawn_at.eq(at), experts::updated_at.eq(at)))
            .execute(conn)?;
        Ok(changed == 1)
    }
}

impl Expert {
    /// Removes the expert's identity and marks them erased and withdrawn: email, country and
    /// language cleared, the name replaced by the pseudonym (so pages and exports that show
    /// names show E002, not a blank). The row and its answers stay. True if not erased yet.
    pub fn erase(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
        let changed = diesel::update(experts::table.find(id).filter(experts::erased_at.is_null()))
            .set((
                experts::email.eq(None::<String>),
                experts::name.eq(experts::pseudonym),
                experts::country.eq(None::<String>),
                experts::language.eq(None::<String>),
                experts::erased_at.eq(at),
                experts::updated_at.eq(at),
            ))
            .execute(conn)?;
        diesel::update(experts::table.find(id).filter(experts::withdrawn_at.is_null()))
            .set(experts::withdrawn_at.eq(at))
            .execute(conn)?;
        Ok(changed == 1)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pseudonyms_are_zero_padded() {
        assert_eq!(super::pseudonym(1), "E001");
        assert_eq!(super::pseudonym(42), "E042");
        assert_eq!(super::pseudonym(1234), "E1234");
    }
}
