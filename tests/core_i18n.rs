//! Languages: the built-in word files are complete translations, the language
//! is chosen as documented, and a missing word falls back to the default
//! language, never to a key.

use std::collections::BTreeSet;

use leptos_consent::core::{has_words_file, is_rtl, match_language, ConsentConfig, Texts, Words, BUILT_IN_LANGUAGES};

mod common;

fn words(lang: &str) -> Words {
    let path = format!("{}/i18n/{lang}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn english() -> Words {
    Texts::default().words()
}

fn placeholders(text: &str) -> BTreeSet<String> {
    text.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}'))
        .map(|(p, _)| p.to_owned())
        .collect()
}

#[test]
fn every_built_in_language_has_every_word_translated_with_its_placeholders() {
    let en = english();
    assert_eq!(en.len(), Texts::KEYS.len());
    for lang in BUILT_IN_LANGUAGES.iter().filter(|l| **l != "en") {
        let w = words(lang);
        let keys: BTreeSet<_> = w.keys().collect();
        let expected: BTreeSet<_> = en.keys().collect();
        assert_eq!(keys, expected, "{lang}: the same words as English, no more, no fewer");
        let mut same = Vec::new();
        for (k, english_text) in &en {
            let t = &w[k];
            assert!(!t.trim().is_empty(), "{lang}.{k} is empty");
            assert_ne!(t, k, "{lang}.{k} is the raw key");
            assert_eq!(placeholders(t), placeholders(english_text), "{lang}.{k}: placeholders");
            assert!(
                !t.contains('<') && !t.contains('>'),
                "{lang}.{k}: words are text, not markup"
            );
            if t == english_text {
                same.push(k.as_str());
            }
        }
        // Only words that are the same in both languages ("Cookie", "OK", "Services") may match.
        assert!(same.len() <= 4, "{lang}: {same:?} are still English");
    }
}

#[test]
fn the_demo_config_and_a_bare_one_accept_every_built_in_language() {
    for lang in BUILT_IN_LANGUAGES {
        let json = common::demo_config_json().replacen('{', &format!("{{\"language\": \"{lang}\","), 1);
        let cfg = ConsentConfig::from_json(&json).unwrap_or_else(|e| panic!("{lang}: {e}"));
        assert_eq!(cfg.choose_language(None, &[]), lang);
    }
}

fn config(extra: &str) -> ConsentConfig {
    let json = format!(
        r#"{{ "revision": 1, {extra} "categories": [
            {{ "id": "necessary", "title": "Necessary", "read_only": true }},
            {{ "id": "marketing", "title": "Marketing", "description": "Offers", "services": [
                {{ "id": "ads", "title": "Ads", "provider": "P", "purpose": "Shows ads", "privacy_policy_url": "/p" }}
            ] }}
        ] }}"#
    );
    ConsentConfig::from_json(&json).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

