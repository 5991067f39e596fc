//! The site's consent configuration, as a web developer writes it in JSON.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::i18n::{Translation, DEFAULT_LANGUAGE};
use super::validate::{validate_config, ConfigError};

/// Default number of days a decision stays valid (about six months, the CNIL's recommendation).
pub const DEFAULT_EXPIRES_AFTER_DAYS: u32 = 182;
/// Longest lifetime a decision may be given: 13 months.
pub const MAX_EXPIRES_AFTER_DAYS: u32 = 395;
/// Default localStorage key under which the decision is stored.
pub const DEFAULT_STORAGE_KEY: &str = "lcc_consent";
/// The id of the category that is always on and cannot be switched off.
pub const NECESSARY: &str = "necessary";

/// Everything the consent manager needs to know about a site.
///
/// Loaded from JSON with [`ConsentConfig::from_json`], which also validates it.
/// Unknown fields are an error, so a typo never silently drops a setting.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentConfig {
    /// Version of the site's cookie policy. Raising it asks every visitor again.
    #[serde(default)]
    pub revision: u32,
    /// Days a decision stays valid before the visitor is asked again (1..=395).
    #[serde(default = "default_expiry")]
    pub expires_after_days: u32,
    /// localStorage key under which the decision is stored.
    #[serde(default = "default_storage_key")]
    pub storage_key: String,
    /// Reload the page once after a withdrawal, so scripts already running stop
    /// (they cannot be unloaded). Never on a first-visit refusal or a pure grant.
    #[serde(default = "default_true")]
    pub reload_on_revoke: bool,
    /// Whether the first-layer banner shows by itself when the visitor has to
    /// be asked (vanilla-cookieconsent's `autoShow`). `false`: it waits for
    /// `CookieConsent.show()` or a `data-cc="show-consentModal"` trigger;
    /// nothing optional runs meanwhile.
    #[serde(default = "default_true")]
    pub auto_show: bool,
    /// The site's privacy policy, linked from the banner.
    #[serde(default)]
    pub privacy_policy_url: Option<String>,
    /// The consent categories, in display order.
    pub categories: Vec<Category>,
    /// The words the banner and the preferences modal use, in the default
    /// language (every word not given here is the built-in one).
    #[serde(default)]
    pub texts: Texts,
    /// The language to show, whatever the page and the browser say (a
    /// built-in language or one of `translations`). Unset: the page's
    /// `<html lang>`, else the browser's languages, else `default_language`.
    #[serde(default)]
    pub language: Option<String>,
    /// The language of the config's own words (`texts`, titles,
    /// descriptions), and the fallback for a word a language lacks.
    #[serde(default = "default_language")]
    pub default_language: String,
    /// The site's words per language (`"de": { "texts": {…}, "categories":
    /// { "marketing": { "title": "…" } }, "services": {…} }`).
    #[serde(default)]
    pub translations: BTreeMap<String, Translation>,
    /// Google Consent Mode v2: present (even as `{}`) to push a `consent
    /// update` after every decision.
    #[serde(default)]
    pub consent_mode: Option<super::consent_mode::ConsentMode>,
    /// What Global Privacy Control does on this site: `"honour"` (the default)
    /// or `"ignore"`. Every jurisdiction is opt-in here (nothing optional runs
    /// before the visitor chooses); honouring GPC adds a lock on top.
    #[serde(default)]
    pub gpc: GpcMode,
    /// The first layer's layout and position, and the colour scheme
    /// (`{ "layout": "box", "position": "bottom-left", "scheme": "auto" }`).
    #[serde(default)]
    pub appearance: super::appearance::Appearance,
    /// A copy of the decision in a first-party cookie, in vanilla-cookieconsent's
    /// `cc_cookie` shape, for server code written for it (`{ "name": "cc_cookie" }`).
    /// The drop-in's boot script writes it whenever the decision in force changes
    /// and removes it with the decision; nothing reads it back (the decision is the
    /// one in localStorage).
    #[serde(default)]
    pub cookie_mirror: Option<CookieMirror>,
    /// After [`ConsentConfig::localized`]: the language each text is in, where
    /// it is not the one shown. Never part of the config's JSON.
    #[serde(skip)]
    pub text_languages: super::i18n::TextLanguages,
}

