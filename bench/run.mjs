// The benchmark: leptos-consent, the same article page without a consent
// manager (the control), and the peers (bench/peers.mjs: vanilla-cookieconsent
// 3.1.0, tarteaucitron 1.34.0, Osano cookieconsent 3.1.1, Klaro 0.7.22, from
// npm, served locally), in headless Chromium, under three profiles (loopback;
// slow 4G: 150 ms RTT, 1.6 Mbit/s down; 4x CPU throttle), interleaved runs, a
// fresh context per first visit, and an on-disk profile for returning visits.
//
//   node bench/run.mjs [site-dir] [runs]      (make bench)
//   BENCH_ONLY=ours,klaro BENCH_PROFILES=loopback node bench/run.mjs site 1
//
// A/B of two builds: copy the earlier build's distribution into the site
// (e.g. site/dist-before, from `git stash; make build; cp -r site/dist
// site/dist-before; git stash pop; make build`), then
//   BENCH_BASELINE=dist-before BENCH_ONLY=ours,ours-inline node bench/run.mjs site 11
// runs each of ours selected twice, interleaved: on dist/ and on the baseline.
// The report goes to bench/results/<date>-ab.md.
//
// Prints a markdown table and writes it to bench/results/<date>.md. Timings
// live here, never in tests.
import { chromium } from "../tests/e2e/node_modules/playwright-core/index.mjs";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../tests/e2e/serve.mjs";
import { CONTESTANTS, CONTROL, MOUNTS, TAGS, baseline, demoHtml } from "./peers.mjs";
import { ALL_PROFILES, ARGS, PROBE, byteCounts, median, throttle, writePages } from "./probe.mjs";

const SITE = process.argv[2] || "site";
const RUNS = Number(process.argv[3] || 7);
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(",") : null;
// BENCH_ONLY=ours,vanilla and BENCH_PROFILES=loopback narrow a run while working on it.
const PROFILES = Object.fromEntries(
  Object.entries(ALL_PROFILES).filter(([k]) => !process.env.BENCH_PROFILES || process.env.BENCH_PROFILES.split(",").includes(k)),
);

/// What the page keeps in memory, in bytes: the JS heap after a full garbage
/// collection (live objects, not garbage awaiting collection), ArrayBuffers,
/// and every wasm linear memory (getHeapUsage's backingStorageSize does not
/// include those: they are found and summed separately). The same for every
/// contestant.
async function memory(cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  const proto = await cdp.send("Runtime.evaluate", { expression: "WebAssembly.Memory.prototype" });
  const found = await cdp.send("Runtime.queryObjects", { prototypeObjectId: proto.result.objectId });
  const wasm = await cdp.send("Runtime.callFunctionOn", {
    objectId: found.objects.objectId,
    functionDeclaration: "function () { return this.reduce((n, m) => n + m.buffer.byteLength, 0); }",
    returnByValue: true,
  });
  return heap.usedSize + (heap.backingStorageSize || 0) + (wasm.result.value || 0);
}

const bench = (page, k) => page.evaluate((k) => window.__bench[k] ?? null, k);
const loadEnd = (page) => page.evaluate(() => performance.getEntriesByType("navigation")[0]?.loadEventEnd ?? null);
/// When each of the common tags ran (ms from navigation start), once all have.
const tagTimes = (page) =>
  page
    .waitForFunction((tags) => tags.every((t) => window.lccDemoRuns.includes(t)), TAGS, { timeout: 60000 })
    .then(() => page.evaluate((tags) => tags.map((t) => window.lccDemoRuns.at_[window.lccDemoRuns.indexOf(t)]), TAGS));

/// Bytes of what the consent manager loaded, from the files on disk.
const sizeCache = new Map();
function measure(path) {
  if (!sizeCache.has(path)) {
    let file = join(SITE, path);
    for (const [prefix, dir] of Object.entries(MOUNTS)) if (path.startsWith(prefix)) file = join(dir, path.slice(prefix.length));
    sizeCache.set(path, byteCounts(readFileSync(file)));
  }
  return sizeCache.get(path);
}

