//! `annals serve`: the researcher's workbench over HTTP (axum).
//!
//! - `api.rs`: the JSON API under `/api/…`, described at `/openapi.json` from the handlers'
//!   own annotations.
//! - `openapi.rs`: what the description states once for all handlers: parameters' real
//!   constraints, the answers every operation shares, the body of a curation decision.
//! - `pages/`: server-rendered HTML pages (search, timeline, event, entity, series, document
//!   reader, conflicts, ask, curation), every source text HTML-escaped.
//! - `state.rs`: the view of the store that requests read, rebuilt when the store changes;
//!   per-thread search archives; query time and concurrency limits; the background ingest.
//! - `error.rs`: errors as JSON with a reason.
//!
//! Safety: loopback by default; writes need the token (`--token` / `ANNALS_TOKEN`, or one
//! made at start and printed); a non-loopback address without a token is refused; bodies
//! are limited; queries time out with a reason; document ids are looked up in the store,
//! never used as paths.

pub mod api;
pub mod auth;
pub mod error;
pub mod openapi;
pub mod pages;
pub mod state;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use state::{AppState, Limits};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub data: PathBuf,
    pub addr: SocketAddr,
    /// The write token; None: one is made at start (printed), and only loopback is allowed.
    pub token: Option<String>,
    /// Files and folders to ingest in the background once serving.
    pub paths: Vec<PathBuf>,
    pub limits: Limits,
    pub ingest: crate::ingest::IngestOptions,
    /// How often to look for changes made by other processes.
    pub poll_every: Duration,
    /// Host names, besides the address listened on, that requests may name in their
    /// `Host` header (`annals.example.org`); see [`HostCheck`].
    pub allowed_hosts: Vec<String>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            query_timeout: Duration::from_secs(5),
            max_body_bytes: 1 << 20,
            max_concurrent_queries: 64,
            read_timeout: Duration::from_secs(10),
            max_connections: 1024,
        }
    }
}

/// Why the server will not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "refusing to listen on {0}: it is not a loopback address and no token is set; give --token (or ANNALS_TOKEN) so that only holders of it can change the curation"
    )]
    PublicWithoutToken(SocketAddr),
    #[error("the token must be at least 16 characters (it guards every write)")]
    WeakToken,
    #[error(
        "the token must be printable characters without spaces (it travels in an HTTP header, where spaces around it are dropped, so such a token could never match)"
    )]
    UnusableToken,
}

/// Checks the address and token before binding.
pub fn check_bind(addr: &SocketAddr, token: Option<&str>) -> Result<(), ServeError> {
    if let Some(t) = token {
        if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ServeError::UnusableToken);
        }
        if t.chars().count() < 16 {
            return Err(ServeError::WeakToken);
        }
    }
    if !addr.ip().is_loopback() && token.is_none() {
        return Err(ServeError::PublicWithoutToken(*addr));
    }
    Ok(())
}

/// A random token (128 bits from the OS, hex).
pub fn random_token() -> std::io::Result<String> {
    use std::io::Read;
    let mut b = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut b)?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// The OpenAPI description of the API (what `/openapi.json` serves).
pub fn openapi() -> utoipa::openapi::OpenApi {
    describe(api::routes().split_for_parts().1)
}

fn describe(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
    api.info.title = "annals".into();
    api.info.description = Some(
        "Historical sources as an evidence-backed knowledge base: every fact points at the bytes of the source that state it. Writes need the token that `annals serve` prints (Authorization: Bearer TOKEN)."
            .into(),
    );
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "token",
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    // The typed fact bodies: what every fact record carries beside its kind and span.
    let mut facts = vec![(
        "FactBody".to_string(),
        <crate::fact::FactBody as utoipa::PartialSchema>::schema(),
    )];
    <crate::fact::FactBody as utoipa::ToSchema>::schemas(&mut facts);
    components.schemas.extend(facts);
    openapi::complete(&mut api);
    api
}

/// The whole application: API, OpenAPI description, pages, limits and security headers.
pub fn app(state: Arc<AppState>) -> Router {
    let (api_router, api) = api::routes().split_for_parts();
    let api_json = Arc::new(describe(api));
    let body_limit = state.limits.max_body_bytes;
    let state_read_timeout = state.limits.read_timeout;
    Router::new()
        .merge(api_router)
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let api = api_json.clone();
                async move { axum::Json((*api).clone()) }
            }),
        )
        .merge(pages::routes())
        .fallback(pages::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            state_read_timeout,
        ))
        .layer(axum::middleware::from_fn(json_errors))
        .layer(axum::middleware::map_response(security_headers))
}

/// Errors that axum's extractors produce (a bad query string, a body over the limit) are
/// plain text; under `/api/` they are rewritten as the API's JSON errors, with the reason.
async fn json_errors(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let api = req.uri().path().starts_with("/api/");
    let r = next.run(req).await;
    let plain = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !api || !(r.status().is_client_error() || r.status().is_server_error()) || !plain {
        return r;
    }
    let status = r.status();
    let body = axum::body::to_bytes(r.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let reason = String::from_utf8_lossy(&body).trim().to_string();
    axum::response::IntoResponse::into_response(error::ApiError::new(status, reason))
}

async fn security_headers(mut r: axum::response::Response) -> axum::response::Response {
    let h = r.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
            ),
        );
    }
    r
}

