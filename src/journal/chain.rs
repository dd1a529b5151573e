//! Chain verification: the hash chain proves that no entry was altered, removed, reordered or
//! inserted after the fact.

use super::{Entry, Hash};
use thiserror::Error;

/// The hash entry 1 chains from: blake3 of a domain tag and the game id, so two games never share
/// a chain even when their first entries are identical.
pub fn genesis_hash(game_id: &str) -> Hash {
    let mut h = blake3::Hasher::new();
    h.update(b"pecking-order/genesis\n");
    h.update(game_id.as_bytes());
    Hash(*h.finalize().as_bytes())
}

/// Which part of an entry failed verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `game_id` differs from the game being verified.
    GameId,
    /// `seq` is not the previous seq + 1 (a gap, a duplicate or a swap).
    Seq,
    /// `prev_hash` is not the hash of the previous entry.
    PrevHash,
    /// `hash` does not match the entry's content: some hashed field was changed.
    Hash,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::GameId => "game_id",
            Field::Seq => "seq",
            Field::PrevHash => "prev_hash",
            Field::Hash => "hash",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChainError {
    #[error("journal is empty")]
    Empty,
    #[error("entry at position {index} (seq {seq}) is broken: {} does not match", field.as_str())]
    Broken {
        index: usize,
        seq: u64,
        field: Field,
    },
}

impl ChainError {
    /// Stable code for the wire and for exit messages.
    pub fn code(&self) -> &'static str {
        match self {
            ChainError::Empty => "JOURNAL_EMPTY",
            ChainError::Broken { .. } => "CHAIN_BROKEN",
        }
    }
}

/// Verifies a whole journal from seq 1. Returns the chain head (hash of the last entry), or the
/// first entry that does not verify.
///
/// A changed hashed field shows as `Field::Hash` on that entry; a changed `hash` column shows as
/// `Field::Hash` too (its own recomputation fails) — either way the seq named is the altered one.
/// Each entry is hashed in the byte form of its own layout version `v`; an entry of a version
/// this build does not read shows as `Field::Hash` too.
pub fn verify(game_id: &str, entries: &[Entry]) -> Result<Hash, ChainError> {
    if entries.is_empty() {
        return Err(ChainError::Empty);
    }
    verify_from(game_id, 0, genesis_hash(game_id), entries)
}

/// Verifies `entries` as the continuation of a chain whose last verified entry had `last_seq` and
/// hash `head` (use 0 and [`genesis_hash`] for a whole journal).
pub fn verify_from(
    game_id: &str,
    last_seq: u64,
    head: Hash,
    entries: &[Entry],
) -> Result<Hash, ChainError> {
    let mut prev = head;
    for (index, (expect_seq, e)) in (last_seq + 1..).zip(entries).enumerate() {
        // Name the entry by the seq its position requires, so a rewritten `seq` column still
        // points at the row that was altered.
        let broken = |field| ChainError::Broken {
            index,
            seq: expect_seq,
            field,
        };
        if e.game_id != game_id {
            return Err(broken(Field::GameId));
        }
        if e.seq != expect_seq {
            return Err(broken(Field::Seq));
        }
        if e.prev_hash != prev {
            // An altered predecessor is reported on the predecessor by its own hash check; we
            // get here when the link itself was rewritten or an entry was inserted or removed.
            return Err(broken(Field::PrevHash));
        }
        // A layout this build does not know has a byte form it cannot compute: not verified.
        if !super::upcast::is_readable(e.v) || e.compute_hash() != e.hash {
            return Err(broken(Field::Hash));
        }
        prev = e.hash;
    }
    Ok(prev)
}
