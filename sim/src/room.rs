//! One simulated room: the real host over a `MemStore`, a fake D1, the platform's alarm and
//! timers, the sockets and the bots that play on them, and the faults injected into each.

use crate::check::{self, Ledger, Secrets};
use crate::features::{self, Features};

mod cleanup;
mod frames;
mod joins;
use crate::store::Shared;
use crate::{Dice, Stats};
use pecking_order::journal::{Entry, Hash};
use pecking_order::room::host::{
    D1Batch, D1Read, D1Row, Effect, Host, HostConfig, Input, ReplyBody, Request, SocketId,
};
use pecking_order::room::live::MemStore;
use pecking_order::room::token::{mint, Claims};
use pecking_order_bots::Policy;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// The operator bearer (AUTH_SECRET) and the key of player tokens (TOKEN_SECRET): two distinct
/// values of at least 32 bytes, as `room::secrets` requires.
const SECRET: &str = "sim-auth-secret-0123456789abcdef-0123";
const TOKEN_SECRET: &str = "sim-token-secret-0123456789abcdef-012";

/// A bot and its socket.
pub(crate) struct Bot {
    pub player: String,
    policy: Policy,
    /// The socket it is connected on (None: not connected).
    pub socket: Option<String>,
    /// Its last SYNC projection, or the last delta applied to it.
    pub view: Value,
    refs: u64,
    /// The version of `view`, and the versions it keeps to resume from (docs/protocol.md,
    /// "Resume").
    pub version: Option<u64>,
    held: Vec<(u64, Value)>,
    /// A new socket's first frame is awaited; `Some(v)`: it asked to resume from `v`.
    pub resume: Option<Option<u64>>,
    /// A store write failed part-way through a step since its last frame: storage may hold
    /// entries nobody was sent (DO SQLite's step is atomic, the simulated store is not), so
    /// its view may lag until its next frame.
    pub lagging: bool,
}

impl Bot {
    fn new(player: &str, policy_seed: u64) -> Bot {
        Bot {
            player: player.to_string(),
            policy: Policy::new(player, policy_seed),
            socket: None,
            view: Value::Null,
            refs: 0,
            version: None,
            held: Vec::new(),
            resume: None,
            lagging: false,
        }
    }
}

pub(crate) struct RoomSim {
    pub game: String,
    pub seed: [u8; 32],
    pub host: Host<Shared>,
    /// What the host's storage holds (the same store the host writes).
    pub store: Rc<RefCell<MemStore>>,
    /// D1's journal rows (`INSERT OR IGNORE` keyed by seq) and the seqs written twice with other
    /// bytes.
    pub d1: BTreeMap<u64, Entry>,
    pub forks: Vec<u64>,
    /// The batch D1 is writing, and reads waiting for an answer.
    flight: Option<D1Batch>,
    reads: Vec<D1Read>,
    /// The DO alarm as the platform holds it (survives restarts), and this instance's timers.
    alarm: Option<i64>,
    timers: Vec<i64>,
    d1_down: bool,
    /// The next input crashes the instance after this many store writes.
    crash_after: Option<u64>,
    pub bots: Vec<Bot>,
    /// Socket name → player, for every open socket.
    sockets: BTreeMap<String, SocketId>,
    /// Every acknowledged entry: seq → hash when acknowledged.
    pub acked: BTreeMap<u64, Hash>,
    /// Every acknowledged entry up to this seq is in D1 as acknowledged (checked once).
    pub acked_in_d1: u64,
    pub ledger: Ledger,
    pub secrets: Secrets,
    /// D1's verified prefix: (last seq, its hash).
    pub d1_verified: (u64, Hash),
    digest: blake3::Hasher,
    step: u64,
    /// Pages of history answered, and the last seq of the last one.
    pages: u64,
    /// Frames the bots received, and (the room's seq, that count) when every view last
    /// matched a fresh SYNC: nothing a client holds or the room projects changed since then.
    frames_in: u64,
    views_ok: Option<(u64, u64)>,
    paged_to: u64,
    /// Checkpoints, lobby, pregame, deltas, typing (`features`).
    pub features: Features,
}

/// RFC 3339 in UTC with milliseconds, without a date library (days from the civil calendar).
fn iso(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms.rem_euclid(1000)
    )
}

