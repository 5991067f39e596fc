//! `lcc-loadgen`: a bounded, loopback-only HTTP/1.1 load generator for the consent-log benchmark.
//!
//! `concurrency` tasks each keep one keep-alive connection and send requests back-to-back, built
//! from a JSON template with per-request placeholders, until the request count is reached or the
//! time limit passes. The result is one JSON line on stdout with status counts and latency
//! percentiles. Run `lcc-loadgen --help` for the options.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{HeaderName, HeaderValue, HOST};
use hyper::{HeaderMap, Method, Request};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::Barrier;
use tokio::time::timeout_at;

const USAGE: &str = "usage: lcc-loadgen --url http://127.0.0.1:PORT --template FILE [--concurrency 64] \
[--requests 100000] [--max-seconds 60] [--warmup 0] [--header 'Name: value']... [--verify-log FILE] [--threads 1]

  --url          target origin; the host must be 127.0.0.1, localhost or [::1] (loopback only)
  --template     JSON: {\"method\",\"path\",\"headers\":{..},\"body\"}; path and body may hold
                 {{uuid}}, {{now_ms}} and {{n}}, replaced per request
  --concurrency  tasks, each with its own keep-alive connection (1..=1024)
  --requests     measured requests (1..=10000000)
  --max-seconds  time limit of the measured run, and separately of the warmup
  --warmup       unmeasured requests sent first, on the same connections
  --header       extra request header, overriding the template's (repeatable)
  --verify-log   write the {{uuid}} of every 2xx-acknowledged request (warmup included), one a line
  --threads      tokio worker threads (default 1, leaving the other cores to the server)";

/// Upper bounds on the options, so a typo cannot exhaust file descriptors or memory
/// (latencies are kept as 4 bytes per measured request).
const MAX_CONCURRENCY: usize = 1024;
const MAX_REQUESTS: u64 = 10_000_000;
const MAX_THREADS: usize = 64;

/// Transport-level failure of one request (connect, write, or reading the response).
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Ends the process with exit code 2 and the message on stderr: every usage error goes here.
fn usage_error(msg: impl std::fmt::Display) -> ! {
    eprintln!("lcc-loadgen: {msg}\n\n{USAGE}");
    std::process::exit(2)
}

/// One piece of a templated string: literal text or a placeholder filled per request.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Lit(String),
    /// `{{uuid}}`: the request's random UUIDv4, the same at every occurrence within the request.
    Uuid,
    /// `{{uuid_b58}}`: the same 16 bytes in base58 (Bitcoin alphabet), for servers whose ids
    /// allow no `-` or `0` (c15t's `sub_…` subject ids).
    UuidB58,
    /// `{{now_ms}}`: Unix time in milliseconds when the request is built.
    NowMs,
    /// `{{n}}`: the request's global index (warmup first, then the measured run).
    N,
}

/// Splits `s` into literal text and placeholders; unknown or unclosed placeholders are errors,
/// so that a typo in a template does not silently send the same body every time.
fn parse_parts(s: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find("{{") {
        if open > 0 {
            parts.push(Part::Lit(rest[..open].to_owned()));
        }
        let after = &rest[open + 2..];
        let close = after
            .find("}}")
            .ok_or_else(|| format!("unclosed placeholder in {s:?}"))?;
        parts.push(match &after[..close] {
            "uuid" => Part::Uuid,
            "uuid_b58" => Part::UuidB58,
            "now_ms" => Part::NowMs,
            "n" => Part::N,
            other => {
                return Err(format!(
                    "unknown placeholder {{{{{other}}}}} (known: uuid, uuid_b58, now_ms, n)"
                ))
            }
        });
        rest = &after[close + 2..];
    }
    if !rest.is_empty() {
        parts.push(Part::Lit(rest.to_owned()));
    }
    Ok(parts)
}

/// The values substituted into one request.
struct Fill<'a> {
    uuid: &'a str,
    /// The UUID's 128 bits, for `{{uuid_b58}}`.
    bits: u128,
    now_ms: u64,
    n: u64,
}

