//! The replay tool's tests, as one test binary.

// Shared helpers (each test module uses them as `crate::<name>`).
mod common;

// One module per former test file.
mod bad_input;
mod checkpoints;
mod client_evidence;
mod defects;
mod divergence;
mod explain;
mod report;
mod sources;
mod tamper;
