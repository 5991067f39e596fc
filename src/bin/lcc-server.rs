//! `lcc-server`: the consent log (docs/consent-log.md).
//!
//! ```text
//! lcc-server serve                      run it (settings from LCC_* variables)
//! lcc-server export [--from D] [--to D] [--rev N] [--format csv|ndjson] [--out FILE]
//! lcc-server purge                      delete what is past retention, now
//! lcc-server verify RECEIPT [--key KEY] check a receipt offline
//! lcc-server key                        print the receipt key's public half (PEM)
//! ```

use std::process::ExitCode;

use leptos_consent::log_server::export::{export_to, parse_time, ExportFormat};
use leptos_consent::log_server::keys::{key_id, parse_public, public_pem, verify, Keys};
use leptos_consent::log_server::{router, LogServer, Settings};

const USAGE: &str = "usage: lcc-server serve | export [--from DATE|MS] [--to DATE|MS] [--rev N] [--format csv|ndjson] [--out FILE] | purge | verify RECEIPT.json [--key PUBLIC-KEY] | key
settings come from LCC_* variables (docs/consent-log.md)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "verify" => verify_command(&args[1..]),
        "key" => key_command(),
        "serve" | "export" | "purge" => {
            let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("lcc-server: {e}");
                    return ExitCode::FAILURE;
                }
            };
            runtime.block_on(async {
                match command.as_str() {
                    "serve" => serve().await,
                    "export" => export_command(&args[1..]).await,
                    _ => purge_command().await,
                }
            })
        }
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lcc-server: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let listen = settings.listen;
    let server = LogServer::open(settings).await.map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("listen on {listen}: {e}"))?;
    eprintln!(
        "lcc-server: listening on http://{listen} (receipt key {})",
        key_id(&server.public_key())
    );
    let app = router::<()>(server).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
            }
        })
        .await
        .map_err(|e| e.to_string())
}

fn flag<'a>(args: &'a [String], name: &str) -> Result<Option<&'a str>, String> {
    match args.iter().position(|a| a == name) {
        Some(i) => args
            .get(i + 1)
            .map(|v| Some(v.as_str()))
            .ok_or_else(|| format!("{name} needs a value")),
        None => Ok(None),
    }
}

async fn export_command(args: &[String]) -> Result<(), String> {
    let time = |name: &str| -> Result<Option<i64>, String> {
        flag(args, name)?
            .map(|v| parse_time(v).ok_or_else(|| format!("{name}: Unix ms or YYYY-MM-DD, not {v:?}")))
            .transpose()
    };
    let from = time("--from")?.unwrap_or(0);
    let to = time("--to")?.unwrap_or(i64::MAX);
    let rev = flag(args, "--rev")?
        .map(|v| v.parse::<u32>().map_err(|_| format!("--rev: not a number: {v:?}")))
        .transpose()?;
    let format = match flag(args, "--format")? {
        Some(f) => ExportFormat::parse(f).ok_or_else(|| format!("--format: csv or ndjson, not {f:?}"))?,
        None => ExportFormat::Csv,
    };
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let db = leptos_consent::log_server::db::Db::open(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let mut out: Box<dyn std::io::Write + Send> = match flag(args, "--out")? {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    let n = export_to(&db, from, to, rev, format, &mut *out)
        .await
        .map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())?;
    eprintln!("lcc-server: exported {n} decisions");
    Ok(())
}

async fn purge_command() -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let days = settings.retention_days;
    let db = leptos_consent::log_server::db::Db::open(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let n = db
        .purge(now - i64::from(days) * 86_400_000)
        .await
        .map_err(|e| e.to_string())?;
    eprintln!("lcc-server: purged {n} decisions older than {days} days");
    Ok(())
}

fn key_command() -> Result<(), String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let keys = Keys::load(&settings.key_file).map_err(|e| e.to_string())?;
    print!("{}", public_pem(&keys.public()));
    Ok(())
}

/// Checks a receipt: the file is a receipt as the server returned it, or the
/// visitor's downloaded receipt (each of its `server_receipts` is checked).
fn verify_command(args: &[String]) -> Result<(), String> {
    let path = args
        .first()
        .filter(|a| !a.starts_with("--"))
        .ok_or("verify needs a receipt file")?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let public = match flag(args, "--key")? {
        Some(k) => {
            let key_text = std::fs::read_to_string(k).unwrap_or_else(|_| k.to_owned());
            parse_public(&key_text)
                .ok_or_else(|| format!("--key: not an Ed25519 public key (PEM or 64 hex digits): {k}"))?
        }
        None => {
            let settings = Settings::from_env().map_err(|e| e.to_string())?;
            if !settings.key_file.exists() {
                return Err(format!(
                    "no --key given and no key file at {} (LCC_KEY_FILE)",
                    settings.key_file.display()
                ));
            }
            Keys::load_or_create(&settings.key_file)
                .map_err(|e| e.to_string())?
                .public()
        }
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{path}: not JSON: {e}"))?;
    let receipts: Vec<String> = match value.get("server_receipts").and_then(|r| r.as_array()) {
        Some(list) => list.iter().map(|r| r.to_string()).collect(),
        None => vec![text.clone()],
    };
    if receipts.is_empty() {
        return Err(format!("{path} holds no server receipt"));
    }
    for r in &receipts {
        let body = verify(r, &public).map_err(|e| e.to_string())?;
        println!(
            "valid: consent {} decision {} stored {} under config {} (revision {}, sha256 {}), granted: {}",
            body.id,
            body.seq,
            leptos_consent::log_server::export::iso_utc(body.server_time as i64),
            body.config,
            body.rev,
            body.config_sha256,
            body.categories
                .iter()
                .chain(&body.services)
                .filter(|(_, on)| **on)
                .map(|(k, _)| k.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    Ok(())
}
