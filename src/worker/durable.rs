//! The `GameRoom` Durable Object: each workers-rs event becomes an input of the room host
//! (`room::host::Host`) at `Date::now()`, and the effects it returns are performed here, in
//! order. Writing to D1 and waiting for the trailing-SYNC timer complete later: their outcome is
//! the next input. No decision is taken here.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::Duration;

use worker::js_sys::{Function, Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{
    console_error, console_log, durable_object, Date, Delay, DurableObject, Env, Request, Response,
    ScheduledTime, State, WebSocket, WebSocketIncomingMessage,
};

use super::routes::error_response;
use super::sockets::Sockets;
use super::store::DoStore;
use super::{d1, AUTH_SECRET};
use crate::room::host::{self, Effect, Host, HostConfig, Input, Outcome, ReplyBody};
use crate::room::route::RouteError;

/// One game room (docs/architecture.md, "The live room in the worker"). The host, with the room
/// loaded in it, stays in memory between events; a fresh instance (cold start, hibernation,
/// restart) builds a new one over the same storage and sockets.
#[durable_object]
pub struct GameRoom {
    state: State,
    env: Env,
    host: RefCell<Option<Host<DoStore>>>,
    sockets: Sockets,
}

/// An effect that completes later.
enum Later {
    D1(host::D1Batch),
    Read(host::D1Read),
    Timer(i64),
    Lobby(host::LobbyCall),
    Pushes(host::PushBatch),
}

fn now_ms() -> i64 {
    Date::now().as_millis() as i64
}

impl DurableObject for GameRoom {
    /// Must stay cheap and side-effect free: no storage access, and never arm alarms here.
    fn new(state: State, env: Env) -> Self {
        GameRoom {
            state,
            env,
            host: RefCell::new(None),
            sockets: Sockets::default(),
        }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let mut request = room_request(&mut req).await;
        self.with_wallet_gold(&mut request).await;
        let input = Input::Http(request);
        match self.drive(input).await {
            Some(response) => response,
            None => error_response(&RouteError::Internal("the room did not answer".into())),
        }
    }

    async fn alarm(&self) -> worker::Result<Response> {
        self.drive(Input::Alarm).await;
        Response::ok("")
    }

    async fn websocket_message(
        &self,
        ws: WebSocket,
        message: WebSocketIncomingMessage,
    ) -> worker::Result<()> {
        let (socket, identity) = self.sockets.identify(&ws);
        let data = match message {
            WebSocketIncomingMessage::String(s) => s.into_bytes(),
            WebSocketIncomingMessage::Binary(b) => b,
        };
        self.drive(Input::Frame {
            socket,
            identity,
            data,
        })
        .await;
        Ok(())
    }

    async fn websocket_close(
        &self,
        ws: WebSocket,
        _code: usize,
        _reason: String,
        _was_clean: bool,
    ) -> worker::Result<()> {
        self.socket_gone(&ws, true).await;
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: worker::Error) -> worker::Result<()> {
        self.socket_gone(&ws, false).await;
        Ok(())
    }
}

impl GameRoom {
    /// `…/init` and `…/player-joined` from the operator: each player's gold becomes their wallet
    /// balance in D1 (`room::wallet`). If D1 cannot answer, the body stays as sent (logged).
    async fn with_wallet_gold(&self, request: &mut host::Request) {
        use crate::room::route::{is_bearer, parse_room_route, RoomAction};
        let Ok((_, action)) = parse_room_route(&request.path, &request.method) else {
            return;
        };
        if !matches!(action, RoomAction::Init | RoomAction::PlayerJoined) {
            return;
        }
        let secret = self
            .env
            .secret(AUTH_SECRET)
            .map(|s| s.to_string())
            .unwrap_or_default();
        if secret.is_empty() || !is_bearer(&request.authorization, &secret) {
            return;
        }
        let Ok(body) = request.body.as_ref() else {
            return;
        };
        let users = crate::room::wallet::wallet_users(action, body);
        if users.is_empty() {
            return;
        }
        match d1::wallet_balances(&self.env, &users).await {
            Ok(balances) => {
                if let Some(b) = crate::room::wallet::with_wallet_gold(action, body, &balances) {
                    request.body = Ok(b);
                }
            }
            Err(e) => console_error!("wallet gold not read from D1 (gold kept as sent): {e}"),
        }
    }

    async fn socket_gone(&self, ws: &WebSocket, echo: bool) {
        let (socket, identity) = self.sockets.identify(ws);
        self.drive(Input::SocketGone {
            socket: socket.clone(),
            identity,
            echo,
        })
        .await;
        self.sockets.forget(&socket);
    }

    /// One host step at the current time (the host is built on the instance's first event).
    fn step(&self, input: Input) -> Vec<Effect> {
        let mut guard = self.host.borrow_mut();
        let host = guard.get_or_insert_with(|| {
            let secret = self
                .env
                .secret(AUTH_SECRET)
                .map(|s| s.to_string())
                .unwrap_or_default();
            // Secrets (CHECKPOINT_KEY) and vars are read alike.
            let config = HostConfig::from_vars(secret, |k| {
                self.env
                    .var(k)
                    .or_else(|_| self.env.secret(k))
                    .ok()
                    .map(|v| v.to_string())
            });
            let store = DoStore::new(self.state.storage().sql());
            Host::new(config, store, self.sockets.restore(&self.state))
        });
        host.handle(now_ms(), input)
    }

    /// Feeds `input` to the host and performs its effects, then those of the inputs they lead
    /// to (D1's answer, the timer), until none is left. Returns the answer to an HTTP request.
    async fn drive(&self, input: Input) -> Option<worker::Result<Response>> {
        let mut reply = None;
        let mut later = VecDeque::new();
        let mut next = Some(input);
        while let Some(input) = next.take() {
            for effect in self.step(input) {
                match effect {
                    Effect::Reply {
                        status,
                        headers,
                        body,
                    } => reply = Some(response(status, &headers, body)),
                    Effect::Accept { socket, identity } => {
                        reply = Some(self.sockets.accept(&self.state, socket, identity.as_ref()));
                    }
                    Effect::Send { socket, text } => self.sockets.send(&socket, &text),
                    Effect::Attach { identity } => self.sockets.attach(&identity),
                    Effect::Close {
                        socket,
                        code,
                        reason,
                    } => self.sockets.close(&socket, code, &reason),
                    Effect::SetAlarm(at) => {
                        let date = worker::js_sys::Date::new(&JsValue::from_f64(at as f64));
                        let storage = self.state.storage();
                        if let Err(e) = storage.set_alarm(ScheduledTime::new(date)).await {
                            next = Some(Input::AlarmFailed(e.to_string()));
                        }
                    }
                    Effect::ClearAlarm => {
                        if let Err(e) = self.state.storage().delete_alarm().await {
                            next = Some(Input::AlarmFailed(e.to_string()));
                        }
                    }
                    Effect::Log(line) if line.outcome == Outcome::Failed => {
                        console_error!("{}", line.to_text())
                    }
                    Effect::Log(line) => console_log!("{}", line.to_text()),
                    Effect::WriteD1(batch) => later.push_back(Later::D1(batch)),
                    Effect::ReadD1(read) => later.push_back(Later::Read(read)),
                    Effect::StartTimer(at) => later.push_back(Later::Timer(at)),
                    Effect::NotifyLobby(call) => later.push_back(Later::Lobby(call)),
                    Effect::SendPushes(batch) => later.push_back(Later::Pushes(batch)),
                }
            }
            if next.is_none() {
                next = match later.pop_front() {
                    Some(Later::D1(batch)) => Some(Input::D1Done {
                        up_to: batch.up_to,
                        result: d1::write(&self.env, &batch).await,
                    }),
                    Some(Later::Read(read)) => {
                        let result = d1::read(&self.env, &read).await;
                        Some(Input::D1Read { read, result })
                    }
                    Some(Later::Lobby(call)) => {
                        let result = super::lobby::notify(&self.env, &call).await;
                        Some(Input::LobbyDone {
                            status: call.status,
                            result,
                        })
                    }
                    Some(Later::Pushes(batch)) => {
                        Some(Input::PushDone(super::push::send(&self.env, &batch).await))
                    }
                    Some(Later::Timer(at)) => {
                        let wait = at - now_ms();
                        if wait > 0 {
                            Delay::from(Duration::from_millis(wait as u64)).await;
                        }
                        Some(Input::Timer)
                    }
                    None => None,
                };
            }
        }
        reply
    }
}

fn response(
    status: u16,
    headers: &[(String, String)],
    body: ReplyBody,
) -> worker::Result<Response> {
    let (text, content_type) = match body {
        ReplyBody::Json(text) => (text, "application/json"),
        ReplyBody::Ndjson(text) => (text, "application/x-ndjson"),
    };
    let mut resp = Response::from_bytes(text.into_bytes())?.with_status(status);
    resp.headers_mut().set("Content-Type", content_type)?;
    for (name, value) in headers {
        resp.headers_mut().set(name, value)?;
    }
    Ok(resp)
}

/// The request as the host reads it. The body is read before the host sees it, so a route's
/// storage check and writes happen in one step with no await between them.
async fn room_request(req: &mut Request) -> host::Request {
    let mut out = host::Request::new(req.method().as_ref(), &req.path());
    let header = |name: &str| req.headers().get(name).ok().flatten().unwrap_or_default();
    out.authorization = header("Authorization");
    out.upgrade = header("Upgrade");
    out.query = crate::room::route::query_pairs(&req.inner().url());
    if out.method == "POST" {
        out.body = req.bytes().await.map_err(|e| e.to_string());
        out.seed = random_seed();
    }
    out
}

/// 32 bytes from `crypto.getRandomValues` (the Workers runtime's CSPRNG).
fn random_seed() -> Result<[u8; 32], String> {
    let global = worker::js_sys::global();
    let crypto = Reflect::get(&global, &JsValue::from_str("crypto"))
        .map_err(|_| "globalThis.crypto is unavailable".to_string())?;
    let get_random_values: Function = Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| "crypto.getRandomValues is unavailable".to_string())?;
    let buf = Uint8Array::new_with_length(32);
    get_random_values
        .call1(&crypto, &buf)
        .map_err(|_| "crypto.getRandomValues failed".to_string())?;
    let seed: [u8; 32] = buf
        .to_vec()
        .try_into()
        .map_err(|_| "crypto.getRandomValues returned the wrong length".to_string())?;
    if seed == [0u8; 32] {
        return Err("crypto.getRandomValues returned zeros".into());
    }
    Ok(seed)
}
