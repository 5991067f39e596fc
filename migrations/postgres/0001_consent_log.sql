-- The consent log (docs/consent-log.md). SQLite has the same tables in
-- migrations/sqlite; only the row id's type differs.

-- Each config text a visitor was shown, once: keyed by its SHA-256. The fingerprint a
-- decision names (32 bits, the boot protocol's) may in theory be shared by two texts; a
-- text the site registered (LCC_CONFIGS, routes()) is preferred over one a browser sent.
CREATE TABLE lcc_configs (
    sha256        TEXT PRIMARY KEY,
    fingerprint   TEXT NOT NULL,
    revision      BIGINT NOT NULL,
    config_text   TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    first_seen_ms BIGINT NOT NULL
);

CREATE INDEX lcc_configs_by_fingerprint ON lcc_configs (fingerprint);

-- One row per decision, append-only (only the retention purge deletes).
CREATE TABLE lcc_decisions (
    row_id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consent_id  TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    server_ms   BIGINT NOT NULL,
    client_ms   BIGINT NOT NULL,
    first_ms    BIGINT NOT NULL,
    revision    BIGINT NOT NULL,
    config      TEXT NOT NULL,
    config_sha256 TEXT NOT NULL REFERENCES lcc_configs (sha256),
    categories  TEXT NOT NULL,
    services    TEXT NOT NULL,
    source      TEXT NOT NULL,
    lang        TEXT NOT NULL,
    gpc         BIGINT NOT NULL,
    origin      TEXT NOT NULL,
    path        TEXT NOT NULL,
    ip_prefix   TEXT,
    digest      TEXT NOT NULL,
    receipt     TEXT NOT NULL,
    UNIQUE (consent_id, seq)
);

CREATE INDEX lcc_decisions_by_time ON lcc_decisions (server_ms);
