//! The consent context every component reads, and the `use_consent` hook.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

use send_wrapper::SendWrapper;
use serde::{Deserialize, Serialize};

use crate::core::{
    accept_categories, accept_services, category_granted, has_words_file, is_rtl, match_language, normalize_language,
    receipt_json, service_granted, ApiCommand, Choice, ConfigError, ConsentConfig, ConsentRecord, GateRule,
    HistoryEntry, Method, Source, Words, DEFAULT_LANGUAGE,
};
use crate::ui::install_page_triggers;
use crate::web::{
    dispatch_json, download_text, fetch_words, listen, page_languages, report, CleanupReport, ConsentSession, Listener,
    Listening, EVENT_LANGUAGE, EVENT_MODAL,
};

/// Whether this build runs in a browser: the server's (`ssr`, or any native
/// build) never calls a browser API, and never starts a session.
pub(crate) const IN_BROWSER: bool = cfg!(target_arch = "wasm32") && !cfg!(feature = "ssr");

/// Shared consent state for the components of one page. `Copy`, so closures
/// can capture it freely.
#[derive(Clone, Copy)]
pub(crate) struct ConsentContext {
    /// The page view's session: `None` on the server, while hydrating, and
    /// with a config that could not be read. (An `Option` around the wrapper:
    /// nothing browser-bound is ever created, or dropped, on a server thread.)
    session: StoredValue<Option<SendWrapper<Rc<ConsentSession>>>>,
    /// The session's listeners (other tabs, page triggers): removed with the context.
    listening: StoredValue<Option<SendWrapper<Held>>>,
    /// The config as the site gave it, under the visitor's GPC signal.
    base: StoredValue<Arc<ConsentConfig>>,
    config: StoredValue<Arc<ConsentConfig>>,
    record: RwSignal<Option<ConsentRecord>>,
    /// Whether the visitor must be asked (no current decision, or one without
    /// a switch for every category and service).
    asking: RwSignal<bool>,
    banner_open: RwSignal<bool>,
    banner_suppressed: RwSignal<bool>,
    preferences_open: RwSignal<bool>,
    modal_draft: RwSignal<Choice>,
    announcement: RwSignal<String>,
    history: RwSignal<Vec<HistoryEntry>>,
    cleanup: RwSignal<Option<CleanupReport>>,
    gpc_applied: RwSignal<bool>,
    /// What was wrong with the site's config, if anything: then nothing is
    /// asked, nothing optional is granted, and the consent UI draws nothing.
    error: StoredValue<Option<ConfigError>>,
    /// The language the interface is shown in; `None` until its words are there.
    language: RwSignal<Option<String>>,
    /// Where the built-in words are served (`<base>i18n/<lang>.json`), and those loaded so far.
    words: StoredValue<(Option<String>, BTreeMap<String, Words>)>,
}

/// The listeners a session's page view holds: other tabs, and page triggers.
type Held = (Listening, Option<Listener>);

/// What the server knew of the visitor when it rendered the page, shared with
/// the browser so that hydration starts from the same state.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct Known {
    pub(crate) record: Option<ConsentRecord>,
    pub(crate) asking: bool,
    pub(crate) gpc: bool,
}

