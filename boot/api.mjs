// window.CookieConsent: vanilla-cookieconsent v3's API, answered by leptos-consent.
//
// Questions (`acceptedCategory`, `validConsent`, `getUserPreferences`, …) are
// answered at once from the state in force: the boot script's reading of
// storage on a returning visit, then whatever the wasm UI publishes after each
// change. The answers come from logic.mjs, which decides as the Rust core does
// (shared table of cases). Everything that changes something is forwarded to
// the UI (src/core/api.rs reads it), loading it first if needed; calls made
// meanwhile are carried out in order once it is there.
//
// Our own window events (lcc:consent, lcc:change, lcc:modal) are repeated as
// vanilla-cookieconsent's (cc:onFirstConsent, cc:onConsent, cc:onChange,
// cc:onModalShow, cc:onModalHide), and the callbacks given to run() are called.
import { categoryGranted, decodeRecord, serviceGranted } from "./logic.mjs";

const win = window;
const DAY_MS = 86400000;
const MODALS = { banner: "consentModal", preferences: "preferencesModal" };
const CALLBACKS = ["onFirstConsent", "onConsent", "onChange", "onModalShow", "onModalHide"];

let cfg; // the config object in force
let rec; // the trusted record, or undefined
let ask = true; // whether the visitor has yet to decide
let loadAnnounced = false;
let firstPending = false;
let callbacks = {};
const visible = {};

// As vanilla-cookieconsent: the run() callback first, then the window event.
const emit = (name, detail) => {
  const f = callbacks[name];
  if (typeof f === "function") {
    try {
      f(detail);
    } catch (e) {
      console.error(e);
    }
  }
  try {
    win.dispatchEvent(new CustomEvent("cc:" + name, { detail }));
  } catch {
    /* a host page that broke CustomEvent */
  }
};

const categories = () => (cfg && Array.isArray(cfg.categories) ? cfg.categories : []);

/** What the record in force grants, in vanilla-cookieconsent's shapes. */
function preferences() {
  const p = { acceptType: "", acceptedCategories: [], rejectedCategories: [], acceptedServices: {}, rejectedServices: {} };
  let optionalOn = 0;
  for (const c of categories()) {
    p.acceptedServices[c.id] = [];
    p.rejectedServices[c.id] = [];
    if (!rec) continue; // no decision yet: nothing accepted, nothing rejected
    const on = categoryGranted(cfg, rec, c.id);
    (on ? p.acceptedCategories : p.rejectedCategories).push(c.id);
    if (on && !c.read_only) optionalOn++;
    for (const s of c.services || []) (serviceGranted(cfg, rec, s.id) ? p.acceptedServices : p.rejectedServices)[c.id].push(s.id);
  }
  if (rec) p.acceptType = !optionalOn ? "necessary" : p.rejectedCategories.length ? "custom" : "all";
  return p;
}

/** vanilla-cookieconsent's cookie object, built from the record. */
function cookie() {
  if (!rec) return {};
  const p = preferences();
  const days = cfg.expires_after_days == null ? 182 : cfg.expires_after_days;
  return {
    categories: p.acceptedCategories,
    services: p.acceptedServices,
    revision: rec.rev,
    data: null,
    consentId: rec.id,
    consentTimestamp: new Date(rec.first).toISOString(),
    lastConsentTimestamp: new Date(rec.last).toISOString(),
    languageCode: document.documentElement.lang || "en",
    expirationTime: rec.last + days * DAY_MS,
  };
}

/** cc:onConsent once per page view for a visitor whose decision stands, once the page has its listeners. */
function announceLoad() {
  if (loadAnnounced || !rec || ask) return;
  loadAnnounced = true;
  const fire = () => emit("onConsent", { cookie: cookie() });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fire, { once: true });
  else setTimeout(fire);
}

/** Sets the state in force: the config object, the stored value (or null) and whether to ask. */
export function setState(config, stored, prompt) {
  cfg = config;
  rec = stored == null ? undefined : decodeRecord(stored);
  ask = prompt || !rec;
  announceLoad();
}

/** The wasm refused the config: nothing is granted, and no answer says otherwise. */
export function refuse() {
  cfg = undefined;
  rec = undefined;
  ask = true;
}

