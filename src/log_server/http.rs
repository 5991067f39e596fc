//! The HTTP side: routes, CORS, limits, and the answer for each way a post can fail.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use sha2::{Digest, Sha256};

use crate::core::{is_uuid_v4, truncated_ip, ConsentConfig, LogError, LoggedDecision, ReceiptBody, MAX_LOG_BODY_BYTES};

use super::db::EXPORT_PAGE;
use super::db::{NewDecision, Stored};
use super::export::{line, ExportFormat, ExportQuery, CSV_HEADER};
use super::keys::{public_pem, sha256_hex};
use super::{now_ms, ConfigRefusal, KnownConfig, LogServer};

/// Where the receipt key's public half is served.
pub const KEY_PATH: &str = "/.well-known/leptos-consent/receipt-key";

/// The log's routes, bound to a running [`LogServer`]: merge them into any axum app.
pub fn router<S: Clone + Send + Sync + 'static>(server: Arc<LogServer>) -> Router<S> {
    Router::new()
        .route("/v1/decisions", post(post_decision).options(preflight))
        .route("/v1/consents/{id}", get(visitor_history).options(preflight))
        .route(KEY_PATH, get(receipt_key))
        .route("/v1/admin/decisions", get(admin_export))
        .route("/v1/admin/configs/{fingerprint}", get(admin_config))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .with_state(server)
}

/// A refusal: status, a stable code and a message naming what was wrong.
/// The body starts `{"error":"<code>"` (json! keeps keys sorted): the
/// browser reads the code from there without a JSON reader.
fn refuse(status: StatusCode, code: &'static str, message: impl std::fmt::Display) -> Response {
    let body = serde_json::json!({ "error": code, "message": message.to_string() });
    (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// The request's `Origin`, when it is one the server allows: `Ok(Some)` to
/// echo in CORS headers, `Ok(None)` when there is no `Origin` (not a browser's
/// cross-origin request), `Err` when it is not allowed. The server's own
/// origin (the routes mounted in the site's app) is always allowed.
fn allowed_origin(server: &LogServer, headers: &HeaderMap) -> Result<Option<HeaderValue>, ()> {
    let Some(o) = headers.get(header::ORIGIN) else {
        return Ok(None);
    };
    let text = o.to_str().map_err(|_| ())?;
    // The host the browser asked for: behind a trusted proxy that rewrites Host
    // (nginx does by default), the one it forwards.
    let forwarded = server
        .settings
        .trust_proxy
        .then(|| headers.get("x-forwarded-host"))
        .flatten();
    let own = forwarded
        .or_else(|| headers.get(header::HOST))
        .and_then(|h| h.to_str().ok())
        .is_some_and(|host| {
            text.strip_prefix("https://")
                .or_else(|| text.strip_prefix("http://"))
                .is_some_and(|authority| authority.eq_ignore_ascii_case(host))
        });
    if own || server.settings.allowed_origins.iter().any(|a| a == text) {
        Ok(Some(o.clone()))
    } else {
        Err(())
    }
}

fn with_cors(mut response: Response, origin: Option<HeaderValue>) -> Response {
    if let Some(origin) = origin {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    response
}

async fn preflight(State(server): State<Arc<LogServer>>, headers: HeaderMap) -> Response {
    match allowed_origin(&server, &headers) {
        Ok(origin) => {
            let mut r = StatusCode::NO_CONTENT.into_response();
            let h = r.headers_mut();
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST"),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("content-type"),
            );
            h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
            with_cors(r, origin)
        }
        Err(()) => {
            server.metrics.refused("origin_not_allowed");
            refuse(
                StatusCode::FORBIDDEN,
                "origin_not_allowed",
                "this origin may not use the consent log",
            )
        }
    }
}

/// The client's address: the socket's peer, or behind a trusted proxy the
/// last `X-Forwarded-For` entry (the one that proxy added).
fn client_ip(server: &LogServer, request: &Request) -> Option<IpAddr> {
    if server.settings.trust_proxy {
        if let Some(ip) = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok())
        {
            return Some(ip);
        }
    }
    request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

async fn post_decision(State(server): State<Arc<LogServer>>, request: Request) -> Response {
    let origin = match allowed_origin(&server, request.headers()) {
        Ok(o) => o,
        Err(()) => {
            server.metrics.refused("origin_not_allowed");
            return refuse(
                StatusCode::FORBIDDEN,
                "origin_not_allowed",
                "this origin may not use the consent log",
            );
        }
    };
    let response = store_decision(&server, request, origin.as_ref()).await;
    with_cors(response, origin)
}

async fn store_decision(server: &LogServer, request: Request, origin: Option<&HeaderValue>) -> Response {
    let started = Instant::now();
    let ip = client_ip(server, &request);
    if !server.limiter.allow(ip) {
        server.metrics.refused("rate_limited");
        let mut r = refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many decisions from this address; try later",
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return r;
    }
    // text/plain is what the browser sends (no preflight); JSON is what other clients send.
    let media_ok = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .is_some_and(|m| m == "application/json" || m == "text/plain");
    if !media_ok {
        server.metrics.refused("unsupported_media_type");
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the decision as application/json or text/plain",
        );
    }
    let Ok(body) = axum::body::to_bytes(request.into_body(), MAX_LOG_BODY_BYTES).await else {
        server.metrics.refused("too_large");
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("body over {MAX_LOG_BODY_BYTES} bytes"),
        );
    };
    let decision = match LoggedDecision::parse(&body) {
        Ok(d) => d,
        Err(e) => {
            let (status, code) = match e {
                LogError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
                LogError::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed"),
                _ => (StatusCode::BAD_REQUEST, "invalid"),
            };
            server.metrics.refused(code);
            return refuse(status, code, e);
        }
    };
    if origin.is_some_and(|o| o.as_bytes() != decision.origin.as_bytes()) {
        server.metrics.refused("invalid");
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid",
            "origin differs from the request's Origin header",
        );
    }
    let known = match known_config(server, &decision).await {
        Ok(k) => k,
        Err(r) => return r,
    };
    let now = now_ms();
    // The client's clock may run ahead of the server's: its times are kept as
    // the browser gave them (the server's time is the one vouched for), so only
    // their order is checked, not their distance from the server's now.
    if let Err(e) = decision.check(&known.config, now.max(decision.at)) {
        server.metrics.refused("not_under_config");
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, "not_under_config", e);
    }
    let digest = sha256_hex(decision.identity_text().as_bytes());
    let receipt = server.keys.sign(&ReceiptBody::new(&decision, now, &known.sha256));
    let receipt_text = serde_json::to_string(&receipt).unwrap_or_default();
    let row = NewDecision {
        consent_id: decision.id.clone(),
        seq: i64::from(decision.seq),
        server_ms: now as i64,
        client_ms: decision.at as i64,
        first_ms: decision.first as i64,
        revision: i64::from(decision.rev),
        config: decision.config.clone(),
        config_sha256: known.sha256.clone(),
        categories: serde_json::to_string(&decision.categories).unwrap_or_default(),
        services: serde_json::to_string(&decision.services).unwrap_or_default(),
        source: decision.source.as_str(),
        lang: decision.lang.clone(),
        gpc: decision.gpc,
        origin: decision.origin.clone(),
        path: decision.path.clone(),
        ip_prefix: ip.filter(|_| server.settings.store_ip).map(truncated_ip),
        digest: digest.clone(),
        receipt: receipt_text.clone(),
    };
    match server.db.store(row).await {
        Ok(Stored::New) => {
            server.metrics.stored(started.elapsed().as_secs_f64(), true);
            receipt_response(StatusCode::CREATED, receipt_text)
        }
        Ok(Stored::Existing {
            digest: stored,
            receipt,
        }) if stored == digest => {
            server.metrics.stored(started.elapsed().as_secs_f64(), false);
            receipt_response(StatusCode::OK, receipt)
        }
        Ok(Stored::Existing { .. }) => {
            server.metrics.refused("sequence_taken");
            // The number to use instead: past every one taken under this id.
            let next = server.db.last_seq(&decision.id).await.unwrap_or(0) + 1;
            let body = serde_json::json!({
                "error": "sequence_taken",
                "message": "another decision is stored under this consent id and sequence number",
                "next_seq": next,
            });
            (
                StatusCode::CONFLICT,
                [(header::CONTENT_TYPE, "application/json")],
                body.to_string(),
            )
                .into_response()
        }
        Err(e) => unavailable(server, e),
    }
}