/// Where the decision's cookie copy goes ([`ConsentConfig::cookie_mirror`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CookieMirror {
    /// The cookie's name (a cookie-name token: letters, digits, `!#$%&'*+.^_`|~-`).
    pub name: String,
    /// The domain it is set on (default: this host only).
    #[serde(default)]
    pub domain: Option<String>,
    /// The path it is set on (default `/`).
    #[serde(default)]
    pub path: Option<String>,
}

/// How the site treats the browser's Global Privacy Control signal.
///
/// There is deliberately no opt-out mode: nothing optional is ever granted
/// before an explicit choice, in any jurisdiction. What can be chosen is
/// whether GPC also locks the sale/sharing categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GpcMode {
    /// With `navigator.globalPrivacyControl`, every sale/sharing category is
    /// denied and locked, over any earlier opt-in on this device (required in
    /// California and Colorado).
    #[default]
    Honour,
    /// The signal changes nothing (for a site that no law obliges to read it).
    Ignore,
}

/// A group of purposes the visitor can accept or refuse as one.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Stable identifier, used in `data-category` attributes and in the stored record.
    /// (Missing fields are read as empty, so that the check names them all at once.)
    #[serde(default)]
    pub id: String,
    /// Heading shown to the visitor.
    #[serde(default)]
    pub title: String,
    /// What the category is for, in plain words.
    #[serde(default)]
    pub description: String,
    /// Always on and not switchable: allowed only for the `necessary` category.
    #[serde(default)]
    pub read_only: bool,
    /// Accepted only as `false` or for the `necessary` category: an optional
    /// category is never on before the visitor chooses. (Read so that a
    /// config ported from elsewhere gets a clear error, not "unknown field".)
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Whether what this category allows counts as "sale or sharing" of
    /// personal data (US state laws), so that Global Privacy Control locks it
    /// off. Defaults to `true` for `marketing` only.
    #[serde(default)]
    pub sale_or_sharing: Option<bool>,
    /// The services (vendors) inside this category.
    #[serde(default)]
    pub services: Vec<Service>,
    /// Set at run time by [`ConsentConfig::under_gpc`]: the browser sends
    /// Global Privacy Control and the site honours it, so this category is
    /// off and cannot be switched on. Never read from JSON.
    #[serde(skip)]
    pub gpc_locked: bool,
}

impl Category {
    /// Whether Global Privacy Control applies to this category.
    pub fn is_sale_or_sharing(&self) -> bool {
        !self.read_only && self.sale_or_sharing.unwrap_or(self.id == "marketing")
    }
}

/// A vendor or tool inside a category, with its own switch.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Stable identifier, unique in the whole config, used in `data-service` attributes.
    /// (Missing fields are read as empty, so that the check names them all at once.)
    #[serde(default)]
    pub id: String,
    /// Name shown to the visitor.
    #[serde(default)]
    pub title: String,
    /// The company that runs the service (required: a visitor must see who processes the data).
    #[serde(default)]
    pub provider: String,
    /// Why the site uses it (required: a visitor must see what for).
    #[serde(default)]
    pub purpose: String,
    /// The provider's privacy policy (`http(s):` or a relative URL; required).
    #[serde(default)]
    pub privacy_policy_url: String,
    /// The cookies the service sets.
    #[serde(default)]
    pub cookies: Vec<CookieRule>,
    /// A vendor whose own opt-out is called on the page when consent is withdrawn.
    #[serde(default)]
    pub vendor: Option<Vendor>,
    /// localStorage and sessionStorage keys the service writes (glob patterns),
    /// removed when consent is withdrawn.
    #[serde(default)]
    pub storage_keys: Vec<String>,
    /// Scripts loaded when the visitor consents to this service.
    #[serde(default)]
    pub scripts: Vec<ScriptSource>,
}

