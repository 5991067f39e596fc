// c15t consent-log backend (@c15t/backend, pinned in package.json) served over HTTP on
// 127.0.0.1, for the consent-log benchmark (side by side with our own server).
//
//   node bench/c15t/server.mjs --db sqlite:/path/file.db --port 8787
//   node bench/c15t/server.mjs --db postgres://postgres@127.0.0.1:55432/c15t --port 8787
//
// Set up as c15t's docs and CLI do it (node_modules/@c15t/backend/docs/self-host/*,
// `@c15t/cli self-host migrate`): c15t's Kysely adapter on both engines (better-sqlite3 for
// SQLite, pg.Pool for PostgreSQL), the schema created by c15t's own migrator
// (`@c15t/backend/db/migrator`, schema 'latest') at start, the handler mounted with
// @hono/node-server. Prints `ready <port>` on stdout once it accepts connections.
//
// Options:
//   --db URL            sqlite:<path> or postgres://… / postgresql://… (required)
//   --port N            listen port on 127.0.0.1 (default 8787)
//   --no-policy-pack    legacy mode: no policyPacks (default: c15t's quickstart pack)
//   --log LEVEL         c15t logger level (error|warn|info|debug); default: logging disabled
//   --migrate-only      create/upgrade the schema, print `migrated`, and exit
//   --add-index         NOT c15t as shipped: also create an index on consent("subjectId").
//                       c15t's schema has none, and every POST /subjects looks the new
//                       consent up by (subjectId, domainId, policyId, givenAt, tenantId), a
//                       full scan of the consent table; throughput falls as the table grows.

import { createRequire } from 'node:module';
import { c15tInstance, policyPackPresets, version as c15tVersion } from '@c15t/backend';
import { kyselyAdapter } from '@c15t/backend/db/adapters/kysely';
import { migrator } from '@c15t/backend/db/migrator';
import { DB } from '@c15t/backend/db/schema';
import { serve } from '@hono/node-server';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';

const require = createRequire(import.meta.url);

function usage(msg) {
	process.stderr.write(
		`c15t server: ${msg}\nusage: node server.mjs --db sqlite:/path/file.db|postgres://user@host:port/db [--port 8787] [--no-policy-pack] [--log error] [--migrate-only] [--add-index]\n`
	);
	process.exit(2);
}

function parseArgs(argv) {
	const opts = { db: null, port: 8787, policyPack: true, log: null, migrateOnly: false, addIndex: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = () => {
			const v = argv[++i];
			if (v === undefined) usage(`${a} needs a value`);
			return v;
		};
		if (a === '--db') opts.db = value();
		else if (a === '--port') opts.port = Number(value());
		else if (a === '--no-policy-pack') opts.policyPack = false;
		else if (a === '--log') opts.log = value();
		else if (a === '--migrate-only') opts.migrateOnly = true;
		else if (a === '--add-index') opts.addIndex = true;
		else usage(`unknown argument ${a}`);
	}
	if (!opts.db) usage('--db is required');
	if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) usage('bad --port');
	if (opts.log && !['error', 'warn', 'info', 'debug'].includes(opts.log)) usage('bad --log');
	return opts;
}

const opts = parseArgs(process.argv.slice(2));

// --- database --------------------------------------------------------------------------------

let kysely;
let provider;
let describe;

