// What fills the main thread's long tasks on a first visit: one of the benchmark's pages
// under a Chromium trace, each task over 30 ms listed with the work inside it (parsing,
// scripts, style, layout, fetches started). A probe for questions the benchmark's figures
// raise; what it showed is in bench/notes.md.
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
const pages = [CONTROL, ...CONTESTANTS].filter((c) => c.id === id);
if (!pages.length) throw new Error(`no page ${id}: the control or a contestant of bench/peers.mjs`);
writePages(SITE, pages, demoHtml(SITE));
// The trace events worth naming inside a task (the rest are their callers or too fine).
const WORK = /^(ParseHTML|EvaluateScript|v8\.compile|v8\.evaluateModule|TimerFire|EventDispatch|UpdateLayoutTree|Layout|Paint|Commit|ResourceFetcher::requestResource|Document::FinishedParsing|HTMLDocumentParser::PrepareToStopParsing|Document::UpdateStyleAndLayout)$/;

const server = await startServer(SITE, 0, MOUNTS);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
try {
  for (let i = 0; i < Number(views); i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await throttle(page, profile);
    await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink", "loading", "toplevel"] });
    await page.goto(`${server.url}/bench-${id}.html`, { waitUntil: "load" });
    await page.waitForTimeout(800);
    const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
    const fcp = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime);
    // The renderer's main thread is the one that parsed the page.
    const parse = events.find((e) => e.name === "ParseHTML" && e.args?.beginData?.url?.endsWith(`bench-${id}.html`));
    const main = events.filter((e) => e.pid === parse.pid && e.tid === parse.tid && e.ph === "X");
    const start = events.find((e) => e.name === "navigationStart" && e.pid === parse.pid)?.ts ?? main[0].ts;
    const at = (ts) => ((ts - start) / 1000).toFixed(0);
    console.log(`--- ${id}, view ${i + 1}: first contentful paint ${fcp?.toFixed(0)} ms`);
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
  await browser.close();
  await server.close();
  for (const c of pages) rmSync(join(SITE, `bench-${c.id}.html`), { force: true });
}
