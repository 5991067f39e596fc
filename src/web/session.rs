//! One page view's consent: reads storage, asks core, and carries out the answer.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use crate::core::{
    assess, consent_mode_update, decode_history, denied_services, diff, encode_history, gpc_conflict, plan_erase,
    plan_erase_cookies, plan_http_only_probe, plan_opt_outs, push_history, record_decision, server_cookie_line,
    Changes, Choice, ConsentConfig, ConsentRecord, HistoryEntry, PromptReason, Source,
};
use crate::web::cleanup::{
    apply_erase, call_opt_outs, cookie_names, location, probe_http_only as probe_http_only_cookies,
    push_consent_update, reload, storage_keys, CleanupReport,
};
use crate::web::clock::{now_ms, random_bytes};
use crate::web::events::{dispatch_json, report, EVENT_CHANGE, EVENT_CLEANUP, EVENT_CONSENT};
use crate::web::scripts::{ScriptGate, ScriptWatch};
use crate::web::signals::{boot_pushed_consent_mode, gpc_signal};
use crate::web::storage::ConsentStorage;
use crate::web::sync::broadcast;

/// The consent state of this page view and the effects that follow from it.
///
/// Create one with [`ConsentSession::start`]; the UI and the JS API both drive it.
pub struct ConsentSession {
    cfg: Arc<ConsentConfig>,
    storage: ConsentStorage,
    history: ConsentStorage,
    gate: RefCell<ScriptGate>,
    record: RefCell<Option<ConsentRecord>>,
    prompt: RefCell<Option<PromptReason>>,
    cleanup: RefCell<Option<CleanupReport>>,
    listeners: RefCell<Vec<Rc<dyn Fn()>>>,
    gpc_applied: Cell<bool>,
    /// Picks up gated scripts the page adds later (single-page apps).
    watch: RefCell<Option<ScriptWatch>>,
    /// The language the interface is shown in, for the consent log.
    language: RefCell<String>,
}

impl std::fmt::Debug for ConsentSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsentSession")
            .field("record", &self.record.borrow())
            .field("prompt", &self.prompt.borrow())
            .field("storage", &self.storage)
            .finish()
    }
}

impl ConsentSession {
    /// Reads the stored decision and runs the scripts it allows.
    pub fn start(cfg: Arc<ConsentConfig>) -> Rc<Self> {
        let storage = ConsentStorage::open(&cfg.storage_key);
        let history = ConsentStorage::open(&cfg.history_key());
        Self::start_with(cfg, storage, history)
    }

    /// Like [`ConsentSession::start`], with a given storage (for tests and custom backends).
    pub fn start_with(cfg: Arc<ConsentConfig>, storage: ConsentStorage, history: ConsentStorage) -> Rc<Self> {
        let stored = storage.load();
        let session = Self::open(cfg, storage, history, stored.as_deref());
        // Cookies of refused services that are back (or were set outside the gate) go again.
        if session.record.borrow().is_some() && !session.honour_gpc() {
            session.clean_up(false);
        }
        session
    }

    /// Takes over a page that the boot script ran under the stored value
    /// `previous`: the session starts from that state (the boot script already
    /// ran what it grants), then adopts what storage holds now, so a decision
    /// made meanwhile (in another tab) is applied here, withdrawal included.
    pub fn start_after(cfg: Arc<ConsentConfig>, previous: &str) -> Rc<Self> {
        let storage = ConsentStorage::open(&cfg.storage_key);
        let history = ConsentStorage::open(&cfg.history_key());
        let session = Self::open(cfg, storage, history, Some(previous));
        let now = session.storage.load();
        session.adopt(now.as_deref());
        session.honour_gpc();
        session
    }

    /// Global Privacy Control over an earlier opt-in on this device: the
    /// record is stored again with the locked categories off (`via: "gpc"`),
    /// applied like a withdrawal (cookies erased, events), and remembered for
    /// the notice ([`ConsentSession::gpc_applied`]). Returns whether it did so.
    fn honour_gpc(&self) -> bool {
        let record = self.record();
        if !gpc_conflict(&self.cfg, record.as_ref()) {
            return false;
        }
        // The locked scripts never ran on this page view: no reload needed.
        self.store(&Choice::from_record(&self.cfg, record.as_ref()), Source::Gpc, false);
        self.gpc_applied.set(true);
        true
    }

