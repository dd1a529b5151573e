//! The roster: the one authoritative list of players, in join order (many tie-breaks use it).
//!
//! A player arrives as a typed wire struct ([`PlayerWire`]: serde with `deny_unknown_fields`, its
//! JSON Schema derived from the same type and its bounds from the constants below); decoding
//! reports the first structural problem of each player with its path, then [`parse_player`]
//! checks what serde cannot (id syntax, text and balance bounds) and reports every problem.

use super::manifest::{
    decode_at, FieldError, FieldErrorCode, ManifestError, ObjectOnly, MAX_PLAYERS,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Upper bound on any balance given at the boundary, to keep arithmetic far from overflow.
pub use crate::limits::MAX_BALANCE;
/// Silver every player starts with unless the lobby says otherwise.
pub use crate::limits::STARTING_SILVER;
/// Actor names that are not players.
pub const RESERVED_IDS: [&str; 4] = ["SYSTEM", "ADMIN", "GAME_MASTER", "ALARM"];
/// Longest persona name, in characters (after trimming it must not be empty).
pub const MAX_PERSONA_CHARS: usize = 40;
/// Longest player id.
pub const MAX_ID_CHARS: usize = 32;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Player {
    pub id: String,
    pub persona_name: String,
    pub real_user_id: String,
    pub avatar_url: String,
    pub alive: bool,
    pub silver: u64,
    pub gold: u64,
    pub eliminated_on_day: Option<u32>,
    /// The lobby's Q&A answers (`qaAnswers`), kept for the pregame reveal (docs/rules.md,
    /// "Pregame"). Absent when empty, so states from before the field encode as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qa_answers: Vec<QaEntry>,
}

/// Most Q&A answers one player may bring (the prototype lobby asks 3 questions).
pub use crate::limits::MAX_QA_ANSWERS;
/// Longest question, answer or narrator intro of a Q&A answer, in characters.
pub use crate::limits::MAX_QA_CHARS;

/// One of a player's Q&A answers, as the lobby sends it (`{question, answer, narratorIntro?}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QaEntry {
    #[cfg_attr(feature = "schema", schemars(length(max = MAX_QA_CHARS)))]
    pub question: String,
    #[cfg_attr(feature = "schema", schemars(length(max = MAX_QA_CHARS)))]
    pub answer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(max = MAX_QA_CHARS)))]
    pub narrator_intro: Option<String>,
}

/// Ids of the alive players, roster order: the start of every "who is still in" list.
pub(crate) fn alive_ids(players: &[Player]) -> Vec<String> {
    players
        .iter()
        .filter(|p| p.alive)
        .map(|p| p.id.clone())
        .collect()
}

/// A player id: 1-32 characters of A-Z a-z 0-9 _ -, not a reserved actor name.
#[cfg(feature = "schema")]
pub struct PlayerId;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for PlayerId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PlayerId".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": format!("^[A-Za-z0-9_-]{{1,{MAX_ID_CHARS}}}$"),
            "not": { "enum": RESERVED_IDS },
            "description": "1-32 characters of A-Z a-z 0-9 _ -, not a reserved actor name.",
        })
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !RESERVED_IDS.contains(&id)
}

/// One player of an `/init` roster or a `POST …/player-joined` body, as the lobby sends it.
/// Absent and `null` optional fields are the same (older lobbies send `null`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(rename = "Player"))]
pub struct PlayerWire {
    /// The player id (in the keyed roster form, the key when `id` and `playerId` are absent).
    #[cfg_attr(feature = "schema", schemars(with = "Option<PlayerId>"))]
    pub id: Option<String>,
    /// Used when id is absent.
    #[cfg_attr(feature = "schema", schemars(with = "Option<PlayerId>"))]
    pub player_id: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(length(min = 1, max = MAX_PERSONA_CHARS), regex(pattern = r"\S"))
    )]
    pub persona_name: String,
    pub real_user_id: Option<String>,
    pub avatar_url: Option<String>,
    pub bio: Option<String>,
    pub destiny_id: Option<String>,
    pub is_alive: Option<bool>,
    pub is_spectator: Option<bool>,
    /// Starting silver (default 50).
    #[cfg_attr(feature = "schema", schemars(range(max = MAX_BALANCE)))]
    pub silver: Option<u64>,
    #[cfg_attr(feature = "schema", schemars(range(max = MAX_BALANCE)))]
    pub gold: Option<u64>,
    /// The player's answers to the lobby's questions, revealed one at a time in pregame.
    #[cfg_attr(feature = "schema", schemars(length(max = MAX_QA_ANSWERS)))]
    pub qa_answers: Option<Vec<QaEntry>>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: ObjectOnly,
}

