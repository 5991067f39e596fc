// Whether the Rust core accepts a config text (src/core: `ConsentConfig::from_json`,
// serde_json's reading of src/core/config.rs, then src/core/validate.rs), for a page
// whose config carries no stamp: the early banner then carries Accept all and Reject
// all out without the UI, as under a stamp.
//
// It answers true only where it can be sure, and false for anything it does not
// follow (numbers with a fraction or an exponent, a key given twice, a lone surrogate,
// an array where serde would also take one, a language tag beyond ASCII, ...): the UI then
// checks the config as before. So it may refuse a config the core accepts, never the
// reverse: tests/core_shared_cases.rs writes thousands of configs with the core's
// verdict, and tests/mirror/boot-logic.test.mjs holds this file to them.
import { globMatch } from "./plans.mjs";
import { languages, matchLanguage } from "./logic.mjs";

// The fields of src/core/config.rs `Texts` (Texts::KEYS, checked against the core by the shared table).
export const TEXT_KEYS = (
  "banner_title banner_description privacy_policy_label accept_all reject_all manage preferences_title " +
  "preferences_description save close always_on show_services cookie_name cookie_provider cookie_purpose " +
  "cookie_duration provider service_policy_label saved center_title no_decision consent_id last_decision revision " +
  "history_title history_granted history_revoked history_unchanged download_receipt cleanup_failed gate_service " +
  "gate_category gate_load gate_settings unavailable unavailable_close gpc_note gpc_locked gpc_applied"
).split(" ");
const MODE_KEYS = ["ad_storage", "ad_user_data", "ad_personalization", "analytics_storage", "functionality_storage", "personalization_storage"];
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const no = () => {
  throw 0;
};

/**
 * The text as JSON, read more strictly than serde_json does: objects without a key
 * twice and without a key `__proto__`, integers only (at most 10 digits, no sign), no
 * lone surrogate, nesting at most 64 deep. Throws for anything else.
 */
function parse(text) {
  let i = 0;
  let depth = 0;
  const ws = () => {
    while (text[i] == " " || text[i] == "\t" || text[i] == "\n" || text[i] == "\r") i++;
  };
  const string = () => {
    let out = "";
    for (i++; ; ) {
      const c = text[i++];
      if (c == '"') return LONE.test(out) ? no() : out;
      if (c === undefined || c < " ") no();
      if (c != "\\") out += c;
      else {
        const e = text[i++];
        if (e == "u") {
          const hex = text.slice(i, (i += 4));
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) no();
          out += String.fromCharCode(parseInt(hex, 16));
        } else {
          const plain = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" }[e];
          plain === undefined ? no() : (out += plain);
        }
      }
    }
  };
  // Each element of an array or member of an object: `item()` reads one, up to the closing `end`.
  const list = (end, item) => {
    if (++depth > 64) no();
    i++;
    ws();
    if (text[i] == end) i++;
    else
      for (;;) {
        item();
        ws();
        const c = text[i++];
        if (c == end) break;
        if (c != ",") no();
        ws();
      }
    depth--;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c == "{") {
      const o = Object.create(null);
      list("}", () => {
        if (text[i] != '"') no();
        const k = string();
        if (k in o || k == "__proto__") no();
        ws();
        if (text[i++] != ":") no();
        o[k] = value();
      });
      return o;
    }
    if (c == "[") {
      const a = [];
      list("]", () => a.push(value()));
      return a;
    }
    if (c == '"') return string();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]]) if (text.startsWith(word, i)) return (i += word.length), v;
    const n = /(0|[1-9][0-9]{0,9})(?![0-9.eE])/y;
    n.lastIndex = i;
    const m = n.exec(text) || no();
    i = n.lastIndex;
    return +m[1];
  };
  if (LONE.test(text)) no();
  const v = value();
  ws();
  return i == text.length ? v : no();
}

// What serde takes for each field (src/core/config.rs, i18n.rs, appearance.rs,
// consent_mode.rs): a missing field takes its default; null only where the field is an Option.
const isObject = (v) => v !== null && typeof v == "object" && !Array.isArray(v);
const str = (v) => typeof v == "string";
const bool = (v) => typeof v == "boolean";
const u32 = (v) => Number.isInteger(v) && v >= 0 && v <= 4294967295;
const opt = (f) => (v) => v === null || f(v);
const oneOf = (...names) => (v) => names.includes(v);
const listOf = (f) => (v) => Array.isArray(v) && v.every(f);
const mapOf = (f) => (v) => isObject(v) && Object.values(v).every(f);
/** An object with only the fields of `spec`, each of its type, and every one of `required`. */
const shape =
  (spec, ...required) =>
  (v) =>
    isObject(v) && Object.keys(v).every((k) => Object.hasOwn(spec, k) && spec[k](v[k])) && required.every((k) => k in v);

