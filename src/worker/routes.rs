//! The Worker's `fetch`: `GET /health`, and the room routes, authenticated here and forwarded to
//! the Durable Object named by the game id (docs/protocol.md, "HTTP routes").
//!
//! - `GET  /health` → `{"ok":true,"engine":ENGINE_VERSION}`
//! - `POST /parties/game-server/:gameId/init`, `…/admin`, `…/player-joined`, `…/cleanup`,
//!   `GET …/journal`: Bearer AUTH_SECRET
//! - `GET  /parties/game-server` (the rooms, from D1) and `GET …/:gameId/verify` (D1's journal
//!   checked): Bearer AUTH_SECRET, answered here (`super::operator`), not by a room
//! - `GET  /parties/game-server/:gameId/state`: Bearer AUTH_SECRET or a player token of this game
//! - `GET  /parties/game-server/:gameId?token=JWT` (WebSocket): the token's signature
//!   (TOKEN_SECRET), expiry and game are checked here, so a request without a valid token never
//!   reaches (or creates) a Durable Object; it gets a socket closed at once with 4003. The room
//!   then checks the roster.
//!
//! Both secrets must meet `room::secrets` (32 bytes or more, distinct, not the committed dev
//! values outside `DEV_MODE=1`); one that does not counts as unset (503 AUTH_NOT_CONFIGURED).
//!
//! Every error body is `{"error":{"code":STABLE_CODE,"message":...}}` (`room::route::RouteError`).

use serde_json::json;
use worker::{console_error, event, Context, Date, Env, Method, Request, Response, WebSocketPair};

use super::{AUTH_SECRET, DO_BINDING};
use crate::checkpoint::{CheckpointKey, CHECKPOINT_KEY_ROUTE};
use crate::engine::ENGINE_VERSION;
use crate::room::route::{
    bearer_token, check_game_id, constant_time_eq, match_room_route, match_rooms_route, RoomAction,
    RouteError,
};
use crate::room::subscribe::match_push_route;
use crate::room::{secrets, token};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    match route(req, &env).await {
        Ok(resp) => Ok(resp),
        Err(err) => error_response(&err),
    }
}

/// The JSON body and status of a route error; INTERNAL errors are logged.
pub(super) fn error_response(err: &RouteError) -> worker::Result<Response> {
    if let RouteError::Internal(message) = err {
        console_error!("internal error: {}", message);
    }
    Ok(Response::from_json(&err.to_json())?.with_status(err.http_status()))
}

fn internal(err: worker::Error) -> RouteError {
    RouteError::Internal(err.to_string())
}

async fn route(req: Request, env: &Env) -> Result<Response, RouteError> {
    let path = req.path();
    let method = req.method();
    if path == "/health" {
        if method != Method::Get {
            return Err(RouteError::MethodNotAllowed(
                "/health accepts GET only".into(),
            ));
        }
        return Response::from_json(&json!({ "ok": true, "engine": ENGINE_VERSION }))
            .map_err(internal);
    }
    if path == CHECKPOINT_KEY_ROUTE {
        if method != Method::Get {
            return Err(RouteError::MethodNotAllowed(format!(
                "{CHECKPOINT_KEY_ROUTE} accepts GET only"
            )));
        }
        // Public: the signed-note verifier key of the checkpoints (docs/audit.md).
        let key = CheckpointKey::from_secret(&raw(env, crate::checkpoint::CHECKPOINT_KEY))
            .map_err(|_| RouteError::CheckpointKeyMissing)?;
        return Response::ok(format!("{}\n", key.verifier_key())).map_err(internal);
    }
    if let Some(push_route) = match_push_route(&path, method.as_ref()) {
        let push_route = push_route?;
        return super::push::route(req, env, push_route, &token_secret(env), dev_mode(env)).await;
    }
    if let Some(allowed) = match_rooms_route(&path, method.as_ref()) {
        allowed?;
        authorize(&req, env)?;
        return super::operator::rooms(&query_pairs(&req), env).await;
    }
    let (game_id, action) = match_room_route(&path, method.as_ref())?;
    match action {
        // A token that does not verify never reaches the room (the room checks the roster).
        RoomAction::Connect => {
            if let Some(refused) = refuse_connect(&req, env, game_id)? {
                return Ok(refused);
            }
        }
        // Bearer AUTH_SECRET or a player token for this game (the room checks the roster).
        RoomAction::State => authorize_state(&req, env, game_id)?,
        _ => authorize(&req, env)?,
    }
    check_game_id(game_id)?;
    if action == RoomAction::Verify {
        return super::operator::verify(game_id, env).await;
    }
    let namespace = env.durable_object(DO_BINDING).map_err(internal)?;
    let stub = namespace
        .id_from_name(game_id)
        .and_then(|id| id.get_stub())
        .map_err(internal)?;
    stub.fetch_with_request(req).await.map_err(internal)
}

