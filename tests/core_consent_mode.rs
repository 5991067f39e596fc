//! Google Consent Mode v2: the keys each decision grants, the default and a
//! custom mapping, and config mistakes named by field.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{demo_config_json, SEED, T0};
use leptos_consent::core::{consent_mode_update, plan_opt_outs, record_decision, Choice, ConsentConfig, Method};

/// The demo's config without its own `"consent_mode": {}` (the demo runs under Consent Mode).
fn demo_without_consent_mode() -> String {
    demo_config_json().replacen("\"consent_mode\": {},", "", 1)
}

fn with(consent_mode: &str) -> ConsentConfig {
    let json = demo_without_consent_mode();
    let json = json.replacen('{', &format!("{{ \"consent_mode\": {consent_mode},"), 1);
    ConsentConfig::from_json(&json).unwrap()
}

fn update(cfg: &ConsentConfig, choice: Option<&Choice>) -> Vec<(&'static str, bool)> {
    let record = choice.map(|c| record_decision(cfg, None, c, Method::Banner, T0, SEED));
    consent_mode_update(cfg, record.as_ref()).expect("consent mode is on")
}

#[test]
fn off_unless_the_config_asks() {
    let cfg = ConsentConfig::from_json(&demo_without_consent_mode()).unwrap();
    assert_eq!(consent_mode_update(&cfg, None), None);
}

#[test]
fn default_mapping_grants_each_key_with_its_category() {
    let cfg = with("{}");
    let all = [
        "ad_storage",
        "ad_user_data",
        "ad_personalization",
        "analytics_storage",
        "functionality_storage",
        "personalization_storage",
    ];
    assert_eq!(update(&cfg, None), all.map(|k| (k, false)));
    assert_eq!(update(&cfg, Some(&Choice::accept_all(&cfg))), all.map(|k| (k, true)));
    let mut c = Choice::reject_all(&cfg);
    c.set_category(&cfg, "performance", true);
    assert_eq!(
        update(&cfg, Some(&c)),
        [
            ("ad_storage", false),
            ("ad_user_data", false),
            ("ad_personalization", false),
            ("analytics_storage", true),
            ("functionality_storage", false),
            ("personalization_storage", false),
        ]
    );
}

#[test]
fn a_key_mapped_from_two_categories_needs_both() {
    let cfg = with(r#"{ "map": { "marketing": ["ad_storage"], "third-party": ["ad_storage", "ad_user_data"] } }"#);
    let mut c = Choice::reject_all(&cfg);
    c.set_category(&cfg, "marketing", true);
    assert_eq!(update(&cfg, Some(&c)), [("ad_storage", false), ("ad_user_data", false)]);
    c.set_category(&cfg, "third-party", true);
    assert_eq!(update(&cfg, Some(&c)), [("ad_storage", true), ("ad_user_data", true)]);
}

#[test]
fn with_consent_mode_on_google_needs_no_separate_opt_out() {
    let on = with("{}");
    assert!(plan_opt_outs(&on, &["google-analytics".into()]).is_empty());
    let off = ConsentConfig::from_json(&demo_without_consent_mode()).unwrap();
    assert_eq!(plan_opt_outs(&off, &["google-analytics".into()]).len(), 1);
}

#[test]
fn mistakes_name_the_field() {
    let json = demo_without_consent_mode();
    let bad = |cm: &str| {
        ConsentConfig::from_json(&json.replacen('{', &format!("{{ \"consent_mode\": {cm},"), 1))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        bad(r#"{ "map": { "ads": ["ad_storage"] } }"#),
        "consent config: consent_mode.map.ads: \"ads\" is not a category of this config"
    );
    assert!(bad(r#"{ "map": { "marketing": ["security_storage"] } }"#)
        .starts_with("consent config: consent_mode.map.marketing: \"security_storage\" is not a Consent Mode key"));
    assert!(bad(r#"{ "mapping": {} }"#).contains("consent_mode"));
}

#[test]
fn a_category_mapped_twice_is_named() {
    let json = demo_without_consent_mode().replacen(
        '{',
        r#"{ "consent_mode": {"map": {"marketing": ["ad_storage"], "marketing": ["ad_user_data"]}},"#,
        1,
    );
    let e = ConsentConfig::from_json(&json).unwrap_err().to_string();
    assert!(e.contains("consent_mode.map.marketing") && e.contains("twice"), "{e}");
}
