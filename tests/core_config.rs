//! Config parsing and validation: every error names the exact field.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use leptos_consent::core::ConsentConfig;

fn err(json: &str) -> String {
    ConsentConfig::from_json(json)
        .expect_err("config should be refused")
        .to_string()
}

/// Builds the demo config with one JSON edit applied: `pointer` names the
/// field to set (its parent must exist), `value` its new value.
fn demo_with(pointer: &str, value: serde_json::Value) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&common::demo_config_json()).unwrap();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = v.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent}"));
    match parent {
        serde_json::Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        other => other[key] = value,
    }
    v.to_string()
}

#[test]
fn demo_config_is_valid_with_defaults() {
    let cfg = common::demo_config();
    assert_eq!(cfg.revision, 1);
    assert_eq!(cfg.expires_after_days, 182);
    assert_eq!(cfg.categories.len(), 5);
    assert_eq!(cfg.services().count(), 3);
    assert_eq!(cfg.texts.accept_all, "Accept all");
}

#[test]
fn minimal_config_gets_defaults() {
    let cfg = ConsentConfig::from_json(r#"{"categories":[{"id":"necessary","title":"N","read_only":true}]}"#).unwrap();
    assert_eq!(cfg.expires_after_days, 182);
    assert_eq!(cfg.storage_key, "lcc_consent");
    assert_eq!(cfg.revision, 0);
}

#[test]
fn empty_cookie_pattern_names_the_exact_field() {
    let json = demo_with("/categories/1/services/0/cookies/1/name", "".into());
    assert_eq!(
        err(&json),
        "consent config: categories[1].services[0].cookies[1].name: empty pattern"
    );
}

#[test]
fn expiry_over_395_days_is_refused() {
    let e = err(&demo_with("/expires_after_days", 400.into()));
    assert!(
        e.starts_with("consent config: expires_after_days: 400 days is longer than the 395-day"),
        "{e}"
    );
    assert!(ConsentConfig::from_json(&demo_with("/expires_after_days", 395.into())).is_ok());
    assert!(err(&demo_with("/expires_after_days", 0.into())).contains("expires_after_days"));
}

#[test]
fn unknown_fields_are_errors_with_their_path() {
    let mut v: serde_json::Value = serde_json::from_str(&common::demo_config_json()).unwrap();
    v["categories"][2]["services"][0]["enabled"] = true.into();
    let e = err(&v.to_string());
    assert!(
        e.contains("categories[2].services[0].enabled") && e.contains("unknown field `enabled`"),
        "{e}"
    );

    let e = err(r#"{"categories":[],"revison":2}"#);
    assert!(e.contains("unknown field `revison`"), "{e}");
}

#[test]
fn texts_take_known_words_once_each() {
    let cfg = ConsentConfig::from_json(&demo_with(
        "/texts",
        serde_json::json!({ "accept_all": "Yes", "gpc_applied": "G" }),
    ))
    .unwrap();
    assert_eq!(cfg.texts.accept_all, "Yes");
    assert_eq!(cfg.texts.gpc_applied, "G");
    assert_eq!(cfg.texts.reject_all, "Reject all", "a word not given keeps its default");

    let e = err(&demo_with("/texts", serde_json::json!({ "acept_all": "Yes" })));
    assert!(
        e.contains("texts.acept_all") && e.contains("unknown field `acept_all`, expected one of `banner_title`"),
        "{e}"
    );
    let e = err(&demo_with("/texts", serde_json::json!({ "save": 5 })));
    assert!(
        e.contains("texts.save") && e.contains("invalid type: integer `5`, expected a string"),
        "{e}"
    );
    let e = err(&demo_with("/texts", serde_json::json!(["Yes"])));
    assert!(e.contains("texts") && e.contains("expected struct Texts"), "{e}");
    // (serde_json::Value cannot hold a key twice: the text is written out.)
    let twice = common::demo_config_json().replacen(
        "\"categories\"",
        "\"texts\": { \"save\": \"A\", \"save\": \"B\" }, \"categories\"",
        1,
    );
    let e = err(&twice);
    assert!(e.contains("texts.save") && e.contains("duplicate field `save`"), "{e}");
}

#[test]
fn a_category_cannot_be_on_by_default() {
    // Ported configs often say "enabled": the error says what to do about it.
    let e = err(
        r#"{"categories":[{"id":"necessary","title":"N","read_only":true},{"id":"marketing","title":"M","enabled":true}]}"#,
    );
    assert_eq!(
        e,
        "consent config: categories[1].enabled: an optional category cannot be on before the visitor chooses: remove \"enabled\""
    );
    // Saying it is off is harmless.
    assert!(leptos_consent::core::ConsentConfig::from_json(
        r#"{"categories":[{"id":"necessary","title":"N","read_only":true,"enabled":true},{"id":"marketing","title":"M","enabled":false}]}"#
    )
    .is_ok());
}

#[test]
fn read_only_is_only_for_necessary() {
    let e = err(&demo_with("/categories/3/read_only", true.into()));
    assert_eq!(
        e,
        "consent config: categories[3].read_only: only the \"necessary\" category may be read-only"
    );
    let e = err(&demo_with("/categories/0/read_only", false.into()));
    assert!(e.starts_with("consent config: categories[0].read_only:"), "{e}");
}

#[test]
fn identifiers_must_be_plain_and_unique() {
    assert!(
        err(&demo_with("/categories/2/id", "performance".into())).contains("categories[2].id: duplicate category id")
    );
    assert!(err(&demo_with("/categories/3/services/0/id", "algolia".into()))
        .contains("categories[3].services[0].id: duplicate service id"));
    assert!(err(&demo_with("/categories/1/id", "Perf ormance".into())).contains("categories[1].id: id"));
    assert!(err(&demo_with("/categories/1/id", "".into())).contains("categories[1].id: empty id"));
}

#[test]
fn policy_urls_must_be_http_or_relative() {
    for bad in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        " javascript:x",
        "java\tscript:x",
    ] {
        let e = err(&demo_with("/categories/1/services/0/privacy_policy_url", bad.into()));
        assert!(e.contains("categories[1].services[0].privacy_policy_url"), "{bad}: {e}");
    }
    for good in [
        "https://example.com/p",
        "http://x.test",
        "/privacy",
        "privacy.html",
        "#privacy",
        "//cdn.test/p",
        "./p?a=b:c",
    ] {
        assert!(
            ConsentConfig::from_json(&demo_with("/categories/1/services/0/privacy_policy_url", good.into())).is_ok(),
            "{good}"
        );
    }
    assert!(err(&demo_with("/privacy_policy_url", "javascript:void(0)".into()))
        .starts_with("consent config: privacy_policy_url:"));
}

#[test]
fn scripts_need_safe_src_and_real_integrity() {
    let script = serde_json::json!([{ "src": "data:text/javascript,alert(1)" }]);
    assert!(err(&demo_with("/categories/1/services/0/scripts", script))
        .contains("categories[1].services[0].scripts[0].src"));
    let script = serde_json::json!([{ "src": "/tag.js", "integrity": "md5-abc" }]);
    assert!(err(&demo_with("/categories/1/services/0/scripts", script))
        .contains("categories[1].services[0].scripts[0].integrity"));
    let script = serde_json::json!([{ "src": "/tag.js", "integrity": "sha384-abc" }]);
    assert!(ConsentConfig::from_json(&demo_with("/categories/1/services/0/scripts", script)).is_ok());
}

#[test]
fn wrong_types_and_missing_fields_name_the_field() {
    let e = err(&demo_with("/revision", "2".into()));
    assert!(e.contains("revision"), "{e}");
    let mut v: serde_json::Value = serde_json::from_str(&common::demo_config_json()).unwrap();
    v["categories"][1]["services"][0]
        .as_object_mut()
        .unwrap()
        .remove("provider");
    let e = err(&v.to_string());
    assert!(e.contains("categories[1].services[0]") && e.contains("provider"), "{e}");
    assert!(err("not json").starts_with("consent config:"));
    assert!(err(r#"{"categories":[]}"#).contains("categories: at least one category"));
}

#[test]
fn empty_texts_and_bad_cookie_paths_are_refused() {
    assert_eq!(err(&demo_with("/categories/1/services/0/cookies/0/name", "_g a".into())), "consent config: categories[1].services[0].cookies[0].name: pattern contains a character not allowed in cookie names");
    let mut v: serde_json::Value = serde_json::from_str(&common::demo_config_json()).unwrap();
    v["texts"] = serde_json::json!({ "accept_all": "  " });
    assert_eq!(err(&v.to_string()), "consent config: texts.accept_all: empty text");
    v["texts"] = serde_json::json!({});
    v["categories"][1]["services"][0]["cookies"][0]["path"] = "blog".into();
    assert_eq!(
        err(&v.to_string()),
        "consent config: categories[1].services[0].cookies[0].path: must start with '/'"
    );
}

#[test]
fn the_inline_demo_config_and_consent_config_json_are_the_same() {
    // The same settings (the texts they were read from differ in spacing).
    let inline = ConsentConfig {
        text: None,
        ..common::demo_config()
    };
    let file = ConsentConfig {
        text: None,
        ..ConsentConfig::from_json(include_str!("../consent-config.json")).expect("consent-config.json is valid")
    };
    assert_eq!(
        inline, file,
        "index.html's inline config drifted from consent-config.json"
    );
}

#[test]
fn the_boot_marker_binds_the_config_text_and_the_standing_record() {
    use leptos_consent::core::{boot_marker, config_fingerprint};
    let text = common::demo_config_json();
    assert_eq!(boot_marker(&text, None), config_fingerprint(&text));
    let cfg = common::demo_config();
    let record = leptos_consent::core::record_decision(
        &cfg,
        None,
        &leptos_consent::core::Choice::accept_all(&cfg),
        leptos_consent::core::Method::Banner,
        1_700_000_000_000,
        [7; 16],
    )
    .encode();
    let marker = boot_marker(&text, Some(&record));
    assert_eq!(
        marker,
        format!("{} {}", config_fingerprint(&text), config_fingerprint(&record))
    );
    // One character more in either text: another marker.
    assert_ne!(boot_marker(&format!("{text} "), Some(&record)), marker);
    // A record this crate's decoder refuses is never attested.
    assert_eq!(
        boot_marker(&text, Some(&format!("{record} "))),
        config_fingerprint(&text)
    );
    assert_eq!(boot_marker(&text, Some("{\"v\":1}")), config_fingerprint(&text));
}

#[test]
fn a_cookie_mirror_takes_only_what_cannot_add_a_cookie_attribute() {
    let with = |m: serde_json::Value| {
        let mut v: serde_json::Value = serde_json::from_str(&common::demo_config_json()).unwrap();
        v["cookie_mirror"] = m;
        ConsentConfig::from_json(&v.to_string())
    };
    let ok = with(serde_json::json!({ "name": "cc_cookie", "domain": "example.com", "path": "/shop" })).unwrap();
    let m = ok.cookie_mirror.unwrap();
    assert_eq!(
        (m.name.as_str(), m.domain.as_deref(), m.path.as_deref()),
        ("cc_cookie", Some("example.com"), Some("/shop"))
    );
    for (bad, field) in [
        (serde_json::json!({ "name": "" }), "cookie_mirror.name"),
        (
            serde_json::json!({ "name": "cc; Domain=evil.test" }),
            "cookie_mirror.name",
        ),
        (serde_json::json!({ "name": "a=b" }), "cookie_mirror.name"),
        (
            serde_json::json!({ "name": "cc", "domain": "evil.test; Secure" }),
            "cookie_mirror.domain",
        ),
        (
            serde_json::json!({ "name": "cc", "path": "shop" }),
            "cookie_mirror.path",
        ),
        (
            serde_json::json!({ "name": "cc", "path": "/; Domain=evil.test" }),
            "cookie_mirror.path",
        ),
        (
            serde_json::json!({ "name": "cc", "secure": true }),
            "cookie_mirror.secure",
        ),
    ] {
        let e = with(bad.clone()).unwrap_err().to_string();
        assert!(e.contains(field), "{bad}: {e}");
    }
}

#[test]
fn every_problem_of_a_config_is_named_at_once_with_its_path() {
    // A service written without provider, purpose and privacy policy, and a category without a
    // title: one check names all four, each with its path and what a right value looks like.
    let mut v: serde_json::Value = serde_json::from_str(&common::demo_config_json()).unwrap();
    let svc = v["categories"][1]["services"][0].as_object_mut().unwrap();
    for f in ["provider", "purpose", "privacy_policy_url"] {
        svc.remove(f);
    }
    v["categories"][2].as_object_mut().unwrap().remove("title");
    let e = ConsentConfig::from_json(&v.to_string()).unwrap_err();
    let all: Vec<(&str, &str)> = e.all().collect();
    assert_eq!(
        all.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        [
            "categories[1].services[0].provider",
            "categories[1].services[0].purpose",
            "categories[1].services[0].privacy_policy_url",
            "categories[2].title",
        ]
    );
    assert!(all.iter().all(|(_, m)| m.starts_with("required: ")), "{all:?}");
    assert!(
        all[0].1.contains("who processes their data") && all[1].1.contains("what for"),
        "{all:?}"
    );
    let text = e.to_string();
    assert!(
        text.starts_with("consent config: 4 problems:\n  categories[1].services[0].provider: required"),
        "{text}"
    );
}

#[test]
fn the_necessary_only_config_passes_its_own_checks_and_grants_nothing_optional() {
    let cfg = ConsentConfig::necessary_only();
    assert!(leptos_consent::core::validate_config(&cfg).is_ok());
    assert_eq!(cfg.categories.len(), 1);
    assert!(!leptos_consent::core::category_granted(&cfg, None, "marketing"));
}
