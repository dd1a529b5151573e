//! Which wasm functions a cold room's first SYNC reaches (BENCHMARKS.md, "The cold room's first
//! SYNC: what it compiles"). V8 compiles wasm lazily, function by function, on first call, so
//! every function a fresh instance reaches costs it compile time once. This ignored test builds
//! a room the way the e2e cold-start figures do (4 players, ADMIN scheduling, the group chat
//! open, `COLD_MESSAGES` chat messages; snapshot and tail in a `MemStore`) with the room API
//! only, then drives a fresh room host (`Host`) through a player's connect — the room's part of
//! the cold SYNC — and a second connect (the warm reconnect), calling a marker function before
//! each. Run under node with V8's trace of lazy compilation and the functions compiled after each
//! marker are the ones that step reached first:
//!
//! ```text
//! NODE_ARGS=--trace-wasm-compilation-times CARGO_PROFILE_RELEASE_OPT_LEVEL=s \
//!   CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   cargo test --release --target wasm32-unknown-unknown --test wasm_cold_path -- --include-ignored --nocapture
//! ```
//!
//! (`scripts/wasm-cold-path.py` maps the traced function numbers to names and sizes.) Without the
//! trace it prints each connect's wall and CPU time (node's `process.cpuUsage()`, which counts V8's
//! compile threads too).
#![cfg(target_arch = "wasm32")]

use pecking_order::journal::EntryKind;
use pecking_order::limits::COMPACT_EVERY;
use pecking_order::room::host::{Effect, Host, HostConfig, Input, Request};
use pecking_order::room::live::{LiveRoom, MemStore};
use pecking_order::room::token::{mint, Claims};
use pecking_order::room::{parse_admin_request, parse_client_message, AdminRequest, Room};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, Instant};

mod wasm_cpu;
use wasm_cpu::cpu_ms;

const AUTH: &str = "wasm-cold-auth-secret-0123456789abcdef";
const TOKEN: &str = "wasm-cold-token-secret-0123456789abcdef";
/// As in the e2e support (a 32-byte seed, hex).
const CHECKPOINT_KEY: &str = "8f2b1c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809";
const GAME: &str = "cold";
const COLD_MESSAGES: usize = 1000;
/// 2026-12-01T09:00:00Z.
const T0: i64 = 1_796_115_600_000;

/// Called right before a traced step: its number in the trace marks where that step starts.
#[inline(never)]
fn marker_cold_connect() {
    console_log!("marker: cold connect");
}

#[inline(never)]
fn marker_warm_connect() {
    console_log!("marker: warm connect");
}

#[inline(never)]
fn marker_end() {
    console_log!("marker: end");
}

fn init_body() -> String {
    let roster: Vec<String> = (1..=4)
        .map(|i| format!(r#"{{"id":"p{i}","personaName":"Player {i}"}}"#))
        .collect();
    format!(
        r#"{{"manifest":{{"mode":"PECKING_ORDER","kind":"STATIC","scheduling":"ADMIN","startTime":"2026-12-01T09:00:00Z","schedulePreset":"SMOKE_TEST","days":[{{"voteType":"MAJORITY"}},{{"voteType":"MAJORITY"}},{{"voteType":"FINALS"}}]}},"roster":[{}]}}"#,
        roster.join(",")
    )
}

/// The stored room after `COLD_MESSAGES` chat messages, written as a live room writes it.
fn stored_room() -> MemStore {
    let mut store = MemStore::default();
    let (room, entries) = Room::create(GAME, init_body().as_bytes(), T0, [9; 32]).unwrap();
    let mut live = LiveRoom::create(&mut store, room, &entries).unwrap();
    let mut now = T0 + 1000;
    let mut submit = |live: &mut LiveRoom, kind, actor: &str, cmd, now| {
        let s = live.room.submit(kind, actor, &cmd, now).unwrap();
        live.commit(&mut store, &s.entries).unwrap();
        if live.room.seq() >= live.snapshot_seq() + COMPACT_EVERY {
            live.snapshot(&mut store).unwrap();
        }
    };
    for action in ["START_DAY", "OPEN_GROUP_CHAT"] {
        let body = format!(r#"{{"type":"INJECT_TIMELINE_EVENT","action":"{action}"}}"#);
        let AdminRequest::Journal(cmd) = parse_admin_request(body.as_bytes()).unwrap() else {
            panic!("{action} is journaled");
        };
        submit(&mut live, EntryKind::Admin, "ADMIN", cmd, now);
        now += 1000;
    }
    for i in 0..COLD_MESSAGES {
        let text = format!(r#"{{"type":"SOCIAL.SEND_MSG","content":"message {i}"}}"#);
        let cmd = parse_client_message(text.as_bytes()).unwrap().command;
        submit(&mut live, EntryKind::Action, "p1", cmd, now);
        now += 50;
    }
    store
}

fn connect(host: &mut Host<MemStore>, now_ms: i64, player: &str) -> usize {
    let claims = Claims {
        sub: format!("u-{player}"),
        game_id: GAME.into(),
        player_id: player.into(),
        exp: now_ms / 1000 + 3600,
    };
    let mut req = Request::new("GET", &format!("/parties/game-server/{GAME}"));
    req.upgrade = "websocket".into();
    req.query = vec![("token".into(), mint(TOKEN.as_bytes(), &claims))];
    let mut sync_bytes = 0;
    for effect in host.handle(now_ms, Input::Http(req)) {
        match effect {
            // What the worker does with them (`worker::durable`).
            Effect::Log(line) => console_log!("{}", line.to_text()),
            Effect::Send { text, .. } if text.starts_with(r#"{"type":"SYSTEM.SYNC""#) => {
                sync_bytes = text.len()
            }
            _ => {}
        }
    }
    sync_bytes
}

#[wasm_bindgen_test]
#[ignore]
fn trace_cold_connect() {
    let store = stored_room();
    let now = T0 + 3_600_000;
    let (t, c) = (Instant::now(), cpu_ms());
    marker_cold_connect();
    let config = HostConfig::from_vars(AUTH.into(), |k| match k {
        "TOKEN_SECRET" => Some(TOKEN.into()),
        "CHECKPOINT_KEY" => Some(CHECKPOINT_KEY.into()),
        "WS_RATE_PER_S" | "WS_RATE_BURST" => Some("1000".into()),
        "DEV_FAULTS" => Some("1".into()),
        _ => None,
    });
    let mut host = Host::new(config, store, Vec::new());
    let cold = connect(&mut host, now, "p2");
    let cold_ms = (t.elapsed().as_secs_f64() * 1e3, cpu_ms() - c);
    let (t, c) = (Instant::now(), cpu_ms());
    marker_warm_connect();
    let warm = connect(&mut host, now + 1000, "p2");
    let warm_ms = (t.elapsed().as_secs_f64() * 1e3, cpu_ms() - c);
    marker_end();
    assert!(cold > 0 && warm > 0, "both connects got their SYNC");
    console_log!(
        "FIGURE cold connect {:.2} ms (CPU {:.2}), SYNC {cold} bytes; warm connect {:.2} ms (CPU {:.2}), SYNC {warm} bytes",
        cold_ms.0,
        cold_ms.1,
        warm_ms.0,
        warm_ms.1
    );
}
