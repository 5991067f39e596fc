//! Script activation in a real browser: document order, run-once, `!category`,
//! configured service scripts, and a failing script that does not stop the others.

use crate::core::{record_decision, Choice, ConsentConfig, ConsentRecord, Method};
use crate::web::ScriptGate;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

const CONFIG: &str = r#"{
  "revision": 1,
  "categories": [
    { "id": "necessary", "title": "Necessary", "read_only": true },
    { "id": "performance", "title": "Performance", "services": [
      { "id": "ga", "title": "GA", "provider": "G", "purpose": "p", "privacy_policy_url": "/p",
        "scripts": [ { "src": "data-url-placeholder" } ] }
    ] },
    { "id": "marketing", "title": "Marketing", "services": [
      { "id": "mp", "title": "MP", "provider": "M", "purpose": "p", "privacy_policy_url": "/p" }
    ] }
  ]
}"#;

/// A script URL whose body logs `name` into `window.__runs` (a blob URL, so no server is needed).
fn script_url(name: &str) -> String {
    let body = format!("(window.__runs = window.__runs || []).push({name:?});");
    let parts = js_sys::Array::of1(&JsValue::from_str(&body));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).unwrap();
    web_sys::Url::create_object_url_with_blob(&blob).unwrap()
}

fn config(service_script: &str) -> ConsentConfig {
    // Blob URLs are neither http(s) nor relative, so build the config and then set the src.
    let mut cfg = ConsentConfig::from_json(&CONFIG.replace("data-url-placeholder", "/placeholder.js")).unwrap();
    cfg.categories[1].services[0].scripts[0].src = service_script.to_owned();
    cfg
}

fn record(cfg: &ConsentConfig, choice: Choice) -> ConsentRecord {
    record_decision(cfg, None, &choice, Method::Banner, js_sys::Date::now() as u64, [3; 16])
}

fn add_placeholder(category: &str, service: Option<&str>, src: Option<&str>, inline: Option<&str>) {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: web_sys::HtmlScriptElement = doc.create_element("script").unwrap().dyn_into().unwrap();
    el.set_type("text/plain");
    el.set_attribute("data-category", category).unwrap();
    if let Some(s) = service {
        el.set_attribute("data-service", s).unwrap();
    }
    if let Some(src) = src {
        el.set_attribute("src", src).unwrap();
    }
    if let Some(code) = inline {
        el.set_text(code).unwrap();
    }
    doc.body().unwrap().append_child(&el).unwrap();
}

fn runs() -> Vec<String> {
    let v = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__runs".into()).unwrap();
    if v.is_undefined() {
        return Vec::new();
    }
    js_sys::Array::from(&v).iter().filter_map(|x| x.as_string()).collect()
}

fn reset_page() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let list = doc
        .query_selector_all("script[data-category], script[data-service]")
        .unwrap();
    for i in 0..list.length() {
        let n = list.item(i).unwrap();
        n.parent_node().unwrap().remove_child(&n).unwrap();
    }
    js_sys::Reflect::set(&web_sys::window().unwrap(), &"__runs".into(), &js_sys::Array::new()).unwrap();
}

async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[wasm_bindgen_test]
async fn scripts_run_in_document_order_and_only_once() {
    reset_page();
    let cfg = config(&script_url("service-script"));
    add_placeholder("performance", Some("ga"), Some(&script_url("ext-1")), None);
    add_placeholder(
        "performance",
        None,
        None,
        Some("(window.__runs = window.__runs || []).push('inline-2');"),
    );
    add_placeholder("performance", Some("ga"), Some(&script_url("ext-3")), None);
    add_placeholder("marketing", Some("mp"), None, Some("window.__runs.push('marketing');"));
    add_placeholder("!marketing", None, None, Some("window.__runs.push('no-marketing');"));
    add_placeholder(
        "necessary",
        None,
        None,
        Some("(window.__runs = window.__runs || []).push('necessary');"),
    );

    let mut gate = ScriptGate::default();
    gate.scan();
    // Before any choice: only the necessary script.
    gate.activate(&cfg, None);
    sleep(200).await;
    assert_eq!(runs(), vec!["necessary"]);

    let mut choice = Choice::reject_all(&cfg);
    choice.set_service(&cfg, "ga", true);
    let r = record(&cfg, choice);
    gate.activate(&cfg, Some(&r));
    gate.activate(&cfg, Some(&r)); // a second call runs nothing twice
    sleep(500).await;
    gate.scan();
    gate.activate(&cfg, Some(&r));
    sleep(200).await;
    assert_eq!(
        runs(),
        vec![
            "necessary",
            "ext-1",
            "inline-2",
            "ext-3",
            "no-marketing",
            "service-script"
        ]
    );
}

#[wasm_bindgen_test]
async fn a_failing_script_is_reported_and_does_not_stop_the_others() {
    reset_page();
    let cfg = config(&script_url("service-script"));
    add_placeholder("performance", None, Some("/this-script-does-not-exist.js"), None);
    add_placeholder("performance", None, Some(&script_url("after-failure")), None);
    add_placeholder("performance", None, None, Some("window.__runs.push('inline-after');"));
    js_sys::Function::new_no_args(
        "window.__errors = []; window.addEventListener('lcc:script-error', e => window.__errors.push(e.detail.src));",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    let mut gate = ScriptGate::default();
    gate.scan();
    gate.activate(&cfg, Some(&record(&cfg, Choice::accept_all(&cfg))));
    sleep(800).await;
    assert_eq!(runs(), vec!["after-failure", "inline-after", "service-script"]);
    let errors = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__errors".into()).unwrap();
    let errors: Vec<String> = js_sys::Array::from(&errors)
        .iter()
        .filter_map(|x| x.as_string())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].ends_with("/this-script-does-not-exist.js"));
    let doc = web_sys::window().unwrap().document().unwrap();
    assert!(
        doc.query_selector("script:not([type='text/plain'])[src$='/this-script-does-not-exist.js']")
            .unwrap()
            .is_none(),
        "the failed script is removed from the page"
    );
}

#[wasm_bindgen_test]
async fn a_script_withdrawn_before_its_turn_never_runs() {
    reset_page();
    let cfg = config(&script_url("service-script"));
    add_placeholder("performance", None, Some(&script_url("ext")), None);
    add_placeholder("performance", None, None, Some("window.__runs.push('inline');"));
    add_placeholder(
        "!performance",
        None,
        None,
        Some("window.__runs.push('no-performance');"),
    );
    let mut gate = ScriptGate::default();
    gate.scan();
    // Accept, then reject in the same task: the downloads have started, nothing is inserted.
    gate.activate(&cfg, Some(&record(&cfg, Choice::accept_all(&cfg))));
    gate.activate(&cfg, Some(&record(&cfg, Choice::reject_all(&cfg))));
    sleep(500).await;
    assert_eq!(runs(), vec!["no-performance"]);
    let doc = web_sys::window().unwrap().document().unwrap();
    assert_eq!(
        doc.query_selector_all("script[data-category='performance'][data-lcc-state='blocked']")
            .unwrap()
            .length(),
        2,
        "the withdrawn placeholders are blocked again"
    );
    // Granted again later: each runs now, once.
    gate.activate(&cfg, Some(&record(&cfg, Choice::accept_all(&cfg))));
    gate.activate(&cfg, Some(&record(&cfg, Choice::accept_all(&cfg))));
    sleep(500).await;
    assert_eq!(runs(), vec!["no-performance", "ext", "inline", "service-script"]);
}
