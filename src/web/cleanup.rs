//! Carries out withdrawal plans: expires cookies, removes storage keys, calls
//! vendor opt-outs, and reports what could not be removed.

use wasm_bindgen::{JsCast, JsValue};

use crate::core::{CookieDeletion, ErasePlan, VendorOptOut};

/// What a clean-up did. Serialises (for the `lcc:cleanup` event) with its field names.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CleanupReport {
    /// Cookies that were present and are gone.
    pub removed_cookies: Vec<String>,
    /// Cookies still readable after every deletion was tried (set on a domain
    /// or path we cannot reach, or written again at once).
    pub remaining_cookies: Vec<String>,
    /// localStorage / sessionStorage keys removed.
    pub removed_keys: Vec<String>,
    /// Configured cookies the page cannot see but that exist as HttpOnly
    /// cookies: only the site's server can remove them.
    pub http_only_cookies: Vec<String>,
}

impl CleanupReport {
    /// The report as JSON, for the `lcc:cleanup` event.
    pub fn to_json(&self) -> String {
        // Plain lists of strings: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Everything that could not be removed, for the visitor.
    pub fn left_behind(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .remaining_cookies
            .iter()
            .chain(&self.http_only_cookies)
            .cloned()
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

fn html_document() -> Option<web_sys::HtmlDocument> {
    web_sys::window()?.document()?.dyn_into().ok()
}

/// Names of the cookies the page can read.
pub fn cookie_names() -> Vec<String> {
    let Some(doc) = html_document() else { return Vec::new() };
    let raw = crate::web::cookie(&doc);
    let mut names: Vec<String> = raw
        .split(';')
        .filter_map(|pair| pair.split('=').next())
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn storages() -> Vec<web_sys::Storage> {
    let Some(w) = web_sys::window() else { return Vec::new() };
    [w.local_storage(), w.session_storage()]
        .into_iter()
        .filter_map(|s| s.ok().flatten())
        .collect()
}

/// Keys in localStorage and sessionStorage (whichever can be read).
pub fn storage_keys() -> Vec<String> {
    let mut keys = Vec::new();
    for s in storages() {
        let n = s.length().unwrap_or(0);
        keys.extend((0..n).filter_map(|i| s.key(i).ok().flatten()));
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The page's host name and path, the inputs of the erase plan.
pub fn location() -> (String, String) {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return (String::new(), "/".into());
    };
    (
        loc.hostname().unwrap_or_default(),
        loc.pathname().unwrap_or_else(|_| "/".into()),
    )
}

/// Expires every planned cookie form, removes planned keys, then re-reads
/// the cookies to report what survived.
pub fn apply_erase(plan: &ErasePlan) -> CleanupReport {
    let mut report = CleanupReport::default();
    if let Some(doc) = html_document() {
        for c in &plan.cookies {
            crate::web::set_cookie(&doc, &c.header());
        }
    }
    for s in storages() {
        for key in &plan.storage_keys {
            let _ = s.remove_item(key);
        }
    }
    report.removed_keys = plan.storage_keys.clone();
    let now = cookie_names();
    for name in &plan.cookie_names {
        if now.contains(name) {
            report.remaining_cookies.push(name.clone());
        } else {
            report.removed_cookies.push(name.clone());
        }
    }
    report
}

const PROBE_VALUE: &str = "lcc-httponly-probe";

/// Writes a probe value to each form and reads it back: a form the browser
/// refuses to write holds an HttpOnly cookie. Every probe written is expired
/// again at once. Returns the names found, or nothing when cookies are off.
pub fn probe_http_only(forms: &[CookieDeletion]) -> Vec<String> {
    // Nothing to look for (as after Accept all): no cookie written, none read.
    if forms.is_empty() {
        return Vec::new();
    }
    let Some(doc) = html_document() else { return Vec::new() };
    let readable = |doc: &web_sys::HtmlDocument, needle: &str| crate::web::cookie(doc).contains(needle);
    // Control: with cookies disabled every write "fails"; that proves nothing.
    crate::web::set_cookie(&doc, "lcc_probe_ctl=1; Path=/");
    let cookies_work = readable(&doc, "lcc_probe_ctl=1");
    crate::web::set_cookie(&doc, "lcc_probe_ctl=; Max-Age=0; Path=/");
    if !cookies_work {
        return Vec::new();
    }
    let mut found: Vec<String> = Vec::new();
    for form in forms {
        if found.contains(&form.name) {
            continue;
        }
        let mut write = format!("{}={PROBE_VALUE}; Path={}", form.name, form.path);
        if let Some(d) = &form.domain {
            write.push_str("; Domain=");
            write.push_str(d);
        }
        crate::web::set_cookie(&doc, &write);
        if readable(&doc, &format!("{}={PROBE_VALUE}", form.name)) {
            crate::web::set_cookie(&doc, &form.header());
        } else {
            found.push(form.name.clone());
        }
    }
    found
}

fn call(target: &JsValue, method: &str, args: &[JsValue]) -> bool {
    let Ok(f) = js_sys::Reflect::get(target, &JsValue::from_str(method)) else {
        return false;
    };
    let Some(f) = f.dyn_ref::<js_sys::Function>() else {
        return false;
    };
    let args: js_sys::Array = args.iter().collect();
    f.apply(target, &args).is_ok()
}

fn denied(keys: &[&str]) -> JsValue {
    consent_state(&keys.iter().map(|k| (*k, false)).collect::<Vec<_>>())
}

/// `{ key: "granted" | "denied", … }` as gtag takes it.
fn consent_state(keys: &[(&str, bool)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, granted) in keys {
        let v = if *granted { "granted" } else { "denied" };
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o.into()
}

/// Pushes one `gtag('consent', 'update', …)` (Google Consent Mode v2) with
/// these keys. Returns false when the page has no `gtag` function (the head
/// snippet in docs/consent-mode.md defines it).
pub fn push_consent_update(keys: &[(&str, bool)]) -> bool {
    let Some(w) = web_sys::window() else { return false };
    call(
        &w.into(),
        "gtag",
        &["consent".into(), "update".into(), consent_state(keys)],
    )
}

/// Calls each vendor's own opt-out, where the vendor is on the page.
/// Returns the opt-outs that were actually called.
pub fn call_opt_outs(actions: &[VendorOptOut]) -> Vec<VendorOptOut> {
    let Some(w) = web_sys::window() else { return Vec::new() };
    let w: JsValue = w.into();
    let global = |name: &str| js_sys::Reflect::get(&w, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    let mut done = Vec::new();
    for &a in actions {
        let called = match a {
            VendorOptOut::GoogleAnalytics => call(
                &w,
                "gtag",
                &["consent".into(), "update".into(), denied(&["analytics_storage"])],
            ),
            VendorOptOut::GoogleAds => call(
                &w,
                "gtag",
                &[
                    "consent".into(),
                    "update".into(),
                    denied(&["ad_storage", "ad_user_data", "ad_personalization"]),
                ],
            ),
            VendorOptOut::Mixpanel => call(&global("mixpanel"), "opt_out_tracking", &[]),
            VendorOptOut::AlgoliaInsights => {
                let opts = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&opts, &"partial".into(), &JsValue::TRUE);
                let _ = js_sys::Reflect::set(&opts, &"useCookie".into(), &JsValue::FALSE);
                let aa = global("aa");
                aa.dyn_ref::<js_sys::Function>()
                    .is_some_and(|f| f.call2(&JsValue::NULL, &"init".into(), &opts).is_ok())
            }
        };
        if called {
            done.push(a);
        }
    }
    done
}

/// Reloads the page (after a withdrawal, so running scripts stop).
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// Offers `text` to the visitor as a file download. Never throws.
pub fn download_text(filename: &str, text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = doc
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(filename);
        let _ = a.style().set_property("display", "none");
        if let Some(body) = crate::web::body(&doc) {
            let _ = body.append_child(&a);
            a.click();
            let _ = body.remove_child(&a);
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
