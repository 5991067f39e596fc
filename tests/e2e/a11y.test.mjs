// Accessibility, themes and layouts, as a visitor meets them: axe-core finds no
// WCAG 2.2 A/AA violation (banner, modal, preference center, after saving; light
// and dark; English and Arabic), the keyboard reaches everything in visual
// order, a focused page element is never hidden behind the banner, targets and
// non-text contrast are large enough, 320 px works, reduced motion and forced
// colours are honoured, a hostile host stylesheet changes nothing, and showing
// the banner shifts nothing. Screenshots of every layout and scheme are saved to
// target/screenshots/ for a reviewer.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { frames, launch, openWith, quiet } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

export const SHOTS = new URL("../../target/screenshots/", import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });
const shot = (page, name) => page.screenshot({ path: SHOTS + name + ".png" });

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];
/** Runs axe-core over the whole page; fails with every violation named. */
async function axe(page, what) {
  const r = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const found = r.violations.map((v) => `${what}: ${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(found, [], found.join("\n"));
  assert.ok(r.passes.length > 10, `${what}: axe ran ${r.passes.length} rules`);
}

const ui = (page, id) => page.locator(`#lcc-root [data-testid=${id}]`);
const look = (appearance) => (cfg) => { cfg.appearance = appearance; };
const open = (opts) => openWith(env, opts);
const LAYOUTS = [
  ["bar-bottom", { layout: "bar" }],
  ["bar-top", { layout: "bar", position: "top" }],
  ["box", { layout: "box" }],
  ["box-top-left", { layout: "box", position: "top-left" }],
  ["cloud", { layout: "cloud" }],
];

test("axe-core: no WCAG 2.2 A/AA violation on the banner, the modal, after saving and on the preference center, light and dark, English and Arabic", async () => {
  for (const scheme of ["light", "dark"]) {
    for (const [lang, locale] of [["en", "en-US"], ["ar", "ar-EG"]]) {
      const name = `${scheme}-${lang}`;
      const { context, page, errors } = await open({ lang, locale, patch: look({ scheme }) });
      await ui(page, "lcc-banner").waitFor();
      await axe(page, `${name} banner`);
      await shot(page, `banner-${name}`);
      await ui(page, "lcc-manage").click();
      await page.locator("#lcc-root dialog[open]").waitFor();
      await axe(page, `${name} modal`);
      await shot(page, `modal-${name}`);
      await ui(page, "lcc-save").click();
      await page.waitForFunction(() => document.querySelector("[data-testid=lcc-status]")?.textContent.trim());
      await axe(page, `${name} after saving`);
      await page.goto(new URL("/preferences.html", page.url()).href);
      await page.getByTestId("lcc-pc-facts").waitFor();
      await axe(page, `${name} preference center`);
      await shot(page, `center-${name}`);
      assert.deepEqual(errors, []);
      await context.close();
    }
  }
});

test("the dark scheme is dark, and auto follows the visitor's system", async () => {
  const bg = (page) => ui(page, "lcc-banner").evaluate((el) => getComputedStyle(el).backgroundColor);
  let v = await open({ patch: look({ scheme: "dark" }) });
  assert.equal(await bg(v.page), "rgb(27, 30, 36)");
  await v.context.close();
  for (const [colorScheme, expect] of [["dark", "rgb(27, 30, 36)"], ["light", "rgb(255, 255, 255)"]]) {
    v = await open({ patch: look({ scheme: "auto" }), contextOptions: { colorScheme } });
    assert.equal(await bg(v.page), expect, colorScheme);
    await ui(v.page, "lcc-manage").click();
    const modal = await v.page.locator("#lcc-root dialog[open]").evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(modal, expect, `${colorScheme} modal`);
    if (colorScheme === "dark") await shot(v.page, "modal-auto-dark-system");
    await v.context.close();
  }
});

/** The focused element: its test id or text, whether it is ours, its box, its focus ring. */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return {
      id: el.getAttribute("data-testid") || el.getAttribute("role") || el.textContent.trim().slice(0, 30),
      key: [...document.querySelectorAll("*")].indexOf(el),
      ours: !!el.closest(".lcc-root"),
      inBanner: !!el.closest(".lcc-banner"),
      inDialog: !!el.closest("dialog[open]"),
      x: r.left,
      box: { top: r.top, bottom: r.bottom, left: r.left, right: r.right },
      ring: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
    };
  });