fn config(f: &Features) -> HostConfig {
    HostConfig::from_vars(SECRET.into(), |k| {
        if k == pecking_order::room::secrets::TOKEN_SECRET {
            Some(TOKEN_SECRET.to_string())
        } else {
            f.var(k)
        }
    })
}

impl RoomSim {
    /// A new room: a STATIC SMOKE_TEST game of 4–6 players over 2–3 days (`long`: 5–7), starting a few
    /// simulated minutes after [`T0`], created through `POST …/init`.
    pub fn create(
        index: usize,
        seed: u64,
        long: bool,
        dice: &mut Dice,
    ) -> Result<RoomSim, crate::Broken> {
        let players = 4 + dice.below(3) as usize;
        let days = if long { 5 } else { 2 } + dice.below(if long { 3 } else { 2 }) as usize;
        let game = format!("sim-{seed}-{index}");
        let mut game_seed = [0u8; 32];
        game_seed[..8].copy_from_slice(&seed.to_le_bytes());
        game_seed[8] = index as u8;
        let mut features = Features::roll(dice, &game_seed);
        // DYNAMIC manifests and players who join later (`crate::dynamic`).
        let (joins, dynamic_body, initial) = crate::dynamic::roll(dice, players);
        let mut body = match dynamic_body {
            Some(b) => b,
            None => features::init_body(dice, &mut features, &game, players, days),
        };
        let start_ms = dice.now + 60_000 + dice.below(120) as i64 * 1000;
        body["manifest"]["startTime"] = json!(iso(start_ms));
        features.joins = joins.map(|mut j| {
            j.start_ms = start_ms;
            j
        });
        let store = Shared::default();
        let mut room = RoomSim {
            game: game.clone(),
            seed: game_seed,
            store: store.0.clone(),
            host: Host::new(config(&features), store, Vec::new()),
            d1: BTreeMap::new(),
            forks: Vec::new(),
            flight: None,
            reads: Vec::new(),
            alarm: None,
            timers: Vec::new(),
            d1_down: false,
            crash_after: None,
            bots: (1..=initial)
                .map(|i| Bot::new(&format!("p{i}"), seed ^ (index as u64) << 32))
                .collect(),
            sockets: BTreeMap::new(),
            acked: BTreeMap::new(),
            acked_in_d1: 0,
            ledger: Ledger::default(),
            secrets: Secrets::new(&game_seed),
            d1_verified: (0, pecking_order::journal::genesis_hash(&game)),
            digest: blake3::Hasher::new(),
            step: 0,
            pages: 0,
            frames_in: 0,
            views_ok: None,
            paged_to: 0,
            features,
        };
        let mut req = room.request("POST", "/init", body.to_string().into_bytes());
        req.seed = Ok(game_seed);
        let broken = |what: String| crate::Broken {
            room: index,
            step: 0,
            what,
        };
        let fx = room.host.handle(dice.now, Input::Http(req));
        match reply(&fx) {
            Some((201, _)) => {}
            other => return Err(broken(format!("init refused: {other:?}"))),
        }
        room.perform(dice, fx).map_err(broken)?;
        room.record_ack(1).map_err(broken)?;
        room.check(dice).map_err(broken)?;
        Ok(room)
    }

    fn request(&self, method: &str, path: &str, body: Vec<u8>) -> Request {
        let mut req = Request::new(method, &format!("/parties/game-server/{}{path}", self.game));
        req.authorization = format!("Bearer {SECRET}");
        req.body = Ok(body);
        req
    }

