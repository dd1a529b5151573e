//! The warm-up a fresh worker instance runs once, before its first request (docs/architecture.md,
//! "Cold start: the warm-up").
//!
//! V8 compiles a wasm function lazily, the first time it is called, so a fresh instance pays for
//! compiling the code a room's first request reaches (snapshot decode, tail fold, ticker,
//! projection, SYNC text, token check): measured under `wrangler dev` (BENCHMARKS.md, "Where the
//! cold SYNC's time goes"), this was most of a cold room's first SYNC, not the work itself.
//! [`warm_up`] drives a throw-away room through that path once, in memory ([`MemStore`]), so those
//! functions are compiled when the instance starts, not while a player waits.
//!
//! It is pure like the rest of the host: no clock (the time is given), no randomness (a fixed
//! seed), no storage, no effect performed; everything it builds is dropped.

use super::{Effect, Host, HostConfig, Input, ReplyBody, Request, SocketId};
use crate::journal::Entry;
use crate::limits::{COMPACT_EVERY, RATE_BURST, RATE_PER_S};
use crate::room::live::MemStore;
use crate::room::token::{mint, Claims};

const GAME: &str = "warm-up";
/// Distinct, 32 bytes or more (`room::secrets`); they sign nothing outside this module.
const SECRET: &str = "warm-up-operator-secret-0123456789abcdef";
const TOKEN_SECRET: &str = "warm-up-token-secret-0123456789abcdef";
const INIT: &str = r#"{"manifest":{"mode":"PECKING_ORDER","kind":"STATIC","scheduling":"ADMIN","startTime":"2026-12-01T09:00:00Z","schedulePreset":"SMOKE_TEST","days":[{"voteType":"MAJORITY"},{"voteType":"MAJORITY"},{"voteType":"FINALS"}]},"roster":[{"id":"p1","personaName":"Player 1"},{"id":"p2","personaName":"Player 2"},{"id":"p3","personaName":"Player 3"},{"id":"p4","personaName":"Player 4"}]}"#;

/// What the warm-up went through, for the caller (the worker warms its own row codec on the
/// entries) and the tests.
#[derive(Debug, Default)]
pub struct WarmUp {
    /// The journal rows the room kept.
    pub entries: Vec<Entry>,
    /// The seq of the room's snapshot (0: none).
    pub snapshot_seq: u64,
    /// The texts sent to sockets, in order.
    pub sent: Vec<String>,
    /// The bodies of the HTTP replies, in order.
    pub replies: Vec<String>,
}

/// Runs a throw-away room at `now_ms`: created, a day opened, a player's socket and enough chat
/// messages for a snapshot and a tail, the player and operator `GET …/state`; then a fresh host
/// over the same (in-memory) storage, as after a restart: a full SYNC from snapshot + tail, a
/// resumed delta socket and a chat message. Never fails: a step that errs only answers less.
pub fn warm_up(now_ms: i64) -> WarmUp {
    let config = HostConfig {
        secret: SECRET.into(),
        token_secret: TOKEN_SECRET.into(),
        rate_per_s: RATE_PER_S,
        rate_burst: RATE_BURST,
        dev_faults: false,
        checkpoint_key: None,
        lobby_host: None,
        push: false,
    };
    let mut out = WarmUp::default();
    let mut now = now_ms;
    let mut host = Host::new(config.clone(), MemStore::default(), Vec::new());
    step(
        &mut host,
        now,
        Input::Http(request("POST", "/init", INIT)),
        &mut out,
    );
    for action in ["START_DAY", "OPEN_GROUP_CHAT"] {
        let body = format!(r#"{{"type":"INJECT_TIMELINE_EVENT","action":"{action}"}}"#);
        step(
            &mut host,
            now,
            Input::Http(request("POST", "/admin", &body)),
            &mut out,
        );
    }
    let p1 = connect(&mut host, now, "p1", "", &mut out);
    // One more than a snapshot's worth: the reopened room has a snapshot and a tail to fold.
    for i in 0..=COMPACT_EVERY {
        now += 1_000;
        chat(&mut host, now, p1.as_ref(), i, &mut out);
    }
    let token = player_token(now, "p1");
    let mut state = request("GET", "/state", "");
    state.authorization = format!("Bearer {token}");
    step(&mut host, now, Input::Http(state), &mut out);
    step(
        &mut host,
        now,
        Input::Http(request("GET", "/state", "")),
        &mut out,
    );

    // As after a restart: a new host over the same storage.
    let store = host.store().clone();
    let head = host.live().map_or(0, |l| l.room.seq());
    let mut host = Host::new(config, store, Vec::new());
    now += 1_000;
    let p2 = connect(&mut host, now, "p2", "", &mut out);
    let resume = format!("&delta=1&v={}", head.saturating_sub(2));
    connect(&mut host, now, "p3", &resume, &mut out);
    now += 1_000;
    chat(&mut host, now, p2.as_ref(), 0, &mut out);
    out.entries = host.store().journal.clone();
    out.snapshot_seq = host.store().snapshot.as_ref().map_or(0, |s| s.1);
    out
}

/// One host step; what it sent and answered goes to `out`.
fn step(host: &mut Host<MemStore>, now: i64, input: Input, out: &mut WarmUp) {
    for effect in host.handle(now, input) {
        match effect {
            Effect::Send { text, .. } => out.sent.push(text),
            Effect::Reply { body, .. } => out.replies.push(match body {
                ReplyBody::Json(t) | ReplyBody::Ndjson(t) => t,
            }),
            _ => {}
        }
    }
}

fn request(method: &str, path: &str, body: &str) -> Request {
    let mut req = Request::new(method, &format!("/parties/game-server/{GAME}{path}"));
    req.authorization = format!("Bearer {SECRET}");
    req.body = Ok(body.as_bytes().to_vec());
    req.seed = Ok([7; 32]);
    req
}

fn player_token(now_ms: i64, player: &str) -> String {
    mint(
        TOKEN_SECRET.as_bytes(),
        &Claims {
            sub: format!("warm-up-{player}"),
            game_id: GAME.into(),
            player_id: player.into(),
            exp: now_ms / 1000 + 3_600,
        },
    )
}

/// Connects `player` (`extra`: more of the query, e.g. `&delta=1&v=7`); the accepted socket.
fn connect(
    host: &mut Host<MemStore>,
    now: i64,
    player: &str,
    extra: &str,
    out: &mut WarmUp,
) -> Option<SocketId> {
    let mut req = request("GET", "", "");
    req.upgrade = "websocket".into();
    req.query = vec![("token".into(), player_token(now, player))];
    for pair in extra.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        req.query.push((k.into(), v.into()));
    }
    let mut accepted = None;
    for effect in host.handle(now, Input::Http(req)) {
        match effect {
            Effect::Accept {
                identity: Some(id), ..
            } => accepted = Some(id),
            Effect::Send { text, .. } => out.sent.push(text),
            _ => {}
        }
    }
    accepted
}

