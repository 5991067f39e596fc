// The returning-visitor decisions of leptos-consent, in plain JS for the boot script.
//
// The stored record is read by one decoder only, the Rust core's: the boot
// script trusts a record when the crate has attested it under exactly this
// config text (src/core/stamp.rs `boot_marker`; or the early banner's
// decision code, held equal to the core, for the record it wrote), and checks
// it again here (`stands`): as the core writes it, and the clock. What a standing record grants, which gated scripts run, the Consent
// Mode update and the Global Privacy Control conflict are a port of
// src/core/decision.rs, gate.rs and consent_mode.rs, kept small on purpose. It
// must decide exactly as the core does: tests/shared-cases holds a table of
// cases (hand-written and generated from the core) that both implementations
// run (cargo test; node --test tests/mirror/boot-logic.test.mjs).

const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const DAY_MS = 86400000;
// Rust's str::trim (Unicode White_Space): unlike JS trim, it keeps U+FEFF and strips U+0085.
// (JS's \s is that set with U+FEFF and without U+0085.)
const trim = (s) => s.replace(/^(?:(?!\ufeff)[\s\x85])+|(?:(?!\ufeff)[\s\x85])+$/g, "");

/** FNV-1a over the UTF-16 code units of `text`, as 8 hex digits (src/core/stamp.rs `config_fingerprint`). */
// Twin: src/core/stamp.rs config_fingerprint
export function fingerprint(text) {
  // (Kept a signed 32-bit integer in the loop, which the engine holds unboxed; unsigned at the
  // end. Four characters a turn: the first call runs before the engine has optimised anything,
  // and fewer turns are what makes it fast then; bench/notes.md has the measurements.)
  let h = 0x811c9dc5 | 0;
  let i = 0;
  const n = text.length;
  while (i + 3 < n) {
    h = Math.imul(h ^ text.charCodeAt(i++), 0x01000193);
    h = Math.imul(h ^ text.charCodeAt(i++), 0x01000193);
    h = Math.imul(h ^ text.charCodeAt(i++), 0x01000193);
    h = Math.imul(h ^ text.charCodeAt(i++), 0x01000193);
  }
  while (i < n) h = Math.imul(h ^ text.charCodeAt(i++), 0x01000193);
  return ("0000000" + (h >>> 0).toString(16)).slice(-8);
}

/**
 * Tells the site owner: the console, and an `lcc:error` event (`detail.message`). Never
 * throws (a broken host page must not stop consent).
 */
export const warn = (message) => {
  try {
    message += ""; // (an Error too)
    console.warn("leptos-consent: " + message);
    window.dispatchEvent(new CustomEvent("lcc:error", { detail: { message } }));
  } catch {
    /* a broken host page must not stop consent */
  }
};

/**
 * The document's own `name` (body, head, documentElement, currentScript): page markup cannot
 * change the answer, as it can for `document.body` (an `<img name="body">` shadows it).
 */
export const own = (name) => Object.getOwnPropertyDescriptor(Document.prototype, name).get.call(document);

/** Sets the document's own `name` (`cookie`): an `<img name="cookie">` would swallow the write. */
export const ownSet = (name, value) => Object.getOwnPropertyDescriptor(Document.prototype, name).set.call(document, value);

/** What a script's download needs of its attributes besides its src, as [name, value] pairs. */
export const fetchAttrs = (el) => ["integrity", "crossorigin", "referrerpolicy"].filter((a) => el.hasAttribute(a)).map((a) => [a, el.getAttribute(a)]);

/** The same for a configured service's script (`{ src, integrity }`): with an integrity hash, a CORS download. */
export const serviceFetchAttrs = (s) => (s.integrity ? [["integrity", s.integrity], ["crossorigin", "anonymous"]] : []);

