//! Runs gated scripts when core's plan says so: page scripts written as
//! `<script type="text/plain" data-category="…">` and scripts configured on services.
//!
//! External scripts download in parallel and execute in document order
//! (`async = false`); an inline script waits for the external ones before it.
//! Each script runs at most once per page view.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlScriptElement};

use crate::core::{granted_service_scripts, plan_activation, ConsentConfig, ConsentRecord, PageScript};
use crate::web::events::{dispatch, report, EVENT_SCRIPT_ERROR};

/// Marks a placeholder the gate has taken charge of.
const SEEN_ATTR: &str = "data-lcc-state";
/// Marks a live script inserted for a service's configured `scripts` entry
/// (by this gate or by the boot script), as `service-id`.
const SERVICE_ATTR: &str = "data-lcc-service";
/// Attributes that describe the gate, not the script: not copied to the live script.
const GATE_ATTRS: [&str; 5] = ["type", "data-category", "data-service", "data-type", SEEN_ATTR];

struct Gated {
    placeholder: HtmlScriptElement,
    script: PageScript,
}

/// A script about to be inserted: whether something must finish before it runs.
struct Pending {
    element: HtmlScriptElement,
    external: bool,
    /// Where to insert: after the placeholder, or at the end of `<head>`/`<body>`.
    after: Option<Element>,
}

/// The page's gated scripts and what has already run.
#[derive(Default)]
pub struct ScriptGate {
    scripts: Vec<Gated>,
    services_run: BTreeSet<String>,
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
        if let Ok(list) = doc.query_selector_all(&selector) {
            for i in 0..list.length() {
                let Some(el) = list.item(i).and_then(|n| n.dyn_into::<HtmlScriptElement>().ok()) else {
                    continue;
                };
                let _ = el.set_attribute(SEEN_ATTR, "blocked");
                let script = PageScript {
                    category: el.get_attribute("data-category").unwrap_or_default(),
                    service: el.get_attribute("data-service"),
                    done: false,
                };
                self.scripts.push(Gated {
                    placeholder: el,
                    script,
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

    /// Runs every script that `record` allows and that has not run yet.
    /// Returns how many scripts were started.
    pub fn activate(&mut self, cfg: &ConsentConfig, record: Option<&ConsentRecord>) -> usize {
        let page: Vec<PageScript> = self.scripts.iter().map(|g| g.script.clone()).collect();
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
        let mut queue = Vec::new();
        for i in plan.run {
            let g = &mut self.scripts[i];
            g.script.done = true;
            if let Some(p) = revive(&g.placeholder) {
                queue.push(p);
            }
        }
        let already = inserted_service_scripts();
        for (service, source) in granted_service_scripts(cfg, record) {
            let key = format!("{service} {}", source.src);
            if !self.services_run.insert(key.clone()) || already.contains(&key) {
                continue;
            }
            if let Some(p) = configured(service, &source.src, source.integrity.as_deref()) {
                queue.push(p);
            }
        }
        let started = queue.len();
        if started > 0 {
            run_in_order(queue);
        }
        started
    }
}

/// A live copy of a placeholder: same attributes and text, real type, page nonce.
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
    let _ = placeholder.set_attribute(SEEN_ATTR, "done");
    Some(Pending {
        element: el,
        external,
        after: Some(placeholder.clone().into()),
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
    })
}

/// `"service src"` of every configured service script already on the page.
fn inserted_service_scripts() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return out;
    };
    if let Ok(list) = doc.query_selector_all(&format!("script[{SERVICE_ATTR}]")) {
        for i in 0..list.length() {
            if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let service = el.get_attribute(SERVICE_ATTR).unwrap_or_default();
                let src = el.get_attribute("src").unwrap_or_default();
                out.insert(format!("{service} {src}"));
            }
        }
    }
    out
}

/// The nonce of the first script on the page that has one.
fn page_nonce(doc: &web_sys::Document) -> Option<String> {
    let el = doc.query_selector("script[nonce]").ok()??;
    let nonce = el.dyn_into::<web_sys::HtmlElement>().ok()?.nonce();
    (!nonce.is_empty()).then_some(nonce)
}

/// Inserts the scripts so that they execute in queue order while external
/// ones download together. Everything up to the first inline script that must
/// wait for an external one is inserted at once, in the caller's task (the
/// downloads start before the rest of a decision's work); the later external
/// scripts are preloaded at once and inserted in turn.
fn run_in_order(queue: Vec<Pending>) {
    let mut queue = queue.into_iter().peekable();
    let mut loading: Vec<js_sys::Promise> = Vec::new();
    while let Some(p) = queue.next_if(|p| p.external || loading.is_empty()) {
        start(&p, &mut loading);
    }
    let rest: Vec<Pending> = queue.collect();
    if rest.is_empty() {
        return;
    }
    for p in rest.iter().filter(|p| p.external) {
        preload(&p.element);
    }
    wasm_bindgen_futures::spawn_local(async move {
        for p in rest {
            if !p.external && !loading.is_empty() {
                // An inline script must not run before the external scripts ahead of it.
                let all = js_sys::Promise::all(&loading.drain(..).collect::<js_sys::Array>());
                let _ = JsFuture::from(all).await;
            }
            start(&p, &mut loading);
        }
    });
}

fn start(p: &Pending, loading: &mut Vec<js_sys::Promise>) {
    if p.external {
        p.element.set_async(false);
        loading.push(settled(&p.element));
    }
    insert(p);
}

/// Starts downloading a script that runs later: `<link rel="preload" as="script">`
/// with the same URL, nonce, integrity and CORS mode, so the script uses it.
fn preload(script: &HtmlScriptElement) {
    let Some(doc) = script.owner_document() else { return };
    let Some(head) = doc.head() else { return };
    let Ok(link) = doc.create_element("link") else { return };
    let _ = link.set_attribute("rel", "preload");
    let _ = link.set_attribute("as", "script");
    let _ = link.set_attribute("href", &script.src());
    for name in ["integrity", "crossorigin", "referrerpolicy"] {
        if let Some(v) = script.get_attribute(name) {
            let _ = link.set_attribute(name, &v);
        }
    }
    if let Ok(el) = link.dyn_into::<web_sys::HtmlElement>() {
        el.set_nonce(&script.nonce());
        let _ = head.append_child(&el);
    }
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
        if let Some(target) = doc
            .head()
            .map(web_sys::Node::from)
            .or_else(|| doc.body().map(Into::into))
        {
            let _ = target.append_child(node);
        }
    }
}

/// A promise that resolves when the script loaded or failed; a failure is
/// reported once through [`EVENT_SCRIPT_ERROR`] and does not stop the others.
fn settled(el: &HtmlScriptElement) -> js_sys::Promise {
    let el = el.clone();
    js_sys::Promise::new(&mut |resolve, _reject| {
        let done = Rc::new(RefCell::new(Some(resolve)));
        let finish = |failed: bool| {
            let done = done.clone();
            let el = el.clone();
            Closure::once_into_js(move || {
                if failed {
                    let src = el.src();
                    report(&format!("gated script {src} failed to load"));
                    let detail = js_sys::Object::new();
                    let _ = js_sys::Reflect::set(&detail, &"src".into(), &JsValue::from_str(&src));
                    dispatch(EVENT_SCRIPT_ERROR, &detail);
                }
                if let Some(resolve) = done.borrow_mut().take() {
                    let _ = resolve.call0(&JsValue::NULL);
                }
            })
        };
        el.set_onload(Some(finish(false).unchecked_ref()));
        el.set_onerror(Some(finish(true).unchecked_ref()));
    })
}
