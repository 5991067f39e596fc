// leptos-consent-banner.js: the first layer, drawn while the wasm UI loads.
//
// Loaded by the boot script only when the visitor must be asked, in parallel
// with the stylesheet, so a returning visitor never downloads it. It decides
// nothing: a press is handed to the boot script, which passes it to the UI
// (the UI validates the config first and carries the press out). The UI
// replaces this banner with its own, identical one, in the same frame.
import { BANNER_TEXTS, gpcLocked, safeUrl } from "./logic.mjs";

const doc = document;

const element = (tag, attrs, ...children) => {
  const el = doc.createElement(tag);
  for (const k in attrs) el.setAttribute(k, attrs[k]);
  el.append(...children); // strings become text nodes: config text is never parsed as HTML
  return el;
};

/**
 * Draws the banner for `cfg` and returns its root. It shows once `link` (the
 * stylesheet) has loaded, if `host.shown()` agrees; `host.press(action)` takes
 * a button press and says whether it is the first one.
 */
export function firstLayer(cfg, link, host) {
  const given = cfg.texts || {};
  const t = {};
  for (const k in BANNER_TEXTS) t[k] = typeof given[k] === "string" && given[k] ? given[k] : BANNER_TEXTS[k];
  const text = element("p", { id: "lcc-boot-text", class: "lcc-banner__text" }, t.banner_description);
  if (safeUrl(cfg.privacy_policy_url)) {
    text.append(" ", element("a", { class: "lcc-link", href: cfg.privacy_policy_url }, t.privacy_policy_label));
  }
  const body = element("div", { class: "lcc-banner__body" }, element("h2", { id: "lcc-boot-title", class: "lcc-banner__title" }, t.banner_title), text);
  // Global Privacy Control: what stays off, said before the visitor chooses (as the UI's banner).
  const locked = gpcLocked(cfg, navigator.globalPrivacyControl).map((c) => c.title);
  if (locked.length) {
    body.append(element("p", { class: "lcc-banner__gpc", "data-testid": "lcc-gpc-note" }, t.gpc_note.split("{categories}").join(locked.join(", "))));
  }
  const button = (id, label, action) => {
    const b = element("button", { type: "button", class: "lcc-btn", "data-testid": id }, label);
    b.onclick = () => host.press(action) && b.setAttribute("aria-busy", "true");
    return b;
  };
  const banner = element(
    "section",
    { class: "lcc-banner", role: "region", "aria-labelledby": "lcc-boot-title", "aria-describedby": "lcc-boot-text", "data-testid": "lcc-banner", hidden: "" },
    body,
    element(
      "div",
      { class: "lcc-banner__actions" },
      button("lcc-accept-all", t.accept_all, "banner:accept-all"),
      button("lcc-reject-all", t.reject_all, "banner:reject-all"),
      button("lcc-manage", t.manage, "banner:manage"),
    ),
  );
  const root = element("div", { class: "lcc-root", id: "lcc-boot" }, banner);
  // Shown once styled and placed: an unstyled banner would shift the page.
  let styled = !!link.sheet;
  const show = () => styled && root.isConnected && host.shown() && (banner.hidden = false);
  const ready = () => ((styled = true), show());
  link.addEventListener("load", ready);
  link.addEventListener("error", ready);
  // Placed as soon as the parser has made <body>.
  const place = () => doc.body && (doc.body.appendChild(root), show(), true);
  if (!place()) {
    const wait = new MutationObserver(() => place() && wait.disconnect());
    wait.observe(doc.documentElement, { childList: true });
  }
  return root;
}
