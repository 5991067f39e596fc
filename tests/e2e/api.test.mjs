// window.CookieConsent on the drop-in demo page (dropin.html: the README's
// snippet on an otherwise plain page): answers before and after the UI loads,
// calls queued while it loads, wrong calls reported, and what each call changes
// as a visitor would see it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { launch, quiet, routeUnchecked, stamp, timePasses, unchecked, until } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const ROOT = new URL("../../", import.meta.url);

test("the drop-in page carries the README's snippet exactly", () => {
  const readme = readFileSync(new URL("README.md", ROOT), "utf8");
  const section = readme.slice(readme.indexOf("## Drop-in for any HTML site"));
  const snippet = section.slice(section.indexOf("```html\n") + 8, section.indexOf("```", section.indexOf("```html\n") + 8));
  // The boot script deferred, then the first-layer hint exactly as boot/hint.html has it.
  assert.ok(snippet.includes('<script defer src="/dist/leptos-consent-boot.js"></script>\n' + readFileSync(new URL("boot/hint.html", ROOT), "utf8") + "\n"));
  assert.ok(readFileSync(new URL("dropin.html", ROOT), "utf8").includes(snippet));
});

/// A fresh visitor on the drop-in page; cc:* events and lcc:error messages are recorded.
async function open() {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await routeUnchecked(page); // these tests drive the UI; quick.test.mjs covers the stamped first layer
  await page.addInitScript(() => {
    window.__ev = [];
    window.__errors = [];
    for (const n of ["onFirstConsent", "onConsent", "onChange", "onModalShow", "onModalHide"])
      addEventListener("cc:" + n, (e) => window.__ev.push([n, (e.detail && e.detail.modalName) || (e.detail && e.detail.changedCategories && e.detail.changedCategories.join()) || ""]));
    addEventListener("lcc:error", (e) => window.__errors.push(e.detail.message));
  });
  return { context, page, errors, requests, url: new URL("/dropin.html", env.server.url).href };
}

const cc = (page, expr) => page.evaluate(`(() => { const cc = window.CookieConsent; return ${expr}; })()`);
const ccUntil = (page, expr) => page.waitForFunction(`(() => { const cc = window.CookieConsent; return ${expr}; })()`, null, { timeout: 15000 });
const events = (page) => page.evaluate(() => window.__ev.splice(0));

