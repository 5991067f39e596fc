//! The per-client rate limit: a token bucket per address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

/// Buckets kept before idle ones are dropped early (a flood of addresses
/// cannot grow the map without bound).
const MAX_BUCKETS: usize = 100_000;

/// Token buckets by client address.
pub struct Limiter {
    rate: Option<(f64, f64)>,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl Limiter {
    /// `rate`: tokens per second and burst; `None` lets everything through.
    pub fn new(rate: Option<(f64, f64)>) -> Self {
        Limiter {
            rate,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether a request from `ip` may go ahead now (and spends a token if so).
    /// IPv6 addresses count by their /64: one subscriber gets a whole /64, so
    /// counting each address would give one client endless buckets.
    pub fn allow(&self, ip: Option<IpAddr>) -> bool {
        let (Some((rate, burst)), Some(ip)) = (self.rate, ip) else {
            return true;
        };
        let ip = match ip {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let s = v6.segments();
                    IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
                }
            },
            v4 => v4,
        };
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        let now = Instant::now();
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(&ip) {
            buckets.retain(|_, (tokens, at)| *tokens + now.duration_since(*at).as_secs_f64() * rate < burst);
        }
        let (tokens, at) = buckets.entry(ip).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Drops the buckets that have refilled (their clients are idle).
    pub fn forget_idle(&self) {
        let Some((rate, burst)) = self.rate else { return };
        if let Ok(mut buckets) = self.buckets.lock() {
            let now = Instant::now();
            buckets.retain(|_, (tokens, at)| *tokens + now.duration_since(*at).as_secs_f64() * rate < burst);
        }
    }
}
