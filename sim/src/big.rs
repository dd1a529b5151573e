//! The big room, natively (docs/testing.md, "The big room"; figures in BENCHMARKS.md): one
//! live room driven through the real room host (`room::host::Host`, the policy the worker runs)
//! to N journal entries of MAIN chat from a few sockets, D1 answering every batch and the alarm
//! ringing when due, on a fake clock. Then its DO storage (snapshot size, rows kept), D1's row
//! count, and a cold start of a new instance over that storage (wall and CPU time, resident
//! memory). No fault is injected: this measures size, not safety.

use crate::store::Shared;
use pecking_order::room::host::{Effect, Host, HostConfig, Input, Request, SocketId};
use pecking_order::room::live::{LiveRoom, Store};
use pecking_order::room::token::{mint, Claims};
use serde_json::json;
use std::time::Instant;

const AUTH: &str = "big-auth-secret-0123456789abcdef-01234";
const TOKEN: &str = "big-token-secret-0123456789abcdef-0123";
const GAME: &str = "big-room";

/// What the big room measured.
#[derive(Debug, Default)]
pub struct BigFigures {
    pub entries: u64,
    pub sockets: usize,
    /// Driving it (wall, and this thread's CPU), ms.
    pub drive_wall_ms: f64,
    pub drive_cpu_ms: f64,
    pub snapshot_bytes: usize,
    /// Journal rows the DO keeps, their JSON bytes, its alarm-task rows.
    pub do_rows: usize,
    pub do_row_bytes: usize,
    pub task_rows: usize,
    pub d1_rows: u64,
    /// A new instance over the storage: `LiveRoom::open` (wall, CPU), and `GET …/state`
    /// through a fresh host (wall).
    pub cold_open_wall_ms: f64,
    pub cold_open_cpu_ms: f64,
    pub cold_state_wall_ms: f64,
    /// Resident memory before the room, after driving it, and after the cold start (KiB).
    pub rss_start_kib: u64,
    pub rss_driven_kib: u64,
    pub rss_cold_kib: u64,
}

/// This thread's CPU time (ns), from /proc (0 elsewhere).
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Resident set size (KiB), from /proc (0 elsewhere).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn config() -> HostConfig {
    HostConfig::from_vars(AUTH.into(), |k| {
        (k == pecking_order::room::secrets::TOKEN_SECRET).then(|| TOKEN.to_string())
    })
}

fn request(method: &str, path: &str, body: &[u8]) -> Request {
    let mut r = Request::new(method, &format!("/parties/game-server/{GAME}{path}"));
    r.authorization = format!("Bearer {AUTH}");
    r.body = Ok(body.to_vec());
    r.seed = Ok([9; 32]);
    r
}

/// The platform around the host: D1 answers at once, the alarm and timer ring when due.
struct Platform {
    host: Host<Shared>,
    now: i64,
    alarm: Option<i64>,
    timer: Option<i64>,
    d1_rows: u64,
    accepted: Vec<SocketId>,
}

impl Platform {
    fn handle(&mut self, input: Input) {
        let mut queue = vec![input];
        while let Some(i) = queue.pop() {
            for e in self.host.handle(self.now, i) {
                match e {
                    Effect::WriteD1(b) => {
                        self.d1_rows = self.d1_rows.max(b.up_to);
                        queue.push(Input::D1Done {
                            up_to: b.up_to,
                            result: Ok(()),
                        });
                    }
                    Effect::SetAlarm(t) => self.alarm = Some(t),
                    Effect::ClearAlarm => self.alarm = None,
                    Effect::StartTimer(t) => self.timer = Some(t),
                    Effect::Accept {
                        identity: Some(id), ..
                    } => self.accepted.push(id),
                    _ => {}
                }
            }
        }
    }

    /// Rings the alarm and the timer if they are due.
    fn due(&mut self) {
        if self.timer.is_some_and(|t| t <= self.now) {
            self.timer = None;
            self.handle(Input::Timer);
        }
        if self.alarm.is_some_and(|t| t <= self.now) {
            self.alarm = None;
            self.handle(Input::Alarm);
        }
    }
}

