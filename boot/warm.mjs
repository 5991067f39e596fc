// "Accept all" pressed on the early banner, before the UI has arrived: the
// scripts that press grants start downloading at once (they do not run), so
// that when the UI carries the press out, a moment later, they come from the
// browser's cache instead of the network. What runs is decided by the UI
// alone, as before; a config the UI refuses runs nothing.
import { alwaysOn, fetchAttrs, gate, gpcLocked, own, serviceFetchAttrs, serviceScripts } from "./logic.mjs";

/**
 * The switches of "Accept all" (`on`) or "Reject all", as the core's
 * `Choice::uniform` under the browser's GPC `signal`: read-only categories on,
 * locked ones off, every service as its category.
 */
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
