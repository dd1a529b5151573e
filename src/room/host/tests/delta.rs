//! SYSTEM.DELTA frames and resume (docs/protocol.md, "Delta frames", "Resume"): a client that
//! applies what it receives to its first SYNC always holds exactly the projection the server
//! would send it, for every player, across reconnects with stale, future and bad versions.

use super::hibernation::Attachments;
use super::*;
use crate::limits::RESUME_VERSIONS;
use crate::room::delta::DeltaOp;

/// A client as docs/protocol.md describes it: the projection and the version it holds.
#[derive(Clone, Debug)]
pub(super) struct Client {
    pub(super) player: String,
    pub(super) socket: String,
    pub(super) state: Value,
    pub(super) v: u64,
    /// It saw a DELTA whose base it did not hold (it would ask for SYSTEM.RESYNC).
    gap: bool,
    /// Every (version, projection) it held, oldest first: a stale resume goes back to one.
    held: Vec<(u64, Value)>,
}

impl Client {
    /// Applies the frames `fx` sends to this client's socket; whether a SYNC or DELTA came.
    pub(super) fn take(&mut self, fx: &[Effect], rig: &Rig) -> bool {
        let mut got = false;
        for f in sent(fx, &self.socket) {
            match f["type"].as_str() {
                Some("SYSTEM.SYNC") => {
                    self.state = f["state"].clone();
                    self.v = f["v"].as_u64().unwrap();
                    self.gap = false;
                    got = true;
                    self.held.push((self.v, self.state.clone()));
                }
                Some("SYSTEM.DELTA") => {
                    got = true;
                    let base = f["base"].as_u64().unwrap();
                    if base != self.v {
                        self.gap = true;
                        continue;
                    }
                    let ops: Vec<DeltaOp> = serde_json::from_value(f["ops"].clone()).unwrap();
                    // The secrets rule: every value a delta carries is part of the projection the
                    // player would get whole at this moment.
                    let full = rig.projection(&self.player);
                    for op in &ops {
                        if let DeltaOp::Add { value, .. } | DeltaOp::Replace { value, .. } = op {
                            assert!(contains(&full, value), "{value} not in {full}");
                        }
                    }
                    // Applied by an independent RFC 6902 implementation.
                    let patch: json_patch::Patch =
                        serde_json::from_value(f["ops"].clone()).unwrap();
                    json_patch::patch(&mut self.state, &patch).unwrap();
                    self.v = f["v"].as_u64().unwrap();
                    self.held.push((self.v, self.state.clone()));
                }
                _ => {}
            }
        }
        got
    }
}

fn contains(doc: &Value, part: &Value) -> bool {
    doc == part
        || match doc {
            Value::Array(a) => a.iter().any(|x| contains(x, part)),
            Value::Object(o) => o.values().any(|x| contains(x, part)),
            _ => false,
        }
}

impl Rig {
    pub(super) fn projection(&self, player: &str) -> Value {
        self.host
            .live()
            .map(|l| l.room.projection(Some(player)))
            .unwrap_or(Value::Null)
    }

    /// Connects `player` asking for deltas, with `v` as the resume version when given.
    pub(super) fn connect_delta(&mut self, player: &str, v: Option<&str>) -> (String, Vec<Effect>) {
        let token = mint(
            TOKEN_SECRET.as_bytes(),
            &Claims {
                sub: format!("user-{player}"),
                game_id: GAME.into(),
                player_id: player.into(),
                exp: self.now / 1000 + 86_400,
            },
        );
        let mut req = self.request("GET", "", "");
        req.upgrade = "websocket".into();
        req.query = vec![("token".into(), token), ("delta".into(), "1".into())];
        if let Some(v) = v {
            req.query.push(("v".into(), v.into()));
        }
        let fx = self.step(Input::Http(req));
        match fx.first() {
            Some(Effect::Accept {
                socket,
                identity: Some(id),
            }) => {
                assert!(id.delta);
                (socket.clone(), fx)
            }
            other => panic!("{player} was not accepted: {other:?}"),
        }
    }

