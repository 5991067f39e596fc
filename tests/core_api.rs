//! The JS API's commands: parsing as `window.CookieConsent` passes them, and
//! the choices `acceptCategory` / `acceptService` save (vanilla-cookieconsent v3 meaning).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::demo_config;
use leptos_consent::core::{
    accept_categories, accept_services, grant_for_embed, ApiCommand, Choice, ConsentConfig, Names,
};

fn on(cfg: &ConsentConfig, c: &Choice) -> Vec<String> {
    let mut v: Vec<String> = cfg
        .categories
        .iter()
        .filter(|k| c.category(&k.id))
        .map(|k| k.id.clone())
        .collect();
    v.extend(
        cfg.services()
            .filter(|(_, s)| c.service(&s.id))
            .map(|(_, s)| s.id.clone()),
    );
    v
}

fn names(v: &[&str]) -> Names {
    Names::Many(v.iter().map(|s| s.to_string()).collect())
}

#[test]
fn parses_every_method_with_js_arguments() {
    assert_eq!(ApiCommand::parse("show", "[]"), Ok(ApiCommand::Show));
    assert_eq!(ApiCommand::parse("show", "[true]"), Ok(ApiCommand::Show));
    assert_eq!(
        ApiCommand::parse("hidePreferences", "[]"),
        Ok(ApiCommand::HidePreferences)
    );
    assert_eq!(
        ApiCommand::parse("acceptCategory", "[]"),
        Ok(ApiCommand::AcceptCategory {
            categories: None,
            exclude: vec![]
        })
    );
    assert_eq!(
        ApiCommand::parse("acceptCategory", r#"["all",["marketing"]]"#),
        Ok(ApiCommand::AcceptCategory {
            categories: Some(Names::One("all".into())),
            exclude: vec!["marketing".into()]
        })
    );
    assert_eq!(
        ApiCommand::parse("acceptCategory", r#"[null,null]"#),
        Ok(ApiCommand::AcceptCategory {
            categories: None,
            exclude: vec![]
        })
    );
    assert_eq!(
        ApiCommand::parse("acceptService", r#"[["mixpanel"],"marketing"]"#),
        Ok(ApiCommand::AcceptService {
            services: names(&["mixpanel"]),
            category: "marketing".into()
        })
    );
    assert_eq!(
        ApiCommand::parse("eraseCookies", r#"["_ga*","/","example.test"]"#),
        Ok(ApiCommand::EraseCookies {
            names: vec!["_ga*".into()],
            path: Some("/".into()),
            domain: Some("example.test".into())
        })
    );
    assert_eq!(
        ApiCommand::parse("reset", "[true]"),
        Ok(ApiCommand::Reset { erase: true })
    );
    assert_eq!(ApiCommand::parse("reset", "[]"), Ok(ApiCommand::Reset { erase: false }));
}

#[test]
fn malformed_calls_name_the_method_and_the_mistake() {
    let e = ApiCommand::parse("acceptCategory", "[42]").unwrap_err().to_string();
    assert!(e.starts_with("CookieConsent.acceptCategory: categories must be"), "{e}");
    let e = ApiCommand::parse("acceptService", r#"["all"]"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("name the category"), "{e}");
    let e = ApiCommand::parse("acceptService", r#"[]"#).unwrap_err().to_string();
    assert!(e.contains("name the services"), "{e}");
    let e = ApiCommand::parse("eraseCookies", r#"[]"#).unwrap_err().to_string();
    assert!(e.contains("name the cookies"), "{e}");
    let e = ApiCommand::parse("grantEverything", "[]").unwrap_err().to_string();
    assert_eq!(e, "CookieConsent.grantEverything is not a method");
    assert!(ApiCommand::parse("show", "{").is_err());
}

#[test]
fn accept_category_accepts_exactly_what_it_names() {
    let cfg = demo_config();
    let nothing = Choice::reject_all(&cfg);
    // A single name accepts only that category, with all its services.
    let (c, unknown) = accept_categories(&cfg, &nothing, Some(&Names::One("performance".into())), &[]);
    assert_eq!(on(&cfg, &c), ["necessary", "performance", "google-analytics"]);
    assert!(unknown.is_empty());
    // Everything else is refused, even what was on before.
    let all = Choice::accept_all(&cfg);
    let (c, _) = accept_categories(&cfg, &all, Some(&names(&["marketing"])), &[]);
    assert_eq!(on(&cfg, &c), ["necessary", "marketing", "mixpanel"]);
    // [] keeps only the read-only category.
    let (c, _) = accept_categories(&cfg, &all, Some(&names(&[])), &[]);
    assert_eq!(c, Choice::reject_all(&cfg));
    // "all" minus an exclusion.
    let (c, _) = accept_categories(&cfg, &nothing, Some(&Names::One("all".into())), &["marketing".into()]);
    let mut expected = Choice::accept_all(&cfg);
    expected.set_category(&cfg, "marketing", false);
    assert_eq!(c, expected);
}

#[test]
fn accept_category_without_names_saves_the_current_switches() {
    let cfg = demo_config();
    let mut current = Choice::reject_all(&cfg);
    current.set_service(&cfg, "algolia", true);
    let (c, _) = accept_categories(&cfg, &current, None, &[]);
    assert_eq!(c, current);
    let (c, _) = accept_categories(&cfg, &current, None, &["functionality".into()]);
    assert_eq!(c, Choice::reject_all(&cfg));
}

#[test]
fn accept_category_never_refuses_the_necessary_category_and_reports_unknown_names() {
    let cfg = demo_config();
    let all = Choice::accept_all(&cfg);
    let (c, unknown) = accept_categories(
        &cfg,
        &all,
        Some(&names(&["analytics", "performance"])),
        &["necessary".into(), "ads".into()],
    );
    assert!(c.category("necessary"));
    assert_eq!(on(&cfg, &c), ["necessary", "performance", "google-analytics"]);
    assert_eq!(unknown, ["analytics", "ads"]);
}

#[test]
fn accept_service_switches_within_one_category_only() {
    let cfg = demo_config();
    let mut current = Choice::reject_all(&cfg);
    current.set_category(&cfg, "performance", true);
    let (c, unknown) = accept_services(&cfg, &current, &Names::One("mixpanel".into()), "marketing").unwrap();
    assert_eq!(
        on(&cfg, &c),
        ["necessary", "performance", "marketing", "google-analytics", "mixpanel"]
    );
    assert!(unknown.is_empty());
    // [] refuses every service of the category, and so the category.
    let (c, _) = accept_services(&cfg, &c, &names(&[]), "marketing").unwrap();
    assert_eq!(on(&cfg, &c), ["necessary", "performance", "google-analytics"]);
    // "all", and names of another category are reported, not granted.
    let (c, unknown) = accept_services(&cfg, &current, &names(&["algolia", "mixpanel"]), "marketing").unwrap();
    assert_eq!(unknown, ["algolia"]);
    assert!(!c.service("algolia"));
    assert!(c.service("mixpanel"));
    assert!(accept_services(&cfg, &current, &Names::One("all".into()), "ads").is_none());
    // Services of the read-only category cannot be switched off.
    let (c, _) = accept_services(&cfg, &Choice::reject_all(&cfg), &names(&[]), "necessary").unwrap();
    assert!(c.category("necessary"));
}

#[test]
fn erase_cookies_plans_every_reachable_form_of_the_matching_cookies_only() {
    use leptos_consent::core::plan_erase_cookies;
    let present: Vec<String> = ["_ga", "_ga_X1", "session", "lcc_consent"].map(String::from).into();
    let plan = plan_erase_cookies(
        &["_ga*".into()],
        None,
        None,
        &present,
        "www.shop.example.test",
        "/blog/a",
    );
    assert_eq!(plan.cookie_names, ["_ga", "_ga_X1"]);
    let forms: Vec<String> = plan
        .cookies
        .iter()
        .filter(|c| c.name == "_ga")
        .map(|c| c.header())
        .collect();
    assert!(
        forms.iter().any(|h| h.ends_with("Path=/; Domain=example.test")),
        "{forms:?}"
    );
    assert!(forms.iter().any(|h| h.ends_with("Path=/blog")), "{forms:?}");
    let plan = plan_erase_cookies(
        &["session".into()],
        Some("/"),
        Some(".shop.example.test"),
        &present,
        "www.shop.example.test",
        "/",
    );
    let forms: Vec<String> = plan.cookies.iter().map(|c| c.header()).collect();
    assert_eq!(
        forms.len(),
        2,
        "host-only and the given domain, on the given path: {forms:?}"
    );
    assert!(forms[1].ends_with("Path=/; Domain=shop.example.test"));
    assert!(plan_erase_cookies(&["nothing".into()], None, None, &present, "a.test", "/").is_empty());
}

#[test]
fn load_content_grants_exactly_the_embed_and_keeps_the_rest() {
    let cfg = demo_config();
    let mut current = Choice::reject_all(&cfg);
    current.set_category(&cfg, "performance", true);
    let c = grant_for_embed(&cfg, &current, "marketing", Some("mixpanel"));
    assert_eq!(
        on(&cfg, &c),
        ["necessary", "performance", "marketing", "google-analytics", "mixpanel"]
    );
    let c = grant_for_embed(&cfg, &current, "third-party", None);
    assert_eq!(
        on(&cfg, &c),
        ["necessary", "performance", "third-party", "google-analytics"]
    );
}