impl ConsentContext {
    /// Wraps a started session; the banner opens when the session needs a prompt.
    /// (The drop-in: it shows the interface once the visitor's words are there.)
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "embed")), allow(dead_code))] // the drop-in's
    pub(crate) fn new(session: Rc<ConsentSession>) -> Self {
        let cfg = session.config().clone();
        let ctx = Self::blank(cfg.clone(), cfg, None, Known::default());
        ctx.attach(session);
        ctx.announce_modals();
        ctx
    }

    /// A context with no session yet: the state `known`, the interface in the
    /// config's own language at once.
    fn blank(base: Arc<ConsentConfig>, shown: Arc<ConsentConfig>, language: Option<String>, known: Known) -> Self {
        let draft = Choice::from_record(&base, known.record.as_ref());
        ConsentContext {
            session: StoredValue::new(None),
            listening: StoredValue::new(None),
            base: StoredValue::new(base.clone()),
            config: StoredValue::new(shown),
            banner_open: RwSignal::new(base.auto_show && known.asking),
            record: RwSignal::new(known.record),
            asking: RwSignal::new(known.asking),
            banner_suppressed: RwSignal::new(false),
            preferences_open: RwSignal::new(false),
            modal_draft: RwSignal::new(draft),
            announcement: RwSignal::new(String::new()),
            history: RwSignal::new(Vec::new()),
            cleanup: RwSignal::new(None),
            gpc_applied: RwSignal::new(false),
            error: StoredValue::new(None),
            language: RwSignal::new(language),
            words: StoredValue::new((None, BTreeMap::new())),
        }
    }

    /// The context a [`ConsentProvider`] gives its children: on the server,
    /// what the request tells of the visitor (the cookie copy, when the config
    /// keeps one); in the browser, the same while hydrating, and the session
    /// once the page is live.
    fn for_app(config: Result<Arc<ConsentConfig>, ConfigError>) -> Self {
        let cfg = match config {
            Ok(cfg) => cfg,
            Err(e) => return Self::failed(e),
        };
        // Server and browser render the same first frame: the server's view of
        // the visitor travels with the page (a browser rendering on its own
        // computes nothing here and starts its session at once).
        let known = SharedValue::new(|| {
            if IN_BROWSER {
                Known::default()
            } else {
                server_known(&cfg)
            }
        })
        .into_inner();
        let rendered = known.record.clone();
        let base = if known.gpc {
            Arc::new(ConsentConfig::clone(&cfg).under_gpc(true))
        } else {
            cfg.clone()
        };
        let lang = cfg.choose_language(None, &[]);
        let lang = if cfg.can_show(&lang, false) {
            lang
        } else {
            normalize_language(&cfg.default_language)
        };
        let shown = Arc::new(base.localized(&lang, None, None));
        let ctx = Self::blank(base, shown, Some(lang), known);
        ctx.announce_modals();
        if IN_BROWSER {
            let hydrating = Owner::current_shared_context().is_some_and(|c| c.during_hydration());
            if hydrating {
                // After hydration: a session changes what the page shows.
                Effect::new(move |started: Option<()>| {
                    if started.is_none() {
                        ctx.start_session(cfg.clone());
                        // The page was drawn from the server's view: what it granted beyond
                        // the decision this browser holds is taken back.
                        if ctx.session().is_some_and(|s| s.settle(rendered.as_ref())) {
                            report("the page was rendered from a cookie copy of a decision this browser does not hold: what it granted was taken back");
                        }
                        ctx.take_early_press();
                    }
                });
            } else {
                ctx.start_session(cfg);
            }
        }
        ctx
    }

    /// A context for a config that could not be read: says what is wrong
    /// (naming the field), grants nothing optional, asks nothing.
    fn failed(e: ConfigError) -> Self {
        leptos::logging::error!("leptos-consent: the config is not valid, nothing optional is granted: {e}");
        let cfg = Arc::new(ConsentConfig::necessary_only());
        let ctx = Self::blank(cfg.clone(), cfg, None, Known::default());
        ctx.error.set_value(Some(e));
        ctx
    }

    /// Starts the page view's session (storage, scripts, other tabs, page
    /// triggers, the visitor's language) and follows it.
    fn start_session(self, cfg: Arc<ConsentConfig>) {
        if self.session().is_some() {
            return;
        }
        let session = ConsentSession::start(cfg);
        let tabs = listen(&session);
        self.attach(session);
        let triggers = install_page_triggers(self);
        self.listening.set_value(Some(SendWrapper::new((tabs, triggers))));
        leptos::task::spawn_local(self.start_language());
    }

    /// Carries out the press on the server-rendered banner that
    /// [`ConsentHead`](crate::ui::ConsentHead) kept while the app hydrated,
    /// and tells it the page is live.
    fn take_early_press(self) {
        let Some(window) = web_sys::window() else { return };
        let key = |k: &str| wasm_bindgen::JsValue::from_str(k);
        let _ = js_sys::Reflect::set(&window, &key("__lccLive"), &wasm_bindgen::JsValue::TRUE);
        // The whole stylesheet, applied even where ConsentHead's script could not run.
        if let Some(link) = window
            .document()
            .and_then(|d| d.query_selector("link[data-lcc-css]").ok().flatten())
        {
            let _ = link.set_attribute("media", "all");
        }
        let press = js_sys::Reflect::get(&window, &key("__lccPress"))
            .ok()
            .and_then(|v| v.as_string());
        let _ = js_sys::Reflect::delete_property(&window, &key("__lccPress"));
        match press.as_deref() {
            Some("accept-all") => self.accept_all(Method::Banner),
            Some("reject-all") => self.reject_all(Method::Banner),
            Some("manage") => self.open_preferences(),
            _ => {}
        }
    }

    /// Takes its state from `session` from now on.
    fn attach(self, session: Rc<ConsentSession>) {
        let auto_show = session.config().auto_show;
        let pull = move |s: &ConsentSession| {
            self.base.set_value(s.config().clone());
            self.record.set(s.record());
            self.asking.set(s.prompt().is_some());
            self.banner_open.set(auto_show && s.prompt().is_some());
            self.history.set(s.history());
            self.cleanup.set(s.last_cleanup());
            self.gpc_applied.set(s.gpc_applied());
        };
        pull(&session);
        if !self.preferences_open.get_untracked() {
            self.modal_draft
                .set(Choice::from_record(session.config(), session.record().as_ref()));
        }
        // Decisions from other tabs (and our own) arrive through the session.
        let weak = Rc::downgrade(&session);
        session.subscribe(move || {
            if let Some(s) = weak.upgrade() {
                pull(&s);
            }
        });
        self.session.set_value(Some(SendWrapper::new(session)));
    }

    /// The session, in the browser once started.
    fn session(&self) -> Option<Rc<ConsentSession>> {
        if !IN_BROWSER {
            return None;
        }
        self.session.with_value(|s| s.as_deref().cloned())
    }

    /// The session, started now if the page is live and it has not started
    /// yet (a press in the instant between hydration and the session's start).
    /// `None` on the server and with a config that could not be read.
    fn live_session(&self) -> Option<Rc<ConsentSession>> {
        if IN_BROWSER && self.session().is_none() && self.error.with_value(Option::is_none) {
            self.start_session(self.base.get_value());
        }
        self.session()
    }

    /// What was wrong with the config ([`ConsentProvider`] was given one that
    /// could not be read), if anything.
    pub(crate) fn error(&self) -> Option<ConfigError> {
        self.error.get_value()
    }

    /// The language the interface is shown in (reactive); `None` until its
    /// words are loaded, and the components draw nothing meanwhile.
    pub fn language(&self) -> Signal<Option<String>> {
        self.language.into()
    }

    /// The `lang` and `dir` attribute values for the interface's root elements.
    pub fn lang_dir(&self) -> (String, &'static str) {
        let lang = self
            .language
            .get_untracked()
            .unwrap_or_else(|| DEFAULT_LANGUAGE.to_owned());
        let dir = if is_rtl(&lang) { "rtl" } else { "ltr" };
        (lang, dir)
    }

    /// Sets where the distribution's built-in words are served: `base` is the
    /// folder holding `i18n/` (the folder of `leptos-consent-boot.js`).
    /// Without it, only English and the config's own translations are shown.
    pub fn set_words_base(&self, base: Option<String>) {
        self.words.update_value(|(b, _)| *b = base);
    }

    /// Shows the interface in the language this page view asks for: the
    /// config's `language`, else `<html lang>`, else the browser's, else the
    /// default language. Loads the built-in words first when needed.
    pub async fn start_language(self) {
        let cfg = self.base.get_value();
        let (html, browser) = page_languages();
        let lang = cfg.choose_language(html.as_deref(), &browser);
        self.show_in(&cfg, &lang).await;
    }

    /// Switches the interface to `wanted` (`CookieConsent.setLanguage`):
    /// resolves to whether the config or the built-in words have that
    /// language. The current one is kept otherwise.
    pub async fn switch_language(self, wanted: String) -> bool {
        let cfg = self.base.get_value();
        let Some(lang) = match_language(&wanted, &cfg.languages()) else {
            report(&format!("setLanguage: no words for {wanted:?}; the language stays"));
            return false;
        };
        self.show_in(&cfg, &lang).await
    }

    /// Switches the interface to `lang` in the background (see
    /// [`ConsentContext::switch_language`]).
    pub fn set_language(&self, lang: impl Into<String>) {
        let (ctx, lang) = (*self, lang.into());
        leptos::task::spawn_local(async move {
            ctx.switch_language(lang).await;
        });
    }

    async fn show_in(self, cfg: &ConsentConfig, lang: &str) -> bool {
        let default = normalize_language(&cfg.default_language);
        let default_words = self.built_in_words(&default).await;
        let words = if lang == default {
            default_words.clone()
        } else {
            self.built_in_words(lang).await
        };
        let ok = cfg.can_show(lang, words.is_some());
        if ok {
            self.config
                .set_value(Arc::new(cfg.localized(lang, default_words.as_ref(), words.as_ref())));
            self.language.set(Some(lang.to_owned()));
        } else if self.language.get_untracked().is_none() {
            // The words could not be loaded: the default language, never nothing.
            self.config.set_value(Arc::new(cfg.localized(
                &default,
                default_words.as_ref(),
                default_words.as_ref(),
            )));
            self.language.set(Some(default));
        }
        ok
    }

    /// The built-in words of `lang` (English is built into the crate).
    async fn built_in_words(self, lang: &str) -> Option<Words> {
        if !has_words_file(lang) {
            return None;
        }
        if let Some(w) = self.words.with_value(|(_, cache)| cache.get(lang).cloned()) {
            return Some(w);
        }
        let base = self.words.with_value(|(b, _)| b.clone())?;
        let words = fetch_words(&base, lang).await?;
        self.words.update_value(|(_, cache)| {
            cache.insert(lang.to_owned(), words.clone());
        });
        Some(words)
    }

    /// Tells the page when the banner or the preferences modal shows or hides
    /// (an `lcc:modal` event with `{ modal: "banner" | "preferences", open }`).
    fn announce_modals(self) {
        let banner = self.banner_open();
        let preferences = self.preferences_open;
        for (name, open) in [("banner", banner), ("preferences", preferences.into())] {
            Effect::new(move |was: Option<bool>| {
                let now = open.get();
                if was.map_or(now, |w| w != now) {
                    dispatch_json(EVENT_MODAL, &format!(r#"{{"modal":"{name}","open":{now}}}"#));
                }
                now
            });
        }
    }

    /// The context provided by [`ConsentProvider`]. Panics outside one.
    pub(crate) fn expect() -> Self {
        expect_context::<ConsentContext>()
    }

    /// The config in force.
    pub fn config(&self) -> Arc<ConsentConfig> {
        self.config.get_value()
    }

    /// The stored decision (reactive).
    pub fn record(&self) -> Signal<Option<ConsentRecord>> {
        self.record.into()
    }

    /// Whether the first-layer banner is showing (reactive).
    pub fn banner_open(&self) -> Signal<bool> {
        let (open, suppressed) = (self.banner_open, self.banner_suppressed);
        Signal::derive(move || open.get() && !suppressed.get())
    }

    /// Keeps the banner closed on this page (a preference center offers the
    /// same choices inline).
    pub fn suppress_banner(&self) {
        self.banner_suppressed.set(true);
    }

    /// The visitor's recent decisions, oldest first (reactive).
    pub fn history(&self) -> Signal<Vec<HistoryEntry>> {
        self.history.into()
    }

    /// What the last clean-up could and could not remove (reactive).
    pub fn cleanup(&self) -> Signal<Option<CleanupReport>> {
        self.cleanup.into()
    }

    /// Offers the visitor their consent receipt as a JSON download.
    pub fn download_receipt(&self) {
        let Some(record) = self.record.get_untracked() else {
            return;
        };
        let receipts = self.live_session().map(|s| s.log_receipts()).unwrap_or_default();
        let json = receipt_json(&record, &self.history.get_untracked(), &receipts);
        download_text(&format!("consent-receipt-{}.json", record.consent_id), &json);
    }

    /// Whether the preferences modal is open (reactive).
    pub fn preferences_open(&self) -> Signal<bool> {
        self.preferences_open.into()
    }

    /// Whether Global Privacy Control turned an earlier opt-in off on this
    /// page view ([`GpcNotice`](crate::ui::GpcNotice) says so).
    pub fn gpc_applied(&self) -> Signal<bool> {
        self.gpc_applied.into()
    }

    /// The latest status message for screen readers (reactive).
    pub fn announcement(&self) -> Signal<String> {
        self.announcement.into()
    }

    /// Whether the visitor has yet to decide (or decide again): no current
    /// record, or one without a switch for every category and service.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "embed")), allow(dead_code))] // the drop-in's
    pub fn must_ask(&self) -> bool {
        match self.session() {
            Some(s) => s.prompt().is_some(),
            None => self.asking.get_untracked(),
        }
    }

    /// Whether the visitor must be asked (reactive).
    pub fn asking(&self) -> Signal<bool> {
        self.asking.into()
    }

    /// The record in force in the session now (not reactive). While a change
    /// is being applied (during its `lcc:consent` event) this is already the
    /// new one, where [`ConsentContext::record`] still holds the old.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "embed")), allow(dead_code))] // the drop-in's
    pub fn current_record(&self) -> Option<ConsentRecord> {
        match self.session() {
            Some(s) => s.record(),
            None => self.record.get_untracked(),
        }
    }

    /// Calls `f` after every change of the record in force, local or from another tab.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "embed")), allow(dead_code))] // the drop-in's
    pub fn subscribe(&self, f: impl Fn() + 'static) {
        if let Some(s) = self.session() {
            s.subscribe(f);
        }
    }

    /// Whether a category is granted (reactive).
    pub fn is_category_granted(&self, id: &str) -> bool {
        let cfg = self.config();
        self.record.with(|r| category_granted(&cfg, r.as_ref(), id))
    }

    /// Whether a tag gated on `category` (and `service`) runs now, untracked: the
    /// script gate's own rule (a service in another category, or an unknown id,
    /// never runs; `!id` runs on an explicit refusal).
    pub(crate) fn granted_now(&self, category: &str, service: Option<&str>) -> bool {
        let cfg = self.config();
        GateRule::parse(&cfg, category, service)
            .is_ok_and(|rule| self.record.with_untracked(|r| rule.is_open(&cfg, r.as_ref())))
    }

    /// Whether a service is granted (reactive).
    pub fn is_service_granted(&self, id: &str) -> bool {
        let cfg = self.config();
        self.record.with(|r| service_granted(&cfg, r.as_ref(), id))
    }

    /// Saves a choice: stores it, runs what it allows, closes the banner and modal.
    pub fn save(&self, choice: &Choice, method: Method) {
        self.save_from(choice, Source::from_method(method));
    }

    /// [`ConsentContext::save`], naming where in the interface the choice was
    /// made (the consent log tells the modal from the preference center).
    pub fn save_from(&self, choice: &Choice, source: Source) {
        let Some(session) = self.live_session() else {
            return;
        };
        if let Some(lang) = self.language.get_untracked() {
            session.set_language(&lang);
        }
        session.decide_from(choice, source);
        self.preferences_open.set(false);
        let saved = self.config().texts.saved.clone();
        self.announcement.set(saved);
    }

    /// Accepts every category and service.
    pub fn accept_all(&self, method: Method) {
        self.save(&Choice::accept_all(&self.config()), method);
    }

    /// Refuses every optional category and service.
    pub fn reject_all(&self, method: Method) {
        self.save(&Choice::reject_all(&self.config()), method);
    }

    /// Opens the preferences modal.
    pub fn open_preferences(&self) {
        self.preferences_open.set(true);
    }

    /// Closes the preferences modal without saving.
    pub fn close_preferences(&self) {
        self.preferences_open.set(false);
    }

    /// The switches of the preferences modal, as the visitor is setting them.
    pub fn modal_draft(&self) -> RwSignal<Choice> {
        self.modal_draft
    }

    /// Saves the preferences modal's switches (`data-cc="accept-custom"`).
    pub fn save_modal_draft(&self) {
        self.save(&self.modal_draft.get_untracked(), Method::Preferences);
    }

    /// Hides the first-layer banner without deciding: the visitor is asked
    /// again on the next page view.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "embed")), allow(dead_code))] // the drop-in's
    pub fn hide_banner(&self) {
        self.banner_open.set(false);
    }

    /// Carries out a call of the JS API (`window.CookieConsent`). A call that
    /// names unknown categories or services does the rest and reports them.
    #[cfg_attr(not(all(target_arch = "wasm32", feature = "embed")), allow(dead_code))] // the drop-in's
    pub fn command(&self, cmd: ApiCommand) {
        let cfg = self.config();
        let stored = || Choice::from_record(&cfg, self.record.get_untracked().as_ref());
        let unknown = |what: &str, names: Vec<String>| {
            if !names.is_empty() {
                report(&format!("{what} {names:?} not in the config; ignored"));
            }
        };
        match cmd {
            ApiCommand::Show => self.show_banner(),
            ApiCommand::Hide => self.hide_banner(),
            ApiCommand::ShowPreferences => self.open_preferences(),
            ApiCommand::HidePreferences => self.close_preferences(),
            ApiCommand::AcceptCategory { categories, exclude } => {
                // Without names, vanilla-cookieconsent saves the open modal's switches.
                let current = if categories.is_none() && self.preferences_open.get_untracked() {
                    self.modal_draft.get_untracked()
                } else {
                    stored()
                };
                let (choice, names) = accept_categories(&cfg, &current, categories.as_ref(), &exclude);
                unknown("CookieConsent.acceptCategory: categories", names);
                self.save(&choice, Method::Api);
            }
            ApiCommand::AcceptService { services, category } => {
                match accept_services(&cfg, &stored(), &services, &category) {
                    Some((choice, names)) => {
                        unknown(
                            &format!("CookieConsent.acceptService: services of \"{category}\""),
                            names,
                        );
                        self.save(&choice, Method::Api);
                    }
                    None => report(&format!(
                        "CookieConsent.acceptService: category \"{category}\" is not in the config; nothing changed"
                    )),
                }
            }
            ApiCommand::SetLanguage { language, force } => {
                let ctx = *self;
                leptos::task::spawn_local(async move {
                    // As vanilla-cookieconsent: the language shown is not set again (false) unless forced.
                    let cfg = ctx.base.get_value();
                    let shown = match_language(&language, &cfg.languages())
                        .is_some_and(|l| ctx.language.get_untracked() == Some(l));
                    let ok = (!shown || force) && ctx.switch_language(language.clone()).await;
                    let now = ctx.language.get_untracked().unwrap_or_default();
                    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
                    let detail = format!(
                        r#"{{"requested":{},"language":{},"ok":{ok}}}"#,
                        quote(&language),
                        quote(&now)
                    );
                    dispatch_json(EVENT_LANGUAGE, &detail);
                });
            }
            ApiCommand::SetCookieData { data } => {
                if !self.live_session().is_some_and(|s| s.set_data(data)) {
                    report("CookieConsent.setCookieData: no consent to keep the data with yet; nothing changed");
                }
            }
            ApiCommand::EraseCookies { names, path, domain } => {
                let Some(session) = self.live_session() else {
                    return;
                };
                let result = session.erase_cookies(&names, path.as_deref(), domain.as_deref());
                if !result.remaining_cookies.is_empty() {
                    report(&format!(
                        "CookieConsent.eraseCookies: could not remove {:?} (HttpOnly, or set on a domain or path this page cannot reach)",
                        result.remaining_cookies
                    ));
                }
            }
            ApiCommand::Reset { erase } => {
                self.preferences_open.set(false);
                self.hide_banner();
                if let Some(s) = self.live_session().filter(|_| erase) {
                    s.forget();
                }
            }
        }
    }

    /// Shows the first-layer banner again.
    pub fn show_banner(&self) {
        self.banner_suppressed.set(false);
        self.banner_open.set(true);
    }
}

/// What [`ConsentProvider`] is given: a config already read, or its JSON
/// text, read on the spot. A config that cannot be read does not take the
/// app down: the app renders, nothing optional is granted, nothing is asked,
/// and the error (naming the field) is logged and offered by
/// [`UseConsent::error`].
#[derive(Clone)]
pub struct ConfigInput(pub(crate) Result<Arc<ConsentConfig>, ConfigError>);

impl From<ConsentConfig> for ConfigInput {
    fn from(cfg: ConsentConfig) -> Self {
        ConfigInput(Ok(Arc::new(cfg)))
    }
}

impl From<Arc<ConsentConfig>> for ConfigInput {
    fn from(cfg: Arc<ConsentConfig>) -> Self {
        ConfigInput(Ok(cfg))
    }
}

impl From<Result<ConsentConfig, ConfigError>> for ConfigInput {
    fn from(read: Result<ConsentConfig, ConfigError>) -> Self {
        ConfigInput(read.map(Arc::new))
    }
}

impl From<&str> for ConfigInput {
    fn from(json: &str) -> Self {
        ConsentConfig::from_json(json).into()
    }
}

impl From<String> for ConfigInput {
    fn from(json: String) -> Self {
        json.as_str().into()
    }
}

/// Starts consent for `config` and provides it to its children: the banner,
/// the modal, gates and anything that calls [`use_consent`]. The children
/// render at once, on the server and in the browser; only the consent
/// components wait for, and follow, the visitor's language.
///
/// In the browser it reads storage, runs what the stored decision grants and
/// keeps other tabs in step (after hydration, in a server-rendered app). On
/// the server it renders what the request tells: with
/// [`ConsentConfig::server_cookie`] in the config, a decided visitor gets no
/// banner and the content their choice grants (see `docs/leptos-ssr.md`).
///
/// ```
/// use leptos::prelude::*;
/// use leptos_consent::ui::{ConsentBanner, ConsentGate, ConsentProvider, PreferencesModal};
///
/// const CONFIG: &str = r#"{ "revision": 1, "categories": [
///     { "id": "necessary", "title": "Necessary", "read_only": true },
///     { "id": "marketing", "title": "Marketing" } ] }"#;
///
/// #[component]
/// fn App() -> impl IntoView {
///     view! {
///         <ConsentProvider config=CONFIG>
///             <main>
///                 <ConsentGate category="marketing">"Shown with marketing consent"</ConsentGate>
///             </main>
///             <ConsentBanner/>
///             <PreferencesModal/>
///         </ConsentProvider>
///     }
/// }
/// # let _ = App;
/// ```
#[component]
pub fn ConsentProvider(
    /// The config: a [`ConsentConfig`] (from [`ConsentConfig::from_json`]), its
    /// `Result`, or the JSON text.
    #[prop(into)]
    config: ConfigInput,
    /// The folder that holds the distribution's `i18n/` words (for example
    /// `"/dist/"`): the built-in languages are loaded from there when a
    /// visitor needs one. Without it: English and the config's translations.
    #[prop(optional, into)]
    words_url: Option<String>,
    /// The app, or the part of it that reads consent. A status region for
    /// "Preferences saved" is drawn after it.
    children: Children,
) -> impl IntoView {
    let ctx = ConsentContext::for_app(config.0);
    ctx.set_words_base(words_url);
    provide_context(ctx);
    view! {
        {children()}
        <crate::ui::ConsentStatus/>
    }
}

/// Draws `view` in the language shown, and again after a switch; nothing
/// while the words load or with a config that could not be read.
#[cfg(not(feature = "embed"))]
pub(crate) fn in_language<V: IntoView + 'static>(
    ctx: ConsentContext,
    view: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        ctx.language()
            .get()
            .filter(|_| ctx.error.with_value(Option::is_none))
            .map(|_| erase(view()))
    }
}

