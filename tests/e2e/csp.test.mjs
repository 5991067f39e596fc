// A strict Content-Security-Policy, as the README documents it: the demo and
// the drop-in work under it with zero violations (listened for with
// `securitypolicyviolation`), and the scripts the gate activates carry the
// page's nonce. The test server's pages get the header and the nonce here.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { launch, ready, settleRuns } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const NONCE = "bGNjLXRlc3Qtbm9uY2U";
const POLICY =
  `script-src 'nonce-${NONCE}' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'self' 'nonce-${NONCE}'; ` +
  "object-src 'none'; base-uri 'none'";

/**
 * The page with the policy header and the nonce on each of its script and style elements
 * (with `bareTags`, not on the gated placeholders: the boot script gives them its own).
 */
async function visit(path, extraPolicy = "", bareTags = false) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  await page.route((url) => url.pathname === path, async (route) => {
    const res = await route.fetch();
    const body = (await res.text())
      .replace(/<script(?=[\s>])(?![^>]*text\/plain)/g, `<script nonce="${NONCE}"`)
      .replace(/<script(?=[^>]*text\/plain)/g, bareTags ? "<script" : `<script nonce="${NONCE}"`)
      .replace(/<style(?=[\s>])/g, `<style nonce="${NONCE}"`);
    await route.fulfill({ response: res, body, headers: { ...res.headers(), "content-security-policy": POLICY + extraPolicy } });
  });
  await page.goto(new URL(path, env.server.url).href);
  return { context, page, errors };
}

const violations = (page) => page.evaluate(() => window.__violations.slice());

test("the demo under a strict CSP: banner, decision, tags with the nonce, no violation", async () => {
  const { context, page, errors } = await visit("/");
  await ready(page);
  await page.getByTestId("lcc-banner").waitFor({ state: "visible" });
  await page.getByTestId("lcc-manage").click();
  await page.getByTestId("lcc-preferences").waitFor({ state: "visible" });
  await page.getByTestId("lcc-prefs-accept-all").click();
  const runs = await settleRuns(page, 5);
  assert.deepEqual([...runs].sort(), ["algolia", "ga", "ga-config", "mixpanel", "reading-list"]);
  const nonces = await page.evaluate(() =>
    [...document.querySelectorAll("script[data-lcc-state], script[data-lcc-service], script[src*='tags/']")]
      .filter((s) => s.type !== "text/plain")
      .map((s) => s.nonce));
  assert.ok(nonces.length >= 4 && nonces.every((n) => n === NONCE), JSON.stringify(nonces));

  // A returning visit: the boot script alone, still no violation.
  await page.reload();
  await ready(page);
  assert.equal(await page.evaluate(() => window.__lccBoot), "returning");
  assert.equal((await settleRuns(page, 5)).length, 5);
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a returning visit under a strict CSP, placeholders without the nonce: the tags run where they stand with the boot script's", async () => {
  const { context, page, errors } = await visit("/", "", true);
  await ready(page);
  await page.getByTestId("lcc-accept-all").click();
  await settleRuns(page, 5);
  for (const view of ["first returning view", "one with learned downloads"]) {
    await page.reload();
    await ready(page);
    assert.equal(await page.evaluate(() => window.__lccBoot), "returning");
    assert.deepEqual([...(await settleRuns(page, 5))].sort(), ["algolia", "ga", "ga-config", "mixpanel", "reading-list"], view);
    // The placeholders themselves ran (no type left), with the nonce the boot script gave them.
    const tags = await page.evaluate(() => [...document.querySelectorAll("script[data-category]")].filter((s) => !s.type).map((s) => s.nonce));
    assert.deepEqual(tags, [NONCE, NONCE, NONCE, NONCE], view);
  }
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the drop-in page under a strict CSP: no violation", async () => {
  const { context, page, errors } = await visit("/dropin.html");
  await ready(page);
  await page.getByTestId("lcc-banner").waitFor({ state: "visible" });
  await page.getByTestId("lcc-reject-all").click();
  await page.waitForFunction(() => window.CookieConsent.validConsent());
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  // The canary: the policy is in force and a violation would be seen.
  await page.evaluate(() => document.body.setAttribute("style", "color: red"));
  await page.waitForFunction(() => window.__violations.length > 0);
  assert.match((await violations(page)).join(), /^style-src/);
  await context.close();
});

test("the README's policy is this one, with the Consent Mode snippet's hash", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Content-Security-Policy"));
  assert.ok(section.includes("script-src 'nonce-…' 'strict-dynamic' 'wasm-unsafe-eval'"), "policy documented");
  const gcm = readme.slice(readme.indexOf("## Google Consent Mode v2"));
  const snippet = /<script>(.*?)<\/script>/.exec(gcm)[1];
  const hash = createHash("sha256").update(snippet).digest("base64");
  assert.ok(section.includes(`'sha256-${hash}'`), "the Consent Mode snippet's hash is in the documented policy");
});
