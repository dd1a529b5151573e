//! Cloudflare glue (wasm32 only). It turns workers-rs events into inputs of the room host
//! (`room::host`, where every policy lives) and performs the effects the host returns:
//!
//! - [`routes`]: the Worker's `fetch` (health, authentication, forwarding to the room's DO);
//! - [`durable`]: the `GameRoom` Durable Object (events → host inputs, host effects → calls);
//! - [`store`]: `DoStore`, `room::live::Store` on DO SQLite;
//! - [`rows`]: journal entries as SQL rows, both ways;
//! - [`d1`]: D1 batch writes;
//! - [`lobby`]: the lobby's game-status callback (one `fetch`, abandoned after a timeout);
//! - [`push`]: the push routes, and each batch of pushes encrypted, signed and sent;
//! - [`operator`]: the operator's rooms list and journal verification, read from D1;
//! - [`sockets`]: WebSocket handles, attachments, send and close.
//!
//! Nothing here may panic: a panic in wasm aborts the instance and kills the room.

mod d1;
mod durable;
mod lobby;
mod operator;
mod push;
mod routes;
mod rows;
mod sockets;
mod store;

/// Binding names (wrangler.toml).
const DO_BINDING: &str = "GAME_ROOM";
const D1_BINDING: &str = "DB";
const AUTH_SECRET: &str = "AUTH_SECRET";
