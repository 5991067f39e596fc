//! What a site's own server may know of the visitor's choice: the decision's
//! compact cookie copy ([`ConsentConfig::server_cookie`]) and the checks it
//! must pass before it counts.
//!
//! The copy is written by the browser and comes back with every request, so
//! a server reads it as it reads anything a client sends: strictly (one
//! canonical form, as [`ConsentRecord::decode`] for the stored text), then
//! through [`assess`], the same rules the browser applies to localStorage
//! (a current revision, unexpired, every id known to this config). What does
//! not pass is no consent.

use std::collections::BTreeMap;

use super::config::ConsentConfig;
use super::decision::{assess, category_granted, service_granted, Assessment, PromptReason};
use super::record::{ConsentRecord, DecodeError, Method, RECORD_VERSION};

/// The longest copy read: a browser keeps at most 4096 bytes per cookie.
pub const MAX_COOKIE_BYTES: usize = 4096;

/// The decision's cookie value: `1.<id>.<first>.<last>.<rev>.<via>.<categories>.<services>`,
/// each list `~`-separated ids in the record's order, refused ones with a
/// leading `!` (`necessary~performance~!marketing`). Only characters a cookie
/// value may hold without quoting. The site's data (`setCookieData`) is not
/// copied: it stays on the device.
pub fn encode_cookie(record: &ConsentRecord) -> String {
    let list = |m: &BTreeMap<String, bool>| {
        m.iter()
            .map(|(id, &on)| if on { id.clone() } else { format!("!{id}") })
            .collect::<Vec<_>>()
            .join("~")
    };
    format!(
        "{}.{}.{}.{}.{}.{}.{}.{}",
        record.version,
        record.consent_id,
        record.first_decision_ms,
        record.last_decision_ms,
        record.revision,
        record.method.as_str(),
        list(&record.categories),
        list(&record.services)
    )
}

/// Reads a cookie value [`encode_cookie`] wrote, and only such a value: any
/// other form (extra or missing fields, a number with a leading zero, a
/// duplicate id, spaces) is an error, never a partial record.
pub fn decode_cookie(value: &str) -> Result<ConsentRecord, DecodeError> {
    let bad = |why: &str| DecodeError::Malformed(format!("cookie copy: {why}"));
    if value.len() > MAX_COOKIE_BYTES {
        return Err(DecodeError::TooLarge(value.len()));
    }
    let parts: Vec<&str> = value.split('.').collect();
    let [version, id, first, last, rev, via, categories, services] = parts[..] else {
        return Err(bad("not eight fields"));
    };
    let number = |s: &str| -> Result<u64, DecodeError> {
        let canonical = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
        canonical
            .then(|| s.parse().ok())
            .flatten()
            .ok_or_else(|| bad("not a number"))
    };
    let version = u32::try_from(number(version)?).map_err(|_| bad("version"))?;
    if version != RECORD_VERSION {
        return Err(DecodeError::UnknownVersion(version));
    }
    let method = match via {
        "banner" => Method::Banner,
        "preferences" => Method::Preferences,
        "api" => Method::Api,
        "gpc" => Method::Gpc,
        _ => return Err(bad("unknown method")),
    };
    let map = |list: &str| -> Result<BTreeMap<String, bool>, DecodeError> {
        let mut out = BTreeMap::new();
        if list.is_empty() {
            return Ok(out);
        }
        for item in list.split('~') {
            let (id, on) = match item.strip_prefix('!') {
                Some(id) => (id, false),
                None => (item, true),
            };
            let ok = !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
            if !ok || out.insert(id.to_owned(), on).is_some() {
                return Err(bad("not a list of distinct ids"));
            }
        }
        Ok(out)
    };
    let record = ConsentRecord {
        version,
        consent_id: id.to_owned(),
        first_decision_ms: number(first)?,
        last_decision_ms: number(last)?,
        revision: u32::try_from(number(rev)?).map_err(|_| bad("revision"))?,
        categories: map(categories)?,
        services: map(services)?,
        method,
        data: None,
    };
    // One form only: ids in the record's order, as written.
    if encode_cookie(&record) != value {
        return Err(bad("not in the form this library writes"));
    }
    Ok(record)
}

/// The value of cookie `name` in a `Cookie` request header, if it is there
/// exactly once (two of one name, from two paths or domains, cannot be told
/// apart: neither counts).
pub fn cookie_value<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    let mut found = cookie_header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(k, _)| *k == name)
        .map(|(_, v)| v);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// What the server knows of one request's visitor: the decision in force, if
/// any, and whether the visitor must be asked.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerDecision {
    /// The config as it applies to this visitor (locked by Global Privacy
    /// Control when the request carries `Sec-GPC: 1` and the site honours it).
    pub config: ConsentConfig,
    /// The decision in force, when the cookie copy passed every check.
    pub record: Option<ConsentRecord>,
    /// `Some` when the banner must be shown: nothing usable came with the
    /// request, or the decision lacks a newer category or service.
    pub prompt: Option<PromptReason>,
}

impl ServerDecision {
    /// Whether a category is granted (never without a current decision).
    pub fn category(&self, id: &str) -> bool {
        category_granted(&self.config, self.record.as_ref(), id)
    }

