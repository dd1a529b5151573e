//! The host driven natively: a fake clock (every input at a time the test picks), a store whose
//! writes fail on demand ([`MemStore::fail_writes`]) and D1 answers injected as inputs. The rig
//! and storage failures here; the outbox, alarms and D1 rows in `persistence`; SYNC, presence,
//! the rate limit and frames in `sockets`.

mod checkpoints;
mod compaction;
mod delta;
mod delta_figures;
mod hibernation;
mod history;
mod lobby;
mod logs;
mod persistence;
mod push;
mod resume;
mod security;
mod sockets;
mod typing;

use super::*;
use crate::room::live::{MemStore, Meta};
use crate::room::token::{mint, Claims};
use serde_json::{json, Value};

/// AUTH_SECRET and TOKEN_SECRET of the rig (each at least `MIN_SECRET_BYTES`, and distinct).
const SECRET: &str = "host-test-auth-secret-0123456789abcdef";
const TOKEN_SECRET: &str = "host-test-token-secret-0123456789abcdef";
const GAME: &str = "g1";
/// 2026-11-30T00:00:00Z, a day before the games' start.
const T0: i64 = 1_796_083_200_000;

fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// The default configuration with [`SECRET`] and [`TOKEN_SECRET`].
fn config() -> HostConfig {
    config_with(&[])
}

/// [`config`] with extra vars.
fn config_with(vars: &[(&str, &str)]) -> HostConfig {
    HostConfig::from_vars(SECRET.into(), |k| {
        if k == "TOKEN_SECRET" {
            return Some(TOKEN_SECRET.into());
        }
        vars.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    })
}

fn init_body(scheduling: &str, start_ms: i64) -> String {
    let roster: Vec<Value> = (1..=4)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    json!({
        "manifest": { "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": scheduling,
                      "startTime": iso(start_ms), "schedulePreset": "SMOKE_TEST",
                      "days": [{ "voteType": "MAJORITY" }, { "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": roster,
    })
    .to_string()
}

/// A room host and the fake clock it is driven with.
struct Rig {
    host: Host<MemStore>,
    now: i64,
    /// The log lines of every step so far.
    logs: Vec<LogLine>,
}

impl Rig {
    fn new(config: HostConfig) -> Rig {
        Rig {
            host: Host::new(config, MemStore::default(), Vec::new()),
            now: T0,
            logs: Vec::new(),
        }
    }

    /// An ADMIN-scheduled room (no tasks), created at T0 with D1 confirming entry 1.
    fn admin_room() -> Rig {
        let mut rig = Rig::new(config());
        let fx = rig.create(&init_body("ADMIN", T0 + 86_400_000));
        rig.answer_d1(&fx, Ok(()));
        rig
    }

    /// A PRE_SCHEDULED room whose first task is due at `start`, created at T0 with D1
    /// confirming entry 1.
    fn timed_room(start: i64) -> Rig {
        let mut rig = Rig::new(config());
        let fx = rig.create(&init_body("PRE_SCHEDULED", start));
        rig.answer_d1(&fx, Ok(()));
        rig
    }

    /// One step's effects without its log lines, which go to [`Rig::logs`].
    fn step(&mut self, input: Input) -> Vec<Effect> {
        let (logs, fx): (Vec<Effect>, Vec<Effect>) = self
            .step_logged(input)
            .into_iter()
            .partition(|e| matches!(e, Effect::Log(_)));
        self.logs.extend(logs.into_iter().filter_map(|e| match e {
            Effect::Log(line) => Some(line),
            _ => None,
        }));
        fx
    }

    /// One step's effects, log lines included.
    fn step_logged(&mut self, input: Input) -> Vec<Effect> {
        self.host.handle(self.now, input)
    }

    fn advance(&mut self, ms: i64) {
        self.now += ms;
    }

    fn request(&mut self, method: &str, path: &str, body: &str) -> Request {
        let mut req = Request::new(method, &format!("/parties/game-server/{GAME}{path}"));
        req.authorization = format!("Bearer {SECRET}");
        req.body = Ok(body.as_bytes().to_vec());
        req.seed = Ok([7; 32]);
        req
    }

    fn http(&mut self, method: &str, path: &str, body: &str) -> Vec<Effect> {
        let req = self.request(method, path, body);
        self.step(Input::Http(req))
    }

    fn create(&mut self, body: &str) -> Vec<Effect> {
        let fx = self.http("POST", "/init", body);
        assert_eq!(reply(&fx).0, 201, "{fx:?}");
        fx
    }

    fn admin(&mut self, body: Value) -> Vec<Effect> {
        let fx = self.http("POST", "/admin", &body.to_string());
        assert_eq!(reply(&fx).0, 200, "{fx:?}");
        fx
    }

    fn inject(&mut self, action: &str) -> Vec<Effect> {
        self.admin(json!({ "type": "INJECT_TIMELINE_EVENT", "action": action }))
    }

    fn state(&mut self) -> Value {
        let fx = self.http("GET", "/state", "");
        reply(&fx).1
    }

    fn seq(&self) -> u64 {
        self.host.live().map_or(0, |l| l.room.seq())
    }

    /// Connects `player` with a token valid for a day; the socket's name.
    fn connect(&mut self, player: &str) -> String {
        let exp = self.now / 1000 + 86_400;
        let fx = self.connect_until(player, exp);
        match fx.first() {
            Some(Effect::Accept {
                socket,
                identity: Some(id),
            }) => {
                assert_eq!(id.player_id, player);
                socket.clone()
            }
            other => panic!("{player} was not accepted: {other:?}"),
        }
    }

    /// Asks to connect `player` with a token that expires at `exp` (unix seconds).
    fn connect_until(&mut self, player: &str, exp: i64) -> Vec<Effect> {
        let token = mint(
            TOKEN_SECRET.as_bytes(),
            &Claims {
                sub: format!("user-{player}"),
                game_id: GAME.into(),
                player_id: player.into(),
                exp,
            },
        );
        let mut req = self.request("GET", "", "");
        req.upgrade = "websocket".into();
        req.query = vec![("token".into(), token)];
        self.step(Input::Http(req))
    }

    fn identity(&self, socket: &str, player: &str) -> SocketId {
        SocketId {
            player_id: player.into(),
            cid: socket.into(),
            exp: self.now / 1000 + 86_400,
            delta: false,
            v: None,
        }
    }

    fn frame(&mut self, socket: &str, player: &str, text: &str) -> Vec<Effect> {
        let identity = Some(self.identity(socket, player));
        self.step(Input::Frame {
            socket: socket.into(),
            identity,
            data: text.as_bytes().to_vec(),
        })
    }

    /// Answers every D1 batch of `fx` (and of the batches that follow them) with `result`.
    fn answer_d1(&mut self, fx: &[Effect], result: Result<(), String>) -> Vec<Effect> {
        let mut all = Vec::new();
        let mut pending: Vec<D1Batch> = batches(fx);
        while let Some(b) = pending.pop() {
            let next = self.step(Input::D1Done {
                up_to: b.up_to,
                result: result.clone(),
            });
            pending.extend(batches(&next));
            all.extend(next);
        }
        all
    }

    fn meta(&self, key: Meta) -> Option<i64> {
        self.host.store().meta.get(&key).copied()
    }
}

fn reply(fx: &[Effect]) -> (u16, Value) {
    fx.iter()
        .find_map(|e| match e {
            Effect::Reply {
                status,
                body: ReplyBody::Json(text),
                ..
            } => Some((*status, serde_json::from_str(text).unwrap_or(Value::Null))),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no reply in {fx:?}"))
}

fn batches(fx: &[Effect]) -> Vec<D1Batch> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::WriteD1(b) => Some(b.clone()),
            _ => None,
        })
        .collect()
}

/// The frames `fx` sends to `socket`, parsed.
fn sent(fx: &[Effect], socket: &str) -> Vec<Value> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Send { socket: s, text } if s == socket => serde_json::from_str(text).ok(),
            _ => None,
        })
        .collect()
}

