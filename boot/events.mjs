// The UI's window events (lcc:consent, lcc:change, lcc:modal) repeated as
// vanilla-cookieconsent's (cc:onFirstConsent, cc:onConsent, cc:onChange,
// cc:onModalShow, cc:onModalHide) for window.CookieConsent (api.mjs).
// Shipped inside leptos-consent.js with the UI: only the UI fires these, so a
// returning visitor's page view does not carry this code.

/** Starts translating; `h` is api.mjs's `hooks`. */
export function listen(h) {
  // Once per page view: the early banner starts it when it decides, the UI when it loads.
  if (h.on) return;
  h.on = 1;
  const win = window;
  let first = false;
  win.addEventListener("lcc:consent", (e) => {
    first = h.decided(); // (the state comes from the UI, not from the event)
    if (first) {
      h.emit("onFirstConsent", { cookie: h.cookie() });
      h.emit("onConsent", { cookie: h.cookie() });
    }
  });
  win.addEventListener("lcc:change", (e) => {
    // As vanilla-cookieconsent: the first decision is a consent, not a change.
    if (first) return void (first = false);
    const d = e.detail || {};
    const has = (list, id) => (list || []).includes(id);
    const changedServices = {};
    for (const c of h.categories()) {
      changedServices[c.id] = (c.services || []).map((s) => s.id).filter((id) => has(d.granted_services, id) || has(d.revoked_services, id));
    }
    h.emit("onChange", {
      cookie: h.cookie(),
      changedCategories: [...(d.granted_categories || []), ...(d.revoked_categories || [])],
      changedServices,
    });
  });
  win.addEventListener("lcc:modal", (e) => e.detail && h.modal(e.detail.modal, !!e.detail.open));
}