    /// One event, chosen by the dice, then the invariants.
    pub fn step(&mut self, dice: &mut Dice) -> Result<(), String> {
        self.step += 1;
        dice.now += dice.below(2500) as i64;
        // While a live game is on, the players are busy with it rather than waiting.
        let live = self.bots.iter().any(|b| features::live_game(&b.view));
        // The lobby's `…/player-joined` (always while nobody has joined a room without bots).
        if self.takes_joins() && (self.bots.is_empty() || dice.chance(self.join_odds())) {
            return self.join_steps(dice);
        }
        if self.admin_scheduled() && dice.chance(100) {
            return self.next_stage(dice);
        }
        match dice.below(100) {
            0..=29 => self.bot_moves(dice)?,
            82..=99 if live && dice.chance(700) => self.bot_moves(dice)?,
            30..=37 => {
                // A burst of frames from one bot, a few ms apart (past the rate limit at times).
                let b = dice.below(self.bots.len() as u64) as usize;
                for i in 0..1 + dice.below(40) {
                    dice.now += 1 + dice.below(60) as i64;
                    let msg = json!({ "type": "SOCIAL.SEND_MSG", "content": format!("burst {} {i}", self.step), "ref": format!("b{}-{i}", self.step) });
                    self.send_frame(dice, b, msg.to_string())?;
                    if i % 8 == 7 {
                        self.check(dice)?;
                    }
                }
            }
            38..=45 => self.d1_answers(dice)?,
            47..=54 => self.alarm_rings(dice)?,
            55..=57 => self.timer_fires(dice)?,
            58..=60 => self.secret_dm(dice)?,
            46 | 61 => {
                // The operator: credits, checkpoints, the Game Master, pushes, impersonation.
                let body = features::admin_body(dice, &mut self.features, self.bots.len());
                self.admin(dice, body)?;
            }
            62 => {
                // The operator's view, or a page of history (from D1 below the DO's rows).
                let req = if dice.chance(500) {
                    self.request("GET", "/state", Vec::new())
                } else {
                    let head = self.store.borrow().journal.last().map_or(1, |e| e.seq);
                    let from = 1 + dice.below(head + 1);
                    let limit = 1 + dice.below(300);
                    let mut req = self.request("GET", "/journal", Vec::new());
                    req.query = vec![
                        ("from".into(), from.to_string()),
                        ("limit".into(), limit.to_string()),
                    ];
                    req
                };
                self.input(dice, Input::Http(req))?;
            }
            63..=65 => self.drop_socket(dice)?,
            66 => {
                // Eviction: only an idle object hibernates (nothing awaited, no timer).
                if self.flight.is_none() && self.reads.is_empty() && self.timers.is_empty() {
                    dice.fault("eviction");
                    self.restart(dice, false)?;
                }
            }
            67..=68 => {
                dice.fault("crash");
                self.restart(dice, true)?;
            }
            69..=71 => {
                // The next input crashes the object after k of its store writes.
                dice.fault("crash after a write");
                self.crash_after = Some(dice.below(5));
            }
            72..=74 => {
                // Store writes fail part-way through the next input (the object survives).
                dice.fault("store write failed");
                self.store.borrow_mut().fail_after = Some(dice.below(4));
            }
            75..=76 => {
                dice.fault("D1 outage toggled");
                self.d1_down = !self.d1_down;
            }
            77 => {
                // A stray wake-up before the alarm's time.
                dice.fault("alarm early");
                self.input(dice, Input::Alarm)?;
            }
            78..=79 => {
                dice.fault("alarm duplicated");
                self.input(dice, Input::Alarm)?;
                self.input(dice, Input::Alarm)?;
            }
            80..=81 => {
                // The alarm handler dies half-way; the platform retries it later.
                if let Some(at) = self.alarm {
                    dice.fault("alarm lost, retried");
                    dice.now = dice.now.max(at);
                    self.crash_after = Some(dice.below(4));
                    self.input(dice, Input::Alarm)?;
                    dice.now += 1000 + dice.below(10_000) as i64;
                    self.alarm = Some(self.alarm.unwrap_or(at).min(at));
                }
            }
            82..=89 => {
                // Time passes to the alarm (the game moves on by alarms alone).
                if let Some(at) = self.alarm {
                    dice.now = dice.now.max(at);
                }
                self.alarm_rings(dice)?;
            }
            _ => {
                // A quiet spell, then whatever the alarm has to do.
                dice.now += 5_000 + dice.below(55_000) as i64;
                self.alarm_rings(dice)?;
            }
        }
        self.check(dice)
    }

