//! The visitor's own timeline of decisions, and the receipt they can download.

use serde::{Deserialize, Serialize};

use super::decision::Changes;
use super::record::{ConsentRecord, Method};

/// How many decisions the local history keeps.
pub const HISTORY_LIMIT: usize = 20;

/// One decision in the visitor's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    /// When (Unix ms).
    pub at: u64,
    /// Where it was given.
    pub via: Method,
    /// The config revision in force.
    pub rev: u32,
    /// Categories and services granted by this decision that were not before.
    pub granted: Vec<String>,
    /// Categories and services this decision took back.
    pub revoked: Vec<String>,
    /// Cookies the clean-up after this decision could not remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_behind: Vec<String>,
}

impl HistoryEntry {
    /// The entry for a decision that produced `record` with `changes`.
    pub fn new(record: &ConsentRecord, changes: &Changes) -> Self {
        let join = |a: &[String], b: &[String]| a.iter().chain(b).cloned().collect();
        HistoryEntry {
            at: record.last_decision_ms,
            via: record.method,
            rev: record.revision,
            granted: join(&changes.granted_categories, &changes.granted_services),
            revoked: join(&changes.revoked_categories, &changes.revoked_services),
            left_behind: Vec::new(),
        }
    }
}

/// Reads a stored history. It only ever informs the visitor and grants
/// nothing, so anything unreadable is simply an empty history.
pub fn decode_history(stored: Option<&str>) -> Vec<HistoryEntry> {
    stored
        .filter(|s| s.len() <= 64 * 1024)
        .and_then(|s| serde_json::from_str::<Vec<HistoryEntry>>(s).ok())
        .map(|mut v| {
            let excess = v.len().saturating_sub(HISTORY_LIMIT);
            v.drain(..excess);
            v
        })
        .unwrap_or_default()
}

/// Appends an entry, keeping the last [`HISTORY_LIMIT`].
pub fn push_history(mut history: Vec<HistoryEntry>, entry: HistoryEntry) -> Vec<HistoryEntry> {
    history.push(entry);
    let excess = history.len().saturating_sub(HISTORY_LIMIT);
    history.drain(..excess);
    history
}

/// Encodes a history for storage.
///
/// Twin: boot/plans.mjs historyText
pub fn encode_history(history: &[HistoryEntry]) -> String {
    serde_json::to_string(history).unwrap_or_else(|_| "[]".into())
}

#[derive(Serialize)]
struct Receipt<'a> {
    receipt: &'static str,
    consent_id: &'a str,
    first_decision: u64,
    last_decision: u64,
    revision: u32,
    given_via: &'static str,
    categories: &'a std::collections::BTreeMap<String, bool>,
    services: &'a std::collections::BTreeMap<String, bool>,
    history: &'a [HistoryEntry],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    server_receipts: Vec<&'a serde_json::value::RawValue>,
}

/// The visitor's consent receipt: the stored record and its history, as JSON,
/// with the receipts the site's consent log signed for these decisions
/// (each as the server wrote it; `lcc-server verify` checks them; a text that
/// is not JSON is left out).
pub fn receipt_json(record: &ConsentRecord, history: &[HistoryEntry], server_receipts: &[String]) -> String {
    let r = Receipt {
        receipt: "leptos-consent/1",
        consent_id: &record.consent_id,
        first_decision: record.first_decision_ms,
        last_decision: record.last_decision_ms,
        revision: record.revision,
        given_via: record.method.as_str(),
        categories: &record.categories,
        services: &record.services,
        history,
        server_receipts: server_receipts
            .iter()
            .filter_map(|r| serde_json::from_str(r).ok())
            .collect(),
    };
    serde_json::to_string_pretty(&r).unwrap_or_default()
}

/// `ms` (Unix milliseconds) as an ISO 8601 UTC time, as `Date.toISOString` writes it:
/// the preference center's times, the consent log's exports.
pub fn utc_iso(ms: u64) -> String {
    let (days, rest) = ((ms / 86_400_000) as i64, ms % 86_400_000);
    // Days to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s, milli) = (rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000);
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
}