/** What a first visit has come to once it has settled: layout shifts and long tasks (bench/probe.mjs). */
const settled = async (page) => ({ cls: await bench(page, "cls"), tbt: await bench(page, "tbt"), fromStart: await bench(page, "fromStart") });

async function firstVisit(browser, base, c, profile) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(PROBE, { banner: c.banner, accept: c.accept });
  const cdp = await throttle(page, profile);
  const files = new Set();
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (c.files.some((p) => path.startsWith(p))) files.add(path);
  });
  const out = {};
  await page.goto(`${base}/bench-${c.id}.html`, { waitUntil: "load" });
  out.fcp = await page.waitForFunction(() => window.__bench.fcp, null, { timeout: 20000 }).then(() => bench(page, "fcp")).catch(() => null);
  out.load = await loadEnd(page);
  if (c.banner) {
    await page.waitForFunction(() => window.__bench.bannerAt, null, { timeout: 60000 });
    out.banner = await bench(page, "bannerAt");
    await page.waitForTimeout(500); // let it settle: shifts and long tasks after the banner count too
    Object.assign(out, await settled(page));
    out.memory = await memory(cdp);
    await page.locator(c.accept).first().click();
    const at = await tagTimes(page);
    out.acceptToLastTag = Math.max(...at) - (await bench(page, "acceptAt"));
  } else {
    const at = await tagTimes(page);
    out.firstTag = Math.min(...at);
    out.lastTag = Math.max(...at);
    await page.waitForTimeout(500); // as after a banner: later shifts and long tasks count too
    Object.assign(out, await settled(page));
  }
  out.files = [...files];
  await context.close();
  return out;
}

/// A returning visit: consent stored, in a new tab of a browser with an on-disk profile.
async function returning(context, base, c, profile, cold) {
  const page = await context.newPage();
  await page.addInitScript(PROBE, { banner: null });
  const cdp = await throttle(page, profile);
  if (cold) await cdp.send("Network.clearBrowserCache");
  let bytes = 0;
  const cmpFiles = new Set();
  cdp.on("Network.loadingFinished", (e) => (bytes += e.encodedDataLength));
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (c.files.some((p) => path.startsWith(p))) cmpFiles.add(path);
  });
  await page.goto(`${base}/bench-${c.id}.html`, { waitUntil: "load" });
  const at = await tagTimes(page);
  await page.waitForTimeout(300);
  const ui = [...cmpFiles].filter((f) => !c.ours || !/leptos-consent-boot\.js$/.test(f));
  const out = { firstTag: Math.min(...at), lastTag: Math.max(...at), load: await loadEnd(page), bytes, ui: ui.length, files: [...cmpFiles] };
  await page.close();
  return out;
}

const round = Math.round;
const range = (xs) => {
  const s = xs.filter((x) => x != null);
  return s.length ? `${Math.round(Math.min(...s))}–${Math.round(Math.max(...s))}` : "–";
};
const ms = (xs) => (median(xs) == null ? "–" : `${Math.round(median(xs))} (${range(xs)})`);
const pick = (xs, k) => xs.map((x) => x[k]);
const kb = (n) => (n / 1024).toFixed(1);

