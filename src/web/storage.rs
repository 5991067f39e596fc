//! Where the decision is kept: localStorage when it works, memory when it does not.

use std::cell::RefCell;
use std::fmt;

use wasm_bindgen::JsValue;

/// A storage operation that failed.
#[derive(Debug, Clone)]
pub enum StorageError {
    /// `window.localStorage` threw or is `null` (storage disabled, sandboxed or opaque origin).
    Unavailable(JsValue),
    /// Reading the value threw.
    GetItemFailed(JsValue),
    /// Writing the value threw (quota exceeded, private mode).
    SetItemFailed(JsValue),
    /// Removing the value threw.
    RemoveItemFailed(JsValue),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, e) = match self {
            StorageError::Unavailable(e) => ("localStorage is unavailable", e),
            StorageError::GetItemFailed(e) => ("reading localStorage failed", e),
            StorageError::SetItemFailed(e) => ("writing localStorage failed", e),
            StorageError::RemoveItemFailed(e) => ("removing from localStorage failed", e),
        };
        match js_error_text(e) {
            Some(t) => write!(f, "{what}: {t}"),
            None => f.write_str(what),
        }
    }
}

impl std::error::Error for StorageError {}

fn js_error_text(e: &JsValue) -> Option<String> {
    if let Some(s) = e.as_string() {
        return Some(s);
    }
    let msg = js_sys::Reflect::get(e, &"message".into()).ok()?.as_string()?;
    let name = js_sys::Reflect::get(e, &"name".into()).ok().and_then(|n| n.as_string());
    Some(match name {
        Some(n) => format!("{n}: {msg}"),
        None => msg,
    })
}

/// A place to keep the encoded consent record.
pub trait ConsentStore {
    /// Reads the stored value, `None` when nothing is stored.
    fn load(&self) -> Result<Option<String>, StorageError>;
    /// Stores a value, replacing any previous one.
    fn save(&self, value: &str) -> Result<(), StorageError>;
    /// Removes the stored value.
    fn clear(&self) -> Result<(), StorageError>;
}

/// localStorage, reached through gloo-storage once a probe has shown it works.
///
/// Every call goes through the fallible `web_sys::Storage` methods rather than
/// gloo's `get`/`set`, which throw into the page (and can hit `unreachable!`)
/// when a host page makes storage throw a non-`Error` value.
pub struct LocalStore {
    key: String,
    storage: web_sys::Storage,
}

impl fmt::Debug for LocalStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalStore").field("key", &self.key).finish()
    }
}

const PROBE_KEY: &str = "lcc_probe";

impl LocalStore {
    /// Checks that localStorage can be reached, written and cleared, then opens it under `key`.
    pub fn probe(key: &str) -> Result<Self, StorageError> {
        let window = web_sys::window().ok_or_else(|| StorageError::Unavailable(JsValue::from_str("no window")))?;
        // The getter itself may throw (SecurityError) or return null.
        match window.local_storage() {
            Ok(Some(_)) => {}
            Ok(None) => return Err(StorageError::Unavailable(JsValue::from_str("localStorage is null"))),
            Err(e) => return Err(StorageError::Unavailable(e)),
        }
        // The getter just succeeded, so gloo-storage's handle accessor will too.
        let storage = <gloo_storage::LocalStorage as gloo_storage::Storage>::raw();
        storage.set_item(PROBE_KEY, "1").map_err(StorageError::SetItemFailed)?;
        storage.remove_item(PROBE_KEY).map_err(StorageError::RemoveItemFailed)?;
        Ok(LocalStore {
            key: key.to_owned(),
            storage,
        })
    }
}

impl ConsentStore for LocalStore {
    fn load(&self) -> Result<Option<String>, StorageError> {
        self.storage.get_item(&self.key).map_err(StorageError::GetItemFailed)
    }
    fn save(&self, value: &str) -> Result<(), StorageError> {
        self.storage
            .set_item(&self.key, value)
            .map_err(StorageError::SetItemFailed)
    }
    fn clear(&self) -> Result<(), StorageError> {
        self.storage
            .remove_item(&self.key)
            .map_err(StorageError::RemoveItemFailed)
    }
}

/// Keeps the value for this page view only. Used when localStorage is blocked,
/// and in tests.
#[derive(Debug, Default)]
pub struct MemoryStore {
    value: RefCell<Option<String>>,
}

impl ConsentStore for MemoryStore {
    fn load(&self) -> Result<Option<String>, StorageError> {
        Ok(self.value.borrow().clone())
    }
    fn save(&self, value: &str) -> Result<(), StorageError> {
        *self.value.borrow_mut() = Some(value.to_owned());
        Ok(())
    }
    fn clear(&self) -> Result<(), StorageError> {
        *self.value.borrow_mut() = None;
        Ok(())
    }
}

/// The store a session uses: localStorage if the probe passed, switching to
/// memory for the rest of the page view the first time a write fails.
/// Never returns an error: failures are kept for [`ConsentStorage::take_errors`].
pub struct ConsentStorage {
    local: RefCell<Option<Box<dyn ConsentStore>>>,
    memory: MemoryStore,
    errors: RefCell<Vec<StorageError>>,
}

impl fmt::Debug for ConsentStorage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsentStorage")
            .field("persistent", &self.is_persistent())
            .finish()
    }
}

impl ConsentStorage {
    /// Opens localStorage under `key` after probing it; memory if the probe fails.
    pub fn open(key: &str) -> Self {
        match LocalStore::probe(key) {
            Ok(local) => Self::with_store(Box::new(local)),
            Err(e) => ConsentStorage {
                local: RefCell::new(None),
                memory: MemoryStore::default(),
                errors: RefCell::new(vec![e]),
            },
        }
    }

    /// Uses `store` as the persistent store (for tests and custom backends).
    pub fn with_store(store: Box<dyn ConsentStore>) -> Self {
        ConsentStorage {
            local: RefCell::new(Some(store)),
            memory: MemoryStore::default(),
            errors: RefCell::default(),
        }
    }

    /// Whether decisions outlive the page view.
    pub fn is_persistent(&self) -> bool {
        self.local.borrow().is_some()
    }

    /// Reads the stored value. A read failure counts as nothing stored.
    pub fn load(&self) -> Option<String> {
        if let Some(local) = self.local.borrow().as_ref() {
            match local.load() {
                Ok(v) => return v,
                Err(e) => self.errors.borrow_mut().push(e),
            }
        }
        self.memory.load().ok().flatten()
    }

    /// Stores a value; on failure keeps it in memory for the rest of the page view.
    pub fn save(&self, value: &str) {
        let failed = match self.local.borrow().as_ref() {
            Some(local) => local.save(value).err(),
            None => None,
        };
        if let Some(e) = failed {
            self.errors.borrow_mut().push(e);
            self.local.replace(None);
        }
        let _ = self.memory.save(value);
    }

    /// Removes the stored value everywhere.
    pub fn clear(&self) {
        if let Some(local) = self.local.borrow().as_ref() {
            if let Err(e) = local.clear() {
                self.errors.borrow_mut().push(e);
            }
        }
        let _ = self.memory.clear();
    }

    /// The failures seen since the last call.
    pub fn take_errors(&self) -> Vec<StorageError> {
        self.errors.take()
    }
}
