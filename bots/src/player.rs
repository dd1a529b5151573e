//! One bot's socket: connect with a real player token, keep the latest SYNC projection, make the
//! policy's next move (one in flight at a time, answered by its ACK or ERROR), and reconnect with
//! backoff after a drop (a server restart). A 4003 close is final: the token was refused.

use crate::policy::Policy;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tungstenite::{Message, WebSocket};

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error("{player}: the server refused the token (close 4003)")]
    Refused { player: String },
    #[error("{player}: could not reach the server for {secs} s: {last}")]
    Unreachable {
        player: String,
        secs: u64,
        last: String,
    },
}

/// Where a bot plays and how fast.
#[derive(Clone, Debug)]
pub struct BotConfig {
    /// `ws://127.0.0.1:PORT`.
    pub ws_base: String,
    pub game: String,
    pub player: String,
    pub token: String,
    pub seed: u64,
    /// Pause between two moves (the first of the pair is the minimum, jittered up to the second).
    pub pace_ms: (u64, u64),
    /// Give up reconnecting after this long without a connection.
    pub give_up_after: Duration,
}

/// What one bot did.
#[derive(Clone, Debug, Default)]
pub struct BotReport {
    pub player: String,
    /// Accepted moves by client message type.
    pub accepted: BTreeMap<String, u32>,
    /// Refused moves by `type code`.
    pub refused: BTreeMap<String, u32>,
    pub reconnects: u32,
    /// The last projection received.
    pub last_view: Value,
}