/// Appends the rendering of `parts` to `out` (a reused buffer, to avoid an allocation per part).
fn render(parts: &[Part], fill: &Fill, out: &mut String) {
    for part in parts {
        match part {
            Part::Lit(s) => out.push_str(s),
            Part::Uuid => out.push_str(fill.uuid),
            Part::UuidB58 => base58(fill.bits, out),
            // Writing into a String cannot fail.
            Part::NowMs => write!(out, "{}", fill.now_ms).unwrap(),
            Part::N => write!(out, "{}", fill.n).unwrap(),
        }
    }
}

/// Appends the UUID's 16 bytes in base58 (the Bitcoin alphabet: no 0, O, I or l), as
/// Bitcoin encodes bytes: each leading zero byte is a leading '1'.
fn base58(bits: u128, out: &mut String) {
    const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let zero_bytes = (bits.leading_zeros() / 8) as usize;
    out.extend(std::iter::repeat_n('1', zero_bytes));
    let mut digits = Vec::with_capacity(22);
    let mut rest = bits;
    while rest > 0 {
        digits.push(ALPHABET[(rest % 58) as usize]);
        rest /= 58;
    }
    out.extend(digits.iter().rev().map(|&d| d as char));
}

/// The parsed template: everything about a request except the placeholder values.
struct Template {
    method: Method,
    path: Vec<Part>,
    /// Template headers, then `--header` overrides, then Host (hyper's low-level client adds none).
    headers: HeaderMap,
    body: Vec<Part>,
}

impl Template {
    /// Whether `{{uuid}}` appears anywhere, i.e. whether a verify log can identify the writes.
    fn uses_uuid(&self) -> bool {
        self.path
            .iter()
            .chain(&self.body)
            .any(|p| matches!(p, Part::Uuid | Part::UuidB58))
    }

    /// Builds request number `n` with `uuid`, rendering into the caller's reused buffers.
    fn build(&self, fill: &Fill, path: &mut String, body: &mut String) -> Result<Request<Full<Bytes>>, BoxError> {
        path.clear();
        body.clear();
        render(&self.path, fill, path);
        render(&self.body, fill, body);
        let mut req = Request::builder()
            .method(self.method.clone())
            .uri(path.as_str())
            .body(Full::new(Bytes::copy_from_slice(body.as_bytes())))?;
        *req.headers_mut() = self.headers.clone();
        Ok(req)
    }
}

/// Parses the template file; `default_path` (from the URL) is used when it has no "path".
fn load_template(file: &str, default_path: &str) -> Result<Template, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read template {file}: {e}"))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("template {file}: {e}"))?;
    let obj = json.as_object().ok_or("template must be a JSON object")?;
    let string = |key: &str| -> Result<Option<&str>, String> {
        match obj.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(Some)
                .ok_or(format!("template \"{key}\" must be a string")),
        }
    };
    // Unknown keys are refused so that a misspelt "body" or "headers" is not silently ignored.
    if let Some(key) = obj
        .keys()
        .find(|k| !["method", "path", "headers", "body"].contains(&k.as_str()))
    {
        return Err(format!(
            "unknown template key {key:?} (known: method, path, headers, body)"
        ));
    }
    let method = Method::from_bytes(string("method")?.unwrap_or("GET").as_bytes()).map_err(|e| e.to_string())?;
    let path = string("path")?.unwrap_or(default_path);
    if !path.starts_with('/') {
        return Err(format!("template path must start with '/': {path:?}"));
    }
    let mut headers = HeaderMap::new();
    if let Some(h) = obj.get("headers") {
        for (name, value) in h.as_object().ok_or("template \"headers\" must be an object")? {
            let value = value
                .as_str()
                .ok_or(format!("template header {name:?} must be a string"))?;
            insert_header(&mut headers, name, value)?;
        }
    }
    let template = Template {
        method,
        path: parse_parts(path)?,
        headers,
        body: parse_parts(string("body")?.unwrap_or(""))?,
    };
    // Placeholder values are hex digits, hyphens and decimal digits, so if one rendering makes a
    // valid request every rendering does: check it now rather than fail every request later.
    let fill = Fill {
        uuid: "00000000-0000-4000-8000-000000000000",
        bits: 0,
        now_ms: 0,
        n: 0,
    };
    template
        .build(&fill, &mut String::new(), &mut String::new())
        .map_err(|e| format!("template path does not make a valid request target: {e}"))?;
    Ok(template)
}