fn langs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn the_language_comes_from_the_config_then_the_page_then_the_browser_then_the_default() {
    let cfg = config("");
    assert_eq!(cfg.choose_language(None, &[]), "en");
    assert_eq!(
        cfg.choose_language(Some("de-AT"), &langs(&["fr"])),
        "de",
        "<html lang> first, region dropped"
    );
    assert_eq!(
        cfg.choose_language(None, &langs(&["en-US", "fr"])),
        "en",
        "en-US matches en"
    );
    assert_eq!(
        cfg.choose_language(None, &langs(&["sv", "pt-BR"])),
        "pt",
        "the first available of the browser's"
    );
    assert_eq!(
        cfg.choose_language(Some("sv"), &langs(&["ja-JP"])),
        "ja",
        "an unavailable page language is skipped"
    );
    assert_eq!(
        cfg.choose_language(None, &langs(&["zh-TW", "zh-CN"])),
        "zh",
        "Traditional is not Simplified"
    );
    assert_eq!(cfg.choose_language(None, &langs(&["zh-Hant"])), "en");
    assert_eq!(cfg.choose_language(None, &langs(&["zh-Hans-CN"])), "zh");
    assert_eq!(cfg.choose_language(Some(" AR "), &[]), "ar");
    let forced = config(r#""language": "fr","#);
    assert_eq!(
        forced.choose_language(Some("de"), &langs(&["es"])),
        "fr",
        "the config wins"
    );
    let own =
        config(r#""default_language": "sv", "translations": { "sv": { "texts": { "accept_all": "Godkänn alla" } } },"#);
    assert_eq!(
        own.choose_language(None, &langs(&["sv-SE"])),
        "sv",
        "a language the site translates into"
    );
    assert_eq!(own.choose_language(None, &langs(&["fi"])), "sv", "else the default");
    assert_eq!(match_language("", &langs(&["en"])), None);
    assert!(has_words_file("de") && has_words_file("ar") && !has_words_file("en") && !has_words_file("sv"));
    assert!(is_rtl("ar") && is_rtl("ar-EG") && is_rtl("he") && !is_rtl("en") && !is_rtl("zh"));
}

#[test]
fn words_come_from_the_site_then_the_language_then_the_default_language() {
    let cfg = config(
        r#""texts": { "banner_title": "Field Notes uses cookies" },
           "translations": {
             "de": { "texts": { "accept_all": "Ja, gerne" },
                     "categories": { "marketing": { "title": "Werbung" } },
                     "services": { "ads": { "purpose": "Zeigt Werbung" } } },
             "sv": { "texts": { "accept_all": "Godkänn alla" } }
           },"#,
    );
    let de = words("de");
    let german = cfg.localized("de", None, Some(&de));
    assert_eq!(german.texts.accept_all, "Ja, gerne", "the site's word for the language");
    assert_eq!(german.texts.reject_all, de["reject_all"], "else the built-in word");
    assert_eq!(
        german.texts.banner_title, de["banner_title"],
        "the site's English title is not German"
    );
    assert_eq!(german.categories[1].title, "Werbung");
    assert_eq!(
        german.categories[1].description, "Offers",
        "an untranslated description falls back"
    );
    assert_eq!(german.categories[1].services[0].purpose, "Zeigt Werbung");
    assert_eq!(german.categories[1].services[0].title, "Ads");

    // A language with only a few words of the site's own: the rest in the default language, never a key.
    let swedish = cfg.localized("sv", None, None);
    assert_eq!(swedish.texts.accept_all, "Godkänn alla");
    assert_eq!(swedish.texts.reject_all, "Reject all");
    assert_eq!(swedish.texts.banner_title, "Field Notes uses cookies");
    let all = swedish.texts.words();
    assert!(
        all.values()
            .all(|v| !v.is_empty() && !Texts::KEYS.contains(&v.as_str())),
        "{all:?}"
    );

    assert!(cfg.can_show("de", true) && !cfg.can_show("de-at", false) && cfg.can_show("sv", false));
    assert!(cfg.can_show("en", false) && cfg.can_show("EN", false) && !cfg.can_show("fr", false));

    // English: the config as written.
    assert_eq!(cfg.localized("en", None, None).texts, cfg.texts);
}

#[test]
fn a_default_language_other_than_english_fills_unset_words_from_its_built_in_words() {
    let cfg = config(r#""default_language": "fr", "texts": { "accept_all": "Oui à tout" },"#);
    let fr = words("fr");
    let french = cfg.localized("fr", Some(&fr), Some(&fr));
    assert_eq!(french.texts.accept_all, "Oui à tout", "the site's own word stays");
    assert_eq!(french.texts.reject_all, fr["reject_all"]);
    // Another language falls back to French, not English, where it lacks a word.
    let de = cfg.localized("de", Some(&fr), None);
    assert_eq!(de.texts.reject_all, fr["reject_all"]);
    // English is built in: an English visitor gets English, not the site's French.
    let en = cfg.localized("en", Some(&fr), None);
    assert_eq!(en.texts.reject_all, "Reject all");
    assert_eq!(en.texts.accept_all, "Accept all");
}

#[test]
fn bad_language_settings_are_named() {
    let err = |extra: &str| {
        let json = format!(
            r#"{{ "revision": 1, {extra} "categories": [ {{ "id": "necessary", "title": "N", "read_only": true }} ] }}"#
        );
        ConsentConfig::from_json(&json).unwrap_err().to_string()
    };
    assert!(
        err(r#""language": "xx","#).contains("language: \"xx\" has no words"),
        "{}",
        err(r#""language": "xx","#)
    );
    let e = err(r#""translations": { "de": { "texts": { "acept_all": "Ja" } } },"#);
    assert!(e.contains("translations.de.texts.acept_all: not a word"), "{e}");
    let e = err(r#""translations": { "de": { "categories": { "ads": { "title": "W" } } } },"#);
    assert!(e.contains("translations.de.categories.ads"), "{e}");
    let e = err(r#""translations": { "de": { "texts": { "accept_all": " " } } },"#);
    assert!(e.contains("translations.de.texts.accept_all: empty text"), "{e}");
    let e = err(r#""default_language": "en us","#);
    assert!(e.contains("default_language"), "{e}");
    let e = err(r#""translations": { "de": { "titles": {} } },"#);
    assert!(e.contains("translations"), "{e}");
}

#[test]
fn the_shared_language_table() {
    let table: serde_json::Value = serde_json::from_str(include_str!("shared-cases/languages.json")).unwrap();
    let cases = table["cases"].as_array().unwrap();
    assert!(cases.len() >= 15);
    for case in cases {
        let cfg = common::bare_config(&case["config"]).unwrap_or_else(|e| panic!("{case}: {e}"));
        let browser: Vec<String> = serde_json::from_value(case["browser"].clone()).unwrap();
        let got = cfg.choose_language(case["html"].as_str(), &browser);
        assert_eq!(got, case["expect"].as_str().unwrap(), "{case}");
    }
}

/// The early banner resolves its words in JS (boot/words.mjs): this writes the
/// core's answers for configs × languages to `target/shared-cases/words.json`,
/// which tests/mirror/boot-logic.test.mjs replays against it.
#[test]
fn the_shared_banner_words_table_is_written_for_the_js_side() {
    let demo: serde_json::Value = serde_json::from_str(&common::demo_config_json()).unwrap();
    let with = |patch: serde_json::Value| {
        let mut c = demo.clone();
        for (k, v) in patch.as_object().unwrap() {
            c[k] = v.clone();
        }
        c
    };
    let configs = [
        demo.clone(),
        with(serde_json::json!({ "translations": {
            "de": { "texts": { "accept_all": "Ja, alle" }, "categories": { "marketing": { "title": "Werbung" } } },
            "sv": { "texts": { "accept_all": "Godkänn alla" } },
            "pt-BR": { "texts": { "reject_all": "Recusar" } }
        } })),
        with(
            serde_json::json!({ "default_language": "de", "texts": { "accept_all": "Alle annehmen", "banner_title": "We use cookies" },
            "translations": { "en": { "texts": { "reject_all": "No, thanks" } }, "de": { "texts": { "manage": "Auswahl" } } } }),
        ),
        with(
            serde_json::json!({ "default_language": "fr", "texts": { "privacy_policy_label": "Données personnelles" } }),
        ),
        with(
            serde_json::json!({ "default_language": "sv", "translations": { "sv": { "texts": { "accept_all": "Godkänn" } } } }),
        ),
    ];
    let file = |lang: &str| has_words_file(lang).then(|| words(lang));
    let mut cases = Vec::new();
    for (i, json) in configs.iter().enumerate() {
        let cfg = ConsentConfig::from_json(&json.to_string()).unwrap_or_else(|e| panic!("config {i}: {e}"));
        for lang in ["en", "de", "fr", "sv", "pt", "ja", "ar"] {
            let (dw, lw) = (file(&cfg.default_language), file(lang));
            let out = cfg.localized(lang, dw.as_ref(), lw.as_ref());
            let titles: serde_json::Map<String, serde_json::Value> = out
                .categories
                .iter()
                .map(|c| (c.id.clone(), c.title.clone().into()))
                .collect();
            // The language of each word shown in another language than `lang`.
            let from: serde_json::Map<String, serde_json::Value> = Texts::KEYS
                .iter()
                .filter_map(|k| {
                    out.text_language(&format!("texts.{k}"))
                        .0
                        .map(|l| ((*k).to_owned(), l.into()))
                })
                .collect();
            cases.push(serde_json::json!({
                "config": i, "lang": lang, "default_words": dw, "lang_words": lw,
                "texts": out.texts.words(), "titles": titles, "from": from,
            }));
        }
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/shared-cases");
    std::fs::create_dir_all(&dir).unwrap();
    let table = serde_json::json!({ "configs": configs, "cases": cases });
    std::fs::write(dir.join("words.json"), table.to_string()).unwrap();
}
