// leptos-consent boot script: with the first-layer hint (boot/hint.html), the only code a
// returning visitor's page view needs.
//
// Loaded with one classic <script defer> tag in the page head (the first-layer hint,
// boot/hint.html, follows it and, when something is stored, writes a copy of the tag that
// runs in the head). It reads the stored decision and, when it stands (a current record
// under a config text the wasm has validated before), runs the granted tag scripts: while
// the page parses when it runs in the head (that copy, a tag without defer, or the
// script pasted into the page), else once the page is parsed.
// On a first visit under a config the core has checked (the page's
// data-checked stamp, or an earlier page view here), the early banner carries
// out Accept all and Reject all itself (decide.mjs) and this script then starts
// again on what it stored. Everything else (Manage, a stale or unreadable
// record, blocked storage, a click on "Cookie settings", a decision made in
// another tab, the preference-center page) hands over to the wasm UI, loaded on
// demand from the same folder. After the hand-over the wasm owns the page;
// this script stops.
import { createApi, doc, hooks, modal, refuse, setState, win } from "./api.mjs";
import { consentModeUpdate, fetchAttrs, fingerprint, gate, own, gpcConflict, serviceFetchAttrs, serviceScripts, settled, stampOf, stands, warn } from "./logic.mjs";

// This script's own element, as the document knows it: never an element the page's markup
// names "currentScript" (an injected <img name="currentScript" src="https://other.example/">
// would otherwise choose where the code below is loaded from).
const me = own("currentScript");
// The distribution's folder: this script's own, or for the script pasted into the page, its data-base
// (a URL or a path from the site root: import() takes no bare "dist/").
const base = (me && (me.src ? me.src.replace(/[^/]*$/, "") : me.dataset.base)) || "/";
// With a nonce, the page's scripts carry it (Content-Security-Policy): so must its config
// element and every placeholder this script runs. One injected into the page has none.
const nonce = (me && me.nonce) || "";
const GATED = 'script[type="text/plain"][data-category]:not([data-lcc-state])';

let handedOver = false;
let uiModule;
let observer;
let active; // the stored value this page view runs under
const seen = new WeakSet();
// What downloading this page view's granted external classic tags takes (src and
// `fetchAttrs`): kept with the attestation, so that the next page view under the same record
// and config (so with the same verdicts) starts their downloads at once.
const tags = [];
// Run as the page is handed over to the UI: this script's listeners go, and what the early
// banner's decision left for later (decide.mjs `afterReleased`) is done first.
const cleanups = [];

const on = (target, type, fn, opts) => {
  target.addEventListener(type, fn, opts);
  cleanups.push(() => target.removeEventListener(type, fn, opts));
};

const toHead = (el) => (own("head") || own("documentElement")).appendChild(el);

/**
 * Adds one of the distribution's stylesheets to the page: the early banner's
 * (leptos-consent-banner.css, what the first layer uses) or the UI's
 * (leptos-consent.css, all of it). Each caller runs once per page view.
 */
const stylesheet = (name) => toHead(Object.assign(doc.createElement("link"), { rel: "stylesheet", href: base + name, nonce }));

/** Starts fetching the UI (stylesheet, glue and wasm) without running it. */
function warm() {
  if (!uiModule) {
    stylesheet("leptos-consent.css");
    const wasm = doc.createElement("link");
    wasm.rel = "preload";
    wasm.as = "fetch";
    wasm.crossOrigin = "anonymous";
    wasm.href = base + "leptos-consent_bg.wasm";
    toHead(wasm);
    uiModule = import(base + "leptos-consent.js");
  }
  return uiModule;
}

// window.CookieConsent calls that wait for the UI, and the UI's function that carries them out.
const calls = [];
let uiCall;

let ui; // the UI's JS module (ui.mjs), once loaded

/** What the wasm UI connects to (src/embed: `connect`). */
const bridge = {
  base, // where i18n/ is
  // `call` carries out an API call; `pull` publishes the session's state (`state`) at once.
  attach(call, pull) {
    hooks.pull = pull;
    uiCall = (method, args) => ui.send(call, method, args);
    calls.splice(0).forEach(([m, a]) => uiCall(m, a));
    hooks.ready?.();
  },
  // The config text the wasm validated (so it parses), the record in force, whether to ask.
  state: (text, stored, prompt) => setState(JSON.parse(text), stored, prompt),
  refused() {
    uiFailed = true; // (nothing can be decided: no early banner either)
    hooks.ready?.();
    refuse();
    modal("banner", false);
    calls.length = 0;
  },
};

