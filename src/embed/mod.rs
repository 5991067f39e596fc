//! The plain-HTML drop-in: reads the JSON config from the page and mounts the
//! banner and the preferences modal. No consent logic lives here.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;

use crate::core::{boot_marker, stamp_note, ApiCommand, ConsentConfig, Method, StampNote};
use crate::ui::{
    install_page_triggers, ConsentBanner, ConsentContext, ConsentStatus, GpcNotice, PreferenceCenter, PreferencesModal,
};
use crate::web::{fetch_text, hint, listen, report, report_error, ConsentSession, ConsentStorage};

/// Id of the `<script type="application/json">` element holding the config.
pub const CONFIG_ELEMENT_ID: &str = "cc-config";
/// Id of the first layer the boot script draws while the UI loads.
const BOOT_BANNER_ID: &str = "lcc-boot";
/// Attribute marking where the preference center goes on a plain HTML page.
pub const PREFERENCE_CENTER_ATTR: &str = "data-cc-preference-center";

/// Boots the consent manager on the current page. With a missing or invalid
/// config it reports why and does nothing else: no gated script runs.
/// The config is read from the element's text, or fetched from its `data-src` URL.
pub fn start() {
    start_ui(None, None);
}

/// Starts the UI with what the boot script passed on: it sets
/// `window.__lccHandOver` to a function returning `{ previous, action }`
/// (see [`start_ui`]) before loading the wasm. Without it, starts afresh.
pub fn start_from_boot() {
    let ask = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"__lccHandOver".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match ask.as_ref().and_then(|f| f.call0(&wasm_bindgen::JsValue::NULL).ok()) {
        Some(h) => start_with(HandOver {
            previous: read_string(&h, "previous"),
            // (Read when the views are first drawn: the boot script's answer then includes
            // any press made since.)
            action: None,
            ask_again: ask,
            bridge: js_sys::Reflect::get(&h, &"bridge".into())
                .ok()
                .filter(|b| b.is_object()),
            // The config element the boot script started on or would take (it checked what
            // it is); none: there is none the boot script accepts, and the UI takes no other.
            config: js_sys::Reflect::get(&h, &"config".into())
                .ok()
                .and_then(|c| c.dyn_into().ok()),
            from_boot: true,
            nonce: read_string(&h, "nonce"),
        }),
        None => start_ui(None, None),
    }
}

fn read_string(obj: &wasm_bindgen::JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(obj, &key.into()).ok().and_then(|v| v.as_string())
}

/// Entry point called by the boot script (`leptos-consent-boot.js`) when the
/// page needs the UI. `previous` is the stored value the boot script ran the
/// page under, if it did; `action` a `data-cc` trigger clicked before the UI
/// was loaded (`show-preferencesModal`, `show-consentModal`, `accept-all`,
/// `accept-necessary`, `accept-custom`), performed once the UI is up.
#[wasm_bindgen]
pub fn start_ui(previous: Option<String>, action: Option<String>) {
    start_with(HandOver {
        previous,
        action,
        ask_again: None,
        bridge: None,
        config: None,
        from_boot: false,
        nonce: None,
    });
}

/// The page's config element. Handed over by the boot script: the one it
/// started on or would take, and no other (it checked the element's kind and
/// nonce; the console says what was wrong). Without the boot script: the one
/// `<script type="application/json" id="cc-config">` (an injected `<div
/// id="cc-config">` is never a config, and of two that qualify neither is
/// taken: one may be injected).
fn config_element(doc: &web_sys::Document, hand_over: &HandOver) -> Result<web_sys::HtmlScriptElement, String> {
    let none = || {
        format!("no <script type=\"application/json\" id=\"{CONFIG_ELEMENT_ID}\"> config the page can use; nothing will run")
    };
    if hand_over.from_boot {
        return hand_over.config.clone().ok_or_else(none);
    }
    let list = doc
        .query_selector_all(&format!("[id=\"{CONFIG_ELEMENT_ID}\"]"))
        .map_err(|_| none())?;
    let usable: Vec<web_sys::HtmlScriptElement> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlScriptElement>().ok())
        .filter(|s| s.type_() == "application/json")
        .collect();
    match usable.as_slice() {
        [one] => Ok(one.clone()),
        [] if list.length() > 0 => Err(format!(
            "#{CONFIG_ELEMENT_ID} is not a <script type=\"application/json\">: ignored; nothing will run"
        )),
        [] => Err(none()),
        _ => Err(format!(
            "two #{CONFIG_ELEMENT_ID} elements: neither is used (one may be injected); nothing will run"
        )),
    }
}