/// Vendors with a built-in opt-out adapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Vendor {
    /// Google Analytics 4 through gtag.js (Consent Mode `analytics_storage`).
    GoogleAnalytics,
    /// Google Ads through gtag.js (Consent Mode `ad_*`).
    GoogleAds,
    /// Mixpanel (`mixpanel.opt_out_tracking()`).
    Mixpanel,
    /// Algolia Insights (`aa('init', { useCookie: false })`).
    AlgoliaInsights,
}

/// A cookie a service sets, named exactly or by a glob pattern such as `_ga*`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CookieRule {
    /// Cookie name or glob pattern (`*` matches any run of characters).
    pub name: String,
    /// Domain the cookie is set on, if not the page's host.
    #[serde(default)]
    pub domain: Option<String>,
    /// Path the cookie is set on, if not `/`.
    #[serde(default)]
    pub path: Option<String>,
    /// What the cookie is for.
    #[serde(default)]
    pub purpose: String,
    /// How long it lasts, in words ("2 years", "session").
    #[serde(default)]
    pub duration: String,
}

/// An external script to load on consent.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptSource {
    /// Script URL (`http(s):` or relative).
    pub src: String,
    /// Subresource-integrity hash (`sha256-…`, `sha384-…` or `sha512-…`).
    #[serde(default)]
    pub integrity: Option<String>,
}

/// The words of the interface. Every field has an English default.
///
/// Read from JSON as an object of these field names (each optional, none
/// twice, no other), through [`Texts::get_mut`]: the derived reader compiles
/// a branch for each field into the UI's wasm (the bytes: bench/notes.md).
#[derive(Debug, Clone, PartialEq)]
pub struct Texts {
    /// Banner heading.
    pub banner_title: String,
    /// Banner body text.
    pub banner_description: String,
    /// Label of the privacy-policy link in the banner.
    pub privacy_policy_label: String,
    /// "Accept all" button.
    pub accept_all: String,
    /// "Reject all" button.
    pub reject_all: String,
    /// "Manage preferences" button.
    pub manage: String,
    /// Preferences modal heading.
    pub preferences_title: String,
    /// Preferences modal introduction.
    pub preferences_description: String,
    /// "Save preferences" button.
    pub save: String,
    /// Accessible label of the close button.
    pub close: String,
    /// Shown next to the necessary category's switch.
    pub always_on: String,
    /// Label of the control that expands a category's services.
    pub show_services: String,
    /// Cookie table header: name.
    pub cookie_name: String,
    /// Cookie table header: provider.
    pub cookie_provider: String,
    /// Cookie table header: purpose.
    pub cookie_purpose: String,
    /// Cookie table header: duration.
    pub cookie_duration: String,
    /// Label before a service's provider.
    pub provider: String,
    /// Label of a service's privacy-policy link.
    pub service_policy_label: String,
    /// Announced after a choice is saved.
    pub saved: String,
    /// Preference-center heading.
    pub center_title: String,
    /// Preference center, when the visitor has not decided yet.
    pub no_decision: String,
    /// Label of the consent id.
    pub consent_id: String,
    /// Label of the last decision's date.
    pub last_decision: String,
    /// Label of the revision the decision was given under.
    pub revision: String,
    /// Heading of the decision history.
    pub history_title: String,
    /// Shown before the categories and services a decision granted.
    pub history_granted: String,
    /// Shown before the categories and services a decision took back.
    pub history_revoked: String,
    /// Shown for a decision that changed nothing.
    pub history_unchanged: String,
    /// "Download receipt" button.
    pub download_receipt: String,
    /// Warning before the cookies that could not be removed.
    pub cleanup_failed: String,
    /// A gated embed's placeholder for a service: `{service}` and `{provider}` are filled in.
    pub gate_service: String,
    /// A gated embed's placeholder for a category: `{category}` is filled in.
    pub gate_category: String,
    /// The placeholder's button that grants what the content needs.
    pub gate_load: String,
    /// The placeholder's link to the preferences.
    pub gate_settings: String,
    /// Shown instead of the choices when the site's config cannot be used.
    pub unavailable: String,
    /// Closes that notice, and the Global Privacy Control notice.
    pub unavailable_close: String,
    /// Banner and preference center, when the browser sends Global Privacy
    /// Control: `{categories}` is filled in with the locked categories' titles.
    pub gpc_note: String,
    /// Next to the switch of a category Global Privacy Control locks off.
    pub gpc_locked: String,
    /// Notice after Global Privacy Control turned an earlier opt-in off:
    /// `{categories}` is filled in.
    pub gpc_applied: String,
}

