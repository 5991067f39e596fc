//! The browser adapters in a real browser (headless Chromium, wasm-bindgen-test):
//! `cargo test --target wasm32-unknown-unknown --features embed --lib`.

mod scripts;
mod storage;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
