//! Google Consent Mode v2: which of its keys a decision grants.
//!
//! The page's head snippet (docs/consent-mode.md) sets every key to denied by default; after
//! each decision the web layer pushes exactly one `gtag('consent', 'update', …)`
//! with every mapped key, computed here.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::config::ConsentConfig;
use super::decision::category_granted;
use super::record::ConsentRecord;

/// The Consent Mode keys a category can be mapped to (`security_storage` is
/// always granted by the head snippet and cannot be mapped).
pub const CONSENT_MODE_KEYS: [&str; 6] = [
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
];

/// Category id to the Consent Mode keys it grants, in the order written.
pub type ConsentModeMap = Vec<(String, Vec<String>)>;

/// `"consent_mode": {}` in the config turns Consent Mode on.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentMode {
    /// Category id to the keys it grants. Without it: performance →
    /// analytics_storage; functionality → functionality_storage and
    /// personalization_storage; marketing → ad_storage, ad_user_data and
    /// ad_personalization (for those of them the config has).
    #[serde(default, deserialize_with = "pairs")]
    pub map: Option<ConsentModeMap>,
}

/// A JSON object read as a list of pairs, in the order written (smaller in
/// the wasm than another `BTreeMap` instantiation).
fn pairs<'de, D: Deserializer<'de>>(de: D) -> Result<Option<ConsentModeMap>, D::Error> {
    struct Pairs;
    impl<'de> Visitor<'de> for Pairs {
        type Value = ConsentModeMap;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object of category ids to lists of Consent Mode keys")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(pair) = map.next_entry()? {
                out.push(pair);
            }
            Ok(out)
        }
    }
    de.deserialize_map(Pairs).map(Some)
}

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
