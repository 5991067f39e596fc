//! Counters for Prometheus (`GET /metrics`, text format 0.0.4).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Upper bounds (seconds) of the store-latency histogram's buckets.
const BUCKETS: [f64; 10] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1.0, 5.0];

/// What the server has done since it started.
#[derive(Default)]
pub struct Metrics {
    stored: AtomicU64,
    repeated: AtomicU64,
    refused: [AtomicU64; REASONS.len()],
    db_errors: AtomicU64,
    purged: AtomicU64,
    latency: [AtomicU64; BUCKETS.len() + 1],
    latency_sum_us: AtomicU64,
}

/// Why a post was refused, as the metric's `reason` label.
pub const REASONS: [&str; 9] = [
    "too_large",
    "malformed",
    "invalid",
    "not_under_config",
    "config_unknown",
    "origin_not_allowed",
    "rate_limited",
    "sequence_taken",
    "unsupported_media_type",
];

impl Metrics {
    /// A decision stored; `seconds` from request to commit.
    pub fn stored(&self, seconds: f64, new: bool) {
        if new { &self.stored } else { &self.repeated }.fetch_add(1, Relaxed);
        let i = BUCKETS.iter().position(|b| seconds <= *b).unwrap_or(BUCKETS.len());
        self.latency[i].fetch_add(1, Relaxed);
        self.latency_sum_us.fetch_add((seconds * 1e6) as u64, Relaxed);
    }

    /// A post refused for `reason` (one of [`REASONS`]).
    pub fn refused(&self, reason: &str) {
        if let Some(i) = REASONS.iter().position(|r| *r == reason) {
            self.refused[i].fetch_add(1, Relaxed);
        }
    }

    /// The database failed a write or read.
    pub fn db_error(&self) {
        self.db_errors.fetch_add(1, Relaxed);
    }

    /// The purge deleted `n` decisions.
    pub fn purged(&self, n: u64) {
        self.purged.fetch_add(n, Relaxed);
    }

    /// The Prometheus text.
    pub fn render(&self, queued: usize) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# HELP lcc_decisions_stored_total Decisions stored (new ones).");
        let _ = writeln!(out, "# TYPE lcc_decisions_stored_total counter");
        let _ = writeln!(out, "lcc_decisions_stored_total {}", self.stored.load(Relaxed));
        let _ = writeln!(
            out,
            "# HELP lcc_decisions_repeated_total Posts of a decision already stored (answered with its receipt)."
        );
        let _ = writeln!(out, "# TYPE lcc_decisions_repeated_total counter");
        let _ = writeln!(out, "lcc_decisions_repeated_total {}", self.repeated.load(Relaxed));
        let _ = writeln!(out, "# HELP lcc_decisions_refused_total Posts refused, nothing stored.");
        let _ = writeln!(out, "# TYPE lcc_decisions_refused_total counter");
        for (reason, n) in REASONS.iter().zip(&self.refused) {
            let _ = writeln!(
                out,
                "lcc_decisions_refused_total{{reason=\"{reason}\"}} {}",
                n.load(Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP lcc_database_errors_total Database operations that failed (answered 503)."
        );
        let _ = writeln!(out, "# TYPE lcc_database_errors_total counter");
        let _ = writeln!(out, "lcc_database_errors_total {}", self.db_errors.load(Relaxed));
        let _ = writeln!(
            out,
            "# HELP lcc_decisions_purged_total Decisions deleted by the retention purge."
        );
        let _ = writeln!(out, "# TYPE lcc_decisions_purged_total counter");
        let _ = writeln!(out, "lcc_decisions_purged_total {}", self.purged.load(Relaxed));
        let _ = writeln!(out, "# HELP lcc_write_queue Decisions waiting for the database writer.");
        let _ = writeln!(out, "# TYPE lcc_write_queue gauge");
        let _ = writeln!(out, "lcc_write_queue {queued}");
        let _ = writeln!(out, "# HELP lcc_store_seconds From a decision's arrival to its commit.");
        let _ = writeln!(out, "# TYPE lcc_store_seconds histogram");
        let mut cumulative = 0;
        for (bound, n) in BUCKETS.iter().zip(&self.latency) {
            cumulative += n.load(Relaxed);
            let _ = writeln!(out, "lcc_store_seconds_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        cumulative += self.latency[BUCKETS.len()].load(Relaxed);
        let _ = writeln!(out, "lcc_store_seconds_bucket{{le=\"+Inf\"}} {cumulative}");
        let _ = writeln!(
            out,
            "lcc_store_seconds_sum {}",
            self.latency_sum_us.load(Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "lcc_store_seconds_count {cumulative}");
        out
    }
}
