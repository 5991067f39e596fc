//! The consent log's wire format: one decision as the browser posts it to the
//! site's consent-log server (`log_url`), the checks that server makes with
//! this same core before storing it, and the text a receipt signs.
//!
//! One implementation, two places: the browser builds a [`LoggedDecision`]
//! from the record it has just stored ([`LoggedDecision::for_record`]); the
//! server reads the body with [`LoggedDecision::parse`] and checks it against
//! the config the visitor was shown with [`LoggedDecision::check`], which
//! rebuilds the record and runs [`ConsentRecord::check`] on it.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::config::ConsentConfig;
use super::record::{unique_map, ConsentRecord, Method, RECORD_VERSION};
use super::stamp::config_fingerprint;

/// The wire format version of a logged decision.
pub const LOG_FORMAT: u32 = 1;
/// The largest body the log endpoint reads: a decision with the config text
/// it was made under (sent once per config, when the server asks for it).
pub const MAX_LOG_BODY_BYTES: usize = 320 * 1024;
/// The largest config text a decision may carry (a larger one is registered
/// by the site, `LCC_CONFIGS`). Escaped inside the body it may take more.
pub const MAX_LOGGED_CONFIG_BYTES: usize = 128 * 1024;
/// The latest time accepted (JavaScript's largest exact integer, in Unix ms).
pub const MAX_LOGGED_TIME: u64 = (1 << 53) - 1;
/// The longest page path kept (longer ones are cut, on a character boundary).
pub const MAX_LOGGED_PATH: usize = 512;
/// The longest page origin accepted (`https://` and a host name with a port).
pub const MAX_LOGGED_ORIGIN: usize = 270;
/// The highest per-visitor sequence number accepted.
pub const MAX_LOGGED_SEQ: u32 = 1_000_000;
/// The name the receipt's signed text carries.
pub const RECEIPT_FORMAT: &str = "leptos-consent/log-receipt/1";

/// Where, in the interface, a decision was made: finer than the record's
/// [`Method`], which does not tell the modal from the preference center.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The first-layer banner.
    Banner,
    /// The preferences modal.
    Modal,
    /// The preference-center page.
    Center,
    /// The JS or Rust API.
    Api,
    /// Global Privacy Control applied over an earlier opt-in.
    Gpc,
}

impl Source {
    /// The name used on the wire and in exports.
    pub const fn as_str(self) -> &'static str {
        match self {
            Source::Banner => "banner",
            Source::Modal => "modal",
            Source::Center => "center",
            Source::Api => "api",
            Source::Gpc => "gpc",
        }
    }

    /// The source of a decision known only by its record's method (a
    /// decision in the preferences is taken as made in the modal).
    pub const fn from_method(method: Method) -> Self {
        match method {
            Method::Banner => Source::Banner,
            Method::Preferences => Source::Modal,
            Method::Api => Source::Api,
            Method::Gpc => Source::Gpc,
        }
    }

    /// The record's method this source is recorded as.
    pub const fn method(self) -> Method {
        match self {
            Source::Banner => Method::Banner,
            Source::Modal | Source::Center => Method::Preferences,
            Source::Api => Method::Api,
            Source::Gpc => Method::Gpc,
        }
    }
}

/// One decision as posted to the consent log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggedDecision {
    /// Wire format ([`LOG_FORMAT`]).
    pub v: u32,
    /// The record's consent id (UUIDv4).
    pub id: String,
    /// This visitor's decision number under the consent id, from 1: with the
    /// id, what makes a post idempotent.
    pub seq: u32,
    /// When the visitor first decided (client clock, Unix ms).
    pub first: u64,
    /// When this decision was made (client clock, Unix ms).
    pub at: u64,
    /// The config revision the decision was given under.
    pub rev: u32,
    /// The fingerprint of the config text the visitor was shown
    /// ([`crate::core::config_fingerprint`]).
    pub config: String,
    /// Every category of the config, granted or refused.
    #[serde(deserialize_with = "unique_map")]
    pub categories: BTreeMap<String, bool>,
    /// Every service of the config, granted or refused.
    #[serde(deserialize_with = "unique_map")]
    pub services: BTreeMap<String, bool>,
    /// Where the decision was made.
    pub source: Source,
    /// The language the interface was shown in.
    pub lang: String,
    /// Whether the browser sent Global Privacy Control.
    pub gpc: bool,
    /// The page's origin (`https://shop.example`).
    pub origin: String,
    /// The page's path, without query string or fragment.
    pub path: String,
    /// The config text itself, sent only when the server asks for it
    /// (it does not know the fingerprint yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_text: Option<String>,
}

