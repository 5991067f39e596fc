//! `ConsentGate`: content (a video, a map, a widget) shown only with consent,
//! with a placeholder that lets the visitor grant just what it needs.

use leptos::prelude::*;

use crate::core::{grant_for_embed, Choice, Method};
use crate::ui::ConsentContext;

/// Renders `children` only while `category` (and `service`, when given) is
/// granted. Otherwise it shows `fallback`, or a ready placeholder that says
/// who provides the content, offers "Load content" (which grants exactly
/// that service, or that category) and links to the preferences. Used in
/// `examples/leptos_app.rs`:
///
/// ```ignore
/// view! {
///     <ConsentGate category="third-party" service="youtube">
///         <iframe src="https://www.youtube-nocookie.com/embed/…"></iframe>
///     </ConsentGate>
/// }
/// ```
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
        ViewFn::from(move || placeholder(ctx, &category, service.as_deref()))
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
