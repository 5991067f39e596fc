//! Keeps every open tab of the site in step: a decision in one tab is
//! broadcast to the others (BroadcastChannel, with the `storage` event as a
//! fallback), which adopt it as if it had been made there.

use std::rc::{Rc, Weak};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::web::session::ConsentSession;

/// The channel name for a storage key: one channel per consent record.
fn channel_name(storage_key: &str) -> String {
    format!("lcc:{storage_key}")
}

/// Sends the encoded record to the other tabs (empty: the decision was
/// forgotten). Never throws.
pub fn broadcast(storage_key: &str, encoded: &str) {
    if let Ok(ch) = web_sys::BroadcastChannel::new(&channel_name(storage_key)) {
        let _ = ch.post_message(&encoded.into());
        ch.close();
    }
}

/// Listens for decisions made in other tabs for the life of the page.
pub fn listen(session: &Rc<ConsentSession>) {
    let Some(window) = web_sys::window() else { return };
    let key = session.config().storage_key.clone();

    let weak: Weak<ConsentSession> = Rc::downgrade(session);
    if let Ok(ch) = web_sys::BroadcastChannel::new(&channel_name(&key)) {
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let (Some(session), Some(value)) = (weak.upgrade(), e.data().as_string()) {
                // An empty message: the decision was forgotten there.
                session.adopt(Some(value.as_str()).filter(|v| !v.is_empty()));
            }
        });
        ch.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // Both live as long as the page.
        on_message.forget();
        std::mem::forget(ch);
    }

    let weak: Weak<ConsentSession> = Rc::downgrade(session);
    let on_storage = Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |e: web_sys::StorageEvent| {
        if e.key().as_deref() != Some(key.as_str()) {
            return;
        }
        if let Some(session) = weak.upgrade() {
            session.adopt(e.new_value().as_deref());
        }
    });
    let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    on_storage.forget();
}