fn receipt_response(status: StatusCode, receipt: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], receipt).into_response()
}

fn unavailable(server: &LogServer, error: impl std::fmt::Display) -> Response {
    server.metrics.db_error();
    eprintln!("lcc-server: database: {error}");
    let mut r = refuse(
        StatusCode::SERVICE_UNAVAILABLE,
        "database_unavailable",
        "the consent log cannot store right now; send it again later",
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
    r
}

/// The config a decision names: known already, stored by another instance,
/// or sent with the decision (checked by the core, then stored).
async fn known_config(server: &LogServer, d: &LoggedDecision) -> Result<Arc<KnownConfig>, Response> {
    if let Some(k) = server.configs.read().ok().and_then(|m| m.get(&d.config).cloned()) {
        return Ok(k);
    }
    let stored = server.db.config(&d.config).await.map_err(|e| unavailable(server, e))?;
    if let Some(stored) = stored {
        let config = ConsentConfig::from_json(&stored.text).map_err(|e| {
            refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "config_unreadable",
                format!("stored config: {e}"),
            )
        })?;
        return Ok(server.remember(&d.config, config, stored.sha256));
    }
    match &d.config_text {
        Some(text) if server.settings.accept_configs => {
            match server.register_config(text, super::db::RegisteredBy::Browser).await {
                Ok(_) => server
                    .configs
                    .read()
                    .ok()
                    .and_then(|m| m.get(&d.config).cloned())
                    .ok_or_else(|| unavailable(server, "config vanished")),
                Err(ConfigRefusal::Database(e)) => Err(unavailable(server, e)),
                Err(e @ ConfigRefusal::Invalid(_)) => {
                    server.metrics.refused("invalid");
                    Err(refuse(StatusCode::UNPROCESSABLE_ENTITY, "invalid_config", e))
                }
                Err(e @ ConfigRefusal::Conflict(_)) => {
                    server.metrics.refused("config_unknown");
                    Err(refuse(StatusCode::CONFLICT, "config_conflict", e))
                }
                Err(e @ ConfigRefusal::Limit) => {
                    server.metrics.refused("config_unknown");
                    Err(refuse(StatusCode::CONFLICT, "config_limit", e))
                }
            }
        }
        _ => {
            server.metrics.refused("config_unknown");
            Err(refuse(
                StatusCode::CONFLICT,
                "config_unknown",
                format!(
                    "no config with fingerprint {}: send it again with config_text",
                    d.config
                ),
            ))
        }
    }
}