/// Validates and sets one header (replacing any earlier value of the same name).
fn insert_header(headers: &mut HeaderMap, name: &str, value: &str) -> Result<(), String> {
    let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| format!("invalid header name {name:?}"))?;
    let value = HeaderValue::from_str(value.trim()).map_err(|_| format!("invalid header value {value:?}"))?;
    headers.insert(name, value);
    Ok(())
}

/// The target parsed from `--url`.
struct Target {
    addr: SocketAddr,
    /// host[:port] as given, for the Host header.
    authority: String,
    /// The URL's path, used when the template has none.
    path: String,
}

/// Parses an `http://` URL and refuses any host but a loopback literal or `localhost`.
/// Names are not resolved: `localhost` means 127.0.0.1 whatever `/etc/hosts` says, so nothing
/// (a hosts file, a resolver) can point the generator at another machine; use `[::1]` for IPv6.
fn parse_url(url: &str) -> Result<Target, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("--url must start with http:// (got {url:?})"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    if authority.contains('@') {
        return Err("--url must not contain user info".into());
    }
    let (host, port) = match authority.strip_prefix('[') {
        // IPv6 literal: [addr]:port
        Some(v6) => {
            let (h, after) = v6.split_once(']').ok_or("--url has an unclosed '['")?;
            (h, after)
        }
        None => match authority.find(':') {
            Some(i) => authority.split_at(i),
            None => (authority, ""),
        },
    };
    let port: u16 = match port {
        "" => 80,
        p => p
            .strip_prefix(':')
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| format!("--url has an invalid port in {authority:?}"))?,
    };
    let ip: IpAddr = match host.to_ascii_lowercase().as_str() {
        "127.0.0.1" | "localhost" => Ipv4Addr::LOCALHOST.into(),
        "::1" => Ipv6Addr::LOCALHOST.into(),
        _ => {
            return Err(format!(
                "refusing non-loopback host {host:?}: only 127.0.0.1, localhost and [::1]"
            ))
        }
    };
    let path = match path {
        "" => "/".to_owned(),
        p if p.starts_with('/') => p.to_owned(),
        p => format!("/{p}"),
    };
    Ok(Target {
        addr: SocketAddr::new(ip, port),
        authority: authority.to_owned(),
        path,
    })
}

/// Everything the command line decides.
struct Config {
    addr: SocketAddr,
    template: Template,
    concurrency: usize,
    requests: u64,
    warmup: u64,
    max_time: Duration,
    threads: usize,
    /// Opened (truncated) before the run, so an unwritable path is a usage error, not lost work.
    verify_log: Option<(String, File)>,
}

/// Parses a numeric option's value, or ends the process as a usage error.
fn num<T: std::str::FromStr>(flag: &str, v: &str) -> T {
    v.parse()
        .unwrap_or_else(|_| usage_error(format!("{flag}: not a valid number: {v:?}")))
}

