use serde::{Deserialize, Serialize};
use std::fmt;

/// Version of the entry layout (`docs/journal-format.md`). Bumped when a field is added or its
/// meaning changes; older entries are upcast on read (`journal::upcast`,
/// `docs/schema-evolution.md`). New entries are always written at this version.
pub const ENTRY_VERSION: u32 = 1;

/// Oldest entry layout this build reads: version 0, the rows written before the `v` column.
pub const OLDEST_ENTRY_VERSION: u32 = 0;

/// A blake3 hash. Shown and stored as 64 lowercase hex characters.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    pub fn to_hex(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(64);
        for b in self.0 {
            s.push(HEX[(b >> 4) as usize] as char);
            s.push(HEX[(b & 15) as usize] as char);
        }
        s
    }

    /// Parses 64 hex characters (either case). `None` for anything else.
    pub fn from_hex(s: &str) -> Option<Hash> {
        let bytes = s.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks_exact(2).enumerate() {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            out[i] = (hi * 16 + lo) as u8;
        }
        Some(Hash(out))
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for Hash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Hash::from_hex(&s).ok_or_else(|| serde::de::Error::custom("expected 64 hex characters"))
    }
}

/// Who or what produced an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum EntryKind {
    /// A player's action from a WebSocket.
    Action,
    /// A scheduled task firing (timeline events).
    Alarm,
    /// The room itself: INIT, joins, the seed reveal.
    System,
    /// An operator through the bearer-authenticated admin route.
    Admin,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Action => "ACTION",
            EntryKind::Alarm => "ALARM",
            EntryKind::System => "SYSTEM",
            EntryKind::Admin => "ADMIN",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        Some(match s {
            "ACTION" => EntryKind::Action,
            "ALARM" => EntryKind::Alarm,
            "SYSTEM" => EntryKind::System,
            "ADMIN" => EntryKind::Admin,
            _ => return None,
        })
    }
}

/// What the engine decided about an input. Rejected inputs are journaled too, so that "my vote
/// did not count" can be answered from the journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    Rejected(String),
}

impl Verdict {
    /// Wire and D1 form: `ACCEPTED` or `REJECTED:<code>`.
    pub fn to_wire(&self) -> String {
        match self {
            Verdict::Accepted => "ACCEPTED".to_string(),
            Verdict::Rejected(code) => format!("REJECTED:{code}"),
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        if s == "ACCEPTED" {
            return Some(Verdict::Accepted);
        }
        let code = s.strip_prefix("REJECTED:")?;
        if code.is_empty() {
            return None;
        }
        Some(Verdict::Rejected(code.to_string()))
    }

    pub fn is_accepted(&self) -> bool {
        matches!(self, Verdict::Accepted)
    }
}

impl Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_wire())
    }
}

impl<'de> Deserialize<'de> for Verdict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Verdict::parse(&s)
            .ok_or_else(|| serde::de::Error::custom("expected ACCEPTED or REJECTED:<code>"))
    }
}

/// One journal entry, exactly as stored in a D1 row.
///
/// `payload` and `facts` are kept as the JSON text that is hashed and stored, not as parsed
/// values: the hash covers these exact bytes, so an auditor can recompute it from the row alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Entry {
    pub game_id: String,
    pub seq: u64,
    pub at_ms: i64,
    pub day: u32,
    pub kind: EntryKind,
    pub actor: String,
    #[serde(rename = "type")]
    pub typ: String,
    /// Canonical JSON text of the input's fields (without `type`).
    pub payload: String,
    pub verdict: Verdict,
    /// Canonical JSON text of the facts the engine derived (an array).
    pub facts: String,
    /// Rules version that produced `verdict` and `facts`.
    pub engine: String,
    /// Entry layout version as stored ([`ENTRY_VERSION`] for every entry this build writes). A
    /// row without `v` is a version-0 row, and a version-0 entry is written back without it.
    #[serde(default, skip_serializing_if = "is_version_0")]
    pub v: u32,
    pub prev_hash: Hash,
    pub hash: Hash,
}

fn is_version_0(v: &u32) -> bool {
    *v == 0
}

impl Entry {
    /// Recomputes this entry's hash from its fields and `prev_hash`.
    pub fn compute_hash(&self) -> Hash {
        let mut h = blake3::Hasher::new();
        h.update(&self.prev_hash.0);
        h.update(&super::canonical_bytes(self));
        Hash(*h.finalize().as_bytes())
    }

    /// Sets `prev_hash` and fills in `hash`.
    pub fn seal(mut self, prev: Hash) -> Entry {
        self.prev_hash = prev;
        self.hash = self.compute_hash();
        self
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Hash {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Hash".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A blake3 hash: 64 hex digits (written lowercase; read in either case).",
            "type": "string",
            "pattern": "^[0-9a-fA-F]{64}$"
        })
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Verdict {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Verdict".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "`ACCEPTED`, or `REJECTED:` followed by the rejection code.",
            "type": "string",
            "pattern": "^(ACCEPTED|REJECTED:.+)$"
        })
    }
}