/// The query string's pairs, decoded from the raw URL (`room::route::query_pairs`: no
/// `Request::url()` parse on the request path).
fn query_pairs(req: &Request) -> Vec<(String, String)> {
    crate::room::route::query_pairs(&req.inner().url())
}

fn raw(env: &Env, name: &str) -> String {
    env.secret(name).map(|s| s.to_string()).unwrap_or_default()
}

fn dev_mode(env: &Env) -> bool {
    secrets::dev_mode(
        env.var(secrets::DEV_MODE)
            .ok()
            .map(|v| v.to_string())
            .as_deref(),
    )
}

/// AUTH_SECRET if it meets `room::secrets`, else empty (logged).
fn secret(env: &Env) -> String {
    let (auth, token) = (raw(env, AUTH_SECRET), raw(env, secrets::TOKEN_SECRET));
    match secrets::auth_secret(&auth, &token, dev_mode(env)) {
        Ok(()) => auth,
        Err(e) => {
            console_error!("refusing operator routes: {}", e);
            String::new()
        }
    }
}

/// TOKEN_SECRET if it meets `room::secrets`, else empty (logged).
fn token_secret(env: &Env) -> String {
    let (auth, token) = (raw(env, AUTH_SECRET), raw(env, secrets::TOKEN_SECRET));
    match secrets::token_secret(&auth, &token, dev_mode(env)) {
        Ok(()) => token,
        Err(e) => {
            console_error!("refusing player tokens: {}", e);
            String::new()
        }
    }
}

fn now_s() -> i64 {
    Date::now().as_millis() as i64 / 1000
}

/// The start of the close reason of a socket refused here, before any room (docs/protocol.md).
const REFUSED_BY_WORKER: &str = "refused before the room: ";

/// `GET …/:gameId?token=JWT`: `None` when the token verifies for this game (forward to the
/// room), else the answer given here without touching a Durable Object: a WebSocket accepted
/// and closed at once with 4003 and the reason (clients see a close code, as from the room).
fn refuse_connect(req: &Request, env: &Env, game_id: &str) -> Result<Option<Response>, RouteError> {
    let upgrade = req
        .headers()
        .get("Upgrade")
        .ok()
        .flatten()
        .unwrap_or_default();
    if !upgrade.eq_ignore_ascii_case("websocket") {
        return Err(RouteError::UpgradeRequired);
    }
    check_game_id(game_id)?;
    let secret = token_secret(env);
    if secret.is_empty() {
        return Err(RouteError::AuthNotConfigured);
    }
    let t = query_pairs(req)
        .into_iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v)
        .unwrap_or_default();
    let why = match token::verify(secret.as_bytes(), &t, game_id, now_s()) {
        Ok(_) => return Ok(None),
        Err(e) => format!("{REFUSED_BY_WORKER}{e}"),
    };
    let pair = WebSocketPair::new().map_err(internal)?;
    pair.server.accept().map_err(internal)?;
    pair.server
        .close(Some(crate::room::host::CLOSE_AUTH), Some(why))
        .map_err(internal)?;
    Response::from_websocket(pair.client)
        .map(Some)
        .map_err(internal)
}

fn authorization(req: &Request) -> String {
    req.headers()
        .get("Authorization")
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Checks `Authorization: Bearer <AUTH_SECRET>`. Refuses everything while the secret is unset.
fn authorize(req: &Request, env: &Env) -> Result<(), RouteError> {
    let secret = secret(env);
    if secret.is_empty() {
        console_error!("AUTH_SECRET is not set: refusing authenticated routes");
        return Err(RouteError::AuthNotConfigured);
    }
    let header = authorization(req);
    let token = bearer_token(&header)
        .ok_or_else(|| RouteError::Unauthorized("missing bearer token".into()))?;
    if constant_time_eq(token.as_bytes(), secret.as_bytes()) {
        Ok(())
    } else {
        Err(RouteError::Unauthorized("invalid bearer token".into()))
    }
}

/// `GET …/state`: the bearer is AUTH_SECRET or a valid player token (TOKEN_SECRET) for this
/// game.
fn authorize_state(req: &Request, env: &Env, game_id: &str) -> Result<(), RouteError> {
    let secret = token_secret(env);
    let header = authorization(req);
    let is_player = bearer_token(&header).is_some_and(|t| {
        !secret.is_empty() && token::verify(secret.as_bytes(), t, game_id, now_s()).is_ok()
    });
    if is_player {
        Ok(())
    } else {
        authorize(req, env)
    }
}
