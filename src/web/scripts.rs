//! Runs gated scripts when core's plan says so: page scripts written as
//! `<script type="text/plain" data-category="…">` and scripts configured on services.
//!
//! External scripts download in parallel and execute in document order
//! (`async = false`); an inline script waits for the external ones before it.
//! Each script runs at most once per page view.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlScriptElement};

use crate::core::{granted_service_scripts, plan_activation, ConsentConfig, ConsentRecord, PageScript};
use crate::web::events::{dispatch, report, EVENT_SCRIPT_ERROR};

/// Marks a placeholder the gate has taken charge of: `blocked`, `queued`
/// (granted, waiting for its download or its turn), `done`.
const SEEN_ATTR: &str = "data-lcc-state";
/// Marks a live script inserted for a service's configured `scripts` entry
/// (by this gate or by the boot script), as `service-id`.
const SERVICE_ATTR: &str = "data-lcc-service";
/// Attributes that describe the gate, not the script: not copied to the live script.
const GATE_ATTRS: [&str; 5] = ["type", "data-category", "data-service", "data-type", SEEN_ATTR];

/// Where a granted script is on its way to running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Downloading or waiting for the scripts ahead of it: not in the page yet.
    Queued,
    /// No longer granted before it was inserted: it never runs on this page view.
    Cancelled,
    /// Inserted (or failed to load): it is out of the gate's hands.
    Inserted,
}

type Ticket = Rc<Cell<Stage>>;

struct Gated {
    placeholder: HtmlScriptElement,
    script: PageScript,
    /// Set while the script is queued or after it was inserted.
    ticket: Option<Ticket>,
}

/// A script about to be inserted.
struct Pending {
    element: HtmlScriptElement,
    external: bool,
    /// Where to insert: after the placeholder, or at the end of `<head>`/`<body>`.
    after: Option<Element>,
    ticket: Ticket,
    /// The placeholder to mark `done` once inserted.
    placeholder: Option<HtmlScriptElement>,
}

/// The page's gated scripts and what has already run.
///
/// A granted external script is first downloaded through `<link
/// rel="preload">` (all of a decision's scripts at once, in the decision's
/// task) and inserted only when its turn comes, so scripts execute in document
/// order and a withdrawal made meanwhile stops one that has not been inserted:
/// a script in the page cannot be stopped, one still downloading can.
#[derive(Default)]
pub struct ScriptGate {
    scripts: Vec<Gated>,
    /// `"service src"` of configured service scripts queued or inserted.
    services: Vec<(String, Ticket)>,
    /// Settles when everything queued so far has run (or was skipped).
    tail: Rc<RefCell<Option<js_sys::Promise>>>,
}

impl std::fmt::Debug for ScriptGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScriptGate")
            .field("scripts", &self.scripts.len())
            .finish()
    }
}

