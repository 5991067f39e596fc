// A small static file server for the built demo: 127.0.0.1 only, ordinary cache headers.
// `node serve.mjs <dir> <port>` serves until stopped; tests import `startServer`.
import { createServer } from "node:http";
import { brotliCompressSync, constants } from "node:zlib";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

/// `mounts` maps URL prefixes (ending in "/") to other directories.
export function startServer(dir, port = 0, mounts = {}) {
  const roots = [
    ...Object.entries(mounts).map(([prefix, d]) => [prefix, resolve(d)]),
    ["/", resolve(dir)],
  ];
  const compressed = new Map();
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://127.0.0.1");
      const pathname = decodeURIComponent(url.pathname);
      const [prefix, root] = roots.find(([p]) => pathname.startsWith(p));
      const path = normalize("/" + pathname.slice(prefix.length));
      let file = join(root, path);
      if (!file.startsWith(root)) throw new Error("outside root");
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, "index.html");
      const { mtimeMs, size } = await stat(file);
      let body = await readFile(file);
      // Test pages only: `?reload_on_revoke=false` turns the reload off in the page's inline config.
      const noReload = prefix !== "/" && url.searchParams.get("reload_on_revoke") === "false";
      if (noReload) body = body.toString().replace('"revision": 1,', '"revision": 1, "reload_on_revoke": false,');
      const headers = {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": extname(file) === ".html" ? "no-cache" : "public, max-age=3600",
        vary: "accept-encoding",
      };
      // The distribution, as a CDN serves it: its module scripts and wasm load from
      // another origin, or from a sandboxed iframe's opaque origin, only with CORS.
      if (pathname.startsWith("/dist/")) headers["access-control-allow-origin"] = "*";
      // Brotli, as a production server would send it (so byte counts are realistic).
      // Compressed once per file version and kept, as a CDN or a server with precompressed
      // files does (compressing at quality 11 on every request would delay each response
      // by the compression time, more for bigger files, and hold up every other request).
      if (TYPES[extname(file)] && /\bbr\b/.test(req.headers["accept-encoding"] || "")) {
        const key = `${file} ${mtimeMs} ${size} ${noReload}`;
        if (!compressed.has(key)) compressed.set(key, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        body = compressed.get(key);
        headers["content-encoding"] = "br";
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  return new Promise((ok) => {
    server.listen(port, "127.0.0.1", () => {
      const { port } = server.address();
      ok({ url: `http://127.0.0.1:${port}`, port, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir = "dist", port = "8080"] = process.argv.slice(2);
  const { url } = await startServer(dir, Number(port));
  console.log(`serving ${dir} on ${url}`);
}
