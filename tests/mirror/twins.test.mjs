// Every JS function that mirrors a core function names its twin (`// Twin: src/core/<file>.rs
// <fn>` right above it) and the Rust twin names it back (`/// Twin: boot/<file>.mjs <fn>`):
// a marker without its twin, or naming a function that is not there, fails here. What the
// pairs compute is held equal by the shared tables (boot-logic.test.mjs); this keeps a reader
// able to find one from the other.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const read = (path) => readFileSync(new URL(path, root), "utf8").split("\n");

/** The markers of one file: [this file, the function below the marker, its twin's file, the twin]. */
function markers(path, marker, declaration, skip) {
  const lines = read(path);
  const out = [];
  lines.forEach((line, i) => {
    const m = marker.exec(line);
    if (!m) return;
    let j = i + 1;
    while (j < lines.length && skip.test(lines[j])) j++;
    const d = declaration.exec(lines[j] || "");
    assert.ok(d, `${path}:${i + 1}: "${line.trim()}" is not right above a function`);
    out.push([path, d[1] || d[2], m[1], m[2]]);
  });
  return out;
}

const js = readdirSync(new URL("boot/", root))
  .filter((f) => f.endsWith(".mjs"))
  .flatMap((f) =>
    markers(`boot/${f}`, /^\s*\/\/ Twin: (\S+) (\w+)\s*$/, /^\s*(?:export\s+)?(?:async\s+)?(?:function\s+(\w+)|const\s+(\w+)\s*=)/, /^\s*\/\/ Twin: /),
  );
const rust = readdirSync(new URL("src/core/", root))
  .filter((f) => f.endsWith(".rs"))
  .flatMap((f) => markers(`src/core/${f}`, /^\s*\/\/\/ Twin: (\S+) (\w+)\s*$/, /^\s*(?:pub(?:\([^)]*\))?\s+)?fn\s+(\w+)/, /^\s*(\/\/\/|#\[)/));

test("every JS twin of a core function is named back by it, and the other way round", () => {
  assert.ok(js.length >= 30, `${js.length} JS twins`);
  const key = ([file, fn, twinFile, twin]) => `${file} ${fn} = ${twinFile} ${twin}`;
  const rustKeys = new Set(rust.map(([file, fn, twinFile, twin]) => key([twinFile, twin, file, fn])));
  const jsKeys = new Set(js.map(key));
  for (const m of js) assert.ok(rustKeys.has(key(m)), `${m[0]} ${m[1]} names ${m[2]} ${m[3]}, which does not name it back`);
  for (const [file, fn, twinFile, twin] of rust)
    assert.ok(jsKeys.has(key([twinFile, twin, file, fn])), `${file} ${fn} names ${twinFile} ${twin}, which does not name it back`);
});
