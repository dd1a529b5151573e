//! The soak's bot sockets: one OS thread drives every socket of a room (non-blocking
//! tungstenite), each socket acting like a person, one chat message every `interval` (0: as
//! fast as the server answers, up to `inflight` unanswered at a time). A dropped socket comes
//! back on whatever port the server is on now; every ACK is kept with its text and latency.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

type Ws = tungstenite::WebSocket<TcpStream>;

/// What every socket saw: per room, the acknowledged (seq, text); ACK latencies; errors.
#[derive(Default)]
pub struct Tally {
    pub acked: BTreeMap<String, Vec<(u64, String)>>,
    /// (when the ACK came, how long it took in ms).
    pub latencies: Vec<(Instant, f64)>,
    /// Connections made after the first one of each socket.
    pub reconnects: u64,
    /// WebSocket upgrades, ms each (the first and every reconnect).
    pub upgrades: Vec<f64>,
    /// Actions answered with ERROR (journaled as refused: not expected here).
    pub refused: u64,
    /// ACKs so far, counted while the bots run (the phases' throughput).
    pub live_acks: u64,
}

/// How the bots of one room behave.
#[derive(Clone)]
pub struct Pace {
    /// One action per socket every this often (zero: closed loop).
    pub interval: Duration,
    /// Unanswered actions a socket may have at once.
    pub inflight: usize,
    /// Every other socket asks for deltas (`&delta=1`).
    pub half_delta: bool,
}

/// The sockets of one room, shared by the test and the room's thread.
pub struct Room {
    pub game: String,
    /// (player, token) per socket.
    pub players: Vec<(String, String)>,
}

struct Sock {
    player: String,
    url_token: String,
    ws: Option<Ws>,
    connected_once: bool,
    retry_at: Instant,
    next_at: Instant,
    k: u64,
    /// ref → (text, sent at).
    waiting: BTreeMap<String, (String, Instant)>,
}

/// Drives one room's sockets until `stop`; adds what they saw to `tally`.
pub fn run_room(
    room: Room,
    pace: Pace,
    port: Arc<AtomicU16>,
    stop: Arc<AtomicBool>,
    tally: Arc<Mutex<Tally>>,
) {
    let start = Instant::now();
    let n = room.players.len().max(1) as u32;
    let mut socks: Vec<Sock> = room
        .players
        .iter()
        .enumerate()
        .map(|(i, (player, token))| {
            let delta = pace.half_delta && i % 2 == 1;
            Sock {
                player: player.clone(),
                url_token: format!("{token}{}", if delta { "&delta=1" } else { "" }),
                ws: None,
                connected_once: false,
                retry_at: start,
                // Spread the sockets over one interval, as people do not act in step.
                next_at: start + pace.interval * (i as u32) / n,
                k: 0,
                waiting: BTreeMap::new(),
            }
        })
        .collect();
    let mut mine = Tally::default();
    let mut acked = Vec::new();
    let mut counted = 0;
    let mut last_count = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        if last_count.elapsed() > Duration::from_millis(250) {
            tally.lock().expect("tally").live_acks += (acked.len() - counted) as u64;
            counted = acked.len();
            last_count = Instant::now();
        }
        let mut busy = false;
        for s in &mut socks {
            let now = Instant::now();
            if s.ws.is_none() {
                if now < s.retry_at {
                    continue;
                }
                let t0 = Instant::now();
                match connect(port.load(Ordering::Relaxed), &room.game, &s.url_token) {
                    Some(ws) => {
                        mine.upgrades.push(t0.elapsed().as_secs_f64() * 1000.0);
                        mine.reconnects += u64::from(s.connected_once);
                        s.connected_once = true;
                        s.ws = Some(ws);
                        // Whatever was unanswered may or may not have been journaled: only
                        // ACKed entries are checked.
                        s.waiting.clear();
                        s.next_at = s.next_at.max(Instant::now());
                    }
                    None => {
                        s.retry_at = Instant::now() + Duration::from_millis(500);
                        continue;
                    }
                }
            }
            let ok = step(s, &pace, &room.game, &mut mine, &mut acked, &mut busy);
            if !ok {
                s.ws = None;
                s.retry_at = Instant::now() + Duration::from_millis(200);
            }
        }
        if !busy {
            thread::sleep(Duration::from_millis(if pace.interval.is_zero() {
                1
            } else {
                10
            }));
        }
    }
    let mut t = tally.lock().expect("tally");
    t.live_acks += (acked.len() - counted) as u64;
    t.acked.entry(room.game).or_default().extend(acked);
    t.latencies.extend(mine.latencies);
    t.upgrades.extend(mine.upgrades);
    t.reconnects += mine.reconnects;
    t.refused += mine.refused;
}

