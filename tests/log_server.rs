//! The consent-log server's routes, in process, on a real SQLite file: what a
//! browser, a visitor, a site owner and an attacker get back, and what is
//! stored (`cargo test --features log-server --test log_server`).
#![cfg(all(feature = "log-server", not(target_arch = "wasm32")))]

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::{demo_config, demo_config_json};
use leptos_consent::core::{config_fingerprint, record_decision, uuid_v4, Choice, LoggedDecision, Method, Source};
use leptos_consent::log_server::keys::{parse_public, verify};
use leptos_consent::log_server::{router, LogServer, Settings};
use tower::ServiceExt;

const ORIGIN: &str = "https://shop.example";
const TOKEN: &str = "an-admin-token-of-at-least-32-characters";

struct Log {
    app: Router,
    server: Arc<LogServer>,
    _dir: TempDir,
}

/// A folder removed when the test ends.
struct TempDir(std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir() -> TempDir {
    let n: u64 = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let dir = std::env::temp_dir().join(format!("lcc-log-test-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

async fn log_with(change: impl FnOnce(&mut Settings)) -> Log {
    let dir = temp_dir();
    let mut settings = Settings {
        database_url: format!("sqlite://{}", dir.0.join("log.db").display()),
        key_file: dir.0.join("receipt.key"),
        allowed_origins: vec![ORIGIN.to_owned()],
        admin_token: Some(TOKEN.to_owned()),
        rate_limit: None,
        ..Settings::default()
    };
    change(&mut settings);
    let server = LogServer::open(settings).await.unwrap();
    Log {
        app: router(server.clone()),
        server,
        _dir: dir,
    }
}

async fn log() -> Log {
    log_with(|_| {}).await
}

fn decision(seq: u32, random: u8, marketing: bool) -> LoggedDecision {
    let cfg = demo_config();
    let mut choice = Choice::reject_all(&cfg);
    choice.set_category(&cfg, "performance", true);
    choice.set_category(&cfg, "marketing", marketing);
    let now = leptos_consent_now();
    let record = record_decision(&cfg, None, &choice, Method::Banner, now, [random; 16]);
    LoggedDecision::for_record(
        &record,
        seq,
        &config_fingerprint(&demo_config_json()),
        Source::Banner,
        "en",
        false,
        ORIGIN,
        "/shop",
    )
}

fn leptos_consent_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

fn with_config(mut d: LoggedDecision) -> LoggedDecision {
    d.config_text = Some(demo_config_json());
    d
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn error(&self) -> String {
        serde_json::from_str::<serde_json::Value>(&self.body).unwrap()["error"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }
}

async fn send(log: &Log, request: Request<Body>) -> Answer {
    let mut request = request;
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([203, 0, 113, 77], 50000))));
    let response = log.app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn post(body: impl Into<String>) -> Request<Body> {
    Request::post("/v1/decisions")
        .header(header::CONTENT_TYPE, "text/plain;charset=UTF-8")
        .header(header::ORIGIN, ORIGIN)
        .body(Body::from(body.into()))
        .unwrap()
}

async fn count(log: &Log) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) FROM lcc_decisions")
        .fetch_one(&log.server.db().pool)
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn a_decision_is_stored_once_and_its_receipt_verifies_with_the_published_key() {
    let log = log().await;
    let d = decision(1, 1, false);
    // The server has never seen this config: it asks for the text, stores nothing.
    let first = send(&log, post(d.encode())).await;
    assert_eq!(
        (first.status, first.error().as_str()),
        (StatusCode::CONFLICT, "config_unknown")
    );
    assert_eq!(
        first.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        ORIGIN,
        "the page can read why"
    );
    assert_eq!(count(&log).await, 0);

    let stored = send(&log, post(with_config(d.clone()).encode())).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    assert_eq!(stored.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], ORIGIN);
    // The same decision again (a retry after a lost answer): the same receipt, no second row.
    let again = send(&log, post(d.encode())).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, stored.body);
    assert_eq!(count(&log).await, 1);

    let key = send(
        &log,
        Request::get("/.well-known/leptos-consent/receipt-key")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let key: serde_json::Value = serde_json::from_str(&key.body).unwrap();
    let public = parse_public(key["pem"].as_str().unwrap()).unwrap();
    let body = verify(&stored.body, &public).unwrap();
    assert_eq!(
        (body.id.as_str(), body.seq, body.path.as_str()),
        (d.id.as_str(), 1, "/shop")
    );
    assert!(body.categories["performance"]);
    let tampered = stored.body.replace(r#"\"marketing\":false"#, r#"\"marketing\":true"#);
    assert_ne!(tampered, stored.body);
    assert!(verify(&tampered, &public).is_err(), "an edited receipt does not verify");
}

#[tokio::test]
async fn another_decision_under_a_taken_sequence_number_is_refused() {
    let log = log().await;
    assert_eq!(
        send(&log, post(with_config(decision(1, 2, false)).encode()))
            .await
            .status,
        StatusCode::CREATED
    );
    let other = send(&log, post(decision(1, 2, true).encode())).await;
    assert_eq!(
        (other.status, other.error().as_str()),
        (StatusCode::CONFLICT, "sequence_taken")
    );
    assert_eq!(
        send(&log, post(decision(2, 2, true).encode())).await.status,
        StatusCode::CREATED
    );
    assert_eq!(count(&log).await, 2);
}

#[tokio::test]
async fn hostile_requests_get_a_clear_4xx_and_nothing_is_stored() {
    let log = log_with(|s| s.rate_limit = Some((0.001, 5.0))).await;
    let good = with_config(decision(1, 3, false)).encode();
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (
            Request::post("/v1/decisions")
                .header(header::CONTENT_TYPE, "text/plain")
                .header(header::ORIGIN, "https://evil.example")
                .body(Body::from(good.clone()))
                .unwrap(),
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
        ),
        (
            Request::post("/v1/decisions")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ORIGIN, ORIGIN)
                .body(Body::from(good.clone()))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (post("x".repeat(400 * 1024)), StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
    ];
    // Five tokens for this address (a refused origin spends none): two spent above,
    // three below, then refused.
    for (request, status, code) in cases {
        let a = send(&log, request).await;
        assert_eq!((a.status, a.error().as_str()), (status, code), "{}", a.body);
    }
    let malformed = send(&log, post("{\"v\":1,".repeat(3))).await;
    assert_eq!(
        (malformed.status, malformed.error().as_str()),
        (StatusCode::BAD_REQUEST, "malformed")
    );
    let unknown_field = send(&log, post(good.replacen("{", r#"{"admin":true,"#, 1))).await;
    assert_eq!(unknown_field.error(), "malformed");
    let wrong_origin = send(&log, post(good.replace(ORIGIN, "https://other.example"))).await;
    assert_eq!(
        (wrong_origin.status, wrong_origin.error().as_str()),
        (StatusCode::BAD_REQUEST, "invalid")
    );
    let limited = send(&log, post(good.clone())).await;
    assert_eq!(
        (limited.status, limited.error().as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    assert!(limited.headers.contains_key(header::RETRY_AFTER));
    assert_eq!(count(&log).await, 0);
}

#[tokio::test]
async fn a_decision_the_config_could_not_produce_is_refused() {
    let log = log().await;
    let good = with_config(decision(1, 4, false)).encode();
    for (from, to) in [
        (r#""mixpanel":false"#, r#""mixpanel":true"#),
        (r#""necessary":true"#, r#""necessary":false"#),
        (r#""rev":1"#, r#""rev":2"#),
    ] {
        let a = send(&log, post(good.replacen(from, to, 1))).await;
        assert_eq!(
            (a.status, a.error().as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "not_under_config"),
            "{to}"
        );
    }
    assert_eq!(count(&log).await, 0);
}

#[tokio::test]
async fn a_visitor_reads_their_own_history_by_consent_id_and_nothing_else() {
    let log = log().await;
    let d = with_config(decision(1, 5, false));
    send(&log, post(d.encode())).await;
    send(&log, post(decision(2, 5, true).encode())).await;
    send(&log, post(decision(1, 6, true).encode())).await;
    let mine = send(
        &log,
        Request::get(format!("/v1/consents/{}", d.id))
            .header(header::ORIGIN, ORIGIN)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(mine.status, StatusCode::OK);
    let mine: serde_json::Value = serde_json::from_str(&mine.body).unwrap();
    let list = mine["decisions"].as_array().unwrap();
    assert_eq!(list.len(), 2, "only this consent id's decisions");
    assert_eq!(
        (list[0]["seq"].as_i64(), list[1]["categories"]["marketing"].as_bool()),
        (Some(1), Some(true))
    );
    assert!(
        list[0].get("ip_prefix").is_none(),
        "no address unless the site opted in"
    );
    let none = send(
        &log,
        Request::get(format!("/v1/consents/{}", uuid_v4([9; 16])))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(none.body.matches("seq").count(), 0);
    // Listing everything needs the admin token.
    let export = send(
        &log,
        Request::get("/v1/admin/decisions?format=csv")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(export.status, StatusCode::UNAUTHORIZED);
    let export = send(
        &log,
        Request::get("/v1/admin/decisions?format=csv")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}x"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        export.status,
        StatusCode::UNAUTHORIZED,
        "a token with one more character is not the token"
    );
}

#[tokio::test]
async fn the_site_owner_exports_by_range_and_revision_as_csv_and_ndjson() {
    let log = log_with(|s| s.store_ip = true).await;
    send(&log, post(with_config(decision(1, 7, false)).encode())).await;
    send(&log, post(decision(1, 8, true).encode())).await;
    let get = |q: &str| {
        Request::get(format!("/v1/admin/decisions?{q}"))
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::empty())
            .unwrap()
    };
    let csv = send(&log, get("format=csv&rev=1&from=2020-01-01")).await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 3, "{}", csv.body);
    assert!(lines[0].starts_with("server_time,client_time,consent_id,seq,"));
    assert!(
        lines[1].contains(",banner,en,false,https://shop.example,/shop,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].ends_with(",203.0.113.0/24"), "the /24 only: {}", lines[1]);
    let none = send(&log, get("rev=2")).await;
    assert_eq!(none.body.lines().count(), 1, "the header alone: {}", none.body);
    let ndjson = send(&log, get("format=ndjson")).await;
    let rows: Vec<serde_json::Value> = ndjson.body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["categories"]["marketing"], true);
    assert!(rows[1]["receipt"]["signature"].is_string());
    let config = send(
        &log,
        Request::get(format!("/v1/admin/configs/{}", config_fingerprint(&demo_config_json())))
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        config.body,
        demo_config_json(),
        "what the visitor was shown, to the byte"
    );
}

#[tokio::test]
async fn health_metrics_and_retention() {
    let log = log_with(|s| s.retention_days = 1).await;
    send(&log, post(with_config(decision(1, 9, false)).encode())).await;
    let health = send(&log, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(health.status, StatusCode::OK);
    let metrics = send(&log, Request::get("/metrics").body(Body::empty()).unwrap()).await;
    assert!(
        metrics.body.contains("lcc_decisions_stored_total 1"),
        "{}",
        metrics.body
    );
    assert!(metrics
        .body
        .contains(r#"lcc_decisions_refused_total{reason="config_unknown"} 0"#));
    // A decision older than retention goes with the next purge; a recent one stays.
    sqlx::query("UPDATE lcc_decisions SET server_ms = server_ms - 2 * 86400000")
        .execute(&log.server.db().pool)
        .await
        .unwrap();
    send(&log, post(decision(1, 10, false).encode())).await;
    assert_eq!(log.server.purge_once().await, 1);
    assert_eq!(count(&log).await, 1);
}

#[tokio::test]
async fn a_config_text_a_browser_sends_never_displaces_the_site_s() {
    use leptos_consent::log_server::db::RegisteredBy;
    let log = log().await;
    log.server
        .register_config(&demo_config_json(), RegisteredBy::Site)
        .await
        .unwrap();
    // Another text with the same fingerprint would be checked against instead: refused.
    let mut forged = decision(1, 11, false);
    forged.config_text = Some(demo_config_json());
    assert_eq!(send(&log, post(forged.encode())).await.status, StatusCode::CREATED);
    let other = demo_config_json().replace("Marketing", "Ads");
    let mut d = decision(1, 12, false);
    d.config = config_fingerprint(&other);
    d.config_text = Some(other);
    // (A text of its own fingerprint is a new config, accepted within the limit.)
    assert_eq!(send(&log, post(d.encode())).await.status, StatusCode::CREATED);
    // Past the limit on texts from browsers, a new one is refused with a reason.
    let limited = log_with(|s| s.max_browser_configs = 0).await;
    let a = send(&limited, post(with_config(decision(1, 13, false)).encode())).await;
    assert_eq!((a.status, a.error().as_str()), (StatusCode::CONFLICT, "config_limit"));
    assert_eq!(count(&limited).await, 0);
}
