//! Exports for the site owner: CSV and NDJSON, by time range and revision.

use serde::Deserialize;

use super::db::{Db, LoggedRow};
use super::LogServerError;

/// An export's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One header line, then a line per decision.
    Csv,
    /// One JSON object per line, as stored (with the receipt).
    Ndjson,
}

impl ExportFormat {
    /// `csv` or `ndjson`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(ExportFormat::Csv),
            "ndjson" | "jsonl" => Some(ExportFormat::Ndjson),
            _ => None,
        }
    }
}

/// The admin API's export parameters, as given.
#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    /// From (inclusive): Unix ms or `YYYY-MM-DD` (UTC midnight). Default: the beginning.
    pub from: Option<String>,
    /// To (exclusive): Unix ms or `YYYY-MM-DD`. Default: now and after.
    pub to: Option<String>,
    /// Only this config revision.
    pub rev: Option<u32>,
    /// `csv` (default) or `ndjson`.
    pub format: Option<String>,
}

impl ExportQuery {
    /// The range, revision and format, or `None` when a value is not readable.
    pub fn resolve(&self) -> Option<(i64, i64, Option<u32>, ExportFormat)> {
        let from = self.from.as_deref().map_or(Some(0), parse_time)?;
        let to = self.to.as_deref().map_or(Some(i64::MAX), parse_time)?;
        let format = self
            .format
            .as_deref()
            .map_or(Some(ExportFormat::Csv), ExportFormat::parse)?;
        Some((from, to, self.rev, format))
    }
}

/// Unix ms, or a `YYYY-MM-DD` date as its UTC midnight.
pub fn parse_time(s: &str) -> Option<i64> {
    if let Ok(ms) = s.parse::<i64>() {
        return Some(ms);
    }
    let mut parts = s.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || y < 1970 {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400_000)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix ms as `YYYY-MM-DDTHH:MM:SS.mmmZ` (a time before 1970 as 1970).
pub fn iso_utc(ms: i64) -> String {
    crate::core::utc_iso(ms.max(0) as u64)
}

/// The CSV header line.
pub const CSV_HEADER: &str =
    "server_time,client_time,consent_id,seq,revision,config,config_sha256,source,lang,gpc,origin,path,granted,refused,ip_prefix\n";

fn csv_field(out: &mut String, text: &str) {
    // Quoted when needed; a leading = + - @ is prefixed with ' so a spreadsheet
    // never runs a page path as a formula.
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&text);
    }
}

fn ids(map: &serde_json::Value, on: bool) -> Vec<String> {
    map.as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| v.as_bool() == Some(on))
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// One decision as a CSV line (granted and refused: ids separated by spaces,
/// categories then services).
pub fn csv_line(r: &LoggedRow) -> String {
    let mut granted = ids(&r.categories, true);
    granted.extend(ids(&r.services, true));
    let mut refused = ids(&r.categories, false);
    refused.extend(ids(&r.services, false));
    let fields = [
        iso_utc(r.server_ms),
        iso_utc(r.client_ms),
        r.consent_id.clone(),
        r.seq.to_string(),
        r.revision.to_string(),
        r.config.clone(),
        r.config_sha256.clone(),
        r.source.clone(),
        r.lang.clone(),
        r.gpc.to_string(),
        r.origin.clone(),
        r.path.clone(),
        granted.join(" "),
        refused.join(" "),
        r.ip_prefix.clone().unwrap_or_default(),
    ];
    let mut out = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(&mut out, f);
    }
    out.push('\n');
    out
}

/// One decision as a line of `format`.
pub fn line(format: ExportFormat, r: &LoggedRow) -> String {
    match format {
        ExportFormat::Csv => csv_line(r),
        ExportFormat::Ndjson => ndjson_line(r),
    }
}

/// One decision as an NDJSON line.
pub fn ndjson_line(r: &LoggedRow) -> String {
    let mut line = serde_json::to_string(r).unwrap_or_default();
    line.push('\n');
    line
}

/// Writes an export to `out` row by row; returns how many decisions.
pub async fn export_to(
    db: &Db,
    from: i64,
    to: i64,
    rev: Option<u32>,
    format: ExportFormat,
    out: &mut (dyn std::io::Write + Send),
) -> Result<u64, LogServerError> {
    if format == ExportFormat::Csv {
        out.write_all(CSV_HEADER.as_bytes())
            .map_err(|e| LogServerError::Io(e.to_string()))?;
    }
    db.export(from, to, rev, |r| out.write_all(line(format, &r).as_bytes()))
        .await
}
