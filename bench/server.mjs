// The consent-log benchmark (`make bench-server`): lcc-server against @c15t/backend 2.2.1
// (bench/c15t), each on SQLite and on Postgres, in one run on this machine. One load
// generator (bench/loadgen, loopback only, bounded in count and time) posts one decision per
// request from 64 concurrent clients, a new visitor each time; the servers store each
// durably before answering (SQLite: WAL, synchronous=FULL; Postgres: fsync and
// synchronous_commit on). After each run every acknowledged decision is looked up in the
// database. Writes bench/results/<date>-server.md.
//
//   node bench/server.mjs                 (make bench-server builds what it needs first)
//   BENCH_SECONDS=10 BENCH_ONLY=lcc node bench/server.mjs
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fingerprint } from "../boot/logic.mjs";

const ROOT = new URL("../", import.meta.url).pathname;
const LCC = join(ROOT, "target/ssr-server/lcc-server");
const LOADGEN = join(ROOT, "target/ssr-server/lcc-loadgen");
const PG = join(ROOT, "tests/support/pg.sh");
const SECONDS = Number(process.env.BENCH_SECONDS || 20);
const CONCURRENCY = 64;
// Bounded: at most this many decisions a run (ours reaches it within the time bound).
const MAX_REQUESTS = Number(process.env.BENCH_REQUESTS || 200000);
const PG_PORT = 55520;
const only = process.env.BENCH_ONLY;

const dir = mkdtempSync(join(tmpdir(), "lcc-bench-server-"));
chmodSync(dir, 0o755); // Postgres runs as its own user, inside this folder
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function healthy(url) {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(url).then((r) => r.status < 500, () => false);
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

/** The peak resident memory of `pid` so far (VmHWM), in MB. */
function peakMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function loadgen(url, template, verifyLog, requests, warmup) {
  const out = execFileSync(
    LOADGEN,
    ["--url", url, "--template", template, "--concurrency", String(CONCURRENCY), "--requests", String(requests), "--warmup", String(warmup), "--max-seconds", String(SECONDS), "--verify-log", verifyLog],
    { encoding: "utf8", maxBuffer: 1 << 26 },
  );
  return JSON.parse(out.trim().split("\n").pop());
}

const acknowledged = (file) => readFileSync(file, "utf8").split("\n").filter(Boolean);

/** Our server on `db`: the load, then every acknowledged decision looked up with `lcc-server export`. */
async function ours(engine, db) {
  const configFile = join(ROOT, "consent-config.json");
  const configText = readFileSync(configFile, "utf8");
  const cfg = JSON.parse(configText);
  const categories = Object.fromEntries(cfg.categories.map((c) => [c.id, c.id !== "third-party"]));
  const services = Object.fromEntries(cfg.categories.flatMap((c) => (c.services || []).map((s) => [s.id, c.id !== "third-party"])));
  // The decision a browser posts (src/core/log.rs), a new visitor each request.
  const body = JSON.stringify({ v: 1, id: "{{uuid}}", seq: 1, first: 0, at: 0, rev: cfg.revision, config: fingerprint(configText), categories, services, source: "banner", lang: "en", gpc: false, origin: "http://127.0.0.1:8080", path: "/article" })
    .replace('"first":0', '"first":{{now_ms}}')
    .replace('"at":0', '"at":{{now_ms}}');
  const template = join(dir, "lcc.json");
  writeFileSync(template, JSON.stringify({ method: "POST", path: "/v1/decisions", headers: { "content-type": "text/plain;charset=UTF-8", origin: "http://127.0.0.1:8080" }, body }));
  const port = 18990;
  const env = {
    ...process.env,
    LCC_DATABASE_URL: db,
    LCC_LISTEN: `127.0.0.1:${port}`,
    LCC_KEY_FILE: join(dir, "receipt.key"),
    LCC_ALLOWED_ORIGINS: "http://127.0.0.1:8080",
    LCC_CONFIGS: configFile,
    // One address sends everything here: a limit per address would measure the limiter.
    LCC_RATE_LIMIT: "1000000/1000000",
  };
  const server = spawn(LCC, ["serve"], { env, stdio: ["ignore", "ignore", "inherit"] });
  await healthy(`http://127.0.0.1:${port}/healthz`);
  const log = join(dir, `lcc-${engine}.ids`);
  const r = loadgen(`http://127.0.0.1:${port}`, template, log, MAX_REQUESTS, 2000);
  const mb = peakMb(server.pid);
  server.kill("SIGTERM");
  await new Promise((d) => server.on("exit", d));
  const stored = new Set(
    execFileSync(LCC, ["export", "--format", "csv"], { env, encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "ignore"] })
      .split("\n")
      .slice(1)
      .map((l) => l.split(",")[2]),
  );
  const acked = acknowledged(log);
  const missing = acked.filter((id) => !stored.has(id)).length;
  return { ...r, peak_mb: mb, acked: acked.length, missing };
}

