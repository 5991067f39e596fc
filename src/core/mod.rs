//! The consent model in plain Rust: config, record, decisions and plans.
//!
//! Nothing here touches the browser; time and randomness come in as
//! arguments, so every rule is tested natively with `cargo test`.

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
mod pattern;
mod record;
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
pub use pattern::*;
pub use record::*;
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
