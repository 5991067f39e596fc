//! The site's consent configuration, as a web developer writes it in JSON.

use std::collections::BTreeMap;

use serde::Deserialize;

use serde::de::{Deserializer, MapAccess, Visitor};

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
    pub consent_mode: Option<ConsentMode>,
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
    /// A compact first-party cookie copy of the decision for this site's own
    /// server (`{ "name": "lcc" }`): server-rendered pages and server functions
    /// read it through [`crate::core::server_decision`]. Written by the Leptos
    /// session whenever the decision in force changes, expiring with it,
    /// removed with it. localStorage stays the store; the copy is never read
    /// back in the browser.
    #[serde(default)]
    pub server_cookie: Option<CookieMirror>,
    /// The site's consent-log endpoint (`lcc-server`'s `/v1/decisions`, or
    /// the same routes mounted in the site's own server): when set, each
    /// decision is posted there for the site's records and the server's
    /// signed receipt kept for the visitor. Unset: nothing leaves the browser.
    #[serde(default)]
    pub log_url: Option<String>,
    /// The JSON text this config was read from ([`ConsentConfig::from_json`]):
    /// what the consent log stores as shown to the visitor. `None` for a
    /// config built in code. Never part of the config's JSON.
    #[serde(skip)]
    pub text: Option<std::sync::Arc<str>>,
    /// After [`ConsentConfig::localized`]: the language each text is in, where
    /// it is not the one shown. Never part of the config's JSON.
    #[serde(skip)]
    pub text_languages: TextLanguages,
}

/// Where a cookie copy of the decision goes ([`ConsentConfig::cookie_mirror`],
/// [`ConsentConfig::server_cookie`]).
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