    /// Ends the faults and lets the room drain: every batch answered, every alarm rung, until
    /// the outbox is empty; then the whole-history checks.
    pub fn settle(&mut self, dice: &mut Dice) -> Result<(), String> {
        self.d1_down = false;
        self.crash_after = None;
        self.store.borrow_mut().fail_after = None;
        for _ in 0..400 {
            if self.flight.is_some() {
                self.answer_d1(dice, true, true)?;
            } else if self.lobby_flight() {
                self.lobby_answers(dice, true)?;
            } else if self.store.borrow().outbox.is_empty() && !features::lobby_pending(self) {
                break;
            } else {
                dice.now += pecking_order::limits::BACKOFF_MAX_MS;
                self.alarm = None;
                self.input(dice, Input::Alarm)?;
            }
            self.check(dice)?;
        }
        self.views_ok = None;
        features::views_current(self)?;
        check::settled(self)?;
        features::lobby_settled(self)?;
        if self.ledger.ended {
            self.clean_up(dice)?;
        }
        Ok(())
    }

    pub fn report(&mut self, stats: &mut Stats, digest: &mut blake3::Hasher) {
        let head = self.store.borrow().journal.last().map_or(0, |e| e.seq);
        let head = head.max(self.d1.keys().last().copied().unwrap_or(0));
        stats.entries += head;
        stats.acked += self.acked.len() as u64;
        stats.finished += u64::from(self.ledger.ended);
        self.features.report(&mut stats.exercised);
        digest.update(self.digest.finalize().as_bytes());
        digest.update(&self.d1_verified.1 .0);
    }

    // -----------------------------------------------------------------------------------------
    // Inputs

    /// One input to the host at the dice's time, and its effects performed (or, when a crash
    /// was planned for it, dropped with the instance).
    fn input(&mut self, dice: &mut Dice, input: Input) -> Result<(), String> {
        if self.store.borrow().fail_after.is_some() {
            self.bots.iter_mut().for_each(|b| b.lagging = true);
        }
        let crash = self.crash_after.take();
        if let Some(k) = crash {
            self.store.borrow_mut().fail_after = Some(k);
        }
        let fx = self.host.handle(dice.now, input);
        self.store.borrow_mut().fail_after = None;
        if crash.is_some() {
            // The object died after k writes: nothing it was about to do happens.
            return self.restart(dice, true);
        }
        self.perform(dice, fx)
    }

    fn admin(&mut self, dice: &mut Dice, body: Value) -> Result<(), String> {
        let req = self.request("POST", "/admin", body.to_string().into_bytes());
        if self.store.borrow().fail_after.is_some() {
            self.bots.iter_mut().for_each(|b| b.lagging = true);
        }
        let crash = self.crash_after.is_some();
        let fx_seq = {
            if let Some(k) = self.crash_after.take() {
                self.store.borrow_mut().fail_after = Some(k);
            }
            let fx = self.host.handle(dice.now, Input::Http(req));
            self.store.borrow_mut().fail_after = None;
            if crash {
                return self.restart(dice, true);
            }
            let seq = match reply(&fx) {
                // A checkpoint's `seq` is the last entry it covers; its own is `entrySeq`.
                Some((200, v)) if v["note"].is_string() => {
                    features::checkpoint_frame(self, &v)?;
                    v["entrySeq"].as_u64()
                }
                Some((200, v)) => v["seq"].as_u64(),
                _ => None,
            };
            self.perform(dice, fx)?;
            seq
        };
        match fx_seq {
            Some(seq) => self.record_ack(seq),
            None => Ok(()),
        }
    }

    fn bot_moves(&mut self, dice: &mut Dice) -> Result<(), String> {
        let b = dice.below(self.bots.len() as u64) as usize;
        if self.bots[b].socket.is_none() {
            return self.connect(dice, b);
        }
        if self.bots[b].view.is_null() {
            return Ok(());
        }
        if dice.chance(80) {
            // A typing signal: relayed or refused, never journaled.
            let head = self.store.borrow().journal.last().map(|e| e.seq);
            let msg = features::typing(dice, self.bots.len());
            self.features.typing += 1;
            self.send_frame(dice, b, msg.to_string())?;
            if self.store.borrow().journal.last().map(|e| e.seq) != head {
                return Err(format!("the typing signal {msg} journaled an entry"));
            }
            return Ok(());
        }
        if features::live_game(&self.bots[b].view) {
            // A live game is on: every connected player plays a move of it.
            for i in 0..self.bots.len() {
                if let Some(msg) =
                    features::extra_move(dice, &mut self.features, &self.bots[i].view)
                {
                    self.send_frame(dice, i, msg.to_string())?;
                }
            }
            return Ok(());
        }
        // Live games and the pregame reveal (the policy plays neither), else the policy's move.
        let extra = features::extra_move(dice, &mut self.features, &self.bots[b].view);
        let bot = &self.bots[b];
        let policy = match extra {
            Some(_) => None,
            None => bot.policy.next(&bot.view, dice.now),
        };
        let mut msg = match (extra, policy) {
            (Some(msg), _) => msg,
            (None, Some(mv)) => {
                self.bots[b].policy.done.insert(mv.key);
                mv.msg
            }
            // Nothing left to do today: chatter in MAIN (refused, and journaled, when closed).
            (None, None) => {
                json!({ "type": "SOCIAL.SEND_MSG", "content": format!("chirp {}", self.step) })
            }
        };
        let bot = &mut self.bots[b];
        bot.refs += 1;
        msg["ref"] = json!(format!("r{}", bot.refs));
        self.send_frame(dice, b, msg.to_string())
    }

