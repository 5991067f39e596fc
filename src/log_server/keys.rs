//! The receipt key: an Ed25519 key made on the server's first start and kept
//! in a file; receipts signed with it and checked offline with its public half.

use std::path::Path;

use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::core::{Receipt, ReceiptBody};

use super::LogServerError;

/// The DER prefix of an Ed25519 public key in SubjectPublicKeyInfo form
/// (RFC 8410), before the key's 32 bytes: what a PEM file holds, and what
/// `openssl pkeyutl -verify` reads.
const SPKI_PREFIX: [u8; 12] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// SHA-256 of a text, in hex.
pub fn sha256_hex(text: &[u8]) -> String {
    hex(&Sha256::digest(text))
}

/// The server's signing key.
pub struct Keys {
    signing: SigningKey,
    /// [`key_id`] of the public half.
    pub key_id: String,
}

/// The id a receipt names its key by: the first 16 hex digits of the SHA-256
/// of the public key's 32 bytes.
pub fn key_id(public: &VerifyingKey) -> String {
    sha256_hex(public.as_bytes())[..16].to_owned()
}

/// The public key as PEM (SubjectPublicKeyInfo).
pub fn public_pem(public: &VerifyingKey) -> String {
    let mut der = SPKI_PREFIX.to_vec();
    der.extend_from_slice(public.as_bytes());
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    format!("-----BEGIN PUBLIC KEY-----\n{b64}\n-----END PUBLIC KEY-----\n")
}

/// Reads a public key given as 64 hex digits or as the PEM [`public_pem`] writes.
pub fn parse_public(text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = if text.contains("BEGIN PUBLIC KEY") {
        let b64: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok()?;
        der.strip_prefix(&SPKI_PREFIX[..])?.try_into().ok()?
    } else {
        unhex(text)?.try_into().ok()?
    };
    VerifyingKey::from_bytes(&bytes).ok()
}

impl Keys {
    /// Loads the key from `path`; an error when there is none (the tools that
    /// only read the key never make one the site would then publish by mistake).
    pub fn load(path: &Path) -> Result<Keys, LogServerError> {
        if !path.exists() {
            return Err(LogServerError::Config(format!(
                "no receipt key at {} (LCC_KEY_FILE): `lcc-server serve` makes it on its first start",
                path.display()
            )));
        }
        Self::load_or_create(path)
    }

    /// Loads the key from `path`, making it first (readable by the owner only)
    /// when the file does not exist.
    pub fn load_or_create(path: &Path) -> Result<Keys, LogServerError> {
        let io = |e: std::io::Error| LogServerError::Io(format!("receipt key {}: {e}", path.display()));
        let seed: [u8; 32] = match std::fs::read_to_string(path) {
            Ok(text) => unhex(&text).and_then(|b| b.try_into().ok()).ok_or_else(|| {
                LogServerError::Config(format!("receipt key {} is not 64 hex digits", path.display()))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut seed = [0u8; 32];
                getrandom::fill(&mut seed).map_err(|e| LogServerError::Io(format!("no randomness: {e}")))?;
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(io)?;
                }
                write_private(path, &format!("{}\n", hex(&seed))).map_err(io)?;
                seed
            }
            Err(e) => return Err(io(e)),
        };
        let signing = SigningKey::from_bytes(&seed);
        let key_id = key_id(&signing.verifying_key());
        Ok(Keys { signing, key_id })
    }

    /// The public half.
    pub fn public(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    /// Signs a receipt body.
    pub fn sign(&self, body: &ReceiptBody) -> Receipt {
        let signed = body.encode();
        let signature = self.signing.sign(signed.as_bytes());
        Receipt {
            alg: "Ed25519".to_owned(),
            key_id: self.key_id.clone(),
            signed,
            signature: hex(&signature.to_bytes()),
        }
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// Why a receipt does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// Not a receipt (the message says what is wrong).
    Malformed(String),
    /// The receipt names another key than the one given.
    OtherKey {
        /// The receipt's key id.
        receipt: String,
        /// The given key's id.
        given: String,
    },
    /// The signature does not match the signed text under the key.
    BadSignature,
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::Malformed(m) => write!(f, "not a receipt: {m}"),
            VerifyError::OtherKey { receipt, given } => {
                write!(
                    f,
                    "the receipt was signed with key {receipt}, not with the key given ({given})"
                )
            }
            VerifyError::BadSignature => {
                f.write_str("the signature does not match: the receipt was altered or not signed by this key")
            }
        }
    }
}

/// Verifies a receipt (as the server returned it, or a visitor's downloaded
/// receipt file holding it under `server_receipts`) against a public key;
/// returns the signed body.
pub fn verify(receipt_json: &str, public: &VerifyingKey) -> Result<ReceiptBody, VerifyError> {
    let receipt: Receipt = serde_json::from_str(receipt_json).map_err(|e| VerifyError::Malformed(e.to_string()))?;
    verify_receipt(&receipt, public)
}

/// Verifies a parsed receipt.
pub fn verify_receipt(receipt: &Receipt, public: &VerifyingKey) -> Result<ReceiptBody, VerifyError> {
    if receipt.alg != "Ed25519" {
        return Err(VerifyError::Malformed(format!("algorithm {:?}", receipt.alg)));
    }
    let given = key_id(public);
    if receipt.key_id != given {
        return Err(VerifyError::OtherKey {
            receipt: receipt.key_id.clone(),
            given,
        });
    }
    let sig: [u8; 64] = unhex(&receipt.signature)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| VerifyError::Malformed("signature is not 128 hex digits".to_owned()))?;
    public
        .verify_strict(receipt.signed.as_bytes(), &Signature::from_bytes(&sig))
        .map_err(|_| VerifyError::BadSignature)?;
    serde_json::from_str(&receipt.signed).map_err(|e| VerifyError::Malformed(format!("signed text: {e}")))
}
