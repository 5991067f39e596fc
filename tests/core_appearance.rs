//! Layouts, positions and colour schemes: the classes the first layer gets,
//! held equal to the early banner's by a shared table, and clear errors for
//! a value the stylesheet does not know.

use leptos_consent::core::{Appearance, ConsentConfig, Layout, Scheme};

mod common;

fn config(appearance: Option<&serde_json::Value>) -> Result<ConsentConfig, String> {
    common::bare_config(&appearance.map_or(serde_json::json!({}), |a| serde_json::json!({ "appearance": a })))
}

#[test]
fn the_shared_appearance_table() {
    let table: serde_json::Value = serde_json::from_str(include_str!("shared-cases/appearance.json")).unwrap();
    let cases = table["cases"].as_array().unwrap();
    assert!(cases.len() >= 12);
    for case in cases {
        let a = case["appearance"].as_object().map(|_| &case["appearance"]);
        let cfg = config(a).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(
            cfg.appearance.banner_class(),
            case["banner"].as_str().unwrap(),
            "{case}"
        );
        assert_eq!(
            cfg.appearance.scheme_class(),
            case["scheme"].as_str().unwrap(),
            "{case}"
        );
        assert_eq!(cfg.appearance.at_top(), case["top"].as_bool().unwrap(), "{case}");
    }
}

#[test]
fn no_appearance_is_the_bottom_bar_in_light() {
    let a = config(None).unwrap().appearance;
    assert_eq!(a, Appearance::default());
    assert_eq!((a.layout, a.scheme, a.position), (Layout::Bar, Scheme::Light, None));
}

#[test]
fn an_unknown_layout_position_scheme_or_field_is_an_error_naming_it() {
    let e = config(Some(&serde_json::json!({ "layout": "sidebar" }))).unwrap_err();
    assert!(
        e.contains("appearance.layout") && e.contains("sidebar") && e.contains("cloud"),
        "{e}"
    );
    let e = config(Some(&serde_json::json!({ "position": "middle" }))).unwrap_err();
    assert!(e.contains("appearance.position") && e.contains("bottom-left"), "{e}");
    let e = config(Some(&serde_json::json!({ "scheme": "sepia" }))).unwrap_err();
    assert!(e.contains("appearance.scheme") && e.contains("auto"), "{e}");
    let e = config(Some(&serde_json::json!({ "theme": "dark" }))).unwrap_err();
    assert!(e.contains("appearance") && e.contains("theme"), "{e}");
}
