//! Signed checkpoints (docs/audit.md): a statement "the journal of game G had entry `seq` with
//! hash `head`", signed with the server's Ed25519 key in the C2SP signed-note text format
//! (<https://c2sp.org/signed-note>, body shaped as a <https://c2sp.org/tlog-checkpoint>):
//!
//! ```text
//! pecking-order/<game id>          origin
//! <seq>                            tree size: entries 1..=seq
//! <base64 of the 32-byte head>     root hash: the hash of entry seq
//! day <day>                        extension lines
//! seed-commitment <hex> | seed <hex>
//! engine <engine version>
//!
//! — <key name> <base64(key hash ‖ signature)>
//! ```
//!
//! The key hash is the first 4 bytes of SHA-256(key name ‖ "\n" ‖ 0x01 ‖ public key) and the
//! signature is Ed25519 over the body (every line up to and including the blank line's
//! predecessor's newline), as signed-note specifies. Ed25519 signing is deterministic: the same
//! checkpoint always has the same signature. Pure: no clock, no randomness, no I/O.

use crate::journal::Hash;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// The name of the server's checkpoint key in signature lines and in its verifier key.
pub const KEY_NAME: &str = "pecking-order-checkpoint";
/// The Worker secret holding the 32-byte Ed25519 seed (64 hex digits or base64).
pub const CHECKPOINT_KEY: &str = "CHECKPOINT_KEY";
/// The public route serving the verifier key (`GET`, text: one line `name+hash+key`).
pub const CHECKPOINT_KEY_ROUTE: &str = "/checkpoint-key";
/// Prefix of every origin line: `pecking-order/<game id>`.
pub const ORIGIN_PREFIX: &str = "pecking-order/";
/// The signature algorithm byte of Ed25519 in signed-note key hashes and verifier keys.
const ALG_ED25519: u8 = 0x01;

/// The seed field of a checkpoint: the commitment before the reveal, the seed after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeedField {
    Commitment(Hash),
    Revealed(Hash),
}

/// What a checkpoint states (its signed body).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub game_id: String,
    pub seq: u64,
    pub head: Hash,
    pub day: u32,
    pub seed: SeedField,
    pub engine: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CheckpointError {
    #[error("not a signed note: {0}")]
    Format(String),
    #[error("not a Pecking Order checkpoint: {0}")]
    Body(String),
    #[error("no signature by key {name} (hash {hash:08x}) on this note")]
    NoSignature { name: String, hash: u32 },
    #[error("the signature by {0} does not verify: the note was altered or signed by another key")]
    BadSignature(String),
    #[error("bad key: {0}")]
    Key(String),
}

impl CheckpointError {
    /// Stable code (HTTP bodies, logs).
    pub fn code(&self) -> &'static str {
        match self {
            CheckpointError::Format(_) => "CHECKPOINT_FORMAT",
            CheckpointError::Body(_) => "CHECKPOINT_BODY",
            CheckpointError::NoSignature { .. } => "CHECKPOINT_UNSIGNED",
            CheckpointError::BadSignature(_) => "CHECKPOINT_BAD_SIGNATURE",
            CheckpointError::Key(_) => "CHECKPOINT_KEY",
        }
    }
}

impl Checkpoint {
    /// The note body: origin, size, root hash, extension lines, each ending in a newline.
    pub fn body(&self) -> String {
        let seed = match self.seed {
            SeedField::Commitment(h) => format!("seed-commitment {h}"),
            SeedField::Revealed(h) => format!("seed {h}"),
        };
        format!(
            "{ORIGIN_PREFIX}{}\n{}\n{}\nday {}\n{seed}\nengine {}\n",
            self.game_id,
            self.seq,
            B64.encode(self.head.0),
            self.day,
            self.engine
        )
    }

