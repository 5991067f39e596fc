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
  gate,
  gpcConflict,
  safeUrl,
  serviceGranted,
  serviceScripts,
  stands,
} from "../../boot/logic.mjs";
import { appearance } from "../../boot/appearance.mjs";
import { acceptAll, apiChoice, uniform } from "../../boot/choices.mjs";
import { changes, denied, eraseCookiesPlan, eraseNeeded, expire, historyText, logEntry, planErase, probePlan, recordText, storageKeys } from "../../boot/plans.mjs";
import { bannerWords } from "../../boot/words.mjs";
import { TEXT_KEYS, usable } from "../../boot/valid.mjs";

const root = new URL("../../", import.meta.url);

// What the boot script does with a case (tests/core_shared_cases.rs `outcome`):
// it reads a record only when the core attested it, and checks it again (`stands`: the
// types, the revision, a switch for everything, the clock).
function outcome(cfg, gpc, stored, now, scripts, attested) {
  const r = attested ? JSON.parse(stored) : undefined;
  const record = r && stands(cfg, r, now, stored) ? r : undefined;
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

/** The stored text as JSON.parse reads it (undefined where it throws, as the boot script's reading does). */
function parsed(stored) {
  try {
    return JSON.parse(stored);
  } catch {
    return undefined;
  }
}

function replay(table) {
  let n = 0;
  let read = 0;
  for (const c of table.cases) {
    const cfg = table.configs[c.config];
    assert.deepEqual(outcome(cfg, c.gpc === true, c.stored, c.now, c.scripts, c.expect.attested === true), c.expect, `${c.name}: ${JSON.stringify(c.stored)}`);
    // Without the attestation too (storage written by something else): wherever JSON.parse
    // reads the text, `stands` answers as the core, mistyped fields and all.
    const r = c.stored != null && parsed(c.stored);
    if (r !== undefined) {
      read++;
      // (A GPC conflict compares only whether the record stands: the UI applies the opt-out.)
      assert.equal(stands(cfg, r, c.now, c.stored), c.expect.prompt === false, `${c.name}: stands(${c.stored})`);
    }
    n++;
  }
  return [n, read];
}

test("hand-written shared cases: the boot decides as the core", () => {
  const table = JSON.parse(readFileSync(new URL("tests/shared-cases/cases.json", root)));
  const [n, read] = replay(table);
  assert.ok(n >= 20 && read >= 10, `${n} cases, ${read} read without attestation`);
  for (const [text, hash] of table.fingerprints) assert.equal(fingerprint(text), hash, text);
  for (const [url, ok] of table.urls) assert.equal(safeUrl(url), ok, JSON.stringify(url));
});

test("generated shared cases: the boot decides as the core", () => {
  const file = new URL("target/shared-cases/generated.json", root);
  assert.ok(existsSync(file), "run `cargo test --test core_shared_cases` first: it writes the generated cases");
  const generated = JSON.parse(readFileSync(file));
  const [n, read] = replay(generated);
  assert.ok(n >= 4000 && read >= 2000, `${n} cases, ${read} read without attestation`);
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
    const { t, title, from } = bannerWords(cfg, c.lang, c.default_words ?? undefined, c.lang_words ?? undefined);
    const what = `config ${c.config}, ${c.lang}`;
    for (const k in BANNER_TEXTS) assert.equal(t[k], c.texts[k], `${what}: ${k}`);
    // (A word in another language than the one shown says its own.)
    for (const k in BANNER_TEXTS) assert.equal(from[k], c.from[k], `${what}: the language of ${k}`);
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
    const l = c.log_in;
    assert.equal(logEntry(r, 1, l.fp, "banner", l.lang, c.gpc, l.origin, l.page), c.log, `${what} log ${JSON.stringify(l)}`);
    const no = denied(cfg, r);
    assert.deepEqual(no.map((s) => s.id), c.denied, what);
    assert.equal(eraseNeeded(cfg, r, c.cookies, c.keys), c.erase, `${what} ${c.cookies} ${c.keys}`);
    const plan = planErase(cfg, r, c.cookies, c.keys, c.host, c.path);
    assert.deepEqual({ cookies: plan.cookies.map(expire), names: plan.names, keys: plan.keys }, c.plan, `${what} ${c.cookies} ${c.keys}`);
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

/** A small deterministic generator (xorshift32), so a failure reproduces. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
  return { next, below: (n) => Math.floor(next() * n), pick: (v) => v[Math.floor(next() * v.length)] };
}

// Values of every JSON type and the numbers a u32 or u64 field refuses.
const ODD = [null, "1", "99", "", "true", 1.5, -1, 2 ** 53, 1e300, true, false, [], [true], {}, { x: true }, 0];
const sameType = (a, b) => typeof a === typeof b && Array.isArray(a) === Array.isArray(b) && (a === null) === (b === null);

test("fuzz: the boot script's record reader refuses every mistyped stored record and never throws", () => {
  const generated = JSON.parse(readFileSync(new URL("target/shared-cases/generated.json", root)));
  const standing = generated.cases.filter((c) => c.expect.attested && c.expect.prompt === false);
  assert.ok(standing.length >= 500, `${standing.length} standing records`);
  const R = rng(0x1cc5eed);
  let n = 0;
  for (let i = 0; i < 20000; i++) {
    const c = R.pick(standing);
    const cfg = generated.configs[c.config];
    const r = JSON.parse(c.stored);
    assert.equal(stands(cfg, r, c.now, c.stored), true, c.name);
    // One field of the record, or one switch of its maps, takes a value of another type (or
    // one out of its range), goes, or gains a neighbour the core does not know.
    const map = R.pick([undefined, "categories", "services"]);
    const obj = map ? r[map] : r;
    const key = R.pick(Object.keys(obj));
    const how = R.below(4);
    // (Without its optional `data` a record is another valid one: the shared cases cover those.)
    if (how == 0 && !map && key == "data") continue;
    if (how == 0) delete obj[key];
    else if (how == 1) {
      const extra = key + R.pick(["x", "_", "-2"]);
      if (Object.prototype.hasOwnProperty.call(obj, extra)) continue;
      obj[extra] = R.pick(ODD.concat([obj[key]]));
    } else {
      const v = R.pick(ODD);
      // (A value of the same type and range is another record, not a mistyped one: the shared
      // cases cover those.)
      const inRange = typeof v != "number" || (Number.isSafeInteger(v) && v >= 0);
      if (sameType(v, obj[key]) && inRange) continue;
      obj[key] = v;
    }
    let verdict;
    // (Stored as a writer would store the object.)
    assert.doesNotThrow(() => (verdict = stands(cfg, r, c.now, JSON.stringify(r))), JSON.stringify(r));
    assert.equal(verdict, false, `stands(${JSON.stringify(r)})`);
    n++;
  }
  assert.ok(n > 10000, `${n} mistyped records`);
  // The security review's record: no expiry by string arithmetic, no RangeError later.
  const cfg = generated.configs[0];
  const r = JSON.parse(standing.find((c) => c.config === 0).stored);
  for (const bad of [{ ...r, v: 9, rev: 77, last: "99" }, { ...r, last: String(r.last) }]) assert.equal(stands(cfg, bad, r.last, JSON.stringify(bad)), false);
});

test("fuzz: a config nothing has checked (mistyped, read_only where the core refuses it, unsafe script URLs) grants nothing optional", () => {
  const generated = JSON.parse(readFileSync(new URL("target/shared-cases/generated.json", root)));
  const R = rng(0x5ec0de);
  const UNSAFE = ["data:text/javascript,alert(1)", "javascript:alert(1)", " data:,x", "blob:https://x/y", "vbscript:x"];
  let n = 0;
  for (let i = 0; i < 5000; i++) {
    const cfg = structuredClone(R.pick(generated.configs));
    // A refusal of everything, made under the config as the site wrote it.
    const refused = JSON.parse(recordText(cfg, uniform(cfg, false, false), "banner", 1e12, new Uint8Array(16), false));
    const accepted = JSON.parse(recordText(cfg, uniform(cfg, true, false), "banner", 1e12, new Uint8Array(16), false));
    for (let m = 0; m <= R.below(3) && Array.isArray(cfg.categories); m++) {
      const cat = R.pick(cfg.categories);
      if (!cat || typeof cat != "object") break;
      const svc = R.pick(cfg.categories.flatMap((c) => (Array.isArray(c?.services) ? c.services : [])));
      switch (R.below(7)) {
        case 0: cat.read_only = R.pick([true, 1, "yes"]); break;
        case 1: cat.enabled = true; break;
        case 2: if (svc && typeof svc == "object") svc.scripts = [{ src: R.pick(UNSAFE) }]; break;
        case 3: cfg[R.pick(["revision", "expires_after_days", "gpc", "consent_mode"])] = R.pick(ODD); break;
        case 4: cat[R.pick(["id", "services", "sale_or_sharing"])] = R.pick(ODD); break;
        case 5: if (svc && typeof svc == "object") svc[R.pick(["id", "scripts"])] = R.pick(ODD); break;
        default: cfg.categories = R.pick(ODD.concat([cfg.categories])); break;
      }
    }
    try {
      // Whatever is granted, a script URL the core refuses never comes out.
      for (const [, s] of serviceScripts(cfg, accepted)) assert.ok(safeUrl(s.src), `unsafe service script ${s.src}`);
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
    }
    for (const r of [undefined, refused]) {
      try {
        const cats = cfg.categories.filter((c) => c && c.id !== "necessary");
        for (const c of cats) {
          assert.notEqual(categoryGranted(cfg, r, c.id), true, `${c.id} under ${JSON.stringify(cfg)}`);
          assert.notEqual(gate(cfg, r, String(c.id), null), true, `data-category=${c.id}`);
        }
        for (const [id, s] of serviceScripts(cfg, r)) {
          assert.ok(safeUrl(s.src), `unsafe service script ${s.src}`);
          assert.ok(cfg.categories.find((c) => c.id === "necessary").services.some((x) => x.id === id), `${id} is not necessary's`);
        }
      } catch (e) {
        // A reader that throws is fine: the boot script catches it, hands over, and the UI
        // refuses the config (nothing optional runs). A failed assertion is not.
        if (e instanceof assert.AssertionError) throw e;
      }
    }
    n++;
  }
  assert.equal(n, 5000);
});

test("the shared API-decision table: a decision through the API is the choice the UI would save", () => {
  const file = new URL("target/shared-cases/api.json", root);
  assert.ok(existsSync(file), "run `cargo test --test core_shared_cases` first: it writes the API cases");
  const { configs, cases } = JSON.parse(readFileSync(file, "utf8"));
  assert.ok(cases.length >= 3000);
  let carried = 0;
  let over = 0;
  // (The core's maps are sorted by id; the JS choice is in config order.)
  const sorted = (ch) => ch && { categories: Object.fromEntries(Object.entries(ch.categories).sort()), services: Object.fromEntries(Object.entries(ch.services).sort()) };
  for (const [i, c] of cases.entries()) {
    const rec = c.rec ?? undefined;
    const what = `case ${i}: ${c.method}(${JSON.stringify(c.args).slice(1, -1)}) on config ${c.config}, gpc ${c.gpc}, ${rec ? "over a stored decision" : "first visit"}`;
    const want = c.expect.ui ? undefined : { categories: c.expect.categories, services: c.expect.services };
    // Lenient: the choice the UI saves, names the config lacks ignored.
    assert.deepEqual(sorted(apiChoice(configs[c.config], c.method, c.args, c.gpc, rec, true)), want, what + " (lenient)");
    // Strict: none where the UI must report a name the config lacks.
    const strict = sorted(apiChoice(configs[c.config], c.method, c.args, c.gpc, rec));
    assert.deepEqual(strict, c.expect.unknown ? undefined : want, what);
    if (strict) (rec ? over++ : carried++);
  }
  assert.ok(carried > 400 && over > 200, `${carried} first decisions, ${over} over a stored one`);
});

test("the shared eraseCookies table: the decision code plans what the core plans", () => {
  const file = new URL("target/shared-cases/erase.json", root);
  assert.ok(existsSync(file), "run `cargo test --test core_shared_cases` first: it writes the eraseCookies cases");
  const { cases } = JSON.parse(readFileSync(file, "utf8"));
  assert.ok(cases.length >= 2000);
  for (const c of cases) {
    const [forms, matched] = eraseCookiesPlan(c.names, c.path, c.domain, c.present, c.host, c.current);
    assert.deepEqual([forms.map(expire), matched], [c.forms, c.matched], JSON.stringify(c));
  }
});

test("only acceptCategory and acceptService decide: another method with the same arguments grants nothing", () => {
  const { configs } = JSON.parse(readFileSync(new URL("target/shared-cases/api.json", root), "utf8"));
  for (const method of ["show", "showPreferences", "hide", "eraseCookies", "setLanguage", "reset", "acceptservice"])
    for (const args of [["all", "performance"], [["google-analytics"], "performance"], ["all"]])
      assert.equal(apiChoice(configs[0], method, args, false), undefined, `${method}(${JSON.stringify(args)})`);
});
