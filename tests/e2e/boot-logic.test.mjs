// The boot script's decisions (boot/logic.mjs) against the Rust core's, on the
// shared table of cases: the hand-written ones and the ones `cargo test`
// generates from the core (tests/core_shared_cases.rs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import {
  BANNER_TEXTS,
  chooseLanguage,
  categoryGranted,
  consentModeUpdate,
  fingerprint,
  fresh,
  gate,
  gpcConflict,
  safeUrl,
  serviceGranted,
  serviceScripts,
} from "../../boot/logic.mjs";
import { appearance } from "../../boot/look.mjs";
import { acceptAll, uniform } from "../../boot/warm.mjs";
import { changes, denied, eraseNeeded, expire, historyText, probePlan, recordText, storageKeys } from "../../boot/decide.mjs";
import { bannerWords } from "../../boot/words.mjs";
import { TEXT_KEYS, usable } from "../../boot/valid.mjs";

const root = new URL("../../", import.meta.url);

// What the boot script does with a case (tests/core_shared_cases.rs `outcome`):
// it reads a record only when the core attested it, and checks the clock itself.
function outcome(cfg, gpc, stored, now, scripts, attested) {
  const r = attested ? JSON.parse(stored) : undefined;
  const record = r && fresh(cfg, r, now) ? r : undefined;
  const prompt = !record;
  const base = (v) => (attested ? { ...v, attested } : v);
  // A conflict hands over to the UI: the boot script decides nothing else.
  if (gpcConflict(cfg, record, gpc)) return base({ prompt, gpc_conflict: true });
  const granted = cfg.categories.filter((c) => categoryGranted(cfg, record, c.id)).map((c) => c.id);
  for (const c of cfg.categories)
    for (const s of c.services || []) if (serviceGranted(cfg, record, s.id)) granted.push(s.id);
  const run = [];
  const rejected = [];
  scripts.forEach(([category, service], i) => {
    const g = gate(cfg, record, category, service);
    if (typeof g === "string") rejected.push(i);
    else if (g) run.push(i);
  });
  const service_scripts = serviceScripts(cfg, record).map(([id, src]) => `${id} ${src.src}`);
  const out = { prompt, granted, run, rejected, service_scripts };
  const update = consentModeUpdate(cfg, record);
  if (update) out.consent_mode = update;
  return base(out);
}

function replay(table) {
  let n = 0;
  for (const c of table.cases) {
    const cfg = table.configs[c.config];
    assert.deepEqual(outcome(cfg, c.gpc === true, c.stored, c.now, c.scripts, c.expect.attested === true), c.expect, `${c.name}: ${JSON.stringify(c.stored)}`);
    n++;
  }
  return n;
}

test("hand-written shared cases: the boot decides as the core", () => {
  const table = JSON.parse(readFileSync(new URL("tests/shared-cases/cases.json", root)));
  assert.ok(replay(table) >= 20);
  for (const [text, hash] of table.fingerprints) assert.equal(fingerprint(text), hash, text);
  for (const [url, ok] of table.urls) assert.equal(safeUrl(url), ok, JSON.stringify(url));
});

test("generated shared cases: the boot decides as the core", () => {
  const file = new URL("target/shared-cases/generated.json", root);
  assert.ok(existsSync(file), "run `cargo test --test core_shared_cases` first: it writes the generated cases");
  const generated = JSON.parse(readFileSync(file));
  const n = replay(generated);
  assert.ok(n >= 4000, `${n} cases`);
  assert.deepEqual(BANNER_TEXTS, generated.banner_texts, "the boot banner's defaults are the core's");
  // What the early banner starts downloading on "Accept all" is what the core grants.
  assert.ok(generated.accept_all.length >= 16);
  for (const c of generated.accept_all) {
    assert.deepEqual(acceptAll(generated.configs[c.config], c.gpc), { categories: c.categories, services: c.services }, JSON.stringify(c));
  }
});

test("the shared language table: the boot banner picks the language as the core", () => {
  const table = JSON.parse(readFileSync(new URL("tests/shared-cases/languages.json", root)));
  for (const c of table.cases) assert.equal(chooseLanguage(c.config, c.html ?? undefined, c.browser), c.expect, JSON.stringify(c));
});

