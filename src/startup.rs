//! Building and running the web server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{App, HttpMessage, HttpServer};
use tracing_actix_web::{RequestId, TracingLogger};

use crate::config::Settings;
use crate::db::Db;
use crate::service::{ServiceError, Store};
use crate::web::{self, AppState};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] ServiceError),
    #[error("cannot listen on {bind}: {source}")]
    Bind { bind: String, source: std::io::Error },
    #[error("email: {0}")]
    Email(String),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("templates: {0}")]
    Templates(#[from] web::templates::TemplateError),
}

pub struct Application {
    port: u16,
    store: Store,
    server: Server,
    /// Tells the outbox worker and the scheduler to stop once the server has stopped.
    stop_worker: tokio::sync::watch::Sender<bool>,
    worker: tokio::task::JoinHandle<()>,
    scheduler: tokio::task::JoinHandle<()>,
}

impl Application {
    /// Opens (and migrates) the database and binds the listener; `server.bind` with port 0
    /// picks a free port, which `port()` then reports (tests rely on this).
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        web::templates::check()?;
        crate::email::render::check().map_err(StartupError::Email)?;
        crate::i18n::check().map_err(|e| StartupError::Templates(web::templates::TemplateError::new(e)))?;
        let url = settings.database_url();
        let db_settings = settings.database.clone();
        let store = Store::open_async(url, db_settings).await?;
        Application::build_with_store(settings, store)
    }

    /// `build` on a database that is already open (tests and benchmarks share theirs).
    pub fn build_with_db(settings: Settings, db: Db) -> Result<Application, StartupError> {
        Application::build_with_store(settings, Store::from_db(db))
    }

    fn build_with_store(settings: Settings, store: Store) -> Result<Application, StartupError> {
        // Settings built in code (tests, benches) skip `Settings::load`'s check of this one.
        settings.limits.check(store.db().backend())?;
        let bind = settings.server.bind.clone();
        let worker = crate::service::outbox::Worker::new(store.clone(), settings.clone())?;
        let scheduler = crate::service::scheduler::Scheduler::new(store.clone(), &settings);
        let listener = TcpListener::bind(&bind).map_err(|source| StartupError::Bind {
            bind: bind.clone(),
            source,
        })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Bind {
                bind: bind.clone(),
                source,
            })?
            .port();
        let state = actix_web::web::Data::new(AppState {
            store: store.clone(),
            settings: Arc::new(settings.clone()),
            limits: web::rate_limit::Limits::new(settings.limits.shared.then_some(&store)),
            expert_cache: Arc::default(),
        });
        let http_metrics = actix_web::web::Data::new(web::metrics::HttpMetrics::default());
        let mut server = HttpServer::new(move || {
            App::new()
                // Inside the security headers, so that its refusals carry them too.
                .wrap(actix_web::middleware::from_fn(web::cross_site::refuse_cross_site))
                .wrap(actix_web::middleware::from_fn(web::security_headers))
                .wrap_fn(|req, srv| {
                    // Echo the request id so a user's bug report can be matched to the log line.
                    let id = req.extensions().get::<RequestId>().map(|id| id.to_string());
                    let fut = actix_web::dev::Service::call(srv, req);
                    async move {
                        let mut res = fut.await?;
                        if let Some(id) = id.and_then(|id| id.parse().ok()) {
                            res.headers_mut().insert(
                                actix_web::http::header::HeaderName::from_static("x-request-id"),
                                id,
                            );
                        }
                        Ok(res)
                    }
                })
                .wrap(TracingLogger::<web::request_log::DelphiRootSpan>::new())
                .app_data(state.clone())
                .app_data(http_metrics.clone())
                .configure(web::configure)
                .default_service(actix_web::web::to(web::home::not_found))
        })
        // Without TCP_NODELAY the last chunk of a compressed (chunked) page waits for the
        // client's delayed ACK: +40 ms on every gzip page view, measured in benches/expert_load.
        .on_connect(|connection, _| {
            if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
                let _ = tcp.set_nodelay(true);
            }
        })
        .shutdown_timeout(settings.server.shutdown_timeout_secs)
        .client_request_timeout(Duration::from_secs(30));
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers as usize);
        }
        let server = server
            .listen(listener)
            .map_err(|source| StartupError::Bind { bind, source })?
            .run();
        // The workers live as long as the server: started here, stopped in run_until_stopped.
        let (stop_worker, stop) = tokio::sync::watch::channel(false);
        let scheduler = tokio::spawn(scheduler.run(stop.clone()));
        let worker = tokio::spawn(worker.run(stop));
        Ok(Application {
            port,
            store,
            server,
            stop_worker,
            worker,
            scheduler,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The database itself, for tests and benchmarks that read it directly.
    pub fn db(&self) -> &Db {
        self.store.db()
    }

    /// Serves until SIGTERM or Ctrl-C, then lets in-flight requests finish.
    /// The outbox worker and the scheduler stop after the server, finishing what they are doing.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        let _ = self.stop_worker.send(true);
        if let Err(e) = self.worker.await {
            tracing::error!(error = %e, "the outbox worker ended abnormally");
        }
        if let Err(e) = self.scheduler.await {
            tracing::error!(error = %e, "the scheduler ended abnormally");
        }
        served
    }
}