/**
 * Carries out an API call in the UI, loading the UI first if it is not there. The decision
 * code, once here (`hooks.fast`, decide.mjs), carries out a first decision at once (unless the
 * UI is on its way: `late`) and answers for any other at once while the UI comes to store it.
 */
function forward(method, args) {
  if (uiCall) return uiCall(method, args);
  if (hooks.fast?.(method, args, handedOver)) return;
  calls.push([method, args]);
  handOver(active);
}

/**
 * Hands the page over to the wasm UI. `previous` is the stored value this page
 * view ran under (the UI applies what changed since, withdrawal included);
 * `action` is a `data-cc` trigger that was clicked before the UI was there.
 */
function handOver(previous, action) {
  if (handedOver) return;
  handedOver = true;
  observer?.disconnect();
  cleanups.forEach((f) => f());
  // A released script still downloading never runs here: it moves to a document of its own
  // (HTML runs a script only in the document it was prepared in; the parser goes on). A
  // placeholder takes its place again, for the UI to run if it still stands.
  for (const el of unrun) {
    if (el.dataset.category) {
      const ph = el.cloneNode();
      ph.type = "text/plain";
      ph.removeAttribute("data-lcc-state");
      el.before(ph);
    }
    new Document().adoptNode(el);
  }
  warm()
    .then((m) => {
      ui = m;
      m.listen(hooks);
      // Read by the wasm's main when it starts, after the download: a press made meanwhile counts.
      // (`config`: the element this script started on, or the one it would take; null for none:
      // the UI takes no other. `nonce`: this script's, which the UI's scripts carry too.)
      win.__lccHandOver = () => ({ previous, action: pending || action, bridge, config: config || findConfig() || null, nonce });
      return m.default({ module_or_path: base + "leptos-consent_bg.wasm" });
    })
    .catch((e) => {
      // Nothing can be decided without the UI: the early banner goes (no button may
      // look as if it worked), nothing optional runs, and the site owner is told.
      early?.remove();
      modal("banner", false);
      pending = undefined;
      calls.length = 0;
      uiFailed = true;
      hooks.ready?.();
      warn("the UI could not load (" + e + "): nothing optional runs");
      // A trigger pressed meanwhile goes where its own link points (from now on, triggers are links again).
      if (via) location.assign(via);
    });
}

// Across every activation of this page view: the page's tags execute in the order they
// were found (document order). One with no tag ahead of it still to run is released as
// found (`release`: while the page parses, the parser runs it where it stands), and so is
// an external one once the page is parsed (the browser runs released external scripts in
// the order released); any other once the external ones released before it have run (`later`).
// A hand-over (a withdrawal in another tab) stops what has not run: the UI then runs what
// still stands.
let chain = Promise.resolve();
let running = []; // released external tags not waited for yet: whether each ran
const unrun = new Set(); // released external scripts that have not run yet
let ahead = 0; // how many of them are the page's tags (a configured service's script keeps no place in the page)
let queued = 0; // tags waiting for their turn

/** Starts downloading a classic script that runs later. */
function preload(el) {
  const l = doc.createElement("link");
  l.rel = "preload";
  l.as = "script";
  l.href = el.src;
  for (const [k, v] of fetchAttrs(el)) l.setAttribute(k, v);
  l.nonce = nonce;
  l.onload = l.onerror = () => l.remove();
  toHead(l);
}

/** A failed load: the page is told once, the next page view tries again. */
function loadFailed(src) {
  warn(src + " failed to load"); // (retried on the next page view)
  win.dispatchEvent(new CustomEvent("lcc:script-error", { detail: { src } }));
}

/**
 * An external script released, until it has run; a tag (`page`) in the order released,
 * and what comes after waits for it. One that fails to load is inert again.
 */
