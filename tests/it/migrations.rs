use delphi::db::{migrations, Backend};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::support::app::TestDatabase;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// Application tables present, whatever the backend's catalogue looks like.
fn table_count(conn: &mut delphi::db::DbConnection) -> i64 {
    let sql = match conn.backend() {
        Backend::Sqlite => {
            "SELECT COUNT(*) AS count FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) AS count FROM information_schema.tables WHERE table_schema = 'public' \
             AND table_name <> '__diesel_schema_migrations'"
        }
    };
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().count
}

#[test]
fn migrations_go_up_down_and_up_again() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    let applied = migrations::applied(&mut conn).unwrap();
    assert!(!applied.is_empty());
    let tables = table_count(&mut conn);
    assert!(
        tables >= 20,
        "expected the whole data model, found {tables} tables"
    );

    let reverted = migrations::revert_all(&mut conn).unwrap();
    assert_eq!(reverted, applied.len());
    assert_eq!(
        table_count(&mut conn),
        0,
        "down.sql must drop everything up.sql created"
    );
    assert!(migrations::applied(&mut conn).unwrap().is_empty());

    let again = migrations::run_pending(&mut conn).unwrap();
    assert_eq!(again.len(), applied.len());
    assert_eq!(table_count(&mut conn), tables);
}

#[test]
fn both_backends_have_the_same_migration_names() {
    let names = |dir: &str| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let sqlite = names("migrations/sqlite");
    assert_eq!(sqlite, names("migrations/postgres"));
    for name in sqlite {
        for backend in ["sqlite", "postgres"] {
            for file in ["up.sql", "down.sql"] {
                let path = format!("migrations/{backend}/{name}/{file}");
                assert!(std::path::Path::new(&path).is_file(), "missing {path}");
            }
        }
    }
}

#[test]
fn migrate_is_idempotent() {
    let database = TestDatabase::new();
    let db = database.connect();
    let mut conn = db.get().unwrap();
    assert!(migrations::run_pending(&mut conn).unwrap().is_empty());
    // A second Db on the same database applies nothing and still opens.
    drop(conn);
    let again = database.connect();
    let mut conn = again.get().unwrap();
    let n: Count = diesel::sql_query("SELECT COUNT(*) AS count FROM studies")
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(n.count, 0);
    let _ = diesel::sql_query("SELECT 'x' AS t")
        .load::<TextRow>(&mut conn)
        .unwrap();
}

#[derive(QueryableByName)]
struct TextRow {
    #[diesel(sql_type = Text)]
    #[allow(dead_code)]
    t: String,
}
