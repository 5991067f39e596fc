//! A Leptos app with leptos-consent: the provider, the banner and modal, a
//! preference link, a reactive read through `use_consent`, and gated embeds.
//!
//! Build: `cargo build --example leptos_app --target wasm32-unknown-unknown`
//! (it is compiled by `make test`'s clippy step).

#[cfg(target_arch = "wasm32")]
mod app {
    use leptos::prelude::*;
    use leptos_consent::ui::{use_consent, ConsentBanner, ConsentGate, ConsentProvider, GpcNotice, PreferencesModal};

    /// The demo site's config: categories, services and their cookies.
    const CONFIG: &str = include_str!("../consent-config.json");

    pub fn start() {
        leptos::mount::mount_to_body(App);
    }

    #[component]
    fn App() -> impl IntoView {
        // A config that cannot be read does not take the app down: it renders,
        // nothing optional is granted, and the console names the field.
        view! {
            <ConsentProvider config=CONFIG>
                <main>
                    <h1>"A Leptos shop"</h1>
                    <AnalyticsStatus/>
                    <h2>"Our store on the map"</h2>
                    // Third-party content: nothing is loaded from its provider before consent.
                    <ConsentGate category="third-party">
                        <iframe title="Map" src="/map.html" width="400" height="300"></iframe>
                    </ConsentGate>
                    <h2>"Recommended for you"</h2>
                    // A custom fallback instead of the built-in placeholder.
                    <ConsentGate category="marketing" service="mixpanel" fallback=|| view! { <p>"Personal picks are off."</p> }>
                        <ul><li>"Espresso cups"</li><li>"Milk jug"</li></ul>
                    </ConsentGate>
                </main>
                <footer><a href="#" data-cc="show-preferencesModal">"Cookie settings"</a></footer>
                <ConsentBanner/>
                <PreferencesModal/>
                <GpcNotice/>
            </ConsentProvider>
        }
    }

    /// Reads consent reactively: re-renders when the visitor decides.
    #[component]
    fn AnalyticsStatus() -> impl IntoView {
        let consent = use_consent();
        let analytics = consent.category("performance");
        view! {
            <p>
                {move || if analytics.get() { "Analytics: on" } else { "Analytics: off" }}
                " "
                <button on:click=move |_| consent.open_preferences.run(())>"Change"</button>
            </p>
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("build this example for wasm32-unknown-unknown");
}