/// Parses `std::env::args`; any problem ends the process with exit code 2.
fn parse_args() -> Config {
    let mut url = None;
    let mut template_file = None;
    let mut concurrency = 64usize;
    let mut requests = 100_000u64;
    let mut warmup = 0u64;
    let mut max_seconds = 60f64;
    let mut threads = 1usize;
    let mut extra_headers = Vec::new();
    let mut verify_log = None;

    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let value = args
            .next()
            .unwrap_or_else(|| usage_error(format!("{flag} needs a value")));
        match flag.as_str() {
            "--url" => url = Some(value),
            "--template" => template_file = Some(value),
            "--concurrency" => concurrency = num(&flag, &value),
            "--requests" => requests = num(&flag, &value),
            "--warmup" => warmup = num(&flag, &value),
            "--max-seconds" => max_seconds = num(&flag, &value),
            "--threads" => threads = num(&flag, &value),
            "--header" => extra_headers.push(value),
            "--verify-log" => verify_log = Some(value),
            _ => usage_error(format!("unknown option {flag}")),
        }
    }

    if !(1..=MAX_CONCURRENCY).contains(&concurrency) {
        usage_error(format!("--concurrency must be 1..={MAX_CONCURRENCY}"));
    }
    if !(1..=MAX_REQUESTS).contains(&requests) || warmup > MAX_REQUESTS {
        usage_error(format!("--requests must be 1..={MAX_REQUESTS}, --warmup at most that"));
    }
    if !(max_seconds > 0.0 && max_seconds <= 86_400.0) {
        usage_error("--max-seconds must be positive (at most a day)");
    }
    if !(1..=MAX_THREADS).contains(&threads) {
        usage_error(format!("--threads must be 1..={MAX_THREADS}"));
    }
    let target = parse_url(&url.unwrap_or_else(|| usage_error("--url is required"))).unwrap_or_else(|e| usage_error(e));
    let file = template_file.unwrap_or_else(|| usage_error("--template is required"));
    let mut template = load_template(&file, &target.path).unwrap_or_else(|e| usage_error(e));
    for h in &extra_headers {
        let (name, value) = h
            .split_once(':')
            .unwrap_or_else(|| usage_error(format!("--header {h:?}: want 'Name: value'")));
        insert_header(&mut template.headers, name, value).unwrap_or_else(|e| usage_error(e));
    }
    if !template.headers.contains_key(HOST) {
        let host = HeaderValue::from_str(&target.authority).unwrap_or_else(|_| usage_error("--url: invalid host"));
        template.headers.insert(HOST, host);
    }
    if verify_log.is_some() && !template.uses_uuid() {
        usage_error("--verify-log needs {{uuid}} in the template's path or body to identify the writes");
    }
    let verify_log = verify_log.map(|path| {
        let f = File::create(&path).unwrap_or_else(|e| usage_error(format!("--verify-log {path}: {e}")));
        (path, f)
    });
    Config {
        addr: target.addr,
        template,
        concurrency,
        requests,
        warmup,
        max_time: Duration::from_secs_f64(max_seconds),
        threads,
        verify_log,
    }
}

/// splitmix64: fast and good enough for unique request ids (collisions, not secrecy, matter here).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A random UUIDv4 as a `u128`: version nibble 4, RFC 4122 variant (first hex digit 8-b).
    fn uuid(&mut self) -> u128 {
        let hi = (self.next() & !0xF000) | 0x4000;
        let lo = (self.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        (u128::from(hi) << 64) | u128::from(lo)
    }
}

/// Formats a UUID in its lowercase hyphenated form into `out` (cleared first).
fn format_uuid(u: u128, out: &mut String) {
    out.clear();
    let (hi, lo) = ((u >> 64) as u64, u as u64);
    write!(
        out,
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
    .unwrap();
}

/// Milliseconds since the Unix epoch.
fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// State shared by the tasks: the template and the two request counters they draw indices from.
struct Shared {
    addr: SocketAddr,
    template: Template,
    warmup: u64,
    requests: u64,
    max_time: Duration,
    /// Whether to keep the UUIDs of acknowledged requests (only with --verify-log).
    keep_acked: bool,
    /// Next warmup index; tasks claim indices until `warmup` is reached.
    warm_next: AtomicU64,
    /// Next measured index; tasks claim indices until `requests` is reached.
    run_next: AtomicU64,
    /// Holds every task after its warmup so the measured run starts together (and main times it).
    barrier: Barrier,
}

/// What one task saw; merged by main at the end.
#[derive(Default)]
struct TaskResult {
    /// Measured latencies in microseconds (u32: over an hour, more than enough, at 4 bytes each).
    latencies_us: Vec<u32>,
    /// Measured responses by status code.
    status: BTreeMap<u16, u64>,
    /// Measured transport errors.
    errors: u64,
    /// UUIDs of all 2xx-acknowledged requests, warmup included (they are writes too).
    acked: Vec<u128>,
}

/// One task: a connection, its random source and reusable buffers.
struct Worker {
    shared: Arc<Shared>,
    conn: Option<SendRequest<Full<Bytes>>>,
    rng: Rng,
    uuid: String,
    path: String,
    body: String,
    result: TaskResult,
}

/// Opens a keep-alive HTTP/1.1 connection; its driver runs as its own task until either side closes.
async fn connect(addr: SocketAddr) -> Result<SendRequest<Full<Bytes>>, BoxError> {
    let stream = TcpStream::connect(addr).await?;
    // Requests are small single writes; Nagle would only add delay.
    stream.set_nodelay(true)?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        // Errors here also surface on the sender, where they are counted.
        let _ = conn.await;
    });
    Ok(sender)
}

