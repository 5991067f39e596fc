//! Which gated scripts may run: `<script type="text/plain" data-category data-service>`
//! and the scripts configured on services.

use std::fmt;

use super::config::{ConsentConfig, ScriptSource};
use super::decision::{category_granted, category_refused, service_granted, service_refused};
use super::record::ConsentRecord;

/// A parsed `data-category` / `data-service` pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateRule {
    /// Runs when the category is granted.
    Category(String),
    /// Runs when the category was explicitly refused (`data-category="!id"`).
    CategoryRefused(String),
    /// Runs when the service (and so its category) is granted.
    Service(String),
    /// Runs when the service was explicitly refused (`data-service="!id"`).
    ServiceRefused(String),
}

/// A gated script whose attributes do not match the config. It never runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateError {
    /// `data-category` is empty.
    EmptyCategory,
    /// `data-category` names a category the config does not have.
    UnknownCategory(String),
    /// `data-service` names a service the config does not have.
    UnknownService(String),
    /// `data-service` names a service of another category.
    WrongCategory {
        /// The service named.
        service: String,
        /// The category named in `data-category`.
        category: String,
    },
    /// `!` on the category together with a service: ambiguous.
    NegatedCategoryWithService,
}

impl fmt::Display for GateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GateError::EmptyCategory => f.write_str("empty data-category"),
            GateError::UnknownCategory(c) => write!(f, "data-category {c:?} is not in the config"),
            GateError::UnknownService(s) => write!(f, "data-service {s:?} is not in the config"),
            GateError::WrongCategory { service, category } => {
                write!(f, "data-service {service:?} does not belong to category {category:?}")
            }
            GateError::NegatedCategoryWithService => {
                f.write_str("data-category=\"!…\" cannot be combined with data-service; put the '!' on data-service")
            }
        }
    }
}

impl std::error::Error for GateError {}

impl GateRule {
    /// Parses a script's attributes against the config.
    pub fn parse(cfg: &ConsentConfig, category_attr: &str, service_attr: Option<&str>) -> Result<Self, GateError> {
        let category_attr = category_attr.trim();
        let (cat_negated, category) = match category_attr.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, category_attr),
        };
        if category.is_empty() {
            return Err(GateError::EmptyCategory);
        }
        if cfg.category(category).is_none() {
            return Err(GateError::UnknownCategory(category.to_owned()));
        }
        let service_attr = service_attr.map(str::trim).filter(|s| !s.is_empty());
        let Some(service_attr) = service_attr else {
            return Ok(if cat_negated {
                GateRule::CategoryRefused(category.to_owned())
            } else {
                GateRule::Category(category.to_owned())
            });
        };
        if cat_negated {
            return Err(GateError::NegatedCategoryWithService);
        }
        let (svc_negated, service) = match service_attr.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, service_attr),
        };
        match cfg.service(service) {
            None => Err(GateError::UnknownService(service.to_owned())),
            Some((c, _)) if c.id != category => Err(GateError::WrongCategory {
                service: service.to_owned(),
                category: category.to_owned(),
            }),
            Some(_) if svc_negated => Ok(GateRule::ServiceRefused(service.to_owned())),
            Some(_) => Ok(GateRule::Service(service.to_owned())),
        }
    }

    /// Whether the rule lets its script run under `record`.
    pub fn is_open(&self, cfg: &ConsentConfig, record: Option<&ConsentRecord>) -> bool {
        match self {
            GateRule::Category(c) => category_granted(cfg, record, c),
            GateRule::CategoryRefused(c) => category_refused(cfg, record, c),
            GateRule::Service(s) => service_granted(cfg, record, s),
            GateRule::ServiceRefused(s) => service_refused(cfg, record, s),
        }
    }
}

/// The attributes of one gated script on the page, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageScript {
    /// The `data-category` value.
    pub category: String,
    /// The `data-service` value, if any.
    pub service: Option<String>,
    /// Whether the script already ran on this page view.
    pub done: bool,
}

/// What to do with the page's gated scripts now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivationPlan {
    /// Indices (into the input list, ascending: document order) of scripts to run now.
    pub run: Vec<usize>,
    /// Scripts that can never run, with why. Reported once, never run.
    pub rejected: Vec<(usize, GateError)>,
}

/// Decides which of the page's gated scripts to run under `record`.
/// Scripts already run are skipped: each runs at most once per page view.
///
/// Twin: boot/logic.mjs gate
pub fn plan_activation(cfg: &ConsentConfig, record: Option<&ConsentRecord>, scripts: &[PageScript]) -> ActivationPlan {
    let mut plan = ActivationPlan::default();
    for (i, s) in scripts.iter().enumerate() {
        match GateRule::parse(cfg, &s.category, s.service.as_deref()) {
            Ok(rule) if !s.done && rule.is_open(cfg, record) => plan.run.push(i),
            Ok(_) => {}
            Err(e) => plan.rejected.push((i, e)),
        }
    }
    plan
}

/// The scripts configured on granted services, in config order, with their service id.
///
/// Twin: boot/logic.mjs serviceScripts
pub fn granted_service_scripts<'a>(
    cfg: &'a ConsentConfig,
    record: Option<&ConsentRecord>,
) -> Vec<(&'a str, &'a ScriptSource)> {
    cfg.services()
        .filter(|(_, s)| service_granted(cfg, record, &s.id))
        .flat_map(|(_, s)| s.scripts.iter().map(move |src| (s.id.as_str(), src)))
        .collect()
}
