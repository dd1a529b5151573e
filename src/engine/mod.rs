//! The pure engine: `(state, input) -> (state', facts)`.
//!
//! Everything here is deterministic: no I/O, no clock (time comes from the entry's `at_ms`), no
//! global randomness (see [`rng`]), no hash-map iteration order. The same inputs give the same
//! state bytes natively and in wasm.

pub mod command;
mod day;
pub mod destiny;
pub mod economy;
pub mod error;
pub mod fact;
pub mod games;
pub mod manifest;
pub(crate) mod order;
pub mod perks;
pub mod projection;
pub(crate) mod registry;
pub mod rng;
pub mod roster;
pub mod rules;
pub mod social;
pub mod state;
pub(crate) mod tag_first;
pub mod ticker;
pub mod timeline;
pub mod voting;
// --- Prompts, dilemmas, confessions, inactivity ---
pub mod confession;
mod content;
pub mod dilemmas;
pub mod gamemaster;
pub mod inactivity;
pub mod pregame;
pub mod prompts;
pub mod push_config;

pub use command::{Command, Input};
pub use error::Rejection;
pub use fact::Fact;
pub use manifest::{Manifest, ManifestError};
pub use state::{Engine, GameState, Phase};

/// The rules version new games play by. A game keeps the rules it started with: SYSTEM.INIT
/// records the version (absent = 1), the state carries it, and a rule that changes how an
/// existing journal replays is gated on it (`GameState::rules_version`), so a deploy never
/// changes a running game and every finished journal keeps verifying (docs/architecture.md,
/// "Rules versions"). Bump it, and [`ENGINE_VERSION`], when such a rule changes.
pub const RULES_VERSION: u32 = 4;

/// Version of the engine software. Pinned in every journal entry, so replay can tell rules drift
/// from tampering.
pub const ENGINE_VERSION: &str = "po-engine/0.1.0";
