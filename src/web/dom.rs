//! The document's own parts (`body`, `head`, `documentElement`, `cookie`), as
//! page markup cannot change them.
//!
//! `document.body` and its kin are ordinary properties that a named element
//! of the page shadows: with `<img name="body">` in the markup,
//! `document.body` is that image, and whatever is appended to it is lost.
//! These read the getters `Document.prototype` defines instead, which always
//! answer with the real element.

use wasm_bindgen::{JsCast, JsValue};

/// The accessor (`"get"` or `"set"`) the document's prototype chain defines
/// for `name` (never a named element of the page).
fn accessor(doc: &web_sys::Document, name: &str, which: &str) -> Option<js_sys::Function> {
    let key = JsValue::from_str(name);
    let mut proto = js_sys::Object::get_prototype_of(doc.as_ref());
    while !proto.is_null() {
        let desc = js_sys::Object::get_own_property_descriptor(&proto, &key);
        if !desc.is_undefined() {
            return js_sys::Reflect::get(&desc, &which.into()).ok()?.dyn_into().ok();
        }
        proto = js_sys::Object::get_prototype_of(&proto);
    }
    None
}

/// `document[name]` through the document's own getter.
fn own(doc: &web_sys::Document, name: &str) -> Option<JsValue> {
    accessor(doc, name, "get")?.call0(doc.as_ref()).ok()
}

/// The document's `<body>` (or frameset), if the parser has made it.
pub fn body(doc: &web_sys::Document) -> Option<web_sys::HtmlElement> {
    own(doc, "body")?.dyn_into().ok()
}

/// The document's `<head>`, if there is one.
pub fn head(doc: &web_sys::Document) -> Option<web_sys::HtmlElement> {
    own(doc, "head")?.dyn_into().ok()
}

/// The page's cookies as `document.cookie` gives them ("" where cookies are
/// unavailable): an `<img name="cookie">` cannot stand in for them.
pub fn cookie(doc: &web_sys::Document) -> String {
    own(doc, "cookie").and_then(|v| v.as_string()).unwrap_or_default()
}

/// Writes one cookie (`document.cookie = value`) through the document's own
/// setter: an `<img name="cookie">` would otherwise swallow the write, and a
/// clean-up would remove nothing.
pub fn set_cookie(doc: &web_sys::Document, value: &str) {
    if let Some(set) = accessor(doc, "cookie", "set") {
        let _ = set.call1(doc.as_ref(), &JsValue::from_str(value));
    }
}

/// The document's root element (`<html>`).
pub fn root_element(doc: &web_sys::Document) -> Option<web_sys::Element> {
    own(doc, "documentElement")?.dyn_into().ok()
}
