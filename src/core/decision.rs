//! What to do with a stored value: ask again or not, and what is granted.

use std::collections::BTreeMap;

use super::config::ConsentConfig;
use super::map_from;
use super::record::{uuid_v4, ConsentRecord, DecodeError, Method, RecordError, RECORD_VERSION};

/// Why the visitor must be asked (again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptReason {
    /// Nothing is stored: a first visit.
    NoRecord,
    /// The stored value is not a record this library can read.
    Unreadable(DecodeError),
    /// The stored record contradicts the config or itself.
    Invalid(RecordError),
    /// The decision is older than `expires_after_days`.
    Expired,
    /// The site's policy revision changed since the decision.
    RevisionChanged {
        /// The revision stored with the decision.
        stored: u32,
        /// The config's current revision.
        current: u32,
    },
    /// Categories or services were added since the decision.
    NewChoices {
        /// Category ids the visitor has not decided on.
        categories: Vec<String>,
        /// Service ids the visitor has not decided on.
        services: Vec<String>,
    },
}

/// The outcome of reading storage: whether to prompt, and the record that may be relied on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// `Some` when the banner must be shown.
    pub prompt: Option<PromptReason>,
    /// The stored record, when it is well-formed, current and unexpired.
    /// Only this record's explicit `true` values grant anything.
    pub record: Option<ConsentRecord>,
}

/// Reads a stored value against the config at `now_ms`.
///
/// A corrupt, unknown-version, future-dated, expired or out-of-revision value
/// yields no record: nothing optional is granted until the visitor decides again.
pub fn assess(stored: Option<&str>, cfg: &ConsentConfig, now_ms: u64) -> Assessment {
    let none = |reason| Assessment {
        prompt: Some(reason),
        record: None,
    };
    let Some(stored) = stored else {
        return none(PromptReason::NoRecord);
    };
    let record = match ConsentRecord::decode(stored) {
        Ok(r) => r,
        Err(e) => return none(PromptReason::Unreadable(e)),
    };
    if let Err(e) = record.check(cfg, now_ms) {
        return none(PromptReason::Invalid(e));
    }
    if record.revision != cfg.revision {
        return none(PromptReason::RevisionChanged {
            stored: record.revision,
            current: cfg.revision,
        });
    }
    if record.last_decision_ms.saturating_add(cfg.expiry_ms()) <= now_ms {
        return none(PromptReason::Expired);
    }
    let categories: Vec<String> = cfg
        .categories
        .iter()
        .filter(|c| !record.categories.contains_key(&c.id))
        .map(|c| c.id.clone())
        .collect();
    let services: Vec<String> = cfg
        .services()
        .filter(|(_, s)| !record.services.contains_key(&s.id))
        .map(|(_, s)| s.id.clone())
        .collect();
    let prompt = if categories.is_empty() && services.is_empty() {
        None
    } else {
        Some(PromptReason::NewChoices { categories, services })
    };
    Assessment {
        prompt,
        record: Some(record),
    }
}

/// Whether a category is granted under `record`: read-only categories always,
/// others only with an explicit `true` in a current record, and never one
/// locked by Global Privacy Control.
///
/// Twin: boot/logic.mjs categoryGranted
pub fn category_granted(cfg: &ConsentConfig, record: Option<&ConsentRecord>, category: &str) -> bool {
    match cfg.category(category) {
        Some(c) if c.read_only => true,
        Some(c) if c.gpc_locked => false,
        Some(_) => record.is_some_and(|r| r.categories.get(category) == Some(&true)),
        None => false,
    }
}

/// Whether a category was explicitly refused in a current record
/// (what `data-category="!id"` scripts wait for).
pub fn category_refused(cfg: &ConsentConfig, record: Option<&ConsentRecord>, category: &str) -> bool {
    match cfg.category(category) {
        Some(c) if c.read_only => false,
        Some(_) => record.is_some_and(|r| r.categories.get(category) == Some(&false)),
        None => false,
    }
}

/// Whether a service is granted: its category is granted and the service itself
/// holds an explicit `true` (services of read-only categories are always on).
///
/// Twin: boot/logic.mjs serviceGranted
pub fn service_granted(cfg: &ConsentConfig, record: Option<&ConsentRecord>, service: &str) -> bool {
    match cfg.service(service) {
        Some((c, _)) if c.read_only => true,
        Some((c, s)) => {
            category_granted(cfg, record, &c.id) && record.is_some_and(|r| r.services.get(&s.id) == Some(&true))
        }
        None => false,
    }
}

/// Whether a service was explicitly refused in a current record.
pub fn service_refused(cfg: &ConsentConfig, record: Option<&ConsentRecord>, service: &str) -> bool {
    match cfg.service(service) {
        Some((c, _)) if c.read_only => false,
        Some(_) => record.is_some_and(|r| r.services.get(service) == Some(&false)),
        None => false,
    }
}

/// Whether `record` holds an opt-in that Global Privacy Control now locks (a
/// sale/sharing category stored as `true`; a service stored as on needs its
/// category on to be granted, so the categories tell). The session then stores
/// the record again with those off ([`Method::Gpc`]), so the opt-out lasts and
/// the change is applied like a withdrawal.
///
/// Twin: boot/logic.mjs gpcConflict
pub fn gpc_conflict(cfg: &ConsentConfig, record: Option<&ConsentRecord>) -> bool {
    let Some(r) = record else { return false };
    cfg.categories
        .iter()
        .any(|c| c.gpc_locked && r.categories.get(&c.id) == Some(&true))
}

/// A complete set of switches the visitor is about to save.
///
/// Always holds every category and service of the config, keeps read-only
/// categories on, and keeps a category on exactly when one of its services is
/// (a category without services keeps its own switch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Category id to on/off.
    pub categories: BTreeMap<String, bool>,
    /// Service id to on/off.
    pub services: BTreeMap<String, bool>,
}

