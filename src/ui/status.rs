//! The status region screen readers announce from: "Preferences saved" after
//! every save, in the visitor's language.

use leptos::prelude::*;

use crate::ui::ConsentContext;

/// A polite `role="status"` region, visually hidden. [`crate::ui::ConsentProvider`]
/// renders one; render it yourself only when providing the context by hand.
#[component]
pub fn ConsentStatus() -> impl IntoView {
    let ctx = ConsentContext::expect();
    view! {
        <div class="lcc-root">
            <div class="lcc-sr-only" role="status" aria-live="polite" data-testid="lcc-status">
                {move || ctx.announcement().get()}
            </div>
        </div>
    }
}
