//! The push routes (docs/push.md, docs/protocol.md "Push notifications"), pure: which route a
//! request is, who a subscriber is, and the D1 statements. The Worker (`worker::push`) runs them.
//!
//! - `GET /push-key` → `{"publicKey": <VAPID public key, URL-safe base64>}` (also at the
//!   prototype's `GET /api/push/vapid-key`): the browser's `applicationServerKey`.
//! - `POST|DELETE /parties/game-server/:gameId/push-subscription` with `Authorization: Bearer
//!   <player token of this game>`: store (body: the browser's subscription) or forget the
//!   player's subscription for this game.
//! - `POST|DELETE /api/push/subscribe`: the same, as the prototype's client calls it; the game is
//!   the token's `gameId` (the token is verified for that game).

use super::route::{bearer_token, RouteError, ROOM_PREFIX};
use super::token::{self, Claims};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

pub const PUSH_KEY_ROUTE: &str = "/push-key";
pub const PROTOTYPE_KEY_ROUTE: &str = "/api/push/vapid-key";
pub const PROTOTYPE_SUBSCRIBE_ROUTE: &str = "/api/push/subscribe";
/// The room route's last segment.
pub const SUBSCRIPTION_ACTION: &str = "push-subscription";
/// Longest subscribe body accepted (bytes).
pub const MAX_SUBSCRIBE_BODY: usize = 4096;

/// A push route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushRoute {
    /// `GET /push-key`.
    Key,
    /// Store (`delete: false`) or forget a subscription; `game_id: None` for the prototype path
    /// (the token names the game).
    Subscription {
        game_id: Option<String>,
        delete: bool,
    },
}

/// `None` when `path` is not a push route; else the route or a 405.
pub fn match_push_route(path: &str, method: &str) -> Option<Result<PushRoute, RouteError>> {
    let refuse = |allowed: &str| {
        Err(RouteError::MethodNotAllowed(format!(
            "{path} accepts {allowed} only"
        )))
    };
    if path == PUSH_KEY_ROUTE || path == PROTOTYPE_KEY_ROUTE {
        return Some(if method == "GET" {
            Ok(PushRoute::Key)
        } else {
            refuse("GET")
        });
    }
    let game_id = if path == PROTOTYPE_SUBSCRIBE_ROUTE {
        None
    } else {
        let rest = path.strip_prefix(ROOM_PREFIX)?;
        let (game, action) = rest.split_once('/')?;
        if action != SUBSCRIPTION_ACTION {
            return None;
        }
        Some(game.to_string())
    };
    Some(match method {
        "POST" => Ok(PushRoute::Subscription {
            game_id,
            delete: false,
        }),
        "DELETE" => Ok(PushRoute::Subscription {
            game_id,
            delete: true,
        }),
        _ => refuse("POST or DELETE"),
    })
}

/// The `gameId` a token claims, unverified (only to choose the game to verify it for).
fn claimed_game(t: &str) -> Option<String> {
    let payload = t.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v.get("gameId")?.as_str().map(str::to_string)
}

/// The subscriber: the bearer must be a player token (TOKEN_SECRET) valid at `now_s` for
/// `game_id` (or, without one, for the game it claims). The room's roster is not consulted: a
/// token is only minted for a player of its game.
pub fn subscriber(
    token_secret: &str,
    authorization: &str,
    game_id: Option<&str>,
    now_s: i64,
) -> Result<Claims, RouteError> {
    if token_secret.is_empty() {
        return Err(RouteError::AuthNotConfigured);
    }
    let t = bearer_token(authorization)
        .ok_or_else(|| RouteError::Unauthorized("missing bearer player token".into()))?;
    let game = match game_id {
        Some(g) => g.to_string(),
        None => claimed_game(t).ok_or_else(|| {
            RouteError::Unauthorized("token is not a well-formed HS256 JWT".into())
        })?,
    };
    super::route::check_game_id(&game)?;
    token::verify(token_secret.as_bytes(), t, &game, now_s)
        .map_err(|e| RouteError::Unauthorized(e.to_string()))
}

/// Stores (or replaces) a player's subscription: `?1` game, `?2` player, `?3` user (`sub`),
/// `?4` endpoint, `?5` p256dh, `?6` auth, `?7` now (ms).
pub const UPSERT_SQL: &str = "INSERT INTO push_subscriptions (game_id, player_id, user_id, endpoint, p256dh, auth, created_at_ms, updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) ON CONFLICT (game_id, player_id) DO UPDATE SET user_id = excluded.user_id, endpoint = excluded.endpoint, p256dh = excluded.p256dh, auth = excluded.auth, updated_at_ms = excluded.updated_at_ms";
/// Forgets a player's subscription: `?1` game, `?2` player.
pub const DELETE_SQL: &str = "DELETE FROM push_subscriptions WHERE game_id = ?1 AND player_id = ?2";
/// Prunes an expired subscription (only if it is still the one that failed): `?1` game, `?2`
/// player, `?3` endpoint.
pub const PRUNE_SQL: &str =
    "DELETE FROM push_subscriptions WHERE game_id = ?1 AND player_id = ?2 AND endpoint = ?3";