const BASELINE = process.env.BENCH_BASELINE;
const contestants = CONTESTANTS.filter((c) => !ONLY || ONLY.includes(c.id)).flatMap((c) => (BASELINE && c.ours ? [c, baseline(c, BASELINE)] : [c]));
const html = demoHtml(SITE);
writePages(SITE, [CONTROL, ...contestants], html);
const server = await startServer(SITE, 0, MOUNTS);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ARGS });
const results = {}; // profile -> id -> { first: [], cold: [], warm: [] }
try {
  for (const [name, profile] of Object.entries(PROFILES)) {
    const r = (results[name] = {});
    for (const c of [CONTROL, ...contestants]) r[c.id] = { first: [], cold: [], warm: [] };
    // First visits, interleaved: one run of each contestant, RUNS times.
    for (let i = 0; i < RUNS; i++)
      for (const c of [CONTROL, ...contestants]) r[c.id].first.push(await firstVisit(browser, server.url, c, profile));
    // Returning visits: one on-disk profile per contestant, consent given once, then new tabs.
    const persistent = {};
    for (const c of [CONTROL, ...contestants]) {
      const dir = mkdtempSync(join(tmpdir(), "lcc-bench-"));
      const ctx = await chromium.launchPersistentContext(dir, { executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ARGS });
      if (c.accept) {
        const setup = await ctx.newPage();
        await setup.goto(`${server.url}/bench-${c.id}.html`, { waitUntil: "load" });
        await setup.locator(c.banner).first().waitFor({ state: "visible" });
        await setup.waitForTimeout(1000); // some peers attach their handlers after showing the banner
        await setup.locator(c.accept).first().click();
        await setup.waitForFunction((tags) => tags.every((t) => (window.lccDemoRuns || []).includes(t)), TAGS);
        await setup.waitForTimeout(300);
        await setup.close();
      }
      persistent[c.id] = { ctx, dir };
    }
    for (let i = 0; i < RUNS; i++)
      for (const c of [CONTROL, ...contestants]) {
        r[c.id].cold.push(await returning(persistent[c.id].ctx, server.url, c, profile, true));
        r[c.id].warm.push(await returning(persistent[c.id].ctx, server.url, c, profile, false));
      }
    for (const { ctx, dir } of Object.values(persistent)) {
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
    console.error(`${name}: done`);
  }
} finally {
  await browser.close();
  await server.close();
  for (const c of [CONTROL, ...contestants]) rmSync(join(SITE, `bench-${c.id}.html`), { force: true });
}

// ---- the report ----

/// The issue's targets on one profile (`r`: its results), each bound computed from this
/// run's medians ("fastest peer": the best median among the peers on that metric), and
/// whether each of our contestants (`mine`) meets it.
function targetTable(r, mine) {
  // (The same readings as the metric table above.)
  const metric = (name) => metrics.find(([n]) => n === name)[1];
  const best = (f) => Math.min(...contestants.filter((c) => !c.ours).map((c) => median(f(r[c.id]))).filter((x) => x != null));
  const ctrl = (k, side) => median(pick(r.control[side], k));
  const banner = metric("banner visible");
  const firstTag = metric("returning, cold: first tag");
  const accept = metric("Accept all → last tag");
  const [bannerPeer, tagPeer] = [best(banner), best(firstTag)];
  const [fcp, load] = [ctrl("fcp", "first"), ctrl("load", "cold")];
  const rows = [
    ["First visit, banner visible", banner, Math.max(0.8 * bannerPeer, fcp + 20), `max(0.8 × ${round(bannerPeer)}, control FCP ${round(fcp)} + 20)`],
    ["Returning (cold), first tag", firstTag, Math.max(0.5 * tagPeer, load + 10), `max(0.5 × ${round(tagPeer)}, control load ${round(load)} + 10)`],
    ["Accept all → last tag", accept, best(accept), "fastest peer"],
    ["Total blocking time (from the first paint)", metric("total blocking time"), 0, "0"],
    // (Issue 7's target as first measured: long tasks from navigation start, the first layout's included.)
    ["Long tasks from navigation start, over 50 ms", metric("long tasks from navigation start, over 50 ms"), 0, "0"],
    ["CLS", metric("CLS"), 0, "0"],
    ["JS heap + wasm memory, KB", metric("live JS heap + wasm memory, KB"), 2560, "2.5 MB"],
    // What a returning visitor's page view loads of the consent manager (files on disk, brotli;
    // a file pasted into the page counted too), and no UI file besides the boot script.
    // (The first-layer hint, in the page's HTML, counts with its own brotli size.)
    ["Returning (cold), consent-manager bytes, brotli", (x, c) => x.cold.map((v) => [...new Set([...v.files, ...(c.inline || [])])].reduce((n, f) => n + measure(f).brotli, c.pasted || 0)), 4096, "4 KB"],
    ["Returning, UI files fetched (most in any view)", (x) => [...pick(x.cold, "ui"), ...pick(x.warm, "ui")], 0, "none", (xs) => Math.max(...xs)],
  ];
  return renderTargets("issue 7", rows.map(([name, f, bound, how, agg = median]) => [name, (c) => agg(f(r[c.id], c)), bound, how]), mine);
}

/// A table of targets: each row's name, its value for one of ours (`value(c)`), its bound
/// (not finite: none in this run) and how the bound was made; whether each is met.
function renderTargets(issue, rows, mine) {
  const out = [`Targets (${issue}), bounds from this run's medians:`, "", `| target | bound | ${mine.map((c) => c.label).join(" | ")} |`, `|---|---|${mine.map(() => "---").join("|")}|`];
  for (const [name, value, bound, how] of rows) {
    // (A run without peers, such as an A/B run of two builds, has no bound from them.)
    const known = Number.isFinite(bound);
    const cells = mine.map((c) => {
      const v = value(c);
      if (v == null) return "–";
      const shown = name === "CLS" ? v.toFixed(3) : round(v);
      return known ? `${shown}: ${v <= bound + 1e-9 ? "met" : "not met"}` : `${shown}`;
    });
    const limit = known ? `≤ ${name === "CLS" ? bound : round(bound)} (${how})` : "– (not in this run)";
    out.push(`| ${name} | ${limit} | ${cells.join(" | ")} |`);
  }
  return out;
}

/// Issue "The drop-in on a slow network" on one profile: the banner against the fastest
/// peer, the page's own first paint against the control's, and a returning visitor's first
/// tag against the snippet it replaced ("ours-classic", when in the run).
function slowNetworkTable(r, mine) {
  const med = (id, side, k) => median(pick(r[id][side], k));
  const peers = contestants.filter((c) => !c.ours);
  const bannerPeer = Math.min(...peers.map((c) => med(c.id, "first", "banner")).filter((x) => x != null));
  const fcp = med("control", "first", "fcp");
  const classic = r["ours-classic"];
  const rows = [
    ["Banner visible", (c) => med(c.id, "first", "banner"), 0.8 * bannerPeer, `0.8 × ${round(bannerPeer)}, the fastest peer`],
    ["The page's first contentful paint", (c) => med(c.id, "first", "fcp"), fcp + 5, `control ${round(fcp)} + 5`],
  ];
  for (const side of ["cold", "warm"])
    if (classic) rows.push([`Returning (${side}), first tag`, (c) => med(c.id, side, "firstTag"), med("ours-classic", side, "firstTag"), "the classic snippet's"]);
  return renderTargets('issue "The drop-in on a slow network"', rows, mine);
}

const lines = [];
const date = new Date().toISOString().slice(0, 10);
lines.push(`# Benchmark, ${date}`, "");
lines.push(`${RUNS} interleaved runs per cell; median (range); times in ms from navigation start unless noted. ` +
  "Headless Chromium on this machine; the peers are the npm packages in bench/package.json, configured like ours " +
  "(bench/peers.mjs), gating the same four demo tags (local stand-ins).", "");

// Bytes: what each consent manager loaded on a first visit (files on disk, compressed here).
lines.push("## Bytes a first visit loads for the consent manager", "");
lines.push("| contestant | files | raw | gzip | brotli |", "|---|---|---:|---:|---:|");
const bytesOf = {};
for (const c of contestants) {
  // (A file pasted into the page travels inside its HTML: counted here too.)
  const files = [...new Set([...Object.values(results).flatMap((r) => r[c.id].first.flatMap((x) => x.files)), ...(c.inline || [])])].sort();
  const sizes = files.map(measure);
  const sum = (k) => sizes.reduce((n, s) => n + s[k], 0);
  bytesOf[c.id] = sum("brotli");
  lines.push(`| ${c.label} | ${files.map((f, i) => `${f.split("/").pop()} ${sizes[i].brotli}`).join(", ")} | ${sum("raw")} | ${sum("gzip")} | ${sum("brotli")} |`);
}
lines.push("");

const metrics = [
  // The page's own first paint, beside the control's (issue "The drop-in on a slow network":
  // within 5 ms of the page without a consent manager).
  ["first visit: the page's first contentful paint", (r) => pick(r.first, "fcp")],
  ["banner visible", (r) => pick(r.first, "banner")],
  ["Accept all → last tag", (r) => pick(r.first, "acceptToLastTag")],
  ["returning, cold: first tag", (r) => pick(r.cold, "firstTag")],
  ["returning, cold: last tag", (r) => pick(r.cold, "lastTag")],
  ["returning, warm: first tag", (r) => pick(r.warm, "firstTag")],
  ["total blocking time", (r) => pick(r.first, "tbt")],
  ["long tasks from navigation start, over 50 ms", (r) => pick(r.first, "fromStart")],
  ["CLS", (r) => pick(r.first, "cls")],
  ["live JS heap + wasm memory, KB", (r) => pick(r.first, "memory").map((m) => (m == null ? null : m / 1024))],
  ["returning, cold: bytes transferred (whole page)", (r) => pick(r.cold, "bytes")],
];
for (const [name] of Object.entries(PROFILES)) {
  const r = results[name];
  lines.push(`## ${name}`, "");
  const ctrl = r.control;
  // (The control's own long tasks: total blocking time that no consent manager can remove.)
  lines.push(`Control (no consent manager): FCP ${ms(pick(ctrl.first, "fcp"))}, load ${ms(pick(ctrl.first, "load"))}, ` +
    `total blocking time ${ms(pick(ctrl.first, "tbt"))}, long tasks from navigation start ${ms(pick(ctrl.first, "fromStart"))}; ` +
    `returning cold: first tag ${ms(pick(ctrl.cold, "firstTag"))}, load ${ms(pick(ctrl.cold, "load"))}.`, "");
  const mine = contestants.filter((c) => c.ours);
  lines.push(`| metric | ${contestants.map((c) => c.label).join(" | ")} | ${mine.map((c) => `${c.label} / best peer`).join(" | ")} |`);
  lines.push(`|---|${contestants.map(() => "---:").join("|")}|${mine.map(() => "---:").join("|")}|`);
  for (const [metric, get] of metrics) {
    const meds = contestants.map((c) => median(get(r[c.id])));
    const cells = contestants.map((c) => {
      const xs = get(r[c.id]);
      if (metric === "CLS") return median(xs) == null ? "–" : median(xs).toFixed(3);
      return ms(xs);
    });
    const peers = meds.filter((x, i) => x != null && !contestants[i].ours);
    const best = peers.length ? Math.min(...peers) : null;
    const ratios = contestants
      .map((c, i) => (!c.ours ? null : meds[i] != null && best ? (meds[i] / best).toFixed(2) : "–"))
      .filter((x) => x != null);
    lines.push(`| ${metric} | ${cells.join(" | ")} | ${ratios.join(" | ")} |`);
  }
  const uiFetched = contestants.map((c) => Math.max(...pick(r[c.id].cold, "ui"), ...pick(r[c.id].warm, "ui")));
  lines.push(`| returning: consent-manager files fetched besides the boot script | ${uiFetched.join(" | ")} | ${mine.map(() => "").join(" | ")} |`, "");
  lines.push(...targetTable(r, mine), "");
  lines.push(...slowNetworkTable(r, mine), "");
}
const smallestPeer = Math.min(...contestants.filter((c) => !c.ours).map((c) => bytesOf[c.id]));
lines.push(`First-visit brotli bytes, ours / smallest peer: ${Number.isFinite(smallestPeer) ? (bytesOf.ours / smallestPeer).toFixed(2) : "– (no peer in this run)"} ` +
  `(${kb(bytesOf.ours)} KB). Target (issue 7) ≤ 40 KB: ` +
  contestants.filter((c) => c.ours).map((c) => `${c.label} ${kb(bytesOf[c.id])} KB ${bytesOf[c.id] <= 40960 ? "met" : "not met"}`).join("; ") + ".");

const table = lines.join("\n");
console.log(table);
mkdirSync(new URL("results/", import.meta.url), { recursive: true });
writeFileSync(new URL(`results/${date}${BASELINE ? "-ab" : ""}.md`, import.meta.url), table + "\n");
