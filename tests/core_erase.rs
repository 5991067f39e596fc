//! Withdrawal clean-up plans: every domain and path a tracker cookie could sit on.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{demo_config, SEED, T0};
use leptos_consent::core::{
    candidate_domains, candidate_paths, denied_services, diff, plan_erase, record_decision, Choice, ConsentConfig,
    CookieDeletion, Method,
};

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn domains_cover_host_only_and_every_parent_with_two_labels() {
    assert_eq!(
        candidate_domains("www.shop.example.test", &[]),
        vec![
            None,
            Some("www.shop.example.test".into()),
            Some("shop.example.test".into()),
            Some("example.test".into())
        ]
    );
    assert_eq!(candidate_domains("127.0.0.1", &[]), vec![None]);
    assert_eq!(candidate_domains("localhost", &[]), vec![None]);
    // A configured domain is used only where it can apply to this host.
    let d = candidate_domains("a.example.test", &[".example.test", "other.test"]);
    assert_eq!(
        d,
        vec![None, Some("a.example.test".into()), Some("example.test".into())]
    );
}

#[test]
fn paths_cover_root_every_prefix_and_configured_ones() {
    assert_eq!(candidate_paths("/", &[]), s(&["/"]));
    assert_eq!(
        candidate_paths("/blog/2024/post.html", &["/shop", "relative"]),
        s(&[
            "/",
            "/blog",
            "/blog/",
            "/blog/2024",
            "/blog/2024/",
            "/blog/2024/post.html",
            "/blog/2024/post.html/",
            "/shop"
        ])
    );
}

fn withdraw_all(cfg: &ConsentConfig) -> (Vec<String>, leptos_consent::core::ConsentRecord) {
    let all = record_decision(cfg, None, &Choice::accept_all(cfg), Method::Banner, T0, SEED);
    let none = record_decision(
        cfg,
        Some(&all),
        &Choice::reject_all(cfg),
        Method::Preferences,
        T0 + 1,
        SEED,
    );
    (diff(cfg, Some(&all), Some(&none)).revoked_services, none)
}

#[test]
fn withdrawal_plans_every_matching_cookie_on_every_domain_and_path() {
    let cfg = demo_config();
    let (revoked, after) = withdraw_all(&cfg);
    let present = s(&[
        "_ga",
        "_ga_DEMO123",
        "_gid",
        "mp_demotoken_mixpanel",
        "_ALGOLIA",
        "session",
        "lcc_consent",
    ]);
    let plan = plan_erase(
        &cfg,
        Some(&after),
        &revoked,
        &present,
        &[],
        "www.shop.example.test",
        "/blog/post",
    );
    assert_eq!(
        plan.cookie_names,
        s(&["_ga", "_ga_DEMO123", "_gid", "mp_demotoken_mixpanel", "_ALGOLIA"])
    );
    // 4 domain forms x 5 paths for each of the 5 cookies.
    assert_eq!(plan.cookies.len(), 5 * 4 * 5);
    assert!(plan.cookies.contains(&CookieDeletion {
        name: "_ga".into(),
        domain: Some("example.test".into()),
        path: "/".into()
    }));
    assert!(plan
        .cookies
        .iter()
        .all(|c| c.name != "session" && c.name != "lcc_consent"));
    let header = CookieDeletion {
        name: "_ga".into(),
        domain: Some("example.test".into()),
        path: "/".into(),
    }
    .header();
    assert_eq!(
        header,
        "_ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Domain=example.test"
    );
}

#[test]
fn only_revoked_services_are_cleaned() {
    let cfg = demo_config();
    let all = record_decision(&cfg, None, &Choice::accept_all(&cfg), Method::Banner, T0, SEED);
    let mut choice = Choice::accept_all(&cfg);
    choice.set_service(&cfg, "mixpanel", false);
    let after = record_decision(&cfg, Some(&all), &choice, Method::Preferences, T0 + 1, SEED);
    let revoked = diff(&cfg, Some(&all), Some(&after)).revoked_services;
    assert_eq!(revoked, s(&["mixpanel"]));
    let present = s(&["_ga", "mp_demotoken_mixpanel", "_ALGOLIA"]);
    let plan = plan_erase(&cfg, Some(&after), &revoked, &present, &[], "127.0.0.1", "/");
    assert_eq!(plan.cookie_names, s(&["mp_demotoken_mixpanel"]));
    assert_eq!(plan.cookies.len(), 1);
    assert_eq!(
        plan.cookies[0].header(),
        "mp_demotoken_mixpanel=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/"
    );
}

