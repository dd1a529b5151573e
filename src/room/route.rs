//! Refusals of the HTTP routes themselves (authentication, method, game id, room existence),
//! as opposed to a refused body ([`super::RoomError`], [`super::AdminError`]) or an engine
//! rejection. Each has a stable code and an HTTP status; `schemas/http-error.schema.json` lists
//! them (`RouteErrorCode`), so a lobby can switch on every code it may receive.
//!
//! Also the pure part of routing and authentication, shared by the Worker's `fetch` and the room
//! host: which room route a path names ([`match_room_route`]), the game id rule
//! ([`check_game_id`]) and the bearer comparison ([`bearer_token`], [`constant_time_eq`]).

use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RouteError {
    #[error("{0}")]
    BadGameId(String),
    #[error("{0}")]
    BadQuery(String),
    #[error("cannot read the body: {0}")]
    BadBody(String),
    #[error("{0}")]
    Unauthorized(String),
    /// `DEV_FAIL_D1` outside `wrangler dev` with `DEV_FAULTS=1`.
    #[error("set the var DEV_FAULTS=1 (wrangler dev only)")]
    DevFaultsOff,
    #[error("{0}")]
    NotFound(String),
    #[error("no room with this game id; POST …/init first")]
    RoomNotFound,
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("room {0} already exists")]
    RoomExists(String),
    #[error("expected a WebSocket upgrade")]
    UpgradeRequired,
    #[error("{0}")]
    Internal(String),
    #[error("the room's storage failed: {0}")]
    StorageFailed(String),
    #[error("the server has no usable AUTH_SECRET or TOKEN_SECRET (unset, shorter than 32 bytes, equal, or a committed dev value outside DEV_MODE)")]
    AuthNotConfigured,
    #[error("D1 is unavailable: {0}")]
    D1Unavailable(String),
    /// `GET …/journal?from=` beyond the next seq to be written.
    #[error("from={from} is past the head: the journal ends at seq {head}")]
    PastHead { from: u64, head: u64 },
    /// `POST …/cleanup` while the game runs.
    #[error("the game has not ended (it can be abandoned: ABANDON_GAME)")]
    GameNotFinished,
    /// `POST …/cleanup` before D1 holds the whole, verified journal.
    #[error("D1 does not hold the complete journal yet: {0}")]
    D1Incomplete(String),
    /// The room was cleaned up: only its journal is left, in D1.
    #[error("the game ended and its room was cleaned up at seq {seq}; its journal is in D1 (GET …/journal)")]
    RoomCleanedUp { seq: u64 },
    /// A checkpoint was asked for (admin `CHECKPOINT`, `GET /checkpoint-key`) but the secret
    /// CHECKPOINT_KEY is unset or not a 32-byte seed.
    #[error("the server has no usable CHECKPOINT_KEY (a 32-byte Ed25519 seed as 64 hex digits or base64)")]
    CheckpointKeyMissing,
    /// A push subscription body that is not a valid browser subscription (docs/push.md).
    #[error("invalid push subscription: {0}")]
    InvalidSubscription(crate::push::subscription::SubscriptionError),
    /// `GET /push-key` or a subscription while the secret VAPID_PRIVATE_KEY is unset or unusable.
    #[error("the server has no usable VAPID_PRIVATE_KEY (a P-256 private key, 32 bytes in URL-safe base64): push notifications are off")]
    PushKeyMissing,
}

crate::engine::error::stable_codes! {
    RouteError {
        BadGameId => "BAD_GAME_ID",
        BadQuery => "BAD_QUERY",
        BadBody => "BAD_BODY",
        Unauthorized => "UNAUTHORIZED",
        DevFaultsOff => "DEV_FAULTS_OFF",
        NotFound => "NOT_FOUND",
        RoomNotFound => "ROOM_NOT_FOUND",
        MethodNotAllowed => "METHOD_NOT_ALLOWED",
        RoomExists => "ROOM_EXISTS",
        UpgradeRequired => "UPGRADE_REQUIRED",
        Internal => "INTERNAL",
        StorageFailed => "STORAGE_FAILED",
        AuthNotConfigured => "AUTH_NOT_CONFIGURED",
        D1Unavailable => "D1_UNAVAILABLE",
        PastHead => "FROM_PAST_HEAD",
        GameNotFinished => "GAME_NOT_FINISHED",
        D1Incomplete => "D1_INCOMPLETE",
        RoomCleanedUp => "ROOM_CLEANED_UP",
        CheckpointKeyMissing => "CHECKPOINT_KEY_MISSING",
        InvalidSubscription => "INVALID_SUBSCRIPTION",
        PushKeyMissing => "PUSH_KEY_MISSING",
    }
}

