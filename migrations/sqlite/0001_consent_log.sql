-- The consent log (docs/consent-log.md). Postgres has the same tables in
-- migrations/postgres; only the row id's type differs.

-- Each config text a visitor was shown, once per fingerprint.
CREATE TABLE lcc_configs (
    fingerprint   TEXT PRIMARY KEY,
    sha256        TEXT NOT NULL,
    revision      BIGINT NOT NULL,
    config_text   TEXT NOT NULL,
    first_seen_ms BIGINT NOT NULL
);

-- One row per decision, append-only (only the retention purge deletes).
CREATE TABLE lcc_decisions (
    row_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    consent_id  TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    server_ms   BIGINT NOT NULL,
    client_ms   BIGINT NOT NULL,
    first_ms    BIGINT NOT NULL,
    revision    BIGINT NOT NULL,
    config      TEXT NOT NULL REFERENCES lcc_configs (fingerprint),
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
