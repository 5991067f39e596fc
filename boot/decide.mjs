// "Accept all" or "Reject all" on the early banner, carried out without the
// wasm UI: on a first visit (nothing stored, no history) under a config the
// core accepts (`accepted`: checked ahead of time, the page's data-checked
// stamp, or vouched for here by valid.mjs). It does what the UI's
// `ConsentSession::decide` does: store the record, push the Consent Mode
// update and run what is granted (by starting the boot script again on the
// stored record, as for a returning visitor); then, once the scripts it
// released have run (the page's main thread is theirs first), tell the other
// tabs, look for HttpOnly copies of refused cookies, fire lcc:consent and
// lcc:change (and vanilla-cookieconsent's events), keep the history. The
// record, history, events and plans
// come from plans.mjs (held equal to the core by a shared table). Whenever a
// step needs more than that (something to erase, storage that fails, a record
// or history already there, the UI already on its way) it does nothing and the
// UI carries the press out. An API decision the UI must carry out is foreseen
// here (`foresee`): answered at once from the record the UI will store, its
// clean-up done at once.
import { listen } from "./events.mjs";
import { changes, denied, eraseCookiesPlan, eraseNeeded, expire, historyText, logEntry, planErase, probePlan, recordText, storageKeys } from "./plans.mjs";
import { apiChoice, uniform } from "./choices.mjs";
import { chooseLanguage, fingerprint, own, ownSet, settled, stampOf, warn } from "./logic.mjs";

const win = window;
const doc = document;
const PROBE = "lcc-httponly-probe";


const fire = (type, detail) => win.dispatchEvent(new CustomEvent(type, { detail }));

/** Names of the cookies the page can read (src/web/cleanup.rs `cookie_names`). */
// (The document's own cookie: an <img name="cookie"> in the page would otherwise swallow every write.)
const cookieNames = () => [...new Set(own("cookie").split(";").map((p) => p.split("=")[0].trim()).filter(Boolean))].sort();

/** Keys of localStorage and sessionStorage. */
function presentKeys() {
  const out = [];
  for (const s of [localStorage, sessionStorage]) for (let i = 0; i < s.length; i++) out.push(s.key(i));
  return out;
}

/**
 * Looks for HttpOnly copies of the forms (src/web/cleanup.rs
 * `probe_http_only`): a probe value written where such a cookie would be,
 * unreadable afterwards, means one is there. Returns their names.
 */
function probe(forms) {
  if (!forms.length) return []; // (nothing to look for: no cookie written, none read)
  const readable = (needle) => own("cookie").includes(needle);
  ownSet("cookie", "lcc_probe_ctl=1; Path=/");
  const works = readable("lcc_probe_ctl=1");
  ownSet("cookie", "lcc_probe_ctl=; Max-Age=0; Path=/");
  const found = [];
  if (works)
    for (const f of forms) {
      if (found.includes(f[0])) continue;
      ownSet("cookie", f[0] + "=" + PROBE + "; Path=" + f[2] + (f[1] ? "; Domain=" + f[1] : ""));
      readable(f[0] + "=" + PROBE) ? ownSet("cookie", expire(f)) : found.push(f[0]);
    }
  return found;
}

/**
 * Calls `f` once the external scripts the boot script has released by now (marked done, no
 * longer text/plain) have loaded or failed, and so the inline ones queued after them have run
 * (a task later); at the latest after a second, or before that as the page is left (pagehide)
 * or the UI takes over (`beforeUi`: the boot script's list, run before the UI decides anything).
 */
function afterReleased(f, beforeUi) {
  const once = () => {
    const g = f;
    f = 0;
    if (g) clearTimeout(timer), removeEventListener("pagehide", once), g();
  };
  const timer = setTimeout(once, 1000);
  addEventListener("pagehide", once);
  beforeUi.push(once);
  const scripts = [...doc.querySelectorAll("script[data-lcc-state=done][src]")].filter((s) => s.type != "text/plain");
  Promise.all(scripts.map(settled)).then(() => setTimeout(once));
}

