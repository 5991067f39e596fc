// Google Consent Mode v2, read from the real dataLayer in Chromium: the head
// snippet's default comes first, each decision pushes exactly one update with
// every mapped key, before the gated gtag('config'), and withdrawal denies again.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { launch, quiet, withoutDecider } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const ROOT = new URL("../../", import.meta.url);
const KEYS = ["ad_storage", "ad_user_data", "ad_personalization", "analytics_storage", "functionality_storage", "personalization_storage"];

test("the page's head snippet is docs/consent-mode.md's, with the CSP hash it gives", () => {
  const guide = readFileSync(new URL("docs/consent-mode.md", ROOT), "utf8");
  const section = guide.slice(guide.indexOf("## Google Consent Mode v2"));
  const snippet = /<script>(.*?)<\/script>/.exec(section)[1];
  const hash = /'sha256-([A-Za-z0-9+/=]+)'/.exec(section)[1];
  assert.equal(createHash("sha256").update(snippet).digest("base64"), hash);
  assert.ok(readFileSync(new URL("tests/e2e/pages/gcm/index.html", ROOT), "utf8").includes(`<script>${snippet}</script>`));
});

/// The gtag commands in the dataLayer, as [command, action, arg].
const commands = (page) =>
  page.evaluate(() =>
    window.dataLayer
      .filter((e) => e && typeof e === "object" && "length" in e && typeof e[0] === "string")
      .map((e) => [e[0], e[1] instanceof Date ? "date" : e[1], e[2] && typeof e[2] === "object" ? { ...e[2] } : e[2]]),
  );

test("default first, one update per decision before config, denied after withdrawal", async () => {
  const context = await env.browser.newContext();
  await withoutDecider(context); // (these tests follow the UI; quick.test.mjs covers Consent Mode on the early banner)
  const page = await context.newPage();
  await page.goto(new URL("/gcm/index.html", env.server.url).href);
  await page.getByTestId("lcc-banner").waitFor({ state: "visible" });
  await page.waitForSelector("#lcc-root [data-testid=lcc-preferences]", { state: "attached" });
  let cmds = await commands(page);
  assert.deepEqual(cmds[0][0], "consent");
  assert.deepEqual(cmds[0][1], "default");
  assert.equal(cmds[0][2].security_storage, "granted");
  assert.equal(cmds[0][2].wait_for_update, 500);
  for (const k of KEYS) assert.equal(cmds[0][2][k], "denied", k);
  assert.equal(cmds.length, 1, "nothing else before a decision");

  // Only performance: one update, analytics granted, the rest denied, then the gated config.
  await page.evaluate(() => window.CookieConsent.acceptCategory("performance"));
  await page.waitForFunction(() => window.dataLayer.some((e) => e[0] === "config"));
  cmds = await commands(page);
  const updates = cmds.filter(([c, a]) => c === "consent" && a === "update");
  assert.equal(updates.length, 1, JSON.stringify(cmds));
  // Every mapped key (this config has no functionality category: those keys keep the default).
  assert.deepEqual(updates[0][2], {
    ad_storage: "denied", ad_user_data: "denied", ad_personalization: "denied", analytics_storage: "granted",
  });
  const at = (c, a) => cmds.findIndex((x) => x[0] === c && x[1] === a);
  assert.ok(at("consent", "update") < cmds.findIndex((x) => x[0] === "config"), JSON.stringify(cmds));

  // Withdrawal: exactly one more update, everything denied (no second update from the GA opt-out).
  await page.evaluate(() => window.CookieConsent.acceptCategory([]));
  await page.waitForFunction(() => window.dataLayer.filter((e) => e[0] === "consent" && e[1] === "update").length >= 2);
  await quiet(page);
  cmds = await commands(page);
  const after = cmds.filter(([c, a]) => c === "consent" && a === "update");
  assert.equal(after.length, 2, JSON.stringify(after));
  assert.deepEqual(after[1][2], {
    ad_storage: "denied", ad_user_data: "denied", ad_personalization: "denied", analytics_storage: "denied",
  });
  await context.close();
});