/// Why a posted decision was refused. Each names what was wrong; the server
/// answers with it and stores nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogError {
    /// The body is over [`MAX_LOG_BODY_BYTES`].
    TooLarge(usize),
    /// The body is not a decision of this format (bad JSON, a missing or
    /// unknown field, a wrong type, a duplicate id).
    Malformed(String),
    /// A field is well-typed but not acceptable (the message names it).
    Invalid(String),
    /// The decision is not one the config it names could have produced.
    NotUnderConfig(String),
}

impl fmt::Display for LogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogError::TooLarge(n) => write!(f, "body is {n} bytes, over the {MAX_LOG_BODY_BYTES}-byte limit"),
            LogError::Malformed(e) => write!(f, "not a logged decision: {e}"),
            LogError::Invalid(e) => write!(f, "invalid decision: {e}"),
            LogError::NotUnderConfig(e) => write!(f, "decision does not match its config: {e}"),
        }
    }
}

impl std::error::Error for LogError {}

fn invalid(msg: impl Into<String>) -> LogError {
    LogError::Invalid(msg.into())
}

/// The path part of a URL path as logged: query string and fragment removed,
/// cut to [`MAX_LOGGED_PATH`] bytes on a character boundary.
///
/// Twin: boot/plans.mjs logPath
pub fn logged_path(path: &str) -> String {
    let end = path.find(['?', '#']).unwrap_or(path.len());
    let mut cut = end.min(MAX_LOGGED_PATH);
    while !path.is_char_boundary(cut) {
        cut -= 1;
    }
    let path = &path[..cut];
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

/// Whether `origin` is a serialised web origin: `http(s)://host[:port]`, nothing after.
fn is_origin(origin: &str) -> bool {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    rest.is_some_and(|host| {
        !host.is_empty()
            && origin.len() <= MAX_LOGGED_ORIGIN
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    })
}

/// Whether `lang` is a language tag as the config accepts one (`en`,
/// `pt-BR`, `pt_BR`, `zh-Hant-TW`): what the interface may be shown in.
fn is_language_tag(lang: &str) -> bool {
    (1..=35).contains(&lang.len())
        && lang
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl LoggedDecision {
    /// The decision to log for `record`, just stored in the browser.
    ///
    /// Twin: boot/plans.mjs logEntry
    #[allow(clippy::too_many_arguments)]
    pub fn for_record(
        record: &ConsentRecord,
        seq: u32,
        config_fingerprint: &str,
        source: Source,
        lang: &str,
        gpc: bool,
        origin: &str,
        path: &str,
    ) -> Self {
        LoggedDecision {
            v: LOG_FORMAT,
            id: record.consent_id.clone(),
            seq,
            first: record.first_decision_ms,
            at: record.last_decision_ms,
            rev: record.revision,
            config: config_fingerprint.to_owned(),
            categories: record.categories.clone(),
            services: record.services.clone(),
            source,
            lang: lang.to_owned(),
            gpc,
            origin: origin.to_owned(),
            path: logged_path(path),
            config_text: None,
        }
    }

    /// The JSON text posted.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a posted body: size first, then strict JSON (no unknown or
    /// missing field, no duplicate id), then the checks that need no config.
    pub fn parse(body: &[u8]) -> Result<Self, LogError> {
        if body.len() > MAX_LOG_BODY_BYTES {
            return Err(LogError::TooLarge(body.len()));
        }
        let d: Self = serde_json::from_slice(body).map_err(|e| LogError::Malformed(e.to_string()))?;
        d.check_fields()?;
        Ok(d)
    }

    fn check_fields(&self) -> Result<(), LogError> {
        if self.v != LOG_FORMAT {
            return Err(invalid(format!("unknown format version {}", self.v)));
        }
        // The id and sequence number make a post idempotent: one spelling of each.
        if self.id.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(invalid("id must be a lowercase UUIDv4"));
        }
        if self.first > MAX_LOGGED_TIME || self.at > MAX_LOGGED_TIME {
            return Err(invalid("first and at must be Unix times in ms"));
        }
        if self.seq == 0 || self.seq > MAX_LOGGED_SEQ {
            return Err(invalid(format!("seq must be 1..={MAX_LOGGED_SEQ}")));
        }
        if self.config.len() != 8 || !self.config.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(invalid(
                "config must be 8 lowercase hex digits (the config's fingerprint)",
            ));
        }
        if !is_language_tag(&self.lang) {
            return Err(invalid("lang is not a language tag"));
        }
        if !is_origin(&self.origin) {
            return Err(invalid("origin must be http(s)://host[:port]"));
        }
        if !self.path.starts_with('/')
            || self.path.len() > MAX_LOGGED_PATH
            || self.path.contains(['?', '#'])
            || self.path.chars().any(char::is_control)
        {
            return Err(invalid(format!(
                "path must start with '/', hold no query string, fragment or control character, \
                 and be at most {MAX_LOGGED_PATH} bytes"
            )));
        }
        if let Some(text) = &self.config_text {
            if text.len() > MAX_LOGGED_CONFIG_BYTES {
                return Err(invalid(format!("config_text is over {MAX_LOGGED_CONFIG_BYTES} bytes")));
            }
            if config_fingerprint(text) != self.config {
                return Err(invalid("config_text does not have the fingerprint in config"));
            }
        }
        Ok(())
    }

    /// The record this decision says the browser stored.
    pub fn record(&self) -> ConsentRecord {
        ConsentRecord {
            version: RECORD_VERSION,
            consent_id: self.id.clone(),
            first_decision_ms: self.first,
            last_decision_ms: self.at,
            revision: self.rev,
            categories: self.categories.clone(),
            services: self.services.clone(),
            method: self.source.method(),
            data: None,
        }
    }

    /// Checks the decision against the config it names (already read with
    /// [`ConsentConfig::from_json`] from the text with that fingerprint), at
    /// server time `now_ms`: the same checks the browser makes of a stored
    /// record, and more, since a logged decision must be complete: every
    /// category and service of the config carries an explicit choice, read-only
    /// categories are granted, and what GPC locks is refused when GPC was on.
    pub fn check(&self, cfg: &ConsentConfig, now_ms: u64) -> Result<(), LogError> {
        let not_under = |m: String| LogError::NotUnderConfig(m);
        if self.rev != cfg.revision {
            return Err(not_under(format!(
                "revision {} but the config is revision {}",
                self.rev, cfg.revision
            )));
        }
        self.record().check(cfg, now_ms).map_err(|e| not_under(e.to_string()))?;
        if let Some(c) = cfg.categories.iter().find(|c| !self.categories.contains_key(&c.id)) {
            return Err(not_under(format!("category {:?} has no choice", c.id)));
        }
        if let Some((_, s)) = cfg.services().find(|(_, s)| !self.services.contains_key(&s.id)) {
            return Err(not_under(format!("service {:?} has no choice", s.id)));
        }
        if let Some((c, s)) = cfg
            .services()
            .find(|(c, s)| c.read_only && self.services.get(&s.id) == Some(&false))
        {
            return Err(not_under(format!("service {:?} of read-only {:?} refused", s.id, c.id)));
        }
        let locked = cfg.clone().under_gpc(self.gpc);
        if let Some(c) = locked
            .categories
            .iter()
            .find(|c| c.gpc_locked && self.categories.get(&c.id) == Some(&true))
        {
            return Err(not_under(format!(
                "category {:?} granted while Global Privacy Control locks it",
                c.id
            )));
        }
        if self.source == Source::Gpc && !self.gpc {
            return Err(not_under(
                "made by Global Privacy Control without the signal".to_owned(),
            ));
        }
        Ok(())
    }

    /// The ids granted and refused (categories, then services), for exports.
    pub fn granted_and_refused(&self) -> (Vec<&str>, Vec<&str>) {
        let all = self.categories.iter().chain(&self.services);
        let granted = all.clone().filter(|(_, &on)| on).map(|(k, _)| k.as_str()).collect();
        let refused = all.filter(|(_, &on)| !on).map(|(k, _)| k.as_str()).collect();
        (granted, refused)
    }

    /// A digest input that is equal for two posts of the same decision: the
    /// decision's own text, without the config text it may carry.
    pub fn identity_text(&self) -> String {
        LoggedDecision {
            config_text: None,
            ..self.clone()
        }
        .encode()
    }
}

