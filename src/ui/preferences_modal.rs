//! The second layer: one switch per category, expandable services with their
//! own switches and cookie tables; Accept all, Reject all and Save.

use leptos::ev;
use leptos::html::Dialog;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

use crate::core::Choice;
use crate::core::Source;
use crate::ui::{choice_actions, choice_list, in_language, ConsentContext};

/// The preferences modal. A real modal dialog: focus moves in and is kept
/// inside; Escape or the close button close it without saving and return
/// focus to whatever opened it. It opens showing the stored choice.
///
/// It opens through the context (`use_consent().open_preferences`, the
/// banner's Manage, a `data-cc` trigger), or through `open` when given:
///
/// ```
/// use leptos::prelude::*;
/// use leptos_consent::ui::PreferencesModal;
///
/// #[component]
/// fn Settings() -> impl IntoView {
///     let open = RwSignal::new(false);
///     view! {
///         <button on:click=move |_| open.set(true)>"Cookie settings"</button>
///         <PreferencesModal open=open/>
///     }
/// }
/// # let _ = Settings;
/// ```
#[component]
pub fn PreferencesModal(
    /// Extra classes for the dialog element.
    #[prop(optional, into)]
    class: MaybeProp<String>,
    /// Whether the modal is open, controlled: setting it opens or closes the
    /// modal, and it is set back whenever the modal opens or closes otherwise
    /// (Escape, a save, a trigger).
    #[prop(optional, into)]
    open: Option<RwSignal<bool>>,
) -> impl IntoView {
    let ctx = ConsentContext::expect();
    if let Some(open) = open {
        // The signal drives the modal (from its first change, or at once if it starts open).
        Effect::new(move |was: Option<bool>| {
            let now = open.get();
            if was.is_some() || now {
                if now {
                    ctx.open_preferences();
                } else {
                    ctx.close_preferences();
                }
            }
            now
        });
        // And follows it, however it opened or closed.
        Effect::new(move |_| {
            let now = ctx.preferences_open().get();
            if open.get_untracked() != now {
                open.set(now);
            }
        });
    }
    in_language(ctx, move || {
        let (lang, dir) = ctx.lang_dir();
        let cfg = ctx.config();
        let t = cfg.texts.clone();
        let draft = ctx.modal_draft();
        let dialog = NodeRef::<Dialog>::new();
        // (An `Option` around the wrapper: a server thread never creates or drops an element.)
        let opener = StoredValue::new(None::<SendWrapper<web_sys::HtmlElement>>);

        let effect_cfg = cfg.clone();
        Effect::new(move |_| {
            let open = ctx.preferences_open().get();
            let Some(d) = dialog.get() else { return };
            if open && !d.open() {
                draft.set(Choice::from_record(&effect_cfg, ctx.record().get_untracked().as_ref()));
                opener.set_value(active_element().map(SendWrapper::new));
                if d.show_modal().is_err() {
                    d.set_open(true);
                }
                // A modal the page's CSS hides (a cosmetic filter) would leave the page inert
                // behind something nobody can see: close it and tell the site owner.
                if hidden_by_page(&d) {
                    d.close();
                    crate::web::report(
                    "the preferences dialog is hidden by the page's CSS (an ad blocker's filter?); closed so the page stays usable",
                );
                    return;
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
            if let Some(el) = opener.try_update_value(Option::take).flatten() {
                if el.is_connected() {
                    let _ = el.focus();
                }
            }
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

        let categories = choice_list(&cfg, draft, "lcc");

        let look = format!("lcc-modal {}", cfg.appearance.scheme_class());
        let class = move || match class.get() {
            Some(extra) => format!("{look} {extra}"),
            None => look.clone(),
        };
        // A word with no translation in the language shown says its own (WCAG 3.1.2).
        let [(title_lang, title_dir), (text_lang, text_dir)] =
            ["preferences_title", "preferences_description"].map(|k| cfg.word_language(k));
        view! {
            <div class="lcc-root">
                <dialog lang=lang dir=dir
                    node_ref=dialog
                    class=class
                    aria-labelledby="lcc-prefs-title"
                    aria-describedby="lcc-prefs-text"
                    data-testid="lcc-preferences"
                    on:close=on_close
                    on:keydown=on_keydown
                >
                    <div class="lcc-modal__header">
                        <h2 id="lcc-prefs-title" class="lcc-modal__title" lang=title_lang dir=title_dir>{t.preferences_title.clone()}</h2>
                        <button type="button" class="lcc-close" aria-label=t.close.clone() title=t.close.clone()
                            data-testid="lcc-close" on:click=move |_| ctx.close_preferences()>
                            <span aria-hidden="true">"×"</span>
                        </button>
                    </div>
                    <div class="lcc-modal__body">
                        <p id="lcc-prefs-text" class="lcc-modal__text" lang=text_lang dir=text_dir>{t.preferences_description.clone()}</p>
                        {categories}
                    </div>
                    {choice_actions(ctx, draft, "lcc-modal__actions", ["lcc-prefs-accept-all", "lcc-prefs-reject-all", "lcc-save"], Source::Modal)}
                </dialog>
            </div>
        }
    })
}

fn active_element() -> Option<web_sys::HtmlElement> {
    web_sys::window()?.document()?.active_element()?.dyn_into().ok()
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

/// Whether an open element renders nothing the visitor can see.
fn hidden_by_page(el: &web_sys::HtmlElement) -> bool {
    if el.offset_width() == 0 && el.offset_height() == 0 {
        return true;
    }
    web_sys::window()
        .and_then(|w| w.get_computed_style(el).ok().flatten())
        .and_then(|style| style.get_property_value("visibility").ok())
        .is_some_and(|v| v == "hidden")
}
