//! Keeps every open tab of the site in step: a decision in one tab is
//! broadcast to the others (BroadcastChannel, with the `storage` event as a
//! fallback), which adopt what storage now holds as if it had been decided there.
//!
//! A message is only a hint that something changed: anyone on the origin can
//! post on the channel, so each tab reads the stored record again and adopts
//! that, never the message's text. Where storage is memory-only (blocked), a
//! tab cannot check what another says: it keeps its own answer, and the tabs
//! no longer follow each other.

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
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_: web_sys::MessageEvent| {
            if let Some(session) = weak.upgrade() {
                session.reread();
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
            session.reread();
        }
    });
    let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    on_storage.forget();
}
