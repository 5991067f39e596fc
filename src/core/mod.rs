//! The consent model in plain Rust: config, record, decisions and plans.
//!
//! Nothing here touches the browser; time and randomness come in as
//! arguments, so every rule is tested natively with `cargo test`.
//!
//! It reads bottom-up: each module uses only those listed before it here
//! (`tests/core_layers.rs` holds it so):
//!
//! - `pattern`, `json_path`, `appearance`: leaves (cookie-name patterns, the
//!   path of a JSON error, the first layer's look);
//! - `config`: the config's types, the site's words per language and the
//!   Consent Mode settings as read;
//! - `i18n`: choosing the language and localising a config;
//! - `validate`: reading a config from JSON and every rule serde cannot check;
//! - `record`: the stored decision, its exact text and its checks;
//! - `stamp`: the boot protocol, what this crate vouches for to the boot script;
//! - `log`: a decision as posted to the site's consent log, its checks, its
//!   receipt, and what the browser keeps until the log acknowledges it;
//! - `decision`: what a record grants, choices, new records, what changed;
//! - `api`, `consent_mode`, `erase`, `gate`, `history`: the plans carried out
//!   by the web layer (API calls, Consent Mode updates, clean-up, script gating,
//!   the visitor's history and receipt);
//! - `server`: what a site's own server may know of the choice (the cookie copy).

mod api;
mod appearance;
mod config;
mod consent_mode;
mod decision;
mod erase;
mod gate;
mod history;
mod i18n;
mod json_path;
mod log;
mod pattern;
mod record;
mod server;
mod stamp;
mod validate;

pub use api::*;
pub use appearance::*;
pub use config::*;
pub use consent_mode::*;
pub use decision::*;
pub use erase::*;
pub use gate::*;
pub use history::*;
pub use i18n::*;
pub use log::*;
pub use pattern::*;
pub use record::*;
pub use server::*;
pub use stamp::*;
pub use validate::*;

/// A map of `pairs`, inserted in turn (a later key replaces an earlier one, as
/// with `collect()`). `BTreeMap`'s `FromIterator` sorts its input with a stable
/// sort that is compiled again for every iterator type it is called with, each
/// copy kilobytes of the UI's wasm (bench/notes.md).
pub(crate) fn map_from<V>(pairs: impl IntoIterator<Item = (String, V)>) -> std::collections::BTreeMap<String, V> {
    let mut map = std::collections::BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}
