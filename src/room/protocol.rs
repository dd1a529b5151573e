//! The client wire protocol: decoding a WebSocket frame into a command, strictly. Anything that
//! is not a well-formed, permitted action is refused here with a typed error and never reaches
//! the engine or the journal.

use crate::engine::Command;
use crate::journal::EntryKind;
use serde_json::Value;
use thiserror::Error;

/// Largest client frame accepted, in bytes.
pub const MAX_CLIENT_MESSAGE_BYTES: usize = 4096;
/// Longest client `ref`, in characters.
pub const MAX_REF_CHARS: usize = 64;
/// Namespaces a client may send.
pub const CLIENT_NAMESPACES: [&str; 7] = [
    "SOCIAL.",
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
    #[error("invalid fields for {typ}: {why}")]
    InvalidFields { typ: String, why: String },
}

impl ProtocolError {
    pub fn code(&self) -> &'static str {
        match self {
            ProtocolError::TooLarge => "MESSAGE_TOO_LARGE",
            ProtocolError::MalformedJson(_) => "MALFORMED_JSON",
            ProtocolError::NotAnObject => "NOT_AN_OBJECT",
            ProtocolError::BadRef => "BAD_REF",
            ProtocolError::ForbiddenType(_) => "FORBIDDEN_TYPE",
            ProtocolError::UnknownType(_) => "UNKNOWN_TYPE",
            ProtocolError::InvalidFields { .. } => "INVALID_FIELDS",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClientMessage {
    /// The client's correlation id, echoed in `ACK` and `ERROR`.
    pub reference: Option<String>,
    pub command: Command,
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
    match serde_json::from_value::<Command>(v) {
        Ok(command) if command.required_kind() == EntryKind::Action => {
            Ok(ClientMessage { reference, command })
        }
        Ok(_) => Err((reference, ProtocolError::ForbiddenType(typ))),
        Err(e) => {
            let why = e.to_string();
            // Only an unknown *type* is UNKNOWN_TYPE; an unknown enum value inside a known type
            // (e.g. a perkType) is a field error.
            if why.starts_with(&format!("unknown variant `{typ}`")) {
                Err((reference, ProtocolError::UnknownType(typ)))
            } else {
                Err((reference, ProtocolError::InvalidFields { typ, why }))
            }
        }
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
            Command::VoteMajority {
                target_id: "p2".into()
            }
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
}