/** Resolves to whether `el` (a script) loaded, once it has loaded or failed. */
export const settled = (el) =>
  new Promise((done) => {
    // (Listeners, not onload/onerror: a script's own onload attribute stays.)
    const end = (e) => done(e.type == "load");
    el.addEventListener("load", end);
    el.addEventListener("error", end);
  });

/** The data-checked stamp of a config text with fingerprint `fp` (src/core/stamp.rs `config_stamp`). */
// Twin: src/core/stamp.rs config_stamp
export const stampOf = (fp) => LCC_VERSION + " " + fp;

/** How long a decision stays valid under `cfg`, in ms. */
export const lifetime = (cfg) => (cfg.expires_after_days == null ? 182 : cfg.expires_after_days) * DAY_MS;

const VIA = ["banner", "preferences", "api", "gpc"];
const UUID4 = /^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/i;
const uint = (n) => Number.isSafeInteger(n) && n >= 0;
const on = (m, id) => !!m && m[id] === true;
// The site's data as the core keeps it (src/core/record.rs `check`): JSON text of at most 8 KB,
// without a lone surrogate (which serde refuses; encodeURIComponent throws on one).
const data = (d) => {
  try {
    return d === undefined || (typeof d == "string" && new TextEncoder().encode(encodeURIComponent(d) && d).length <= 8192 && (JSON.parse(d), true));
  } catch {
    return false;
  }
};
const json = JSON.stringify;
// [id, value] pairs as the core writes a map: a JSON object, by id. (Written out: an
// object would put ids such as "9" before "10", where the core sorts them as text.)
export const byId = (pairs) => "{" + pairs.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => json(k) + ":" + v) + "}";

/**
 * Whether the stored record `text` (`r`: JSON.parse of it) stands under `cfg` at
 * `now` (Unix ms), as src/core/decision.rs `assess` answers without a prompt. The
 * text must be exactly what the core writes for such a record (src/core/record.rs
 * `encode`): format 1, this config's revision, an explicit switch for every category
 * and service of the config and no other key, in the core's order, the necessary
 * category on and no service granted in a refused category (`check`); and the fields
 * of the core's types: a UUIDv4, integer times, a known method. Then the clock:
 * not from further ahead than the clock-skew allowance, not expired. The boot
 * script reads only records attested under this config text; `stands` refuses a
 * mistyped or foreign record even where storage (attestation included) was
 * written by something else. It may refuse what the core accepts (the UI then
 * reads it), never the reverse.
 */
// Twin: src/core/record.rs encode
export function stands(cfg, r, now, text) {
  const cats = cfg.categories;
  return (
    !!r &&
    text ===
      `{"v":1,"id":${json(r.id)},"first":${r.first},"last":${r.last},"rev":${cfg.revision || 0},"categories":${byId(
        cats.map((c) => [c.id, alwaysOn(c) || on(r.categories, c.id)]),
      )},"services":${byId(cats.flatMap((c) => (c.services || []).map((s) => [s.id, on(r.categories, c.id) && on(r.services, s.id)])))},"via":${json(r.via)}${r.data === undefined ? "" : ',"data":' + json(r.data)}}` &&
    data(r.data) &&
    typeof r.id == "string" &&
    UUID4.test(r.id) &&
    VIA.includes(r.via) &&
    uint(r.first) &&
    uint(r.last) &&
    r.first <= r.last &&
    r.last <= now + MAX_CLOCK_SKEW_MS &&
    now < r.last + lifetime(cfg)
  );
}

/**
 * Whether a category is always on: the necessary one, which the core requires
 * to be read-only and the only read-only one. (A `read_only` elsewhere, in a
 * config nothing has checked, grants nothing here.)
 */
export const alwaysOn = (c) => c.id === "necessary";

/** The config's category with this id. */
function category(cfg, id) {
  return cfg.categories.find((c) => c.id === id);
}

/** [category, service] for a service id. */
export function service(cfg, id) {
  for (const c of cfg.categories) for (const s of c.services || []) if (s.id === id) return [c, s];
}

