//! Global Privacy Control: sale/sharing categories are denied and locked when
//! the browser sends the signal, over an earlier opt-in, and the signal is
//! never read as consent to anything.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{demo_config_json, SEED, T0};
use leptos_consent::core::{
    accept_categories, accept_services, category_granted, consent_mode_update, diff, gpc_conflict, grant_for_embed,
    record_decision, service_granted, Choice, ConsentConfig, GpcMode, Method, Names,
};

fn config(extra: &str) -> ConsentConfig {
    let json = demo_config_json().replacen('{', &format!("{{ {extra}"), 1);
    ConsentConfig::from_json(&json).unwrap()
}

fn demo() -> ConsentConfig {
    ConsentConfig::from_json(&demo_config_json()).unwrap()
}

#[test]
fn only_marketing_is_sale_or_sharing_by_default() {
    let cfg = demo().under_gpc(true);
    let locked: Vec<&str> = cfg
        .categories
        .iter()
        .filter(|c| c.gpc_locked)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(locked, ["marketing"]);
    assert!(cfg.gpc_applies());
    assert!(!demo().under_gpc(false).gpc_applies());
}

#[test]
fn the_site_can_mark_other_categories_or_ignore_the_signal() {
    let json = demo_config_json()
        .replacen(
            "\"id\": \"third-party\",",
            "\"id\": \"third-party\", \"sale_or_sharing\": true,",
            1,
        )
        .replacen(
            "\"id\": \"marketing\",",
            "\"id\": \"marketing\", \"sale_or_sharing\": false,",
            1,
        );
    let cfg = ConsentConfig::from_json(&json).unwrap().under_gpc(true);
    let locked: Vec<&str> = cfg
        .categories
        .iter()
        .filter(|c| c.gpc_locked)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(locked, ["third-party"]);

    let ignoring = config("\"gpc\": \"ignore\",");
    assert_eq!(ignoring.gpc, GpcMode::Ignore);
    assert!(!ignoring.under_gpc(true).gpc_applies());
}

#[test]
fn accept_all_under_gpc_leaves_the_locked_category_off() {
    let cfg = demo().under_gpc(true);
    let r = record_decision(&cfg, None, &Choice::accept_all(&cfg), Method::Banner, T0, SEED);
    assert!(!r.categories["marketing"]);
    assert!(!r.services["mixpanel"]);
    assert!(r.categories["performance"]);
    assert!(!category_granted(&cfg, Some(&r), "marketing"));
    assert!(category_granted(&cfg, Some(&r), "performance"));
}

#[test]
fn the_signal_is_never_consent() {
    let cfg = demo().under_gpc(true);
    for c in &cfg.categories {
        assert_eq!(category_granted(&cfg, None, &c.id), c.read_only, "{}", c.id);
    }
}

#[test]
fn gpc_wins_over_an_earlier_opt_in() {
    let plain = demo();
    let earlier = record_decision(&plain, None, &Choice::accept_all(&plain), Method::Banner, T0, SEED);
    assert!(category_granted(&plain, Some(&earlier), "marketing"));
    assert!(!gpc_conflict(&plain, Some(&earlier)), "no signal, no conflict");

    let cfg = demo().under_gpc(true);
    assert!(!category_granted(&cfg, Some(&earlier), "marketing"));
    assert!(!service_granted(&cfg, Some(&earlier), "mixpanel"));
    assert!(gpc_conflict(&cfg, Some(&earlier)));

    // Stored again with the lock applied: the rest of the visitor's choice stays.
    let again = record_decision(
        &cfg,
        Some(&earlier),
        &Choice::from_record(&cfg, Some(&earlier)),
        Method::Gpc,
        T0 + 1,
        SEED,
    );
    assert_eq!(again.consent_id, earlier.consent_id);
    assert!(!again.categories["marketing"]);
    assert!(again.categories["performance"]);
    assert!(!gpc_conflict(&cfg, Some(&again)));
    let changes = diff(&plain, Some(&earlier), Some(&again));
    assert_eq!(changes.revoked_categories, ["marketing"]);
    assert!(again.encode().contains("\"via\":\"gpc\""));
}

#[test]
fn the_api_cannot_grant_a_locked_category() {
    let cfg = demo().under_gpc(true);
    let none = Choice::reject_all(&cfg);
    let (choice, _) = accept_categories(&cfg, &none, Some(&Names::One("all".into())), &[]);
    assert!(!choice.category("marketing"));
    let (choice, _) = accept_categories(&cfg, &none, Some(&Names::Many(vec!["marketing".into()])), &[]);
    assert!(!choice.category("marketing") && !choice.service("mixpanel"));
    let (choice, _) = accept_services(&cfg, &none, &Names::One("all".into()), "marketing").unwrap();
    assert!(!choice.service("mixpanel"));
    let choice = grant_for_embed(&cfg, &none, "marketing", Some("mixpanel"));
    assert!(!choice.service("mixpanel"));
    let mut c = none.clone();
    c.set_category(&cfg, "marketing", true);
    c.set_service(&cfg, "mixpanel", true);
    let r = record_decision(&cfg, None, &c, Method::Api, T0, SEED);
    assert!(!category_granted(&cfg, Some(&r), "marketing"));
}

#[test]
fn consent_mode_keeps_the_ad_keys_denied() {
    let cfg = demo().under_gpc(true); // (the demo runs under Consent Mode)
    let r = record_decision(&cfg, None, &Choice::accept_all(&cfg), Method::Banner, T0, SEED);
    let update = consent_mode_update(&cfg, Some(&r)).unwrap();
    for (key, granted) in update {
        assert_eq!(granted, !key.starts_with("ad_"), "{key}");
    }
}

#[test]
fn necessary_cannot_be_sale_or_sharing() {
    let json = demo_config_json().replacen(
        "\"id\": \"necessary\",",
        "\"id\": \"necessary\", \"sale_or_sharing\": true,",
        1,
    );
    let e = ConsentConfig::from_json(&json).unwrap_err().to_string();
    assert!(e.contains("categories[0].sale_or_sharing"), "{e}");
    let e = ConsentConfig::from_json(&demo_config_json().replacen('{', "{ \"gpc\": \"off\",", 1))
        .unwrap_err()
        .to_string();
    assert!(e.contains("gpc"), "{e}");
}
