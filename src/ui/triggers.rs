//! Page elements that open the consent UI: `data-cc="show-preferencesModal"` and friends,
//! with vanilla-cookieconsent v3's names.

use wasm_bindgen::JsCast;

use crate::core::Method;
use crate::ui::ConsentContext;
use crate::web::Listener;

/// Listens for clicks on `[data-cc]` elements anywhere in the document while
/// the returned handle lives: `show-preferencesModal`, `show-consentModal`,
/// `accept-all`, `accept-necessary` and `accept-custom` (saves the
/// preferences modal's switches).
pub(crate) fn install_page_triggers(ctx: ConsentContext) -> Option<Listener> {
    let doc = web_sys::window().and_then(|w| w.document())?;
    Listener::add(&doc, "click", move |e: web_sys::Event| {
        let Some(el) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("[data-cc]").ok().flatten())
        else {
            return;
        };
        let action = el.get_attribute("data-cc").unwrap_or_default();
        let handled = match action.as_str() {
            "show-preferencesModal" => {
                ctx.open_preferences();
                true
            }
            "show-consentModal" => {
                ctx.show_banner();
                true
            }
            "accept-all" => {
                ctx.accept_all(Method::Api);
                true
            }
            "accept-necessary" => {
                ctx.reject_all(Method::Api);
                true
            }
            "accept-custom" => {
                ctx.save_modal_draft();
                true
            }
            _ => false,
        };
        if handled {
            e.prevent_default();
        }
    })
}