test("calls made before the UI is there are carried out when it arrives, and the answers follow", async () => {
  const { context, page, errors, requests, url } = await open();
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => window.CookieConsent);
  // Before any decision.
  assert.deepEqual(
    await cc(page, "[cc.validConsent(), cc.acceptedCategory('analytics'), cc.getUserPreferences().acceptType, cc.getCookie()]"),
    [false, false, "", {}],
  );
  await cc(page, "cc.acceptCategory('analytics')");
  await ccUntil(page, "cc.validConsent()");
  assert.deepEqual(
    await cc(page, "[cc.acceptedCategory('analytics'), cc.acceptedCategory('marketing'), cc.acceptedService('google-analytics', 'analytics'), cc.acceptedService('google-analytics', 'marketing')]"),
    [true, false, true, false],
  );
  const prefs = await cc(page, "cc.getUserPreferences()");
  assert.deepEqual(prefs.acceptedCategories, ["necessary", "analytics"]);
  assert.deepEqual(prefs.rejectedCategories, ["marketing"]);
  assert.equal(prefs.acceptType, "custom");
  const cookie = await cc(page, "cc.getCookie()");
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem("lcc_consent")));
  assert.equal(cookie.consentId, stored.id);
  assert.equal(stored.via, "api");
  assert.equal(await cc(page, "cc.getCookie('revision')"), 1);
  await page.waitForFunction(() => document.cookie.includes("_ga="));
  assert.ok(requests.includes("/tags/gtag-standin.js"));
  assert.equal(await page.getByTestId("lcc-banner").isVisible(), false);
  const ev = await events(page);
  assert.deepEqual(ev.filter(([n]) => n !== "onModalShow" && n !== "onModalHide"), [["onFirstConsent", ""], ["onConsent", ""]]);

  // run() again is harmless.
  await cc(page, "cc.run({ categories: [] })");
  assert.equal(await cc(page, "cc.acceptedCategory('analytics')"), true);

  // Wrong calls are reported and change nothing.
  await cc(page, "cc.acceptCategory(['analytics', 'nope'])");
  await cc(page, "cc.acceptCategory(42)");
  await page.waitForFunction(() => window.__errors.length >= 2);
  const messages = await page.evaluate(() => window.__errors.join("\n"));
  assert.match(messages, /"nope"/);
  assert.match(messages, /CookieConsent\.acceptCategory: categories must be/);
  assert.equal(await cc(page, "cc.acceptedCategory('analytics')"), true);

  // eraseCookies by RegExp and by name.
  await page.evaluate(() => {
    document.cookie = "test_a=1; path=/";
    document.cookie = "test_b=1; path=/";
    document.cookie = "keep_c=1; path=/";
  });
  await cc(page, "cc.eraseCookies([/^test_a/, 'test_b'])");
  await page.waitForFunction(() => !document.cookie.includes("test_"));
  assert.ok(await page.evaluate(() => document.cookie.includes("keep_c=1")));

  // loadScript.
  assert.equal(await page.evaluate(() => window.CookieConsent.loadScript("/tags/monitor.js")), true);
  assert.equal(await page.evaluate(() => window.CookieConsent.loadScript("/no-such-script.js")), false);

  // Preferences through the API, with their events.
  await cc(page, "cc.showPreferences()");
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible" });
  await cc(page, "cc.hidePreferences()");
  await page.getByTestId("lcc-preferences").waitFor({ state: "hidden" });
  assert.deepEqual(await events(page), [["onModalShow", "preferencesModal"], ["onModalHide", "preferencesModal"]]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a returning visitor's page answers without the UI, and API withdrawal and reset clean up", async () => {
  const { context, page, errors, url } = await open();
  await page.goto(url);
  await cc(page, "cc.acceptCategory('all')");
  await page.waitForFunction(() => document.cookie.includes("_ga="));
  const ui = [];
  page.on("request", (r) => /leptos-consent(\.js|_bg\.wasm)$/.test(r.url()) && ui.push(r.url()));
  await page.reload();
  await page.waitForFunction(() => window.__lccBoot === "returning");
  await ccUntil(page, "cc.validConsent()");
  assert.deepEqual(await cc(page, "[cc.acceptedCategory('analytics'), cc.acceptedCategory('marketing'), cc.getUserPreferences().acceptType]"), [true, true, "all"]);
  await page.waitForFunction(() => window.__ev.some(([n]) => n === "onConsent"));
  assert.deepEqual(await events(page), [["onConsent", ""]]);
  assert.deepEqual(ui, [], "no UI file fetched to answer");

  // Withdrawal through the API: the page reloads (reload_on_revoke) and the tracker cookies are gone.
  const reloaded = page.waitForEvent("load");
  await cc(page, "cc.acceptService([], 'analytics')");
  await reloaded;
  await ccUntil(page, "cc.validConsent()");
  assert.deepEqual(await cc(page, "[cc.acceptedCategory('analytics'), cc.acceptedCategory('marketing')]"), [false, true]);
  assert.deepEqual((await context.cookies()).map((c) => c.name).filter((n) => n.startsWith("_g")), []);

  // reset(true) forgets the decision: nothing optional is granted and the visitor is asked again.
  await cc(page, "cc.reset(true)");
  await page.waitForLoadState("load");
  await ccUntil(page, "!cc.validConsent()");
  await page.getByTestId("lcc-banner").waitFor({ state: "visible" });
  assert.equal(await cc(page, "cc.acceptedCategory('marketing')"), false);
  assert.equal(await page.evaluate(() => localStorage.getItem("lcc_consent")), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test("hide() before the UI arrives hides the banner for this page view and decides nothing", async () => {
  const { context, page, url } = await open();
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => window.CookieConsent);
  await cc(page, "cc.hide()");
  // (A banner hidden through the API never comes on screen: the UI comes only when asked for.)
  await timePasses(page, 1500, "the early banner checks its config after a second even off screen: it must still not show");
  assert.equal(await page.getByTestId("lcc-banner").isVisible(), false);
  assert.equal(await cc(page, "cc.validConsent()"), false);
  assert.equal(await page.evaluate(() => localStorage.getItem("lcc_consent")), null);
  await cc(page, "cc.show()");
  await page.getByTestId("lcc-banner").waitFor({ state: "visible" });
  await context.close();
});

// A first visit under a checked config (the drop-in page, stamped): a page script decides
// through the API at each moment of the early banner's life. Once the decision is stored,
// every answer says so for the rest of the page view: the early banner's config check,
// however late it ends, never announces "nothing decided" over it. The check is made late
// on purpose (its code answers after 1.5 s) for the moment "while it checks the config".
for (const [moment, when] of [
  ["before the early banner draws", "DOMContentLoaded"],
  ["while the early banner checks the config", "shown"],
  ["after the early banner has checked the config", "quick"],
]) {
  test(`an API decision ${moment} stands for the rest of the page view`, async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.route(/\/leptos-consent-decide\.js$/, async (route) => {
      const res = await route.fetch();
      await new Promise((r) => setTimeout(r, when === "shown" ? 1500 : 0));
      await route.fulfill({ response: res });
    });
    await page.addInitScript((when) => {
      window.__trace = [];
      const decide = () => {
        if (window.__called) return;
        window.__called = true;
        window.CookieConsent.acceptCategory("all");
        // Every 20 ms from the call on: what the API answers.
        const t0 = performance.now();
        const sample = () => {
          const cc = window.CookieConsent;
          window.__trace.push([cc.validConsent(), cc.acceptedCategory("analytics")]);
          if (performance.now() - t0 < 3000) setTimeout(sample, 20);
        };
        sample();
      };
      if (when === "DOMContentLoaded") addEventListener("DOMContentLoaded", decide);
      else
        new MutationObserver(() => {
          const root = document.getElementById("lcc-boot");
          const banner = root && root.querySelector("[data-testid=lcc-banner]:not([hidden])");
          if (banner && (when === "shown" ? !root.hasAttribute("data-quick") : root.hasAttribute("data-quick"))) decide();
        }).observe(document, { subtree: true, childList: true, attributes: true });
    }, when);
    await page.goto(new URL("/dropin.html", env.server.url).href);
    await page.waitForFunction(() => window.__called && window.__trace.length > 120, null, { timeout: 15000 });
    const trace = await page.evaluate(() => window.__trace);
    const first = trace.findIndex(([valid]) => valid);
    assert.ok(first >= 0, `the decision was reported (${trace.length} samples)`);
    const after = trace.slice(first);
    assert.deepEqual(after.filter(([valid, analytics]) => !valid || !analytics), [], `once decided, always decided (from sample ${first})`);
    assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem("lcc_consent"))).categories.analytics, true);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("getConfig, validCookie and acceptService's refusals answer as vanilla-cookieconsent's", async () => {
  const { context, page, errors, url } = await open();
  await page.goto(url);
  await page.waitForFunction(() => window.CookieConsent);
  // The config in force, as a copy: changing it changes nothing.
  assert.equal(await cc(page, "cc.getConfig('revision')"), 1);
  assert.deepEqual(await cc(page, "cc.getConfig().categories.map((c) => c.id)"), ["necessary", "analytics", "marketing"]);
  assert.equal(await cc(page, "(cc.getConfig().categories[1].read_only = true, cc.getConfig('categories')[1].read_only)"), undefined);
  assert.equal(await cc(page, "cc.getConfig('no_such_field')"), null);
  // validCookie: a cookie with a value.
  await page.evaluate(() => { document.cookie = "with_value=1; Path=/"; document.cookie = "empty=; Path=/"; });
  assert.deepEqual(await cc(page, "[cc.validCookie('with_value'), cc.validCookie('empty'), cc.validCookie('absent')]"), [true, false, false]);
  // acceptService: false without services, for an unknown category, or one without services; nothing decided.
  assert.deepEqual(
    await cc(page, "[cc.acceptService('google-analytics', 'nope'), cc.acceptService('', 'analytics'), cc.acceptService('x', 'marketing'), cc.acceptService('all')]"),
    [false, false, false, false],
  );
  await quiet(page);
  assert.equal(await cc(page, "cc.validConsent()"), false);
  assert.equal(await cc(page, "cc.acceptService('google-analytics', 'analytics')"), undefined);
  await ccUntil(page, "cc.acceptedService('google-analytics', 'analytics')");
  assert.deepEqual(errors, []);
  await context.close();
});