/// What a receipt signs: the decision as stored, with the server's time and
/// the SHA-256 of the config text shown. The server signs the exact bytes of
/// this text; a verifier checks the signature over the same bytes, then reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptBody {
    /// [`RECEIPT_FORMAT`].
    pub format: String,
    /// The consent id.
    pub id: String,
    /// The decision's number under the consent id.
    pub seq: u32,
    /// When the server stored it (server clock, Unix ms).
    pub server_time: u64,
    /// When the visitor decided (client clock, Unix ms).
    pub client_time: u64,
    /// The config revision.
    pub rev: u32,
    /// The config's fingerprint.
    pub config: String,
    /// The SHA-256 (hex) of the config text the visitor was shown.
    pub config_sha256: String,
    /// Every category, granted or refused.
    pub categories: BTreeMap<String, bool>,
    /// Every service, granted or refused.
    pub services: BTreeMap<String, bool>,
    /// Where the decision was made.
    pub source: Source,
    /// The interface language.
    pub lang: String,
    /// Whether Global Privacy Control was on.
    pub gpc: bool,
    /// The page's origin.
    pub origin: String,
    /// The page's path.
    pub path: String,
}

impl ReceiptBody {
    /// The receipt body for a decision stored at `server_time`.
    pub fn new(d: &LoggedDecision, server_time: u64, config_sha256: &str) -> Self {
        ReceiptBody {
            format: RECEIPT_FORMAT.to_owned(),
            id: d.id.clone(),
            seq: d.seq,
            server_time,
            client_time: d.at,
            rev: d.rev,
            config: d.config.clone(),
            config_sha256: config_sha256.to_owned(),
            categories: d.categories.clone(),
            services: d.services.clone(),
            source: d.source,
            lang: d.lang.clone(),
            gpc: d.gpc,
            origin: d.origin.clone(),
            path: d.path.clone(),
        }
    }