impl RouteError {
    pub fn http_status(&self) -> u16 {
        match self {
            RouteError::BadGameId(_)
            | RouteError::BadQuery(_)
            | RouteError::BadBody(_)
            | RouteError::InvalidSubscription(_)
            | RouteError::PastHead { .. } => 400,
            RouteError::Unauthorized(_) => 401,
            RouteError::DevFaultsOff => 403,
            RouteError::NotFound(_) | RouteError::RoomNotFound => 404,
            RouteError::MethodNotAllowed(_) => 405,
            RouteError::RoomExists(_)
            | RouteError::GameNotFinished
            | RouteError::D1Incomplete(_) => 409,
            RouteError::RoomCleanedUp { .. } => 410,
            RouteError::UpgradeRequired => 426,
            RouteError::Internal(_) | RouteError::StorageFailed(_) => 500,
            RouteError::AuthNotConfigured
            | RouteError::D1Unavailable(_)
            | RouteError::CheckpointKeyMissing
            | RouteError::PushKeyMissing => 503,
        }
    }

    /// `{"error": {"code", "message", "fields"?}}`, the shape of every HTTP error body
    /// (`fields`: INVALID_SUBSCRIPTION's bad field).
    pub fn to_json(&self) -> serde_json::Value {
        let fields = match self {
            RouteError::InvalidSubscription(e) => Some(vec![e.field()]),
            _ => None,
        };
        super::HttpError::new(self.code(), self.to_string(), fields).to_json()
    }
}

/// The prefix of every room route.
pub const ROOM_PREFIX: &str = "/parties/game-server/";
/// Longest accepted game id.
pub use crate::limits::MAX_GAME_ID;

/// What a room route asks for (`/parties/game-server/:gameId/:action`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoomAction {
    Init,
    State,
    Journal,
    Admin,
    PlayerJoined,
    /// `POST …/cleanup`: delete the room's storage once D1 holds the whole journal.
    Cleanup,
    /// `GET …/verify`: D1's journal checked from seq 1 (`room::operator`); answered by the
    /// Worker from D1, never by the room.
    Verify,
    /// `GET /parties/game-server/:gameId` with `Upgrade: websocket`.
    Connect,
    /// `GET …/scheduled-tasks`: the prototype console's task list (`{count, tasks}`), bearer
    /// AUTH_SECRET; the same queue as the admin LIST_TASKS.
    ScheduledTasks,
    /// `POST …/flush-tasks` or `POST …/scheduled-tasks`: the prototype console's flush, journaled
    /// as `ADMIN.FLUSH_TASKS` (bearer AUTH_SECRET).
    FlushTasks,
}

/// Matches `/parties/game-server/:gameId/:action` and checks the method (`GET`, `POST`, …); the
/// game id is not checked yet (the Worker authenticates first, so nothing is said to a caller
/// without the bearer).
pub fn match_room_route<'a>(
    path: &'a str,
    method: &str,
) -> Result<(&'a str, RoomAction), RouteError> {
    let no_route = || RouteError::NotFound(format!("no route for {path}"));
    let rest = path.strip_prefix(ROOM_PREFIX).ok_or_else(no_route)?;
    let mut parts = rest.split('/');
    let (Some(game_id), action, None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(no_route());
    };
    let (action, allowed) = match action.unwrap_or("") {
        "" => (RoomAction::Connect, "GET"),
        "init" => (RoomAction::Init, "POST"),
        "state" => (RoomAction::State, "GET"),
        "journal" => (RoomAction::Journal, "GET"),
        "admin" => (RoomAction::Admin, "POST"),
        "player-joined" => (RoomAction::PlayerJoined, "POST"),
        "cleanup" => (RoomAction::Cleanup, "POST"),
        "verify" => (RoomAction::Verify, "GET"),
        "scheduled-tasks" if method == "POST" => (RoomAction::FlushTasks, "POST"),
        "scheduled-tasks" => (RoomAction::ScheduledTasks, "GET"),
        "flush-tasks" => (RoomAction::FlushTasks, "POST"),
        _ => return Err(no_route()),
    };
    if method != allowed {
        let allowed = match action {
            RoomAction::ScheduledTasks => "GET or POST",
            _ => allowed,
        };
        return Err(RouteError::MethodNotAllowed(format!(
            "{path} accepts {allowed} only"
        )));
    }
    Ok((game_id, action))
}

