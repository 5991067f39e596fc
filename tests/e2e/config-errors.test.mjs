// A web developer's mistakes in the config or the page markup: one clear console
// error naming the field and what to do, a page that is not left blank, and
// nothing optional granted.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, quiet, tagRuns } from "./harness.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

/// Loads the demo with its HTML changed by `mutate`; collects console errors and warnings.
async function visit(mutate) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const console = [];
  const errors = [];
  page.on("console", (m) => (m.type() === "error" || m.type() === "warning") && console.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.route("**/", async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: mutate(await res.text()) });
  });
  await page.goto(env.server.url + "/");
  return { context, page, console, errors };
}

const CASES = [
  ["a wrong type", (h) => h.replace('"revision": 1', '"revision": "one"'), /consent config: revision: invalid type: string "one", expected u32/],
  ["an expiry over 13 months", (h) => h.replace('"expires_after_days": 182', '"expires_after_days": 400'), /consent config: expires_after_days: .*395/],
  [
    "an optional category on by default",
    (h) => h.replace('"id": "marketing",', '"id": "marketing", "enabled": true,'),
    /consent config: categories\[3\]\.enabled: an optional category cannot be on before the visitor chooses: remove "enabled"/,
  ],
  [
    "a policy URL that is not http(s) or relative",
    (h) => h.replace('"privacy_policy_url": "#privacy"', '"privacy_policy_url": "javascript:alert(1)"'),
    /consent config: privacy_policy_url: .*javascript/,
  ],
];

for (const [name, mutate, expected] of CASES) {
  test(`${name}: one clear error, a notice instead of a blank page, nothing granted`, async () => {
    const { context, page, console, errors } = await visit(mutate);
    await page.getByTestId("lcc-unavailable").waitFor({ state: "visible", timeout: 15000 });
    const named = console.filter((m) => expected.test(m));
    assert.equal(named.length, 1, `exactly one console error naming the field:\n${console.join("\n")}`);
    await quiet(page);
    assert.deepEqual(await tagRuns(page), []);
    assert.equal(await page.evaluate(() => window.CookieConsent.validConsent()), false);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("a gated script naming a category the config lacks: named in the console, the rest works", async () => {
  const { context, page, console } = await visit((h) =>
    h.replace("</body>", '<script type="text/plain" data-category="analytcs">window.typo = 1</script></body>'),
  );
  await page.getByTestId("lcc-banner").waitFor({ state: "visible", timeout: 15000 });
  await page.getByTestId("lcc-accept-all").click();
  await page.waitForFunction(() => (window.lccDemoRuns || []).length >= 5);
  assert.ok(console.some((m) => m.includes('"analytcs"')), console.join("\n"));
  assert.equal(await page.evaluate(() => window.typo), undefined);
  await context.close();
});
