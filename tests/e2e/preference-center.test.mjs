// The preference-center page: shows the stored state, history and a receipt that matches the record.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { bannerVisible, launch, openDemo, quiet, settleRuns, stored, trackerCookies, until } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

async function openCenter(page) {
  await page.goto(env.server.url + "/preferences.html");
  await page.getByTestId("lcc-preference-center").waitFor();
}

test("with no decision it says so, offers the banner's choices, and no banner pops up on top", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  await openCenter(page);
  assert.equal(await page.getByTestId("lcc-pc-no-decision").isVisible(), true);
  assert.equal(await bannerVisible(page), false);
  const center = page.getByTestId("lcc-preference-center");
  for (const name of ["Accept all", "Reject all", "Save preferences"]) {
    assert.equal(await center.getByRole("button", { name }).isVisible(), true, name);
  }
  assert.equal(await page.getByTestId("lcc-pc-receipt").isVisible(), false, "no receipt before a decision");
  await page.getByTestId("lcc-pc-accept-all").click();
  await page.getByTestId("lcc-pc-facts").waitFor();
  assert.equal(await page.getByTestId("lcc-pc-revision").textContent(), "1");
  assert.equal(await page.getByTestId("lcc-pc-consent-id").textContent(), JSON.parse(await stored(page)).id);
  assert.deepEqual([...(await settleRuns(page, 3))].sort(), ["algolia", "ga", "mixpanel"], "the page's tags and the configured Algolia script");
  assert.deepEqual(v.errors, []);
  await context.close();
});

test("it shows exactly the stored state, history grows by one per decision, and the receipt matches the record", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  // Decision 1, in the modal on the article page: Google Analytics only.
  await page.getByTestId("lcc-manage").click();
  await page.locator("[data-testid=lcc-preferences] [data-category=performance] summary").click();
  await page.locator("#lcc-svc-google-analytics").check();
  await page.getByTestId("lcc-save").click();
  await settleRuns(page, 2);

  await openCenter(page);
  const expectChecked = {
    "lcc-pc-cat-necessary": true, "lcc-pc-cat-performance": true, "lcc-pc-cat-functionality": false,
    "lcc-pc-cat-marketing": false, "lcc-pc-cat-third-party": false,
    "lcc-pc-svc-google-analytics": true, "lcc-pc-svc-algolia": false, "lcc-pc-svc-mixpanel": false,
  };
  for (const [id, want] of Object.entries(expectChecked)) {
    assert.equal(await page.locator(`#${id}`).isChecked(), want, id);
  }
  const history = page.getByTestId("lcc-pc-history").locator("li");
  assert.equal(await history.count(), 1);
  assert.match(await history.first().textContent(), /preferences · Allowed: performance, google-analytics/);

  // Decision 2, here: add marketing.
  await page.locator("[data-testid=lcc-preference-center] [data-category=marketing] summary").click();
  await page.locator("#lcc-pc-svc-mixpanel").check();
  await page.getByTestId("lcc-pc-save").click();
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=lcc-pc-history] li").length === 2);
  assert.match(await history.first().textContent(), /Allowed: marketing, mixpanel/, "newest first");

  // Decision 3: accept all.
  await page.getByTestId("lcc-pc-accept-all").click();
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=lcc-pc-history] li").length === 3);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("lcc-pc-receipt").click()]);
  const receipt = JSON.parse(await readFile(await download.path(), "utf8"));
  const record = JSON.parse(await stored(page));
  assert.equal(download.suggestedFilename(), `consent-receipt-${record.id}.json`);
  assert.equal(receipt.consent_id, record.id);
  assert.equal(receipt.first_decision, record.first);
  assert.equal(receipt.last_decision, record.last);
  assert.equal(receipt.revision, record.rev);
  assert.deepEqual(receipt.categories, record.categories);
  assert.deepEqual(receipt.services, record.services);
  assert.equal(receipt.history.length, 3);
  assert.deepEqual(receipt.history.map((h) => h.via), ["preferences", "preferences", "preferences"]);
  await context.close();
});

