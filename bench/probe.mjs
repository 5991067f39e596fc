// What the benchmark (run.mjs) and its probes (prerender.mjs) share: Chromium's
// flags, the three profiles, the pages as a site deploys them, the in-page probe,
// the throttling, byte counts and medians.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export const ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
export const ALL_PROFILES = {
  loopback: {},
  "slow 4G": { network: { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 } },
  "4x CPU": { cpu: 4 },
};

// Runs before any page script: when each demo tag ran, when the banner became
// visible, layout shifts, long tasks (total blocking time) and the Accept click.
export const PROBE = ({ banner, accept }) => {
  const runs = [];
  runs.at_ = [];
  runs.push = function (x) {
    runs.at_.push(performance.now());
    return Array.prototype.push.call(this, x);
  };
  window.lccDemoRuns = runs;
  const b = (window.__bench = { cls: 0, tasks: [] });
  // Total blocking time with Lighthouse's clipping: each long task's part after the first
  // contentful paint, its time over 50 ms. Before that paint there is nothing to respond to,
  // and a page that parses in one go lays itself out first inside a task (Chromium's end of
  // parsing), where the control does it in a rendering update, which the Long Tasks API does
  // not report (bench/notes.md). `fromStart` is the figure without the clipping, as the
  // benchmark counted it before (every long task from navigation start). Unlike Lighthouse,
  // the window ends where the value is read, and rendering updates are not counted.
  const over = (from) => b.tasks.reduce((sum, [start, end]) => sum + Math.max(0, end - Math.max(start, from) - 50), 0);
  Object.defineProperty(b, "tbt", { get: () => (b.fcp == null ? null : over(b.fcp)) });
  Object.defineProperty(b, "fromStart", { get: () => over(0) });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (e.name === "first-contentful-paint") b.fcp = e.startTime;
  }).observe({ type: "paint", buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (!e.hadRecentInput) b.cls += e.value;
  }).observe({ type: "layout-shift", buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (b.acceptAt == null) b.tasks.push([e.startTime, e.startTime + e.duration]);
  }).observe({ type: "longtask", buffered: true });
  if (!banner) return;
  addEventListener("click", (e) => {
    if (e.target.closest?.(accept)) b.acceptAt ??= performance.now();
  }, true);
  // When the banner is first on screen: an IntersectionObserver reports the frame it appeared
  // in (entry.time) from a task of its own. (A requestAnimationFrame poll, used before
  // 2026-11-30, ran script inside every rendering update, so the page's own first layout,
  // 75-140 ms at 4x CPU, counted as a long task of every contestant with a banner: the control
  // page with the same poll and no consent manager showed 75-138 ms long tasks, without it none.)
  const shown = (el) => getComputedStyle(el).visibility !== "hidden" && getComputedStyle(el).opacity !== "0";
  const look = () => {
    // (Only for a banner on screen but still transparent or hidden: it fades in.)
    const el = document.querySelector(banner);
    const r = el && el.getBoundingClientRect();
    if (r && r.height > 0 && shown(el)) b.bannerAt ??= performance.now();
    else requestAnimationFrame(look);
  };
  const io = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (b.bannerAt != null || !e.isIntersecting || !(e.boundingClientRect.height > 0)) continue;
      if (shown(e.target)) b.bannerAt = e.time;
      else requestAnimationFrame(look);
    }
  });
  const watched = new WeakSet();
  new MutationObserver(() => {
    for (const el of document.querySelectorAll(banner)) if (!watched.has(el)) (watched.add(el), io.observe(el));
  }).observe(document, { childList: true, subtree: true });
};

export async function throttle(page, profile) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  if (profile.network) await cdp.send("Network.emulateNetworkConditions", profile.network);
  if (profile.cpu) await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpu });
  return cdp;
}

/** Writes each contestant's page into the site as bench-<id>.html, from the demo article `html`. */
export function writePages(site, contestants, html) {
  for (const c of contestants) {
    const file = join(site, `bench-${c.id}.html`);
    writeFileSync(file, c.page(html, site));
    // Checked and stamped by the core's lcc-check (built by `make build`), as a site deploys it.
    if (c.stamp) execFileSync(new URL("../target/debug/lcc-check", import.meta.url).pathname, ["--write", file], { stdio: "ignore" });
  }
}

/** Raw, gzip (level 9) and brotli (quality 11) bytes of `body`. */
export const byteCounts = (body) => ({
  raw: body.length,
  gzip: gzipSync(body, { level: 9 }).length,
  brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** The median of the values given (nulls left out), or null. */
export const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length ? s[(s.length - 1) >> 1] : null;
};
