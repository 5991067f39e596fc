//! Browser adapters that carry out what [`crate::core`] decides: storage,
//! script activation, events, time and randomness. No decision is made here.

mod clock;
mod events;
mod scripts;
mod session;
mod storage;

pub use clock::*;
pub use events::*;
pub use scripts::*;
pub use session::*;
pub use storage::*;
