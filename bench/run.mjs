// The benchmark, first increment: leptos-consent against the same article page
// without any consent manager (the control), in headless Chromium, under three
// profiles (loopback, slow 4G, 4x CPU throttle), interleaved runs, fresh context
// per first-visit run, an on-disk profile for returning visits.
// The peers (vanilla-cookieconsent, tarteaucitron, Osano, Klaro) are not in yet.
//
//   node bench/run.mjs [site-dir] [runs]      (make bench)
//
// Prints a markdown table and writes it to bench/results/<date>.md.
import { chromium } from "../tests/e2e/node_modules/playwright-core/index.mjs";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../tests/e2e/serve.mjs";

const SITE = process.argv[2] || "site";
const RUNS = Number(process.argv[3] || 7);
const ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const PROFILES = {
  loopback: {},
  "slow 4G": { network: { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8) } },
  "4x CPU": { cpu: 4 },
};

// Runs before any page script: timestamps of the demo tags and of the banner becoming visible.
const PROBE = () => {
  const runs = [];
  runs.at_ = [];
  runs.push = function (x) {
    runs.at_.push(performance.now());
    return Array.prototype.push.call(this, x);
  };
  window.lccDemoRuns = runs;
  window.__bench = { cls: 0 };
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (e.name === "first-contentful-paint") window.__bench.fcp = e.startTime;
  }).observe({ type: "paint", buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (!e.hadRecentInput) window.__bench.cls += e.value;
  }).observe({ type: "layout-shift", buffered: true });
  addEventListener("click", (e) => {
    if (e.target.closest?.("[data-testid=lcc-accept-all]")) window.__bench.acceptAt ??= performance.now();
  }, true);
  const look = () => {
    const b = document.querySelector("[data-testid=lcc-banner]");
    if (b && !b.hidden && b.getBoundingClientRect().height > 0) window.__bench.bannerAt = performance.now();
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
};

/// The control: the same article with the tags as plain scripts and no consent manager.
function control(html) {
  return html
    .replace(/<script src="?dist\/leptos-consent-boot\.js"?><\/script>/, "")
    .replace(/<script data-category="?!performance"? type="?text\/plain"?>[\s\S]*?<\/script>/, "")
    .replace(/ type="?text\/plain"?/g, "");
}

async function throttle(page, profile) {
  const cdp = await page.context().newCDPSession(page);
  if (profile.network) {
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", profile.network);
  }
  if (profile.cpu) await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpu });
  return cdp;
}

const fcp = (page) => page.waitForFunction(() => window.__bench.fcp, null, { timeout: 10000 }).then(() => page.evaluate(() => window.__bench.fcp)).catch(() => null);
const loadEnd = (page) => page.evaluate(() => performance.getEntriesByType("navigation")[0]?.loadEventEnd ?? null);
const tagTimes = (page, n) =>
  page.waitForFunction((n) => window.lccDemoRuns.length >= n, n, { timeout: 30000 }).then(() =>
    page.evaluate(() => window.lccDemoRuns.at_.slice()));

async function firstVisit(browser, url, profile, withCmp) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  await throttle(page, profile);
  const out = {};
  await page.goto(url, { waitUntil: "load" });
  out.fcp = await fcp(page);
  out.load = await loadEnd(page);
  if (withCmp) {
    await page.waitForFunction(() => window.__bench.bannerAt, null, { timeout: 30000 });
    out.banner = await page.evaluate(() => window.__bench.bannerAt);
    await page.getByTestId("lcc-accept-all").click();
    const at = await tagTimes(page, 5);
    out.acceptToLastTag = Math.max(...at) - (await page.evaluate(() => window.__bench.acceptAt));
    out.cls = await page.evaluate(() => window.__bench.cls);
    out.memory = await page.evaluate(async () => (performance.measureUserAgentSpecificMemory
      ? (await performance.measureUserAgentSpecificMemory()).bytes : performance.memory?.usedJSHeapSize));
  } else {
    const at = await tagTimes(page, 4);
    out.firstTag = Math.min(...at);
    out.lastTag = Math.max(...at);
  }
  await context.close();
  return out;
}

/// A returning visit: consent stored, in a new tab of a browser with an on-disk profile.
async function returning(context, url, profile, cold, n) {
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  const cdp = await throttle(page, profile);
  if (cold) await cdp.send("Network.clearBrowserCache");
  let bytes = 0;
  const ui = new Set();
  cdp.on("Network.loadingFinished", (e) => (bytes += e.encodedDataLength));
  page.on("request", (r) => /leptos-consent(\.js|_bg\.wasm|\.css)$/.test(r.url()) && ui.add(r.url()));
  if (!profile.network) await cdp.send("Network.enable");
  await page.goto(url, { waitUntil: "load" });
  const at = await tagTimes(page, n);
  await page.waitForTimeout(300);
  const out = { firstTag: Math.min(...at), lastTag: Math.max(...at), load: await loadEnd(page), bytes, ui: ui.size };
  await page.close();
  return out;
}

