//! The stored consent record: versioned, strict to decode, and checked against the config.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::config::{ConsentConfig, NECESSARY};

/// The record format this version of the library writes and reads.
pub const RECORD_VERSION: u32 = 1;
/// How far in the future a timestamp may lie before the record is distrusted (clock skew).
pub const MAX_CLOCK_SKEW_MS: u64 = 5 * 60 * 1000;
/// Stored values longer than this are not even parsed.
pub const MAX_RECORD_BYTES: usize = 16 * 1024;
/// The most a site keeps with a consent (`setCookieData`, as JSON text, counted
/// as stored: escaped inside the record's JSON string). A record that still
/// grows past [`MAX_RECORD_BYTES`] (a config with very many services) is
/// refused by [`ConsentRecord::decode`] and never attested to the boot script.
pub const MAX_DATA_BYTES: usize = 8 * 1024;

/// Where a decision was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// The first-layer banner.
    Banner,
    /// The preferences modal or preference center.
    Preferences,
    /// A call through the JS or Rust API.
    Api,
    /// The browser's Global Privacy Control signal, applied over an earlier
    /// opt-in (the record keeps the visitor's other choices).
    Gpc,
}

impl Method {
    /// The name used in the record and in events.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Banner => "banner",
            Method::Preferences => "preferences",
            Method::Api => "api",
            Method::Gpc => "gpc",
        }
    }
}

/// One visitor decision, as stored in the browser.
///
/// Every category and every service of the config carries an explicit
/// `true` or `false`: nothing is implied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRecord {
    /// Record format version ([`RECORD_VERSION`]).
    #[serde(rename = "v")]
    pub version: u32,
    /// Random UUIDv4 identifying this visitor's consent, kept across changes.
    #[serde(rename = "id")]
    pub consent_id: String,
    /// When the visitor first decided (Unix ms).
    #[serde(rename = "first")]
    pub first_decision_ms: u64,
    /// When the visitor last decided (Unix ms). Expiry counts from here.
    #[serde(rename = "last")]
    pub last_decision_ms: u64,
    /// The config revision the decision was given under.
    #[serde(rename = "rev")]
    pub revision: u32,
    /// Category id to granted.
    #[serde(deserialize_with = "unique_map")]
    pub categories: BTreeMap<String, bool>,
    /// Service id to granted.
    #[serde(deserialize_with = "unique_map")]
    pub services: BTreeMap<String, bool>,
    /// Where the decision was made.
    #[serde(rename = "via")]
    pub method: Method,
    /// What the site keeps with the consent (`CookieConsent.setCookieData`): a
    /// JSON text, at most [`MAX_DATA_BYTES`], kept as text so that the stored
    /// value stays the one form this library writes. Not part of the decision:
    /// it carries over from one decision to the next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

/// Why a stored value could not be read as a record at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The value is longer than [`MAX_RECORD_BYTES`].
    TooLarge(usize),
    /// The value is not a record of any known shape.
    Malformed(String),
    /// The value is a record of a format version this library does not know.
    UnknownVersion(u32),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::TooLarge(n) => {
                write!(f, "stored consent is {n} bytes, over the {MAX_RECORD_BYTES}-byte limit")
            }
            DecodeError::Malformed(e) => write!(f, "stored consent is malformed: {e}"),
            DecodeError::UnknownVersion(v) => {
                write!(f, "stored consent has unknown format version {v}")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// Why a well-formed record cannot be trusted for this config at this time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// The consent id is not a UUIDv4.
    BadConsentId,
    /// A timestamp lies in the future, or the first decision is after the last.
    BadTimestamps,
    /// The record names a category the config does not have.
    UnknownCategory(String),
    /// The record names a service the config does not have.
    UnknownService(String),
    /// The record says a read-only category was refused.
    ReadOnlyRefused(String),
    /// The record grants a service whose category it refuses.
    Inconsistent(String),
    /// The site's data is not JSON, or longer than [`MAX_DATA_BYTES`].
    BadData,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::BadConsentId => f.write_str("consent id is not a UUIDv4"),
            RecordError::BadTimestamps => f.write_str("timestamps are in the future or out of order"),
            RecordError::UnknownCategory(c) => write!(f, "unknown category {c:?}"),
            RecordError::UnknownService(s) => write!(f, "unknown service {s:?}"),
            RecordError::ReadOnlyRefused(c) => write!(f, "read-only category {c:?} marked refused"),
            RecordError::Inconsistent(s) => {
                write!(f, "service {s:?} granted while its category is refused")
            }
            RecordError::BadData => f.write_str("the site's data is not JSON of at most 8 KB"),
        }
    }
}