fn start_with(mut hand_over: HandOver) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(nonce) = &hand_over.nonce {
        crate::web::set_page_nonce(nonce);
    }
    let el = match config_element(&doc, &hand_over) {
        Ok(el) => el,
        Err(message) => return refuse(&doc, &hand_over, &message),
    };
    hand_over.config = Some(el.clone());
    match el.get_attribute("data-src") {
        Some(url) => wasm_bindgen_futures::spawn_local(async move {
            match fetch_text(&url).await {
                Ok(text) => boot(&doc, &text, hand_over),
                Err(e) => refuse(
                    &doc,
                    &hand_over,
                    &format!("could not load the consent config from {url}: {e}; nothing will run"),
                ),
            }
        }),
        None => boot(&doc, &el.text_content().unwrap_or_default(), hand_over),
    }
}

/// What the boot script passed on.
struct HandOver {
    previous: Option<String>,
    action: Option<String>,
    /// The boot script's `__lccHandOver`, asked for its action when the views
    /// are first drawn: a trigger clicked before the UI loaded, or a press on
    /// its early banner since (while the UI fetched the visitor's words).
    ask_again: Option<js_sys::Function>,
    /// The boot script's `window.CookieConsent` side: `attach(call, pull)` hands
    /// it the function that carries out API calls and the one that publishes
    /// the session's state at once; `state(config, record, prompt)` keeps its
    /// answers (`acceptedCategory`, …) in step with the session.
    bridge: Option<wasm_bindgen::JsValue>,
    /// The config element the boot script checked (and started on).
    config: Option<web_sys::HtmlScriptElement>,
    /// Whether the boot script handed the page over: then `config` is the only
    /// config element the UI may take.
    from_boot: bool,
    /// The boot script's nonce ("" for none), the page's.
    nonce: Option<String>,
}

fn boot(doc: &web_sys::Document, text: &str, hand_over: HandOver) {
    let cfg = match ConsentConfig::from_json(text) {
        Ok(cfg) => Arc::new(cfg),
        Err(e) => {
            refuse(doc, &hand_over, &format!("{e}; gated scripts stay blocked"));
            return;
        }
    };
    // The session from a task of its own, as the drawing below: each task compiles the
    // wasm functions it first calls, and on a slow CPU one task for everything is a long
    // task (bench/notes.md).
    let (doc, text) = (doc.clone(), text.to_owned());
    wasm_bindgen_futures::spawn_local(async move {
        next_task().await;
        start_session(&doc, &text, cfg, hand_over);
    });
}