/// Declares the interface words once: each word's doc and English default make
/// the field of [`Texts`], its name in [`Texts::KEYS`], its place in
/// [`Texts::fields`] and [`Texts::get_mut`], and its [`Default`].
macro_rules! texts {
    ($(#[$sm:meta])* pub struct Texts; $( $(#[$m:meta])* $name:ident = $default:expr; )*) => {
        $(#[$sm])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct Texts {
            $( $(#[$m])* pub $name: String, )*
        }

        const TEXT_COUNT: usize = [$(stringify!($name)),*].len();

        impl Texts {
            /// The field name of every word, in declaration order.
            pub const KEYS: [&'static str; TEXT_COUNT] = [$(stringify!($name)),*];

            /// Every word with its field name.
            pub fn fields(&self) -> [(&'static str, &String); TEXT_COUNT] {
                [$((stringify!($name), &self.$name)),*]
            }

            /// The word named `key`, for writing.
            pub fn get_mut(&mut self, key: &str) -> Option<&mut String> {
                Some(match key {
                    $(stringify!($name) => &mut self.$name,)*
                    _ => return None,
                })
            }
        }

        impl Default for Texts {
            fn default() -> Self {
                Texts { $($name: $default.to_owned(),)* }
            }
        }
    };
}

texts! {
    /// The words of the interface. Every field has an English default.
    ///
    /// Read from JSON as an object of these field names (each optional, none
    /// twice, no other), through [`Texts::get_mut`]: the derived reader compiles
    /// a branch for each field into the UI's wasm (the bytes: bench/notes.md).
    pub struct Texts;

    /// Banner heading.
    banner_title = "We use cookies";
    /// Banner body text.
    banner_description = "We use cookies and similar technologies to measure how the site is used, remember your settings and show relevant offers. You choose which ones we may use; you can change your mind at any time.";
    /// Label of the privacy-policy link in the banner.
    privacy_policy_label = "Privacy policy";
    /// "Accept all" button.
    accept_all = "Accept all";
    /// "Reject all" button.
    reject_all = "Reject all";
    /// "Manage preferences" button.
    manage = "Manage preferences";
    /// Preferences modal heading.
    preferences_title = "Cookie preferences";
    /// Preferences modal introduction.
    preferences_description = "Choose which kinds of cookies we may use. Necessary cookies keep the site working and cannot be switched off.";
    /// "Save preferences" button.
    save = "Save preferences";
    /// Accessible label of the close button.
    close = "Close without saving";
    /// Shown next to the necessary category's switch.
    always_on = "Always on";
    /// Label of the control that expands a category's services.
    show_services = "Services";
    /// Cookie table header: name.
    cookie_name = "Cookie";
    /// Cookie table header: provider.
    cookie_provider = "Provider";
    /// Cookie table header: purpose.
    cookie_purpose = "Purpose";
    /// Cookie table header: duration.
    cookie_duration = "Duration";
    /// Label before a service's provider.
    provider = "Provided by";
    /// Label of a service's privacy-policy link.
    service_policy_label = "Privacy policy";
    /// Announced after a choice is saved.
    saved = "Preferences saved";
    /// Preference-center heading.
    center_title = "Your cookie choices";
    /// Preference center, when the visitor has not decided yet.
    no_decision = "You have not made a choice yet. Nothing optional is used until you do.";
    /// Label of the consent id.
    consent_id = "Consent id";
    /// Label of the last decision's date.
    last_decision = "Last changed";
    /// Label of the revision the decision was given under.
    revision = "Policy revision";
    /// Heading of the decision history.
    history_title = "Your recent decisions";
    /// Shown before the categories and services a decision granted.
    history_granted = "Allowed:";
    /// Shown before the categories and services a decision took back.
    history_revoked = "Withdrawn:";
    /// Shown for a decision that changed nothing.
    history_unchanged = "No change";
    /// "Download receipt" button.
    download_receipt = "Download receipt";
    /// Warning before the cookies that could not be removed.
    cleanup_failed = "These cookies could not be removed by this page; they expire on their own or are removed by the site's server:";
    /// A gated embed's placeholder for a service: `{service}` and `{provider}` are filled in.
    gate_service = "This content comes from {service}. Loading it allows {provider} to set cookies and see that you visited this page.";
    /// A gated embed's placeholder for a category: `{category}` is filled in.
    gate_category = "This content needs {category} cookies, which are switched off.";
    /// The placeholder's button that grants what the content needs.
    gate_load = "Load content";
    /// The placeholder's link to the preferences.
    gate_settings = "Cookie settings";
    /// Shown instead of the choices when the site's config cannot be used.
    unavailable = "Cookie choices cannot be offered on this page right now, so only strictly necessary cookies are used.";
    /// Closes that notice, and the Global Privacy Control notice.
    unavailable_close = "OK";
    /// Banner and preference center, when the browser sends Global Privacy
    /// Control: `{categories}` is filled in with the locked categories' titles.
    gpc_note = "Your browser sends Global Privacy Control, a request not to sell or share your data. We honour it: {categories} stays off, whatever you choose here.";
    /// Next to the switch of a category Global Privacy Control locks off.
    gpc_locked = "Off because your browser sends Global Privacy Control.";
    /// Notice after Global Privacy Control turned an earlier opt-in off:
    /// `{categories}` is filled in.
    gpc_applied = "Your browser sends Global Privacy Control, so we switched {categories} off. Your other choices are unchanged.";
}

impl Texts {
    /// The word named `key`, for reading.
    pub fn get(&self, key: &str) -> Option<&String> {
        self.fields().into_iter().find(|(k, _)| *k == key).map(|(_, v)| v)
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
    /// that validated is kept (see [`crate::core::config_fingerprint`]).
    pub fn fingerprint_key(&self) -> String {
        format!("{}_config", self.storage_key)
    }

    /// The localStorage key of what the consent log has not acknowledged yet
    /// and of its receipts (the consent log's outbox, `log.rs`).
    pub fn log_key(&self) -> String {
        format!("{}_log", self.storage_key)
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

// ---- The site's words per language (read here; chosen and merged by i18n.rs) ----

/// The default language when the config names none.
pub const DEFAULT_LANGUAGE: &str = "en";

/// Interface words by [`Texts`] field name (`"accept_all"` → `"Tout accepter"`).
pub type Words = BTreeMap<String, String>;

/// A site's words for one language.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Translation {
    /// Interface words by [`Texts`] field name.
    pub texts: Words,
    /// Category titles and descriptions by category id.
    pub categories: BTreeMap<String, CategoryWords>,
    /// Service titles and purposes by service id.
    pub services: BTreeMap<String, ServiceWords>,
}

/// A category's words in one language.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CategoryWords {
    /// Replaces the category's title.
    pub title: Option<String>,
    /// Replaces the category's description.
    pub description: Option<String>,
}

/// A service's words in one language.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceWords {
    /// Replaces the service's title.
    pub title: Option<String>,
    /// Replaces the service's purpose.
    pub purpose: Option<String>,
}

/// The language of each text of a localized config that is not in the language
/// shown ([`ConsentConfig::text_language`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextLanguages {
    pub(crate) other: BTreeMap<String, String>,
}

// ---- Google Consent Mode (read here; the update is consent_mode.rs's) ----

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
