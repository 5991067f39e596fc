//! The category and service switches, shared by the preferences modal and the
//! preference center. They edit a draft [`Choice`]; nothing is saved here.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::{Category, Choice, ConsentConfig, Service, Source, Texts};
use crate::ui::{erase, ConsentContext};

/// One section per category, each with its switch, description and services.
/// `prefix` keeps element ids unique when several lists share a page.
pub(crate) fn choice_list(cfg: &Arc<ConsentConfig>, draft: RwSignal<Choice>, prefix: &str) -> impl IntoView {
    let t = &cfg.texts;
    cfg.categories
        .iter()
        .map(|c| category_view(c, cfg, t, draft, prefix))
        .collect_view()
}

/// Test ids of the three second-layer buttons: accept all, reject all, save.
pub(crate) type ActionIds = [&'static str; 3];

/// Accept all, Reject all and Save (the draft), with equal weight, in a row
/// with class `class`. Shared by the preferences modal and the preference center.
pub(crate) fn choice_actions(
    ctx: ConsentContext,
    draft: RwSignal<Choice>,
    class: &'static str,
    ids: ActionIds,
    source: Source,
) -> impl IntoView {
    let cfg = ctx.config();
    let t = cfg.texts.clone();
    // A word with no translation in the language shown says its own (WCAG 3.1.2).
    let [(l0, d0), (l1, d1), (l2, d2)] = ["accept_all", "reject_all", "save"].map(|k| cfg.word_language(k));
    erase(view! {
        <div class=class>
            <button type="button" class="lcc-btn" data-testid=ids[0] lang=l0 dir=d0
                on:click=move |_| ctx.save_from(&Choice::accept_all(&ctx.config()), source)>{t.accept_all.clone()}</button>
            <button type="button" class="lcc-btn" data-testid=ids[1] lang=l1 dir=d1
                on:click=move |_| ctx.save_from(&Choice::reject_all(&ctx.config()), source)>{t.reject_all.clone()}</button>
            <button type="button" class="lcc-btn" data-testid=ids[2] lang=l2 dir=d2
                on:click=move |_| ctx.save_from(&draft.get_untracked(), source)>{t.save.clone()}</button>
        </div>
    })
}

fn category_view(
    cat: &Category,
    cfg: &Arc<ConsentConfig>,
    t: &Texts,
    draft: RwSignal<Choice>,
    prefix: &str,
) -> impl IntoView {
    let input_id = format!("{prefix}-cat-{}", cat.id);
    let desc_id = format!("{prefix}-cat-{}-desc", cat.id);
    let (id, read_only, locked) = (cat.id.clone(), cat.read_only, cat.gpc_locked);
    let checked = {
        let id = id.clone();
        move || draft.with(|c| c.category(&id))
    };
    let on_change = {
        let cfg = cfg.clone();
        move |e: ev::Event| {
            let on = target_checked(&e);
            draft.update(|c| c.set_category(&cfg, &id, on));
        }
    };
    let badge = read_only.then(|| view! { <span class="lcc-badge">{t.always_on.clone()}</span> });
    // Locked off by Global Privacy Control: say why, next to the switch.
    let lock_id = format!("{prefix}-cat-{}-gpc", cat.id);
    let lock_note = locked.then(|| {
        view! { <p id=lock_id.clone() class="lcc-category__gpc" data-testid="lcc-gpc-locked">{t.gpc_locked.clone()}</p> }
    });
    let described = if locked {
        format!("{lock_id} {desc_id}")
    } else {
        desc_id.clone()
    };
    let services = (!cat.services.is_empty()).then(|| {
        let label = format!("{} ({})", t.show_services, cat.services.len());
        let items = cat
            .services
            .iter()
            .map(|s| service_view(s, cfg, t, draft, read_only, locked, prefix))
            .collect_view();
        view! {
            <details class="lcc-services">
                <summary class="lcc-services__summary">{label}</summary>
                <ul class="lcc-services__list">{items}</ul>
            </details>
        }
    });
    // A text with no words in the language shown says its own (WCAG 3.1.2).
    let (title_lang, title_dir) = cfg.text_language(&format!("categories.{}.title", cat.id));
    let (text_lang, text_dir) = cfg.text_language(&format!("categories.{}.description", cat.id));
    erase(view! {
        <section class="lcc-category" data-category=cat.id.clone()>
            <div class="lcc-category__head">
                <input type="checkbox" role="switch" class="lcc-switch" id=input_id.clone()
                    aria-describedby=described
                    prop:checked=checked
                    disabled=read_only || locked
                    on:change=on_change />
                <label class="lcc-category__title" for=input_id lang=title_lang dir=title_dir>{cat.title.clone()}</label>
                {badge}
            </div>
            {lock_note}
            <p id=desc_id class="lcc-category__text" lang=text_lang dir=text_dir>{cat.description.clone()}</p>
            {services}
        </section>
    })
}

fn service_view(
    svc: &Service,
    cfg: &Arc<ConsentConfig>,
    t: &Texts,
    draft: RwSignal<Choice>,
    read_only: bool,
    locked: bool,
    prefix: &str,
) -> impl IntoView {
    let input_id = format!("{prefix}-svc-{}", svc.id);
    let desc_id = format!("{prefix}-svc-{}-desc", svc.id);
    let id = svc.id.clone();
    let checked = {
        let id = id.clone();
        move || read_only || draft.with(|c| c.service(&id))
    };
    let on_change = {
        let cfg = cfg.clone();
        move |e: ev::Event| {
            let on = target_checked(&e);
            draft.update(|c| c.set_service(&cfg, &id, on));
        }
    };
    let (title_lang, title_dir) = cfg.text_language(&format!("services.{}.title", svc.id));
    let (text_lang, text_dir) = cfg.text_language(&format!("services.{}.purpose", svc.id));
    let (table_lang, table_dir) = cfg.text_language(&format!("services.{}.cookies", svc.id));
    let cookies = (!svc.cookies.is_empty()).then(|| {
        let rows = svc
            .cookies
            .iter()
            .map(|k| {
                view! {
                    <tr>
                        <td><code>{k.name.clone()}</code></td>
                        <td>{svc.provider.clone()}</td>
                        <td lang=table_lang.clone() dir=table_dir>{k.purpose.clone()}</td>
                        <td lang=table_lang.clone() dir=table_dir>{k.duration.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="lcc-cookies">
                <caption class="lcc-sr-only">{format!("{}: {}", svc.title, t.cookie_name)}</caption>
                <thead><tr>
                    <th scope="col">{t.cookie_name.clone()}</th>
                    <th scope="col">{t.cookie_provider.clone()}</th>
                    <th scope="col">{t.cookie_purpose.clone()}</th>
                    <th scope="col">{t.cookie_duration.clone()}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    erase(view! {
        <li class="lcc-service" data-service=svc.id.clone()>
            <div class="lcc-service__head">
                <input type="checkbox" role="switch" class="lcc-switch" id=input_id.clone()
                    aria-describedby=desc_id.clone()
                    prop:checked=checked
                    disabled=read_only || locked
                    on:change=on_change />
                <label class="lcc-service__title" for=input_id lang=title_lang dir=title_dir>{svc.title.clone()}</label>
            </div>
            <div id=desc_id class="lcc-service__text">
                <p lang=text_lang dir=text_dir>{svc.purpose.clone()}</p>
                <p>{format!("{} {}", t.provider, svc.provider)} " · "
                    <a class="lcc-link" href=svc.privacy_policy_url.clone() target="_blank" rel="noopener noreferrer">
                        {t.service_policy_label.clone()}
                    </a>
                </p>
            </div>
            {cookies}
        </li>
    })
}

fn target_checked(e: &ev::Event) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}