    /// Whether a service is granted (never without a current decision).
    pub fn service(&self, id: &str) -> bool {
        service_granted(&self.config, self.record.as_ref(), id)
    }
}

/// The visitor's decision as a server sees it, from the request's `Cookie`
/// and `Sec-GPC` headers, the site's config and the time. Without
/// [`ConsentConfig::server_cookie`] in the config, nothing is read and the
/// visitor has not decided as far as the server knows.
///
/// ```
/// use leptos_consent::core::{server_decision, ConsentConfig};
///
/// let cfg = ConsentConfig::from_json(r#"{
///     "revision": 1,
///     "server_cookie": { "name": "lcc" },
///     "categories": [
///         { "id": "necessary", "title": "Necessary", "read_only": true },
///         { "id": "performance", "title": "Performance" }
///     ]
/// }"#).unwrap();
/// let now = 1_765_000_000_000;
/// let cookie = format!("theme=dark; lcc=1.4b1c2f2e-8f0a-4c35-9d61-0a1b2c3d4e5f.{now}.{now}.1.banner.necessary~performance.");
/// let seen = server_decision(&cfg, Some(&cookie), None, now);
/// assert!(seen.prompt.is_none() && seen.category("performance"));
/// // A copy edited by hand (a revision the config does not have) is no consent.
/// let forged = cookie.replace(".1.banner", ".7.banner");
/// assert!(!server_decision(&cfg, Some(&forged), None, now).category("performance"));
/// ```
pub fn server_decision(
    cfg: &ConsentConfig,
    cookie_header: Option<&str>,
    sec_gpc: Option<&str>,
    now_ms: u64,
) -> ServerDecision {
    let config = cfg.clone().under_gpc(sec_gpc.map(str::trim) == Some("1"));
    let copy = cfg
        .server_cookie
        .as_ref()
        .zip(cookie_header)
        .and_then(|(c, header)| cookie_value(header, &c.name));
    let assessment = match copy.map(decode_cookie) {
        None => Assessment {
            prompt: Some(PromptReason::NoRecord),
            record: None,
        },
        Some(Err(e)) => Assessment {
            prompt: Some(PromptReason::Unreadable(e)),
            record: None,
        },
        // The browser's own rules, on the record's stored form.
        Some(Ok(record)) => assess(Some(&record.encode()), &config, now_ms),
    };
    // (Global Privacy Control over an earlier opt-in: the locked config grants
    // none of what it locks, as in the browser, which then stores the opt-out.)
    ServerDecision {
        config,
        record: assessment.record,
        prompt: assessment.prompt,
    }
}

/// The `document.cookie` assignment that keeps the server's copy in step with
/// `record` (the decision in force, `None` to remove it), or `None` when the
/// config keeps no copy. It expires with the decision; `SameSite=Lax` so it
/// comes with a visitor's first navigation from another site; `Secure` on
/// an https page.
pub fn server_cookie_line(
    cfg: &ConsentConfig,
    record: Option<&ConsentRecord>,
    now_ms: u64,
    https: bool,
) -> Option<String> {
    let place = cfg.server_cookie.as_ref()?;
    let (value, max_age) = match record {
        Some(r) => {
            let left = r
                .last_decision_ms
                .saturating_add(cfg.expiry_ms())
                .saturating_sub(now_ms)
                / 1000;
            (encode_cookie(r), left)
        }
        None => (String::new(), 0),
    };
    let mut line = format!(
        "{}={value}; Path={}; Max-Age={max_age}; SameSite=Lax",
        place.name,
        place.path.as_deref().unwrap_or("/")
    );
    if let Some(domain) = &place.domain {
        line.push_str("; Domain=");
        line.push_str(domain);
    }
    if https {
        line.push_str("; Secure");
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> ConsentRecord {
        ConsentRecord {
            version: 1,
            consent_id: "4b1c2f2e-8f0a-4c35-9d61-0a1b2c3d4e5f".into(),
            first_decision_ms: 1,
            last_decision_ms: 20,
            revision: 3,
            categories: [("necessary".to_owned(), true), ("marketing".to_owned(), false)].into(),
            services: [("ga".to_owned(), false)].into(),
            method: Method::Preferences,
            data: None,
        }
    }

    #[test]
    fn a_copy_reads_back_as_written_and_only_so() {
        let r = record();
        let text = encode_cookie(&r);
        assert_eq!(
            text,
            "1.4b1c2f2e-8f0a-4c35-9d61-0a1b2c3d4e5f.1.20.3.preferences.!marketing~necessary.!ga"
        );
        assert_eq!(decode_cookie(&text), Ok(r));
        for bad in [
            text.replace(".1.20.", ".01.20."),
            text.replace("~necessary", "~necessary~necessary"),
            text.replace("!ga", "!GA"),
            text.replace(".preferences.", ".modal."),
            text.clone() + ".",
            text.replace("!marketing~necessary", "necessary~!marketing"),
            text.replace(".3.", ". 3."),
            "2".to_owned() + &text[1..],
        ] {
            assert!(decode_cookie(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_cookie_name_counts_once() {
        assert_eq!(cookie_value("a=1; lcc=x; b=2", "lcc"), Some("x"));
        assert_eq!(cookie_value("lcc=x;lcc=y", "lcc"), None);
        assert_eq!(cookie_value("xlcc=x", "lcc"), None);
    }
}