impl Texts {
    /// The field name of every word, in declaration order.
    pub const KEYS: [&'static str; 39] = [
        "banner_title",
        "banner_description",
        "privacy_policy_label",
        "accept_all",
        "reject_all",
        "manage",
        "preferences_title",
        "preferences_description",
        "save",
        "close",
        "always_on",
        "show_services",
        "cookie_name",
        "cookie_provider",
        "cookie_purpose",
        "cookie_duration",
        "provider",
        "service_policy_label",
        "saved",
        "center_title",
        "no_decision",
        "consent_id",
        "last_decision",
        "revision",
        "history_title",
        "history_granted",
        "history_revoked",
        "history_unchanged",
        "download_receipt",
        "cleanup_failed",
        "gate_service",
        "gate_category",
        "gate_load",
        "gate_settings",
        "unavailable",
        "unavailable_close",
        "gpc_note",
        "gpc_locked",
        "gpc_applied",
    ];

    /// The word named `key`, for reading.
    pub fn get(&self, key: &str) -> Option<&String> {
        self.fields().into_iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Every word with its field name.
    pub fn fields(&self) -> [(&'static str, &String); 39] {
        [
            ("banner_title", &self.banner_title),
            ("banner_description", &self.banner_description),
            ("privacy_policy_label", &self.privacy_policy_label),
            ("accept_all", &self.accept_all),
            ("reject_all", &self.reject_all),
            ("manage", &self.manage),
            ("preferences_title", &self.preferences_title),
            ("preferences_description", &self.preferences_description),
            ("save", &self.save),
            ("close", &self.close),
            ("always_on", &self.always_on),
            ("show_services", &self.show_services),
            ("cookie_name", &self.cookie_name),
            ("cookie_provider", &self.cookie_provider),
            ("cookie_purpose", &self.cookie_purpose),
            ("cookie_duration", &self.cookie_duration),
            ("provider", &self.provider),
            ("service_policy_label", &self.service_policy_label),
            ("saved", &self.saved),
            ("center_title", &self.center_title),
            ("no_decision", &self.no_decision),
            ("consent_id", &self.consent_id),
            ("last_decision", &self.last_decision),
            ("revision", &self.revision),
            ("history_title", &self.history_title),
            ("history_granted", &self.history_granted),
            ("history_revoked", &self.history_revoked),
            ("history_unchanged", &self.history_unchanged),
            ("download_receipt", &self.download_receipt),
            ("cleanup_failed", &self.cleanup_failed),
            ("gate_service", &self.gate_service),
            ("gate_category", &self.gate_category),
            ("gate_load", &self.gate_load),
            ("gate_settings", &self.gate_settings),
            ("unavailable", &self.unavailable),
            ("unavailable_close", &self.unavailable_close),
            ("gpc_note", &self.gpc_note),
            ("gpc_locked", &self.gpc_locked),
            ("gpc_applied", &self.gpc_applied),
        ]
    }

    /// The word named `key`, for writing.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut String> {
        Some(match key {
            "banner_title" => &mut self.banner_title,
            "banner_description" => &mut self.banner_description,
            "privacy_policy_label" => &mut self.privacy_policy_label,
            "accept_all" => &mut self.accept_all,
            "reject_all" => &mut self.reject_all,
            "manage" => &mut self.manage,
            "preferences_title" => &mut self.preferences_title,
            "preferences_description" => &mut self.preferences_description,
            "save" => &mut self.save,
            "close" => &mut self.close,
            "always_on" => &mut self.always_on,
            "show_services" => &mut self.show_services,
            "cookie_name" => &mut self.cookie_name,
            "cookie_provider" => &mut self.cookie_provider,
            "cookie_purpose" => &mut self.cookie_purpose,
            "cookie_duration" => &mut self.cookie_duration,
            "provider" => &mut self.provider,
            "service_policy_label" => &mut self.service_policy_label,
            "saved" => &mut self.saved,
            "center_title" => &mut self.center_title,
            "no_decision" => &mut self.no_decision,
            "consent_id" => &mut self.consent_id,
            "last_decision" => &mut self.last_decision,
            "revision" => &mut self.revision,
            "history_title" => &mut self.history_title,
            "history_granted" => &mut self.history_granted,
            "history_revoked" => &mut self.history_revoked,
            "history_unchanged" => &mut self.history_unchanged,
            "download_receipt" => &mut self.download_receipt,
            "cleanup_failed" => &mut self.cleanup_failed,
            "gate_service" => &mut self.gate_service,
            "gate_category" => &mut self.gate_category,
            "gate_load" => &mut self.gate_load,
            "gate_settings" => &mut self.gate_settings,
            "unavailable" => &mut self.unavailable,
            "unavailable_close" => &mut self.unavailable_close,
            "gpc_note" => &mut self.gpc_note,
            "gpc_locked" => &mut self.gpc_locked,
            "gpc_applied" => &mut self.gpc_applied,
            _ => return None,
        })
    }
}

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = Texts;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("struct Texts")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Texts, A::Error> {
                use serde::de::Error;
                let mut texts = Texts::default();
                let mut seen = [false; Texts::KEYS.len()];
                while let Some(key) = map.next_key::<String>()? {
                    let Some(at) = Texts::KEYS.iter().position(|k| *k == key) else {
                        return Err(A::Error::unknown_field(&key, &Texts::KEYS));
                    };
                    if std::mem::replace(&mut seen[at], true) {
                        return Err(A::Error::duplicate_field(Texts::KEYS[at]));
                    }
                    let word = map.next_value()?;
                    if let Some(slot) = texts.get_mut(&key) {
                        *slot = word;
                    }
                }
                Ok(texts)
            }
        }
        de.deserialize_struct("Texts", &Texts::KEYS, Fields)
    }
}

