//! The fuzz targets: one per decoder of outside bytes, and the engine fed command sequences.

use super::{mutate, newer};
use pecking_order::engine::GameState;
use pecking_order::journal::{self, EntryKind};
use pecking_order::room::host::{Effect, Host, HostConfig, Input, ReplyBody, Request, SocketId};
use pecking_order::room::live::MemStore;
use pecking_order::room::token;
use pecking_order::room::{parse_admin_request, parse_client_message, Room};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use std::path::PathBuf;

pub const SECRET: &str = "fuzz-secret";
pub const GAME: &str = "fz";
/// The fuzzing clock: 2026-12-01T08:00:00Z.
pub const NOW: i64 = 1_796_112_000_000;

/// What a target keeps between inputs.
pub struct State {
    pub(super) host: Option<Host<MemStore>>,
    pub(super) now: i64,
    pub(super) inputs: u64,
    pub(super) tmp: PathBuf,
}

/// Draws one input from the rng and the target's corpus.
pub type Generator = fn(&mut ChaCha8Rng, &[Vec<u8>]) -> Vec<u8>;

/// One fuzz target.
pub struct Target {
    pub name: &'static str,
    /// Its inputs are one JSON document (structural mutations apply).
    pub json: bool,
    /// A generator of its own, instead of the corpus mutator.
    pub gen: Option<Generator>,
    pub setup: fn() -> State,
    pub run: fn(&mut State, &[u8]) -> Result<(), String>,
}

pub const TARGETS: &[Target] = &[
    Target {
        name: "frame",
        json: true,
        gen: None,
        setup: with_room,
        run: frame,
    },
    Target {
        name: "admin",
        json: true,
        gen: None,
        setup: with_room,
        run: admin,
    },
    Target {
        name: "player_joined",
        json: true,
        gen: None,
        setup: with_room,
        run: player_joined,
    },
    Target {
        name: "init",
        json: true,
        gen: None,
        setup: bare,
        run: init,
    },
    Target {
        name: "token",
        json: false,
        gen: None,
        setup: bare,
        run: token_target,
    },
    Target {
        name: "snapshot",
        json: false,
        gen: None,
        setup: bare,
        run: snapshot,
    },
    Target {
        name: "d1_row",
        json: true,
        gen: None,
        setup: bare,
        run: d1_row,
    },
    Target {
        name: "export",
        json: false,
        gen: Some(export_input),
        setup: bare,
        run: export,
    },
    Target {
        name: "sqlite",
        json: false,
        gen: Some(newer::sqlite_input),
        setup: newer::files,
        run: newer::sqlite,
    },
    Target {
        name: "checkpoint",
        json: false,
        gen: Some(newer::checkpoint_input),
        setup: newer::files,
        run: newer::checkpoint,
    },
    Target {
        name: "receipts",
        json: true,
        gen: None,
        setup: newer::files,
        run: newer::receipts,
    },
    Target {
        name: "resume",
        json: false,
        gen: Some(newer::resume_input),
        setup: newer::files,
        run: newer::resume,
    },
    Target {
        name: "engine",
        json: false,
        gen: Some(command_sequence),
        setup: bare,
        run: engine,
    },
];

pub(super) fn bare() -> State {
    State {
        host: None,
        now: NOW,
        inputs: 0,
        tmp: std::env::temp_dir().join(format!("po-fuzz-{}", std::process::id())),
    }
}

/// The `/init` body of the rooms the host targets play in (also the `init` corpus' first entry).
pub fn init_body() -> Vec<u8> {
    let mut v: Value =
        serde_json::from_slice(&pecking_order::sim::init_body(5, 3)).unwrap_or_default();
    v["manifest"]["scheduling"] = json!("ADMIN");
    serde_json::to_vec(&v).unwrap_or_default()
}

fn request(method: &str, path: &str, body: &[u8]) -> Request {
    let mut req = Request::new(method, &format!("/parties/game-server/{GAME}{path}"));
    req.authorization = format!("Bearer {SECRET}");
    req.body = Ok(body.to_vec());
    req.seed = Ok([3; 32]);
    req
}

fn status(fx: &[Effect]) -> Option<(u16, String)> {
    fx.iter().find_map(|e| match e {
        Effect::Reply {
            status,
            body: ReplyBody::Json(t),
            ..
        } => Some((*status, t.clone())),
        _ => None,
    })
}