    /// The exact text signed.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A signed receipt, as the server returns it and the visitor downloads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// The algorithm: always `"Ed25519"`.
    pub alg: String,
    /// The first 16 hex digits of the SHA-256 of the signing key's public half.
    pub key_id: String,
    /// The signed text: a [`ReceiptBody`] as JSON, kept as the exact bytes signed.
    pub signed: String,
    /// The Ed25519 signature of `signed`'s UTF-8 bytes, in hex.
    pub signature: String,
}

/// The part of an address a site may keep when it opts in: the /24 network of
/// an IPv4 address, the /48 of an IPv6 one (an IPv4-mapped IPv6 address counts
/// as IPv4).
pub fn truncated_ip(ip: IpAddr) -> String {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0);
            format!("{net}/48")
        }
    }
}

/// How many decisions the browser keeps while the log cannot be reached (the
/// oldest goes first when one more comes).
pub const LOG_QUEUE_LIMIT: usize = 10;
/// How many server receipts the browser keeps for the visitor's download.
pub const LOG_RECEIPTS_KEPT: usize = 10;

/// What the browser keeps for the consent log (under `<storage_key>_log`):
/// the sequence counter of the current consent id, the decisions not yet
/// acknowledged (each the exact text posted) and the receipts of those that
/// were (each the exact text the server answered). Kept as texts, the browser
/// never reads a decision or a receipt back: it sends and shows them as they
/// are. (The decision code, boot/decide.mjs `logFirst`, writes the same shape
/// for a first decision.)
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogOutbox {
    /// The consent id the counter belongs to.
    pub id: String,
    /// The last sequence number given under it.
    pub seq: u32,
    /// Decisions waiting to be acknowledged ([`LoggedDecision::encode`]), oldest first.
    pub queue: Vec<String>,
    /// The server's receipts ([`Receipt`] as JSON), oldest first.
    pub receipts: Vec<String>,
    /// Decisions dropped from a full queue.
    #[serde(default)]
    pub dropped: u32,
}

