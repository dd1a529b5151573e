//! Refusals of the HTTP routes themselves (authentication, method, game id, room existence),
//! as opposed to a refused body ([`super::RoomError`], [`super::AdminError`]) or an engine
//! rejection. Each has a stable code and an HTTP status; `schemas/http-error.schema.json` lists
//! them (`RouteErrorCode`), so a lobby can switch on every code it may receive.

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
    #[error("the server has no AUTH_SECRET configured")]
    AuthNotConfigured,
    #[error("D1 is unavailable: {0}")]
    D1Unavailable(String),
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
    }
}

impl RouteError {
    pub fn http_status(&self) -> u16 {
        match self {
            RouteError::BadGameId(_) | RouteError::BadQuery(_) | RouteError::BadBody(_) => 400,
            RouteError::Unauthorized(_) => 401,
            RouteError::DevFaultsOff => 403,
            RouteError::NotFound(_) | RouteError::RoomNotFound => 404,
            RouteError::MethodNotAllowed(_) => 405,
            RouteError::RoomExists(_) => 409,
            RouteError::UpgradeRequired => 426,
            RouteError::Internal(_) | RouteError::StorageFailed(_) => 500,
            RouteError::AuthNotConfigured | RouteError::D1Unavailable(_) => 503,
        }
    }

    /// `{"error": {"code", "message"}}`, the shape of every HTTP error body.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "error": { "code": self.code(), "message": self.to_string() } })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
