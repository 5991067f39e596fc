// Races and failures around the tag scripts: a withdrawal while a granted
// script is still downloading, Accept then Reject in one task, a double click,
// scripts that fail to load, and gated scripts a single-page app adds later.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { classic, deferredOnly, ensureUi, held, launch, quiet, ready, settleRuns, stored, tagRuns, trackerCookies } from "./harness.mjs";

/// Accept all on the demo: the page's gated scripts in document order (and the configured
/// service script, Algolia, in no order with them).
const PAGE_ALL = ["ga", "ga-config", "mixpanel", "reading-list"];
/// The page's own tags among the runs, in the order they ran: the boot script (a returning
/// visitor) runs them as the parser finds them, and the configured service script (Algolia,
/// not in the page) whenever its download is in.
const pageTags = (runs) => runs.filter((r) => r !== "algolia");

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

/**
 * Opens the demo in a new context. `reload: false` turns the config's
 * reload_on_revoke off, so a withdrawal has to stop scripts itself instead of
 * starting a clean page view. `routes` are [pattern, handler] pairs.
 */
async function open({ reload = true, routes = [], path = "/", snippet = (body) => body } = {}) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const v = { context, page, errors: [] };
  page.on("pageerror", (e) => v.errors.push(String(e)));
  await page.addInitScript(() => {
    window.__scriptErrors = [];
    addEventListener("lcc:script-error", (e) => window.__scriptErrors.push(new URL(e.detail.src).pathname));
  });
  if (!reload) {
    await page.route(/\/(index\.html)?$/, async (route) => {
      const res = await route.fetch();
      const body = snippet(await res.text()).replace(/(cc-config[^>]*>\s*\{)/, '$1 "reload_on_revoke": false,');
      assert.match(body, /"reload_on_revoke": false/);
      await route.fulfill({ response: res, body });
    });
  }
  for (const [match, handler] of routes) await page.route(match, handler);
  await page.goto(env.server.url + path);
  await ready(page);
  return v;
}

/** Live script elements (inserted, or placeholders released in place) whose src ends with `name`. */
const liveScripts = (page, name) =>
  page.evaluate((n) => [...document.querySelectorAll(`script[src$="${n}"]:not([type="text/plain"])`)].length, name);

test("withdrawal while a granted script downloads: it never runs, the rest of the decision holds", async () => {
  const slow = held();
  const { page, context, errors } = await open({ reload: false, routes: [[/mixpanel-standin\.js$/, slow.handler]] });
  await page.getByTestId("lcc-accept-all").click();
  await page.waitForFunction(() => (window.lccDemoRuns || []).includes("ga-config"));
  assert.equal(slow.requested.length, 1, "Mixpanel's script is downloading");
  // Marketing withdrawn (the rest kept) before the download ends.
  await page.evaluate(() => window.CookieConsent.acceptCategory(["performance", "functionality", "third-party"]));
  slow.release();
  // (The withdrawal brings the UI, which runs what still stands once it is there.)
  await page.waitForFunction(() => (window.lccDemoRuns || []).includes("reading-list"), null, { timeout: 15000 });
  await quiet(page);
  assert.deepEqual(pageTags(await tagRuns(page)), ["ga", "ga-config", "reading-list"], "mixpanel never ran");
  assert.equal(await liveScripts(page, "mixpanel-standin.js"), 0);
  assert.ok(!(await trackerCookies(context)).some((n) => n.startsWith("mp_")), "no Mixpanel cookie");
  const record = JSON.parse(await stored(page));
  assert.equal(record.categories.marketing, false);
  assert.equal(record.categories.performance, true);
  // Granted again on this page view: it runs now, once.
  await page.evaluate(() => window.CookieConsent.acceptCategory("all"));
  assert.deepEqual(pageTags(await settleRuns(page, 5)), ["ga", "ga-config", "reading-list", "mixpanel"]);
  assert.deepEqual(errors, []);
  await context.close();
});

