//! Fuzzing what a page does not control: the stored record (any script on the
//! page can write localStorage) and the config text.
//!
//! Inputs are arbitrary bytes, and structured mutations of the corpus in
//! `tests/fuzz-corpus/` (valid records and configs): fragment swaps, byte
//! flips, splices, truncations, duplications, unicode. The invariants:
//! - nothing panics;
//! - a record is relied on only when it is exactly what this library writes
//!   (`encode()` gives back the very input), checked, current (revision,
//!   expiry, clock) and explicit: every optional category or service it grants
//!   holds an explicit `true`; without a record nothing optional is granted;
//! - the server's cookie copy (`decode_cookie`, `server_decision`) holds the
//!   same: a copy counts only when it is exactly what this library writes and
//!   its record holds every invariant above;
//! - a config is accepted only when it validates: no optional category on by
//!   default, expiry within 13 months, every URL http(s) or relative.
//!
//! `cargo test --test fuzz` runs a short round in `make test`;
//! `make fuzz` runs ten million inputs (`LCC_FUZZ_INPUTS`, `LCC_FUZZ_SEED`)
//! and prints the count.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use common::{demo_config_json, DAY, T0};
use leptos_consent::core::{
    assess, category_granted, check_url, decode_cookie, encode_cookie, record_decision, server_decision,
    service_granted, Choice, ConsentConfig, ConsentRecord, CookieMirror, Method, MAX_EXPIRES_AFTER_DAYS,
};

/// xorshift64*: deterministic, so a failure reproduces from its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

/// Fragments a mutation swaps in: what a record or config is made of, and what breaks parsers.
const DICTIONARY: &[&str] = &[
    "true",
    "false",
    "null",
    "0",
    "1",
    "-1",
    "1e3",
    "1.5",
    "18446744073709551616",
    "4294967296",
    "\"\"",
    "\"necessary\"",
    "\"marketing\"",
    "\"performance\"",
    "\"mixpanel\"",
    "\"__proto__\"",
    "\"v\":1",
    "\"v\":2",
    "\"via\":\"gpc\"",
    "\"via\":\"banner\"",
    "\"rev\":1",
    "\"id\":",
    "\"first\":",
    "\"last\":",
    "\"categories\":{",
    "\"services\":{",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\\u0000",
    "\\ud800",
    "\u{2028}",
    "\u{feff}",
    "\u{10ffff}",
    " ",
    "\n",
    "\"enabled\":true",
    "\"read_only\":true",
    "\"expires_after_days\":396",
    "\"sale_or_sharing\":true",
    "\"privacy_policy_url\":\"javascript:x\"",
    "\"consent_mode\":{}",
    "\"gpc\":\"ignore\"",
    "\"map\":{\"marketing\":[\"ad_storage\"]}",
];

