// Row counts of c15t's tables, and optionally how many given subject ids have a consent row.
//
//   node bench/c15t/counts.mjs --db sqlite:/path/file.db|postgres://… [--ids FILE]
//
// --ids FILE: one request a line, either "<uuid>" (as lcc-loadgen --verify-log writes it; mapped
// to sub_<base58 of the uuid's 16 bytes>, the {{uuid_b58}} of decision.json) or
// "<uuid> sub_<id>" (as post.mjs --ids writes it). Prints JSON on stdout.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const TABLES = ['subject', 'domain', 'consentPolicy', 'consentPurpose', 'runtimePolicyDecision', 'consent', 'auditLog'];
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function uuidB58(uuid) {
	const bytes = Buffer.from(uuid.replaceAll('-', ''), 'hex');
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

const args = process.argv.slice(2);
const opt = (name) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};
const db = opt('--db');
if (!db) {
	process.stderr.write('usage: node counts.mjs --db sqlite:/path/file.db|postgres://… [--ids FILE]\n');
	process.exit(2);
}
const idsFile = opt('--ids');
const subjectIds = idsFile
	? readFileSync(idsFile, 'utf8')
			.split('\n')
			.map((l) => l.trim())
			.filter(Boolean)
			.map((l) => l.split(/\s+/)[1] ?? `sub_${uuidB58(l)}`)
	: null;

const out = {};
if (db.startsWith('sqlite:')) {
	const Database = require('better-sqlite3');
	const conn = new Database(db.slice('sqlite:'.length), { readonly: true, fileMustExist: true });
	for (const t of TABLES) out[t] = conn.prepare(`select count(*) c from "${t}"`).get().c;
	if (subjectIds) {
		const stmt = conn.prepare('select count(*) c from consent where "subjectId" = ?');
		out.ids = subjectIds.length;
		out.ids_with_consent = subjectIds.filter((s) => stmt.get(s).c > 0).length;
	}
	conn.close();
} else {
	const pg = require('pg');
	const client = new pg.Client({ connectionString: db });
	await client.connect();
	for (const t of TABLES) out[t] = Number((await client.query(`select count(*) c from "${t}"`)).rows[0].c);
	if (subjectIds) {
		const r = await client.query('select count(distinct "subjectId") c from consent where "subjectId" = any($1)', [subjectIds]);
		out.ids = subjectIds.length;
		out.ids_with_consent = Number(r.rows[0].c);
	}
	await client.end();
}
console.log(JSON.stringify(out));