/// Which `Host` headers the server answers: a defence against DNS rebinding, where a page
/// in the user's browser names its own domain, resolved to this machine, and reads the
/// archive through `/api/export`.
///
/// Guarantees: on a loopback address only `localhost`, `127.0.0.1`/`[::1]` (the address
/// listened on) and the names given are answered, with the port listened on (or none for
/// port 80); on a specific address, that address and the names given; on an unspecified one
/// (`0.0.0.0`, `[::]`) the names given, or any host when none is given (the address is
/// public by choice and its writes need the token). Any other request gets 421 (Misdirected
/// Request) with the reason. A request without a `Host` header (HTTP/1.0) is refused too.
pub struct HostCheck {
    port: u16,
    /// Lowercase host names without port; empty: any host.
    names: Vec<String>,
}

impl HostCheck {
    /// The check for a server listening on `addr`, also answering `extra` names.
    pub fn new(addr: SocketAddr, extra: &[String]) -> HostCheck {
        let mut names: Vec<String> = extra
            .iter()
            .map(|n| n.trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|n| !n.is_empty())
            .collect();
        let ip = addr.ip();
        if !ip.is_unspecified() || !names.is_empty() {
            names.push(match ip {
                std::net::IpAddr::V4(v4) => v4.to_string(),
                std::net::IpAddr::V6(v6) => format!("[{v6}]"),
            });
            if ip.is_loopback() {
                names.extend(["localhost".to_string(), "127.0.0.1".into(), "[::1]".into()]);
            }
        }
        HostCheck {
            port: addr.port(),
            names,
        }
    }

    /// Whether a request naming `host` (its `Host` header) is answered.
    ///
    /// ```
    /// let c = annals::server::HostCheck::new("127.0.0.1:8080".parse().unwrap(), &[]);
    /// assert!(c.allows("127.0.0.1:8080") && c.allows("localhost:8080"));
    /// assert!(!c.allows("evil.example:8080") && !c.allows("localhost:9999"));
    /// ```
    pub fn allows(&self, host: &str) -> bool {
        if self.names.is_empty() {
            return true;
        }
        let host = host.trim().to_ascii_lowercase();
        let (name, port) = match host.rsplit_once(':') {
            // An IPv6 literal's colons are inside its brackets.
            Some((n, p)) if !p.contains(']') => (n.to_string(), p.parse::<u16>().ok()),
            _ => (host.clone(), Some(80)),
        };
        let name = name.trim_end_matches('.');
        port == Some(self.port) && self.names.iter().any(|n| n == name)
    }

    async fn check(
        &self,
        req: axum::extract::Request,
        next: axum::middleware::Next,
    ) -> axum::response::Response {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
            .or_else(|| req.uri().authority().map(|a| a.to_string()));
        match host {
            Some(h) if self.allows(&h) => next.run(req).await,
            h => {
                use axum::response::IntoResponse;
                error::ApiError::new(
                    axum::http::StatusCode::MISDIRECTED_REQUEST,
                    format!(
                        "this server does not answer for the host {:?}: it answers {} on port {} (start it with --allow-host NAME to add a name)",
                        h.unwrap_or_default(),
                        self.names.join(", "),
                        self.port
                    ),
                )
                .into_response()
            }
        }
    }
}

/// Serves until interrupted. `ready` is called once listening, with the address and token.
pub fn serve(opts: ServeOptions, ready: impl FnOnce(SocketAddr, &str)) -> anyhow::Result<()> {
    serve_until(opts, ready, async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// Serves until `shutdown` resolves (or the process is interrupted), then lets open
/// connections finish: [`serve`] for a caller that stops the server itself (`annals
/// bench`).
pub fn serve_until(
    opts: ServeOptions,
    ready: impl FnOnce(SocketAddr, &str),
    shutdown: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    check_bind(&opts.addr, opts.token.as_deref())?;
    let token = match &opts.token {
        Some(t) => t.clone(),
        None => random_token()?,
    };
    let state = Arc::new(AppState::open(&opts.data, token, opts.limits.clone())?);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.addr).await?;
        let addr = listener.local_addr()?;
        if !opts.paths.is_empty() {
            state.spawn_ingest(opts.paths.clone(), opts.ingest.clone());
        }
        state.spawn_poller(opts.poll_every);
        ready(addr, &state.token);
        let limits = state.limits.clone();
        let hosts = Arc::new(HostCheck::new(addr, &opts.allowed_hosts));
        let app = app(state).layer(axum::middleware::from_fn(move |req, next| {
            let hosts = hosts.clone();
            async move { hosts.check(req, next).await }
        }));
        accept_loop(listener, app, &limits, shutdown).await;
        Ok(())
    })
}

/// Accepts connections until `shutdown` resolves, then lets open ones finish (for a few
/// seconds). Each connection is served on a task of its own: a client that hangs up in the
/// middle of an answer ends that connection with an error, never the server; headers must
/// arrive within the read timeout; at most `max_connections` are open at once.
async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: &Limits,
    shutdown: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let open = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.read_timeout)
        .keep_alive(true);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(limits.read_timeout)
        .keep_alive_timeout(limits.read_timeout);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = open.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little, go on.
                    eprintln!("annals serve: accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let conn = builder
            .serve_connection(TokioIo::new(stream), service)
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A client that goes away mid-answer, or stalls past the timeout, is an error
            // of that connection only.
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(Duration::from_secs(5)) => {}
    }
}
