//! The client wire protocol: decoding a WebSocket frame into a command, strictly. Anything that
//! is not a well-formed, permitted action is refused here with a typed error and never reaches
//! the engine or the journal.

use crate::engine::ticker::TickerLine;
use crate::engine::Command;
use crate::journal::{EntryKind, Hash, Verdict};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

/// Largest client frame accepted, in bytes.
pub use crate::limits::MAX_CLIENT_MESSAGE_BYTES;
/// Longest client `ref`, in characters.
pub use crate::limits::MAX_REF_CHARS;
/// Namespaces a client may send.
pub const CLIENT_NAMESPACES: [&str; 8] = [
    "SOCIAL.",
    "PREGAME.",
    "VOTE.",
    "GAME.",
    "ACTIVITY.",
    "DILEMMA.",
    "CONFESSION.",
    "DESTINY.",
];

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProtocolError {
    #[error("message is larger than {MAX_CLIENT_MESSAGE_BYTES} bytes")]
    TooLarge,
    #[error("message is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("message must be a JSON object with a string \"type\"")]
    NotAnObject,
    #[error("\"ref\" must be a string of at most {MAX_REF_CHARS} characters")]
    BadRef,
    #[error("message type {0} may not be sent by clients")]
    ForbiddenType(String),
    #[error("unknown message type {0}")]
    UnknownType(String),
    /// A known type whose fields do not decode: unknown, missing or of the wrong type or value.
    /// `path` names the first bad field as the decoder met it (`targetId`, `recipientIds[1]`,
    /// `guesses.0`), when it could be found.
    #[error("invalid fields for {typ}: {}{why}", path.as_deref().map(|p| format!("{p}: ")).unwrap_or_default())]
    InvalidFields {
        typ: String,
        why: String,
        path: Option<String>,
    },
}

crate::engine::error::stable_codes! {
    ProtocolError {
        TooLarge => "MESSAGE_TOO_LARGE",
        MalformedJson => "MALFORMED_JSON",
        NotAnObject => "NOT_AN_OBJECT",
        BadRef => "BAD_REF",
        ForbiddenType => "FORBIDDEN_TYPE",
        UnknownType => "UNKNOWN_TYPE",
        InvalidFields => "INVALID_FIELDS",
    }
}

