//! The first-layer banner: Accept all, Reject all and Manage preferences, with equal weight.

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::core::Method;
use crate::ui::{in_language, ConsentContext};

/// The first-layer consent banner. It is a labelled region, not a modal: the
/// page stays usable. Nothing but its three buttons records a decision. It
/// draws its own `.lcc-root` around itself, so the stylesheet applies
/// wherever an app places it.
#[component]
pub fn ConsentBanner(
    /// Extra classes for the banner element.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let ctx = ConsentContext::expect();
    let node = NodeRef::<leptos::html::Section>::new();
    keep_clear(node);
    in_language(ctx, move || {
        let (lang, dir) = ctx.lang_dir();
        let cfg = ctx.config();
        let t = cfg.texts.clone();
        let policy = cfg.privacy_policy_url.clone().map(|href| {
            view! { " " <a class="lcc-link" href=href>{t.privacy_policy_label.clone()}</a> }
        });
        // Global Privacy Control: the visitor sees what stays off before choosing.
        let gpc = cfg.gpc_applies().then(|| {
            view! { <p class="lcc-banner__gpc" data-testid="lcc-gpc-note">{cfg.with_locked_titles(&t.gpc_note)}</p> }
        });
        let look = format!("{} {}", cfg.appearance.banner_class(), cfg.appearance.scheme_class());
        let class = move || match class.get() {
            Some(extra) => format!("{look} {extra}"),
            None => look.clone(),
        };
        // A word with no translation in the language shown says its own (WCAG 3.1.2).
        let word = |k: &str| cfg.word_language(k);
        let [(title_lang, title_dir), (text_lang, text_dir), (accept_lang, accept_dir), (reject_lang, reject_dir), (manage_lang, manage_dir)] =
            [
                "banner_title",
                "banner_description",
                "accept_all",
                "reject_all",
                "manage",
            ]
            .map(word);
        view! {
            <div class="lcc-root">
                <section lang=lang dir=dir node_ref=node
                    class=class
                    role="region"
                    aria-labelledby="lcc-banner-title"
                    aria-describedby="lcc-banner-text"
                    data-testid="lcc-banner"
                    hidden=move || !ctx.banner_open().get()
                >
                    <div class="lcc-banner__body">
                        {timed(view! { <h2 id="lcc-banner-title" class="lcc-banner__title" lang=title_lang dir=title_dir>{t.banner_title}</h2> })}
                        <p id="lcc-banner-text" class="lcc-banner__text"><span lang=text_lang dir=text_dir>{t.banner_description}</span>{policy}</p>
                        {gpc}
                    </div>
                    <div class="lcc-banner__actions">
                        <button type="button" class="lcc-btn" data-testid="lcc-accept-all" data-lcc-press="accept-all" lang=accept_lang dir=accept_dir
                            on:click=move |_| ctx.accept_all(Method::Banner)>{t.accept_all}</button>
                        <button type="button" class="lcc-btn" data-testid="lcc-reject-all" data-lcc-press="reject-all" lang=reject_lang dir=reject_dir
                            on:click=move |_| ctx.reject_all(Method::Banner)>{t.reject_all}</button>
                        <button type="button" class="lcc-btn" data-testid="lcc-manage" data-lcc-press="manage" lang=manage_lang dir=manage_dir
                            on:click=move |_| ctx.open_preferences()>{t.manage}</button>
                    </div>
                </section>
            </div>
        }
    })
}

/// In an app, the banner's title with Element Timing (`elementtiming="lcc-banner"`):
/// when the server-rendered banner was painted, for a site's own field
/// measurement and the benchmark.
#[cfg(not(feature = "embed"))]
fn timed<V>(title: V) -> impl IntoView
where
    V: IntoView + leptos::attr::custom::CustomAttribute<&'static str, &'static str>,
{
    title.attr("elementtiming", "lcc-banner")
}

/// (The drop-in draws its banner after the page's first paint: not timed here.)
#[cfg(feature = "embed")]
fn timed<V: IntoView>(title: V) -> V {
    title
}

/// Keeps the page's focused element clear of the non-modal bar `node` while it
/// shows (scroll padding and a spacer: [`crate::web::keep_clear`]).
pub(crate) fn keep_clear(node: NodeRef<leptos::html::Section>) {
    // (An `Option` around the wrapper: a server thread never creates or drops an element.)
    let watched = StoredValue::new(None::<SendWrapper<web_sys::HtmlElement>>);
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            crate::web::keep_clear(&el);
            watched.set_value(Some(SendWrapper::new(el)));
        }
    });
    on_cleanup(move || {
        if let Some(el) = watched.try_update_value(Option::take).flatten() {
            let el = el.take();
            // Out of the page before measuring what is left (the unmount follows).
            el.remove();
            crate::web::let_go(&el);
        }
    });
}
