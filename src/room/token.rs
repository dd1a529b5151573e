//! Player tokens: HS256 JWTs `{sub, gameId, playerId, exp}` signed with AUTH_SECRET.
//!
//! Pure Rust (hmac + sha2), host-agnostic: the worker verifies, `po-token` and the tests mint.
//! The signature is compared in constant time (`Mac::verify_slice`).

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use thiserror::Error;

type HmacSha256 = Hmac<Sha256>;

/// Longest token accepted (bytes); longer ones are refused before any decoding.
pub const MAX_TOKEN_BYTES: usize = 2048;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(rename = "gameId")]
    pub game_id: String,
    #[serde(rename = "playerId")]
    pub player_id: String,
    /// Expiry, unix seconds.
    pub exp: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TokenError {
    #[error("no token")]
    Missing,
    #[error("token is not a well-formed HS256 JWT")]
    Malformed,
    #[error("token signature does not verify")]
    BadSignature,
    #[error("token has expired")]
    Expired,
    #[error("token is for another game")]
    WrongGame,
}

/// Signs `claims` as a compact HS256 JWT.
pub fn mint(secret: &[u8], claims: &Claims) -> String {
    let header = b64url_encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = b64url_encode(&serde_json::to_vec(claims).unwrap_or_default());
    let signing_input = format!("{header}.{payload}");
    let sig = sign(secret, signing_input.as_bytes());
    format!("{signing_input}.{}", b64url_encode(&sig))
}

fn sign(secret: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length: `new_from_slice` cannot fail for it.
    let mut mac = match HmacSha256::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => return Vec::new(),
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Verifies signature, expiry (`now_s` = unix seconds) and the game, and returns the claims.
pub fn verify(secret: &[u8], token: &str, game_id: &str, now_s: i64) -> Result<Claims, TokenError> {
    if token.is_empty() {
        return Err(TokenError::Missing);
    }
    if token.len() > MAX_TOKEN_BYTES || secret.is_empty() {
        return Err(TokenError::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    let header: serde_json::Value =
        serde_json::from_slice(&b64url_decode(h).ok_or(TokenError::Malformed)?)
            .map_err(|_| TokenError::Malformed)?;
    if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
        return Err(TokenError::Malformed);
    }
    let sig = b64url_decode(s).ok_or(TokenError::Malformed)?;
    let mut mac = HmacSha256::new_from_slice(secret).map_err(|_| TokenError::Malformed)?;
    mac.update(h.as_bytes());
    mac.update(b".");
    mac.update(p.as_bytes());
    mac.verify_slice(&sig)
        .map_err(|_| TokenError::BadSignature)?;
    let claims: Claims = serde_json::from_slice(&b64url_decode(p).ok_or(TokenError::Malformed)?)
        .map_err(|_| TokenError::Malformed)?;
    if claims.exp <= now_s {
        return Err(TokenError::Expired);
    }
    if claims.game_id != game_id {
        return Err(TokenError::WrongGame);
    }
    Ok(claims)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding.
pub fn b64url_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// base64url, padding optional; `None` on any other character.
pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if text.len() % 4 == 1 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(game: &str, exp: i64) -> Claims {
        Claims {
            sub: "u1".into(),
            game_id: game.into(),
            player_id: "p1".into(),
            exp,
        }
    }

    #[test]
    fn base64url_round_trips() {
        for n in 0..40u8 {
            let data: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
            assert_eq!(b64url_decode(&b64url_encode(&data)).unwrap(), data);
        }
        assert_eq!(b64url_encode(b"hi?"), "aGk_");
    }

    #[test]
    fn verifies_and_refuses() {
        let t = mint(b"s3cret", &claims("g1", 2000));
        assert_eq!(
            verify(b"s3cret", &t, "g1", 1000).unwrap(),
            claims("g1", 2000)
        );
        assert_eq!(
            verify(b"other", &t, "g1", 1000),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            verify(b"s3cret", &t, "g2", 1000),
            Err(TokenError::WrongGame)
        );
        assert_eq!(verify(b"s3cret", &t, "g1", 2000), Err(TokenError::Expired));
        assert_eq!(verify(b"s3cret", "", "g1", 0), Err(TokenError::Missing));
        assert_eq!(
            verify(b"s3cret", "a.b", "g1", 0),
            Err(TokenError::Malformed)
        );
        // A payload swapped under the same signature.
        let other = mint(b"s3cret", &claims("g2", 2000));
        let mut parts: Vec<&str> = t.split('.').collect();
        let p2 = other.split('.').nth(1).unwrap();
        parts[1] = p2;
        assert_eq!(
            verify(b"s3cret", &parts.join("."), "g2", 1000),
            Err(TokenError::BadSignature)
        );
        // alg none is refused.
        let none = format!(
            "{}.{}.",
            b64url_encode(br#"{"alg":"none"}"#),
            t.split('.').nth(1).unwrap()
        );
        assert_eq!(
            verify(b"s3cret", &none, "g1", 1000),
            Err(TokenError::Malformed)
        );
    }
}