fn of_type(frames: &[Value], typ: &str) -> Vec<Value> {
    frames
        .iter()
        .filter(|f| f["type"] == typ)
        .cloned()
        .collect()
}

/// The alarm effect of `fx`: `Some(Some(t))` set at t, `Some(None)` deleted, `None` untouched.
fn alarm(fx: &[Effect]) -> Option<Option<i64>> {
    fx.iter().rev().find_map(|e| match e {
        Effect::SetAlarm(t) => Some(Some(*t)),
        Effect::ClearAlarm => Some(None),
        _ => None,
    })
}

fn silver(sync: &Value, id: &str) -> Value {
    sync["state"]["roster"]
        .as_array()
        .and_then(|r| r.iter().find(|p| p["id"] == id))
        .map(|p| p["silver"].clone())
        .unwrap_or(Value::Null)
}

const TRANSFER: &str = r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p2","amount":1}"#;

// ---------------------------------------------------------------------------------------------
// Storage failures

#[test]
fn nothing_is_acknowledged_when_a_store_write_fails() {
    let mut rig = Rig::admin_room();
    let s1 = rig.connect("p1");
    rig.inject("START_DAY");
    rig.inject("OPEN_GROUP_CHAT");
    rig.advance(1000);
    let seq = rig.seq();
    let rows = rig.host.store().journal.len();

    rig.host.store.fail_writes = true;
    let chat = r#"{"type":"SOCIAL.SEND_MSG","content":"hi","ref":"c1"}"#;
    let fx = rig.frame(&s1, "p1", chat);
    let frames = sent(&fx, &s1);
    assert_eq!(frames.len(), 1, "{fx:?}");
    assert_eq!(frames[0]["type"], "ERROR");
    assert_eq!(frames[0]["code"], "STORAGE_FAILED");
    assert_eq!(frames[0]["ref"], "c1");
    assert!(frames[0].get("seq").is_none(), "not journaled");
    assert!(batches(&fx).is_empty(), "nothing to send to D1");
    assert!(
        rig.host.live().is_none(),
        "memory ran ahead of storage: dropped"
    );
    // An admin input is refused the same way over HTTP.
    let fx = rig.http("POST", "/admin", r#"{"type":"NEXT_STAGE"}"#);
    assert_eq!(reply(&fx).0, 500);
    assert_eq!(reply(&fx).1["error"]["code"], "STORAGE_FAILED");
    assert_eq!(rig.host.store().journal.len(), rows, "nothing stored");

    // Storage is back: the room reloads from it and the chain continues where it was.
    rig.host.store.fail_writes = false;
    let fx = rig.frame(&s1, "p1", chat);
    let ack = sent(&fx, &s1).into_iter().find(|f| f["type"] == "ACK");
    assert_eq!(
        ack.as_ref().map(|a| a["seq"].clone()),
        Some(json!(seq + 1)),
        "{fx:?}"
    );
    // The ACK is a receipt: its head is the stored hash of the player's entry.
    let stored = rig
        .host
        .store()
        .journal
        .iter()
        .find(|e| e.seq == seq + 1)
        .expect("the acknowledged entry is stored");
    assert_eq!(
        ack.map(|a| a["head"].clone()),
        Some(json!(stored.hash.to_hex())),
        "{fx:?}"
    );
}