impl ScriptGate {
    /// Picks up gated scripts added to the document since the last scan.
    pub fn scan(&mut self) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let selector = format!("script[type=\"text/plain\"][data-category]:not([{SEEN_ATTR}])");
        // Under a nonce (Content-Security-Policy), the page's own scripts carry it: a
        // placeholder without it was not written by the page (an HTML injection) and runs no
        // more than an injected <script> would.
        let nonce = page_nonce(&doc);
        if let Ok(list) = doc.query_selector_all(&selector) {
            for i in 0..list.length() {
                let Some(el) = list.item(i).and_then(|n| n.dyn_into::<HtmlScriptElement>().ok()) else {
                    continue;
                };
                if nonce.as_ref().is_some_and(|n| *n != el.nonce()) {
                    let _ = el.set_attribute(SEEN_ATTR, "refused");
                    let src = el.get_attribute("src").unwrap_or_else(|| "an inline script".into());
                    report(&format!(
                        "{src} will never run: it lacks the nonce of the page's scripts"
                    ));
                    continue;
                }
                let _ = el.set_attribute(SEEN_ATTR, "blocked");
                let script = PageScript {
                    category: el.get_attribute("data-category").unwrap_or_default(),
                    service: el.get_attribute("data-service"),
                    done: false,
                };
                self.scripts.push(Gated {
                    placeholder: el,
                    script,
                    ticket: None,
                });
            }
        }
        // A data-category script without type="text/plain" has already run: tell the site owner.
        let unblocked = format!("script[data-category]:not([type=\"text/plain\"]):not([{SEEN_ATTR}])");
        if let Ok(list) = doc.query_selector_all(&unblocked) {
            for i in 0..list.length() {
                let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                    continue;
                };
                let _ = el.set_attribute(SEEN_ATTR, "unblocked");
                let src = el.get_attribute("src").unwrap_or_else(|| "(inline)".into());
                report(&format!(
                    "script {src} has data-category but not type=\"text/plain\": the browser ran it without waiting for consent"
                ));
            }
        }
    }

    /// Runs every script that `record` allows and that has not run yet, and
    /// cancels every queued one it no longer allows. Returns how many scripts
    /// were queued.
    pub fn activate(&mut self, cfg: &ConsentConfig, record: Option<&ConsentRecord>) -> usize {
        // A queued script is planned again: it stays queued only if still granted.
        let page: Vec<PageScript> = self
            .scripts
            .iter()
            .map(|g| PageScript {
                done: g.script.done && !is_queued(g.ticket.as_ref()),
                ..g.script.clone()
            })
            .collect();
        let plan = plan_activation(cfg, record, &page);
        for (i, err) in &plan.rejected {
            let g = &mut self.scripts[*i];
            if !g.script.done {
                g.script.done = true; // report once, never run
                let src = g.placeholder.src();
                let what = if src.is_empty() {
                    "an inline script".to_owned()
                } else {
                    src
                };
                report(&format!("{what} will never run: {err}"));
            }
        }
        let run = &plan.run;
        let mut queue = Vec::new();
        for (i, g) in self.scripts.iter_mut().enumerate() {
            let queued = is_queued(g.ticket.as_ref());
            if queued && !run.contains(&i) {
                cancel(g.ticket.take());
                g.script.done = false;
                let _ = g.placeholder.set_attribute(SEEN_ATTR, "blocked");
            } else if run.contains(&i) && !queued {
                g.script.done = true;
                if let Some(p) = revive(&g.placeholder) {
                    g.ticket = Some(p.ticket.clone());
                    queue.push(p);
                }
            }
        }
        let granted: Vec<(String, &str, &crate::core::ScriptSource)> = granted_service_scripts(cfg, record)
            .into_iter()
            .map(|(service, source)| (format!("{service} {}", source.src), service, source))
            .collect();
        self.services.retain(|(key, ticket)| {
            let keep = ticket.get() != Stage::Queued || granted.iter().any(|(k, ..)| k == key);
            if !keep {
                ticket.set(Stage::Cancelled);
            }
            keep
        });
        let already = inserted_service_scripts();
        for (key, service, source) in granted {
            if self.services.iter().any(|(k, _)| *k == key) || already.contains(&key) {
                continue;
            }
            if let Some(p) = configured(service, &source.src, source.integrity.as_deref()) {
                self.services.push((key, p.ticket.clone()));
                queue.push(p);
            }
        }
        let started = queue.len();
        if started > 0 {
            self.run_in_order(queue);
        }
        started
    }

    /// Starts every external download now and inserts the scripts one after
    /// another, behind everything queued before, each when the one before it
    /// has run.
    fn run_in_order(&self, queue: Vec<Pending>) {
        let queue: Vec<(Pending, Option<Preload>)> = queue
            .into_iter()
            .map(|p| {
                let preload = if p.external { preload(&p.element) } else { None };
                (p, preload)
            })
            .collect();
        let before = self.tail.borrow_mut().take();
        let mut finish = None;
        let done = js_sys::Promise::new(&mut |resolve, _| finish = Some(resolve));
        self.tail.replace(Some(done));
        wasm_bindgen_futures::spawn_local(async move {
            if let Some(before) = before {
                let _ = JsFuture::from(before).await;
            }
            // Scripts inserted and not yet run: an inline script waits for them.
            let mut running = Vec::new();
            for (p, preload) in queue {
                if !p.external {
                    settle_all(&mut running).await;
                }
                running.extend(run_one(p, preload).await);
            }
            settle_all(&mut running).await;
            if let Some(finish) = finish {
                let _ = finish.call0(&JsValue::NULL);
            }
        });
    }
}

fn is_queued(ticket: Option<&Ticket>) -> bool {
    ticket.is_some_and(|t| t.get() == Stage::Queued)
}

fn cancel(ticket: Option<Ticket>) {
    if let Some(t) = ticket {
        t.set(Stage::Cancelled);
    }
}

async fn settle_all(running: &mut Vec<js_sys::Promise>) {
    if !running.is_empty() {
        let all = js_sys::Promise::all(&running.drain(..).collect::<js_sys::Array>());
        let _ = JsFuture::from(all).await;
    }
}

