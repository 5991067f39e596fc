//! Window events that tell the host page what happened.

use wasm_bindgen::{JsCast, JsValue};

/// Event fired after every decision, with the stored record as `detail`.
pub const EVENT_CONSENT: &str = "lcc:consent";
/// Event fired when a decision changed what is granted, with the changes as `detail`.
pub const EVENT_CHANGE: &str = "lcc:change";
/// Event fired after a clean-up, with what was removed and what remains as `detail`.
pub const EVENT_CLEANUP: &str = "lcc:cleanup";
/// Event fired once per failing gated script, with `{ src, reason }` as `detail`.
pub const EVENT_SCRIPT_ERROR: &str = "lcc:script-error";
/// Event fired when the banner or the preferences modal shows or hides, with
/// `{ modal: "banner" | "preferences", open }` as `detail`.
pub const EVENT_MODAL: &str = "lcc:modal";
/// Event fired after `CookieConsent.setLanguage`, with `{ requested, language, ok }` as `detail`.
pub const EVENT_LANGUAGE: &str = "lcc:language";
/// Event fired when the consent manager hits a problem it worked around, with `{ message }` as `detail`.
pub const EVENT_ERROR: &str = "lcc:error";

/// Dispatches `name` on `window` with `detail` parsed from JSON. Never throws.
pub fn dispatch_json(name: &str, detail_json: &str) {
    let detail = js_sys::JSON::parse(detail_json).unwrap_or(JsValue::NULL);
    dispatch(name, &detail);
}

/// Dispatches `name` on `window` with `detail`. Never throws: a failure here
/// (a host page that broke `CustomEvent`) is not worth breaking consent for.
pub fn dispatch(name: &str, detail: &JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let init = web_sys::CustomEventInit::new();
    init.set_detail(detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = window.dispatch_event(&event);
    }
}

/// Reports a problem the consent manager recovered from: in the console and
/// as an [`EVENT_ERROR`] event, so the site owner can see what was wrong.
pub fn report(message: &str) {
    tell(message, web_sys::console::warn_1);
}

/// Reports a mistake that stops the consent manager (a config it cannot use):
/// once as a console error and as an [`EVENT_ERROR`] event.
pub fn report_error(message: &str) {
    tell(message, web_sys::console::error_1);
}

/// A hint for the site's developer at the console's verbose level (hidden
/// unless "Verbose" is on): nothing is wrong, something could be better.
pub fn hint(message: &str) {
    web_sys::console::debug_1(&JsValue::from_str(&format!("leptos-consent: {message}")));
}

fn tell(message: &str, log: fn(&JsValue)) {
    log(&JsValue::from_str(&format!("leptos-consent: {message}")));
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"message".into(), &JsValue::from_str(message));
    dispatch(EVENT_ERROR, &detail);
}

/// An event listener that is removed when this handle is dropped.
pub struct Listener {
    target: web_sys::EventTarget,
    kind: &'static str,
    closure: wasm_bindgen::closure::Closure<dyn Fn(web_sys::Event)>,
}

impl Listener {
    /// Adds `f` as a `kind` listener on `target`; `None` if the target refused it.
    pub fn add(
        target: &web_sys::EventTarget,
        kind: &'static str,
        f: impl Fn(web_sys::Event) + 'static,
    ) -> Option<Self> {
        let closure = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(f);
        target
            .add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())
            .ok()?;
        Some(Listener {
            target: target.clone(),
            kind,
            closure,
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.closure.as_ref().unchecked_ref());
    }
}
