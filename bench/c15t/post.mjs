// Sanity driver for the c15t harness (not the benchmark's load generator): sends N requests
// built from a template like decision.json to a running server.mjs, back to back on one
// keep-alive connection per worker, and prints status counts and requests/s.
//
//   node bench/c15t/post.mjs --url http://127.0.0.1:8787 [--template decision.json]
//        [--requests 200] [--concurrency 1] [--ids FILE]
//
// Placeholders, replaced per request:
//   {{uuid}}      a fresh random UUIDv4
//   {{uuid_b58}}  the same 16 bytes as {{uuid}}, base58 (Bitcoin alphabet): c15t subject ids
//                 must match ^sub_[1-9A-HJ-NP-Za-km-z]+$, so a UUID cannot be used as is
//   {{now_ms}}    Unix time in ms
//   {{n}}         request index from 0
// --ids FILE writes "uuid sub_<uuid_b58>" of every 2xx request, one a line.

import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58(bytes) {
	let n = 0n;
	for (const b of bytes) n = (n << 8n) | BigInt(b);
	let out = '';
	while (n > 0n) {
		out = B58[Number(n % 58n)] + out;
		n /= 58n;
	}
	for (const b of bytes) {
		if (b !== 0) break;
		out = `1${out}`;
	}
	return out;
}

function uuidB58(uuid) {
	return base58(Buffer.from(uuid.replaceAll('-', ''), 'hex'));
}

function parseArgs(argv) {
	const o = {
		url: 'http://127.0.0.1:8787',
		template: join(dirname(fileURLToPath(import.meta.url)), 'decision.json'),
		requests: 200,
		concurrency: 1,
		ids: null,
	};
	for (let i = 0; i < argv.length; i++) {
		const k = argv[i];
		const v = argv[++i];
		if (v === undefined) throw new Error(`${k} needs a value`);
		if (k === '--url') o.url = v;
		else if (k === '--template') o.template = v;
		else if (k === '--requests') o.requests = Number(v);
		else if (k === '--concurrency') o.concurrency = Number(v);
		else if (k === '--ids') o.ids = v;
		else throw new Error(`unknown argument ${k}`);
	}
	return o;
}

const o = parseArgs(process.argv.slice(2));
const tpl = JSON.parse(readFileSync(o.template, 'utf8'));
const target = new URL(o.url);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('loopback only');
const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });

function fill(s, v) {
	return s.replace(/\{\{(\w+)\}\}/g, (_, name) => {
		if (!(name in v)) throw new Error(`unknown placeholder {{${name}}}`);
		return String(v[name]);
	});
}

function send(n) {
	const uuid = randomUUID();
	const v = { uuid, uuid_b58: uuidB58(uuid), now_ms: Date.now(), n };
	const body = Buffer.from(fill(tpl.body ?? '', v));
	const t0 = process.hrtime.bigint();
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: target.hostname,
				port: target.port,
				method: tpl.method,
				path: fill(tpl.path, v),
				headers: { ...tpl.headers, 'content-length': body.length },
				agent,
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode,
						body: Buffer.concat(chunks).toString(),
						ms: Number(process.hrtime.bigint() - t0) / 1e6,
						v,
					})
				);
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

const statuses = {};
const lat = [];
const ids = [];
let next = 0;
let firstError = null;
const start = process.hrtime.bigint();
await Promise.all(
	Array.from({ length: o.concurrency }, async () => {
		while (next < o.requests) {
			const r = await send(next++);
			statuses[r.status] = (statuses[r.status] ?? 0) + 1;
			lat.push(r.ms);
			if (r.status >= 200 && r.status < 300) ids.push(`${r.v.uuid} sub_${r.v.uuid_b58}`);
			else if (!firstError) firstError = `${r.status} ${r.body.slice(0, 300)}`;
		}
	})
);
const secs = Number(process.hrtime.bigint() - start) / 1e9;
agent.destroy();
lat.sort((a, b) => a - b);
const pct = (p) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]?.toFixed(2);
if (o.ids) writeFileSync(o.ids, ids.length ? `${ids.join('\n')}\n` : '');
console.log(
	JSON.stringify({
		requests: o.requests,
		concurrency: o.concurrency,
		statuses,
		seconds: Number(secs.toFixed(3)),
		rps: Number((o.requests / secs).toFixed(1)),
		p50_ms: Number(pct(50)),
		p99_ms: Number(pct(99)),
		first_error: firstError,
	})
);
process.exit(firstError ? 1 : 0);
