//! The second layer: one switch per category, expandable services with their
//! own switches and cookie tables; Accept all, Reject all and Save.

use std::sync::Arc;

use leptos::ev;
use leptos::html::Dialog;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::{Category, Choice, ConsentConfig, Method, Service, Texts};
use crate::ui::ConsentContext;

/// The preferences modal. A real modal dialog: focus moves in and is kept
/// inside; Escape or the close button close it without saving and return
/// focus to whatever opened it. It opens showing the stored choice.
#[component]
pub fn PreferencesModal(
    /// Extra classes for the dialog element.
    #[prop(optional, into)]
    class: MaybeProp<String>,
) -> impl IntoView {
    let ctx = ConsentContext::expect();
    let cfg = ctx.config();
    let t = cfg.texts.clone();
    let draft = RwSignal::new(Choice::from_record(
        &cfg,
        ctx.record().get_untracked().as_ref(),
    ));
    let dialog = NodeRef::<Dialog>::new();
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);

    let effect_cfg = cfg.clone();
    Effect::new(move |_| {
        let open = ctx.preferences_open().get();
        let Some(d) = dialog.get() else { return };
        if open && !d.open() {
            draft.set(Choice::from_record(
                &effect_cfg,
                ctx.record().get_untracked().as_ref(),
            ));
            opener.set_value(active_element());
            if d.show_modal().is_err() {
                d.set_open(true);
            }
            if let Some(first) = focusables(&d).first() {
                let _ = first.focus();
            }
        } else if !open && d.open() {
            d.close();
        }
    });

    // The dialog closed (Escape, close button, or a save): sync state and give focus back.
    let on_close = move |_| {
        ctx.close_preferences();
        if let Some(el) = opener.get_value() {
            if el.is_connected() {
                let _ = el.focus();
            }
        }
        opener.set_value(None);
    };

    let on_keydown = move |e: ev::KeyboardEvent| {
        if e.key() != "Tab" {
            return;
        }
        let Some(d) = dialog.get() else { return };
        let items = focusables(&d);
        let (Some(first), Some(last)) = (items.first(), items.last()) else {
            return;
        };
        let active = active_element();
        if e.shift_key() && active.as_ref() == Some(first) {
            e.prevent_default();
            let _ = last.focus();
        } else if !e.shift_key() && active.as_ref() == Some(last) {
            e.prevent_default();
            let _ = first.focus();
        }
    };

    let categories = cfg
        .categories
        .iter()
        .map(|c| category_view(c, &cfg, &t, draft))
        .collect_view();

    let class = move || match class.get() {
        Some(extra) => format!("lcc-modal {extra}"),
        None => "lcc-modal".to_owned(),
    };
    view! {
        <dialog
            node_ref=dialog
            class=class
            aria-labelledby="lcc-prefs-title"
            aria-describedby="lcc-prefs-text"
            data-testid="lcc-preferences"
            on:close=on_close
            on:keydown=on_keydown
        >
            <div class="lcc-modal__header">
                <h2 id="lcc-prefs-title" class="lcc-modal__title">{t.preferences_title.clone()}</h2>
                <button type="button" class="lcc-close" aria-label=t.close.clone() title=t.close.clone()
                    data-testid="lcc-close" on:click=move |_| ctx.close_preferences()>
                    <span aria-hidden="true">"×"</span>
                </button>
            </div>
            <div class="lcc-modal__body">
                <p id="lcc-prefs-text" class="lcc-modal__text">{t.preferences_description.clone()}</p>
                {categories}
            </div>
            <div class="lcc-modal__actions">
                <button type="button" class="lcc-btn" data-testid="lcc-prefs-accept-all"
                    on:click=move |_| ctx.accept_all(Method::Preferences)>{t.accept_all.clone()}</button>
                <button type="button" class="lcc-btn" data-testid="lcc-prefs-reject-all"
                    on:click=move |_| ctx.reject_all(Method::Preferences)>{t.reject_all.clone()}</button>
                <button type="button" class="lcc-btn" data-testid="lcc-save"
                    on:click=move |_| ctx.save(&draft.get_untracked(), Method::Preferences)>{t.save.clone()}</button>
            </div>
        </dialog>
    }
}