let last = []; // the last config text `accepted` was asked about, and its answer (a promise)

/**
 * Resolves to whether the core accepts the config in `el` (the config element): it said
 * so ahead of time (the page's data-checked stamp, lcc-check) or on an earlier page view
 * here (the marker the UI writes), or valid.mjs vouches for the text; that one is a file
 * of its own (leptos-consent-valid.js, from `base`), fetched only for a config neither
 * has checked. A stamp that does not fit the text is reported with the one that would.
 */
export function accepted(el, cfg, base) {
  const text = el.textContent;
  if (last[0] === text) return last[1];
  const fp = fingerprint(text);
  const now = stampOf(fp);
  const given = el.getAttribute("data-checked");
  let marker;
  try {
    marker = (localStorage.getItem(storageKeys(cfg).marker) || "").split(" ")[0];
  } catch {
    /* blocked storage: the boot script hands over before this */
  }
  const ok =
    given === now || marker === fp
      ? Promise.resolve(true)
      : import(base + "leptos-consent-valid.js").then((m) => m.usable(text), () => false);
  // (As the UI's src/core/stamp.rs `stamp_note`.)
  const stale = (yes) => yes && given != null && given !== now && warn(`#${el.id} data-checked="${given}" does not fit this config (it is "${now}" now): run lcc-check --write on the page`);
  ok.then(stale);
  last = [text, ok];
  return ok;
}

/**
 * Carries out the first layer's `accept` (true: Accept all, false: Reject
 * all) for `cfg`. `quick` is the boot script's side: `el`, the config
 * element; `hooks`, window.CookieConsent's (api.mjs); `decided(el)`, which
 * starts the boot script again on what is stored. Resolves to whether it did;
 * if not, nothing was changed and the UI must carry the press out. `closed`
 * is called after the decision's events (the banner's own, onModalHide).
 */
export async function decide(cfg, accept, quick, closed) {
  return (await accepted(quick.el, cfg, quick.base)) && decideNow(cfg, accept, quick, closed);
}

/** `decide`, in the task of the press, once `accepted` has said yes. */
export const decideNow = (cfg, accept, quick, closed) => carry(cfg, uniform(cfg, accept, navigator.globalPrivacyControl === true), "banner", quick, closed);

/**
 * Carries out an API call that decides (`acceptCategory`, `acceptService`) on a
 * first visit, at once and without the UI, under a config the core accepts (the
 * caller knows it does: `accepted` has answered), unless `first` is false (the
 * early banner is deciding, or has). Returns whether it did; if not, nothing was
 * stored and the UI must carry the call out (other arguments, names the config
 * lacks, something stored already, something to erase): `foresee`.
 */
export const apiDecide = (cfg, method, args, quick, closed, first = true) => {
  const signal = navigator.globalPrivacyControl === true;
  const ch = first && apiChoice(cfg, method, args, signal);
  if (ch && carry(cfg, ch, "api", quick, closed)) return true;
  foresee(cfg, method, args, quick.hooks, signal);
  return false;
};

/**
 * A decision the UI carries out (it is loaded for it; calls made meanwhile wait their turn):
 * as in vanilla-cookieconsent, window.CookieConsent answers from it at once, from the record
 * the UI will store (the UI's own state replaces it when it publishes), and the cookies and
 * keys it refuses go at once (the UI's clean-up: `planErase`, held to the core). Its id is
 * the stored one, if any: a new one is the UI's to make.
 */
