//! Checks a parsed config and names the exact field that is wrong.

use std::collections::BTreeSet;
use std::fmt;

use super::config::{ConsentConfig, Texts, MAX_EXPIRES_AFTER_DAYS, NECESSARY};

/// A config that cannot be used, with the path of the offending field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Where the problem is, e.g. `categories[2].services[0].cookies[1].name`.
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl ConfigError {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "consent config: {}", self.message)
        } else {
            write!(f, "consent config: {}: {}", self.path, self.message)
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
        return fail(path, "empty id");
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

fn check_texts(texts: &Texts) -> Check {
    for (name, text) in texts.fields() {
        check_text(&format!("texts.{name}"), text)?;
    }
    Ok(())
}

/// Validates everything serde cannot: ranges, identifiers, URLs, patterns, uniqueness.
pub fn validate_config(cfg: &ConsentConfig) -> Result<(), ConfigError> {
    if cfg.expires_after_days == 0 {
        return fail("expires_after_days", "must be at least 1 day");
    }
    if cfg.expires_after_days > MAX_EXPIRES_AFTER_DAYS {
        return fail(
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
        return fail(
            "storage_key",
            "must be non-empty and use only A-Z, a-z, 0-9, '_', '-' and '.'",
        );
    }
    if let Some(url) = &cfg.privacy_policy_url {
        check_url("privacy_policy_url", url)?;
    }
    if let Some(m) = &cfg.cookie_mirror {
        // (Written into `document.cookie` as given: nothing in them may end or add an attribute.)
        if m.name.is_empty()
            || !m
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+.^_`|~-".contains(&b))
        {
            return fail(
                "cookie_mirror.name",
                "must be a cookie name: A-Z, a-z, 0-9 and !#$%&'*+.^_`|~-",
            );
        }
        if let Some(d) = &m.domain {
            if d.is_empty() || !d.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') {
                return fail("cookie_mirror.domain", "must be a domain name such as \"example.com\"");
            }
        }
        if let Some(p) = &m.path {
            if !p.starts_with('/') || !p.bytes().all(|b| b.is_ascii_graphic() && b != b';' && b != b',') {
                return fail(
                    "cookie_mirror.path",
                    "must be a path starting with \"/\", without spaces or ';'",
                );
            }
        }
    }
    if cfg.categories.is_empty() {
        return fail("categories", "at least one category is required");
    }
    let mut category_ids = BTreeSet::new();
    let mut service_ids = BTreeSet::new();
    for (ci, cat) in cfg.categories.iter().enumerate() {
        let at = format!("categories[{ci}]");
        check_id(&format!("{at}.id"), &cat.id)?;
        if !category_ids.insert(cat.id.as_str()) {
            return fail(format!("{at}.id"), format!("duplicate category id {:?}", cat.id));
        }
        check_text(&format!("{at}.title"), &cat.title)?;
        if cat.read_only && cat.id != NECESSARY {
            return fail(
                format!("{at}.read_only"),
                "only the \"necessary\" category may be read-only",
            );
        }
        if cat.enabled == Some(true) && cat.id != NECESSARY {
            return fail(
                format!("{at}.enabled"),
                "an optional category cannot be on before the visitor chooses: remove \"enabled\"",
            );
        }
        if cat.read_only && cat.sale_or_sharing == Some(true) {
            return fail(
                format!("{at}.sale_or_sharing"),
                "the \"necessary\" category is always on, so Global Privacy Control cannot turn it off: move what sells or shares data to an optional category",
            );
        }
        if cat.id == NECESSARY && !cat.read_only {
            return fail(
                format!("{at}.read_only"),
                "the \"necessary\" category is always on: set read_only to true",
            );
        }
        for (si, svc) in cat.services.iter().enumerate() {
            let at = format!("{at}.services[{si}]");
            check_id(&format!("{at}.id"), &svc.id)?;
            if !service_ids.insert(svc.id.as_str()) {
                return fail(format!("{at}.id"), format!("duplicate service id {:?}", svc.id));
            }
            check_text(&format!("{at}.title"), &svc.title)?;
            check_text(&format!("{at}.provider"), &svc.provider)?;
            check_text(&format!("{at}.purpose"), &svc.purpose)?;
            check_url(&format!("{at}.privacy_policy_url"), &svc.privacy_policy_url)?;
            for (ki, cookie) in svc.cookies.iter().enumerate() {
                let at = format!("{at}.cookies[{ki}]");
                check_pattern(&format!("{at}.name"), &cookie.name)?;
                if let Some(path) = &cookie.path {
                    if !path.starts_with('/') {
                        return fail(format!("{at}.path"), "must start with '/'");
                    }
                }
                if let Some(domain) = &cookie.domain {
                    let d = domain.trim_start_matches('.');
                    if d.is_empty() || !d.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') {
                        return fail(format!("{at}.domain"), format!("{domain:?} is not a domain name"));
                    }
                }
            }
            for (ki, key) in svc.storage_keys.iter().enumerate() {
                if key.is_empty() || key.bytes().all(|b| b == b'*') {
                    return fail(format!("{at}.storage_keys[{ki}]"), "empty pattern");
                }
                if super::pattern::glob_match(key, &cfg.storage_key)
                    || super::pattern::glob_match(key, &cfg.history_key())
                {
                    return fail(
                        format!("{at}.storage_keys[{ki}]"),
                        "would erase the consent record itself",
                    );
                }
            }
            for (ki, script) in svc.scripts.iter().enumerate() {
                let at = format!("{at}.scripts[{ki}]");
                check_url(&format!("{at}.src"), &script.src)?;
                if let Some(sri) = &script.integrity {
                    let ok = ["sha256-", "sha384-", "sha512-"]
                        .iter()
                        .any(|p| sri.starts_with(p) && sri.len() > p.len());
                    if !ok {
                        return fail(format!("{at}.integrity"), "must be a sha256-, sha384- or sha512- hash");
                    }
                }
            }
        }
    }
    if let Some(map) = cfg.consent_mode.as_ref().and_then(|m| m.map.as_ref()) {
        for (i, (cat, keys)) in map.iter().enumerate() {
            let at = format!("consent_mode.map.{cat}");
            if cfg.category(cat).is_none() {
                return fail(at, format!("{cat:?} is not a category of this config"));
            }
            if map[..i].iter().any(|(c, _)| c == cat) {
                return fail(at, "this category is mapped twice: list all its keys once");
            }
            for key in keys {
                if !super::consent_mode::CONSENT_MODE_KEYS.contains(&key.as_str()) {
                    return fail(
                        at,
                        format!("{key:?} is not a Consent Mode key that a choice can grant (security_storage is always granted)"),
                    );
                }
            }
        }
    }
    check_texts(&cfg.texts)?;
    check_languages(cfg)
}

