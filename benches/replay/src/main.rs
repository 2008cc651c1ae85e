//! replay: the peer of the latency benchmark (`benches/org-latency.sh`).
//!
//! ```text
//! replay record ADDR TAPE DEFAULT_URL [SERVICE=URL ...]
//!     forwards every signed request to its service's upstream (moto, the fixture server) and
//!     appends each answer to TAPE (one JSON line per call)
//! replay serve ADDR TAPE --accounts N [--latency-ms 60] [--no-buckets] [--exhaust ACCOUNT]
//!     answers an organisation of N accounts from TAPE, every call after the latency and all
//!     concurrently, as AWS does; per account, region and service token buckets (see
//!     `bucket`) answer the throttling error past their rate
//! GET /__stats   calls, throttled, peak in flight, per-operation counts, per-account finish
//! POST /__reset  zeroes the counters and refills the buckets
//! ```
//! Prints the port it listens on, then serves until killed.

mod bucket;
mod org;
mod request;
mod stats;
mod tape;

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use request::Call;
use tape::Answer;

type Body = Full<Bytes>;

/// The server should take as little of the machine's CPU as it can: it shares it with the
/// process measured.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Serve {
    tape: tape::Tape,
    org: org::Org,
    latency: Duration,
    buckets: bucket::Buckets,
    stats: stats::Stats,
}

struct Record {
    default: String,
    routes: Vec<(String, String)>,
    out: tokio::sync::Mutex<tokio::fs::File>,
    client: hyper_util::client::legacy::Client<
        hyper_util::client::legacy::connect::HttpConnector,
        Body,
    >,
}

enum Mode {
    Serve(Box<Serve>),
    Record(Box<Record>),
}

fn usage() -> ! {
    eprintln!(
        "usage: replay record ADDR TAPE DEFAULT_URL [SERVICE=URL ...]\n       replay serve ADDR TAPE --accounts N [--latency-ms MS] [--no-buckets] [--exhaust ACCOUNT]"
    );
    std::process::exit(2)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Freed pages are kept 1 s, not 10 ms: given back between bursts, they are faulted in and
    // zeroed by the kernel again. One thread: the server stands in for AWS, whose CPU is not on
    // the client's cores; it should take as little of them as it can (a second worker only
    // adds wake-ups between threads).
    // SAFETY: sets one of mimalloc's options (15: mi_option_purge_delay); no memory is touched.
    unsafe { libmimalloc_sys::mi_option_set(15, 1000) };
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        usage();
    }
    let (addr, tape_path) = (args[1].clone(), args[2].clone());
    let mode = match args[0].as_str() {
        "record" => {
            let default = args.get(3).cloned().unwrap_or_else(|| usage());
            let routes = args[4..]
                .iter()
                .filter_map(|a| a.split_once('='))
                .map(|(s, u)| (s.to_string(), u.to_string()))
                .collect();
            let out = tokio::fs::File::create(&tape_path)
                .await
                .unwrap_or_else(|e| {
                    eprintln!("replay: {tape_path}: {e}");
                    std::process::exit(2)
                });
            let client =
                hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                    .build_http();
            Mode::Record(Box::new(Record {
                default,
                routes,
                out: tokio::sync::Mutex::new(out),
                client,
            }))
        }
        "serve" => serve_mode(&args[3..], &tape_path),
        _ => usage(),
    };
    let mode = Arc::new(mode);
    let listener = TcpListener::bind(&addr).await.unwrap_or_else(|e| {
        eprintln!("replay: cannot listen on {addr}: {e}");
        std::process::exit(2)
    });
    println!("{}", listener.local_addr().map(|a| a.port()).unwrap_or(0));
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let mode = mode.clone();
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            let svc = hyper::service::service_fn(move |req| {
                let mode = mode.clone();
                async move { Ok::<_, Infallible>(handle(&mode, req).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(io, svc)
                .await;
        });
    }
}

fn serve_mode(rest: &[String], tape_path: &str) -> Mode {
    let mut accounts = 1usize;
    let mut latency = 60u64;
    let mut buckets = true;
    let mut exhausted = Vec::new();
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--accounts" => {
                accounts = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--latency-ms" => {
                latency = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--no-buckets" => buckets = false,
            "--exhaust" => exhausted.push(it.next().cloned().unwrap_or_else(|| usage())),
            _ => usage(),
        }
    }
    let tape = tape::Tape::load(tape_path).unwrap_or_else(|e| {
        eprintln!("replay: {e}");
        std::process::exit(2)
    });
    eprintln!(
        "replay: {} answers of account {} in {}; {accounts} accounts, {latency} ms a call",
        tape.len(),
        tape.account,
        tape.region
    );
    Mode::Serve(Box::new(Serve {
        org: org::Org {
            management: tape.account.clone(),
            size: accounts.max(1),
        },
        tape,
        latency: Duration::from_millis(latency),
        buckets: bucket::Buckets::new(buckets, exhausted),
        stats: stats::Stats::default(),
    }))
}