function track(el, page) {
  unrun.add(el);
  ahead += page;
  el.async = !page;
  // (Counted off in the microtask checkpoint after its load event: before the parser goes on.)
  const ran = settled(el).then((ok) => (unrun.delete(el), (ahead -= page), ok || ((el.type = "text/plain"), loadFailed(el.src))));
  if (page) running.push(ran);
  return ran;
}

/**
 * Runs a granted placeholder as the script it holds (`type`: its data-type),
 * where it stands. One the parser has not finished yet is then run by the
 * parser like any script of the page (an external one blocking it until it
 * has run), and the mutation observer below sees every script before the
 * parser runs it (HTML performs a microtask checkpoint first): so a tag runs
 * while the page parses, as it would without a consent manager. It also gets
 * an empty text child (inline) or its src again, which runs it if the parser
 * is past it (a script the parser does not own runs on either; one it owns,
 * only at its end tag): it runs exactly once either way.
 */
function release(ph, type) {
  ph.setAttribute("data-lcc-state", "done");
  if (!ph.isConnected) return; // taken out of the page meanwhile
  type ? ph.setAttribute("type", type) : ph.removeAttribute("type");
  if (ph.src) {
    const src = ph.getAttribute("src");
    const ran = track(ph, 1);
    ph.removeAttribute("src");
    ph.setAttribute("src", src);
    return ran;
  }
  ph.append("");
}

/**
 * Releases a tag once the external ones released before it have run (in the microtask
 * checkpoint after the last one's load event: before the browser runs the next external
 * one) and the ones queued before it; what is queued after an external one waits till it
 * has run (it downloads meanwhile).
 */
function later(ph, type) {
  const before = running.splice(0);
  if (ph.src && !type) preload(ph);
  queued++;
  chain = chain
    .then(() => Promise.all(before))
    .then(() => {
      queued--;
      return handedOver || release(ph, type);
    });
}

/** A script element with these attributes. */
function live(attrs) {
  const el = doc.createElement("script");
  for (const [k, v] of attrs) el.setAttribute(k, v);
  el.nonce = nonce;
  return el;
}

const services = new Set(); // "service src" of configured service scripts queued

/** Activates the page's gated tags the record grants that have not run yet (nothing once handed over: the UI's to run). */
function activate(cfg, record) {
  if (handedOver) return;
  for (const ph of doc.querySelectorAll(GATED)) {
    if (seen.has(ph)) continue;
    const type = ph.getAttribute("data-type");
    seen.add(ph);
    // (Under a nonce, one without it is not the page's: it runs no more than an injected <script>.)
    const verdict = nonce && ph.nonce !== nonce ? "it lacks the nonce of the page's scripts" : gate(cfg, record, ph.getAttribute("data-category"), ph.getAttribute("data-service"));
    if (typeof verdict === "string") {
      warn((ph.src || "inline script") + " never runs: " + verdict);
    } else if (verdict) {
      // A classic one is kept for the next page view, which may be elsewhere (src resolved).
      if (ph.src && !type) tags.push([["src", ph.src], ...fetchAttrs(ph)]);
      // Released now if no tag ahead of it still has to run, or, once the page is parsed, if
      // it is external (the browser runs those in the order released; while the page parses,
      // the parser would run it, ahead of any released before). (One whose text is still
      // arriving is then run by the parser, at its end.) Marked when released: one the boot
      // script never released is the UI's to run.
      !(queued || ahead) || (ph.src && own("readyState") != "loading") ? release(ph, type) : later(ph, type);
    }
  }
}

// A first-layer button pressed before the UI arrived: the UI carries it out on arrival.
let pending;
// CookieConsent.hide() before the UI arrived.
let hidden = false;
let early; // the first layer drawn here, until the UI replaces it

/**
 * Draws the first layer while the UI loads (leptos-consent-banner.js, fetched
 * alongside the stylesheet), so the banner paints with the page.
 */
function firstLayer(cfg, quick) {
  const link = stylesheet("leptos-consent-banner.css");
  import(base + "leptos-consent-banner.js")
    .then((m) => {
      // (The UI there by now, or never: `gone` stops the drawing.)
      early = m.firstLayer(cfg, link, {
        base,
        gone: () => uiCall || uiFailed, // the UI is there (it draws the banner itself), or never will be
        press: (action) => !pending && ((pending = action), handOver(), 1),
        shown: () => !hidden && (modal("banner", true), 1),
        ...firstVisit(quick),
      });
    })
    // No early banner: the site owner is told; the UI draws the banner when it comes (under
    // a checked config, which needs no UI to ask, only once the visitor opens the settings).
    .catch(warn);
}

