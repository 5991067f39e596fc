//! Sends decisions to the site's consent log (`log_url`) and keeps the
//! server's receipts: never in the way of the banner, the tags or the page.
//!
//! Each decision is queued in storage first (`<storage_key>_log`, a
//! [`LogOutbox`]) and then posted in the background with `fetch(…, {keepalive})`,
//! so it survives the page being left; what the server does not acknowledge
//! stays queued and goes on a later page view ([`send_queued`]). The server is
//! idempotent on consent id and sequence number: a post sent twice is stored once.

use std::cell::Cell;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::{
    config_fingerprint, refusal_code, refusal_next_seq, renumbered, with_config_text, ConsentConfig, ConsentRecord,
    LogOutbox, LoggedDecision, Source, LOG_QUEUE_LIMIT,
};
use crate::web::events::report;
use crate::web::storage::ConsentStorage;

thread_local! {
    /// Whether this page is sending the queue now (one sender at a time).
    static SENDING: Cell<bool> = const { Cell::new(false) };
    /// The outbox for this page view when storage keeps nothing (blocked, full):
    /// its decisions are still sent, once, from here.
    static IN_MEMORY: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The outbox as stored (or as this page view keeps it, when storage does not).
pub fn outbox(cfg: &ConsentConfig) -> LogOutbox {
    let storage = ConsentStorage::open(&cfg.log_key());
    let text = if storage.is_persistent() {
        storage.load()
    } else {
        IN_MEMORY.with(|m| m.borrow().clone())
    };
    LogOutbox::decode(text.as_deref())
}

fn save(cfg: &ConsentConfig, outbox: &LogOutbox) {
    let storage = ConsentStorage::open(&cfg.log_key());
    let text = outbox.encode();
    if storage.is_persistent() {
        storage.save(&text);
    } else {
        IN_MEMORY.with(|m| *m.borrow_mut() = Some(text));
    }
}

fn page() -> (String, String) {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return (String::new(), "/".into());
    };
    (
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_else(|_| "/".into()),
    )
}

/// Queues the decision that produced `record` and sends the queue. Does
/// nothing without `log_url`.
pub fn log_decision(cfg: &ConsentConfig, record: &ConsentRecord, source: Source, lang: &str, gpc: bool) {
    let Some(text) = cfg.log_url.as_ref().and(cfg.text.as_ref()) else {
        if cfg.log_url.is_some() {
            report("log_url is set but the config was not given as JSON text: decisions are not logged");
        }
        return;
    };
    let mut outbox = outbox(cfg);
    let seq = outbox.next_seq(&record.consent_id);
    let (origin, path) = page();
    outbox.enqueue(
        LoggedDecision::for_record(
            record,
            seq,
            &config_fingerprint(text),
            source,
            lang,
            gpc,
            &origin,
            &path,
        )
        .encode(),
    );
    save(cfg, &outbox);
    send_queued(cfg);
}

/// Sends what the outbox holds, oldest first, in the background (a later page
/// view calls it for what an earlier one could not deliver).
pub fn send_queued(cfg: &ConsentConfig) {
    let (Some(url), Some(text)) = (cfg.log_url.clone(), cfg.text.clone()) else {
        return;
    };
    if outbox(cfg).queue.is_empty() || SENDING.with(|s| s.replace(true)) {
        return;
    }
    let cfg = cfg.clone();
    wasm_bindgen_futures::spawn_local(async move {
        send_all(&cfg, &url, &text).await;
        SENDING.with(|s| s.set(false));
    });
}

/// What the server answered to one post.
enum Answer {
    /// Stored (or stored before): its receipt, as the server wrote it.
    Stored(Option<String>),
    /// A 4xx naming why (`error`), and the body: the decision as sent will never be stored.
    Refused(u16, String, String),
    /// The server or the network failed: try again on a later page view.
    Later,
}

async fn post(url: &str, body: &str) -> Answer {
    let Some(window) = web_sys::window() else {
        return Answer::Later;
    };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    // A string body goes as text/plain: a simple request, no preflight round trip.
    init.set_body(&body.into());
    // keepalive: the post outlives the page when the visitor leaves right after
    // deciding. (web-sys gates its setter behind unstable APIs; the field is standard.)
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &true.into());
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_mode(web_sys::RequestMode::Cors);
    let Ok(response) = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await else {
        return Answer::Later;
    };
    let Ok(response) = response.dyn_into::<web_sys::Response>() else {
        return Answer::Later;
    };
    let status = response.status();
    let text: String = match response.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    match status {
        // A receipt is a small JSON object; anything else a server answers is not kept.
        200..=299 if text.len() < 16 * 1024 && text.starts_with('{') => Answer::Stored(Some(text)),
        200..=299 => Answer::Stored(None),
        // Too many from this address now: not the decision's fault.
        429 => Answer::Later,
        400..=499 => Answer::Refused(status, refusal_code(&text).to_owned(), text),
        _ => Answer::Later,
    }
}

async fn send_all(cfg: &ConsentConfig, url: &str, config_text: &str) {
    // At most as many posts as the queue can hold, and their re-sends: an outbox
    // that cannot be written back (storage full) never keeps this page posting.
    for _ in 0..3 * LOG_QUEUE_LIMIT {
        // Read again each time: another tab may have sent or queued meanwhile.
        let Some(entry) = outbox(cfg).queue.first().cloned() else {
            return;
        };
        let mut answer = post(url, &entry).await;
        if matches!(&answer, Answer::Refused(409, code, _) if code == "config_unknown") {
            // The first decision under this config on this server: it asks for the text.
            answer = post(url, &with_config_text(&entry, config_text)).await;
        }
        let mut outbox = outbox(cfg);
        if let Answer::Refused(409, code, body) = &answer {
            if code == "sequence_taken" {
                // Another tab (or a client that knew the consent id) used this number:
                // the decision goes under the next free one, as the server says.
                let seq = outbox.seq.saturating_add(1).max(refusal_next_seq(body));
                if let Some((again, seq)) = renumbered(&entry, seq) {
                    outbox.seq = outbox.seq.max(seq);
                    for queued in outbox.queue.iter_mut().filter(|q| **q == entry) {
                        queued.clone_from(&again);
                    }
                    save(cfg, &outbox);
                    continue;
                }
            }
        }
        match answer {
            Answer::Stored(receipt) => outbox.settle(&entry, receipt),
            Answer::Refused(status, code, _) => {
                report(&format!(
                    "the consent log refused a decision ({status} {code}); it is not sent again"
                ));
                outbox.settle(&entry, None);
            }
            Answer::Later => return,
        }
        save(cfg, &outbox);
    }
}
