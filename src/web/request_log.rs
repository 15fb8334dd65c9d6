//! One span per request carrying a request id, and one log line when it ends.
//!
//! The default span of tracing-actix-web records the full request path; expert links carry
//! their secret token in the path, so we record the matched route pattern (`/r/{token}`)
//! instead and never the concrete path.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{web, Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};

use super::metrics::HttpMetrics;

pub struct DelphiRootSpan;

struct Started(Instant);

impl RootSpanBuilder for DelphiRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(|id| id.to_string())
            .unwrap_or_default();
        request.extensions_mut().insert(Started(Instant::now()));
        tracing::info_span!(
            "request",
            request_id = %request_id,
            method = %request.method(),
            route = tracing::field::Empty,
            status = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (route, status, elapsed) = match outcome {
            Ok(response) => {
                let request = response.request();
                let elapsed = request.extensions().get::<Started>().map(|s| s.0.elapsed());
                let route = request.match_pattern().unwrap_or_else(|| "(unrouted)".into());
                if let Some(metrics) = request.app_data::<web::Data<HttpMetrics>>() {
                    metrics.record(request.method(), &route, response.status().as_u16(), elapsed);
                }
                (route, response.status().as_u16(), elapsed)
            }
            Err(e) => (
                "(failed)".into(),
                e.as_response_error().status_code().as_u16(),
                None,
            ),
        };
        span.record("route", route.as_str());
        span.record("status", status);
        let ms = elapsed.map(|d| d.as_secs_f64() * 1000.0).unwrap_or(f64::NAN);
        let _entered = span.enter();
        if status >= 500 {
            tracing::warn!(elapsed_ms = ms, "request finished");
        } else {
            tracing::info!(elapsed_ms = ms, "request finished");
        }
    }
}