/// A room on day 1 with the chat and DMs open, created through the host.
fn with_room() -> State {
    let mut st = bare();
    let mut host = Host::new(
        HostConfig::from_vars(SECRET.into(), |_| None),
        MemStore::default(),
        Vec::new(),
    );
    host.handle(st.now, Input::Http(request("POST", "/init", &init_body())));
    for action in ["START_DAY", "OPEN_GROUP_CHAT", "OPEN_DMS"] {
        let body = json!({ "type": "INJECT_TIMELINE_EVENT", "action": action }).to_string();
        host.handle(
            st.now,
            Input::Http(request("POST", "/admin", body.as_bytes())),
        );
    }
    st.host = Some(host);
    st
}

/// The room, renewed every 300 inputs so that it stays small.
fn room(st: &mut State) -> &mut Host<MemStore> {
    st.inputs += 1;
    st.now += 250;
    if st.inputs.is_multiple_of(300) || st.host.is_none() {
        let fresh = with_room();
        st.host = fresh.host;
    }
    st.host.as_mut().expect("a room")
}

fn seq(host: &Host<MemStore>) -> u64 {
    host.live().map_or(0, |l| l.room.seq())
}

/// A WebSocket frame: decoded to a command or a typed error; through the host, a frame refused
/// before the engine journals nothing, and every answer is JSON.
fn frame(st: &mut State, input: &[u8]) -> Result<(), String> {
    let parsed = parse_client_message(input);
    let now = st.now;
    let host = room(st);
    let before = seq(host);
    let identity = SocketId {
        player_id: "p1".into(),
        cid: "s1".into(),
        exp: now / 1000 + 3600,
        delta: false,
        v: None,
    };
    let fx = host.handle(
        now,
        Input::Frame {
            socket: "s1".into(),
            identity: Some(identity),
            data: input.to_vec(),
        },
    );
    for e in &fx {
        if let Effect::Send { text, .. } = e {
            serde_json::from_str::<Value>(text).map_err(|e| format!("a frame sent: {e}"))?;
        }
    }
    if let Err((_, e)) = parsed {
        if seq(host) != before {
            return Err(format!("a frame refused as {} was journaled", e.code()));
        }
    }
    Ok(())
}

/// A 500 answer is a storage failure or an internal error: neither may come from a body.
fn no_500(fx: &[Effect]) -> Result<(), String> {
    match status(fx) {
        Some((500, body)) => Err(format!("500: {body}")),
        Some(_) => Ok(()),
        None => Err("no answer".into()),
    }
}

fn admin(st: &mut State, input: &[u8]) -> Result<(), String> {
    let _ = parse_admin_request(input);
    let now = st.now;
    let fx = room(st).handle(now, Input::Http(request("POST", "/admin", input)));
    no_500(&fx)
}

fn player_joined(st: &mut State, input: &[u8]) -> Result<(), String> {
    let now = st.now;
    let fx = room(st).handle(now, Input::Http(request("POST", "/player-joined", input)));
    no_500(&fx)
}

/// `/init`: a room or every bad field reported; a room made is a room that projects.
fn init(_: &mut State, input: &[u8]) -> Result<(), String> {
    if let Ok((room, entries)) = Room::create("fz-init", input, NOW, [5; 32]) {
        let _ = room.projection(None);
        journal::verify("fz-init", &entries).map_err(|e| format!("entry 1: {e}"))?;
    }
    Ok(())
}

/// Player tokens: only a token this corpus minted verifies; anything else is a typed error.
fn token_target(_: &mut State, input: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(input);
    if token::verify(SECRET.as_bytes(), &text, "g1", NOW / 1000).is_ok()
        && !super::corpus("token").iter().any(|t| t.as_slice() == input)
    {
        return Err(format!("a token nobody minted verified: {text:?}"));
    }
    Ok(())
}

/// DO snapshots (CBOR): a room or a typed error.
fn snapshot(_: &mut State, input: &[u8]) -> Result<(), String> {
    if let Ok(room) = Room::from_snapshot(input) {
        let _ = (room.seq(), room.head());
    }
    Ok(())
}

/// A D1 journal row as JSON (`GET …/journal`, JSON lines): an entry or a typed error.
fn d1_row(_: &mut State, input: &[u8]) -> Result<(), String> {
    if let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(input) {
        let _ = journal::row::decode_json(&m);
    }
    Ok(())
}

