//! The public contract as JSON Schemas (`schemas/`), and TypeScript declarations generated from
//! them. Built only with the `schema` feature (tests turn it on; the worker never does).
//!
//! Where the wire form is a Rust type with serde derives (inputs, facts, journal rows, server
//! frames, the admin route's bodies and answers) the schema is derived from it with `schemars`. The manifest and roster are validated by
//! a hand-written walker and the projection is built with `json!`, so their schemas are written
//! here by hand, from the engine's own constants and enum lists; tests check them against the
//! engine (`tests/schemas.rs`). Regenerate the committed files with `make schemas`.

use serde_json::Value;

pub mod codes;
pub mod docs;
pub mod hand;
pub mod ts;

pub use docs::{documents, typescript, Document};

/// Draft of every schema.
pub const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The `$id` of the schema in `file` (`schemas/<file>`).
pub fn id(file: &str) -> String {
    format!("urn:pecking-order:schema:{file}")
}

/// A `$ref` to a definition of the shared namespace.
pub fn def_ref(name: &str) -> Value {
    serde_json::json!({ "$ref": format!("#/$defs/{name}") })
}
