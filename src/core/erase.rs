//! What to delete when consent is withdrawn: every cookie matching a revoked
//! service's patterns on every domain and path it could have been set on, and
//! its matching storage keys.

use super::config::{ConsentConfig, Vendor};
use super::decision::service_granted;
use super::pattern::glob_match;
use super::record::ConsentRecord;

/// One `document.cookie` write that expires a cookie.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CookieDeletion {
    /// Cookie name.
    pub name: String,
    /// `Domain=` attribute, or `None` for the host-only form.
    pub domain: Option<String>,
    /// `Path=` attribute.
    pub path: String,
}

impl CookieDeletion {
    /// The string to assign to `document.cookie` to expire this cookie.
    ///
    /// Twin: boot/plans.mjs expire
    pub fn header(&self) -> String {
        let mut s = format!(
            "{}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path={}",
            self.name, self.path
        );
        if let Some(d) = &self.domain {
            s.push_str("; Domain=");
            s.push_str(d);
        }
        s
    }
}

/// Everything to delete for a withdrawal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErasePlan {
    /// Cookie writes, grouped by name.
    pub cookies: Vec<CookieDeletion>,
    /// Names of the cookies the plan targets (present on the page and matched).
    pub cookie_names: Vec<String>,
    /// localStorage / sessionStorage keys to remove (present and matched).
    pub storage_keys: Vec<String>,
}

impl ErasePlan {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.cookies.is_empty() && self.storage_keys.is_empty()
    }
}

/// Whether `host` is an IP address (no parent domains exist for it).
fn is_ip(host: &str) -> bool {
    host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// Domains a cookie visible on `host` may have been set on: host-only (`None`),
/// then `host` and each parent domain with at least two labels, then any
/// extra configured domains that are `host` or a parent of it.
///
/// Twin: boot/plans.mjs candidateDomains
pub fn candidate_domains(host: &str, configured: &[&str]) -> Vec<Option<String>> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let mut out = vec![None];
    if host.is_empty() || is_ip(&host) || !host.contains('.') {
        return out;
    }
    let mut d = host.as_str();
    loop {
        out.push(Some(d.to_owned()));
        match d.split_once('.') {
            Some((_, rest)) if rest.contains('.') => d = rest,
            _ => break,
        }
    }
    for c in configured {
        let c = c.trim_start_matches('.').to_ascii_lowercase();
        let applies = host == c || host.ends_with(&format!(".{c}"));
        if applies && !out.contains(&Some(c.clone())) {
            out.push(Some(c));
        }
    }
    out
}

/// Paths a cookie visible at `current_path` may have been set on: `/`, each
/// prefix of the current path (with and without a trailing slash), and the
/// configured paths that are prefixes of it.
///
/// Twin: boot/plans.mjs candidatePaths
pub fn candidate_paths(current_path: &str, configured: &[&str]) -> Vec<String> {
    let mut out = vec!["/".to_owned()];
    let mut push = |p: String| {
        if !out.contains(&p) {
            out.push(p);
        }
    };
    let mut prefix = String::new();
    for segment in current_path.split('/').filter(|s| !s.is_empty()) {
        prefix.push('/');
        prefix.push_str(segment);
        push(prefix.clone());
        push(format!("{prefix}/"));
    }
    for c in configured {
        if c.starts_with('/') {
            push((*c).to_owned());
        }
    }
    out
}

/// The services not granted under `after`: after a decision, none of their
/// cookies or keys should exist, whether the decision revoked them or refused
/// them on a first visit (a script outside the gate may have set some).
///
/// Twin: boot/plans.mjs denied
pub fn denied_services(cfg: &ConsentConfig, after: Option<&ConsentRecord>) -> Vec<String> {
    cfg.services()
        .filter(|(_, s)| !service_granted(cfg, after, &s.id))
        .map(|(_, s)| s.id.clone())
        .collect()
}

/// Plans the clean-up after a decision.
///
/// `denied` are the service ids to clean (see [`denied_services`]); `after` is
/// the record now in force. A cookie or key is deleted only if it matches a
/// denied service's pattern and no still-granted service claims it, and
/// never if it is the consent record's own key.
///
/// Twin: boot/plans.mjs planErase
pub fn plan_erase(
    cfg: &ConsentConfig,
    after: Option<&ConsentRecord>,
    denied: &[String],
    present_cookies: &[String],
    present_storage_keys: &[String],
    host: &str,
    current_path: &str,
) -> ErasePlan {
    let denied_services: Vec<_> = cfg
        .services()
        .filter(|(_, s)| denied.contains(&s.id))
        .map(|(_, s)| s)
        .collect();
    let granted: Vec<_> = cfg
        .services()
        .filter(|(_, s)| service_granted(cfg, after, &s.id))
        .map(|(_, s)| s)
        .collect();
    let claimed_cookie = |name: &str| {
        granted
            .iter()
            .any(|s| s.cookies.iter().any(|c| glob_match(&c.name, name)))
    };
    let claimed_key = |key: &str| {
        granted
            .iter()
            .any(|s| s.storage_keys.iter().any(|p| glob_match(p, key)))
    };

    let mut plan = ErasePlan::default();
    for name in present_cookies {
        let rules: Vec<_> = denied_services
            .iter()
            .flat_map(|s| s.cookies.iter())
            .filter(|c| glob_match(&c.name, name))
            .collect();
        if rules.is_empty() || claimed_cookie(name) || plan.cookie_names.contains(name) {
            continue;
        }
        let domains: Vec<&str> = rules.iter().filter_map(|r| r.domain.as_deref()).collect();
        let paths: Vec<&str> = rules.iter().filter_map(|r| r.path.as_deref()).collect();
        for domain in candidate_domains(host, &domains) {
            for path in candidate_paths(current_path, &paths) {
                plan.cookies.push(CookieDeletion {
                    name: name.clone(),
                    domain: domain.clone(),
                    path,
                });
            }
        }
        plan.cookie_names.push(name.clone());
    }
    for key in present_storage_keys {
        let ours = key == &cfg.storage_key || key == &cfg.history_key() || key == &cfg.log_key();
        if ours || plan.storage_keys.contains(key) || claimed_key(key) {
            continue;
        }
        if denied_services
            .iter()
            .any(|s| s.storage_keys.iter().any(|p| glob_match(p, key)))
        {
            plan.storage_keys.push(key.clone());
        }
    }
    plan
}

