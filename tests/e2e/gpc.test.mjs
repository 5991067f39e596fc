// Global Privacy Control, as a visitor whose browser sends it experiences it.
// Chromium has no GPC setting: the browser here sends the `Sec-GPC: 1` header
// and defines `navigator.globalPrivacyControl = true` before any page script,
// as a browser with GPC switched on does.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { goto, launch, quiet, ready, settleRuns, stored, tagRuns, trackerCookies } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const GPC_ON = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });";
const sorted = (a) => [...a].sort();

/** A visit in a new context; `gpc` turns the signal on, `storageState` carries an earlier visit's storage. */
async function visit({ gpc, storageState, path = "/" } = {}) {
  const context = await env.browser.newContext({
    storageState,
    extraHTTPHeaders: gpc ? { "Sec-GPC": "1" } : {},
  });
  const page = await context.newPage();
  const v = { context, page, base: env.server.url, errors: [], gpcHeader: [] };
  page.on("pageerror", (e) => v.errors.push(String(e)));
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/") v.gpcHeader.push(r.headers()["sec-gpc"]);
  });
  if (gpc) await page.addInitScript(GPC_ON);
  await goto(v, path);
  return v;
}

test("with GPC: the banner says marketing stays off, and Accept all leaves it off", async () => {
  const v = await visit({ gpc: true });
  const { page, context } = v;
  assert.deepEqual(v.gpcHeader, ["1"], "the browser sends Sec-GPC");
  const note = page.getByTestId("lcc-banner").getByTestId("lcc-gpc-note");
  assert.equal(await note.isVisible(), true);
  assert.match(await note.textContent(), /Global Privacy Control.*Marketing stays off/);
  // Never read as consent: nothing runs before a choice.
  assert.equal(await page.evaluate(() => window.CookieConsent.validConsent()), false);
  assert.deepEqual(await tagRuns(page), []);

  await page.getByTestId("lcc-accept-all").click();
  assert.deepEqual(sorted(await settleRuns(page, 4)), ["algolia", "ga", "ga-config", "reading-list"]);
  const record = JSON.parse(await stored(page));
  assert.equal(record.categories.marketing, false);
  assert.equal(record.services.mixpanel, false);
  assert.equal(record.categories.performance, true);
  assert.equal(await page.evaluate(() => window.CookieConsent.acceptedCategory("marketing")), false);
  assert.equal(await page.evaluate(() => window.CookieConsent.acceptedCategory("performance")), true);
  assert.ok(!(await trackerCookies(context)).includes("mp_demotoken_mixpanel"));
  assert.deepEqual(v.errors, []);
  await context.close();
});

test("with GPC: the preferences lock the marketing switch off and say why", async () => {
  const v = await visit({ gpc: true });
  const { page, context } = v;
  await page.getByTestId("lcc-manage").click();
  const modal = page.getByTestId("lcc-preferences");
  const marketing = modal.locator('[data-category="marketing"]');
  const sw = marketing.getByRole("switch", { name: "Marketing" });
  assert.equal(await sw.isDisabled(), true);
  assert.equal(await sw.isChecked(), false);
  assert.equal(await marketing.getByTestId("lcc-gpc-locked").isVisible(), true);
  const described = await sw.getAttribute("aria-describedby");
  const noteId = await marketing.getByTestId("lcc-gpc-locked").getAttribute("id");
  assert.ok(described.split(" ").includes(noteId), "the switch is described by the note");
  // Other categories stay the visitor's to choose.
  assert.equal(await modal.getByRole("switch", { name: "Performance" }).isDisabled(), false);
  await context.close();
});

test("with GPC: the API cannot grant the locked category or its services", async () => {
  const v = await visit({ gpc: true });
  const { page, context } = v;
  await page.evaluate(() => window.CookieConsent.acceptCategory(["marketing", "performance"]));
  await page.waitForFunction(() => window.CookieConsent.validConsent());
  await page.evaluate(() => window.CookieConsent.acceptService("mixpanel", "marketing"));
  await quiet(page);
  const answers = await page.evaluate(() => [
    window.CookieConsent.acceptedCategory("marketing"),
    window.CookieConsent.acceptedService("mixpanel", "marketing"),
    window.CookieConsent.acceptedCategory("performance"),
  ]);
  assert.deepEqual(answers, [false, false, true]);
  assert.equal(JSON.parse(await stored(page)).categories.marketing, false);
  assert.ok(!(await tagRuns(page)).includes("mixpanel"));
  await context.close();
});

test("GPC switched on later wins over an earlier opt-in: stored again, cookies erased, the visitor told", async () => {
  // Without GPC the visitor accepts everything: marketing runs (GPC off changes nothing).
  const first = await visit();
  await first.page.getByTestId("lcc-accept-all").click();
  assert.ok((await settleRuns(first.page, 5)).includes("mixpanel"));
  assert.ok((await trackerCookies(first.context)).includes("mp_demotoken_mixpanel"));
  const before = JSON.parse(await stored(first.page));
  const state = await first.context.storageState();
  await first.context.close();

  // The same browser with GPC on.
  const v = await visit({ gpc: true, storageState: state });
  const { page, context } = v;
  const notice = page.getByTestId("lcc-gpc-applied");
  await notice.waitFor({ state: "visible" });
  assert.equal(await notice.getAttribute("role"), "status");
  assert.match(await notice.textContent(), /Global Privacy Control.*Marketing off/);
  assert.equal(await page.getByTestId("lcc-banner").isVisible(), false, "no new question");
  const record = JSON.parse(await stored(page));
  assert.equal(record.via, "gpc");
  assert.equal(record.id, before.id, "the same consent, changed");
  assert.equal(record.categories.marketing, false);
  assert.equal(record.categories.performance, true, "the visitor's other choices stay");
  assert.ok(!(await tagRuns(page)).includes("mixpanel"));
  assert.ok(!(await trackerCookies(context)).includes("mp_demotoken_mixpanel"), "the marketing cookie is erased");
  assert.equal(await page.evaluate(() => window.CookieConsent.acceptedCategory("marketing")), false);
  await page.getByTestId("lcc-gpc-applied-close").click();
  assert.equal(await notice.isVisible(), false);

  // The next page view: the opt-out stands, the boot script decides alone, no notice again.
  await page.reload();
  await ready(page);
  assert.equal(await page.evaluate(() => window.__lccBoot), "returning");
  assert.deepEqual(sorted(await settleRuns(page, 4)), ["algolia", "ga", "ga-config", "reading-list"]);
  assert.equal(await page.getByTestId("lcc-gpc-applied").count(), 0);
  assert.deepEqual(v.errors, []);
  await context.close();
});

test("the preference center says GPC is honoured", async () => {
  const v = await visit({ gpc: true, path: "/preferences.html" });
  const { page, context } = v;
  const note = page.getByTestId("lcc-pc-gpc-note");
  await note.waitFor({ state: "visible" });
  assert.match(await note.textContent(), /Marketing stays off/);
  await context.close();
});
