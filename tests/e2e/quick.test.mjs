// A first visit under a checked config (the demo's #cc-config carries the
// data-checked stamp `make build` puts there with lcc-check): "Accept all" and
// "Reject all" on the early banner are carried out without the wasm UI, and
// what they leave behind is exactly what the UI would have: the core reads
// the record, the history and the attestation as its own.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { FRONT, SNIPPET, frames, held, launch, openDemo, openWith, quiet, routeFront, routeUnchecked, settleRuns, stamp, stored, trackerCookies, unchecked, watchUi } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Events as the page sees them, from before any script of the page. */
const EVENTS = () => {
  window.__ev = [];
  for (const n of ["lcc:consent", "lcc:change", "lcc:cleanup", "cc:onFirstConsent", "cc:onConsent", "cc:onChange", "cc:onModalHide"])
    addEventListener(n, () => window.__ev.push(n));
};

test("Accept all on a first visit runs the tags, stores the core's record and never fetches the UI", async () => {
  const v = await openDemo(env, { init: [EVENTS] });
  const { page, context } = v;
  const ui = watchUi(page);
  assert.equal(await page.locator("#lcc-boot[data-quick]").count(), 1, "the demo's config is stamped");
  await page.getByTestId("lcc-accept-all").click();
  const runs = await settleRuns(page, 5);
  assert.deepEqual([...runs].sort(), ["algolia", "ga", "ga-config", "mixpanel", "reading-list"]);
  assert.equal(await page.getByTestId("lcc-banner").isVisible(), false);
  assert.equal(await page.getByTestId("lcc-status").textContent(), "Preferences saved");
  const r = JSON.parse(await stored(page));
  assert.match(r.id, UUID4);
  assert.equal(r.via, "banner");
  assert.deepEqual(r.categories, { functionality: true, marketing: true, necessary: true, performance: true, "third-party": true });
  assert.deepEqual(r.services, { algolia: true, "google-analytics": true, mixpanel: true });
  assert.deepEqual(await page.evaluate(() => window.__ev), ["lcc:consent", "lcc:change", "cc:onFirstConsent", "cc:onConsent", "cc:onModalHide"]);
  assert.equal(await page.evaluate(() => CookieConsent.acceptedCategory("marketing") && CookieConsent.validConsent()), true);
  await quiet(page);
  assert.deepEqual(ui, [], "no UI file fetched");
  assert.deepEqual(v.errors, []);
  assert.deepEqual(v.warnings.filter((w) => w.includes("leptos-consent")), []);

  // The next page view: the boot script trusts what was stored (the attestation fits), no banner.
  await page.reload();
  await page.waitForFunction(() => window.__lccBoot === "returning");
  assert.deepEqual([...(await settleRuns(page, 5))].sort(), ["algolia", "ga", "ga-config", "mixpanel", "reading-list"]);
  assert.equal(await page.getByTestId("lcc-banner").isVisible(), false);
  // The UI, loaded for Cookie settings, reads the record as its own.
  await page.getByTestId("footer-cookie-settings").click();
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible" });
  assert.ok(ui.some((p) => p.endsWith("_bg.wasm")), "the UI loads for the settings");
  assert.equal(await page.locator("#lcc-cat-marketing").isChecked(), true);
  assert.equal(JSON.parse(await stored(page)).id, r.id, "the same consent id");
  assert.deepEqual(await page.evaluate(() => window.__lccErrors || []), []);
  // The preference center shows the decision in its history, as one made in the UI.
  await page.goto(new URL("/preferences.html", v.base).href);
  await page.getByTestId("lcc-pc-consent-id").waitFor();
  assert.equal(await page.getByTestId("lcc-pc-consent-id").textContent(), r.id);
  const history = page.getByTestId("lcc-pc-history").locator("li");
  assert.equal(await history.count(), 1);
  assert.match(await history.first().textContent(), /banner · Allowed: performance, functionality, marketing, third-party, google-analytics, algolia, mixpanel/);
  await context.close();
});

