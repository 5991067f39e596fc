// A decision in plain JS: what a first decision (the early banner's Accept
// all or Reject all, or the API's) stores and cleans up, so that a first
// visit needs no wasm when the visitor answers there, and the clean-up of any
// later decision made through the API, done at once while the UI comes to
// store it. A port of the core's `record_decision` (the stored text of a
// first decision), `diff`, `HistoryEntry`, `plan_erase`, `plan_erase_cookies`
// and `plan_http_only_probe` (src/core/decision.rs, history.rs, erase.rs,
// pattern.rs). It must answer exactly as the core does:
// tests/core_shared_cases.rs writes generated tables of cases that
// tests/mirror/boot-logic.test.mjs replays against this file. Pure: no DOM.
import { alwaysOn, byId, categoryGranted, gpcLocked, serviceGranted } from "./logic.mjs";

/** `*` matches any run of characters (src/core/pattern.rs `glob_match`). */
// Twin: src/core/pattern.rs glob_match
export function globMatch(pattern, name) {
  let p = 0;
  let n = 0;
  let star = -1;
  let mark = 0;
  while (n < name.length) {
    if (pattern[p] === "*") {
      star = p++;
      mark = n;
    } else if (p < pattern.length && pattern[p] === name[n]) {
      p++;
      n++;
    } else if (star >= 0) {
      p = star + 1;
      n = ++mark;
    } else return false;
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

/** Where the decision, its history and the attestation are stored (`storage_key`, `history_key`, `fingerprint_key`). */
export function storageKeys(cfg) {
  const record = cfg.storage_key || "lcc_consent";
  return { record, history: record + "_history", marker: record + "_config", log: record + "_log" };
}

/** 16 random bytes as a UUIDv4 (src/core/record.rs `uuid_v4`). */
// Twin: src/core/record.rs uuid_v4
export function uuid(bytes) {
  const b = [...bytes];
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return b.map((x, i) => ([4, 6, 8, 10].includes(i) ? "-" : "") + (x + 256).toString(16).slice(1)).join("");
}


/**
 * The stored text of a first decision (`record_decision` with no previous
 * record, then `encode`): `ch` is a choice (choices.mjs `uniform`), `via` the method, `now` Unix ms.
 */
// Twin: src/core/decision.rs record_decision
export function recordText(cfg, ch, via, now, bytes, signal) {
  const locked = gpcLocked(cfg, signal).map((c) => c.id);
  const categories = {};
  const services = {};
  for (const c of cfg.categories) {
    categories[c.id] = alwaysOn(c) || (!locked.includes(c.id) && ch.categories[c.id] === true);
    for (const s of c.services || []) services[s.id] = alwaysOn(c) || (categories[c.id] && ch.services[s.id] === true);
  }
  const map = (o) => byId(Object.entries(o));
  return `{"v":1,"id":"${uuid(bytes)}","first":${now},"last":${now},"rev":${cfg.revision || 0},"categories":${map(categories)},"services":${map(services)},"via":"${via}"}`;
}

/** What a first decision grants (`diff` from no record): the `lcc:change` detail. */
// Twin: src/core/decision.rs diff
export function changes(cfg, r) {
  const out = { granted_categories: [], revoked_categories: [], granted_services: [], revoked_services: [] };
  for (const c of cfg.categories) {
    if (!categoryGranted(cfg, undefined, c.id) && categoryGranted(cfg, r, c.id)) out.granted_categories.push(c.id);
  }
  for (const c of cfg.categories)
    for (const s of c.services || []) if (!serviceGranted(cfg, undefined, s.id) && serviceGranted(cfg, r, s.id)) out.granted_services.push(s.id);
  return out;
}

/** The history after a first decision, as stored (`HistoryEntry::new`, `encode_history`). */
// Twin: src/core/history.rs encode_history
export function historyText(r, ch, leftBehind) {
  const e = { at: r.last, via: r.via, rev: r.rev, granted: [...ch.granted_categories, ...ch.granted_services], revoked: [] };
  if (leftBehind.length) e.left_behind = leftBehind;
  return JSON.stringify([e]);
}

/** The services `r` does not grant, in config order (`denied_services`). */
// Twin: src/core/erase.rs denied_services
export const denied = (cfg, r) => cfg.categories.flatMap((c) => (c.services || []).filter((s) => !serviceGranted(cfg, r, s.id)));

/**
 * The clean-up after deciding `r` (src/core/erase.rs `plan_erase` with the
 * `denied` services): every present cookie a refused service's pattern
 * matches and no granted service claims, as forms to expire ([name, domain
 * or null, path], every domain and path it may have been set on), and every
 * such storage key but our own. `cookies` and `keys` are what the page has.
 */
// Twin: src/core/erase.rs plan_erase
export function planErase(cfg, r, cookies, keys, host, path) {
  const no = denied(cfg, r);
  const yes = cfg.categories.flatMap((c) => (c.services || []).filter((s) => serviceGranted(cfg, r, s.id)));
  const own = storageKeys(cfg);
  const rules = (list, field, name) => list.flatMap((s) => (s[field] || []).filter((p) => globMatch(field == "cookies" ? p.name : p, name)));
  const plan = { cookies: [], names: [], keys: [] };
  for (const n of cookies) {
    const hit = rules(no, "cookies", n);
    if (!hit.length || rules(yes, "cookies", n).length || plan.names.includes(n)) continue;
    const pick = (f) => hit.map((x) => x[f]).filter((v) => v != null);
    for (const d of candidateDomains(host, pick("domain"))) for (const p of candidatePaths(path, pick("path"))) plan.cookies.push([n, d, p]);
    plan.names.push(n);
  }
  for (const k of keys)
    if (k !== own.record && k !== own.history && k !== own.log && !plan.keys.includes(k) && !rules(yes, "storage_keys", k).length && rules(no, "storage_keys", k).length) plan.keys.push(k);
  return plan;
}

/** Whether the clean-up after deciding `r` would remove anything (whether `planErase` is not empty). */
export function eraseNeeded(cfg, r, cookies, keys) {
  const plan = planErase(cfg, r, cookies, keys, "", "/");
  return plan.names.length + plan.keys.length > 0;
}

const ascii = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const isIp = (h) => h[0] === "[" || /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(h);

/** The domains a cookie visible on `host` may have been set on (`candidate_domains`); null is host-only. */
// Twin: src/core/erase.rs candidate_domains
export function candidateDomains(host, configured) {
  host = ascii(host.replace(/\.+$/, ""));
  const out = [null];
  if (!host || isIp(host) || !host.includes(".")) return out;
  for (let d = host; ; d = d.slice(d.indexOf(".") + 1)) {
    out.push(d);
    if (!d.slice(d.indexOf(".") + 1).includes(".")) break;
  }
  for (let c of configured) {
    c = ascii(c.replace(/^\.+/, ""));
    if ((host === c || host.endsWith("." + c)) && !out.includes(c)) out.push(c);
  }
  return out;
}

/** The paths a cookie visible at `path` may have been set on (`candidate_paths`). */
// Twin: src/core/erase.rs candidate_paths
export function candidatePaths(path, configured) {
  const out = ["/"];
  const push = (p) => out.includes(p) || out.push(p);
  let prefix = "";
  for (const seg of path.split("/").filter(Boolean)) {
    prefix += "/" + seg;
    push(prefix);
    push(prefix + "/");
  }
  for (const c of configured) if (c[0] === "/") push(c);
  return out;
}

/** Whether a cookie with path `cp` is sent to `path` (RFC 6265 5.1.4, `path_matches`). */
// Twin: src/core/erase.rs path_matches
export const pathMatches = (cp, path) => path === cp || (path.startsWith(cp) && (cp.endsWith("/") || path[cp.length] === "/"));

/**
 * Where to look for HttpOnly copies of refused services' cookies after a
 * decision (`plan_http_only_probe`): [name, domain or null, path] for every
 * exact cookie name of the `no` services the page cannot see.
 */
// Twin: src/core/erase.rs plan_http_only_probe
export function probePlan(no, visible, host, path) {
  const forms = [];
  const names = [];
  for (const s of no)
    for (const rule of s.cookies || []) {
      const name = rule.name;
      if (name.includes("*") || names.includes(name) || visible.includes(name)) continue;
      names.push(name);
      for (const d of candidateDomains(host, rule.domain ? [rule.domain] : []))
        for (const p of candidatePaths(path, rule.path ? [rule.path] : [])) if (pathMatches(p, path)) forms.push([name, d, p]);
    }
  return forms;
}

/** What to assign to `document.cookie` to expire a form (`CookieDeletion::header`). */
// Twin: src/core/erase.rs header
export const expire = ([name, domain, path]) =>
  name + "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=" + path + (domain != null ? "; Domain=" + domain : "");

/**
 * `eraseCookies(names, path?, domain?)`'s plan (src/core/erase.rs `plan_erase_cookies`): every
 * cookie in `present` whose name matches one of `names` (exact or `*` patterns), on the given
 * path (else every path the page at `current` can see cookies from) and domain, host-only
 * (else the host and its parents). Returns the forms to expire ([name, domain, path]) and the
 * names matched.
 */
// Twin: src/core/erase.rs plan_erase_cookies
export function eraseCookiesPlan(names, path, domain, present, host, current) {
  const domains = domain != null ? [null, ascii(domain.replace(/^\.+/, ""))] : candidateDomains(host, []);
  const paths = path != null ? [path] : candidatePaths(current, []);
  const forms = [];
  const matched = [];
  for (const name of present) {
    if (matched.includes(name) || !names.some((p) => globMatch(p, name))) continue;
    for (const d of domains) for (const p of paths) forms.push([name, d, p]);
    matched.push(name);
  }
  return [forms, matched];
}

/** A page path as the consent log keeps it: no query string or fragment, at most 512 bytes. */
// Twin: src/core/log.rs logged_path
export function logPath(path) {
  let p = path.split(/[?#]/)[0];
  const b = new TextEncoder().encode(p);
  if (b.length > 512) {
    let n = 512;
    while (n > 0 && (b[n] & 0xc0) == 0x80) n--;
    p = new TextDecoder().decode(b.slice(0, n));
  }
  return p[0] == "/" ? p : "/" + p;
}

/** A first decision as posted to the consent log: the core's exact text (`LoggedDecision::encode`). */
// Twin: src/core/log.rs for_record
export function logEntry(r, seq, fp, source, lang, gpc, origin, path) {
  const q = JSON.stringify;
  const map = (o) => byId(Object.entries(o));
  return `{"v":1,"id":"${r.id}","seq":${seq},"first":${r.first},"at":${r.last},"rev":${r.rev},"config":"${fp}","categories":${map(r.categories)},"services":${map(r.services)},"source":"${source}","lang":${q(lang)},"gpc":${gpc},"origin":${q(origin)},"path":${q(logPath(path))}}`;
}
