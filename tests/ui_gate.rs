//! The Leptos API in a real browser: `ConsentProvider config=…`, `ConsentGate`
//! with its placeholder, and `use_consent` reading the decision reactively.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_consent::core::ConsentConfig;
use leptos_consent::ui::{try_use_consent, use_consent, ConsentBanner, ConsentGate, ConsentProvider};
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
    let video = use_consent().service("video");
    view! { <p data-testid="status">{move || if video.get() { "video on" } else { "video off" }}</p> }
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

#[wasm_bindgen_test]
async fn a_config_that_cannot_be_read_leaves_the_app_running_and_grants_nothing() {
    let root: web_sys::HtmlElement = doc().create_element("div").unwrap().unchecked_into();
    doc().body().unwrap().append_child(&root).unwrap();
    // A category id with a capital letter: the config is refused as a whole.
    let bad = CONFIG.replace("\"third-party\"", "\"Third-party\"");
    let handle = leptos::mount::mount_to(root.clone(), move || {
        #[component]
        fn Reads() -> impl IntoView {
            let consent = use_consent();
            let marketing = consent.category("marketing");
            let error = consent.error().map(|e| e.to_string()).unwrap_or_default();
            view! { <p data-testid="app">"the app; marketing " {move || marketing.get()} "; " {error}</p> }
        }
        view! {
            <ConsentProvider config=bad.clone()>
                <Reads/>
                <ConsentGate category="marketing"><span>"ads"</span></ConsentGate>
                <ConsentBanner/>
            </ConsentProvider>
        }
    });
    tick().await;
    let all = text(&root);
    assert!(all.contains("the app; marketing false"), "{all}");
    assert!(all.contains("categories[1].id"), "the error names the field: {all}");
    assert!(!all.contains("ads"), "{all}");
    assert!(
        root.query_selector("[data-testid=lcc-banner]").unwrap().is_none(),
        "nothing is asked"
    );
    drop(handle);
    root.remove();
}

#[wasm_bindgen_test]
async fn outside_a_provider_try_use_consent_is_none_and_the_app_still_renders() {
    let root: web_sys::HtmlElement = doc().create_element("div").unwrap().unchecked_into();
    doc().body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), || {
        let here = try_use_consent().is_some();
        view! { <p>{format!("provider: {here}")}</p> }
    });
    assert_eq!(text(&root), "provider: false");
    drop(handle);
    root.remove();
}

#[wasm_bindgen_test]
async fn a_language_switch_redraws_the_consent_ui_and_leaves_the_app_alone() {
    let root: web_sys::HtmlElement = doc().create_element("div").unwrap().unchecked_into();
    doc().body().unwrap().append_child(&root).unwrap();
    let cfg = CONFIG.replacen(
        "\"revision\": 1,",
        r#""revision": 1, "storage_key": "lcc_lang_test", "translations": { "sv": { "texts": { "accept_all": "Godkänn alla" } } },"#,
        1,
    );
    let cfg = cfg.replacen("\"storage_key\": \"lcc_gate_test\",", "", 1);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        #[component]
        fn Switch() -> impl IntoView {
            let consent = use_consent();
            view! { <button data-testid="app" on:click=move |_| consent.set_language.run("sv".into())>"app"</button> }
        }
        view! {
            <ConsentProvider config=cfg.clone()>
                <Switch/>
                <ConsentBanner/>
            </ConsentProvider>
        }
    });
    tick().await;
    let accept = || {
        root.query_selector("[data-testid=lcc-accept-all]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert_eq!(accept(), "Accept all");
    // The app's own element, marked: a redraw of the app would replace it.
    let app = root.query_selector("[data-testid=app]").unwrap().unwrap();
    js_sys::Reflect::set(&app, &"__mark".into(), &true.into()).unwrap();
    app.unchecked_ref::<web_sys::HtmlElement>().click();
    tick().await;
    assert_eq!(accept(), "Godkänn alla");
    let now = root.query_selector("[data-testid=app]").unwrap().unwrap();
    assert_eq!(
        js_sys::Reflect::get(&now, &"__mark".into()).unwrap(),
        true,
        "the app was not drawn again"
    );
    drop(handle);
    root.remove();
}

#[wasm_bindgen_test]
async fn a_controlled_open_opens_the_preferences_and_follows_their_closing() {
    let root: web_sys::HtmlElement = doc().create_element("div").unwrap().unchecked_into();
    doc().body().unwrap().append_child(&root).unwrap();
    let open = RwSignal::new(false);
    let cfg = ConsentConfig::from_json(CONFIG).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <ConsentProvider config=cfg.clone()>
                <leptos_consent::ui::PreferencesModal open=open/>
            </ConsentProvider>
        }
    });
    tick().await;
    let dialog = || -> web_sys::HtmlDialogElement {
        root.query_selector("[data-testid=lcc-preferences]")
            .unwrap()
            .unwrap()
            .unchecked_into()
    };
    assert!(!dialog().open());
    open.set(true);
    tick().await;
    assert!(dialog().open(), "the signal opened it");
    root.query_selector("[data-testid=lcc-close]")
        .unwrap()
        .unwrap()
        .unchecked_ref::<web_sys::HtmlElement>()
        .click();
    tick().await;
    assert!(!dialog().open());
    assert!(!open.get_untracked(), "closing it set the signal back");
    drop(handle);
    root.remove();
}