// (The README's snippet: the hint writes the boot script in for a returning visitor, and it runs
// in the head as when it is not deferred.)
for (const [how, snippet, state] of [["the README's snippet", undefined, "loading"], ["deferred, no hint", deferredOnly, "interactive"], ["not deferred", classic, "loading"]])
  test(`a returning page (${how}): a withdrawal in another tab while a granted script downloads stops it`, async () => {
    const slow = held();
    const { page, context, errors } = await open({ reload: false, snippet });
    await page.getByTestId("lcc-accept-all").click();
    await settleRuns(page, 5);
    await page.route(/mixpanel-standin\.js$/, slow.handler);
    await page.reload({ waitUntil: "commit" }); // (the page does not finish loading before Mixpanel's script is in)
    await page.waitForFunction(() => (window.lccDemoRuns || []).includes("ga-config"));
    assert.equal(await page.evaluate(() => window.__lccBoot), "returning");
    assert.equal(slow.requested.length, 1, "Mixpanel's script is downloading");
    const mixpanel = () => page.evaluate(() => [document.readyState, document.querySelector("script[src*=mixpanel]").getAttribute("type")]);
    // Run from the head, it is released where it stands: the parser waits for it, as for any
    // script of the page. Deferred, the page is parsed and its load event waits for it.
    assert.deepEqual(await mixpanel(), [state, null]);
    // Another tab of the site withdraws marketing.
    const other = await context.newPage();
    await other.goto(env.server.url + "/");
    await ready(other);
    await other.evaluate(() => window.CookieConsent.acceptCategory(["performance", "functionality", "third-party"]));
    // The first tab hands over to the UI, which takes the withdrawal on.
    await page.waitForFunction(() => window.CookieConsent.acceptedCategory("marketing") === false, null, { timeout: 15000 });
    slow.release();
    await quiet(page);
    assert.ok(!(await tagRuns(page)).includes("mixpanel"), "mixpanel never ran");
    assert.equal(await liveScripts(page, "mixpanel-standin.js"), 0);
    assert.deepEqual(await mixpanel(), ["complete", "text/plain"], "its placeholder is back, the page parsed on");
    assert.deepEqual((await tagRuns(page)).sort(), ["algolia", "ga", "ga-config", "reading-list"]);
    assert.deepEqual(errors, []);
    await context.close();
  });

