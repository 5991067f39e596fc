//! The returning-visitor path has two implementations: the Rust core (used by
//! the wasm UI) and boot/logic.mjs (the small boot script that runs granted tags
//! while the page parses). This file holds them to the same answers:
//!
//! - `tests/shared-cases/cases.json`: hand-written cases with the expected
//!   outcome; checked here against the core and by
//!   `tests/mirror/boot-logic.test.mjs` against boot/logic.mjs;
//! - generated cases: random stored values and gate attributes (valid records,
//!   then mutations), with the core's outcome, written to
//!   `target/shared-cases/generated.json` for the JS side to replay.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{demo_config_json, Rng, DAY, T0};
use leptos_consent::core::{
    assess, category_granted, check_url, config_fingerprint, consent_mode_update, decode_history, denied_services,
    diff, encode_history, gpc_conflict, granted_service_scripts, plan_activation, plan_erase, plan_http_only_probe,
    push_history, record_decision, service_granted, Choice, ConsentConfig, ConsentRecord, HistoryEntry, LoggedDecision,
    Method, PageScript, Source,
};
use serde_json::{json, Value};

/// What both implementations must agree on for one case: what the boot script
/// does with it. `gpc`: the browser sends Global Privacy Control.
///
/// The boot script trusts only a record the core attested (`boot_marker`), and
/// checks the clock itself; `attested` (present when true) says the core would
/// attest this stored value, that is, it stands at the record's own time. The
/// boot decides only for a record that stands now (no prompt); otherwise it
/// hands over and grants nothing optional itself. On a GPC conflict it hands
/// over too, so only `prompt` and `gpc_conflict` are compared. `consent_mode`
/// is present when the config turns Consent Mode on.
fn outcome(
    cfg: &ConsentConfig,
    gpc: bool,
    stored: Option<&str>,
    now: u64,
    scripts: &[(String, Option<String>)],
) -> Value {
    let cfg = &cfg.clone().under_gpc(gpc);
    let a = assess(stored, cfg, now);
    let attested = stored
        .and_then(|s| ConsentRecord::decode(s).ok())
        .is_some_and(|r| assess(stored, cfg, r.last_decision_ms).prompt.is_none());
    let standing = a.record.filter(|_| a.prompt.is_none());
    let r = standing.as_ref();
    let base = |mut v: Value| {
        if attested {
            v["attested"] = json!(true);
        }
        v
    };
    if gpc_conflict(cfg, r) {
        return base(json!({ "prompt": a.prompt.is_some(), "gpc_conflict": true }));
    }
    let mut granted: Vec<&str> = cfg
        .categories
        .iter()
        .filter(|c| category_granted(cfg, r, &c.id))
        .map(|c| c.id.as_str())
        .collect();
    granted.extend(
        cfg.services()
            .filter(|(_, s)| service_granted(cfg, r, &s.id))
            .map(|(_, s)| s.id.as_str()),
    );
    let page: Vec<PageScript> = scripts
        .iter()
        .map(|(c, s)| PageScript {
            category: c.clone(),
            service: s.clone(),
            done: false,
        })
        .collect();
    let plan = plan_activation(cfg, r, &page);
    let service_scripts: Vec<String> = granted_service_scripts(cfg, r)
        .iter()
        .map(|(s, src)| format!("{s} {}", src.src))
        .collect();
    let mut out = json!({
        "prompt": a.prompt.is_some(),
        "granted": granted,
        "run": plan.run,
        "rejected": plan.rejected.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        "service_scripts": service_scripts,
    });
    if let Some(update) = consent_mode_update(cfg, r) {
        let keys: serde_json::Map<String, Value> = update
            .into_iter()
            .map(|(k, on)| (k.to_owned(), json!(if on { "granted" } else { "denied" })))
            .collect();
        out["consent_mode"] = Value::Object(keys);
    }
    base(out)
}