/// The drop-in draws each view once the words are there and draws it again
/// after a switch (`src/embed`), and never with a config it could not read
/// (it says what is wrong instead): a view that followed the language or
/// checked the config itself would be code in its wasm that never runs.
#[cfg(feature = "embed")]
pub(crate) fn in_language<V: IntoView + 'static>(
    _ctx: ConsentContext,
    view: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    view()
}

/// In an app, a view with its type erased: rendering on the server and
/// hydrating go through nested futures whose types would otherwise exceed the
/// compiler's recursion limit in the app's crate.
#[cfg(not(feature = "embed"))]
pub(crate) fn erase<V: IntoView + 'static>(view: V) -> AnyView {
    view.into_any()
}

/// In the drop-in, the view as it is: it neither renders on a server nor
/// hydrates, and each erased type costs code in its wasm.
#[cfg(feature = "embed")]
pub(crate) fn erase<V: IntoView + 'static>(view: V) -> V {
    view
}

/// What the server knows of this request's visitor (`ssr`: the request's
/// `Cookie` and `Sec-GPC` headers, through [`crate::core::server_decision`]).
pub(crate) fn server_known(cfg: &ConsentConfig) -> Known {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        let seen = crate::server::request_decision(&parts.headers, cfg);
        return Known {
            asking: seen.prompt.is_some(),
            gpc: seen.config.gpc_applies(),
            record: seen.record,
        };
    }
    let _ = cfg;
    Known {
        record: None,
        asking: true,
        gpc: false,
    }
}