const words = (v) => isObject(v) && Object.keys(v).every((k) => TEXT_KEYS.includes(k) && str(v[k]));
const CONFIG = shape(
  {
    revision: u32,
    expires_after_days: u32,
    storage_key: str,
    reload_on_revoke: bool,
    auto_show: bool,
    privacy_policy_url: opt(str),
    categories: listOf(
      shape(
        {
          id: str,
          title: str,
          description: str,
          read_only: bool,
          enabled: opt(bool),
          sale_or_sharing: opt(bool),
          services: listOf(
            shape(
              {
                id: str,
                title: str,
                provider: str,
                purpose: str,
                privacy_policy_url: str,
                cookies: listOf(shape({ name: str, domain: opt(str), path: opt(str), purpose: str, duration: str }, "name")),
                vendor: opt(oneOf("google-analytics", "google-ads", "mixpanel", "algolia-insights")),
                storage_keys: listOf(str),
                scripts: listOf(shape({ src: str, integrity: opt(str) }, "src")),
              },
              "id",
              "title",
              "provider",
              "purpose",
              "privacy_policy_url",
            ),
          ),
        },
        "id",
        "title",
      ),
    ),
    texts: words,
    language: opt(str),
    default_language: str,
    translations: mapOf(
      shape({
        texts: words,
        categories: mapOf(shape({ title: opt(str), description: opt(str) })),
        services: mapOf(shape({ title: opt(str), purpose: opt(str) })),
      }),
    ),
    consent_mode: opt(shape({ map: mapOf(listOf(str)) })),
    gpc: oneOf("honour", "ignore"),
    appearance: shape({
      layout: oneOf("bar", "box", "cloud"),
      position: opt(oneOf("bottom", "top", "bottom-left", "bottom-right", "top-left", "top-right")),
      scheme: oneOf("light", "dark", "auto"),
    }),
    cookie_mirror: opt(shape({ name: str, domain: opt(str), path: opt(str) }, "name")),
    server_cookie: opt(shape({ name: str, domain: opt(str), path: opt(str) }, "name")),
    log_url: opt(str),
  },
  "categories",
);

// src/core/validate.rs, each rule as strict or stricter: Rust's trim() and
// is_whitespace() know fewer spaces than \s with U+0085, is_control() is within [\0-\x1f\x7f-\x9f].
const blank = (t) => /^[\s\u0085]*$/.test(t);
const id = (t) => /^[a-z0-9_-]{1,64}$/.test(t);
const tag = (t) => /^[A-Za-z0-9_-]{1,35}$/.test(t);
function url(u) {
  if (!u || /[\s\0-\x1f\x7f-\x9f]/.test(u)) return false;
  const end = u.search(/[/?#]/);
  const head = end < 0 ? u : u.slice(0, end);
  const colon = head.indexOf(":");
  return colon < 0 || /^[hH][tT][tT][pP][sS]?$/.test(head.slice(0, colon));
}
const pattern = (p) => !/^\**$/.test(p) && !/[\0- ;=,\x7f]/.test(p);

/** The core's rules on a config of the right shape. */
function rules(cfg) {
  const key = cfg.storage_key ?? "lcc_consent";
  const days = cfg.expires_after_days ?? 182;
  if (days < 1 || days > 395 || !/^[A-Za-z0-9_.-]+$/.test(key)) return false;
  if (cfg.privacy_policy_url != null && !url(cfg.privacy_policy_url)) return false;
  if (cfg.log_url != null && !url(cfg.log_url)) return false;
  for (const m of [cfg.cookie_mirror, cfg.server_cookie])
    if (m && (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(m.name) || (m.domain != null && !/^[A-Za-z0-9.-]+$/.test(m.domain)) || (m.path != null && !/^\/[!-+--:<-~]*$/.test(m.path)))) return false;
  if (cfg.server_cookie?.domain != null || (cfg.cookie_mirror && cfg.server_cookie && cfg.cookie_mirror.name == cfg.server_cookie.name)) return false;
  if (!cfg.categories.length) return false;
  const cats = [];
  const services = [];
  for (const c of cfg.categories) {
    const necessary = c.id == "necessary";
    if (!id(c.id) || cats.includes(c.id) || blank(c.title)) return false;
    cats.push(c.id);
    if (!!c.read_only != necessary || (c.enabled === true && !necessary) || (c.read_only && c.sale_or_sharing === true)) return false;
    for (const s of c.services || []) {
      if (!id(s.id) || services.includes(s.id)) return false;
      services.push(s.id);
      if (blank(s.title) || blank(s.provider) || blank(s.purpose) || !url(s.privacy_policy_url)) return false;
      for (const k of s.cookies || []) {
        if (!pattern(k.name) || (k.path != null && !k.path.startsWith("/"))) return false;
        if (k.domain != null && !/^[A-Za-z0-9.-]+$/.test(k.domain.replace(/^\.+/, ""))) return false;
      }
      for (const k of s.storage_keys || []) if (/^\**$/.test(k) || globMatch(k, key) || globMatch(k, key + "_history")) return false;
      for (const x of s.scripts || []) {
        if (!url(x.src)) return false;
        if (x.integrity != null && !/^sha(256|384|512)-./.test(x.integrity)) return false;
      }
    }
  }
  for (const [cat, keys] of Object.entries(cfg.consent_mode?.map || {})) if (!cats.includes(cat) || !keys.every((k) => MODE_KEYS.includes(k))) return false;
  if (Object.values(cfg.texts || {}).some(blank) || !tag(cfg.default_language ?? "en")) return false;
  // A fixed language must be one the config can be shown in (src/core/i18n.rs `match_language`,
  // ported to logic.mjs and held equal by the shared language table), for a plain tag: no
  // spaces to trim and no letters beyond ASCII, where Rust's and JS's case folding differ.
  if (cfg.language != null && !(tag(cfg.language) && matchLanguage(cfg.language, languages(cfg)))) return false;
  for (const [lang, t] of Object.entries(cfg.translations || {})) {
    if (!tag(lang) || Object.values(t.texts || {}).some(blank)) return false;
    if (!Object.keys(t.categories || {}).every((c) => cats.includes(c)) || !Object.keys(t.services || {}).every((s) => services.includes(s))) return false;
  }
  return true;
}

/** Whether the core accepts `text` as a config, as far as this code can tell (false: ask the core). */
// Twin: src/core/validate.rs from_json
export function usable(text) {
  try {
    const cfg = parse(text);
    return CONFIG(cfg) && rules(cfg);
  } catch {
    return false;
  }
}