impl Choice {
    /// Twin: boot/choices.mjs uniform
    fn uniform(cfg: &ConsentConfig, on: bool) -> Self {
        let categories = map_from(
            cfg.categories
                .iter()
                .map(|c| (c.id.clone(), on && !c.gpc_locked || c.read_only)),
        );
        let services = map_from(
            cfg.services()
                .map(|(c, s)| (s.id.clone(), on && !c.gpc_locked || c.read_only)),
        );
        Choice { categories, services }
    }

    /// Everything on (except what Global Privacy Control locks).
    pub fn accept_all(cfg: &ConsentConfig) -> Self {
        Self::uniform(cfg, true)
    }

    /// Everything optional off.
    pub fn reject_all(cfg: &ConsentConfig) -> Self {
        Self::uniform(cfg, false)
    }

    /// The switches as the visitor left them: what `record` grants, everything else off.
    /// This is what the preferences modal opens with.
    pub fn from_record(cfg: &ConsentConfig, record: Option<&ConsentRecord>) -> Self {
        let categories = map_from(
            cfg.categories
                .iter()
                .map(|c| (c.id.clone(), category_granted(cfg, record, &c.id))),
        );
        let services = map_from(
            cfg.services()
                .map(|(_, s)| (s.id.clone(), service_granted(cfg, record, &s.id))),
        );
        Choice { categories, services }
    }

    /// Switches a category and all its services. Read-only categories stay
    /// on; categories locked by Global Privacy Control stay off.
    pub fn set_category(&mut self, cfg: &ConsentConfig, id: &str, on: bool) {
        let Some(cat) = cfg.category(id) else { return };
        let on = on && !cat.gpc_locked || cat.read_only;
        self.categories.insert(cat.id.clone(), on);
        for s in &cat.services {
            self.services.insert(s.id.clone(), on);
        }
    }

    /// Switches one service; its category follows (on when any of its services is on).
    pub fn set_service(&mut self, cfg: &ConsentConfig, id: &str, on: bool) {
        let Some((cat, svc)) = cfg.service(id) else {
            return;
        };
        if cat.read_only || cat.gpc_locked {
            return;
        }
        self.services.insert(svc.id.clone(), on);
        let any = cat.services.iter().any(|s| self.services.get(&s.id) == Some(&true));
        self.categories.insert(cat.id.clone(), any);
    }

    /// Whether a category's switch is on.
    pub fn category(&self, id: &str) -> bool {
        self.categories.get(id) == Some(&true)
    }

    /// Whether a service's switch is on.
    pub fn service(&self, id: &str) -> bool {
        self.services.get(id) == Some(&true)
    }
}

/// Builds the record for a decision. The consent id and first-decision time
/// carry over from `previous` when it was a trusted record; `random` seeds a
/// new consent id otherwise. The site's data (`setCookieData`) carries over.
///
/// Twin: boot/plans.mjs recordText
pub fn record_decision(
    cfg: &ConsentConfig,
    previous: Option<&ConsentRecord>,
    choice: &Choice,
    method: Method,
    now_ms: u64,
    random: [u8; 16],
) -> ConsentRecord {
    let categories = map_from(
        cfg.categories
            .iter()
            .map(|c| (c.id.clone(), c.read_only || !c.gpc_locked && choice.category(&c.id))),
    );
    let services = map_from(cfg.services().map(|(c, s)| {
        (
            s.id.clone(),
            c.read_only || (categories[&c.id] && choice.service(&s.id)),
        )
    }));
    let (consent_id, first_decision_ms) = match previous {
        Some(p) if p.first_decision_ms <= now_ms => (p.consent_id.clone(), p.first_decision_ms),
        _ => (uuid_v4(random), now_ms),
    };
    ConsentRecord {
        version: RECORD_VERSION,
        consent_id,
        first_decision_ms,
        last_decision_ms: now_ms,
        revision: cfg.revision,
        categories,
        services,
        method,
        data: previous.and_then(|p| p.data.clone()),
    }
}

/// What changed between two states, as ids. Serialises with its field names
/// (the `detail` of the `lcc:change` event).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Changes {
    /// Categories granted now that were not before.
    pub granted_categories: Vec<String>,
    /// Categories granted before that are not now.
    pub revoked_categories: Vec<String>,
    /// Services granted now that were not before.
    pub granted_services: Vec<String>,
    /// Services granted before that are not now.
    pub revoked_services: Vec<String>,
}

impl Changes {
    /// Whether anything was taken back (the page may need cleaning up).
    pub fn has_revocation(&self) -> bool {
        !self.revoked_categories.is_empty() || !self.revoked_services.is_empty()
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.granted_categories.is_empty() && !self.has_revocation() && self.granted_services.is_empty()
    }
}

/// Compares what `before` and `after` grant.
///
/// Twin: boot/plans.mjs changes
pub fn diff(cfg: &ConsentConfig, before: Option<&ConsentRecord>, after: Option<&ConsentRecord>) -> Changes {
    let mut ch = Changes::default();
    for c in &cfg.categories {
        match (
            category_granted(cfg, before, &c.id),
            category_granted(cfg, after, &c.id),
        ) {
            (false, true) => ch.granted_categories.push(c.id.clone()),
            (true, false) => ch.revoked_categories.push(c.id.clone()),
            _ => {}
        }
    }
    for (_, s) in cfg.services() {
        match (service_granted(cfg, before, &s.id), service_granted(cfg, after, &s.id)) {
            (false, true) => ch.granted_services.push(s.id.clone()),
            (true, false) => ch.revoked_services.push(s.id.clone()),
            _ => {}
        }
    }
    ch
}
