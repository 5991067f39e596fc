// What fills the main thread's long tasks on a first visit: one of the benchmark's pages
// under a Chromium trace, each task over 30 ms listed with the work inside it (parsing,
// scripts, style, layout, fetches started). A probe for questions the benchmark's figures
// raise; what it showed is in bench/notes.md. Only complete events are read (Chromium
// writes the ones listed below as such).
//
//   make build && node bench/trace.mjs ours 3            (page id, views; P=profile, "4x CPU" by default)
//   node bench/trace.mjs control 3
import { chromium } from "../tests/e2e/node_modules/playwright-core/index.mjs";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { startServer } from "../tests/e2e/serve.mjs";
import { CONTESTANTS, CONTROL, MOUNTS, demoHtml } from "./peers.mjs";
import { ALL_PROFILES, ARGS, throttle, writePages } from "./probe.mjs";

const SITE = "site";
const [id = "ours", views = "3"] = process.argv.slice(2);
const profile = ALL_PROFILES[process.env.P || "4x CPU"];
if (!profile) throw new Error(`no profile ${process.env.P}: one of ${Object.keys(ALL_PROFILES).join(", ")}`);
const pages = [CONTROL, ...CONTESTANTS].filter((c) => c.id === id);
if (!pages.length) throw new Error(`no page ${id}: the control or a contestant of bench/peers.mjs`);
// The trace events worth naming inside a task (the rest are their callers or too fine).
const WORK = /^(ParseHTML|EvaluateScript|v8\.compile|v8\.evaluateModule|TimerFire|EventDispatch|UpdateLayoutTree|Layout|Paint|Commit|ResourceFetcher::requestResource|Document::FinishedParsing|HTMLDocumentParser::PrepareToStopParsing|Document::UpdateStyleAndLayout)$/;

let server, browser;
try {
  writePages(SITE, pages, demoHtml(SITE));
  server = await startServer(SITE, 0, MOUNTS);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
  for (let i = 0; i < Number(views); i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await throttle(page, profile);
    await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink", "blink.user_timing", "loading", "toplevel"] });
    await page.goto(`${server.url}/bench-${id}.html`, { waitUntil: "load" });
    await page.waitForTimeout(800);
    const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
    // The renderer's main thread is the one that parsed the page; times count from the page's
    // own navigation start (not about:blank's), on the trace's clock.
    const parse = events.find((e) => e.name === "ParseHTML" && e.args?.beginData?.url?.endsWith(`bench-${id}.html`));
    const start = events.find((e) => e.name === "navigationStart" && e.args?.data?.documentLoaderURL?.endsWith(`bench-${id}.html`));
    const fcp = events.find((e) => e.name === "firstContentfulPaint" && e.pid === parse?.pid);
    if (!parse || !start) throw new Error("the trace has no parse or navigation start of the page: its event names changed");
    const main = events.filter((e) => e.pid === parse.pid && e.tid === parse.tid && e.ph === "X");
    const at = (ts) => ((ts - start.ts) / 1000).toFixed(0);
    console.log(`--- ${id}, view ${i + 1}: first contentful paint at ${fcp ? at(fcp.ts) : "?"} ms`);
    for (const task of main.filter((e) => e.name === "ThreadControllerImpl::RunTask" && e.dur > 30000)) {
      console.log(`task at ${at(task.ts)} ms, ${(task.dur / 1000).toFixed(1)} ms`);
      for (const e of main)
        if (e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur && e.dur > 700 && WORK.test(e.name)) {
          const url = e.args?.data?.url || e.args?.beginData?.url || "";
          console.log(`  +${((e.ts - task.ts) / 1000).toFixed(1)}  ${(e.dur / 1000).toFixed(1).padStart(5)} ms  ${e.name} ${url.replace(/.*\//, "")}`);
        }
    }
    await context.close();
  }
} finally {
  await browser?.close();
  await server?.close();
  for (const c of pages) rmSync(join(SITE, `bench-${c.id}.html`), { force: true });
}
