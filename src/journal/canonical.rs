//! The canonical byte form of an entry (`docs/journal-format.md`).
//!
//! Length-prefixed fields in a fixed order. Integers are fixed-width big-endian; strings are a
//! u32 big-endian byte length followed by UTF-8. Chosen over "canonical JSON" because any language
//! can produce it from the D1 columns without a JSON library or agreement on number formatting.

use super::Entry;

/// Domain tag that starts every entry's byte form, so these bytes cannot be confused with any
/// other blake3 input of the project.
pub const DOMAIN: &[u8] = b"pecking-order/journal/v1\n";

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// The bytes hashed after `prev_hash` (the hash and prev_hash fields themselves are not included),
/// in the form of the entry's own layout version `v`, as stored: hashes always cover the bytes as
/// stored, never an upcast form (`docs/schema-evolution.md`).
///
/// - `v = 0`: the fields below without `v` (the layout before the version column existed);
/// - `v = 1` (current): domain tag, `v`, then the fields.
///
/// A version newer than [`super::ENTRY_VERSION`] is hashed in the newest form this build knows,
/// which cannot be its real form: such an entry fails verification rather than being trusted.
pub fn canonical_bytes(e: &Entry) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        DOMAIN.len()
            + 64
            + e.game_id.len()
            + e.actor.len()
            + e.typ.len()
            + e.payload.len()
            + e.facts.len()
            + e.engine.len(),
    );
    out.extend_from_slice(DOMAIN);
    if e.v >= 1 {
        out.extend_from_slice(&e.v.to_be_bytes());
    }
    put_str(&mut out, &e.game_id);
    out.extend_from_slice(&e.seq.to_be_bytes());
    out.extend_from_slice(&e.at_ms.to_be_bytes());
    out.extend_from_slice(&e.day.to_be_bytes());
    put_str(&mut out, e.kind.as_str());
    put_str(&mut out, &e.actor);
    put_str(&mut out, &e.typ);
    put_str(&mut out, &e.payload);
    put_str(&mut out, &e.verdict.to_wire());
    put_str(&mut out, &e.facts);
    put_str(&mut out, &e.engine);
    out
}