/** c15t on `db` (bench/c15t/server.mjs), the same load; acknowledged subjects counted in its tables. */
async function c15t(engine, db) {
  const port = 18991;
  const server = spawn("node", [join(ROOT, "bench/c15t/server.mjs"), "--db", db, "--port", String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((done, fail) => {
    server.once("exit", (c) => fail(new Error(`c15t exited ${c}`)));
    server.stdout.on("data", (d) => String(d).includes("ready") && done());
  });
  const log = join(dir, `c15t-${engine}.ids`);
  // Its domain, policy and purpose rows are made by the first decision: one first, alone
  // (concurrent first decisions make duplicates of them, bench/c15t/README.md).
  execFileSync("node", [join(ROOT, "bench/c15t/post.mjs"), "--url", `http://127.0.0.1:${port}`, "--requests", "1"], { stdio: "ignore" });
  const r = loadgen(`http://127.0.0.1:${port}`, join(ROOT, "bench/c15t/decision.json"), log, MAX_REQUESTS, 200);
  const mb = peakMb(server.pid);
  server.kill("SIGTERM");
  await new Promise((d) => server.on("exit", d));
  const counts = JSON.parse(execFileSync("node", [join(ROOT, "bench/c15t/counts.mjs"), "--db", db, "--ids", log], { encoding: "utf8" }));
  const acked = acknowledged(log);
  return { ...r, peak_mb: mb, acked: acked.length, missing: acked.length - counts.ids_with_consent, counts };
}

const results = [];
const clusters = [];
try {
  for (const engine of ["sqlite", "postgres"]) {
    for (const [name, run] of [["leptos-consent (lcc-server)", ours], ["c15t (@c15t/backend 2.2.1)", c15t]]) {
      if (only && !name.startsWith(only)) continue;
      let db;
      const tag = name.startsWith("c15t") ? "c15t" : "lcc";
      if (engine === "sqlite") db = `sqlite://${join(dir, `${tag}.db`)}`;
      else {
        // A fresh cluster for each server (the image has no psql to make databases with).
        const port = PG_PORT + clusters.length;
        clusters.push(join(dir, `pg-${tag}`));
        execFileSync(PG, ["start", clusters.at(-1), String(port)]);
        db = `postgres://postgres@127.0.0.1:${port}/postgres`;
      }
      if (tag === "c15t" && engine === "sqlite") db = db.replace("sqlite://", "sqlite:");
      const r = await run(engine, db);
      console.log(engine, name, JSON.stringify(r));
      results.push({ engine, name, ...r });
    }
  }
} finally {
  for (const c of clusters) execFileSync(PG, ["stop", c]);
}

const date = new Date().toISOString().slice(0, 10);
const cpu = readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*: (.*)/)?.[1] ?? "?";
const lines = [
  `# Consent log: decisions per second, ${date}`,
  "",
  `\`make bench-server\` (bench/server.mjs) on ${cpu}, ${execFileSync("nproc", { encoding: "utf8" }).trim()} cores, loopback only.`,
  `${CONCURRENCY} concurrent keep-alive clients (bench/loadgen, one core), one decision per request, a new visitor each time, at most ${MAX_REQUESTS} decisions or ${SECONDS} s a run after a warm-up; every decision stored durably before its answer (SQLite: WAL, synchronous=FULL; Postgres 15: fsync, synchronous_commit on). "acknowledged" counts every 2xx, the warm-up's included; "lost" counts acknowledged decisions not found in the database afterwards.`,
  "",
  "| engine | server | decisions/s | p50 ms | p99 ms | acknowledged | lost | non-2xx | peak memory MB |",
  "|---|---|---:|---:|---:|---:|---:|---:|---:|",
  ...results.map((r) => `| ${r.engine} | ${r.name} | ${Math.round(r.rps)} | ${r.p50_ms.toFixed(2)} | ${r.p99_ms.toFixed(2)} | ${r.acked} | ${r.missing} | ${r.requests - r.ok} | ${r.peak_mb.toFixed(1)} |`),
  "",
];
for (const engine of ["sqlite", "postgres"]) {
  const [a, b] = [results.find((r) => r.engine === engine && r.name.startsWith("leptos")), results.find((r) => r.engine === engine && r.name.startsWith("c15t"))];
  if (a && b) lines.push(`${engine}: ${(a.rps / b.rps).toFixed(1)}× c15t's throughput, p99 ${(a.p99_ms / b.p99_ms).toFixed(3)} of c15t's.`);
}
const text = lines.join("\n") + "\n";
console.log(text);
if (!only) writeFileSync(join(ROOT, `bench/results/${date}-server.md`), text);
rmSync(dir, { recursive: true, force: true });
