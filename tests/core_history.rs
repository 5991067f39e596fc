//! The visitor's decision history and downloadable receipt.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{demo_config, DAY, SEED, T0};
use leptos_consent::core::{
    decode_history, diff, encode_history, push_history, receipt_json, record_decision, Choice, HistoryEntry, Method,
    HISTORY_LIMIT,
};

#[test]
fn entries_name_what_changed_and_where() {
    let cfg = demo_config();
    let all = record_decision(&cfg, None, &Choice::accept_all(&cfg), Method::Banner, T0, SEED);
    let e = HistoryEntry::new(&all, &diff(&cfg, None, Some(&all)));
    assert_eq!(e.at, T0);
    assert_eq!(e.via, Method::Banner);
    assert!(e.granted.contains(&"marketing".to_string()) && e.granted.contains(&"mixpanel".to_string()));
    assert!(e.revoked.is_empty());
    let mut c = Choice::accept_all(&cfg);
    c.set_service(&cfg, "mixpanel", false);
    let later = record_decision(&cfg, Some(&all), &c, Method::Preferences, T0 + DAY, SEED);
    let e = HistoryEntry::new(&later, &diff(&cfg, Some(&all), Some(&later)));
    assert_eq!(e.revoked, vec!["marketing", "mixpanel"]);
    assert!(e.granted.is_empty());
}

#[test]
fn history_keeps_the_last_twenty_and_survives_round_trip() {
    let cfg = demo_config();
    let r = record_decision(&cfg, None, &Choice::reject_all(&cfg), Method::Banner, T0, SEED);
    let mut h = Vec::new();
    for i in 0..25 {
        let mut e = HistoryEntry::new(&r, &Default::default());
        e.at = T0 + i;
        h = push_history(h, e);
    }
    assert_eq!(h.len(), HISTORY_LIMIT);
    assert_eq!(h[0].at, T0 + 5);
    assert_eq!(decode_history(Some(&encode_history(&h))), h);
    for bad in [None, Some(""), Some("{"), Some("[{\"at\":\"x\"}]"), Some("null")] {
        assert!(decode_history(bad).is_empty(), "{bad:?}");
    }
}

#[test]
fn receipt_carries_the_record_and_history() {
    let cfg = demo_config();
    let r = record_decision(&cfg, None, &Choice::accept_all(&cfg), Method::Banner, T0, SEED);
    let h = vec![HistoryEntry::new(&r, &diff(&cfg, None, Some(&r)))];
    let v: serde_json::Value = serde_json::from_str(&receipt_json(&r, &h, &[])).unwrap();
    assert_eq!(v["consent_id"], r.consent_id.as_str());
    assert_eq!(v["revision"], 1);
    assert_eq!(v["last_decision"], T0);
    assert_eq!(v["categories"]["marketing"], true);
    assert_eq!(v["services"]["mixpanel"], true);
    assert_eq!(v["history"].as_array().unwrap().len(), 1);
    assert_eq!(v["given_via"], "banner");
}

#[test]
fn utc_times_are_written_as_javascript_writes_them() {
    use leptos_consent::core::utc_iso;
    assert_eq!(utc_iso(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(utc_iso(951_782_400_000), "2000-02-29T00:00:00.000Z");
    assert_eq!(utc_iso(1_765_006_006_123), "2025-12-06T07:26:46.123Z");
}
