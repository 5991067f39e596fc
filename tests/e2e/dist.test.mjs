// The built distribution (what a plain HTML site copies): stable names, and the
// crate version it was built from, in dist/VERSION and on each JS file's first line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";

const ROOT = new URL("../../", import.meta.url);
const DIST = new URL("site/dist/", ROOT);
// The distribution's JS files.
const JS = ["leptos-consent-boot.js", "leptos-consent-banner.js", "leptos-consent-decide.js", "leptos-consent-valid.js", "leptos-consent.js"];
const version = /^version = "(.*)"$/m.exec(readFileSync(new URL("Cargo.toml", ROOT), "utf8"))[1];

test("dist has the stable file names and says which version it is", () => {
  assert.deepEqual(readdirSync(DIST).sort(), [
    "VERSION",
    "i18n",
    "leptos-consent-banner.css",
    "leptos-consent-banner.js",
    "leptos-consent-boot.js",
    "leptos-consent-decide.js",
    "leptos-consent-valid.js",
    "leptos-consent.css",
    "leptos-consent.d.ts",
    "leptos-consent.js",
    "leptos-consent_bg.wasm",
  ]);
  // The built-in languages other than English (which is inside the UI), one file each.
  assert.deepEqual(readdirSync(new URL("i18n/", DIST)).sort(), ["ar", "de", "es", "fr", "it", "ja", "nl", "pl", "pt", "zh"].map((l) => l + ".json"));
  assert.equal(readFileSync(new URL("VERSION", DIST), "utf8").trim(), version);
  for (const js of JS) {
    const first = readFileSync(new URL(js, DIST), "utf8").split("\n")[0];
    assert.equal(first, `/*! leptos-consent ${version} */`, js);
  }
});

// The decision code, run at the press, is compiled whole as it loads (V8's magic comment, on
// the line after the version); the boot script, which every page view runs, is not: compiled
// whole it made a returning visitor's first tag later (Makefile, small_js).
test("only the decision code asks to be compiled as it loads", () => {
  const HINT = "//# allFunctionsCalledOnLoad";
  for (const js of JS) {
    const lines = readFileSync(new URL(js, DIST), "utf8").split("\n");
    assert.equal(lines[1] === HINT, js === "leptos-consent-decide.js", js);
    assert.equal(lines.filter((l) => l.includes(HINT)).length, js === "leptos-consent-decide.js" ? 1 : 0, js);
  }
});

// The early banner's stylesheet is the first part of the UI's (style/consent.css up to "The first
// layer ends here"): the rules the first layer uses, and nothing of the preferences dialog, the
// preference center or the gates.
test("the early banner's stylesheet is the first layer's part of the UI's", () => {
  const early = readFileSync(new URL("leptos-consent-banner.css", DIST), "utf8");
  const all = readFileSync(new URL("leptos-consent.css", DIST), "utf8");
  for (const rule of [".lcc-root .lcc-banner{", ".lcc-root .lcc-btn{", ".lcc-root .lcc-sr-only{", ".lcc-root .lcc-link{", "--lcc-bg:"]) {
    assert.ok(early.includes(rule), rule);
  }
  for (const rule of [".lcc-root .lcc-modal{", ".lcc-root .lcc-switch{", ".lcc-center{", ".lcc-gate"]) assert.ok(!early.includes(rule), rule);
  assert.ok(all.startsWith(early.trim()), "leptos-consent.css begins with leptos-consent-banner.css");
  assert.ok(early.length < all.length * 0.6, `${early.length} of ${all.length} bytes`);
});