test("Accept all while a granted tag still downloads: the record is stored at once, the events and the history follow once it has run, or as the visitor leaves", async () => {
  // Mixpanel's stand-in is held until the test lets it go.
  let release;
  const held = new Promise((r) => (release = r));
  const hold = { match: /mixpanel-standin\.js$/, handler: async (route) => (await held, route.continue().catch(() => {})) };
  const history = () => page.evaluate(() => localStorage.getItem("lcc_consent_history"));
  const v = await openDemo(env, { init: [EVENTS], route: hold });
  const { page, context } = v;
  await page.locator("#lcc-boot[data-quick]").waitFor({ state: "attached" });
  await page.getByTestId("lcc-accept-all").click();
  await page.waitForFunction(() => (window.lccDemoRuns || []).includes("ga-config"));
  // (Released already: ga-config ran. Two frames, well inside the decision's one-second fallback.)
  await frames(page, 2);
  assert.equal(JSON.parse(await stored(page)).via, "banner", "stored before any tag ran");
  assert.equal(await page.getByTestId("lcc-banner").isVisible(), false, "the banner went at the press");
  assert.equal(await page.evaluate(() => CookieConsent.acceptedCategory("marketing")), true, "the API answers from the new record");
  assert.deepEqual(await page.evaluate(() => window.__ev), [], "the events wait for Mixpanel");
  assert.equal(await history(), null);
  release();
  await page.waitForFunction(() => window.lccDemoRuns.includes("reading-list") && window.__ev.length === 5);
  assert.deepEqual(await page.evaluate(() => window.__ev), ["lcc:consent", "lcc:change", "cc:onFirstConsent", "cc:onConsent", "cc:onModalHide"]);
  assert.equal(JSON.parse(await history()).length, 1);
  await context.close();

  // Left before the held tag came: the history is kept on the way out.
  const gone = await openDemo(env, { route: { match: hold.match, handler: () => {} } });
  await gone.page.locator("#lcc-boot[data-quick]").waitFor({ state: "attached" });
  await gone.page.getByTestId("lcc-accept-all").click();
  await gone.page.waitForFunction(() => (window.lccDemoRuns || []).includes("ga-config"));
  await gone.page.unrouteAll({ behavior: "ignoreErrors" });
  await gone.page.goto(new URL("/preferences.html", gone.base).href);
  await gone.page.getByTestId("lcc-pc-history").locator("li").first().waitFor();
  assert.equal(await gone.page.getByTestId("lcc-pc-history").locator("li").count(), 1);
  assert.deepEqual(gone.errors, []);
  await gone.context.close();
});

test("Reject all on a first visit stores the refusal and runs nothing, without the UI", async () => {
  const v = await openDemo(env, { init: [EVENTS] });
  const { page, context } = v;
  const ui = watchUi(page);
  await page.getByTestId("lcc-reject-all").click();
  // Only the page's "!performance" fallback runs (a script for visitors who refused analytics).
  assert.deepEqual(await settleRuns(page, 1), ["no-analytics"]);
  assert.deepEqual(v.tagRequests, [], "no tag was even requested");
  const r = JSON.parse(await stored(page));
  assert.deepEqual(r.categories, { functionality: false, marketing: false, necessary: true, performance: false, "third-party": false });
  assert.deepEqual(r.services, { algolia: false, "google-analytics": false, mixpanel: false });
  // No change event: nothing optional was granted (as the UI: a first refusal is a consent, not a change).
  assert.deepEqual(await page.evaluate(() => window.__ev), ["lcc:consent", "cc:onFirstConsent", "cc:onConsent", "cc:onModalHide"]);
  assert.deepEqual(await trackerCookies(context), [], "the HttpOnly probe left nothing behind");
  assert.deepEqual(ui, []);
  assert.deepEqual(v.errors, []);
  // The UI agrees: the settings open with everything optional off, and nothing is asked again.
  await page.reload();
  await page.getByTestId("footer-cookie-settings").click();
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible" });
  assert.equal(await page.locator("#lcc-cat-performance").isChecked(), false);
  assert.equal(JSON.parse(await stored(page)).id, r.id);
  await context.close();
});