/// `language`, `default_language` and `translations`: known words, known ids, usable tags.
fn check_languages(cfg: &ConsentConfig) -> Check {
    let tag_ok = |t: &str| {
        !t.is_empty() && t.len() <= 35 && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if !tag_ok(&cfg.default_language) {
        return fail(
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
            return fail(at, "not a language tag (e.g. \"de\", \"pt-BR\")");
        }
        if let Some(word) = super::i18n::unknown_words(&t.texts).first() {
            return fail(
                format!("{at}.texts.{word}"),
                "not a word of the interface: see the keys of \"texts\" in the README",
            );
        }
        for (name, word) in &t.texts {
            check_text(&format!("{at}.texts.{name}"), word)?;
        }
        for id in t.categories.keys() {
            if cfg.category(id).is_none() {
                return fail(
                    format!("{at}.categories.{id}"),
                    format!("{id:?} is not a category of this config"),
                );
            }
        }
        for id in t.services.keys() {
            if cfg.service(id).is_none() {
                return fail(
                    format!("{at}.services.{id}"),
                    format!("{id:?} is not a service of this config"),
                );
            }
        }
    }
    if let Some(lang) = &cfg.language {
        let available = cfg.languages();
        if super::i18n::match_language(lang, &available).is_none() {
            return fail(
                "language",
                format!(
                    "{lang:?} has no words: use one of {} or add translations.{lang}",
                    available.join(", ")
                ),
            );
        }
    }
    Ok(())
}
