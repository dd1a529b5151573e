//! The crate's one JSON reader. serde_json compiles every type's `Deserialize` once per reader it
//! is read with (`from_str`'s `StrRead`, `from_slice`'s `SliceRead`, `Value`, …), so the worker's
//! wasm carried the same visitors several times; decoding through here, from text, lets the
//! snapshot's state types share their code with the facts and commands that nest them
//! (BENCHMARKS.md, "Fourth pass").

use serde::de::DeserializeOwned;

/// Decodes `T` from JSON text (serde_json's `from_str`).
pub fn from_str<T: DeserializeOwned>(text: &str) -> serde_json::Result<T> {
    serde_json::from_str(text)
}
