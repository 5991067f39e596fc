// Page lifecycle and disabled browser features: a page restored from the
// back/forward cache follows a withdrawal made meanwhile on another page, and
// with document.cookie disabled the widget still works for the page view.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, openDemo, ready, settleRuns, stored, tagRuns } from "./harness.mjs";

let env;
before(async () => { env = await launch({ bfcache: true }); });
after(async () => { await env?.close(); });

test("back/forward cache: a withdrawal made on another page is honoured on the restored page", async () => {
  const v = await openDemo(env, {
    // Every pageshow of the tab, kept across page views: "true" is a restore from the bfcache.
    init: [() => addEventListener("pageshow", (e) => {
      sessionStorage.setItem("shows", (sessionStorage.getItem("shows") || "") + (e.persisted ? "R" : "L"));
    })],
  });
  const { page, context } = v;
  await page.getByTestId("lcc-accept-all").click();
  await settleRuns(page, 5);
  // A returning page view the boot script runs alone, then away to another page of the site.
  await page.reload();
  await ready(page);
  assert.equal(await page.evaluate(() => window.__lccBoot), "returning");
  await page.goto(new URL("/preferences.html", v.base).href);
  await page.getByTestId("lcc-preference-center").waitFor();
  await page.getByTestId("lcc-pc-reject-all").click();
  await page.waitForFunction(() => JSON.parse(localStorage.getItem("lcc_consent") || "{}").categories?.performance === false);

  const shows = () => page.evaluate(() => sessionStorage.getItem("shows"));
  const before = await shows();
  await page.goBack({ waitUntil: "commit" }); // a restored page fires no load event
  await page.waitForFunction((n) => (sessionStorage.getItem("shows") || "").length > n, before.length);
  assert.equal((await shows())[before.length], "R", "the page came back from the bfcache");
  // The restored page takes the withdrawal on: the UI comes, applies it and starts a
  // clean page view (reload_on_revoke), where only the refusal's tag runs.
  await page.waitForFunction((n) => (sessionStorage.getItem("shows") || "").length > n + 1, before.length, { timeout: 15000 });
  await ready(page);
  assert.equal(await page.evaluate(() => window.CookieConsent.acceptedCategory("performance")), false);
  assert.equal(JSON.parse(await stored(page)).categories.performance, false);
  assert.deepEqual(await settleRuns(page, 1), ["no-analytics"]);
  assert.deepEqual(v.errors, []);
  await context.close();
});

test("document.cookie disabled: banner, decision and tags work for the page view, nothing is granted by accident", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setDocumentCookieDisabled", { disabled: true });
  await page.goto(env.server.url + "/");
  await ready(page);
  assert.equal(await page.evaluate(() => document.cookie), "", "cookies are off");
  await page.getByTestId("lcc-banner").waitFor({ state: "visible" });
  assert.deepEqual(await tagRuns(page), [], "nothing before a choice");
  await page.getByTestId("lcc-reject-all").click();
  assert.deepEqual(await settleRuns(page, 1), ["no-analytics"]);
  await page.reload();
  await ready(page);
  assert.deepEqual(await settleRuns(page, 1), ["no-analytics"], "the refusal holds (it is kept in localStorage)");
  assert.deepEqual(errors, []);
  await context.close();
});