    /// A DM whose text is unique to this room and move: nobody but its two ends may ever see it.
    fn secret_dm(&mut self, dice: &mut Dice) -> Result<(), String> {
        let n = self.bots.len() as u64;
        let (a, b) = (dice.below(n) as usize, dice.below(n) as usize);
        if a == b || self.bots[a].socket.is_none() {
            return Ok(());
        }
        let text = self
            .secrets
            .new_dm(&self.bots[a].player, &self.bots[b].player);
        let msg = json!({ "type": "SOCIAL.SEND_MSG", "recipientIds": [self.bots[b].player], "content": text });
        self.send_frame(dice, a, msg.to_string())
    }

    fn send_frame(&mut self, dice: &mut Dice, b: usize, text: String) -> Result<(), String> {
        let Some(socket) = self.bots[b].socket.clone() else {
            return Ok(());
        };
        let identity = self.sockets.get(&socket).cloned();
        self.input(
            dice,
            Input::Frame {
                socket,
                identity,
                data: text.into_bytes(),
            },
        )
    }

    fn connect(&mut self, dice: &mut Dice, b: usize) -> Result<(), String> {
        let player = self.bots[b].player.clone();
        let token = mint(
            TOKEN_SECRET.as_bytes(),
            &Claims {
                sub: format!("user-{player}"),
                game_id: self.game.clone(),
                player_id: player.clone(),
                exp: (dice.now / 1000) + 7 * 86_400,
            },
        );
        let mut req = self.request("GET", "", Vec::new());
        req.upgrade = "websocket".into();
        req.query = vec![("token".into(), token)];
        // Half the connections take deltas, most of those resuming from a version.
        self.bots[b].resume = None;
        if dice.chance(500) {
            req.query.push(("delta".into(), "1".into()));
            let v = features::resume_v(dice, &self.bots[b].held);
            if let Some(v) = v {
                self.bots[b].resume = Some(v.parse::<u64>().ok());
                req.query.push(("v".into(), v));
            } else {
                self.bots[b].resume = Some(None);
            }
        }
        self.input(dice, Input::Http(req))
    }

    fn drop_socket(&mut self, dice: &mut Dice) -> Result<(), String> {
        let open: Vec<String> = self.sockets.keys().cloned().collect();
        if open.is_empty() {
            return Ok(());
        }
        dice.fault("socket dropped");
        let socket = open[dice.below(open.len() as u64) as usize].clone();
        let identity = self.sockets.remove(&socket);
        self.forget_socket(&socket);
        let echo = dice.chance(500);
        self.input(
            dice,
            Input::SocketGone {
                socket,
                identity,
                echo,
            },
        )
    }

    fn forget_socket(&mut self, socket: &str) {
        for bot in &mut self.bots {
            if bot.socket.as_deref() == Some(socket) {
                bot.socket = None;
            }
        }
    }

    fn alarm_rings(&mut self, dice: &mut Dice) -> Result<(), String> {
        let Some(at) = self.alarm else {
            return Ok(());
        };
        if dice.now < at {
            return Ok(());
        }
        if dice.chance(100) {
            dice.fault("alarm late");
            dice.now += dice.below(30_000) as i64;
        }
        self.alarm = None;
        self.input(dice, Input::Alarm)
    }

