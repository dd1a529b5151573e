//! Snapshots: the full engine (state and seed) in CBOR, with the seq and chain head it covers.
//! A snapshot is a cache of the journal, never a second truth: `fold(snapshot at k, tail)` must
//! equal `fold(all)` byte for byte, which the property tests check.

use crate::engine::Engine;
use crate::journal::Hash;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Layout version of the snapshot document; a snapshot of another version is rebuilt by replay.
pub const SNAPSHOT_VERSION: u32 = 1;

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
    #[error("snapshot version {0} is not {SNAPSHOT_VERSION}")]
    Version(u32),
}

impl Snapshot {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4096);
        // Writing CBOR into a Vec cannot fail for these plain data types.
        let _ = ciborium::into_writer(self, &mut out);
        out
    }

    pub fn decode(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
        let s: Snapshot =
            ciborium::from_reader(bytes).map_err(|e| SnapshotError::Decode(e.to_string()))?;
        if s.version != SNAPSHOT_VERSION {
            return Err(SnapshotError::Version(s.version));
        }
        Ok(s)
    }
}
