//! # leptos-consent
//!
//! A cookie-consent manager for Leptos apps and plain HTML sites.
//!
//! Layers, each depending only on the ones after it:
//! `embed` (plain-HTML drop-in) → `ui` (Leptos components) → `web`
//! (browser adapters) → [`core`] (plain Rust: config, record, decisions).
//!
//! ```
//! use leptos_consent::core::{assess, ConsentConfig, PromptReason};
//!
//! let cfg = ConsentConfig::from_json(r#"{
//!     "revision": 1,
//!     "categories": [
//!         { "id": "necessary", "title": "Necessary", "read_only": true },
//!         { "id": "performance", "title": "Performance" }
//!     ]
//! }"#).unwrap();
//! let first_visit = assess(None, &cfg, 1_700_000_000_000);
//! assert_eq!(first_visit.prompt, Some(PromptReason::NoRecord));
//! ```
#![deny(missing_docs)]

pub mod core;
#[cfg(all(target_arch = "wasm32", feature = "embed"))]
pub mod embed;
#[cfg(feature = "log-server")]
pub mod log_server;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ui")]
pub mod ui;
pub(crate) mod web;
