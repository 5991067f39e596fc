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

use crate::web::events::Listener;
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

/// Listens for decisions made in other tabs while the returned handle lives:
/// dropping it removes both listeners and closes the channel.
pub fn listen(session: &Rc<ConsentSession>) -> Listening {
    let mut out = Listening::default();
    let Some(window) = web_sys::window() else { return out };
    let key = session.config().storage_key.clone();

    let weak: Weak<ConsentSession> = Rc::downgrade(session);
    if let Ok(ch) = web_sys::BroadcastChannel::new(&channel_name(&key)) {
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_: web_sys::MessageEvent| {
            if let Some(session) = weak.upgrade() {
                session.reread();
            }
        });
        ch.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        out.channel = Some((ch, on_message));
    }

    let weak: Weak<ConsentSession> = Rc::downgrade(session);
    out.storage = Listener::add(&window, "storage", move |e: web_sys::Event| {
        let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
            return;
        };
        if e.key().as_deref() != Some(key.as_str()) {
            return;
        }
        if let Some(session) = weak.upgrade() {
            session.reread();
        }
    });
    out
}

type OnMessage = Closure<dyn Fn(web_sys::MessageEvent)>;

/// The listeners [`listen`] added; dropping it removes them.
#[derive(Default)]
pub struct Listening {
    channel: Option<(web_sys::BroadcastChannel, OnMessage)>,
    storage: Option<Listener>,
}

impl Drop for Listening {
    fn drop(&mut self) {
        if let Some((ch, _)) = self.channel.take() {
            ch.set_onmessage(None);
            ch.close();
        }
    }
}