async fn handle(mode: &Mode, req: Request<Incoming>) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return plain(400, "unreadable body"),
    };
    match (mode, parts.uri.path()) {
        (Mode::Serve(s), "/__stats") => json(s.stats.report()),
        (Mode::Serve(s), "/__reset") => {
            s.stats.reset();
            s.buckets.reset();
            plain(200, "reset")
        }
        (Mode::Serve(s), _) => match Call::parse(&parts.headers, parts.uri.path(), &body) {
            Some(call) => s.answer(call).await,
            None => plain(400, "not a signed AWS request"),
        },
        (Mode::Record(r), _) => match Call::parse(&parts.headers, parts.uri.path(), &body) {
            Some(call) => r.forward(call, parts, body).await,
            None => plain(400, "not a signed AWS request"),
        },
    }
}

impl Serve {
    async fn answer(&self, call: Call) -> Response<Body> {
        let account = self.org.account_of(&call.access_key);
        let _flight = self.stats.start();
        tokio::time::sleep(self.latency).await;
        let allowed = self.buckets.take(&account, &call.region, &call.service);
        let answer = if !allowed {
            org::throttled(&call.service)
        } else if let Some(a) = self.org.answer(&call, &account) {
            a
        } else {
            match self.tape.find(&call.service, &call.action, &call.key) {
                Some(a) => Answer {
                    status: a.status,
                    content_type: a.content_type.clone(),
                    body: a
                        .body
                        .replace(&self.tape.account, &account)
                        .replace(&self.tape.region, &call.region),
                },
                None => Answer {
                    status: 400,
                    content_type: "application/x-amz-json-1.1".into(),
                    body: format!(
                        "{{\"__type\":\"UnknownOperationException\",\"message\":\"not on the tape: {}:{}\"}}",
                        call.service, call.action
                    ),
                },
            }
        };
        self.stats.answered(&account, &call, !allowed);
        respond(answer)
    }
}

impl Record {
    async fn forward(
        &self,
        call: Call,
        parts: hyper::http::request::Parts,
        body: Bytes,
    ) -> Response<Body> {
        let base = self
            .routes
            .iter()
            .find(|(s, _)| *s == call.service)
            .map(|(_, u)| u.as_str())
            .unwrap_or(&self.default);
        let uri = format!(
            "{}{}",
            base.trim_end_matches('/'),
            parts
                .uri
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/")
        );
        let mut req = Request::builder().method(parts.method).uri(&uri);
        for (k, v) in &parts.headers {
            if k != "host" {
                req = req.header(k, v);
            }
        }
        let Ok(req) = req.body(Full::new(body)) else {
            return plain(500, "cannot forward");
        };
        let Ok(resp) = self.client.request(req).await else {
            return plain(502, "upstream did not answer");
        };
        let status = resp.status().as_u16();
        let ct = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("text/xml")
            .to_string();
        let body = resp
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        let line = tape::line(&call, status, &ct, &body);
        {
            let mut out = self.out.lock().await;
            let _ = out.write_all(format!("{line}\n").as_bytes()).await;
            let _ = out.flush().await;
        }
        respond(Answer {
            status,
            content_type: ct,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }
}

fn respond(a: Answer) -> Response<Body> {
    let mut r = Response::builder()
        .status(a.status)
        .header("content-type", a.content_type)
        .header("x-amzn-requestid", "replay");
    if a.status >= 400
        && let Some(t) = tape::between(&a.body, "\"__type\":\"", "\"")
    {
        r = r.header("x-amzn-errortype", t.to_string());
    }
    r.body(Full::new(Bytes::from(a.body)))
        .unwrap_or_else(|_| plain(500, "bad answer"))
}

fn plain(status: u16, text: &str) -> Response<Body> {
    let mut r = Response::new(Full::new(Bytes::from(text.to_string())));
    *r.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::BAD_REQUEST);
    r
}

fn json(v: serde_json::Value) -> Response<Body> {
    Response::builder()
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(v.to_string())))
        .unwrap_or_else(|_| plain(500, "stats"))
}