/**
 * What the decision code (decide.mjs) needs of this script on a first visit (`el`: the config
 * element): Accept all and Reject all, and the API's decisions, are carried out there without
 * the UI; then this script starts again on what was stored, as for a returning visitor.
 */
const firstVisit = (el) => ({ base, el, hooks, warm, decided: boot, beforeUi: cleanups, late: () => handedOver });

/**
 * A first visit with auto_show false: no banner, but the API's decisions are carried out at
 * once, as under the banner, once the decision code has made sure the core accepts the config.
 */
function unseen(cfg, el) {
  import(base + "leptos-consent-decide.js")
    .then((m) =>
      m.accepted(el, cfg, base).then((ok) => {
        if (ok && !hooks.fast) {
          hooks.vouched(cfg);
          hooks.fast = (method, args, late) => (method == "eraseCookies" ? m.erase(args) : m.apiDecide(cfg, method, args, firstVisit(el), () => 0, !late));
        }
        hooks.ready?.();
      }),
    )
    .catch(warn);
}

let started = false;
let config; // the config element this page view runs on
let standing; // the config a returning visitor's decision stands under
let ready; // what run() returns

/**
 * run()'s promise: it resolves once a decision through the API is answered at once (the
 * decision code is there, or the UI), or cannot be; at the latest after three seconds. On a
 * returning visit the decision code (leptos-consent-decide.js) is fetched for it: only pages
 * that call run() (as every vanilla-cookieconsent page does) pay for it.
 */
function whenReady() {
  ready ||= new Promise((done) => {
    hooks.ready = done;
    setTimeout(done, 3000);
    if (standing && !hooks.fast)
      import(base + "leptos-consent-decide.js").then((m) => {
        hooks.fast ||= (method, args) => (method == "eraseCookies" ? m.erase(args) : m.apiDecide(standing, method, args, firstVisit(config), 0, false));
        done();
      }, done);
  });
  if (hooks.fast || uiCall || uiFailed) hooks.ready();
  return ready;
}

