//! A browser's push subscription (`PushSubscription.toJSON()`:
//! `{endpoint, expirationTime?, keys: {p256dh, auth}}`), checked before it is stored
//! (docs/push.md): the endpoint is an `https://` URL (plain `http://127.0.0.1` / `localhost`
//! only in dev mode, for local push endpoints), `p256dh` is a 65-byte uncompressed P-256 point
//! and `auth` 16 bytes, both URL-safe base64. A failure names the field's path.

use super::b64url_decode;
use crate::engine::manifest::{FieldError, FieldErrorCode};
use p256::PublicKey;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Longest endpoint URL accepted.
pub const MAX_ENDPOINT_CHARS: usize = 1024;

/// The subscription as the browser serializes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct PushSubscription {
    /// The push service URL to POST messages to.
    pub endpoint: String,
    /// When the subscription expires (ms since the epoch), if the browser says; kept, not used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<f64>,
    pub keys: SubscriptionKeys,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SubscriptionKeys {
    /// The subscriber's P-256 public key, uncompressed (65 bytes), URL-safe base64.
    pub p256dh: String,
    /// The subscriber's 16-byte authentication secret, URL-safe base64.
    pub auth: String,
}

/// Why a subscription is refused: the field's path, its code and the reason.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{path}: {reason}")]
pub struct SubscriptionError {
    pub path: String,
    pub code: FieldErrorCode,
    pub reason: String,
}

impl SubscriptionError {
    /// As an item of an HTTP error's `fields`.
    pub fn field(&self) -> FieldError {
        FieldError {
            path: self.path.clone(),
            code: self.code.as_str(),
            message: self.reason.clone(),
        }
    }
}

fn err(path: &str, reason: impl Into<String>) -> SubscriptionError {
    SubscriptionError {
        path: path.into(),
        code: FieldErrorCode::InvalidValue,
        reason: reason.into(),
    }
}

fn local_host(rest: &str) -> bool {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    host == "127.0.0.1" || host == "localhost"
}

/// Decodes and checks a subscribe request body.
pub fn parse(body: &[u8], dev_mode: bool) -> Result<PushSubscription, SubscriptionError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    let sub: PushSubscription = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let reason = e.inner().to_string();
        SubscriptionError {
            path: if path == "." { "$".into() } else { path },
            code: FieldErrorCode::of_serde(&reason),
            reason,
        }
    })?;
    check(&sub, dev_mode)?;
    Ok(sub)
}

/// Checks a decoded subscription.
pub fn check(sub: &PushSubscription, dev_mode: bool) -> Result<(), SubscriptionError> {
    let e = &sub.endpoint;
    if e.len() > MAX_ENDPOINT_CHARS {
        return Err(err(
            "endpoint",
            format!("longer than {MAX_ENDPOINT_CHARS} characters"),
        ));
    }
    if e.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(err("endpoint", "contains whitespace or control characters"));
    }
    let ok = match e.split_once("://") {
        Some(("https", rest)) => !rest.is_empty() && !rest.starts_with('/'),
        Some(("http", rest)) => dev_mode && local_host(rest),
        _ => false,
    };
    if !ok {
        return Err(err(
            "endpoint",
            "must be an https:// URL (http://127.0.0.1 or localhost only in dev mode)",
        ));
    }
    match b64url_decode(&sub.keys.p256dh) {
        Some(k) if k.len() == 65 && k[0] == 4 && PublicKey::from_sec1_bytes(&k).is_ok() => {}
        Some(k) if k.len() != 65 => {
            return Err(err(
                "keys.p256dh",
                format!("{} bytes, not a 65-byte uncompressed P-256 key", k.len()),
            ))
        }
        Some(_) => return Err(err("keys.p256dh", "not a point on P-256")),
        None => return Err(err("keys.p256dh", "not URL-safe base64")),
    }
    match b64url_decode(&sub.keys.auth) {
        Some(a) if a.len() == 16 => Ok(()),
        Some(a) => Err(err("keys.auth", format!("{} bytes, not 16", a.len()))),
        None => Err(err("keys.auth", "not URL-safe base64")),
    }
}
