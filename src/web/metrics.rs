//! `GET /metrics`: counters in the Prometheus text format (docs/operations.md).
//!
//! The request path stays free of locks: each worker thread keeps its own map from label set
//! to shared atomic counters and takes the registry's mutex only the first time it sees a label
//! set (a route × method × status); a scrape takes the mutex to list them. Routes are the
//! matched patterns (`/r/{token}`), never the concrete path, so no token reaches a label and
//! the number of series stays bounded.
//!
//! Access: with `[metrics] token` set, a scraper must send `Authorization: Bearer <token>`;
//! without one, only requests from the loopback interface that did not pass a proxy (no
//! `Forwarded`, `X-Forwarded-For` or `X-Real-IP` header) are answered.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::http::{header, Method};
use actix_web::{web, HttpRequest, HttpResponse};

use super::AppState;
use crate::config::MetricsSettings;
use crate::service::{outbox, ServiceError};

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// One label set's counters.
#[derive(Default)]
struct Series {
    count: AtomicU64,
    /// Requests whose duration was measured (the histogram's count).
    timed: AtomicU64,
    sum_micros: AtomicU64,
    /// Per bucket, not cumulative; made cumulative when written out.
    buckets: [AtomicU64; BUCKETS.len()],
}

type Labels = (&'static str, String, u16);

/// The HTTP counters of one server (tests run several in one process).
pub struct HttpMetrics {
    id: usize,
    series: parking_lot::Mutex<Vec<(Labels, Arc<Series>)>>,
}

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

type LocalKey = (usize, &'static str, u16);

thread_local! {
    /// (registry, method, status) → route → counters, for this thread.
    static LOCAL: RefCell<HashMap<LocalKey, HashMap<String, Arc<Series>>>> = RefCell::new(HashMap::new());
}

impl Default for HttpMetrics {
    fn default() -> Self {
        HttpMetrics {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            series: parking_lot::Mutex::new(Vec::new()),
        }
    }
}

impl HttpMetrics {
    /// Counts one answered request.
    pub fn record(&self, method: &Method, route: &str, status: u16, elapsed: Option<Duration>) {
        let method = method_label(method);
        let series = LOCAL.with(|local| {
            let mut local = local.borrow_mut();
            let routes = local.entry((self.id, method, status)).or_default();
            match routes.get(route) {
                Some(series) => series.clone(),
                None => {
                    let series = self.shared(method, route, status);
                    routes.insert(route.to_string(), series.clone());
                    series
                }
            }
        });
        series.count.fetch_add(1, Ordering::Relaxed);
        if let Some(elapsed) = elapsed {
            let seconds = elapsed.as_secs_f64();
            if let Some(i) = BUCKETS.iter().position(|bound| seconds <= *bound) {
                series.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
            series.timed.fetch_add(1, Ordering::Relaxed);
            let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
            series.sum_micros.fetch_add(micros, Ordering::Relaxed);
        }
    }

    /// The counters every thread shares for a label set, created on first use.
    fn shared(&self, method: &'static str, route: &str, status: u16) -> Arc<Series> {
        let mut all = self.series.lock();
        if let Some((_, series)) = all
            .iter()
            .find(|((m, r, s), _)| *m == method && r == route && *s == status)
        {
            return series.clone();
        }
        let series = Arc::new(Series::default());
        all.push(((method, route.to_string(), status), series.clone()));
        series
    }

    /// Writes the request counter and the latency histogram.
    fn write(&self, out: &mut String) {
        let mut all: Vec<(Labels, Arc<Series>)> = self.series.lock().clone();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        out.push_str(
            "# HELP delphi_http_requests_total HTTP requests answered, by method, matched route pattern and status.\n\
             # TYPE delphi_http_requests_total counter\n",
        );
        for ((method, route, status), series) in &all {
            let _ = writeln!(
                out,
                "delphi_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {}",
                escape(route),
                series.count.load(Ordering::Relaxed)
            );
        }
        out.push_str(
            "# HELP delphi_http_request_duration_seconds Time from receiving a request to its response headers.\n\
             # TYPE delphi_http_request_duration_seconds histogram\n",
        );
        for ((method, route, status), series) in &all {
            let labels = format!(
                "method=\"{method}\",route=\"{}\",status=\"{status}\"",
                escape(route)
            );
            let mut cumulative = 0;
            for (bound, bucket) in BUCKETS.iter().zip(&series.buckets) {
                cumulative += bucket.load(Ordering::Relaxed);
                let _ = writeln!(
                    out,
                    "delphi_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let timed = series.timed.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "delphi_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {timed}"
            );
            let _ = writeln!(
                out,
                "delphi_http_request_duration_seconds_sum{{{labels}}} {}",
                series.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
            );
            let _ = writeln!(
                out,
                "delphi_http_request_duration_seconds_count{{{labels}}} {timed}"
            );
        }
    }
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        // Any other method would let a client invent label values.
        _ => "OTHER",
    }
}

/// A label value as the text format wants it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Why a scrape is refused, if it is.
fn refusal(req: &HttpRequest, settings: &MetricsSettings) -> Option<HttpResponse> {
    if !settings.enabled {
        return Some(HttpResponse::NotFound().finish());
    }
    if !settings.token.is_empty() {
        let sent = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        return (!crate::service::accounts::constant_time_eq(sent.trim(), settings.token.trim())).then(
            || {
                HttpResponse::Unauthorized()
                    .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"delphi-metrics\""))
                    .body("metrics: send Authorization: Bearer <metrics.token>\n")
            },
        );
    }
    // The TCP peer itself, not the forwarded client address: "from this machine" means the
    // connection is, and a trusted proxy on this machine must not pass outsiders' scrapes on.
    let loopback = super::client_addr::peer(req).is_loopback();
    let proxied = ["forwarded", "x-forwarded-for", "x-real-ip"]
        .iter()
        .any(|h| req.headers().contains_key(*h));
    (!loopback || proxied).then(|| {
        HttpResponse::Forbidden().body(
            "metrics: only served to this machine without a proxy; set [metrics] token to scrape from elsewhere\n",
        )
    })
}

pub async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
    http: Option<web::Data<HttpMetrics>>,
) -> HttpResponse {
    if let Some(refused) = refusal(&req, &state.settings.metrics) {
        return refused;
    }
    let mut out = String::with_capacity(4096);
    if let Some(http) = http {
        http.write(&mut out);
    }
    let depth = match state
        .store
        .run(|conn| -> Result<_, ServiceError> { outbox::depth(conn) })
        .await
    {
        Ok(depth) => depth,
        // A scrape that fails is itself the signal; Prometheus records the target as down.
        Err(e) => {
            tracing::warn!(error = %e, "metrics: the database did not answer");
            return HttpResponse::ServiceUnavailable().body("metrics: the database did not answer\n");
        }
    };
    let _ = write!(
        out,
        "# HELP delphi_outbox_depth Emails waiting in the outbox: queued (or being sent), and queued and due now.\n\
         # TYPE delphi_outbox_depth gauge\n\
         delphi_outbox_depth{{state=\"queued\"}} {}\n\
         delphi_outbox_depth{{state=\"due\"}} {}\n\
         # HELP delphi_outbox_failed Emails whose delivery failed for good (waiting for a facilitator).\n\
         # TYPE delphi_outbox_failed gauge\n\
         delphi_outbox_failed {}\n",
        depth.queued, depth.due, depth.failed
    );
    let (open, idle) = state.store.pool_state();
    let _ = write!(
        out,
        "# HELP delphi_db_pool_connections Database connections held by the pool.\n\
         # TYPE delphi_db_pool_connections gauge\n\
         delphi_db_pool_connections{{state=\"open\"}} {open}\n\
         delphi_db_pool_connections{{state=\"idle\"}} {idle}\n"
    );
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_histogram_are_cumulative() {
        let m = HttpMetrics::default();
        m.record(&Method::GET, "/r/{token}", 200, Some(Duration::from_micros(800)));
        m.record(&Method::GET, "/r/{token}", 200, Some(Duration::from_millis(30)));
        m.record(&Method::from_bytes(b"BREW").unwrap(), "/", 404, None);
        let mut out = String::new();
        m.write(&mut out);
        assert!(
            out.contains("delphi_http_requests_total{method=\"GET\",route=\"/r/{token}\",status=\"200\"} 2"),
            "{out}"
        );
        assert!(
            out.contains("delphi_http_requests_total{method=\"OTHER\",route=\"/\",status=\"404\"} 1"),
            "{out}"
        );
        let labels = "method=\"GET\",route=\"/r/{token}\",status=\"200\"";
        assert!(
            out.contains(&format!("_bucket{{{labels},le=\"0.001\"}} 1\n")),
            "{out}"
        );
        assert!(
            out.contains(&format!("_bucket{{{labels},le=\"0.025\"}} 1\n")),
            "{out}"
        );
        assert!(
            out.contains(&format!("_bucket{{{labels},le=\"0.05\"}} 2\n")),
            "{out}"
        );
        assert!(
            out.contains(&format!("_bucket{{{labels},le=\"+Inf\"}} 2\n")),
            "{out}"
        );
        assert!(out.contains(&format!("_sum{{{labels}}} 0.0308\n")), "{out}");
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
