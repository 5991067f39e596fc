//! The decision endpoint fed hostile bodies: valid decisions mutated byte by
//! byte and field by field, deep nesting, huge numbers, random bytes. Nothing
//! panics, nothing answers 5xx, and every stored row is one the config could
//! produce; the number stored equals the number acknowledged.
//!
//! `make test` sends `LCC_LOG_FUZZ_INPUTS` (default 1,000,000) bodies, 256 at
//! a time, through the routes in process on a real SQLite file.
#![cfg(all(feature = "log-server", not(target_arch = "wasm32")))]

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{demo_config, demo_config_json, Rng};
use leptos_consent::core::{config_fingerprint, record_decision, Choice, LoggedDecision, Method, Source};
use leptos_consent::log_server::keys::verify;
use leptos_consent::log_server::{router, LogServer, Settings};
use sqlx::Row;
use tower::ServiceExt;

const ORIGIN: &str = "https://shop.example";

fn valid(rng: &mut Rng) -> String {
    let cfg = demo_config();
    let mut choice = Choice::reject_all(&cfg);
    for c in ["performance", "functionality", "marketing", "third-party"] {
        choice.set_category(&cfg, c, rng.next().is_multiple_of(2));
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let mut random = [0u8; 16];
    random[..8].copy_from_slice(&rng.next().to_le_bytes());
    random[8..].copy_from_slice(&rng.next().to_le_bytes());
    let record = record_decision(&cfg, None, &choice, Method::Banner, now, random);
    LoggedDecision::for_record(
        &record,
        1 + rng.below(3) as u32,
        &config_fingerprint(&demo_config_json()),
        Source::Banner,
        "en",
        false,
        ORIGIN,
        "/p",
    )
    .encode()
}

const HOSTILE: [&str; 16] = [
    "-1",
    "1e999",
    "18446744073709551616",
    "null",
    "\"\\u0000\"",
    "[]",
    "{}",
    "true",
    "\"\\ud800\"",
    "\"../../etc/passwd\"",
    "\"<script>alert(1)</script>\"",
    "{\"__proto__\":{\"admin\":true}}",
    "\"https://evil.example\"",
    "0.5",
    "\"/a?b=c\"",
    "\"\u{202e}\"",
];

fn mutate(rng: &mut Rng, text: String) -> Vec<u8> {
    let mut bytes = text.into_bytes();
    match rng.below(8) {
        // Flip, insert or delete a few bytes.
        0..=2 => {
            for _ in 0..1 + rng.below(6) {
                let i = rng.below(bytes.len().max(1));
                match rng.below(3) {
                    0 if i < bytes.len() => bytes[i] = rng.next() as u8,
                    1 => bytes.insert(i.min(bytes.len()), rng.next() as u8),
                    _ if i < bytes.len() => {
                        bytes.remove(i);
                    }
                    _ => {}
                }
            }
            bytes
        }
        // A value replaced with a hostile one.
        3 | 4 => {
            let text = String::from_utf8(bytes).unwrap();
            let colons: Vec<usize> = text.match_indices(':').map(|(i, _)| i).collect();
            let at = colons[rng.below(colons.len())] + 1;
            let end = text[at..].find([',', '}']).map_or(text.len(), |e| at + e);
            format!("{}{}{}", &text[..at], HOSTILE[rng.below(HOSTILE.len())], &text[end..]).into_bytes()
        }
        // A key duplicated, added, or the body cut short.
        5 => {
            let text = String::from_utf8(bytes).unwrap();
            match rng.below(3) {
                0 => text.replacen("{", "{\"id\":\"x\",", 1).into_bytes(),
                1 => text.replacen("{", "{\"extra\":1,", 1).into_bytes(),
                _ => text.as_bytes()[..rng.below(text.len())].to_vec(),
            }
        }
        // Deep nesting.
        6 => {
            let depth = 1 + rng.below(5000);
            let mut b = "[".repeat(depth).into_bytes();
            b.extend("]".repeat(rng.below(depth + 1)).into_bytes());
            b
        }
        // Random bytes.
        _ => (0..rng.below(600)).map(|_| rng.next() as u8).collect(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_bodies_never_panic_and_store_only_what_the_config_allows() {
    let inputs: usize = std::env::var("LCC_LOG_FUZZ_INPUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let dir = std::env::temp_dir().join(format!("lcc-log-fuzz-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let server = LogServer::open(Settings {
        database_url: format!("sqlite://{}", dir.join("log.db").display()),
        key_file: dir.join("key"),
        allowed_origins: vec![ORIGIN.to_owned()],
        rate_limit: None,
        ..Settings::default()
    })
    .await
    .unwrap();
    server
        .register_config(&demo_config_json(), leptos_consent::log_server::db::RegisteredBy::Site)
        .await
        .unwrap();
    let app: axum::Router = router(server.clone());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ inputs as u64);
    let (mut acknowledged, mut refused) = (0u64, 0u64);
    let mut sent = 0;
    while sent < inputs {
        let n = 256.min(inputs - sent);
        let bodies: Vec<Vec<u8>> = (0..n)
            .map(|_| {
                let v = valid(&mut rng);
                // One in 64 is sent as is (some repeat an id and sequence number): the
                // rest is hostile, so the run's time goes to what an attacker sends.
                if rng.below(64) == 0 {
                    v.into_bytes()
                } else {
                    mutate(&mut rng, v)
                }
            })
            .collect();
        let answers = futures_util::future::join_all(bodies.into_iter().map(|body| {
            let app = app.clone();
            async move {
                let request = Request::post("/v1/decisions")
                    .header(header::CONTENT_TYPE, "text/plain")
                    .header(header::ORIGIN, ORIGIN)
                    .body(Body::from(body))
                    .unwrap();
                app.oneshot(request).await.unwrap().status()
            }
        }))
        .await;
        for status in answers {
            match status {
                StatusCode::CREATED => acknowledged += 1,
                StatusCode::OK => {}
                s if s.is_client_error() => refused += 1,
                s => panic!("answered {s}"),
            }
        }
        sent += n;
    }
    let rows = sqlx::query("SELECT categories, services, path, origin, receipt FROM lcc_decisions")
        .fetch_all(&server.db().pool)
        .await
        .unwrap();
    assert_eq!(rows.len() as u64, acknowledged, "stored = acknowledged as new");
    let cfg = demo_config();
    let categories: BTreeSet<String> = cfg.categories.iter().map(|c| c.id.clone()).collect();
    let services: BTreeSet<String> = cfg.services().map(|(_, s)| s.id.clone()).collect();
    for (i, r) in rows.iter().enumerate() {
        let cats: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&r.get::<String, _>(0)).unwrap();
        let svcs: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&r.get::<String, _>(1)).unwrap();
        assert_eq!(cats.keys().cloned().collect::<BTreeSet<_>>(), categories);
        assert_eq!(svcs.keys().cloned().collect::<BTreeSet<_>>(), services);
        assert_eq!(cats["necessary"], true);
        assert_eq!(r.get::<String, _>(3), ORIGIN);
        let path: String = r.get(2);
        assert!(path.starts_with('/') && !path.contains(['?', '#']), "{path:?}");
        // (A sample of signatures: each check is an Ed25519 verification.)
        if i % 50 == 0 {
            verify(&r.get::<String, _>(4), &server.public_key()).unwrap();
        }
    }
    println!("fuzzed {inputs} bodies: {acknowledged} stored, {refused} refused with a 4xx");
    assert!(acknowledged > 0 && refused > 0);
    let _ = std::fs::remove_dir_all(&dir);
}