/// Starts the session on a valid config, connects it to the page and draws.
fn start_session(doc: &web_sys::Document, text: &str, cfg: Arc<ConsentConfig>, hand_over: HandOver) {
    if let Some(el) = &hand_over.config {
        check_stamp(el, text);
    }
    let session = match &hand_over.previous {
        Some(previous) => ConsentSession::start_after(cfg, previous),
        None => ConsentSession::start(cfg),
    };
    // The drop-in's listeners live as long as the page.
    std::mem::forget(listen(&session));
    let Some(root) = new_root(doc) else { return };
    let center = doc
        .query_selector(&format!("[{PREFERENCE_CENTER_ATTR}]"))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let _ = any_spawner::Executor::init_wasm_bindgen();
    // The context lives for the page view; the views are drawn once the
    // words of the visitor's language are there, and again after a switch.
    let owner = Owner::new();
    let ctx = owner.with(|| {
        let ctx = ConsentContext::new(session);
        provide_context(ctx);
        std::mem::forget(install_page_triggers(ctx));
        ctx
    });
    std::mem::forget(owner.clone());
    attest(ctx, text);
    if let Some(bridge) = &hand_over.bridge {
        connect(bridge, ctx, text);
    }
    ctx.set_words_base(Some(words_base(hand_over.bridge.as_ref(), doc)));
    let doc = doc.clone();
    let mut action = hand_over.action;
    let mut ask_again = hand_over.ask_again;
    let drawn: Rc<RefCell<Vec<Box<dyn std::any::Any>>>> = Rc::default();
    owner.with(|| {
        Effect::new(move |_| {
            if ctx.language().get().is_none() {
                return;
            }
            // Dropping the old views unmounts them; state (open modal, draft) is in the context.
            drawn.borrow_mut().clear();
            let views = draw(ctx, root.clone(), center.clone());
            *drawn.borrow_mut() = views;
            // Same task as the drawing: the boot script's banner gives way to ours without a frame between.
            replace_boot_banner(&doc);
            // (Both taken on the first drawing: a later one, after a language switch, performs nothing.)
            let again = ask_again.take();
            let asked = action.take().or_else(|| {
                let h = again?.call0(&wasm_bindgen::JsValue::NULL).ok()?;
                read_string(&h, "action")
            });
            if let Some(a) = asked {
                perform(ctx, &doc, Some(&a));
            }
        });
    });
    // The words first (a file of the distribution when the visitor's language needs one),
    // from a task of its own: starting and drawing in one task made one long task on a slow
    // CPU (bench/notes.md); the boot script's early banner shows meanwhile.
    leptos::task::spawn_local(async move {
        next_task().await;
        ctx.start_language().await;
    });
}

