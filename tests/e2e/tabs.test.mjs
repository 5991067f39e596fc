// Two tabs of the same site stay in step without a reload.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { bannerVisible, launch, ready, settleRuns, timePasses, trackerCookies } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

async function tab(context) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(env.server.url + "/");
  await ready(page);
  return { page, errors };
}

test("accept in tab A closes tab B's banner and runs its scripts; withdraw in B tears A down", async () => {
  const context = await env.browser.newContext();
  const a = await tab(context);
  const b = await tab(context);
  assert.equal(await bannerVisible(a.page), true);
  assert.equal(await bannerVisible(b.page), true);

  await a.page.getByTestId("lcc-accept-all").click();
  await settleRuns(a.page, 5);
  await b.page.waitForFunction(() => document.querySelector("[data-testid=lcc-banner]").hidden, null, { timeout: 3000 });
  assert.deepEqual([...(await settleRuns(b.page, 5))].sort(), ["algolia", "ga", "ga-config", "mixpanel", "reading-list"]);
  // B's switches show the new state.
  await b.page.getByTestId("footer-cookie-settings").click();
  assert.equal(await b.page.locator("#lcc-cat-marketing").isChecked(), true);

  // Withdraw in B: B reloads; A tears down (opt-outs, clean-up, reload) without anyone touching it.
  const aReloaded = a.page.waitForEvent("load", { timeout: 5000 });
  await Promise.all([b.page.waitForEvent("load"), b.page.getByTestId("lcc-prefs-reject-all").click()]);
  await aReloaded;
  await ready(a.page);
  assert.equal(await bannerVisible(a.page), false);
  assert.deepEqual(await settleRuns(a.page, 1), ["no-analytics"]);
  await timePasses(a.page, 2500, "the stand-ins rewrite their cookies every second: two rounds");
  assert.deepEqual(await trackerCookies(context), []);
  assert.deepEqual([...a.errors, ...b.errors], []);
  await context.close();
});
