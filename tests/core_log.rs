//! A decision as posted to the consent log: what the browser builds and the
//! server accepts, and each way a body is refused (nothing of it stored).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{demo_config, demo_config_json, DAY, SEED, T0};
use leptos_consent::core::{
    config_fingerprint, logged_path, record_decision, truncated_ip, uuid_v4, Choice, LogError, LoggedDecision, Method,
    ReceiptBody, Source,
};

fn decision(source: Source, gpc: bool) -> LoggedDecision {
    let cfg = demo_config();
    let mut choice = Choice::reject_all(&cfg);
    choice.set_category(&cfg, "performance", true);
    let record = record_decision(&cfg, None, &choice, source.method(), T0, SEED);
    LoggedDecision::for_record(
        &record,
        1,
        &config_fingerprint(&demo_config_json()),
        source,
        "en",
        gpc,
        "https://shop.example",
        "/checkout?coupon=SECRET#pay",
    )
}

#[test]
fn the_browser_s_decision_reads_back_and_passes_the_server_s_checks() {
    let d = decision(Source::Modal, false);
    assert_eq!(
        d.path, "/checkout",
        "the query string and fragment never leave the page"
    );
    let back = LoggedDecision::parse(d.encode().as_bytes()).unwrap();
    assert_eq!(back, d);
    back.check(&demo_config(), T0 + DAY).unwrap();
    assert_eq!(back.record().method, Method::Preferences);
    let (granted, refused) = back.granted_and_refused();
    assert!(granted.contains(&"performance") && granted.contains(&"necessary"));
    assert!(refused.contains(&"marketing") && refused.contains(&"mixpanel"));
}

/// Replaces `from` with `to` in the encoded decision and parses and checks it.
fn posted(from: &str, to: &str) -> Result<(), LogError> {
    let text = decision(Source::Banner, false).encode();
    assert!(text.contains(from), "{from} not in {text}");
    let d = LoggedDecision::parse(text.replacen(from, to, 1).as_bytes())?;
    d.check(&demo_config(), T0 + DAY)
}