    /// A delta client for `player`, resuming from `v` when given.
    pub(super) fn delta_client(&mut self, player: &str, v: Option<&str>) -> (Client, Vec<Effect>) {
        let (socket, fx) = self.connect_delta(player, v);
        let mut c = Client {
            player: player.into(),
            socket,
            state: Value::Null,
            v: 0,
            gap: false,
            held: Vec::new(),
        };
        if v.is_none() {
            assert_eq!(sent(&fx, &c.socket)[0]["type"], "SYSTEM.SYNC");
        }
        c.take(&fx, self);
        (c, fx)
    }

    /// Lets the trailing broadcast go; its effects.
    pub(super) fn settle(&mut self) -> Vec<Effect> {
        self.advance(SYNC_INTERVAL_MS);
        self.step(Input::Timer)
    }
}

pub(super) fn frame_types(fx: &[Effect], socket: &str) -> Vec<String> {
    sent(fx, socket)
        .iter()
        .filter_map(|f| f["type"].as_str().map(str::to_string))
        .filter(|t| t.starts_with("SYSTEM."))
        .collect()
}

pub(super) fn started_room() -> Rig {
    let mut rig = Rig::admin_room();
    rig.inject("START_DAY");
    rig.inject("OPEN_GROUP_CHAT");
    rig.settle();
    rig.advance(1000);
    rig
}

#[test]
fn after_the_first_sync_a_delta_socket_gets_deltas_and_a_bystander_pays_little() {
    let mut rig = started_room();
    let (mut c2, _) = rig.delta_client("p2", None);
    let plain = rig.connect("p3");
    let s1 = rig.connect("p1");
    let msg = r#"{"type":"SOCIAL.SEND_MSG","content":"a forty character message, give or take.."}"#;
    for i in 0..40 {
        rig.advance(1000);
        let fx = rig.frame(&s1, "p1", msg);
        assert!(c2.take(&fx, &rig), "message {i}");
        assert_eq!(frame_types(&fx, &c2.socket), ["SYSTEM.DELTA"]);
        assert_eq!(frame_types(&fx, &plain), ["SYSTEM.SYNC"], "without delta=1");
        let delta = sent(&fx, &c2.socket)
            .into_iter()
            .find(|f| f["type"] == "SYSTEM.DELTA")
            .unwrap();
        assert_eq!(delta["ops"].as_array().unwrap().len(), 1, "{delta}");
        assert_eq!(delta["ops"][0]["path"], "/chat/-");
        let bytes = serde_json::to_string(&delta).unwrap().len();
        assert!(bytes < 512, "{bytes} bytes: {delta}");
        assert_eq!(c2.state, rig.projection("p2"));
        assert_eq!(c2.v, rig.seq());
    }
    // A transfer between two others: a few hundred bytes at most.
    rig.advance(1000);
    let fx = rig.frame(&s1, "p1", TRANSFER);
    c2.take(&fx, &rig);
    let delta = &sent(&fx, &c2.socket)[0];
    assert!(delta.to_string().len() < 256, "{delta}");
    assert_eq!(c2.state, rig.projection("p2"));
}

#[test]
fn a_change_a_player_cannot_see_sends_their_delta_socket_nothing() {
    let mut rig = started_room();
    let (c3, _) = rig.delta_client("p3", None);
    let s1 = rig.connect("p1");
    rig.advance(1000);
    // A refused action (p1 sends more silver than they have) changes nobody's view.
    let fx = rig.frame(
        &s1,
        "p1",
        r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p2","amount":100000}"#,
    );
    assert!(frame_types(&fx, &c3.socket).is_empty(), "{fx:?}");
    assert!(frame_types(&rig.settle(), &c3.socket).is_empty());
}

