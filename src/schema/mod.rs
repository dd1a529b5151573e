//! The public contract as JSON Schemas (`schemas/`), and TypeScript declarations generated from
//! them. Built only with the `schema` feature (tests turn it on; the worker never does).
//!
//! Every schema is derived with `schemars` from the Rust type that is the wire form: inputs,
//! facts, journal rows, server frames, the admin route's bodies and answers, the projection
//! (`room::Projection` and the views it is built from), the manifest, the roster and the `/init`
//! body (`engine::manifest::ManifestWire`, `engine::roster::PlayerWire`, `room::InitBody`), the
//! HTTP error body and the error code lists (`codes`, from each enum's `all_codes()`). Bounds and
//! name lists come from the engine's constants and enums; `tests/it/schemas/` checks the
//! manifest, roster and `/init` schemas against the engine at every bound. Regenerate the
//! committed files with `make schemas`.

use serde_json::Value;

pub mod codes;
pub mod docs;
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
