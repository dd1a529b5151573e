//! The Worker's `fetch`: `GET /health`, and the room routes, authenticated here and forwarded to
//! the Durable Object named by the game id (docs/protocol.md, "HTTP routes").
//!
//! - `GET  /health` → `{"ok":true,"engine":ENGINE_VERSION}`
//! - `POST /parties/game-server/:gameId/init`, `…/admin`, `…/player-joined`, `…/cleanup`,
//!   `GET …/journal`: Bearer AUTH_SECRET
//! - `GET  /parties/game-server` (the rooms, from D1) and `GET …/:gameId/verify` (D1's journal
//!   checked): Bearer AUTH_SECRET, answered here (`super::operator`), not by a room
//! - `GET  /parties/game-server/:gameId/state`: Bearer AUTH_SECRET or a player token of this game
//! - `GET  /parties/game-server/:gameId?token=JWT` (WebSocket): the room checks the token itself
//!
//! Every error body is `{"error":{"code":STABLE_CODE,"message":...}}` (`room::route::RouteError`).

use serde_json::json;
use worker::{console_error, event, Context, Date, Env, Method, Request, Response};

use super::{AUTH_SECRET, DO_BINDING};
use crate::engine::ENGINE_VERSION;
use crate::room::route::{
    bearer_token, check_game_id, constant_time_eq, match_room_route, match_rooms_route, RoomAction,
    RouteError,
};
use crate::room::token;

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
    if let Some(allowed) = match_rooms_route(&path, method.as_ref()) {
        allowed?;
        authorize(&req, env)?;
        return super::operator::rooms(&query_pairs(&req), env).await;
    }
    let (game_id, action) = match_room_route(&path, method.as_ref())?;
    match action {
        // The room checks the token itself (and closes a bad one with 4003).
        RoomAction::Connect => {}
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

/// The query string's pairs, decoded (none when the URL cannot be read).
fn query_pairs(req: &Request) -> Vec<(String, String)> {
    req.url()
        .map(|url| {
            url.query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn secret(env: &Env) -> String {
    env.secret(AUTH_SECRET)
        .map(|s| s.to_string())
        .unwrap_or_default()
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

/// `GET …/state`: the bearer is AUTH_SECRET or a valid player token for this game.
fn authorize_state(req: &Request, env: &Env, game_id: &str) -> Result<(), RouteError> {
    let secret = secret(env);
    let header = authorization(req);
    let now_s = Date::now().as_millis() as i64 / 1000;
    let is_player = bearer_token(&header).is_some_and(|t| {
        !secret.is_empty() && token::verify(secret.as_bytes(), t, game_id, now_s).is_ok()
    });
    if is_player {
        Ok(())
    } else {
        authorize(req, env)
    }
}
