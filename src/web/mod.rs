//! Browser adapters that carry out what [`crate::core`] decides: storage,
//! script activation, events, time and randomness. No decision is made here.

// Crate-private: all of it is used by the drop-in's build (wasm32, `embed`), where clippy
// checks for dead code; a build with less (a Leptos app's, the core alone) uses a part.
#![cfg_attr(
    not(all(target_arch = "wasm32", feature = "embed")),
    allow(dead_code, unused_imports)
)]

mod cleanup;
mod clock;
mod dom;
mod events;
pub(crate) mod log;
mod scripts;
mod session;
mod signals;
mod space;
mod storage;
mod sync;

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;

pub use cleanup::*;
pub use dom::*;
pub use events::*;
pub use scripts::*;
pub use session::*;
pub use signals::*;
pub use space::*;
pub use storage::*;
pub use sync::*;