test("a page's own theme (--lcc-* on :root, and on .lcc-root .lcc-dark) wins on a first visit and when a returning visitor opens the settings, though the stylesheet then comes after the page's", async () => {
  const THEME = "<style>:root { --lcc-btn-bg: rgb(120, 20, 60); } .lcc-root .lcc-dark { --lcc-btn-bg: rgb(200, 100, 0); }</style>";
  for (const [scheme, expect] of [["light", "rgb(120, 20, 60)"], ["dark", "rgb(200, 100, 0)"]]) {
    const { context, page, errors } = await open({ patch: look({ scheme }), html: (h) => h.replace("</head>", THEME + "</head>") });
    const bg = (el) => getComputedStyle(el).backgroundColor;
    assert.equal(await ui(page, "lcc-accept-all").evaluate(bg), expect, `${scheme}: first visit`);
    await ui(page, "lcc-accept-all").click();
    await page.waitForFunction(() => window.CookieConsent.validConsent());
    await page.reload();
    await page.waitForFunction(() => window.__lccBoot === "returning");
    // The settings load the UI and its stylesheet now, appended after the page's own <style>.
    await page.getByTestId("footer-cookie-settings").click();
    await page.locator("#lcc-root dialog[open]").waitFor();
    const order = await page.evaluate(() => [...document.head.querySelectorAll("style, link[rel=stylesheet]")].map((e) => e.tagName));
    assert.equal(order.at(-1), "LINK", `${scheme}: the stylesheet is the last one`);
    assert.equal(await ui(page, "lcc-save").evaluate(bg), expect, `${scheme}: returning visitor's settings`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("keyboard only: the banner's buttons in visual order with a focus ring; the modal takes focus, keeps it, switches toggle with Space, Escape returns focus", async () => {
  for (const [lang, locale] of [["en", "en-US"], ["ar", "ar-EG"]]) {
    const { context, page } = await open({ lang, locale });
    await ui(page, "lcc-banner").waitFor();
    // Tab from the top of the page until the banner: every control on the way is the page's.
    const order = [];
    for (let i = 0; i < 60 && order.length < 4; i++) {
      await page.keyboard.press("Tab");
      const f = await focused(page);
      if (f?.inBanner) order.push(f);
    }
    const policy = lang === "en" ? "Privacy policy" : "سياسة الخصوصية";
    assert.deepEqual(order.map((f) => f.id), [policy, "lcc-accept-all", "lcc-reject-all", "lcc-manage"], lang);
    for (const f of order) assert.ok(f.ring, `${lang}: ${f.id} shows a focus ring`);
    // Visual order follows the reading direction (the buttons may wrap onto two lines).
    const [, a, r] = order;
    if (a.box.top === r.box.top) assert.ok(lang === "ar" ? a.x > r.x : a.x < r.x, `${lang}: Accept before Reject in reading order`);

    // Manage, by keyboard.
    await page.keyboard.press("Enter");
    const dialog = page.locator("#lcc-root dialog[open]");
    await dialog.waitFor();
    assert.equal((await focused(page)).inDialog, true, "focus moved into the modal");
    // Every control in the modal: reachable, ringed, and Tab never leaves.
    const seen = new Set();
    for (let i = 0; i < 40; i++) {
      const f = await focused(page);
      assert.ok(f.inDialog, `${lang}: focus stays in the modal (${f.id})`);
      assert.ok(f.ring, `${lang}: ${f.id} shows a focus ring`);
      seen.add(f.id);
      await page.keyboard.press("Tab");
    }
    assert.ok(["switch", "lcc-save", "lcc-close", "lcc-prefs-accept-all"].every((id) => seen.has(id)), [...seen].join());
    // A switch: role, name from its visible label, toggled by Space.
    // Category titles are the site's words (the demo gives them in English only).
    const sw = page.getByRole("switch", { name: "Performance" });
    await sw.focus();
    assert.equal(await sw.isChecked(), false);
    await page.keyboard.press("Space");
    assert.equal(await sw.isChecked(), true);
    assert.equal(await sw.evaluate((el) => el.labels.length > 0 && el.labels[0].offsetWidth > 0), true, "a visible label");
    // Escape closes without saving and gives focus back to Manage.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" }).catch(() => {});
    await page.waitForFunction(() => !document.querySelector("#lcc-root dialog[open]"));
    assert.equal((await focused(page)).id, "lcc-manage");
    assert.equal(await page.evaluate(() => localStorage.getItem("lcc_consent")), null, "Escape saved nothing");
    await context.close();
  }
});

/** Whether two boxes overlap by more than a pixel. */
const overlap = (a, b) => Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1 && Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1;

test("WCAG 2.4.11: with a bottom bar, box or cloud showing, no page element the keyboard reaches is behind it, down to the footer's last link", async () => {
  for (const [name, appearance] of LAYOUTS.filter(([, a]) => !(a.position || "").startsWith("top"))) {
    const { context, page } = await open({ patch: look(appearance), contextOptions: { viewport: { width: 1280, height: 720 } } });
    const banner = ui(page, "lcc-banner");
    await banner.waitFor();
    const reached = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press("Tab");
      const f = await focused(page);
      if (!f || f.ours) continue;
      if (reached.some((r) => r.key === f.key)) break; // wrapped around
      reached.push(f);
      // Focus scrolling has settled once the element is where it stays.
      await frames(page, 2);
      const now = await focused(page);
      const b = await banner.boundingBox();
      const bb = { top: b.y, bottom: b.y + b.height, left: b.x, right: b.x + b.width };
      assert.ok(!overlap(now.box, bb), `${name}: ${now.id} at ${JSON.stringify(now.box)} is behind the banner ${JSON.stringify(bb)}`);
    }
    const ids = reached.map((f) => f.id);
    assert.ok(ids.includes("footer-preference-center"), `${name}: reached ${ids.join(" | ")}`);
    // Answering gives the page back its own scroll padding and removes the spacer.
    const padded = await page.evaluate(() => [document.documentElement.style.scrollPaddingBottom, !!document.getElementById("lcc-space")]);
    assert.ok(parseFloat(padded[0]) > 40 && padded[1], `${name}: ${padded}`);
    await ui(page, "lcc-reject-all").click();
    await page.waitForFunction(() => !document.documentElement.style.scrollPaddingBottom && !document.getElementById("lcc-space"));
    await context.close();
  }
});

/** WCAG relative luminance contrast of two `rgb(…)` strings. */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
      v = Number(v) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

test("targets are at least 24×24 px; switches and the focus ring contrast at least 3:1, in light and dark", async () => {
  for (const scheme of ["light", "dark"]) {
    const { context, page } = await open({ patch: look({ scheme }) });
    await ui(page, "lcc-banner").waitFor();
    await ui(page, "lcc-manage").click();
    const dialog = page.locator("#lcc-root dialog[open]");
    await dialog.waitFor();
    for (const d of await dialog.locator("details").all()) await d.evaluate((el) => (el.open = true));
    const small = await page.evaluate(() =>
      [...document.querySelectorAll(".lcc-root :is(button, input, summary, a)")]
        .filter((el) => el.offsetWidth > 0 && !el.closest("p")) // a link inside a sentence is exempt (2.5.8)
        .map((el) => [el.getAttribute("data-testid") || el.textContent.trim(), el.getBoundingClientRect()])
        .filter(([, r]) => r.width < 24 || r.height < 24)
        .map(([n, r]) => `${n} ${r.width}×${r.height}`),
    );
    assert.deepEqual(small, [], scheme);
    const colours = await dialog.evaluate((d) => {
      const bg = getComputedStyle(d).backgroundColor;
      const sw = [...d.querySelectorAll("input[role=switch]:not(:disabled)")];
      const off = getComputedStyle(sw[0]).backgroundColor;
      sw[0].checked = true;
      const on = getComputedStyle(sw[0]).backgroundColor;
      sw[0].checked = false;
      return { bg, off, on, ring: getComputedStyle(d).getPropertyValue("--lcc-focus").trim() };
    });
    const ring = await page.evaluate((c) => {
      const el = document.createElement("i");
      el.style.color = c;
      document.body.append(el);
      const v = getComputedStyle(el).color;
      el.remove();
      return v;
    }, colours.ring);
    for (const [what, c] of [["switch off", colours.off], ["switch on", colours.on], ["focus ring", ring]]) {
      const ratio = contrast(c, colours.bg);
      assert.ok(ratio >= 3, `${scheme}: ${what} ${c} on ${colours.bg}: ${ratio.toFixed(2)}:1`);
    }
    await context.close();
  }
});

test("320 px wide: both first-layer choices reachable without horizontal scrolling; the banner covers at most half the screen or scrolls inside", async () => {
  for (const [name, appearance] of LAYOUTS) {
    for (const [lang, locale] of [["en", "en-US"], ["de", "de-DE"], ["ar", "ar-EG"]]) {
      const { context, page } = await open({ lang, locale, patch: look(appearance), contextOptions: { viewport: { width: 320, height: 568 } } });
      const banner = ui(page, "lcc-banner");
      await banner.waitFor();
      const m = await banner.evaluate((el) => ({
        h: el.getBoundingClientRect().height,
        scrolls: el.scrollHeight > el.clientHeight && getComputedStyle(el).overflowY === "auto",
        // Nothing inside is cut off sideways.
        inside: el.scrollWidth <= el.clientWidth,
        pageWidth: document.documentElement.scrollWidth,
      }));
      assert.ok(m.pageWidth <= 320, `${name} ${lang}: the page is ${m.pageWidth} px wide`);
      assert.ok(m.inside, `${name} ${lang}: the banner's content is wider than the banner`);
      assert.ok(m.h <= 284 || m.scrolls, `${name} ${lang}: banner ${m.h} px tall and not scrolling`);
      for (const id of ["lcc-accept-all", "lcc-reject-all"]) {
        const b = ui(page, id);
        await b.scrollIntoViewIfNeeded();
        const box = await b.boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= 320 && box.y >= 0 && box.y + box.height <= 568, `${name} ${lang}: ${id} ${JSON.stringify(box)}`);
      }
      if (lang !== "de") await shot(page, `320-${name}-${lang}`);
      await context.close();
    }
  }
});

test("prefers-reduced-motion stops the switches' animation; forced colours keep every control and its state visible", async () => {
  const { context, page } = await open();
  await ui(page, "lcc-manage").click();
  const sw = page.locator("#lcc-root dialog[open] input[role=switch]:not(:disabled)").first();
  const duration = () => sw.evaluate((el) => getComputedStyle(el).transitionDuration);
  assert.equal(await duration(), "0.15s");
  await page.emulateMedia({ reducedMotion: "reduce" });
  assert.equal(await duration(), "0s");
  await context.close();

  const forced = await open({ contextOptions: { forcedColors: "active" } });
  await ui(forced.page, "lcc-banner").waitFor();
  assert.equal(await forced.page.evaluate(() => matchMedia("(forced-colors: active)").matches), true);
  await shot(forced.page, "forced-colors-banner");
  await ui(forced.page, "lcc-manage").click();
  const dialog = forced.page.locator("#lcc-root dialog[open]");
  await dialog.waitFor();
  const drawn = await dialog.evaluate((d) =>
    [...d.querySelectorAll("button, input")].map((el) => {
      const s = getComputedStyle(el);
      const after = getComputedStyle(el, "::after");
      return {
        what: el.getAttribute("data-testid") || el.id,
        switch: el.getAttribute("role") === "switch",
        checked: el.checked,
        border: parseFloat(s.borderTopWidth) >= 1 && s.borderTopStyle !== "none",
        track: s.backgroundColor,
        thumb: after.backgroundColor,
      };
    }),
  );
  for (const c of drawn) assert.ok(c.border, `${c.what} has a visible border in forced colours`);
  const switches = drawn.filter((c) => c.switch);
  const on = switches.find((c) => c.checked);
  const off = switches.find((c) => !c.checked);
  assert.ok(on && off, "one switch of each state");
  assert.notEqual(on.track, off.track, "on and off differ in forced colours");
  assert.notEqual(off.thumb, off.track, "the thumb shows on its track");
  await shot(forced.page, "forced-colors-modal");
  await forced.context.close();
});

const HOSTILE_CSS = `<style>
  html { font-size: 10px; }
  * { box-sizing: content-box; }
  button { all: unset; }
  section, div { display: grid; padding: 30px; }
  p, h2, h3 { margin: 40px; color: #f0f; font: italic 30px/3 serif; text-transform: uppercase; letter-spacing: 4px; }
  input { width: 200px; height: 5px; }
  dialog { inset: 0 auto auto 0; }
  .lcc-hostile-top { position: fixed; left: 0; right: 0; bottom: 0; height: 260px; z-index: 2147483647; background: rgba(255,0,255,.8); }
</style>`;

test("a hostile host stylesheet (resets, content-box, html 10px, a max z-index overlay) changes nothing in the banner or the modal", async () => {
  const measure = async (page) => {
    await ui(page, "lcc-banner").waitFor();
    const banner = await ui(page, "lcc-banner").evaluate((el) => {
      const box = (e) => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };
      const t = el.querySelector("h2");
      return {
        banner: box(el),
        buttons: [...el.querySelectorAll("button")].map(box),
        title: [getComputedStyle(t).fontSize, getComputedStyle(t).textTransform, getComputedStyle(t).color],
        // What the visitor's pointer hits at each button's centre: the button itself.
        onTop: [...el.querySelectorAll("button")].every((b) => {
          const r = b.getBoundingClientRect();
          return b.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
        }),
      };
    });
    await ui(page, "lcc-manage").click();
    const dialog = page.locator("#lcc-root dialog[open]");
    await dialog.waitFor();
    const modal = await dialog.evaluate((d) => {
      const r = d.getBoundingClientRect();
      const sw = d.querySelector("input[role=switch]").getBoundingClientRect();
      return { modal: [Math.round(r.left), Math.round(r.width)], switch: [sw.width, sw.height] };
    });
    return { ...banner, ...modal };
  };
  const plain = await open();
  const expected = await measure(plain.page);
  await plain.context.close();
  const hostile = await open({
    html: (h) => h.replace("</head>", HOSTILE_CSS + "</head>").replace(/<body([^>]*)>/, '<body$1><div class="lcc-hostile-top"></div>'),
  });
  await ui(hostile.page, "lcc-banner").waitFor();
  await shot(hostile.page, "hostile-host-css");
  const got = await measure(hostile.page);
  assert.deepEqual(got, expected);
  assert.equal(got.onTop, true);
  await hostile.context.close();
});

test("in every layout and scheme: showing the banner shifts nothing (CLS 0), Accept and Reject have equal weight, the banner is no modal, the page still scrolls; screenshots of each", async () => {
  for (const [name, appearance] of LAYOUTS) {
    for (const scheme of ["light", "dark"]) {
      const { context, page } = await open({ patch: look({ ...appearance, scheme }), contextOptions: { viewport: { width: 1280, height: 720 } } });
      await page.evaluate(() => {
        window.__cls = 0;
        new PerformanceObserver((l) => l.getEntries().forEach((e) => (window.__cls += e.value))).observe({ type: "layout-shift", buffered: true });
      });
      await ui(page, "lcc-banner").waitFor();
      await quiet(page);
      assert.equal(await page.evaluate(() => window.__cls), 0, `${name} ${scheme}: CLS`);
      // Equal weight in every layout: Accept all and Reject all the same size, colours and font.
      const [accept, reject] = await Promise.all(["lcc-accept-all", "lcc-reject-all"].map((id) => ui(page, id).evaluate((el) => {
        const s = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return [Math.round(r.width), Math.round(r.height), s.color, s.backgroundColor, s.fontSize, s.fontWeight, s.borderTopWidth];
      })));
      assert.deepEqual(accept, reject, `${name} ${scheme}: equal weight`);
      // Not a modal: the page behind stays usable, and nothing claims otherwise.
      assert.equal(await ui(page, "lcc-banner").evaluate((el) => el.closest("[aria-modal]") === null && el.getAttribute("role")), "region");
      await shot(page, `layout-${name}-${scheme}`);
      await page.mouse.move(640, 200);
      await page.mouse.wheel(0, 600);
      await page.waitForFunction(() => scrollY > 0);
      await context.close();
    }
  }
});

test("the early banner (drawn while the UI loads) wears the same layout and scheme, and already keeps focus clear of itself", async () => {
  for (const [name, appearance] of [LAYOUTS[2], LAYOUTS[4]]) {
    let release;
    const held = new Promise((r) => (release = r));
    const { context, page } = await open({
      patch: look({ ...appearance, scheme: "dark" }),
      routes: [["**/leptos-consent_bg.wasm", async (route) => { await held; await route.continue(); }]],
      contextOptions: { viewport: { width: 1280, height: 720 } },
      wait: false,
    });
    const early = page.locator("#lcc-boot [data-testid=lcc-banner]");
    await early.waitFor();
    const measure = (l) => l.evaluate((el) => ({
      class: el.className,
      box: JSON.stringify(el.getBoundingClientRect()),
      bg: getComputedStyle(el).backgroundColor,
      padding: document.documentElement.style.scrollPaddingBottom,
      spacer: document.getElementById("lcc-space")?.style.height,
    }));
    const before = await measure(early);
    assert.match(before.class, new RegExp(`lcc-banner--${appearance.layout} .*lcc-dark`), name);
    assert.ok(parseFloat(before.padding) > 40 && before.spacer === before.padding, `${name}: ${JSON.stringify(before)}`);
    release();
    const later = ui(page, "lcc-banner");
    await page.locator("#lcc-root [data-testid=lcc-preferences]").waitFor({ state: "attached" });
    await later.waitFor();
    assert.equal(await page.locator("#lcc-boot").count(), 0);
    assert.deepEqual(await measure(later), before, `${name}: the UI's banner is where the early one was`);
    await context.close();
  }
});

test("WCAG 1.4.12: with the visitor's own text spacing (line 1.5, letters 0.12em, words 0.16em, paragraphs 2em) nothing is cut off", async () => {
  const SPACING = "<style>* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }</style>";
  for (const [lang, locale] of [["en", "en-US"], ["de", "de-DE"]]) {
    for (const [name, appearance] of [LAYOUTS[0], LAYOUTS[2]]) {
      const { context, page } = await open({ lang, locale, patch: look(appearance), html: (h) => h.replace("</head>", SPACING + "</head>") });
      await ui(page, "lcc-banner").waitFor();
      await ui(page, "lcc-manage").click();
      await page.locator("#lcc-root dialog[open]").waitFor();
      const cut = await page.evaluate(() =>
        [...document.querySelectorAll(".lcc-root :is(button, summary, label, h2, p, .lcc-banner, .lcc-modal__body)")]
          .filter((el) => el.offsetWidth > 0 && el.scrollWidth > el.clientWidth + 1)
          .map((el) => `${el.className || el.tagName}: ${el.scrollWidth} > ${el.clientWidth}`),
      );
      assert.deepEqual(cut, [], `${lang} ${name}`);
      assert.equal(await ui(page, "lcc-banner").evaluate((el) => getComputedStyle(el).letterSpacing !== "normal"), true, "the spacing applies");
      await context.close();
    }
  }
});
