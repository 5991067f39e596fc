//! The log's storage: one schema on SQLite and Postgres through sqlx's `Any`
//! driver (placeholders `$1…`, which both engines read), and the writer that
//! commits decisions in groups.
//!
//! Durability: a decision is acknowledged only after the statement that
//! inserted it has committed (SQLite in WAL mode with `synchronous=FULL`,
//! Postgres with its default `synchronous_commit=on`). Committing one
//! decision at a time would make the disk's flush the limit; the writer
//! instead takes every decision waiting in its queue and inserts them with
//! one statement, so a burst costs one flush, and answers each one after.

use std::collections::HashSet;
use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor, Row};
use tokio::sync::{mpsc, oneshot};

use super::LogServerError;

/// The most decisions one insert statement carries ([`COLUMNS`] values each:
/// well under both engines' limit on bound values, 32,766 and 65,535).
const MAX_BATCH: usize = 256;
/// The values bound per decision.
const COLUMNS: usize = 18;

/// Which engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// A file, `sqlite://path`.
    Sqlite,
    /// A server, `postgres://…`.
    Postgres,
}

impl Engine {
    /// The engine of a database URL, if it is one this server speaks.
    pub fn of(url: &str) -> Option<Engine> {
        if url.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }
}

/// A decision ready to store (checked, receipt signed).
#[derive(Debug, Clone)]
pub struct NewDecision {
    /// The record's consent id.
    pub consent_id: String,
    /// The visitor's decision number under it.
    pub seq: i64,
    /// When the server stored it (Unix ms).
    pub server_ms: i64,
    /// When the visitor decided, by the browser's clock (Unix ms).
    pub client_ms: i64,
    /// When the visitor first decided, by the browser's clock.
    pub first_ms: i64,
    /// The config revision.
    pub revision: i64,
    /// The fingerprint of the config text shown.
    pub config: String,
    /// The SHA-256 of the config text the decision was checked against.
    pub config_sha256: String,
    /// Category id to granted (JSON object).
    pub categories: String,
    /// Service id to granted (JSON object).
    pub services: String,
    /// Where it was made (banner, modal, center, api, gpc).
    pub source: &'static str,
    /// The interface language.
    pub lang: String,
    /// Whether Global Privacy Control was on.
    pub gpc: bool,
    /// The page's origin.
    pub origin: String,
    /// The page's path (no query string).
    pub path: String,
    /// The /24 or /48 of the visitor's address, when the site opted in.
    pub ip_prefix: Option<String>,
    /// SHA-256 of the decision's text: equal for a repeated post.
    pub digest: String,
    /// The signed receipt returned for it (JSON).
    pub receipt: String,
}

/// What storing a decision came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Inserted now.
    New,
    /// The same consent id and sequence number were stored before: that
    /// row's digest and receipt.
    Existing {
        /// The stored decision's digest.
        digest: String,
        /// Its receipt.
        receipt: String,
    },
}

type Job = (NewDecision, oneshot::Sender<Result<Stored, String>>);

/// The database and the writers in front of it.
#[derive(Clone)]
pub struct Db {
    /// The connections for reads (history, configs, exports) and the purge.
    pub pool: AnyPool,
    /// SQLite or Postgres.
    pub engine: Engine,
    writer: mpsc::Sender<Job>,
}

/// A stored config.
#[derive(Debug, Clone)]
pub struct StoredConfig {
    /// SHA-256 (hex) of the text.
    pub sha256: String,
    /// The config text as shown.
    pub text: String,
    /// Whether the site registered it (not a browser).
    pub by_site: bool,
}

/// Who registered a config text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisteredBy {
    /// The site owner (`LCC_CONFIGS`, `routes(&[…])`): preferred for its fingerprint.
    Site,
    /// A browser, with a decision made under it.
    Browser,
}

impl RegisteredBy {
    fn as_str(self) -> &'static str {
        match self {
            RegisteredBy::Site => "site",
            RegisteredBy::Browser => "browser",
        }
    }
}

