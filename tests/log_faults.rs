//! The consent log under faults, as processes: `lcc-server` killed with
//! SIGKILL in a burst of writes (SQLite and Postgres), Postgres stopped under
//! it, and two instances writing to one Postgres. Real engines: a SQLite file
//! and a Postgres cluster made for each test (tests/support/pg.sh).
#![cfg(all(feature = "log-server", unix, not(target_arch = "wasm32")))]

mod common;

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{demo_config, demo_config_json};
use leptos_consent::core::{config_fingerprint, record_decision, uuid_v4, Choice, LoggedDecision, Method, Source};

const ORIGIN: &str = "https://shop.example";
const BIN: &str = env!("CARGO_BIN_EXE_lcc-server");

struct Dir(PathBuf);
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn dir(name: &str) -> Dir {
    let d = std::env::temp_dir().join(format!("lcc-faults-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("config.json"), demo_config_json()).unwrap();
    Dir(d)
}

/// A Postgres cluster on `port`, stopped and removed with the value.
struct Postgres {
    dir: Dir,
    port: u16,
}

impl Postgres {
    fn start(name: &str, port: u16) -> Postgres {
        let dir = dir(name);
        let pg = Postgres { dir, port };
        pg.up();
        pg
    }
    fn script() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/pg.sh")
    }
    fn up(&self) {
        let ok = Command::new(Self::script())
            .args([
                "start",
                &self.dir.0.join("pg").display().to_string(),
                &self.port.to_string(),
            ])
            .status()
            .unwrap()
            .success();
        assert!(
            ok,
            "Postgres did not start (tests/support/pg.sh; make tool-postgres installs it)"
        );
    }
    fn down(&self) {
        Command::new(Self::script())
            .args(["stop", &self.dir.0.join("pg").display().to_string()])
            .status()
            .unwrap();
    }
    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.down();
    }
}

/// `lcc-server serve` on `port`, killed with the value.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(db_url: &str, dir: &Path, port: u16) -> Server {
        let child = Command::new(BIN)
            .arg("serve")
            .env("LCC_DATABASE_URL", db_url)
            .env("LCC_LISTEN", format!("127.0.0.1:{port}"))
            .env("LCC_KEY_FILE", dir.join("receipt.key"))
            .env("LCC_ALLOWED_ORIGINS", ORIGIN)
            .env("LCC_CONFIGS", dir.join("config.json"))
            .env("LCC_RATE_LIMIT", "off")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server { child, port };
        wait_healthy(port);
        server
    }
    /// SIGKILL: no shutdown, no flush.
    fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until the server on `port` answers `/healthz` with 200.