/// A game's subscriptions: `?1` game → `player_id, endpoint, p256dh, auth`.
pub const SELECT_SQL: &str =
    "SELECT player_id, endpoint, p256dh, auth FROM push_subscriptions WHERE game_id = ?1";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::room::token::mint;

    const SECRET: &str = "subscribe-test-token-secret-0123456789";
    const NOW: i64 = 1_800_000_000;

    fn token(game: &str, exp: i64) -> String {
        let claims = Claims {
            sub: "user-1".into(),
            game_id: game.into(),
            player_id: "p2".into(),
            exp,
        };
        format!("Bearer {}", mint(SECRET.as_bytes(), &claims))
    }

    #[test]
    fn push_routes_are_matched_with_their_methods() {
        assert_eq!(
            match_push_route("/push-key", "GET"),
            Some(Ok(PushRoute::Key))
        );
        assert_eq!(
            match_push_route("/api/push/vapid-key", "GET"),
            Some(Ok(PushRoute::Key))
        );
        assert!(matches!(
            match_push_route("/push-key", "POST"),
            Some(Err(RouteError::MethodNotAllowed(_)))
        ));
        assert_eq!(
            match_push_route("/parties/game-server/g1/push-subscription", "POST"),
            Some(Ok(PushRoute::Subscription {
                game_id: Some("g1".into()),
                delete: false
            }))
        );
        assert_eq!(
            match_push_route("/api/push/subscribe", "DELETE"),
            Some(Ok(PushRoute::Subscription {
                game_id: None,
                delete: true
            }))
        );
        assert!(matches!(
            match_push_route("/api/push/subscribe", "GET"),
            Some(Err(RouteError::MethodNotAllowed(_)))
        ));
        assert_eq!(
            match_push_route("/parties/game-server/g1/state", "GET"),
            None
        );
        assert_eq!(match_push_route("/health", "GET"), None);
    }

    #[test]
    fn the_subscriber_is_a_player_token_of_the_game() {
        let ok = subscriber(SECRET, &token("g1", NOW + 60), Some("g1"), NOW).unwrap();
        assert_eq!((ok.player_id.as_str(), ok.sub.as_str()), ("p2", "user-1"));
        // The prototype's path: the game the token claims, verified.
        let ok = subscriber(SECRET, &token("g1", NOW + 60), None, NOW).unwrap();
        assert_eq!(ok.game_id, "g1");
        let refused = |r: Result<Claims, RouteError>| r.unwrap_err().code();
        assert_eq!(
            refused(subscriber(SECRET, &token("g2", NOW + 60), Some("g1"), NOW)),
            "UNAUTHORIZED"
        );
        assert_eq!(
            refused(subscriber(SECRET, &token("g1", NOW - 1), None, NOW)),
            "UNAUTHORIZED"
        );
        assert_eq!(
            refused(subscriber(
                "another-secret-of-32-bytes-or-more!!",
                &token("g1", NOW + 60),
                None,
                NOW
            )),
            "UNAUTHORIZED"
        );
        assert_eq!(
            refused(subscriber(SECRET, "", Some("g1"), NOW)),
            "UNAUTHORIZED"
        );
        assert_eq!(
            refused(subscriber(SECRET, "Bearer not.a.jwt", None, NOW)),
            "UNAUTHORIZED"
        );
        assert_eq!(
            refused(subscriber("", &token("g1", NOW + 60), None, NOW)),
            "AUTH_NOT_CONFIGURED"
        );
        // The operator's bearer is not a player.
        assert_eq!(
            refused(subscriber(
                SECRET,
                &format!("Bearer {SECRET}"),
                Some("g1"),
                NOW
            )),
            "UNAUTHORIZED"
        );
    }

    #[test]
    fn an_invalid_subscription_is_a_400_with_the_fields_path() {
        let e = RouteError::InvalidSubscription(
            crate::push::subscription::parse(
                br#"{"endpoint":"http://push.example/x","keys":{"p256dh":"x","auth":"y"}}"#,
                false,
            )
            .unwrap_err(),
        );
        assert_eq!(e.http_status(), 400);
        let v = e.to_json();
        assert_eq!(v["error"]["code"], "INVALID_SUBSCRIPTION");
        assert_eq!(v["error"]["fields"][0]["path"], "endpoint");
        assert_eq!(v["error"]["fields"][0]["code"], "INVALID_VALUE");
    }
}