fn category_view(
    cat: &Category,
    cfg: &Arc<ConsentConfig>,
    t: &Texts,
    draft: RwSignal<Choice>,
) -> impl IntoView {
    let input_id = format!("lcc-cat-{}", cat.id);
    let desc_id = format!("lcc-cat-{}-desc", cat.id);
    let (id, read_only) = (cat.id.clone(), cat.read_only);
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
    let services = (!cat.services.is_empty()).then(|| {
        let label = format!("{} ({})", t.show_services, cat.services.len());
        let items = cat
            .services
            .iter()
            .map(|s| service_view(s, cfg, t, draft, read_only))
            .collect_view();
        view! {
            <details class="lcc-services">
                <summary class="lcc-services__summary">{label}</summary>
                <ul class="lcc-services__list">{items}</ul>
            </details>
        }
    });
    view! {
        <section class="lcc-category" data-category=cat.id.clone()>
            <div class="lcc-category__head">
                <input type="checkbox" role="switch" class="lcc-switch" id=input_id.clone()
                    aria-describedby=desc_id.clone()
                    prop:checked=checked
                    disabled=read_only
                    on:change=on_change />
                <label class="lcc-category__title" for=input_id>{cat.title.clone()}</label>
                {badge}
            </div>
            <p id=desc_id class="lcc-category__text">{cat.description.clone()}</p>
            {services}
        </section>
    }
}

fn service_view(
    svc: &Service,
    cfg: &Arc<ConsentConfig>,
    t: &Texts,
    draft: RwSignal<Choice>,
    read_only: bool,
) -> impl IntoView {
    let input_id = format!("lcc-svc-{}", svc.id);
    let desc_id = format!("lcc-svc-{}-desc", svc.id);
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
    let cookies = (!svc.cookies.is_empty()).then(|| {
        let rows = svc
            .cookies
            .iter()
            .map(|k| {
                view! {
                    <tr>
                        <td><code>{k.name.clone()}</code></td>
                        <td>{k.purpose.clone()}</td>
                        <td>{k.duration.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="lcc-cookies">
                <caption class="lcc-sr-only">{format!("{}: {}", svc.title, t.cookie_name)}</caption>
                <thead><tr>
                    <th scope="col">{t.cookie_name.clone()}</th>
                    <th scope="col">{t.cookie_purpose.clone()}</th>
                    <th scope="col">{t.cookie_duration.clone()}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    view! {
        <li class="lcc-service" data-service=svc.id.clone()>
            <div class="lcc-service__head">
                <input type="checkbox" role="switch" class="lcc-switch" id=input_id.clone()
                    aria-describedby=desc_id.clone()
                    prop:checked=checked
                    disabled=read_only
                    on:change=on_change />
                <label class="lcc-service__title" for=input_id>{svc.title.clone()}</label>
            </div>
            <div id=desc_id class="lcc-service__text">
                <p>{svc.purpose.clone()}</p>
                <p>{format!("{} {}", t.provider, svc.provider)} " · "
                    <a class="lcc-link" href=svc.privacy_policy_url.clone() target="_blank" rel="noopener noreferrer">
                        {t.service_policy_label.clone()}
                    </a>
                </p>
            </div>
            {cookies}
        </li>
    }
}

fn target_checked(e: &ev::Event) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

fn active_element() -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .active_element()?
        .dyn_into()
        .ok()
}

/// The enabled, visible controls inside `root`, in tab order.
fn focusables(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let selector = "button:not([disabled]), input:not([disabled]), a[href], summary, [tabindex]:not([tabindex='-1'])";
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|el| el.offset_width() > 0 || el.offset_height() > 0)
        .collect()
}