function foresee(cfg, method, args, hooks, signal) {
  const rec = hooks.rec();
  const ch = apiChoice(cfg, method, args, signal, rec, true);
  if (!ch) return;
  const r = JSON.parse(recordText(cfg, ch, "api", Date.now(), new Uint8Array(16), signal));
  // (As the core's record_decision: the id and first time carry over from a record not in the future.)
  const keep = rec && rec.first <= r.last;
  r.id = keep ? rec.id : undefined;
  r.first = keep ? rec.first : r.first;
  r.data = rec?.data;
  hooks.decided(r);
  try {
    const plan = planErase(cfg, r, cookieNames(), presentKeys(), location.hostname, location.pathname || "/");
    for (const f of plan.cookies) ownSet("cookie", expire(f));
    for (const k of plan.keys) localStorage.removeItem(k), sessionStorage.removeItem(k);
  } catch {
    /* blocked storage: the UI's clean-up reports it */
  }
}

/**
 * `eraseCookies(names, path?, domain?)` at once (src/core/erase.rs `plan_erase_cookies`, as the
 * UI's `erase_cookies`): a RegExp stands for the names it matches now. Returns false, having
 * done nothing, for arguments of another kind (the UI reports them).
 */
export function erase([names, path, domain]) {
  const present = cookieNames();
  const text = (v) => v == null || typeof v == "string";
  names = names == null ? [0] : [].concat(names).flatMap((p) => (p instanceof RegExp ? present.filter((n) => p.test(n)) : [p]));
  if (!names.every((n) => typeof n == "string") || !text(path) || !text(domain)) return false;
  const [forms, matched] = eraseCookiesPlan(names, path, domain, present, location.hostname, location.pathname || "/");
  for (const f of forms) ownSet("cookie", expire(f));
  const left = cookieNames().filter((n) => matched.includes(n));
  if (left.length) warn(`CookieConsent.eraseCookies: could not remove ${JSON.stringify(left)} (HttpOnly, or set on a domain or path this page cannot reach)`);
  return true;
}

/** Stores the first decision `ch` (a choice) made `via` the banner or the API, and carries it out. */
function carry(cfg, ch, via, quick, closed) {
  const text = quick.el.textContent;
  const key = storageKeys(cfg);
  const signal = navigator.globalPrivacyControl === true;
  let stored, r, no;
  // The UI is on its way (for a call it must carry out): a later choice goes to it too, in order.
  if (quick.late?.()) return false;
  try {
    const ls = localStorage;
    if (ls.getItem(key.record) != null || ls.getItem(key.history) != null) return false;
    stored = recordText(cfg, ch, via, Date.now(), crypto.getRandomValues(new Uint8Array(16)), signal);
    r = JSON.parse(stored);
    no = denied(cfg, r);
    // The UI's clean-up erases them. (Nothing refused, as after Accept all: nothing to erase,
    // and no cookie or key list to read, which costs the press's task time on a slow CPU.)
    if (no.length && eraseNeeded(cfg, r, cookieNames(), presentKeys())) return false;
    ls.setItem(key.record, stored);
    if (ls.getItem(key.record) !== stored) throw 0;
  } catch {
    return false;
  }
  // Stored: from here on every step runs whatever the one before did.
  const step = (f) => {
    try {
      f();
    } catch (e) {
      warn("after the first-layer choice: " + e);
    }
  };
  // The attestation first: the boot script starts again on it below.
  step(() => localStorage.setItem(key.marker, fingerprint(text) + " " + fingerprint(stored)));
  // window.CookieConsent answers from this record now (and does not announce it as a returning visit).
  const first = quick.hooks.decided(r);
  // As for a returning visitor: the Consent Mode update, then the granted scripts.
  step(() => quick.decided(quick.el));
  // The rest waits till those have run: done in this task, it would hold each of them for as
  // long as it takes; done in the next, it still comes before their downloads end. (It
  // comes first if the visitor leaves, or if the UI takes over for a newer choice.)
  afterReleased(() => {
    let ch;
    let left = [];
    step(() => (ch = changes(cfg, r)));
    step(() => {
      const bc = new BroadcastChannel("lcc:" + key.record);
      bc.postMessage(stored);
      bc.close();
    });
    step(() => {
      left = probe(no.length ? probePlan(no, cookieNames(), location.hostname, location.pathname || "/") : []);
      if (left.length) {
        warn(`could not remove cookies [${left.map((n) => JSON.stringify(n)).join(", ")}]: HttpOnly, set on a domain or path this page cannot reach, or written again`);
        fire("lcc:cleanup", { removed_cookies: [], remaining_cookies: [], removed_keys: [], http_only_cookies: left });
      }
    });
    step(() => {
      fire("lcc:consent", r);
      if (ch.granted_categories.length || ch.granted_services.length) fire("lcc:change", ch);
    });
    step(() => {
      // vanilla-cookieconsent's events for this first decision, then the UI's later ones (events.mjs).
      const h = quick.hooks;
      if (first) for (const name of ["onFirstConsent", "onConsent"]) h.emit(name, { cookie: h.cookie() });
      listen(h);
    });
    step(() => localStorage.setItem(key.history, historyText(r, ch, [...new Set(left)].sort())));
    step(() => logFirst(cfg, r, via, text));
    step(closed);
  }, quick.beforeUi);
  return true;
}