test("a tracker cookie already on the page: Reject all is handed to the UI, which erases it", async () => {
  const v = await openDemo(env, {
    init: [() => { document.cookie = "_ga=GA1.1.123; Path=/"; }],
  });
  const { page, context } = v;
  const ui = watchUi(page);
  await page.getByTestId("lcc-reject-all").click();
  await page.waitForFunction(() => localStorage.getItem("lcc_consent") !== null, null, { timeout: 15000 });
  assert.ok(ui.some((p) => p.endsWith("_bg.wasm")), "the UI carried the press out");
  await page.waitForFunction(() => !document.cookie.includes("_ga="), null, { timeout: 5000 });
  assert.equal(JSON.parse(await stored(page)).categories.performance, false);
  await context.close();
});

test("the decision code is fetched once the banner shows: a press before it arrives waits for it; if it cannot load, the UI comes and carries the press out", async () => {
  // Held back: Accept all is pressed while leptos-consent-decide.js is still on its way.
  let release;
  const held = new Promise((r) => (release = r));
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(EVENTS);
  await page.route(/leptos-consent-decide\.js$/, async (route) => (await held, route.continue()));
  await page.goto(env.server.url + "/");
  await page.getByTestId("lcc-banner").waitFor({ state: "visible" });
  assert.equal(await page.locator("#lcc-boot[data-quick]").count(), 0, "not yet known to decide here");
  const ui = watchUi(page);
  await page.getByTestId("lcc-accept-all").click();
  await page.getByTestId("lcc-accept-all").click(); // a second press while waiting counts once
  await quiet(page);
  assert.equal(await stored(page), null, "nothing stored before the decision code is there");
  assert.equal(await page.getByTestId("lcc-banner").isVisible(), true);
  release();
  assert.deepEqual([...(await settleRuns(page, 5))].sort(), ["algolia", "ga", "ga-config", "mixpanel", "reading-list"]);
  assert.equal(await page.getByTestId("lcc-banner").isVisible(), false);
  assert.deepEqual(await page.evaluate(() => window.__ev), ["lcc:consent", "lcc:change", "cc:onFirstConsent", "cc:onConsent", "cc:onModalHide"]);
  assert.deepEqual(ui, [], "carried out without the UI");
  await context.close();

  // It cannot load: Reject all still works, through the UI.
  const w = await openDemo(env, { route: { match: /leptos-consent-decide\.js$/, handler: (route) => route.abort() } });
  await w.page.getByTestId("lcc-reject-all").click();
  await w.page.waitForFunction(() => localStorage.getItem("lcc_consent") !== null, null, { timeout: 15000 });
  // (The UI came once the banner was on screen, before the press.)
  assert.ok(await w.page.evaluate(() => performance.getEntriesByType("resource").some((e) => e.name.endsWith("_bg.wasm"))), "the UI carried the press out");
  assert.equal(JSON.parse(await stored(w.page)).categories.performance, false);
  await w.page.getByTestId("lcc-banner").waitFor({ state: "hidden" });
  assert.deepEqual(w.tagRequests, []);
  await w.context.close();
});

test("Manage on a first visit loads the UI and opens the preferences", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  const ui = watchUi(page);
  await page.getByTestId("lcc-manage").click();
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible" });
  assert.ok(ui.some((p) => p.endsWith("_bg.wasm")));
  assert.equal(await stored(page), null, "nothing decided yet");
  await context.close();
});

