//! `ConsentHead`: what a server-rendered app's shell puts in its `<head>`.

use leptos::prelude::*;

use crate::ui::context::server_known;
use crate::ui::ConfigInput;

/// What a server-rendered page needs in its `<head>` for the banner to be
/// painted with the page, without delaying it:
///
/// - the first layer's rules inline (`style/consent.css` up to the end of the
///   first layer's rules): no request stands between the HTML and the banner,
///   and no stylesheet holds up the page's first paint or its scripts;
/// - the whole consent stylesheet (`stylesheet`: the consent rules alone, not
///   the site's own, which would then paint late), loaded without blocking
///   anything and applied once it is there;
/// - a press on the banner made before the app has hydrated, kept for the
///   provider to carry out once the page is live.
///
/// Put it in the shell's `<head>`, before `<HydrationScripts/>`. Its script
/// and style carry the page's nonce (`use_nonce`) under a
/// Content-Security-Policy.
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
///                 <ConsentHead stylesheet="/pkg/my-app.css"/>
///                 <HydrationScripts options/>
///             </head>
///             <body>"…"</body>
///         </html>
///     }
/// }
/// # let _ = shell;
/// ```
#[component]
pub fn ConsentHead(
    /// The URL of the whole consent stylesheet (`style/consent.css`, or
    /// `leptos-consent.css` of the distribution), if the page serves one.
    #[prop(optional, into)]
    stylesheet: Option<String>,
    /// The provider's config. With it, a request that tells a decision with
    /// nothing to ask ([`crate::core::ConsentConfig::server_cookie`]) gets no
    /// inline rules: that visitor sees no banner.
    #[prop(optional, into)]
    config: Option<ConfigInput>,
) -> impl IntoView {
    let nonce = use_nonce();
    let asking = match config.map(|c| c.0) {
        Some(Ok(cfg)) => server_known(&cfg).asking,
        _ => true,
    };
    let first_layer = asking.then(|| view! { <style nonce=nonce.clone()>{first_layer_css()}</style> });
    let sheet = stylesheet.map(|href| {
        // `media="print"` loads it without blocking the page; the script below applies it, and
        // the provider again once the page is live (a script a CSP refused); without scripts,
        // the <noscript> copy applies.
        view! {
            <link rel="stylesheet" href=href.clone() media="print" data-lcc-css="" nonce=nonce.clone()/>
            <noscript><link rel="stylesheet" href=href/></noscript>
        }
    });
    view! {
        {first_layer}
        {sheet}
        <script nonce=nonce>{HEAD_SCRIPT}</script>
    }
}

/// The consent stylesheet's rules for the first layer (before its marker).
fn first_layer_css() -> &'static str {
    const CSS: &str = include_str!("../../style/consent.css");
    CSS.split("/* ---- The first layer ends here").next().unwrap_or(CSS)
}

/// Applies the whole stylesheet once loaded, and keeps the last press (by the
/// visitor: `isTrusted`) on one of the server-rendered banner's buttons until
/// the page is live (`__lccLive`, set by the provider) in `window.__lccPress`.
pub(crate) const HEAD_SCRIPT: &str = "(function(){var l=document.querySelector(\"link[data-lcc-css]\");if(l){if(l.sheet)l.media=\"all\";else l.addEventListener(\"load\",function(){l.media=\"all\"})}addEventListener(\"click\",function(e){var b=e.isTrusted&&!window.__lccLive&&e.target.closest&&e.target.closest(\".lcc-root > section[aria-labelledby=lcc-banner-title] [data-lcc-press]\");if(b)window.__lccPress=b.getAttribute(\"data-lcc-press\")},true)})()";