impl Default for Texts {
    fn default() -> Self {
        let s = |v: &str| v.to_owned();
        Texts {
            banner_title: s("We use cookies"),
            banner_description: s("We use cookies and similar technologies to measure how the site is used, remember your settings and show relevant offers. You choose which ones we may use; you can change your mind at any time."),
            privacy_policy_label: s("Privacy policy"),
            accept_all: s("Accept all"),
            reject_all: s("Reject all"),
            manage: s("Manage preferences"),
            preferences_title: s("Cookie preferences"),
            preferences_description: s("Choose which kinds of cookies we may use. Necessary cookies keep the site working and cannot be switched off."),
            save: s("Save preferences"),
            close: s("Close without saving"),
            always_on: s("Always on"),
            show_services: s("Services"),
            cookie_name: s("Cookie"),
            cookie_provider: s("Provider"),
            cookie_purpose: s("Purpose"),
            cookie_duration: s("Duration"),
            provider: s("Provided by"),
            service_policy_label: s("Privacy policy"),
            saved: s("Preferences saved"),
            center_title: s("Your cookie choices"),
            no_decision: s("You have not made a choice yet. Nothing optional is used until you do."),
            consent_id: s("Consent id"),
            last_decision: s("Last changed"),
            revision: s("Policy revision"),
            history_title: s("Your recent decisions"),
            history_granted: s("Allowed:"),
            history_revoked: s("Withdrawn:"),
            history_unchanged: s("No change"),
            download_receipt: s("Download receipt"),
            cleanup_failed: s("These cookies could not be removed by this page; they expire on their own or are removed by the site's server:"),
            gate_service: s("This content comes from {service}. Loading it allows {provider} to set cookies and see that you visited this page."),
            gate_category: s("This content needs {category} cookies, which are switched off."),
            gate_load: s("Load content"),
            gate_settings: s("Cookie settings"),
            unavailable: s("Cookie choices cannot be offered on this page right now, so only strictly necessary cookies are used."),
            unavailable_close: s("OK"),
            gpc_note: s("Your browser sends Global Privacy Control, a request not to sell or share your data. We honour it: {categories} stays off, whatever you choose here."),
            gpc_locked: s("Off because your browser sends Global Privacy Control."),
            gpc_applied: s("Your browser sends Global Privacy Control, so we switched {categories} off. Your other choices are unchanged."),
        }
    }
}

