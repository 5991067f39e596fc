// The first layer on a phone (Chromium mobile emulation: viewport, touch, device pixels):
// Accept all, Reject all and Manage preferences are all on screen without scrolling, the
// banner covers at most a third of the screen (two fifths on the smallest), and nothing is
// bought with a dark pattern or an accessibility loss. For the early banner (drawn by the
// boot script under a checked config) and the UI's banner (an unchecked config) alike, with
// the demo's text in English and in French (the longest built-in first layer).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { launch, openWith } from "./harness.mjs";

const SHOTS = new URL("../../target/screenshots/", import.meta.url).pathname;

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

// [width, height, the most of the screen's height the banner may cover]
const PHONES = [
  [320, 568, 0.4],
  [360, 640, 0.35],
  [375, 667, 0.35],
  [390, 844, 0.35],
];
const BUTTONS = ["lcc-accept-all", "lcc-reject-all", "lcc-manage"];

const phone = (width, height) => ({ viewport: { width, height }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

/** Opens the demo as a first visit on a phone; `early`: the boot script's banner, else the UI's. */
async function open(width, height, { lang = "en", early = true, patch, html } = {}) {
  const v = await openWith(env, { lang, locale: lang, contextOptions: phone(width, height), checked: early, wait: false, patch, html });
  const banner = v.page.locator(`${early ? "#lcc-boot" : "#lcc-root"} [data-testid=lcc-banner]`);
  await banner.waitFor({ state: "visible", timeout: 15000 });
  return { ...v, banner };
}

/** What a visitor sees of the banner, without scrolling anything. */
function measure(banner) {
  return banner.evaluate((b, ids) => {
    const r = b.getBoundingClientRect();
    const view = { w: innerWidth, h: innerHeight };
    const css = (el, p) => getComputedStyle(el).getPropertyValue(p);
    const buttons = ids.map((id) => {
      const el = b.querySelector(`[data-testid=${id}]`);
      const q = el.getBoundingClientRect();
      const hit = document.elementFromPoint(q.left + q.width / 2, q.top + q.height / 2);
      return {
        id,
        onScreen: q.top >= 0 && q.left >= 0 && q.bottom <= view.h + 0.5 && q.right <= view.w + 0.5 && q.top >= r.top - 0.5 && q.bottom <= r.bottom + 0.5,
        reachable: hit === el || el.contains(hit),
        w: q.width,
        h: q.height,
        top: Math.round(q.top),
        look: ["background-color", "color", "font-size", "font-weight", "font-family", "border-top-width", "border-radius"].map((p) => css(el, p)).join(" "),
      };
    });
    const texts = [...b.querySelectorAll(".lcc-banner__title, .lcc-banner__text, .lcc-btn")].map((el) => parseFloat(css(el, "font-size")));
    return {
      share: r.height / view.h,
      scrolled: scrollY !== 0 || b.scrollTop !== 0,
      sideways: b.scrollWidth > b.clientWidth + 1 || document.documentElement.scrollWidth > view.w + 1,
      smallestText: Math.min(...texts),
      buttons,
    };
  }, BUTTONS);
}

function assertFits(m, limit, what) {
  for (const b of m.buttons) {
    assert.ok(b.onScreen && b.reachable, `${what}: ${b.id} fully on screen and pressable (${JSON.stringify(b)})`);
    assert.ok(b.w >= 44 && b.h >= 44, `${what}: ${b.id} is ${b.w}x${b.h}, under 44x44`);
  }
  assert.ok(m.share <= limit + 0.005, `${what}: the banner covers ${(m.share * 100).toFixed(1)} % of the screen, over ${limit * 100} %`);
  assert.equal(m.scrolled, false, `${what}: nothing scrolled`);
  assert.equal(m.sideways, false, `${what}: no sideways scrolling`);
  assert.ok(m.smallestText >= 16, `${what}: text at ${m.smallestText}px, under 16px`);
  const [accept, reject] = m.buttons;
  // Equal weight: the same size, colours and font, side by side.
  assert.equal(accept.look, reject.look, `${what}: Accept all and Reject all look the same`);
  assert.ok(Math.abs(accept.w - reject.w) < 1 && Math.abs(accept.h - reject.h) < 1, `${what}: Accept all and Reject all have the same size`);
  assert.equal(accept.top, reject.top, `${what}: Accept all and Reject all share a row`);
}

for (const early of [true, false])
  for (const lang of ["en", "fr"])
    for (const [width, height, limit] of PHONES) {
      const what = `${early ? "early banner" : "UI banner"}, ${lang}, ${width}x${height}`;
      test(`on a phone (${what}): every first-layer choice is on screen, the banner covers at most ${limit * 100} %`, async () => {
        const { context, page, errors, banner } = await open(width, height, { lang, early });
        const m = await measure(banner);
        console.log(`# ${what}: banner ${(m.share * 100).toFixed(1)} % of the screen, buttons on screen ${m.buttons.filter((b) => b.onScreen).length} of 3`);
        assertFits(m, limit, what);
        // For a reviewer (docs/screenshots/ keeps a copy of the 360x640 ones).
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: `${SHOTS}phone-${width}x${height}-${early ? "early" : "ui"}-${lang}.png` });
        // The text that does not fit scrolls inside the banner, the buttons stay.
        const body = banner.locator(".lcc-banner__body");
        await body.evaluate((el) => el.scrollTo(0, el.scrollHeight));
        assertFits(await measure(banner), limit, what + ", text scrolled to its end");
        assert.deepEqual(errors, []);
        await context.close();
      });
    }

