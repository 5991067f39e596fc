// The switches of a decision worked out without the UI (`uniform` for the
// early banner's Accept all / Reject all, `apiChoice` for the API's
// acceptCategory / acceptService, first or later), and `warm`: on "Accept all" pressed before
// the decision is carried out, the scripts it grants start downloading at once
// (they do not run), so that they come from the browser's cache when they do.
import { alwaysOn, categoryGranted, fetchAttrs, gate, gpcLocked, own, serviceFetchAttrs, serviceGranted, serviceScripts } from "./logic.mjs";

/**
 * The switches of "Accept all" (`on`) or "Reject all", as the core's
 * `Choice::uniform` under the browser's GPC `signal`: read-only categories on,
 * locked ones off, every service as its category.
 */
// Twin: src/core/decision.rs uniform
export function uniform(cfg, on, signal) {
  const locked = gpcLocked(cfg, signal).map((c) => c.id);
  const r = { categories: {}, services: {} };
  for (const c of cfg.categories) {
    const v = alwaysOn(c) || (on && !locked.includes(c.id));
    r.categories[c.id] = v;
    for (const s of c.services || []) r.services[s.id] = v;
  }
  return r;
}

/**
 * The choice an API call that decides (`acceptCategory(categories?, exclude?)`,
 * `acceptService(services, category)`) saves, as the UI would (src/core/api.rs
 * `ApiCommand::parse`, `accept_categories`, `accept_services`), starting from
 * what the record `rec` grants (none: a first visit; `Choice::from_record`).
 * Undefined where there is no choice to save (arguments of another kind, a
 * category the config lacks), and, unless `lenient`, where a name the config
 * lacks is given (the UI reports it and carries the call out itself; lenient,
 * it is ignored as the UI ignores it). Shared table: tests/core_shared_cases.rs
 * `api_decisions_…`.
 */
// Twin: src/core/api.rs accept_categories
// Twin: src/core/api.rs accept_services
export function apiChoice(cfg, method, args, signal, rec, lenient) {
  const locked = gpcLocked(cfg, signal).map((c) => c.id);
  const ch = uniform(cfg, false, signal);
  if (rec)
    for (const c of cfg.categories) {
      ch.categories[c.id] = categoryGranted(cfg, rec, c.id);
      for (const s of c.services || []) ch.services[s.id] = serviceGranted(cfg, rec, s.id);
    }
  // A name, a list of names, or none (null and a missing argument read the same; JSON has
  // no undefined); false for anything else.
  const names = (v) => (v == null ? null : typeof v == "string" ? v : Array.isArray(v) && v.every((x) => typeof x == "string") && v);
  const list = (v) => (v == null ? [] : [].concat(v));
  // Named: "all" (a name on its own) names everything.
  const selects = (n, id) => n === "all" || list(n).includes(id);
  const category = (id) => cfg.categories.find((c) => c.id === id);
  const setCategory = (c, on) => {
    if (!c) return;
    on = (on && !locked.includes(c.id)) || alwaysOn(c);
    ch.categories[c.id] = on;
    for (const s of c.services || []) ch.services[s.id] = on;
  };
  const [a, b] = args;
  const first = names(a);
  if (first === false || (method != "acceptCategory" && method != "acceptService")) return;
  if (method == "acceptCategory") {
    const exclude = names(b);
    if (exclude === false || (!lenient && [...(first === "all" ? [] : list(first)), ...list(exclude)].some((n) => !category(n)))) return;
    if (first != null) for (const c of cfg.categories) setCategory(c, selects(first, c.id));
    for (const id of list(exclude)) setCategory(category(id), false);
    return ch;
  }
  const cat = typeof b == "string" && category(b);
  const services = cat && (cat.services || []);
  if (first == null || !cat || (!lenient && first !== "all" && list(first).some((n) => !services.some((s) => s.id === n)))) return;
  if (!services.length) setCategory(cat, first === "all");
  if (!alwaysOn(cat) && !locked.includes(cat.id))
    for (const s of services) {
      ch.services[s.id] = selects(first, s.id);
      ch.categories[cat.id] = services.some((x) => ch.services[x.id] === true);
    }
  return ch;
}

/** What "Accept all" grants (`Choice::accept_all`; shared table: the `accept_all` cases of tests/core_shared_cases.rs). */
export const acceptAll = (cfg, signal) => uniform(cfg, true, signal);

/**
 * Starts downloading every external script `acceptAll` would let run on this
 * page, with the attributes the boot script's own preload gives it (so that
 * the later insertion takes the same response).
 */
export function warm(doc, cfg, signal) {
  const r = acceptAll(cfg, signal);
  const any = doc.querySelector("script[nonce]");
  const pageNonce = any && any.nonce;
  const fetchScript = (href, module, attrs, nonce) => {
    const l = doc.createElement("link");
    l.rel = module ? "modulepreload" : "preload";
    l.as = "script";
    l.href = href;
    for (const [k, v] of attrs) l.setAttribute(k, v);
    if (nonce) l.nonce = nonce;
    own("head").appendChild(l);
  };
  for (const ph of doc.querySelectorAll('script[type="text/plain"][data-category][src]:not([data-lcc-state])')) {
    // (Under a nonce, one without it never runs: nothing to fetch.)
    if ((pageNonce && ph.nonce !== pageNonce) || gate(cfg, r, ph.getAttribute("data-category"), ph.getAttribute("data-service")) !== true) continue;
    fetchScript(ph.src, ph.getAttribute("data-type") == "module", fetchAttrs(ph), pageNonce);
  }
  for (const [, s] of serviceScripts(cfg, r)) {
    fetchScript(s.src, false, serviceFetchAttrs(s), pageNonce);
  }
}