impl Worker {
    /// Runs the task: warmup, wait for every task, then the measured run.
    async fn run(mut self) -> TaskResult {
        let shared = self.shared.clone();
        self.phase(&shared.warm_next, shared.warmup, 0, false).await;
        shared.barrier.wait().await;
        // Measured indices follow the warmup ones so {{n}} stays unique over the whole run.
        self.phase(&shared.run_next, shared.requests, shared.warmup, true).await;
        self.result
    }

    /// Sends requests while indices below `limit` remain and the phase's time limit has not passed.
    /// A request still in flight at the time limit is abandoned and not counted.
    async fn phase(&mut self, next: &AtomicU64, limit: u64, n_offset: u64, measured: bool) {
        let deadline = tokio::time::Instant::now() + self.shared.max_time;
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= limit || tokio::time::Instant::now() >= deadline {
                break;
            }
            let uuid = self.rng.uuid();
            format_uuid(uuid, &mut self.uuid);
            let fill = Fill {
                uuid: &self.uuid,
                bits: uuid,
                now_ms: now_ms(),
                n: n_offset + i,
            };
            // Checked once at startup, so this does not fail in practice.
            let Ok(req) = self.shared.template.build(&fill, &mut self.path, &mut self.body) else {
                self.result.errors += u64::from(measured);
                continue;
            };
            match timeout_at(deadline, self.send(req)).await {
                Err(_) => {
                    self.conn = None;
                    break;
                }
                Ok(Err(_)) => {
                    // The connection's state is unknown after an error: start afresh.
                    self.conn = None;
                    self.result.errors += u64::from(measured);
                }
                Ok(Ok((status, latency))) => {
                    if self.shared.keep_acked && (200..300).contains(&status) {
                        self.result.acked.push(uuid);
                    }
                    if measured {
                        *self.result.status.entry(status).or_default() += 1;
                        self.result
                            .latencies_us
                            .push(u32::try_from(latency.as_micros()).unwrap_or(u32::MAX));
                    }
                }
            }
        }
    }

    /// Sends one request on the task's connection, reconnecting if there is none or the server
    /// closed it; returns the status and the time from sending to having read the whole body.
    async fn send(&mut self, req: Request<Full<Bytes>>) -> Result<(u16, Duration), BoxError> {
        let mut conn = match self.conn.take() {
            Some(c) if !c.is_closed() => c,
            _ => connect(self.shared.addr).await?,
        };
        // A connection the server has just closed (e.g. after `Connection: close`) may not show
        // as closed until its driver task runs; `ready` tells, and then one fresh attempt is made.
        if conn.ready().await.is_err() {
            conn = connect(self.shared.addr).await?;
            conn.ready().await?;
        }
        let conn = self.conn.insert(conn);
        // Connecting is excluded from the latency: it measures the server's handling of a request.
        let start = Instant::now();
        let resp = conn.send_request(req).await?;
        let status = resp.status().as_u16();
        resp.into_body().collect().await?;
        Ok((status, start.elapsed()))
    }
}

/// The nearest-rank percentile `p` (0..=1) of sorted microseconds, in milliseconds.
fn percentile_ms(sorted_us: &[u32], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted_us.len() as f64).ceil() as usize).clamp(1, sorted_us.len());
    round3(f64::from(sorted_us[rank - 1]) / 1000.0)
}

