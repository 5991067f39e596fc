// The consent spine, as a visitor experiences it, against the release build in real Chromium.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { bannerVisible, launch, openDemo, quiet, reload, settleRuns, stored, tagRuns, trackerCookies } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const ALL_TAGS = ["algolia", "ga", "ga-config", "mixpanel", "reading-list"];
const sorted = (a) => [...a].sort();

test("first visit shows the banner, runs no tag and sets no tracker cookie", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  assert.equal(await bannerVisible(page), true);
  const banner = page.getByTestId("lcc-banner");
  for (const name of ["Accept all", "Reject all", "Manage preferences"]) {
    assert.equal(await banner.getByRole("button", { name }).isVisible(), true, name);
  }
  await page.waitForLoadState("networkidle");
  await quiet(page);
  assert.deepEqual(v.tagRequests, [], "no request to any tag script");
  assert.deepEqual(await tagRuns(page), []);
  assert.deepEqual(await trackerCookies(context), []);
  assert.equal(await stored(page), null);
  assert.deepEqual(v.errors, []);
  await context.close();
});

test("accept and reject have equal weight on the first layer", async () => {
  const v = await openDemo(env);
  const { page } = v;
  const box = async (id) => page.getByTestId(id).boundingBox();
  const style = (id) => page.getByTestId(id).evaluate((el) => {
    const s = getComputedStyle(el);
    return [s.fontSize, s.fontWeight, s.backgroundColor, s.color, el.tagName].join(" ");
  });
  const [a, r] = [await box("lcc-accept-all"), await box("lcc-reject-all")];
  assert.ok(Math.abs(a.height - r.height) <= 2 && Math.abs(a.width - r.width) <= 2, JSON.stringify({ a, r }));
  assert.equal(await style("lcc-accept-all"), await style("lcc-reject-all"));
  await v.context.close();
});

test("accept all runs every tag once and persists across reload without a banner", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  await page.getByTestId("lcc-accept-all").click();
  assert.deepEqual(sorted(await settleRuns(page, 5)), ALL_TAGS);
  assert.equal(await bannerVisible(page), false);
  assert.deepEqual(await trackerCookies(context), ["_ALGOLIA", "_ga", "_ga_DEMO123", "_gid", "mp_demotoken_mixpanel"]);
  // gtag.js ran before its inline config: document order kept.
  const runs = await tagRuns(page);
  assert.ok(runs.indexOf("ga") < runs.indexOf("ga-config"), runs.join());
  const record = JSON.parse(await stored(page));
  assert.equal(record.via, "banner");
  assert.equal(record.rev, 1);
  assert.match(record.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(record.categories, { functionality: true, marketing: true, necessary: true, performance: true, "third-party": true });

  await reload(v);
  assert.equal(await bannerVisible(page), false, "no banner for a returning visitor");
  assert.deepEqual(sorted(await settleRuns(page, 5)), ALL_TAGS, "each tag once on the new page view");
  assert.deepEqual(v.errors, []);
  await context.close();
});

test("reject all runs no tag, persists, and runs the !performance script", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  await page.getByTestId("lcc-reject-all").click();
  assert.deepEqual(await settleRuns(page, 1), ["no-analytics"]);
  assert.equal(await bannerVisible(page), false);
  const record = JSON.parse(await stored(page));
  assert.deepEqual(record.services, { algolia: false, "google-analytics": false, mixpanel: false });
  await reload(v);
  assert.equal(await bannerVisible(page), false, "a refusal sticks");
  assert.deepEqual(await settleRuns(page, 1), ["no-analytics"]);
  await page.waitForLoadState("networkidle");
  assert.deepEqual(v.tagRequests, []);
  assert.deepEqual(await trackerCookies(context), []);
  await context.close();
});

test("choosing one service in the modal runs only that service, and reopening shows the stored choice", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  await page.getByTestId("lcc-manage").click();
  const modal = page.getByTestId("lcc-preferences");
  await modal.waitFor({ state: "visible" });
  // Opens with nothing optional on.
  for (const id of ["performance", "functionality", "marketing", "third-party"]) {
    assert.equal(await page.locator(`#lcc-cat-${id}`).isChecked(), false, id);
  }
  assert.equal(await page.locator("#lcc-cat-necessary").isChecked(), true);
  assert.equal(await page.locator("#lcc-cat-necessary").isDisabled(), true);
  await modal.locator("[data-category=performance] summary").click();
  const gaCookies = modal.locator("[data-service=google-analytics] table tbody tr");
  assert.deepEqual(
    (await gaCookies.allInnerTexts()).map((row) => row.split("\t").map((c) => c.trim())),
    [
      ["_ga", "Google Ireland Ltd.", "Tells visitors apart.", "2 years"],
      ["_ga_*", "Google Ireland Ltd.", "Keeps the state of the current session.", "2 years"],
      ["_gid", "Google Ireland Ltd.", "Tells visitors apart for 24 hours.", "24 hours"],
    ],
  );
  await page.getByRole("switch", { name: "Google Analytics" }).check();
  assert.equal(await page.locator("#lcc-cat-performance").isChecked(), true, "category follows its service");
  await page.getByTestId("lcc-save").click();
  assert.equal(await modal.isVisible(), false);
  assert.deepEqual(sorted(await settleRuns(page, 2)), ["ga", "ga-config"]);
  assert.deepEqual(await trackerCookies(context), ["_ga", "_ga_DEMO123", "_gid"]);
  assert.equal(await page.getByTestId("lcc-status").textContent(), "Preferences saved");
  assert.equal(JSON.parse(await stored(page)).via, "preferences");

  await page.getByTestId("footer-cookie-settings").click();
  await modal.waitFor({ state: "visible" });
  assert.equal(await page.locator("#lcc-svc-google-analytics").isChecked(), true);
  assert.equal(await page.locator("#lcc-svc-mixpanel").isChecked(), false);
  assert.equal(await page.locator("#lcc-cat-marketing").isChecked(), false);
  assert.deepEqual(v.tagRequests.filter((p) => !p.includes("gtag")), []);
  await context.close();
});

