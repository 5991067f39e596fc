//! The UI of the plain-HTML drop-in (`dist/leptos-consent_bg.wasm`). The boot
//! script loads it when the page needs it and passes on what it knows; see
//! [`leptos_consent::embed::start_from_boot`].
//!
//! Built as a binary rather than from the library's `cdylib`: the binary only
//! keeps what `main` reaches, which makes the wasm about a sixth smaller.

#[cfg(target_arch = "wasm32")]
fn main() {
    leptos_consent::embed::start_from_boot();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("lcc-ui is the WebAssembly UI of leptos-consent: build it with `make dist`.");
}
