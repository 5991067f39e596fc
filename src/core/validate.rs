//! Checks a parsed config and names the exact field that is wrong.

use std::collections::BTreeSet;
use std::fmt;

use super::config::{ConsentConfig, CookieMirror, Texts, MAX_EXPIRES_AFTER_DAYS, NECESSARY};

/// A config that cannot be used, with the path of the offending field: the
/// first problem found, and every other one the same check found (`also`), so
/// that one run names them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Where the problem is, e.g. `categories[2].services[0].cookies[1].name`.
    pub path: String,
    /// What is wrong there.
    pub message: String,
    /// The other problems, in config order (a JSON syntax or type error stops
    /// the reading at the first; the rules are all checked).
    pub also: Vec<ConfigError>,
}

impl ConfigError {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError {
            path: path.into(),
            message: message.into(),
            also: Vec::new(),
        }
    }

    /// Every problem: this one, then the others.
    pub fn all(&self) -> impl Iterator<Item = (&str, &str)> {
        std::iter::once((self.path.as_str(), self.message.as_str()))
            .chain(self.also.iter().map(|e| (e.path.as_str(), e.message.as_str())))
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One problem on one line; several, one per line under a count.
        let n = 1 + self.also.len();
        let (head, sep) = if n > 1 {
            (format!("consent config: {n} problems:"), "\n  ")
        } else {
            ("consent config".to_owned(), ": ")
        };
        f.write_str(&head)?;
        for (path, message) in self.all() {
            if path.is_empty() {
                write!(f, "{sep}{message}")?;
            } else {
                write!(f, "{sep}{path}: {message}")?;
            }
        }
        Ok(())
    }
}

/// The problems found so far.
#[derive(Default)]
struct Problems(Vec<ConfigError>);

impl Problems {
    fn add(&mut self, check: Check) {
        if let Err(e) = check {
            self.0.push(e);
        }
    }

    fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(ConfigError::new(path, message));
    }

    fn result(self) -> Check {
        let mut all = self.0.into_iter();
        match all.next() {
            None => Ok(()),
            Some(mut first) => {
                first.also = all.collect();
                Err(first)
            }
        }
    }
}

impl std::error::Error for ConfigError {}

type Check = Result<(), ConfigError>;

fn fail(path: impl Into<String>, message: impl Into<String>) -> Check {
    Err(ConfigError::new(path, message))
}

/// Identifiers appear in HTML attributes and storage: keep them plain.
fn check_id(path: &str, id: &str) -> Check {
    if id.is_empty() {
        return fail(path, "empty id (required: a-z, 0-9, '-' and '_')");
    }
    if id.len() > 64 {
        return fail(path, "id longer than 64 characters");
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        return fail(path, format!("id {id:?} may only use a-z, 0-9, '-' and '_'"));
    }
    Ok(())
}

fn check_text(path: &str, text: &str) -> Check {
    if text.trim().is_empty() {
        return fail(path, "empty text");
    }
    Ok(())
}

/// A link or script URL must be `http:`, `https:` or relative: never
/// `javascript:`, `data:` or another scheme.
///
/// Twin: boot/logic.mjs safeUrl
pub fn check_url(path: &str, url: &str) -> Result<(), ConfigError> {
    if url.is_empty() {
        return fail(path, "empty URL");
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return fail(path, "URL contains whitespace or control characters");
    }
    // A scheme is whatever precedes the first ':' when no '/', '?' or '#' comes first.
    let end = url.find(['/', '?', '#']).unwrap_or(url.len());
    if let Some(colon) = url[..end].find(':') {
        let scheme = url[..colon].to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return fail(
                path,
                format!("URL scheme {scheme:?} not allowed (use http, https or a relative URL)"),
            );
        }
    } else if url.starts_with("//") {
        // Protocol-relative URLs inherit the page's scheme: fine.
    }
    Ok(())
}

