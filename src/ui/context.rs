//! The consent context every component reads, and the `use_consent` hook.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

use crate::core::{
    category_granted, receipt_json, service_granted, Choice, ConsentConfig, ConsentRecord, HistoryEntry, Method,
};
use crate::web::{download_text, CleanupReport, ConsentSession};

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
    announcement: RwSignal<String>,
    history: RwSignal<Vec<HistoryEntry>>,
    cleanup: RwSignal<Option<CleanupReport>>,
}

impl ConsentContext {
    /// Wraps a started session; the banner opens when the session needs a prompt.
    pub fn new(session: Rc<ConsentSession>) -> Self {
        let config = StoredValue::new(session.config().clone());
        let record = RwSignal::new(session.record());
        let banner_open = RwSignal::new(session.prompt().is_some());
        let history = RwSignal::new(session.history());
        let cleanup = RwSignal::new(session.last_cleanup());
        // Decisions from other tabs (and our own) arrive through the session.
        let weak = Rc::downgrade(&session);
        session.subscribe(move || {
            if let Some(s) = weak.upgrade() {
                record.set(s.record());
                banner_open.set(s.prompt().is_some());
                history.set(s.history());
                cleanup.set(s.last_cleanup());
            }
        });
        ConsentContext {
            session: StoredValue::new_local(session),
            config,
            record,
            banner_open,
            banner_suppressed: RwSignal::new(false),
            preferences_open: RwSignal::new(false),
            announcement: RwSignal::new(String::new()),
            history,
            cleanup,
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

    /// The latest status message for screen readers (reactive).
    pub fn announcement(&self) -> Signal<String> {
        self.announcement.into()
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

    /// Shows the first-layer banner again.
    pub fn show_banner(&self) {
        self.banner_suppressed.set(false);
        self.banner_open.set(true);
    }
}

/// Provides a [`ConsentContext`] for `session` to its children.
#[component]
pub fn ConsentProvider(
    /// The started consent session.
    session: Rc<ConsentSession>,
    /// The components that read consent.
    children: Children,
) -> impl IntoView {
    provide_context(ConsentContext::new(session));
    children()
}

/// What [`use_consent`] returns.
#[derive(Clone, Copy)]
pub struct UseConsentReturn {
    /// The consent context, for actions and the record.
    pub context: ConsentContext,
    /// The stored decision (reactive).
    pub record: Signal<Option<ConsentRecord>>,
}

/// Reads consent inside a [`ConsentProvider`].
pub fn use_consent() -> UseConsentReturn {
    let context = ConsentContext::expect();
    UseConsentReturn {
        context,
        record: context.record(),
    }
}
