//! Browser adapters that carry out what [`crate::core`] decides: storage,
//! script activation, events, time and randomness. No decision is made here.

mod cleanup;
mod clock;
mod dom;
mod events;
mod scripts;
mod session;
mod signals;
mod space;
mod storage;
mod sync;

pub use cleanup::*;
pub use clock::*;
pub use dom::*;
pub use events::*;
pub use scripts::*;
pub use session::*;
pub use signals::*;
pub use space::*;
pub use storage::*;
pub use sync::*;
