//! What a server owner watches: `/healthz` and `/metrics` (Prometheus text format) on
//! `FACTDESK_METRICS_ADDR`. Counting is a few atomic adds; the HTTP side serves only
//! those two paths, one small response each.

use std::collections::HashSet;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use tokio::net::TcpListener;
use tracing::{debug, warn};

/// Labels of an answer: how the question came and what the answer was.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct AnswerLabels {
    /// slash, button, context_menu, mention, direct_message, open_channel.
    pub via: String,
    /// answered, ambiguous, no_match.
    pub status: String,
}

/// Labels of a reload.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    /// ok or failed.
    pub outcome: String,
}

/// Every counter the bot keeps, and whether it is healthy.
pub struct Metrics {
    registry: Registry,
    answers: Family<AnswerLabels, Counter>,
    answer_seconds: Histogram,
    responses_failed: Counter,
    gateway_sessions: Counter,
    gateway_resumes: Counter,
    reloads: Family<OutcomeLabels, Counter>,
    announcements: Family<OutcomeLabels, Counter>,
    unanswered_dropped: Counter,
    /// Shards whose gateway connection is up.
    connected_shards: Mutex<HashSet<u32>>,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    /// Registers every metric under the `factdesk` prefix.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("factdesk");
        let answers = Family::<AnswerLabels, Counter>::default();
        registry.register(
            "answers",
            "Questions answered, by way in and status",
            answers.clone(),
        );
        // 50 µs to about 1.6 s: answering takes microseconds, a Discord round trip tens of ms.
        let answer_seconds = Histogram::new(exponential_buckets(0.000_05, 2.0, 16));
        registry.register(
            "answer_seconds",
            "Time from the event to the reply sent",
            answer_seconds.clone(),
        );
        let responses_failed = Counter::default();
        registry.register(
            "responses_failed",
            "Replies Discord refused, late interaction acknowledgements among them",
            responses_failed.clone(),
        );
        let gateway_sessions = Counter::default();
        registry.register(
            "gateway_sessions",
            "Gateway sessions started (READY); more than the shard count means reconnects",
            gateway_sessions.clone(),
        );
        let gateway_resumes = Counter::default();
        registry.register(
            "gateway_resumes",
            "Gateway sessions resumed after a reconnect",
            gateway_resumes.clone(),
        );
        let reloads = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "reloads",
            "Reloads of the answer files, by outcome",
            reloads.clone(),
        );
        let announcements = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "announcements",
            "Posts of a new source into following channels, by outcome",
            announcements.clone(),
        );
        let unanswered_dropped = Counter::default();
        registry.register(
            "unanswered_dropped",
            "Unanswered questions not logged because the log writer was behind",
            unanswered_dropped.clone(),
        );
        Metrics {
            registry,
            answers,
            answer_seconds,
            responses_failed,
            gateway_sessions,
            gateway_resumes,
            reloads,
            announcements,
            unanswered_dropped,
            connected_shards: Mutex::new(HashSet::new()),
        }
    }

    /// One answer sent, how it came, its status and how long it took.
    pub fn answered(&self, via: &str, status: &str, seconds: f64) {
        self.answers
            .get_or_create(&AnswerLabels {
                via: via.to_string(),
                status: status.to_string(),
            })
            .inc();
        self.answer_seconds.observe(seconds);
    }

    /// A reply Discord refused.
    pub fn response_failed(&self) {
        self.responses_failed.inc();
    }

    /// A shard's session started (READY) or resumed.
    pub fn shard_connected(&self, shard: u32, resumed: bool) {
        if resumed {
            self.gateway_resumes.inc();
        } else {
            self.gateway_sessions.inc();
        }
        self.shards().insert(shard);
    }

    /// A shard's connection is down (reconnecting, or shut down).
    pub fn shard_disconnected(&self, shard: u32) {
        self.shards().remove(&shard);
    }

    /// A new source was posted into a following channel, or could not be.
    pub fn announced(&self, ok: bool) {
        let outcome = if ok { "ok" } else { "failed" };
        self.announcements
            .get_or_create(&OutcomeLabels {
                outcome: outcome.to_string(),
            })
            .inc();
    }

    /// A reload finished.
    pub fn reloaded(&self, ok: bool) {
        let outcome = if ok { "ok" } else { "failed" };
        self.reloads
            .get_or_create(&OutcomeLabels {
                outcome: outcome.to_string(),
            })
            .inc();
    }

    /// An unanswered question dropped because the log writer was behind; returns how
    /// many have been dropped in all.
    pub fn unanswered_dropped(&self) -> u64 {
        self.unanswered_dropped.inc() + 1
    }

    /// Healthy: answers are loaded (they always are once serving) and a shard is connected.
    pub fn healthy(&self) -> bool {
        !self.shards().is_empty()
    }

    /// The metrics in the Prometheus text format.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        if let Err(why) = prometheus_client::encoding::text::encode(&mut text, &self.registry) {
            warn!(error = %why, "could not encode the metrics");
        }
        text
    }

    fn shards(&self) -> std::sync::MutexGuard<'_, HashSet<u32>> {
        self.connected_shards
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Serves `/healthz` and `/metrics` on a listener bound at start, until the process ends.
pub async fn serve_metrics(listener: TcpListener, metrics: Arc<Metrics>) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(why) => {
                warn!(error = %why, "metrics listener: accept failed");
                continue;
            }
        };
        let metrics = Arc::clone(&metrics);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                let metrics = Arc::clone(&metrics);
                async move { Ok::<_, Infallible>(respond(&request, &metrics)) }
            });
            if let Err(why) = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await
            {
                debug!(error = %why, %peer, "metrics connection ended");
            }
        });
    }
}

fn respond(request: &Request<Incoming>, metrics: &Metrics) -> Response<Full<Bytes>> {
    let (status, body) = match (request.method().as_str(), request.uri().path()) {
        ("GET", "/healthz") if metrics.healthy() => (StatusCode::OK, "ok\n".to_string()),
        ("GET", "/healthz") => (
            StatusCode::SERVICE_UNAVAILABLE,
            "not connected to the Discord gateway\n".to_string(),
        ),
        ("GET", "/metrics") => (StatusCode::OK, metrics.encode()),
        _ => (
            StatusCode::NOT_FOUND,
            "only /healthz and /metrics\n".to_string(),
        ),
    };
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    if request.uri().path() == "/metrics" {
        if let Ok(value) = "application/openmetrics-text; version=1.0.0; charset=utf-8".parse() {
            response
                .headers_mut()
                .insert(hyper::header::CONTENT_TYPE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_encoded_and_health_follows_the_shards() {
        let metrics = Metrics::new();
        assert!(!metrics.healthy());
        metrics.shard_connected(0, false);
        assert!(metrics.healthy());
        metrics.answered("slash", "answered", 0.001);
        metrics.answered("slash", "answered", 0.002);
        metrics.reloaded(false);
        let text = metrics.encode();
        assert!(
            text.contains(r#"factdesk_answers_total{via="slash",status="answered"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(r#"factdesk_reloads_total{outcome="failed"} 1"#),
            "{text}"
        );
        assert!(text.contains("factdesk_gateway_sessions_total 1"), "{text}");
        metrics.shard_disconnected(0);
        assert!(!metrics.healthy());
    }
}
