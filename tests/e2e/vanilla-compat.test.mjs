// vanilla-cookieconsent's own tests, ported: what its API means, checked against our drop-in.
//
// The tests are those of orestbida/cookieconsent v3.1.0 (tests/*.test.js, Jest against its
// source) that exercise the public API, the config's API-visible behaviour and `data-cc`,
// rewritten in our words for Playwright and named as vanilla names them, so that each can be
// traced to its original. Each runs in a fresh browser context on a page built like
// vanilla's test setup: its full-config translated as the migration guide says
// (docs/migrating-from-vanilla-cookieconsent.md), `autoShow: false` unless the test shows the
// banner, its four gated scripts. As in vanilla, a test body runs in one go in the page: an
// answer must follow a call in the same tick. A deliberate difference says so in its name and
// checks what we do instead (the guide lists each with its reason). Not ported: tests of
// vanilla's internals, and of options we do not offer (`hideFromBots`, `guiOptions`,
// `mode: 'opt-out'`, `manageScriptTags`, `root`).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { launch, stamp } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

export const VANILLA_VERSION = "3.1.0";

// tests/config/full-config.js, translated: categories as a list, `readOnly` as `read_only`
// (necessary only; vanilla's `enabled: true` on analytics is not offered: nothing optional is
// on before a choice), `cookie.name` as `storage_key`, `cookie.expiresAfterDays`,
// `autoClear` as each service's `cookies`. Vanilla's necessary category has a service with
// the id `service1` too: one id per service in the whole config here, so it is renamed.
const CONFIG = {
  revision: 0,
  auto_show: false,
  storage_key: "cc_cookie",
  expires_after_days: 200,
  categories: [
    {
      id: "necessary",
      title: "Necessary",
      read_only: true,
      services: [{ id: "necessary-service1", title: "Necessary Service 1", provider: "Site", purpose: "Runs the site.", privacy_policy_url: "/privacy" }],
    },
    {
      id: "analytics",
      title: "Analytics",
      services: [
        { id: "service1", title: "Service 1", provider: "P1", purpose: "Measures.", privacy_policy_url: "/privacy", cookies: [{ name: "service1Cookie*" }] },
        { id: "service2", title: "Service 2", provider: "P2", purpose: "Measures.", privacy_policy_url: "/privacy", cookies: [{ name: "service2Cookie" }] },
      ],
    },
    { id: "ads", title: "Ads" },
  ],
  // vanilla reloads on a withdrawal only where a category asks (`autoClear.reloadPage`): none here.
  reload_on_revoke: false,
  // vanilla keeps its decision in the cc_cookie cookie, which server code may read: a copy of it.
  cookie_mirror: { name: "cc_cookie" },
};

// vanilla's api.test.js page: four gated scripts (a service's onAccept, which we do not offer,
// is a gated script of that service here: it sets the service's cookies and counts its runs).
const pageFor = (config) =>
  stamp(`<!doctype html><html lang="en"><head>
<script type="application/json" id="cc-config">${JSON.stringify(config)}</script>
<script src="/dist/leptos-consent-boot.js"></script>
</head><body>
<script type="text/plain" data-category="analytics">window.__log = (window.__log || []).concat("enabled analytics")</script>
<script type="text/plain" data-category="!analytics">window.__log = (window.__log || []).concat("disabled analytics")</script>
<script type="text/plain" data-category="analytics" data-service="service1">document.cookie = "service1Cookie1=1; path=/"; document.cookie = "service1Cookie2=1; path=/"</script>
<script type="text/plain" data-category="analytics" data-service="service2">document.cookie = "service2Cookie=1; path=/"; window.__service2 = (window.__service2 || 0) + 1</script>
<a href="#" data-cc="show-preferencesModal">Show preferences</a>
<a href="#" data-cc="show-consentModal">Show consent modal</a>
<a href="#" data-cc="accept-all">Accept all</a>
<a href="#" data-cc="accept-necessary">Accept necessary</a>
<a href="#" data-cc="accept-custom">Accept custom</a>
</body></html>`);
const PAGE = pageFor(CONFIG);
// vanilla's modals.test.js and config.test.js run with `autoShow: true`: the banner shows.
const SHOWN = pageFor({ ...CONFIG, auto_show: true });

/**
 * A fresh visitor on the page, once it is ready as vanilla's after `await run(config)`: the
 * decision code has checked the config (with `auto_show` false it is fetched without a banner;
 * `shown`: the banner is on screen, ready for a press).
 */
async function open({ shown = false } = {}) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.route((url) => url.pathname === "/compat/page.html", (route) => route.fulfill({ contentType: "text/html", body: shown ? SHOWN : PAGE }));
  const decider = page.waitForResponse(/leptos-consent-decide\.js$/);
  await page.goto(env.server.url + "/compat/page.html");
  await decider;
  await page.waitForLoadState("networkidle");
  if (shown) await page.locator("#lcc-boot[data-quick]").waitFor({ state: "attached", timeout: 15000 });
  return { context, page, errors };
}

