// leptos-consent-banner.js: the first layer, drawn while the wasm UI loads.
//
// Loaded by the boot script only when the visitor must be asked, in parallel
// with the stylesheet, so a returning visitor never downloads it. On a first
// visit (`host.el`), Accept all and Reject all are carried out without the UI,
// by leptos-consent-decide.js (decide.mjs), which is fetched once the banner
// shows (so it does not delay it) and first makes sure the core accepts the
// config (checked ahead of time, or vouched for by valid.mjs); the UI is loaded
// only for Manage, or at once for a config nothing vouches for. Otherwise it
// decides nothing: a press is handed to the boot script, which passes it to
// the UI (the UI validates the config first and carries the press out). The
// UI replaces this banner with its own, identical one, in the same frame.
import { BUILT_IN_LANGUAGES, chooseLanguage, gpcLocked, isRtl, normLang, own, safeUrl } from "./logic.mjs";
import { appearance } from "./appearance.mjs";
import { warm } from "./choices.mjs";
import { bannerWords } from "./words.mjs";
import { storageKeys } from "./plans.mjs";

const doc = document;

const element = (tag, attrs, ...children) => {
  const el = doc.createElement(tag);
  for (const k in attrs) el.setAttribute(k, attrs[k]);
  el.append(...children); // strings become text nodes: config text is never parsed as HTML
  return el;
};

/** The built-in words of `lang` from the distribution, or undefined (English is built in). */
const fetchWords = (base, lang) =>
  lang === "en" || !BUILT_IN_LANGUAGES.includes(lang)
    ? Promise.resolve()
    : fetch(base + "i18n/" + lang + ".json")
        .then((r) => (r.ok ? r.json() : undefined))
        .catch(() => undefined);

/**
 * Draws the banner for `cfg` and returns its root. It shows once `link` (the
 * stylesheet) has loaded and the words of the visitor's language are there,
 * if `host.shown()` agrees; `host.press(action)` takes a button press and
 * says whether it is the first one. `host.base` is the distribution's folder.
 */
export function firstLayer(cfg, link, host) {
  // A config no one has checked yet may not even have the shape of one: then the UI
  // checks it, reports what is wrong, and shows the visitor what it can.
  try {
    const root = element("div", { class: "lcc-root", id: "lcc-boot" });
    const lang = chooseLanguage(cfg, own("documentElement").getAttribute("lang"), navigator.languages || [navigator.language]);
    const d = normLang(cfg.default_language || "en");
    Promise.all([fetchWords(host.base, d), lang === d ? undefined : fetchWords(host.base, lang)])
      .then(([dw, lw]) => draw(cfg, root, link, host, lang, bannerWords(cfg, lang, dw, lw)))
      .catch(() => host.press());
    return root;
  } catch (e) {
    host.press();
    throw e; // (the boot script reports it)
  }
}

