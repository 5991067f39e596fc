//! Leptos components: the banner, the preferences modal, the preference
//! center, consent gates, and the context they share.

mod banner;
mod choices;
mod context;
mod gate;
mod gpc;
mod preference_center;
mod preferences_modal;
mod status;
mod triggers;

pub use banner::*;
pub use choices::*;
pub use context::*;
pub use gate::*;
pub use gpc::*;
pub use preference_center::*;
pub use preferences_modal::*;
pub use status::*;
pub use triggers::*;