/// What an observer (the demo) may read while the bots play: the latest projection, who is
/// online, and the ticker lines not yet taken.
#[derive(Default)]
pub struct Watch {
    pub view: Mutex<Value>,
    pub online: Mutex<Vec<String>>,
    pub ticker: Mutex<Vec<Value>>,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

type Socket = WebSocket<TcpStream>;

enum Read {
    Frame(Value),
    Idle,
    Closed(Option<u16>),
}

fn connect(cfg: &BotConfig) -> Result<Socket, String> {
    let url = format!(
        "{}/parties/game-server/{}?token={}",
        cfg.ws_base, cfg.game, cfg.token
    );
    let hostport = cfg
        .ws_base
        .trim_start_matches("ws://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let stream = TcpStream::connect(&hostport).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .map_err(|e| e.to_string())?;
    let _ = stream.set_nodelay(true);
    tungstenite::client::client(url.as_str(), stream)
        .map(|(ws, _)| ws)
        .map_err(|e| e.to_string())
}

fn read(ws: &mut Socket) -> Read {
    match ws.read() {
        Ok(Message::Text(t)) => serde_json::from_str(&t).map_or(Read::Idle, Read::Frame),
        Ok(Message::Close(frame)) => Read::Closed(frame.map(|f| u16::from(f.code))),
        Ok(_) => Read::Idle,
        Err(tungstenite::Error::Io(e))
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            Read::Idle
        }
        Err(_) => Read::Closed(None),
    }
}

/// Plays until `stop` is set or `done(view)` says the game is over for this bot. Returns what it
/// did. Reconnects silently after drops; fails only on a refused token or a server gone for
/// longer than `give_up_after`.
pub fn run_bot(
    cfg: &BotConfig,
    stop: &AtomicBool,
    watch: Option<Arc<Watch>>,
    done: impl Fn(&Value) -> bool,
) -> Result<BotReport, BotError> {
    let mut policy = Policy::new(&cfg.player, cfg.seed);
    let mut report = BotReport {
        player: cfg.player.clone(),
        ..BotReport::default()
    };
    let mut view = Value::Null;
    let mut down_since: Option<Instant> = None;
    let mut attempt: u32 = 0;
    let mut next_ref: u64 = 0;
    let mut pace = policy.rng("pace");
    'connect: while !stop.load(Ordering::Relaxed) {
        let mut ws = match connect(cfg) {
            Ok(ws) => ws,
            Err(e) => {
                let since = *down_since.get_or_insert_with(Instant::now);
                if since.elapsed() > cfg.give_up_after {
                    return Err(BotError::Unreachable {
                        player: cfg.player.clone(),
                        secs: cfg.give_up_after.as_secs(),
                        last: e,
                    });
                }
                // 250 ms doubling to 5 s.
                thread::sleep(Duration::from_millis(250 << attempt.min(4)));
                attempt += 1;
                continue;
            }
        };
        if down_since.take().is_some() || attempt > 0 {
            report.reconnects += 1;
        }
        attempt = 0;
        // (ref, message type) of the move in flight, and when it was sent.
        let mut pending: Option<(String, String, Instant)> = None;
        let mut next_move_at = Instant::now();
        loop {
            if stop.load(Ordering::Relaxed) {
                let _ = ws.close(None);
                let _ = ws.flush();
                break 'connect;
            }
            match read(&mut ws) {
                Read::Frame(f) => match f["type"].as_str().unwrap_or_default() {
                    "SYSTEM.SYNC" => {
                        view = f["state"].clone();
                        if let Some(w) = &watch {
                            if let Ok(mut v) = w.view.lock() {
                                *v = view.clone();
                            }
                        }
                    }
                    "PRESENCE.UPDATE" => {
                        if let (Some(w), Some(list)) = (&watch, f["onlinePlayers"].as_array()) {
                            if let Ok(mut o) = w.online.lock() {
                                *o = list
                                    .iter()
                                    .filter_map(|p| p.as_str().map(String::from))
                                    .collect();
                            }
                        }
                    }
                    "TICKER.UPDATE" | "TICKER.HISTORY" => {
                        if let (Some(w), Some(lines)) = (&watch, f["lines"].as_array()) {
                            if let Ok(mut t) = w.ticker.lock() {
                                t.extend(lines.iter().cloned());
                            }
                        }
                    }
                    "ACK" | "ERROR" => {
                        let r = f["ref"].as_str().unwrap_or_default();
                        if let Some((p, typ, _)) = &pending {
                            if p == r {
                                if f["type"] == "ACK" {
                                    *report.accepted.entry(typ.clone()).or_default() += 1;
                                } else {
                                    let code = f["code"].as_str().unwrap_or("?");
                                    *report.refused.entry(format!("{typ} {code}")).or_default() +=
                                        1;
                                }
                                pending = None;
                            }
                        }
                    }
                    _ => {}
                },
                Read::Closed(Some(4003)) => {
                    return Err(BotError::Refused {
                        player: cfg.player.clone(),
                    })
                }
                Read::Closed(_) => {
                    down_since = Some(Instant::now());
                    continue 'connect;
                }
                Read::Idle => {}
            }
            if !view.is_null() && done(&view) {
                break 'connect;
            }
            // A move whose answer never came (the socket dropped it) stops blocking after 10 s.
            if pending
                .as_ref()
                .is_some_and(|(_, _, at)| at.elapsed() > Duration::from_secs(10))
            {
                pending = None;
            }
            if pending.is_some() || Instant::now() < next_move_at || view.is_null() {
                continue;
            }
            if let Some(mv) = policy.next(&view, now_ms()) {
                next_ref += 1;
                let r = format!("b{next_ref}");
                let typ = mv.msg["type"].as_str().unwrap_or_default().to_string();
                let mut msg = mv.msg;
                if let Some(o) = msg.as_object_mut() {
                    o.insert("ref".into(), json!(r));
                }
                policy.done.insert(mv.key);
                if ws.send(Message::Text(msg.to_string())).is_err() {
                    down_since = Some(Instant::now());
                    continue 'connect;
                }
                pending = Some((r, typ, Instant::now()));
                let (lo, hi) = cfg.pace_ms;
                let wait = rand::Rng::gen_range(&mut pace, lo..=hi.max(lo));
                next_move_at = Instant::now() + Duration::from_millis(wait);
            }
        }
    }
    report.last_view = view;
    Ok(report)
}
