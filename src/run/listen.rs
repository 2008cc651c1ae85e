//! `watch --listen ADDR:PORT`: `/metrics` (the last whole poll as OpenMetrics text) and
//! `/healthz` (how old the last whole poll is, how many calls failed in it), served by hyper on
//! the runtime the polls use; a scrape reads the text made after the poll, never the model.

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use color_eyre::eyre::{Result, eyre};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::{Request, Response};

/// What the endpoint serves, replaced after each whole poll.
#[derive(Default)]
pub struct Exposed {
    /// The OpenMetrics text of the last whole poll (empty before the first).
    pub metrics: String,
    /// When the last whole poll ended, and how many of its calls failed.
    pub polled: Option<(Instant, usize)>,
}

/// Binds `addr` (naming it when it cannot) and serves until the process ends; returns the
/// address bound (port 0 picks a free one).
pub async fn serve(
    addr: SocketAddr,
    exposed: Arc<RwLock<Exposed>>,
    every: std::time::Duration,
) -> Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| eyre!("--listen {addr}: {e}"))?;
    let bound = listener.local_addr()?;
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let exposed = exposed.clone();
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                        let answer = answer(req.uri().path(), &exposed, every);
                        async move { Ok::<_, std::convert::Infallible>(answer) }
                    });
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    });
    Ok(bound)
}

/// `/metrics`, `/healthz` (200 while the last whole poll is younger than three intervals, else
/// 503; JSON), anything else 404.
fn answer(
    path: &str,
    exposed: &RwLock<Exposed>,
    every: std::time::Duration,
) -> Response<Full<Bytes>> {
    let reply = |status: u16, kind: &str, body: String| {
        Response::builder()
            .status(status)
            .header("content-type", kind)
            .body(Full::new(Bytes::from(body)))
            .unwrap_or_default()
    };
    let Ok(e) = exposed.read() else {
        return reply(500, "text/plain", "unreadable state\n".into());
    };
    match path {
        "/metrics" => reply(
            200,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
            e.metrics.clone(),
        ),
        "/healthz" => {
            let age = e.polled.map(|(at, _)| at.elapsed().as_secs_f64());
            let failed = e.polled.map(|(_, n)| n);
            let fresh = age.is_some_and(|a| a < (every * 3).as_secs_f64());
            let body = serde_json::json!({
                "ok": fresh,
                "last_poll_age_seconds": age,
                "failed_calls_last_poll": failed,
            });
            reply(
                if fresh { 200 } else { 503 },
                "application/json",
                format!("{body}\n"),
            )
        }
        _ => reply(
            404,
            "text/plain",
            "not found: /metrics or /healthz\n".into(),
        ),
    }
}