/// Rounds to three decimals (microsecond resolution in milliseconds, seconds to the millisecond).
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Runs `concurrency` tasks to completion; returns the merged results and the measured run's duration.
async fn run(shared: Arc<Shared>, concurrency: usize) -> (TaskResult, Duration) {
    // Distinct seeds per run (time, pid) and per task (index), so ids never repeat across runs.
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
        ^ (u64::from(std::process::id()) << 32);
    let per_task = shared.requests as usize / concurrency + 1;
    let handles: Vec<_> = (0..concurrency)
        .map(|t| {
            let worker = Worker {
                shared: shared.clone(),
                conn: None,
                rng: Rng(seed ^ (t as u64).wrapping_mul(0xD1B5_4A32_D192_ED03)),
                uuid: String::with_capacity(36),
                path: String::new(),
                body: String::new(),
                result: TaskResult {
                    latencies_us: Vec::with_capacity(per_task),
                    ..Default::default()
                },
            };
            tokio::spawn(worker.run())
        })
        .collect();
    shared.barrier.wait().await;
    let start = Instant::now();
    let mut total = TaskResult::default();
    for h in handles {
        // A task only ends by returning (panics abort the release build), so join cannot fail.
        let r = h.await.expect("worker task failed");
        total.latencies_us.extend(r.latencies_us);
        for (code, count) in r.status {
            *total.status.entry(code).or_default() += count;
        }
        total.errors += r.errors;
        total.acked.extend(r.acked);
    }
    (total, start.elapsed())
}

fn main() -> ExitCode {
    let cfg = parse_args();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cfg.threads)
        .enable_all()
        .build()
        .expect("cannot start the tokio runtime");
    let shared = Arc::new(Shared {
        addr: cfg.addr,
        template: cfg.template,
        warmup: cfg.warmup,
        requests: cfg.requests,
        max_time: cfg.max_time,
        keep_acked: cfg.verify_log.is_some(),
        warm_next: AtomicU64::new(0),
        run_next: AtomicU64::new(0),
        barrier: Barrier::new(cfg.concurrency + 1),
    });
    let (mut total, elapsed) = runtime.block_on(run(shared, cfg.concurrency));

    total.latencies_us.sort_unstable();
    let lat = &total.latencies_us;
    let ok: u64 = total.status.range(200..300).map(|(_, n)| n).sum();
    let answered: u64 = total.status.values().sum();
    let seconds = elapsed.as_secs_f64();
    // Integer keys serialise as JSON strings ("201"), in numeric order.
    let status = serde_json::to_string(&total.status).expect("a map of numbers serialises");
    let rps = if seconds > 0.0 {
        (ok as f64 / seconds).round()
    } else {
        0.0
    };
    // Written by hand rather than with json!, to keep the keys in this order (serde_json's map sorts them).
    let report = format!(
        "{{\"requests\":{},\"ok\":{ok},\"status\":{status},\"errors\":{},\"seconds\":{},\"rps\":{rps},\
         \"p50_ms\":{},\"p90_ms\":{},\"p99_ms\":{},\"max_ms\":{},\"concurrency\":{}}}",
        answered + total.errors,
        total.errors,
        round3(seconds),
        percentile_ms(lat, 0.50),
        percentile_ms(lat, 0.90),
        percentile_ms(lat, 0.99),
        percentile_ms(lat, 1.0),
        cfg.concurrency,
    );
    println!("{report}");
    // Said on stderr, so stdout stays one JSON line: a run cut short by --max-seconds measures less.
    let done = answered + total.errors;
    if done < cfg.requests {
        eprintln!(
            "lcc-loadgen: --max-seconds reached after {done} of {} requests",
            cfg.requests
        );
    }

    if let Some((path, file)) = cfg.verify_log {
        let mut out = BufWriter::new(file);
        let mut line = String::with_capacity(36);
        let written = total.acked.iter().try_for_each(|&u| {
            format_uuid(u, &mut line);
            writeln!(out, "{line}")
        });
        if let Err(e) = written.and_then(|()| out.flush()) {
            eprintln!("lcc-loadgen: writing --verify-log {path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
