// The returning visitor's page view: the boot script alone decides, runs the
// granted tags, and the UI (glue, wasm, stylesheet) is neither fetched nor run
// until the visitor asks for it or something changes.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { TAG_PATH, bannerVisible, launch, openDemo, quiet, ready, reload, routeClassic, routeUnchecked, settleRuns, tagRuns, timePasses, trackerCookies, unchecked, watchUi, withoutDecider } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

async function acceptedVisitor() {
  const v = await openDemo(env);
  await v.page.getByTestId("lcc-accept-all").click();
  await settleRuns(v.page, 5);
  return v;
}

test("a returning visitor's tags run in order without the UI being fetched", async () => {
  const v = await acceptedVisitor();
  const { page, context } = v;
  const ui = watchUi(page);
  await reload(v);
  assert.equal(await page.evaluate(() => window.__lccBoot), "returning");
  const runs = await settleRuns(page, 5);
  assert.deepEqual([...runs].sort(), ["algolia", "ga", "ga-config", "mixpanel", "reading-list"]);
  // The page's gated scripts run in document order (the inline gtag config after the
  // external gtag it needs), even though the parser hands them over in several batches.
  // Algolia is configured on its service, not in the page: it may start first.
  assert.deepEqual(runs.filter((r) => r !== "algolia"), ["ga", "ga-config", "mixpanel", "reading-list"]);
  assert.equal(await bannerVisible(page), false);
  await quiet(page);
  assert.deepEqual(ui, [], "no UI file requested");
  assert.equal(await page.locator("#lcc-root").count(), 0, "no UI mounted");
  assert.deepEqual(v.errors, []);
  await context.close();
});

// The README's snippet leaves the boot script deferred for a first visit, whose page paints
// first; for a returning visitor the hint writes it in where it stands, and it runs there, as the
// snippet without defer does.
for (const [how, route] of [["the README's snippet", null], ["the boot script not deferred", routeClassic]])
  test(`with ${how}, a returning visitor's tags run where they stand, while the page parses; the boot script is fetched and runs once`, async () => {
    const v = await acceptedVisitor();
    const { page, context } = v;
    if (route) await route(page);
    // For each tag as it runs: the document's state, and the category of the script element
    // running it (the placeholder itself, as the parser runs a script of the page). Then how
    // often window.CookieConsent was set, and cc:onConsent heard.
    await page.addInitScript(() => {
      window.__when = {};
      const runs = [];
      runs.push = function (id) {
        window.__when[id] = [document.readyState, document.currentScript?.getAttribute("data-category")];
        return Array.prototype.push.call(this, id);
      };
      window.lccDemoRuns = runs;
      let api;
      window.__apiSet = 0;
      Object.defineProperty(window, "CookieConsent", { configurable: true, get: () => api, set: (x) => ((api = x), window.__apiSet++) });
      window.__onConsent = 0;
      addEventListener("cc:onConsent", () => window.__onConsent++);
    });
    const boots = [];
    page.on("request", (r) => r.url().endsWith("/leptos-consent-boot.js") && boots.push(r.url()));
    for (const view of ["first returning view", "one with learned downloads"]) {
      boots.length = 0;
      await reload(v);
      await settleRuns(page, 5);
      const { algolia, ...tags } = await page.evaluate(() => window.__when);
      assert.ok(algolia, "the configured service script ran too");
      assert.deepEqual(tags, {
        ga: ["loading", "performance"],
        "ga-config": ["loading", "performance"],
        mixpanel: ["loading", "marketing"],
        "reading-list": ["loading", "third-party"],
      }, view);
      await quiet(page);
      assert.deepEqual(await page.evaluate(() => [window.__apiSet, window.__onConsent, window.lccDemoRuns.length]), [1, 1, 5], `${view}: one boot, one onConsent, each tag once`);
      assert.equal(boots.length, 1, `${view}: one request for the boot script`);
    }
    // A first visit (nothing stored): the README's snippet leaves the boot script deferred.
    await page.evaluate(() => localStorage.clear());
    await reload(v);
    await page.getByTestId("lcc-banner").waitFor({ state: "visible" });
    assert.equal(await page.locator('script[src$="leptos-consent-boot.js"]').count(), 1, "nothing written in on a first visit");
    assert.deepEqual(v.errors, []);
    await context.close();
  });