fn mutate(rng: &mut Rng, seed: &str, corpus: &[String]) -> String {
    let mut b = seed.as_bytes().to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(b.len() + 1);
        match rng.below(9) {
            0 => {
                if !b.is_empty() {
                    let i = rng.below(b.len());
                    b[i] ^= 1 << rng.below(8);
                }
            }
            1 => {
                let end = (at + rng.below(12)).min(b.len());
                b.drain(at..end);
            }
            2 => b.splice(at..at, rng.pick(DICTIONARY).bytes()).for_each(drop),
            3 => {
                // Replace one dictionary fragment that occurs in the input by another.
                let from = rng.pick(DICTIONARY);
                let s = String::from_utf8_lossy(&b).into_owned();
                if let Some(i) = s.find(from) {
                    let to = rng.pick(DICTIONARY);
                    b = format!("{}{}{}", &s[..i], to, &s[i + from.len()..]).into_bytes();
                }
            }
            4 => b.truncate(at),
            5 => {
                let end = (at + rng.below(40)).min(b.len());
                let dup: Vec<u8> = b[at..end].to_vec();
                b.splice(at..at, dup).for_each(drop);
            }
            6 => {
                // Splice with another corpus entry.
                let other = rng.pick(corpus).as_bytes();
                let from = rng.below(other.len() + 1);
                b.truncate(at);
                b.extend_from_slice(&other[from..]);
            }
            7 => b.insert(at, rng.next() as u8),
            _ => {
                // A random digit string where a number may be.
                let digits = (rng.next() % 10_u64.pow(1 + rng.below(19) as u32)).to_string();
                b.splice(at..at, digits.bytes()).for_each(drop);
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

fn random_bytes(rng: &mut Rng) -> String {
    let len = rng.below(200);
    let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The record invariant for one stored value at `now`.
fn check_record(cfg: &ConsentConfig, stored: &str, now: u64) -> Result<bool, String> {
    let a = assess(Some(stored), cfg, now);
    match &a.record {
        Some(r) => {
            if r.encode() != stored {
                return Err("a record was read from text it would not write".into());
            }
            r.check(cfg, now)
                .map_err(|e| format!("an unsound record was trusted: {e}"))?;
            if r.revision != cfg.revision || r.last_decision_ms + cfg.expiry_ms() <= now {
                return Err("an out-of-date record was trusted".into());
            }
            for c in cfg.categories.iter().filter(|c| !c.read_only) {
                if category_granted(cfg, Some(r), &c.id) && r.categories.get(&c.id) != Some(&true) {
                    return Err(format!("{} granted without an explicit true", c.id));
                }
            }
            for (c, s) in cfg.services().filter(|(c, _)| !c.read_only) {
                if service_granted(cfg, Some(r), &s.id)
                    && (r.services.get(&s.id) != Some(&true) || r.categories.get(&c.id) != Some(&true))
                {
                    return Err(format!("{} granted without explicit trues", s.id));
                }
            }
            Ok(true)
        }
        None => {
            if a.prompt.is_none() {
                return Err("no record, yet no prompt".into());
            }
            for c in cfg.categories.iter().filter(|c| !c.read_only) {
                if category_granted(cfg, None, &c.id) {
                    return Err(format!("{} granted without a record", c.id));
                }
            }
            Ok(false)
        }
    }
}

/// The record invariant for one cookie copy at `now`, through the core's reader
/// and through a server's view of a request carrying it.
fn check_copy(cfg: &ConsentConfig, copy: &str, now: u64) -> Result<bool, String> {
    let trusted = match decode_cookie(copy) {
        Ok(r) if encode_cookie(&r) != copy => return Err("a copy was read from text it would not write".into()),
        Ok(r) => check_record(cfg, &r.encode(), now)?,
        Err(_) => false,
    };
    let mut server = cfg.clone();
    server.server_cookie = Some(CookieMirror {
        name: "lcc".into(),
        domain: None,
        path: None,
    });
    let seen = server_decision(&server, Some(&format!("theme=dark; lcc={copy}")), None, now);
    match &seen.record {
        Some(r) if !trusted || encode_cookie(r) != copy => Err("the server trusted a copy the core refuses".into()),
        Some(_) => Ok(true),
        None if cfg.categories.iter().any(|c| !c.read_only && seen.category(&c.id)) => {
            Err("the server granted without a decision".into())
        }
        None => Ok(false),
    }
}

/// The config invariant for one config text.
fn check_config(text: &str) -> Result<bool, String> {
    let Ok(cfg) = ConsentConfig::from_json(text) else {
        return Ok(false);
    };
    if cfg.expires_after_days == 0 || cfg.expires_after_days > MAX_EXPIRES_AFTER_DAYS {
        return Err("expiry out of range accepted".into());
    }
    for c in &cfg.categories {
        if c.enabled == Some(true) && !c.read_only {
            return Err("an optional category on by default was accepted".into());
        }
        for s in &c.services {
            check_url("u", &s.privacy_policy_url).map_err(|e| format!("a bad URL was accepted: {e}"))?;
        }
    }
    if let Some(u) = &cfg.privacy_policy_url {
        check_url("u", u).map_err(|e| format!("a bad URL was accepted: {e}"))?;
    }
    // What the session does first with a config must not panic either.
    let cfg = cfg.under_gpc(true);
    let _ = assess(None, &cfg, T0);
    Ok(true)
}

struct Round {
    records: u64,
    trusted: u64,
    /// Cookie copies tried, and those a server relied on.
    copies: u64,
    copies_trusted: u64,
    configs: u64,
    valid_configs: u64,
}

fn corpus() -> (ConsentConfig, Vec<String>, Vec<String>) {
    let text = demo_config_json();
    let cfg = ConsentConfig::from_json(&text).expect("demo config");
    let mut records: Vec<String> = include_str!("fuzz-corpus/records.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    // Fresh, valid records of every kind of choice, made by the library itself.
    for (i, choice) in [Choice::accept_all(&cfg), Choice::reject_all(&cfg)].iter().enumerate() {
        for method in [Method::Banner, Method::Preferences, Method::Api, Method::Gpc] {
            records.push(record_decision(&cfg, None, choice, method, T0 + i as u64, [i as u8; 16]).encode());
        }
    }
    let mut configs = vec![text.clone(), include_str!("fuzz-corpus/config-gcm.json").to_owned()];
    configs.push(text.replacen('{', "{ \"gpc\": \"ignore\",", 1));
    (cfg, records, configs)
}

fn run(inputs: u64, seed: u64) -> Round {
    let (cfg, records, configs) = corpus();
    let mut rng = Rng(seed | 1);
    let mut round = Round {
        records: 0,
        trusted: 0,
        copies: 0,
        copies_trusted: 0,
        configs: 0,
        valid_configs: 0,
    };
    for i in 0..inputs {
        // One config input in sixteen: parsing a whole config costs more than a record.
        if i % 16 == 15 {
            let text = if rng.below(8) == 0 {
                random_bytes(&mut rng)
            } else {
                let seed = rng_pick(&mut rng, &configs);
                mutate(&mut rng, seed, &configs)
            };
            let outcome = catch_unwind(AssertUnwindSafe(|| check_config(&text)));
            match outcome {
                Ok(Ok(valid)) => round.valid_configs += u64::from(valid),
                Ok(Err(e)) => panic!("config invariant broken: {e}\ninput: {text:?}"),
                Err(_) => panic!("panic on config input: {text:?}"),
            }
            round.configs += 1;
            continue;
        }
        let stored = match rng.below(10) {
            0 => random_bytes(&mut rng),
            1 => rng_pick(&mut rng, &records).clone(),
            _ => {
                let seed = rng_pick(&mut rng, &records);
                mutate(&mut rng, seed, &records)
            }
        };
        let now = T0 + rng.next() % (400 * DAY);
        // One record in four is tried as the server's cookie copy instead.
        if rng.below(4) == 0 {
            let copy = match ConsentRecord::decode(&stored) {
                Ok(r) => encode_cookie(&r),
                Err(_) => stored.clone(),
            };
            let copy = if rng.below(2) == 0 {
                mutate(&mut rng, &copy, &records)
            } else {
                copy
            };
            match catch_unwind(AssertUnwindSafe(|| check_copy(&cfg, &copy, now))) {
                Ok(Ok(trusted)) => round.copies_trusted += u64::from(trusted),
                Ok(Err(e)) => panic!("copy invariant broken: {e}\ninput: {copy:?} at {now}"),
                Err(_) => panic!("panic on copy input: {copy:?}"),
            }
            round.copies += 1;
            continue;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| check_record(&cfg, &stored, now)));
        match outcome {
            Ok(Ok(trusted)) => round.trusted += u64::from(trusted),
            Ok(Err(e)) => panic!("record invariant broken: {e}\ninput: {stored:?} at {now}"),
            Err(_) => panic!("panic on record input: {stored:?}"),
        }
        round.records += 1;
    }
    round
}

fn rng_pick<'a>(rng: &mut Rng, v: &'a [String]) -> &'a String {
    rng.pick(v)
}

#[test]
fn a_short_round_holds_the_invariants() {
    let round = run(200_000, 0x5eed_f00d);
    // The mutations must reach both sides of each decision, or the round proves little.
    assert!(round.trusted > 100, "{} records trusted", round.trusted);
    assert!(
        round.copies_trusted > 100 && round.copies - round.copies_trusted > 10_000,
        "{} of {} copies trusted",
        round.copies_trusted,
        round.copies
    );
    assert!(round.records - round.trusted > 100_000);
    assert!(
        round.valid_configs > 50 && round.configs - round.valid_configs > 1_000,
        "{} of {} configs valid",
        round.valid_configs,
        round.configs
    );
}

#[test]
#[ignore = "the long run: make fuzz"]
fn the_long_run() {
    let inputs = std::env::var("LCC_FUZZ_INPUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let seed = std::env::var("LCC_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x1cc_f022);
    let started = Instant::now();
    let round = run(inputs, seed);
    println!(
        "fuzz: {} inputs in {:.1} s (seed {seed:#x}): {} stored records ({} trusted, each exact, checked, current and explicit), {} cookie copies ({} trusted), {} configs ({} valid); no panic, no invariant broken",
        round.records + round.copies + round.configs,
        started.elapsed().as_secs_f64(),
        round.records,
        round.trusted,
        round.copies,
        round.copies_trusted,
        round.configs,
        round.valid_configs,
    );
}