async fn visitor_history(State(server): State<Arc<LogServer>>, Path(id): Path<String>, request: Request) -> Response {
    let origin = match allowed_origin(&server, request.headers()) {
        Ok(o) => o,
        Err(()) => {
            return refuse(
                StatusCode::FORBIDDEN,
                "origin_not_allowed",
                "this origin may not use the consent log",
            );
        }
    };
    if !server.limiter.allow(client_ip(&server, &request)) {
        return with_cors(
            refuse(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "try later"),
            origin,
        );
    }
    if !is_uuid_v4(&id) {
        return with_cors(refuse(StatusCode::BAD_REQUEST, "invalid", "not a consent id"), origin);
    }
    let response = match server.db.history(&id.to_ascii_lowercase()).await {
        Ok(rows) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::json!({ "id": id, "decisions": rows }).to_string(),
        )
            .into_response(),
        Err(e) => unavailable(&server, e),
    };
    with_cors(response, origin)
}

async fn receipt_key(State(server): State<Arc<LogServer>>) -> Response {
    let public = server.keys.public();
    let body = serde_json::json!({
        "alg": "Ed25519",
        "key_id": server.keys.key_id,
        "public_key": super::keys::hex(public.as_bytes()),
        "pem": public_pem(&public),
    });
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// Whether the request carries the admin token, compared in constant time
/// (over digests, so neither the length nor a prefix leaks through timing).
fn is_admin(server: &LogServer, headers: &HeaderMap) -> bool {
    let Some(token) = &server.settings.admin_token else {
        return false;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let (a, b) = (Sha256::digest(given.as_bytes()), Sha256::digest(token.as_bytes()));
    a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn not_admin() -> Response {
    let mut r = refuse(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "the admin API needs the admin token",
    );
    r.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    r
}

async fn admin_export(
    State(server): State<Arc<LogServer>>,
    headers: HeaderMap,
    Query(query): Query<ExportQuery>,
) -> Response {
    if !is_admin(&server, &headers) {
        return not_admin();
    }
    let Some((from, to, rev, format)) = query.resolve() else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid",
            "from/to: Unix ms or YYYY-MM-DD; rev: a number; format: csv or ndjson",
        );
    };
    let kind = match format {
        ExportFormat::Csv => "text/csv; charset=utf-8",
        ExportFormat::Ndjson => "application/x-ndjson",
    };
    // Page by page as the client reads: an export of millions of rows never sits in memory.
    let pages = futures_util::stream::unfold(Some((0i64, true)), move |state| {
        let server = server.clone();
        async move {
            let (after, first) = state?;
            let mut chunk = String::new();
            if first && format == ExportFormat::Csv {
                chunk.push_str(CSV_HEADER);
            }
            match server.db.export_page(from, to, rev, after).await {
                Ok(page) => {
                    let more = page.len() == EXPORT_PAGE as usize;
                    let last = page.last().map_or(after, |r| r.row_id);
                    for r in &page {
                        chunk.push_str(&line(format, r));
                    }
                    Some((Ok::<_, std::io::Error>(chunk), more.then_some((last, false))))
                }
                Err(e) => {
                    server.metrics.db_error();
                    Some((Err(std::io::Error::other(e.to_string())), None))
                }
            }
        }
    });
    (
        [(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "no-store")],
        Body::from_stream(pages),
    )
        .into_response()
}

async fn admin_config(
    State(server): State<Arc<LogServer>>,
    Path(fingerprint): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !is_admin(&server, &headers) {
        return not_admin();
    }
    // A SHA-256 (what a receipt names) or a fingerprint (what a row names).
    let found = if fingerprint.len() == 64 {
        server.db.config_by_sha256(&fingerprint).await
    } else {
        server.db.config(&fingerprint).await
    };
    match found {
        Ok(Some(c)) => ([(header::CONTENT_TYPE, "application/json")], c.text).into_response(),
        Ok(None) => refuse(StatusCode::NOT_FOUND, "not_found", "no config with this fingerprint"),
        Err(e) => unavailable(&server, e),
    }
}

async fn healthz(State(server): State<Arc<LogServer>>) -> Response {
    if server.db.healthy().await {
        (StatusCode::OK, "ok\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
    }
}

async fn metrics(State(server): State<Arc<LogServer>>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        server.metrics.render(server.db.queued()),
    )
        .into_response()
}
