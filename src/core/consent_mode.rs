//! Google Consent Mode v2: which of its keys a decision grants.
//!
//! The page's head snippet (docs/consent-mode.md) sets every key to denied by default; after
//! each decision the web layer pushes exactly one `gtag('consent', 'update', …)`
//! with every mapped key, computed here.

use super::config::{ConsentConfig, ConsentMode, ConsentModeMap, CONSENT_MODE_KEYS};
use super::decision::category_granted;
use super::record::ConsentRecord;

impl ConsentMode {
    /// The mapping in force for `cfg`: category id to keys.
    pub fn mapping(&self, cfg: &ConsentConfig) -> ConsentModeMap {
        if let Some(map) = &self.map {
            return map.clone();
        }
        let defaults: [(&str, &[&str]); 3] = [
            ("performance", &["analytics_storage"]),
            ("functionality", &["functionality_storage", "personalization_storage"]),
            ("marketing", &["ad_storage", "ad_user_data", "ad_personalization"]),
        ];
        defaults
            .iter()
            .filter(|(c, _)| cfg.category(c).is_some())
            .map(|(c, keys)| ((*c).to_owned(), keys.iter().map(|k| (*k).to_owned()).collect()))
            .collect()
    }
}

/// The `consent update` for `record`: every mapped key, in [`CONSENT_MODE_KEYS`]
/// order, granted only when every category mapped to it is granted. `None`
/// when the config does not turn Consent Mode on.
///
/// Twin: boot/logic.mjs consentModeUpdate
pub fn consent_mode_update(cfg: &ConsentConfig, record: Option<&ConsentRecord>) -> Option<Vec<(&'static str, bool)>> {
    let mapping = cfg.consent_mode.as_ref()?.mapping(cfg);
    let update = CONSENT_MODE_KEYS
        .iter()
        .filter_map(|&key| {
            let mut cats = mapping
                .iter()
                .filter(|(_, keys)| keys.iter().any(|k| k == key))
                .peekable();
            cats.peek()?;
            Some((key, cats.all(|(c, _)| category_granted(cfg, record, c))))
        })
        .collect();
    Some(update)
}
