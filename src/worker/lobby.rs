//! `POST {LOBBY_HOST}/api/internal/game-status {gameId, status}` with the bearer AUTH_SECRET
//! (`room::host::lobby` decides when), abandoned after `LOBBY_TIMEOUT_MS`.

use std::time::Duration;

use worker::wasm_bindgen_futures::spawn_local;
use worker::{AbortController, Delay, Env, Fetch, Headers, Method, Request, RequestInit};

use super::AUTH_SECRET;
use crate::room::host::{LobbyCall, LOBBY_TIMEOUT_MS};

/// The lobby's HTTP status, or why there is none.
pub(super) async fn notify(env: &Env, call: &LobbyCall) -> Result<u16, String> {
    let host = env
        .var("LOBBY_HOST")
        .map(|v| v.to_string())
        .map_err(|_| "LOBBY_HOST is not set".to_string())?;
    let url = format!(
        "{}/api/internal/game-status",
        host.trim().trim_end_matches('/')
    );
    let secret = env
        .secret(AUTH_SECRET)
        .map(|s| s.to_string())
        .map_err(|_| "AUTH_SECRET is not set".to_string())?;
    let headers = Headers::new();
    headers
        .set("Content-Type", "application/json")
        .map_err(|e| e.to_string())?;
    headers
        .set("Authorization", &format!("Bearer {secret}"))
        .map_err(|e| e.to_string())?;
    let body = serde_json::to_string(call).map_err(|e| e.to_string())?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    let request = Request::new_with_init(&url, &init).map_err(|e| e.to_string())?;
    let controller = AbortController::default();
    let signal = controller.signal();
    spawn_local(async move {
        Delay::from(Duration::from_millis(LOBBY_TIMEOUT_MS as u64)).await;
        controller.abort();
    });
    let response = Fetch::Request(request)
        .send_with_signal(&signal)
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    Ok(response.status_code())
}