fn sqlite_url(url: &str) -> String {
    // Create the file on first start.
    if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

impl Db {
    /// Connects, sets the engine up for durable writes, runs the migrations
    /// kept in `migrations/<engine>` and starts the writers.
    pub async fn open(url: &str) -> Result<Db, LogServerError> {
        sqlx::any::install_default_drivers();
        let engine = Engine::of(url).ok_or_else(|| {
            LogServerError::Config(format!(
                "LCC_DATABASE_URL must start with sqlite:// or postgres:// (got {:?})",
                url.split(':').next().unwrap_or("")
            ))
        })?;
        let url = match engine {
            Engine::Sqlite => sqlite_url(url),
            Engine::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url).map_err(|e| LogServerError::Database(e.to_string()))?;
        let connect = |max: u32| {
            AnyPoolOptions::new()
                .max_connections(max)
                .acquire_timeout(std::time::Duration::from_secs(5))
                .after_connect(move |conn, _| {
                    Box::pin(async move {
                        if engine == Engine::Sqlite {
                            // WAL: readers never block the writer. FULL: a commit is on disk
                            // before it returns, so an acknowledged decision survives a crash
                            // of the machine, not only of this process.
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA synchronous = FULL").await?;
                            conn.execute("PRAGMA busy_timeout = 5000").await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                        }
                        Ok(())
                    })
                })
                .connect_with(options.clone())
        };
        // Readers (history, exports, configs, health) and the writers have pools of their
        // own: a burst of reads never leaves the writers waiting for a connection.
        let pool = connect(4).await.map_err(|e| LogServerError::Database(e.to_string()))?;
        let migrator = match engine {
            Engine::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Engine::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator
            .run(&pool)
            .await
            .map_err(|e| LogServerError::Database(format!("migrations: {e}")))?;
        // Postgres takes concurrent inserts: a few writers keep it busy while one
        // waits for its commit. SQLite serialises writers anyway.
        let writers = match engine {
            Engine::Sqlite => 1,
            Engine::Postgres => 4,
        };
        let write_pool = connect(writers)
            .await
            .map_err(|e| LogServerError::Database(e.to_string()))?;
        let (tx, rx) = mpsc::channel::<Job>(4 * 1024);
        let rx = std::sync::Arc::new(tokio::sync::Mutex::new(rx));
        for _ in 0..writers {
            tokio::spawn(write_loop(write_pool.clone(), rx.clone()));
        }
        Ok(Db {
            pool,
            engine,
            writer: tx,
        })
    }

    /// Stores a decision; returns once it is committed (or known to be stored already).
    pub async fn store(&self, row: NewDecision) -> Result<Stored, String> {
        let (tx, rx) = oneshot::channel();
        self.writer
            .send((row, tx))
            .await
            .map_err(|_| "writer stopped".to_owned())?;
        rx.await.map_err(|_| "writer stopped".to_owned())?
    }

    /// How many decisions wait for the writer.
    pub fn queued(&self) -> usize {
        self.writer.max_capacity() - self.writer.capacity()
    }

    /// The config text a decision naming this fingerprint is checked against:
    /// the site's, else the first a browser sent.
    pub async fn config(&self, fingerprint: &str) -> Result<Option<StoredConfig>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT sha256, config_text, registered_by FROM lcc_configs WHERE fingerprint = $1 \
             ORDER BY CASE WHEN registered_by = 'site' THEN 0 ELSE 1 END, first_seen_ms LIMIT 1",
        )
        .bind(fingerprint)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(stored_config))
    }

    /// The config text with this SHA-256 (what a receipt names).
    pub async fn config_by_sha256(&self, sha256: &str) -> Result<Option<StoredConfig>, sqlx::Error> {
        let row = sqlx::query("SELECT sha256, config_text, registered_by FROM lcc_configs WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(stored_config))
    }

    /// The highest sequence number stored under a consent id (0: none).
    pub async fn last_seq(&self, consent_id: &str) -> Result<i64, sqlx::Error> {
        let row = sqlx::query("SELECT MAX(seq) FROM lcc_decisions WHERE consent_id = $1")
            .bind(consent_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<Option<i64>, _>(0)?.unwrap_or(0))
    }

    /// How many config texts browsers have registered.
    pub async fn browser_configs(&self) -> Result<i64, sqlx::Error> {
        let row = sqlx::query("SELECT COUNT(*) FROM lcc_configs WHERE registered_by = 'browser'")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.get(0))
    }

    /// Stores a config text (once per SHA-256; a text the site registers that
    /// a browser sent first becomes the site's).
    pub async fn put_config(
        &self,
        fingerprint: &str,
        sha256: &str,
        revision: u32,
        text: &str,
        by: RegisteredBy,
        now_ms: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO lcc_configs (sha256, fingerprint, revision, config_text, registered_by, first_seen_ms) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(sha256)
        .bind(fingerprint)
        .bind(i64::from(revision))
        .bind(text)
        .bind(by.as_str())
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        if by == RegisteredBy::Site {
            sqlx::query("UPDATE lcc_configs SET registered_by = 'site' WHERE sha256 = $1")
                .bind(sha256)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Whether the database answers.
    pub async fn healthy(&self) -> bool {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await.is_ok()
    }

    /// Deletes decisions stored before `before_ms`, a bounded batch per
    /// statement (a purge never holds the database for long); returns how many.
    pub async fn purge(&self, before_ms: i64) -> Result<u64, sqlx::Error> {
        let mut total = 0;
        loop {
            let done = sqlx::query(
                "DELETE FROM lcc_decisions WHERE row_id IN \
                 (SELECT row_id FROM lcc_decisions WHERE server_ms < $1 ORDER BY row_id LIMIT 5000)",
            )
            .bind(before_ms)
            .execute(&self.pool)
            .await?;
            total += done.rows_affected();
            if done.rows_affected() < 5000 {
                return Ok(total);
            }
        }
    }
}

fn stored_config(r: sqlx::any::AnyRow) -> StoredConfig {
    StoredConfig {
        sha256: r.get(0),
        text: r.get(1),
        by_site: r.get::<String, _>(2) == "site",
    }
}

/// The most decisions the visitor's history lists (a consent id with more is
/// not a visitor's).
pub const HISTORY_LIMIT: i64 = 1000;
/// Rows an export reads per query.
pub const EXPORT_PAGE: i64 = 2000;

/// One stored decision, as exports and the visitor's history read it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LoggedRow {
    /// The record's consent id.
    pub consent_id: String,
    /// The visitor's decision number under it.
    pub seq: i64,
    /// When the server stored it (Unix ms).
    pub server_ms: i64,
    /// When the visitor decided, by the browser's clock (Unix ms).
    pub client_ms: i64,
    /// When the visitor first decided, by the browser's clock.
    pub first_ms: i64,
    /// The config revision.
    pub revision: i64,
    /// The fingerprint of the config text shown.
    pub config: String,
    /// The SHA-256 of the config text the decision was checked against.
    pub config_sha256: String,
    /// Category id to granted (JSON object).
    pub categories: serde_json::Value,
    /// Service id to granted (JSON object).
    pub services: serde_json::Value,
    /// Where it was made (banner, modal, center, api, gpc).
    pub source: String,
    /// The interface language.
    pub lang: String,
    /// Whether Global Privacy Control was on.
    pub gpc: bool,
    /// The page's origin.
    pub origin: String,
    /// The page's path (no query string).
    pub path: String,
    /// The /24 or /48 of the visitor's address, when the site opted in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_prefix: Option<String>,
    /// The signed receipt returned for it (JSON).
    pub receipt: serde_json::Value,
    /// The row's place in the table (exports page by it).
    #[serde(skip)]
    pub row_id: i64,
}