/// A domain a cookie attribute can carry: letters, digits, '-' and '.', nothing that
/// could end the attribute or add another.
fn is_domain_name(d: &str) -> bool {
    !d.is_empty() && d.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

fn check_pattern(path: &str, pattern: &str) -> Check {
    if pattern.is_empty() || pattern.bytes().all(|b| b == b'*') {
        return fail(path, "empty pattern");
    }
    if pattern
        .bytes()
        .any(|b| b <= b' ' || b == b';' || b == b'=' || b == b',' || b == 0x7f)
    {
        return fail(path, "pattern contains a character not allowed in cookie names");
    }
    Ok(())
}

fn check_texts(texts: &Texts, out: &mut Problems) {
    for (name, text) in texts.fields() {
        out.add(check_text(&format!("texts.{name}"), text));
    }
}

/// Validates everything serde cannot: ranges, identifiers, URLs, patterns, uniqueness.
pub fn validate_config(cfg: &ConsentConfig) -> Result<(), ConfigError> {
    let mut out = Problems::default();
    if cfg.expires_after_days == 0 {
        out.push("expires_after_days", "must be at least 1 day");
    }
    if cfg.expires_after_days > MAX_EXPIRES_AFTER_DAYS {
        out.push(
            "expires_after_days",
            format!(
                "{} days is longer than the {MAX_EXPIRES_AFTER_DAYS}-day (13-month) maximum",
                cfg.expires_after_days
            ),
        );
    }
    if cfg.storage_key.is_empty()
        || !cfg
            .storage_key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
    {
        out.push(
            "storage_key",
            "must be non-empty and use only A-Z, a-z, 0-9, '_', '-' and '.'",
        );
    }
    if let Some(url) = &cfg.log_url {
        out.add(check_url("log_url", url));
    }
    if let Some(url) = &cfg.privacy_policy_url {
        out.add(check_url("privacy_policy_url", url));
    }
    for (key, m) in [
        ("cookie_mirror", &cfg.cookie_mirror),
        ("server_cookie", &cfg.server_cookie),
    ] {
        if let Some(m) = m {
            check_cookie_place(&mut out, key, m);
        }
    }
    if cfg.server_cookie.as_ref().is_some_and(|c| c.domain.is_some()) {
        // Each host keeps its own decision in its own storage: a copy shared with
        // other hosts would tell their servers of a decision their pages do not hold.
        out.push(
            "server_cookie.domain",
            "not allowed: the copy stays with the host whose storage holds the decision",
        );
    }
    if let (Some(a), Some(b)) = (&cfg.cookie_mirror, &cfg.server_cookie) {
        if a.name == b.name {
            out.push(
                "server_cookie.name",
                "must differ from cookie_mirror.name: they hold different shapes",
            );
        }
    }
    if cfg.categories.is_empty() {
        out.push("categories", "at least one category is required");
    }
    let mut category_ids = BTreeSet::new();
    let mut service_ids = BTreeSet::new();
    for (ci, cat) in cfg.categories.iter().enumerate() {
        let at = format!("categories[{ci}]");
        out.add(check_id(&format!("{at}.id"), &cat.id));
        if !category_ids.insert(cat.id.as_str()) {
            out.push(format!("{at}.id"), format!("duplicate category id {:?}", cat.id));
        }
        if cat.title.trim().is_empty() {
            out.push(
                format!("{at}.title"),
                "required: the heading shown to the visitor, e.g. \"Analytics\"",
            );
        }
        if cat.read_only && cat.id != NECESSARY {
            out.push(
                format!("{at}.read_only"),
                "only the \"necessary\" category may be read-only",
            );
        }
        if cat.enabled == Some(true) && cat.id != NECESSARY {
            out.push(
                format!("{at}.enabled"),
                "an optional category cannot be on before the visitor chooses: remove \"enabled\"",
            );
        }
        if cat.read_only && cat.sale_or_sharing == Some(true) {
            out.push(
                format!("{at}.sale_or_sharing"),
                "the \"necessary\" category is always on, so Global Privacy Control cannot turn it off: move what sells or shares data to an optional category",
            );
        }
        if cat.id == NECESSARY && !cat.read_only {
            out.push(
                format!("{at}.read_only"),
                "the \"necessary\" category is always on: set read_only to true",
            );
        }
        for (si, svc) in cat.services.iter().enumerate() {
            let at = format!("{at}.services[{si}]");
            out.add(check_id(&format!("{at}.id"), &svc.id));
            if !service_ids.insert(svc.id.as_str()) {
                out.push(format!("{at}.id"), format!("duplicate service id {:?}", svc.id));
            }
            // What the law asks a visitor can see of each service: who processes the data, and
            // what for (GDPR Art. 13; the EDPB's consent guidelines: an informed choice).
            for (field, value, what) in [
                ("title", &svc.title, "the name shown to the visitor, e.g. \"Google Analytics\""),
                ("provider", &svc.provider, "the company that runs it, e.g. \"Google Ireland Ltd.\": a visitor must see who processes their data"),
                ("purpose", &svc.purpose, "what it does with the data, e.g. \"Counts visits and pages read\": a visitor must see what for"),
                ("privacy_policy_url", &svc.privacy_policy_url, "the provider's privacy policy, an https:// or relative URL"),
            ] {
                if value.trim().is_empty() {
                    out.push(format!("{at}.{field}"), format!("required: {what}"));
                } else if field == "privacy_policy_url" {
                    out.add(check_url(&format!("{at}.{field}"), value));
                }
            }
            for (ki, cookie) in svc.cookies.iter().enumerate() {
                let at = format!("{at}.cookies[{ki}]");
                out.add(check_pattern(&format!("{at}.name"), &cookie.name));
                if let Some(path) = &cookie.path {
                    if !path.starts_with('/') {
                        out.push(format!("{at}.path"), "must start with '/'");
                    }
                }
                if let Some(domain) = &cookie.domain {
                    let d = domain.trim_start_matches('.');
                    if !is_domain_name(d) {
                        out.push(format!("{at}.domain"), format!("{domain:?} is not a domain name"));
                    }
                }
            }
            for (ki, key) in svc.storage_keys.iter().enumerate() {
                if key.is_empty() || key.bytes().all(|b| b == b'*') {
                    out.push(format!("{at}.storage_keys[{ki}]"), "empty pattern");
                }
                if super::pattern::glob_match(key, &cfg.storage_key)
                    || super::pattern::glob_match(key, &cfg.history_key())
                {
                    out.push(
                        format!("{at}.storage_keys[{ki}]"),
                        "would erase the consent record itself",
                    );
                }
            }
            for (ki, script) in svc.scripts.iter().enumerate() {
                let at = format!("{at}.scripts[{ki}]");
                out.add(check_url(&format!("{at}.src"), &script.src));
                if let Some(sri) = &script.integrity {
                    let ok = ["sha256-", "sha384-", "sha512-"]
                        .iter()
                        .any(|p| sri.starts_with(p) && sri.len() > p.len());
                    if !ok {
                        out.push(format!("{at}.integrity"), "must be a sha256-, sha384- or sha512- hash");
                    }
                }
            }
        }
    }
    if let Some(map) = cfg.consent_mode.as_ref().and_then(|m| m.map.as_ref()) {
        for (i, (cat, keys)) in map.iter().enumerate() {
            let at = format!("consent_mode.map.{cat}");
            if cfg.category(cat).is_none() {
                out.push(&at, format!("{cat:?} is not a category of this config"));
            }
            if map[..i].iter().any(|(c, _)| c == cat) {
                out.push(&at, "this category is mapped twice: list all its keys once");
            }
            for key in keys {
                if !super::config::CONSENT_MODE_KEYS.contains(&key.as_str()) {
                    out.push(
                        &at,
                        format!("{key:?} is not a Consent Mode key that a choice can grant (security_storage is always granted)"),
                    );
                }
            }
        }
    }
    check_texts(&cfg.texts, &mut out);
    check_languages(cfg, &mut out);
    out.result()
}

/// `language`, `default_language` and `translations`: known words, known ids, usable tags.
fn check_languages(cfg: &ConsentConfig, out: &mut Problems) {
    let tag_ok = |t: &str| {
        !t.is_empty() && t.len() <= 35 && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if !tag_ok(&cfg.default_language) {
        out.push(
            "default_language",
            format!(
                "{:?} is not a language tag (e.g. \"en\", \"pt-BR\")",
                cfg.default_language
            ),
        );
    }
    for (lang, t) in &cfg.translations {
        let at = format!("translations.{lang}");
        if !tag_ok(lang) {
            out.push(&at, "not a language tag (e.g. \"de\", \"pt-BR\")");
        }
        if let Some(word) = super::i18n::unknown_words(&t.texts).first() {
            out.push(
                format!("{at}.texts.{word}"),
                "not a word of the interface: see the keys of \"texts\" in docs/config.md",
            );
        }
        for (name, word) in &t.texts {
            out.add(check_text(&format!("{at}.texts.{name}"), word));
        }
        for id in t.categories.keys() {
            if cfg.category(id).is_none() {
                out.push(
                    format!("{at}.categories.{id}"),
                    format!("{id:?} is not a category of this config"),
                );
            }
        }
        for id in t.services.keys() {
            if cfg.service(id).is_none() {
                out.push(
                    format!("{at}.services.{id}"),
                    format!("{id:?} is not a service of this config"),
                );
            }
        }
    }
    if let Some(lang) = &cfg.language {
        let available = cfg.languages();
        if super::i18n::match_language(lang, &available).is_none() {
            out.push(
                "language",
                format!(
                    "{lang:?} has no words: use one of {} or add translations.{lang}",
                    available.join(", ")
                ),
            );
        }
    }
}

impl ConsentConfig {
    /// Parses and validates a JSON config.
    ///
    /// The error names the exact field that is wrong, for example
    /// `categories[2].services[0].cookies[1].name: empty pattern`.
    ///
    /// Twin: boot/valid.mjs usable
    pub fn from_json(json: &str) -> Result<Self, ConfigError> {
        let mut cfg: ConsentConfig = serde_json::from_str(json)
            .map_err(|e| ConfigError::new(super::json_path::path_at(json, e.line(), e.column()), e.to_string()))?;
        validate_config(&cfg)?;
        cfg.text = Some(json.into());
        Ok(cfg)
    }

    /// A config with the necessary category alone: what an app whose own
    /// config cannot be read runs under, so that nothing optional can be
    /// granted and nothing is asked.
    pub fn necessary_only() -> Self {
        const NECESSARY_ONLY: &str =
            r#"{"revision":1,"categories":[{"id":"necessary","title":"Necessary","read_only":true}]}"#;
        // A constant the crate's tests read: it cannot fail.
        serde_json::from_str(NECESSARY_ONLY).unwrap_or_else(|_| unreachable!("the necessary-only config reads"))
    }
}

/// A cookie copy's name, domain and path: written into `document.cookie` as
/// given, so nothing in them may end or add an attribute.
fn check_cookie_place(out: &mut Problems, key: &str, m: &CookieMirror) {
    if m.name.is_empty()
        || !m
            .name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+.^_`|~-".contains(&b))
    {
        out.push(
            format!("{key}.name"),
            "must be a cookie name: A-Z, a-z, 0-9 and !#$%&'*+.^_`|~-",
        );
    }
    if let Some(d) = &m.domain {
        if !is_domain_name(d) {
            out.push(format!("{key}.domain"), "must be a domain name such as \"example.com\"");
        }
    }
    if let Some(p) = &m.path {
        if !p.starts_with('/') || !p.bytes().all(|b| b.is_ascii_graphic() && b != b';' && b != b',') {
            out.push(
                format!("{key}.path"),
                "must be a path starting with \"/\", without spaces or ';'",
            );
        }
    }
}
