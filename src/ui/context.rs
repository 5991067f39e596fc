//! The consent context every component reads, and the `use_consent` hook.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

use crate::core::{
    accept_categories, accept_services, category_granted, has_words_file, is_rtl, match_language, normalize_language,
    receipt_json, service_granted, ApiCommand, Choice, ConsentConfig, ConsentRecord, HistoryEntry, Method, Words,
    DEFAULT_LANGUAGE,
};
use crate::ui::install_page_triggers;
use crate::web::{
    dispatch_json, download_text, fetch_words, listen, page_languages, report, CleanupReport, ConsentSession,
    EVENT_LANGUAGE, EVENT_MODAL,
};

/// Shared consent state for the components of one page. `Copy`, so closures
/// can capture it freely.
#[derive(Clone, Copy)]
pub struct ConsentContext {
    session: StoredValue<Rc<ConsentSession>, LocalStorage>,
    config: StoredValue<Arc<ConsentConfig>>,
    record: RwSignal<Option<ConsentRecord>>,
    banner_open: RwSignal<bool>,
    banner_suppressed: RwSignal<bool>,
    preferences_open: RwSignal<bool>,
    modal_draft: RwSignal<Choice>,
    announcement: RwSignal<String>,
    history: RwSignal<Vec<HistoryEntry>>,
    cleanup: RwSignal<Option<CleanupReport>>,
    /// The language the interface is shown in; `None` until its words are there.
    language: RwSignal<Option<String>>,
    /// Where the built-in words are served (`<base>i18n/<lang>.json`), and those loaded so far.
    words: StoredValue<(Option<String>, BTreeMap<String, Words>)>,
}

impl ConsentContext {
    /// Wraps a started session; the banner opens when the session needs a prompt.
    pub fn new(session: Rc<ConsentSession>) -> Self {
        let config = StoredValue::new(session.config().clone());
        let record = RwSignal::new(session.record());
        // (A config with `auto_show: false` keeps it closed until `show_banner`.)
        let auto_show = session.config().auto_show;
        let banner_open = RwSignal::new(auto_show && session.prompt().is_some());
        let history = RwSignal::new(session.history());
        let cleanup = RwSignal::new(session.last_cleanup());
        let modal_draft = RwSignal::new(Choice::from_record(session.config(), session.record().as_ref()));
        // Decisions from other tabs (and our own) arrive through the session.
        let weak = Rc::downgrade(&session);
        session.subscribe(move || {
            if let Some(s) = weak.upgrade() {
                record.set(s.record());
                banner_open.set(auto_show && s.prompt().is_some());
                history.set(s.history());
                cleanup.set(s.last_cleanup());
            }
        });
        let ctx = ConsentContext {
            session: StoredValue::new_local(session),
            config,
            record,
            banner_open,
            banner_suppressed: RwSignal::new(false),
            preferences_open: RwSignal::new(false),
            modal_draft,
            announcement: RwSignal::new(String::new()),
            history,
            cleanup,
            language: RwSignal::new(None),
            words: StoredValue::new((None, BTreeMap::new())),
        };
        ctx.announce_modals();
        ctx
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
        let cfg = self.session.with_value(|s| s.config().clone());
        let (html, browser) = page_languages();
        let lang = cfg.choose_language(html.as_deref(), &browser);
        self.show_in(&cfg, &lang).await;
    }

