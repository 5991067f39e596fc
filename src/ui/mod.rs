//! Leptos components: the banner, the preferences modal, the preference
//! center, consent gates, and `use_consent()`, for client-rendered and
//! server-rendered apps alike (features `csr`, or `ssr` and `hydrate`).

mod banner;
mod choices;
mod context;
mod gate;
mod gpc;
mod head;
mod preference_center;
mod preferences_modal;
mod status;
mod triggers;

pub(crate) use banner::keep_clear;
pub use banner::ConsentBanner;
pub(crate) use choices::{choice_actions, choice_list};
pub(crate) use context::{erase, in_language, ConsentContext, IN_BROWSER};
pub use context::{try_use_consent, use_consent, ConfigInput, ConsentProvider, UseConsent};
pub use gate::{ConsentGate, ConsentScript};
pub use gpc::GpcNotice;
pub use head::ConsentHead;
pub use preference_center::PreferenceCenter;
pub use preferences_modal::PreferencesModal;
pub use status::ConsentStatus;
pub(crate) use triggers::install_page_triggers;
