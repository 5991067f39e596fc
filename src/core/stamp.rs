//! The boot protocol: what this crate vouches for to the boot script (the
//! config's stamp, the attestation of a stored record), so that a page view
//! can decide in plain JS without the wasm.

use super::config::ConsentConfig;
use super::record::ConsentRecord;
use super::validate::ConfigError;

/// What this crate has validated, for the boot script: the fingerprint of the
/// config text, then, when a decision stands under it (a current record with a
/// switch for every category and service), a space and the fingerprint of the
/// stored record's text. Kept under [`ConsentConfig::fingerprint_key`] and
/// rewritten after every change of the record.
///
/// The boot script (boot/boot.mjs) takes its fast path for a returning visitor
/// only when both fingerprints match what the page and storage hold: the
/// record was read by this crate's decoder under exactly this config (a
/// `data-checked` stamp vouches for a config text, never for a record). It
/// then checks the record once more as [`ConsentRecord::encode`] writes
/// it (boot/logic.mjs `stands`, held to this crate by the shared cases), and
/// the clock (expiry), which moves on its own.
///
/// The boot script appends, after a third space, the attributes of the tags
/// it ran, so that the next page view under the same attestation starts their
/// downloads early. Rewriting the marker here (any change of the record)
/// drops that list.
///
/// A record this crate's own decoder refuses (one grown past
/// [`super::record::MAX_RECORD_BYTES`], say) is never attested.
pub fn boot_marker(config_text: &str, standing_record: Option<&str>) -> String {
    let config = config_fingerprint(config_text);
    match standing_record.filter(|r| ConsentRecord::decode(r).is_ok()) {
        Some(r) => format!("{config} {}", config_fingerprint(r)),
        None => config,
    }
}

/// The `data-checked` stamp for a config text this version of the crate
/// accepts: `"<crate version> <fingerprint of the text>"`, or the error that
/// makes the config unusable.
///
/// A page that carries it on its config element
/// (`<script type="application/json" id="cc-config" data-checked="…">`) lets
/// the boot script carry out "Accept all" and "Reject all" on a first visit
/// without loading the UI: the text was checked by this crate's own parser
/// and rules ahead of time (`lcc-check`, or `make check-config`). Any edit to
/// the text, or another crate version, breaks the match, and the UI checks
/// the config on the page as without a stamp.
pub fn checked_stamp(config_text: &str) -> Result<String, ConfigError> {
    ConsentConfig::from_json(config_text)?;
    Ok(config_stamp(config_text))
}

/// The stamp [`checked_stamp`] gives a text, without checking it (for
/// comparing with a page's `data-checked` once the text has been parsed).
///
/// Twin: boot/logic.mjs stampOf
pub fn config_stamp(config_text: &str) -> String {
    format!("{} {}", env!("CARGO_PKG_VERSION"), config_fingerprint(config_text))
}

/// What to tell the site owner about a page's `data-checked` stamp, once its
/// config text has parsed and validated ([`stamp_note`]); each holds the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StampNote {
    /// The stamp does not fit the text (edited since it was checked, or checked
    /// by another version): the boot script did not take the first-layer path.
    Stale(String),
    /// No stamp on an inline config: the message gives the one that fits.
    Missing(String),
}

/// Compares the stamp `given` on the page's config element (`#element_id`)
/// with a config text that has parsed and validated. A config loaded by URL
/// (`from_url`) is never stamped: nothing to say when it has none.
pub fn stamp_note(given: Option<&str>, config_text: &str, from_url: bool, element_id: &str) -> Option<StampNote> {
    let now = config_stamp(config_text);
    match given {
        Some(given) if given != now => Some(StampNote::Stale(format!(
            "#{element_id} data-checked=\"{given}\" does not fit this config (it is \"{now}\" now): run lcc-check --write on the page"
        ))),
        None if !from_url => Some(StampNote::Missing(format!(
            "the config is valid: with data-checked=\"{now}\" on #{element_id} (lcc-check --write adds it), a first visit answered on the banner needs no wasm"
        ))),
        _ => None,
    }
}

/// FNV-1a over the UTF-16 code units of a text, as 8 hex digits
/// (boot/logic.mjs `fingerprint` computes the same).
///
/// Twin: boot/logic.mjs fingerprint
pub fn config_fingerprint(text: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for unit in text.encode_utf16() {
        h ^= u32::from(unit);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}