test("under Global Privacy Control, Accept all on the early banner leaves marketing off", async () => {
  const v = await openDemo(env, { init: [() => Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true })] });
  const { page, context } = v;
  const ui = watchUi(page);
  await page.getByTestId("lcc-accept-all").click();
  const runs = await settleRuns(page, 4);
  assert.deepEqual([...runs].sort(), ["algolia", "ga", "ga-config", "reading-list"]);
  const r = JSON.parse(await stored(page));
  assert.equal(r.categories.marketing, false);
  assert.equal(r.services.mixpanel, false);
  assert.deepEqual(ui, []);
  await context.close();
});

test("a stamp that no longer fits the config: the UI checks it, decides, and says how to restamp", async () => {
  const v = await openWith(env, {
    html: (body) => body.replace("<script id=cc-config type=application/json", '$& data-checked="0.1.0 00000000"'),
    wait: false,
  });
  const { page, context } = v;
  await page.getByTestId("lcc-preferences").waitFor({ state: "attached", timeout: 15000 });
  await page.getByTestId("lcc-accept-all").click();
  await settleRuns(page, 5);
  const errors = await page.evaluate(() => window.__lccErrors);
  assert.ok(errors.some((e) => /data-checked="0\.1\.0 00000000" does not fit this config .*lcc-check --write/.test(e)), errors.join("\n"));
  await context.close();
});

test("a config changed and stamped again: Consent Mode, its own storage key and the visitor's language, on the early banner alone", async () => {
  const v = await openWith(env, {
    lang: "de",
    checked: true,
    patch: (cfg) => {
      cfg.storage_key = "site_consent";
      cfg.consent_mode = {};
    },
    // The page's Consent Mode snippet: gtag() queues its calls (as Google's does).
    html: (body) => body.replace("<script id=cc-config", "<script>window.__gtag = []; function gtag() { window.__gtag.push([...arguments]); }</script>$&"),
  });
  const { page, context } = v;
  const ui = watchUi(page);
  assert.equal(await page.locator("#lcc-boot[data-quick]").count(), 1, "stamped again by lcc-check");
  assert.equal(await page.getByTestId("lcc-accept-all").textContent(), "Alle akzeptieren");
  // While the banner is up, the page keeps room for it (WCAG 2.4.11); after the answer, none.
  assert.equal(await page.locator("#lcc-space").count(), 1);
  await page.getByTestId("lcc-reject-all").click();
  await page.waitForFunction(() => localStorage.getItem("site_consent") !== null);
  assert.equal(await page.evaluate(() => localStorage.getItem("lcc_consent")), null);
  const updates = await page.evaluate(() => window.__gtag.filter((c) => c[0] === "consent" && c[1] === "update"));
  assert.deepEqual(updates, [["consent", "update", {
    ad_storage: "denied", ad_user_data: "denied", ad_personalization: "denied",
    analytics_storage: "denied", functionality_storage: "denied", personalization_storage: "denied",
  }]]);
  const de = JSON.parse(readFileSync(new URL("../../i18n/de.json", import.meta.url))).saved;
  assert.equal(await page.getByTestId("lcc-status").textContent(), de);
  assert.equal(await page.locator("#lcc-space").count(), 0);
  assert.equal(await page.evaluate(() => document.documentElement.style.scrollPaddingBottom), "");
  // The marker and history sit under the site's key, as the UI writes them.
  assert.ok(await page.evaluate(() => localStorage.getItem("site_consent_config") && localStorage.getItem("site_consent_history")));
  await page.reload();
  await page.waitForFunction(() => window.__lccBoot === "returning");
  assert.equal(await page.getByTestId("lcc-banner").isVisible(), false);
  assert.deepEqual(ui, []);
  assert.deepEqual(await page.evaluate(() => window.__lccErrors), []);
  await context.close();
});

