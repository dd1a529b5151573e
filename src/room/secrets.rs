//! The two secrets of a deployment and the rules they must meet (docs/security.md, "Secrets").
//!
//! - `AUTH_SECRET` is the operator's bearer (`Authorization: Bearer …` on the lobby/admin routes).
//! - `TOKEN_SECRET` signs and verifies player tokens ([`super::token`]).
//!
//! They are separate because every player holds an HMAC made with the token key and can attack
//! it offline: with one secret, recovering it would be full operator access. Each must be at
//! least [`MIN_SECRET_BYTES`] bytes, the two must differ, and the values committed in
//! `.dev.vars.example` are refused unless the var `DEV_MODE=1` says this is `wrangler dev` (only
//! `.dev.vars.example`, the end-to-end tests and `make demo` set it). A secret that breaks a rule
//! counts as unset: every route that needs it answers 503 `AUTH_NOT_CONFIGURED`, never an open
//! fallback.

use thiserror::Error;

pub use crate::limits::MIN_SECRET_BYTES;

/// The name of the operator's bearer secret.
pub const AUTH_SECRET: &str = "AUTH_SECRET";
/// The name of the player-token signing secret.
pub const TOKEN_SECRET: &str = "TOKEN_SECRET";
/// The var that allows the committed dev secrets (`wrangler dev` only).
pub const DEV_MODE: &str = "DEV_MODE";

/// The values committed in `.dev.vars.example`, for local play only.
pub const DEV_AUTH_SECRET: &str = "dev-auth-secret-change-me-0123456789abcdef";
pub const DEV_TOKEN_SECRET: &str = "dev-token-secret-change-me-0123456789abcdef";

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SecretError {
    #[error("{0} is not set")]
    Unset(&'static str),
    #[error("{name} is {len} bytes: at least {MIN_SECRET_BYTES} random bytes are required")]
    TooShort { name: &'static str, len: usize },
    #[error("{0} is the committed development value; it is accepted only with DEV_MODE=1 (wrangler dev)")]
    DevValue(&'static str),
    #[error("AUTH_SECRET and TOKEN_SECRET must differ (every player holds a MAC made with TOKEN_SECRET)")]
    Same,
}

/// Every value that was ever committed as a dev secret (the old single secret too).
const COMMITTED: [&str; 3] = [DEV_AUTH_SECRET, DEV_TOKEN_SECRET, "dev-secret-change-me"];

fn check_one(name: &'static str, value: &str, dev_mode: bool) -> Result<(), SecretError> {
    if value.is_empty() {
        return Err(SecretError::Unset(name));
    }
    if !dev_mode && COMMITTED.contains(&value) {
        return Err(SecretError::DevValue(name));
    }
    if value.len() < MIN_SECRET_BYTES {
        return Err(SecretError::TooShort {
            name,
            len: value.len(),
        });
    }
    Ok(())
}

/// The operator secret, if it meets the rules (checked against the token secret too).
pub fn auth_secret(auth: &str, token: &str, dev_mode: bool) -> Result<(), SecretError> {
    check_one(AUTH_SECRET, auth, dev_mode)?;
    if auth == token {
        return Err(SecretError::Same);
    }
    Ok(())
}

/// The token secret, if it meets the rules (checked against the operator secret too).
pub fn token_secret(auth: &str, token: &str, dev_mode: bool) -> Result<(), SecretError> {
    check_one(TOKEN_SECRET, token, dev_mode)?;
    if auth == token {
        return Err(SecretError::Same);
    }
    Ok(())
}

/// Whether the var `DEV_MODE` is `1`.
pub fn dev_mode(value: Option<&str>) -> bool {
    value == Some("1")
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0123456789abcdef0123456789abcdef";
    const T: &str = "fedcba9876543210fedcba9876543210";

    #[test]
    fn secrets_must_be_long_distinct_and_not_the_committed_ones() {
        assert_eq!(auth_secret(A, T, false), Ok(()));
        assert_eq!(token_secret(A, T, false), Ok(()));
        assert_eq!(
            auth_secret("", T, false),
            Err(SecretError::Unset(AUTH_SECRET))
        );
        assert_eq!(
            token_secret(A, &T[1..], false),
            Err(SecretError::TooShort {
                name: TOKEN_SECRET,
                len: 31
            })
        );
        assert_eq!(auth_secret(A, A, false), Err(SecretError::Same));
        assert_eq!(token_secret(A, A, false), Err(SecretError::Same));
        // The committed values: only under DEV_MODE=1.
        assert_eq!(
            auth_secret(DEV_AUTH_SECRET, T, false),
            Err(SecretError::DevValue(AUTH_SECRET))
        );
        assert_eq!(
            token_secret(A, DEV_TOKEN_SECRET, false),
            Err(SecretError::DevValue(TOKEN_SECRET))
        );
        assert_eq!(auth_secret(DEV_AUTH_SECRET, DEV_TOKEN_SECRET, true), Ok(()));
        assert_eq!(
            token_secret(DEV_AUTH_SECRET, DEV_TOKEN_SECRET, true),
            Ok(())
        );
        // The old single dev secret is refused outside dev mode, and too short in it.
        assert!(auth_secret("dev-secret-change-me", T, false).is_err());
        assert!(auth_secret("dev-secret-change-me", T, true).is_err());
        assert!(DEV_AUTH_SECRET.len() >= MIN_SECRET_BYTES);
        assert!(DEV_TOKEN_SECRET.len() >= MIN_SECRET_BYTES);
        assert!(dev_mode(Some("1")) && !dev_mode(Some("true")) && !dev_mode(None));
    }

    #[test]
    fn the_example_vars_hold_the_dev_values_and_dev_mode() {
        let example = include_str!("../../.dev.vars.example");
        let line = |k: &str| {
            example
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{k}=")))
                .map(str::trim)
        };
        assert_eq!(line(AUTH_SECRET), Some(DEV_AUTH_SECRET));
        assert_eq!(line(TOKEN_SECRET), Some(DEV_TOKEN_SECRET));
        assert_eq!(line(DEV_MODE), Some("1"));
    }
}