fn scripts_of(case: &Value) -> Vec<(String, Option<String>)> {
    case["scripts"]
        .as_array()
        .map(|v| {
            v.iter()
                .map(|s| {
                    (
                        s[0].as_str().unwrap_or_default().to_owned(),
                        s[1].as_str().map(str::to_owned),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn table() -> Value {
    serde_json::from_str(include_str!("shared-cases/cases.json")).expect("cases.json is JSON")
}

#[test]
fn hand_written_cases_hold_in_the_core() {
    let table = table();
    let configs = &table["configs"];
    let mut n = 0;
    let mut updated = Vec::new();
    for case in table["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().unwrap_or("?");
        let cfg_text = configs[case["config"].as_str().expect("config name")].to_string();
        let cfg = ConsentConfig::from_json(&cfg_text).unwrap_or_else(|e| panic!("{name}: config: {e}"));
        let got = outcome(
            &cfg,
            case["gpc"] == json!(true),
            case["stored"].as_str(),
            case["now"].as_u64().expect("now"),
            &scripts_of(case),
        );
        if std::env::var_os("LCC_UPDATE_CASES").is_some() {
            updated.push(got.clone());
        }
        assert!(
            std::env::var_os("LCC_UPDATE_CASES").is_some() || got == case["expect"],
            "case {name:?}: got {got}, expected {}",
            case["expect"]
        );
        n += 1;
    }
    assert!(n >= 20, "only {n} cases");
    if !updated.is_empty() {
        std::fs::write("/tmp/lcc-expects.json", Value::Array(updated).to_string()).unwrap();
    }
}

#[test]
fn fingerprint_matches_the_published_vectors() {
    // The same vectors are checked against boot/logic.mjs.
    for v in table()["fingerprints"].as_array().expect("fingerprints") {
        assert_eq!(
            config_fingerprint(v[0].as_str().unwrap()),
            v[1].as_str().unwrap(),
            "{v}"
        );
    }
}

#[test]
fn url_rule_matches_the_published_cases() {
    // The boot script renders the privacy link itself: it must refuse exactly what validation refuses.
    for v in table()["urls"].as_array().expect("urls") {
        let url = v[0].as_str().unwrap();
        assert_eq!(check_url("u", url).is_ok(), v[1].as_bool().unwrap(), "{url:?}");
    }
}

/// The first-layer texts the boot script draws before the UI is loaded.
fn banner_texts() -> Value {
    let t = leptos_consent::core::Texts::default();
    json!({
        "banner_title": t.banner_title,
        "banner_description": t.banner_description,
        "privacy_policy_label": t.privacy_policy_label,
        "accept_all": t.accept_all,
        "reject_all": t.reject_all,
        "manage": t.manage,
        "gpc_note": t.gpc_note,
        "saved": t.saved,
    })
}

/// The configs the generated cases run against: the demo's, and variants.
fn configs() -> Vec<Value> {
    let demo: Value = serde_json::from_str(&demo_config_json()).unwrap();
    let mut bumped = demo.clone();
    bumped["revision"] = json!(2);
    let mut short = demo.clone();
    short["expires_after_days"] = json!(1);
    let mut grown = demo.clone();
    grown["categories"].as_array_mut().unwrap().push(json!({
        "id": "social", "title": "Social", "description": "Share buttons."
    }));
    // Consent Mode with the default mapping, and with a custom one where a key needs two categories.
    let mut gcm = demo.clone();
    gcm["consent_mode"] = json!({});
    let mut mapped = demo.clone();
    mapped["consent_mode"] = json!({ "map": {
        "third-party": ["ad_user_data", "personalization_storage"],
        "marketing": ["ad_storage", "ad_user_data"],
        "performance": ["analytics_storage"]
    }});
    // Global Privacy Control: another category marked, marketing not; and a site ignoring it.
    let mut marked = gcm.clone();
    marked["categories"][2]["sale_or_sharing"] = json!(true);
    marked["categories"][3]["sale_or_sharing"] = json!(false);
    let mut ignoring = demo.clone();
    ignoring["gpc"] = json!("ignore");
    vec![demo, bumped, short, grown, gcm, mapped, marked, ignoring]
}

const FRAGMENTS: &[(&str, &[&str])] = &[
    (
        "\"v\":1",
        &[
            "\"v\":2",
            "\"v\":1.0",
            "\"v\":\"1\"",
            "\"v\":1,\"v\":1",
            "\"v\":-1",
            "\"v\":01",
            "\"v\":[1]",
            "\"v\":true",
        ],
    ),
    ("true", &["false", "1", "\"true\"", "null", "True", "true ", " true"]),
    ("false", &["true", "0", "null"]),
    (
        "\"rev\":1",
        &[
            "\"rev\":0",
            "\"rev\":2",
            "\"rev\":1e0",
            "\"rev\":4294967297",
            "\"rev\":\"1\"",
            "\"rev\":null",
        ],
    ),
    (
        "\"via\":\"banner\"",
        &[
            "\"via\":\"api\"",
            "\"via\":\"Banner\"",
            "\"via\":\"x\"",
            "\"via\":null",
            "\"via\":1",
            "\"via\":[\"banner\"]",
        ],
    ),
    (
        "\"performance\"",
        &["\"perf\"", "\"\\u0070erformance\"", "\"__proto__\"", "\"necessary\""],
    ),
    (
        "\"marketing\":",
        &["\"marketing\":true,\"marketing\":", "\"toString\":"],
    ),
    (
        "\"mixpanel\"",
        &["\"google-analytics\"", "\"\\ud800\"", "\"constructor\""],
    ),
    (
        "\"data\":",
        &[
            "\"data\":1,\"d\":",
            "\"data\":null,\"d\":",
            "\"Data\":",
            "\"data\":\"\\u0041\",\"d\":",
        ],
    ),
    ("{", &["{ ", "{\n", "{\"x\":1,", "["]),
    ("}", &["} ", "}}", "},", "}\u{feff}"]),
    ("\"id\":\"", &["\"id\":\"x", "\"id\":\"0", "\"id\":1,\"x\":\""]),
    // Mistyped fields (the boot script reads JSON.parse's values, the core serde's types).
    ("\"last\":", &["\"last\":\"0\",\"l\":", "\"last\":null,\"l\":"]),
    (
        "\"categories\":{",
        &["\"categories\":[],\"c\":{", "\"categories\":null,\"c\":{"],
    ),
    (
        "\"services\":{",
        &["\"services\":\"\",\"s\":{", "\"services\":{\"x\":{},"],
    ),
    // Other forms of the decision times: a fraction, an exponent, ten times it.
    (
        ",\"last\"",
        &[".5,\"last\"", "e0,\"last\"", "0,\"last\"", ".0,\"last\""],
    ),
    (",\"rev\"", &[".5,\"rev\"", "E0,\"rev\"", ".25,\"rev\""]),
];

/// Swaps the first two entries of the `"categories"` or `"services"` map:
/// the same record in an order the library never writes.
fn reorder(s: &str, map: &str) -> String {
    let open = format!("\"{map}\":{{");
    let Some(start) = s.find(&open).map(|i| i + open.len()) else {
        return s.to_owned();
    };
    let Some(len) = s[start..].find('}') else {
        return s.to_owned();
    };
    let mut entries: Vec<&str> = s[start..start + len].split(',').collect();
    if entries.len() < 2 {
        return s.to_owned();
    }
    entries.swap(0, 1);
    format!("{}{}{}", &s[..start], entries.join(","), &s[start + len..])
}

#[test]
fn generated_cases_are_written_for_the_js_side() {
    let configs = configs();
    let parsed: Vec<ConsentConfig> = configs
        .iter()
        .map(|c| ConsentConfig::from_json(&c.to_string()).expect("variant config is valid"))
        .collect();
    let base = &parsed[0];
    let attrs: &[&str] = &[
        "necessary",
        "performance",
        "!performance",
        " marketing ",
        "!\u{85}marketing",
        "\u{feff}marketing",
        "functionality",
        "third-party",
        "unknown",
        "",
        "!",
        "! third-party",
        "social",
    ];
    let services: &[Option<&str>] = &[
        None,
        None,
        Some("google-analytics"),
        Some("!google-analytics"),
        Some("mixpanel"),
        Some(" mixpanel\u{85}"),
        Some("algolia"),
        Some("!algolia"),
        Some("nope"),
        Some(""),
        Some("\u{a0}"),
    ];
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut cases = Vec::new();
    for n in 0..4000 {
        let now = T0 + (rng.next() % (400 * DAY));
        // A real decision made some time ago under the base config...
        let mut choice = Choice::reject_all(base);
        for c in &base.categories {
            if rng.below(2) == 0 {
                choice.set_category(base, &c.id, true);
            }
        }
        for (_, s) in base.services() {
            if rng.below(3) == 0 {
                choice.set_service(base, &s.id, rng.below(2) == 0);
            }
        }
        let at = now
            .saturating_sub(rng.next() % (3 * DAY))
            .saturating_add(if rng.below(10) == 0 { 10 * 60 * 1000 } else { 0 });
        let method = rng.pick(&[Method::Banner, Method::Preferences, Method::Api, Method::Gpc]);
        let mut record = record_decision(base, None, &choice, method, at, rng.bytes());
        // A quarter keep the site's data (setCookieData): JSON text, with escapes and non-ASCII
        // (and, as a stored value may hold anything, text that is not JSON: no consent).
        if rng.below(4) == 0 {
            record.data = Some(
                rng.pick(&[
                    r#"{"id":21}"#,
                    "null",
                    r#""a\"b""#,
                    "[1,\"é\u{2028}\"]",
                    r#"{"x":"\u0000\n"}"#,
                    // Not JSON (cut short, a bare character): no consent either way.
                    r#"{"x":1"#,
                    "\u{1F600}",
                ])
                .to_owned(),
            );
        }
        let mut stored = Some(record.encode());
        // ...then, half the time, mutated one to three times.
        let mutations = if rng.below(2) == 0 { 0 } else { 1 + rng.below(3) };
        for _ in 0..mutations {
            let s = stored.take().unwrap_or_default();
            stored = Some(match rng.below(7) {
                0..=2 => {
                    let (from, tos) = rng.pick(FRAGMENTS);
                    match s.find(from) {
                        Some(_) => s.replacen(from, rng.pick(tos), 1),
                        None => s,
                    }
                }
                3 => {
                    let mut s = s;
                    for _ in 0..=rng.below(5) {
                        s.pop();
                    }
                    s
                }
                4 => format!("{s}{}", rng.pick(&[" ", "\n", "x", "\t", "\u{2028}"])),
                5 => reorder(&s, rng.pick(&["categories", "services"])),
                _ => s.replace(':', rng.pick(&[":", " : ", ":\r"])),
            });
        }
        if n % 97 == 0 {
            stored = None;
        }
        let which = rng.below(configs.len());
        let scripts: Vec<(String, Option<String>)> = (0..rng.below(6))
            .map(|_| (rng.pick(attrs).to_owned(), rng.pick(services).map(str::to_owned)))
            .collect();
        let gpc = rng.below(3) == 0;
        let expect = outcome(&parsed[which], gpc, stored.as_deref(), now, &scripts);
        cases.push(json!({
            "name": format!("generated {n}"),
            "config": which,
            "gpc": gpc,
            "stored": stored,
            "now": now,
            "scripts": scripts,
            "expect": expect,
        }));
    }
    // The generator must reach both answers often, or it proves little.
    let prompts = cases.iter().filter(|c| c["expect"]["prompt"] == json!(true)).count();
    assert!(prompts > 400 && prompts < 3600, "{prompts} prompts of 4000");
    let conflicts = cases
        .iter()
        .filter(|c| c["expect"]["gpc_conflict"] == json!(true))
        .count();
    let updates = cases.iter().filter(|c| c["expect"]["consent_mode"].is_object()).count();
    assert!(
        conflicts > 50 && updates > 500,
        "{conflicts} GPC conflicts, {updates} Consent Mode updates"
    );
    // Attested records that no longer stand: the boot script's clock check decides these.
    let stale = cases
        .iter()
        .filter(|c| c["expect"]["attested"] == json!(true) && c["expect"]["prompt"] == json!(true))
        .count();
    assert!(stale > 50, "{stale} attested records out of date");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/shared-cases");
    std::fs::create_dir_all(&dir).unwrap();
    // What "Accept all" on the first layer grants, with and without GPC: the early
    // banner starts those scripts' downloads when pressed (boot/choices.mjs).
    let accept_all: Vec<Value> = parsed
        .iter()
        .enumerate()
        .flat_map(|(i, cfg)| {
            [false, true].map(|gpc| {
                let choice = Choice::accept_all(&cfg.clone().under_gpc(gpc));
                json!({ "config": i, "gpc": gpc, "categories": choice.categories, "services": choice.services })
            })
        })
        .collect();
    let out = json!({ "configs": configs, "cases": cases, "banner_texts": banner_texts(), "accept_all": accept_all });
    std::fs::write(dir.join("generated.json"), out.to_string()).unwrap();
}

/// The first layer's decision without the wasm (boot/plans.mjs): for every
/// config variant, with and without GPC, "Accept all" and "Reject all" at
/// random times with random ids: the stored record, the `lcc:change` detail,
/// the stored history (with and without cookies left behind), whether the
/// clean-up has anything to erase for random cookies and keys on the page, and
/// where it probes for HttpOnly cookies on a range of hosts and paths. Written
/// to `target/shared-cases/decide.json` for the JS side to replay.
#[test]
fn first_layer_decisions_are_written_for_the_js_side() {
    let mut configs = configs();
    // Cookie rules with their own domain and path (the probe and the erase plan use them).
    let mut scoped = configs[0].clone();
    scoped["categories"][1]["services"][0]["cookies"] = json!([
        { "name": "_ga", "domain": ".example.test" },
        { "name": "_gid", "path": "/a" },
        { "name": "_ga_*" },
        { "name": "pref", "domain": "shop.example.test", "path": "/a/b/" }
    ]);
    scoped["categories"][2]["services"][0]["storage_keys"] = json!(["_ALG*", "algolia_*_q"]);
    scoped["categories"][3]["services"][0]["cookies"] = json!([{ "name": "_ga" }, { "name": "mp_*" }]);
    scoped["storage_key"] = json!("site_consent");
    configs.push(scoped);
    // The storage key left to its default.
    let mut defaulted = configs[0].clone();
    defaulted.as_object_mut().unwrap().remove("storage_key");
    configs.push(defaulted);
    // Ids of digits: the core sorts a map's keys as text ("10" before "9"), where a JS
    // object would put integer-like keys first, in numeric order.
    let mut numbered = configs[0].clone();
    numbered["categories"][2]["id"] = json!("10");
    numbered["categories"][4]["id"] = json!("9");
    numbered["categories"][1]["services"][0]["id"] = json!("20");
    numbered["categories"][3]["services"][0]["id"] = json!("3");
    configs.push(numbered);
    let parsed: Vec<ConsentConfig> = configs
        .iter()
        .map(|c| ConsentConfig::from_json(&c.to_string()).expect("variant config is valid"))
        .collect();
    let cookie_pool = [
        "_ga",
        "_ga_X1",
        "_gid",
        "mp_abc_mixpanel",
        "mp_",
        "_ALGOLIA",
        "pref",
        "other",
        "lcc_consent",
        "_gat",
    ];
    let key_pool = [
        "mp_x",
        "__mpq_1",
        "lcc_consent",
        "lcc_consent_history",
        "lcc_consent_config",
        "lcc_consent_log",
        "_ALGO",
        "algolia_1_q",
        "foo",
    ];
    let hosts = [
        "127.0.0.1",
        "localhost",
        "www.example.test",
        "shop.example.test",
        "a.b.example.test.",
        "WWW.Example.TEST",
        "example.test",
        "[::1]",
        "256.1.1.1",
        "",
    ];
    let paths = ["/", "/a", "/a/b", "/a/b/", "/index.html", "/ab", "//a"];
    let long_path = format!("/{}", "é".repeat(300));
    let mut rng = Rng(0x5eed_dec1_de00_0002);
    let mut cases = Vec::new();
    let (mut erasing, mut probing) = (0, 0);
    for n in 0..1200 {
        let which = n % parsed.len();
        let gpc = rng.below(2) == 0;
        let accept = rng.below(2) == 0;
        let cfg = parsed[which].clone().under_gpc(gpc);
        let choice = if accept {
            Choice::accept_all(&cfg)
        } else {
            Choice::reject_all(&cfg)
        };
        let now = T0 + rng.next() % (4000 * DAY);
        let bytes = rng.bytes();
        let record = record_decision(&cfg, None, &choice, Method::Banner, now, bytes);
        let changes = diff(&cfg, None, Some(&record));
        let mut entry = HistoryEntry::new(&record, &changes);
        let left: Vec<String> = (0..rng.below(3)).map(|_| rng.pick(&cookie_pool).to_owned()).collect();
        entry.left_behind = left.clone();
        let history = encode_history(&push_history(decode_history(None), entry));
        let denied = denied_services(&cfg, Some(&record));
        let cookies: Vec<String> = (0..rng.below(4)).map(|_| rng.pick(&cookie_pool).to_owned()).collect();
        let keys: Vec<String> = (0..rng.below(4)).map(|_| rng.pick(&key_pool).to_owned()).collect();
        let (host, path) = (rng.pick(&hosts), rng.pick(&paths));
        let plan = plan_erase(&cfg, Some(&record), &denied, &cookies, &keys, host, path);
        let erase = !plan.is_empty();
        let plan = json!({
            "cookies": plan.cookies.iter().map(|f| f.header()).collect::<Vec<_>>(),
            "names": plan.cookie_names,
            "keys": plan.storage_keys,
        });
        let probe: Vec<Value> = plan_http_only_probe(&cfg, &denied, &cookies, host, path)
            .into_iter()
            .map(|f| json!([f.name, f.domain, f.path, f.header()]))
            .collect();
        erasing += usize::from(erase);
        probing += usize::from(probe.len() > 2);
        // What the consent log is sent: the language and page vary, the path with
        // what must not leave the page (a query string, a fragment) and what is cut.
        let lang = rng.pick(&["en", "de", "pt-BR", "fr\"x"]);
        let page = rng.pick(&[
            "/",
            "/a?email=x@y.z",
            "/b#top",
            "shop/é",
            "/\u{2028}?q",
            long_path.as_str(),
        ]);
        let origin = rng.pick(&["https://shop.example", "http://127.0.0.1:8080"]);
        let log = LoggedDecision::for_record(
            &record,
            1,
            &config_fingerprint(&configs[which].to_string()),
            Source::Banner,
            lang,
            gpc,
            origin,
            page,
        )
        .encode();
        cases.push(json!({
            "log": log, "log_in": { "lang": lang, "page": page, "origin": origin, "fp": config_fingerprint(&configs[which].to_string()) },
            "config": which, "gpc": gpc, "accept": accept, "now": now, "bytes": bytes.to_vec(),
            "record": record.encode(), "changes": changes, "left_behind": left, "history": history,
            "denied": denied, "cookies": cookies, "keys": keys, "host": host, "path": path,
            "erase": erase, "plan": plan, "probe": probe,
        }));
    }
    assert!(
        erasing > 200 && erasing < 1000,
        "{erasing} of 1200 cases erase something"
    );
    assert!(probing > 200, "{probing} of 1200 cases probe more than two forms");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/shared-cases");
    std::fs::create_dir_all(&dir).unwrap();
    // Where each config keeps the decision, its history and the attestation.
    let keys: Vec<Value> = parsed
        .iter()
        .map(|c| json!({ "record": c.storage_key, "history": c.history_key(), "marker": c.fingerprint_key(), "log": c.log_key() }))
        .collect();
    let out = json!({ "configs": configs, "cases": cases, "keys": keys });
    std::fs::write(dir.join("decide.json"), out.to_string()).unwrap();
}

/// Every place in `v`: its JSON pointer, with each object member and array element under it.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| pointers(x, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| pointers(x, format!("{at}/{i}"), out)),
        _ => {}
    }
    out.push(at);
}

/// `v` with the value at `pointer` replaced by `with`, or removed (`None`).
fn mutated(v: &Value, pointer: &str, with: Option<Value>) -> Value {
    let mut v = v.clone();
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return with.unwrap_or(v);
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match (v.pointer_mut(parent), with) {
        (Some(Value::Object(m)), Some(x)) => drop(m.insert(last, x)),
        (Some(Value::Object(m)), None) => drop(m.remove(&last)),
        (Some(Value::Array(a)), Some(x)) => a[last.parse::<usize>().unwrap()] = x,
        (Some(Value::Array(a)), None) => drop(a.remove(last.parse::<usize>().unwrap())),
        _ => {}
    }
    v
}

/// Config texts with the core's verdict (`ConsentConfig::from_json` accepts it), for
/// boot/valid.mjs, which must never accept one the core refuses: the configs above and
/// one using every field, each changed at random places (a value replaced by one of
/// many, a field removed or added, twice), and texts serde_json and JSON.parse read
/// differently. Written to `target/shared-cases/configs.json` with the interface's
/// word names (`Texts::KEYS`).
#[test]
fn config_verdicts_are_written_for_the_js_side() {
    let mut bases = configs();
    let mut full = bases[5].clone();
    full["texts"] = json!({ "accept_all": "Accept", "gpc_applied": "GPC: {categories}" });
    full["default_language"] = json!("en");
    full["gpc"] = json!("honour");
    full["reload_on_revoke"] = json!(false);
    full["log_url"] = json!("https://log.example.test/v1/decisions");
    full["language"] = Value::Null;
    full["appearance"] = json!({ "layout": "box", "position": "top-left", "scheme": "auto" });
    full["translations"] = json!({
        "de": { "texts": { "accept_all": "Alle akzeptieren" }, "categories": { "marketing": { "title": "Werbung", "description": null } },
                "services": { "mixpanel": { "purpose": "Zählt" } } },
        "pt-BR": {}
    });
    full["categories"][1]["services"][0]["scripts"] =
        json!([{ "src": "https://cdn.example.test/a.js", "integrity": "sha384-abc" }, { "src": "/b.js" }]);
    full["categories"][1]["services"][0]["storage_keys"] = json!(["_ga_*", "x"]);
    full["categories"][1]["services"][0]["cookies"][0] =
        json!({ "name": "_ga", "domain": ".example.test", "path": "/", "purpose": "p", "duration": "d" });
    full["categories"][2]["enabled"] = Value::Null;
    full["categories"][2]["sale_or_sharing"] = json!(false);
    bases.push(full);
    // A fixed language: a built-in one by its primary subtag, and one only the config translates into.
    let mut fixed = bases[0].clone();
    fixed["language"] = json!("fr-CA");
    let mut own = bases[0].clone();
    own["language"] = json!("sv");
    own["translations"] = json!({ "sv": { "texts": { "accept_all": "Godkänn alla" } } });
    bases.push(fixed);
    bases.push(own);
    bases.push(json!({ "categories": [{ "id": "necessary", "title": "N", "read_only": true }] }));
    let texts: Vec<String> = bases.iter().map(Value::to_string).collect();
    for t in &texts {
        ConsentConfig::from_json(t).expect("a base config is valid");
    }

    let long = |n| Value::String("x".repeat(n));
    let values: Vec<Value> = [
        json!(""),
        json!(" "),
        json!("\u{85}"),
        json!("\u{feff}"),
        json!("\u{2028}"),
        json!("x"),
        json!("X"),
        json!("a b"),
        json!("https://e.test/p"),
        json!("http://x"),
        json!("//cdn.test/a.js"),
        json!("/rel"),
        json!("#privacy"),
        json!("javascript:alert(1)"),
        json!("HTTPS://A"),
        json!("data:x"),
        json!("httpſ://x"),
        json!("ftp:x"),
        json!("a:b/c"),
        json!("_ga*"),
        json!("*"),
        json!("**"),
        json!("a;b"),
        json!("a=b"),
        json!("a\u{7f}"),
        json!("lcc_consent"),
        json!("lcc_*"),
        json!("*_history"),
        json!("lcc_consent_history"),
        json!("*consent*"),
        json!("sha256-"),
        json!("sha256-abc"),
        json!("sha1-abc"),
        json!("SHA256-abc"),
        json!("de"),
        json!("pt-BR"),
        json!("en_US"),
        json!("en US"),
        long(35),
        long(36),
        long(64),
        long(65),
        json!("necessary"),
        json!("marketing"),
        json!("performance"),
        json!("google-analytics"),
        json!("google-ads"),
        json!("mixpanel"),
        json!("algolia"),
        json!("bar"),
        json!("box"),
        json!("cloud"),
        json!("dark"),
        json!("Dark"),
        json!("auto"),
        json!("honour"),
        json!("ignore"),
        json!("honor"),
        json!("bottom-left"),
        json!("top"),
        json!("/"),
        json!("/x"),
        json!("x/"),
        json!(".example.test"),
        json!(".."),
        json!("."),
        json!("a.b"),
        json!("ex ample"),
        json!("ad_storage"),
        json!("security_storage"),
        json!("\t"),
        json!("Ab"),
        json!("a-b_c9"),
        json!("é"),
        json!("zh-TW"),
        json!("zh-Hant"),
        json!("ZH"),
        json!("sv"),
        json!("SV_se"),
        json!(" de"),
        json!("de-"),
        json!("-de"),
        json!(0),
        json!(1),
        json!(182),
        json!(395),
        json!(396),
        json!(4_294_967_295u64),
        json!(4_294_967_296u64),
        json!(-1),
        json!(1.5),
        json!(true),
        json!(false),
        Value::Null,
        json!([]),
        json!({}),
        json!(["x"]),
        json!(["ad_storage"]),
        json!({ "x": 1 }),
        json!({ "title": "T" }),
        json!({ "accept_all": "A" }),
        json!({ "accept_all": " " }),
        json!({ "acept_all": "A" }),
        json!({ "map": {} }),
        json!({ "map": { "marketing": ["ad_storage"] } }),
        json!({ "texts": { "save": "S" } }),
        json!({ "id": "x", "title": "X" }),
        json!({ "id": "s", "title": "S", "provider": "P", "purpose": "U", "privacy_policy_url": "/p" }),
        json!({ "name": "_x" }),
        json!({ "src": "/a.js" }),
        json!({ "layout": "box" }),
    ]
    .into();
    let names = [
        "extra",
        "id",
        "title",
        "description",
        "read_only",
        "enabled",
        "sale_or_sharing",
        "services",
        "texts",
        "language",
        "map",
        "gpc_locked",
        "__proto__",
        "constructor",
        "name",
        "src",
        "integrity",
        "domain",
        "path",
        "vendor",
        "categories",
        "de",
        "xx",
        "fr-CA",
        "marketing",
        "mixpanel",
        "performance",
        "accept_all",
        "scheme",
        "position",
    ];
    let mut rng = Rng(0x0ddc_0ffe_e15b_ad5e);
    let mut cases: Vec<Value> = Vec::new();
    let push = |text: String, cases: &mut Vec<Value>| {
        let valid = ConsentConfig::from_json(&text).is_ok();
        cases.push(json!({ "text": text, "valid": valid }));
    };
    for t in &texts {
        push(t.clone(), &mut cases);
    }
    for _ in 0..4000 {
        let mut v = bases[rng.below(bases.len())].clone();
        for _ in 0..1 + usize::from(rng.below(4) == 0) {
            let mut at = Vec::new();
            pointers(&v, String::new(), &mut at);
            let p = at[rng.below(at.len())].clone();
            v = match rng.below(10) {
                // A field removed (or an array element).
                0 => mutated(&v, &p, None),
                // A field added next to this one.
                1 => {
                    let parent = p.rsplit_once('/').map_or("", |(a, _)| a);
                    match v.pointer(parent) {
                        Some(Value::Object(_)) => mutated(
                            &v,
                            &format!("{parent}/{}", rng.pick(&names)),
                            Some(values[rng.below(values.len())].clone()),
                        ),
                        _ => v,
                    }
                }
                _ => mutated(&v, &p, Some(values[rng.below(values.len())].clone())),
            };
        }
        push(v.to_string(), &mut cases);
    }
    // Texts serde_json and JSON.parse read differently, and other spellings of the same value.
    let demo = &texts[0];
    let edits: &[(&str, &str)] = &[
        ("\"revision\":1", "\"revision\":1.0"),
        ("\"revision\":1", "\"revision\":1e0"),
        ("\"revision\":1", "\"revision\":-0"),
        ("\"revision\":1", "\"revision\":01"),
        ("\"revision\":1", "\"revision\":1,\"revision\":1"),
        ("\"revision\":1", "\"revision\" : 1 "),
        ("\"revision\":1", "\"rev\\u0069sion\":1"),
        ("\"revision\":1", "\"revision\":1,\"__proto__\":{}"),
        (
            "\"expires_after_days\":182",
            "\"expires_after_days\":182,\"expires_after_days\":182",
        ),
        ("\"id\":\"necessary\"", "\"id\":\"necessary\",\"id\":\"necessary\""),
        ("\"id\":\"necessary\"", "\"id\":\"\\u006eecessary\""),
        ("\"title\":\"Performance\"", "\"title\":\"\\ud800\""),
        ("\"title\":\"Performance\"", "\"title\":\"\\udc00x\""),
        ("\"title\":\"Performance\"", "\"title\":\"\\ud83d\\ude00\""),
        ("\"title\":\"Performance\"", "\"title\":\"Perf\\tormance\""),
        ("\"title\":\"Performance\"", "\"title\":\"Perf\tormance\""),
        ("\"title\":\"Performance\"", "\"title\":\"Perf\\xormance\""),
        ("\"title\":\"Performance\"", "\"title\":'Performance'"),
        ("\"read_only\":true", "\"read_only\":true,"),
        ("\"read_only\":true", "\"read_only\":1"),
        ("\"read_only\":true", "\"read_only\":True"),
        ("{", "\u{feff}{"),
        ("{", "/* c */{"),
        ("{", " \n\t\r{"),
        ("{", "\u{a0}{"),
    ];
    for (from, to) in edits {
        assert!(demo.contains(from), "{from}");
        push(demo.replacen(from, to, 1), &mut cases);
    }
    push(format!("{demo} "), &mut cases);
    push(format!("{demo}x"), &mut cases);
    push(format!("{demo}{{}}"), &mut cases);
    push(format!("[{demo}]"), &mut cases);
    push("[".repeat(200) + &"]".repeat(200), &mut cases);
    let valid = cases.iter().filter(|c| c["valid"] == json!(true)).count();
    assert!(
        valid > 600 && valid < cases.len() - 1500,
        "{valid} of {} cases valid",
        cases.len()
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/shared-cases");
    std::fs::create_dir_all(&dir).unwrap();
    let out = json!({ "text_keys": leptos_consent::core::Texts::KEYS.to_vec(), "cases": cases });
    std::fs::write(dir.join("configs.json"), out.to_string()).unwrap();
}

/// An API call that decides (`acceptCategory`, `acceptService`), as the
/// decision code works it out without the UI (boot/choices.mjs `apiChoice`): on
/// a first visit, or over a stored decision, for every config variant, with
/// and without GPC, random arguments of every kind. Each case has the choice
/// the UI saves (`ApiCommand::parse`, then `accept_categories` or
/// `accept_services` from the stored state) and whether the call named
/// something the config lacks (the UI reports it, and only the UI carries
/// such a call out), or `"ui": true` where there is no choice to save
/// (arguments of the wrong kind, a category the config lacks). Written to
/// `target/shared-cases/api.json`.
#[test]
fn api_decisions_are_written_for_the_js_side() {
    use leptos_consent::core::{accept_categories, accept_services, ApiCommand};
    let configs = configs();
    let parsed: Vec<ConsentConfig> = configs
        .iter()
        .map(|c| ConsentConfig::from_json(&c.to_string()).expect("variant config is valid"))
        .collect();
    let mut rng = Rng(0x5eed_a11c_0de5_0003);
    let category_names = [
        "necessary",
        "performance",
        "functionality",
        "marketing",
        "third-party",
        "social",
        "all",
        "nope",
        "",
    ];
    let service_names = ["google-analytics", "mixpanel", "algolia", "all", "nope", ""];
    let pick_names = |rng: &mut Rng, pool: &[&str]| -> Value {
        match rng.below(8) {
            0 => Value::Null,
            1 => json!(7),
            2 => json!([rng.pick(pool), 3]),
            3 | 4 => json!(rng.pick(pool)),
            _ => Value::Array((0..rng.below(4)).map(|_| json!(rng.pick(pool))).collect()),
        }
    };
    let mut cases = Vec::new();
    let mut carried = 0;
    for _ in 0..3000 {
        let which = rng.below(configs.len());
        let gpc = rng.below(3) == 0;
        let cfg = parsed[which].clone().under_gpc(gpc);
        let (method, args) = if rng.below(2) == 0 {
            let mut args = vec![pick_names(&mut rng, &category_names)];
            if rng.below(2) == 0 {
                args.push(pick_names(&mut rng, &category_names));
            }
            ("acceptCategory", Value::Array(args))
        } else {
            let category = match rng.below(6) {
                0 => Value::Null,
                1 => json!(["performance"]),
                _ => json!(rng.pick(&category_names)),
            };
            ("acceptService", json!([pick_names(&mut rng, &service_names), category]))
        };
        // A first visit, or a decision already stored (random switches, as the core records them).
        let previous = (rng.below(3) == 0).then(|| {
            let mut switches = Choice::reject_all(&cfg);
            for c in &cfg.categories {
                if rng.below(2) == 0 {
                    switches.set_category(&cfg, &c.id, true);
                }
                for s in &c.services {
                    if rng.below(3) == 0 {
                        switches.set_service(&cfg, &s.id, rng.below(2) == 0);
                    }
                }
            }
            record_decision(&cfg, None, &switches, Method::Banner, T0, rng.bytes())
        });
        let current = Choice::from_record(&cfg, previous.as_ref());
        // The choice the UI saves (names the config lacks are ignored), and whether any were.
        let choice = match ApiCommand::parse(method, &args.to_string()) {
            Ok(ApiCommand::AcceptCategory { categories, exclude }) => {
                Some(accept_categories(&cfg, &current, categories.as_ref(), &exclude))
            }
            Ok(ApiCommand::AcceptService { services, category }) => {
                accept_services(&cfg, &current, &services, &category)
            }
            _ => None,
        };
        let expect = match choice {
            Some((c, unknown)) => {
                carried += usize::from(unknown.is_empty() && previous.is_none());
                json!({ "categories": c.categories, "services": c.services, "unknown": !unknown.is_empty() })
            }
            None => json!({ "ui": true }),
        };
        let rec: Value = previous.map_or(Value::Null, |r| serde_json::from_str(&r.encode()).unwrap());
        cases
            .push(json!({ "config": which, "gpc": gpc, "method": method, "args": args, "rec": rec, "expect": expect }));
    }
    assert!(
        carried > 400 && carried < 1800,
        "{carried} of 3000 carried out without the UI"
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/shared-cases");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("api.json"),
        json!({ "configs": configs, "cases": cases }).to_string(),
    )
    .unwrap();
}

/// `eraseCookies(names, path?, domain?)` without the UI (boot/plans.mjs
/// `eraseCookiesPlan`): random names and `*` patterns, an optional path and
/// domain, the cookies on the page, hosts and paths. Each case has the core's
/// plan (every form to expire, as `document.cookie` text, and the names
/// matched). Written to `target/shared-cases/erase.json`.
#[test]
fn erase_cookie_plans_are_written_for_the_js_side() {
    use leptos_consent::core::plan_erase_cookies;
    let present_pool = [
        "_ga",
        "_ga_X1",
        "_gid",
        "test_cookie1",
        "test_cookie2",
        "new_cookie",
        "Pref",
        "a*b",
        "",
    ];
    let pattern_pool = [
        "_ga",
        "_ga*",
        "test_cookie*",
        "*",
        "new_cookie",
        "nope",
        "",
        "*cookie*",
        "Pref",
        "a*b",
    ];
    let hosts = [
        "127.0.0.1",
        "localhost",
        "www.example.test",
        "a.b.example.test.",
        "WWW.Example.TEST",
        "[::1]",
        "",
    ];
    let paths = ["/", "/a", "/a/b", "/a/b/", "//a"];
    let domains = [
        None,
        Some("example.test"),
        Some(".Example.Test"),
        Some("wrong.domain"),
        Some(""),
    ];
    let given_paths = [None, Some("/"), Some("/other"), Some("")];
    let mut rng = Rng(0x5eed_e2a5_e000_0004);
    let mut cases = Vec::new();
    let mut planned = 0;
    for _ in 0..2000 {
        let names: Vec<String> = (0..1 + rng.below(3))
            .map(|_| rng.pick(&pattern_pool).to_owned())
            .collect();
        let mut present: Vec<String> = (0..rng.below(6)).map(|_| rng.pick(&present_pool).to_owned()).collect();
        present.sort();
        present.dedup();
        let (host, path) = (rng.pick(&hosts), rng.pick(&paths));
        let (domain, given_path) = (rng.pick(&domains), rng.pick(&given_paths));
        let plan = plan_erase_cookies(&names, given_path, domain, &present, host, path);
        planned += usize::from(!plan.cookies.is_empty());
        let forms: Vec<String> = plan.cookies.iter().map(|c| c.header()).collect();
        cases.push(json!({
            "names": names, "path": given_path, "domain": domain, "present": present,
            "host": host, "current": path, "forms": forms, "matched": plan.cookie_names,
        }));
    }
    assert!(planned > 400, "{planned} of 2000 plans erase something");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/shared-cases");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("erase.json"), json!({ "cases": cases }).to_string()).unwrap();
}