test("a gated tag written before the boot script still runs first: a tag the parser reaches waits for it", async () => {
  const v = await acceptedVisitor();
  const { page, context } = v;
  // A tag in the head, ahead of the config and the boot script, slow to download.
  await page.route((url) => url.pathname === "/", async (route) => {
    const res = await route.fetch();
    const body = (await res.text()).replace(
      /(<script src="?tags\/monitor\.js"?><\/script>)/,
      '$1<script type="text/plain" data-category="performance" src="tags/head-standin.js"></script>',
    );
    assert.match(body, /head-standin/);
    await route.fulfill({ response: res, body });
  });
  await page.route(/head-standin\.js$/, async (route) => {
    await new Promise((r) => setTimeout(r, 400));
    await route.fulfill({ contentType: "text/javascript", body: 'window.lccDemoTag("head-tag", "a tag in the head")' });
  });
  await reload(v);
  const runs = await settleRuns(page, 6);
  assert.deepEqual(runs.filter((r) => r !== "algolia"), ["head-tag", "ga", "ga-config", "mixpanel", "reading-list"]);
  await context.close();
});

test("a returning visitor's tags start downloading when the boot script runs, learned from the page view before; a new decision forgets them", async () => {
  const v = await acceptedVisitor();
  const { page, context } = v;
  // (The README's snippet: the hint writes the boot script in, and it runs in the head. One
  // that runs deferred, once the page is parsed, learns nothing: the parser has found every tag.)
  // When the parser adds each external placeholder (before the boot script sees it).
  await page.addInitScript(() => {
    window.__parsed = {};
    new MutationObserver((ms) => {
      for (const m of ms) for (const n of m.addedNodes) if (n.nodeName === "SCRIPT" && n.type === "text/plain" && n.src) window.__parsed[n.src] ??= performance.now();
    }).observe(document, { childList: true, subtree: true });
  });
  // Per placeholder: whether its download started before the parser reached it.
  const early = () =>
    page.evaluate(() => Object.entries(window.__parsed).map(([src, at]) => [new URL(src).pathname, performance.getEntriesByName(src)[0]?.startTime < at]));
  await reload(v); // the first returning view: found by the parser, and kept for the next one
  await settleRuns(page, 5);
  assert.deepEqual(await early(), [["/tags/gtag-standin.js", false], ["/tags/mixpanel-standin.js", false]]);
  await reload(v);
  const runs = await settleRuns(page, 5);
  assert.deepEqual(await early(), [["/tags/gtag-standin.js", true], ["/tags/mixpanel-standin.js", true]]);
  assert.deepEqual(runs.filter((r) => r !== "algolia"), ["ga", "ga-config", "mixpanel", "reading-list"], "still in document order");

  // A list that does not parse is ignored (the tags run as found) and written afresh.
  await page.evaluate(() => {
    const m = localStorage.getItem("lcc_consent_config").split(" ");
    localStorage.setItem("lcc_consent_config", `${m[0]} ${m[1]} [["src", {`);
  });
  await reload(v);
  assert.deepEqual([...(await settleRuns(page, 5))].sort(), ["algolia", "ga", "ga-config", "mixpanel", "reading-list"]);
  assert.deepEqual(await early(), [["/tags/gtag-standin.js", false], ["/tags/mixpanel-standin.js", false]]);
  assert.equal(await page.evaluate(() => window.__lccBoot), "returning", "the attestation still stands");
  await reload(v);
  await settleRuns(page, 5);
  assert.deepEqual(await early(), [["/tags/gtag-standin.js", true], ["/tags/mixpanel-standin.js", true]]);

  // Mixpanel withdrawn in the settings (the page reloads): that page view, and the next, neither
  // run nor fetch it.
  await page.getByTestId("footer-cookie-settings").click();
  await page.getByTestId("lcc-preferences").locator("[data-category=marketing] summary").click();
  await page.getByRole("switch", { name: "Mixpanel" }).uncheck();
  v.tagRequests.length = 0;
  await Promise.all([page.waitForEvent("load"), page.getByTestId("lcc-save").click()]);
  await ready(page);
  assert.deepEqual([...(await settleRuns(page, 4))].sort(), ["algolia", "ga", "ga-config", "reading-list"]);
  await reload(v);
  assert.equal(await page.evaluate(() => window.__lccBoot), "returning");
  assert.deepEqual([...(await settleRuns(page, 4))].sort(), ["algolia", "ga", "ga-config", "reading-list"]);
  assert.deepEqual(await early(), [["/tags/gtag-standin.js", true], ["/tags/mixpanel-standin.js", false]], "what this record grants was learned again");
  await quiet(page);
  assert.ok(!v.tagRequests.some((p) => p.includes("mixpanel")), `requested: ${v.tagRequests}`);
  assert.deepEqual(v.errors, []);
  await context.close();
});

test("Cookie settings on a returning page loads the UI and opens the stored choice", async () => {
  const v = await acceptedVisitor();
  const { page, context } = v;
  await reload(v);
  const ui = watchUi(page);
  await page.getByTestId("footer-cookie-settings").click();
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible" });
  assert.ok(ui.some((p) => p.endsWith("_bg.wasm")), `UI loaded on demand: ${ui}`);
  assert.equal(await page.locator("#lcc-cat-marketing").isChecked(), true);
  // The UI took over without running anything a second time.
  const runs = await settleRuns(page, 5);
  assert.equal(runs.length, 5, `each tag once: ${runs}`);
  // Escape returns focus to the link that opened it.
  await page.keyboard.press("Escape");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "footer-cookie-settings");
  assert.deepEqual(v.errors, []);
  await context.close();
});

