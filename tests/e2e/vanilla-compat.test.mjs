// vanilla-cookieconsent's own tests, ported: what its API means, checked against our drop-in.
//
// The tests are those of orestbida/cookieconsent v3.1.0 (tests/*.test.js, Jest against its
// source) that exercise the public API, the config's API-visible behaviour and `data-cc`,
// rewritten in our words for Playwright and named as vanilla names them, so that each can be
// traced to its original. Each runs in a fresh browser context on a page built like
// vanilla's test setup: its full-config translated as the migration guide says (README,
// "Migrating from vanilla-cookieconsent v3"), `autoShow: false`, its four gated scripts. As
// in vanilla, a test body runs in one go in the page: an answer must follow a call in the
// same tick. Tests of vanilla's internals or of options we do not offer (`hideFromBots`,
// `guiOptions`, `mode: 'opt-out'`) are not ported; not ported yet (issue "Migrating from
// vanilla-cookieconsent"): those that decide twice in a tick or erase on a withdrawal,
// setCookieData, "Should return true when cookie exists" (the cc_cookie mirror), the
// show/hide and preferences-selection tests, and modals.test.js.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
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
};

// vanilla's api.test.js page: four gated scripts (a service's onAccept, which we do not offer,
// is a gated script of that service here: it sets the service's cookies).
const PAGE = stamp(`<!doctype html><html lang="en"><head>
<script type="application/json" id="cc-config">${JSON.stringify(CONFIG)}</script>
<script src="/dist/leptos-consent-boot.js"></script>
</head><body>
<script type="text/plain" data-category="analytics">window.__log = (window.__log || []).concat("enabled analytics")</script>
<script type="text/plain" data-category="!analytics">window.__log = (window.__log || []).concat("disabled analytics")</script>
<script type="text/plain" data-category="analytics" data-service="service1">document.cookie = "service1Cookie1=1; path=/"; document.cookie = "service1Cookie2=1; path=/"</script>
<script type="text/plain" data-category="analytics" data-service="service2">document.cookie = "service2Cookie=1; path=/"</script>
<a href="#" data-cc="show-preferencesModal">Show preferences</a>
<a href="#" data-cc="show-consentModal">Show consent modal</a>
<a href="#" data-cc="accept-all">Accept all</a>
<a href="#" data-cc="accept-necessary">Accept necessary</a>
<a href="#" data-cc="accept-custom">Accept custom</a>
</body></html>`);

/**
 * A fresh visitor on the page, once it is ready as vanilla's after `await run(config)`: the
 * decision code has checked the config (with `auto_show` false it is fetched without a banner).
 */
async function open() {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.route((url) => url.pathname === "/compat/page.html", (route) => route.fulfill({ contentType: "text/html", body: PAGE }));
  const decider = page.waitForResponse(/leptos-consent-decide\.js$/);
  await page.goto(env.server.url + "/compat/page.html");
  await decider;
  await page.waitForLoadState("networkidle");
  return { context, page, errors };
}

/** A vanilla test: `body` runs in the page in one go (`api` is window.CookieConsent); `check` asserts on what it returns. */
function vanilla(name, body, check, difference) {
  // A deliberate difference (README, "Migrating from vanilla-cookieconsent v3") checks what we do instead.
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
  // A name the config lacks is reported, and the UI carries the call out (rejecting all of
  // the category's services, as vanilla), once it has loaded.
  async (v, page) => {
    assert.deepEqual(v, [0, false]);
    await page.waitForFunction(() => window.CookieConsent.validConsent(), null, { timeout: 15000 });
    assert.equal(await page.evaluate(() => window.CookieConsent.getUserPreferences().acceptedServices.analytics.length), 0);
  },
  "a name the config lacks is reported, and the call carried out once the UI has loaded",
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