if (opts.db.startsWith('sqlite:')) {
	const file = opts.db.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''); // sqlite:/p and sqlite:///p
	if (!file) usage('sqlite: needs a file path');
	const { default: Database } = await import('better-sqlite3');
	const sqlite = new Database(file);
	// WAL with synchronous=FULL: every commit is fsynced (WAL + NORMAL would be faster but may
	// lose the last commits on power loss). Foreign keys on, since fumadb's default relation
	// mode relies on the database's own foreign keys (PostgreSQL enforces them anyway).
	const journal = sqlite.pragma('journal_mode = WAL', { simple: true });
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	const sync = sqlite.pragma('synchronous', { simple: true }); // 2 = FULL
	describe = `sqlite ${file} (journal_mode=${journal}, synchronous=${sync === 2 ? 'FULL' : sync}, foreign_keys=ON, better-sqlite3 ${require('better-sqlite3/package.json').version}, SQLite ${sqlite.prepare('select sqlite_version() v').get().v})`;
	kysely = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
	provider = 'sqlite';
} else if (/^postgres(ql)?:\/\//.test(opts.db)) {
	const { default: pg } = await import('pg');
	// pg.Pool with its defaults (max 10 connections), as in c15t's database-setup guide.
	const pool = new pg.Pool({ connectionString: opts.db });
	describe = `postgresql ${opts.db.replace(/:[^:@/]*@/, ':***@')} (pg ${require('pg/package.json').version}, pg.Pool max=${pool.options.max})`;
	kysely = new Kysely({ dialect: new PostgresDialect({ pool }) });
	provider = 'postgresql';
} else {
	usage(`unsupported --db ${opts.db}`);
}

const adapter = kyselyAdapter({ db: kysely, provider });

// --- schema: c15t's own migrator (what `@c15t/cli self-host migrate` runs) --------------------

const dbClient = DB.client(adapter);
const latestVersion = dbClient.schemas.at(-1).version;
let currentVersion = null;
try {
	currentVersion = await dbClient.version(); // throws while c15t's tables do not exist yet
} catch {}
if (currentVersion === latestVersion) {
	process.stderr.write(`c15t: schema ${currentVersion} up to date\n`);
} else {
	const migration = await migrator({ db: dbClient, schema: 'latest' });
	const statements = (migration.getSQL?.() ?? '').split(/;\s*\n/).filter((s) => s.trim()).length;
	await migration.execute();
	process.stderr.write(`c15t: schema ${currentVersion ?? '(none)'} -> ${latestVersion} (${statements} statements)\n`);
}
if (opts.addIndex) {
	await sql`create index if not exists "bench_consent_subjectId" on "consent" ("subjectId")`.execute(kysely);
	process.stderr.write('c15t: --add-index: index bench_consent_subjectId on consent("subjectId") (not part of c15t\'s schema)\n');
}
if (opts.migrateOnly) {
	await kysely.destroy();
	process.stdout.write('migrated\n');
	process.exit(0);
}

// --- c15t instance -----------------------------------------------------------------------------

const c15t = c15tInstance({
	appName: 'c15t-bench',
	adapter,
	// 'localhost' also admits http://127.0.0.1:<any port> and [::1] (c15t's CORS matcher).
	trustedOrigins: ['localhost', '127.0.0.1'],
	logger: opts.log ? { level: opts.log } : { disabled: true },
	// The quickstart pack from c15t's policy-packs guide: EU/EEA/UK opt-in (also the fallback
	// when no geo header is present), California opt-out, no banner elsewhere.
	...(opts.policyPack
		? {
				policyPacks: [
					policyPackPresets.europeOptIn(),
					policyPackPresets.californiaOptOut(),
					policyPackPresets.worldNoBanner(),
				],
			}
		: {}),
});

// --- HTTP ------------------------------------------------------------------------------------

const server = serve({ fetch: c15t.handler, hostname: '127.0.0.1', port: opts.port }, (info) => {
	process.stderr.write(`c15t ${c15tVersion} on http://127.0.0.1:${info.port}/ — ${describe}; policyPacks=${opts.policyPack ? 'quickstart' : 'none'}${opts.addIndex ? ', +index consent(subjectId)' : ''}\n`);
	process.stdout.write(`ready ${info.port}\n`);
});

let shuttingDown = false;
async function shutdown(signal) {
	if (shuttingDown) return;
	shuttingDown = true;
	process.stderr.write(`c15t: ${signal}, closing\n`);
	server.close();
	if (typeof server.closeAllConnections === 'function') server.closeAllConnections();
	try {
		await kysely.destroy();
	} finally {
		process.exit(0);
	}
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
