//! Which gated scripts run: category, service, `!category`, unknown names, run-once.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{demo_config, SEED, T0};
use leptos_consent::core::{
    granted_service_scripts, plan_activation, record_decision, Choice, GateError, GateRule, Method, PageScript,
};

fn script(category: &str, service: Option<&str>) -> PageScript {
    PageScript {
        category: category.into(),
        service: service.map(Into::into),
        done: false,
    }
}

fn page() -> Vec<PageScript> {
    vec![
        script("performance", Some("google-analytics")),
        script("performance", None),
        script("marketing", Some("mixpanel")),
        script("third-party", None),
        script("!performance", None),
        script("necessary", None),
        script("performance", Some("!google-analytics")),
        script("nonsense", None),
        script("marketing", Some("google-analytics")),
    ]
}

#[test]
fn nothing_optional_runs_before_a_choice() {
    let cfg = demo_config();
    let plan = plan_activation(&cfg, None, &page());
    assert_eq!(plan.run, vec![5], "only the necessary script");
    assert_eq!(plan.rejected.len(), 2);
    assert_eq!(plan.rejected[0], (7, GateError::UnknownCategory("nonsense".into())));
    assert!(matches!(plan.rejected[1], (8, GateError::WrongCategory { .. })));
}

#[test]
fn accept_all_runs_every_consent_script_in_document_order() {
    let cfg = demo_config();
    let r = record_decision(&cfg, None, &Choice::accept_all(&cfg), Method::Banner, T0, SEED);
    assert_eq!(plan_activation(&cfg, Some(&r), &page()).run, vec![0, 1, 2, 3, 5]);
    let scripts: Vec<_> = granted_service_scripts(&cfg, Some(&r))
        .into_iter()
        .map(|(id, s)| (id, s.src.as_str()))
        .collect();
    assert_eq!(scripts, vec![("algolia", "tags/algolia-standin.js")]);
}

#[test]
fn reject_all_runs_the_refusal_scripts() {
    let cfg = demo_config();
    let r = record_decision(&cfg, None, &Choice::reject_all(&cfg), Method::Banner, T0, SEED);
    assert_eq!(plan_activation(&cfg, Some(&r), &page()).run, vec![4, 5, 6]);
    assert!(granted_service_scripts(&cfg, Some(&r)).is_empty());
}

#[test]
fn a_single_service_runs_alone() {
    let cfg = demo_config();
    let mut choice = Choice::reject_all(&cfg);
    choice.set_service(&cfg, "mixpanel", true);
    let r = record_decision(&cfg, None, &choice, Method::Preferences, T0, SEED);
    // mixpanel (2); performance refused (4); necessary (5); GA refused (6).
    assert_eq!(plan_activation(&cfg, Some(&r), &page()).run, vec![2, 4, 5, 6]);
    assert!(granted_service_scripts(&cfg, Some(&r)).is_empty(), "algolia stays off");
}

#[test]
fn scripts_already_run_are_not_planned_again() {
    let cfg = demo_config();
    let r = record_decision(&cfg, None, &Choice::accept_all(&cfg), Method::Banner, T0, SEED);
    let mut scripts = page();
    scripts[0].done = true;
    scripts[5].done = true;
    assert_eq!(plan_activation(&cfg, Some(&r), &scripts).run, vec![1, 2, 3]);
}

#[test]
fn parses_attribute_forms() {
    let cfg = demo_config();
    assert_eq!(
        GateRule::parse(&cfg, " !marketing ", None),
        Ok(GateRule::CategoryRefused("marketing".into()))
    );
    assert_eq!(
        GateRule::parse(&cfg, "marketing", Some("")),
        Ok(GateRule::Category("marketing".into()))
    );
    assert_eq!(
        GateRule::parse(&cfg, "marketing", Some("!mixpanel")),
        Ok(GateRule::ServiceRefused("mixpanel".into()))
    );
    assert_eq!(GateRule::parse(&cfg, "", None), Err(GateError::EmptyCategory));
    assert_eq!(GateRule::parse(&cfg, "!", None), Err(GateError::EmptyCategory));
    assert_eq!(
        GateRule::parse(&cfg, "!marketing", Some("mixpanel")),
        Err(GateError::NegatedCategoryWithService)
    );
    assert_eq!(
        GateRule::parse(&cfg, "marketing", Some("hotjar")),
        Err(GateError::UnknownService("hotjar".into()))
    );
}