test("auto_show false: no banner until show(), nothing runs, and show() brings it", async () => {
  const { context, page, errors, requests, url } = await open();
  await page.route(/\/dropin\.html$/, async (route) => {
    const res = await route.fetch();
    const body = (await res.text()).replace('"revision": 1,', '"revision": 1, "auto_show": false,');
    await route.fulfill({ response: res, body });
  });
  await page.goto(url);
  await page.waitForLoadState("networkidle");
  await quiet(page);
  assert.equal(await page.getByTestId("lcc-banner").count(), 0, "no banner drawn");
  assert.deepEqual(requests.filter((p) => /leptos-consent(\.js|_bg\.wasm)$|gtag/.test(p)), [], "neither the UI nor a tag fetched");
  assert.deepEqual(await cc(page, "[cc.validConsent(), cc.getConfig('auto_show')]"), [false, false]);
  await cc(page, "cc.show()");
  await page.getByTestId("lcc-banner").waitFor({ state: "visible", timeout: 15000 });
  await page.getByTestId("lcc-accept-all").click();
  await ccUntil(page, "cc.acceptedCategory('analytics')");
  // The next page view under the same config: a decision stands, no banner to wait for.
  await page.reload();
  await ccUntil(page, "cc.validConsent()");
  assert.deepEqual(errors, []);
  await context.close();
});