/** Starts on the config element's text: decides for a returning visitor, or hands over to the UI. */
function boot(cfgEl) {
  started = true;
  config = cfgEl;
  if (cfgEl.hasAttribute("data-src") || doc.querySelector("[data-cc-preference-center]")) return handOver();
  let cfg, key, stored, marker, text;
  try {
    text = cfgEl.textContent;
    hooks.read = cfg = JSON.parse(text);
    key = cfg.storage_key || "lcc_consent";
  } catch {
    return handOver(); // an unreadable config: the UI reports exactly what is wrong
  }
  let record;
  let prompt = true; // a first visit, or an attested decision that has expired
  const fp = fingerprint(text);
  // Whether the core has validated this config text: ahead of time (this version's
  // src/core/stamp.rs `checked_stamp`, lcc-check), or on an earlier page view here.
  let known = cfgEl.getAttribute("data-checked") === stampOf(fp);
  try {
    stored = localStorage.getItem(key);
    // What the UI has validated (src/core/stamp.rs `boot_marker`): "<config> <record>", and
    // after a third space, what this script kept of the last page view (`tags`).
    marker = (localStorage.getItem(key + "_config") || "").split(" ");
    known ||= marker[0] === fp;
    // A record is read only where the core attested it under this very config text: a stamp
    // vouches for the config, never for a record made under another one (an older revision,
    // fewer categories or services). `stands` checks it all again, the clock included.
    if (marker[0] === fp && stored != null && marker[1] === fingerprint(stored)) {
      const r = JSON.parse(stored);
      prompt = !stands(cfg, r, Date.now(), stored);
      // Global Privacy Control over an earlier opt-in: the UI stores the opt-out and applies it.
      if (!prompt && !gpcConflict(cfg, r, navigator.globalPrivacyControl)) record = r;
    } else if (stored != null) prompt = false; // not attested: the UI decides whether to ask
  } catch {
    /* blocked storage: the visitor is asked, the UI keeps the answer for this page view */
  }
  if (known) {
    // Answers before the UI is there: a decision only from an attested record.
    setState(cfg, record && stored, !record);
    // Google Consent Mode: the stored choice before any gated Google tag is released (and,
    // not deferred, right after the head snippet's default, before any config in the page);
    // noted, so the UI does not push it again.
    const update = record && consentModeUpdate(cfg, record);
    if (update) win.gtag ? (win.gtag("consent", "update", update), (win.__lccGcm = stored)) : warn("consent_mode is on but the page has no gtag()");
  }
  // Nothing stored: the early banner decides, once the config is known to be valid (decide.mjs
  // `accepted`: checked by the core, or vouched for by valid.mjs; else the UI comes and checks it).
  // The first layer's downloads start in a task of their own: starting a fetch costs Chromium's
  // main thread time, which the task that parses the page would otherwise pay, making it one
  // long task (the measurements: bench/notes.md).
  // (With auto_show false the banner waits for show(), which the UI carries out.)
  if (prompt) cfg.auto_show !== false ? setTimeout(firstLayer, 0, cfg, stored === null && cfgEl) : stored === null && setTimeout(unseen, 0, cfg, cfgEl);
  if (!record) return stored === null || handOver();
  active = stored;
  standing = cfg;
  // Decisions the consent log has not acknowledged yet go now, by the decision code.
  try {
    if (cfg.log_url && localStorage.getItem(key + "_log").includes('"queue":["')) import(base + "leptos-consent-decide.js").then((m) => m.sendLog(cfg, text));
  } catch {}
  win.__lccBoot = "returning";
  // The tags the last page view ran under this record start downloading now, before the
  // parser reaches them (each runs only when its placeholder is found and its turn comes).
  // Deferred, this script runs once the page is parsed: the parser has found them all.
  try {
    if (own("readyState") == "loading") for (const attrs of JSON.parse(marker.slice(2).join(" ") || 0) || []) preload(live(attrs));
  } catch {
    /* a list this script did not write: nothing is learned */
  }
  activate(cfg, record);
  // The configured services' scripts: once per record (activate runs on every change to the page).
  if (!handedOver)
    for (const [id, src] of serviceScripts(cfg, record)) {
      const k = id + " " + src.src;
      if (services.has(k)) continue;
      services.add(k);
      const el = live([["src", src.src], ["data-service", id], ["data-lcc-service", id], ...serviceFetchAttrs(src)]);
      track(el, 0);
      toHead(el);
    }
  observer = new MutationObserver(() => activate(cfg, record));
  observer.observe(own("documentElement"), { childList: true, subtree: true });
  on(doc, "DOMContentLoaded", () => {
    activate(cfg, record);
    // Kept for the next page view. (A decision made elsewhere meanwhile has handed this page
    // over, which removed this listener; one in the last instant gets an attestation that does
    // not fit its record, which sends the next page view to the UI: safe.)
    const now = marker[0] + " " + marker[1] + " " + JSON.stringify(tags);
    try {
      localStorage.setItem(key + "_config", now); // (the same value again: no write, no storage event)
    } catch {
      /* storage full: nothing is learned */
    }
  });

  // A change made elsewhere (another tab, or back from the bfcache): the UI applies it.
  const changed = () => {
    let now = null;
    try {
      now = localStorage.getItem(key);
    } catch {
      /* unreadable now: handed over */
    }
    if (now !== active) handOver(active);
  };
  // (The storage event is enough here: this path runs only when storage works, so
  // every tab's decision is written there; the UI also listens on a BroadcastChannel.)
  on(win, "storage", (e) => e.key === key && changed());
  on(win, "pageshow", (e) => e.persisted && changed());
  // Intent to open the settings: start fetching the UI before the click.
  const intent = (e) => e.target.closest?.("[data-cc]") && warm();
  on(doc, "pointerover", intent, { passive: true });
  on(doc, "focusin", intent);
}