/// Consent, read and changed from any component inside a [`ConsentProvider`]:
/// reactive state and the visitor's actions, as [`use_consent`] returns it.
/// `Copy`, so closures capture it freely.
#[derive(Clone, Copy)]
pub struct UseConsent {
    ctx: ConsentContext,
    /// The decision in force: `None` before the visitor decides, after a
    /// withdrawal, and while it is expired or under another revision.
    pub record: Signal<Option<ConsentRecord>>,
    /// Whether the visitor has yet to decide (or decide again).
    pub asking: Signal<bool>,
    /// Whether the first-layer banner is showing.
    pub banner_open: Signal<bool>,
    /// Whether the preferences modal is open.
    pub preferences_open: Signal<bool>,
    /// The language the consent interface is shown in, once its words are there.
    pub language: Signal<Option<String>>,
    /// The visitor's recent decisions on this device, oldest first.
    pub history: Signal<Vec<HistoryEntry>>,
    /// What the last clean-up could not remove (HttpOnly cookies, or ones set
    /// on a domain or path this page cannot reach): names to tell the visitor.
    pub left_behind: Signal<Vec<String>>,
    /// Whether Global Privacy Control turned an earlier opt-in off on this page view.
    pub gpc_applied: Signal<bool>,
    /// Accepts every category and service. (The decisions made through these
    /// callbacks are recorded as made through the API: `"via": "api"`.)
    pub accept_all: Callback<()>,
    /// Refuses every optional category and service.
    pub reject_all: Callback<()>,
    /// Saves a complete set of switches.
    pub save: Callback<Choice>,
    /// Opens the preferences modal.
    pub open_preferences: Callback<()>,
    /// Closes the preferences modal without saving.
    pub close_preferences: Callback<()>,
    /// Shows the first-layer banner again.
    pub show_banner: Callback<()>,
    /// Shows the consent interface in another language (a code of the
    /// config or of the built-in words); the current one stays otherwise.
    pub set_language: Callback<String>,
}