impl LogOutbox {
    /// Reads the stored outbox; anything unreadable is an empty one (it
    /// grants nothing: it only holds what is still to be sent).
    pub fn decode(stored: Option<&str>) -> Self {
        stored
            .filter(|s| s.len() <= 256 * 1024)
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    }

    /// The text stored.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The next sequence number under `consent_id` (1 for a new id).
    pub fn next_seq(&mut self, consent_id: &str) -> u32 {
        if self.id != consent_id {
            self.id = consent_id.to_owned();
            self.seq = 0;
        }
        self.seq = self.seq.saturating_add(1).min(MAX_LOGGED_SEQ);
        self.seq
    }

    /// Queues a decision's text, dropping the oldest past [`LOG_QUEUE_LIMIT`].
    pub fn enqueue(&mut self, entry: String) {
        self.queue.push(entry);
        while self.queue.len() > LOG_QUEUE_LIMIT {
            self.queue.remove(0);
            self.dropped = self.dropped.saturating_add(1);
        }
    }

    /// Takes the decision `sent` off the queue, keeping the server's receipt
    /// for it when there is one.
    pub fn settle(&mut self, sent: &str, receipt: Option<String>) {
        self.queue.retain(|q| q != sent);
        if let Some(r) = receipt {
            self.receipts.push(r);
            let excess = self.receipts.len().saturating_sub(LOG_RECEIPTS_KEPT);
            self.receipts.drain(..excess);
        }
    }
}

/// A queued decision's text with the config text added (the server asked for it).
pub fn with_config_text(entry: &str, config_text: &str) -> String {
    let body = entry.strip_suffix('}').unwrap_or(entry);
    let text = serde_json::to_string(config_text).unwrap_or_default();
    format!("{body},\"config_text\":{text}}}")
}

/// A queued decision's text under another sequence number (another tab took
/// its number), or `None` when the text is not one [`LoggedDecision::encode`] wrote.
pub fn renumbered(entry: &str, seq: u32) -> Option<(String, u32)> {
    // `{"v":1,"id":"<36 characters>","seq":` comes first, always.
    let start = entry.find(",\"seq\":")? + 7;
    let end = start + entry[start..].find(',')?;
    let old: u32 = entry[start..end].parse().ok()?;
    let new = seq.max(old.saturating_add(1)).min(MAX_LOGGED_SEQ);
    Some((format!("{}{new}{}", &entry[..start], &entry[end..]), new))
}

/// The code of a refusal the log server answered (`{"error":"<code>",…}`;
/// the server writes `error` first), read without a JSON reader: empty when
/// the body is not one.
pub fn refusal_code(body: &str) -> &str {
    body.strip_prefix("{\"error\":\"")
        .and_then(|t| t.split('"').next())
        .unwrap_or_default()
}

/// The free sequence number a `sequence_taken` refusal names (`"next_seq":7`), 0 without one.
pub fn refusal_next_seq(body: &str) -> u32 {
    body.split("\"next_seq\":")
        .nth(1)
        .and_then(|t| t.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
