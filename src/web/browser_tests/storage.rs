//! Storage probing in a real browser: blocked, throwing and working localStorage.

use crate::web::{ConsentStorage, LocalStore, StorageError};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

/// Runs JS in the page (test setup only).
fn js(code: &str) {
    js_sys::Function::new_no_args(code)
        .call0(&JsValue::NULL)
        .expect("setup script");
}

fn make_local_storage_throw() {
    js(
        "window.__lccSaved = Object.getOwnPropertyDescriptor(window, 'localStorage') ||
            Object.getOwnPropertyDescriptor(Window.prototype, 'localStorage');
        Object.defineProperty(window, 'localStorage', { configurable: true,
            get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });",
    );
}

fn restore_local_storage() {
    js("delete window.localStorage; if (!('localStorage' in window)) Object.defineProperty(window, 'localStorage', window.__lccSaved);");
}

#[wasm_bindgen_test]
fn probe_succeeds_and_round_trips_when_storage_works() {
    let store = ConsentStorage::open("lcc_test_ok");
    assert!(store.is_persistent());
    store.save("hello");
    assert_eq!(store.load().as_deref(), Some("hello"));
    let raw = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(raw.get_item("lcc_test_ok").unwrap().as_deref(), Some("hello"));
    assert_eq!(raw.get_item("lcc_probe").unwrap(), None, "probe key cleaned up");
    store.clear();
    assert_eq!(store.load(), None);
}

#[wasm_bindgen_test]
fn probe_reports_unavailable_when_the_getter_throws() {
    make_local_storage_throw();
    let probe = LocalStore::probe("lcc_test_blocked");
    let store = ConsentStorage::open("lcc_test_blocked");
    restore_local_storage();
    let err = probe.expect_err("probe must fail");
    assert!(matches!(err, StorageError::Unavailable(_)), "{err:?}");
    assert!(err.to_string().contains("SecurityError"), "{err}");
    // The fallback still holds a choice for this page view.
    assert!(!store.is_persistent());
    assert_eq!(store.load(), None);
    store.save("kept in memory");
    assert_eq!(store.load().as_deref(), Some("kept in memory"));
    assert_eq!(store.take_errors().len(), 1);
}

#[wasm_bindgen_test]
fn a_write_that_throws_a_non_error_falls_back_to_memory() {
    let store = ConsentStorage::open("lcc_test_quota");
    assert!(store.is_persistent());
    js("window.__lccSetItem = Storage.prototype.setItem;
        Storage.prototype.setItem = function () { throw 'quota exceeded'; };");
    store.save("choice");
    js("Storage.prototype.setItem = window.__lccSetItem;");
    assert!(!store.is_persistent(), "switched to memory after the failed write");
    assert_eq!(store.load().as_deref(), Some("choice"));
    let errors = store.take_errors();
    assert!(
        matches!(errors.as_slice(), [StorageError::SetItemFailed(_)]),
        "{errors:?}"
    );
    assert!(errors[0].to_string().contains("quota exceeded"));
}
