//! Web Push crypto (src/push, docs/push.md): RFC 8291 Appendix A's worked example byte for byte,
//! decryption, VAPID sign/verify, and subscription checks.

use pecking_order::push::ece::{self, EceError};
use pecking_order::push::subscription::{self, PushSubscription, SubscriptionKeys};
use pecking_order::push::vapid::{self, Claims, VapidKey};
use pecking_order::push::{b64url, b64url_decode};

// RFC 8291 Appendix A.
const PLAINTEXT: &str = "When I grow up, I want to be a watermelon";
const AS_PRIVATE: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
const AS_PUBLIC: &str =
    "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
const UA_PUBLIC: &str =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
const SALT: &str = "DGv6ra1nlYgDCS1FRnbzlw";
const MESSAGE: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

fn b(s: &str) -> Vec<u8> {
    b64url_decode(s).expect("base64url")
}
fn arr<const N: usize>(s: &str) -> [u8; N] {
    b(s).try_into().expect("length")
}

#[test]
fn rfc8291_appendix_a_encrypts_to_the_exact_message() {
    assert_eq!(
        ece::public_of(&arr(AS_PRIVATE)).unwrap().to_vec(),
        b(AS_PUBLIC)
    );
    assert_eq!(
        ece::public_of(&arr(UA_PRIVATE)).unwrap().to_vec(),
        b(UA_PUBLIC)
    );
    let body = ece::encrypt(
        PLAINTEXT.as_bytes(),
        &b(UA_PUBLIC),
        &b(AUTH),
        &arr(AS_PRIVATE),
        &arr(SALT),
    )
    .unwrap();
    assert_eq!(b64url(&body), MESSAGE);
}

#[test]
fn rfc8291_appendix_a_decrypts_with_the_subscriber_key() {
    let plain = ece::decrypt(&b(MESSAGE), &arr(UA_PRIVATE), &b(AUTH)).unwrap();
    assert_eq!(plain, PLAINTEXT.as_bytes());
    // Another auth secret, or one flipped byte, does not decrypt.
    let mut other = b(AUTH);
    other[0] ^= 1;
    assert_eq!(
        ece::decrypt(&b(MESSAGE), &arr(UA_PRIVATE), &other),
        Err(EceError::Decrypt)
    );
    let mut body = b(MESSAGE);
    let last = body.len() - 1;
    body[last] ^= 1;
    assert_eq!(
        ece::decrypt(&body, &arr(UA_PRIVATE), &b(AUTH)),
        Err(EceError::Decrypt)
    );
}

#[test]
fn encryption_refuses_bad_keys_and_oversized_plaintext() {
    let (ua, auth, sk, salt) = (b(UA_PUBLIC), b(AUTH), arr(AS_PRIVATE), arr(SALT));
    assert_eq!(
        ece::encrypt(&[0; ece::MAX_PLAINTEXT + 1], &ua, &auth, &sk, &salt),
        Err(EceError::TooLong(ece::MAX_PLAINTEXT + 1))
    );
    let big = ece::encrypt(&[7; ece::MAX_PLAINTEXT], &ua, &auth, &sk, &salt).unwrap();
    assert_eq!(big.len(), ece::HEADER_LEN + ece::RECORD_SIZE as usize);
    assert_eq!(
        ece::decrypt(&big, &arr(UA_PRIVATE), &auth).unwrap(),
        vec![7; ece::MAX_PLAINTEXT]
    );
    assert_eq!(
        ece::encrypt(b"x", &ua[..64], &auth, &sk, &salt),
        Err(EceError::BadPublicKey)
    );
    assert_eq!(
        ece::encrypt(b"x", &ua, &auth[..15], &sk, &salt),
        Err(EceError::BadAuth(15))
    );
    assert_eq!(
        ece::encrypt(b"x", &ua, &auth, &[0; 32], &salt),
        Err(EceError::BadPrivateKey)
    );
    assert!(ece::decrypt(&[0; 10], &arr(UA_PRIVATE), &auth).is_err());
}