/// Whether `path` is the rooms list (`GET /parties/game-server`, `room::operator`): `None` for
/// any other path, else the method check.
pub fn match_rooms_route(path: &str, method: &str) -> Option<Result<(), RouteError>> {
    let path = path.strip_suffix('/').unwrap_or(path);
    (path == super::operator::ROOMS_PATH).then(|| {
        if method == "GET" {
            Ok(())
        } else {
            Err(RouteError::MethodNotAllowed(format!(
                "{path} accepts GET only"
            )))
        }
    })
}

/// [`match_room_route`], then [`check_game_id`].
pub fn parse_room_route(path: &str, method: &str) -> Result<(String, RoomAction), RouteError> {
    let (game_id, action) = match_room_route(path, method)?;
    check_game_id(game_id)?;
    Ok((game_id.to_string(), action))
}

/// Game ids are 1..=128 characters of `[A-Za-z0-9._-]`.
pub fn check_game_id(game_id: &str) -> Result<(), RouteError> {
    let ok = !game_id.is_empty()
        && game_id.len() <= MAX_GAME_ID
        && game_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if ok {
        Ok(())
    } else {
        Err(RouteError::BadGameId(format!(
            "game id must be 1 to {MAX_GAME_ID} characters of A-Z a-z 0-9 . _ -"
        )))
    }
}

/// The token of an `Authorization: Bearer <token>` header value (scheme case-insensitive).
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    (!token.is_empty()).then_some(token)
}

