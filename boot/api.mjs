// window.CookieConsent: vanilla-cookieconsent v3's API, answered by leptos-consent.
//
// Questions (`acceptedCategory`, `validConsent`, `getUserPreferences`, …) are
// answered at once from the state in force: the boot script's reading of
// storage on a returning visit, then whatever the wasm UI publishes after each
// change. The answers come from logic.mjs, which decides as the Rust core does
// (shared table of cases). What changes something goes to the boot script's
// `forward`: once the decision code is here (a first visit's early banner, or
// `await run()`), it carries out a first decision and eraseCookies at once,
// and answers for any other decision at once (`hooks.fast`, decide.mjs); the
// UI (src/core/api.rs reads the call), loaded first if needed, stores it;
// calls made meanwhile are carried out in order once it is there.
//
// Events go out as vanilla-cookieconsent's (cc:onFirstConsent, cc:onConsent,
// cc:onChange, cc:onModalShow, cc:onModalHide), after the callbacks given to
// run(). Our own events from the UI are translated by events.mjs, which ships
// with the UI: a returning visitor's page view only needs onConsent.
import { alwaysOn, categoryGranted, lifetime, own, ownSet, service, serviceGranted, warn } from "./logic.mjs";

/** The page's window and document (one name each in the boot script's bundle). */
export const win = window;
export const doc = document;
const MODALS = { banner: "consentModal", preferences: "preferencesModal" };
const CALLBACKS = ["onFirstConsent", "onConsent", "onChange", "onModalShow", "onModalHide"];

let cfg; // the config object in force
let rec; // the trusted record, or undefined
let ask = true; // whether the visitor has yet to decide
let loadAnnounced = false;
let callbacks = {};
const visible = {};

// As vanilla-cookieconsent: the run() callback first, then the window event.
const emit = (name, detail) => {
  try {
    callbacks[name]?.(detail); // (run() keeps only functions)
  } catch (e) {
    console.error(e);
  }
  try {
    win.dispatchEvent(new CustomEvent("cc:" + name, { detail }));
  } catch {
    /* a host page that broke CustomEvent */
  }
};

const categories = () => (cfg && Array.isArray(cfg.categories) ? cfg.categories : []);
// The config in force, else the page's as read (`hooks.read`, set by the boot script before anything checked it).
const read = () => cfg || hooks.read;

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
    if (on && !alwaysOn(c)) optionalOn++;
    for (const s of c.services || []) (serviceGranted(cfg, rec, s.id) ? p.acceptedServices : p.rejectedServices)[c.id].push(s.id);
  }
  if (rec) p.acceptType = !optionalOn ? "necessary" : p.rejectedCategories.length ? "custom" : "all";
  return p;
}

/** vanilla-cookieconsent's cookie object, built from the record. */
function cookie() {
  if (!rec) return {};
  const p = preferences();
  return {
    categories: p.acceptedCategories,
    services: p.acceptedServices,
    revision: rec.rev,
    data: dataOf(),
    consentId: rec.id,
    consentTimestamp: new Date(rec.first).toISOString(),
    lastConsentTimestamp: new Date(rec.last).toISOString(),
    languageCode: own("documentElement").lang || "en",
    expirationTime: rec.last + lifetime(cfg),
  };
}

/**
 * vanilla-cookieconsent's cc_cookie, for server code written for it (the config's
 * `cookie_mirror`): the decision in force in `cookie()`'s shape, expiring with it; none (or
 * one too large for a cookie, which the browser would drop, keeping an older copy), removed.
 * Nothing reads it back.
 */
function mirror() {
  const m = cfg?.cookie_mirror;
  if (m)
    try {
      const c = rec?.id && !ask && cookie();
      let v = c && encodeURIComponent(JSON.stringify(c));
      if (v && v.length + m.name.length > 4000) (v = 0), warn(`cookie_mirror: the decision is over 4 KB as a cookie (its data): ${m.name} removed`);
      ownSet(
        "cookie",
        `${m.name}=${v ? v + "; Expires=" + new Date(c.expirationTime).toUTCString() : "; Max-Age=0"}; Path=${m.path || "/"}${m.domain ? "; Domain=" + m.domain : ""}; SameSite=Lax${location.protocol == "https:" ? "; Secure" : ""}`,
      );
    } catch {
      /* a document without cookies (sandboxed): nothing to keep */
    }
}

/** The site's data kept with the record (`setCookieData`), or null. */
const dataOf = () => {
  try {
    return JSON.parse(rec.data);
  } catch {
    return null;
  }
};

/** cc:onConsent once per page view for a visitor whose decision stands, once the page has its listeners. */
function announceLoad() {
  if (loadAnnounced || !rec || ask) return;
  loadAnnounced = true;
  const fire = () => emit("onConsent", { cookie: cookie() });
  // Once DOMContentLoaded has come: the page's deferred and module scripts, which a deferred
  // boot script runs ahead of, have their listeners and run() callbacks by then.
  const nav = performance.getEntriesByType("navigation")[0];
  if (own("readyState") === "loading" || (nav && !nav.domContentLoadedEventStart)) doc.addEventListener("DOMContentLoaded", fire, { once: true });
  else setTimeout(fire);
}

/**
 * Sets the state in force: the config object, the record text (or null) and
 * whether to ask. The text is one the core wrote or attested, never raw storage.
 */