const SELECT_ROWS: &str = "SELECT consent_id, seq, server_ms, client_ms, first_ms, revision, config, categories, \
     services, source, lang, gpc, origin, path, ip_prefix, receipt, config_sha256, row_id FROM lcc_decisions";

fn logged_row(r: &sqlx::any::AnyRow) -> LoggedRow {
    let json = |i: usize| serde_json::from_str(&r.get::<String, _>(i)).unwrap_or(serde_json::Value::Null);
    LoggedRow {
        consent_id: r.get(0),
        seq: r.get(1),
        server_ms: r.get(2),
        client_ms: r.get(3),
        first_ms: r.get(4),
        revision: r.get(5),
        config: r.get(6),
        categories: json(7),
        services: json(8),
        source: r.get(9),
        lang: r.get(10),
        gpc: r.get::<i64, _>(11) != 0,
        origin: r.get(12),
        path: r.get(13),
        ip_prefix: r.get(14),
        receipt: json(15),
        config_sha256: r.get(16),
        row_id: r.get(17),
    }
}

impl Db {
    /// The decisions under one consent id, oldest first (at most [`HISTORY_LIMIT`]).
    pub async fn history(&self, consent_id: &str) -> Result<Vec<LoggedRow>, sqlx::Error> {
        let sql = format!("{SELECT_ROWS} WHERE consent_id = $1 ORDER BY seq LIMIT {HISTORY_LIMIT}");
        let rows = sqlx::query(&sql).bind(consent_id).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(logged_row).collect())
    }

    /// One page of an export: decisions stored in `[from_ms, to_ms)`,
    /// optionally of one revision, after row `after`, in the order stored.
    pub async fn export_page(
        &self,
        from_ms: i64,
        to_ms: i64,
        revision: Option<u32>,
        after: i64,
    ) -> Result<Vec<LoggedRow>, sqlx::Error> {
        let rev = if revision.is_some() { " AND revision = $4" } else { "" };
        let sql = format!(
            "{SELECT_ROWS} WHERE server_ms >= $1 AND server_ms < $2 AND row_id > $3{rev} ORDER BY row_id LIMIT {EXPORT_PAGE}"
        );
        let mut query = sqlx::query(&sql).bind(from_ms).bind(to_ms).bind(after);
        if let Some(rev) = revision {
            query = query.bind(i64::from(rev));
        }
        Ok(query.fetch_all(&self.pool).await?.iter().map(logged_row).collect())
    }

    /// Every decision of an export handed to `each` in turn, page by page (an
    /// export of millions of rows never sits in memory); returns how many.
    pub async fn export(
        &self,
        from_ms: i64,
        to_ms: i64,
        revision: Option<u32>,
        mut each: impl FnMut(LoggedRow) -> std::io::Result<()>,
    ) -> Result<u64, LogServerError> {
        let (mut after, mut n) = (0, 0);
        loop {
            let page = self
                .export_page(from_ms, to_ms, revision, after)
                .await
                .map_err(|e| LogServerError::Database(e.to_string()))?;
            let last = page.len() < EXPORT_PAGE as usize;
            for row in page {
                after = row.row_id;
                each(row).map_err(|e| LogServerError::Io(e.to_string()))?;
                n += 1;
            }
            if last {
                return Ok(n);
            }
        }
    }
}