test("an unstamped page: the UI, having validated the config, gives the developer the stamp that fits, at the verbose level", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const debug = [];
  page.on("console", (m) => m.type() === "debug" && debug.push(m.text()));
  await routeUnchecked(page);
  await page.goto(env.server.url + "/");
  await page.getByTestId("lcc-preferences").waitFor({ state: "attached", timeout: 15000 });
  // The stamp lcc-check gives the same page.
  const html = unchecked(await (await fetch(env.server.url + "/")).text());
  const want = /data-checked="([^"]+)"/.exec(stamp(html))[1];
  assert.ok(debug.some((m) => m.includes(`data-checked="${want}"`)), debug.join("\n"));
  await context.close();
});

test("the first-layer hint starts the banner's two files before the boot script has run, and only when the visitor is to be asked", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  let files = [];
  page.on("request", (r) => /leptos-consent-banner\.(js|css)$/.test(r.url()) && files.push(new URL(r.url()).pathname));
  // When the boot script (deferred: it runs once the page is parsed) defines window.CookieConsent.
  await page.addInitScript(() => {
    let api;
    Object.defineProperty(window, "CookieConsent", { configurable: true, get: () => api, set: (v) => ((window.__bootAt ??= performance.now()), (api = v)) });
  });
  const started = () =>
    page.evaluate(() => ({
      boot: window.__bootAt,
      files: performance.getEntriesByType("resource").filter((e) => /leptos-consent-banner\.(js|css)$/.test(e.name)).map((e) => e.startTime),
    }));
  await page.goto(env.server.url + "/");
  await page.locator("#lcc-boot[data-quick] [data-testid=lcc-banner]").waitFor({ state: "visible" });
  assert.deepEqual(files.sort(), ["/dist/leptos-consent-banner.css", "/dist/leptos-consent-banner.js"], "each asked for once");
  const first = await started();
  assert.equal(first.files.length, 2);
  assert.ok(first.files.every((at) => at < first.boot), `asked for at ${first.files} ms, before the boot script ran at ${first.boot} ms`);

  // A returning visitor: the hint asks for nothing.
  await page.getByTestId("lcc-accept-all").click();
  await settleRuns(page, 5);
  files = [];
  await page.reload();
  await settleRuns(page, 5);
  await quiet(page);
  assert.deepEqual(files, []);

  // A first visit to a page whose config shows no banner by itself (auto_show false): nothing either.
  await page.evaluate(() => localStorage.clear());
  await routeFront(page, (html) => html.replace(/(cc-config[^>]*>\s*\{)/, '$1 "auto_show": false,'));
  await page.reload();
  await page.waitForFunction(() => window.__bootAt);
  await quiet(page);
  assert.deepEqual(files, []);
  assert.equal(await page.getByTestId("lcc-banner").count(), 0);

  // A config with its own storage key: what is stored under the default key is not a decision here.
  await page.unroute(FRONT);
  await page.evaluate(() => localStorage.setItem("lcc_consent", "{}"));
  await routeFront(page, (html) => html.replace('"storage_key": "lcc_consent"', '"storage_key": "shop_consent"'));
  await page.reload();
  await page.getByTestId("lcc-banner").waitFor({ state: "visible" });
  assert.deepEqual(files.sort(), ["/dist/leptos-consent-banner.css", "/dist/leptos-consent-banner.js"]);
  const own = await started();
  assert.ok(own.files.every((at) => at < own.boot), `asked for at ${own.files} ms, before the boot script ran at ${own.boot} ms`);
  await context.close();
});

