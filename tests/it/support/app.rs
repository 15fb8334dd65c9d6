//! A server on a random port over a database of its own: a SQLite file in a temporary folder,
//! or a fresh PostgreSQL database when TEST_DATABASE_URL is set (dropped when the test ends).

use std::path::PathBuf;

use delphi::config::Settings;
use delphi::db::Db;
use delphi::startup::Application;
use diesel::connection::SimpleConnection;
use diesel::Connection;

/// A database that exists for one test only.
pub struct TestDatabase {
    pub url: String,
    // Keeps the SQLite file (and the data folder) alive until the test ends.
    pub dir: tempfile::TempDir,
    pg: Option<PgCleanup>,
}

struct PgCleanup {
    admin_url: String,
    name: String,
}

impl Drop for PgCleanup {
    fn drop(&mut self) {
        if let Ok(mut conn) = diesel::PgConnection::establish(&self.admin_url) {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name));
        }
    }
}

impl TestDatabase {
    pub fn new() -> TestDatabase {
        let dir = tempfile::tempdir().expect("temp dir");
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let name = format!("delphi_test_{}", random_suffix());
                let mut admin = diesel::PgConnection::establish(&admin_url)
                    .unwrap_or_else(|e| panic!("TEST_DATABASE_URL: cannot connect: {e}"));
                admin
                    .batch_execute(&format!("CREATE DATABASE \"{name}\""))
                    .expect("create test database");
                let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&name);
                TestDatabase {
                    url: url.to_string(),
                    dir,
                    pg: Some(PgCleanup { admin_url, name }),
                }
            }
            _ => {
                let url = format!("sqlite://{}", dir.path().join("delphi.db").display());
                TestDatabase { url, dir, pg: None }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Settings for a test server: this database, a private data folder, a free port.
    pub fn settings(&self) -> Settings {
        let mut settings = Settings::defaults().expect("defaults load");
        settings.database.url = self.url.clone();
        settings.database.pool_size = 4;
        settings.data.dir = self.data_dir();
        settings.server.bind = "127.0.0.1:0".into();
        settings.server.workers = 1;
        settings.server.shutdown_timeout_secs = 1;
        settings
    }

    pub fn connect(&self) -> Db {
        let settings = self.settings();
        Db::connect(
            &self.url,
            &delphi::service::store::pool_options(&settings.database),
        )
        .expect("test database opens")
    }

    /// A server on this database, with its test settings changed by `configure`: for a test that
    /// prepares the data first, or runs two servers on one database.
    pub async fn serve_with(&self, configure: impl FnOnce(&mut Settings)) -> Server {
        let mut settings = self.settings();
        configure(&mut settings);
        let app = Application::build(settings).await.expect("application builds");
        let server = Server {
            db: app.db().clone(),
            port: app.port(),
        };
        tokio::spawn(app.run_until_stopped());
        server
    }
}

/// A server running in this process, on a port of its own.
pub struct Server {
    pub db: Db,
    pub port: u16,
}

impl Server {
    pub fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn random_suffix() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 8];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub db: Db,
    pub client: reqwest::Client,
    pub database: TestDatabase,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.get_with_headers(path, &[]).await
    }

    /// A GET with request headers a browser adds, such as `Accept-Language` or `Cookie`.
    pub async fn get_with_headers(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("request sent")
    }

    /// A GET's body, whatever its status.
    pub async fn text(&self, path: &str) -> String {
        self.get(path).await.text().await.expect("a text body")
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A server on a fresh test database, with settings changed by `configure` first.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let database = TestDatabase::new();
    let server = database.serve_with(configure).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // The server closes a connection idle for 5 s (actix's default keep-alive); reusing one
        // idle about that long races with its closing and fails with "IncompleteMessage" (seen
        // after a test's long direct database work on a loaded PostgreSQL). Never reuse one idle
        // that long.
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("http client");
    TestApp {
        address: server.address(),
        port: server.port,
        db: server.db,
        client,
        database,
    }
}

/// Where the links in the emails of [`spawn_app_keeping_emails`] point.
pub const PUBLIC_URL: &str = "http://delphi.test";

/// Emails stay in the outbox, where the test reads them: the outbox worker runs once at start,
/// then not again for an hour.
pub fn keep_emails(settings: &mut Settings) {
    settings.workers.outbox_interval_secs = 3_600;
}

/// A server whose emails stay in the outbox, with links to [`PUBLIC_URL`].
pub async fn spawn_app_keeping_emails() -> TestApp {
    spawn_app_keeping_emails_with(|_| {}).await
}

/// [`spawn_app_keeping_emails`] with settings changed by `configure` last.
pub async fn spawn_app_keeping_emails_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_with(|settings| {
        settings.server.public_url = PUBLIC_URL.into();
        keep_emails(settings);
        configure(settings);
    })
    .await
}