    /// Whether this page view turned an earlier opt-in off because the
    /// browser sends Global Privacy Control (the UI tells the visitor).
    pub fn gpc_applied(&self) -> bool {
        self.gpc_applied.get()
    }

    fn open(
        cfg: Arc<ConsentConfig>,
        storage: ConsentStorage,
        history: ConsentStorage,
        stored: Option<&str>,
    ) -> Rc<Self> {
        // The signal, read once per page view, locks what the site marks as sale/sharing.
        let cfg = if gpc_signal() {
            Arc::new(ConsentConfig::clone(&cfg).under_gpc(true))
        } else {
            cfg
        };
        let assessment = assess(stored, &cfg, now_ms());
        if let Some(reason) = &assessment.prompt {
            match reason {
                PromptReason::Unreadable(e) => report(&format!("ignoring stored consent: {e}")),
                PromptReason::Invalid(e) => report(&format!("ignoring stored consent: {e}")),
                _ => {}
            }
        }
        let language = cfg.language.clone().unwrap_or_else(|| cfg.default_language.clone());
        let session = Rc::new(ConsentSession {
            cfg,
            storage,
            history,
            gate: RefCell::default(),
            record: RefCell::new(assessment.record),
            prompt: RefCell::new(assessment.prompt),
            cleanup: RefCell::default(),
            listeners: RefCell::default(),
            gpc_applied: Cell::new(false),
            watch: RefCell::default(),
            language: RefCell::new(language),
        });
        session.report_storage_errors();
        // (Also for a decision made before the site kept a copy, or one whose copy was cleared.)
        session.mirror_for_server();
        // Before any tag runs: a gated inline `gtag('config')` must find the update first
        // (unless the boot script pushed this very one while the page parsed).
        if session.record.borrow().is_some() && !stored.is_some_and(boot_pushed_consent_mode) {
            session.update_consent_mode();
        }
        session.refresh_scripts();
        let weak = Rc::downgrade(&session);
        session.watch.replace(ScriptWatch::new(move || {
            if let Some(session) = weak.upgrade() {
                session.refresh_scripts();
            }
        }));
        // What an earlier page view could not deliver to the consent log goes now,
        // in the background.
        crate::web::log::send_queued(&session.cfg);
        session
    }

    /// Keeps the server's cookie copy ([`ConsentConfig::server_cookie`]) equal
    /// to the decision in force: written, refreshed, or removed.
    fn mirror_for_server(&self) {
        let https = web_sys::window().and_then(|w| w.location().protocol().ok()).as_deref() == Some("https:");
        // A decision kept for this page view only (storage blocked or full) is not
        // one the server may act on at the next request.
        let kept = self.record.borrow().clone().filter(|_| self.storage.is_persistent());
        let line = server_cookie_line(&self.cfg, kept.as_ref(), now_ms(), https);
        if let (Some(line), Some(doc)) = (line, web_sys::window().and_then(|w| w.document())) {
            crate::web::dom::set_cookie(&doc, &line);
        }
    }

    /// Takes back what a page rendered under `shown` (the server's view of the
    /// visitor) granted beyond the decision in force here: the refused services'
    /// cookies and storage go and their opt-outs run. Returns whether anything
    /// was taken back. (A copy this browser does not hold: storage cleared, or a
    /// cookie planted by another host.)
    pub fn settle(&self, shown: Option<&ConsentRecord>) -> bool {
        let changes = diff(&self.cfg, shown, self.record().as_ref());
        if !changes.has_revocation() {
            return false;
        }
        call_opt_outs(&plan_opt_outs(&self.cfg, &changes.revoked_services));
        self.clean_up(false);
        true
    }

    /// Google Consent Mode v2, when the config turns it on: one `consent
    /// update` with every mapped key for the record in force.
    fn update_consent_mode(&self) {
        let record = self.record.borrow().clone();
        if let Some(update) = consent_mode_update(&self.cfg, record.as_ref()) {
            if !push_consent_update(&update) {
                report("consent_mode is on but the page has no gtag(): add the Consent Mode head snippet (docs/consent-mode.md)");
            }
        }
    }

