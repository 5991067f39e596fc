//! `lcc-check`, the ahead-of-time config check that stamps a page (`make check-config`).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::Command;

use leptos_consent::core::{checked_stamp, config_stamp, stamp_note, StampNote};

/// A fresh folder for one test's files (removed by the test at its end).
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lcc-check-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lcc-check"))
        .args(args)
        .output()
        .expect("lcc-check runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_valid_page_is_stamped_with_the_version_and_the_fingerprint_of_its_exact_config_text() {
    let dir = scratch("ok");
    let page = dir.join("page.html");
    let text = format!("\n{}\n", common::demo_config_json().trim());
    let html = format!("<html><head><script id=cc-config type=application/json data-checked=\"0.0.0 old\">{text}</script></head></html>");
    std::fs::write(&page, &html).unwrap();
    let path = page.to_str().unwrap();
    let (ok, stdout, stderr) = run(&["--write", path]);
    assert!(ok, "{stderr}");
    let stamp = checked_stamp(&text).expect("the demo config is valid");
    assert_eq!(stamp, config_stamp(&text));
    assert!(stamp.starts_with(&format!("{} ", env!("CARGO_PKG_VERSION"))), "{stamp}");
    assert!(stdout.contains(&stamp), "{stdout}");
    let written = std::fs::read_to_string(&page).unwrap();
    // The old stamp replaced, the config text untouched.
    assert_eq!(
        written,
        format!("<html><head><script id=cc-config type=application/json data-checked=\"{stamp}\">{text}</script></head></html>")
    );
    // Any edit to the text changes the stamp.
    assert_ne!(config_stamp(&text.replace("182", "181")), stamp);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_invalid_config_gets_no_stamp_and_the_error_names_the_field() {
    let dir = scratch("bad");
    let file = dir.join("config.json");
    let bad = common::demo_config_json().replace("\"marketing\"", "\"Marketing!\"");
    std::fs::write(&file, &bad).unwrap();
    let (ok, stdout, stderr) = run(&[file.to_str().unwrap()]);
    assert!(!ok);
    assert!(!stdout.contains("data-checked"), "{stdout}");
    assert!(stderr.contains("categories[3].id"), "{stderr}");
    let page = dir.join("page.html");
    std::fs::write(
        &page,
        format!("<script type=\"application/json\" id=\"cc-config\">{bad}</script>"),
    )
    .unwrap();
    let (ok, _, stderr) = run(&["--write", page.to_str().unwrap()]);
    assert!(!ok, "{stderr}");
    assert!(!std::fs::read_to_string(&page).unwrap().contains("data-checked"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_config_element_is_found_past_scripts_that_mention_it() {
    let dir = scratch("scan");
    let page = dir.join("page.html");
    let text = common::demo_config_json();
    // A pasted boot script whose text holds `<script … id="cc-config">`, before the real element.
    let html = format!(
        "<script>warn('add <script type=\\\"application/json\\\" id=\\\"cc-config\\\">');</script><SCRIPT data-x id='cc-config' type=application/json>{text}</SCRIPT>"
    );
    std::fs::write(&page, &html).unwrap();
    let (ok, stdout, stderr) = run(&["--write", page.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let stamp = checked_stamp(&text).unwrap();
    assert!(stdout.contains(&stamp), "{stdout}");
    assert!(std::fs::read_to_string(&page).unwrap().contains(&format!(
        "<SCRIPT data-x id='cc-config' type=application/json data-checked=\"{stamp}\">"
    )));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_ui_tells_of_a_stale_stamp_and_hints_a_missing_one_with_the_stamp_that_fits() {
    let text = common::demo_config_json();
    let now = checked_stamp(&text).unwrap();
    assert_eq!(stamp_note(Some(&now), &text, false, "cc-config"), None);
    assert_eq!(
        stamp_note(None, &text, true, "cc-config"),
        None,
        "a config loaded by URL is never stamped"
    );
    assert_eq!(
        stamp_note(Some("0.0.1 00000000"), &text, false, "cc-config"),
        Some(StampNote::Stale(format!(
            "#cc-config data-checked=\"0.0.1 00000000\" does not fit this config (it is \"{now}\" now): run lcc-check --write on the page"
        )))
    );
    match stamp_note(None, &text, false, "cc-config") {
        Some(StampNote::Missing(m)) => assert!(m.contains(&format!("data-checked=\"{now}\" on #cc-config")), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_page_language_with_built_in_words_but_no_site_translation_is_named_with_what_lacks_it() {
    let dir = scratch("lang");
    let page = dir.join("page.html");
    let text = common::demo_config_json();
    let html = |lang: &str, config: &str| {
        format!(
            "<html lang=\"{lang}\"><head><script id=cc-config type=application/json>{config}</script></head></html>"
        )
    };
    std::fs::write(&page, html("ar", &text)).unwrap();
    let path = page.to_str().unwrap();
    let (ok, _, stderr) = run(&[path]);
    assert!(ok, "a warning is no error: {stderr}");
    assert!(
        stderr.contains("warning")
            && stderr.contains("\"ar\"")
            && stderr.contains("\"performance\"")
            && stderr.contains("\"google-analytics\"")
            && stderr.contains("translations.ar"),
        "{stderr}"
    );
    // With the titles and descriptions translated, nothing to say.
    let mut cfg: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut cats = serde_json::Map::new();
    let mut svcs = serde_json::Map::new();
    for c in cfg["categories"].as_array().unwrap() {
        cats.insert(
            c["id"].as_str().unwrap().into(),
            serde_json::json!({ "title": "ع", "description": "ع" }),
        );
        for s in c["services"].as_array().into_iter().flatten() {
            svcs.insert(
                s["id"].as_str().unwrap().into(),
                serde_json::json!({ "title": "ع", "purpose": "ع" }),
            );
        }
    }
    cfg["translations"] = serde_json::json!({ "ar": { "categories": cats, "services": svcs } });
    std::fs::write(&page, html("ar", &cfg.to_string())).unwrap();
    let (ok, _, stderr) = run(&[path]);
    assert!(ok && !stderr.contains("warning"), "{stderr}");
    // A language without built-in words, or the default language: nothing to say either.
    for lang in ["en", "sv"] {
        std::fs::write(&page, html(lang, &text)).unwrap();
        let (ok, _, stderr) = run(&[path]);
        assert!(ok && !stderr.contains("warning"), "{lang}: {stderr}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_first_layer_description_too_long_for_a_phone_is_named() {
    let dir = scratch("long");
    let file = dir.join("config.json");
    let mut cfg: serde_json::Value = serde_json::from_str(&common::demo_config_json()).unwrap();
    cfg["texts"] = serde_json::json!({ "banner_description": "We use cookies. ".repeat(20) });
    std::fs::write(&file, cfg.to_string()).unwrap();
    let (ok, stdout, stderr) = run(&[file.to_str().unwrap()]);
    assert!(ok && stdout.contains("data-checked"), "{stderr}");
    assert!(
        stderr.contains("description in \"en\" is 320 characters") && stderr.contains("phone"),
        "{stderr}"
    );
    // The demo's config (the built-in texts) has nothing to say.
    std::fs::write(&file, common::demo_config_json()).unwrap();
    let (_, _, stderr) = run(&[file.to_str().unwrap()]);
    assert!(!stderr.contains("warning"), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}
