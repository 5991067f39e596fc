//! Prompt decisions and grants: expiry, revision, new choices, per-service switches.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{demo_config, DAY, SEED, T0};
use leptos_consent::core::{
    assess, category_granted, category_refused, diff, record_decision, service_granted, Choice, ConsentConfig, Method,
    PromptReason,
};

fn store(cfg: &ConsentConfig, choice: &Choice) -> String {
    record_decision(cfg, None, choice, Method::Banner, T0, SEED).encode()
}

#[test]
fn first_visit_prompts_and_grants_only_necessary() {
    let cfg = demo_config();
    let a = assess(None, &cfg, T0);
    assert_eq!(a.prompt, Some(PromptReason::NoRecord));
    assert!(category_granted(&cfg, a.record.as_ref(), "necessary"));
    for c in ["performance", "functionality", "marketing", "third-party"] {
        assert!(!category_granted(&cfg, a.record.as_ref(), c), "{c}");
        assert!(
            !category_refused(&cfg, a.record.as_ref(), c),
            "no choice is not a refusal: {c}"
        );
    }
    assert!(!service_granted(&cfg, None, "google-analytics"));
}

#[test]
fn expires_after_the_configured_days() {
    let cfg = demo_config();
    let stored = store(&cfg, &Choice::accept_all(&cfg));
    assert_eq!(assess(Some(&stored), &cfg, T0 + 181 * DAY).prompt, None);
    let a = assess(Some(&stored), &cfg, T0 + 182 * DAY);
    assert_eq!(a.prompt, Some(PromptReason::Expired));
    assert_eq!(a.record, None, "an expired record grants nothing");
}

#[test]
fn reprompts_after_revision_bump_and_grants_nothing_meanwhile() {
    let mut cfg = demo_config();
    let stored = store(&cfg, &Choice::accept_all(&cfg));
    cfg.revision = 2;
    let a = assess(Some(&stored), &cfg, T0 + DAY);
    assert_eq!(a.prompt, Some(PromptReason::RevisionChanged { stored: 1, current: 2 }));
    assert!(!category_granted(&cfg, a.record.as_ref(), "performance"));
    // A downgrade counts as a change too.
    cfg.revision = 0;
    assert!(matches!(
        assess(Some(&stored), &cfg, T0).prompt,
        Some(PromptReason::RevisionChanged { .. })
    ));
}

#[test]
fn reprompts_when_a_category_or_service_is_added() {
    let cfg = demo_config();
    let stored = store(&cfg, &Choice::accept_all(&cfg));
    let mut v: serde_json::Value = serde_json::from_str(&common::demo_config_json()).unwrap();
    v["categories"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"id": "social", "title": "Social"}));
    v["categories"][1]["services"].as_array_mut().unwrap().push(serde_json::json!({
        "id": "hotjar", "title": "Hotjar", "provider": "Hotjar Ltd", "purpose": "Heatmaps", "privacy_policy_url": "https://hotjar.test/p"
    }));
    let grown = ConsentConfig::from_json(&v.to_string()).unwrap();
    let a = assess(Some(&stored), &grown, T0);
    assert_eq!(
        a.prompt,
        Some(PromptReason::NewChoices {
            categories: vec!["social".into()],
            services: vec!["hotjar".into()]
        })
    );
    // Explicit earlier grants stay; the new ones are not granted.
    assert!(service_granted(&grown, a.record.as_ref(), "google-analytics"));
    assert!(!service_granted(&grown, a.record.as_ref(), "hotjar"));
    assert!(!category_granted(&grown, a.record.as_ref(), "social"));
}

#[test]
fn service_switches_drive_their_category() {
    let cfg = demo_config();
    let mut choice = Choice::reject_all(&cfg);
    choice.set_service(&cfg, "google-analytics", true);
    assert!(choice.category("performance"));
    let r = record_decision(&cfg, None, &choice, Method::Preferences, T0, SEED);
    assert!(service_granted(&cfg, Some(&r), "google-analytics"));
    assert!(!service_granted(&cfg, Some(&r), "mixpanel"));
    assert!(!service_granted(&cfg, Some(&r), "algolia"));
    choice.set_service(&cfg, "google-analytics", false);
    assert!(!choice.category("performance"));
    choice.set_category(&cfg, "marketing", true);
    assert!(choice.service("mixpanel"));
    choice.set_category(&cfg, "necessary", false);
    assert!(choice.category("necessary"), "necessary cannot be switched off");
}

#[test]
fn preferences_open_with_the_stored_choice() {
    let cfg = demo_config();
    let mut choice = Choice::reject_all(&cfg);
    choice.set_service(&cfg, "mixpanel", true);
    let r = record_decision(&cfg, None, &choice, Method::Preferences, T0, SEED);
    assert_eq!(Choice::from_record(&cfg, Some(&r)), choice);
    assert_eq!(Choice::from_record(&cfg, None), Choice::reject_all(&cfg));
}

#[test]
fn diff_lists_grants_and_revocations() {
    let cfg = demo_config();
    let all = record_decision(&cfg, None, &Choice::accept_all(&cfg), Method::Banner, T0, SEED);
    let none = record_decision(
        &cfg,
        Some(&all),
        &Choice::reject_all(&cfg),
        Method::Preferences,
        T0 + 1,
        SEED,
    );
    let ch = diff(&cfg, Some(&all), Some(&none));
    assert!(ch.has_revocation());
    assert_eq!(ch.revoked_services, vec!["google-analytics", "algolia", "mixpanel"]);
    assert_eq!(
        ch.revoked_categories,
        vec!["performance", "functionality", "marketing", "third-party"]
    );
    let ch = diff(&cfg, None, Some(&none));
    assert!(ch.is_empty(), "a first-visit reject revokes nothing: {ch:?}");
}