/// Compares fixed-size digests of both sides, so the time taken depends on neither the contents
/// nor the length of the secret.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let ha = blake3::hash(a);
    let hb = blake3::hash(b);
    ha.as_bytes()
        .iter()
        .zip(hb.as_bytes().iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// Whether `authorization` (a header value) carries `secret` as its bearer token. Never true
/// while the secret is unset.
pub fn is_bearer(authorization: &str, secret: &str) -> bool {
    !secret.is_empty()
        && bearer_token(authorization)
            .is_some_and(|t| constant_time_eq(t.as_bytes(), secret.as_bytes()))
}

/// The decoded `name=value` pairs of a request URL's query string (`application/x-www-form-urlencoded`:
/// `+` is a space, percent-escapes are decoded, repeated names kept in order), read from the raw
/// URL text without parsing the whole URL: the Worker and the room call this instead of
/// workers-rs `Request::url()`, whose `url::Url` parser is code a cold instance would compile
/// on its first request (BENCHMARKS.md, "Where the cold SYNC's time goes"). No query, none; a
/// `#fragment` is not part of the query.
pub fn query_pairs(url: &str) -> Vec<(String, String)> {
    let before_fragment = url.split_once('#').map_or(url, |(u, _)| u);
    let Some((_, query)) = before_fragment.split_once('?') else {
        return Vec::new();
    };
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pairs_decode_the_raw_url() {
        let pairs = |url: &str| query_pairs(url);
        let p = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(pairs("https://h.example/parties/game-server/g1"), p(&[]));
        assert_eq!(pairs("https://h.example/x?"), p(&[]));
        assert_eq!(
            pairs("https://h.example/x?token=a.b-c_d&since=12"),
            p(&[("token", "a.b-c_d"), ("since", "12")])
        );
        // Percent-escapes (UTF-8) and `+` as a space, in names and values.
        assert_eq!(
            pairs("https://h.example/x?na%6De=a%20b+c%2Bd&%C3%A9t%C3%A9=%E2%9C%93"),
            p(&[("name", "a b c+d"), ("été", "✓")])
        );
        // Repeated names are kept in order; a name without `=` has an empty value.
        assert_eq!(
            pairs("https://h.example/x?a=1&b&a=2&&"),
            p(&[("a", "1"), ("b", ""), ("a", "2")])
        );
        // The fragment is not part of the query, even when it holds a `?`.
        assert_eq!(pairs("https://h.example/x?a=1#b=2"), p(&[("a", "1")]));
        assert_eq!(pairs("https://h.example/x#frag?a=1"), p(&[]));
        // Malformed escapes are kept as written; escaped `=` and `&` do not split.
        assert_eq!(
            pairs("https://h.example/x?a=%zz&b=%&c=%4"),
            p(&[("a", "%zz"), ("b", "%"), ("c", "%4")])
        );
        assert_eq!(
            pairs("https://h.example/x?=v&k=&%3D=%26"),
            p(&[("", "v"), ("k", ""), ("=", "&")])
        );
    }

    #[test]
    fn room_routes_are_matched_with_their_method() {
        assert_eq!(
            match_room_route("/parties/game-server/g1/init", "POST"),
            Ok(("g1", RoomAction::Init))
        );
        assert_eq!(
            match_room_route("/parties/game-server/g1", "GET"),
            Ok(("g1", RoomAction::Connect))
        );
        assert_eq!(
            match_room_route("/parties/game-server/g1/verify", "GET"),
            Ok(("g1", RoomAction::Verify))
        );
        assert_eq!(
            match_rooms_route("/parties/game-server", "GET"),
            Some(Ok(()))
        );
        assert_eq!(
            match_rooms_route("/parties/game-server/", "GET"),
            Some(Ok(()))
        );
        assert_eq!(
            match_rooms_route("/parties/game-server", "POST").map(|r| r.unwrap_err().code()),
            Some("METHOD_NOT_ALLOWED")
        );
        assert_eq!(match_rooms_route("/parties/game-server/g1", "GET"), None);
        assert_eq!(
            match_room_route("/parties/game-server/g1/state", "POST")
                .unwrap_err()
                .code(),
            "METHOD_NOT_ALLOWED"
        );
        for path in [
            "/nope",
            "/parties/game-server/g1/nope",
            "/parties/game-server/g1/a/b",
        ] {
            assert_eq!(
                match_room_route(path, "GET").unwrap_err().code(),
                "NOT_FOUND"
            );
        }
        assert_eq!(
            parse_room_route("/parties/game-server/bad%20id/state", "GET")
                .unwrap_err()
                .code(),
            "BAD_GAME_ID"
        );
        assert!(check_game_id(&"a".repeat(MAX_GAME_ID)).is_ok());
        assert!(check_game_id(&"a".repeat(MAX_GAME_ID + 1)).is_err());
    }

    #[test]
    fn the_bearer_must_equal_a_configured_secret() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
        assert!(is_bearer("Bearer s3cret", "s3cret"));
        assert!(!is_bearer("Bearer s3cret", "other"));
        assert!(!is_bearer("Bearer ", ""), "an unset secret admits nobody");
    }

    #[test]
    fn every_route_error_has_a_client_or_server_status() {
        let all = [
            RouteError::BadGameId(String::new()),
            RouteError::BadQuery(String::new()),
            RouteError::BadBody(String::new()),
            RouteError::Unauthorized(String::new()),
            RouteError::DevFaultsOff,
            RouteError::NotFound(String::new()),
            RouteError::RoomNotFound,
            RouteError::MethodNotAllowed(String::new()),
            RouteError::RoomExists("g".into()),
            RouteError::UpgradeRequired,
            RouteError::Internal(String::new()),
            RouteError::StorageFailed(String::new()),
            RouteError::AuthNotConfigured,
            RouteError::D1Unavailable(String::new()),
            RouteError::PastHead { from: 9, head: 7 },
            RouteError::GameNotFinished,
            RouteError::D1Incomplete(String::new()),
            RouteError::RoomCleanedUp { seq: 7 },
            RouteError::CheckpointKeyMissing,
            RouteError::InvalidSubscription(
                crate::push::subscription::parse(b"[]", false).unwrap_err(),
            ),
            RouteError::PushKeyMissing,
        ];
        assert_eq!(all.len(), RouteError::all_codes().len());
        for e in &all {
            assert!((400..600).contains(&e.http_status()), "{e:?}");
            assert_eq!(e.to_json()["error"]["code"], e.code());
        }
        assert_eq!(RouteError::RoomExists("g-1".into()).http_status(), 409);
        assert_eq!(
            RouteError::RoomExists("g-1".into()).to_string(),
            "room g-1 already exists"
        );
    }
}