    fn timer_fires(&mut self, dice: &mut Dice) -> Result<(), String> {
        let Some(i) = (0..self.timers.len()).min_by_key(|i| self.timers[*i]) else {
            return Ok(());
        };
        let at = self.timers.remove(i);
        dice.now = dice.now.max(at);
        self.input(dice, Input::Timer)
    }

    /// D1 answers the batch in flight: written and answered, failed, timed out (written or
    /// not), or written with the answer lost.
    fn d1_answers(&mut self, dice: &mut Dice) -> Result<(), String> {
        if self.lobby_flight() && dice.chance(500) {
            return self.lobby_answers(dice, false);
        }
        if let Some(read) = self.reads.pop() {
            let rows: Vec<Entry> = self
                .d1
                .range(read.from..=read.to)
                .map(|(_, e)| e.clone())
                .collect();
            let result = if self.d1_down {
                Err("D1 is down".into())
            } else {
                Ok(rows)
            };
            return self.input(dice, Input::D1Read { read, result });
        }
        if self.flight.is_none() {
            return Ok(());
        }
        match dice.below(10) {
            0 => {
                dice.fault("D1 batch failed");
                self.answer_d1(dice, false, false)
            }
            1 => {
                dice.fault("D1 batch timed out");
                let written = dice.chance(500);
                self.answer_d1(dice, written, false)
            }
            2 => {
                // D1 wrote it and the object never heard back (it was reset).
                dice.fault("D1 wrote, no answer");
                let b = self.flight.take().expect("in flight");
                self.apply_d1(&b);
                self.restart(dice, true)
            }
            _ => {
                let up = !self.d1_down;
                self.answer_d1(dice, up, up)
            }
        }
    }

    fn lobby_flight(&self) -> bool {
        self.features
            .lobby
            .as_ref()
            .is_some_and(|l| l.flight.is_some())
    }

    /// The simulated lobby answers the room's call (`ok`: with 200), or fails, times out,
    /// answers late (by the dice).
    fn lobby_answers(&mut self, dice: &mut Dice, ok: bool) -> Result<(), String> {
        let Some(call) = self.features.lobby.as_mut().and_then(|l| l.flight.take()) else {
            return Ok(());
        };
        let (reached, result) = if ok {
            (true, Ok(200))
        } else {
            features::lobby_answer(dice)
        };
        if reached {
            features::lobby_received(self, call.status);
        }
        self.input(
            dice,
            Input::LobbyDone {
                status: call.status,
                result,
            },
        )
    }

    fn answer_d1(&mut self, dice: &mut Dice, written: bool, ok: bool) -> Result<(), String> {
        let Some(b) = self.flight.take() else {
            return Ok(());
        };
        if written && !self.d1_down {
            self.apply_d1(&b);
        }
        let result = if ok && !self.d1_down {
            Ok(())
        } else {
            Err("D1 failed".to_string())
        };
        self.input(
            dice,
            Input::D1Done {
                up_to: b.up_to,
                result,
            },
        )
    }

    fn apply_d1(&mut self, b: &D1Batch) {
        for row in &b.rows {
            if let D1Row::Journal(e) = row {
                match self.d1.get(&e.seq) {
                    Some(old) if old != e => self.forks.push(e.seq),
                    Some(_) => {}
                    None => {
                        self.d1.insert(e.seq, e.clone());
                    }
                }
            }
        }
    }

    /// A new instance over what storage holds. `crash`: the process died (sockets closed, the
    /// batch in flight reached D1 or not); otherwise an eviction (hibernated sockets survive).
    fn restart(&mut self, dice: &mut Dice, crash: bool) -> Result<(), String> {
        self.views_ok = None;
        if let Some(b) = self.flight.take() {
            if dice.chance(500) && !self.d1_down {
                self.apply_d1(&b);
            }
        }
        self.reads.clear();
        self.timers.clear();
        // The lobby call in flight dies with the instance; it reached the lobby or not.
        if let Some(call) = self.features.lobby.as_mut().and_then(|l| l.flight.take()) {
            if dice.chance(500) {
                features::lobby_received(self, call.status);
            }
        }
        let store = Shared(self.store.clone()).copy();
        self.store = store.0.clone();
        let sockets: Vec<SocketId> = if crash {
            self.sockets.clear();
            for bot in &mut self.bots {
                bot.socket = None;
            }
            Vec::new()
        } else {
            self.sockets.values().cloned().collect()
        };
        self.host = Host::new(config(&self.features), store, sockets);
        check::restart_equals_replay(self)
    }