test("a data-cc trigger pressed before the deferred boot script has run is carried out once it has", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const boot = held();
  await page.route(/leptos-consent-boot\.js$/, boot.handler);
  await page.goto(env.server.url + "/", { waitUntil: "commit" });
  const settings = page.locator("header [data-cc=show-preferencesModal]");
  await settings.waitFor({ state: "visible" });
  assert.equal(await page.evaluate(() => typeof window.CookieConsent), "undefined", "the boot script has not run");
  await settings.click();
  boot.release();
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible", timeout: 15000 });
  assert.equal(new URL(page.url()).hash, "", "the link's own action was held");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the boot script pasted into the page (data-base): first layer, returning visit and the UI on demand, with no request for the boot script", async () => {
  const boot = readFileSync(new URL("../../site/dist/leptos-consent-boot.js", import.meta.url), "utf8");
  assert.ok(!/<\/script|<!--/i.test(boot), "the boot script can be pasted into an HTML <script> as is");
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await page.route(/\/(index\.html)?$/, async (route) => {
    const res = await route.fetch();
    const html = unchecked(await res.text());
    const config = /<script id=cc-config type=application\/json>[\s\S]*?<\/script>/.exec(html)[0];
    // The config and the boot script first in the head (the page's stylesheet before them
    // would hold a parser-inserted script back until it had loaded), after the demo's tag
    // log only: a granted tag may run before the rest of the head, and must find the log.
    const monitor = /<script src="?tags\/monitor\.js"?><\/script>/;
    const body = html
      .replace(SNIPPET, "")
      .replace(config, "")
      .replace(monitor, "")
      .replace("<meta charset=utf-8>", (m) => `${m}<script src=tags/monitor.js></script>${config}<script data-base="/dist/">${boot}</script>`);
    assert.ok(body.includes(boot) && !/src="?\/?dist\/leptos-consent-boot/.test(body));
    await route.fulfill({ response: res, body: stamp(body) });
  });
  await page.goto(env.server.url + "/");
  await page.locator("#lcc-boot[data-quick] [data-testid=lcc-banner]").waitFor({ state: "visible" });
  await page.getByTestId("lcc-accept-all").click();
  assert.deepEqual([...(await settleRuns(page, 5))].sort(), ["algolia", "ga", "ga-config", "mixpanel", "reading-list"]);
  await page.reload();
  await page.waitForFunction(() => window.__lccBoot === "returning");
  assert.deepEqual([...(await settleRuns(page, 5))].sort(), ["algolia", "ga", "ga-config", "mixpanel", "reading-list"]);
  assert.ok(!requests.some((p) => p.endsWith("leptos-consent-boot.js")), "never requested: it is in the page");
  assert.ok(!requests.some((p) => /leptos-consent(\.js|_bg\.wasm)$/.test(p)), "no UI so far");
  await page.getByTestId("footer-cookie-settings").click();
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible" });
  assert.ok(requests.includes("/dist/leptos-consent_bg.wasm"), "the UI from data-base");
  assert.equal(await page.locator("#lcc-cat-marketing").isChecked(), true);
  await context.close();
});

test("the early banner's file cannot load: the site owner is told, nothing runs, and Cookie settings still asks through the UI", async () => {
  const v = await openWith(env, { checked: true, wait: false, routes: [["**/leptos-consent-banner.js", (r) => r.abort()]] });
  const { page, context } = v;
  const tags = [];
  page.on("request", (r) => /\/tags\/(?!monitor)/.test(new URL(r.url()).pathname) && tags.push(r.url()));
  await page.waitForFunction(() => window.__lccErrors.some((m) => m.includes("leptos-consent-banner.js")), null, { timeout: 10000 });
  assert.equal(await page.getByTestId("lcc-banner").count(), 0);
  await quiet(page);
  assert.deepEqual(await page.evaluate(() => (window.lccDemoRuns || []).slice()), [], "no tag ran");
  assert.deepEqual(tags, [], "no tag requested");
  await page.getByTestId("footer-cookie-settings").click();
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible" });
  await page.getByTestId("lcc-prefs-reject-all").click();
  await page.waitForFunction(() => window.CookieConsent.validConsent());
  assert.deepEqual(v.errors, []);
  await context.close();
});