const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length ? s[(s.length - 1) >> 1] : null;
};
const range = (xs) => {
  const s = xs.filter((x) => x != null);
  return s.length ? `${Math.round(Math.min(...s))}–${Math.round(Math.max(...s))}` : "–";
};
const ms = (xs) => (median(xs) == null ? "–" : `${Math.round(median(xs))} (${range(xs)})`);

const server = await startServer(SITE, 0, {});
const html = readFileSync(join(SITE, "index.html"), "utf8");
writeFileSync(join(SITE, "bench-control.html"), control(html));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ARGS });
const rows = [];
try {
  for (const [name, profile] of Object.entries(PROFILES)) {
    const ours = [];
    const ctrl = [];
    for (let i = 0; i < RUNS; i++) {
      ctrl.push(await firstVisit(browser, `${server.url}/bench-control.html`, profile, false));
      ours.push(await firstVisit(browser, `${server.url}/`, profile, true));
    }
    // Returning visits: one on-disk profile per contestant, consent given once, then new tabs.
    const dir = mkdtempSync(join(tmpdir(), "lcc-bench-"));
    const persistent = await chromium.launchPersistentContext(dir, {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ARGS,
    });
    const setup = await persistent.newPage();
    await setup.goto(`${server.url}/`);
    await setup.getByTestId("lcc-accept-all").click();
    await setup.waitForFunction(() => (window.lccDemoRuns || []).length >= 5);
    await setup.close();
    const back = { cold: [], warm: [], ctrlCold: [], ctrlWarm: [] };
    for (let i = 0; i < RUNS; i++) {
      back.ctrlCold.push(await returning(persistent, `${server.url}/bench-control.html`, profile, true, 4));
      back.cold.push(await returning(persistent, `${server.url}/`, profile, true, 5));
      back.ctrlWarm.push(await returning(persistent, `${server.url}/bench-control.html`, profile, false, 4));
      back.warm.push(await returning(persistent, `${server.url}/`, profile, false, 5));
    }
    await persistent.close();
    rmSync(dir, { recursive: true, force: true });
    const pick = (xs, k) => xs.map((x) => x[k]);
    rows.push(`| ${name} | control (no consent manager) | FCP ${ms(pick(ctrl, "fcp"))} | – | – | ` +
      `cold: first ${ms(pick(back.ctrlCold, "firstTag"))}, load ${ms(pick(back.ctrlCold, "load"))}; ` +
      `warm: first ${ms(pick(back.ctrlWarm, "firstTag"))}, load ${ms(pick(back.ctrlWarm, "load"))} | ` +
      `${median(pick(back.ctrlCold, "bytes"))} | – |`);
    rows.push(`| ${name} | leptos-consent | banner ${ms(pick(ours, "banner"))}; FCP ${ms(pick(ours, "fcp"))} | ` +
      `${ms(pick(ours, "acceptToLastTag"))} | CLS ${median(pick(ours, "cls"))}, memory ${median(pick(ours, "memory"))} B | ` +
      `cold: first ${ms(pick(back.cold, "firstTag"))}, last ${ms(pick(back.cold, "lastTag"))}; ` +
      `warm: first ${ms(pick(back.warm, "firstTag"))}, last ${ms(pick(back.warm, "lastTag"))} | ` +
      `${median(pick(back.cold, "bytes"))} | ${Math.max(...pick(back.cold, "ui"), ...pick(back.warm, "ui"))} |`);
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(join(SITE, "bench-control.html"), { force: true });
}

const table = [
  `Benchmark (first increment: ours and the control; peers not yet in), ${RUNS} interleaved runs per cell, median (range), ms from navigation start unless noted.`,
  "",
  "| profile | contestant | first visit: banner visible | Accept all → last tag | first visit: CLS, memory | returning visitor: gated tags | returning, cold: bytes transferred (whole page) | UI files fetched on return |",
  "|---|---|---|---|---|---|---:|---:|",
  ...rows,
].join("\n");
console.log(table);
mkdirSync(new URL("results/", import.meta.url), { recursive: true });
writeFileSync(new URL(`results/${new Date().toISOString().slice(0, 10)}.md`, import.meta.url), table + "\n");