fn chat(host: &mut Host<MemStore>, now: i64, socket: Option<&SocketId>, i: u64, out: &mut WarmUp) {
    let Some(id) = socket else {
        return;
    };
    let text = format!(r#"{{"type":"SOCIAL.SEND_MSG","content":"warm-up message {i}"}}"#);
    let input = Input::Frame {
        socket: id.cid.clone(),
        identity: Some(id.clone()),
        data: text.into_bytes(),
    };
    for effect in host.handle(now, input) {
        if let Effect::Send { text, .. } = effect {
            out.sent.push(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// 2026-11-30T00:00:00Z.
    const T0: i64 = 1_796_083_200_000;

    fn frames(w: &WarmUp, typ: &str) -> Vec<Value> {
        w.sent
            .iter()
            .filter_map(|t| serde_json::from_str::<Value>(t).ok())
            .filter(|v| v["type"] == typ)
            .collect()
    }

    /// The warm-up goes through the cold path it is meant to compile: a room reopened from a
    /// snapshot and a tail answers a full SYNC with the last message, a resumed socket a DELTA,
    /// and both `GET …/state` answer.
    #[test]
    fn warm_up_reopens_a_room_from_snapshot_and_tail() {
        let w = warm_up(T0);
        let syncs = frames(&w, "SYSTEM.SYNC");
        // p1's first SYNC, then p2's from the reopened room.
        assert!(syncs.len() >= 2, "{:?}", w.sent.len());
        let last = format!("warm-up message {COMPACT_EVERY}");
        assert!(
            syncs.last().is_some_and(|s| s.to_string().contains(&last)),
            "the reopened room lacks its last message"
        );
        assert!(!frames(&w, "SYSTEM.DELTA").is_empty());
        // The reopened room had a snapshot and a tail after it.
        let head = w.entries.last().map_or(0, |e| e.seq);
        assert!(
            w.snapshot_seq >= COMPACT_EVERY,
            "no snapshot: {}",
            w.snapshot_seq
        );
        assert!(head > w.snapshot_seq + 1, "no tail: head {head}");
        let player_state = w
            .replies
            .iter()
            .filter_map(|t| serde_json::from_str::<Value>(t).ok())
            .filter(|v| v.get("error").is_none())
            .count();
        // init, two admin answers, the player's and the operator's state.
        assert_eq!(player_state, 5, "{:?}", w.replies);
    }

    /// Same time, same room: nothing in it depends on anything but `now_ms`.
    #[test]
    fn warm_up_is_deterministic() {
        let (a, b) = (warm_up(T0), warm_up(T0));
        assert_eq!(a.sent, b.sent);
        assert_eq!(a.entries, b.entries);
    }
}