/** A vanilla test: `body` runs in the page in one go (`api` is window.CookieConsent); `check` asserts on what it returns. */
function vanilla(name, body, check, difference) {
  // A deliberate difference (docs/migrating-from-vanilla-cookieconsent.md) checks what we do instead.
  test(`vanilla-cookieconsent ${VANILLA_VERSION}: ${name}${difference ? ` (deliberate difference: ${difference})` : ""}`, async () => {
    const { context, page, errors } = await open();
    const got = await page.evaluate(`(() => { const api = window.CookieConsent; ${body} })()`);
    await check(got, page);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

// ---- tests/api.test.js ----

vanilla("User preferences object should contain all the props.", "return api.getUserPreferences();", (p) =>
  assert.deepEqual(p, {
    acceptType: "",
    acceptedCategories: [],
    rejectedCategories: [],
    acceptedServices: { necessary: [], analytics: [], ads: [] },
    rejectedServices: { necessary: [], analytics: [], ads: [] },
  }),
);

vanilla("Consent modal should be hidden when autoShow=false", "return !!document.querySelector('[data-testid=lcc-banner]:not([hidden])');", (shown) =>
  assert.equal(shown, false),
);

vanilla("Should return invalid consent", "return api.validConsent();", (v) => assert.equal(v, false));

vanilla("Should return valid consent", "api.acceptCategory(); return api.validConsent();", (v) => assert.equal(v, true));

vanilla(
  "Should accept only the necessary categories",
  "api.acceptCategory([]); return [api.acceptedCategory('necessary'), api.acceptedCategory('analytics')];",
  (v) => assert.deepEqual(v, [true, false]),
);

vanilla(
  "Should accept all categories",
  "api.acceptCategory('all'); return [api.acceptedCategory('necessary'), api.acceptedCategory('analytics')];",
  (v) => assert.deepEqual(v, [true, true]),
);

vanilla(
  "Should accept a specific category",
  "api.acceptCategory('analytics'); return [api.acceptedCategory('necessary'), api.acceptedCategory('analytics')];",
  (v) => assert.deepEqual(v, [true, true]),
);

vanilla(
  "Should accept all categories except one",
  "api.acceptCategory('all', ['analytics']); return [api.acceptedCategory('necessary'), api.acceptedCategory('analytics')];",
  (v) => assert.deepEqual(v, [true, false]),
);

vanilla("Should return the plugin's cookie", "api.acceptCategory(); return Object.keys(api.getCookie());", (keys) => {
  for (const k of ["categories", "revision", "data", "consentId", "consentTimestamp", "lastConsentTimestamp", "services"]) assert.ok(keys.includes(k), k);
});

vanilla("Should return user preferences", "return Object.keys(api.getUserPreferences());", (keys) => {
  for (const k of ["acceptedCategories", "rejectedCategories", "acceptType", "acceptedServices", "rejectedServices"]) assert.ok(keys.includes(k), k);
});

vanilla(
  "Should return false when cookie has an empty value",
  "document.cookie = 'empty_cookie=; expires=Sun, 1 Jan 2063 00:00:00 UTC; path=/'; return api.validCookie('empty_cookie');",
  (v) => assert.equal(v, false),
);

vanilla("Should return false when cookie does not exist", "return api.validCookie('non_existing_cookie');", (v) => assert.equal(v, false));

vanilla(
  "Should accept all services",
  "api.acceptService('all', 'analytics'); return [api.getUserPreferences().acceptedServices.analytics.length, api.getConfig('categories').find((c) => c.id === 'analytics').services.length];",
  // (vanilla counts its config's services as an object's keys; ours are a list)
  ([accepted, defined]) => assert.equal(accepted, defined),
);

vanilla(
  "Should reject all services",
  "api.acceptService([], 'analytics'); return [api.getUserPreferences().acceptedServices.analytics.length, api.validConsent()];",
  (v) => assert.deepEqual(v, [0, true]),
);

vanilla("Should accept a specific service", "api.acceptService('service1', 'analytics'); return api.getUserPreferences().acceptedServices.analytics.length;", (n) =>
  assert.equal(n, 1),
);

vanilla(
  "Accepting a non existing service should reject all services",
  "api.acceptService('does_not_exist', 'analytics'); return [api.getUserPreferences().acceptedServices.analytics.length, api.validConsent()];",
  // Answered at once; the UI, loaded for it, reports the name the config lacks and stores
  // the decision (rejecting all of the category's services, as vanilla).
  async (v, page) => {
    assert.deepEqual(v, [0, true]);
    await page.waitForFunction(() => localStorage.getItem("cc_cookie") !== null, null, { timeout: 15000 });
    assert.equal(await page.evaluate(() => window.CookieConsent.getUserPreferences().acceptedServices.analytics.length), 0);
  },
);

vanilla("acceptService should set the cookie", "api.acceptService('all', 'analytics'); return api.getCookie('consentId');", (id) => assert.ok(id));

vanilla(
  "Should return true when service is enabled",
  "api.acceptService('service1', 'analytics'); return api.acceptedService('service1', 'analytics');",
  (v) => assert.equal(v, true),
);

vanilla(
  "Accepting a service in a non existing category should not do anything",
  "return [api.acceptService('service1', 'category_does_not_exist'), api.validConsent()];",
  (v) => assert.deepEqual(v, [false, false]),
);

vanilla("Should return false when service is disabled", "return api.acceptedService('service2', 'analytics');", (v) => assert.equal(v, false));

vanilla(
  "Should erase cookie by string",
  `document.cookie = 'test_cookie=21; expires=Sun, 1 Jan 2063 00:00:00 UTC; path=/';
   const before = api.validCookie('test_cookie'); api.eraseCookies('test_cookie'); return [before, api.validCookie('test_cookie')];`,
  (v) => assert.deepEqual(v, [true, false]),
);

vanilla(
  "Should erase cookie by regex",
  `document.cookie = 'test_cookie1=21; expires=Sun, 1 Jan 2063 00:00:00 UTC; path=/';
   document.cookie = 'test_cookie2=21; expires=Sun, 1 Jan 2063 00:00:00 UTC; path=/';
   const before = [api.validCookie('test_cookie1'), api.validCookie('test_cookie2')];
   api.eraseCookies(/^test_cookie/);
   return [...before, api.validCookie('test_cookie1'), api.validCookie('test_cookie2')];`,
  (v) => assert.deepEqual(v, [true, true, false, false]),
);

vanilla(
  "Should erase array of cookies by regex and string",
  `for (const n of ['test_cookie1', 'test_cookie2', 'new_cookie']) document.cookie = n + '=21; expires=Sun, 1 Jan 2063 00:00:00 UTC; path=/';
   const before = ['test_cookie1', 'test_cookie2', 'new_cookie'].map(api.validCookie);
   api.eraseCookies([/^test_cookie/, 'new_cookie']);
   return [...before, ...['test_cookie1', 'test_cookie2', 'new_cookie'].map(api.validCookie)];`,
  (v) => assert.deepEqual(v, [true, true, true, false, false, false]),
);

// (vanilla sets these with `domain=location.host`, which on 127.0.0.1:port is not a domain a
// browser takes; the page's hostname is what a site passes.)
vanilla(
  "Should erase cookie with specific path and domain",
  `document.cookie = 'test_cookie5=21; expires=Sun, 1 Jan 2063 00:00:00 UTC; path=/; domain=' + location.hostname;
   const before = api.validCookie('test_cookie5'); api.eraseCookies('test_cookie5', '/', location.hostname);
   return [before, api.validCookie('test_cookie5')];`,
  (v) => assert.deepEqual(v, [true, false]),
);

vanilla(
  "Should not erase cookie with wrong path",
  `document.cookie = 'test_cookie6=28; expires=Mon, 1 Jan 2064 00:00:00 UTC; path=/; domain=' + location.hostname;
   const before = api.validCookie('test_cookie6'); api.eraseCookies('test_cookie6', '/other', location.hostname);
   return [before, api.validCookie('test_cookie6')];`,
  (v) => assert.deepEqual(v, [true, true]),
);

vanilla(
  "Should not erase cookie with wrong domain",
  `document.cookie = 'test_cookie7=35; expires=Wed, 1 Jan 2065 00:00:00 UTC; path=/; domain=' + location.hostname;
   const before = api.validCookie('test_cookie7'); api.eraseCookies('test_cookie7', '/', 'wrong.domain');
   return [before, api.validCookie('test_cookie7')];`,
  // On 127.0.0.1 the browser keeps that cookie host-only (a Domain attribute naming an IP
  // address makes no domain cookie), and a host-only cookie of the name goes here whatever
  // domain is given: vanilla would leave it. (A domain cookie on another domain stays.)
  (v) => assert.deepEqual(v, [true, false]),
  "with a domain, the host-only cookie of that name goes too",
);

vanilla(
  'Should set the language to "it"',
  `return api.setLanguage('it').then((set) => [set, document.querySelector('#lcc-root [lang]')?.getAttribute('lang')]);`,
  (v) => assert.deepEqual(v, [true, "it"]),
);

vanilla(
  "Should fail when trying to set a language already in use",
  "return api.setLanguage('en').then(() => api.setLanguage('en')).then((set) => api.setLanguage('en', true).then((forced) => [set, forced]));",
  // (and, with vanilla's forceUpdate, it is drawn again)
  (v) => assert.deepEqual(v, [false, true]),
);

// ---- tests/data-cc.test.js ----

vanilla(
  "Should accept all categories onClick",
  `document.querySelector('[data-cc="accept-all"]').click();
   const p = api.getUserPreferences(); return [p.acceptType, p.acceptedCategories.length, api.getConfig('categories').length];`,
  ([type, accepted, defined]) => assert.deepEqual([type, accepted], ["all", defined]),
);

vanilla(
  "Should accept necessary categories onClick",
  `document.querySelector('[data-cc="accept-necessary"]').click();
   const p = api.getUserPreferences(); return [p.acceptType, p.acceptedCategories.length];`,
  (v) => assert.deepEqual(v, ["necessary", 1]),
);

// The preferences and the banner drawn by the UI are in the page once the UI has loaded
// (fetched on first use, so that a page view that needs neither never downloads them):
// vanilla's are in the page from the start, so its tests look in the same tick.
const ON_DEMAND = "the UI opens once it has loaded (fetched on first use)";

for (const [name, trigger, testid] of [
  ["Should show the preferences modal onClick", "show-preferencesModal", "lcc-preferences"],
  ["Should show the consent modal onClick", "show-consentModal", "lcc-banner"],
]) {
  test(`vanilla-cookieconsent ${VANILLA_VERSION}: ${name} (deliberate difference: ${ON_DEMAND})`, async () => {
    const { context, page, errors } = await open();
    await page.evaluate((t) => document.querySelector(`[data-cc="${t}"]`).click(), trigger);
    await page.locator(`#lcc-root [data-testid=${testid}]`).waitFor({ state: "visible", timeout: 15000 });
    assert.equal(await page.evaluate(() => window.CookieConsent.validConsent()), false, "showing decides nothing");
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test(`vanilla-cookieconsent ${VANILLA_VERSION}: Should accept custom categories onClick (deliberate difference: ${ON_DEMAND})`, async () => {
  const { context, page, errors } = await open();
  await page.evaluate(() => window.CookieConsent.showPreferences());
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible", timeout: 15000 });
  // From here on, as vanilla's test: a switch moved, then the trigger, answered in the same tick.
  const got = await page.evaluate(() => {
    document.querySelector("#lcc-cat-analytics").click();
    document.querySelector('[data-cc="accept-custom"]').click();
    const p = window.CookieConsent.getUserPreferences();
    return [p.acceptType, p.acceptedCategories.length];
  });
  assert.deepEqual(got, ["custom", 2]);
  assert.deepEqual(errors, []);
  await context.close();
});

// ---- tests/api.test.js: deciding more than once in a tick ----
// The first decision of a visit is carried out at once by the decision code; a later one goes
// to the UI (loaded for it), and window.CookieConsent answers from it at once meanwhile, with
// what it refuses erased at once. Each test then waits for the UI to have carried it out and
// checks that nothing changed its answers.
const settled = (page) => page.waitForFunction(() => window.CookieConsent && document.querySelector("#lcc-root"), null, { timeout: 15000 });

function twice(name, body, expect, after) {
  test(`vanilla-cookieconsent ${VANILLA_VERSION}: ${name}`, async () => {
    const { context, page, errors } = await open();
    const got = await page.evaluate(`(() => { const api = window.CookieConsent; ${body} })()`);
    assert.deepEqual(got, expect, "answered in the tick of the calls");
    await settled(page);
    if (after) assert.deepEqual(await page.evaluate(`(() => { const api = window.CookieConsent; ${after} })()`), expect.at(-1), "as carried out by the UI");
    assert.deepEqual(errors, []);
    await context.close();
  });
}

twice(
  "Should erase cookies when category is rejected",
  `api.acceptCategory('analytics');
   const before = ['service1Cookie1', 'service1Cookie2', 'service2Cookie'].map(api.validCookie);
   api.acceptCategory([]);
   return [before, ['service1Cookie1', 'service1Cookie2', 'service2Cookie'].map(api.validCookie)];`,
  [[true, true, true], [false, false, false]],
  "return ['service1Cookie1', 'service1Cookie2', 'service2Cookie'].map(api.validCookie);",
);

twice(
  "Should erase specific service cookie when service is rejected",
  `api.acceptService('service1', 'analytics');
   const before = ['service1Cookie1', 'service1Cookie2'].map(api.validCookie);
   api.acceptService([], 'analytics');
   return [before, ['service1Cookie1', 'service1Cookie2'].map(api.validCookie)];`,
  [[true, true], [false, false]],
  "return ['service1Cookie1', 'service1Cookie2'].map(api.validCookie);",
);

vanilla(
  "Should mark service as accepted regardless of callback/script",
  "api.acceptService('service2', 'analytics'); return api.acceptedService('service2', 'analytics');",
  (v) => assert.equal(v, true),
);

twice(
  "Should mark service as rejected regardless of callback/script",
  `api.acceptService('service2', 'analytics'); const before = api.acceptedService('service2', 'analytics');
   api.acceptService([], 'analytics'); return [before, api.acceptedService('service2', 'analytics')];`,
  [true, false],
  "return api.acceptedService('service2', 'analytics');",
);

// (vanilla's service onAccept: the service's gated script, which counts its runs.)
twice(
  "Should call service onAccept once",
  `api.acceptService('service2', 'analytics'); api.acceptService('service2', 'analytics'); api.acceptCategory('analytics');
   return [window.__service2];`,
  [1],
  "return window.__service2;",
);

// vanilla's service onReject (called when a service accepted before is rejected): here the
// cc:onChange event, which names the services that changed. A second decision's events come
// once the UI has carried it out (its clean-up is done at once).
test(`vanilla-cookieconsent ${VANILLA_VERSION}: Should call service onReject once, if previously accepted (deliberate difference: a later decision's events come once the UI has carried it out)`, async () => {
  const { context, page, errors } = await open();
  await page.evaluate(() => {
    window.__rejected = 0;
    window.__was = false;
    addEventListener("cc:onChange", () => {
      const now = window.CookieConsent.acceptedService("service2", "analytics");
      if (window.__was && !now) window.__rejected++;
      window.__was = now;
    });
    addEventListener("cc:onFirstConsent", () => (window.__was = window.CookieConsent.acceptedService("service2", "analytics")));
    const api = window.CookieConsent;
    api.acceptService([], "analytics");
  });
  assert.equal(await page.evaluate(() => window.__rejected), 0, "a service never accepted is not rejected");
  await page.evaluate(() => {
    const api = window.CookieConsent;
    api.acceptCategory("all");
    api.acceptService([], "analytics");
    api.acceptCategory([]);
  });
  await settled(page);
  await page.waitForFunction(() => window.__rejected > 0, null, { timeout: 15000 });
  await page.waitForLoadState("networkidle");
  assert.equal(await page.evaluate(() => window.__rejected), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

// ---- tests/api.test.js: data kept with the consent ----
// vanilla keeps data before any choice (its cookie is written with none); here data rides on a
// consent record, so that nothing is stored on the visitor's device before they choose.
const DATA_FIRST = "data is kept with a consent: before the visitor has chosen, setCookieData returns false and keeps nothing";

vanilla(
  "Should set cookie data",
  `const early = api.setCookieData({ value: { id: 21 } });
   api.acceptCategory();
   const set = api.setCookieData({ value: { id: 21 } });
   return [early, set, api.getCookie('data').id];`,
  (v) => assert.deepEqual(v, [false, true, 21]),
  DATA_FIRST,
);

vanilla(
  "Should add new prop. to cookie data",
  `api.acceptCategory();
   api.setCookieData({ value: { id: 21 } });
   const again = api.setCookieData({ value: { id: 21 }, mode: 'update' });
   const added = api.setCookieData({ value: { new_prop: 'new_value' }, mode: 'update' });
   return [again, added, api.getCookie('data')];`,
  (v) => assert.deepEqual(v, [false, true, { id: 21, new_prop: "new_value" }]),
);

// Beyond vanilla's test: the data is stored with the record, kept by the next decision, and
// read on the next page view by the boot script alone.
test(`vanilla-cookieconsent ${VANILLA_VERSION}: cookie data outlives the page view and the next decision`, async () => {
  const { context, page, errors } = await open();
  await page.evaluate(() => {
    const api = window.CookieConsent;
    api.acceptCategory("all");
    api.setCookieData({ value: { id: 21 } });
  });
  await settled(page);
  await page.waitForFunction(() => (localStorage.getItem("cc_cookie") || "").includes('"data"'), null, { timeout: 15000 });
  await page.reload();
  await page.waitForLoadState("networkidle");
  assert.deepEqual(await page.evaluate(() => [window.CookieConsent.validConsent(), window.CookieConsent.getCookie("data")]), [true, { id: 21 }]);
  assert.equal(await page.evaluate(() => !!document.querySelector("script[src*='leptos-consent.js']")), false, "a returning visit reads it without the UI");
  await page.evaluate(() => window.CookieConsent.acceptCategory([]));
  await settled(page);
  await page.waitForFunction(() => !window.CookieConsent.acceptedCategory("analytics") && JSON.parse(localStorage.getItem("cc_cookie")).categories.analytics === false, null, { timeout: 15000 });
  assert.deepEqual(await page.evaluate(() => window.CookieConsent.getCookie("data")), { id: 21 });
  assert.deepEqual(errors, []);
  await context.close();
});

// ---- tests/api.test.js: the rest ----

// vanilla's `cookie` block is translated into our keys (migration guide), which getConfig
// returns; there is no `root` option (the UI draws into its own #lcc-root).
vanilla(
  "Should return config.",
  "return [api.getConfig('storage_key'), api.getConfig('expires_after_days'), api.getConfig('root')];",
  (v) => assert.deepEqual(v, ["cc_cookie", 200, null]),
  "the config's keys are ours, as translated; no `root` option",
);

test(`vanilla-cookieconsent ${VANILLA_VERSION}: Should accept the current selection inside the preferences modal (deliberate difference: ${ON_DEMAND})`, async () => {
  const { context, page, errors } = await open();
  await page.evaluate(() => window.CookieConsent.showPreferences());
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible", timeout: 15000 });
  const got = await page.evaluate(() => {
    const api = window.CookieConsent;
    const toggle = document.querySelector("#lcc-cat-analytics");
    if (toggle.getAttribute("aria-checked") === "true" || toggle.checked) toggle.click();
    api.acceptCategory();
    return [api.acceptedCategory("necessary"), api.acceptedCategory("analytics")];
  });
  assert.deepEqual(got, [true, false]);
  assert.deepEqual(errors, []);
  await context.close();
});

vanilla("Should return true when cookie exists", "api.acceptCategory(); return api.validCookie('cc_cookie');", (v) => assert.equal(v, true));

// Beyond vanilla's test: the copy is what getCookie() says, in vanilla's encoding, follows a
// later decision and the data, and goes with reset(true); without cookie_mirror there is none.
test(`vanilla-cookieconsent ${VANILLA_VERSION}: the cc_cookie copy is the decision in force, for server code`, async () => {
  const { context, page, errors } = await open();
  const read = () =>
    page.evaluate(() => {
      const c = document.cookie.split("; ").find((p) => p.startsWith("cc_cookie="));
      return c ? [JSON.parse(decodeURIComponent(c.slice(10))), window.CookieConsent.getCookie()] : null;
    });
  assert.equal(await read(), null, "none before a choice");
  await page.evaluate(() => window.CookieConsent.acceptCategory("all"));
  let [copy, cookie] = await read();
  assert.deepEqual(copy, cookie);
  assert.deepEqual(copy.categories, ["necessary", "analytics", "ads"]);
  await page.evaluate(() => {
    window.CookieConsent.acceptCategory([]);
    window.CookieConsent.setCookieData({ value: { id: 21 } });
  });
  await page.waitForFunction(() => JSON.parse(localStorage.getItem("cc_cookie")).data, null, { timeout: 15000 });
  [copy, cookie] = await read();
  assert.deepEqual(copy, cookie);
  assert.deepEqual([copy.categories, copy.data], [["necessary"], { id: 21 }]);
  const jar = (await context.cookies()).find((c) => c.name === "cc_cookie");
  assert.deepEqual([jar.path, jar.sameSite, Math.round(jar.expires - Date.now() / 1000) > 199 * 86400], ["/", "Lax", true]);
  // Data that makes the copy too large for a cookie (the browser would drop it and keep the
  // older copy): the copy goes, and the site owner is told.
  const warned = [];
  page.on("console", (m) => m.type() == "warning" && warned.push(m.text()));
  assert.equal(await page.evaluate(() => window.CookieConsent.setCookieData({ value: { big: "x".repeat(4200) } })), true);
  assert.equal(await read(), null, "no copy over 4 KB");
  assert.ok(warned.some((w) => w.includes("cookie_mirror")), warned.join("\n"));
  await page.evaluate(() => window.CookieConsent.setCookieData({ value: { id: 21 } }));
  assert.deepEqual((await read())[0].data, { id: 21 });
  await page.evaluate(() => window.CookieConsent.reset(true));
  assert.equal(await read(), null, "gone with reset(true)");
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [name, call, testid, shown, visible] of [
  ["Should show the consent modal", "show", "lcc-banner", false, true],
  ["Should hide the consent modal", "hide", "lcc-banner", true, false],
  ["Should show the preferences modal", "showPreferences", "lcc-preferences", false, true],
  ["Should hide the preferences modal", "hidePreferences", "lcc-preferences", false, false],
]) {
  test(`vanilla-cookieconsent ${VANILLA_VERSION}: ${name}${visible ? ` (deliberate difference: ${ON_DEMAND})` : ""}`, async () => {
    const { context, page, errors } = await open({ shown });
    await page.evaluate((m) => window.CookieConsent[m](), call);
    const on = page.locator(`[data-testid=${testid}]:visible`);
    if (visible) await on.first().waitFor({ timeout: 15000 });
    else assert.equal(await on.count(), 0, "hidden in the tick of the call");
    assert.equal(await page.evaluate(() => window.CookieConsent.validConsent()), false, "showing and hiding decide nothing");
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test(`vanilla-cookieconsent ${VANILLA_VERSION}: Should create the consent modal if it does not exist (deliberate difference: ${ON_DEMAND})`, async () => {
  const { context, page, errors } = await open({ shown: true });
  await page.evaluate(() => window.CookieConsent.acceptCategory());
  await page.reload();
  await page.waitForLoadState("networkidle");
  assert.equal(await page.locator("[data-testid=lcc-banner]:visible").count(), 0, "a returning visitor gets no banner");
  await page.evaluate(() => window.CookieConsent.show(true));
  await page.locator("#lcc-root [data-testid=lcc-banner]").waitFor({ state: "visible", timeout: 15000 });
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [name, route, lang, ok] of [
  ["Should throw error when desired language is not defined", null, "xx", false],
  ["Should throw error when fetch fails", "it", "it", false],
  // (vanilla's en-IT: a regional code is shown in its language, as language detection does.)
  ["Should throw error when desired language is not defined (en-IT)", null, "en-IT", true],
]) {
  // vanilla rejects with a message; here the promise resolves to false (as for a language
  // already shown) and the console says why. Either way the language stays.
  test(`vanilla-cookieconsent ${VANILLA_VERSION}: ${name} (deliberate difference: setLanguage resolves to false${lang == "en-IT" ? "; en-IT is shown in English" : ""})`, async () => {
    const { context, page, errors } = await open();
    if (route) await page.route(new RegExp(`/i18n/${route}\\.json$`), (r) => r.abort());
    const got = await page.evaluate((lang) => window.CookieConsent.setLanguage(lang, true), lang);
    assert.equal(got, ok);
    assert.equal(await page.evaluate(() => document.querySelector("#lcc-root [lang]")?.getAttribute("lang")), "en");
    assert.deepEqual(errors, []);
    await context.close();
  });
}

// ---- tests/cookies.test.js (the rest tests vanilla's cookie helpers) ----

vanilla(
  "Should retrieve the cookie with all the fields",
  "api.acceptCategory('all'); return api.getCookie();",
  (c) => {
    assert.ok("data" in c);
    assert.equal(typeof c.consentId, "string");
    assert.ok(c.consentTimestamp && c.lastConsentTimestamp);
    assert.equal(c.languageCode, "en");
    assert.deepEqual(c.categories, ["necessary", "analytics", "ads"]);
    // (vanilla's necessary service is `service1`, renamed here: one id per service.)
    assert.deepEqual(c.services, { necessary: ["necessary-service1"], analytics: ["service1", "service2"], ads: [] });
  },
);

// ---- tests/config.test.js ----

test(`vanilla-cookieconsent ${VANILLA_VERSION}: Consent Modal should not appear if consent is valid`, async () => {
  const { context, page, errors } = await open({ shown: true });
  await page.evaluate(() => window.CookieConsent.acceptCategory());
  await page.reload();
  await page.waitForLoadState("networkidle");
  assert.equal(await page.evaluate(() => window.CookieConsent.validConsent()), true);
  assert.equal(await page.locator("[data-testid=lcc-banner]:visible").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test(`vanilla-cookieconsent ${VANILLA_VERSION}: Revision change should cause invalid consent`, async () => {
  const { context, page, errors } = await open();
  await page.evaluate(() => window.CookieConsent.acceptCategory());
  const next = pageFor({ ...CONFIG, revision: 2 });
  await page.route((url) => url.pathname === "/compat/page.html", (route) => route.fulfill({ contentType: "text/html", body: next }));
  await page.reload();
  await page.waitForLoadState("networkidle");
  assert.equal(await page.evaluate(() => window.CookieConsent.validConsent()), false);
  assert.deepEqual(errors, []);
  await context.close();
});

vanilla(
  "Consent modal should not appear if autoShow=false",
  "api.eraseCookies('cc_cookie'); return [api.validConsent(), !!document.querySelector('[data-testid=lcc-banner]:not([hidden])')];",
  (v) => assert.deepEqual(v, [false, false]),
);

// ---- tests/localstorage.test.js (vanilla's useLocalStorage: always so here) ----

vanilla(
  "Should save the cookie in localstorage",
  `api.acceptCategory('all');
   const stored = JSON.parse(localStorage.getItem(api.getConfig('storage_key')));
   const c = api.getCookie();
   return [stored.id === c.consentId, c.categories.length >= 1, 'expirationTime' in c];`,
  (v) => assert.deepEqual(v, [true, true, true]),
);

vanilla(
  "Consent should be valid after accept/reject",
  "api.reset(true); const before = api.validConsent(); api.acceptCategory('all'); return [before, api.validConsent()];",
  (v) => assert.deepEqual(v, [false, true]),
);

vanilla(
  "Consent should be invalid after `reset`",
  "api.acceptCategory('all'); const before = api.validConsent(); api.reset(true); return [before, api.validConsent()];",
  (v) => assert.deepEqual(v, [true, false]),
);

vanilla(
  "Should erase the localstorage item on reset",
  "api.acceptCategory('all'); const before = Object.keys(api.getCookie()).length > 0; api.reset(true); return [before, api.getCookie(), localStorage.getItem('cc_cookie')];",
  (v) => assert.deepEqual(v, [true, {}, null]),
);

// ---- tests/modals.test.js ----

test(`vanilla-cookieconsent ${VANILLA_VERSION}: Modals should exist (deliberate difference: ${ON_DEMAND})`, async () => {
  const { context, page, errors } = await open({ shown: true });
  assert.equal(await page.locator("[data-testid=lcc-banner]:visible").count(), 1, "the banner is on screen");
  await page.evaluate(() => window.CookieConsent.showPreferences());
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible", timeout: 15000 });
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [name, testid, type, accepted, rejected] of [
  ["Modal accept necessary btn onClick", "lcc-reject-all", "necessary", 1, 2],
  ["Modal accept all btn onClick", "lcc-accept-all", "all", 3, 0],
]) {
  test(`vanilla-cookieconsent ${VANILLA_VERSION}: ${name}`, async () => {
    const { context, page, errors } = await open({ shown: true });
    const got = await page.evaluate((id) => {
      document.querySelector(`#lcc-boot [data-testid=${id}]`).click();
      const p = window.CookieConsent.getUserPreferences();
      return [p.acceptType, p.acceptedCategories.length, p.rejectedCategories.length];
    }, testid);
    assert.deepEqual(got, [type, accepted, rejected]);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

for (const [name, testid, type] of [
  ["Should accept necessary only on acceptNecessaryBtn click", "lcc-prefs-reject-all", "necessary"],
  ["Should accept all categories on acceptAllBtn click", "lcc-prefs-accept-all", "all"],
]) {
  test(`vanilla-cookieconsent ${VANILLA_VERSION}: ${name} (deliberate difference: ${ON_DEMAND})`, async () => {
    const { context, page, errors } = await open();
    await page.evaluate(() => window.CookieConsent.showPreferences());
    await page.getByTestId("lcc-preferences").waitFor({ state: "visible", timeout: 15000 });
    const got = await page.evaluate(([id, type]) => {
      document.querySelector(`[data-testid=${id}]`).click();
      const p = window.CookieConsent.getUserPreferences();
      return [p.acceptType, type === "all" ? p.rejectedCategories.length : p.acceptedCategories.length];
    }, [testid, type]);
    assert.deepEqual(got, [type, type === "all" ? 0 : 1]);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test(`vanilla-cookieconsent ${VANILLA_VERSION}: Should accept selected only categories on savePreferencesBtn click (deliberate difference: ${ON_DEMAND})`, async () => {
  const { context, page, errors } = await open();
  await page.evaluate(() => {
    window.CookieConsent.acceptCategory("all");
    window.CookieConsent.showPreferences();
  });
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible", timeout: 15000 });
  const got = await page.evaluate(() => {
    document.querySelector("#lcc-cat-analytics").click();
    document.querySelector("[data-testid=lcc-save]").click();
    const p = window.CookieConsent.getUserPreferences();
    return [p.acceptType, p.rejectedCategories.includes("analytics")];
  });
  assert.deepEqual(got, ["custom", true]);
  assert.deepEqual(errors, []);
  await context.close();
});

test(`vanilla-cookieconsent ${VANILLA_VERSION}: Should close the preferences modal when (x) icon is pressed (deliberate difference: ${ON_DEMAND})`, async () => {
  const { context, page, errors } = await open();
  await page.evaluate(() => window.CookieConsent.showPreferences());
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible", timeout: 15000 });
  await page.evaluate(() => document.querySelector("[data-testid=lcc-preferences] [data-testid=lcc-close]").click());
  // (The UI redraws as its next task begins, not in the press's own.)
  await page.getByTestId("lcc-preferences").waitFor({ state: "hidden", timeout: 5000 });
  assert.deepEqual(errors, []);
  await context.close();
});

// ---- the TypeScript declarations ----

test("leptos-consent.d.ts declares exactly the methods window.CookieConsent has", async () => {
  const dts = readFileSync(new URL("../../dist/leptos-consent.d.ts", import.meta.url), "utf8");
  const block = dts.slice(dts.indexOf("interface Api {"), dts.indexOf("\n  }\n", dts.indexOf("interface Api {")));
  const declared = [...new Set([...block.matchAll(/^    (\w+)(?:<[^>]*>)?\(/gm)].map((m) => m[1]))].sort();
  const { context, page, errors } = await open();
  const actual = await page.evaluate(() => Object.keys(window.CookieConsent).filter((k) => typeof window.CookieConsent[k] == "function").sort());
  assert.deepEqual(declared, actual);
  // What the declarations say each returns, checked on a first visit and after a decision.
  const kinds = await page.evaluate(() => {
    const api = window.CookieConsent;
    const kind = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : v instanceof Promise ? "promise" : typeof v);
    const before = [kind(api.getCookie()), Object.keys(api.getCookie()).length, kind(api.setCookieData({ value: 1 }))];
    api.acceptCategory("all");
    return [
      ...before,
      kind(api.run()),
      kind(api.acceptService("all", "ads")),
      kind(api.getCookie("data")),
      kind(api.getCookie("consentId")),
      kind(api.setCookieData({ value: { a: 1 } })),
      kind(api.getCookie("data")),
      kind(api.loadScript("/nothing.js")),
      kind(api.setLanguage("en")),
    ];
  });
  assert.deepEqual(kinds, ["object", 0, "boolean", "promise", "boolean", "null", "string", "boolean", "object", "promise", "promise"]);
  assert.deepEqual(errors, []);
  await context.close();
});