/// A blocking upgrade (bounded by a timeout), then the socket is made non-blocking.
fn connect(port: u16, game: &str, token: &str) -> Option<Ws> {
    let url = format!("ws://127.0.0.1:{port}/parties/game-server/{game}?token={token}");
    let stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    let (ws, _) = tungstenite::client::client(url.as_str(), stream).ok()?;
    ws.get_ref().set_nonblocking(true).ok()?;
    Some(ws)
}

fn would_block(e: &tungstenite::Error) -> bool {
    matches!(e, tungstenite::Error::Io(e) if e.kind() == io::ErrorKind::WouldBlock)
}

/// Reads what arrived and sends what is due; `false` when the socket is gone.
fn step(
    s: &mut Sock,
    pace: &Pace,
    game: &str,
    mine: &mut Tally,
    acked: &mut Vec<(u64, String)>,
    busy: &mut bool,
) -> bool {
    let Some(ws) = s.ws.as_mut() else {
        return false;
    };
    // An action unanswered this long: the socket is as good as gone (a SIGKILLed server).
    if s.waiting
        .values()
        .any(|(_, sent)| sent.elapsed() > Duration::from_secs(30))
    {
        return false;
    }
    loop {
        match ws.read() {
            Ok(tungstenite::Message::Text(t)) => {
                *busy = true;
                // Only answers matter; views (SYNC, DELTA) are skipped without parsing.
                let head = &t.as_bytes()[..t.len().min(24)];
                let answer = head.starts_with(br#"{"type":"ACK""#)
                    || head.starts_with(br#"{"type":"ERROR""#);
                if !answer {
                    continue;
                }
                let Ok(f) = serde_json::from_str::<Value>(&t) else {
                    continue;
                };
                let Some((text, sent)) = f["ref"].as_str().and_then(|r| s.waiting.remove(r)) else {
                    continue;
                };
                match (f["type"].as_str(), f["seq"].as_u64()) {
                    (Some("ACK"), Some(seq)) => {
                        acked.push((seq, text));
                        mine.latencies
                            .push((Instant::now(), sent.elapsed().as_secs_f64() * 1000.0));
                    }
                    _ => mine.refused += 1,
                }
            }
            Ok(tungstenite::Message::Close(_)) => return false,
            Ok(_) => continue,
            Err(e) if would_block(&e) => break,
            Err(_) => return false,
        }
    }
    let now = Instant::now();
    while s.waiting.len() < pace.inflight && now >= s.next_at {
        s.k += 1;
        let text = format!("{game} {} {}", s.player, s.k);
        let r = format!("r{}", s.k);
        let msg = json!({ "type": "SOCIAL.SEND_MSG", "content": text, "ref": r });
        match ws.send(tungstenite::Message::Text(msg.to_string())) {
            Ok(()) => {}
            Err(e) if would_block(&e) => {}
            Err(_) => return false,
        }
        *busy = true;
        s.waiting.insert(r, (text, Instant::now()));
        if !pace.interval.is_zero() {
            // The next one an interval after this one was due; never a burst to catch up.
            s.next_at = (s.next_at + pace.interval).max(now);
        }
    }
    match ws.flush() {
        Ok(()) => true,
        Err(e) if would_block(&e) => true,
        Err(_) => false,
    }
}
