// Shared helpers for the end-to-end tests: one Chromium, one static server over dist/,
// a fresh browser context per test, and a page object for the demo.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "./serve.mjs";

export const DIST = new URL("../../site/", import.meta.url).pathname;
export const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
/// The demo's stand-in tag scripts (monitor.js is the demo's log, not a tag).
export const TAG_PATH = /\/tags\/(gtag|mixpanel|algolia)-standin\.js$/;

const HERE = new URL(".", import.meta.url).pathname;
/// Extra paths the test server serves next to dist/: test pages and the real
/// vendor libraries from npm (served locally; there is no internet here).
export const MOUNTS = {
  "/shop/": `${HERE}pages/shop`,
  "/migrate/": `${HERE}pages/migrate`,
  "/gcm/": `${HERE}pages/gcm`,
  "/vendor/cookieconsent/": `${HERE}node_modules/vanilla-cookieconsent/dist`,
  "/vendor/mixpanel/": `${HERE}node_modules/mixpanel-browser/dist`,
  "/vendor/search-insights/": `${HERE}node_modules/search-insights/dist`,
};

/// `bfcache`: keep the back/forward cache on (Playwright turns it off by default).
export async function launch({ args = [], bfcache = false } = {}) {
  const server = await startServer(DIST, 0, MOUNTS);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS, ...args],
    ignoreDefaultArgs: bfcache ? ["--disable-back-forward-cache"] : [],
  });
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/// Opens the demo in a new context. `init` scripts run before any page script.
export async function openDemo(env, { init = [], route } = {}) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const visit = { context, page, base: env.server.url, errors: [], tagRequests: [], warnings: [] };
  page.on("pageerror", (e) => visit.errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "warning" || m.type() === "error") visit.warnings.push(m.text());
  });
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (TAG_PATH.test(path)) visit.tagRequests.push(path);
  });
  for (const script of init) await page.addInitScript(script);
  if (route) await page.route(route.match, route.handler);
  await goto(visit);
  return visit;
}

/// The page without its config's data-checked stamp.
export const unchecked = (body) => body.replace(/ data-checked="[^"]*"/, "");

/// Without the early banner's decision code (leptos-consent-decide.js), which checks an
/// unstamped config itself (boot/valid.mjs): a first visit then loads the UI at once, as
/// on a site whose config nothing has vouched for (the path these tests were written for).
export const withoutDecider = (pageOrContext) => pageOrContext.route(/\/leptos-consent-decide\.js$/, (route) => route.abort());

const LCC_CHECK = new URL("../../target/debug/lcc-check", import.meta.url).pathname;

/// The page with its config checked and stamped by the real `lcc-check` (built by `make build`).
export function stamp(html) {
  const dir = mkdtempSync(join(tmpdir(), "lcc-stamp-"));
  const file = join(dir, "page.html");
  writeFileSync(file, html);
  execFileSync(LCC_CHECK, ["--write", file], { stdio: ["ignore", "ignore", "inherit"] });
  const out = readFileSync(file, "utf8");
  rmSync(dir, { recursive: true });
  return out;
}

/// The demo's snippet (the boot script deferred, then the first-layer hint, boot/hint.html).
export const SNIPPET = /<script defer src=("?)([^ >]*leptos-consent-boot\.js)\1><\/script>\s*<script>\(d=>.*?<\/script>/;

/// The page with the README's snippet replaced by `tag` ($1 the quote, $2 the boot script's URL).
const snippetAs = (tag) => (body) => {
  assert.match(body, SNIPPET);
  return body.replace(SNIPPET, tag);
};

/// The page with the boot script as a classic script that blocks the parser and no hint: the
/// snippet before December 2026, which a site may keep. Its tags run while the page parses.
export const classic = snippetAs("<script src=$1$2$1></script>");

/// The page with the boot script deferred and no hint: a returning visitor's boot script, too,
/// runs once the page is parsed (as where the hint leaves it deferred: a tag with integrity).
export const deferredOnly = snippetAs("<script defer src=$1$2$1></script>");

/// The demo's front page served through `edit` (its HTML in, the HTML to serve out).
export const FRONT = /\/(index\.html)?$/;
export const routeFront = (page, edit) =>
  page.route(FRONT, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: edit(await res.text()) });
  });