/// Drives a room to `entries` journal entries with `sockets` players chatting (a few ms
/// apart, within the rate limit), then measures it.
pub fn big_room(entries: u64, sockets: usize) -> Result<BigFigures, String> {
    let rss_start_kib = rss_kib();
    let store = Shared::default();
    let mem = store.0.clone();
    let mut p = Platform {
        host: Host::new(config(), store, Vec::new()),
        now: crate::T0,
        alarm: None,
        timer: None,
        d1_rows: 0,
        accepted: Vec::new(),
    };
    let sockets = sockets.clamp(1, 20);
    let mut body: serde_json::Value =
        serde_json::from_slice(&pecking_order::sim::init_body(sockets.max(2), 3))
            .map_err(|e| e.to_string())?;
    body["manifest"]["scheduling"] = json!("ADMIN");
    p.handle(Input::Http(request(
        "POST",
        "/init",
        body.to_string().as_bytes(),
    )));
    for action in ["START_DAY", "OPEN_GROUP_CHAT"] {
        let b = json!({ "type": "INJECT_TIMELINE_EVENT", "action": action }).to_string();
        p.handle(Input::Http(request("POST", "/admin", b.as_bytes())));
    }
    for i in 1..=sockets {
        let token = mint(
            TOKEN.as_bytes(),
            &Claims {
                sub: format!("u{i}"),
                game_id: GAME.into(),
                player_id: format!("p{i}"),
                exp: p.now / 1000 + 7 * 86_400,
            },
        );
        let mut r = request("GET", "", b"");
        r.upgrade = "websocket".into();
        r.query = vec![("token".into(), token)];
        p.handle(Input::Http(r));
    }
    if p.accepted.len() != sockets {
        return Err(format!(
            "{} of {sockets} sockets accepted",
            p.accepted.len()
        ));
    }
    // Each player well within 10 frames a second: one frame every 130 ms over all players.
    let step = (130 / sockets as i64).max(7);
    let (wall, cpu) = (Instant::now(), cpu_ns());
    let mut n = 0u64;
    while mem.borrow().journal.last().map_or(0, |e| e.seq) < entries {
        let id = p.accepted[(n as usize) % sockets].clone();
        n += 1;
        p.now += step;
        let msg = json!({ "type": "SOCIAL.SEND_MSG", "content": format!("message {n} from {}", id.player_id) });
        p.handle(Input::Frame {
            socket: id.cid.clone(),
            identity: Some(id),
            data: msg.to_string().into_bytes(),
        });
        p.due();
        if n > entries * 2 {
            return Err(format!("{n} frames journaled too few entries"));
        }
    }
    // Drain: the alarm rings until D1 has everything.
    for _ in 0..1000 {
        if mem.borrow().outbox.is_empty() {
            break;
        }
        p.now = p.alarm.unwrap_or(p.now + 1000).max(p.now);
        p.alarm = None;
        p.handle(Input::Alarm);
    }
    let drive_wall_ms = wall.elapsed().as_secs_f64() * 1e3;
    let drive_cpu_ms = (cpu_ns() - cpu) as f64 / 1e6;
    let rss_driven_kib = rss_kib();
    let s = mem.borrow().clone();
    let mut f = BigFigures {
        entries: s.journal.last().map_or(0, |e| e.seq),
        sockets,
        drive_wall_ms,
        drive_cpu_ms,
        snapshot_bytes: s.snapshot.as_ref().map_or(0, |(b, _, _)| b.len()),
        do_rows: s.journal.len(),
        do_row_bytes: s
            .journal
            .iter()
            .map(|e| serde_json::to_string(e).map_or(0, |t| t.len()))
            .sum(),
        task_rows: s.tasks().map_or(0, |t| t.len()),
        d1_rows: p.d1_rows,
        rss_start_kib,
        rss_driven_kib,
        ..BigFigures::default()
    };
    drop(p);
    // A cold start: the room opened from storage alone, then a fresh host answering GET /state.
    let (wall, cpu) = (Instant::now(), cpu_ns());
    let live = LiveRoom::open(&s).map_err(|e| format!("cold start: {e}"))?;
    f.cold_open_wall_ms = wall.elapsed().as_secs_f64() * 1e3;
    f.cold_open_cpu_ms = (cpu_ns() - cpu) as f64 / 1e6;
    if live.room.seq() != f.entries {
        return Err(format!(
            "cold start at {} of {}",
            live.room.seq(),
            f.entries
        ));
    }
    let mut host = Host::new(config(), Shared(std::rc::Rc::new(s.into())), Vec::new());
    let wall = Instant::now();
    let fx = host.handle(crate::T0, Input::Http(request("GET", "/state", b"")));
    f.cold_state_wall_ms = wall.elapsed().as_secs_f64() * 1e3;
    if !fx
        .iter()
        .any(|e| matches!(e, Effect::Reply { status: 200, .. }))
    {
        return Err("GET /state after the cold start did not answer 200".into());
    }
    f.rss_cold_kib = rss_kib();
    Ok(f)
}
