//! End-to-end tests against real `wrangler dev` instances (feature `e2e`; `make test-e2e`),
//! as one test binary. `load` and `soak` are ignored unless asked for (`make load`, `make soak`).
#![cfg(feature = "e2e")]

// Shared helpers (each test module uses them as `crate::<name>`).
mod support;

// One module per former test file (and per end-to-end feature since).
mod checkpoint;
mod cold_compare;
mod delta;
mod deploy;
mod figures;
mod hibernation;
mod lifecycle;
mod live;
mod load;
mod lobby;
mod operator;
mod push;
mod realtime;
mod replay;
mod security;
mod smoke;
mod soak;
mod timeline;