/// Serves the demo's front page with the classic snippet (see `classic`).
export const routeClassic = (page) => routeFront(page, classic);

/** Holds a response until `release()`: a file still downloading. `handler` is the route's. */
export function held() {
  let release;
  const gate = new Promise((r) => (release = r));
  const requested = [];
  return {
    requested,
    release,
    handler: async (route) => {
      requested.push(route.request().url());
      await gate;
      await route.continue();
    },
  };
}

/// Serves the demo's pages without the stamp (see `unchecked`) and without the early
/// banner's decision code (see `withoutDecider`): a first visit loads the UI.
export const routeUnchecked = async (page) => {
  await withoutDecider(page);
  await page.route(/\/(index\.html|dropin\.html)?$/, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: unchecked(await res.text()) });
  });
};

/// Loads (or reloads) the demo and waits until the consent UI is mounted.
export async function goto(visit, path = "/") {
  const { page } = visit;
  await page.goto(new URL(path, visit.base).href);
  await ready(page);
}

export async function reload(visit) {
  await visit.page.reload();
  await ready(visit.page);
}

/// Waits until the consent manager has settled the page view: the boot script
/// decided on its own (a returning visitor), the UI is mounted, or the early
/// banner shows and decides on its own (a first visit under a checked config).
export async function ready(page) {
  await page.waitForFunction(
    () =>
      window.__lccBoot === "returning" ||
      document.querySelector("#lcc-root [data-testid=lcc-preferences]") ||
      // A first visit under a checked config: the early banner decides Accept all and Reject all itself.
      document.querySelector("#lcc-boot[data-quick] [data-testid=lcc-banner]:not([hidden])"),
    null,
    { timeout: 15000 },
  );
}

/// Loads the consent UI on a page where the boot script decided alone, as a
/// visitor's first click on "Cookie settings" would, without opening anything.
export async function ensureUi(page) {
  await page.waitForSelector("#lcc-root [data-testid=lcc-preferences]", { state: "attached", timeout: 15000 });
}

/// Records the paths of the requests matching `pattern` the page makes from now on.
function watchRequests(page, pattern) {
  const seen = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (pattern.test(path)) seen.push(path);
  });
  return seen;
}

/// Records the UI's files (glue, wasm and stylesheet) the page requests from now on. (The early
/// banner has a stylesheet of its own, leptos-consent-banner.css, which is not one of them.)
export const watchUi = (page) => watchRequests(page, /\/dist\/leptos-consent(\.js|_bg\.wasm|\.css)$/);

/// Which demo tags ran on this page view, in order.
export const tagRuns = (page) => page.evaluate(() => (window.lccDemoRuns || []).slice());

/// Waits for `n` tag runs, then for the page to go quiet, to catch any extra (duplicate) run.
export async function settleRuns(page, n) {
  if (n > 0) await page.waitForFunction((n) => (window.lccDemoRuns || []).length >= n, n, { timeout: 10000 });
  await quiet(page);
  return tagRuns(page);
}

/**
 * Resolves once the page has gone quiet: no request started since the call under way and
 * no request started or finished for 500 ms (one held by the test for longer than 2 s
 * counts as held, not under way), then a frame drawn and a task run. For a test that
 * checks something did not happen (nothing ran, nothing was fetched or written again): the
 * page having nothing left to do is the condition. A page that never goes quiet fails.
 */
