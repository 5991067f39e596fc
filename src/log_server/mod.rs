//! The consent-log server (`log-server` feature): proof of each consent for the
//! site owner, a signed receipt for the visitor.
//!
//! `lcc-server serve` runs it on its own; a site's axum app mounts the same
//! routes with [`routes`]. What it stores, the endpoints and how to deploy it:
//! docs/consent-log.md. Each posted decision is read and checked by the same
//! core the browser uses ([`crate::core::LoggedDecision`]), stored once per
//! consent id and sequence number, and answered with a receipt signed by the
//! key [`keys::Keys`] keeps.

pub mod db;
pub mod export;
mod http;
pub mod keys;
mod limit;
mod metrics;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

pub use http::{router, KEY_PATH};

/// Why the server could not start or an operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogServerError {
    /// A setting is wrong (the message names it).
    Config(String),
    /// The database refused or is unreachable.
    Database(String),
    /// A file or socket failed.
    Io(String),
}

impl std::fmt::Display for LogServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LogServerError::Config(m) => write!(f, "setting: {m}"),
            LogServerError::Database(m) => write!(f, "database: {m}"),
            LogServerError::Io(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for LogServerError {}

/// How long decisions are kept by default: 3 years. A record proves a consent
/// that lasts at most 13 months (the library caps expiry at 395 days) and must
/// still exist when a complaint or an audit about it can come, which is years
/// later; three years is the general limitation period for civil claims in
/// Germany (BGB §195) and within the range of most EU states'. Keeping longer
/// keeps more personal data than the purpose needs; a site owner whose counsel
/// says otherwise sets `LCC_RETENTION_DAYS`.
pub const DEFAULT_RETENTION_DAYS: u32 = 3 * 365;

/// The server's settings, from `LCC_*` environment variables (docs/consent-log.md).
#[derive(Debug, Clone)]
pub struct Settings {
    /// `LCC_DATABASE_URL`: `sqlite://file.db` (default `sqlite://lcc-consent-log.db`) or `postgres://…`.
    pub database_url: String,
    /// `LCC_LISTEN`: the address `lcc-server serve` listens on (default `127.0.0.1:8790`).
    pub listen: SocketAddr,
    /// `LCC_KEY_FILE`: the receipt key, made on first start (default `lcc-receipt.key`).
    pub key_file: PathBuf,
    /// `LCC_ALLOWED_ORIGINS`: the sites' origins, comma-separated
    /// (`https://shop.example,https://www.shop.example`). Browsers from any other
    /// origin are refused. Empty: only requests without an `Origin` header.
    pub allowed_origins: Vec<String>,
    /// `LCC_ADMIN_TOKEN`: the bearer token of the admin API (at least 32
    /// characters). Unset: the admin API is off.
    pub admin_token: Option<String>,
    /// `LCC_RETENTION_DAYS` ([`DEFAULT_RETENTION_DAYS`]).
    pub retention_days: u32,
    /// `LCC_PURGE_EVERY_SECS`: how often the retention purge runs (default 3600).
    pub purge_every: Duration,
    /// `LCC_STORE_IP=truncated`: keep the /24 (IPv4) or /48 (IPv6) of the
    /// visitor's address. Default: no address at all.
    pub store_ip: bool,
    /// `LCC_TRUST_PROXY=1`: take the client address from the last
    /// `X-Forwarded-For` entry (behind one reverse proxy that sets it).
    pub trust_proxy: bool,
    /// `LCC_RATE_LIMIT=<per second>/<burst>` per client address (default
    /// `5/30`); `off` for none.
    pub rate_limit: Option<(f64, f64)>,
    /// `LCC_CONFIGS`: config files to register at start (comma-separated), so
    /// their fingerprints are known before any browser sends the text.
    pub configs: Vec<PathBuf>,
    /// `LCC_ACCEPT_CONFIGS=0`: refuse config texts sent by browsers (only
    /// `LCC_CONFIGS` ones are known). Default: accept one the core validates.
    pub accept_configs: bool,
    /// `LCC_MAX_BROWSER_CONFIGS`: how many config texts browsers may register
    /// (default 20): each is kept for good, so a client cannot grow the table
    /// without bound by sending texts.
    pub max_browser_configs: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://lcc-consent-log.db".to_owned(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8790)),
            key_file: PathBuf::from("lcc-receipt.key"),
            allowed_origins: Vec::new(),
            admin_token: None,
            retention_days: DEFAULT_RETENTION_DAYS,
            purge_every: Duration::from_secs(3600),
            store_ip: false,
            trust_proxy: false,
            rate_limit: Some((5.0, 30.0)),
            configs: Vec::new(),
            accept_configs: true,
            max_browser_configs: 20,
        }
    }
}

impl Settings {
    /// Reads the `LCC_*` variables over the defaults; a variable that is set
    /// but wrong is an error naming it.
    pub fn from_env() -> Result<Settings, LogServerError> {
        Self::from_vars(|k| std::env::var(k).ok())
    }

