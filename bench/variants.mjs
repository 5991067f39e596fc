// Page variants side by side: the control and variants of our benchmark page, first visits
// (the page's first paint, the banner, total blocking time) or returning visits (RET=1 cold
// cache, RET=warm), interleaved, a fresh browser context each, medians. A probe for
// questions the full benchmark (run.mjs) does not ask; its figures are in bench/notes.md.
//
//   make build && VARIANTS=bench/variants-snippets.mjs node bench/variants.mjs 15
//   P="4x CPU" RET=warm VARIANTS=… node bench/variants.mjs 15
//   TIMES=1 …   also when the boot script ran (window.CookieConsent set) and the page was parsed
//
// VARIANTS is a module whose default export takes { page, boot } (`page(id)`: the HTML
// run.mjs writes for one of our contestants) and returns { id: html } for each variant.
import { chromium } from "../tests/e2e/node_modules/playwright-core/index.mjs";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer } from "../tests/e2e/serve.mjs";
import { CONTESTANTS, CONTROL, MOUNTS, demoHtml } from "./peers.mjs";
import { ALL_PROFILES, ARGS, PROBE, median, throttle, writePages } from "./probe.mjs";

const SITE = "site";
const RUNS = Number(process.argv[2] || 7);
const BANNER = "[data-testid=lcc-banner]";
const html = demoHtml(SITE);
const ours = CONTESTANTS.filter((c) => c.id === "ours" || c.id === "ours-inline");
writePages(SITE, [CONTROL, ...ours], html);
const page = (id) => readFileSync(join(SITE, `bench-${id}.html`), "utf8");
const boot = '<script src="dist/leptos-consent-boot.js"></script>';
if (!process.env.VARIANTS) throw new Error("VARIANTS=<module> (see the comment at the top)");
const variants = (await import(new URL(process.env.VARIANTS, `file://${process.cwd()}/`).href)).default({ page, boot });
for (const [id, text] of Object.entries(variants)) writeFileSync(join(SITE, `bench-${id}.html`), text);
const ids = ["control", ...Object.keys(variants)].filter((id) => !(process.env.RET && id.includes("noboot")));
const profiles = Object.entries(ALL_PROFILES).filter(([k]) => !process.env.P || process.env.P.split(",").includes(k));
const server = await startServer(SITE, 0, MOUNTS);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
const RET = process.env.RET;
try {
  for (const [pname, profile] of profiles) {
    const runs = Object.fromEntries(ids.map((id) => [id, []]));
    for (let i = 0; i < RUNS; i++)
      for (const id of ids) {
        const context = await browser.newContext();
        const p = await context.newPage();
        if (RET && id !== "control") {
          // a returning visit: decide once, then a cold cache
          await p.goto(`${server.url}/bench-${id}.html`);
          await p.locator("[data-testid=lcc-accept-all]").click();
          await p.waitForTimeout(300);
        }
        await p.addInitScript(PROBE, { banner: RET || id === "control" ? null : BANNER, accept: null });
        // TIMES=1: when window.CookieConsent was defined (the boot script ran), beside the page's parse end.
        if (process.env.TIMES)
          await p.addInitScript(() => {
            let v;
            Object.defineProperty(window, "CookieConsent", { configurable: true, get: () => v, set: (x) => ((v = x), (window.__bench.boot ??= performance.now())) });
          });
        const cdp = await throttle(p, profile);
        if (RET && RET !== "warm") await cdp.send("Network.clearBrowserCache");
        let bytes = 0;
        const files = [];
        cdp.on("Network.loadingFinished", (e) => (bytes += e.encodedDataLength));
        p.on("request", (r) => /leptos-consent/.test(r.url()) && files.push(r.url().replace(/.*\//, "")));
        await p.goto(`${server.url}/bench-${id}.html`, { waitUntil: "load" });
        const get = (k) => p.waitForFunction((k) => window.__bench[k], k, { timeout: 20000 }).then(() => p.evaluate((k) => window.__bench[k], k));
        const r = { fcp: await get("fcp") }; await p.waitForTimeout(RET ? 0 : 600); Object.assign(r, await p.evaluate(() => ({ tbt: window.__bench.tbt, fromStart: window.__bench.fromStart })));
        if (!RET && id !== "control" && !id.includes("noboot")) r.banner = await get("bannerAt");
        if (process.env.TIMES) {
          await p.waitForFunction(() => window.__bench.boot, null, { timeout: 20000 }).catch(() => {});
          Object.assign(r, await p.evaluate(() => ({ boot: window.__bench.boot, parsed: performance.getEntriesByType("navigation")[0].domInteractive })));
        }
        if (RET) {
          await p.waitForFunction(() => window.lccDemoRuns.length >= 4, null, { timeout: 20000 });
          r.tag = await p.evaluate(() => Math.min(...window.lccDemoRuns.at_));
          await p.waitForTimeout(300);
          r.bytes = bytes;
          r.files = files.join(",");
        }
        runs[id].push(r);
        await context.close();
      }
    console.log(`## ${pname} (${RUNS} runs)`);
    for (const id of ids) {
      const m = (k) => { const v = median(runs[id].map((r) => r[k])); return v == null ? "-" : Math.round(v); };
      console.log(`${id.padEnd(24)} fcp ${m("fcp")}  banner ${m("banner")}  tbt ${m("tbt")} (from start ${m("fromStart")})  tag ${m("tag")}${process.env.TIMES ? `  boot ${m("boot")}  parsed ${m("parsed")}` : ""}  bytes ${m("bytes")} ${RET ? runs[id][0].files : ""}`);
    }
  }
} finally {
  await browser.close();
  await server.close();
  for (const id of ids) rmSync(join(SITE, `bench-${id}.html`), { force: true });
  for (const c of ours) rmSync(join(SITE, `bench-${c.id}.html`), { force: true });
}
