//! What a site's own server knows of the visitor: the cookie copy of the
//! decision, read through the core as strictly as the browser reads storage.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{demo_config, DAY, SEED, T0};
use leptos_consent::core::{
    encode_cookie, record_decision, server_cookie_line, server_decision, Choice, ConsentConfig, CookieMirror, Method,
    PromptReason,
};

fn with_copy(mut cfg: ConsentConfig) -> ConsentConfig {
    cfg.server_cookie = Some(CookieMirror {
        name: "lcc".into(),
        domain: None,
        path: None,
    });
    cfg
}

#[test]
fn a_current_copy_tells_the_server_the_decision_and_nothing_more() {
    let cfg = with_copy(demo_config());
    let mut choice = Choice::reject_all(&cfg);
    choice.set_category(&cfg, "performance", true);
    let record = record_decision(&cfg, None, &choice, Method::Banner, T0, SEED);
    let header = format!("a=b; lcc={}; c=d", encode_cookie(&record));
    let seen = server_decision(&cfg, Some(&header), None, T0 + DAY);
    assert_eq!(seen.prompt, None);
    assert!(seen.category("performance"));
    assert!(!seen.category("marketing"));
    assert_eq!(
        seen.record.as_ref().map(|r| r.consent_id.as_str()),
        Some(record.consent_id.as_str())
    );
}

#[test]
fn without_the_key_in_the_config_the_server_reads_nothing() {
    let cfg = with_copy(demo_config());
    let record = record_decision(&cfg, None, &Choice::accept_all(&cfg), Method::Banner, T0, SEED);
    let header = format!("lcc={}", encode_cookie(&record));
    let plain = demo_config();
    let seen = server_decision(&plain, Some(&header), None, T0);
    assert_eq!(seen.prompt, Some(PromptReason::NoRecord));
    assert!(!seen.category("performance"));
}

#[test]
fn an_expired_or_out_of_revision_copy_asks_again() {
    let cfg = with_copy(demo_config());
    let record = record_decision(&cfg, None, &Choice::accept_all(&cfg), Method::Banner, T0, SEED);
    let header = format!("lcc={}", encode_cookie(&record));
    let late = server_decision(&cfg, Some(&header), None, T0 + cfg.expiry_ms());
    assert_eq!(late.prompt, Some(PromptReason::Expired));
    let mut newer = cfg.clone();
    newer.revision += 1;
    let seen = server_decision(&newer, Some(&header), None, T0);
    assert!(matches!(seen.prompt, Some(PromptReason::RevisionChanged { .. })));
    assert!(!seen.category("performance"));
}

#[test]
fn global_privacy_control_on_the_request_locks_what_the_browser_would() {
    let cfg = with_copy(demo_config());
    let record = record_decision(&cfg, None, &Choice::accept_all(&cfg), Method::Banner, T0, SEED);
    let header = format!("lcc={}", encode_cookie(&record));
    let locked: Vec<String> = cfg
        .clone()
        .under_gpc(true)
        .categories
        .iter()
        .filter(|c| c.gpc_locked)
        .map(|c| c.id.clone())
        .collect();
    assert!(!locked.is_empty(), "the demo marks a sale/sharing category");
    let seen = server_decision(&cfg, Some(&header), Some("1"), T0);
    for id in &locked {
        assert!(!seen.category(id), "{id} is locked under Sec-GPC: 1");
    }
    assert!(seen.category("performance"));
    assert!(server_decision(&cfg, Some(&header), None, T0).category(&locked[0]));
}

#[test]
fn the_browser_writes_a_copy_that_expires_with_the_decision_and_removes_it_with_none() {
    let cfg = with_copy(demo_config());
    let record = record_decision(&cfg, None, &Choice::accept_all(&cfg), Method::Banner, T0, SEED);
    let line = server_cookie_line(&cfg, Some(&record), T0 + DAY, true).unwrap();
    let days_left = u64::from(cfg.expires_after_days) - 1;
    assert_eq!(
        line,
        format!(
            "lcc={}; Path=/; Max-Age={}; SameSite=Lax; Secure",
            encode_cookie(&record),
            days_left * 86_400
        )
    );
    assert_eq!(
        server_cookie_line(&cfg, None, T0, false).unwrap(),
        "lcc=; Path=/; Max-Age=0; SameSite=Lax"
    );
    assert_eq!(server_cookie_line(&demo_config(), Some(&record), T0, false), None);
}

#[test]
fn the_copy_s_place_is_checked_like_the_vanilla_copy_s() {
    let base = common::demo_config_json();
    for (patch, path) in [
        (r#""server_cookie": { "name": "a b" },"#, "server_cookie.name"),
        (
            r#""server_cookie": { "name": "x", "domain": "a;b" },"#,
            "server_cookie.domain",
        ),
        (
            r#""server_cookie": { "name": "x", "path": "nope" },"#,
            "server_cookie.path",
        ),
        (
            r#""server_cookie": { "name": "x" }, "cookie_mirror": { "name": "x" },"#,
            "server_cookie.name",
        ),
    ] {
        let text = base.replacen('{', &format!("{{ {patch}"), 1);
        let e = ConsentConfig::from_json(&text).unwrap_err();
        assert!(e.all().any(|(p, _)| p == path), "{patch}: {e}");
    }
}
