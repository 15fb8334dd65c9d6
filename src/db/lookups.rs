//! The statements most tables have — one row by id, every row of a study or of a round in
//! order, an insert, an upsert, a column set by id — written once instead of once per table.
//!
//! Diesel's table types make a generic function over "any table" unreadable (each query needs
//! a dozen trait bounds), so these are macros: each entry expands to the plain diesel
//! statement a reader would otherwise find written out by hand.

/// Experts of the panel, as opposed to test experts. Every lookup whose rows feed a count, a
/// result, an export or a mailing (experts, invitations, ratings, suggestions) keeps to the
/// panel through this one filter, so test answers reach none of them; the few lookups that
/// serve the test run itself (`tests_of_study`, and those by id or link token) do not.
pub(crate) fn on_panel() -> diesel::dsl::Eq<crate::db::schema::experts::is_test, bool> {
    use diesel::ExpressionMethods;
    crate::db::schema::experts::is_test.eq(false)
}

/// `lookups!(Row in table { by_id; of_study(study_id) by table::position.asc(); })` gives
/// `Row::by_id(conn, id)` and `Row::of_study(conn, study_id)` (any name, any parent column,
/// any order). The entries, each optionally preceded by doc comments:
///
/// - `by_id;` and `by_token_hash;`: the one row with that key, if any;
/// - `name(a: A, …) unique;`: the one row whose columns `a`, … (a unique key) are the
///   arguments, if any;
/// - `all by ORDER;`: every row of the table, in order;
/// - `name(column) by ORDER;`: every row whose `column` is the argument, in order;
/// - `name(column) on panel by ORDER;`: the same, leaving out test experts' rows (the table
///   must join `experts`; see [`on_panel`]);
/// - `name(a, b) by ORDER;`: every row whose two columns are the two arguments, in order;
/// - `name(column) maps key to value;`: `value` by `key` of the rows whose `column` is the
///   argument (e.g. the study's item codes by item id);
/// - `insert(NewRow);`: inserts a `NewRow` (an `Insertable` of the table) and returns the row;
/// - `insert(a: A, b: B);`: inserts the row whose columns `a` and `b` are the arguments (the
///   others take their defaults) and returns it;
/// - `name(a: A, b: B) inserts;`: the same under any name, returning how many rows were
///   written (a row whose id nobody needs: a record that something was done).
macro_rules! lookups {
    ($row:ident in $table:ident { $($rest:tt)* }) => {
        impl $row {
            $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
        }
    };
    (@ $row:ident, $table:ident, ) => {};
    (@ $row:ident, $table:ident, $(#[$doc:meta])* by_id; $($rest:tt)*) => {
        /// The row with this id, if there is one.
        $(#[$doc])*
        pub fn by_id(conn: &mut $crate::db::DbConnection, id: i64) -> diesel::QueryResult<Option<$row>> {
            // Natively: requests look rows up by id all the time (see `natively!`).
            $crate::db::natively!(conn, |c| $table::table
                .find(id)
                .select($row::as_select())
                .get_result(c)
                .optional())
        }
        $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
    };
    (@ $row:ident, $table:ident, $(#[$doc:meta])* by_token_hash; $($rest:tt)*) => {
        $crate::db::lookups::lookups!(@ $row, $table,
            /// Tokens are stored hashed only.
            $(#[$doc])*
            by_token_hash(token_hash: &str) unique;
            $($rest)*
        );
    };
    (@ $row:ident, $table:ident, $(#[$doc:meta])* insert($($column:ident: $ty:ty),+); $($rest:tt)*) => {
        /// Inserts the row and returns it as stored.
        $(#[$doc])*
        pub fn insert(conn: &mut $crate::db::DbConnection, $($column: $ty),+) -> diesel::QueryResult<$row> {
            diesel::insert_into($table::table)
                .values($crate::db::lookups::values!($table { $($column),+ }))
                .returning($table::all_columns)
                .get_result(conn)
        }
        $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
    };
    (@ $row:ident, $table:ident, $(#[$doc:meta])* insert($new:ty); $($rest:tt)*) => {
        /// Inserts the row and returns it as stored.
        $(#[$doc])*
        pub fn insert(conn: &mut $crate::db::DbConnection, new: &$new) -> diesel::QueryResult<$row> {
            diesel::insert_into($table::table)
                .values(new)
                .returning($table::all_columns)
                .get_result(conn)
        }
        $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
    };
    (@ $row:ident, $table:ident, $(#[$doc:meta])* all by $order:expr; $($rest:tt)*) => {
        /// Every row, in order.
        $(#[$doc])*
        pub fn all(conn: &mut $crate::db::DbConnection) -> diesel::QueryResult<Vec<$row>> {
            $table::table.order($order).select($row::as_select()).load(conn)
        }
        $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
    };
    (@ $row:ident, $table:ident, $(#[$doc:meta])* $name:ident($column:ident) by $order:expr; $($rest:tt)*) => {
        #[doc = concat!("Every row whose `", stringify!($column), "` is `id`, in order.")]
        $(#[$doc])*
        pub fn $name(conn: &mut $crate::db::DbConnection, id: i64) -> diesel::QueryResult<Vec<$row>> {
            $table::table
                .filter($table::$column.eq(id))
                .order($order)
                .select($row::as_select())
                .load(conn)
        }
        $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
    };
    (@ $row:ident, $table:ident, $(#[$doc:meta])* $name:ident($column:ident) on panel by $order:expr; $($rest:tt)*) => {
        #[doc = concat!("The panel's rows whose `", stringify!($column), "` is `id` (test experts' are not among them), in order.")]
        $(#[$doc])*
        pub fn $name(conn: &mut $crate::db::DbConnection, id: i64) -> diesel::QueryResult<Vec<$row>> {
            $table::table
                .inner_join($crate::db::schema::experts::table)
                .filter($table::$column.eq(id))
                .filter($crate::db::lookups::on_panel())
                .order($order)
                .select($row::as_select())
                .load(conn)
        }
        $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
    };
    (@ $row:ident, $table:ident, $(#[$doc:meta])* $name:ident($a:ident, $b:ident) by $order:expr; $($rest:tt)*) => {
        #[doc = concat!("Every row with this `", stringify!($a), "` and `", stringify!($b), "`, in order.")]
        $(#[$doc])*
        pub fn $name(conn: &mut $crate::db::DbConnection, $a: i64, $b: i64) -> diesel::QueryResult<Vec<$row>> {
            $crate::db::lookups::lookups!(@where $table, $a, $b)
                .order($order)
                .select($row::as_select())
                .load(conn)
        }
        $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
    };
    (@ $row:ident, $table:ident, $(#[$doc:meta])* $name:ident($column:ident) maps $key:ident to $value:ident; $($rest:tt)*) => {
        #[doc = concat!("`", stringify!($value), "` by `", stringify!($key), "` of the rows whose `", stringify!($column), "` is `id`.")]
        $(#[$doc])*
        pub fn $name(
            conn: &mut $crate::db::DbConnection,
            id: i64,
        ) -> diesel::QueryResult<std::collections::HashMap<i64, String>> {
            $table::table
                .filter($table::$column.eq(id))
                .select(($table::$key, $table::$value))
                .load(conn)
                .map(|rows| rows.into_iter().collect())
        }
        $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
    };
    (@ $row:ident, $table:ident, $(#[$doc:meta])* $name:ident($($column:ident: $ty:ty),+) inserts; $($rest:tt)*) => {
        #[doc = concat!("Inserts the row of this `", stringify!($($column),+), "`; returns how many rows were written.")]
        $(#[$doc])*
        pub fn $name(conn: &mut $crate::db::DbConnection, $($column: $ty),+) -> diesel::QueryResult<usize> {
            diesel::insert_into($table::table)
                .values($crate::db::lookups::values!($table { $($column),+ }))
                .execute(conn)
        }
        $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
    };
    (@ $row:ident, $table:ident, $(#[$doc:meta])* $name:ident($($column:ident: $ty:ty),+) unique; $($rest:tt)*) => {
        #[doc = concat!("The row with this `", stringify!($($column),+), "`, if there is one.")]
        $(#[$doc])*
        pub fn $name(conn: &mut $crate::db::DbConnection, $($column: $ty),+) -> diesel::QueryResult<Option<$row>> {
            $table::table
                $(.filter($table::$column.eq($column)))+
                .select($row::as_select())
                .first(conn)
                .optional()
        }
        $crate::db::lookups::lookups!(@ $row, $table, $($rest)*);
    };
    // The rows whose columns `a` and `b` are the variables of those names.
    (@where $table:ident, $a:ident, $b:ident) => {
        $table::table.filter($table::$a.eq($a)).filter($table::$b.eq($b))
    };
}

/// `setters!(Row in table { set_name(name: &str); record_login(at: NaiveDateTime) sets
/// last_login_at; mark_opened(at: NaiveDateTime) sets opened_at once; })` gives
/// `Row::set_name(conn, id, name)` and the others, each setting one column of the row with
/// that id and returning how many rows changed. The column is the argument's name unless
/// `sets` names another; `once` sets it only while it is still NULL, so the first time is kept
/// (0 rows when it was already set). `revoke_tokens(at: NaiveDateTime) of invitation_id sets
/// revoked_at once` gives `Row::revoke_tokens(conn, invitation_id, at)`, which sets the column,
/// where it is still NULL, on every row of `table` whose `invitation_id` is the argument, and
/// returns how many: `table` may be a table of `Row`'s children (an invitation's links).
macro_rules! setters {
    ($row:ident in $table:ident { $($rest:tt)* }) => {
        impl $row {
            $crate::db::lookups::setters!(@ $table, $($rest)*);
        }
    };
    (@ $table:ident, ) => {};
    (@ $table:ident, $(#[$doc:meta])* $name:ident($arg:ident: $ty:ty); $($rest:tt)*) => {
        $crate::db::lookups::setters!(@ $table, $(#[$doc])* $name($arg: $ty) sets $arg; $($rest)*);
    };
    (@ $table:ident, $(#[$doc:meta])* $name:ident($arg:ident: $ty:ty) sets $column:ident; $($rest:tt)*) => {
        $(#[$doc])*
        pub fn $name(conn: &mut $crate::db::DbConnection, id: i64, $arg: $ty) -> diesel::QueryResult<usize> {
            diesel::update($table::table.find(id))
                .set($table::$column.eq($arg))
                .execute(conn)
        }
        $crate::db::lookups::setters!(@ $table, $($rest)*);
    };
    (@ $table:ident, $(#[$doc:meta])* $name:ident($arg:ident: $ty:ty) sets $column:ident once; $($rest:tt)*) => {
        $(#[$doc])*
        pub fn $name(conn: &mut $crate::db::DbConnection, id: i64, $arg: $ty) -> diesel::QueryResult<usize> {
            diesel::update($table::table.find(id).filter($table::$column.is_null()))
                .set($table::$column.eq($arg))
                .execute(conn)
        }
        $crate::db::lookups::setters!(@ $table, $($rest)*);
    };
    (@ $table:ident, $(#[$doc:meta])* $name:ident($arg:ident: $ty:ty) of $owner:ident sets $column:ident once; $($rest:tt)*) => {
        $(#[$doc])*
        pub fn $name(conn: &mut $crate::db::DbConnection, $owner: i64, $arg: $ty) -> diesel::QueryResult<usize> {
            diesel::update($table::table.filter($table::$owner.eq($owner)).filter($table::$column.is_null()))
                .set($table::$column.eq($arg))
                .execute(conn)
        }
        $crate::db::lookups::setters!(@ $table, $($rest)*);
    };
}

/// `values!(table { study_id, queued_at: at })` is `(table::study_id.eq(study_id),
/// table::queued_at.eq(at))`: the columns of an insert or an update, each named once and the
/// table once, written like a struct (a column alone takes the variable of its name).
macro_rules! values {
    ($table:ident { $($column:ident $(: $value:expr)?),* $(,)? }) => {
        ($($crate::db::lookups::values!(@ $table $column $($value)?),)*)
    };
    (@ $table:ident $column:ident $value:expr) => {
        $table::$column.eq($value)
    };
    (@ $table:ident $column:ident) => {
        $table::$column.eq($column)
    };
}

/// `upsert!(conn, table, rows, on (a, b) replacing (c, d))` inserts `rows` (an `Insertable`
/// of the table, or a slice of them) and, where a row with the same `a` and `b` is there
/// already, sets its `c` and `d` to the new row's instead; it returns how many rows were
/// written. Diesel's multi-backend connection cannot express ON CONFLICT, so the statement is
/// built for, and run on, the backend's own connection (`natively!`).
macro_rules! upsert {
    ($conn:expr, $table:ident, $rows:expr, on ($($key:ident),+ $(,)?) replacing ($($column:ident),+ $(,)?)) => {
        $crate::db::natively!($conn, |c| diesel::insert_into($table::table)
            .values($rows)
            .on_conflict(($($table::$key,)+))
            .do_update()
            .set(($($table::$column.eq(diesel::upsert::excluded($table::$column)),)+))
            .execute(c))
    };
}

pub(crate) use {lookups, setters, upsert, values};
