//! The plain-HTML drop-in: reads the JSON config from the page and mounts the
//! banner and the preferences modal. No consent logic lives here.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::ConsentConfig;
use crate::ui::{install_page_triggers, ConsentBanner, ConsentContext, PreferencesModal};
use crate::web::{report, ConsentSession};

/// Id of the `<script type="application/json">` element holding the config.
pub const CONFIG_ELEMENT_ID: &str = "cc-config";

/// Boots the consent manager on the current page. With a missing or invalid
/// config it reports why and does nothing else: no gated script runs.
pub fn start() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(text) = doc
        .get_element_by_id(CONFIG_ELEMENT_ID)
        .and_then(|el| el.text_content())
    else {
        report(&format!("no <script type=\"application/json\" id=\"{CONFIG_ELEMENT_ID}\"> config on the page; nothing will run"));
        return;
    };
    let cfg = match ConsentConfig::from_json(&text) {
        Ok(cfg) => Arc::new(cfg),
        Err(e) => {
            web_sys::console::error_1(
                &format!("leptos-consent: {e}; gated scripts stay blocked").into(),
            );
            report(&e.to_string());
            return;
        }
    };
    let session = ConsentSession::start(cfg);
    let Some(body) = doc.body() else { return };
    let Some(root) = doc
        .create_element("div")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    root.set_class_name("lcc-root");
    root.set_id("lcc-root");
    if body.append_child(&root).is_err() {
        return;
    }
    leptos::mount::mount_to(root, move || {
        let ctx = ConsentContext::new(session);
        provide_context(ctx);
        install_page_triggers(ctx);
        view! {
            <ConsentBanner/>
            <PreferencesModal/>
            <div class="lcc-sr-only" role="status" aria-live="polite" data-testid="lcc-status">
                {move || ctx.announcement().get()}
            </div>
        }
    })
    .forget();
}