test("Accept all then Reject all in the same task: only the refusal's script runs", async () => {
  const { page, context, errors } = await open({ reload: false });
  await page.evaluate(() => {
    document.querySelector("[data-testid=lcc-accept-all]").click();
    window.CookieConsent.acceptCategory([]);
  });
  assert.deepEqual(await settleRuns(page, 1), ["no-analytics"]);
  assert.deepEqual(await trackerCookies(context), []);
  assert.deepEqual(
    Object.entries(JSON.parse(await stored(page)).categories).filter(([, on]) => on).map(([c]) => c),
    ["necessary"],
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test("a double click on Accept all decides once and runs each tag once", async () => {
  const { page, context, errors } = await open();
  await page.evaluate(() => {
    window.__consents = 0;
    addEventListener("lcc:consent", () => window.__consents++);
  });
  await page.getByTestId("lcc-accept-all").dblclick();
  const runs = await settleRuns(page, 5);
  assert.deepEqual(pageTags(runs), PAGE_ALL);
  assert.ok(runs.includes("algolia"));
  assert.equal(await page.evaluate(() => window.__consents), 1, "one decision");
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem("lcc_consent_history")).length), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("scripts that fail to load (404, connection refused): no longer live, reported once each, not a withdrawal, retried next page view", async () => {
  const failing = [
    [/gtag-standin\.js$/, (route) => route.fulfill({ status: 404, body: "not found" })],
    [/mixpanel-standin\.js$/, (route) => route.abort("connectionrefused")],
  ];
  const { page, context, errors } = await open({ routes: failing });
  await page.getByTestId("lcc-accept-all").click();
  // The inline scripts after them still run, in order.
  assert.deepEqual(await settleRuns(page, 3), ["ga-config", "reading-list", "algolia"]);
  assert.deepEqual((await page.evaluate(() => window.__scriptErrors)).sort(), ["/tags/gtag-standin.js", "/tags/mixpanel-standin.js"]);
  assert.equal(await liveScripts(page, "gtag-standin.js"), 0, "the failed script is out of the page or inert again");
  assert.equal(await liveScripts(page, "mixpanel-standin.js"), 0);
  const record = JSON.parse(await stored(page));
  assert.equal(record.categories.performance, true, "a failed load is not a withdrawal");
  assert.equal(record.categories.marketing, true);

  // Next page view (the boot script alone), still failing: the same, once each.
  await page.reload();
  await ready(page);
  const runs = await settleRuns(page, 3);
  assert.deepEqual(pageTags(runs), ["ga-config", "reading-list"]);
  assert.ok(runs.includes("algolia"));
  assert.deepEqual((await page.evaluate(() => window.__scriptErrors)).sort(), ["/tags/gtag-standin.js", "/tags/mixpanel-standin.js"]);
  assert.equal(await liveScripts(page, "gtag-standin.js"), 0);

  // The servers are back: the next page view runs them.
  await page.unrouteAll();
  await page.reload();
  await ready(page);
  assert.deepEqual(pageTags(await settleRuns(page, 5)), ["ga", "ga-config", "mixpanel", "reading-list"]);
  assert.deepEqual(await page.evaluate(() => window.__scriptErrors), []);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Adds a gated inline script the way a single-page app would, after start. */
const addGated = (page, category, id) =>
  page.evaluate(([category, id]) => {
    const s = document.createElement("script");
    s.type = "text/plain";
    s.setAttribute("data-category", category);
    s.text = `window.lccDemoTag(${JSON.stringify(id)}, ${JSON.stringify(id)})`;
    document.body.appendChild(s);
  }, [category, id]);

test("single-page app: gated scripts added after start wait for consent and run once, under the UI and the boot script", async () => {
  const { page, context, errors } = await open();
  // Under the UI, before a choice: held.
  await addGated(page, "performance", "spa-1");
  await quiet(page);
  assert.deepEqual(await tagRuns(page), []);
  await page.getByTestId("lcc-accept-all").click();
  const first = await settleRuns(page, 6);
  assert.deepEqual(pageTags(first), ["ga", "ga-config", "mixpanel", "reading-list", "spa-1"]);
  assert.ok(first.includes("algolia"));
  await addGated(page, "performance", "spa-2");
  await addGated(page, "!performance", "spa-refused");
  assert.deepEqual((await settleRuns(page, 7)).slice(6), ["spa-2"]);

  // A returning page view: the boot script runs them alone, once.
  await page.reload();
  await ready(page);
  assert.equal(await page.evaluate(() => window.__lccBoot), "returning");
  assert.deepEqual(pageTags(await settleRuns(page, 5)), ["ga", "ga-config", "mixpanel", "reading-list"]);
  await addGated(page, "performance", "spa-3");
  assert.deepEqual((await settleRuns(page, 6)).slice(5), ["spa-3"]);
  // The UI takes over (Cookie settings): nothing runs twice, and later additions still run once.
  await page.getByTestId("footer-cookie-settings").click();
  await ensureUi(page);
  await addGated(page, "performance", "spa-4");
  assert.deepEqual((await settleRuns(page, 7)).slice(5), ["spa-3", "spa-4"]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("vendor globals missing or broken: withdrawal's opt-out calls do not throw, the clean-up still runs", async () => {
  const failing = [[/mixpanel-standin\.js$/, (route) => route.fulfill({ status: 404, body: "not found" })]];
  const { page, context, errors } = await open({ reload: false, routes: failing });
  await page.getByTestId("lcc-accept-all").click();
  await page.waitForFunction(() => window.__scriptErrors.length === 1);
  await settleRuns(page, 4);
  // Mixpanel never loaded (no global); Algolia's global is replaced by one that throws.
  await page.evaluate(() => {
    window.aa = () => { throw new Error("broken vendor"); };
    document.cookie = "mp_demotoken_mixpanel=left-over; path=/";
  });
  assert.equal(await page.evaluate(() => typeof window.mixpanel), "undefined");
  await page.evaluate(() => window.CookieConsent.acceptCategory([]));
  await quiet(page);
  assert.deepEqual(await trackerCookies(context), [], "cookies erased all the same");
  assert.deepEqual(
    Object.entries(JSON.parse(await stored(page)).categories).filter(([, on]) => on).map(([c]) => c),
    ["necessary"],
  );
  assert.deepEqual(errors, []);
  await context.close();
});
