//! `ConsentGate`: content (a video, a map, a widget) shown only with consent,
//! with a placeholder that lets the visitor grant just what it needs.

use leptos::either::Either;
use leptos::prelude::*;

use crate::core::{grant_for_embed, Choice, Method};
use crate::ui::{in_language, ConsentContext, IN_BROWSER};

/// Renders `children` only while `category` (and `service`, when given) is
/// granted. Otherwise it shows `fallback`, or a ready placeholder that says
/// who provides the content, offers "Load content" (which grants exactly
/// that service, or that category) and links to the preferences. Used in
/// `examples/leptos_app.rs`:
///
/// ```
/// use leptos::prelude::*;
/// use leptos_consent::ui::ConsentGate;
///
/// #[component]
/// fn Video() -> impl IntoView {
///     view! {
///         <ConsentGate category="third-party" service="youtube">
///             <iframe title="Our film" src="https://www.youtube-nocookie.com/embed/…"></iframe>
///         </ConsentGate>
///     }
/// }
/// # let _ = Video;
/// ```
///
/// On the server it renders the placeholder, or the content when the request
/// tells a decision that grants it ([`crate::core::ConsentConfig::server_cookie`]):
/// gated content is never in the page's HTML before consent.
#[component]
pub fn ConsentGate(
    /// The category the content needs.
    #[prop(into)]
    category: String,
    /// The service (inside `category`) the content comes from, if one.
    #[prop(optional, into)]
    service: Option<String>,
    /// What to show instead, replacing the built-in placeholder.
    #[prop(optional, into)]
    fallback: Option<ViewFn>,
    /// The content.
    children: ChildrenFn,
) -> impl IntoView {
    let ctx = ConsentContext::expect();
    let granted = {
        let (category, service) = (category.clone(), service.clone());
        move || match &service {
            Some(s) => ctx.is_service_granted(s),
            None => ctx.is_category_granted(&category),
        }
    };
    let fallback = fallback.unwrap_or_else(|| {
        let (category, service) = (category.clone(), service.clone());
        ViewFn::from(move || {
            let (category, service) = (category.clone(), service.clone());
            in_language(ctx, move || placeholder(ctx, &category, service.as_deref()))
        })
    });
    view! { <Show when=granted fallback=fallback>{children()}</Show> }
}

fn placeholder(ctx: ConsentContext, category: &str, service: Option<&str>) -> impl IntoView {
    let cfg = ctx.config();
    let t = &cfg.texts;
    let text = match service.and_then(|s| cfg.service(s)) {
        Some((_, s)) => t
            .gate_service
            .replace("{service}", &s.title)
            .replace("{provider}", &s.provider),
        None => {
            let title = cfg.category(category).map_or(category, |c| c.title.as_str());
            t.gate_category.replace("{category}", title)
        }
    };
    let (category, service) = (category.to_owned(), service.map(str::to_owned));
    let load = move |_| {
        let cfg = ctx.config();
        let current = Choice::from_record(&cfg, ctx.record().get_untracked().as_ref());
        ctx.save(
            &grant_for_embed(&cfg, &current, &category, service.as_deref()),
            Method::Preferences,
        );
    };
    let class = format!("lcc-root lcc-gate {}", cfg.appearance.scheme_class());
    view! {
        <div class=class data-testid="lcc-gate">
            <p class="lcc-gate__text">{text}</p>
            <div class="lcc-gate__actions">
                <button type="button" class="lcc-btn" data-testid="lcc-gate-load" on:click=load>{t.gate_load.clone()}</button>
                <button type="button" class="lcc-link lcc-gate__settings" data-testid="lcc-gate-settings"
                    on:click=move |_| ctx.open_preferences()>{t.gate_settings.clone()}</button>
            </div>
        </div>
    }
}

/// A tag script gated by consent, for an app's own views: the Leptos form of
/// the page's `<script type="text/plain" data-category=…>` placeholder.
///
/// When the visitor's decision grants it as the view is drawn, it is a live
/// `<script>`. On the server, for a visitor whose decision the request tells
/// ([`crate::core::ConsentConfig::server_cookie`]), the browser runs it while
/// it parses the page, before any wasm, in document order with the page's other
/// scripts. Otherwise it is the placeholder, which the script gate runs once
/// the visitor grants it, and never before. It carries the page's nonce.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_consent::ui::ConsentScript;
///
/// #[component]
/// fn Analytics() -> impl IntoView {
///     view! { <ConsentScript category="performance" service="shop-analytics" src="/tags/analytics.js"/> }
/// }
/// # let _ = Analytics;
/// ```
#[component]
pub fn ConsentScript(
    /// The category the tag needs.
    #[prop(into)]
    category: String,
    /// The service (inside `category`) the tag belongs to, if one.
    #[prop(optional, into)]
    service: Option<String>,
    /// The tag's URL.
    #[prop(into)]
    src: String,
) -> impl IntoView {
    let ctx = ConsentContext::expect();
    // Decided once, as drawn: a later grant runs the placeholder through the
    // script gate, which keeps the page's tags in order.
    let granted = ctx.granted_now(&category, service.as_deref());
    // The page's nonce: the server's for this response, in the browser the one the page's
    // scripts carry (the script gate runs no placeholder without it).
    let nonce = use_nonce().map(|n| n.to_string()).or_else(|| {
        if IN_BROWSER {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| crate::web::page_nonce(&d))
        } else {
            None
        }
    });
    if granted {
        Either::Left(view! {
            <script src=src nonce=nonce data-category=category data-service=service data-lcc-state="done"></script>
        })
    } else {
        Either::Right(view! {
            <script type="text/plain" src=src nonce=nonce data-category=category data-service=service></script>
        })
    }
}
