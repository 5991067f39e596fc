//! What the browser and the boot script tell the page view: the Global
//! Privacy Control signal, the Consent Mode update already pushed, the
//! page's and the browser's languages; and fetching the words of a language.

use wasm_bindgen::{JsCast, JsValue};

use crate::core::Words;

fn window_get(target: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Whether the browser sends Global Privacy Control
/// (`navigator.globalPrivacyControl === true`). A missing or throwing
/// property is no signal; the signal is never read as consent.
pub fn gpc_signal() -> bool {
    let Some(w) = web_sys::window() else { return false };
    let navigator = window_get(&w.into(), "navigator");
    window_get(&navigator, "globalPrivacyControl") == JsValue::TRUE
}

/// The global where the boot script notes the stored value whose Consent Mode
/// update it already pushed on this page view.
const BOOT_PUSHED: &str = "__lccGcm";

/// Whether the boot script already pushed the Consent Mode update for the
/// stored value `stored` on this page view (so the session does not push it twice).
pub fn boot_pushed_consent_mode(stored: &str) -> bool {
    let Some(w) = web_sys::window() else { return false };
    window_get(&w.into(), BOOT_PUSHED).as_string().as_deref() == Some(stored)
}

/// The page's `<html lang>` (if set) and the browser's preferred languages, in order.
pub fn page_languages() -> (Option<String>, Vec<String>) {
    let Some(w) = web_sys::window() else {
        return (None, Vec::new());
    };
    let html = w
        .document()
        .and_then(|d| crate::web::root_element(&d))
        .and_then(|e| e.get_attribute("lang"))
        .filter(|l| !l.trim().is_empty());
    let navigator = window_get(&w.into(), "navigator");
    let mut browser: Vec<String> = match window_get(&navigator, "languages").dyn_into::<js_sys::Array>() {
        Ok(list) => list.iter().filter_map(|l| l.as_string()).collect(),
        Err(_) => Vec::new(),
    };
    if browser.is_empty() {
        browser.extend(window_get(&navigator, "language").as_string());
    }
    (html, browser)
}

/// Fetches a text file; the error says what went wrong.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| "network error".to_owned())?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "not a response".to_owned())?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    let text = resp.text().map_err(|_| "unreadable body".to_owned())?;
    wasm_bindgen_futures::JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| "unreadable body".to_owned())
}

/// The built-in words of `lang` from `<base>i18n/<lang>.json` (the
/// distribution's folder). A missing or unreadable file is reported and
/// yields `None`: the words then come from the default language.
pub async fn fetch_words(base: &str, lang: &str) -> Option<Words> {
    let url = format!("{base}i18n/{lang}.json");
    let parsed = match fetch_text(&url).await {
        Ok(text) => serde_json::from_str::<Words>(&text).map_err(|e| e.to_string()),
        Err(e) => Err(e),
    };
    match parsed {
        Ok(words) => Some(words),
        Err(e) => {
            crate::web::report(&format!(
                "the words for \"{lang}\" could not be loaded from {url} ({e}); showing the default language"
            ));
            None
        }
    }
}
