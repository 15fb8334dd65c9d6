use diesel::prelude::*;

use crate::db::schema::results;
use crate::db::DbConnection;

/// The frozen statistics of one item in one closed round, for one rule and one group
/// (`group_key` empty for the pooled panel).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = results)]
pub struct ResultRow {
    pub round_id: i64,
    pub item_id: i64,
    pub rule: String,
    pub group_key: String,
    pub invited: i32,
    pub responded: i32,
    pub n: i32,
    pub unable: i32,
    pub counts: String,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub min_score: Option<f64>,
    pub max_score: Option<f64>,
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    pub iqr: Option<f64>,
    pub p30: Option<f64>,
    pub p70: Option<f64>,
    pub ipr: Option<f64>,
    pub ipras: Option<f64>,
    pub di: Option<f64>,
    pub status: String,
}

impl ResultRow {
    pub fn insert_many(conn: &mut DbConnection, rows: &[ResultRow]) -> QueryResult<usize> {
        let mut written = 0;
        // 24 columns a row: 1,000 rows stay under both backends' bound-parameter limits.
        for chunk in rows.chunks(1_000) {
            written += match conn {
                DbConnection::Sqlite(c) => {
                    let mut n = 0;
                    for row in chunk {
                        n += diesel::insert_into(results::table).values(row).execute(&mut *c)?;
                    }
                    n
                }
                DbConnection::Postgres(c) => diesel::insert_into(results::table).values(chunk).execute(c)?,
            };
        }
        Ok(written)
    }

    pub fn of_round(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<ResultRow>> {
        results::table
            .filter(results::round_id.eq(round_id))
            .order((
                results::item_id.asc(),
                results::rule.asc(),
                results::group_key.asc(),
            ))
            .select(ResultRow::as_select())
            .load(conn)
    }
}