// A page trigger (data-cc="show-preferencesModal", "accept-all", …) clicked before the
// UI is there loads it; the UI carries the first press out (src/embed `perform`).
// From then on the UI handles triggers itself. If the UI cannot load, a trigger
// that is a link (href other than "#") leads where it points.
let uiFailed = false;
let via;
/** A press on a page trigger: listened for from the start, once per page view (below). */
const press = (e) => {
  const t = !uiCall && !uiFailed && e.target.closest?.("[data-cc]");
  if (!t) return;
  e.preventDefault();
  // "accept-all" and "accept-necessary" on a first visit: carried out at once, as the API's
  // acceptCategory, which is what the UI's `perform` saves for them (via "api"). ("accept-custom"
  // saves the preferences' switches: the UI's.)
  const args = { "accept-all": ["all"], "accept-necessary": [[]] }[t.getAttribute("data-cc")];
  if (!pending && args && !handedOver && hooks.fast?.("acceptCategory", args)) return;
  if (!pending) {
    pending = t.getAttribute("data-cc");
    const href = t.getAttribute("href");
    via = href && href !== "#" ? t.href : undefined;
  }
  handOver(active);
};

const NO_CONFIG = "no config: no #cc-config, no CookieConsent.run()";

/** Something unforeseen in this script: the UI takes over and decides. */
function failed(e) {
  warn("boot failed: " + e);
  handOver();
}

let told; // what was wrong with the page's #cc-config elements, said once

/**
 * The page's config element: its one <script type="application/json" id="cc-config">,
 * with this script's nonce if it has one. An element of another kind (an injected
 * <div id="cc-config">) or without the nonce is never taken, and with two that qualify
 * (one may be injected, and a page without a nonce cannot tell which) neither is.
 */
function findConfig() {
  const all = [...doc.querySelectorAll('[id="cc-config"]')];
  let ok = all.filter((e) => e instanceof HTMLScriptElement && e.type == "application/json" && (!nonce || e.nonce === nonce));
  // Deferred, this script runs once the whole page is parsed: one written before its own tag
  // is the page's, whatever the body holds (as when it ran in the head and saw nothing more).
  const before = me && ok.filter((e) => e.compareDocumentPosition(me) & 4);
  if (before?.length) ok = before;
  if (ok.length == 1) return ok[0];
  if (all.length && !told)
    warn(
      (told = ok.length
        ? "two #cc-config: neither is used (one may be injected)"
        : "#cc-config ignored: " + (nonce ? "it lacks the boot script's nonce" : 'not a <script type="application/json">')),
    );
}

/** Starts on the page's config element (`findConfig`, or the one run() made), if there is one yet. */
function tryStart(el = findConfig()) {
  if (!started && el) boot(el);
  return started;
}

// For a returning visitor the hint (boot/hint.html) writes a second tag for this file, which
// runs in the head, and the deferred tag runs it again once the page is parsed: the first
// starts, the other does nothing. (A symbol: no element the page's markup names can stand
// for it, as a name on window can.)
const ONCE = Symbol.for("leptos-consent");
if (!win[ONCE]) {
  win[ONCE] = 1;
  doc.addEventListener("click", press);
  if (win.CookieConsent) warn("replacing window.CookieConsent");
  win.CookieConsent = createApi({
    forward,
    load(src, attrs) {
      const el = live(Object.entries({ ...attrs, src }));
      const ok = settled(el);
      toHead(el);
      return ok;
    },
    run(text) {
      if (started) return whenReady(); // run() twice, or a page that has #cc-config too: harmless
      let el;
      if (text != null) {
        el = doc.createElement("script");
        el.type = "application/json";
        el.id = "cc-config";
        el.textContent = text;
        el.nonce = nonce;
        toHead(el);
      }
      try {
        if (!tryStart(el)) warn(NO_CONFIG);
      } catch (e) {
        failed(e);
      }
      return whenReady();
    },
    // hide(), hidePreferences(), reset(): what the boot script drew goes at once; says whether the UI must act too.
    hide(method, erase) {
      if (method !== "hidePreferences") {
        hidden = true; // also for a banner not drawn yet
        if (early) early.hidden = true;
        modal("banner", false);
      }
      return handedOver || erase;
    },
  });

  try {
    // The config may also come later: in the body, or through CookieConsent.run(config).
    if (!tryStart()) {
      // (Each fires once.)
      doc.addEventListener("DOMContentLoaded", () => tryStart());
      win.addEventListener("load", () => started || warn(NO_CONFIG));
    }
  } catch (e) {
    failed(e);
  }
}
