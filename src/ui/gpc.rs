//! The notice shown when Global Privacy Control turned an earlier opt-in off.

use leptos::prelude::*;

use crate::ui::{in_language, ConsentContext};

/// Tells the visitor, on the page view where it happened, that their
/// browser's Global Privacy Control signal switched off categories they had
/// allowed before on this device. Not shown otherwise, nor while the banner is
/// open (the banner carries the same note).
#[component]
pub fn GpcNotice() -> impl IntoView {
    let ctx = ConsentContext::expect();
    in_language(ctx, move || {
        ctx.gpc_applied().get().then(|| {
            let (lang, dir) = ctx.lang_dir();
            let cfg = ctx.config();
            let text = cfg.with_locked_titles(&cfg.texts.gpc_applied);
            let close = cfg.texts.unavailable_close.clone();
            let open = RwSignal::new(true);
            let class = format!(
                "{} {} lcc-notice",
                cfg.appearance.banner_class(),
                cfg.appearance.scheme_class()
            );
            let node = NodeRef::<leptos::html::Section>::new();
            crate::ui::keep_clear(node);
            view! {
                <div class="lcc-root">
                    <section lang=lang dir=dir class=class role="status" node_ref=node data-testid="lcc-gpc-applied"
                        hidden=move || !open.get() || ctx.banner_open().get()>
                        <div class="lcc-banner__body">
                            <p class="lcc-banner__text">{text}</p>
                        </div>
                        <div class="lcc-banner__actions">
                            <button type="button" class="lcc-btn" data-testid="lcc-gpc-applied-close"
                                on:click=move |_| open.set(false)>{close}</button>
                        </div>
                    </section>
                </div>
            }
        })
    })
}