for (const layout of ["box", "cloud"])
  for (const early of [true, false])
    test(`on a phone (${early ? "early banner" : "UI banner"}, the ${layout} layout, dark, 360x640): every choice on screen`, async () => {
      // (In the dark scheme: a theme changes colours, never the room the choices have.)
      const { context, page, errors, banner } = await open(360, 640, { early, patch: (c) => (c.appearance = { layout, position: layout == "box" ? "bottom-right" : "bottom", scheme: "dark" }) });
      assertFits(await measure(banner), 0.35, layout);
      assert.deepEqual(errors, []);
      await context.close();
    });

for (const early of [true, false])
  test(`on a phone (${early ? "early banner" : "UI banner"}, right to left, Arabic, 360x640): every choice on screen, in reading order`, async () => {
    const { context, page, errors, banner } = await open(360, 640, { lang: "ar", early });
    const m = await measure(banner);
    assertFits(m, 0.35, "ar");
    assert.equal(await banner.getAttribute("dir"), "rtl");
    // Accept all comes first in reading order: right of Reject all.
    const x = await banner.evaluate((b) => ["lcc-accept-all", "lcc-reject-all"].map((id) => b.querySelector(`[data-testid=${id}]`).getBoundingClientRect().left));
    assert.ok(x[0] > x[1], "right to left");
    assert.deepEqual(errors, []);
    await context.close();
  });

// WCAG 1.4.4 (text resized to 200 %) and 1.4.10 (reflow at 320 CSS px): the buttons no longer
// fit beside the text, so the banner itself scrolls, and every button can be reached in it.
for (const early of [true, false])
  test(`on a phone at 200 % text size (${early ? "early banner" : "UI banner"}, 320x568): every button is reached by scrolling inside the banner`, async () => {
    const { context, page, errors, banner } = await open(320, 568, {
      early,
      html: (h) => h.replace("</head>", "<style>html { font-size: 200% }</style></head>"),
    });
    const m = await measure(banner);
    assert.ok(m.smallestText >= 32, `text at ${m.smallestText}px`);
    assert.equal(m.sideways, false, "no sideways scrolling");
    for (const id of BUTTONS) {
      const b = banner.getByTestId(id);
      await b.scrollIntoViewIfNeeded();
      const seen = await b.evaluate((el) => {
        const q = el.getBoundingClientRect();
        const hit = document.elementFromPoint(q.left + q.width / 2, q.top + q.height / 2);
        return q.top >= 0 && q.bottom <= innerHeight + 0.5 && (hit === el || el.contains(hit));
      });
      assert.ok(seen, `${id} reached`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
