// The returning-visitor decisions of leptos-consent, in plain JS for the boot script.
//
// This is a port of src/core/record.rs, decision.rs and gate.rs, kept small on
// purpose. It must decide exactly as the Rust core does: tests/shared-cases
// holds a table of cases (hand-written and generated from the Rust core) that
// both implementations run (cargo test; node --test tests/e2e/boot-logic.test.mjs).

const RECORD_VERSION = 1;
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const MAX_RECORD_BYTES = 16 * 1024;
const DAY_MS = 86400000;
const NECESSARY = "necessary";
const METHODS = ["banner", "preferences", "api"];
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
// Rust's str::trim (Unicode White_Space): unlike JS trim, it keeps U+FEFF and strips U+0085.
const TRIM = /^[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** FNV-1a over the UTF-16 code units of `text`, as 8 hex digits (the config fingerprint). */
export function fingerprint(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return ("0000000" + h.toString(16)).slice(-8);
}

function boolMap(v) {
  if (!v || typeof v !== "object" || Array.isArray(v)) return;
  const out = Object.create(null); // ids such as "__proto__" stay plain keys
  for (const k of Object.keys(v)) {
    if (typeof v[k] !== "boolean") return;
    out[k] = v[k];
  }
  return out;
}

// Keys in UTF-16 order: Rust's BTreeMap order (UTF-8 bytes) for every id a valid
// config can have (a-z, 0-9, '-', '_'); a record with other keys is refused by both anyway.
const mapText = (m) => "{" + Object.keys(m).sort().map((k) => JSON.stringify(k) + ":" + m[k]).join(",") + "}";
// Larger numbers than u64 holds never print back as the digits they were read from.
const uint = (n) => Number.isInteger(n) && n >= 0;

/**
 * Decodes a stored value into a record, or returns undefined. As the Rust core
 * (src/core/record.rs `decode`), only the exact text the library writes is
 * read: the record is re-encoded as serde_json writes it and must be equal.
 * That also refuses duplicate keys, spacing, escapes and other number forms.
 */
export function decodeRecord(stored) {
  let o;
  // UTF-16 length: equal to Rust's byte length for ASCII; a record with anything
  // else in it names no config id, so both sides refuse it anyway.
  if (stored.length > MAX_RECORD_BYTES) return;
  try {
    o = JSON.parse(stored);
  } catch {
    return;
  }
  if (!o || o.v !== RECORD_VERSION) return;
  const r = {
    id: o.id,
    first: o.first,
    last: o.last,
    rev: o.rev,
    categories: boolMap(o.categories),
    services: boolMap(o.services),
    via: o.via,
  };
  if (typeof r.id !== "string" || !uint(r.first) || !uint(r.last) || !uint(r.rev) || r.rev > 4294967295) return;
  if (!r.categories || !r.services || !METHODS.includes(r.via)) return;
  const text = `{"v":1,"id":${JSON.stringify(r.id)},"first":${r.first},"last":${r.last},"rev":${r.rev},"categories":${mapText(r.categories)},"services":${mapText(r.services)},"via":"${r.via}"}`;
  return text === stored ? r : undefined;
}

/** How long a decision stays valid under `cfg`, in ms. */
export const lifetime = (cfg) => (cfg.expires_after_days == null ? 182 : cfg.expires_after_days) * DAY_MS;

const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

/** The config's category with this id. */
function category(cfg, id) {
  return cfg.categories.find((c) => c.id === id);
}

/** [category, service] for a service id. */
function service(cfg, id) {
  for (const c of cfg.categories) for (const s of c.services || []) if (s.id === id) return [c, s];
}

function check(cfg, r, now) {
  if (!UUID_V4.test(r.id)) return false;
  if (r.first > r.last || r.last > now + MAX_CLOCK_SKEW_MS) return false;
  for (const id in r.categories) {
    const c = category(cfg, id);
    if (!c || (c.read_only && !r.categories[id])) return false;
  }
  for (const id in r.services) {
    const cs = service(cfg, id);
    if (!cs || (r.services[id] && r.categories[cs[0].id] === false)) return false;
  }
  return true;
}

/**
 * Reads a stored value against the config at `now` (Unix ms):
 * `{ prompt, record }` where `record` is the trusted record or undefined.
 */
export function assess(stored, cfg, now) {
  const r = stored == null ? undefined : decodeRecord(stored);
  if (!r || !check(cfg, r, now) || r.rev !== (cfg.revision || 0)) return { prompt: true };
  if (r.last + lifetime(cfg) <= now) return { prompt: true };
  let prompt = false;
  for (const c of cfg.categories) {
    if (!own(r.categories, c.id)) prompt = true;
    for (const s of c.services || []) if (!own(r.services, s.id)) prompt = true;
  }
  return { prompt, record: r };
}

// An explicit true or false for `id` in one of the record's maps.
const holds = (map, id, value) => !!map && own(map, id) && map[id] === value;

/** Whether a category is granted: read-only always, others by an explicit true. */
export function categoryGranted(cfg, r, id) {
  const c = category(cfg, id);
  return !!c && (!!c.read_only || holds(r && r.categories, id, true));
}

function categoryRefused(cfg, r, id) {
  const c = category(cfg, id);
  return !!c && !c.read_only && holds(r && r.categories, id, false);
}

/** Whether a service is granted: its category granted and an explicit true for it. */
export function serviceGranted(cfg, r, id) {
  const cs = service(cfg, id);
  return !!cs && (!!cs[0].read_only || (categoryGranted(cfg, r, cs[0].id) && holds(r && r.services, id, true)));
}

function serviceRefused(cfg, r, id) {
  const cs = service(cfg, id);
  return !!cs && !cs[0].read_only && holds(r && r.services, id, false);
}

/**
 * Whether a gated script with these attributes may run under `r`:
 * true, false, or a string saying why it never can (a mistake in the page).
 */
export function gate(cfg, r, categoryAttr, serviceAttr) {
  let cat = categoryAttr.replace(TRIM, "");
  const negated = cat[0] === "!";
  if (negated) cat = cat.slice(1).replace(TRIM, "");
  if (!cat) return "empty data-category";
  if (!category(cfg, cat)) return `unknown data-category "${cat}"`;
  let svc = serviceAttr == null ? "" : serviceAttr.replace(TRIM, "");
  if (!svc) return negated ? categoryRefused(cfg, r, cat) : categoryGranted(cfg, r, cat);
  if (negated) return "data-category=\"!…\" with data-service";
  const svcNegated = svc[0] === "!";
  if (svcNegated) svc = svc.slice(1).replace(TRIM, "");
  const cs = service(cfg, svc);
  if (!cs) return `unknown data-service "${svc}"`;
  if (cs[0].id !== cat) return `data-service "${svc}" is not in "${cat}"`;
  return svcNegated ? serviceRefused(cfg, r, svc) : serviceGranted(cfg, r, svc);
}

/** The scripts configured on granted services, in config order: [serviceId, {src, integrity}]. */
export function serviceScripts(cfg, r) {
  const out = [];
  for (const c of cfg.categories)
    for (const s of c.services || []) if (serviceGranted(cfg, r, s.id)) for (const src of s.scripts || []) out.push([s.id, src]);
  return out;
}

/** Whether a URL may become a link: http(s) or relative, as src/core/validate.rs `check_url`. */
export function safeUrl(url) {
  if (typeof url !== "string" || !url || /[\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(url)) return false;
  const m = /^([^/?#]*?):/.exec(url);
  return !m || /^https?$/i.test(m[1]);
}

/** The first layer's English defaults (src/core/config.rs `Texts::default`; a test holds them equal). */
export const BANNER_TEXTS = {
  banner_title: "We use cookies",
  banner_description:
    "We use cookies and similar technologies to measure how the site is used, remember your settings and show relevant offers. You choose which ones we may use; you can change your mind at any time.",
  privacy_policy_label: "Privacy policy",
  accept_all: "Accept all",
  reject_all: "Reject all",
  manage: "Manage preferences",
};