/**
 * The consent log (`log_url`), as the UI's src/web/log.rs: the first decision is queued in
 * storage (`<storage_key>_log`, the core's `LogOutbox`), then posted in the background;
 * what the server does not acknowledge stays queued for a later page view (the boot script
 * calls `sendLog` when the queue is not empty).
 */
function logFirst(cfg, r, via, text) {
  if (!cfg.log_url) return;
  const lang = chooseLanguage(cfg, doc.documentElement.getAttribute("lang"), navigator.languages || [navigator.language]);
  const entry = logEntry(r, 1, fingerprint(text), via, lang, navigator.globalPrivacyControl === true, location.origin, location.pathname);
  try {
    // The receipts of an earlier consent id (before a reset) stay for the visitor.
    let receipts = [];
    try {
      receipts = JSON.parse(localStorage.getItem(storageKeys(cfg).log)).receipts.slice(-10);
    } catch {}
    localStorage.setItem(storageKeys(cfg).log, JSON.stringify({ id: r.id, seq: 1, queue: [entry], receipts, dropped: 0 }));
  } catch {
    // Nowhere to keep it: sent once, as it is.
    return post(cfg.log_url, entry);
  }
  sendLog(cfg, text);
}

/** One post: the status (0: the network failed), the error code, the receipt's text. */
const post = (url, body) =>
  fetch(url, { method: "POST", body, keepalive: true, credentials: "omit", mode: "cors" }).then(
    async (res) => {
      const t = await res.text();
      let e;
      try {
        e = JSON.parse(t).error;
      } catch {}
      // A receipt is a small JSON object; anything else a server answers is not kept.
      return { s: res.status, e, r: res.ok && t.length < 16384 && t[0] == "{" && t };
    },
    () => ({ s: 0 }),
  );

/** Sends the queued decisions, oldest first; stops at the first the server cannot take now. */
export async function sendLog(cfg, text) {
  const key = storageKeys(cfg).log;
  try {
    // At most as many posts as the queue can hold (and their config re-sends): a value
    // that cannot be written back never makes this loop run on.
    for (let box, n = 0; n++ < 10 && (box = JSON.parse(localStorage.getItem(key))).queue[0]; ) {
      const d = box.queue[0];
      let a = await post(cfg.log_url, d);
      // The first decision under this config on this server: it asks for the text.
      if (a.s == 409 && a.e == "config_unknown") a = await post(cfg.log_url, d.slice(0, -1) + ',"config_text":' + JSON.stringify(text) + "}");
      if (a.s == 0 || a.s == 429 || a.s >= 500) return;
      if (a.s >= 300) warn(`the consent log refused a decision (${a.s} ${a.e}); it is not sent again`);
      box = JSON.parse(localStorage.getItem(key));
      box.queue = box.queue.filter((q) => q != d);
      if (a.r) box.receipts = [...box.receipts, a.r].slice(-10);
      localStorage.setItem(key, JSON.stringify(box));
    }
  } catch {
    /* storage blocked or a value this code did not write: nothing more to send */
  }
}