/// The players of an `/init` body, in join order: an array, or the prototype's object keyed by
/// player id (ordered by the number of `p<N>` ids, else by id). Ids must be unique. A STATIC or
/// BLITZ game needs at least 2 players. [`parse_roster`] reads the two forms by hand (a serde
/// `untagged` enum would report "did not match any variant" instead of the bad field).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Roster")]
#[allow(dead_code)]
pub enum RosterWire {
    /// In join order; each player names its id (`id` or `playerId`).
    #[schemars(extend("items" = {
        "$ref": "#/$defs/Player",
        "anyOf": [{ "required": ["id"] }, { "required": ["playerId"] }],
    }))]
    List(#[schemars(length(max = MAX_PLAYERS))] Vec<PlayerWire>),
    /// Keyed by player id.
    #[schemars(extend("propertyNames" = { "$ref": "#/$defs/PlayerId" }))]
    Keyed(#[schemars(length(max = MAX_PLAYERS))] std::collections::BTreeMap<String, PlayerWire>),
}

/// Parses one player entry. `fallback_id` is the key when the roster came as an object.
pub fn parse_player(
    v: &Value,
    path: &str,
    fallback_id: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<Player> {
    let w: PlayerWire = match decode_at(v, path) {
        Ok(w) => w,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    let before = errors.len();
    let mut err = |field: &str, code: FieldErrorCode, message: String| {
        errors.push(FieldError {
            path: format!("{path}.{field}"),
            code: code.as_str(),
            message,
        })
    };
    let id = w.id.or(w.player_id).or(fallback_id.map(str::to_string));
    match &id {
        Some(id) if valid_id(id) => {}
        Some(_) => err("id", FieldErrorCode::InvalidValue, format!("ids are 1-{MAX_ID_CHARS} characters of A-Z a-z 0-9 _ -, and not SYSTEM, ADMIN, GAME_MASTER or ALARM")),
        None => err("id", FieldErrorCode::Missing, "required field is missing".into()),
    }
    let name = w.persona_name;
    if name.trim().is_empty() || name.chars().count() > MAX_PERSONA_CHARS {
        err(
            "personaName",
            FieldErrorCode::OutOfRange,
            format!("must be 1 to {MAX_PERSONA_CHARS} characters"),
        );
    }
    for (field, x) in [("silver", w.silver), ("gold", w.gold)] {
        if x.is_some_and(|x| x > MAX_BALANCE) {
            err(
                field,
                FieldErrorCode::OutOfRange,
                format!("must be a whole number from 0 to {MAX_BALANCE}"),
            );
        }
    }
    let qa = w.qa_answers.unwrap_or_default();
    if qa.len() > MAX_QA_ANSWERS {
        err(
            "qaAnswers",
            FieldErrorCode::OutOfRange,
            format!("at most {MAX_QA_ANSWERS} answers"),
        );
    }
    for (i, q) in qa.iter().enumerate() {
        let texts = [
            ("question", Some(&q.question)),
            ("answer", Some(&q.answer)),
            ("narratorIntro", q.narrator_intro.as_ref()),
        ];
        for (field, text) in texts {
            if text.is_some_and(|t| t.chars().count() > MAX_QA_CHARS) {
                err(
                    &format!("qaAnswers[{i}].{field}"),
                    FieldErrorCode::OutOfRange,
                    format!("at most {MAX_QA_CHARS} characters"),
                );
            }
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(Player {
        id: id?,
        persona_name: name,
        real_user_id: w.real_user_id.unwrap_or_default(),
        avatar_url: w.avatar_url.unwrap_or_default(),
        alive: w.is_alive.unwrap_or(true),
        silver: w.silver.unwrap_or(STARTING_SILVER),
        gold: w.gold.unwrap_or(0),
        eliminated_on_day: None,
        qa_answers: qa,
    })
}

/// `isSpectator: true` in a player entry (`player` at `path`), refused where a body enters a
/// room (`POST …/init`, `…/player-joined`) and never by the engine's fold, so a journal from
/// before the refusal still replays (docs/security.md): spectators are not implemented, and a
/// "spectator" would be an alive player who votes and can be voted out.
pub fn spectator_error(player: &Value, path: &str) -> Option<FieldError> {
    (player.get("isSpectator") == Some(&Value::Bool(true))).then(|| FieldError {
        path: format!("{path}.isSpectator"),
        code: FieldErrorCode::Unsupported.as_str(),
        message: "spectators are not supported: leave isSpectator out, or false".into(),
    })
}

/// Whether `id` is of the prototype lobby's form `p<N>` (`p1`, `p2`…, N ≥ 1 without leading 0).
pub fn is_slot_id(id: &str) -> bool {
    id.strip_prefix('p').is_some_and(|n| {
        !n.is_empty()
            && !n.starts_with('0')
            && n.len() <= 9
            && n.bytes().all(|b| b.is_ascii_digit())
    })
}

fn slot_error(path: String) -> FieldError {
    FieldError {
        path,
        code: FieldErrorCode::InvalidValue.as_str(),
        message: "the lobby's player ids are p<N> (p1, p2, …)".into(),
    }
}

/// The prototype lobby's forms name players by slot, `p<N>`: the keys of a keyed roster and a
/// `playerId` (where `id` is absent). Checked where a body enters a room, never by the fold (the
/// array form with `id` keeps the general id rule).
pub fn slot_id_errors(roster: &Value, path: &str) -> Vec<FieldError> {
    match roster {
        Value::Object(o) => o
            .keys()
            // A key that is no id at all is reported once, by `parse_roster`.
            .filter(|k| valid_id(k) && !is_slot_id(k))
            .map(|k| slot_error(format!("{path}.{k}")))
            .collect(),
        _ => Vec::new(),
    }
}

/// [`slot_id_errors`] for one `…/player-joined` body.
pub fn player_slot_id_error(player: &Value, path: &str) -> Option<FieldError> {
    if player.get("id").is_some_and(|v| !v.is_null()) {
        return None;
    }
    match player.get("playerId").and_then(Value::as_str) {
        Some(id) if !is_slot_id(id) => Some(slot_error(format!("{path}.playerId"))),
        _ => None,
    }
}

/// [`spectator_error`] for each player of a roster (either form).
pub fn spectator_errors(roster: &Value, path: &str) -> Vec<FieldError> {
    match roster {
        Value::Array(a) => a
            .iter()
            .enumerate()
            .filter_map(|(i, p)| spectator_error(p, &format!("{path}[{i}]")))
            .collect(),
        Value::Object(o) => o
            .iter()
            .filter_map(|(k, p)| spectator_error(p, &format!("{path}.{k}")))
            .collect(),
        _ => Vec::new(),
    }
}

/// Parses a roster: an array of players (order = join order), or the prototype's object keyed by
/// player id (ordered by the number in `p<N>` ids, else by id), so existing lobbies fit.
pub fn parse_roster(v: &Value, path: &str, min: usize) -> Result<Vec<Player>, ManifestError> {
    let mut errors = Vec::new();
    let mut players = Vec::new();
    match v {
        Value::Array(a) => {
            for (i, p) in a.iter().enumerate() {
                if let Some(p) = parse_player(p, &format!("{path}[{i}]"), None, &mut errors) {
                    players.push(p);
                }
            }
        }
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            crate::engine::order::sort_by_key(&mut keys, |k| {
                (
                    k.strip_prefix('p')
                        .and_then(|n| n.parse::<u64>().ok())
                        .unwrap_or(u64::MAX),
                    k.to_string(),
                )
            });
            for k in keys {
                if let Some(p) =
                    parse_player(&o[k.as_str()], &format!("{path}.{k}"), Some(k), &mut errors)
                {
                    players.push(p);
                }
            }
        }
        _ => errors.push(FieldError {
            path: path.to_string(),
            code: FieldErrorCode::WrongType.as_str(),
            message: "expected an array of players".into(),
        }),
    }
    let count = match v {
        Value::Array(a) => a.len(),
        Value::Object(o) => o.len(),
        _ => 0,
    };
    if errors.is_empty() && !(min..=MAX_PLAYERS).contains(&count) {
        errors.push(FieldError {
            path: path.to_string(),
            code: FieldErrorCode::OutOfRange.as_str(),
            message: format!("must list {min} to {MAX_PLAYERS} players"),
        });
    }
    for (i, p) in players.iter().enumerate() {
        if players[..i].iter().any(|q| q.id == p.id) {
            errors.push(FieldError {
                path: format!("{path}[{i}].id"),
                code: FieldErrorCode::Duplicate.as_str(),
                message: format!("player id {} appears twice", p.id),
            });
        }
    }
    if errors.is_empty() {
        Ok(players)
    } else {
        Err(ManifestError { errors })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn array_and_object_forms() {
        let r = parse_roster(
            &json!([{"id":"p1","personaName":"A"},{"id":"p2","personaName":"B","silver":10}]),
            "roster",
            2,
        )
        .unwrap();
        assert_eq!(r[1].silver, 10);
        assert_eq!(r[0].silver, STARTING_SILVER);
        let r = parse_roster(
            &json!({"p10":{"personaName":"J"},"p2":{"personaName":"B"},"p1":{"personaName":"A"}}),
            "roster",
            2,
        )
        .unwrap();
        let ids: Vec<&str> = r.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["p1", "p2", "p10"]);
    }

    #[test]
    fn precise_errors() {
        let cases = [
            (
                json!([{"id":"p1","personaName":"A"},{"id":"p1","personaName":"B"}]),
                "roster[1].id",
                "DUPLICATE",
            ),
            (
                json!([{"id":"p1","personaName":"A"},{"id":"SYSTEM","personaName":"B"}]),
                "roster[1].id",
                "INVALID_VALUE",
            ),
            (
                json!([{"id":"p1","personaName":"A"},{"id":"p2"}]),
                "roster[1].personaName",
                "MISSING",
            ),
            (
                json!([{"id":"p1","personaName":"A"},{"id":"p2","personaName":"B","silver":-3}]),
                "roster[1].silver",
                "OUT_OF_RANGE",
            ),
            (
                json!([{"id":"p1","personaName":"A"},{"id":"p2","personaName":"B","silver":"lots"}]),
                "roster[1].silver",
                "WRONG_TYPE",
            ),
            (
                json!([{"id":"p1","personaName":"A"},{"id":"p2","personaName":"B","x":1}]),
                "roster[1].x",
                "UNKNOWN_FIELD",
            ),
            (
                json!([{"id":"p1","personaName":"A"}]),
                "roster",
                "OUT_OF_RANGE",
            ),
            (json!("p1,p2"), "roster", "WRONG_TYPE"),
        ];
        for (v, path, code) in cases {
            let e = parse_roster(&v, "roster", 2).unwrap_err();
            assert_eq!(
                (e.errors[0].path.as_str(), e.errors[0].code),
                (path, code),
                "{v}"
            );
        }
    }
}