test("withdrawing on the preference center removes the cookies and reports nothing left", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  await page.getByTestId("lcc-accept-all").click();
  await settleRuns(page, 5);
  await openCenter(page);
  await settleRuns(page, 2);
  assert.ok((await trackerCookies(context)).length >= 5);
  await Promise.all([page.waitForEvent("load"), page.getByTestId("lcc-pc-reject-all").click()]);
  await page.getByTestId("lcc-preference-center").waitFor();
  await until(async () => (await trackerCookies(context)).length === 0, { what: "the tracker cookies gone" });
  await quiet(page);
  assert.deepEqual(await trackerCookies(context), []);
  assert.equal(await page.locator("#lcc-pc-cat-performance").isChecked(), false);
  assert.equal(await page.getByTestId("lcc-pc-cleanup").count(), 0, "nothing reported as left behind");
  await context.close();
});

test("an HttpOnly tracker cookie the page cannot remove is reported to the visitor and through an event", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  await page.getByTestId("lcc-accept-all").click();
  await settleRuns(page, 5);
  // A server-set copy of _gid that scripts cannot read or delete.
  await context.addCookies([{ name: "_gid", value: "server", domain: "127.0.0.1", path: "/", httpOnly: true }]);
  await openCenter(page);
  await settleRuns(page, 3);
  await Promise.all([page.waitForEvent("load"), page.getByTestId("lcc-pc-reject-all").click()]);
  // The page reloaded after the withdrawal: the report survives in the decision history.
  await page.getByTestId("lcc-preference-center").waitFor();
  const warning = page.getByTestId("lcc-pc-cleanup");
  await warning.waitFor();
  assert.deepEqual(await warning.locator("li").allTextContents(), ["_gid"]);
  const history = JSON.parse(await page.evaluate(() => localStorage.getItem("lcc_consent_history")));
  assert.deepEqual(history.at(-1).left_behind, ["_gid"]);
  // Everything a script can remove is gone; the HttpOnly copy is still there, as reported.
  assert.deepEqual(
    (await context.cookies()).filter((c) => /^(_ga|_gid|mp_|_ALGOLIA)/.test(c.name)).map((c) => `${c.name}${c.httpOnly ? " (HttpOnly)" : ""}`),
    ["_gid (HttpOnly)"],
  );
  await context.close();
});

test("the lcc:cleanup event names HttpOnly cookies when no reload follows", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  await context.addCookies([{ name: "_ga", value: "server", domain: "127.0.0.1", path: "/", httpOnly: true }]);
  await openCenter(page);
  const report = page.evaluate(() => new Promise((ok) => addEventListener("lcc:cleanup", (e) => ok(e.detail), { once: true })));
  await page.getByTestId("lcc-pc-reject-all").click(); // a first-visit refusal: no reload
  const detail = await report;
  assert.deepEqual(detail.http_only_cookies, ["_ga"]);
  await page.getByTestId("lcc-pc-cleanup").waitFor();
  assert.deepEqual(await page.getByTestId("lcc-pc-cleanup").locator("li").allTextContents(), ["_ga"]);
  await context.close();
});

test("a grant made by a page script through the API says so: the history and the receipt show via api", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  // (By design a same-origin script can decide through window.CookieConsent; the record keeps how.)
  await page.evaluate(() => window.CookieConsent.acceptCategory("performance"));
  await page.waitForFunction(() => window.CookieConsent.acceptedCategory("performance"));
  await openCenter(page);
  const entry = page.locator("[data-testid=lcc-pc-history] li").first();
  await entry.waitFor();
  assert.equal(await entry.getAttribute("data-via"), "api");
  assert.match(await entry.textContent(), /· api ·/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("lcc-pc-receipt").click()]);
  const receipt = JSON.parse(await readFile(await download.path(), "utf8"));
  assert.equal(receipt.given_via, "api");
  assert.deepEqual(receipt.history.map((h) => h.via), ["api"]);
  assert.deepEqual(v.errors, []);
  await context.close();
});