fn default_expiry() -> u32 {
    DEFAULT_EXPIRES_AFTER_DAYS
}

fn default_language() -> String {
    DEFAULT_LANGUAGE.to_owned()
}

fn default_true() -> bool {
    true
}

fn default_storage_key() -> String {
    DEFAULT_STORAGE_KEY.to_owned()
}

impl ConsentConfig {
    /// Parses and validates a JSON config.
    ///
    /// The error names the exact field that is wrong, for example
    /// `categories[2].services[0].cookies[1].name: empty pattern`.
    ///
    /// Twin: boot/valid.mjs usable
    pub fn from_json(json: &str) -> Result<Self, ConfigError> {
        let cfg: ConsentConfig = serde_json::from_str(json)
            .map_err(|e| ConfigError::new(super::json_path::path_at(json, e.line(), e.column()), e.to_string()))?;
        validate_config(&cfg)?;
        Ok(cfg)
    }

    /// The category with this id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The service with this id and the category it belongs to.
    pub fn service(&self, id: &str) -> Option<(&Category, &Service)> {
        self.categories
            .iter()
            .find_map(|c| c.services.iter().find(|s| s.id == id).map(|s| (c, s)))
    }

    /// Every service with its category, in config order.
    pub fn services(&self) -> impl Iterator<Item = (&Category, &Service)> {
        self.categories
            .iter()
            .flat_map(|c| c.services.iter().map(move |s| (c, s)))
    }

    /// The storage key of the visitor's decision history.
    pub fn history_key(&self) -> String {
        format!("{}_history", self.storage_key)
    }

    /// The storage key under which the fingerprint of the last config text
    /// that validated is kept (see [`config_fingerprint`]).
    pub fn fingerprint_key(&self) -> String {
        format!("{}_config", self.storage_key)
    }

    /// Lifetime of a decision in milliseconds.
    pub fn expiry_ms(&self) -> u64 {
        u64::from(self.expires_after_days) * 86_400_000
    }

    /// This config for a browser that does (`signal`) or does not send Global
    /// Privacy Control: when the site honours it, every sale/sharing category
    /// is marked [`Category::gpc_locked`]. The signal is never read as consent.
    pub fn under_gpc(mut self, signal: bool) -> Self {
        let honour = signal && self.gpc == GpcMode::Honour;
        for c in &mut self.categories {
            c.gpc_locked = honour && c.is_sale_or_sharing();
        }
        self
    }

    /// Whether any category is locked by Global Privacy Control.
    pub fn gpc_applies(&self) -> bool {
        self.categories.iter().any(|c| c.gpc_locked)
    }

    /// `text` with `{categories}` replaced by the titles of the categories
    /// Global Privacy Control locks, joined with ", ".
    pub fn with_locked_titles(&self, text: &str) -> String {
        let titles: Vec<&str> = self
            .categories
            .iter()
            .filter(|c| c.gpc_locked)
            .map(|c| c.title.as_str())
            .collect();
        text.replace("{categories}", &titles.join(", "))
    }
}

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
/// then checks the record once more as [`super::ConsentRecord::encode`] writes
/// it (boot/logic.mjs `stands`, held to this crate by the shared cases), and
/// the clock (expiry), which moves on its own.
///
/// The boot script appends, after a third space, the attributes of the tags
/// it ran, so that the next page view under the same attestation starts their
/// downloads early. Rewriting the marker here (any change of the record)
/// drops that list.
///
/// A record this crate's own decoder refuses (one grown past
/// [`super::MAX_RECORD_BYTES`], say) is never attested.
pub fn boot_marker(config_text: &str, standing_record: Option<&str>) -> String {
    let config = config_fingerprint(config_text);
    match standing_record.filter(|r| super::ConsentRecord::decode(r).is_ok()) {
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
