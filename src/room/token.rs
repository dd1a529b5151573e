//! Player tokens: HS256 JWTs `{sub, gameId, playerId, exp}` signed with TOKEN_SECRET (never the
//! operator's AUTH_SECRET: docs/security.md).
//!
//! Pure Rust (hmac + sha2, base64), host-agnostic: the worker verifies, `po-token` and the tests
//! mint. The signature is compared in constant time (`Mac::verify_slice`). Segments are strict
//! base64url without padding (RFC 7515): `+`, `/`, `=` and non-zero spare bits are refused, so a
//! token has exactly one spelling. A header with `crit` (extensions the verifier would have to
//! understand) is refused, and so is a token that expires more than
//! [`MAX_TOKEN_LIFETIME_S`] from now.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use thiserror::Error;

type HmacSha256 = Hmac<Sha256>;

/// Longest token accepted (bytes); longer ones are refused before any decoding.
pub use crate::limits::MAX_TOKEN_BYTES;
/// Longest a token may live from the moment it is checked.
pub use crate::limits::MAX_TOKEN_LIFETIME_S;

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
    #[error("token header has a crit parameter: no extension is supported")]
    CriticalHeader,
    #[error("token expires more than {MAX_TOKEN_LIFETIME_S} seconds from now")]
    LifetimeTooLong,
}

/// Signs `claims` as a compact HS256 JWT.
pub fn mint(secret: &[u8], claims: &Claims) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let signing_input = format!("{header}.{payload}");
    let sig = sign(secret, signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

/// A base64url segment: `None` unless it is the one canonical spelling of its bytes.
fn decode(segment: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(segment).ok()
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
        serde_json::from_slice(&decode(h).ok_or(TokenError::Malformed)?)
            .map_err(|_| TokenError::Malformed)?;
    if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
        return Err(TokenError::Malformed);
    }
    if header.get("crit").is_some() {
        return Err(TokenError::CriticalHeader);
    }
    let sig = decode(s).ok_or(TokenError::Malformed)?;
    let mut mac = HmacSha256::new_from_slice(secret).map_err(|_| TokenError::Malformed)?;
    mac.update(h.as_bytes());
    mac.update(b".");
    mac.update(p.as_bytes());
    mac.verify_slice(&sig)
        .map_err(|_| TokenError::BadSignature)?;
    let claims: Claims = serde_json::from_slice(&decode(p).ok_or(TokenError::Malformed)?)
        .map_err(|_| TokenError::Malformed)?;
    if claims.exp <= now_s {
        return Err(TokenError::Expired);
    }
    if claims.exp > now_s.saturating_add(MAX_TOKEN_LIFETIME_S) {
        return Err(TokenError::LifetimeTooLong);
    }
    if claims.game_id != game_id {
        return Err(TokenError::WrongGame);
    }
    Ok(claims)
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

    /// `token` with its signature segment replaced by `f(signature)`.
    fn with_signature(token: &str, f: impl Fn(&str) -> String) -> String {
        let (signed, sig) = token.rsplit_once('.').unwrap();
        format!("{signed}.{}", f(sig))
    }

    #[test]
    fn one_token_has_one_spelling() {
        // A token whose signature uses both characters that differ between base64 alphabets.
        let t = (0..10_000)
            .map(|exp| mint(b"s3cret", &claims("g1", 2000 + exp)))
            .find(|t| {
                let sig = t.rsplit('.').next().unwrap();
                sig.contains('-') && sig.contains('_')
            })
            .expect("a signature with - and _");
        let exp = verify(b"s3cret", &t, "g1", 1000).unwrap().exp;
        assert!(exp >= 2000);
        let refused = |t: &str| {
            assert_eq!(
                verify(b"s3cret", t, "g1", 1000),
                Err(TokenError::Malformed),
                "{t}"
            )
        };
        // The standard alphabet's `+` and `/` for the URL-safe `-` and `_`.
        refused(&with_signature(&t, |s| s.replace('-', "+")));
        refused(&with_signature(&t, |s| s.replace('_', "/")));
        // Padding: 32 signature bytes are 43 characters, padded to 44.
        assert_eq!(t.rsplit('.').next().unwrap().len(), 43);
        refused(&with_signature(&t, |s| format!("{s}=")));
        // The last character carries 2 spare bits after the signature's 256: any other value of
        // them decodes to the same bytes with a lenient decoder.
        for spare in 1..4u8 {
            let forged = with_signature(&t, |s| {
                const ALPHABET: &[u8] =
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                let last = *s.as_bytes().last().unwrap();
                let v = ALPHABET.iter().position(|&c| c == last).unwrap() as u8;
                assert_eq!(v & 3, 0, "a canonical encoding has zero spare bits");
                let mut out = s[..s.len() - 1].to_string();
                out.push(ALPHABET[usize::from(v | spare)] as char);
                out
            });
            refused(&forged);
        }
        // The other segments are held to the same spelling.
        let (h, rest) = t.split_once('.').unwrap();
        refused(&format!("{h}=.{rest}"));
    }

    #[test]
    fn a_token_for_the_longest_ids_fits_the_size_limit() {
        let player = "p".repeat(crate::limits::PLAYER_ID_MAX_BYTES);
        let c = Claims {
            sub: format!("local-{player}"),
            game_id: "g".repeat(crate::limits::MAX_GAME_ID),
            player_id: player,
            exp: i64::MAX,
        };
        let t = mint(b"s3cret", &c);
        assert!(t.len() <= MAX_TOKEN_BYTES / 4, "{}", t.len());
        let now = i64::MAX - MAX_TOKEN_LIFETIME_S;
        assert_eq!(verify(b"s3cret", &t, &c.game_id, now), Ok(c));
    }

    #[test]
    fn a_crit_header_is_refused() {
        let c = claims("g1", 2000);
        let signed = |header: &[u8]| {
            let h = URL_SAFE_NO_PAD.encode(header);
            let p = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&c).unwrap());
            let input = format!("{h}.{p}");
            let sig = URL_SAFE_NO_PAD.encode(sign(b"s3cret", input.as_bytes()));
            format!("{input}.{sig}")
        };
        let plain = signed(br#"{"alg":"HS256","typ":"JWT"}"#);
        assert_eq!(verify(b"s3cret", &plain, "g1", 1000), Ok(c.clone()));
        let crit = signed(br#"{"alg":"HS256","crit":["exp"],"exp":1}"#);
        assert_eq!(
            verify(b"s3cret", &crit, "g1", 1000),
            Err(TokenError::CriticalHeader)
        );
    }

    #[test]
    fn a_token_may_live_at_most_the_lifetime_cap() {
        let now = 1_000_000;
        let at_cap = mint(b"s3cret", &claims("g1", now + MAX_TOKEN_LIFETIME_S));
        assert!(verify(b"s3cret", &at_cap, "g1", now).is_ok());
        for exp in [now + MAX_TOKEN_LIFETIME_S + 1, i64::MAX] {
            let long = mint(b"s3cret", &claims("g1", exp));
            assert_eq!(
                verify(b"s3cret", &long, "g1", now),
                Err(TokenError::LifetimeTooLong),
                "exp {exp}"
            );
        }
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
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
            t.split('.').nth(1).unwrap()
        );
        assert_eq!(
            verify(b"s3cret", &none, "g1", 1000),
            Err(TokenError::Malformed)
        );
    }
}