// An explicit true or false for `id` in one of the record's maps (a record is parsed JSON: a
// name the prototype also has, such as "constructor", never reads as a boolean there).
const holds = (map, id, value) => !!map && map[id] === value;

/**
 * Whether the record holds an explicit `want` (true: granted, false: refused)
 * for a category, or with `isService` for a service, as the core reads it:
 * read-only categories and their services are granted and never refused; a
 * service is granted only with its category.
 */
function decided(cfg, r, id, want, isService) {
  const c = isService ? (service(cfg, id) || [])[0] : category(cfg, id);
  if (!c) return false;
  if (alwaysOn(c)) return want;
  return (!isService || !want || decided(cfg, r, c.id, true)) && holds(r && r[isService ? "services" : "categories"], id, want);
}

/** Whether a category is granted: read-only always, others by an explicit true. */
// Twin: src/core/decision.rs category_granted
export const categoryGranted = (cfg, r, id) => decided(cfg, r, id, true);

/** Whether a service is granted: its category granted and an explicit true for it. */
// Twin: src/core/decision.rs service_granted
export const serviceGranted = (cfg, r, id) => decided(cfg, r, id, true, 1);

/**
 * The categories the browser's Global Privacy Control `signal` locks off
 * (src/core/config.rs `under_gpc`): the sale/sharing ones (marketing unless
 * the config says otherwise), unless the site ignores the signal.
 */
export const gpcLocked = (cfg, signal) =>
  signal === true && cfg.gpc != "ignore" ? cfg.categories.filter((c) => !alwaysOn(c) && (c.sale_or_sharing ?? c.id == "marketing")) : [];

/**
 * Whether GPC locks off a category the record allows (src/core/decision.rs
 * `gpc_conflict`). Then the UI stores and applies the opt-out; the boot script
 * decides nothing. Without a conflict, the lock changes no answer here: a
 * locked category is not stored as allowed.
 */
// Twin: src/core/decision.rs gpc_conflict
export const gpcConflict = (cfg, r, signal) => !!r && gpcLocked(cfg, signal).some((c) => r.categories[c.id] === true);

const KEYS = ["ad_storage", "ad_user_data", "ad_personalization", "analytics_storage", "functionality_storage", "personalization_storage"];
const GCM_MAP = {
  performance: [KEYS[3]],
  functionality: [KEYS[4], KEYS[5]],
  marketing: [KEYS[0], KEYS[1], KEYS[2]],
};

/**
 * Google Consent Mode's `update` for the record (src/core/consent_mode.rs):
 * every mapped key, granted when every category mapped to it is; undefined
 * when the config does not turn Consent Mode on.
 */
// Twin: src/core/consent_mode.rs consent_mode_update
export function consentModeUpdate(cfg, r) {
  const map = cfg.consent_mode && (cfg.consent_mode.map || GCM_MAP);
  if (!map) return;
  const out = {};
  for (const key of KEYS) {
    const cats = Object.keys(map).filter((c) => category(cfg, c) && map[c].includes(key));
    if (cats.length) out[key] = cats.every((c) => categoryGranted(cfg, r, c)) ? "granted" : "denied";
  }
  return out;
}

/**
 * Whether a gated script with these attributes may run under `r`:
 * true, false, or a string saying why it never can (a mistake in the page).
 */
// Twin: src/core/gate.rs plan_activation
export function gate(cfg, r, categoryAttr, serviceAttr) {
  let cat = trim(categoryAttr);
  const negated = cat[0] === "!";
  if (negated) cat = trim(cat.slice(1));
  if (!cat) return "empty data-category";
  if (!category(cfg, cat)) return `unknown data-category "${cat}"`;
  let svc = trim(serviceAttr || "");
  if (!svc) return decided(cfg, r, cat, !negated);
  if (negated) return "data-category=\"!…\" with data-service";
  const svcNegated = svc[0] === "!";
  if (svcNegated) svc = trim(svc.slice(1));
  const cs = service(cfg, svc);
  if (!cs) return `unknown data-service "${svc}"`;
  if (cs[0].id !== cat) return `data-service "${svc}" is not in "${cat}"`;
  return decided(cfg, r, svc, !svcNegated, 1);
}

