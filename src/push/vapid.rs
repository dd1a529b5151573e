//! RFC 8292 VAPID: the application server identifies itself to a push service with an ES256 JWT
//! `{aud, exp, sub}` signed by its P-256 key, sent as
//! `Authorization: vapid t=<jwt>, k=<base64url uncompressed public key>`. ECDSA signing here is
//! deterministic (RFC 6979), so a token depends only on its inputs.

use super::{b64url, b64url_decode};
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The Worker secret holding the VAPID private key: the 32-byte P-256 scalar in URL-safe base64
/// (the format `web-push generate-vapid-keys` prints).
pub const VAPID_PRIVATE_KEY: &str = "VAPID_PRIVATE_KEY";
/// The Worker variable naming the contact in every token's `sub` (`mailto:` or `https:`).
pub const VAPID_SUBJECT: &str = "VAPID_SUBJECT";
/// `sub` when VAPID_SUBJECT is unset.
pub const DEFAULT_SUBJECT: &str = "mailto:admin@localhost";
/// A token's lifetime (RFC 8292 §2: at most 24 hours).
pub const TOKEN_LIFETIME_SECS: i64 = 12 * 3600;
const HEADER_B64: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9"; // {"typ":"JWT","alg":"ES256"}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum VapidError {
    #[error("{VAPID_PRIVATE_KEY} is not a URL-safe base64 P-256 private key (32 bytes)")]
    BadKey,
    #[error("not a vapid Authorization header: {0}")]
    Format(&'static str),
    #[error("the VAPID signature does not verify")]
    Signature,
}

/// A token's claims.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The push service's origin (`https://host[:port]`).
    pub aud: String,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// The operator's contact.
    pub sub: String,
}

/// The application server's key.
#[derive(Clone, Debug)]
pub struct VapidKey {
    signing: SigningKey,
}

impl VapidKey {
    /// From the secret's text (URL-safe base64 of the 32-byte scalar, padding optional).
    pub fn from_base64(text: &str) -> Result<Self, VapidError> {
        let bytes = b64url_decode(text.trim()).ok_or(VapidError::BadKey)?;
        Self::from_bytes(&bytes)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VapidError> {
        if bytes.len() != 32 {
            return Err(VapidError::BadKey);
        }
        let signing = SigningKey::from_slice(bytes).map_err(|_| VapidError::BadKey)?;
        Ok(Self { signing })
    }

    /// The uncompressed public key (65 bytes): the browser's `applicationServerKey`.
    pub fn public_key(&self) -> [u8; 65] {
        let point = self.signing.verifying_key().to_encoded_point(false);
        let mut out = [0u8; 65];
        out.copy_from_slice(point.as_bytes());
        out
    }

    /// The public key in URL-safe base64 (served by `GET /push-key`, sent as `k=`).
    pub fn public_key_b64(&self) -> String {
        b64url(&self.public_key())
    }

    /// A signed token for `claims`.
    pub fn token(&self, claims: &Claims) -> String {
        let body = serde_json::to_vec(claims).expect("claims serialize");
        let signing_input = format!("{HEADER_B64}.{}", b64url(&body));
        let sig: Signature = self.signing.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", b64url(&sig.to_bytes()))
    }

    /// The `Authorization` header value for a push to `endpoint` at `now_secs`.
    pub fn authorization(&self, endpoint: &str, subject: &str, now_secs: i64) -> String {
        let claims = Claims {
            aud: audience(endpoint),
            exp: now_secs + TOKEN_LIFETIME_SECS,
            sub: subject.to_string(),
        };
        format!(
            "vapid t={}, k={}",
            self.token(&claims),
            self.public_key_b64()
        )
    }
}

/// The `aud` of a push to `endpoint`: its origin, `scheme://host[:port]`.
pub fn audience(endpoint: &str) -> String {
    let (scheme, rest) = endpoint.split_once("://").unwrap_or(("https", endpoint));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    format!("{scheme}://{authority}")
}

/// Checks an `Authorization: vapid t=…, k=…` value (what a push service does): the signature
/// against `k`, and returns the claims and the key. Expiry is the caller's to compare.
pub fn verify(header: &str) -> Result<(Claims, Vec<u8>), VapidError> {
    let rest = header
        .strip_prefix("vapid ")
        .ok_or(VapidError::Format("no vapid scheme"))?;
    let (mut t, mut k) = (None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = Some(v.trim()),
            Some(("k", v)) => k = Some(v.trim()),
            _ => {}
        }
    }
    let (t, k) = (
        t.ok_or(VapidError::Format("no t="))?,
        k.ok_or(VapidError::Format("no k="))?,
    );
    let key = b64url_decode(k).ok_or(VapidError::Format("k is not base64url"))?;
    let verifying = VerifyingKey::from_sec1_bytes(&key).map_err(|_| VapidError::Format("k"))?;
    let (signing_input, sig) = t
        .rsplit_once('.')
        .ok_or(VapidError::Format("t is not a JWT"))?;
    let (header, body) = signing_input
        .split_once('.')
        .ok_or(VapidError::Format("t is not a JWT"))?;
    let header: serde_json::Value =
        serde_json::from_slice(&b64url_decode(header).ok_or(VapidError::Format("header"))?)
            .map_err(|_| VapidError::Format("header"))?;
    if header.get("alg").and_then(|a| a.as_str()) != Some("ES256") {
        return Err(VapidError::Format("alg is not ES256"));
    }
    let sig = b64url_decode(sig).ok_or(VapidError::Format("signature"))?;
    let sig = Signature::from_slice(&sig).map_err(|_| VapidError::Signature)?;
    verifying
        .verify(signing_input.as_bytes(), &sig)
        .map_err(|_| VapidError::Signature)?;
    let claims = serde_json::from_slice(&b64url_decode(body).ok_or(VapidError::Format("body"))?)
        .map_err(|_| VapidError::Format("claims"))?;
    Ok((claims, key))
}