/// Plans `eraseCookies(names, path?, domain?)`: every cookie present on the
/// page whose name matches one of `names` (exact or `*` patterns), expired on
/// the given path (default: every path the page can see cookies from) and
/// on the given domain, host-only, or (default) the host and its parents.
///
/// Twin: boot/plans.mjs eraseCookiesPlan
pub fn plan_erase_cookies(
    names: &[String],
    path: Option<&str>,
    domain: Option<&str>,
    present_cookies: &[String],
    host: &str,
    current_path: &str,
) -> ErasePlan {
    let domains = match domain {
        Some(d) => vec![None, Some(d.trim_start_matches('.').to_ascii_lowercase())],
        None => candidate_domains(host, &[]),
    };
    let paths = match path {
        Some(p) => vec![p.to_owned()],
        None => candidate_paths(current_path, &[]),
    };
    let mut plan = ErasePlan::default();
    for name in present_cookies {
        if plan.cookie_names.contains(name) || !names.iter().any(|p| glob_match(p, name)) {
            continue;
        }
        for d in &domains {
            for p in &paths {
                plan.cookies.push(CookieDeletion {
                    name: name.clone(),
                    domain: d.clone(),
                    path: p.clone(),
                });
            }
        }
        plan.cookie_names.push(name.clone());
    }
    plan
}

/// A vendor opt-out to call on the page when its service is denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VendorOptOut {
    /// `gtag('consent', 'update', { analytics_storage: 'denied' })`.
    GoogleAnalytics,
    /// `gtag('consent', 'update', { ad_storage, ad_user_data, ad_personalization: 'denied' })`.
    GoogleAds,
    /// `mixpanel.opt_out_tracking()`.
    Mixpanel,
    /// `aa('init', { …, useCookie: false })` for Algolia Insights.
    AlgoliaInsights,
}

/// The opt-outs to call for services that `changes` revoked.
pub fn plan_opt_outs(cfg: &ConsentConfig, revoked: &[String]) -> Vec<VendorOptOut> {
    let mut out = Vec::new();
    for (_, s) in cfg.services().filter(|(_, s)| revoked.contains(&s.id)) {
        // With Consent Mode on, the one update after each decision covers Google's keys.
        let google = cfg.consent_mode.is_none();
        let action = match s.vendor {
            Some(Vendor::GoogleAnalytics) if google => VendorOptOut::GoogleAnalytics,
            Some(Vendor::GoogleAds) if google => VendorOptOut::GoogleAds,
            Some(Vendor::Mixpanel) => VendorOptOut::Mixpanel,
            Some(Vendor::AlgoliaInsights) => VendorOptOut::AlgoliaInsights,
            _ => continue,
        };
        if !out.contains(&action) {
            out.push(action);
        }
    }
    out
}

/// Whether a cookie with path `cookie_path` is sent to (and readable at) `request_path` (RFC 6265 §5.1.4).
///
/// Twin: boot/plans.mjs pathMatches
pub fn path_matches(cookie_path: &str, request_path: &str) -> bool {
    request_path == cookie_path
        || (request_path.starts_with(cookie_path)
            && (cookie_path.ends_with('/') || request_path.as_bytes().get(cookie_path.len()) == Some(&b'/')))
}

/// Cookie forms to probe for HttpOnly copies after a clean-up: every
/// exact-named cookie (no `*`) of a denied service that the page cannot read,
/// on every candidate domain and on every candidate path readable from here.
/// A script's write to such a form is refused by the browser if an HttpOnly
/// cookie sits there, which is how the page learns of a cookie it cannot see.
///
/// Twin: boot/plans.mjs probePlan
pub fn plan_http_only_probe(
    cfg: &ConsentConfig,
    denied: &[String],
    visible: &[String],
    host: &str,
    current_path: &str,
) -> Vec<CookieDeletion> {
    let mut forms = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for (_, s) in cfg.services().filter(|(_, s)| denied.contains(&s.id)) {
        for rule in &s.cookies {
            let name = rule.name.as_str();
            if name.contains('*') || names.contains(&name) || visible.iter().any(|v| v == name) {
                continue;
            }
            names.push(name);
            let domains: Vec<&str> = rule.domain.as_deref().into_iter().collect();
            let paths: Vec<&str> = rule.path.as_deref().into_iter().collect();
            for domain in candidate_domains(host, &domains) {
                for path in candidate_paths(current_path, &paths)
                    .into_iter()
                    .filter(|p| path_matches(p, current_path))
                {
                    forms.push(CookieDeletion {
                        name: name.to_owned(),
                        domain: domain.clone(),
                        path,
                    });
                }
            }
        }
    }
    forms
}