#[test]
fn storage_keys_matching_revoked_patterns_are_removed_but_never_the_consent_record() {
    let mut v: serde_json::Value = serde_json::from_str(&common::demo_config_json()).unwrap();
    v["categories"][3]["services"][0]["storage_keys"] = serde_json::json!(["mp_*", "__mp_opt_in_out_*"]);
    let cfg = ConsentConfig::from_json(&v.to_string()).unwrap();
    let (revoked, after) = withdraw_all(&cfg);
    let keys = s(&[
        "mp_demotoken_mixpanel",
        "__mp_opt_in_out_demotoken",
        "lcc_consent",
        "theme",
    ]);
    let plan = plan_erase(&cfg, Some(&after), &revoked, &[], &keys, "example.test", "/");
    assert_eq!(
        plan.storage_keys,
        s(&["mp_demotoken_mixpanel", "__mp_opt_in_out_demotoken"])
    );

    v["categories"][3]["services"][0]["storage_keys"] = serde_json::json!(["lcc_*"]);
    let e = ConsentConfig::from_json(&v.to_string()).unwrap_err().to_string();
    assert_eq!(
        e,
        "consent config: categories[3].services[0].storage_keys[0]: would erase the consent record itself"
    );
}

#[test]
fn a_first_visit_refusal_revokes_nothing_but_clears_cookies_set_before_consent() {
    let cfg = demo_config();
    let none = record_decision(&cfg, None, &Choice::reject_all(&cfg), Method::Banner, T0, SEED);
    assert!(!diff(&cfg, None, Some(&none)).has_revocation(), "so no reload");
    let denied = denied_services(&cfg, Some(&none));
    assert_eq!(denied, s(&["google-analytics", "algolia", "mixpanel"]));
    let plan = plan_erase(&cfg, Some(&none), &denied, &s(&["_ga", "theme"]), &[], "127.0.0.1", "/");
    assert_eq!(plan.cookie_names, s(&["_ga"]));
    let all = record_decision(&cfg, None, &Choice::accept_all(&cfg), Method::Banner, T0, SEED);
    assert!(denied_services(&cfg, Some(&all)).is_empty());
}

#[test]
fn path_matching_follows_rfc_6265() {
    use leptos_consent::core::path_matches;
    assert!(path_matches("/", "/shop/blog/a.html"));
    assert!(path_matches("/shop", "/shop/blog/a.html"));
    assert!(path_matches("/shop/", "/shop/blog/a.html"));
    assert!(path_matches("/shop/blog/a.html", "/shop/blog/a.html"));
    assert!(!path_matches("/shop/blog/a.html/", "/shop/blog/a.html"));
    assert!(!path_matches("/sho", "/shop/blog"));
    assert!(!path_matches("/other", "/shop"));
}

#[test]
fn http_only_probes_cover_invisible_exact_names_on_readable_forms() {
    use leptos_consent::core::plan_http_only_probe;
    let cfg = demo_config();
    let (denied, _) = withdraw_all(&cfg);
    let denied: Vec<String> = denied;
    let forms = plan_http_only_probe(&cfg, &denied, &s(&["_ALGOLIA"]), "www.shop.example.test", "/shop/blog");
    let names: std::collections::BTreeSet<_> = forms.iter().map(|f| f.name.as_str()).collect();
    // _ga_* and mp_*_mixpanel are patterns (cannot be probed); _ALGOLIA is visible (erased normally).
    assert_eq!(names.into_iter().collect::<Vec<_>>(), vec!["_ga", "_gid"]);
    // 4 domain forms x paths "/", "/shop", "/shop/", "/shop/blog" for each name.
    assert_eq!(forms.len(), 2 * 4 * 4);
    assert!(
        forms.iter().all(|f| f.path != "/shop/blog/"),
        "a path this page cannot read is never probed"
    );
}