function draw(cfg, root, link, host, lang, { t, title, from }) {
  if (host.gone()) return;
  // A word with no translation in the language shown says its own (WCAG 3.1.2), as the UI's.
  const inOwn = (k) => (from[k] ? { lang: from[k], dir: isRtl(from[k]) ? "rtl" : "ltr" } : {});
  const text = element("p", { id: "lcc-boot-text", class: "lcc-banner__text" }, element("span", inOwn("banner_description"), t.banner_description));
  if (safeUrl(cfg.privacy_policy_url)) {
    text.append(" ", element("a", { class: "lcc-link", href: cfg.privacy_policy_url }, t.privacy_policy_label));
  }
  const body = element("div", { class: "lcc-banner__body" }, element("h2", { id: "lcc-boot-title", class: "lcc-banner__title", ...inOwn("banner_title") }, t.banner_title), text);
  // Global Privacy Control: what stays off, said before the visitor chooses (as the UI's banner).
  const locked = gpcLocked(cfg, navigator.globalPrivacyControl).map(title);
  if (locked.length) {
    body.append(element("p", { class: "lcc-banner__gpc", "data-testid": "lcc-gpc-note" }, t.gpc_note.split("{categories}").join(locked.join(", "))));
  }
  const look = appearance(cfg.appearance);
  let done; // decided (here or in another tab): the banner stays hidden
  let deciding; // a press is being carried out here
  let checked; // the decision code, once it has found the config one the core accepts
  const quick = host.el && host;
  let decision;
  /** The code that carries a first-layer choice out without the UI (decide.mjs), fetched once. */
  const decider = () => (decision ||= import(host.base + "leptos-consent-decide.js"));
  /** A decision stands: the banner goes for good, and with it the room kept for it. */
  const settle = () => {
    done = 1;
    banner.hidden = true;
    fit();
  };
  /** window.CookieConsent's onModalHide: after a decision's events, as the UI and vanilla-cookieconsent do. */
  const closed = () => quick.hooks.modal("banner", false);
  if (quick) {
    // A decision made in another tab meanwhile: the banner goes, and the boot script starts
    // again on it (running what it grants, or handing it to the UI while it is not attested).
    const key = storageKeys(cfg);
    const elsewhere = (e) => {
      if (!done && (e.key === key.record || e.key === key.marker) && localStorage.getItem(key.record) != null) {
        settle();
        closed();
        quick.decided(quick.el);
      }
    };
    addEventListener("storage", elsewhere);
    // Back from the back/forward cache (a storage event may not have reached a frozen page).
    addEventListener("pageshow", (e) => e.persisted && elsewhere({ key: key.record }));
  }
  // "Preferences saved" for screen readers, as the UI's ConsentStatus (in place before it changes).
  const status = element("div", { class: "lcc-sr-only", role: "status", "aria-live": "polite", "data-testid": "lcc-status" });
  const button = (id, key, action) => {
    const b = element("button", { type: "button", class: "lcc-btn", "data-testid": id, ...inOwn(key) }, t[key]);
    const accept = action == "banner:accept-all";
    /** The press goes to the UI (which validates the config and carries it out). */
    const toUi = () => {
      if (done || !host.press(action)) return;
      b.setAttribute("aria-busy", "true");
      if (accept) warm(doc, cfg, navigator.globalPrivacyControl);
    };
    b.onclick = () => {
      if (!quick || action == "banner:manage") return toUi();
      if (deciding) return;
      // Checked already: decided in the task of the press, as vanilla-cookieconsent does.
      if (checked) return !done && checked.decideNow(cfg, accept, quick, closed) ? (settle(), (status.textContent = t.saved)) : toUi();
      deciding = 1;
      // (What Accept all grants starts downloading when the choice is stored and the boot script
      // releases it: fetching it here as well would lengthen the press's task; bench/notes.md.)
      decider()
        .then((m) => !done && m.decide(cfg, accept, quick, closed))
        .catch(() => 0) // (not loaded: the UI carries the press out)
        .then((ok) => {
          deciding = 0;
          if (!ok) return toUi();
          settle(); // (closed() comes with the decision's events)
          status.textContent = t.saved;
        });
    };
    // Manage opens the UI's preferences: start fetching it on the way there.
    if (quick && action == "banner:manage") b.onpointerenter = b.onfocus = quick.warm;
    return b;
  };
  const banner = element(
    "section",
    {
      class: look.banner + " " + look.scheme,
      role: "region",
      "aria-labelledby": "lcc-boot-title",
      "aria-describedby": "lcc-boot-text",
      "data-testid": "lcc-banner",
      lang,
      dir: isRtl(lang) ? "rtl" : "ltr",
      hidden: "",
    },
    body,
    element(
      "div",
      { class: "lcc-banner__actions" },
      button("lcc-accept-all", "accept_all", "banner:accept-all"),
      button("lcc-reject-all", "reject_all", "banner:reject-all"),
      button("lcc-manage", "manage", "banner:manage"),
    ),
  );
  root.append(banner, status);
  // Once on screen, from the frame after the one that shows it (that frame, often the page's
  // own first layout, then runs no script of ours: a script in it makes the whole frame one
  // long task): the room kept for the banner follows its size (fit), and the code that
  // carries the choice out is fetched, before any press (starting a fetch costs the main
  // thread measurable time on a slow CPU, which the task that draws the banner does not pay;
  // bench/notes.md).
  // The decision code first makes sure the core accepts the config (checked ahead of time, or
  // vouched for by valid.mjs); then Accept all and Reject all are decided here (data-quick) and
  // window.CookieConsent answers from it. Otherwise, or if that code cannot load, the UI comes
  // once the banner is on screen, checks the config and takes over.
  let verdict;
  const check = () =>
    (verdict ||= decider()
      .then((m) => m.accepted(quick.el, cfg, host.base).then((ok) => ok && m))
      .catch(() => 0)
      .then((m) => {
        if (m) {
          checked = m;
          root.setAttribute("data-quick", "");
          // (No state over a decision made meanwhile: here, in another tab, through the API or the UI.)
          if (!deciding && !done) quick.hooks.vouched(cfg);
          // A decision through window.CookieConsent (acceptCategory, acceptService) is carried
          // out here too, at once, as a press on the banner is; the UI takes what this cannot.
          // (eraseCookies too, which decides nothing.)
          quick.hooks.fast = (method, args, late) =>
            method == "eraseCookies"
              ? m.erase(args)
              : m.apiDecide(cfg, method, args, quick, closed, !late && !done && !deciding) && (settle(), (status.textContent = t.saved), 1);
          quick.hooks.ready?.();
        }
        return !!m;
      }));
  const onScreen = () => {
    if (typeof ResizeObserver == "function") new ResizeObserver(fit).observe(banner);
    // (Not for a banner hidden through the API meanwhile: the UI comes when something needs it.)
    if (quick) check().then((ok) => ok || done || root.hidden || host.press());
  };
  // A banner that does not come on screen (hidden through the API, by the page's style or an
  // ad blocker) has its config checked all the same; the UI comes when something needs it.
  if (quick) setTimeout(check, 1000);
  if (typeof IntersectionObserver == "function") {
    const io = new IntersectionObserver((es) => es.some((e) => e.isIntersecting) && (io.disconnect(), onScreen()));
    io.observe(banner);
  } else onScreen();
  // Shown once styled and placed: an unstyled banner would shift the page.
  let styled = !!link.sheet;
  const show = () => styled && !done && root.isConnected && host.shown() && (banner.hidden = false);
  const ready = () => ((styled = true), show());
  link.addEventListener("load", ready);
  link.addEventListener("error", ready);
  // Placed as soon as the parser has made <body>.
  // (The document's own body: an <img name="body"> in the page is not it.)
  const place = (body = own("body")) => body && (body.appendChild(root), show(), true);
  if (!place()) {
    const wait = new MutationObserver(() => place() && wait.disconnect());
    wait.observe(own("documentElement"), { childList: true });
  }
}