// A first visit under a checked config (the stamped drop-in page): once the early banner has
// checked the config, a decision through the API is carried out as a press on its buttons
// is, without the UI, and every answer follows in the same tick (as vanilla-cookieconsent's).
for (const [call, granted] of [
  ["cc.acceptCategory('all')", ["analytics", "marketing"]],
  ["cc.acceptCategory([])", []],
  ["cc.acceptCategory()", []],
  ["cc.acceptCategory('all', ['marketing'])", ["analytics"]],
  ["cc.acceptCategory('analytics')", ["analytics"]],
  ["cc.acceptService('google-analytics', 'analytics')", ["analytics"]],
  ["cc.acceptService([], 'analytics')", []],
]) {
  test(`${call} on a first visit: answered in the same tick, carried out without the UI`, async () => {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    const errors = [];
    const ui = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => /leptos-consent(\.js|_bg\.wasm)$/.test(r.url()) && ui.push(r.url()));
    await page.addInitScript(() => {
      window.__ev = [];
      for (const n of ["onFirstConsent", "onConsent", "onModalHide"]) addEventListener("cc:" + n, () => window.__ev.push(n));
    });
    await page.goto(new URL("/dropin.html", env.server.url).href);
    await page.waitForSelector("#lcc-boot[data-quick] [data-testid=lcc-banner]:not([hidden])");
    const now = await page.evaluate(`(() => { const cc = window.CookieConsent; ${call};
      return [cc.validConsent(), cc.getUserPreferences().acceptedCategories.filter((c) => c !== "necessary"), cc.getCookie().consentId]; })()`);
    assert.equal(now[0], true, "valid in the same tick");
    assert.deepEqual(now[1], granted);
    assert.match(now[2], /^[0-9a-f-]{36}$/);
    await page.getByTestId("lcc-banner").waitFor({ state: "hidden" });
    await page.waitForFunction(() => window.__ev.includes("onModalHide"));
    const record = JSON.parse(await page.evaluate(() => localStorage.getItem("lcc_consent")));
    assert.equal(record.via, "api");
    assert.equal(record.id, now[2]);
    assert.deepEqual(Object.keys(record.categories).filter((c) => record.categories[c] && c !== "necessary").sort(), granted);
    assert.deepEqual(await page.evaluate(() => window.__ev), ["onFirstConsent", "onConsent", "onModalHide"]);
    if (granted.includes("analytics")) await page.waitForFunction(() => window.__gtagStandin || document.querySelector("script[src*=gtag-standin]:not([type='text/plain'])"));
    assert.deepEqual(ui, [], "the UI was not fetched");
    // The next page view: the boot script alone, under the stored decision.
    await page.reload();
    await page.waitForFunction(() => window.__lccBoot === "returning");
    assert.deepEqual(await page.evaluate(() => window.CookieConsent.getUserPreferences().acceptedCategories.filter((c) => c !== "necessary")), granted);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("an API decision the early banner cannot carry out (a name the config lacks) is answered at once and goes to the UI, which reports it", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    window.__errors = [];
    addEventListener("lcc:error", (e) => window.__errors.push(e.detail.message));
  });
  await page.goto(new URL("/dropin.html", env.server.url).href);
  await page.waitForSelector("#lcc-boot[data-quick] [data-testid=lcc-banner]:not([hidden])");
  // As vanilla-cookieconsent (which ignores the name it lacks): the answers change in the same tick.
  const now = await page.evaluate(() => {
    const cc = window.CookieConsent;
    cc.acceptCategory(["analytics", "nope"]);
    return [cc.validConsent(), cc.acceptedCategory("analytics"), localStorage.getItem("lcc_consent")];
  });
  assert.deepEqual(now, [true, true, null], "answered at once; stored by the UI");
  await page.waitForFunction(() => localStorage.getItem("lcc_consent") !== null && window.__errors.some((m) => m.includes("nope")), null, { timeout: 15000 });
  assert.equal(await page.evaluate(() => window.CookieConsent.acceptedCategory("analytics")), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("auto_show false on a checked config: no banner, and an API decision is carried out at once without the UI", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  const ui = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => /leptos-consent(\.js|_bg\.wasm|-banner\.js)$/.test(r.url()) && ui.push(r.url()));
  await page.route(/\/dropin\.html$/, async (route) => {
    const res = await route.fetch();
    // (Stamped again by lcc-check for the changed text, as make build stamps the page.)
    const body = stamp(unchecked(await res.text()).replace('"revision": 1,', '"revision": 1, "auto_show": false,'));
    await route.fulfill({ response: res, body });
  });
  const decider = page.waitForResponse(/leptos-consent-decide\.js$/);
  await page.goto(new URL("/dropin.html", env.server.url).href);
  await decider;
  await quiet(page);
  assert.equal(await page.getByTestId("lcc-banner").count(), 0);
  const now = await page.evaluate(() => {
    const cc = window.CookieConsent;
    cc.acceptCategory("all", ["marketing"]);
    return [cc.validConsent(), cc.acceptedCategory("analytics"), cc.acceptedCategory("marketing")];
  });
  assert.deepEqual(now, [true, true, false]);
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem("lcc_consent"))).via, "api");
  await quiet(page);
  assert.deepEqual(ui, [], "neither the banner nor the UI fetched");
  assert.deepEqual(errors, []);
  await context.close();
});

