// A strict Content-Security-Policy, as docs/csp.md documents it: the demo and
// the drop-in work under it with zero violations (listened for with
// `securitypolicyviolation`), and the scripts the gate activates carry the
// page's nonce. The test server's pages get the header and the nonce here.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { launch, quiet, ready, settleRuns } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const NONCE = "bGNjLXRlc3Qtbm9uY2U";
const POLICY =
  `script-src 'nonce-${NONCE}' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'self' 'nonce-${NONCE}'; ` +
  "object-src 'none'; base-uri 'none'";

/**
 * The page with the policy header and the nonce on each of its script and style elements
 * (with `bareTags`, not on the gated placeholders), `injected` at the start of its body
 * (after the nonces are added: an injection has none), under `policy` (default POLICY).
 */
async function visit(path, extraPolicy = "", bareTags = false, injected = "", policy = POLICY) {
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
      .replace(/<style(?=[\s>])/g, `<style nonce="${NONCE}"`)
      .replace(/<body([^>]*)>/, (m) => m + injected);
    await route.fulfill({ response: res, body, headers: { ...res.headers(), "content-security-policy": policy + extraPolicy } });
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

test("under a strict CSP, placeholders without the page's nonce never run: not through the boot script, not through the UI", async () => {
  // The demo's own tags without the nonce (as a page that forgot it), and an HTML injection
  // in the body: placeholders an attacker can write without any script, one necessary, one
  // that waits for a refusal, one from another origin (a local stand-in).
  const injected =
    '<script type="text/plain" data-category="necessary">window.__injected = (window.__injected || []).concat("necessary")</script>' +
    '<script type="text/plain" data-category="!marketing">window.__injected = (window.__injected || []).concat("!marketing")</script>' +
    '<script type="text/plain" data-category="necessary" src="http://other.example.test/x.js"></script>';
  for (const policy of ["", "nonce only"]) {
    const { context, page, errors } = await visit("/", "", true, injected, policy ? POLICY.replace(" 'strict-dynamic'", "") : undefined);
    const warnings = [];
    page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    const other = [];
    await context.route("http://other.example.test/**", (route) => {
      other.push(route.request().url());
      route.fulfill({ contentType: "text/javascript", body: "window.__injected = (window.__injected || []).concat('remote')" });
    });
    await ready(page);
    // A first visit: Manage loads the UI, which scans the page's placeholders itself.
    await page.getByTestId("lcc-manage").click();
    await page.getByTestId("lcc-preferences").waitFor({ state: "visible" });
    await page.getByTestId("lcc-prefs-reject-all").click();
    await quiet(page);
    assert.equal(await page.evaluate(() => window.__injected), undefined, `${policy || "strict-dynamic"}: first visit`);
    assert.ok(warnings.some((w) => w.includes("lacks the nonce of the page's scripts")), warnings.join("\n"));
    // A returning visit: the boot script alone, refusal stored (so "!marketing" would be due).
    warnings.length = 0;
    await page.reload();
    await ready(page);
    assert.equal(await page.evaluate(() => window.__lccBoot), "returning");
    await quiet(page);
    assert.equal(await page.evaluate(() => window.__injected), undefined, `${policy || "strict-dynamic"}: returning visit`);
    assert.deepEqual(await settleRuns(page, 0), [], "the demo's tags without the nonce do not run either");
    assert.ok(warnings.some((w) => w.includes("lacks the nonce of the page's scripts")), warnings.join("\n"));
    assert.deepEqual(other, []);
    assert.deepEqual(errors, []);
    await context.close();
  }
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

test("docs/csp.md gives the first-layer hint's hash, and the guides carry the hint as boot/hint.html has it", () => {
  const hint = readFileSync(new URL("../../boot/hint.html", import.meta.url), "utf8");
  const hash = createHash("sha256").update(/^<script>(.*)<\/script>$/s.exec(hint)[1]).digest("base64");
  assert.ok(readFileSync(new URL("../../docs/csp.md", import.meta.url), "utf8").includes(`'sha256-${hash}'`), "the hint's hash is in docs/csp.md");
  for (const doc of ["README.md", "docs/embedding.md", "docs/migrating-from-vanilla-cookieconsent.md", "index.html", "dropin.html"])
    assert.ok(readFileSync(new URL(`../../${doc}`, import.meta.url), "utf8").includes(hint), `${doc} carries the hint as is`);
});

test("docs/csp.md's policy is this one, with the hash of docs/consent-mode.md's snippet", () => {
  const csp = readFileSync(new URL("../../docs/csp.md", import.meta.url), "utf8");
  const section = csp.slice(csp.indexOf("## Content-Security-Policy"));
  assert.ok(section.includes("script-src 'nonce-…' 'strict-dynamic' 'wasm-unsafe-eval'"), "policy documented");
  const guide = readFileSync(new URL("../../docs/consent-mode.md", import.meta.url), "utf8");
  const gcm = guide.slice(guide.indexOf("## Google Consent Mode v2"));
  const snippet = /<script>(.*?)<\/script>/.exec(gcm)[1];
  const hash = createHash("sha256").update(snippet).digest("base64");
  assert.ok(section.includes(`'sha256-${hash}'`), "the Consent Mode snippet's hash is in the documented policy");
});
