//! The Leptos API in a real browser: `ConsentProvider config=…`, `ConsentGate`
//! with its placeholder, and `use_consent` reading the decision reactively.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_consent::core::ConsentConfig;
use leptos_consent::ui::{use_consent, ConsentBanner, ConsentGate, ConsentProvider};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CONFIG: &str = r#"{
  "revision": 1,
  "storage_key": "lcc_gate_test",
  "reload_on_revoke": false,
  "categories": [
    { "id": "necessary", "title": "Necessary", "read_only": true },
    { "id": "third-party", "title": "Third-party content" },
    { "id": "marketing", "title": "Marketing", "services": [
      { "id": "video", "title": "VideoHost", "provider": "Video Inc.", "purpose": "p", "privacy_policy_url": "/p" },
      { "id": "ads", "title": "Ads", "provider": "Ads Inc.", "purpose": "p", "privacy_policy_url": "/p" }
    ] }
  ]
}"#;

fn doc() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn text(root: &web_sys::Element) -> String {
    root.text_content().unwrap_or_default()
}

async fn tick() {
    let p = js_sys::Promise::new(&mut |done, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&done, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[component]
fn Status() -> impl IntoView {
    let consent = use_consent();
    view! { <p data-testid="status">{move || if consent.service("video") { "video on" } else { "video off" }}</p> }
}

#[wasm_bindgen_test]
async fn gate_shows_a_placeholder_until_load_content_grants_exactly_that_service() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("lcc_gate_test").unwrap();
    let root: web_sys::HtmlElement = doc().create_element("div").unwrap().unchecked_into();
    doc().body().unwrap().append_child(&root).unwrap();
    let cfg = ConsentConfig::from_json(CONFIG).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <ConsentProvider config=cfg.clone()>
                <Status/>
                <ConsentGate category="marketing" service="video">
                    <span data-testid="video">"the video"</span>
                </ConsentGate>
                <ConsentGate category="third-party" fallback=|| view! { <em>"custom fallback"</em> }>
                    <span>"the map"</span>
                </ConsentGate>
                <ConsentBanner/>
            </ConsentProvider>
        }
    });
    tick().await;
    // In an app, the banner brings its own .lcc-root: the stylesheet's rules reach it.
    assert!(root
        .query_selector(".lcc-root > [data-testid=lcc-banner]")
        .unwrap()
        .is_some());
    let all = text(&root);
    assert!(all.contains("This content comes from VideoHost"), "{all}");
    assert!(all.contains("Video Inc."), "{all}");
    assert!(all.contains("custom fallback"), "{all}");
    assert!(all.contains("video off"), "{all}");
    assert!(!all.contains("the video"), "{all}");

    let load: web_sys::HtmlElement = root
        .query_selector("[data-testid=lcc-gate-load]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    load.click();
    tick().await;
    let all = text(&root);
    assert!(all.contains("the video"), "{all}");
    assert!(all.contains("video on"), "{all}");
    assert!(!all.contains("the map"), "only the video's service was granted: {all}");
    // The provider's status region announces the save to screen readers.
    let status = root
        .query_selector("[role=status][data-testid=lcc-status]")
        .unwrap()
        .unwrap();
    assert_eq!(text(&status), "Preferences saved");
    let stored = storage.get_item("lcc_gate_test").unwrap().unwrap();
    assert!(stored.contains(r#""video":true"#), "{stored}");
    assert!(stored.contains(r#""ads":false"#), "{stored}");
    assert!(stored.contains(r#""third-party":false"#), "{stored}");
    drop(handle);
    storage.remove_item("lcc_gate_test").unwrap();
    storage.remove_item("lcc_gate_test_history").unwrap();
}
