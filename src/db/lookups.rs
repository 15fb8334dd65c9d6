//! The lookups most tables have — one row by id, every row of a study or of a round in order —
//! written once instead of once per table.

/// `lookups!(Row in table { by_id; of_study(study_id) by table::position.asc(); })` gives
/// `Row::by_id(conn, id)` and `Row::of_study(conn, study_id)` (any name, any parent column,
/// any order).
macro_rules! lookups {
    ($row:ident in $table:ident { $($rest:tt)* }) => {
        impl $row {
            $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
        }
    };
    (@ $row:ident, $table:ident, ) => {};
    (@ $row:ident, $table:ident, by_id; $($rest:tt)*) => {
        /// The row with this id, if there is one.
        pub fn by_id(conn: &mut $crate::db::DbConnection, id: i64) -> diesel::QueryResult<Option<$row>> {
            $table::table
                .find(id)
                .select($row::as_select())
                .get_result(conn)
                .optional()
        }
        $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
    };
    (@ $row:ident, $table:ident, by_token_hash; $($rest:tt)*) => {
        /// The row holding this token's hash (tokens are stored hashed only), if there is one.
        pub fn by_token_hash(
            conn: &mut $crate::db::DbConnection,
            hash: &str,
        ) -> diesel::QueryResult<Option<$row>> {
            $table::table
                .filter($table::token_hash.eq(hash))
                .select($row::as_select())
                .first(conn)
                .optional()
        }
        $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
    };
    (@ $row:ident, $table:ident, $name:ident($column:ident) by $order:expr; $($rest:tt)*) => {
        #[doc = concat!("Every row whose `", stringify!($column), "` is `id`, in order.")]
        pub fn $name(conn: &mut $crate::db::DbConnection, id: i64) -> diesel::QueryResult<Vec<$row>> {
            $table::table
                .filter($table::$column.eq(id))
                .order($order)
                .select($row::as_select())
                .load(conn)
        }
        $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
    };
}

pub(crate) use lookups;