test("a returning visitor's update comes from the boot script: right after the default, before gtag.js and config, once", async () => {
  const context = await env.browser.newContext();
  await withoutDecider(context); // (these tests follow the UI; quick.test.mjs covers Consent Mode on the early banner)
  const first = await context.newPage();
  await first.goto(new URL("/gcm/index.html", env.server.url).href);
  await first.waitForSelector("#lcc-root [data-testid=lcc-preferences]", { state: "attached" });
  await first.evaluate(() => window.CookieConsent.acceptCategory("performance"));
  await first.waitForFunction(() => window.dataLayer.some((e) => e[0] === "config"));
  await first.close();

  // The next page view: no UI is fetched, the stored choice is in the dataLayer before any tag.
  const page = await context.newPage();
  const ui = [];
  page.on("request", (r) => /leptos-consent(_bg\.wasm|\.js)$/.test(r.url()) && ui.push(r.url()));
  let gtagRan = null;
  page.on("request", (r) => {
    if (r.url().endsWith("/tags/gtag-standin.js") && gtagRan === null) gtagRan = "requested";
  });
  await page.goto(new URL("/gcm/index.html", env.server.url).href);
  await page.waitForFunction(() => window.dataLayer.some((e) => e[0] === "config"));
  assert.equal(await page.evaluate(() => window.__lccBoot), "returning");
  let cmds = await commands(page);
  assert.deepEqual(cmds.slice(0, 2).map(([c, a]) => `${c} ${a}`), ["consent default", "consent update"], JSON.stringify(cmds));
  assert.deepEqual(cmds[1][2], {
    ad_storage: "denied", ad_user_data: "denied", ad_personalization: "denied", analytics_storage: "granted",
  });
  const at = (c) => cmds.findIndex((x) => x[0] === c);
  assert.ok(at("js") > 1 && at("config") > 1, JSON.stringify(cmds));
  assert.equal(gtagRan, "requested");
  assert.deepEqual(ui, [], "the UI is neither fetched nor compiled");

  // The visitor opens the settings: the UI arrives and does not push the same update again.
  await page.evaluate(() => window.CookieConsent.showPreferences());
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible" });
  await quiet(page);
  cmds = await commands(page);
  assert.equal(cmds.filter(([c, a]) => c === "consent" && a === "update").length, 1, JSON.stringify(cmds));
  await context.close();
});

test("Global Privacy Control keeps the ad keys denied after Accept all", async () => {
  const context = await env.browser.newContext({ extraHTTPHeaders: { "Sec-GPC": "1" } });
  await withoutDecider(context); // (these tests follow the UI; quick.test.mjs covers Consent Mode on the early banner)
  const page = await context.newPage();
  await page.addInitScript("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });");
  await page.goto(new URL("/gcm/index.html", env.server.url).href);
  await page.waitForSelector("#lcc-root [data-testid=lcc-preferences]", { state: "attached" });
  await page.getByTestId("lcc-accept-all").click();
  await page.waitForFunction(() => window.dataLayer.some((e) => e[0] === "config"));
  const updates = (await commands(page)).filter(([c, a]) => c === "consent" && a === "update");
  assert.equal(updates.length, 1);
  assert.deepEqual(updates[0][2], {
    ad_storage: "denied", ad_user_data: "denied", ad_personalization: "denied", analytics_storage: "granted",
  });
  await context.close();
});

// The demo site's own Google Analytics (a local stand-in for gtag.js) runs under Consent
// Mode v2, as docs/consent-mode.md shows: the default first in the dataLayer, before any tag;
// then exactly one update per decision, before the gated gtag('config').
test("the demo article: the default before any tag, one update per decision, config after the grant", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(new URL("/", env.server.url).href);
  await page.locator("#lcc-boot[data-quick] [data-testid=lcc-banner]").waitFor({ state: "visible" });
  let cmds = await commands(page);
  assert.deepEqual([cmds.length, cmds[0][0], cmds[0][1]], [1, "consent", "default"], JSON.stringify(cmds));
  for (const k of KEYS) assert.equal(cmds[0][2][k], "denied", k);
  await page.locator("#lcc-boot [data-testid=lcc-accept-all]").click();
  await page.waitForFunction(() => window.dataLayer.some((e) => e[0] === "config"));
  cmds = await commands(page);
  const updates = () => cmds.filter(([c, a]) => c === "consent" && a === "update");
  assert.equal(updates().length, 1, JSON.stringify(cmds));
  assert.equal(updates()[0][2].analytics_storage, "granted");
  assert.ok(cmds.findIndex((x) => x[0] === "consent" && x[1] === "update") < cmds.findIndex((x) => x[0] === "config"));
  // A withdrawal through the API: the page starts again (reload_on_revoke, so that gtag.js
  // stops), with the default, then the one update of the decision in force, and no config.
  const reloaded = page.waitForNavigation();
  await page.evaluate(() => window.CookieConsent.acceptCategory([]));
  await reloaded;
  await page.waitForLoadState("networkidle");
  cmds = await commands(page);
  assert.deepEqual(cmds.map(([c, a]) => c + " " + a), ["consent default", "consent update"], JSON.stringify(cmds));
  assert.equal(updates()[0][2].analytics_storage, "denied");
  assert.deepEqual(errors, []);
  await context.close();
});
