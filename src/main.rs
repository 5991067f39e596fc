//! Entry point of the demo and drop-in build: boots the consent manager from
//! the page's `<script type="application/json" id="cc-config">`.

#[cfg(target_arch = "wasm32")]
fn main() {
    leptos_consent::embed::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("leptos-consent-demo is a WebAssembly app: build it with `make demo`.");
}
