// Withdrawal with the real mixpanel-browser and search-insights libraries (served locally)
// and the gtag stand-in, on www.shop.example.test under a nested path.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, ready, settleRuns, timePasses } from "./harness.mjs";

let env;
before(async () => { env = await launch({ args: ["--host-resolver-rules=MAP *.example.test 127.0.0.1"] }); });
after(async () => { await env?.close(); });

const TRACKER = /^(_ga|_gid|mp_.*_mixpanel|_ALGOLIA)/;
const trackers = async (context) =>
  (await context.cookies()).filter((c) => TRACKER.test(c.name)).map((c) => `${c.name}@${c.domain}${c.path}`).sort();
const vendorKeys = (page) => page.evaluate(() =>
  [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((k) => /^(mp_|__mpq_)/.test(k)).sort());

async function open({ reloadOnRevoke = true } = {}) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const query = reloadOnRevoke ? "" : "?reload_on_revoke=false";
  await page.goto(`http://www.shop.example.test:${env.server.port}/shop/blog/article.html${query}`);
  await ready(page);
  return { context, page, errors };
}

/// Accepts all, waits for the real libraries, and plants the older variants a
/// site accumulates (other domains and paths), so the sweep has to find them all.
async function acceptAndPlant(page) {
  await page.getByTestId("lcc-accept-all").click();
  assert.deepEqual([...(await settleRuns(page, 3))].sort(), ["algolia", "ga", "mixpanel"]);
  await page.waitForFunction(() => document.cookie.includes("_ALGOLIA=") && document.cookie.includes("mp_demotoken_mixpanel="));
  await page.evaluate(() => {
    document.cookie = "_ga=old; domain=shop.example.test; path=/shop";
    document.cookie = "_gid=old; path=/shop/blog";
    document.cookie = "_ALGOLIA=old; domain=example.test; path=/";
    localStorage.setItem("mp_demotoken_mixpanel", "{}");
  });
}

test("real vendor cookies on their real domains are all removed on withdrawal and stay gone", async () => {
  const { context, page, errors } = await open();
  await acceptAndPlant(page);
  const before = await trackers(context);
  for (const want of [
    "_ga@.example.test/", "_ga_DEMO123@.example.test/", "_gid@.example.test/",
    "mp_demotoken_mixpanel@.example.test/", "_ALGOLIA@www.shop.example.test/",
    "_ga@.shop.example.test/shop", "_gid@www.shop.example.test/shop/blog", "_ALGOLIA@.example.test/",
  ]) assert.ok(before.includes(want), `${want} in ${before}`);
  assert.ok((await vendorKeys(page)).length >= 1);

  await page.getByTestId("settings").click();
  await Promise.all([page.waitForEvent("load"), page.getByTestId("lcc-prefs-reject-all").click()]);
  await ready(page);
  assert.deepEqual(await trackers(context), []);
  assert.deepEqual(await vendorKeys(page), []);
  await timePasses(page, 10_000, "gtag's and Algolia's stand-ins would write again within seconds: ten rounds");
  assert.deepEqual(await trackers(context), [], "10 seconds later nothing came back");
  // mixpanel-browser keeps its own opt-out marker in localStorage: proof opt_out_tracking() ran.
  assert.equal(await page.evaluate(() => localStorage.getItem("__mp_opt_in_out_demotoken")), "0");
  assert.deepEqual(errors, []);
  await context.close();
});

test("without the reload, the vendor opt-outs stop the trackers writing again", async () => {
  const { context, page } = await open({ reloadOnRevoke: false });
  await acceptAndPlant(page);
  let loads = 0;
  page.on("load", () => loads++);
  const cleanup = page.evaluate(() => new Promise((ok) => addEventListener("lcc:cleanup", (e) => ok(e.detail), { once: true })));
  await page.getByTestId("settings").click();
  await page.getByTestId("lcc-prefs-reject-all").click();
  const report = await cleanup;
  assert.deepEqual(report.remaining_cookies, []);
  assert.ok(report.removed_cookies.includes("_ga") && report.removed_cookies.includes("_ALGOLIA"), JSON.stringify(report));
  // gtag kept rewriting its cookies every second until Consent Mode said denied.
  await timePasses(page, 10_000, "gtag's stand-in rewrites its cookies every second: ten rounds");
  assert.deepEqual(await trackers(context), []);
  assert.equal(loads, 0);
  const state = await page.evaluate(() => ({
    mixpanelOptedOut: window.mixpanel.has_opted_out_tracking(),
    consentUpdate: window.dataLayer.filter((e) => e[0] === "consent").map((e) => [e[1], e[2].analytics_storage]),
  }));
  assert.equal(state.mixpanelOptedOut, true);
  assert.deepEqual(state.consentUpdate, [["update", "denied"]]);
  await context.close();
});
