// Hostile input: a config whose every string is an injection payload is shown
// as text, under the strict CSP of csp.test.mjs, and nothing executes; links
// that are not http(s) or relative are refused with an error naming the field.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, quiet, ready } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const NONCE = "aG9zdGlsZS10ZXN0";
const POLICY =
  `script-src 'nonce-${NONCE}' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'self' 'nonce-${NONCE}'; ` +
  "object-src 'none'; base-uri 'none'";

// Each payload tries a different way in; each one that ran would set window.__pwned.
const PAYLOADS = [
  `<img src=x onerror="window.__pwned='img'">`,
  `"><script>window.__pwned='script'</script>`,
  `<svg onload="window.__pwned='svg'"></svg>`,
  `javascript:window.__pwned='js-url'`,
  `data:text/html,<script>window.__pwned='data'</script>`,
  "line\u2028separator\u2029paragraph</script><script>window.__pwned='ls'</script>",
  `{{constructor.constructor('window.__pwned="tpl"')()}} $& $1 {categories}`,
  `<a href="javascript:window.__pwned='a'">x</a><style>body{display:none}</style>`,
];
let n = 0;
const p = () => PAYLOADS[n++ % PAYLOADS.length] + ` #${n}`;

function hostileConfig() {
  n = 0;
  const texts = {};
  for (const k of [
    "banner_title", "banner_description", "privacy_policy_label", "accept_all", "reject_all", "manage",
    "preferences_title", "preferences_description", "save", "close", "always_on", "show_services",
    "cookie_name", "cookie_provider", "cookie_purpose", "cookie_duration", "provider", "service_policy_label",
    "saved", "gpc_note", "gpc_locked", "gpc_applied",
  ]) texts[k] = p();
  return {
    revision: 1,
    reload_on_revoke: false,
    privacy_policy_url: `https://example.test/privacy?q="><script>window.__pwned='href'</script>`,
    texts,
    categories: [
      { id: "necessary", title: p(), description: p(), read_only: true },
      {
        id: "analytics",
        title: p(),
        description: p(),
        services: [{
          id: "google-analytics",
          title: p(),
          provider: p(),
          purpose: p(),
          privacy_policy_url: `/policy?x="><img/src=x/onerror=window.__pwned='svc-href'>`,
          cookies: [{ name: "_ga<img>", purpose: p(), duration: p() }],
        }],
      },
      { id: "marketing", title: p(), description: p() },
    ],
  };
}

/** The drop-in page with `config` as its inline config, the policy header and the nonce. */
async function visit(config) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const v = { context, page, errors: [], console: [] };
  page.on("pageerror", (e) => v.errors.push(String(e)));
  page.on("console", (m) => v.console.push(m.text()));
  page.on("dialog", (d) => { v.errors.push("dialog: " + d.message()); d.dismiss(); });
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.route((url) => url.pathname === "/dropin.html", async (route) => {
    const res = await route.fetch();
    const body = (await res.text())
      .replace(/<script type="application\/json" id="cc-config"(?: data-checked="[^"]*")?>[\s\S]*?<\/script>/, () =>
        // As a site should embed JSON in HTML: "<" escaped, so no text can close or open an element.
        `<script type="application/json" id="cc-config">${JSON.stringify(config).replaceAll("<", "\\u003c")}</script>`)
      .replace(/<script(?=[\s>])/g, `<script nonce="${NONCE}"`)
      .replace(/<style(?=[\s>])/g, `<style nonce="${NONCE}"`);
    await route.fulfill({ response: res, body, headers: { ...res.headers(), "content-security-policy": POLICY } });
  });
  await page.goto(new URL("/dropin.html", env.server.url).href);
  return v;
}

const state = (page) =>
  page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    violations: window.__violations.slice(),
    // Elements a payload would have created inside our UI.
    injected: document.querySelectorAll("#lcc-root :is(img, svg, script, style, iframe), #lcc-boot :is(img, svg, script, style, iframe)").length,
    links: [...document.querySelectorAll("#lcc-root a[href], #lcc-boot a[href]")].map((a) => a.getAttribute("href")),
  }));

/**
 * Opens the preferences, checks that each of `shown` is in them as text,
 * accepts all and returns what the page looks like afterwards (`state`).
 */
async function throughPreferences(page, shown) {
  await page.getByTestId("lcc-manage").click();
  const modal = page.getByTestId("lcc-preferences");
  await modal.waitFor({ state: "visible" });
  await modal.locator("details").first().evaluate((d) => (d.open = true));
  const text = await modal.textContent();
  for (const s of shown) assert.ok(text.includes(s), `shown as text: ${s}`);
  await page.getByTestId("lcc-prefs-accept-all").click();
  await page.waitForFunction(() => window.CookieConsent.validConsent());
  await quiet(page);
  return state(page);
}

