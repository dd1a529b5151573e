//! Pecking Order: a journal-driven game engine for Cloudflare Workers.
//!
//! Three layers with one-way dependencies (see `docs/architecture.md`):
//! - [`engine`]: pure and deterministic, `(state, input) -> (state', facts)`. No I/O, no clock.
//! - [`room`]: host-agnostic orchestration: validation at the edge, journaling, snapshots.
//! - `worker` (wasm32 only): Cloudflare glue (routes, Durable Object, D1).
//!
//! [`journal`] holds the hash-chained entry format every layer agrees on; [`limits`] every bound
//! and how the bounds relate.

pub mod checkpoint;
pub mod engine;
pub mod journal;
pub mod json;
pub mod limits;
pub mod push;
pub mod room;
#[cfg(feature = "schema")]
pub mod schema;
pub mod sim;
pub mod snapshot;

#[cfg(target_arch = "wasm32")]
mod worker;
