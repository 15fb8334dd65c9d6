//! What each expert's page held in a round, in which order: written when a round opens in a
//! study that draws orders or subsets (`[rounds] order = "random"`, `items_per_expert`).
//! A round with no rows for an expert shows them every item in the study's order.

use diesel::prelude::*;

use crate::db::lookups::lookups;
use crate::db::schema::page_items;
use crate::db::{in_chunks, DbConnection};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = page_items)]
pub struct PageItem {
    pub round_id: i64,
    pub expert_id: i64,
    pub item_id: i64,
    /// 1-based position on the expert's page.
    pub position: i32,
}

impl PageItem {
    /// Writes the pages drawn for a round (the caller holds the transaction).
    pub fn insert_many(conn: &mut DbConnection, rows: &[PageItem]) -> QueryResult<usize> {
        // 4 columns a row: well under both backends' bound-parameter limits. The batch insert
        // is run on the concrete connection: the multi-backend one has none common to both.
        in_chunks(rows, 5_000, |chunk| match conn {
            DbConnection::Sqlite(c) => diesel::insert_into(page_items::table).values(chunk).execute(c),
            DbConnection::Postgres(c) => diesel::insert_into(page_items::table).values(chunk).execute(c),
        })
    }
}

lookups!(PageItem in page_items {
    /// One expert's page in the round, first position first (test experts' too: it is
    /// their own page); empty when the round draws nothing.
    of_expert(round_id, expert_id) by page_items::position.asc();
    /// The panel's pages, by expert, then position.
    of_round(round_id) on panel by (page_items::expert_id.asc(), page_items::position.asc());
});