/**
 * The scripts configured on granted services, in config order: [serviceId, {src, integrity}].
 * Only URLs the core accepts (`safeUrl`): a config nothing has checked names no `data:` or
 * `javascript:` script here.
 */
// Twin: src/core/gate.rs granted_service_scripts
export function serviceScripts(cfg, r) {
  const out = [];
  for (const c of cfg.categories)
    for (const s of c.services || []) if (serviceGranted(cfg, r, s.id)) for (const src of s.scripts || []) safeUrl(src.src) && out.push([s.id, src]);
  return out;
}

/** Whether a URL may become a link: http(s) or relative, as src/core/validate.rs `check_url`. */
// Twin: src/core/validate.rs check_url
export function safeUrl(url) {
  if (typeof url !== "string" || !url || /[\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(url)) return false;
  const m = /^([^/?#]*?):/.exec(url);
  return !m || /^https?$/i.test(m[1]);
}

/** The first layer's English defaults (and the status after a choice) (src/core/config.rs `Texts::default`; a test holds them equal). */
export const BANNER_TEXTS = {
  banner_title: "We use cookies",
  banner_description:
    "We use cookies and similar technologies to measure how the site is used, remember your settings and show relevant offers. You choose which ones we may use; you can change your mind at any time.",
  privacy_policy_label: "Privacy policy",
  accept_all: "Accept all",
  reject_all: "Reject all",
  manage: "Manage preferences",
  gpc_note:
    "Your browser sends Global Privacy Control, a request not to sell or share your data. We honour it: {categories} stays off, whatever you choose here.",
  saved: "Preferences saved",
};

// ---- languages (src/core/i18n.rs; shared table tests/shared-cases/languages.json) ----

export const BUILT_IN_LANGUAGES = ["en", "zh", "ja", "de", "fr", "es", "it", "pt", "nl", "pl", "ar"];
// Twin: src/core/i18n.rs normalize_language
export const normLang = (t) => String(t).trim().replace(/_/g, "-").toLowerCase();
const primaryOf = (t) => t.split("-")[0];

/** The available language `wanted` asks for (exact, else its primary subtag; zh-Hant/TW/HK/MO never match zh). */
// Twin: src/core/i18n.rs match_language
export function matchLanguage(wanted, available) {
  const w = normLang(wanted);
  if (!w) return undefined;
  if (available.includes(w)) return w;
  const rest = w.split("-").slice(1);
  if (primaryOf(w) === "zh" && rest.some((s) => ["hant", "tw", "hk", "mo"].includes(s))) return undefined;
  return available.includes(primaryOf(w)) ? primaryOf(w) : undefined;
}

// Twin: src/core/i18n.rs languages
export function languages(cfg) {
  const out = BUILT_IN_LANGUAGES.slice();
  for (const l of [cfg.default_language || "en", ...Object.keys(cfg.translations || {})]) {
    const n = normLang(l);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** The config's language, else <html lang>, else the browser's, else the default. */
// Twin: src/core/i18n.rs choose_language
export function chooseLanguage(cfg, htmlLang, browser) {
  const available = languages(cfg);
  for (const w of [cfg.language, htmlLang, ...(browser || [])]) {
    if (w == null) continue;
    const m = matchLanguage(w, available);
    if (m) return m;
  }
  return normLang(cfg.default_language || "en");
}

// Twin: src/core/i18n.rs is_rtl
export const isRtl = (lang) => ["ar", "he", "fa", "ur", "ps", "yi", "dv", "ku"].includes(primaryOf(normLang(lang)));
