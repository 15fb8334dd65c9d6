use diesel::backend::Backend;
use diesel::deserialize::{self, FromStaticSqlRow};
use diesel::prelude::*;

use crate::db::lookups::lookups;
use crate::db::schema::results;
use crate::db::DbConnection;
use crate::domain::rule::Status;
use crate::domain::stats::Figures;

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
    pub min_score: Option<f64>,
    pub max_score: Option<f64>,
    #[diesel(embed)]
    pub figures: Figures,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: Status,
    /// The criterion the row is about; empty for the item itself (in a study with criteria,
    /// its combined status) and in a study without criteria.
    pub criterion: String,
}

impl ResultRow {
    /// The rows about the items themselves: every row of a study without criteria, the
    /// combined rows of a study with criteria. What carries items forward, stops a study and
    /// makes its final list reads these.
    pub fn of_round(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<ResultRow>> {
        results::table
            .filter(results::round_id.eq(round_id))
            .filter(results::criterion.eq(""))
            .order((
                results::item_id.asc(),
                results::rule.asc(),
                results::group_key.asc(),
            ))
            .select(ResultRow::as_select())
            .load(conn)
    }
}

lookups!(ResultRow in results {
    /// Every row of the round, the criteria's included.
    of_round_with_criteria(round_id) by (
        results::item_id.asc(),
        results::criterion.asc(),
        results::rule.asc(),
        results::group_key.asc(),
    );
});

// The published figures are stored one column each and read back into the domain's own
// struct, so they are named once (`Figures`) rather than copied field by field per layer.

/// The columns of `Figures`, in its order (a macro: the same tuple is a type and a value).
macro_rules! figure_columns {
    () => {
        (
            results::mean,
            results::sd,
            results::median,
            results::q1,
            results::q3,
            results::iqr,
            results::p30,
            results::p70,
            results::ipr,
            results::ipras,
            results::di,
        )
    };
}

type FigureColumns = figure_columns!();

type FigureValues = (
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

type FigureSql = <FigureColumns as Expression>::SqlType;

impl<DB: Backend> Selectable<DB> for Figures {
    type SelectExpression = FigureColumns;

    fn construct_selection() -> FigureColumns {
        figure_columns!()
    }
}

impl<DB: Backend> Queryable<FigureSql, DB> for Figures
where
    FigureValues: FromStaticSqlRow<FigureSql, DB>,
{
    type Row = FigureValues;

    fn build(row: FigureValues) -> deserialize::Result<Figures> {
        let (mean, sd, median, q1, q3, iqr, p30, p70, ipr, ipras, di) = row;
        Ok(Figures {
            mean,
            sd,
            median,
            q1,
            q3,
            iqr,
            p30,
            p70,
            ipr,
            ipras,
            di,
        })
    }
}

impl Insertable<results::table> for &Figures {
    type Values = <FigureInsert as Insertable<results::table>>::Values;

    fn values(self) -> Self::Values {
        let [mean, sd, median, q1, q3, iqr, p30, p70, ipr, ipras, di] = self.in_order();
        (
            results::mean.eq(mean),
            results::sd.eq(sd),
            results::median.eq(median),
            results::q1.eq(q1),
            results::q3.eq(q3),
            results::iqr.eq(iqr),
            results::p30.eq(p30),
            results::p70.eq(p70),
            results::ipr.eq(ipr),
            results::ipras.eq(ipras),
            results::di.eq(di),
        )
            .values()
    }
}

impl Insertable<results::table> for Figures {
    type Values = <FigureInsert as Insertable<results::table>>::Values;

    fn values(self) -> Self::Values {
        (&self).values()
    }
}

type FigureInsert = (
    diesel::dsl::Eq<results::mean, Option<f64>>,
    diesel::dsl::Eq<results::sd, Option<f64>>,
    diesel::dsl::Eq<results::median, Option<f64>>,
    diesel::dsl::Eq<results::q1, Option<f64>>,
    diesel::dsl::Eq<results::q3, Option<f64>>,
    diesel::dsl::Eq<results::iqr, Option<f64>>,
    diesel::dsl::Eq<results::p30, Option<f64>>,
    diesel::dsl::Eq<results::p70, Option<f64>>,
    diesel::dsl::Eq<results::ipr, Option<f64>>,
    diesel::dsl::Eq<results::ipras, Option<f64>>,
    diesel::dsl::Eq<results::di, Option<f64>>,
);

impl ResultRow {
    pub fn insert_many(conn: &mut DbConnection, rows: Vec<ResultRow>) -> QueryResult<usize> {
        let mut written = 0;
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            // 24 columns a row: 1,000 rows stay under both backends' bound-parameter limits.
            let chunk: Vec<ResultRow> = rows.by_ref().take(1_000).collect();
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
}
