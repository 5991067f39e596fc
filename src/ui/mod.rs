//! Leptos components: the banner, the preferences modal, and the context they share.

mod banner;
mod context;
mod preferences_modal;
mod triggers;

pub use banner::*;
pub use context::*;
pub use preferences_modal::*;
pub use triggers::*;