test("a config text the wasm has not validated makes the boot script hand over", async () => {
  const v = await acceptedVisitor();
  const { page, context } = v;
  // As after a deploy that changed the config: the stored fingerprint no longer matches.
  await page.evaluate(() => localStorage.setItem("lcc_consent_config", "00000000"));
  const ui = watchUi(page);
  await reload(v);
  assert.equal(await page.evaluate(() => window.__lccBoot), undefined);
  assert.ok(ui.some((p) => p.endsWith("_bg.wasm")), "the UI validated the config");
  assert.equal((await settleRuns(page, 5)).length, 5, "the stored choice still holds, each tag once");
  // The wasm recorded the fingerprint again: the next view is fast.
  const ui2 = watchUi(page);
  await reload(v);
  assert.equal(await page.evaluate(() => window.__lccBoot), "returning");
  assert.deepEqual(ui2.filter((p) => p.endsWith("_bg.wasm")), []);
  await context.close();
});

test("a withdrawal in another tab tears down a tab the boot script ran alone", async () => {
  const v = await acceptedVisitor();
  const { context } = v;
  await reload(v); // tab A: boot path only
  const a = v.page;
  assert.equal(await a.evaluate(() => window.__lccBoot), "returning");
  await settleRuns(a, 5);
  const b = await context.newPage();
  await b.goto(env.server.url + "/");
  await ready(b);
  await b.getByTestId("footer-cookie-settings").click();
  const aReloaded = a.waitForEvent("load", { timeout: 10000 });
  await Promise.all([b.waitForEvent("load"), b.getByTestId("lcc-prefs-reject-all").click()]);
  await aReloaded;
  await ready(a);
  assert.deepEqual(await settleRuns(a, 1), ["no-analytics"]);
  await timePasses(a, 2500, "the stand-ins rewrite their cookies every second: two rounds");
  assert.deepEqual(await trackerCookies(context), [], "tab A's trackers did not write again");
  assert.deepEqual(v.errors, []);
  await context.close();
});

/// Opens the demo as a first visit, with the wasm held back for `delayMs`
/// (a slow connection), and returns as soon as the page has loaded.
async function slowUiVisit(delayMs, { mutate, init } = {}) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  const tagRequests = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => TAG_PATH.test(new URL(r.url()).pathname) && tagRequests.push(new URL(r.url()).pathname.split("/").pop()));
  if (init) await page.addInitScript(init);
  let release;
  const held = new Promise((ok) => (release = ok));
  await page.route("**/leptos-consent_bg.wasm", async (route) => {
    await Promise.race([held, new Promise((ok) => setTimeout(ok, delayMs))]);
    await route.continue();
  });
  // Unstamped: the press waits for the UI (a stamped config decides on the early banner: quick.test.mjs),
  // and one the early banner cannot vouch for itself (without its decision code).
  await withoutDecider(page);
  await page.route("**/", async (route) => {
    const res = await route.fetch();
    const body = unchecked(await res.text());
    await route.fulfill({ response: res, body: mutate ? mutate(body) : body });
  });
  await page.goto(env.server.url + "/");
  return { context, page, errors, release, tagRequests };
}

const uiMounted = (page) => page.locator("#lcc-root [data-testid=lcc-preferences]").count();

test("the first layer paints before the UI arrives, and a press made meanwhile is carried out", async () => {
  const { context, page, errors, release, tagRequests } = await slowUiVisit(60_000);
  const banner = page.getByTestId("lcc-banner");
  await banner.waitFor({ state: "visible" });
  assert.equal(await uiMounted(page), 0, "the banner is up before the wasm");
  assert.equal(await page.getByTestId("lcc-accept-all").textContent(), "Accept all");
  assert.deepEqual(tagRequests, [], "no tag is fetched before the press");
  await page.getByTestId("lcc-accept-all").click();
  assert.equal(await page.getByTestId("lcc-accept-all").getAttribute("aria-busy"), "true");
  await quiet(page);
  assert.deepEqual(await tagRuns(page), [], "nothing runs before the UI has validated the config");
  // The press starts the granted tags' downloads while the UI is still on its way.
  assert.deepEqual([...tagRequests].sort(), ["algolia-standin.js", "gtag-standin.js", "mixpanel-standin.js"]);
  release();
  const runs = await settleRuns(page, 5);
  assert.deepEqual([...runs].sort(), ["algolia", "ga", "ga-config", "mixpanel", "reading-list"]);
  assert.deepEqual([...tagRequests].sort(), ["algolia-standin.js", "gtag-standin.js", "mixpanel-standin.js"], "each fetched once: the UI ran the downloaded copies");
  assert.equal(await page.getByTestId("lcc-banner").count(), 1, "one banner, the UI's");
  assert.equal(await bannerVisible(page), false);
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem("lcc_consent"))).via, "banner");
  assert.deepEqual(errors, []);
  await context.close();
});

