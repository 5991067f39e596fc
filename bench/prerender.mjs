// A measured question, not a product shape: how soon would a first visit see the banner if
// the first layer's markup were written into the page ahead of time, and what would that
// cost every page view? Two prototypes of ours, against ours as shipped and the control:
//
//   pre   the early banner's markup first in <body>, its stylesheet inline in <head>: on
//         screen with the page's first paint (it shows for a returning visitor too: nothing
//         here hides it; only first visits are timed);
//   pre2  the same markup hidden, and a script after the boot script that, when nothing is
//         stored, asks for the banner's stylesheet as render-blocking and unhides it.
//
// The markup is taken from a live first visit (what boot/banner.mjs draws), renamed so that
// the early banner's own (which still comes, and is the one whose buttons work) does not
// clash. First visits only, each profile of the benchmark, interleaved, fresh context each.
//
//   make build && node bench/prerender.mjs site 13      (after make bench-deps)
//
// Prints medians of the page's first paint and the banner's first frame (the benchmark's
// probe), the bytes each prototype adds to every page view (brotli of the whole page, with
// and without), and writes bench/results/<date>-prerender.md.
import { chromium } from "../tests/e2e/node_modules/playwright-core/index.mjs";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer } from "../tests/e2e/serve.mjs";
import { CONTESTANTS, CONTROL, MOUNTS, demoHtml } from "./peers.mjs";
import { ALL_PROFILES, ARGS, PROBE, byteCounts, median, throttle, writePages } from "./probe.mjs";

const SITE = process.argv[2] || "site";
const RUNS = Number(process.argv[3] || 13);
const BANNER = "[data-testid=lcc-banner]";
const br = (s) => byteCounts(Buffer.from(s)).brotli;
const date = new Date().toISOString().slice(0, 10);
const pagePath = (id) => join(SITE, `bench-${id}.html`);

// The pages as the benchmark writes them: the control, ours as a file and pasted (stamped).
const html = demoHtml(SITE);
const ours = CONTESTANTS.filter((c) => c.id === "ours" || c.id === "ours-inline");
writePages(SITE, [CONTROL, ...ours], html);

const server = await startServer(SITE, 0, MOUNTS);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ARGS });
try {
  // The early banner's markup, from a first visit.
  const tab = await browser.newPage();
  await tab.goto(`${server.url}/bench-ours-inline.html`);
  await tab.locator(BANNER).waitFor();
  const markup = (
    await tab.evaluate((sel) => {
      let el = document.querySelector(sel);
      while (el.parentElement !== document.body) el = el.parentElement;
      return el.outerHTML;
    }, BANNER)
  ).replaceAll("lcc-boot", "lcc-pre");
  await tab.close();

  const css = readFileSync(join(SITE, "dist/leptos-consent-banner.css"), "utf8");
  const ask =
    "<script>if(!localStorage.getItem(\"lcc_consent\")){document.documentElement.setAttribute(\"data-lcc-ask\",\"\");" +
    "const l=document.createElement(\"link\");l.rel=\"stylesheet\";l.href=\"/dist/leptos-consent-banner.css\";l.setAttribute(\"blocking\",\"render\");" +
    "document.head.appendChild(l);const s=document.createElement(\"style\");s.textContent=\"html[data-lcc-ask] #lcc-pre{display:block!important}\";" +
    "document.head.appendChild(s)}</script>";
  const afterBody = (h, add) => {
    const at = h.indexOf(">", h.indexOf("<body")) + 1;
    return h.slice(0, at) + add + h.slice(at);
  };
  const added = {};
  const ids = ["control"];
  for (const c of ours) {
    const h = readFileSync(pagePath(c.id), "utf8");
    const pre = afterBody(h.replace("</head>", `<style>${css}</style></head>`), markup);
    // After the boot script: the pasted one, or the tag of the file.
    const afterBoot = h.indexOf("</script>", h.indexOf(c.id === "ours" ? "leptos-consent-boot.js" : "data-base=")) + "</script>".length;
    const pre2 = afterBody(h.slice(0, afterBoot) + ask + h.slice(afterBoot), markup.replace('class="lcc-root"', 'class="lcc-root" hidden'));
    for (const [v, text] of [["pre", pre], ["pre2", pre2]]) {
      writeFileSync(pagePath(`${c.id}-${v}`), text);
      added[`${c.id}-${v}`] = br(text) - br(h);
    }
    ids.push(c.id, `${c.id}-pre`, `${c.id}-pre2`);
  }

  const ms = (xs) => (median(xs) == null ? "–" : Math.round(median(xs)));
  const lines = [
    `# Pre-rendered first layer (prototype), ${date}`,
    "",
    `${RUNS} interleaved first visits per cell, medians, ms from navigation start: the page's first contentful paint, and the banner's first frame (the benchmark's probe; an IntersectionObserver's time, the start of the frame, which the paint's presentation follows). Prototypes, not the product: bench/prerender.mjs.`,
    "",
    "| page | bytes added to every page view, brotli | " + Object.keys(ALL_PROFILES).map((p) => `${p}: first paint / banner`).join(" | ") + " |",
    "|---|---:|" + Object.keys(ALL_PROFILES).map(() => "---:").join("|") + "|",
  ];
  const cells = Object.fromEntries(ids.map((id) => [id, []]));
  for (const profile of Object.values(ALL_PROFILES)) {
    const runs = Object.fromEntries(ids.map((id) => [id, []]));
    for (let i = 0; i < RUNS; i++)
      for (const id of ids) {
        const context = await browser.newContext();
        const p = await context.newPage();
        await p.addInitScript(PROBE, { banner: id === "control" ? null : BANNER, accept: null });
        await throttle(p, profile);
        await p.goto(`${server.url}/bench-${id}.html`, { waitUntil: "load" });
        const get = (k) => p.waitForFunction((k) => window.__bench[k], k, { timeout: 20000 }).then(() => p.evaluate((k) => window.__bench[k], k));
        runs[id].push({ fcp: await get("fcp"), banner: id === "control" ? null : await get("bannerAt") });
        await context.close();
      }
    for (const id of ids) cells[id].push(`${ms(runs[id].map((r) => r.fcp))} / ${ms(runs[id].map((r) => r.banner))}`);
  }
  for (const id of ids) lines.push(`| ${id} | ${added[id] ?? "–"} | ${cells[id].join(" | ")} |`);
  // Issue 7's returning-visitor budget: what the consent manager transfers, 4 KB brotli.
  const boot = br(readFileSync(join(SITE, "dist/leptos-consent-boot.js")));
  lines.push("", `A returning visitor's page view (issue 7: at most 4,096 B brotli of the consent manager, and no banner UI): the boot script is ${boot} B; ` +
    Object.entries(added).map(([id, n]) => `${id} ${boot + n} B`).join(", ") + ".");
  const out = lines.join("\n") + "\n";
  console.log(out);
  mkdirSync(new URL("results", import.meta.url), { recursive: true });
  writeFileSync(new URL(`results/${date}-prerender.md`, import.meta.url), out);
} finally {
  await browser.close();
  await server.close();
  // (As run.mjs: the pages are the run's own.)
  for (const id of ["control", ...ours.flatMap((c) => [c.id, `${c.id}-pre`, `${c.id}-pre2`])]) rmSync(pagePath(id), { force: true });
}
