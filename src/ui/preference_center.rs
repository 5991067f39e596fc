//! The preference center: an inline page section where the visitor reviews,
//! changes or withdraws their choice, sees their history and downloads a receipt.

use leptos::prelude::*;

use crate::core::{utc_iso, Choice, HistoryEntry, Source, Texts};
use crate::ui::{choice_actions, choice_list, in_language, ConsentContext};

/// The preference center. Renders inline (not as a modal) and always shows the
/// **stored** choice. When it is on a page, the banner stays closed: the same
/// choices are offered here.
#[component]
pub fn PreferenceCenter(
    /// Extra classes for the section element.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let ctx = ConsentContext::expect();
    ctx.suppress_banner();
    in_language(ctx, move || {
        let (lang, dir) = ctx.lang_dir();
        let cfg = ctx.config();
        let t = cfg.texts.clone();
        let draft = RwSignal::new(Choice::from_record(&cfg, ctx.record().get_untracked().as_ref()));
        // Whenever the stored choice changes (here, in the modal or in another tab), show it.
        let sync_cfg = cfg.clone();
        Effect::new(move |_| {
            let record = ctx.record().get();
            draft.set(Choice::from_record(&sync_cfg, record.as_ref()));
        });

        let status = {
            let t = t.clone();
            move || match ctx.record().get() {
                None => {
                    view! { <p class="lcc-center__empty" data-testid="lcc-pc-no-decision">{t.no_decision.clone()}</p> }
                        .into_any()
                }
                Some(r) => view! {
                    <dl class="lcc-center__facts" data-testid="lcc-pc-facts">
                        <dt>{t.consent_id.clone()}</dt>
                        <dd><code data-testid="lcc-pc-consent-id">{r.consent_id.clone()}</code></dd>
                        <dt>{t.last_decision.clone()}</dt>
                        <dd>{time_view(r.last_decision_ms)}</dd>
                        <dt>{t.revision.clone()}</dt>
                        <dd data-testid="lcc-pc-revision">{r.revision}</dd>
                    </dl>
                }
                .into_any(),
            }
        };

        let history = {
            let t = t.clone();
            move || {
                let entries = ctx.history().get();
                let items = entries.iter().rev().map(|e| history_item(e, &t)).collect_view();
                view! { <ol class="lcc-center__history" data-testid="lcc-pc-history" reversed>{items}</ol> }
            }
        };

        let cleanup = {
            let t = t.clone();
            move || {
                // What this page's clean-up could not remove, or, after the reload
                // that follows a withdrawal, what the last decision recorded.
                let mut left = ctx.cleanup().get().map(|c| c.left_behind()).unwrap_or_default();
                if let Some(last) = ctx.history().get().last() {
                    left.extend(last.left_behind.iter().cloned());
                }
                left.sort();
                left.dedup();
                (!left.is_empty()).then(|| {
                    let items = left
                        .into_iter()
                        .map(|n| view! { <li><code>{n}</code></li> })
                        .collect_view();
                    view! {
                        <div class="lcc-center__warning" role="status" data-testid="lcc-pc-cleanup">
                            <p>{t.cleanup_failed.clone()}</p>
                            <ul>{items}</ul>
                        </div>
                    }
                })
            }
        };

        let gpc = cfg.gpc_applies().then(|| {
        view! { <p class="lcc-center__gpc" role="note" data-testid="lcc-pc-gpc-note">{cfg.with_locked_titles(&t.gpc_note)}</p> }
    });
        let look = format!("lcc-root lcc-center {}", cfg.appearance.scheme_class());
        let class = move || match class.get() {
            Some(extra) => format!("{look} {extra}"),
            None => look.clone(),
        };
        // A word with no translation in the language shown says its own (WCAG 3.1.2).
        let (title_lang, title_dir) = cfg.word_language("center_title");
        view! {
            <section lang=lang dir=dir class=class aria-labelledby="lcc-pc-title" data-testid="lcc-preference-center">
                <h2 id="lcc-pc-title" class="lcc-center__title" lang=title_lang dir=title_dir>{t.center_title.clone()}</h2>
                {status}
                {gpc}
                {cleanup}
                <div class="lcc-center__choices">{choice_list(&cfg, draft, "lcc-pc")}</div>
                {choice_actions(ctx, draft, "lcc-center__actions", ["lcc-pc-accept-all", "lcc-pc-reject-all", "lcc-pc-save"], Source::Center)}
                <h3 class="lcc-center__subtitle">{t.history_title.clone()}</h3>
                {history}
                <button type="button" class="lcc-btn lcc-center__receipt" data-testid="lcc-pc-receipt"
                    hidden=move || ctx.record().get().is_none()
                    on:click=move |_| ctx.download_receipt()>{t.download_receipt.clone()}</button>
            </section>
        }
    })
}

fn time_view(ms: u64) -> impl IntoView {
    // The server and the hydrating browser write the same UTC time; the
    // browser then shows it in the visitor's own format.
    let iso = utc_iso(ms);
    let shown = RwSignal::new(iso.replace('T', " ").replace(".000Z", " UTC"));
    Effect::new(move |_| {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        shown.set(
            date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
                .into(),
        );
    });
    view! { <time datetime=iso>{move || shown.get()}</time> }
}

fn history_item(e: &HistoryEntry, t: &Texts) -> impl IntoView {
    let mut parts = Vec::new();
    if !e.granted.is_empty() {
        parts.push(format!("{} {}", t.history_granted, e.granted.join(", ")));
    }
    if !e.revoked.is_empty() {
        parts.push(format!("{} {}", t.history_revoked, e.revoked.join(", ")));
    }
    if parts.is_empty() {
        parts.push(t.history_unchanged.clone());
    }
    view! {
        <li data-via=e.via.as_str()>
            {time_view(e.at)} " · " {e.via.as_str()} " · " {parts.join(" · ")}
        </li>
    }
}