// Without a stamp: the early banner's decision code checks the config itself (boot/valid.mjs,
// held to the core by the shared config table) and decides when it can vouch for it.
test("an unstamped page: the early banner vouches for the config itself, decides Accept all without the UI, and the API answers from it", async () => {
  // (With a fixed language too: one the config can be shown in.)
  const v = await openWith(env, { vouched: true, patch: (cfg) => (cfg.language = "en-GB") });
  const { page, context } = v;
  const ui = watchUi(page);
  assert.equal(await page.locator("#lcc-boot[data-quick]").count(), 1, "decided on the early banner");
  // Before the choice, window.CookieConsent knows the config's categories and services.
  const before = await page.evaluate(() => window.CookieConsent.getUserPreferences());
  assert.deepEqual(before.acceptedServices.performance, []);
  assert.equal(await page.evaluate(() => window.CookieConsent.acceptedCategory("necessary")), true);
  await page.getByTestId("lcc-accept-all").click();
  assert.deepEqual([...(await settleRuns(page, 5))].sort(), ["algolia", "ga", "ga-config", "mixpanel", "reading-list"]);
  assert.equal(await page.evaluate(() => window.CookieConsent.acceptedService("mixpanel", "marketing")), true);
  assert.deepEqual(ui, [], "no UI file");
  await page.reload();
  await page.waitForFunction(() => window.__lccBoot === "returning");
  assert.deepEqual(ui, []);
  assert.deepEqual(await page.evaluate(() => window.__lccErrors), []);
  assert.deepEqual(v.errors, []);
  await context.close();
});

test("an unstamped config the early banner cannot vouch for: the UI comes once the banner is on screen and decides", async () => {
  // A cookie rule written as an array (serde takes it for the struct; valid.mjs leaves it to the UI).
  const v = await openWith(env, { vouched: true, wait: false, patch: (cfg) => (cfg.categories[1].services[0].cookies[0] = ["_ga"]) });
  const { page, context } = v;
  await page.getByTestId("lcc-preferences").waitFor({ state: "attached", timeout: 15000 });
  assert.equal(await page.locator("#lcc-boot[data-quick]").count(), 0);
  await page.getByTestId("lcc-reject-all").click();
  await page.waitForFunction(() => localStorage.getItem("lcc_consent") !== null);
  assert.equal(JSON.parse(await stored(page)).categories.marketing, false);
  assert.deepEqual(v.errors, []);
  await context.close();

  // One the core refuses: the UI comes without a press and says what is wrong.
  const w = await openWith(env, { vouched: true, wait: false, patch: (cfg) => (cfg.expires_after_days = 400) });
  await w.page.waitForFunction(() => window.__lccErrors.some((m) => /expires_after_days: .*395/.test(m)), null, { timeout: 15000 });
  assert.equal(await w.page.locator("#lcc-boot[data-quick]").count(), 0);
  assert.equal(await stored(w.page), null);
  await w.context.close();
});

test("a stamp that no longer fits a config the early banner vouches for: it decides, and says how to restamp", async () => {
  const v = await openWith(env, {
    vouched: true,
    html: (body) => body.replace("<script id=cc-config type=application/json", '$& data-checked="0.1.0 00000000"'),
  });
  const { page, context } = v;
  const ui = watchUi(page);
  assert.equal(await page.locator("#lcc-boot[data-quick]").count(), 1);
  await page.getByTestId("lcc-reject-all").click();
  await page.waitForFunction(() => localStorage.getItem("lcc_consent") !== null);
  const errors = await page.evaluate(() => window.__lccErrors);
  assert.ok(errors.some((e) => /data-checked="0\.1\.0 00000000" does not fit this config \(it is "0\.1\.0 [0-9a-f]{8}" now\): run lcc-check --write/.test(e)), errors.join("\n"));
  assert.deepEqual(ui, []);
  await context.close();
});

test("hide() after the early banner shows hides it, and nothing is decided", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  await page.getByTestId("lcc-banner").waitFor({ state: "visible" });
  await page.evaluate(() => window.CookieConsent.hide());
  await page.getByTestId("lcc-banner").waitFor({ state: "hidden" });
  assert.equal(await stored(page), null);
  await context.close();
});