test("on a first visit, a call that decides nothing never decides: showPreferences('all', 'analytics') grants nothing", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(new URL("/dropin.html", env.server.url).href);
  await page.waitForSelector("#lcc-boot[data-quick] [data-testid=lcc-banner]:not([hidden])");
  assert.deepEqual(await page.evaluate(() => (window.CookieConsent.showPreferences("all", "analytics"), [window.CookieConsent.validConsent(), localStorage.getItem("lcc_consent")])), [false, null]);
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible", timeout: 15000 });
  assert.deepEqual(await page.evaluate(() => [window.CookieConsent.validConsent(), localStorage.getItem("lcc_consent")]), [false, null]);
  await context.close();
});

// vanilla-cookieconsent's way in: the page calls `await CookieConsent.run(config)` (no
// #cc-config), then decides through the API. The promise resolves once such a decision is
// answered at once: on a first visit and on a returning one, before the UI is there.
test("await run(config), then a decision: answered in the same tick on a first and on a returning visit", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const config = JSON.parse(readFileSync(new URL("consent-config.json", ROOT), "utf8"));
  const body = `<!doctype html><html lang="en"><head><script src="/dist/leptos-consent-boot.js"></script></head><body>
<script>window.__steps = CookieConsent.run(${JSON.stringify({ ...config, auto_show: false, reload_on_revoke: false })}).then(() => {
  const cc = CookieConsent, out = [cc.validConsent()];
  cc.acceptCategory(cc.validConsent() ? [] : "all");
  return out.concat([cc.validConsent(), cc.acceptedCategory("performance"), !!document.querySelector("#lcc-root")]);
});</script></body></html>`;
  await page.route((url) => url.pathname === "/run/page.html", (route) => route.fulfill({ contentType: "text/html", body }));
  await page.goto(env.server.url + "/run/page.html");
  assert.deepEqual(await page.evaluate(() => window.__steps), [false, true, true, false], "first visit: accepted at once, without the UI");
  await page.reload();
  assert.deepEqual(await page.evaluate(() => window.__steps), [true, true, false, false], "returning visit: refused at once, before the UI");
  await page.waitForFunction(() => JSON.parse(localStorage.getItem("lcc_consent") || "{}").categories?.performance === false, null, { timeout: 15000 });
  assert.deepEqual(errors, []);
  await context.close();
});