test("the shared appearance table: the early banner gets the core's layout, position and scheme classes", () => {
  const table = JSON.parse(readFileSync(new URL("tests/shared-cases/appearance.json", root)));
  for (const c of table.cases) {
    assert.deepEqual(appearance(c.appearance), { banner: c.banner, scheme: c.scheme, top: c.top }, JSON.stringify(c));
  }
});

test("the shared banner-words table: the early banner shows the core's words in every language", () => {
  const file = new URL("target/shared-cases/words.json", root);
  assert.ok(existsSync(file), "run `cargo test --test core_i18n` first: it writes the banner-words cases");
  const { configs, cases } = JSON.parse(readFileSync(file));
  assert.ok(cases.length >= 30);
  for (const c of cases) {
    const cfg = configs[c.config];
    const { t, title } = bannerWords(cfg, c.lang, c.default_words ?? undefined, c.lang_words ?? undefined);
    const what = `config ${c.config}, ${c.lang}`;
    for (const k in BANNER_TEXTS) assert.equal(t[k], c.texts[k], `${what}: ${k}`);
    for (const cat of cfg.categories) assert.equal(title(cat), c.titles[cat.id], `${what}: title of ${cat.id}`);
  }
});

test("the shared first-decision table: Accept all and Reject all on the early banner store and clean up as the core", () => {
  const file = new URL("target/shared-cases/decide.json", root);
  assert.ok(existsSync(file), "run `cargo test --test core_shared_cases` first: it writes the first-decision cases");
  const { configs, cases, keys } = JSON.parse(readFileSync(file));
  assert.ok(cases.length >= 1000);
  configs.forEach((cfg, i) => assert.deepEqual(storageKeys(cfg), keys[i], `storage keys of config ${i}`));
  for (const [i, c] of cases.entries()) {
    const cfg = configs[c.config];
    const what = `case ${i}: ${JSON.stringify({ config: c.config, gpc: c.gpc, accept: c.accept, host: c.host, path: c.path })}`;
    const text = recordText(cfg, uniform(cfg, c.accept, c.gpc), "banner", c.now, c.bytes, c.gpc);
    assert.equal(text, c.record, what);
    const r = JSON.parse(text);
    const ch = changes(cfg, r);
    assert.deepEqual(ch, c.changes, what);
    assert.equal(historyText(r, ch, c.left_behind), c.history, what);
    const no = denied(cfg, r);
    assert.deepEqual(no.map((s) => s.id), c.denied, what);
    assert.equal(eraseNeeded(cfg, r, c.cookies, c.keys), c.erase, `${what} ${c.cookies} ${c.keys}`);
    assert.deepEqual(probePlan(no, c.cookies, c.host, c.path).map((f) => [...f, expire(f)]), c.probe, what);
  }
});

test("the shared config table: the early banner vouches only for configs the core accepts", () => {
  const file = new URL("target/shared-cases/configs.json", root);
  assert.ok(existsSync(file), "run `cargo test --test core_shared_cases` first: it writes the config cases");
  const table = JSON.parse(readFileSync(file, "utf8"));
  assert.deepEqual(TEXT_KEYS, table.text_keys, "valid.mjs knows the interface's words as the core does");
  let valid = 0;
  let vouched = 0;
  for (const c of table.cases) {
    const ok = usable(c.text);
    // Never a config the core refuses: the early banner would decide under it.
    assert.ok(!ok || c.valid, `vouched for a config the core refuses: ${c.text}`);
    valid += c.valid;
    vouched += ok;
  }
  // The configs the table starts from (each valid) are vouched for, and nearly every valid
  // variant (what it leaves to the UI: structs written as arrays, a language tag beyond ASCII).
  for (const c of table.cases.slice(0, 12)) assert.ok(usable(c.text), c.text);
  assert.ok(vouched > 0.95 * valid, `${vouched} of ${valid} valid configs vouched for`);
  // The demo page's own config.
  const html = readFileSync(new URL("index.html", root), "utf8");
  assert.ok(usable(/id="cc-config">([\s\S]*?)<\/script>/.exec(html)[1]));
});