    /// [`Settings::from_env`] over any source of variables.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Settings, LogServerError> {
        let bad = |k: &str, why: &str| LogServerError::Config(format!("{k}: {why}"));
        let mut s = Settings::default();
        if let Some(v) = var("LCC_DATABASE_URL") {
            s.database_url = v;
        }
        if let Some(v) = var("LCC_LISTEN") {
            s.listen = v.parse().map_err(|_| bad("LCC_LISTEN", "not an address:port"))?;
        }
        if let Some(v) = var("LCC_KEY_FILE") {
            s.key_file = v.into();
        }
        if let Some(v) = var("LCC_ALLOWED_ORIGINS") {
            s.allowed_origins = v
                .split(',')
                .map(|o| o.trim().trim_end_matches('/').to_owned())
                .filter(|o| !o.is_empty())
                .collect();
            if let Some(o) = s
                .allowed_origins
                .iter()
                .find(|o| !(o.starts_with("https://") || o.starts_with("http://")))
            {
                return Err(bad("LCC_ALLOWED_ORIGINS", &format!("{o:?} is not an http(s) origin")));
            }
        }
        if let Some(v) = var("LCC_ADMIN_TOKEN") {
            if v.len() < 32 {
                return Err(bad("LCC_ADMIN_TOKEN", "must be at least 32 characters"));
            }
            s.admin_token = Some(v);
        }
        if let Some(v) = var("LCC_RETENTION_DAYS") {
            s.retention_days = v
                .parse()
                .ok()
                .filter(|d| *d >= 1)
                .ok_or_else(|| bad("LCC_RETENTION_DAYS", "not a whole number of days ≥ 1"))?;
        }
        if let Some(v) = var("LCC_PURGE_EVERY_SECS") {
            let secs: u64 = v
                .parse()
                .ok()
                .filter(|d| *d >= 1)
                .ok_or_else(|| bad("LCC_PURGE_EVERY_SECS", "not a whole number of seconds ≥ 1"))?;
            s.purge_every = Duration::from_secs(secs);
        }
        if let Some(v) = var("LCC_STORE_IP") {
            s.store_ip = match v.as_str() {
                "truncated" => true,
                "off" | "" => false,
                _ => {
                    return Err(bad(
                        "LCC_STORE_IP",
                        "\"truncated\" or \"off\" (a full address is never stored)",
                    ))
                }
            };
        }
        if let Some(v) = var("LCC_TRUST_PROXY") {
            s.trust_proxy = matches!(v.as_str(), "1" | "true" | "yes");
        }
        if let Some(v) = var("LCC_RATE_LIMIT") {
            s.rate_limit = if v == "off" {
                None
            } else {
                let (rate, burst) = v
                    .split_once('/')
                    .and_then(|(r, b)| Some((r.parse::<f64>().ok()?, b.parse::<f64>().ok()?)))
                    .filter(|(r, b)| *r > 0.0 && *b >= 1.0)
                    .ok_or_else(|| bad("LCC_RATE_LIMIT", "<per second>/<burst>, e.g. 5/30, or off"))?;
                Some((rate, burst))
            };
        }
        if let Some(v) = var("LCC_CONFIGS") {
            s.configs = v.split(',').filter(|p| !p.is_empty()).map(PathBuf::from).collect();
        }
        if let Some(v) = var("LCC_ACCEPT_CONFIGS") {
            s.accept_configs = !matches!(v.as_str(), "0" | "false" | "no");
        }
        if let Some(v) = var("LCC_MAX_BROWSER_CONFIGS") {
            s.max_browser_configs = v
                .parse()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| bad("LCC_MAX_BROWSER_CONFIGS", "not a whole number ≥ 0"))?;
        }
        Ok(s)
    }
}

/// Why a config text was not registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigRefusal {
    /// The core does not accept it (the message names what is wrong).
    Invalid(String),
    /// Another text answers for this fingerprint (the site's, or the first a browser sent).
    Conflict(String),
    /// Browsers have sent `LCC_MAX_BROWSER_CONFIGS` texts already.
    Limit,
    /// The database failed.
    Database(String),
}

impl std::fmt::Display for ConfigRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigRefusal::Invalid(e) => write!(f, "not a valid config: {e}"),
            ConfigRefusal::Conflict(fp) => write!(f, "another config text is registered under fingerprint {fp}"),
            ConfigRefusal::Limit => {
                f.write_str("the server takes no more config texts from browsers: register this one with LCC_CONFIGS")
            }
            ConfigRefusal::Database(e) => write!(f, "database: {e}"),
        }
    }
}

/// A config the server knows: read and checked by the core, with the digest of its text.
pub(crate) struct KnownConfig {
    pub config: crate::core::ConsentConfig,
    pub sha256: String,
}

