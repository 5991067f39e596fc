//! A server-rendered Leptos app (axum, `leptos_axum`) with leptos-consent:
//! the banner is in the server's HTML, a returning visitor's choice is known
//! to the server (the config's `server_cookie`), and a server function counts
//! an analytics event only with the visitor's consent.
//!
//! Run it with cargo-leptos (`cargo leptos watch` in this folder) or with
//! `make ssr-example` from the repository root; see `docs/leptos-ssr.md`.

use leptos::prelude::*;
use leptos_consent::ui::{
    use_consent, ConsentBanner, ConsentGate, ConsentHead, ConsentProvider, ConsentScript, GpcNotice, PreferenceCenter,
    PreferencesModal,
};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

/// The shop's consent config (categories, services, the server's cookie copy).
pub const CONSENT_CONFIG: &str = include_str!("../consent-config.json");

/// The HTML shell the server renders every page into.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let bare = cfg!(feature = "ssr") && std::env::var_os("SHOP_BARE").is_some();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title>"A Leptos shop"</title>
                <link rel="icon" href="data:,"/>
                // The first layer's rules inline (the banner is painted with the page, and
                // nothing waits for a stylesheet), the whole stylesheet loaded without blocking,
                // and a press on the banner before the app hydrates kept.
                {(!bare).then(|| view! { <ConsentHead config=CONSENT_CONFIG stylesheet="/pkg/lcc-ssr-example.css"/> })}
                <HydrationScripts options/>
            </head>
            <body>
                {if bare { view! { <BareApp/> }.into_any() } else { view! { <App/> }.into_any() }}
            </body>
        </html>
    }
}

/// The app: consent around everything, the banner and the modal once.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <ConsentProvider config=CONSENT_CONFIG>
            // First in the page's HTML, so that it is in the first frame however the
            // response arrives; drawn at the bottom of the viewport by the stylesheet.
            <ConsentBanner/>
            <Router>
                <Nav/>
                <main>
                    <Routes fallback=|| "Not found.">
                        <Route path=path!("/") view=Shop/>
                        <Route path=path!("/privacy") view=Privacy/>
                    </Routes>
                </main>
            </Router>
            <PreferencesModal/>
            <GpcNotice/>
        </ConsentProvider>
    }
}

/// The shop's links, the same with and without the consent manager.
#[component]
fn Nav() -> impl IntoView {
    view! {
        <nav>
            <A href="/">"Shop"</A>
            " "
            <A href="/privacy">"Privacy"</A>
        </nav>
    }
}

#[component]
fn Shop() -> impl IntoView {
    let consent = use_consent();
    let analytics = consent.category("performance");
    // The server counts the view only if the visitor allowed it (it checks the
    // request's cookie copy itself: what the browser says is never taken as it is).
    let counted = Resource::new(|| (), |_| count_view("shop".to_owned()));
    view! {
        <h1>"A Leptos shop"</h1>
        <p data-testid="analytics">
            {move || if analytics.get() { "Analytics: on" } else { "Analytics: off" }}
            " "
            <button on:click=move |_| consent.open_preferences.run(())>"Change"</button>
        </p>
        <Suspense fallback=|| ()>
            <p data-testid="counted">{move || counted.get().map(|r| match r {
                Ok(true) => "This visit was counted.",
                Ok(false) => "This visit was not counted.",
                Err(_) => "The counter is unavailable.",
            })}</p>
        </Suspense>
        // The shop's analytics tag: runs only once "performance" is granted; for a
        // returning visitor who granted it, while the page parses.
        <ConsentScript category="performance" service="shop-analytics" src="/tags/analytics.js"/>
        <h2>"Recommended for you"</h2>
        <ConsentGate category="marketing" fallback=|| view! { <p data-testid="no-picks">"Personal picks are off."</p> }>
            <ul data-testid="picks"><li>"Espresso cups"</li><li>"Milk jug"</li></ul>
        </ConsentGate>
    }
}

#[component]
fn Privacy() -> impl IntoView {
    view! {
        <h1>"Privacy"</h1>
        <PreferenceCenter/>
    }
}

/// Counts a page view for the shop's own analytics, only when the request
/// shows a current decision that grants `performance`. Returns whether it did.
#[server]
pub async fn count_view(page: String) -> Result<bool, ServerFnError> {
    use leptos_consent::core::ConsentConfig;
    let headers: http::HeaderMap = leptos_axum::extract().await?;
    let cfg = ConsentConfig::from_json(CONSENT_CONFIG).map_err(ServerFnError::new)?;
    let seen = leptos_consent::server::request_decision(&headers, &cfg);
    if !seen.category("performance") {
        return Ok(false);
    }
    server::record(page);
    Ok(true)
}

/// The server's side: what it counted.
#[cfg(feature = "ssr")]
pub mod server {
    use std::sync::Mutex;

    static COUNTED: Mutex<Vec<String>> = Mutex::new(Vec::new());

    /// Counts one event.
    pub fn record(page: String) {
        COUNTED.lock().unwrap_or_else(|e| e.into_inner()).push(page);
    }

    /// Everything counted since the server started.
    pub fn counted() -> Vec<String> {
        COUNTED.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The same shop without a consent manager: the benchmark's control
/// (`make bench`), served when `SHOP_BARE=1` and built with feature `bare`.
/// Its analytics tag is a plain script: it runs on every visit.
#[component]
pub fn BareApp() -> impl IntoView {
    view! {
        <Router>
            <Nav/>
            <main>
                <Routes fallback=|| "Not found.">
                    <Route path=path!("/") view=BareShop/>
                    <Route path=path!("/privacy") view=|| view! { <h1>"Privacy"</h1> }/>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn BareShop() -> impl IntoView {
    // The same server function as the shop's (its bytes are the app's, not the consent manager's).
    let counted = Resource::new(|| (), |_| count_view("shop".to_owned()));
    view! {
        <h1>"A Leptos shop"</h1>
        <p data-testid="analytics">"Analytics: on"</p>
        <Suspense fallback=|| ()>{move || counted.get().map(|_| ())}</Suspense>
        <script src="/tags/analytics.js" nonce=use_nonce()></script>
        <h2>"Recommended for you"</h2>
        <ul data-testid="picks"><li>"Espresso cups"</li><li>"Milk jug"</li></ul>
    }
}

/// The browser's entry point: hydrates the server's HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    #[cfg(not(feature = "bare"))]
    leptos::mount::hydrate_body(App);
    #[cfg(feature = "bare")]
    leptos::mount::hydrate_body(BareApp);
}