#[test]
fn each_hostile_or_wrong_field_is_refused_with_its_name() {
    let malformed = [
        (r#""v":1,"#, r#""v":1,"admin":true,"#),
        (r#""v":1,"#, ""),
        (r#""seq":1"#, r#""seq":-1"#),
        (r#""seq":1"#, r#""seq":1e3"#),
        (r#""gpc":false"#, r#""gpc":"no""#),
        (r#""source":"banner""#, r#""source":"popup""#),
        (r#""performance":true"#, r#""performance":true,"performance":false"#),
    ];
    for (from, to) in malformed {
        assert!(
            matches!(posted(from, to), Err(LogError::Malformed(_))),
            "{to}: {:?}",
            posted(from, to)
        );
    }
    let invalid = [
        (r#""v":1"#, r#""v":2"#, "format"),
        (r#""seq":1"#, r#""seq":0"#, "seq"),
        (r#""lang":"en""#, r#""lang":"en<script>""#, "lang"),
        (
            r#""origin":"https://shop.example""#,
            r#""origin":"javascript:alert(1)""#,
            "origin",
        ),
        (
            r#""origin":"https://shop.example""#,
            r#""origin":"https://shop.example/path""#,
            "origin",
        ),
        (r#""path":"/checkout""#, r#""path":"/checkout?email=a@b.c""#, "path"),
        (r#""path":"/checkout""#, r#""path":"checkout""#, "path"),
        (r#""path":"/checkout""#, r#""path":"/a\nb""#, "path"),
        (r#""first":1704067200000"#, r#""first":9007199254740992"#, "times"),
    ];
    for (from, to, field) in invalid {
        match posted(from, to) {
            Err(LogError::Invalid(m)) => assert!(m.contains(field), "{to}: {m}"),
            other => panic!("{to}: {other:?}"),
        }
    }
    let not_under_config = [
        (r#""rev":1"#, r#""rev":7"#, "revision"),
        (r#""mixpanel":false"#, r#""mixpanel":false,"tiktok":true"#, "tiktok"),
        (r#","mixpanel":false"#, "", "mixpanel"),
        (r#""necessary":true"#, r#""necessary":false"#, "necessary"),
        (r#""mixpanel":false"#, r#""mixpanel":true"#, "mixpanel"),
        (r#""source":"banner""#, r#""source":"gpc""#, "Global Privacy Control"),
    ];
    for (from, to, named) in not_under_config {
        match posted(from, to) {
            Err(LogError::NotUnderConfig(m)) => assert!(m.contains(named), "{to}: {m}"),
            other => panic!("{to}: {other:?}"),
        }
    }
    let huge = format!(r#"{{"v":1,"id":"{}"}}"#, "x".repeat(400 * 1024));
    assert!(matches!(
        LoggedDecision::parse(huge.as_bytes()),
        Err(LogError::TooLarge(_))
    ));
}

#[test]
fn one_spelling_of_the_id_and_the_config_s_own_language_tags() {
    let mut d = decision(Source::Banner, false);
    d.id = uuid_v4([0xab; 16]);
    LoggedDecision::parse(d.encode().as_bytes()).unwrap();
    let upper = d.encode().replace(&d.id, &d.id.to_uppercase());
    assert!(matches!(LoggedDecision::parse(upper.as_bytes()), Err(LogError::Invalid(m)) if m.contains("lowercase")));
    // A language tag the config accepts (pt_BR) is one the log accepts.
    let mut pt = d.clone();
    pt.lang = "pt_BR".into();
    LoggedDecision::parse(pt.encode().as_bytes()).unwrap();
}

#[test]
fn under_gpc_a_sale_or_sharing_grant_is_not_a_decision_the_banner_could_make() {
    let cfg = demo_config();
    let mut d = decision(Source::Banner, true);
    d.check(&cfg, T0).unwrap();
    let sharing: Vec<String> = cfg
        .categories
        .iter()
        .filter(|c| c.is_sale_or_sharing())
        .map(|c| c.id.clone())
        .collect();
    assert!(!sharing.is_empty(), "the demo config has a sale/sharing category");
    d.categories.insert(sharing[0].clone(), true);
    assert!(matches!(d.check(&cfg, T0), Err(LogError::NotUnderConfig(m)) if m.contains("Global Privacy Control")));
}

#[test]
fn a_config_text_travels_only_with_its_own_fingerprint() {
    let mut d = decision(Source::Banner, false);
    d.config_text = Some(demo_config_json());
    LoggedDecision::parse(d.encode().as_bytes()).unwrap();
    d.config_text = Some(demo_config_json().replace("Marketing", "Other"));
    assert!(matches!(
        LoggedDecision::parse(d.encode().as_bytes()),
        Err(LogError::Invalid(m)) if m.contains("fingerprint")
    ));
    // The text is not part of the decision's identity: a post with it and one
    // without are the same decision.
    let with = d.identity_text();
    d.config_text = None;
    assert_eq!(with, d.identity_text());
}

#[test]
fn the_receipt_body_carries_the_decision_and_the_server_s_time() {
    let d = decision(Source::Center, false);
    let body = ReceiptBody::new(&d, T0 + 5, "ab");
    assert_eq!((body.server_time, body.client_time), (T0 + 5, T0));
    assert_eq!(body.categories, d.categories);
    let text = body.encode();
    assert!(
        text.starts_with(r#"{"format":"leptos-consent/log-receipt/1","#),
        "{text}"
    );
}

#[test]
fn paths_and_addresses_keep_only_what_is_allowed() {
    assert_eq!(logged_path("/a/b?q=1#x"), "/a/b");
    assert_eq!(logged_path("a"), "/a");
    let long = format!("/{}", "é".repeat(400));
    assert!(logged_path(&long).len() <= 512);
    assert_eq!(truncated_ip("203.0.113.77".parse().unwrap()), "203.0.113.0/24");
    assert_eq!(
        truncated_ip("2001:db8:abcd:12:1:2:3:4".parse().unwrap()),
        "2001:db8:abcd::/48"
    );
    assert_eq!(truncated_ip("::ffff:198.51.100.9".parse().unwrap()), "198.51.100.0/24");
}

#[test]
fn the_browser_reads_a_refusal_s_code_and_free_number_without_a_json_reader() {
    use leptos_consent::core::{refusal_code, refusal_next_seq};
    let taken = r#"{"error":"sequence_taken","message":"another decision","next_seq":7}"#;
    assert_eq!((refusal_code(taken), refusal_next_seq(taken)), ("sequence_taken", 7));
    assert_eq!((refusal_code("<html>"), refusal_next_seq("{}")), ("", 0));
}
