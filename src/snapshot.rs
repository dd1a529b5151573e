//! Snapshots: the full engine (state and seed) with the seq and chain head it covers, as JSON text
//! (version 2). A snapshot is a cache of the journal, never a second truth: `fold(snapshot at k,
//! tail)` must equal `fold(all)` byte for byte, which the property tests check.
//!
//! Version 1 was the same document in CBOR. Rooms still hold such snapshots (the latest and the
//! previous one) until their next compaction, so [`Snapshot::decode`] still reads them: into a
//! generic CBOR tree, transcoded to the JSON text version 2 reads (docs/schema-evolution.md,
//! "Snapshot versions"). The state types are thus decoded by one reader only, the crate's JSON
//! reader (`crate::json`), which the facts and commands nested in them share.

use crate::engine::Engine;
use crate::journal::Hash;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use thiserror::Error;

/// Layout version of the snapshot document this build writes (JSON text).
pub const SNAPSHOT_VERSION: u32 = 2;
/// The previous layout (CBOR), still read: see the module documentation.
pub const SNAPSHOT_VERSION_CBOR: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: u32,
    /// Rules version the state was computed with.
    pub engine_version: String,
    pub seq: u64,
    pub head: Hash,
    /// Chain head at the end of each finished day, published to players.
    pub day_heads: Vec<(u32, Hash)>,
    pub engine: Engine,
}

#[derive(Debug, Error)]
pub enum SnapshotError {
    #[error("snapshot could not be decoded: {0}")]
    Decode(String),
    #[error(
        "snapshot version {0} is not {SNAPSHOT_VERSION} (JSON) or {SNAPSHOT_VERSION_CBOR} (CBOR)"
    )]
    Version(u32),
}

impl Snapshot {
    /// The version-2 bytes: compact JSON text (no floats in the state; every map is keyed by
    /// strings), so it round-trips exactly.
    pub fn encode(&self) -> Vec<u8> {
        // Serializing these plain data types into a Vec cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Reads a version-2 (JSON) or version-1 (CBOR) snapshot; the result is always at
    /// [`SNAPSHOT_VERSION`], so it encodes as version 2.
    pub fn decode(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
        // A version-2 snapshot is a JSON object; a version-1 one a CBOR map (first byte 0xa0..0xbf).
        if bytes.first() == Some(&b'{') {
            let text = std::str::from_utf8(bytes)
                .map_err(|e| SnapshotError::Decode(format!("not UTF-8: {e}")))?;
            decode_text(text, SNAPSHOT_VERSION)
        } else {
            decode_text(&cbor_to_json(bytes)?, SNAPSHOT_VERSION_CBOR)
        }
    }
}

fn decode_text(text: &str, version: u32) -> Result<Snapshot, SnapshotError> {
    let mut s: Snapshot =
        crate::json::from_str(text).map_err(|e| SnapshotError::Decode(e.to_string()))?;
    if s.version != version {
        return Err(SnapshotError::Version(s.version));
    }
    s.version = SNAPSHOT_VERSION;
    Ok(s)
}

/// A version-1 snapshot's CBOR as the equivalent JSON text. The state's types serialize the same
/// way in both formats (none asks `is_human_readable`; `Hash` is a hex string in both; byte
/// arrays such as the seed are sequences of integers; every map has string keys; no floats), so
/// the text decodes to the value the CBOR did. Anything else a version-1 snapshot never held
/// (floats, byte strings, tags, non-text map keys) is refused.
fn cbor_to_json(bytes: &[u8]) -> Result<String, SnapshotError> {
    let tree: ciborium::Value =
        ciborium::from_reader(bytes).map_err(|e| SnapshotError::Decode(e.to_string()))?;
    let mut out = String::with_capacity(bytes.len() * 5 / 4);
    write_json(&tree, &mut out)?;
    Ok(out)
}

fn write_json(v: &ciborium::Value, out: &mut String) -> Result<(), SnapshotError> {
    use ciborium::Value as V;
    match v {
        V::Null => out.push_str("null"),
        V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        V::Integer(i) => {
            let _ = write!(out, "{}", i128::from(*i));
        }
        V::Text(s) => write_string(s, out),
        V::Array(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write_json(item, out)?;
            }
            out.push(']');
        }
        V::Map(pairs) => {
            out.push('{');
            for (n, (k, item)) in pairs.iter().enumerate() {
                let V::Text(k) = k else {
                    return Err(SnapshotError::Decode("a map key is not text".into()));
                };
                if n > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_json(item, out)?;
            }
            out.push('}');
        }
        V::Float(_) | V::Bytes(_) | V::Tag(..) => {
            return Err(SnapshotError::Decode(
                "a float, byte string or tag in a version-1 snapshot".into(),
            ))
        }
        _ => return Err(SnapshotError::Decode("an unknown CBOR value".into())),
    }
    Ok(())
}

/// A JSON string literal (RFC 8259 escapes).
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