export async function quiet(page, { idleMs = 500 } = {}) {
  const started = new Map();
  let last = Date.now();
  const start = (r) => (started.set(r, Date.now()), (last = Date.now()));
  const end = (r) => (started.delete(r), (last = Date.now()));
  page.on("request", start);
  page.on("requestfinished", end);
  page.on("requestfailed", end);
  try {
    const busy = () => [...started.values()].some((t) => Date.now() - t < 2000);
    const deadline = Date.now() + 15000;
    while (busy() || Date.now() - last < idleMs) {
      if (Date.now() > deadline) throw new Error("the page did not go quiet within 15 s");
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    page.off("request", start);
    page.off("requestfinished", end);
    page.off("requestfailed", end);
  }
  await frames(page, 1);
}

/// Resolves once the page has drawn `n` frames (and run a task after the last); a page that
/// draws none (hidden) fails after 5 s instead of hanging.
export const frames = (page, n) =>
  page.evaluate(
    (n) =>
      new Promise((r, no) => {
        const t = setTimeout(() => no(new Error("no frame drawn within 5 s")), 5000);
        const f = (k) => (k ? requestAnimationFrame(() => f(k - 1)) : setTimeout(() => (clearTimeout(t), r())));
        f(n);
      }),
    n,
  );

/// Polls `condition` (which may be async) until it holds; fails after `timeout` ms.
export async function until(condition, { timeout = 15000, what = String(condition) } = {}) {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not met within ${timeout} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * For a test about time passing: waits `ms`, and `why` says what needs that time (a
 * stand-in that rewrites its cookies every second must have had its rounds). The only
 * fixed waits in the end-to-end tests go through here.
 */
export const timePasses = (page, ms, why) => (assert.ok(why), page.waitForTimeout(ms));

export const stored = (page) => page.evaluate(() => {
  try { return window.localStorage.getItem("lcc_consent"); } catch { return "storage blocked"; }
});

export const trackerCookies = async (context) =>
  (await context.cookies()).map((c) => c.name).filter((n) => /^(_ga|_gid|mp_|_ALGOLIA)/.test(n)).sort();

export const bannerVisible = (page) => page.getByTestId("lcc-banner").isVisible();

/**
 * The demo with `<html lang>` set to `lang` (null: removed), the config changed
 * by `patch(cfg)`, the browser's languages from `locale`, the rest of the HTML
 * by `html(text)`; `path` is the demo page to open (index or preferences).
 * `wait: false` returns as soon as the page is loading. The page's config stamp
 * is dropped (see `unchecked`), and a first visit loads the UI (`withoutDecider`);
 * with `checked`, the page as changed is stamped again by lcc-check (`stamp`);
 * with `vouched`, the early banner checks the unstamped config itself.
 */
export async function openWith(env, { lang = "en", patch, locale = "en-US", routes = [], path = "/", contextOptions = {}, html, wait = true, checked = false, vouched = false } = {}) {
  const context = await env.browser.newContext({ locale, ...contextOptions });
  const page = await context.newPage();
  if (!checked && !vouched) await withoutDecider(page);
  const v = { context, page, errors: [] };
  page.on("pageerror", (e) => v.errors.push(String(e)));
  await page.addInitScript(() => {
    window.__lccErrors = [];
    addEventListener("lcc:error", (e) => window.__lccErrors.push(e.detail.message));
  });
  await page.route(/\/(index\.html|preferences\.html)?$/, async (route) => {
    const res = await route.fetch();
    let body = (await res.text()).replace(/<html lang="?en"?>/, lang ? `<html lang=${lang}>` : "<html>");
    body = unchecked(body);
    if (html) body = html(body);
    if (patch) {
      // (The patched text no longer fits the page's data-checked stamp: dropped, so the UI checks it.)
      body = body.replace(/(<script id=cc-config type=application\/json)(?: data-checked="[^"]*")?(>)([\s\S]*?)(<\/script>)/, (_, a, b, json, c) => {
        const cfg = JSON.parse(json);
        patch(cfg);
        return a + b + JSON.stringify(cfg).replace(/</g, "\\u003c") + c;
      });
    }
    // `checked`: stamped by lcc-check, the core's own check, as `make build` stamps the demo.
    if (checked && /id=.?cc-config/.test(body)) body = stamp(body);
    await route.fulfill({ response: res, body });
  });
  // The preference-center page loads its config from a file.
  if (patch) {
    await page.route("**/consent-config.json", async (route) => {
      const res = await route.fetch();
      const cfg = await res.json();
      patch(cfg);
      await route.fulfill({ response: res, body: JSON.stringify(cfg) });
    });
  }
  for (const [m, h] of routes) await page.route(m, h);
  await page.goto(env.server.url + path);
  if (wait) await ready(page);
  return v;
}