/// An export file given to `po-replay verify` (JSON lines or a SQL dump): one of its exit codes.
fn export(st: &mut State, input: &[u8]) -> Result<(), String> {
    let sql = input.starts_with(b"PRAGMA")
        || input.starts_with(b"CREATE")
        || input.starts_with(b"INSERT");
    let path = st.tmp.with_extension(if sql { "sql" } else { "jsonl" });
    std::fs::write(&path, input).map_err(|e| format!("temp file: {e}"))?;
    let args = vec!["verify".to_string(), path.display().to_string()];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = pecking_order_replay::cli::run(&args, &mut out, &mut err);
    let _ = std::fs::remove_file(&path);
    if !(0..=4).contains(&code) {
        return Err(format!("exit {code}"));
    }
    Ok(())
}

/// An export file: a corpus file with one line's JSON mutated, or its bytes.
fn export_input(rng: &mut ChaCha8Rng, corpus: &[Vec<u8>]) -> Vec<u8> {
    use rand::seq::SliceRandom;
    use rand::Rng;
    let base = corpus.choose(rng).cloned().unwrap_or_default();
    if rng.gen_bool(0.5) {
        return mutate::input(rng, corpus, false);
    }
    let text = String::from_utf8_lossy(&base).to_string();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    if lines.is_empty() {
        return base;
    }
    let i = rng.gen_range(0..lines.len());
    let one = [lines[i].clone().into_bytes()];
    lines[i] = String::from_utf8_lossy(&mutate::input(rng, &one, true)).to_string();
    if rng.gen_bool(0.2) {
        let j = rng.gen_range(0..lines.len());
        lines.swap(i, j);
    }
    lines.join("\n").into_bytes()
}

/// Up to 60 frames, one a line: an actor byte then the frame.
fn command_sequence(rng: &mut ChaCha8Rng, _: &[Vec<u8>]) -> Vec<u8> {
    use rand::Rng;
    let frames = super::corpus("frame");
    let mut out = Vec::new();
    for _ in 0..rng.gen_range(1..60) {
        out.push(b'0' + rng.gen_range(0..8u8));
        let f = mutate::input(rng, &frames, true);
        out.extend(f.iter().filter(|b| **b != b'\n'));
        out.push(b'\n');
    }
    out
}

fn untrailed(st: Option<&GameState>) -> Option<GameState> {
    let mut st = st?.clone();
    for o in st
        .results
        .iter_mut()
        .map(|(_, o)| o)
        .chain(st.pending.iter_mut())
    {
        o.trail = Default::default();
    }
    Some(st)
}

/// The engine fed a command sequence (with the timeline moving in between): it never panics,
/// and the journal it wrote replays to the same room.
fn engine(_: &mut State, input: &[u8]) -> Result<(), String> {
    let (mut room, mut entries) = Room::create(
        "fz-engine",
        &pecking_order::sim::init_body(6, 3),
        NOW,
        [9; 32],
    )
    .map_err(|e| format!("init: {e}"))?;
    let mut now = room
        .state()
        .and_then(|s| s.tasks.first())
        .map_or(NOW, |t| t.due_ms);
    entries.extend(room.fire_due(now, 4));
    for line in input.split(|b| *b == b'\n') {
        let Some((&who, frame)) = line.split_first() else {
            continue;
        };
        now += 7_000;
        let actor = match who % 8 {
            7 => "nobody".to_string(),
            n => format!("p{}", n + 1),
        };
        if let Ok(msg) = parse_client_message(frame) {
            // A typed refusal before the journal is fine; whatever is journaled must replay.
            if let Ok(s) = room.submit(EntryKind::Action, &actor, &msg.command, now) {
                entries.extend(s.entries);
            }
        }
        if who % 3 == 0 {
            entries.extend(room.fire_due(now, 4));
        }
    }
    let replayed = Room::replay("fz-engine", &entries, Some([9; 32]))
        .map_err(|e| format!("the journal does not replay: {e}"))?;
    if (replayed.seq(), replayed.head()) != (room.seq(), room.head())
        || untrailed(replayed.state()) != untrailed(room.state())
    {
        return Err("the replay differs from the room".into());
    }
    let _ = room.projection(Some("p1"));
    Ok(())
}
