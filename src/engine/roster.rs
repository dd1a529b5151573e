//! The roster: the one authoritative list of players, in join order (many tie-breaks use it).

use super::manifest::{FieldError, ManifestError, MAX_PLAYERS};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Upper bound on any balance given at the boundary, to keep arithmetic far from overflow.
pub use crate::limits::MAX_BALANCE;
/// Silver every player starts with unless the lobby says otherwise.
pub use crate::limits::STARTING_SILVER;
/// Actor names that are not players.
pub const RESERVED_IDS: [&str; 4] = ["SYSTEM", "ADMIN", "GAME_MASTER", "ALARM"];

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
}

/// Ids of the alive players, roster order: the start of every "who is still in" list.
pub(crate) fn alive_ids(players: &[Player]) -> Vec<String> {
    players
        .iter()
        .filter(|p| p.alive)
        .map(|p| p.id.clone())
        .collect()
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 32
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !RESERVED_IDS.contains(&id)
}

/// Parses one player entry. `fallback_id` is the key when the roster came as an object.
pub fn parse_player(
    v: &Value,
    path: &str,
    fallback_id: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<Player> {
    let mut err = |p: String, code: &'static str, m: &str| {
        errors.push(FieldError {
            path: p,
            code,
            message: m.to_string(),
        })
    };
    let Some(o) = v.as_object() else {
        err(path.to_string(), "WRONG_TYPE", "expected an object");
        return None;
    };
    const KNOWN: [&str; 11] = [
        "id",
        "playerId",
        "personaName",
        "realUserId",
        "avatarUrl",
        "bio",
        "isAlive",
        "isSpectator",
        "silver",
        "gold",
        "destinyId",
    ];
    for k in o.keys() {
        if !KNOWN.contains(&k.as_str()) {
            err(format!("{path}.{k}"), "UNKNOWN_FIELD", "unknown field");
        }
    }
    let s = |o: &Map<String, Value>,
             k: &str,
             err: &mut dyn FnMut(String, &'static str, &str)|
     -> Option<String> {
        match o.get(k) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                err(format!("{path}.{k}"), "WRONG_TYPE", "expected a string");
                None
            }
        }
    };
    let id = s(o, "id", &mut err)
        .or_else(|| s(o, "playerId", &mut err))
        .or(fallback_id.map(str::to_string));
    let id = match id {
        Some(id) if valid_id(&id) => Some(id),
        Some(_) => {
            err(format!("{path}.id"), "INVALID_VALUE", "ids are 1-32 characters of A-Z a-z 0-9 _ -, and not SYSTEM, ADMIN, GAME_MASTER or ALARM");
            None
        }
        None => {
            err(format!("{path}.id"), "MISSING", "required field is missing");
            None
        }
    };
    let name = match s(o, "personaName", &mut err) {
        Some(n) if !n.trim().is_empty() && n.chars().count() <= 40 => Some(n),
        Some(_) => {
            err(
                format!("{path}.personaName"),
                "OUT_OF_RANGE",
                "must be 1 to 40 characters",
            );
            None
        }
        None => {
            err(
                format!("{path}.personaName"),
                "MISSING",
                "required field is missing",
            );
            None
        }
    };
    let real_user_id = s(o, "realUserId", &mut err).unwrap_or_default();
    let avatar_url = s(o, "avatarUrl", &mut err).unwrap_or_default();
    let _ = s(o, "bio", &mut err);
    let _ = s(o, "destinyId", &mut err);
    let mut num = |k: &str, default: u64| -> Option<u64> {
        match o.get(k) {
            None | Some(Value::Null) => Some(default),
            Some(Value::Number(n)) => match n.as_u64() {
                Some(x) if x <= MAX_BALANCE => Some(x),
                _ => {
                    err(
                        format!("{path}.{k}"),
                        "OUT_OF_RANGE",
                        "must be a whole number from 0 to 1000000000",
                    );
                    None
                }
            },
            Some(_) => {
                err(
                    format!("{path}.{k}"),
                    "WRONG_TYPE",
                    "expected a whole number",
                );
                None
            }
        }
    };
    let silver = num("silver", STARTING_SILVER);
    let gold = num("gold", 0);
    let mut alive = true;
    for k in ["isAlive", "isSpectator"] {
        match o.get(k) {
            None | Some(Value::Null) => {}
            Some(Value::Bool(b)) => {
                if k == "isAlive" {
                    alive = *b;
                }
            }
            Some(_) => err(
                format!("{path}.{k}"),
                "WRONG_TYPE",
                "expected true or false",
            ),
        }
    }
    Some(Player {
        id: id?,
        persona_name: name?,
        real_user_id,
        avatar_url,
        alive,
        silver: silver?,
        gold: gold?,
        eliminated_on_day: None,
    })
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
            keys.sort_by_key(|k| {
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
            code: "WRONG_TYPE",
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
            code: "OUT_OF_RANGE",
            message: format!("must list {min} to {MAX_PLAYERS} players"),
        });
    }
    for (i, p) in players.iter().enumerate() {
        if players[..i].iter().any(|q| q.id == p.id) {
            errors.push(FieldError {
                path: format!("{path}[{i}].id"),
                code: "DUPLICATE",
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
