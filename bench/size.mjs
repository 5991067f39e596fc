// Size guard on the release distribution (deterministic bytes, not time).
// `node bench/size.mjs [dist]`: prints raw, gzip and brotli sizes per file and
// per page-view kind, and exits 1 when a total is over its budget in budgets.json.
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dir = process.argv[2] || "dist";
const budgets = JSON.parse(readFileSync(new URL("budgets.json", import.meta.url)));

/// The first-layer hint, which the README's snippet puts in every page's HTML: counted
/// in every kind of page view (its own brotli size; inside a page it compresses a little
/// better).
const HINT = "hint.html";

/// What each kind of page view downloads from the distribution.
export const VIEWS = {
  // A returning visitor with a standing decision: the boot script only (and the hint).
  returning_visitor: ["leptos-consent-boot.js", HINT],
  // A first visit under a checked config (data-checked) answered on the first layer
  // (Accept all or Reject all): the boot script, the early banner, its stylesheet and
  // the code that carries the choice out.
  first_layer: ["leptos-consent-boot.js", HINT, "leptos-consent-banner.js", "leptos-consent-banner.css", "leptos-consent-decide.js"],
  // The same under a config nothing has checked yet: the decision code checks it first.
  first_layer_unstamped: ["leptos-consent-boot.js", HINT, "leptos-consent-banner.js", "leptos-consent-banner.css", "leptos-consent-decide.js", "leptos-consent-valid.js"],
  // A first visit that opens the preferences (or under a config nothing vouches for): then the UI too
  // (and its whole stylesheet; under a checked config, the decision code fetched once the banner shows).
  first_visit: ["leptos-consent-boot.js", HINT, "leptos-consent-banner.js", "leptos-consent-banner.css", "leptos-consent.css", "leptos-consent-decide.js", "leptos-consent.js", "leptos-consent_bg.wasm"],
};

export function measure(file) {
  const body = readFileSync(file === HINT ? new URL("../boot/hint.html", import.meta.url) : `${dir}/${file}`);
  return {
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const files = [...new Set(Object.values(VIEWS).flat())];
const sizes = Object.fromEntries(files.map((f) => [f, measure(f)]));
const rows = ["| file | raw | gzip | brotli |", "|---|---:|---:|---:|"];
for (const f of files) rows.push(`| ${f} | ${sizes[f].raw} | ${sizes[f].gzip} | ${sizes[f].brotli} |`);
let over = false;
for (const [view, list] of Object.entries(VIEWS)) {
  const total = (k) => list.reduce((n, f) => n + sizes[f][k], 0);
  const budget = budgets[view];
  const ok = total("brotli") <= budget;
  over ||= !ok;
  rows.push(`| **${view}** total | ${total("raw")} | ${total("gzip")} | ${total("brotli")} (budget ${budget}${ok ? "" : ", OVER"}) |`);
}
console.log(rows.join("\n"));
if (over) {
  console.error("size budget exceeded: see bench/budgets.json");
  process.exit(1);
}
