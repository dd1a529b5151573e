//! RFC 8291 message encryption for Web Push with the `aes128gcm` content coding (RFC 8188): one
//! record of at most [`RECORD_SIZE`] bytes. Deterministic: the application server's ephemeral
//! private key and the salt are arguments.
//!
//! ```text
//! ecdh_secret = ECDH(as_private, ua_public)                     (x coordinate, 32 bytes)
//! IKM   = HKDF(salt = auth_secret, ikm = ecdh_secret,
//!              info = "WebPush: info" ‖ 0x00 ‖ ua_public ‖ as_public, 32)
//! CEK   = HKDF(salt, IKM, "Content-Encoding: aes128gcm" ‖ 0x00, 16)
//! NONCE = HKDF(salt, IKM, "Content-Encoding: nonce" ‖ 0x00, 12)
//! body  = salt(16) ‖ rs(u32 BE) ‖ idlen(1) = 65 ‖ as_public(65) ‖ AES-128-GCM(CEK, NONCE, plaintext ‖ 0x02)
//! ```

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use hkdf::Hkdf;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use sha2::Sha256;
use thiserror::Error;

/// The record size written in the header (RFC 8291 §4: push services must accept 4096).
pub const RECORD_SIZE: u32 = 4096;
/// Header bytes: salt, record size, key id length, the 65-byte uncompressed public key.
pub const HEADER_LEN: usize = 16 + 4 + 1 + 65;
/// Authentication tag bytes.
const TAG_LEN: usize = 16;
/// Longest plaintext that fits one record: the record holds plaintext, the 0x02 delimiter and the tag.
pub const MAX_PLAINTEXT: usize = RECORD_SIZE as usize - TAG_LEN - 1;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum EceError {
    #[error("the subscription's p256dh is not an uncompressed P-256 point")]
    BadPublicKey,
    #[error("the private key is not a P-256 scalar")]
    BadPrivateKey,
    #[error("the subscription's auth secret is {0} bytes, not 16")]
    BadAuth(usize),
    #[error("the plaintext is {0} bytes, more than one record holds ({MAX_PLAINTEXT})")]
    TooLong(usize),
    #[error("not an aes128gcm body: {0}")]
    Format(&'static str),
    #[error("decryption failed (wrong key or altered body)")]
    Decrypt,
}

struct Keys {
    cek: [u8; 16],
    nonce: [u8; 12],
}

fn derive(
    ecdh_secret: &[u8],
    auth: &[u8],
    salt: &[u8; 16],
    ua_public: &[u8],
    as_public: &[u8],
) -> Keys {
    let mut key_info = Vec::with_capacity(14 + 65 + 65);
    key_info.extend_from_slice(b"WebPush: info\0");
    key_info.extend_from_slice(ua_public);
    key_info.extend_from_slice(as_public);
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(auth), ecdh_secret)
        .expand(&key_info, &mut ikm)
        .expect("32 bytes is a valid HKDF-SHA256 length");
    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let mut keys = Keys {
        cek: [0; 16],
        nonce: [0; 12],
    };
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut keys.cek)
        .expect("16 bytes is a valid HKDF-SHA256 length");
    prk.expand(b"Content-Encoding: nonce\0", &mut keys.nonce)
        .expect("12 bytes is a valid HKDF-SHA256 length");
    keys
}

fn ecdh(private: &SecretKey, public: &PublicKey) -> [u8; 32] {
    let shared = p256::ecdh::diffie_hellman(private.to_nonzero_scalar(), public.as_affine());
    (*shared.raw_secret_bytes()).into()
}

fn public_key(bytes: &[u8]) -> Result<PublicKey, EceError> {
    if bytes.len() != 65 || bytes[0] != 0x04 {
        return Err(EceError::BadPublicKey);
    }
    PublicKey::from_sec1_bytes(bytes).map_err(|_| EceError::BadPublicKey)
}

/// The uncompressed (65-byte) public key of a P-256 private key.
pub fn public_of(private: &[u8; 32]) -> Result<[u8; 65], EceError> {
    let sk = SecretKey::from_slice(private).map_err(|_| EceError::BadPrivateKey)?;
    let point = sk.public_key().to_encoded_point(false);
    let mut out = [0u8; 65];
    out.copy_from_slice(point.as_bytes());
    Ok(out)
}

/// Encrypts `plaintext` for the subscription whose keys are `ua_public` (p256dh, 65 bytes) and
/// `auth` (16 bytes), with the ephemeral private key `as_private` and `salt` (both fresh random
/// bytes for every message; a key that is not a valid scalar is [`EceError::BadPrivateKey`]:
/// draw again).
pub fn encrypt(
    plaintext: &[u8],
    ua_public: &[u8],
    auth: &[u8],
    as_private: &[u8; 32],
    salt: &[u8; 16],
) -> Result<Vec<u8>, EceError> {
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(EceError::TooLong(plaintext.len()));
    }
    if auth.len() != 16 {
        return Err(EceError::BadAuth(auth.len()));
    }
    let ua = public_key(ua_public)?;
    let sk = SecretKey::from_slice(as_private).map_err(|_| EceError::BadPrivateKey)?;
    let as_public = sk.public_key().to_encoded_point(false);
    let keys = derive(&ecdh(&sk, &ua), auth, salt, ua_public, as_public.as_bytes());
    let mut record = Vec::with_capacity(plaintext.len() + 1);
    record.extend_from_slice(plaintext);
    record.push(0x02); // last (and only) record, no padding
    let cipher = Aes128Gcm::new(&keys.cek.into());
    let sealed = cipher
        .encrypt(Nonce::from_slice(&keys.nonce), record.as_slice())
        .map_err(|_| EceError::Decrypt)?;
    let mut out = Vec::with_capacity(HEADER_LEN + sealed.len());
    out.extend_from_slice(salt);
    out.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    out.push(65);
    out.extend_from_slice(as_public.as_bytes());
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Decrypts a one-record `aes128gcm` push body with the subscriber's private key and auth secret
/// (what a browser does; the tests and the local push endpoint of the end-to-end tests use it).
pub fn decrypt(body: &[u8], ua_private: &[u8; 32], auth: &[u8]) -> Result<Vec<u8>, EceError> {
    if body.len() < HEADER_LEN + TAG_LEN + 1 {
        return Err(EceError::Format("shorter than a header and one record"));
    }
    let salt: [u8; 16] = body[..16].try_into().expect("16 bytes");
    let rs = u32::from_be_bytes(body[16..20].try_into().expect("4 bytes"));
    if body[20] != 65 {
        return Err(EceError::Format("key id is not a 65-byte public key"));
    }
    let as_public = &body[21..HEADER_LEN];
    let sealed = &body[HEADER_LEN..];
    if sealed.len() > rs as usize {
        return Err(EceError::Format("more than one record"));
    }
    let sk = SecretKey::from_slice(ua_private).map_err(|_| EceError::BadPrivateKey)?;
    let ua_public = sk.public_key().to_encoded_point(false);
    let keys = derive(
        &ecdh(&sk, &public_key(as_public)?),
        auth,
        &salt,
        ua_public.as_bytes(),
        as_public,
    );
    let cipher = Aes128Gcm::new(&keys.cek.into());
    let mut record = cipher
        .decrypt(Nonce::from_slice(&keys.nonce), sealed)
        .map_err(|_| EceError::Decrypt)?;
    // Strip padding: trailing zeros, then the 0x02 last-record delimiter.
    while record.last() == Some(&0) {
        record.pop();
    }
    if record.pop() != Some(0x02) {
        return Err(EceError::Format("the record has no last-record delimiter"));
    }
    Ok(record)
}
