// `make demo`: the built demo (site/) served on http://127.0.0.1:8080 with its decisions kept
// by lcc-server on http://127.0.0.1:8790 (SQLite file target/demo/consent-log.db).
//
// The demo's pages are copied to target/demo/site with `log_url` added to each config and
// stamped again by lcc-check (the stamp vouches for the exact text); the config texts are
// registered with the server at start, so no browser has to send one. site/ itself stays as
// the tests and the benchmark use it: without a log.
import { spawn, execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = new URL("../", import.meta.url).pathname;
const OUT = join(ROOT, "target/demo");
const SITE = join(OUT, "site");
const LOG = "http://127.0.0.1:8790";
const CONFIG = /(<script id=cc-config type=application\/json)(?: data-checked="[^"]*")?(>)([\s\S]*?)(<\/script>)/;

rmSync(SITE, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
cpSync(join(ROOT, "site"), SITE, { recursive: true });

const withLog = (json) => {
  const cfg = JSON.parse(json);
  cfg.log_url = LOG + "/v1/decisions";
  return JSON.stringify(cfg, null, 2);
};
const configs = [];
const stamped = [];
for (const page of readdirSync(SITE).filter((f) => f.endsWith(".html"))) {
  const file = join(SITE, page);
  const html = readFileSync(file, "utf8");
  if (!CONFIG.test(html)) continue;
  let text;
  writeFileSync(file, html.replace(CONFIG, (_, a, b, json, c) => a + b + (text = withLog(json)) + c));
  const saved = join(OUT, `${page}.config.json`);
  writeFileSync(saved, text);
  configs.push(saved);
  stamped.push(file);
}
// The preference center reads its config from a file.
const file = join(SITE, "consent-config.json");
writeFileSync(file, withLog(readFileSync(file, "utf8")));
configs.push(file);
execFileSync(join(ROOT, "target/debug/lcc-check"), ["--write", ...stamped], { stdio: "inherit" });

const log = spawn(join(ROOT, "target/debug/lcc-server"), ["serve"], {
  stdio: "inherit",
  env: {
    ...process.env,
    LCC_DATABASE_URL: `sqlite://${join(OUT, "consent-log.db")}`,
    LCC_KEY_FILE: join(OUT, "receipt.key"),
    LCC_LISTEN: "127.0.0.1:8790",
    LCC_ALLOWED_ORIGINS: "http://127.0.0.1:8080,http://localhost:8080",
    LCC_CONFIGS: configs.join(","),
  },
});
const site = spawn("node", [join(ROOT, "tests/e2e/serve.mjs"), SITE, "8080"], { stdio: "inherit" });
console.log(`demo on http://127.0.0.1:8080, its consent log on ${LOG} (try ${LOG}/v1/consents/<your consent id>)`);
const stop = () => {
  log.kill();
  site.kill();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
log.on("exit", stop);
site.on("exit", stop);
