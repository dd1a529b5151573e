//! What can go wrong with a player's socket itself, apart from the frame it sent (that is a
//! [`super::ProtocolError`]) or the rules (an engine rejection): rate limits, a token that expired
//! while the socket was open, and a commit that failed. Each is an `ERROR` frame with a stable code
//! (`schemas/error-codes.schema.json`, `SessionErrorCode`), and none journals anything.

use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Error)]
pub enum SessionError {
    #[error("more than {per_s} messages a second (bursts of {burst}): this frame was dropped")]
    RateLimited { per_s: f64, burst: f64 },
    /// Tokens are checked at connect and again on every frame: a long-open socket does not
    /// outlive its token. The socket is closed with 4003 right after this frame.
    #[error("the token expired at {exp} (unix seconds): reconnect with a fresh token")]
    TokenExpired { exp: i64 },
    #[error("the action could not be stored and was not journaled: try again")]
    StorageFailed,
    #[error("this room has no game")]
    NoSuchGame,
    #[error("the action was not journaled ({0}): try again")]
    Internal(String),
    #[error("typing signals at most one every {min_ms} ms: this one was dropped")]
    TypingTooFast { min_ms: i64 },
}

crate::engine::error::stable_codes! {
    SessionError {
        RateLimited => "RATE_LIMITED",
        TokenExpired => "TOKEN_EXPIRED",
        StorageFailed => "STORAGE_FAILED",
        NoSuchGame => "NO_SUCH_GAME",
        Internal => "INTERNAL",
        TypingTooFast => "TYPING_RATE_LIMITED",
    }
}

/// Whether a token that expires at `exp` (unix seconds; 0 = never recorded) has expired at
/// `now_s`. Matches `token::verify`: a token is valid while `now_s < exp`.
pub fn expired(exp: i64, now_s: i64) -> bool {
    exp > 0 && now_s >= exp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_unique() {
        assert_eq!(
            SessionError::all_codes(),
            [
                "RATE_LIMITED",
                "TOKEN_EXPIRED",
                "STORAGE_FAILED",
                "NO_SUCH_GAME",
                "INTERNAL",
                "TYPING_RATE_LIMITED"
            ]
        );
        assert_eq!(
            SessionError::TokenExpired { exp: 5 }.code(),
            "TOKEN_EXPIRED"
        );
    }

    #[test]
    fn a_token_expires_at_its_exp_second() {
        assert!(!expired(100, 99));
        assert!(expired(100, 100));
        assert!(!expired(0, i64::MAX), "no recorded expiry");
    }
}
