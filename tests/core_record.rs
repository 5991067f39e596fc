//! The stored record: round-trips, and anything doubtful reads as "no consent".
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{demo_config, tamper, DAY, SEED, T0};
use leptos_consent::core::{
    assess, is_uuid_v4, record_decision, uuid_v4, Choice, ConsentRecord, DecodeError, Method, PromptReason, RecordError,
};

fn accepted() -> ConsentRecord {
    let cfg = demo_config();
    record_decision(&cfg, None, &Choice::accept_all(&cfg), Method::Banner, T0, SEED)
}

#[test]
fn encode_decode_round_trips() {
    let cfg = demo_config();
    for choice in [Choice::accept_all(&cfg), Choice::reject_all(&cfg)] {
        let r = record_decision(&cfg, None, &choice, Method::Preferences, T0, SEED);
        assert_eq!(ConsentRecord::decode(&r.encode()).unwrap(), r);
    }
}

#[test]
fn record_holds_an_explicit_value_for_every_category_and_service() {
    let cfg = demo_config();
    let r = record_decision(&cfg, None, &Choice::reject_all(&cfg), Method::Banner, T0, SEED);
    assert_eq!(r.categories.len(), 5);
    assert_eq!(r.services.len(), 3);
    assert!(r.categories["necessary"]);
    assert!(r.categories.iter().filter(|(k, _)| *k != "necessary").all(|(_, v)| !v));
    let json = r.encode();
    assert!(
        json.contains(r#""marketing":false"#) && json.contains(r#""mixpanel":false"#),
        "{json}"
    );
    assert!(
        json.contains(r#""via":"banner""#) && json.contains(r#""v":1"#),
        "{json}"
    );
}

#[test]
fn consent_ids_are_uuid_v4_and_survive_later_decisions() {
    let id = uuid_v4([0xff; 16]);
    assert!(is_uuid_v4(&id), "{id}");
    assert_eq!(&id[14..15], "4");
    assert!(!is_uuid_v4("not-a-uuid"));
    let cfg = demo_config();
    let first = accepted();
    let later = record_decision(
        &cfg,
        Some(&first),
        &Choice::reject_all(&cfg),
        Method::Preferences,
        T0 + DAY,
        [1; 16],
    );
    assert_eq!(later.consent_id, first.consent_id);
    assert_eq!(later.first_decision_ms, T0);
    assert_eq!(later.last_decision_ms, T0 + DAY);
}

#[test]
fn corrupt_values_are_unreadable() {
    let cfg = demo_config();
    let huge = format!(r#"{{"v":1,"pad":"{}"}}"#, "x".repeat(70_000));
    let cases = [
        "",
        "{",
        "%E0%A4%A",
        "null",
        "[]",
        "true",
        r#"{"v":1}"#,
        r#"{"v":"1"}"#,
        r#"{"v":-1}"#,
        &huge,
    ];
    for stored in cases {
        let a = assess(Some(stored), &cfg, T0);
        assert!(
            matches!(a.prompt, Some(PromptReason::Unreadable(_))),
            "{stored:.40}: {:?}",
            a.prompt
        );
        assert_eq!(a.record, None);
    }
}

#[test]
fn wrong_types_inside_a_record_are_unreadable() {
    let cfg = demo_config();
    let r = accepted();
    for (from, to) in [
        (r#""marketing":true"#, r#""marketing":"yes""#),
        (r#""marketing":true"#, r#""marketing":1"#),
        (r#""rev":1"#, r#""rev":"1""#),
        (r#""via":"banner""#, r#""via":"gpc-magic""#),
        (r#""marketing":true"#, r#""marketing":true,"marketing":true"#),
        (r#""v":1,"#, r#""v":1,"__proto__":{},"#),
        (r#""v":1,"#, r#""v":1,"extra":true,"#),
    ] {
        let a = assess(Some(&tamper(&r, from, to)), &cfg, T0);
        assert!(
            matches!(a.prompt, Some(PromptReason::Unreadable(_))),
            "{to}: {:?}",
            a.prompt
        );
        assert_eq!(a.record, None);
    }
    // categories:"all" instead of a map
    let s = r.encode();
    let start = s.find(r#""categories":{"#).unwrap();
    let end = start + s[start..].find('}').unwrap() + 1;
    let all = format!("{}\"categories\":\"all\"{}", &s[..start], &s[end..]);
    assert!(matches!(
        assess(Some(&all), &cfg, T0).prompt,
        Some(PromptReason::Unreadable(_))
    ));
}

#[test]
fn unknown_version_is_unreadable() {
    let cfg = demo_config();
    let a = assess(Some(&tamper(&accepted(), r#""v":1"#, r#""v":2"#)), &cfg, T0);
    assert_eq!(a.prompt, Some(PromptReason::Unreadable(DecodeError::UnknownVersion(2))));
    assert_eq!(a.record, None);
}

#[test]
fn records_from_the_future_are_invalid() {
    let cfg = demo_config();
    let r = accepted();
    // Decided ten years after "now".
    let a = assess(Some(&r.encode()), &cfg, T0 - 3650 * DAY);
    assert_eq!(a.prompt, Some(PromptReason::Invalid(RecordError::BadTimestamps)));
    // Four minutes ahead is clock skew, tolerated.
    assert_eq!(assess(Some(&r.encode()), &cfg, T0 - 4 * 60_000).prompt, None);
    // First decision after the last one.
    let swapped = tamper(&r, &format!(r#""first":{T0}"#), &format!(r#""first":{}"#, T0 + 1));
    assert_eq!(
        assess(Some(&swapped), &cfg, T0 + DAY).prompt,
        Some(PromptReason::Invalid(RecordError::BadTimestamps))
    );
}

#[test]
fn records_naming_unknown_categories_or_services_are_invalid() {
    let cfg = demo_config();
    let r = accepted();
    let a = assess(
        Some(&tamper(
            &r,
            r#""performance":true"#,
            r#""performance":true,"spyware":true"#,
        )),
        &cfg,
        T0,
    );
    assert_eq!(
        a.prompt,
        Some(PromptReason::Invalid(RecordError::UnknownCategory("spyware".into())))
    );
    assert_eq!(a.record, None);
    let a = assess(
        Some(&tamper(
            &r,
            r#""google-analytics":true"#,
            r#""google-analytics":true,"hotjar":true"#,
        )),
        &cfg,
        T0,
    );
    assert_eq!(
        a.prompt,
        Some(PromptReason::Invalid(RecordError::UnknownService("hotjar".into())))
    );
}

#[test]
fn inconsistent_records_are_invalid() {
    let cfg = demo_config();
    let r = accepted();
    let a = assess(
        Some(&tamper(&r, r#""marketing":true"#, r#""marketing":false"#)),
        &cfg,
        T0,
    );
    assert_eq!(
        a.prompt,
        Some(PromptReason::Invalid(RecordError::Inconsistent("mixpanel".into())))
    );
    let a = assess(
        Some(&tamper(&r, r#""necessary":true"#, r#""necessary":false"#)),
        &cfg,
        T0,
    );
    assert_eq!(
        a.prompt,
        Some(PromptReason::Invalid(RecordError::ReadOnlyRefused("necessary".into())))
    );
    let a = assess(
        Some(&tamper(
            &r,
            &r.consent_id.clone(),
            "00000000-0000-0000-0000-000000000000",
        )),
        &cfg,
        T0,
    );
    assert_eq!(a.prompt, Some(PromptReason::Invalid(RecordError::BadConsentId)));
}

#[test]
fn a_sound_current_record_needs_no_prompt() {
    let cfg = demo_config();
    let r = accepted();
    let a = assess(Some(&r.encode()), &cfg, T0 + DAY);
    assert_eq!(a.prompt, None);
    assert_eq!(a.record, Some(r));
}

#[test]
fn only_the_exact_text_this_library_writes_is_read() {
    let r = accepted();
    let good = r.encode();
    assert_eq!(ConsentRecord::decode(&good), Ok(r.clone()));
    for bad in [
        format!(" {good}"),
        good.replacen(':', ": ", 1),
        good.replacen(r#""v":1"#, r#""v":1.0"#, 1),
        good.replacen(r#""via":"banner""#, r#""via":"\u0062anner""#, 1),
        // The same maps with their keys out of order.
        good.replacen(
            r#""functionality":true,"marketing":true"#,
            r#""marketing":true,"functionality":true"#,
            1,
        ),
    ] {
        assert_ne!(bad, good);
        assert!(
            matches!(ConsentRecord::decode(&bad), Err(DecodeError::Malformed(_))),
            "{bad}"
        );
    }
}