test("every config string an injection payload: shown as text, nothing runs, no CSP violation", async () => {
  const config = hostileConfig();
  const v = await visit(config);
  const { page, context } = v;
  await ready(page).catch((e) => {
    throw new Error(`${e.message}\n${v.console.join("\n")}\n${v.errors.join("\n")}`);
  });
  const banner = page.getByTestId("lcc-banner");
  await banner.waitFor({ state: "visible" });
  assert.equal(await banner.locator("h2").textContent(), config.texts.banner_title, "the payload is the visible text");
  assert.equal(await page.getByTestId("lcc-accept-all").textContent(), config.texts.accept_all);

  const svc = config.categories[1].services[0];
  const s = await throughPreferences(page, [config.categories[1].title, svc.purpose, svc.cookies[0].purpose]);
  assert.equal(s.pwned, null, "no payload ran");
  assert.equal(s.injected, 0, "no element came from config text");
  assert.deepEqual(s.violations, []);
  for (const href of s.links) assert.ok(/^(https:\/\/example\.test\/|\/policy\?)/.test(href), href);
  assert.deepEqual(v.errors, []);
  await context.close();
});

test("a javascript: or data: link in the config is refused, named by field; the notice is text; nothing runs", async () => {
  for (const url of ["javascript:window.__pwned='policy'", "data:text/html,<script>window.__pwned=1</script>", " JaVaScRiPt:window.__pwned=2"]) {
    const config = hostileConfig();
    config.categories[1].services[0].privacy_policy_url = url;
    const v = await visit(config);
    const { page, context } = v;
    await page.getByTestId("lcc-unavailable").waitFor({ state: "visible" });
    assert.ok(v.console.some((m) => m.includes("categories[1].services[0].privacy_policy_url")), v.console.join("\n"));
    const s = await state(page);
    assert.equal(s.pwned, null);
    assert.deepEqual(s.violations, []);
    assert.equal(await page.evaluate(() => window.CookieConsent.acceptedCategory("analytics")), false);
    await context.close();
  }
});

test("every translation string an injection payload: shown as text in that language, nothing runs, no CSP violation", async () => {
  const config = hostileConfig();
  const words = {};
  for (const k of Object.keys(config.texts)) words[k] = p();
  config.language = "sv";
  config.translations = {
    sv: {
      texts: words,
      categories: { analytics: { title: p(), description: p() } },
      services: { "google-analytics": { title: p(), purpose: p() } },
    },
  };
  const v = await visit(config);
  const { page, context } = v;
  await ready(page);
  const banner = page.getByTestId("lcc-banner");
  await banner.waitFor({ state: "visible" });
  assert.equal(await banner.getAttribute("lang"), "sv");
  assert.equal(await banner.locator("h2").textContent(), words.banner_title, "the translated payload is the visible text");
  const sv = config.translations.sv;
  const s = await throughPreferences(page, [
    sv.categories.analytics.title,
    sv.categories.analytics.description,
    sv.services["google-analytics"].purpose,
  ]);
  assert.equal(s.pwned, null, "no payload ran");
  assert.equal(s.injected, 0, "no element came from translation text");
  assert.deepEqual(s.violations, []);
  assert.deepEqual(v.errors, []);
  await context.close();
});

test("input nested far deeper than any parser allows (stored record, config, API argument) is refused without a crash, nothing granted", async () => {
  const DEEP = "[".repeat(50000) + "]".repeat(50000);
  // A stored record and a config nested 50,000 deep.
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  const warnings = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => ["error", "warning"].includes(m.type()) && warnings.push(m.text()));
  await page.addInitScript((deep) => localStorage.setItem("lcc_consent", deep), DEEP);
  await page.goto(env.server.url + "/");
  await ready(page);
  await page.getByTestId("lcc-banner").first().waitFor();
  // The API, with an argument nested 5,000 deep (what JSON.stringify still takes).
  await page.evaluate(() => {
    let a = [];
    for (let i = 0; i < 5000; i++) a = [a];
    window.CookieConsent.acceptCategory(a);
    window.CookieConsent.acceptService(a, a);
  });
  await quiet(page);
  assert.deepEqual(errors, []);
  assert.deepEqual(await page.evaluate(() => window.lccDemoRuns || []), [], "nothing ran");
  assert.equal(await page.evaluate(() => localStorage.getItem("lcc_consent").length > 1000), true, "the bad record is left alone until a choice replaces it");
  // The UI still works.
  await page.locator("#lcc-root [data-testid=lcc-reject-all]").click();
  await page.waitForFunction(() => localStorage.getItem("lcc_consent").startsWith("{"));
  assert.deepEqual(errors, []);
  await context.close();

  const broken = await env.browser.newContext();
  const p2 = await broken.newPage();
  const errs = [];
  const said = [];
  p2.on("pageerror", (e) => errs.push(String(e)));
  p2.on("console", (m) => m.type() === "error" && said.push(m.text()));
  await p2.route(/\/$/, async (route) => {
    const res = await route.fetch();
    const body = (await res.text()).replace(/"categories": \[/, `"translations": { "de": { "texts": ${DEEP} } }, "categories": [`);
    await route.fulfill({ response: res, body });
  });
  await p2.goto(env.server.url + "/");
  await p2.waitForFunction(() => document.querySelector("[data-testid=lcc-config-error], #lcc-root") !== null, null, { timeout: 15000 }).catch(() => {});
  await quiet(p2);
  assert.deepEqual(errs, []);
  assert.ok(said.some((m) => /consent config: translations/.test(m)), said.join("\n"));
  assert.deepEqual(await p2.evaluate(() => window.lccDemoRuns || []), [], "nothing ran");
  await broken.close();
});