    /// Switches the interface to `wanted` (`CookieConsent.setLanguage`):
    /// resolves to whether the config or the built-in words have that
    /// language. The current one is kept otherwise.
    pub async fn switch_language(self, wanted: String) -> bool {
        let cfg = self.session.with_value(|s| s.config().clone());
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
    pub fn expect() -> Self {
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
        let json = receipt_json(&record, &self.history.get_untracked());
        download_text(&format!("consent-receipt-{}.json", record.consent_id), &json);
    }

    /// Whether the preferences modal is open (reactive).
    pub fn preferences_open(&self) -> Signal<bool> {
        self.preferences_open.into()
    }

    /// Whether Global Privacy Control turned an earlier opt-in off on this
    /// page view ([`GpcNotice`](crate::ui::GpcNotice) says so).
    pub fn gpc_applied(&self) -> bool {
        self.session.with_value(|s| s.gpc_applied())
    }

    /// The latest status message for screen readers (reactive).
    pub fn announcement(&self) -> Signal<String> {
        self.announcement.into()
    }

    /// Whether the visitor has yet to decide (or decide again): no current
    /// record, or one without a switch for every category and service.
    pub fn must_ask(&self) -> bool {
        self.session.get_value().prompt().is_some()
    }

    /// The record in force in the session now (not reactive). While a change
    /// is being applied (during its `lcc:consent` event) this is already the
    /// new one, where [`ConsentContext::record`] still holds the old.
    pub fn current_record(&self) -> Option<ConsentRecord> {
        self.session.get_value().record()
    }

    /// Calls `f` after every change of the record in force, local or from another tab.
    pub fn subscribe(&self, f: impl Fn() + 'static) {
        self.session.get_value().subscribe(f);
    }

    /// Whether a category is granted (reactive).
    pub fn is_category_granted(&self, id: &str) -> bool {
        let cfg = self.config();
        self.record.with(|r| category_granted(&cfg, r.as_ref(), id))
    }

    /// Whether a service is granted (reactive).
    pub fn is_service_granted(&self, id: &str) -> bool {
        let cfg = self.config();
        self.record.with(|r| service_granted(&cfg, r.as_ref(), id))
    }

    /// Saves a choice: stores it, runs what it allows, closes the banner and modal.
    pub fn save(&self, choice: &Choice, method: Method) {
        self.session.get_value().decide(choice, method);
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
    pub fn hide_banner(&self) {
        self.banner_open.set(false);
    }

    /// Carries out a call of the JS API (`window.CookieConsent`). A call that
    /// names unknown categories or services does the rest and reports them.
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
                    let cfg = ctx.session.with_value(|s| s.config().clone());
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
                if !self.session.get_value().set_data(data) {
                    report("CookieConsent.setCookieData: no consent to keep the data with yet; nothing changed");
                }
            }
            ApiCommand::EraseCookies { names, path, domain } => {
                let result = self
                    .session
                    .get_value()
                    .erase_cookies(&names, path.as_deref(), domain.as_deref());
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
                if erase {
                    self.session.get_value().forget();
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

/// Starts consent for `config` (reads storage, runs what the stored decision
/// grants, keeps other tabs in step) and provides it to its children: the
/// banner, the modal, gates and anything that calls [`use_consent`].
/// `examples/leptos_app.rs` is a complete app (compiled by `make test`):
///
/// ```ignore
/// view! {
///     <ConsentProvider config=config>
///         <ConsentBanner/>
///         <PreferencesModal/>
///         <ConsentGate category="marketing">"Shown with marketing consent"</ConsentGate>
///     </ConsentProvider>
/// }
/// ```
#[component]
pub fn ConsentProvider(
    /// The validated config ([`ConsentConfig::from_json`]).
    #[prop(into)]
    config: Arc<ConsentConfig>,
    /// The folder that holds the distribution's `i18n/` words (for example
    /// `"/dist/"`): the built-in languages are loaded from there when a
    /// visitor needs one. Without it: English and the config's translations.
    #[prop(optional, into)]
    words_url: Option<String>,
    /// The components that read consent. Drawn once the words of the
    /// visitor's language are there, and again after a language switch.
    /// A status region for "Preferences saved" is drawn after them.
    children: ChildrenFn,
) -> impl IntoView {
    let session = ConsentSession::start(config);
    listen(&session);
    let ctx = ConsentContext::new(session);
    provide_context(ctx);
    install_page_triggers(ctx);
    ctx.set_words_base(words_url);
    leptos::task::spawn_local(ctx.start_language());
    view! {
        {move || ctx.language().get().map(|_| children())}
        <crate::ui::ConsentStatus/>
    }
}

/// What [`use_consent`] returns: reactive reads and the visitor's actions.
#[derive(Clone, Copy)]
pub struct UseConsentReturn {
    /// The consent context, for everything else.
    pub context: ConsentContext,
    /// The stored decision (reactive).
    pub record: Signal<Option<ConsentRecord>>,
}

impl UseConsentReturn {
    /// Whether a category is granted (reactive).
    pub fn category(&self, id: &str) -> bool {
        self.context.is_category_granted(id)
    }

    /// Whether a service is granted (reactive).
    pub fn service(&self, id: &str) -> bool {
        self.context.is_service_granted(id)
    }

    /// Accepts everything.
    pub fn accept_all(&self) {
        self.context.accept_all(Method::Api);
    }

    /// Refuses everything optional.
    pub fn reject_all(&self) {
        self.context.reject_all(Method::Api);
    }

    /// Saves a complete set of switches.
    pub fn save(&self, choice: &Choice) {
        self.context.save(choice, Method::Api);
    }

    /// Opens the preferences modal.
    pub fn open_preferences(&self) {
        self.context.open_preferences();
    }
}

/// Reads consent inside a [`ConsentProvider`].
pub fn use_consent() -> UseConsentReturn {
    let context = ConsentContext::expect();
    UseConsentReturn {
        context,
        record: context.record(),
    }
}
