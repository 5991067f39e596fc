// Languages: the visitor's language is picked as documented (config, <html lang>,
// browser), the early banner and the UI speak it, Arabic is laid out right to
// left, setLanguage switches live, a site's own words win and a missing word
// falls back to the default language, never to a key.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, openWith, ready, unchecked, withoutDecider } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const open = (opts) => openWith(env, opts);

const ui = (page, id) => page.locator(`#lcc-root [data-testid=${id}]`);
const text = (page, id) => ui(page, id).textContent();

/** The demo without <html lang> and without its stamp, whose config the UI checks on a first visit. */
async function withoutLang(page) {
  await withoutDecider(page);
  await page.route(/\/(index\.html)?$/, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: unchecked(await res.text()).replace(/<html lang=en>/, "<html>") });
  });
}

test("the browser's language when the page has no <html lang>: German from the first paint, lang and dir set", async () => {
  let release;
  const held = new Promise((r) => (release = r));
  const slowWasm = ["**/leptos-consent_bg.wasm", async (route) => { await held; await route.continue(); }];
  const context = await env.browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await withoutLang(page);
  await page.route(...slowWasm);
  await page.goto(env.server.url + "/");
  // The early banner, while the UI loads: already German.
  const early = page.locator("#lcc-boot [data-testid=lcc-banner]");
  await early.waitFor({ state: "visible" });
  assert.equal(await early.getAttribute("lang"), "de");
  assert.equal(await page.locator("#lcc-boot [data-testid=lcc-accept-all]").textContent(), "Alle akzeptieren");
  release();
  await ready(page);
  await ui(page, "lcc-banner").waitFor({ state: "visible" });
  assert.equal(await text(page, "lcc-accept-all"), "Alle akzeptieren");
  assert.equal(await text(page, "lcc-reject-all"), "Alle ablehnen");
  assert.equal(await ui(page, "lcc-banner").getAttribute("lang"), "de");
  assert.equal(await ui(page, "lcc-banner").getAttribute("dir"), "ltr");
  await context.close();
});

