//! Web Push (docs/push.md): message encryption (RFC 8291, [`ece`]), the application server's
//! VAPID identification (RFC 8292, [`vapid`]) and the subscriptions players register
//! ([`subscription`]). Pure functions: the caller passes every random byte (the ephemeral key and
//! salt) and the clock, so every output is reproducible and testable natively.

pub mod ece;
pub mod subscription;
pub mod triggers;
pub mod vapid;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// URL-safe base64 without padding (what the Push API and VAPID use).
pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes URL-safe base64, with or without padding (browsers' `toJSON()` omits it; some
/// libraries add it).
pub fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()
}