// A decision on its way to the UI, then a press on the early banner: the press came later, so
// it is what stands (the banner does not store it ahead of the call the UI has yet to carry out).
test("an API decision on its way to the UI, then Reject all on the early banner: the later press stands", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(new URL("/dropin.html", env.server.url).href);
  await page.waitForSelector("#lcc-boot[data-quick] [data-testid=lcc-banner]:not([hidden])");
  await page.evaluate(() => {
    window.CookieConsent.acceptCategory(["analytics", "nope"]); // (a name the config lacks: the UI's)
    document.querySelector("#lcc-boot [data-testid=lcc-reject-all]").click();
  });
  // (The refusal comes after the call's grant: a withdrawal, so the page starts again once.)
  const refused = () => page.evaluate(() => JSON.parse(localStorage.getItem("lcc_consent") || "{}").categories?.analytics === false).catch(() => false);
  await until(refused, { what: "the refusal stored" });
  await page.waitForLoadState("load");
  await quiet(page);
  assert.deepEqual(await page.evaluate(() => [window.CookieConsent.validConsent(), window.CookieConsent.acceptedCategory("analytics")]), [true, false]);
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem("lcc_consent"))).categories.analytics, false);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a returning visitor's cc:onConsent reaches a module script that arrives after the deferred boot script has run", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.server.url + "/dropin.html");
  await page.getByTestId("lcc-accept-all").click();
  await page.waitForFunction(() => window.CookieConsent.validConsent());
  await page.route(/\/dropin\.html$/, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: (await res.text()).replace("</head>", '<script type="module" src="/late-listener.mjs"></script></head>') });
  });
  await page.route(/\/late-listener\.mjs$/, async (route) => {
    await new Promise((r) => setTimeout(r, 600));
    await route.fulfill({
      contentType: "text/javascript",
      body: 'window.__apiFirst = !!window.CookieConsent; addEventListener("cc:onConsent", (e) => (window.__heard = e.detail.cookie.categories));',
    });
  });
  await page.reload();
  await page.waitForFunction(() => window.__heard, null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.__apiFirst), true, "window.CookieConsent was there for it");
  assert.deepEqual(await page.evaluate(() => window.__heard), ["necessary", "analytics", "marketing"]);
  await context.close();
});
