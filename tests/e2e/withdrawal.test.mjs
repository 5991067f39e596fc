// Withdrawal in the same page: vendor opt-outs, cookies removed, one reload, nothing comes back.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { bannerVisible, launch, openDemo, ready, settleRuns, stored, tagRuns, timePasses, trackerCookies } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

test("withdrawing everything removes the tracker cookies, reloads once, and they stay gone", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  await page.getByTestId("lcc-accept-all").click();
  await settleRuns(page, 5);
  assert.deepEqual(await trackerCookies(context), ["_ALGOLIA", "_ga", "_ga_DEMO123", "_gid", "mp_demotoken_mixpanel"]);

  let loads = 0;
  page.on("load", () => loads++);
  await page.getByTestId("footer-cookie-settings").click();
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible" });
  await Promise.all([page.waitForEvent("load"), page.getByTestId("lcc-prefs-reject-all").click()]);
  await ready(page);
  assert.equal(await bannerVisible(page), false);
  assert.deepEqual(await settleRuns(page, 1), ["no-analytics"], "only the refusal script runs after the reload");
  assert.deepEqual(await trackerCookies(context), []);
  await timePasses(page, 3000, "the stand-ins rewrite their cookies every second: three rounds");
  assert.deepEqual(await trackerCookies(context), [], "nothing came back");
  assert.equal(loads, 1, "reloaded exactly once");
  const record = JSON.parse(await stored(page));
  assert.equal(record.categories.performance, false);
  assert.deepEqual(v.errors, []);
  await context.close();
});

test("granting more never reloads, and a first-visit refusal does not reload", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  let loads = 0;
  page.on("load", () => loads++);
  await page.getByTestId("lcc-reject-all").click();
  await settleRuns(page, 1);
  await page.getByTestId("footer-cookie-settings").click();
  await page.getByTestId("lcc-prefs-accept-all").click();
  const runs = await settleRuns(page, 6);
  assert.deepEqual([...runs].sort(), ["algolia", "ga", "ga-config", "mixpanel", "no-analytics", "reading-list"]);
  assert.equal(loads, 0);
  await context.close();
});

test("revoking one service removes only its cookies", async () => {
  const v = await openDemo(env);
  const { page, context } = v;
  await page.getByTestId("lcc-accept-all").click();
  await settleRuns(page, 5);
  await page.getByTestId("footer-cookie-settings").click();
  const modal = page.getByTestId("lcc-preferences");
  await modal.locator("[data-category=marketing] summary").click();
  await page.getByRole("switch", { name: "Mixpanel" }).uncheck();
  await Promise.all([page.waitForEvent("load"), page.getByTestId("lcc-save").click()]);
  await ready(page);
  assert.deepEqual([...(await settleRuns(page, 4))].sort(), ["algolia", "ga", "ga-config", "reading-list"]);
  assert.deepEqual(await trackerCookies(context), ["_ALGOLIA", "_ga", "_ga_DEMO123", "_gid"]);
  await context.close();
});
