// A page written for vanilla-cookieconsent v3 (its script markup, data-cc triggers,
// window.CookieConsent calls, cc:* events and run() callbacks) keeps working after
// the migration: the script tag swapped and the config translated, nothing else.
// The same visitor script runs against the original page with the real
// vanilla-cookieconsent 3.1.0 (from npm, served locally) and against the migrated
// page; what the site's own code sees must be the same, and right.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { launch, quiet } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const PAGES = new URL("./pages/migrate/", import.meta.url).pathname;

test("the migrated page differs from the original only in the consent manager's lines", () => {
  const strip = (f) =>
    readFileSync(PAGES + f, "utf8")
      .replace(/<title>.*<\/title>/, "")
      .replace(/<!-- consent manager -->[\s\S]*?<!-- \/consent manager -->/g, "");
  assert.equal(strip("migrated.html"), strip("original.html"));
});

/// What the site's code observes: scripts run, API answers, events and callbacks since the last look.
async function look(page) {
  return page.evaluate(() => {
    const cc = window.CookieConsent;
    const events = JSON.parse(JSON.stringify(window.events.splice(0)));
    const p = cc.getUserPreferences();
    return {
      runs: window.runs.slice(),
      valid: cc.validConsent(),
      analytics: cc.acceptedCategory("analytics"),
      ads: cc.acceptedCategory("ads"),
      ga: cc.acceptedService("ga", "analytics"),
      hotjar: cc.acceptedService("hotjar", "analytics"),
      gaInWrongCategory: cc.acceptedService("ga", "ads"),
      accepted: p.acceptedCategories,
      rejected: p.rejectedCategories,
      services: p.acceptedServices.analytics,
      acceptType: p.acceptType,
      events,
    };
  });
}

const settle = (page, f, arg) => page.waitForFunction(f, arg, { timeout: 15000 }).then(() => quiet(page));

async function visit(file) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const seen = [];
  const url = new URL(`/migrate/${file}`, env.server.url).href;

  // First visit: nothing runs, nothing is valid, the first layer shows.
  await page.goto(url);
  await settle(page, () => window.events && window.events.some((e) => e.event === "onModalShow"));
  seen.push(["first visit", await look(page)]);

  // The page's own "Only necessary" trigger.
  await page.getByTestId("cc-accept-necessary").click();
  await settle(page, () => window.CookieConsent.validConsent());
  seen.push(["accept-necessary trigger", await look(page)]);

  // The site's code grants one service through the API: its category follows.
  await page.evaluate(() => window.CookieConsent.acceptService("ga", "analytics"));
  await settle(page, () => window.runs.includes("ga"));
  seen.push(["acceptService(ga)", await look(page)]);

  // Then everything.
  await page.evaluate(() => window.CookieConsent.acceptCategory("all"));
  await settle(page, () => window.runs.includes("ads"));
  seen.push(["acceptCategory(all)", await look(page)]);

  // A returning visit: the decision stands, onConsent fires again, everything granted runs.
  await page.reload();
  await settle(page, () => window.runs.includes("ads") && window.events.some((e) => e.event === "onConsent"));
  seen.push(["reload", await look(page)]);

  // The preferences through the page's trigger, closed through the API.
  await page.getByTestId("open-prefs").click();
  await settle(page, () => window.events.some((e) => e.event === "onModalShow"));
  await page.evaluate(() => window.CookieConsent.hidePreferences());
  await settle(page, () => window.events.some((e) => e.event === "onModalHide"));
  seen.push(["preferences", await look(page)]);

  await context.close();
  return { seen, errors };
}

test("the site's code sees the same before and after the migration", async () => {
  const original = await visit("original.html");
  const migrated = await visit("migrated.html");
  assert.deepEqual(original.errors, []);
  assert.deepEqual(migrated.errors, []);
  // One deliberate difference (docs/migrating-from-vanilla-cookieconsent.md): a `data-category="!analytics"`
  // script runs whenever analytics is refused, not only at the moment of a withdrawal.
  const same = ([step, o]) => [step, { ...o, runs: o.runs.filter((r) => r !== "no-analytics") }];
  for (let i = 0; i < original.seen.length; i++) {
    assert.deepEqual(same(migrated.seen[i]), same(original.seen[i]), `step "${original.seen[i][0]}"`);
  }
  // And what both see is right (not merely equal).
  const [first, necessary, ga, all, reload, prefs] = migrated.seen.map((s) => s[1]);
  assert.deepEqual(first.runs, []);
  assert.equal(first.valid, false);
  assert.deepEqual(first.events, [{ event: "onModalShow", modalName: "consentModal" }]);
  assert.deepEqual(necessary.runs, ["no-analytics"]);
  assert.equal(necessary.valid, true);
  assert.equal(necessary.acceptType, "necessary");
  assert.deepEqual(ga.runs, ["no-analytics", "analytics", "ga"]);
  assert.equal(ga.hotjar, false);
  assert.equal(ga.gaInWrongCategory, false);
  assert.deepEqual(all.runs, ["no-analytics", "analytics", "ga", "hotjar", "ads"]);
  assert.equal(all.acceptType, "all");
  assert.deepEqual(reload.runs, ["analytics", "ga", "hotjar", "ads"]);
  assert.ok(reload.events.some((e) => e.callback === "onConsent"));
  assert.deepEqual(prefs.events.map((e) => [e.event, e.modalName]), [
    ["onModalShow", "preferencesModal"],
    ["onModalHide", "preferencesModal"],
  ]);
});