    /// The config in force.
    pub fn config(&self) -> &Arc<ConsentConfig> {
        &self.cfg
    }

    /// The trusted, current record, if the visitor has decided.
    pub fn record(&self) -> Option<ConsentRecord> {
        self.record.borrow().clone()
    }

    /// Why the banner must show, or `None` when the stored decision stands.
    pub fn prompt(&self) -> Option<PromptReason> {
        self.prompt.borrow().clone()
    }

    /// Scans for gated scripts added since the last call and runs those now allowed.
    pub fn refresh_scripts(&self) {
        let record = self.record.borrow();
        let mut gate = self.gate.borrow_mut();
        gate.scan();
        gate.activate(&self.cfg, record.as_ref());
    }

    /// Saves the visitor's choice made in `source`, runs what it newly allows,
    /// and tells the page (and the consent log, where there is one).
    pub fn decide_from(&self, choice: &Choice, source: Source) -> Changes {
        self.store(choice, source, true)
    }

    /// The language the interface is shown in (what the consent log records).
    pub fn set_language(&self, lang: &str) {
        lang.clone_into(&mut self.language.borrow_mut());
    }

    /// The consent log's receipts for this visitor's decisions (the download includes them).
    pub fn log_receipts(&self) -> Vec<String> {
        crate::web::log::outbox(&self.cfg).receipts
    }

    fn store(&self, choice: &Choice, source: Source, may_reload: bool) -> Changes {
        let method = source.method();
        let previous = self.record();
        let record = record_decision(&self.cfg, previous.as_ref(), choice, method, now_ms(), random_bytes());
        let encoded = record.encode();
        self.storage.save(&encoded);
        self.report_storage_errors();
        crate::web::log::log_decision(&self.cfg, &record, source, &self.language.borrow(), gpc_signal());
        let mut entry = HistoryEntry::new(&record, &diff(&self.cfg, previous.as_ref(), Some(&record)));
        broadcast(&self.cfg.storage_key, &encoded);
        let changes = self.apply(previous.as_ref(), Some(record), None, &encoded, true);
        entry.left_behind = self.last_cleanup().map(|c| c.left_behind()).unwrap_or_default();
        self.history.save(&encode_history(&push_history(self.history(), entry)));
        self.finish(&changes, may_reload);
        changes
    }

    /// The visitor's recent decisions on this device, oldest first.
    pub fn history(&self) -> Vec<HistoryEntry> {
        decode_history(self.history.load().as_deref())
    }

    /// Takes on a decision made elsewhere (another tab): the stored value is
    /// assessed exactly as at start-up, then applied like a local decision.
    /// A value equal to the current record changes nothing.
    pub fn adopt(&self, stored: Option<&str>) {
        let assessment = assess(stored, &self.cfg, now_ms());
        let previous = self.record();
        if assessment.record == previous {
            return;
        }
        // Keep this tab's fallback copy in step when its storage is memory-only.
        if !self.storage.is_persistent() {
            match stored {
                Some(value) => self.storage.save(value),
                None => self.storage.clear(),
            }
        }
        let changes = self.apply(
            previous.as_ref(),
            assessment.record,
            assessment.prompt,
            stored.unwrap_or_default(),
            false,
        );
        self.finish(&changes, true);
    }

    /// Adopts what storage holds now (a decision made in another tab): what a
    /// message or event about it says is never taken as it is. With storage
    /// that is memory-only here, nothing another tab says can be checked, and
    /// nothing changes.
    pub fn reread(&self) {
        if self.storage.is_persistent() {
            let stored = self.storage.load();
            self.adopt(stored.as_deref());
        }
    }

    /// Erases the page's cookies matching `names` (exact or `*` patterns) on
    /// `path` and `domain`, or every path and parent domain the page can reach
    /// (`CookieConsent.eraseCookies`). Returns what was and was not removed.
    pub fn erase_cookies(&self, names: &[String], path: Option<&str>, domain: Option<&str>) -> CleanupReport {
        let (host, current) = location();
        let plan = plan_erase_cookies(names, path, domain, &cookie_names(), &host, &current);
        apply_erase(&plan)
    }

