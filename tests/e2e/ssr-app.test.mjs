// The server-rendered Leptos app (examples/ssr-app: axum, leptos_axum, ssr + hydrate),
// built by `make ssr-example`, run as its own server and driven in Chromium: the banner is
// in the server's HTML, hydration is clean, a press before hydration counts, and the server
// knows a decided visitor's choice through the cookie copy (tested both ways), and keeps
// each decision in the consent log it mounts (/v1/decisions).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, until } from "./harness.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const SERVER = ROOT + "target/debug/lcc-ssr-example";
const COOKIE = "shop_consent";

let server, browser, base;

const freePort = () =>
  new Promise((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });

const logDir = mkdtempSync(join(tmpdir(), "lcc-ssr-log-"));

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(SERVER, [], {
    cwd: ROOT,
    env: {
      ...process.env, LEPTOS_OUTPUT_NAME: "lcc-ssr-example", LEPTOS_SITE_ROOT: "target/ssr-site", LEPTOS_SITE_PKG_DIR: "pkg", LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      // The app's own consent log, in a folder of this run.
      LCC_DATABASE_URL: `sqlite://${logDir}/log.db`, LCC_KEY_FILE: `${logDir}/receipt.key`,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((done, fail) => {
    server.once("error", fail);
    server.stdout.on("data", (d) => String(d).includes("listening") && done());
  });
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(logDir, { recursive: true, force: true });
});

/**
 * A fresh visitor. `hold`: the app's wasm is held back until `release()`, so the page is the
 * server's HTML and CSS alone. Every console message and page error is kept.
 */
async function visit({ hold = false, cookies = [] } = {}) {
  const context = await browser.newContext();
  if (cookies.length) await context.addCookies(cookies.map(([name, value]) => ({ name, value, url: base })));
  const page = await context.newPage();
  const console = [];
  page.on("console", (m) => console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => console.push(`pageerror: ${e.message}`));
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  let release = () => {};
  if (hold) {
    const held = new Promise((done) => (release = done));
    await page.route(/\/pkg\/.*\.wasm$/, async (route) => (await held, route.continue()));
  }
  return { context, page, console, requests, release: () => release() };
}

/** Waits until the app has hydrated and its consent session runs. */
const live = (page) => page.waitForFunction(() => window.__lccLive === true, null, { timeout: 20000 });

const serverHtml = async (cookie = "") => (await fetch(base + "/", { headers: cookie ? { cookie } : {} })).text();
const counted = async () => (await fetch(base + "/counted")).json();
const copy = async (context) => (await context.cookies()).find((c) => c.name === COOKIE);
/** What the console said that a developer would have to look at (the page has no favicon requests). */
const trouble = (console) => console.filter((l) => /^(error|warning|pageerror)/.test(l));

test("first visit: the banner is in the server's HTML and shown before any script of the app runs", async () => {
  const res = await fetch(base + "/");
  // A page drawn from the visitor's cookie is never served to another by a shared cache.
  assert.equal(res.headers.get("vary"), "Cookie, Sec-GPC");
  assert.match(res.headers.get("cache-control"), /private/);
  const html = await serverHtml();
  assert.match(html, /<section[^>]*data-testid="lcc-banner"/);
  assert.doesNotMatch(html.match(/<section[^>]*data-testid="lcc-banner"[^>]*>/)[0], /\bhidden\b/);
  assert.ok(!html.includes('data-testid="picks"'), "gated content is not in the HTML before consent");
  // The first layer's rules are inline; the whole stylesheet blocks nothing (media=print until loaded).
  assert.match(html, /<style[^>]*>[^<]*\.lcc-banner/);
  assert.match(html, /<link rel="stylesheet" href="\/pkg\/lcc-ssr-example\.css" media="print" data-lcc-css/);
  assert.match(html, /<noscript><link rel="stylesheet" href="\/pkg\/lcc-ssr-example\.css"/, "without scripts, the stylesheet applies");
  const v = await visit({ hold: true });
  await v.page.goto(base + "/", { waitUntil: "domcontentloaded" });
  // The wasm is held: what shows is the server's HTML with the stylesheet of the head.
  assert.equal(await v.page.evaluate(() => window.__lccLive), undefined);
  assert.ok(await v.page.getByTestId("lcc-banner").isVisible());
  const box = await v.page.getByTestId("lcc-banner").boundingBox();
  assert.ok(box.height > 40 && box.y + box.height <= 720 + 1, JSON.stringify(box));
  v.release();
  await live(v.page);
  assert.ok(await v.page.getByTestId("lcc-banner").isVisible());
  await until(() => v.page.evaluate(() => document.querySelector("link[data-lcc-css]").media === "all"), { what: "the whole stylesheet applied" });
  // Nothing gated ran, was requested or set a cookie, and nothing was stored.
  assert.deepEqual(v.requests.filter((p) => p.startsWith("/tags/")), []);
  assert.equal(await v.page.evaluate(() => window.__shopAnalytics), undefined);
  assert.deepEqual((await v.context.cookies()).map((c) => c.name), []);
  assert.equal(await v.page.getByTestId("counted").textContent(), "This visit was not counted.");
  assert.deepEqual(trouble(v.console), [], "no hydration error or warning");
  await v.context.close();
});

test("Accept all: the tag runs, the server's copy is set, and the next page is rendered decided", async () => {
  const v = await visit();
  await v.page.goto(base + "/");
  await live(v.page);
  await v.page.getByTestId("lcc-accept-all").click();
  await until(async () => (await v.page.evaluate(() => window.__shopAnalytics)) === 1, { what: "the analytics tag ran" });
  assert.equal(await v.page.getByTestId("analytics").textContent(), "Analytics: on Change");
  const c = await copy(v.context);
  assert.ok(c, "the cookie copy is set");
  assert.equal(c.sameSite, "Lax");
  assert.equal(c.secure, false, "Secure only on https");
  // It expires with the decision (after 182 days, the config's default).
  const days = (c.expires - Date.now() / 1000) / 86400;
  assert.ok(days > 181.9 && days <= 182, String(days));
  assert.match(c.value, /^1\.[0-9a-f-]{36}\.\d+\.\d+\.1\.banner\.marketing~necessary~performance\.shop-analytics$/);
  assert.equal(await v.page.evaluate((k) => JSON.parse(localStorage.getItem(k)).via, "shop_consent"), "banner");
  // The decision is in the app's own consent log (same origin), with a receipt kept here.
  const id = await v.page.evaluate((k) => JSON.parse(localStorage.getItem(k)).id, "shop_consent");
  await until(async () => (await v.page.evaluate(() => JSON.parse(localStorage.getItem("shop_consent_log") || "{}").receipts?.length)) === 1, { what: "the log's receipt kept" });
  const logged = (await (await fetch(`${base}/v1/consents/${id}`)).json()).decisions;
  assert.deepEqual(logged.map((d) => [d.seq, d.source, d.path, d.categories.marketing]), [[1, "banner", "/", true]]);

  // The next page: the server knows. No banner in its HTML or in any frame after.
  const before = (await counted()).length;
  const html = await serverHtml(`${COOKIE}=${c.value}`);
  assert.match(html.match(/<section[^>]*data-testid="lcc-banner"[^>]*>/)[0], /\bhidden\b/);
  assert.ok(html.includes('data-testid="picks"'), "granted gated content is server-rendered");
  assert.doesNotMatch(html, /<style/, "no first-layer rules for a visitor who is not asked");
  assert.ok(html.includes("This visit was counted."));
  assert.equal((await counted()).length, before + 1, "the server function counted the view");
  await v.page.reload({ waitUntil: "domcontentloaded" });
  assert.equal(await v.page.getByTestId("lcc-banner").isVisible(), false);
  await live(v.page);
  assert.equal(await v.page.getByTestId("lcc-banner").isVisible(), false);
  await until(async () => (await v.page.evaluate(() => window.__shopAnalytics)) === 1, { what: "the tag ran again" });
  assert.deepEqual(trouble(v.console), [], "no hydration error or warning");
  await v.context.close();
});

test("returning visitor: no banner in any frame, and the granted tag runs while the page parses", async () => {
  // A decision made on an earlier visit.
  const first = await visit();
  await first.page.goto(base + "/");
  await live(first.page);
  await first.page.getByTestId("lcc-accept-all").click();
  await until(async () => (await copy(first.context))?.value.includes("~performance"), { what: "a copy" });
  const state = await first.context.storageState();
  await first.context.close();

  const context = await browser.newContext({ storageState: state });
  const page = await context.newPage();
  const trouble_ = [];
  page.on("console", (m) => /^(error|warning)$/.test(m.type()) && trouble_.push(m.text()));
  // Every frame from the first: the banner is never visible, and by the first one the tag ran.
  await page.addInitScript(() => {
    // (Until ten frames after the app is live.)
    window.__frames = [];
    let after = 0;
    const look = () => {
      const b = document.querySelector("[data-testid=lcc-banner]");
      window.__frames.push({ banner: !!b && b.checkVisibility(), tag: window.__shopAnalytics || 0, live: !!window.__lccLive });
      if (!window.__lccLive || ++after < 10) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  let release;
  const held = new Promise((done) => (release = done));
  await page.route(/\/pkg\/.*\.wasm$/, async (route) => (await held, route.continue()));
  await page.goto(base + "/", { waitUntil: "domcontentloaded" });
  // The wasm is held: the parser alone ran the tag (the server rendered it live).
  assert.equal(await page.evaluate(() => window.__shopAnalytics), 1);
  assert.equal(await page.evaluate(() => document.readyState !== "loading"), true);
  release();
  await live(page);
  await page.waitForFunction(() => window.__frames.filter((f) => f.live).length >= 10);
  const frames = await page.evaluate(() => window.__frames);
  assert.ok(frames.every((f) => !f.banner), JSON.stringify(frames.slice(0, 5)));
  assert.equal(await page.evaluate(() => window.__shopAnalytics), 1, "run once, not again by the script gate");
  assert.deepEqual(trouble_, []);
  await context.close();
});

test("Reject all: nothing runs, the server counts nothing, and gated content stays out of its HTML", async () => {
  const v = await visit();
  await v.page.goto(base + "/");
  await live(v.page);
  await v.page.getByTestId("lcc-reject-all").click();
  await until(async () => (await copy(v.context))?.value.includes("!performance"), { what: "the refusal's copy" });
  const c = await copy(v.context);
  const before = (await counted()).length;
  const html = await serverHtml(`${COOKIE}=${c.value}`);
  assert.match(html.match(/<section[^>]*data-testid="lcc-banner"[^>]*>/)[0], /\bhidden\b/);
  assert.ok(!html.includes('data-testid="picks"'));
  assert.ok(html.includes("This visit was not counted."));
  await v.page.reload();
  await live(v.page);
  assert.equal(await v.page.getByTestId("counted").textContent(), "This visit was not counted.");
  assert.equal((await counted()).length, before, "nothing counted without consent");
  assert.deepEqual(v.requests.filter((p) => p.startsWith("/tags/")), []);
  assert.deepEqual(trouble(v.console), []);
  await v.context.close();
});

test("a press on Accept all before the app hydrates is carried out once it has", async () => {
  const v = await visit({ hold: true });
  await v.page.goto(base + "/", { waitUntil: "domcontentloaded" });
  await v.page.getByTestId("lcc-accept-all").click();
  v.release();
  await live(v.page);
  await until(async () => (await copy(v.context))?.value.includes(".banner.marketing~necessary~performance."), { what: "the press was stored" });
  await until(async () => !(await v.page.getByTestId("lcc-banner").isVisible()), { what: "the banner closed" });
  await until(async () => (await v.page.evaluate(() => window.__shopAnalytics)) === 1, { what: "the tag ran" });
  assert.deepEqual(trouble(v.console), []);
  await v.context.close();
});

test("a copy the core does not accept is no consent: forged, another revision, or doubled", async () => {
  const v = await visit();
  await v.page.goto(base + "/");
  await live(v.page);
  await v.page.getByTestId("lcc-accept-all").click();
  await until(async () => (await copy(v.context))?.value.includes("performance"), { what: "a copy" });
  const good = (await copy(v.context)).value;
  for (const cookie of [
    `${COOKIE}=${good.replace(".1.banner.", ".2.banner.")}`, // a revision the config does not have
    `${COOKIE}=${good.replace("~performance", "~performance~tracking")}`, // a category it does not have
    `${COOKIE}=${good.replace(/\.\d+\.\d+\./, ".1.99999999999999.")}`, // decided in the future
    `${COOKIE}=${good}; ${COOKIE}=${good}`, // two of one name: which was meant is unknowable
    `${COOKIE}=${good} x`,
  ]) {
    const html = await serverHtml(cookie);
    assert.doesNotMatch(html.match(/<section[^>]*data-testid="lcc-banner"[^>]*>/)[0], /\bhidden\b/, cookie);
    assert.ok(html.includes("This visit was not counted."), cookie);
    assert.ok(!html.includes('data-testid="picks"'), cookie);
  }
  await v.context.close();
});

test("a copy this browser's storage does not hold is taken back once the page is live", async () => {
  // A decision's copy, without the decision in this browser's storage (cleared, or planted).
  const v = await visit();
  await v.page.goto(base + "/");
  await live(v.page);
  await v.page.getByTestId("lcc-accept-all").click();
  await until(async () => (await copy(v.context))?.value.includes("~performance"), { what: "a copy" });
  await until(async () => (await v.context.cookies()).some((c) => c.name === "_sa_id"), { what: "the tag's cookie" });
  await v.page.evaluate(() => localStorage.clear());
  await v.page.reload();
  await live(v.page);
  // The server drew the decided page; the browser holds no decision: the tag's cookie and the copy go, the banner asks.
  await until(async () => !(await v.context.cookies()).some((c) => c.name === "_sa_id"), { what: "_sa_id erased" });
  await until(async () => !(await copy(v.context)), { what: "the copy removed" });
  assert.ok(v.console.some((l) => l.includes("taken back")), v.console.join("\n"));
  await v.context.close();
});

test("a withdrawal in the preference center updates the copy and erases the tag's cookie", async () => {
  const v = await visit();
  await v.page.goto(base + "/");
  await live(v.page);
  await v.page.getByTestId("lcc-accept-all").click();
  await until(async () => (await copy(v.context))?.value.includes("~performance"), { what: "a copy" });
  await v.page.goto(base + "/privacy");
  await live(v.page);
  await v.page.getByTestId("lcc-pc-reject-all").click();
  await until(async () => (await copy(v.context))?.value.includes("!performance"), { what: "the withdrawal's copy" });
  // The analytics tag's own cookie goes with the withdrawal.
  await until(async () => !(await v.context.cookies()).some((c) => c.name === "_sa_id"), { what: "_sa_id erased" });
  assert.deepEqual(trouble(v.console), []);
  await v.context.close();
});
