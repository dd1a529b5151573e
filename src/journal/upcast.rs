//! Reading older entry layouts (`docs/schema-evolution.md`).
//!
//! An entry is stored, hashed and verified in the layout it was written in (its `v`); the engine
//! reads it in the current layout. [`upcast`] is that read: it applies one step per version, from
//! the stored `v` up to [`ENTRY_VERSION`]. It runs after the chain check, on the way into the
//! engine (`Room::apply_recorded`, `Room::apply_trusted`, `room::revealed_seed`), and its result is
//! never hashed, stored or sent: hashes always cover the bytes as stored.

use super::{Entry, ENTRY_VERSION, OLDEST_ENTRY_VERSION};
use std::borrow::Cow;
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum UpcastError {
    #[error(
        "entry {seq} has layout version {v}; this build reads versions {OLDEST_ENTRY_VERSION} to {ENTRY_VERSION}"
    )]
    UnknownVersion { seq: u64, v: u32 },
}

/// Whether this build can read (verify and upcast) layout version `v`.
pub fn is_readable(v: u32) -> bool {
    (OLDEST_ENTRY_VERSION..=ENTRY_VERSION).contains(&v)
}

/// The stored entry `e` as the current layout would have written it. Borrowed, at no cost, when
/// `e` is already current.
///
/// The result keeps the stored `prev_hash` and `hash`, which identify the entry in its chain, and
/// says `v = ENTRY_VERSION`; its hash therefore cannot be recomputed from it. Verify the stored
/// entry first (`journal::verify`, `Room::apply_recorded`), then upcast.
pub fn upcast(e: &Entry) -> Result<Cow<'_, Entry>, UpcastError> {
    if e.v == ENTRY_VERSION {
        return Ok(Cow::Borrowed(e));
    }
    if !is_readable(e.v) {
        return Err(UpcastError::UnknownVersion { seq: e.seq, v: e.v });
    }
    let mut out = e.clone();
    while out.v < ENTRY_VERSION {
        out = step(out);
    }
    Ok(Cow::Owned(out))
}

/// One step: an entry of layout `e.v` as layout `e.v + 1`.
fn step(e: Entry) -> Entry {
    match e.v {
        0 => v0_to_v1(e),
        _ => Entry { v: e.v + 1, ..e },
    }
}

/// Version 0 had no `v` column and hashed its fields without it; what every field means is the
/// same in version 1, so only the version changes.
fn v0_to_v1(e: Entry) -> Entry {
    Entry { v: 1, ..e }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{EntryKind, Hash, Verdict};

    fn entry(v: u32) -> Entry {
        Entry {
            game_id: "g".into(),
            seq: 1,
            at_ms: 5,
            day: 0,
            kind: EntryKind::System,
            actor: "SYSTEM".into(),
            typ: "SYSTEM.REVEAL_SEED".into(),
            payload: "{}".into(),
            verdict: Verdict::Accepted,
            facts: "[]".into(),
            engine: "po-engine/0.1.0".into(),
            v,
            prev_hash: Hash::default(),
            hash: Hash::default(),
        }
    }

    #[test]
    fn current_entries_are_borrowed_older_ones_stepped_newer_ones_refused() {
        let e = entry(ENTRY_VERSION);
        assert!(matches!(upcast(&e), Ok(Cow::Borrowed(_))));
        let old = entry(0);
        let up = upcast(&old).unwrap();
        assert_eq!(up.v, ENTRY_VERSION);
        assert_eq!(up.payload, old.payload);
        assert_eq!(
            upcast(&entry(ENTRY_VERSION + 1)),
            Err(UpcastError::UnknownVersion {
                seq: 1,
                v: ENTRY_VERSION + 1
            })
        );
    }

    #[test]
    fn each_version_hashes_its_own_form() {
        // Version 0 is the version-1 form without the 4 bytes of `v`.
        let v0 = crate::journal::canonical_bytes(&entry(0));
        let v1 = crate::journal::canonical_bytes(&entry(1));
        assert_eq!(v1.len(), v0.len() + 4);
        let tag = super::super::canonical::DOMAIN.len();
        assert_eq!(v0[..tag], v1[..tag]);
        assert_eq!(v1[tag..tag + 4], 1u32.to_be_bytes());
        assert_eq!(v0[tag..], v1[tag + 4..]);
        let sealed = entry(0).seal(Hash::default());
        assert_ne!(
            Entry {
                v: 1,
                ..sealed.clone()
            }
            .compute_hash(),
            sealed.hash
        );
    }

    #[test]
    fn a_version_0_row_has_no_v_and_round_trips() {
        let e = entry(0).seal(Hash::default());
        let text = serde_json::to_string(&e).unwrap();
        assert!(!text.contains("\"v\""), "{text}");
        let back: Entry = serde_json::from_str(&text).unwrap();
        assert_eq!(back, e);
        assert!(serde_json::to_string(&entry(1))
            .unwrap()
            .contains("\"v\":1"));
    }
}
