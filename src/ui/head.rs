//! `ConsentHead`: what a server-rendered app's shell puts in its `<head>`.

use leptos::prelude::*;

/// Keeps a press on the server-rendered banner made before the app has
/// hydrated: the provider carries it out once the page is live. Put it in the
/// shell's `<head>`, before `<HydrationScripts/>`. It carries the page's
/// nonce (`use_nonce`) under a Content-Security-Policy.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_consent::ui::ConsentHead;
///
/// fn shell(options: LeptosOptions) -> impl IntoView {
///     view! {
///         <!DOCTYPE html>
///         <html lang="en">
///             <head>
///                 <ConsentHead/>
///                 <HydrationScripts options/>
///             </head>
///             <body>"…"</body>
///         </html>
///     }
/// }
/// # let _ = shell;
/// ```
#[component]
pub fn ConsentHead() -> impl IntoView {
    view! { <script nonce=use_nonce()>{PRESS_KEEPER}</script> }
}

/// The last press (by the visitor: `isTrusted`) on one of the server-rendered
/// banner's buttons until the page is live (`__lccLive`, set by the
/// provider): kept in `window.__lccPress`.
pub(crate) const PRESS_KEEPER: &str = "addEventListener(\"click\",function(e){var b=e.isTrusted&&!window.__lccLive&&e.target.closest&&e.target.closest(\".lcc-root > section[aria-labelledby=lcc-banner-title] [data-lcc-press]\");if(b)window.__lccPress=b.getAttribute(\"data-lcc-press\")},true)";