    /// Performs effects: answers are checked, sockets opened and closed, D1 and alarms queued.
    fn perform(&mut self, dice: &mut Dice, fx: Vec<Effect>) -> Result<(), String> {
        for e in fx {
            match e {
                Effect::Reply { status, body, .. } => {
                    let text = match &body {
                        ReplyBody::Json(t) | ReplyBody::Ndjson(t) => t,
                    };
                    self.digest.update(&status.to_le_bytes());
                    self.digest.update(text.as_bytes());
                    // A failed store write is a 500 STORAGE_FAILED; INTERNAL is a bug.
                    if status == 500 && text.contains(r#""code":"INTERNAL""#) {
                        return Err(format!("a reply 500 INTERNAL: {text}"));
                    }
                    if let ReplyBody::Ndjson(t) = &body {
                        self.page(t)?;
                    } else {
                        self.seed_revealed_now(text);
                        self.secrets.check_public(text)?;
                        features::qa_secrecy(self, text)?;
                    }
                }
                Effect::Accept { socket, identity } => {
                    if let Some(id) = identity {
                        if let Some(bot) = self.bots.iter_mut().find(|b| b.player == id.player_id) {
                            if let Some(old) = bot.socket.replace(socket.clone()) {
                                self.sockets.remove(&old);
                            }
                        }
                        self.sockets.insert(socket, id);
                    }
                }
                Effect::Send { socket, text } => {
                    self.digest.update(socket.as_bytes());
                    self.digest.update(text.as_bytes());
                    self.receive(dice, &socket, &text)?;
                }
                // What a hibernated socket keeps: the next eviction restores it.
                Effect::Attach { identity } => {
                    if let Some(id) = self.sockets.get_mut(&identity.cid) {
                        *id = identity;
                    }
                }
                Effect::Close { socket, .. } => {
                    self.sockets.remove(&socket);
                    self.forget_socket(&socket);
                }
                Effect::WriteD1(b) => {
                    if self.flight.is_some() {
                        return Err(format!("two D1 batches in flight (up to {})", b.up_to));
                    }
                    self.flight = Some(b);
                }
                Effect::ReadD1(r) => self.reads.push(r),
                Effect::SetAlarm(t) => self.alarm = Some(t),
                Effect::ClearAlarm => self.alarm = None,
                Effect::StartTimer(t) => self.timers.push(t),
                Effect::Log(_) => {}
                Effect::NotifyLobby(c) => features::lobby_called(self, c)?,
                // The simulated rooms have no VAPID key: never emitted.
                Effect::SendPushes(b) => {
                    return Err(format!("pushes without VAPID_PRIVATE_KEY: {b:?}"))
                }
            }
        }
        Ok(())
    }

    fn check(&mut self, _dice: &mut Dice) -> Result<(), String> {
        check::after_step(self)?;
        self.after_joins()?;
        // Every client's view against a fresh SYNC, unless neither the room nor any client
        // changed since they last matched (docs/testing.md).
        let now = self.host.live().map(|l| (l.room.seq(), self.frames_in));
        if now.is_none() || now != self.views_ok {
            self.views_ok = None;
            if features::views_current(self)? {
                self.views_ok = now;
            }
        }
        Ok(())
    }

    /// Whether a trailing SYNC is due (this instance's timer).
    pub fn timers_pending(&self) -> bool {
        !self.timers.is_empty()
    }
}

/// The status and JSON body of the reply in `fx`.
fn reply(fx: &[Effect]) -> Option<(u16, Value)> {
    fx.iter().find_map(|e| match e {
        Effect::Reply {
            status,
            body: ReplyBody::Json(t),
            ..
        } => Some((*status, serde_json::from_str(t).unwrap_or(Value::Null))),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_dates() {
        assert_eq!(super::iso(crate::T0), "2026-12-01T08:58:00.000Z");
        assert_eq!(super::iso(951_782_400_123), "2000-02-29T00:00:00.123Z");
    }
}