/// Waits for the script's download, then inserts it unless it was cancelled
/// meanwhile; a script that fails to load is removed and reported once. An
/// external script is inserted with `async = false`, so the scripts inserted
/// before it run first; the returned promise settles once it has run.
async fn run_one(p: Pending, preload: Option<Preload>) -> Option<js_sys::Promise> {
    let downloaded = match &preload {
        Some(pre) => JsFuture::from(pre.settled.clone())
            .await
            .is_ok_and(|v| v.as_bool() == Some(true)),
        None => true,
    };
    if let Some(pre) = &preload {
        pre.link.remove();
    }
    if p.ticket.get() != Stage::Queued {
        return None;
    }
    p.ticket.set(Stage::Inserted);
    if let Some(ph) = &p.placeholder {
        let _ = ph.set_attribute(SEEN_ATTR, "done");
    }
    if !downloaded {
        failed(&p.element.src());
        return None;
    }
    if !p.external {
        insert(&p);
        return None;
    }
    p.element.set_async(false);
    let loaded = settled(p.element.as_ref());
    insert(&p);
    let element = p.element.clone();
    let ran = JsFuture::from(loaded.clone());
    wasm_bindgen_futures::spawn_local(async move {
        if !ran.await.is_ok_and(|v| v.as_bool() == Some(true)) {
            element.remove();
            failed(&element.src());
        }
    });
    Some(loaded)
}

/// Tells the page that a gated script did not load (it is retried on the next page view).
fn failed(src: &str) {
    report(&format!(
        "gated script {src} failed to load; it is tried again on the next page view"
    ));
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"src".into(), &JsValue::from_str(src));
    dispatch(EVENT_SCRIPT_ERROR, &detail);
}

/// A live copy of a placeholder: same attributes and text, real type, its
/// nonce (under a page nonce, `scan` takes no placeholder without it).
fn revive(placeholder: &HtmlScriptElement) -> Option<Pending> {
    let doc = placeholder.owner_document()?;
    let el: HtmlScriptElement = doc.create_element("script").ok()?.dyn_into().ok()?;
    for name in placeholder.get_attribute_names().iter().filter_map(|n| n.as_string()) {
        if GATE_ATTRS.contains(&name.as_str()) {
            continue;
        }
        if let Some(v) = placeholder.get_attribute(&name) {
            let _ = el.set_attribute(&name, &v);
        }
    }
    if let Some(t) = placeholder.get_attribute("data-type").filter(|t| !t.is_empty()) {
        el.set_type(&t);
    }
    // The nonce attribute reads as "" once the browser hides it: copy the property.
    el.set_nonce(&placeholder.nonce());
    let external = placeholder.has_attribute("src");
    if !external {
        let _ = el.set_text(&placeholder.text().unwrap_or_default());
    }
    let _ = placeholder.set_attribute(SEEN_ATTR, "queued");
    Some(Pending {
        element: el,
        external,
        after: Some(placeholder.clone().into()),
        ticket: Rc::new(Cell::new(Stage::Queued)),
        placeholder: Some(placeholder.clone()),
    })
}

/// A script element for a service's configured `scripts` entry.
fn configured(service: &str, src: &str, integrity: Option<&str>) -> Option<Pending> {
    let doc = web_sys::window()?.document()?;
    let el: HtmlScriptElement = doc.create_element("script").ok()?.dyn_into().ok()?;
    el.set_src(src);
    if let Some(sri) = integrity {
        el.set_integrity(sri);
        el.set_cross_origin(Some("anonymous"));
    }
    let _ = el.set_attribute("data-service", service);
    let _ = el.set_attribute(SERVICE_ATTR, service);
    if let Some(nonce) = page_nonce(&doc) {
        el.set_nonce(&nonce);
    }
    Some(Pending {
        element: el,
        external: true,
        after: None,
        ticket: Rc::new(Cell::new(Stage::Queued)),
        placeholder: None,
    })
}

/// `"service src"` of every configured service script already on the page.
fn inserted_service_scripts() -> Vec<String> {
    let mut out = Vec::new();
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return out;
    };
    if let Ok(list) = doc.query_selector_all(&format!("script[{SERVICE_ATTR}]")) {
        for i in 0..list.length() {
            if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let service = el.get_attribute(SERVICE_ATTR).unwrap_or_default();
                let src = el.get_attribute("src").unwrap_or_default();
                out.push(format!("{service} {src}"));
            }
        }
    }
    out
}