export function setState(config, stored, prompt) {
  cfg = config;
  rec = stored == null ? undefined : JSON.parse(stored);
  ask = prompt || !rec;
  mirror();
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

/** What the event translation (events.mjs, shipped with the UI) needs from here. */
export const hooks = {
  emit,
  cookie,
  categories,
  modal,
  /**
   * A config the early banner's decision code vouched for: answers from it, with nothing
   * decided, unless a decision was made meanwhile (through the API, the UI, or the banner).
   */
  vouched: (config) => rec || setState(config, null, true),
  /** The record the answers come from (a decision on its way to the UI builds on it). */
  rec: () => rec,
  /**
   * A decision was stored: `r`, the record the early banner stored, or the one the UI will
   * store for a call on its way to it (answers come from it until the UI publishes); none, the UI's (its
   * lcc:consent event, which anyone can dispatch: the state is read again from the UI's
   * session through `pull`, never from the event). Returns whether it is the visitor's
   * first valid one.
   */
  decided(r) {
    const wasValid = rec && !ask;
    loadAnnounced = true;
    if (r) (rec = r), (ask = false), mirror();
    else hooks.pull?.();
    return !wasValid && !!rec && !ask;
  },
};

/**
 * Builds window.CookieConsent. `host.forward(method, args)` carries out a call
 * in the UI; `host.run(text)` starts with a config given as an object;
 * `host.load(src, attributes)` loads a script (vanilla-cookieconsent's `loadScript`);
 * `host.hide(name)` hides what the boot script drew itself and says whether
 * the UI is there or on its way (else there is nothing more to hide).
 */
export function createApi(host) {
  const forward = (method, args) => host.forward(method, args);
  const api = {
    run(config) {
      if (config && typeof config === "object") {
        callbacks = {};
        const plain = {};
        for (const k in config) {
          if (CALLBACKS.includes(k) && typeof config[k] === "function") callbacks[k] = config[k];
          else plain[k] = config[k];
        }
        return host.run(JSON.stringify(plain));
      }
      return host.run();
    },
    acceptedCategory: (name) => !!cfg && categoryGranted(cfg, rec, name),
    // As vanilla-cookieconsent: false, and nothing changes, without services to accept or a
    // category of the config that has services.
    // (The page's config as read serves before one is in force: only to say false.)
    acceptService: (services, category) =>
      read() && (!services || !(read().categories?.find?.((x) => x.id === category)?.services || []).length) ? false : forward("acceptService", [services, category]),
    // (A granted service is one the config has.)
    acceptedService: (id, category) => !!cfg && serviceGranted(cfg, rec, id) && service(cfg, id)[0].id === category,
    validConsent: () => !!rec && !ask,
    getUserPreferences: preferences,
    getCookie: (field) => (field ? cookie()[field] : cookie()),
    // A copy of the config (or one of its fields): the one in force, else the page's as read
    // (`hooks.read`, before anything has checked it). What the page changes in it changes nothing.
    getConfig: (field) => read() && JSON.parse(JSON.stringify(field ? read()[field] ?? null : read())),
    // Whether the page has a cookie of that name with a value (vanilla-cookieconsent's `validCookie`).
    validCookie: (name) =>
      own("cookie")
        .split(";")
        .some((p) => ((p = p.split("=")), p[0].trim() === name && p.slice(1).join("=").trim() !== "")),
    loadScript: host.load,
    // As vanilla-cookieconsent: `value` replaces the data, or with `mode: "update"` an object's
    // fields are merged in (a value of another type replaces only missing data). Kept with the
    // consent in force (none yet: false, and nothing kept), answered at once, stored by the UI.
    // Returns whether the data changed.
    setCookieData(props) {
      const { value, mode } = props || {};
      if (!rec || ask) return false;
      let data = rec.data === undefined ? undefined : dataOf();
      let set = mode != "update";
      if (set) data = value;
      else if (typeof data == typeof value && data && typeof data == "object") {
        for (const k in value) if (data[k] !== value[k]) (data[k] = value[k]), (set = true);
      } else if ((typeof data == typeof value || data == null) && data !== value) (data = value), (set = true);
      let text;
      try {
        text = set && JSON.stringify(data);
      } catch (e) {
        warn("CookieConsent.setCookieData: the value is not plain data (" + e + "); nothing changed");
      }
      // (Counted as the record stores it: escaped inside a JSON string, src/core/api.rs.)
      if (!text || new TextEncoder().encode(JSON.stringify(text)).length > 8192) return text && warn("CookieConsent.setCookieData: over 8 KB as stored; nothing changed"), false;
      rec = { ...rec, data: text };
      mirror();
      forward("setCookieData", [text]);
      return true;
    },
    // Resolves once the UI has switched (or found no words for it): whether it did.
    setLanguage: (lang, force) =>
      new Promise((resolve) => {
        lang = String(lang);
        win.addEventListener("lcc:language", (e) => e.detail.requested === lang && resolve(e.detail.ok));
        forward("setLanguage", [lang, force === true]);
      }),
  };
  // Hiding needs the UI only when it is there or on its way; reset(true) always does. It
  // forgets the decision at once, as vanilla-cookieconsent: no answer grants anything from
  // here on and storage no longer holds it (the UI, loaded for it, withdraws what it granted).
  for (const m of ["hide", "hidePreferences", "reset"])
    api[m] = (erase) => {
      erase = erase === true && m === "reset";
      if (erase && cfg) {
        rec = undefined;
        ask = true;
        mirror();
        try {
          localStorage.removeItem(cfg.storage_key || "lcc_consent");
        } catch {
          /* blocked storage: the UI reports it */
        }
      }
      return host.hide(m, erase) && forward(m, [erase]);
    };
  // The rest goes to `forward`: the decision code (a first visit) or the UI (src/core/api.rs reads the arguments).
  for (const m of ["show", "showPreferences", "acceptCategory", "eraseCookies"]) api[m] = (...args) => forward(m, args);
  return api;
}