test("<html lang=\"ar\">: Arabic, right to left, in the banner and the preferences", async () => {
  const { page, context, errors } = await open({ lang: "ar" });
  const banner = ui(page, "lcc-banner");
  await banner.waitFor({ state: "visible" });
  assert.equal(await text(page, "lcc-accept-all"), "قبول الكل");
  assert.equal(await banner.getAttribute("dir"), "rtl");
  assert.equal(await banner.evaluate((el) => getComputedStyle(el).direction), "rtl");
  // Right to left: the first button (Accept all) is the rightmost.
  const x = async (id) => (await ui(page, id).boundingBox()).x;
  assert.ok((await x("lcc-accept-all")) > (await x("lcc-reject-all")), "buttons run right to left");
  await ui(page, "lcc-manage").click();
  const dialog = page.locator("#lcc-root dialog.lcc-modal");
  await dialog.waitFor({ state: "visible" });
  assert.equal(await dialog.getAttribute("lang"), "ar");
  assert.equal(await dialog.getAttribute("dir"), "rtl");
  assert.match(await dialog.textContent(), /حفظ التفضيلات/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("setLanguage switches the open interface live and says whether it could", async () => {
  const { page, context, errors } = await open();
  await ui(page, "lcc-banner").waitFor({ state: "visible" });
  assert.equal(await text(page, "lcc-accept-all"), "Accept all");
  assert.equal(await page.evaluate(() => window.CookieConsent.setLanguage("fr")), true);
  assert.equal(await text(page, "lcc-accept-all"), "Tout accepter");
  assert.equal(await ui(page, "lcc-banner").getAttribute("lang"), "fr");
  // With the preferences open: they stay open, in the new words.
  await ui(page, "lcc-manage").click();
  await page.locator("#lcc-root dialog.lcc-modal").waitFor({ state: "visible" });
  assert.equal(await page.evaluate(() => window.CookieConsent.setLanguage("ja-JP")), true);
  const dialog = page.locator("#lcc-root dialog.lcc-modal");
  await dialog.waitFor({ state: "visible" });
  assert.match(await dialog.textContent(), /設定を保存/);
  assert.equal(await page.evaluate(() => window.CookieConsent.setLanguage("xx")), false, "no words for xx");
  assert.match(await dialog.textContent(), /設定を保存/, "the language stays");
  await page.keyboard.press("Escape");
  assert.equal(await page.evaluate(() => window.CookieConsent.setLanguage("en")), true);
  assert.equal(await text(page, "lcc-accept-all"), "Accept all");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a site's own words per language win; a word a language lacks comes from the default language, never a key", async () => {
  const patch = (cfg) => {
    cfg.translations = {
      de: { texts: { accept_all: "Ja, alle" }, categories: { marketing: { title: "Werbung" } } },
      sv: { texts: { accept_all: "Godkänn alla" } },
    };
  };
  const de = await open({ lang: "de", patch });
  await ui(de.page, "lcc-banner").waitFor({ state: "visible" });
  assert.equal(await text(de.page, "lcc-accept-all"), "Ja, alle", "the site's word");
  assert.equal(await text(de.page, "lcc-reject-all"), "Alle ablehnen", "the built-in word");
  await ui(de.page, "lcc-manage").click();
  assert.match(await de.page.locator("#lcc-root dialog.lcc-modal").textContent(), /Werbung/);
  await de.context.close();

  const sv = await open({ lang: "sv", patch });
  await ui(sv.page, "lcc-banner").waitFor({ state: "visible" });
  assert.equal(await ui(sv.page, "lcc-banner").getAttribute("lang"), "sv");
  assert.equal(await text(sv.page, "lcc-accept-all"), "Godkänn alla");
  assert.equal(await text(sv.page, "lcc-reject-all"), "Reject all", "the default language's word");
  const all = await sv.page.locator("#lcc-root").textContent();
  assert.doesNotMatch(all, /\b(accept_all|reject_all|banner_title|preferences_title)\b/, "no raw keys");
  assert.deepEqual(sv.errors, []);
  await sv.context.close();
});

test("a language whose words cannot be loaded: the default language, and the site owner is told", async () => {
  const missing = [/\/i18n\/de\.json$/, (route) => route.fulfill({ status: 404, body: "not found" })];
  const { page, context, errors } = await open({ lang: "de", routes: [missing] });
  await ui(page, "lcc-banner").waitFor({ state: "visible" });
  assert.equal(await text(page, "lcc-accept-all"), "Accept all");
  assert.ok((await page.evaluate(() => window.__lccErrors)).some((m) => m.includes('words for "de"')));
  assert.deepEqual(errors, []);
  await context.close();
});

test("the config's language wins over the page and the browser", async () => {
  const { page, context } = await open({ lang: "de", locale: "es-ES", patch: (cfg) => (cfg.language = "it") });
  await ui(page, "lcc-banner").waitFor({ state: "visible" });
  assert.equal(await text(page, "lcc-accept-all"), "Accetta tutti");
  await context.close();
});

test("a press on the early banner while the UI fetches the visitor's words counts: the UI carries it out once drawn", async () => {
  let release;
  const held = new Promise((r) => (release = r));
  const words = [];
  const context = await env.browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await withoutLang(page);
  // The early banner's copy of the German words comes at once; the UI's (asked for once it is running) waits.
  await page.route("**/i18n/de.json", async (route) => {
    words.push(route.request().url());
    if (words.length > 1) await held;
    await route.continue();
  });
  // The UI arrives after the early banner is up, as on a slow connection.
  let wasmIn;
  const wasmHeld = new Promise((r) => (wasmIn = r));
  await page.route("**/leptos-consent_bg.wasm", async (route) => { await wasmHeld; await route.continue(); });
  await page.goto(env.server.url + "/");
  const early = page.locator("#lcc-boot [data-testid=lcc-accept-all]");
  await early.waitFor({ state: "visible" });
  wasmIn();
  await expectPoll(() => words.length === 2);
  await early.click();
  release();
  await page.waitForFunction(() => window.CookieConsent.validConsent(), null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.CookieConsent.acceptedCategory("marketing")), true);
  assert.equal(await ui(page, "lcc-banner").isVisible(), false);
  await context.close();
});

async function expectPoll(ok, ms = 10000) {
  for (const end = Date.now() + ms; !ok(); ) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

// WCAG 3.1.2 (language of parts): a text shown in another language than the interface's (the
// site has no words for it in this one) carries its own lang, and dir where it differs, so
// that a screen reader reads it in its own voice and its punctuation lands at its own end.
const langOf = (locator) => locator.evaluate((el) => [el.closest("[lang]").getAttribute("lang"), getComputedStyle(el).direction]);

test("<html lang=\"ar\">, a config without Arabic titles: each English passage says it is English, left to right, in the preferences and the preference center", async () => {
  const { page, context, errors } = await open({ lang: "ar" });
  await ui(page, "lcc-manage").click();
  const dialog = page.locator("#lcc-root dialog.lcc-modal");
  await dialog.waitFor({ state: "visible" });
  const perf = dialog.locator("[data-category=performance]");
  assert.deepEqual(await langOf(perf.locator(".lcc-category__title")), ["en", "ltr"]);
  assert.deepEqual(await langOf(perf.locator(".lcc-category__text")), ["en", "ltr"]);
  const ga = perf.locator("[data-service=google-analytics]");
  assert.deepEqual(await langOf(ga.locator(".lcc-service__title")), ["en", "ltr"]);
  assert.deepEqual(await langOf(ga.locator(".lcc-service__text p").first()), ["en", "ltr"]);
  // The interface's own words stay Arabic, right to left.
  assert.deepEqual(await langOf(dialog.locator("[data-testid=lcc-save]")), ["ar", "rtl"]);
  assert.deepEqual(errors, []);
  await context.close();

  const pc = await open({ lang: "ar", path: "/preferences.html" });
  const center = pc.page.getByTestId("lcc-preference-center");
  await center.waitFor({ state: "visible" });
  assert.deepEqual(await langOf(center.locator("[data-category=performance] .lcc-category__title")), ["en", "ltr"]);
  assert.deepEqual(pc.errors, []);
  await pc.context.close();
});

test("a site translation with some words only: the words it lacks say their own language, in the early banner and the UI's", async () => {
  const patch = (cfg) => (cfg.translations = { sv: { texts: { accept_all: "Godkänn alla" } } });
  for (const early of [true, false]) {
    const { page, context, errors } = await open({ lang: "sv", patch, checked: early, wait: !early });
    const banner = page.locator(`${early ? "#lcc-boot" : "#lcc-root"} [data-testid=lcc-banner]`);
    await banner.waitFor({ state: "visible" });
    assert.equal(await banner.getAttribute("lang"), "sv");
    assert.deepEqual(await langOf(banner.getByTestId("lcc-accept-all")), ["sv", "ltr"], "the site's Swedish word");
    assert.deepEqual(await langOf(banner.getByTestId("lcc-reject-all")), ["en", "ltr"], "the English word");
    assert.deepEqual(await langOf(banner.locator(".lcc-banner__title")), ["en", "ltr"]);
    assert.deepEqual(await langOf(banner.locator(".lcc-banner__text span").first()), ["en", "ltr"]);
    if (!early) {
      // The preferences: the site's word in Swedish, the interface's others in English.
      await banner.getByTestId("lcc-manage").click();
      const dialog = page.locator("#lcc-root dialog.lcc-modal");
      await dialog.waitFor({ state: "visible" });
      assert.deepEqual(await langOf(dialog.locator(".lcc-modal__title")), ["en", "ltr"]);
      assert.deepEqual(await langOf(dialog.getByTestId("lcc-prefs-accept-all")), ["sv", "ltr"]);
      assert.deepEqual(await langOf(dialog.getByTestId("lcc-save")), ["en", "ltr"]);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});
