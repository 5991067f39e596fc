//! Keeping the page's focused element clear of the first layer (WCAG 2.4.11,
//! Focus Not Obscured): while a non-modal banner covers an edge of the
//! viewport, the page gets scroll padding of the banner's height on that edge,
//! and a spacer at its end so that the last lines can scroll above a bottom
//! banner. The spacer is appended after everything, so nothing already on the
//! page moves (no layout shift).

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The id of the spacer element appended to `<body>` while a bottom banner shows.
pub const SPACER_ID: &str = "lcc-space";

/// The page's one observer, with the callback it calls (kept here, not leaked).
type Observer = (web_sys::ResizeObserver, Closure<dyn Fn()>);

thread_local! {
    static OBSERVER: RefCell<Option<Observer>> = const { RefCell::new(None) };
}

/// Watches `banner` (shown, hidden, resized) and keeps the page's scroll
/// padding and spacer equal to what the visible banners cover.
pub fn keep_clear(banner: &web_sys::Element) {
    OBSERVER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let on_resize = Closure::<dyn Fn()>::new(fit);
            *slot = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref())
                .ok()
                .map(|o| (o, on_resize));
        }
        // Its first report comes after the next layout: no layout forced here.
        if let Some((observer, _)) = slot.as_ref() {
            observer.observe(banner);
        }
    });
}

/// Stops watching `banner` (it is being removed) and fits the page to what is left.
pub fn let_go(banner: &web_sys::Element) {
    OBSERVER.with(|cell| {
        if let Some((observer, _)) = cell.borrow().as_ref() {
            observer.unobserve(banner);
        }
    });
    fit();
}

/// Sets the page's scroll padding and spacer from the visible banners: a
/// banner in the lower half of the viewport covers the bottom edge up to its
/// top, one in the upper half the top edge down to its bottom.
pub fn fit() {
    let Some(window) = web_sys::window() else { return };
    let Some(doc) = window.document() else { return };
    let view = window.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    let (mut top, mut bottom) = (0.0f64, 0.0f64);
    if let Ok(list) = doc.query_selector_all(".lcc-root .lcc-banner:not([hidden])") {
        for i in 0..list.length() {
            let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else {
                continue;
            };
            let r = el.get_bounding_client_rect();
            if r.height() <= 0.0 {
                continue;
            }
            if r.top() + r.height() / 2.0 > view / 2.0 {
                bottom = bottom.max(view - r.top());
            } else {
                top = top.max(r.bottom());
            }
        }
    }
    if let Some(html) = crate::web::root_element(&doc).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        pad(&html.style(), "scroll-padding-top", top);
        pad(&html.style(), "scroll-padding-bottom", bottom);
    }
    spacer(&doc, bottom);
}

fn px(v: f64) -> String {
    format!("{}px", v.ceil() as i64)
}

fn pad(style: &web_sys::CssStyleDeclaration, property: &str, v: f64) {
    let _ = if v > 0.0 {
        style.set_property(property, &px(v))
    } else {
        style.remove_property(property).map(drop)
    };
}

fn spacer(doc: &web_sys::Document, height: f64) {
    let existing = doc.get_element_by_id(SPACER_ID);
    if height <= 0.0 {
        if let Some(el) = existing {
            el.remove();
        }
        return;
    }
    let Some(body) = crate::web::body(doc) else { return };
    let el = match existing {
        Some(el) => el,
        None => {
            let Ok(el) = doc.create_element("div") else { return };
            el.set_id(SPACER_ID);
            let _ = el.set_attribute("aria-hidden", "true");
            el
        }
    };
    if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = el.style().set_property("height", &px(height));
    }
    // Always the page's last element: nothing on the page moves.
    if body.last_element_child().as_ref() != Some(&el) {
        let _ = body.append_child(&el);
    }
}