#[test]
fn a_resume_from_a_version_the_room_holds_or_rebuilds_is_a_delta_and_anything_else_a_full_sync() {
    let mut rig = started_room();
    let s1 = rig.connect("p1");
    let (c2, _) = rig.delta_client("p2", None);
    let held = c2.v;
    let _ = rig.step(Input::SocketGone {
        socket: c2.socket.clone(),
        identity: Some(rig.identity(&c2.socket, "p2")),
        echo: false,
    });
    for _ in 0..5 {
        rig.advance(1000);
        rig.frame(
            &s1,
            "p1",
            r#"{"type":"SOCIAL.SEND_MSG","content":"while you were away"}"#,
        );
    }
    rig.settle();
    let (c, fx) = rig.delta_client("p2", Some(&held.to_string()));
    assert_eq!(frame_types(&fx, &c.socket), ["SYSTEM.DELTA"]);
    let d = &sent(&fx, &c.socket)[0];
    assert_eq!(d["base"], json!(held));
    assert_eq!(d["ops"].as_array().unwrap().len(), 5);
    let mut resumed = c2.clone();
    resumed.socket = c.socket.clone();
    resumed.take(&fx, &rig);
    assert_eq!(resumed.state, rig.projection("p2"));
    // Nothing changed since: a DELTA without operations, still carrying the version.
    let (c, fx) = rig.delta_client("p2", Some(&rig.seq().to_string()));
    let d = &sent(&fx, &c.socket)[0];
    assert_eq!(d["type"], "SYSTEM.DELTA");
    assert_eq!(d["ops"], json!([]));
    // Ahead of the room, negative, not a number, older than the stored snapshot (the room's
    // first, at seq 1, with no previous one): a full SYNC.
    assert_eq!(rig.host.live().unwrap().snapshot_seq(), 1);
    for v in ["999999", "-1", "x", "", "1.5", "0"] {
        let (c, fx) = rig.delta_client("p2", Some(v));
        assert_eq!(frame_types(&fx, &c.socket), ["SYSTEM.SYNC"], "v={v}");
        let _ = rig.step(Input::SocketGone {
            socket: c.socket.clone(),
            identity: Some(rig.identity(&c.socket, "p2")),
            echo: false,
        });
        rig.advance(10_000);
    }
    // A socket that closed resumes from its last frame however much the player's other tabs
    // were sent meanwhile (more versions than the room keeps of what it sent).
    let (tab, _) = rig.delta_client("p2", None);
    let (gone, _) = rig.delta_client("p2", None);
    let at = gone.v;
    let _ = rig.step(Input::SocketGone {
        socket: gone.socket.clone(),
        identity: Some(rig.identity(&gone.socket, "p2")),
        echo: false,
    });
    for i in 0..2 * RESUME_VERSIONS {
        rig.advance(1000);
        let fx = rig.frame(
            &s1,
            "p1",
            &json!({"type": "SOCIAL.SEND_MSG", "content": format!("m{i}")}).to_string(),
        );
        assert_eq!(frame_types(&fx, &tab.socket), ["SYSTEM.DELTA"]);
    }
    let (c, fx) = rig.delta_client("p2", Some(&at.to_string()));
    assert_eq!(frame_types(&fx, &c.socket), ["SYSTEM.DELTA"]);
    // A version the room never sent p3 but can rebuild from its tail: a DELTA from p3's own
    // projection of it (p3 held it had they been connected then).
    let (c3, fx) = rig.delta_client("p3", Some(&held.to_string()));
    assert_eq!(frame_types(&fx, &c3.socket), ["SYSTEM.DELTA"]);
    let mut old = rig.host.live().unwrap().clone();
    let then = old.room_at(held).unwrap().projection(Some("p3"));
    let patch: json_patch::Patch =
        serde_json::from_value(sent(&fx, &c3.socket)[0]["ops"].clone()).unwrap();
    let mut state = then;
    json_patch::patch(&mut state, &patch).unwrap();
    assert_eq!(state, rig.projection("p3"));
}