    /// Reads a body written by [`Checkpoint::body`].
    pub fn parse_body(body: &str) -> Result<Checkpoint, CheckpointError> {
        let bad = |m: &str| CheckpointError::Body(m.to_string());
        let mut lines = body
            .strip_suffix('\n')
            .ok_or(bad("no final newline"))?
            .split('\n');
        let mut next = |what: &str| lines.next().ok_or_else(|| bad(&format!("no {what} line")));
        let origin = next("origin")?;
        let game_id = origin
            .strip_prefix(ORIGIN_PREFIX)
            .filter(|g| !g.is_empty())
            .ok_or_else(|| {
                bad(&format!(
                    "origin {origin:?} is not {ORIGIN_PREFIX}<game id>"
                ))
            })?;
        let size = next("size")?;
        let seq: u64 = size
            .parse()
            .ok()
            .filter(|s: &u64| s.to_string() == size)
            .ok_or_else(|| bad(&format!("size {size:?} is not a decimal number")))?;
        let root = next("root hash")?;
        let head = B64
            .decode(root)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .map(Hash)
            .ok_or_else(|| bad(&format!("root hash {root:?} is not 32 bytes of base64")))?;
        let day_line = next("day")?;
        let day = day_line
            .strip_prefix("day ")
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| bad(&format!("{day_line:?} is not `day N`")))?;
        let seed_line = next("seed")?;
        let seed = if let Some(h) = seed_line.strip_prefix("seed-commitment ") {
            SeedField::Commitment(Hash::from_hex(h).ok_or(bad("bad seed commitment"))?)
        } else if let Some(h) = seed_line.strip_prefix("seed ") {
            SeedField::Revealed(Hash::from_hex(h).ok_or(bad("bad seed"))?)
        } else {
            return Err(bad(&format!("{seed_line:?} is not a seed line")));
        };
        let engine_line = next("engine")?;
        let engine = engine_line
            .strip_prefix("engine ")
            .filter(|e| !e.is_empty())
            .ok_or_else(|| bad(&format!("{engine_line:?} is not `engine V`")))?
            .to_string();
        Ok(Checkpoint {
            game_id: game_id.to_string(),
            seq,
            head,
            day,
            seed,
            engine,
        })
    }
}

/// The server's signing key.
#[derive(Clone)]
pub struct CheckpointKey {
    key: SigningKey,
}

impl std::fmt::Debug for CheckpointKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CheckpointKey({})", self.verifier_key())
    }
}

/// Keys are equal when their public keys are (the secret is never compared or shown).
impl PartialEq for CheckpointKey {
    fn eq(&self, other: &Self) -> bool {
        self.key.verifying_key() == other.key.verifying_key()
    }
}

impl CheckpointKey {
    /// The key from its 32-byte seed, written as 64 hex digits or as base64 (the secret
    /// CHECKPOINT_KEY). Surrounding whitespace is ignored.
    pub fn from_secret(secret: &str) -> Result<CheckpointKey, CheckpointError> {
        let s = secret.trim();
        let bytes = if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            Hash::from_hex(s).map(|h| h.0.to_vec())
        } else {
            B64.decode(s).ok()
        };
        let seed: [u8; 32] = bytes.and_then(|b| b.try_into().ok()).ok_or_else(|| {
            CheckpointError::Key(format!(
                "{CHECKPOINT_KEY} must be a 32-byte seed as 64 hex digits or base64"
            ))
        })?;
        Ok(CheckpointKey {
            key: SigningKey::from_bytes(&seed),
        })
    }

    pub fn public(&self) -> PublicKey {
        PublicKey {
            name: KEY_NAME.to_string(),
            key: self.key.verifying_key(),
        }
    }

    /// The signed-note verifier key, `name+hash+base64(0x01 ‖ public key)`.
    pub fn verifier_key(&self) -> String {
        self.public().to_string()
    }

    /// The signed note of `cp`: its body, a blank line, the signature line.
    pub fn sign(&self, cp: &Checkpoint) -> String {
        let body = cp.body();
        let sig = self.key.sign(body.as_bytes());
        let mut blob = self.public().key_hash().to_be_bytes().to_vec();
        blob.extend_from_slice(&sig.to_bytes());
        format!("{body}\n\u{2014} {KEY_NAME} {}\n", B64.encode(blob))
    }
}

/// A verifier key: a name and an Ed25519 public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    pub name: String,
    key: VerifyingKey,
}

impl std::fmt::Display for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut b = vec![ALG_ED25519];
        b.extend_from_slice(self.key.as_bytes());
        write!(f, "{}+{:08x}+{}", self.name, self.key_hash(), B64.encode(b))
    }
}

impl PublicKey {
    /// The first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ key), big-endian (signed-note).
    pub fn key_hash(&self) -> u32 {
        let mut h = Sha256::new();
        h.update(self.name.as_bytes());
        h.update(b"\n");
        h.update([ALG_ED25519]);
        h.update(self.key.as_bytes());
        let d = h.finalize();
        u32::from_be_bytes([d[0], d[1], d[2], d[3]])
    }

    /// Reads a verifier key `name+hash+base64(0x01 ‖ key)`; the hash must match.
    pub fn parse(text: &str) -> Result<PublicKey, CheckpointError> {
        let bad = |m: &str| CheckpointError::Key(m.to_string());
        let mut parts = text.trim().splitn(3, '+');
        let (Some(name), Some(hash), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad("expected name+hash+key"));
        };
        let raw = B64.decode(key).map_err(|_| bad("the key is not base64"))?;
        let (alg, pk) = raw.split_first().ok_or(bad("empty key"))?;
        if *alg != ALG_ED25519 {
            return Err(bad("not an Ed25519 key"));
        }
        let pk: [u8; 32] = pk
            .try_into()
            .map_err(|_| bad("an Ed25519 key is 32 bytes"))?;
        let key = VerifyingKey::from_bytes(&pk).map_err(|_| bad("not a valid Ed25519 point"))?;
        let out = PublicKey {
            name: name.to_string(),
            key,
        };
        if format!("{:08x}", out.key_hash()) != hash {
            return Err(bad("the key hash does not match the key"));
        }
        Ok(out)
    }
}

