//! Bots that play Pecking Order over the real WebSocket protocol (docs/protocol.md), the local
//! server they play on, and the `make demo` driver (docs/client.md).
//!
//! - [`policy`]: what a bot does next, a pure function of its projection (seeded, reproducible);
//! - [`player`]: one bot's socket loop (connect with a real token, play, reconnect after a drop);
//! - [`server`]: `wrangler dev` with a fresh local state directory, and the bearer HTTP routes;
//! - [`token`]: the local AUTH_SECRET and player tokens (`pecking_order::room::token::mint`).

pub mod player;
pub mod policy;
pub mod server;
pub mod token;

pub use player::{run_bot, BotConfig, BotError, BotReport, Watch};
pub use policy::{Move, Policy};
pub use server::{Api, DevServer, ServerError};