test("a revision bump shows the banner again and granted tags wait for the new choice", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  await page.getByTestId("lcc-accept-all").click();
  await settleRuns(page, 5);
  await page.route(/\/(index\.html)?$/, async (route) => {
    const res = await route.fetch();
    const body = (await res.text()).replace('"revision": 1', '"revision": 2');
    await route.fulfill({ response: res, body });
  });
  v.tagRequests.length = 0;
  await reload(v);
  assert.equal(await bannerVisible(page), true);
  await page.waitForLoadState("networkidle");
  await quiet(page);
  assert.deepEqual(await tagRuns(page), [], "nothing runs on the old consent");
  assert.deepEqual(v.tagRequests, []);
  await page.getByTestId("lcc-accept-all").click();
  assert.deepEqual(sorted(await settleRuns(page, 5)), ALL_TAGS);
  assert.equal(JSON.parse(await stored(page)).rev, 2);
  await context.close();
});

test("a corrupted stored record shows the banner and runs nothing", async () => {
  for (const bad of ['{"v":1,"id":', '{"v":9}', "null", "%E0%A4%A", '{"v":1,"categories":{"marketing":true}}']) {
    const v = await openDemo(env, {
      init: [`try { localStorage.setItem("lcc_consent", ${JSON.stringify(bad)}) } catch {}`],
    });
    const { page, context } = v;
    assert.equal(await bannerVisible(page), true, bad);
    await quiet(page);
    assert.deepEqual(await tagRuns(page), [], bad);
    assert.deepEqual(v.errors, [], bad);
    assert.ok(v.warnings.some((w) => w.includes("ignoring stored consent")), `reported: ${bad}`);
    await context.close();
  }
});

test("with localStorage throwing, there is no uncaught error and the choice holds for the page view", async () => {
  const v = await openDemo(env, {
    init: [`Object.defineProperty(window, "localStorage", {
      configurable: true,
      get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
    });`],
  });
  const { page, context } = v;
  assert.equal(await bannerVisible(page), true);
  await page.getByTestId("lcc-accept-all").click();
  assert.deepEqual(sorted(await settleRuns(page, 5)), ALL_TAGS);
  assert.equal(await bannerVisible(page), false);
  await page.getByTestId("footer-cookie-settings").click();
  assert.equal(await page.locator("#lcc-cat-marketing").isChecked(), true, "the choice holds");
  assert.deepEqual(v.errors, []);
  assert.ok(v.warnings.some((w) => w.includes("localStorage is unavailable")), v.warnings.join("\n"));
  await context.close();
});

test("with setItem throwing (quota), the choice holds for the page view", async () => {
  const v = await openDemo(env, {
    init: [`Storage.prototype.setItem = function (k) {
      if (k === "lcc_consent") throw "quota exceeded (not even an Error)";
    };`],
  });
  const { page, context } = v;
  await page.getByTestId("lcc-reject-all").click();
  assert.deepEqual(await settleRuns(page, 1), ["no-analytics"]);
  assert.equal(await bannerVisible(page), false);
  assert.deepEqual(v.errors, []);
  assert.ok(v.warnings.some((w) => w.includes("writing localStorage failed")), v.warnings.join("\n"));
  await context.close();
});

test("Escape, the close button and scrolling store nothing and run nothing", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  await page.keyboard.press("Escape");
  await page.mouse.wheel(0, 2000);
  assert.equal(await bannerVisible(page), true);

  const manage = page.getByTestId("lcc-manage");
  await manage.click();
  const modal = page.getByTestId("lcc-preferences");
  await modal.waitFor({ state: "visible" });
  assert.equal(await page.evaluate(() => document.activeElement.closest("dialog") !== null), true, "focus moved in");
  await page.locator("#lcc-cat-marketing").check();
  await page.keyboard.press("Escape");
  await modal.waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), "lcc-manage", "focus returned");

  await manage.click();
  await modal.waitFor({ state: "visible" });
  assert.equal(await page.locator("#lcc-cat-marketing").isChecked(), false, "unsaved switch was discarded");
  await page.getByTestId("lcc-close").click();
  await modal.waitFor({ state: "hidden" });

  await quiet(page);
  assert.equal(await stored(page), null);
  assert.deepEqual(await tagRuns(page), []);
  assert.equal(await bannerVisible(page), true);
  await context.close();
});

test("focus is trapped inside the open modal", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  await page.getByTestId("lcc-manage").click();
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible" });
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press(i % 5 === 4 ? "Shift+Tab" : "Tab");
    assert.equal(await page.evaluate(() => !!document.activeElement.closest("dialog[open]")), true, `step ${i}`);
  }
  await context.close();
});