/// A signed note, split: its body and its signature lines `(name, key hash, signature)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedNote {
    pub body: String,
    pub signatures: Vec<(String, u32, Vec<u8>)>,
}

impl SignedNote {
    pub fn parse(text: &str) -> Result<SignedNote, CheckpointError> {
        let bad = |m: &str| CheckpointError::Format(m.to_string());
        let text = text.replace("\r\n", "\n");
        let (body, sigs) = text
            .split_once("\n\n")
            .ok_or(bad("no blank line between the text and the signatures"))?;
        let body = format!("{body}\n");
        let mut signatures = Vec::new();
        for line in sigs.lines().filter(|l| !l.is_empty()) {
            let rest = line.strip_prefix("\u{2014} ").ok_or_else(|| {
                bad(&format!(
                    "signature line {line:?} does not start with \"— \""
                ))
            })?;
            let (name, b64) = rest
                .split_once(' ')
                .ok_or_else(|| bad(&format!("signature line {line:?} has no signature")))?;
            let blob = B64
                .decode(b64)
                .map_err(|_| bad("a signature is not base64"))?;
            if blob.len() < 5 {
                return Err(bad("a signature is too short"));
            }
            let hash = u32::from_be_bytes([blob[0], blob[1], blob[2], blob[3]]);
            signatures.push((name.to_string(), hash, blob[4..].to_vec()));
        }
        if signatures.is_empty() {
            return Err(bad("no signature lines"));
        }
        Ok(SignedNote { body, signatures })
    }

    /// Checks the signature of `key` and reads the checkpoint.
    pub fn verify(&self, key: &PublicKey) -> Result<Checkpoint, CheckpointError> {
        let hash = key.key_hash();
        let (_, _, sig) = self
            .signatures
            .iter()
            .find(|(n, h, _)| *n == key.name && *h == hash)
            .ok_or_else(|| CheckpointError::NoSignature {
                name: key.name.clone(),
                hash,
            })?;
        let sig = Signature::from_slice(sig)
            .map_err(|_| CheckpointError::BadSignature(key.name.clone()))?;
        key.key
            .verify(self.body.as_bytes(), &sig)
            .map_err(|_| CheckpointError::BadSignature(key.name.clone()))?;
        Checkpoint::parse_body(&self.body)
    }
}

/// Parses and verifies a signed checkpoint note against `key`.
pub fn verify_note(text: &str, key: &PublicKey) -> Result<Checkpoint, CheckpointError> {
    SignedNote::parse(text)?.verify(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cp() -> Checkpoint {
        Checkpoint {
            game_id: "g-1".into(),
            seq: 42,
            head: Hash([7; 32]),
            day: 2,
            seed: SeedField::Commitment(Hash([9; 32])),
            engine: "po-engine/0.1.0".into(),
        }
    }

    #[test]
    fn a_signed_checkpoint_verifies_and_round_trips() {
        let k = CheckpointKey::from_secret(&"11".repeat(32)).unwrap();
        let note = k.sign(&cp());
        assert!(note.starts_with("pecking-order/g-1\n42\n"));
        assert!(note.contains("\n\n\u{2014} pecking-order-checkpoint "));
        // Deterministic.
        assert_eq!(note, k.sign(&cp()));
        let pk = PublicKey::parse(&k.verifier_key()).unwrap();
        assert_eq!(verify_note(&note, &pk).unwrap(), cp());
        // The same seed in base64 is the same key.
        let k2 = CheckpointKey::from_secret(&B64.encode([0x11u8; 32])).unwrap();
        assert_eq!(k2.verifier_key(), k.verifier_key());
    }

    #[test]
    fn altered_notes_and_other_keys_are_refused() {
        let k = CheckpointKey::from_secret(&"11".repeat(32)).unwrap();
        let other = CheckpointKey::from_secret(&"22".repeat(32)).unwrap();
        let pk = k.public();
        let note = k.sign(&cp());
        let altered = note.replacen("\n42\n", "\n43\n", 1);
        assert!(matches!(
            verify_note(&altered, &pk),
            Err(CheckpointError::BadSignature(_))
        ));
        assert!(matches!(
            verify_note(&other.sign(&cp()), &pk),
            Err(CheckpointError::NoSignature { .. })
        ));
        for junk in ["", "hello", "a\n\nb", "a\n\n\u{2014} x !!!\n"] {
            assert!(verify_note(junk, &pk).is_err(), "{junk:?}");
        }
        assert!(CheckpointKey::from_secret("short").is_err());
        assert!(PublicKey::parse("a+00000000+AQ==").is_err());
    }
}
