//! One page view's consent: reads storage, asks core, and carries out the answer.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use crate::core::{
    assess, diff, record_decision, Changes, Choice, ConsentConfig, ConsentRecord, Method,
    PromptReason,
};
use crate::web::clock::{now_ms, random_bytes};
use crate::web::events::{dispatch_json, report, EVENT_CHANGE, EVENT_CONSENT};
use crate::web::scripts::ScriptGate;
use crate::web::storage::ConsentStorage;

/// The consent state of this page view and the effects that follow from it.
///
/// Create one with [`ConsentSession::start`]; the UI and the JS API both drive it.
#[derive(Debug)]
pub struct ConsentSession {
    cfg: Arc<ConsentConfig>,
    storage: ConsentStorage,
    gate: RefCell<ScriptGate>,
    record: RefCell<Option<ConsentRecord>>,
    prompt: RefCell<Option<PromptReason>>,
}

impl ConsentSession {
    /// Reads the stored decision and runs the scripts it allows.
    pub fn start(cfg: Arc<ConsentConfig>) -> Rc<Self> {
        let storage = ConsentStorage::open(&cfg.storage_key);
        Self::start_with(cfg, storage)
    }

    /// Like [`ConsentSession::start`], with a given storage (for tests and custom backends).
    pub fn start_with(cfg: Arc<ConsentConfig>, storage: ConsentStorage) -> Rc<Self> {
        let stored = storage.load();
        let assessment = assess(stored.as_deref(), &cfg, now_ms());
        if let Some(reason) = &assessment.prompt {
            match reason {
                PromptReason::Unreadable(e) => report(&format!("ignoring stored consent: {e}")),
                PromptReason::Invalid(e) => report(&format!("ignoring stored consent: {e}")),
                _ => {}
            }
        }
        let session = Rc::new(ConsentSession {
            cfg,
            storage,
            gate: RefCell::default(),
            record: RefCell::new(assessment.record),
            prompt: RefCell::new(assessment.prompt),
        });
        session.report_storage_errors();
        session.refresh_scripts();
        session
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

    /// Whether decisions are kept beyond this page view.
    pub fn is_persistent(&self) -> bool {
        self.storage.is_persistent()
    }

    /// Scans for gated scripts added since the last call and runs those now allowed.
    pub fn refresh_scripts(&self) {
        let record = self.record.borrow();
        let mut gate = self.gate.borrow_mut();
        gate.scan();
        gate.activate(&self.cfg, record.as_ref());
    }

    /// Saves the visitor's choice, runs what it newly allows, and tells the page.
    pub fn decide(&self, choice: &Choice, method: Method) -> Changes {
        let previous = self.record();
        let record = record_decision(
            &self.cfg,
            previous.as_ref(),
            choice,
            method,
            now_ms(),
            random_bytes(),
        );
        let encoded = record.encode();
        self.storage.save(&encoded);
        self.report_storage_errors();
        let changes = diff(&self.cfg, previous.as_ref(), Some(&record));
        self.record.replace(Some(record));
        self.prompt.replace(None);
        self.refresh_scripts();
        dispatch_json(EVENT_CONSENT, &encoded);
        if !changes.is_empty() {
            dispatch_json(EVENT_CHANGE, &changes_json(&changes));
        }
        changes
    }

    fn report_storage_errors(&self) {
        for e in self.storage.take_errors() {
            report(&format!("{e}; your choice is kept for this page view only"));
        }
    }
}

fn changes_json(ch: &Changes) -> String {
    let list = |v: &[String]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    format!(
        r#"{{"granted_categories":{},"revoked_categories":{},"granted_services":{},"revoked_services":{}}}"#,
        list(&ch.granted_categories),
        list(&ch.revoked_categories),
        list(&ch.granted_services),
        list(&ch.revoked_services)
    )
}