/** A modal of ours showed or hid. */
export function modal(name, open) {
  if (!!visible[name] === open) return;
  visible[name] = open;
  emit(open ? "onModalShow" : "onModalHide", { modalName: MODALS[name] });
}

/** Our events, repeated as vanilla-cookieconsent's. */
export function listen() {
  win.addEventListener("lcc:consent", (e) => {
    const wasValid = rec && !ask;
    rec = decodeRecord(JSON.stringify(e.detail));
    ask = !rec;
    loadAnnounced = true;
    firstPending = false;
    if (!wasValid && rec) {
      firstPending = true;
      emit("onFirstConsent", { cookie: cookie() });
      emit("onConsent", { cookie: cookie() });
    }
  });
  win.addEventListener("lcc:change", (e) => {
    if (firstPending) return void (firstPending = false);
    const d = e.detail || {};
    const changedCategories = [...(d.granted_categories || []), ...(d.revoked_categories || [])];
    const changedServices = {};
    for (const c of categories()) {
      changedServices[c.id] = (c.services || []).map((s) => s.id).filter((id) => (d.granted_services || []).includes(id) || (d.revoked_services || []).includes(id));
    }
    emit("onChange", { cookie: cookie(), changedCategories, changedServices });
  });
  win.addEventListener("lcc:modal", (e) => e.detail && modal(e.detail.modal, !!e.detail.open));
}

/**
 * Builds window.CookieConsent. `host.forward(method, args)` carries out a call
 * in the UI; `host.run(text)` starts with a config given as an object;
 * `host.hide(name)` hides what the boot script drew itself and says whether
 * the UI is there or on its way (else there is nothing more to hide).
 */
export function createApi(host) {
  const forward = (method, args) => host.forward(method, args);
  return {
    run(config) {
      if (config && typeof config === "object") {
        callbacks = {};
        const plain = {};
        for (const k in config) {
          if (CALLBACKS.includes(k) && typeof config[k] === "function") callbacks[k] = config[k];
          else plain[k] = config[k];
        }
        host.run(JSON.stringify(plain));
      } else host.run();
      return Promise.resolve();
    },
    show: () => forward("show", []),
    hide: () => host.hide("banner") && forward("hide", []),
    showPreferences: () => forward("showPreferences", []),
    hidePreferences: () => host.hide("preferences") && forward("hidePreferences", []),
    acceptCategory: (categories, exclude) => forward("acceptCategory", [categories, exclude]),
    acceptService: (services, category) => forward("acceptService", [services, category]),
    acceptedCategory: (name) => !!cfg && categoryGranted(cfg, rec, name),
    acceptedService: (service, category) =>
      !!cfg && serviceGranted(cfg, rec, service) && categories().some((c) => c.id === category && (c.services || []).some((s) => s.id === service)),
    validConsent: () => !!rec && !ask,
    validCookie: (name) => document.cookie.split(/;\s*/).some((c) => c.startsWith(name + "=") && c.length > name.length + 1),
    getUserPreferences: preferences,
    getCookie: (field) => (field ? cookie()[field] : cookie()),
    getConfig: (field) => (cfg ? (field ? cfg[field] : cfg) : undefined),
    eraseCookies(cookies, path, domain) {
      const present = document.cookie.split(/;\s*/).map((c) => c.split("=")[0]).filter(Boolean);
      const names = [].concat(cookies).flatMap((p) => (p instanceof RegExp ? present.filter((n) => p.test(n)) : [String(p)]));
      if (names.length) forward("eraseCookies", [names, path, domain]);
    },
    loadScript(src, attributes) {
      return new Promise((done) => {
        const s = document.createElement("script");
        for (const k in attributes || {}) s.setAttribute(k, attributes[k]);
        if (host.nonce) s.nonce = host.nonce;
        s.onload = () => done(true);
        s.onerror = () => done(false);
        s.src = src;
        document.head.appendChild(s);
      });
    },
    // One language per config for now: there is never another one to switch to.
    setLanguage: () => Promise.resolve(false),
    reset: (eraseCookie) => (eraseCookie || host.hide("banner")) && forward("reset", [!!eraseCookie]),
  };
}