impl std::error::Error for RecordError {}

#[derive(Deserialize)]
struct VersionProbe {
    v: u32,
}

impl ConsentRecord {
    /// Serialises the record for storage.
    ///
    /// Twin: boot/logic.mjs stands
    pub fn encode(&self) -> String {
        // Serialising plain maps, strings and integers cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses a stored value. Anything that is not exactly a record of a known
    /// version is an error, never a partial record.
    ///
    /// "Exactly" is meant to the byte: the value must be the text
    /// [`ConsentRecord::encode`] writes (no added spacing, escapes, reordered
    /// or duplicate keys, other number forms). Only a value this library wrote
    /// is trusted. This is the only decoder of stored records: the boot script
    /// reads a record only when this crate attested its exact text
    /// ([`crate::core::boot_marker`]). `tests/fuzz.rs` feeds it arbitrary and
    /// mutated input (`make fuzz`: ten million).
    pub fn decode(stored: &str) -> Result<Self, DecodeError> {
        if stored.len() > MAX_RECORD_BYTES {
            return Err(DecodeError::TooLarge(stored.len()));
        }
        let probe: VersionProbe = serde_json::from_str(stored).map_err(|e| DecodeError::Malformed(e.to_string()))?;
        if probe.v != RECORD_VERSION {
            return Err(DecodeError::UnknownVersion(probe.v));
        }
        let record: Self = serde_json::from_str(stored).map_err(|e| DecodeError::Malformed(e.to_string()))?;
        if record.encode() != stored {
            return Err(DecodeError::Malformed("not in the form this library writes".to_owned()));
        }
        Ok(record)
    }

    /// Checks that the record is internally sound and only names what the config has.
    /// Revision and expiry are not checked here: those mean "ask again", not "corrupt".
    pub fn check(&self, cfg: &ConsentConfig, now_ms: u64) -> Result<(), RecordError> {
        if !is_uuid_v4(&self.consent_id) {
            return Err(RecordError::BadConsentId);
        }
        let latest_allowed = now_ms.saturating_add(MAX_CLOCK_SKEW_MS);
        if self.first_decision_ms > self.last_decision_ms || self.last_decision_ms > latest_allowed {
            return Err(RecordError::BadTimestamps);
        }
        if let Some(data) = &self.data {
            if data.len() > MAX_DATA_BYTES || serde_json::from_str::<serde::de::IgnoredAny>(data).is_err() {
                return Err(RecordError::BadData);
            }
        }
        for (id, &granted) in &self.categories {
            let cat = cfg
                .category(id)
                .ok_or_else(|| RecordError::UnknownCategory(id.clone()))?;
            if cat.read_only && !granted {
                return Err(RecordError::ReadOnlyRefused(id.clone()));
            }
        }
        for (id, &granted) in &self.services {
            let (cat, _) = cfg.service(id).ok_or_else(|| RecordError::UnknownService(id.clone()))?;
            if granted && self.categories.get(&cat.id) == Some(&false) {
                return Err(RecordError::Inconsistent(id.clone()));
            }
        }
        Ok(())
    }

    /// Whether the record holds an explicit `true` for this category
    /// (the necessary category is always granted).
    pub fn category_granted(&self, id: &str) -> bool {
        id == NECESSARY || self.categories.get(id) == Some(&true)
    }
}

/// Whether `s` is a canonical lowercase or uppercase UUIDv4.
pub fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b' | b'A' | b'B')
}

/// Formats 16 random bytes as a UUIDv4 (version and variant bits set).
///
/// Twin: boot/plans.mjs uuid
pub fn uuid_v4(mut random: [u8; 16]) -> String {
    random[6] = (random[6] & 0x0f) | 0x40;
    random[8] = (random[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, byte) in random.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[usize::from(byte >> 4)] as char);
        out.push(HEX[usize::from(byte & 0x0f)] as char);
    }
    out
}

/// Deserialises a string-to-bool map, refusing duplicate keys: with a
/// duplicate, which value was meant is unknowable, so the record is invalid.
pub(crate) fn unique_map<'de, D: Deserializer<'de>>(de: D) -> Result<BTreeMap<String, bool>, D::Error> {
    struct UniqueMap;
    impl<'de> Visitor<'de> for UniqueMap {
        type Value = BTreeMap<String, bool>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map of ids to true/false")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((k, v)) = map.next_entry::<String, bool>()? {
                if out.insert(k, v).is_some() {
                    return Err(serde::de::Error::custom("duplicate id"));
                }
            }
            Ok(out)
        }
    }
    de.deserialize_map(UniqueMap)
}
