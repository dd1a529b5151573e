//! `po-replay`: rebuilds a Pecking Order game from its journal and answers disputes. See
//! `docs/replay.md`.
//!
//! The library half is the command's implementation, plus the writers the tests and the fixture
//! generator use to put a journal into the forms the tool reads.

pub mod audit;
pub mod cli;
pub mod dump;
pub mod evidence;
pub mod explain;
pub mod export;
pub mod history;
pub mod progress;
pub mod report;
pub mod source;
mod verdict;
