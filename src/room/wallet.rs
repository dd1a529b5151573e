//! Persistent gold (docs/protocol.md, "The prototype lobby"): as the prototype does, a player's
//! `gold` in an `…/init` roster or a `…/player-joined` body is replaced by the wallet balance of
//! their `realUserId` (D1 view `wallet_balances`, 0 when they have none) before the body is
//! journaled, so replay reads the same gold. Pure: the Worker reads D1 and calls these.

use super::route::RoomAction;
use crate::engine::manifest::MAX_PLAYERS;
use crate::limits::MAX_BALANCE;
use serde_json::Value;
use std::collections::BTreeMap;

/// The player entries of a body: the roster's (either form) for `…/init`, the body itself for
/// `…/player-joined`.
fn entries(action: RoomAction, body: &mut Value) -> Vec<&mut Value> {
    match action {
        RoomAction::Init => match body.get_mut("roster") {
            Some(Value::Array(a)) => a.iter_mut().collect(),
            Some(Value::Object(o)) => o.values_mut().collect(),
            _ => Vec::new(),
        },
        RoomAction::PlayerJoined => vec![body],
        _ => Vec::new(),
    }
}

fn user_id(p: &Value) -> Option<&str> {
    p.get("realUserId")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
}

/// The distinct `realUserId`s whose wallets a body needs (at most [`MAX_PLAYERS`]; none for a
/// body that is not JSON, which the room refuses anyway).
pub fn wallet_users(action: RoomAction, body: &[u8]) -> Vec<String> {
    let Ok(mut v) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    let mut users: Vec<String> = entries(action, &mut v)
        .into_iter()
        .filter_map(|p| user_id(p).map(str::to_string))
        .collect();
    users.sort();
    users.dedup();
    users.truncate(MAX_PLAYERS);
    users
}

/// The body with each player's `gold` set to their wallet (0 without one); players without a
/// `realUserId` keep the gold the body gives them. `None` when nothing changes.
pub fn with_wallet_gold(
    action: RoomAction,
    body: &[u8],
    balances: &BTreeMap<String, u64>,
) -> Option<Vec<u8>> {
    let mut v = serde_json::from_slice::<Value>(body).ok()?;
    let mut changed = false;
    for p in entries(action, &mut v) {
        let Some(user) = user_id(p) else { continue };
        let gold = balances.get(user).copied().unwrap_or(0).min(MAX_BALANCE);
        if p.get("gold").and_then(Value::as_u64) != Some(gold) {
            if let Some(o) = p.as_object_mut() {
                o.insert("gold".into(), gold.into());
                changed = true;
            }
        }
    }
    changed.then(|| serde_json::to_vec(&v).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn gold_comes_from_the_wallet_of_each_real_user() {
        let init = json!({"manifest": {}, "roster": {
            "p1": {"realUserId": "u1", "personaName": "A", "gold": 0},
            "p2": {"realUserId": "u2", "personaName": "B", "gold": 7},
            "p3": {"personaName": "C", "gold": 3},
        }})
        .to_string();
        assert_eq!(
            wallet_users(RoomAction::Init, init.as_bytes()),
            ["u1", "u2"]
        );
        let balances = BTreeMap::from([("u1".to_string(), 40)]);
        let out = with_wallet_gold(RoomAction::Init, init.as_bytes(), &balances).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["roster"]["p1"]["gold"], 40);
        assert_eq!(
            v["roster"]["p2"]["gold"], 0,
            "no wallet: 0, whatever the lobby sent"
        );
        assert_eq!(v["roster"]["p3"]["gold"], 3, "no realUserId: as sent");
        let join = br#"{"playerId":"p4","realUserId":"u1","personaName":"D"}"#;
        assert_eq!(wallet_users(RoomAction::PlayerJoined, join), ["u1"]);
        let out = with_wallet_gold(RoomAction::PlayerJoined, join, &balances).unwrap();
        assert_eq!(serde_json::from_slice::<Value>(&out).unwrap()["gold"], 40);
        // Nothing to change, or not JSON: the body stays as sent.
        let none = BTreeMap::new();
        let zero = br#"{"playerId":"p4","realUserId":"u9","personaName":"D","gold":0}"#;
        assert_eq!(
            with_wallet_gold(RoomAction::PlayerJoined, zero, &none),
            None
        );
        assert_eq!(with_wallet_gold(RoomAction::Init, b"{", &none), None);
        assert!(wallet_users(RoomAction::Admin, join).is_empty());
    }
}
