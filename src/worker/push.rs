//! Web Push (docs/push.md): the push routes (`room::subscribe` says which and who) and the
//! delivery of a batch of pushes (`room::host::push` decides when): each push is encrypted for
//! its subscription (RFC 8291, fresh ephemeral key and salt from `crypto.getRandomValues`),
//! signed for the push service (RFC 8292 VAPID) and POSTed with `TTL`, concurrently, each
//! abandoned after `PUSH_REQUEST_TIMEOUT_MS`. 404, 410 and 403 delete the subscription.

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::future::join_all;
use serde_json::json;
use worker::wasm_bindgen::JsValue;
use worker::wasm_bindgen_futures::spawn_local;
use worker::{
    AbortController, Date, Delay, Env, Fetch, Headers, Method, Request, RequestInit, Response,
};

use super::D1_BINDING;
use crate::push::triggers::PushIntent;
use crate::push::vapid::{self, VapidKey, DEFAULT_SUBJECT, VAPID_PRIVATE_KEY, VAPID_SUBJECT};
use crate::push::{b64url_decode, ece, subscription};
use crate::room::host::{PushBatch, PushOutcome, PUSH_REQUEST_TIMEOUT_MS};
use crate::room::route::RouteError;
use crate::room::subscribe::{self, PushRoute, MAX_SUBSCRIBE_BODY};

fn now_ms() -> i64 {
    Date::now().as_millis() as i64
}

fn vapid_key(env: &Env) -> Option<VapidKey> {
    let text = env
        .secret(VAPID_PRIVATE_KEY)
        .or_else(|_| env.var(VAPID_PRIVATE_KEY))
        .ok()?
        .to_string();
    VapidKey::from_base64(&text).ok()
}

fn subject(env: &Env) -> String {
    env.var(VAPID_SUBJECT)
        .or_else(|_| env.secret(VAPID_SUBJECT))
        .map(|v| v.to_string())
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_SUBJECT.to_string())
}

fn internal(e: impl std::fmt::Display) -> RouteError {
    RouteError::Internal(e.to_string())
}

/// Answers a push route.
pub(super) async fn route(
    mut req: Request,
    env: &Env,
    route: PushRoute,
    token_secret: &str,
    dev_mode: bool,
) -> Result<Response, RouteError> {
    let key = vapid_key(env).ok_or(RouteError::PushKeyMissing)?;
    let (game_id, delete) = match route {
        PushRoute::Key => {
            return Response::from_json(&json!({ "publicKey": key.public_key_b64() }))
                .map_err(internal)
        }
        PushRoute::Subscription { game_id, delete } => (game_id, delete),
    };
    let authorization = req
        .headers()
        .get("Authorization")
        .ok()
        .flatten()
        .unwrap_or_default();
    let claims = subscribe::subscriber(
        token_secret,
        &authorization,
        game_id.as_deref(),
        now_ms() / 1000,
    )?;
    let db = env.d1(D1_BINDING).map_err(internal)?;
    let unavailable = |e: worker::Error| RouteError::D1Unavailable(e.to_string());
    let (game, player) = (
        JsValue::from_str(&claims.game_id),
        JsValue::from_str(&claims.player_id),
    );
    if delete {
        db.prepare(subscribe::DELETE_SQL)
            .bind(&[game, player])
            .map_err(unavailable)?
            .run()
            .await
            .map_err(unavailable)?;
        return Response::from_json(&json!({ "ok": true })).map_err(internal);
    }
    let body = req
        .bytes()
        .await
        .map_err(|e| RouteError::BadBody(e.to_string()))?;
    if body.len() > MAX_SUBSCRIBE_BODY {
        return Err(RouteError::BadBody(format!(
            "the body is over {MAX_SUBSCRIBE_BODY} bytes"
        )));
    }
    let sub = subscription::parse(&body, dev_mode).map_err(RouteError::InvalidSubscription)?;
    db.prepare(subscribe::UPSERT_SQL)
        .bind(&[
            game,
            player,
            JsValue::from_str(&claims.sub),
            JsValue::from_str(&sub.endpoint),
            JsValue::from_str(&sub.keys.p256dh),
            JsValue::from_str(&sub.keys.auth),
            JsValue::from_f64(now_ms() as f64),
        ])
        .map_err(unavailable)?
        .run()
        .await
        .map_err(unavailable)?;
    Response::from_json(&json!({ "ok": true })).map_err(internal)
}

/// A stored subscription.
struct Sub {
    endpoint: String,
    p256dh: Vec<u8>,
    auth: Vec<u8>,
}

