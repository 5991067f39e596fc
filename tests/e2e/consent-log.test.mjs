// The consent log in a real browser: the demo with `log_url` pointing at a real lcc-server
// (another origin, so CORS is exercised), on SQLite and on Postgres. Each decision reaches
// the server from where it is made (the early banner's decision code, the modal, the
// preference center) with the server's signed receipt kept for the visitor; a decision the
// server cannot take (its database down) waits in the browser and goes on a later page view;
// a returning visitor whose decision stands posts nothing.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createPublicKey, verify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, openWith, quiet, settleRuns, stored, until } from "./harness.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const BIN = join(ROOT, "target/debug/lcc-server");
const PG = join(ROOT, "tests/support/pg.sh");

let env;
let dir;
const servers = [];
before(async () => {
  // The demo pages come through Playwright's route (openWith), which gives the document no
  // IP address: Chromium counts it as a public page, and a public page's fetch to a server
  // on loopback needs the visitor's Local Network Access permission, which headless denies.
  // A real site and its log server are both public (or both on the site's own host).
  env = await launch({ args: ["--disable-features=LocalNetworkAccessChecks"] });
  dir = mkdtempSync(join(tmpdir(), "lcc-log-e2e-"));
});
after(async () => {
  for (const s of servers) s.kill("SIGKILL");
  await env?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** lcc-server on `port` over `db`, allowing the demo's origin; resolves once healthy. */
async function logServer(db, port) {
  const child = spawn(BIN, ["serve"], {
    env: {
      ...process.env,
      LCC_DATABASE_URL: db,
      LCC_LISTEN: `127.0.0.1:${port}`,
      LCC_KEY_FILE: join(dir, `key-${port}`),
      LCC_ALLOWED_ORIGINS: env.server.url,
      LCC_ADMIN_TOKEN: "e2e-admin-token-of-at-least-32-characters",
    },
    stdio: "ignore",
  });
  servers.push(child);
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(url + "/healthz").catch(() => ({ status: 0 }))).status === 200, { what: "lcc-server up", timeout: 20000 });
  const key = await (await fetch(url + "/.well-known/leptos-consent/receipt-key")).json();
  return { url, key: createPublicKey(key.pem), child };
}

const history = async (log, id) => (await (await fetch(`${log.url}/v1/consents/${id}`)).json()).decisions;
const outbox = (page) => page.evaluate(() => JSON.parse(localStorage.getItem("lcc_consent_log") || "null"));

/** Whether a receipt (the server's JSON text or object) carries a valid signature of this server's key. */
function signedBy(receipt, key) {
  const r = typeof receipt === "string" ? JSON.parse(receipt) : receipt;
  return verify(null, Buffer.from(r.signed), key, Buffer.from(r.signature, "hex"));
}

test("the early banner's Accept all is logged with a receipt the site's key verifies; a returning visit posts nothing", async () => {
  const log = await logServer(`sqlite://${join(dir, "a.db")}`, 18891);
  const posts = [];
  const v = await openWith(env, { checked: true, patch: (cfg) => (cfg.log_url = log.url + "/v1/decisions") });
  const { page } = v;
  page.on("request", (r) => r.url().startsWith(log.url) && posts.push(r.url()));
  await page.getByTestId("lcc-accept-all").click();
  // The tags do not wait for the log.
  await settleRuns(page, 3);
  const record = JSON.parse(await stored(page));
  await until(async () => (await outbox(page))?.receipts.length === 1, { what: "the receipt kept" });
  const box = await outbox(page);
  assert.deepEqual(box.queue, []);
  assert.ok(signedBy(box.receipts[0], log.key), "the receipt verifies with the published key");
  const rows = await history(log, record.id);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].source, "banner");
  assert.equal(rows[0].path, "/");
  assert.equal(rows[0].categories.marketing, true);
  assert.equal(rows[0].origin, env.server.url);
  // Returning: the decision stands, nothing is posted and the decision code is not fetched.
  posts.length = 0;
  const scripts = [];
  page.on("request", (r) => /leptos-consent-decide\.js|_bg\.wasm/.test(r.url()) && scripts.push(r.url()));
  await page.reload();
  await settleRuns(page, 3);
  await quiet(page);
  assert.deepEqual(posts, [], "a returning visitor posts nothing");
  assert.deepEqual(scripts, [], "and loads no consent code for the log");
  assert.deepEqual(v.errors, []);
  await v.context.close();
});