fn wait_healthy(port: u16) {
    let until = Instant::now() + Duration::from_secs(30);
    while http(port, "GET", "/healthz", "").map(|a| a.0) != Some(200) {
        assert!(Instant::now() < until, "lcc-server did not come up on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One HTTP/1.1 request on its own connection: status and body, or `None`
/// when the connection failed (refused, reset, cut short).
fn http(port: u16, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {ORIGIN}\r\nContent-Type: text/plain\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let status = out.get(9..12)?.parse().ok()?;
    let body = out.split_once("\r\n\r\n")?.1.to_owned();
    Some((status, body))
}

fn decision(id_seed: u64) -> LoggedDecision {
    let cfg = demo_config();
    let mut choice = Choice::reject_all(&cfg);
    choice.set_category(&cfg, "marketing", id_seed.is_multiple_of(2));
    let mut random = [0u8; 16];
    random[..8].copy_from_slice(&id_seed.to_le_bytes());
    random[8..].copy_from_slice(&(std::process::id() as u64).to_le_bytes());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let mut record = record_decision(&cfg, None, &choice, Method::Banner, now, random);
    record.consent_id = uuid_v4(random);
    LoggedDecision::for_record(
        &record,
        1,
        &config_fingerprint(&demo_config_json()),
        Source::Banner,
        "en",
        false,
        ORIGIN,
        "/",
    )
}

/// The consent ids stored, read with `lcc-server export`.
fn stored_ids(db_url: &str, dir: &Path) -> Vec<String> {
    let out = Command::new(BIN)
        .args(["export", "--format", "ndjson"])
        .env("LCC_DATABASE_URL", db_url)
        .env("LCC_KEY_FILE", dir.join("receipt.key"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["consent_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

/// 32 clients post distinct decisions until the server stops answering; the
/// server is killed with SIGKILL once `kill_after` are acknowledged. Returns
/// the ids acknowledged with 201.
fn burst_then_kill(server: &mut Server, kill_after: u64) -> Vec<String> {
    let acked = Arc::new(Mutex::new(Vec::new()));
    let count = Arc::new(AtomicU64::new(0));
    let next = Arc::new(AtomicU64::new(1));
    let dead = Arc::new(AtomicBool::new(false));
    let port = server.port;
    let clients: Vec<_> = (0..32)
        .map(|_| {
            let (acked, count, next, dead) = (acked.clone(), count.clone(), next.clone(), dead.clone());
            std::thread::spawn(move || {
                while !dead.load(Ordering::SeqCst) {
                    let d = decision(next.fetch_add(1, Ordering::SeqCst));
                    match http(port, "POST", "/v1/decisions", &d.encode()) {
                        Some((201, _)) => {
                            acked.lock().unwrap().push(d.id);
                            count.fetch_add(1, Ordering::SeqCst);
                        }
                        Some((status, body)) => panic!("answered {status}: {body}"),
                        None => return,
                    }
                }
            })
        })
        .collect();
    let until = Instant::now() + Duration::from_secs(60);
    while count.load(Ordering::SeqCst) < kill_after {
        assert!(Instant::now() < until, "the burst did not reach {kill_after}");
        std::thread::sleep(Duration::from_millis(1));
    }
    server.kill9();
    dead.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    acked
}

fn assert_all_kept(acked: &[String], stored: &[String]) {
    let stored: BTreeSet<&String> = stored.iter().collect();
    let lost: Vec<&String> = acked.iter().filter(|id| !stored.contains(id)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged decisions lost: {:?}",
        lost.len(),
        acked.len(),
        &lost[..lost.len().min(5)]
    );
}

#[test]
fn sqlite_kill_9_in_a_burst_loses_nothing_acknowledged() {
    let d = dir("sqlite-kill");
    let url = format!("sqlite://{}", d.0.join("log.db").display());
    let mut server = Server::start(&url, &d.0, 18791);
    let acked = burst_then_kill(&mut server, 3000);
    // The next start recovers the WAL; every acknowledged decision is there.
    let stored = stored_ids(&url, &d.0);
    println!(
        "sqlite: {} acknowledged before SIGKILL, {} stored",
        acked.len(),
        stored.len()
    );
    assert_all_kept(&acked, &stored);
    assert!(stored.len() >= acked.len());
}

#[test]
fn postgres_kill_9_in_a_burst_loses_nothing_acknowledged() {
    let pg = Postgres::start("pg-kill", 55501);
    let mut server = Server::start(&pg.url(), &pg.dir.0, 18792);
    let acked = burst_then_kill(&mut server, 3000);
    let stored = stored_ids(&pg.url(), &pg.dir.0);
    println!(
        "postgres: {} acknowledged before SIGKILL, {} stored",
        acked.len(),
        stored.len()
    );
    assert_all_kept(&acked, &stored);
}

#[test]
fn postgres_down_answers_503_and_the_same_post_succeeds_when_it_is_back() {
    let pg = Postgres::start("pg-down", 55502);
    let server = Server::start(&pg.url(), &pg.dir.0, 18793);
    assert_eq!(
        http(server.port, "POST", "/v1/decisions", &decision(1).encode())
            .unwrap()
            .0,
        201
    );
    pg.down();
    let d = decision(2);
    let (status, body) = http(server.port, "POST", "/v1/decisions", &d.encode()).unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("database_unavailable"), "{body}");
    assert_eq!(http(server.port, "GET", "/healthz", "").unwrap().0, 503);
    pg.up();
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, _) = http(server.port, "POST", "/v1/decisions", &d.encode()).unwrap();
        if status == 201 {
            break;
        }
        assert_eq!(status, 503);
        assert!(Instant::now() < until, "the server did not reconnect");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(stored_ids(&pg.url(), &pg.dir.0).len(), 2);
}

/// Each decision's id and the two instances' answers (status, body).
type Answers = HashMap<String, Vec<(u16, String)>>;

#[test]
fn two_instances_on_one_postgres_take_concurrent_writes_without_loss_or_duplicate() {
    let pg = Postgres::start("pg-two", 55503);
    let a = Server::start(&pg.url(), &pg.dir.0, 18794);
    let b = Server::start(&pg.url(), &pg.dir.0, 18795);
    let ports = [a.port, b.port];
    // Every decision goes to both instances at once (a browser's retry that
    // reached another instance): one stores it, the other answers with its receipt.
    let receipts: Arc<Mutex<Answers>> = Arc::default();
    let next = Arc::new(AtomicU64::new(1));
    let clients: Vec<_> = (0..16)
        .map(|_| {
            let (receipts, next) = (receipts.clone(), next.clone());
            std::thread::spawn(move || loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n > 2000 {
                    return;
                }
                let d = decision(n);
                let body = d.encode();
                let twin = {
                    let body = body.clone();
                    std::thread::spawn(move || http(ports[1], "POST", "/v1/decisions", &body).unwrap())
                };
                let first = http(ports[0], "POST", "/v1/decisions", &body).unwrap();
                let second = twin.join().unwrap();
                receipts.lock().unwrap().insert(d.id, vec![first, second]);
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
    let receipts = receipts.lock().unwrap();
    for (id, answers) in receipts.iter() {
        let mut statuses: Vec<u16> = answers.iter().map(|a| a.0).collect();
        statuses.sort();
        assert_eq!(statuses, [200, 201], "{id}: one instance stores, the other finds it");
        assert_eq!(answers[0].1, answers[1].1, "{id}: both answer with the same receipt");
    }
    let stored = stored_ids(&pg.url(), &pg.dir.0);
    let distinct: BTreeSet<&String> = stored.iter().collect();
    assert_eq!(stored.len(), 2000, "one row per decision");
    assert_eq!(distinct.len(), 2000, "no duplicate");
    assert_all_kept(&receipts.keys().cloned().collect::<Vec<_>>(), &stored);
}

/// One request: method, path, body, extra headers.
fn request(port: u16, method: &str, path: &str, body: &str, headers: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n{headers}\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    (
        out[9..12].parse().unwrap(),
        out.split_once("\r\n\r\n").unwrap().1.to_owned(),
    )
}

/// What a site's traffic gets from a server on `db_url`: each answer's status and error
/// code, the visitor's history and the CSV export (without its times).
fn script_of_answers(db_url: &str, dir: &Path, port: u16) -> Vec<String> {
    let child = Command::new(BIN)
        .arg("serve")
        .env("LCC_DATABASE_URL", db_url)
        .env("LCC_LISTEN", format!("127.0.0.1:{port}"))
        .env("LCC_KEY_FILE", dir.join("receipt.key"))
        .env("LCC_ALLOWED_ORIGINS", ORIGIN)
        .env("LCC_ADMIN_TOKEN", "a-token-for-the-comparison-of-engines-0123")
        .env("LCC_RATE_LIMIT", "off")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { child, port };
    wait_healthy(port);
    let origin = format!("Origin: {ORIGIN}\r\n");
    let first = decision(901);
    let mut with_text = first.clone();
    with_text.config_text = Some(demo_config_json());
    let mut second = decision(901);
    second.seq = 2;
    second.categories.insert("marketing".into(), true);
    second.services.insert("mixpanel".into(), true);
    let mut taken = second.clone();
    taken.categories.insert("marketing".into(), false);
    taken.services.insert("mixpanel".into(), false);
    let bodies = [
        first.encode(),
        with_text.encode(),
        first.encode(),
        second.encode(),
        taken.encode(),
        first
            .encode()
            .replacen(r#""necessary":true"#, r#""necessary":false"#, 1),
        first.encode().replacen('{', r#"{"extra":1,"#, 1),
        "x".repeat(400 * 1024),
    ];
    let mut answers: Vec<String> = bodies
        .iter()
        .map(|b| {
            let (status, body) = request(port, "POST", "/v1/decisions", b, &origin);
            let code = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["error"].as_str().map(str::to_owned))
                .unwrap_or_default();
            format!("{status} {code}")
        })
        .collect();
    let (status, history) = request(server.port, "GET", &format!("/v1/consents/{}", first.id), "", &origin);
    let history: serde_json::Value = serde_json::from_str(&history).unwrap();
    let rows: Vec<String> = history["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{} {} {} {}", d["seq"], d["source"], d["categories"], d["services"]))
        .collect();
    answers.push(format!("{status} {rows:?}"));
    let auth = "Authorization: Bearer a-token-for-the-comparison-of-engines-0123\r\n";
    let (status, csv) = request(server.port, "GET", "/v1/admin/decisions?format=csv&rev=1", "", auth);
    // Without the two times (server_time, client_time), which differ from run to run.
    let csv: Vec<&str> = csv.lines().map(|l| l.splitn(3, ',').nth(2).unwrap_or(l)).collect();
    answers.push(format!("{status} {csv:?}"));
    answers
}

#[test]
fn sqlite_and_postgres_give_the_same_answers_and_keep_the_same_rows() {
    let d = dir("same");
    let pg = Postgres::start("pg-same", 55504);
    let on_sqlite = script_of_answers(&format!("sqlite://{}", d.0.join("log.db").display()), &d.0, 18796);
    let on_postgres = script_of_answers(&pg.url(), &pg.dir.0, 18797);
    assert_eq!(on_sqlite, on_postgres);
    // And they are the answers the docs give.
    assert_eq!(
        on_sqlite[..8],
        [
            "409 config_unknown",
            "201 ",
            "200 ",
            "201 ",
            "409 sequence_taken",
            "422 not_under_config",
            "400 malformed",
            "413 too_large"
        ]
    );
}