async fn subscriptions(env: &Env, game_id: &str) -> Result<BTreeMap<String, Sub>, String> {
    let db = env.d1(D1_BINDING).map_err(|e| e.to_string())?;
    let statement = db
        .prepare(subscribe::SELECT_SQL)
        .bind(&[JsValue::from_str(game_id)])
        .map_err(|e| e.to_string())?;
    let rows = super::d1::all_rows(statement).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let text = |k: &str| r.get(k).and_then(|v| v.as_str()).map(str::to_string);
            Some((
                text("player_id")?,
                Sub {
                    endpoint: text("endpoint")?,
                    p256dh: b64url_decode(&text("p256dh")?)?,
                    auth: b64url_decode(&text("auth")?)?,
                },
            ))
        })
        .collect())
}

fn random<const N: usize>() -> Result<[u8; N], String> {
    let mut out = [0u8; N];
    getrandom::getrandom(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Encrypts `plaintext` for `sub` (draws a new ephemeral key in the rare case one is not a
/// valid scalar).
fn encrypt(plaintext: &[u8], sub: &Sub) -> Result<Vec<u8>, String> {
    for _ in 0..4 {
        let (key, salt) = (random::<32>()?, random::<16>()?);
        match ece::encrypt(plaintext, &sub.p256dh, &sub.auth, &key, &salt) {
            Err(ece::EceError::BadPrivateKey) => continue,
            other => return other.map_err(|e| e.to_string()),
        }
    }
    Err("no usable ephemeral key".into())
}

async fn send_one(
    env: &Env,
    auths: &BTreeMap<String, String>,
    game_id: &str,
    intent: &PushIntent,
    sub: Option<&Sub>,
) -> PushOutcome {
    let Some(sub) = sub else {
        return PushOutcome::NoSubscription;
    };
    let auth = auths
        .get(&vapid::audience(&sub.endpoint))
        .map_or("", String::as_str);
    match post(auth, game_id, intent, sub).await {
        Ok(code) if (200..300).contains(&code) => PushOutcome::Delivered,
        Ok(404 | 410 | 403) => {
            if let Err(e) = prune(env, game_id, &intent.player_id, &sub.endpoint).await {
                return PushOutcome::Failed(format!("pruning the subscription: {e}"));
            }
            PushOutcome::Pruned
        }
        Ok(code) => PushOutcome::Failed(format!("the push service answered {code}")),
        Err(e) => PushOutcome::Failed(e),
    }
}

async fn post(
    authorization: &str,
    game_id: &str,
    intent: &PushIntent,
    sub: &Sub,
) -> Result<u16, String> {
    let plaintext = serde_json::to_vec(&intent.message(game_id)).map_err(|e| e.to_string())?;
    let body = encrypt(&plaintext, sub)?;
    let headers = Headers::new();
    let set = |k: &str, v: &str| headers.set(k, v).map_err(|e| e.to_string());
    set("Content-Type", "application/octet-stream")?;
    set("Content-Encoding", "aes128gcm")?;
    set("TTL", &intent.ttl_s.to_string())?;
    set("Urgency", "normal")?;
    set("Authorization", authorization)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(js_sys_bytes(&body)));
    let request = Request::new_with_init(&sub.endpoint, &init).map_err(|e| e.to_string())?;
    let controller = AbortController::default();
    let signal = controller.signal();
    spawn_local(async move {
        Delay::from(Duration::from_millis(PUSH_REQUEST_TIMEOUT_MS as u64)).await;
        controller.abort();
    });
    let response = Fetch::Request(request)
        .send_with_signal(&signal)
        .await
        .map_err(|e| format!("push service: {e}"))?;
    Ok(response.status_code())
}

fn js_sys_bytes(bytes: &[u8]) -> JsValue {
    worker::js_sys::Uint8Array::from(bytes).into()
}

async fn prune(env: &Env, game_id: &str, player_id: &str, endpoint: &str) -> Result<(), String> {
    let db = env.d1(D1_BINDING).map_err(|e| e.to_string())?;
    db.prepare(subscribe::PRUNE_SQL)
        .bind(&[
            JsValue::from_str(game_id),
            JsValue::from_str(player_id),
            JsValue::from_str(endpoint),
        ])
        .map_err(|e| e.to_string())?
        .run()
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Sends a batch: the outcome of each push, in order, or why none could be sent.
pub(super) async fn send(env: &Env, batch: &PushBatch) -> Result<Vec<PushOutcome>, String> {
    let key = vapid_key(env).ok_or_else(|| format!("{VAPID_PRIVATE_KEY} is not usable"))?;
    let subject = subject(env);
    let subs = subscriptions(env, &batch.game_id).await?;
    // One VAPID token per push service (its origin) and batch: one signature, not one per push.
    let now_s = now_ms() / 1000;
    let auths: BTreeMap<String, String> = subs
        .values()
        .map(|s| {
            (
                vapid::audience(&s.endpoint),
                key.authorization(&s.endpoint, &subject, now_s),
            )
        })
        .collect();
    let sends = batch.intents.iter().map(|intent| {
        send_one(
            env,
            &auths,
            &batch.game_id,
            intent,
            subs.get(&intent.player_id),
        )
    });
    Ok(join_all(sends).await)
}
