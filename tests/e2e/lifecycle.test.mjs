// Page lifecycle and disabled browser features: a page restored from the
// back/forward cache follows a withdrawal made meanwhile on another page, and
// with document.cookie disabled the widget still works for the page view.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, openDemo, quiet, ready, settleRuns, stored, tagRuns } from "./harness.mjs";

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
  // The restored page takes the withdrawal on: the UI comes, applies it and starts a
  // clean page view (reload_on_revoke), where only the refusal's tag runs. (The tab's
  // sessionStorage keeps every pageshow: read once that clean view is up, as the restored
  // page may already be reloading.)
  await page.waitForFunction((n) => (sessionStorage.getItem("shows") || "").length > n + 1, before.length, { timeout: 15000 });
  await ready(page);
  assert.equal((await shows())[before.length], "R", "the page came back from the bfcache");
  assert.equal(await page.evaluate(() => window.CookieConsent.acceptedCategory("performance")), false);
  assert.equal(JSON.parse(await stored(page)).categories.performance, false);
  assert.deepEqual(await settleRuns(page, 1), ["no-analytics"]);
  assert.deepEqual(v.errors, []);
  await context.close();
});

test("back/forward cache: a first-visit banner (stamped config, no UI) restored after a decision made on another page goes, and its tags run", async () => {
  const v = await openDemo(env, {
    init: [() => addEventListener("pageshow", (e) => {
      sessionStorage.setItem("shows", (sessionStorage.getItem("shows") || "") + (e.persisted ? "R" : "L"));
    })],
  });
  const { page, context } = v;
  assert.equal(await page.locator("#lcc-boot[data-quick]").count(), 1);
  // Away to the preference center (this page goes into the bfcache with its banner up), decide there.
  await page.goto(new URL("/preferences.html", v.base).href);
  await page.getByTestId("lcc-preference-center").waitFor();
  await page.getByTestId("lcc-pc-accept-all").click();
  await page.waitForFunction(() => localStorage.getItem("lcc_consent") !== null);
  const shows = () => page.evaluate(() => sessionStorage.getItem("shows"));
  const before = await shows();
  await page.goBack({ waitUntil: "commit" });
  await page.waitForFunction((n) => (sessionStorage.getItem("shows") || "").length > n, before.length);
  assert.equal((await shows())[before.length], "R", "the page came back from the bfcache");
  // (The record was attested under the preference center's config text, not this page's: the
  // stamp vouches for this config, never for a record made under another, so the UI reads it.)
  await page.getByTestId("lcc-banner").waitFor({ state: "hidden", timeout: 10000 });
  assert.deepEqual([...(await settleRuns(page, 5))].sort(), ["algolia", "ga", "ga-config", "mixpanel", "reading-list"]);
  assert.equal(await page.evaluate(() => window.CookieConsent.validConsent()), true);
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

test("an ad blocker's cosmetic filter hides the banner and the modal: the page stays scrollable, focusable and usable", async () => {
  const v = await openDemo(env, {
    init: [
      () => {
        // What a cookie-banner filter list does: element hiding by selector.
        const css = "#lcc-root, #lcc-boot, .lcc-banner, dialog.lcc-modal { display: none !important; }";
        const add = () => {
          const s = document.createElement("style");
          s.textContent = css;
          document.documentElement.appendChild(s);
        };
        document.documentElement ? add() : addEventListener("DOMContentLoaded", add);
        window.__lccErrors = [];
        addEventListener("lcc:error", (e) => window.__lccErrors.push(e.detail.message));
      },
    ],
  });
  const { page, context } = v;
  assert.equal(await page.getByTestId("lcc-banner").isVisible(), false, "the filter hides the banner");
  // Scrollable and not inert.
  await page.evaluate(() => window.scrollTo(0, 400));
  assert.ok((await page.evaluate(() => window.scrollY)) > 0, "the page scrolls");
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).overflow + getComputedStyle(document.body).overflow), "visiblevisible");
  // Keyboard focus goes through the page's own links.
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  for (let i = 0; i < 3; i++) await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => !!document.activeElement.closest("#content, header, footer")), true, "focus is on the page");

  // Cookie settings opens a dialog nobody can see: it is closed at once and the site owner told.
  await page.getByTestId("footer-cookie-settings").click();
  await page.waitForFunction(() => window.__lccErrors.some((m) => m.includes("hidden by the page's CSS")));
  assert.equal(await page.evaluate(() => document.querySelector("dialog.lcc-modal").open), false);
  await page.getByRole("link", { name: "Privacy policy" }).click();
  assert.equal(await page.evaluate(() => location.hash), "#privacy", "the page takes clicks");
  assert.deepEqual(await tagRuns(page), [], "hidden is not consent");
  assert.deepEqual(v.errors, []);
  await context.close();
});

test("in a sandboxed iframe (no storage at all): the widget works for the page view and never grants by itself", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.route("**/sandbox-host.html", (r) =>
    r.fulfill({ contentType: "text/html", body: '<!doctype html><iframe sandbox="allow-scripts" src="/" width="1000" height="700"></iframe>' }));
  const frameOf = async () => {
    await page.waitForFunction(() => document.querySelector("iframe"));
    const frame = page.frames()[1];
    await frame.waitForSelector("#lcc-root [data-testid=lcc-preferences]", { state: "attached", timeout: 15000 });
    return frame;
  };
  await page.goto(env.server.url + "/sandbox-host.html");
  let frame = await frameOf();
  assert.equal(await frame.evaluate(() => { try { localStorage.length; return "storage"; } catch { return "no storage"; } }), "no storage");
  await frame.getByTestId("lcc-banner").waitFor({ state: "visible" });
  assert.deepEqual(await frame.evaluate(() => window.lccDemoRuns.slice()), []);
  await frame.getByTestId("lcc-accept-all").click();
  // The stand-in tags that set cookies throw here (a sandboxed document has no cookies),
  // as the real ones would; the inline ones log.
  await frame.waitForFunction(() => window.lccDemoRuns.length >= 2);
  assert.deepEqual(await frame.evaluate(() => window.lccDemoRuns.slice()), ["ga-config", "reading-list"]);
  assert.equal(await frame.evaluate(() => window.CookieConsent.acceptedCategory("marketing")), true, "for this page view");
  // Nothing was kept: the next page view asks again and runs nothing.
  await page.reload();
  frame = await frameOf();
  await frame.getByTestId("lcc-banner").waitFor({ state: "visible" });
  await quiet(page);
  assert.deepEqual(await frame.evaluate(() => window.lccDemoRuns.slice()), []);
  assert.deepEqual(errors.filter((e) => !e.includes("Failed to set the 'cookie' property")), [], "only the stand-ins' own errors");
  await context.close();
});