test("with Global Privacy Control, Accept all on the early banner never fetches the locked category's tags", async () => {
  const GPC_ON = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });";
  const { context, page, errors, release, tagRequests } = await slowUiVisit(60_000, { init: GPC_ON });
  await page.getByTestId("lcc-banner").waitFor({ state: "visible" });
  await page.getByTestId("lcc-accept-all").click();
  await quiet(page);
  assert.deepEqual([...tagRequests].sort(), ["algolia-standin.js", "gtag-standin.js"], "mixpanel (marketing) is locked off");
  release();
  const runs = await settleRuns(page, 4);
  assert.ok(!runs.includes("mixpanel"), runs.join());
  assert.deepEqual([...tagRequests].sort(), ["algolia-standin.js", "gtag-standin.js"]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("Manage pressed by keyboard before the UI arrives opens the modal; Escape returns to Manage", async () => {
  const { context, page, release } = await slowUiVisit(60_000);
  await page.getByTestId("lcc-banner").waitFor({ state: "visible" });
  await page.getByTestId("lcc-manage").focus();
  await page.keyboard.press("Enter");
  release();
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible" });
  await page.keyboard.press("Escape");
  await page.getByTestId("lcc-preferences").waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => document.activeElement?.closest("#lcc-root") !== null), true);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "lcc-manage");
  assert.equal(await page.evaluate(() => localStorage.getItem("lcc_consent")), null, "nothing stored");
  await context.close();
});

test("under a config the UI refuses, the early banner gives way to a notice and a press grants nothing", async () => {
  const { context, page, release } = await slowUiVisit(60_000, {
    mutate: (html) => html.replace('"expires_after_days": 182', '"expires_after_days": 999'),
  });
  await page.getByTestId("lcc-banner").waitFor({ state: "visible" });
  const reported = page.evaluate(
    () => new Promise((ok) => addEventListener("lcc:error", (e) => ok(e.detail.message), { once: true })),
  );
  await page.getByTestId("lcc-accept-all").click();
  release();
  assert.match(await reported, /expires_after_days/);
  await page.getByTestId("lcc-banner").waitFor({ state: "detached" });
  // Not a blank page: the visitor is told that only necessary cookies are used.
  const notice = page.getByTestId("lcc-unavailable");
  await notice.waitFor({ state: "visible" });
  assert.match(await notice.textContent(), /only strictly necessary cookies are used/);
  await quiet(page);
  assert.deepEqual(await tagRuns(page), []);
  assert.equal(await page.evaluate(() => localStorage.getItem("lcc_consent")), null);
  assert.equal(await page.evaluate(() => window.CookieConsent.acceptedCategory("necessary")), false);
  await page.getByTestId("lcc-unavailable-close").click();
  await notice.waitFor({ state: "hidden" });
  await context.close();
});

test("if the UI cannot load, the early banner goes, nothing runs and the site owner is told", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.route("**/leptos-consent_bg.wasm", (route) => route.fulfill({ status: 404, body: "blocked" }));
  await routeUnchecked(page); // a stamped config would not need the UI for the first layer
  await page.addInitScript(() => {
    window.__lccErrors = [];
    addEventListener("lcc:error", (e) => window.__lccErrors.push(e.detail.message));
  });
  await page.goto(env.server.url + "/");
  await page.waitForFunction(() => window.__lccErrors.some((m) => m.includes("could not load")), null, { timeout: 10000 });
  assert.equal(await page.getByTestId("lcc-banner").count(), 0);
  await quiet(page);
  assert.deepEqual(await tagRuns(page), []);
  // "Cookie settings" still leads somewhere: where its own link points (here, the page's privacy section).
  await page.getByTestId("footer-cookie-settings").click();
  await page.waitForFunction(() => location.hash === "#privacy");
  assert.deepEqual(await tagRuns(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a trigger pressed while the UI fails to load leads where its link points", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  let release;
  const held = new Promise((r) => (release = r));
  await page.route("**/leptos-consent_bg.wasm", async (route) => {
    await held;
    await route.fulfill({ status: 404, body: "blocked" });
  });
  await page.goto(env.server.url + "/");
  // By keyboard: the first layer covers the footer at this viewport.
  await page.getByTestId("footer-cookie-settings").focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => location.hash), "", "held while the UI loads");
  release();
  await page.waitForFunction(() => location.hash === "#privacy");
  assert.deepEqual(await tagRuns(page), []);
  await context.close();
});
