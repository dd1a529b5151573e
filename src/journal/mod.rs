//! The journal: append-only, hash-chained entries. The journal is the source of truth; everything
//! else (roster, silver, gold, destinies) is derived by replaying it.
//!
//! The byte form hashed here is specified in `docs/journal-format.md`; keep the two in step.

mod canonical;
mod chain;
mod entry;
pub mod row;
pub mod upcast;

pub use canonical::canonical_bytes;
pub use chain::{genesis_hash, verify, verify_from, ChainError, Field};
pub use entry::{Entry, EntryKind, Hash, Verdict, ENTRY_VERSION, OLDEST_ENTRY_VERSION};
pub use upcast::{upcast, UpcastError};