thread_local! {
    /// The nonce the boot script runs with, once it has handed the page over.
    static BOOT_NONCE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Takes the boot script's nonce ("" for none) as the page's: what the gate
/// inserts carries it, and a placeholder runs only with it. (Without a boot
/// script, the page's first script with a nonce says it.)
pub fn set_page_nonce(nonce: &str) {
    BOOT_NONCE.with(|n| *n.borrow_mut() = Some(nonce.to_owned()));
}

/// The page's nonce: the boot script's, else that of the first script of the
/// page that has one (a module or a classic script: a placeholder or a JSON
/// element, which anyone can write into the page, is not asked).
pub(crate) fn page_nonce(doc: &web_sys::Document) -> Option<String> {
    let nonce = match BOOT_NONCE.with(|n| n.borrow().clone()) {
        Some(n) => n,
        None => {
            let selector =
                "script[nonce]:not([type]), script[nonce][type=\"module\"], script[nonce][type=\"text/javascript\"]";
            doc.query_selector(selector)
                .ok()??
                .dyn_into::<web_sys::HtmlElement>()
                .ok()?
                .nonce()
        }
    };
    (!nonce.is_empty()).then_some(nonce)
}

/// A download started ahead of its script's turn.
struct Preload {
    link: Element,
    /// Resolves to whether the download succeeded.
    settled: js_sys::Promise,
}

/// Starts downloading a script: `<link rel="preload" as="script">` (or
/// `modulepreload`) with the same URL, nonce, integrity, CORS mode and
/// referrer policy, so that the script, inserted later, uses the download.
fn preload(script: &HtmlScriptElement) -> Option<Preload> {
    let doc = script.owner_document()?;
    let head = crate::web::head(&doc)?;
    let link = doc.create_element("link").ok()?;
    if script.type_() == "module" {
        let _ = link.set_attribute("rel", "modulepreload");
    } else {
        let _ = link.set_attribute("rel", "preload");
        let _ = link.set_attribute("as", "script");
    }
    let _ = link.set_attribute("href", &script.src());
    for name in ["integrity", "crossorigin", "referrerpolicy"] {
        if let Some(v) = script.get_attribute(name) {
            let _ = link.set_attribute(name, &v);
        }
    }
    let html: &web_sys::HtmlElement = link.dyn_ref()?;
    html.set_nonce(&script.nonce());
    let settled = settled(&link);
    head.append_child(&link).ok()?;
    Some(Preload { link, settled })
}

fn insert(p: &Pending) {
    let node: &web_sys::Node = p.element.as_ref();
    if let Some(after) = &p.after {
        if let Some(parent) = after.parent_node() {
            let _ = parent.insert_before(node, after.next_sibling().as_ref());
            return;
        }
    }
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        if let Some(target) = crate::web::head(&doc)
            .map(web_sys::Node::from)
            .or_else(|| crate::web::body(&doc).map(Into::into))
        {
            let _ = target.append_child(node);
        }
    }
}

/// A promise that resolves to `true` when `el` (a script or a preload link)
/// loaded and to `false` when it failed.
fn settled(el: &Element) -> js_sys::Promise {
    let target: &web_sys::EventTarget = el.as_ref();
    let target = target.clone();
    js_sys::Promise::new(&mut |resolve, _reject| {
        let done = Rc::new(RefCell::new(Some(resolve)));
        for (event, ok) in [("load", true), ("error", false)] {
            let done = done.clone();
            let on = Closure::once_into_js(move || {
                if let Some(resolve) = done.borrow_mut().take() {
                    let _ = resolve.call1(&JsValue::NULL, &JsValue::from_bool(ok));
                }
            });
            let _ = target.add_event_listener_with_callback(event, on.unchecked_ref());
        }
    })
}

/// Calls a function whenever scripts are added to the document (a
/// single-page app adding gated scripts after start). Stops when dropped.
pub struct ScriptWatch {
    observer: web_sys::MutationObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl std::fmt::Debug for ScriptWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScriptWatch")
    }
}

impl ScriptWatch {
    /// Watches the whole document; `None` where there is no document.
    pub fn new(on_added: impl Fn() + 'static) -> Option<Self> {
        let root = crate::web::root_element(&web_sys::window()?.document()?)?;
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
            if records.iter().any(|r| adds_script(&r)) {
                on_added();
            }
        });
        let observer = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        let init = web_sys::MutationObserverInit::new();
        init.set_child_list(true);
        init.set_subtree(true);
        observer.observe_with_options(&root, &init).ok()?;
        Some(ScriptWatch {
            observer,
            _callback: callback,
        })
    }
}

impl Drop for ScriptWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Whether a mutation record added a script element (or an element holding one).
fn adds_script(record: &JsValue) -> bool {
    let Some(record) = record.dyn_ref::<web_sys::MutationRecord>() else {
        return false;
    };
    let added = record.added_nodes();
    (0..added.length()).any(|i| {
        added
            .item(i)
            .and_then(|n| n.dyn_into::<Element>().ok())
            .is_some_and(|el| {
                el.tag_name().eq_ignore_ascii_case("script")
                    || el.query_selector("script[data-category]").ok().flatten().is_some()
            })
    })
}