async fn write_loop(pool: AnyPool, rx: std::sync::Arc<tokio::sync::Mutex<mpsc::Receiver<Job>>>) {
    loop {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        {
            let mut rx = rx.lock().await;
            let Some(first) = rx.recv().await else { return };
            batch.push(first);
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
        }
        match insert(&pool, &batch).await {
            Ok(results) => {
                for ((_, reply), result) in batch.into_iter().zip(results) {
                    let _ = reply.send(Ok(result));
                }
            }
            Err(e) => {
                let msg = e.to_string();
                for (_, reply) in batch {
                    let _ = reply.send(Err(msg.clone()));
                }
            }
        }
    }
}

/// Inserts a batch with one statement; decisions already stored are looked up.
async fn insert(pool: &AnyPool, batch: &[Job]) -> Result<Vec<Stored>, sqlx::Error> {
    let mut sql = String::from(
        "INSERT INTO lcc_decisions (consent_id, seq, server_ms, client_ms, first_ms, revision, config, \
         config_sha256, categories, services, source, lang, gpc, origin, path, ip_prefix, digest, receipt) VALUES ",
    );
    for i in 0..batch.len() {
        if i > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..COLUMNS {
            if c > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("${}", i * (COLUMNS) + c + 1));
        }
        sql.push(')');
    }
    sql.push_str(" ON CONFLICT (consent_id, seq) DO NOTHING RETURNING consent_id, seq");
    // Rows go in key order (a stable sort keeps repeats of a key in batch order): two
    // instances inserting overlapping keys then take their locks in the same order and
    // cannot deadlock each other on Postgres.
    let mut rows: Vec<&NewDecision> = batch.iter().map(|(r, _)| r).collect();
    rows.sort_by(|a, b| (&a.consent_id, a.seq).cmp(&(&b.consent_id, b.seq)));
    let mut q = sqlx::query(&sql);
    for r in rows {
        q = q
            .bind(r.consent_id.clone())
            .bind(r.seq)
            .bind(r.server_ms)
            .bind(r.client_ms)
            .bind(r.first_ms)
            .bind(r.revision)
            .bind(r.config.clone())
            .bind(r.config_sha256.clone())
            .bind(r.categories.clone())
            .bind(r.services.clone())
            .bind(r.source)
            .bind(r.lang.clone())
            .bind(i64::from(r.gpc))
            .bind(r.origin.clone())
            .bind(r.path.clone())
            .bind(r.ip_prefix.clone())
            .bind(r.digest.clone())
            .bind(r.receipt.clone());
    }
    let inserted: HashSet<(String, i64)> = q
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| (row.get::<String, _>(0), row.get::<i64, _>(1)))
        .collect();
    let mut out = Vec::with_capacity(batch.len());
    let mut claimed = HashSet::new();
    for (r, _) in batch {
        let key = (r.consent_id.clone(), r.seq);
        // A key inserted by this statement belongs to the first job that carried it.
        if inserted.contains(&key) && claimed.insert(key) {
            out.push(Stored::New);
        } else {
            let row = sqlx::query("SELECT digest, receipt FROM lcc_decisions WHERE consent_id = $1 AND seq = $2")
                .bind(r.consent_id.clone())
                .bind(r.seq)
                .fetch_one(pool)
                .await?;
            out.push(Stored::Existing {
                digest: row.get(0),
                receipt: row.get(1),
            });
        }
    }
    Ok(out)
}