impl ProtocolError {
    /// The bad field of an `INVALID_FIELDS` error.
    pub fn path(&self) -> Option<&str> {
        match self {
            ProtocolError::InvalidFields { path, .. } => path.as_deref(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClientMessage {
    /// The client's correlation id, echoed in `ACK` and `ERROR`.
    pub reference: Option<String>,
    pub command: Command,
}

/// The namespace of the ephemeral signals ([`Signal`]).
pub const SIGNAL_NAMESPACE: &str = "PRESENCE.";

/// A client signal the host relays and never journals (docs/protocol.md, "Typing").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", deny_unknown_fields)]
pub enum Signal {
    /// The player is typing in `channelId` (`MAIN` or a conversation they are a member of).
    #[serde(rename = "PRESENCE.TYPING")]
    Typing {
        #[serde(rename = "channelId")]
        channel_id: String,
    },
    /// The player stopped typing there.
    #[serde(rename = "PRESENCE.STOP_TYPING")]
    StopTyping {
        #[serde(rename = "channelId")]
        channel_id: String,
    },
}

impl Signal {
    pub fn channel_id(&self) -> &str {
        match self {
            Signal::Typing { channel_id } | Signal::StopTyping { channel_id } => channel_id,
        }
    }
}

/// A `PRESENCE.*` frame, decoded (with its `ref`), or why not; `None` for every other frame
/// (then [`parse_client_message`] decodes it).
#[allow(clippy::type_complexity)]
pub fn parse_signal(
    bytes: &[u8],
) -> Option<Result<(Option<String>, Signal), (Option<String>, ProtocolError)>> {
    // Cheap test first: most frames are actions.
    if bytes.len() > MAX_CLIENT_MESSAGE_BYTES
        || !bytes
            .windows(SIGNAL_NAMESPACE.len())
            .any(|w| w == SIGNAL_NAMESPACE.as_bytes())
    {
        return None;
    }
    let mut v: Value = serde_json::from_slice(bytes).ok()?;
    let obj = v.as_object_mut()?;
    let typ = obj.get("type")?.as_str()?.to_string();
    if !typ.starts_with(SIGNAL_NAMESPACE) {
        return None;
    }
    let reference = match obj.remove("ref") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() <= MAX_REF_CHARS => Some(s),
        Some(_) => return Some(Err((None, ProtocolError::BadRef))),
    };
    Some(match Signal::deserialize(&v) {
        Ok(s) => Ok((reference, s)),
        Err(e) if !is_known_type::<Signal>(&typ) => {
            let _ = e;
            Err((reference, ProtocolError::UnknownType(typ)))
        }
        Err(e) => Err((
            reference,
            ProtocolError::InvalidFields {
                typ,
                why: e.to_string(),
                path: None,
            },
        )),
    })
}

/// Decodes one client frame. Also returns the `ref` on failure when it could be read, so the
/// error can be correlated.
pub fn parse_client_message(
    bytes: &[u8],
) -> Result<ClientMessage, (Option<String>, ProtocolError)> {
    if bytes.len() > MAX_CLIENT_MESSAGE_BYTES {
        return Err((None, ProtocolError::TooLarge));
    }
    let mut v: Value = serde_json::from_slice(bytes)
        .map_err(|e| (None, ProtocolError::MalformedJson(e.to_string())))?;
    let obj = v
        .as_object_mut()
        .ok_or((None, ProtocolError::NotAnObject))?;
    let reference = match obj.remove("ref") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() <= MAX_REF_CHARS => Some(s),
        Some(_) => return Err((None, ProtocolError::BadRef)),
    };
    let typ = match obj.get("type") {
        Some(Value::String(t)) => t.clone(),
        _ => return Err((reference, ProtocolError::NotAnObject)),
    };
    if !CLIENT_NAMESPACES.iter().any(|ns| typ.starts_with(ns)) {
        return Err((reference, ProtocolError::ForbiddenType(typ)));
    }
    match Command::deserialize(&v) {
        Ok(command) if command.required_kind() == EntryKind::Action => {
            Ok(ClientMessage { reference, command })
        }
        Ok(_) => Err((reference, ProtocolError::ForbiddenType(typ))),
        Err(e) => {
            let why = e.to_string();
            // Only an unknown *type* is UNKNOWN_TYPE; an unknown enum value inside a known type
            // (e.g. a perkType) is a field error.
            if !is_known_type::<Command>(&typ) {
                Err((reference, ProtocolError::UnknownType(typ)))
            } else {
                let path = failing_path::<Command>(&v, &why);
                Err((reference, ProtocolError::InvalidFields { typ, why, path }))
            }
        }
    }
}

/// Whether `tag` is a variant of `T` (an internally tagged enum): `{"type": tag}` alone fails
/// with "unknown variant" only when it is not. Asked of the bare tag so that an unknown enum
/// value inside a known type's fields (even one spelled like the type) is not mistaken for an
/// unknown type.
pub(crate) fn is_known_type<T: DeserializeOwned>(tag: &str) -> bool {
    match T::deserialize(&serde_json::json!({ "type": tag })) {
        Ok(_) => true,
        Err(e) => !e.to_string().starts_with("unknown variant"),
    }
}
/// Whether `v` fails to decode as a `T` for a reason other than a missing field (a field left out
/// by a truncation below is not the culprit).
fn fails_on_content<T: DeserializeOwned>(v: &Value) -> bool {
    match T::deserialize(v) {
        Ok(_) => false,
        Err(e) => !e.to_string().starts_with("missing field"),
    }
}

/// The path of the field that made `v` (a message that failed to decode as a `T`, an internally
/// tagged enum, with `why`) fail to decode.
///
/// serde reports no position for the fields of an internally tagged enum (it buffers the object
/// before it picks the variant, so `serde_path_to_error` sees only the outer map), so the path is
/// found from the error and the message itself, on this error path only: a missing or unknown
/// field is named in the error; any other failure is located by finding the shortest prefix of
/// the object (in the order the decoder reads it) that fails, then, inside its last field, the
/// shortest failing prefix of that array or object, and so on down.
pub(crate) fn failing_path<T: DeserializeOwned>(v: &Value, why: &str) -> Option<String> {
    for prefix in ["missing field `", "unknown field `"] {
        if let Some(rest) = why.strip_prefix(prefix) {
            let name = rest.split('`').next()?;
            // An unknown field inside a nested object is named with its object's path.
            let nested = (prefix == "unknown field `")
                .then(|| key_path(v, name))
                .flatten();
            return Some(nested.unwrap_or_else(|| name.to_string()));
        }
    }
    let obj = v.as_object()?;
    let typ = obj.get("type")?.clone();
    let fields: Vec<(&String, &Value)> = obj.iter().filter(|(k, _)| *k != "type").collect();
    let prefix = |n: usize| {
        let mut partial = serde_json::Map::new();
        partial.insert("type".into(), typ.clone());
        for (k, x) in &fields[..n] {
            partial.insert((*k).clone(), (*x).clone());
        }
        partial
    };
    let n = first_failing(fields.len(), |n| {
        fails_on_content::<T>(&Value::Object(prefix(n)))
    })?;
    let (k, x) = fields[n - 1];
    let mut path = k.clone();
    let mut at = vec![k.clone()];
    refine::<T>(&prefix(n), &mut at, x, &mut path);
    Some(path)
}

/// The dotted path of the first object (breadth first, objects only) in `v` that has the key
/// `name`: `name` itself at the top, `payload.name` one level down.
fn key_path(v: &Value, name: &str) -> Option<String> {
    let mut level: Vec<(String, &Value)> = vec![(String::new(), v)];
    // Bounded by the body's size (an admin body is at most MAX_ADMIN_BYTES).
    while !level.is_empty() {
        let mut next = Vec::new();
        for (path, x) in level {
            let Some(o) = x.as_object() else { continue };
            if o.contains_key(name) {
                return Some(if path.is_empty() {
                    name.to_string()
                } else {
                    format!("{path}.{name}")
                });
            }
            for (k, y) in o {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                next.push((p, y));
            }
        }
        level = next;
    }
    None
}

/// The smallest `n` in `1..=len` for which `fails(n)` holds, if any, by bisection. `fails(n)` is
/// whether the first `n` elements fail to decode, which is monotone in `n`: the decoder reads
/// them in order and stops at the first bad one. Bisection keeps a large body (an admin
/// CREDIT_SILVER of 64 KiB) from costing a quadratic number of decodes.
fn first_failing(len: usize, fails: impl Fn(usize) -> bool) -> Option<usize> {
    if len == 0 || !fails(len) {
        return None;
    }
    let (mut lo, mut hi) = (1, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if fails(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(lo)
}

/// Narrows a failing field `x` (at `at` inside `root`) to its first failing element.
fn refine<T: DeserializeOwned>(
    root: &serde_json::Map<String, Value>,
    at: &mut Vec<String>,
    x: &Value,
    path: &mut String,
) {
    let with = |inner: Value, at: &[String]| {
        let mut r = Value::Object(root.clone());
        let mut slot = &mut r;
        for (i, seg) in at.iter().enumerate() {
            slot = match slot {
                Value::Object(o) => match o.get_mut(seg) {
                    Some(s) => s,
                    None => return r,
                },
                Value::Array(a) => match seg.parse::<usize>().ok().and_then(|n| a.get_mut(n)) {
                    Some(s) => s,
                    None => return r,
                },
                _ => return r,
            };
            if i + 1 == at.len() {
                *slot = inner;
                break;
            }
        }
        r
    };
    match x {
        Value::Array(items) => {
            let part = |n: usize| Value::Array(items[..n].to_vec());
            let Some(n) = first_failing(items.len(), |n| fails_on_content::<T>(&with(part(n), at)))
            else {
                return;
            };
            path.push_str(&format!("[{}]", n - 1));
            at.push((n - 1).to_string());
            let mut r = with(part(n), &at[..at.len() - 1]);
            if let Value::Object(o) = &mut r {
                let root = std::mem::take(o);
                refine::<T>(&root, at, &items[n - 1], path);
            }
        }
        Value::Object(fields) => {
            let entries: Vec<(&String, &Value)> = fields.iter().collect();
            let part = |n: usize| {
                Value::Object(
                    entries[..n]
                        .iter()
                        .map(|(k, y)| ((*k).clone(), (*y).clone()))
                        .collect(),
                )
            };
            let Some(n) =
                first_failing(entries.len(), |n| fails_on_content::<T>(&with(part(n), at)))
            else {
                return;
            };
            let (k, y) = entries[n - 1];
            path.push('.');
            path.push_str(k);
            let r = with(part(n), at);
            at.push(k.clone());
            if let Value::Object(o) = r {
                refine::<T>(&o, at, y, path);
            }
        }
        _ => {}
    }
}

/// A frame the room sends to one socket (`to_text` is its wire form). The schema of each is in
/// `schemas/server-message.schema.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", deny_unknown_fields)]
pub enum ServerMessage {
    /// The receiving player's whole projection (`Room::projection`): on connect, and after
    /// every change to a socket that did not ask for deltas (docs/protocol.md, "Delta frames").
    #[serde(rename = "SYSTEM.SYNC")]
    Sync {
        /// The projection's version: the seq of the room's last journal entry it reflects.
        #[serde(default)]
        v: u64,
        #[cfg_attr(feature = "schema", schemars(with = "crate::room::Projection"))]
        state: Value,
    },
    /// What changed in the receiving player's projection since the frame of version `base`
    /// (the last SYNC or DELTA this socket got, or the version it resumed from): RFC 6902
    /// operations that turn that projection into the one of version `v`.
    #[serde(rename = "SYSTEM.DELTA")]
    Delta {
        v: u64,
        base: u64,
        ops: Vec<crate::room::delta::DeltaOp>,
    },
    /// The action sent with this `ref` was journaled as entry `seq` and accepted. With `head`,
    /// the hash of that entry (the chain head right after it), it is the player's receipt: a
    /// journal that does not have `head` at `seq` was rewritten (`po-replay receipt-check`,
    /// docs/audit.md).
    #[serde(rename = "ACK")]
    Ack {
        #[serde(rename = "ref")]
        reference: Option<String>,
        seq: u64,
        head: Hash,
    },
    /// The action sent with this `ref` was refused: a [`ProtocolError`] (never journaled; `path`
    /// names the bad field of `INVALID_FIELDS`), or an engine rejection (journaled as entry `seq`
    /// with verdict `REJECTED:<code>`).
    #[serde(rename = "ERROR")]
    Error {
        #[serde(rename = "ref")]
        reference: Option<String>,
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema::codes::ErrorCode"))]
        code: String,
        message: String,
        /// The bad field of INVALID_FIELDS as the decoder met it (`targetId`,
        /// `recipientIds[1]`), when it could be found.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seq: Option<u64>,
        /// For a journaled refusal: the hash of entry `seq` (a receipt, as in `ACK`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        head: Option<Hash>,
    },
    /// New ticker lines, the same for every socket (sent with the next SYNC broadcast).
    #[serde(rename = "TICKER.UPDATE")]
    TickerUpdate { lines: Vec<TickerLine> },
    /// Sent once on connect, after the first SYNC: today's most recent lines, oldest first (at
    /// most [`TICKER_HISTORY_LINES`]). A line may arrive again in the first TICKER.UPDATE;
    /// `(seq, text)` identifies it.
    #[serde(rename = "TICKER.HISTORY")]
    TickerHistory { lines: Vec<TickerLine> },
    /// A signed checkpoint (docs/audit.md), to every socket when the room journals one: at each
    /// day's end, after the seed reveal and on an operator's request. `note` is the C2SP
    /// signed-note text; `seq` is the last entry it covers and `head` that entry's hash.
    /// Clients keep it: it is the evidence that the journal had `head` at `seq`.
    #[serde(rename = "CHECKPOINT")]
    Checkpoint { seq: u64, head: Hash, note: String },
    /// Who has a socket open (sorted ids), to every socket whenever someone connects or leaves.
    /// Transport state, never journaled: being online changes nothing in the game.
    #[serde(rename = "PRESENCE.UPDATE")]
    Presence {
        #[serde(rename = "onlinePlayers")]
        online_players: Vec<String>,
    },
    /// `playerId` is typing in `channelId`: relayed to the channel's other readers only, never
    /// journaled, not in SYNC (docs/protocol.md, "Typing").
    #[serde(rename = "PRESENCE.TYPING")]
    Typing {
        #[serde(rename = "playerId")]
        player_id: String,
        #[serde(rename = "channelId")]
        channel_id: String,
    },
    /// `playerId` stopped typing in `channelId`.
    #[serde(rename = "PRESENCE.STOP_TYPING")]
    StopTyping {
        #[serde(rename = "playerId")]
        player_id: String,
        #[serde(rename = "channelId")]
        channel_id: String,
    },
}

/// A frame a player sends about the connection itself, answered by the room host and never
/// journaled (docs/protocol.md, "Delta frames"). Its schema is part of
/// `schemas/client-message.schema.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", deny_unknown_fields)]
pub enum ControlMessage {
    /// Asks for a full SYSTEM.SYNC: the client could not apply a SYSTEM.DELTA (its `base` is not
    /// the version the client holds, or an operation failed). Rate-limited like a connect.
    #[serde(rename = "SYSTEM.RESYNC")]
    Resync {
        /// Echoed in the ERROR that refuses it; the SYNC is the answer otherwise.
        #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
}

impl ControlMessage {
    /// `Some` when `data` is a well-formed control message; anything else (an action, or a
    /// malformed frame) is left to [`parse_client_message`].
    pub fn parse(data: &[u8]) -> Option<ControlMessage> {
        const TAG: &[u8] = b"SYSTEM.RESYNC";
        if !data.windows(TAG.len()).any(|w| w == TAG) {
            return None;
        }
        let m: ControlMessage = serde_json::from_slice(data).ok()?;
        match &m {
            ControlMessage::Resync { reference } => reference
                .as_ref()
                .is_none_or(|r| r.chars().count() <= MAX_REF_CHARS)
                .then_some(m),
        }
    }
}

/// Lines in a `TICKER.HISTORY`.
pub use crate::limits::TICKER_HISTORY_LINES;

impl ServerMessage {
    /// `ERROR` for a frame that [`parse_client_message`] refused.
    pub fn protocol_error(reference: Option<String>, e: &ProtocolError) -> ServerMessage {
        ServerMessage::Error {
            reference,
            code: e.code().to_string(),
            message: e.to_string(),
            path: e.path().map(str::to_string),
            seq: None,
            head: None,
        }
    }

    /// The answer to an action journaled as `seq` with hash `head`: `ACK` when accepted, else
    /// `ERROR` with the rejection code; both carry `seq` and `head` (the player's receipt).
    pub fn for_verdict(
        reference: Option<String>,
        seq: u64,
        head: Hash,
        verdict: &Verdict,
    ) -> ServerMessage {
        match verdict {
            Verdict::Accepted => ServerMessage::Ack {
                reference,
                seq,
                head,
            },
            Verdict::Rejected(code) => ServerMessage::Error {
                reference,
                code: code.clone(),
                message: format!("refused: {code}"),
                path: None,
                seq: Some(seq),
                head: Some(head),
            },
        }
    }

    /// The wire text (compact JSON).
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> &'static str {
        parse_client_message(s.as_bytes()).unwrap_err().1.code()
    }

    #[test]
    fn accepts_a_well_formed_action() {
        let m =
            parse_client_message(br#"{"type":"VOTE.MAJORITY.CAST","targetId":"p2","ref":"r1"}"#)
                .unwrap();
        assert_eq!(m.reference.as_deref(), Some("r1"));
        assert_eq!(
            m.command,
            Command::from(crate::engine::voting::majority::Command::Cast {
                target_id: "p2".into()
            })
        );
    }

    #[test]
    fn refuses_everything_else_with_a_code() {
        assert_eq!(code("{nope"), "MALFORMED_JSON");
        assert_eq!(code("[1,2]"), "NOT_AN_OBJECT");
        assert_eq!(code(r#"{"targetId":"p2"}"#), "NOT_AN_OBJECT");
        assert_eq!(
            code(r#"{"type":"SYSTEM.INIT","manifest":{},"roster":[]}"#),
            "FORBIDDEN_TYPE"
        );
        assert_eq!(code(r#"{"type":"INTERNAL.END_DAY"}"#), "FORBIDDEN_TYPE");
        assert_eq!(code(r#"{"type":"ADMIN.NEXT_STAGE"}"#), "FORBIDDEN_TYPE");
        assert_eq!(code(r#"{"type":"VOTE.COIN.FLIP"}"#), "UNKNOWN_TYPE");
        // An enum value spelled like the message's own type is a bad field, not an unknown type.
        assert_eq!(
            code(r#"{"type":"SOCIAL.USE_PERK","perkType":"SOCIAL.USE_PERK"}"#),
            "INVALID_FIELDS"
        );
        assert_eq!(code(r#"{"type":"VOTE.MAJORITY.CAST"}"#), "INVALID_FIELDS");
        assert_eq!(
            code(r#"{"type":"VOTE.MAJORITY.CAST","targetId":7}"#),
            "INVALID_FIELDS"
        );
        assert_eq!(
            code(r#"{"type":"VOTE.MAJORITY.CAST","targetId":"p1","voterId":"p3"}"#),
            "INVALID_FIELDS"
        );
        assert_eq!(
            code(r#"{"type":"VOTE.MAJORITY.CAST","targetId":"p1","ref":{}}"#),
            "BAD_REF"
        );
        let big = format!(
            r#"{{"type":"SOCIAL.SEND_MSG","content":"{}"}}"#,
            "x".repeat(5000)
        );
        assert_eq!(code(&big), "MESSAGE_TOO_LARGE");
    }

    fn path(s: &str) -> Option<String> {
        match parse_client_message(s.as_bytes()).unwrap_err().1 {
            ProtocolError::InvalidFields { path, .. } => path,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn invalid_fields_name_the_bad_field() {
        let cases = [
            (r#"{"type":"VOTE.MAJORITY.CAST"}"#, "targetId"),
            (r#"{"type":"VOTE.MAJORITY.CAST","targetId":7}"#, "targetId"),
            (
                r#"{"type":"VOTE.MAJORITY.CAST","targetId":"p1","voterId":"p3"}"#,
                "voterId",
            ),
            (
                r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p2","amount":1.5}"#,
                "amount",
            ),
            (
                r#"{"type":"SOCIAL.SEND_SILVER","amount":-1,"targetId":"p2"}"#,
                "amount",
            ),
            (
                r#"{"type":"SOCIAL.USE_PERK","perkType":"NOPE"}"#,
                "perkType",
            ),
            (
                r#"{"type":"SOCIAL.SEND_MSG","content":"hi","recipientIds":["p2",5,"p3"]}"#,
                "recipientIds[1]",
            ),
            (
                r#"{"type":"ACTIVITY.GUESSWHO.GUESS","guesses":{"0":"p2","1":7}}"#,
                "guesses.1",
            ),
            (
                r#"{"type":"GAME.ARCADE.RESULT","gameType":"GAP_RUN","result":{"distance":3,"score":-1}}"#,
                "result.score",
            ),
        ];
        for (msg, want) in cases {
            assert_eq!(path(msg).as_deref(), Some(want), "{msg}");
        }
        let (_, e) =
            parse_client_message(br#"{"type":"VOTE.MAJORITY.CAST","targetId":7}"#).unwrap_err();
        assert!(e.to_string().contains("targetId: invalid type"), "{e}");
    }

    #[test]
    fn codes_are_listed_once_each() {
        assert_eq!(ProtocolError::all_codes().len(), ProtocolError::CODES.len());
        assert!(ProtocolError::all_codes().contains(&ProtocolError::BadRef.code()));
    }

    #[test]
    fn server_messages_on_the_wire() {
        let h = Hash([0xab; 32]);
        let hex = "ab".repeat(32);
        let ack = ServerMessage::for_verdict(Some("r1".into()), 7, h, &Verdict::Accepted);
        assert_eq!(
            ack.to_text(),
            format!(r#"{{"type":"ACK","ref":"r1","seq":7,"head":"{hex}"}}"#)
        );
        let no = ServerMessage::for_verdict(None, 8, h, &Verdict::Rejected("WRONG_PHASE".into()));
        assert_eq!(
            no.to_text(),
            format!(
                r#"{{"type":"ERROR","ref":null,"code":"WRONG_PHASE","message":"refused: WRONG_PHASE","seq":8,"head":"{hex}"}}"#
            )
        );
        let (r, e) =
            parse_client_message(br#"{"type":"VOTE.MAJORITY.CAST","targetId":7,"ref":"x"}"#)
                .unwrap_err();
        let v: Value =
            serde_json::from_str(&ServerMessage::protocol_error(r, &e).to_text()).unwrap();
        assert_eq!(v["code"], "INVALID_FIELDS");
        assert_eq!(v["path"], "targetId");
        assert_eq!(v["ref"], "x");
    }
}
