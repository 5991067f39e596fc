//! Shared helpers for the native test files.
#![allow(dead_code)]

use leptos_consent::core::{ConsentConfig, ConsentRecord};

/// The demo site's config, read out of `index.html` so the tests and the demo never drift apart.
pub fn demo_config_json() -> String {
    let html = include_str!("../../index.html");
    let start = html.find(r#"id="cc-config">"#).expect("config script in index.html") + r#"id="cc-config">"#.len();
    let end = start + html[start..].find("</script>").expect("end of config script");
    html[start..end].to_owned()
}

/// The demo config, parsed.
pub fn demo_config() -> ConsentConfig {
    ConsentConfig::from_json(&demo_config_json()).expect("demo config is valid")
}

/// 2024-01-01T00:00:00Z in ms.
pub const T0: u64 = 1_704_067_200_000;
/// One day in ms.
pub const DAY: u64 = 86_400_000;

/// A fixed random seed for consent ids.
pub const SEED: [u8; 16] = [7; 16];

/// Encodes a record, then replaces a JSON fragment in it.
pub fn tamper(record: &ConsentRecord, from: &str, to: &str) -> String {
    let s = record.encode();
    assert!(s.contains(from), "{from} not in {s}");
    s.replacen(from, to, 1)
}

/// The smallest valid config (only the necessary category) with `fields` (a
/// JSON object, e.g. a shared-table case's `config`) set on top, parsed and
/// validated.
pub fn bare_config(fields: &serde_json::Value) -> Result<ConsentConfig, String> {
    let mut cfg = serde_json::json!({
        "revision": 1,
        "categories": [ { "id": "necessary", "title": "N", "read_only": true } ]
    });
    for (k, v) in fields.as_object().into_iter().flatten() {
        cfg[k] = v.clone();
    }
    ConsentConfig::from_json(&cfg.to_string()).map_err(|e| e.to_string())
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<T: Copy>(&mut self, v: &[T]) -> T {
        v[self.below(v.len())]
    }
    pub fn bytes(&mut self) -> [u8; 16] {
        let mut b = [0; 16];
        for x in &mut b {
            *x = self.next() as u8;
        }
        b
    }
}
