// The server-rendered Leptos example (examples/ssr-app) against the same app without a
// consent manager (its `bare` build, the control), in headless Chromium under the three
// profiles of run.mjs, interleaved runs, medians:
// - first visit: the page's first contentful paint, and when the banner was painted
//   (Element Timing on the banner's title: the same frame as the first paint, or later);
// - returning visitor (a decision made earlier, the server's cookie copy sent): when the
//   analytics tag ran, against the control, where it is a plain script;
// - bytes the consent components add to the app (both release builds, wasm-opt -Oz, brotli),
//   and what in the wasm takes them (twiggy diff, by crate).
//
//   node bench/ssr.mjs [runs]      (make bench; the builds: make ssr-bench-build)
//   BENCH_PROFILES=loopback node bench/ssr.mjs 3
//
// Prints markdown and writes it to bench/results/<date>-ssr.md. Timings live here.
import { chromium } from "../tests/e2e/node_modules/playwright-core/index.mjs";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { ALL_PROFILES, ARGS, byteCounts, median, throttle } from "./probe.mjs";

const RUNS = Number(process.argv[2] || 7);
const ROOT = new URL("../", import.meta.url).pathname;
const BENCH = ROOT + "target/ssr-bench/";
const SERVER = ROOT + "target/ssr-server/lcc-ssr-example";
const PROFILES = Object.entries(ALL_PROFILES).filter(([k]) => !process.env.BENCH_PROFILES || process.env.BENCH_PROFILES.split(",").includes(k));
const VARIANTS = ["bare", "consent"];

const freePort = () =>
  new Promise((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });

/** Starts the example's server for one build; resolves to its origin and the process. */
async function serve(variant) {
  const port = await freePort();
  const env = { ...process.env, LEPTOS_OUTPUT_NAME: "lcc-ssr-example", LEPTOS_SITE_ROOT: BENCH + variant, LEPTOS_SITE_PKG_DIR: "pkg", LEPTOS_SITE_ADDR: `127.0.0.1:${port}` };
  if (variant === "bare") env.SHOP_BARE = "1";
  else delete env.SHOP_BARE;
  const proc = spawn(SERVER, [], { env, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((done, fail) => {
    proc.once("error", fail);
    proc.stdout.on("data", (d) => String(d).includes("listening") && done());
  });
  return { origin: `http://127.0.0.1:${port}`, proc };
}

// Before any script of the page: its first contentful paint, and the banner's title's paint.
const PROBE = () => {
  const b = (window.__b = {});
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (e.name === "first-contentful-paint") b.fcp = e.startTime;
  }).observe({ type: "paint", buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (e.identifier === "lcc-banner") b.banner ??= e.renderTime || e.loadTime;
  }).observe({ type: "element", buffered: true });
};

const read = (page, k) => page.evaluate((k) => window.__b[k] ?? null, k);

/** One first visit: the page's first paint and, with the consent manager, the banner's. */
async function firstVisit(browser, origin, variant, profile) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  await throttle(page, profile);
  await page.goto(origin + "/", { waitUntil: "load" });
  await page.waitForFunction((v) => window.__b.fcp != null && (v === "bare" || window.__b.banner != null), variant, { timeout: 60000 });
  const out = { fcp: await read(page, "fcp"), banner: await read(page, "banner") };
  await context.close();
  return out;
}

/** A returning visitor (storage and cookie copy from an earlier Accept all): when the tag ran. */
async function returning(browser, origin, state, profile) {
  const context = await browser.newContext({ storageState: state });
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  await throttle(page, profile);
  await page.goto(origin + "/", { waitUntil: "load" });
  await page.waitForFunction(() => window.__shopAnalyticsAt != null, null, { timeout: 60000 });
  const out = { tag: await page.evaluate(() => window.__shopAnalyticsAt), fcp: await read(page, "fcp") };
  await context.close();
  return out;
}

/** The state a returning visitor brings: one Accept all on the consent build (none for the control). */
async function decided(browser, origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin + "/");
  await page.waitForFunction(() => window.__lccLive === true, null, { timeout: 60000 });
  await page.getByTestId("lcc-accept-all").click();
  await page.waitForFunction(() => document.cookie.includes("shop_consent="));
  const state = await context.storageState();
  await context.close();
  return state;
}