/// Resolves from a task of its own (a zero timeout), letting the browser
/// handle input and paint in between.
async fn next_task() {
    let tick = js_sys::Promise::new(&mut |resolve, _| {
        let queued = web_sys::window().is_some_and(|w| w.set_timeout_with_callback(&resolve).is_ok());
        if !queued {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(tick).await;
}

/// Draws the banner, the modal and the notices into `root`, and the
/// preference center into `center` if the page has one.
fn draw(
    ctx: ConsentContext,
    root: web_sys::HtmlElement,
    center: Option<web_sys::HtmlElement>,
) -> Vec<Box<dyn std::any::Any>> {
    let mut out: Vec<Box<dyn std::any::Any>> = Vec::new();
    if let Some(center) = center {
        out.push(Box::new(leptos::mount::mount_to(center, move || {
            provide_context(ctx);
            view! { <PreferenceCenter/> }
        })));
    }
    out.push(Box::new(leptos::mount::mount_to(root.clone(), move || {
        provide_context(ctx);
        view! {
            <ConsentBanner/>
            <GpcNotice/>
            <ConsentStatus/>
        }
    })));
    // The modal (every category, service and cookie table) in a task of its
    // own: the banner is painted first and the page never waits for both. A
    // press on Manage meanwhile is in the context and opens it once mounted.
    let modal: Rc<RefCell<Option<leptos::mount::UnmountHandle<_>>>> = Rc::default();
    let slot = Rc::downgrade(&modal);
    leptos::task::spawn_local(async move {
        next_task().await;
        // Gone if the views were drawn again (a language switch) meanwhile.
        if let Some(slot) = slot.upgrade() {
            *slot.borrow_mut() = Some(leptos::mount::mount_to(root, move || {
                provide_context(ctx);
                view! { <PreferencesModal/> }
            }));
        }
    });
    out.push(Box::new(modal));
    out
}

/// The folder of the distribution (where `i18n/` is): the boot script's,
/// else that of a `leptos-consent-boot.js` script on the page, else `/dist/`.
fn words_base(bridge: Option<&wasm_bindgen::JsValue>, doc: &web_sys::Document) -> String {
    if let Some(base) = bridge
        .and_then(|b| js_sys::Reflect::get(b, &"base".into()).ok())
        .and_then(|v| v.as_string())
    {
        return base;
    }
    doc.query_selector("script[src*=\"leptos-consent-boot\"]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlScriptElement>().ok())
        .map(|s| s.src())
        .and_then(|src| src.rfind('/').map(|i| src[..=i].to_owned()))
        .unwrap_or_else(|| "/dist/".to_owned())
}

/// The page's `data-checked` stamp against the config text it has just
/// validated (`core::stamp_note`): a stale one is reported with the stamp that
/// fits now; a missing one is a hint at the console's verbose level.
fn check_stamp(el: &web_sys::HtmlScriptElement, text: &str) {
    let given = el.get_attribute("data-checked");
    match stamp_note(given.as_deref(), text, el.has_attribute("data-src"), CONFIG_ELEMENT_ID) {
        Some(StampNote::Stale(message)) => report(&message),
        Some(StampNote::Missing(message)) => hint(&message),
        None => {}
    }
}

/// Tells the boot script what this crate has validated (`boot_marker`): the
/// config text, and the record while a decision stands. From then on the boot
/// script decides for a returning visitor on its own. Kept in step with every
/// change of the record (here or in another tab).
fn attest(ctx: ConsentContext, text: &str) {
    let key = ctx.config().fingerprint_key();
    let text = text.to_owned();
    let write = move || {
        let standing = ctx
            .record()
            .get_untracked()
            .filter(|_| !ctx.must_ask())
            .map(|r| r.encode());
        ConsentStorage::open(&key).save(&boot_marker(&text, standing.as_deref()));
    };
    write();
    ctx.subscribe(write);
}

/// Connects the boot script's `window.CookieConsent` to this session: calls
/// made before and after the UI arrived are carried out here, and every change
/// of the record is published back, so that its synchronous answers
/// (`acceptedCategory`, `validConsent`, …) are the session's.
fn connect(bridge: &wasm_bindgen::JsValue, ctx: ConsentContext, text: &str) {
    let method = |name: &str| {
        js_sys::Reflect::get(bridge, &name.into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    };
    // Publishes the session's state (the config text, the record, whether to ask) to the boot
    // script: after every change, and whenever it asks (`pull`, as one of our lcc:consent
    // events arrives: the page's listeners run before this session's subscribers).
    let publish: Option<Rc<dyn Fn()>> = method("state").map(|state| {
        let text = wasm_bindgen::JsValue::from_str(text);
        Rc::new(move || {
            let record = ctx.current_record();
            let encoded = record.map_or(wasm_bindgen::JsValue::NULL, |r| r.encode().into());
            let prompt = ctx.must_ask();
            let _ = state.call3(&wasm_bindgen::JsValue::NULL, &text, &encoded, &prompt.into());
        }) as Rc<dyn Fn()>
    });
    if let Some(publish) = &publish {
        publish();
        let publish = publish.clone();
        ctx.subscribe(move || publish());
    }
    if let Some(attach) = method("attach") {
        let call = wasm_bindgen::closure::Closure::<dyn Fn(String, String)>::new(move |name: String, args: String| {
            match ApiCommand::parse(&name, &args) {
                Ok(cmd) => ctx.command(cmd),
                Err(e) => report(&e.to_string()),
            }
        });
        let pull = publish.map(|p| wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || p()));
        let pull_js = pull
            .as_ref()
            .map_or(wasm_bindgen::JsValue::UNDEFINED, |p| p.as_ref().clone());
        let _ = attach.call2(&wasm_bindgen::JsValue::NULL, call.as_ref(), &pull_js);
        // Both live as long as the page.
        call.forget();
        if let Some(pull) = pull {
            pull.forget();
        }
    }
}

/// No usable config: one clear error for the site owner; the boot script's
/// banner goes (no decision can be taken) and its API answers "not granted";
/// the visitor gets a notice instead of a blank page.
fn refuse(doc: &web_sys::Document, hand_over: &HandOver, message: &str) {
    report_error(message);
    if let Some(boot) = doc.get_element_by_id(BOOT_BANNER_ID) {
        boot.remove();
    }
    if let Some(refused) = hand_over
        .bridge
        .as_ref()
        .and_then(|b| js_sys::Reflect::get(b, &"refused".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = refused.call0(&wasm_bindgen::JsValue::NULL);
    }
    unavailable_notice(doc);
}

/// Under a config that cannot be used, the visitor still learns where they
/// stand instead of meeting a blank page: a notice (in the default words, as
/// the config's own cannot be trusted) that only necessary cookies are used.
/// It offers no choice, stores nothing, and closes for this page view.
fn unavailable_notice(doc: &web_sys::Document) {
    let Some(root) = new_root(doc) else { return };
    let t = crate::core::Texts::default();
    leptos::mount::mount_to(root, move || {
        let open = RwSignal::new(true);
        view! {
            <section class="lcc-banner" role="region" aria-labelledby="lcc-unavailable-title"
                data-testid="lcc-unavailable" hidden=move || !open.get()>
                <div class="lcc-banner__body">
                    <h2 id="lcc-unavailable-title" class="lcc-banner__title">{t.banner_title.clone()}</h2>
                    <p class="lcc-banner__text">{t.unavailable.clone()}</p>
                </div>
                <div class="lcc-banner__actions">
                    <button type="button" class="lcc-btn" data-testid="lcc-unavailable-close"
                        on:click=move |_| open.set(false)>{t.unavailable_close.clone()}</button>
                </div>
            </section>
        }
    })
    .forget();
}

/// A new `<div id="lcc-root" class="lcc-root">` at the end of the body.
fn new_root(doc: &web_sys::Document) -> Option<web_sys::HtmlElement> {
    let body = crate::web::body(doc)?;
    let root = doc
        .create_element("div")
        .ok()?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()?;
    root.set_class_name("lcc-root");
    root.set_id("lcc-root");
    body.append_child(&root).ok()?;
    Some(root)
}

/// Removes the first layer the boot script drew while the UI loaded, moving
/// keyboard focus to the same button of the UI's banner.
fn replace_boot_banner(doc: &web_sys::Document) {
    let Some(boot) = doc.get_element_by_id(BOOT_BANNER_ID) else {
        return;
    };
    let focused = doc
        .active_element()
        .filter(|el| boot.contains(Some(el)))
        .and_then(|el| el.get_attribute("data-testid"));
    boot.remove();
    if let Some(id) = focused {
        focus(doc, &id);
    }
}

fn focus(doc: &web_sys::Document, testid: &str) {
    if let Some(el) = doc
        .query_selector(&format!("#lcc-root [data-testid=\"{testid}\"]"))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Carries out what the visitor asked for before the UI was there: a page
/// trigger (`data-cc`) or a first-layer button of the boot script's banner.
fn perform(ctx: ConsentContext, doc: &web_sys::Document, action: Option<&str>) {
    match action {
        Some("show-preferencesModal") => ctx.open_preferences(),
        Some("show-consentModal") => ctx.show_banner(),
        Some("accept-all") => ctx.accept_all(Method::Api),
        Some("accept-necessary") => ctx.reject_all(Method::Api),
        Some("accept-custom") => ctx.save_modal_draft(),
        Some("banner:accept-all") => ctx.accept_all(Method::Banner),
        Some("banner:reject-all") => ctx.reject_all(Method::Banner),
        Some("banner:manage") => {
            // Escape from the modal returns focus to the banner's Manage button.
            focus(doc, "lcc-manage");
            ctx.open_preferences();
        }
        _ => {}
    }
}
