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