impl UseConsent {
    fn new(ctx: ConsentContext) -> Self {
        UseConsent {
            ctx,
            record: ctx.record(),
            asking: ctx.asking(),
            banner_open: ctx.banner_open(),
            preferences_open: ctx.preferences_open(),
            language: ctx.language(),
            history: ctx.history(),
            left_behind: {
                let cleanup = ctx.cleanup();
                Signal::derive(move || cleanup.with(|c| c.as_ref().map(|c| c.left_behind()).unwrap_or_default()))
            },
            gpc_applied: ctx.gpc_applied(),
            accept_all: Callback::new(move |()| ctx.accept_all(Method::Api)),
            reject_all: Callback::new(move |()| ctx.reject_all(Method::Api)),
            save: Callback::new(move |c: Choice| ctx.save(&c, Method::Api)),
            open_preferences: Callback::new(move |()| ctx.open_preferences()),
            close_preferences: Callback::new(move |()| ctx.close_preferences()),
            show_banner: Callback::new(move |()| ctx.show_banner()),
            set_language: Callback::new(move |l: String| ctx.set_language(l)),
        }
    }

    /// Whether category `id` is granted: a signal that follows the visitor's
    /// decisions (the necessary category is always granted).
    pub fn category(&self, id: impl Into<String>) -> Signal<bool> {
        let (ctx, id) = (self.ctx, id.into());
        Signal::derive(move || ctx.is_category_granted(&id))
    }