    /// Keeps `data` (JSON text, `CookieConsent.setCookieData`) with the decision
    /// in force, which is stored again with it; nothing else changes: no new
    /// decision, no history entry, the same expiry. Without a decision in
    /// force there is nothing to keep it with: returns false.
    pub fn set_data(&self, data: String) -> bool {
        let Some(mut record) = self.record().filter(|_| self.prompt().is_none()) else {
            return false;
        };
        record.data = Some(data);
        let encoded = record.encode();
        self.storage.save(&encoded);
        self.report_storage_errors();
        broadcast(&self.cfg.storage_key, &encoded);
        self.record.replace(Some(record));
        let listeners: Vec<_> = self.listeners.borrow().clone();
        for f in listeners {
            f();
        }
        true
    }

    /// Forgets the stored decision (`CookieConsent.reset(true)`): from now on
    /// nothing optional is granted, as after a withdrawal of everything, and
    /// the visitor is asked again.
    pub fn forget(&self) {
        self.storage.clear();
        self.report_storage_errors();
        broadcast(&self.cfg.storage_key, "");
        self.adopt(None);
    }

    /// Calls `f` after every change of the record in force (local or from another tab).
    pub fn subscribe(&self, f: impl Fn() + 'static) {
        self.listeners.borrow_mut().push(Rc::new(f));
    }

    fn apply(
        &self,
        previous: Option<&ConsentRecord>,
        record: Option<ConsentRecord>,
        prompt: Option<PromptReason>,
        encoded: &str,
        probe_http_only: bool,
    ) -> Changes {
        let changes = diff(&self.cfg, previous, record.as_ref());
        let decided = record.is_some();
        self.record.replace(record);
        self.prompt.replace(prompt);
        self.mirror_for_server();
        self.update_consent_mode();
        self.refresh_scripts();
        call_opt_outs(&plan_opt_outs(&self.cfg, &changes.revoked_services));
        if decided {
            self.clean_up(probe_http_only);
            dispatch_json(EVENT_CONSENT, encoded);
        }
        if !changes.is_empty() {
            dispatch_json(EVENT_CHANGE, &changes_json(&changes));
        }
        changes
    }

    /// Tells the subscribers, then reloads after a withdrawal if configured.
    fn finish(&self, changes: &Changes, may_reload: bool) {
        let listeners: Vec<_> = self.listeners.borrow().clone();
        for f in listeners {
            f();
        }
        if may_reload && changes.has_revocation() && self.cfg.reload_on_revoke {
            // Scripts already running cannot be unloaded: start a clean page view.
            reload();
        }
    }

    /// What the last clean-up removed and could not remove.
    pub fn last_cleanup(&self) -> Option<CleanupReport> {
        self.cleanup.borrow().clone()
    }

    /// Removes cookies and storage keys of every service the current record
    /// does not grant. After a decision (`probe_http_only`), also looks for
    /// HttpOnly copies of their cookies, which only the server can remove.
    fn clean_up(&self, probe_http_only: bool) {
        let record = self.record();
        let (host, path) = location();
        let denied = denied_services(&self.cfg, record.as_ref());
        let visible = cookie_names();
        let plan = plan_erase(
            &self.cfg,
            record.as_ref(),
            &denied,
            &visible,
            &storage_keys(),
            &host,
            &path,
        );
        let mut result = if plan.is_empty() {
            CleanupReport::default()
        } else {
            apply_erase(&plan)
        };
        if probe_http_only {
            let visible = cookie_names();
            result.http_only_cookies =
                probe_http_only_cookies(&plan_http_only_probe(&self.cfg, &denied, &visible, &host, &path));
        }
        if plan.is_empty() && result.http_only_cookies.is_empty() {
            self.cleanup.replace(None);
            return;
        }
        let left = result.left_behind();
        if !left.is_empty() {
            report(&format!(
                "could not remove cookies {left:?}: HttpOnly, set on a domain or path this page cannot reach, or written again"
            ));
        }
        dispatch_json(EVENT_CLEANUP, &result.to_json());
        self.cleanup.replace(Some(result));
    }

    fn report_storage_errors(&self) {
        for e in self.storage.take_errors() {
            report(&format!("{e}; your choice is kept for this page view only"));
        }
    }
}

fn changes_json(ch: &Changes) -> String {
    // Plain lists of strings: serialising cannot fail.
    serde_json::to_string(ch).unwrap_or_default()
}
