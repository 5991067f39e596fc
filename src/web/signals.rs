//! What the browser and the boot script tell the page view: the Global
//! Privacy Control signal, and the Consent Mode update already pushed.

use wasm_bindgen::JsValue;

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