#[test]
fn vapid_tokens_verify_against_the_public_key_and_carry_the_claims() {
    let key = VapidKey::from_base64(AS_PRIVATE).unwrap();
    assert_eq!(key.public_key_b64(), AS_PUBLIC);
    let header = key.authorization(
        "https://push.example.net:8443/wpush/v2/abc?x=1",
        "mailto:ops@example.org",
        1_700_000_000,
    );
    assert!(header.starts_with("vapid t="));
    let (claims, k) = vapid::verify(&header).unwrap();
    assert_eq!(k, b(AS_PUBLIC));
    assert_eq!(
        claims,
        Claims {
            aud: "https://push.example.net:8443".into(),
            exp: 1_700_000_000 + vapid::TOKEN_LIFETIME_SECS,
            sub: "mailto:ops@example.org".into(),
        }
    );
    // Deterministic (RFC 6979): the same inputs give the same token.
    assert_eq!(
        header,
        key.authorization(
            "https://push.example.net:8443/wpush/v2/abc?x=1",
            "mailto:ops@example.org",
            1_700_000_000
        )
    );
    // Another key's k, or altered claims, do not verify.
    let other = VapidKey::from_base64(UA_PRIVATE).unwrap();
    let forged = header.replace(AS_PUBLIC, &other.public_key_b64());
    assert_eq!(vapid::verify(&forged), Err(vapid::VapidError::Signature));
    let t = header
        .strip_prefix("vapid t=")
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    let parts: Vec<&str> = t.split('.').collect();
    let evil = b64url(br#"{"aud":"https://evil.example","exp":1,"sub":"mailto:x@y"}"#);
    let tampered = header.replace(parts[1], &evil);
    assert_eq!(vapid::verify(&tampered), Err(vapid::VapidError::Signature));
    assert!(VapidKey::from_base64("short").is_err());
    assert!(VapidKey::from_base64(&b64url(&[0; 32])).is_err());
}

fn sub(endpoint: &str, p256dh: &str, auth: &str) -> PushSubscription {
    PushSubscription {
        endpoint: endpoint.into(),
        expiration_time: None,
        keys: SubscriptionKeys {
            p256dh: p256dh.into(),
            auth: auth.into(),
        },
    }
}

#[test]
fn subscriptions_are_checked_field_by_field() {
    let ok = sub("https://fcm.googleapis.com/fcm/send/x", UA_PUBLIC, AUTH);
    assert_eq!(subscription::check(&ok, false), Ok(()));
    let path = |s: &PushSubscription, dev| subscription::check(s, dev).unwrap_err().path;
    assert_eq!(
        path(&sub("http://push.example/x", UA_PUBLIC, AUTH), true),
        "endpoint"
    );
    assert_eq!(
        path(&sub("ftp://push.example/x", UA_PUBLIC, AUTH), false),
        "endpoint"
    );
    assert_eq!(path(&sub("https:///x", UA_PUBLIC, AUTH), false), "endpoint");
    let local = sub("http://127.0.0.1:9999/push/1", UA_PUBLIC, AUTH);
    assert_eq!(path(&local, false), "endpoint");
    assert_eq!(subscription::check(&local, true), Ok(()));
    assert_eq!(
        path(&sub("https://a/x", &UA_PUBLIC[..80], AUTH), false),
        "keys.p256dh"
    );
    assert_eq!(path(&sub("https://a/x", "!!", AUTH), false), "keys.p256dh");
    assert_eq!(
        path(&sub("https://a/x", &b64url(&[4; 65]), AUTH), false),
        "keys.p256dh"
    );
    assert_eq!(
        path(&sub("https://a/x", UA_PUBLIC, "BTBZMqHH6r4Tts7J"), false),
        "keys.auth"
    );
    // Decoding errors name the path too.
    let e = subscription::parse(
        br#"{"endpoint":"https://a/x","keys":{"p256dh":"x"}}"#,
        false,
    )
    .unwrap_err();
    assert_eq!(e.path, "keys");
    let e = subscription::parse(br#"{"endpoint":7}"#, false).unwrap_err();
    assert_eq!(e.path, "endpoint");
    let body = format!(
        r#"{{"endpoint":"https://a/x","expirationTime":null,"keys":{{"p256dh":"{UA_PUBLIC}","auth":"{AUTH}="}}}}"#
    );
    assert!(subscription::parse(body.as_bytes(), false).is_ok());
}