    /// Whether service `id` is granted (a signal).
    pub fn service(&self, id: impl Into<String>) -> Signal<bool> {
        let (ctx, id) = (self.ctx, id.into());
        Signal::derive(move || ctx.is_service_granted(&id))
    }

    /// The config in force, in the language shown.
    pub fn config(&self) -> Arc<ConsentConfig> {
        self.ctx.config()
    }

    /// What was wrong with the config given to the provider, if anything
    /// (then nothing optional is granted and nothing is asked).
    pub fn error(&self) -> Option<ConfigError> {
        self.ctx.error()
    }

    /// Offers the visitor their consent receipt as a JSON download.
    pub fn download_receipt(&self) {
        self.ctx.download_receipt();
    }
}

/// Reads consent inside a [`ConsentProvider`]. Panics outside one: use
/// [`try_use_consent`] where a provider may be missing.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_consent::ui::use_consent;
///
/// #[component]
/// fn AnalyticsStatus() -> impl IntoView {
///     let consent = use_consent();
///     let on = consent.category("performance");
///     view! {
///         <p>{move || if on.get() { "Analytics: on" } else { "Analytics: off" }}</p>
///         <button on:click=move |_| consent.open_preferences.run(())>"Change"</button>
///     }
/// }
/// # let _ = AnalyticsStatus;
/// ```
pub fn use_consent() -> UseConsent {
    try_use_consent().expect("use_consent() outside a <ConsentProvider>: wrap the app in one")
}

/// Reads consent inside a [`ConsentProvider`]; `None` outside one.
pub fn try_use_consent() -> Option<UseConsent> {
    use_context::<ConsentContext>().map(UseConsent::new)
}