/** Brotli bytes of each build's files, and what the consent build's wasm adds, by crate. */
function bytes() {
  const files = { wasm: "pkg/lcc-ssr-example_bg.wasm", js: "pkg/lcc-ssr-example.js", css: "pkg/lcc-ssr-example.css" };
  const size = (v, f) => {
    try {
      return byteCounts(readFileSync(BENCH + v + "/" + f)).brotli;
    } catch {
      return 0;
    }
  };
  const rows = Object.entries(files).map(([k, f]) => [k, size("bare", f), size("consent", f)]);
  // What the added code is, by crate (twiggy, on the builds with their names, before wasm-opt).
  let crates = [];
  try {
    const top = (v) => {
      const csv = execFileSync("twiggy", ["top", "-n", "1000000", "-f", "csv", BENCH + v + "-named.wasm"], { maxBuffer: 1 << 28 }).toString();
      const by = new Map();
      for (const line of csv.split("\n").slice(1)) {
        const m = line.match(/^"?(.*?)"?,(\d+),/);
        if (!m || m[1].startsWith('"') || m[1].includes("subsection")) continue;
        // A generic's code counts for the crate of the trait or function it instantiates.
        const name = m[1].replace(/^(?:[<&(]|mut |dyn |const |[A-Z][A-Za-z0-9_]* as )+/, "");
        const crate = name.startsWith("data segment") ? "(data)" : (name.match(/^([a-z_][a-z0-9_]*)(::|\[)/) || [, "(other)"])[1];
        by.set(crate, (by.get(crate) || 0) + Number(m[2]));
      }
      return by;
    };
    const [a, b] = [top("bare"), top("consent")];
    crates = [...new Set([...a.keys(), ...b.keys()])]
      .map((c) => [c, (b.get(c) || 0) - (a.get(c) || 0)])
      .filter(([, d]) => Math.abs(d) >= 1024)
      .sort((x, y) => y[1] - x[1]);
  } catch (e) {
    crates = [["(twiggy not available: " + String(e.message).split("\n")[0] + ")", 0]];
  }
  return { rows, crates };
}

const fmt = (x) => (x == null ? "–" : Math.round(x));

async function main() {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
  const servers = Object.fromEntries(await Promise.all(VARIANTS.map(async (v) => [v, await serve(v)])));
  const state = { bare: await (async () => {
    const c = await browser.newContext();
    const s = await c.storageState();
    await c.close();
    return s;
  })(), consent: await decided(browser, servers.consent.origin) };
  const results = {};
  for (let run = 0; run < RUNS; run++)
    for (const [name, profile] of PROFILES)
      for (const v of run % 2 ? [...VARIANTS].reverse() : VARIANTS) {
        const r = (results[name + " " + v] ||= { fcp: [], banner: [], sameFrame: [], tag: [], backFcp: [] });
        const first = await firstVisit(browser, servers[v].origin, v, profile);
        r.fcp.push(first.fcp);
        if (v === "consent") (r.banner.push(first.banner), r.sameFrame.push(first.banner != null && Math.abs(first.banner - first.fcp) < 1));
        const back = await returning(browser, servers[v].origin, state[v], profile);
        r.tag.push(back.tag);
        r.backFcp.push(back.fcp);
      }
  await browser.close();
  for (const s of Object.values(servers)) s.proc.kill();

  const lines = [
    `# The server-rendered example app: ${new Date().toISOString().slice(0, 10)}`,
    "",
    `Headless Chromium, ${RUNS} interleaved runs per cell, medians, ms from navigation start. Control: the same`,
    "app without the consent manager (`bare`). Reproduce: `make ssr-bench-build && node bench/ssr.mjs 7`.",
    "",
    "| profile | first paint: control | first paint: with consent | banner painted | banner in the first paint's frame | returning, tag ran: control | returning, tag ran: with consent |",
    "|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const [name] of PROFILES) {
    const b = results[name + " bare"];
    const c = results[name + " consent"];
    const same = c.sameFrame.filter(Boolean).length;
    lines.push(`| ${name} | ${fmt(median(b.fcp))} | ${fmt(median(c.fcp))} | ${fmt(median(c.banner))} | ${same} of ${c.sameFrame.length} | ${fmt(median(b.tag))} | ${fmt(median(c.tag))} |`);
  }
  const { rows, crates } = bytes();
  lines.push("", "Bytes (brotli, quality 11) of the release builds:", "", "| file | control | with consent | added |", "|---|---:|---:|---:|");
  let total = 0;
  for (const [k, a, b] of rows) {
    total += b - a;
    lines.push(`| ${k} | ${a} | ${b} | ${b - a} |`);
  }
  lines.push(`| **total** | | | **${total}** (target 30720) |`);
  lines.push("", "What the consent build's wasm adds, by crate (twiggy, raw bytes before wasm-opt, at least 1 KB):", "", "| crate | bytes |", "|---|---:|");
  for (const [c, d] of crates) lines.push(`| ${c} | ${d} |`);
  const md = lines.join("\n") + "\n";
  console.log(md);
  mkdirSync(ROOT + "bench/results", { recursive: true });
  writeFileSync(ROOT + `bench/results/${new Date().toISOString().slice(0, 10)}-ssr.md`, md);
}

await main();