test("the modal and the preference center log where each choice was made, and Download receipt includes the signed receipts", async () => {
  const log = await logServer(`sqlite://${join(dir, "b.db")}`, 18892);
  const v = await openWith(env, { patch: (cfg) => (cfg.log_url = log.url + "/v1/decisions") });
  const { page } = v;
  await page.getByTestId("lcc-manage").click();
  await page.getByTestId("lcc-save").click();
  await until(async () => (await outbox(page))?.receipts.length === 1, { what: "the modal's decision acknowledged" });
  await page.goto(env.server.url + "/preferences.html");
  await page.getByTestId("lcc-preference-center").waitFor();
  await page.getByTestId("lcc-pc-accept-all").click();
  await until(async () => (await outbox(page))?.receipts.length === 2, { what: "the center's decision acknowledged" });
  const record = JSON.parse(await stored(page));
  const rows = await history(log, record.id);
  assert.deepEqual(rows.map((r) => [r.seq, r.source, r.path]), [[1, "modal", "/"], [2, "center", "/preferences.html"]]);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("lcc-pc-receipt").click()]);
  const receipt = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(receipt.server_receipts.length, 2);
  for (const r of receipt.server_receipts) assert.ok(signedBy(r, log.key));
  assert.equal(JSON.parse(receipt.server_receipts[1].signed).source, "center");
  // The same check offline, as a regulator would run it: lcc-server verify with the published key.
  const file = join(dir, "receipt.json");
  const pem = join(dir, "key.pem");
  writeFileSync(file, JSON.stringify(receipt));
  writeFileSync(pem, (await (await fetch(log.url + "/.well-known/leptos-consent/receipt-key")).json()).pem);
  const out = execFileSync(BIN, ["verify", file, "--key", pem], { encoding: "utf8" });
  assert.equal(out.trim().split("\n").length, 2, out);
  assert.match(out, /^valid: consent [0-9a-f-]{36} decision 2 /m);
  // An edited receipt does not verify.
  receipt.server_receipts[1].signed = receipt.server_receipts[1].signed.replace('"marketing":true', '"marketing":false');
  writeFileSync(file, JSON.stringify(receipt));
  assert.throws(() => execFileSync(BIN, ["verify", file, "--key", pem], { stdio: "pipe" }));
  assert.deepEqual(v.errors, []);
  await v.context.close();
});

test("with the database down the decision waits in the browser, the page goes on, and a later page view delivers it", async () => {
  const pgDir = mkdtempSync(join(tmpdir(), "lcc-log-e2e-pg-"));
  execFileSync(PG, ["start", pgDir, "55511"]);
  try {
    const log = await logServer("postgres://postgres@127.0.0.1:55511/postgres", 18893);
    execFileSync(PG, ["stop", pgDir]);
    const v = await openWith(env, { checked: true, patch: (cfg) => (cfg.log_url = log.url + "/v1/decisions") });
    const { page } = v;
    const answers = [];
    page.on("response", (r) => r.url().startsWith(log.url) && answers.push(r.status()));
    await page.getByTestId("lcc-reject-all").click();
    await until(() => answers.length > 0, { what: "the post answered", timeout: 20000 });
    assert.equal(answers[0], 503);
    const record = JSON.parse(await stored(page));
    const box = await outbox(page);
    assert.equal(box.queue.length, 1, "kept for later");
    assert.equal(JSON.parse(box.queue[0]).id, record.id);
    assert.equal(box.receipts.length, 0);
    // The database is back; the visitor opens another page: the boot script sends the queue.
    execFileSync(PG, ["start", pgDir, "55511"]);
    await page.goto(env.server.url + "/");
    await until(async () => (await outbox(page))?.receipts.length === 1, { what: "delivered on the later page view", timeout: 30000 });
    assert.deepEqual((await outbox(page)).queue, []);
    const rows = await history(log, record.id);
    assert.equal(rows.length, 1, "stored once");
    assert.equal(rows[0].categories.marketing, false);
    await v.context.close();
  } finally {
    execFileSync(PG, ["stop", pgDir]);
    rmSync(pgDir, { recursive: true, force: true });
  }
});