/// The running log: settings, database, key, counters.
pub struct LogServer {
    pub(crate) settings: Settings,
    pub(crate) db: db::Db,
    pub(crate) keys: keys::Keys,
    pub(crate) configs: RwLock<HashMap<String, Arc<KnownConfig>>>,
    pub(crate) limiter: limit::Limiter,
    pub(crate) metrics: metrics::Metrics,
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

impl LogServer {
    /// Opens the database (running its migrations), loads or makes the
    /// receipt key, registers `LCC_CONFIGS` and starts the retention purge.
    pub async fn open(settings: Settings) -> Result<Arc<LogServer>, LogServerError> {
        let db = db::Db::open(&settings.database_url).await?;
        let keys = keys::Keys::load_or_create(&settings.key_file)?;
        let server = Arc::new(LogServer {
            limiter: limit::Limiter::new(settings.rate_limit),
            settings,
            db,
            keys,
            configs: RwLock::new(HashMap::new()),
            metrics: metrics::Metrics::default(),
        });
        for path in &server.settings.configs {
            let text = std::fs::read_to_string(path)
                .map_err(|e| LogServerError::Io(format!("LCC_CONFIGS {}: {e}", path.display())))?;
            server
                .register_config(&text, db::RegisteredBy::Site)
                .await
                .map_err(|e| LogServerError::Config(format!("LCC_CONFIGS {}: {e}", path.display())))?;
        }
        let weak = Arc::downgrade(&server);
        tokio::spawn(async move {
            loop {
                let every = match weak.upgrade() {
                    Some(s) => {
                        s.purge_once().await;
                        s.settings.purge_every
                    }
                    None => return,
                };
                tokio::time::sleep(every).await;
            }
        });
        Ok(server)
    }

    /// Deletes what is past retention; returns how many decisions went.
    pub async fn purge_once(&self) -> u64 {
        let before = now_ms().saturating_sub(u64::from(self.settings.retention_days) * 86_400_000);
        self.limiter.forget_idle();
        match self.db.purge(before as i64).await {
            Ok(n) => {
                self.metrics.purged(n);
                n
            }
            Err(e) => {
                eprintln!("lcc-server: retention purge failed: {e}");
                0
            }
        }
    }

    /// Stores a config text (validated by the core) and makes it the one its
    /// fingerprint is checked against when it should be: a text the site
    /// registers always is; one a browser sends only when no other text has
    /// that fingerprint, and only while fewer than `LCC_MAX_BROWSER_CONFIGS`
    /// came from browsers.
    pub async fn register_config(&self, text: &str, by: db::RegisteredBy) -> Result<String, ConfigRefusal> {
        let config = crate::core::ConsentConfig::from_json(text).map_err(|e| ConfigRefusal::Invalid(e.to_string()))?;
        let fingerprint = crate::core::config_fingerprint(text);
        let sha = keys::sha256_hex(text.as_bytes());
        let database = |e: sqlx::Error| ConfigRefusal::Database(e.to_string());
        if by == db::RegisteredBy::Browser {
            if let Some(other) = self.db.config(&fingerprint).await.map_err(database)? {
                if other.sha256 != sha {
                    return Err(ConfigRefusal::Conflict(fingerprint));
                }
            } else if self.db.browser_configs().await.map_err(database)? >= self.settings.max_browser_configs {
                return Err(ConfigRefusal::Limit);
            }
        }
        self.db
            .put_config(&fingerprint, &sha, config.revision, text, by, now_ms() as i64)
            .await
            .map_err(database)?;
        let preferred = self.db.config(&fingerprint).await.map_err(database)?;
        match preferred {
            Some(p) if p.sha256 == sha => {
                self.remember(&fingerprint, config, sha);
                Ok(fingerprint)
            }
            _ => Err(ConfigRefusal::Conflict(fingerprint)),
        }
    }

    fn remember(&self, fingerprint: &str, config: crate::core::ConsentConfig, sha256: String) -> Arc<KnownConfig> {
        let known = Arc::new(KnownConfig { config, sha256 });
        if let Ok(mut map) = self.configs.write() {
            map.insert(fingerprint.to_owned(), known.clone());
        }
        known
    }

    /// The server's database (for the CLI's export and purge).
    pub fn db(&self) -> &db::Db {
        &self.db
    }

    /// The receipt key's public half.
    pub fn public_key(&self) -> ed25519_dalek::VerifyingKey {
        self.keys.public()
    }
}

/// The log's routes for a site's own axum app, settings from the `LCC_*`
/// variables, with the app's config texts registered (so that no browser has
/// to send one): `app.merge(log_server::routes(&[CONSENT_CONFIG]).await?)`.
pub async fn routes<S: Clone + Send + Sync + 'static>(configs: &[&str]) -> Result<axum::Router<S>, LogServerError> {
    let server = LogServer::open(Settings::from_env()?).await?;
    for text in configs {
        server
            .register_config(text, db::RegisteredBy::Site)
            .await
            .map_err(|e| LogServerError::Config(format!("the app's consent config: {e}")))?;
    }
    Ok(router(server))
}