/**
 * Keeps the page's focused element clear of the banners (WCAG 2.4.11), as the
 * UI's `web::fit` does: scroll padding on the edge a visible banner covers, and
 * a spacer after everything so the page's last lines can scroll above a bottom
 * banner (nothing already on the page moves).
 */
function fit() {
  const view = innerHeight;
  let top = 0;
  let bottom = 0;
  for (const el of doc.querySelectorAll(".lcc-root .lcc-banner:not([hidden])")) {
    const r = el.getBoundingClientRect();
    if (r.height <= 0) continue;
    if (r.top + r.height / 2 > view / 2) bottom = Math.max(bottom, view - r.top);
    else top = Math.max(top, r.bottom);
  }
  const px = (v) => Math.ceil(v) + "px";
  const style = own("documentElement").style;
  for (const [p, v] of [["scroll-padding-top", top], ["scroll-padding-bottom", bottom]]) {
    v > 0 ? style.setProperty(p, px(v)) : style.removeProperty(p);
  }
  let space = doc.getElementById("lcc-space");
  if (!(bottom > 0)) return space && space.remove();
  if (!space) (space = doc.createElement("div")).id = "lcc-space";
  space.setAttribute("aria-hidden", "true");
  space.style.height = px(bottom);
  const body = own("body");
  if (body && body.lastElementChild !== space) body.appendChild(space);
}