#[test]
fn a_resync_is_a_full_sync_within_the_connect_bucket() {
    let mut rig = started_room();
    let (c, _) = rig.delta_client("p2", None);
    let resync = r#"{"type":"SYSTEM.RESYNC","ref":"r"}"#;
    let mut syncs = 0;
    let mut refused = 0;
    for _ in 0..12 {
        let fx = rig.frame(&c.socket, "p2", resync);
        for f in sent(&fx, &c.socket) {
            match f["type"].as_str() {
                Some("SYSTEM.SYNC") => {
                    syncs += 1;
                    assert_eq!(f["state"], rig.projection("p2"));
                }
                Some("ERROR") => {
                    refused += 1;
                    assert_eq!(f["code"], "RATE_LIMITED");
                    assert_eq!(f["ref"], "r");
                }
                other => panic!("{other:?}"),
            }
        }
    }
    // The connect bucket holds 10 and one went on connecting.
    assert_eq!(syncs, 9);
    assert_eq!(refused, 3);
    // A resync never reaches the journal, and a malformed one is an ordinary bad frame.
    let seq = rig.seq();
    let fx = rig.frame(&c.socket, "p2", r#"{"type":"SYSTEM.RESYNC","x":1}"#);
    assert_eq!(sent(&fx, &c.socket)[0]["code"], "FORBIDDEN_TYPE");
    assert_eq!(rig.seq(), seq);
}

/// A small deterministic generator (xorshift), so a failing seed can be rerun.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PLAYERS: [&str; 4] = ["p1", "p2", "p3", "p4"];

/// Scripted games: random chat, DMs, transfers, votes and timeline steps by random players,
/// sockets dropping and coming back with their version, a stale one, a future one or garbage,
/// restarts of the instance (every socket comes back with its version, resumed from the room's
/// tail or given a full SYNC), hibernations with every socket left open (each brought on from
/// the version its attachment kept), resyncs, and the throttle's trailing broadcasts. After every step, every client that got a
/// frame holds exactly its player's projection, and once the broadcasts have settled, all do.
#[test]
fn applying_the_deltas_always_gives_the_projection_the_server_would_send() {
    // (deltas, resumes answered with a delta, full SYNCs after the first)
    let mut seen = (0, 0, 0);
    let mut hibernations = 0;
    for seed in 1..=12u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut rig = started_room();
        let mut clients: Vec<Client> = Vec::new();
        let mut kept = Attachments::default();
        for p in PLAYERS {
            let (c, fx) = rig.delta_client(p, None);
            kept.see(&fx);
            clients.push(c);
        }
        let timeline = [
            "OPEN_DMS",
            "OPEN_VOTING",
            "CLOSE_VOTING",
            "END_DAY",
            "START_DAY",
            "OPEN_GROUP_CHAT",
        ];
        let mut next_step = 0;
        for step in 0..150 {
            rig.advance(1 + rng.below(40) as i64);
            let i = rng.below(clients.len());
            let player = clients[i].player.clone();
            let target = PLAYERS[rng.below(PLAYERS.len())];
            let fx = match rng.below(12) {
                0..=3 => {
                    let text = format!("message {step} from {player}");
                    let msg = json!({"type": "SOCIAL.SEND_MSG", "content": text});
                    rig.frame(&clients[i].socket.clone(), &player, &msg.to_string())
                }
                4 => {
                    let msg = json!({"type": "SOCIAL.SEND_MSG", "content": "psst", "recipientIds": [target]});
                    rig.frame(&clients[i].socket.clone(), &player, &msg.to_string())
                }
                5 => {
                    let msg = json!({"type": "SOCIAL.SEND_SILVER", "targetId": target, "amount": 1 + rng.below(3)});
                    rig.frame(&clients[i].socket.clone(), &player, &msg.to_string())
                }
                6 => {
                    let msg = json!({"type": "VOTE.MAJORITY.CAST", "targetId": target});
                    rig.frame(&clients[i].socket.clone(), &player, &msg.to_string())
                }
                7 => {
                    let action = timeline[next_step % timeline.len()];
                    next_step += 1;
                    rig.http(
                        "POST",
                        "/admin",
                        &json!({"type": "INJECT_TIMELINE_EVENT", "action": action}).to_string(),
                    )
                }
                8 => {
                    // Drop and come back: with the version held, a stale or future one, or junk.
                    let c = clients[i].clone();
                    let _ = rig.step(Input::SocketGone {
                        socket: c.socket.clone(),
                        identity: Some(rig.identity(&c.socket, &player)),
                        echo: false,
                    });
                    kept.0.remove(&c.socket);
                    rig.advance(7_000);
                    let v = match rng.below(4) {
                        0 | 1 => c.v,
                        2 => {
                            // Back to a version it held earlier (an older tab's copy).
                            let (v, state) = c.held[rng.below(c.held.len())].clone();
                            clients[i].state = state;
                            clients[i].v = v;
                            v
                        }
                        // Ahead of the room: the client keeps what it has, the room cannot
                        // know that version.
                        // (The head as stored: a hibernated instance has not loaded it yet.)
                        _ => {
                            let head = crate::room::live::LiveRoom::open(rig.host.store())
                                .map_or(0, |l| l.room.seq());
                            head + 1 + rng.below(5) as u64
                        }
                    };
                    clients[i].v = v;
                    let v = v.to_string();
                    let (socket, fx) = rig.connect_delta(&player, Some(&v));
                    clients[i].socket = socket;
                    fx
                }
                9 => {
                    rig.advance(7_000);
                    rig.frame(
                        &clients[i].socket.clone(),
                        &player,
                        r#"{"type":"SYSTEM.RESYNC"}"#,
                    )
                }
                10 if rng.below(2) == 0 => {
                    // The room hibernates with every socket open: a new instance knowing them
                    // by their attachments; the next change brings them on by deltas.
                    hibernations += 1;
                    let store = rig.host.store().clone();
                    rig.host = Host::new(config(), store, kept.0.values().cloned().collect());
                    rig.advance(60_000);
                    Vec::new()
                }
                10 => {
                    // The instance dies (a restart, an eviction): every client comes back with
                    // the version it holds, to a room that has forgotten what it sent.
                    let store = rig.host.store().clone();
                    rig.host = Host::new(config(), store, Vec::new());
                    kept.0.clear();
                    rig.advance(7_000);
                    let mut fx = Vec::new();
                    for c in clients.iter_mut() {
                        let v = c.v.to_string();
                        let (socket, more) = rig.connect_delta(&c.player, Some(&v));
                        c.socket = socket;
                        fx.extend(more);
                    }
                    fx
                }
                _ => rig.settle(),
            };
            kept.see(&fx);
            for c in clients.iter_mut() {
                let types = frame_types(&fx, &c.socket);
                seen.0 += types.iter().filter(|t| *t == "SYSTEM.DELTA").count();
                seen.2 += types.iter().filter(|t| *t == "SYSTEM.SYNC").count();
                if types.first().is_some_and(|t| t == "SYSTEM.DELTA")
                    && sent(&fx, &c.socket)
                        .iter()
                        .any(|f| f["type"] == "TICKER.HISTORY")
                {
                    seen.1 += 1;
                }
                if c.take(&fx, &rig) && !c.gap {
                    assert_eq!(
                        c.state,
                        rig.projection(&c.player),
                        "seed {seed} step {step}"
                    );
                    assert_eq!(c.v, rig.seq(), "seed {seed} step {step}");
                }
                assert!(
                    !c.gap,
                    "seed {seed} step {step}: a delta from a base the client does not hold"
                );
            }
        }
        let fx = rig.settle();
        for c in clients.iter_mut() {
            c.take(&fx, &rig);
            assert_eq!(c.state, rig.projection(&c.player), "seed {seed}: settled");
        }
    }
    println!("deltas, delta resumes, full syncs: {seen:?}; hibernations: {hibernations}");
    assert!(seen.0 > 500 && seen.1 > 10 && seen.2 > 10, "{seen:?}");
    assert!(hibernations > 5, "{hibernations}");
}
