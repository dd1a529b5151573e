//! The room's later features in the simulator (docs/testing.md, "The simulator"): signed
//! checkpoints, delta frames and resume, lobby status callbacks, live games, the pregame (Q&A
//! reveals), typing signals and the prototype lobby's payload shapes; with their invariants.
//!
//! - **Checkpoints**: every signed note a socket receives verifies with the room's key and
//!   states the chain's hash at its seq; every SYSTEM.CHECKPOINT journaled covers a seq no other
//!   covers, with the chain's head there (after any crash or restart).
//! - **Deltas**: a socket with `delta=1` applies each SYSTEM.DELTA to the frame of its `base`,
//!   which must be the version it holds (or resumed from); what it holds equals the projection
//!   a fresh socket's SYNC would carry whenever no trailing SYNC is pending; one version is one
//!   projection.
//! - **Lobby**: a simulated lobby that fails, times out or answers late; each status owed is
//!   delivered (2xx stored) once, never called again once stored, one call at a time, never
//!   before the entry that made it owed is in D1.
//! - **Typing** is never journaled; **Q&A answers** reach no socket before their reveal.

use crate::room::RoomSim;
use crate::Dice;
use pecking_order::checkpoint::{verify_note, CheckpointKey, PublicKey};
use pecking_order::journal::{Entry, Hash};
use pecking_order::room::host::{LobbyCall, LobbyStatus};
use pecking_order::room::live::{Meta, Store};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// How many versions a simulated client keeps to resume from (the room keeps 8).
const HELD: usize = 10;

/// What a room of this seed has switched on, and what its feature invariants remember.
#[derive(Default)]
pub(crate) struct Features {
    /// CHECKPOINT_KEY (64 hex digits) and its public half, when the room signs checkpoints.
    pub key_hex: Option<String>,
    public: Option<PublicKey>,
    /// Covered seq → (the checkpoint entry's seq, the head it states).
    checkpoints: BTreeMap<u64, (u64, Hash)>,
    /// The simulated lobby, when the room has LOBBY_HOST.
    pub lobby: Option<Lobby>,
    /// The entries that made IN_PROGRESS and COMPLETED owed.
    started_seq: Option<u64>,
    ended_seq: Option<u64>,
    /// Q&A answer texts (secret until revealed) and those revealed.
    pub qa: Vec<String>,
    qa_revealed: BTreeSet<String>,
    /// A DYNAMIC manifest and/or players joining after `/init` (`crate::dynamic`).
    pub joins: Option<crate::dynamic::Joins>,
    /// Figures for the report.
    pub notes: u64,
    pub deltas: u64,
    pub resumed: u64,
    pub typing: u64,
    /// Moves the policy does not make, and operator commands, by kind.
    pub moves: BTreeMap<&'static str, u64>,
}

/// The lobby as the simulator plays it.
#[derive(Default)]
pub(crate) struct Lobby {
    /// The call the room made and nobody answered yet.
    pub flight: Option<LobbyCall>,
    /// Calls that reached the lobby, by status.
    pub received: BTreeMap<&'static str, u64>,
}

fn name(s: LobbyStatus) -> &'static str {
    match s {
        LobbyStatus::InProgress => "IN_PROGRESS",
        LobbyStatus::Completed => "COMPLETED",
    }
}

fn bit(s: LobbyStatus) -> i64 {
    match s {
        LobbyStatus::InProgress => 1,
        LobbyStatus::Completed => 2,
    }
}

impl Features {
    /// Adds what this room exercised to `out`.
    pub fn report(&self, out: &mut BTreeMap<&'static str, u64>) {
        let cps = self.checkpoints.len() as u64;
        let lobby = self.lobby.as_ref();
        let received = lobby.map_or(0, |l| l.received.values().sum());
        for (k, v) in [
            (
                "rooms with CHECKPOINT_KEY",
                u64::from(self.public.is_some()),
            ),
            ("checkpoints journaled", cps),
            ("checkpoint notes verified", self.notes),
            ("deltas applied", self.deltas),
            ("resumed with a delta", self.resumed),
            ("typing signals", self.typing),
            ("rooms with LOBBY_HOST", u64::from(lobby.is_some())),
            ("lobby calls received", received),
            ("Q&A answers revealed", self.qa_revealed.len() as u64),
        ] {
            *out.entry(k).or_default() += v;
        }
        for (k, v) in &self.moves {
            *out.entry(k).or_default() += v;
        }
        if let Some(j) = &self.joins {
            j.report(out);
        }
    }

    /// Switches features on by the dice: a checkpoint key, a lobby.
    pub fn roll(dice: &mut Dice, seed: &[u8; 32]) -> Features {
        let mut f = Features::default();
        if dice.chance(600) {
            let hex = blake3::hash(seed).to_hex().to_string();
            let key = CheckpointKey::from_secret(&hex).expect("64 hex digits");
            f.public = Some(key.public());
            f.key_hex = Some(hex);
        }
        if dice.chance(600) {
            f.lobby = Some(Lobby::default());
        }
        f
    }

    /// The vars the host reads for them.
    pub fn var(&self, k: &str) -> Option<String> {
        match k {
            pecking_order::checkpoint::CHECKPOINT_KEY => self.key_hex.clone(),
            "LOBBY_HOST" => self.lobby.as_ref().map(|_| "http://lobby.sim".to_string()),
            _ => None,
        }
    }
}

/// The `/init` body: the STATIC game (with or without daily games), in the prototype lobby's
/// shape at times (a roster object with its fields and Q&A answers), with a live game
/// (REALTIME_TRIVIA, TOUCH_SCREEN LIVE or SOLO) on a day at times.
pub(crate) fn init_body(
    dice: &mut Dice,
    f: &mut Features,
    game: &str,
    players: usize,
    days: usize,
) -> Value {
    let body = if dice.chance(500) {
        pecking_order::sim::init_body_with_games(players, days)
    } else {
        pecking_order::sim::init_body(players, days)
    };
    let mut body: Value = serde_json::from_slice(&body).unwrap_or_default();
    if days >= 2 && dice.chance(600) {
        let live = match dice.below(3) {
            0 => json!({ "voteType": "MAJORITY", "gameType": "REALTIME_TRIVIA" }),
            1 => json!({ "voteType": "MAJORITY", "gameType": "TOUCH_SCREEN", "gameMode": "LIVE" }),
            _ => json!({ "voteType": "MAJORITY", "gameType": "TOUCH_SCREEN", "gameMode": "SOLO" }),
        };
        let d = dice.below(days as u64 - 1) as usize;
        body["manifest"]["days"][d] = live;
    }
    if dice.chance(500) {
        // The prototype lobby's shape: a roster object keyed by player id, its fields, Q&A.
        let mut roster = serde_json::Map::new();
        for i in 1..=players {
            let qa: Vec<Value> = (0..dice.below(4))
                .map(|q| {
                    let answer = format!("qa{}secret{game}p{i}x{q}", f.qa.len());
                    f.qa.push(answer.clone());
                    json!({ "question": format!("Q{q}?"), "answer": answer })
                })
                .collect();
            let mut p = json!({
                "realUserId": format!("user-p{i}"), "personaName": format!("Player {i}"),
                "avatarUrl": "/a.png", "bio": "", "isAlive": true, "isSpectator": false,
                "silver": 50, "gold": 0, "destinyId": null,
            });
            if !qa.is_empty() {
                p["qaAnswers"] = Value::Array(qa);
            }
            roster.insert(format!("p{i}"), p);
        }
        body["roster"] = Value::Object(roster);
        body["lobbyId"] = json!("lobby-sim");
        body["inviteCode"] = json!("SIM123");
        body["manifest"]["gameMode"] = json!("PECKING_ORDER");
        body["manifest"]["maxPlayers"] = json!(players);
    }
    body
}

/// A move the bots' policy does not make: live games, the pregame reveal, typing (None: the
/// policy's move). Typing frames are sent by [`typing`].
pub(crate) fn extra_move(dice: &mut Dice, f: &mut Features, view: &Value) -> Option<Value> {
    let phase = view["phase"].as_str().unwrap_or_default();
    if phase == "PRE_GAME" && dice.chance(300) {
        *f.moves.entry("PREGAME.REVEAL_ANSWER sent").or_default() += 1;
        return Some(json!({ "type": "PREGAME.REVEAL_ANSWER", "qIndex": dice.below(4) }));
    }
    let game = view["games"]["active"]["gameType"]
        .as_str()
        .unwrap_or_default();
    let mv = match game {
        "REALTIME_TRIVIA" => {
            json!({ "type": "GAME.REALTIME_TRIVIA.ANSWER", "answerIndex": dice.below(4) })
        }
        "TOUCH_SCREEN" => match dice.below(4) {
            0 => json!({ "type": "GAME.TOUCH_SCREEN.READY" }),
            1 => json!({ "type": "GAME.TOUCH_SCREEN.START" }),
            2 => json!({ "type": "GAME.TOUCH_SCREEN.TOUCH" }),
            _ => json!({ "type": "GAME.TOUCH_SCREEN.RELEASE" }),
        },
        _ => return None,
    };
    if !dice.chance(600) {
        return None;
    }
    *f.moves
        .entry(if game == "REALTIME_TRIVIA" {
            "REALTIME_TRIVIA moves"
        } else {
            "TOUCH_SCREEN moves"
        })
        .or_default() += 1;
    Some(mv)
}

/// Whether a live game (REALTIME_TRIVIA, TOUCH_SCREEN) is on in this view.
pub(crate) fn live_game(view: &Value) -> bool {
    matches!(
        view["games"]["active"]["gameType"].as_str(),
        Some("REALTIME_TRIVIA" | "TOUCH_SCREEN")
    )
}

/// An operator command: credits (most), a checkpoint, the Game Master, push switches,
/// impersonation, an INJECT_PROMPT, an elimination.
pub(crate) fn admin_body(dice: &mut Dice, f: &mut Features, players: usize) -> Value {
    let who = format!("p{}", 1 + dice.below(players as u64));
    let (kind, body) = match dice.below(12) {
        0..=4 => {
            let amount = dice.below(20) as i64 - 5;
            (
                "CREDIT_SILVER",
                json!({ "type": "CREDIT_SILVER", "rewards": { who: amount } }),
            )
        }
        5 | 6 => ("CHECKPOINT", json!({ "type": "CHECKPOINT" })),
        7 => {
            let body = if dice.chance(500) {
                json!({ "type": "SEND_GAME_MASTER_MSG", "content": "The Game Master speaks" })
            } else {
                json!({ "type": "SEND_GAME_MASTER_MSG", "content": "psst", "targetId": who })
            };
            ("SEND_GAME_MASTER_MSG", body)
        }
        8 => (
            "UPDATE_PUSH_CONFIG",
            json!({ "type": "UPDATE_PUSH_CONFIG", "pushConfig": { "DM_SENT": dice.chance(500) } }),
        ),
        9 => (
            "SEND_PLAYER_EVENT",
            json!({ "type": "SEND_PLAYER_EVENT", "senderId": who,
                    "event": { "type": "SOCIAL.SEND_MSG", "content": "said for them" } }),
        ),
        10 => (
            "INJECT_PROMPT",
            json!({ "type": "INJECT_TIMELINE_EVENT", "action": "INJECT_PROMPT",
                    "payload": { "text": "a prompt" } }),
        ),
        _ => (
            "ELIMINATE_PLAYER",
            json!({ "type": "ELIMINATE_PLAYER", "playerId": who, "reason": "sim" }),
        ),
    };
    *f.moves.entry(kind).or_default() += 1;
    body
}

/// A typing signal, in MAIN or a conversation (existing or not).
pub(crate) fn typing(dice: &mut Dice, players: usize) -> Value {
    let channel = match dice.below(3) {
        0 | 1 => "MAIN".to_string(),
        _ => format!(
            "dm:{}:{}",
            1 + dice.below(players as u64),
            1 + dice.below(players as u64)
        ),
    };
    let typ = if dice.chance(600) {
        "PRESENCE.TYPING"
    } else {
        "PRESENCE.STOP_TYPING"
    };
    json!({ "type": typ, "channelId": channel })
}

/// The resume version a reconnecting delta client sends: the one it holds, an older one it
/// kept, or garbage the room must answer with a full SYNC (None: no `v`).
pub(crate) fn resume_v(dice: &mut Dice, held: &[(u64, Value)]) -> Option<String> {
    let last = held.last()?;
    Some(match dice.below(10) {
        0..=5 => last.0.to_string(),
        6 | 7 => held[dice.below(held.len() as u64) as usize].0.to_string(),
        _ => ["-1", "1.5", "x", "", "18446744073709551616", "99999999"][dice.below(6) as usize]
            .to_string(),
    })
}

/// Keeps `(v, view)` as a version the client may resume from; one version is one projection.
pub(crate) fn hold(held: &mut Vec<(u64, Value)>, v: u64, view: &Value) -> Result<(), String> {
    if let Some((_, old)) = held.iter().find(|(x, _)| *x == v) {
        if old != view {
            return Err(format!("two projections of version {v} for one player"));
        }
        return Ok(());
    }
    held.push((v, view.clone()));
    if held.len() > HELD {
        held.remove(0);
    }
    Ok(())
}

/// Applies a SYSTEM.DELTA's `ops` (RFC 6902, with an independent implementation).
pub(crate) fn apply(base: &Value, ops: &Value) -> Result<Value, String> {
    let patch: json_patch::Patch =
        serde_json::from_value(ops.clone()).map_err(|e| format!("a delta's ops: {e}"))?;
    let mut doc = base.clone();
    json_patch::patch(&mut doc, &patch).map_err(|e| format!("a delta does not apply: {e}"))?;
    Ok(doc)
}

/// The facts of the entry that starts day 1, and of one that ends the game.
const STARTED: &str = r#""type":"PHASE_CHANGED","phase":"DAY""#;
const ENDED: [&str; 2] = [
    r#""type":"PHASE_CHANGED","phase":"GAME_SUMMARY""#,
    r#""type":"PHASE_CHANGED","phase":"GAME_OVER""#,
];

/// The entry `seq`, from the DO's rows or D1.
fn entry(room: &RoomSim, seq: u64) -> Option<Entry> {
    let s = room.store.borrow();
    s.journal
        .iter()
        .find(|e| e.seq == seq)
        .cloned()
        .or_else(|| room.d1.get(&seq).cloned())
}

/// A CHECKPOINT frame: its note verifies with the room's key and states the chain's hash at
/// its seq.
pub(crate) fn checkpoint_frame(room: &mut RoomSim, f: &Value) -> Result<(), String> {
    let Some(public) = room.features.public.clone() else {
        return Err("a CHECKPOINT frame from a room without CHECKPOINT_KEY".into());
    };
    let note = f["note"].as_str().unwrap_or_default();
    let cp = verify_note(note, &public).map_err(|e| format!("a checkpoint note: {e}"))?;
    if Some(cp.seq) != f["seq"].as_u64()
        || Some(cp.head.to_hex()) != f["head"].as_str().map(String::from)
    {
        return Err(format!(
            "a CHECKPOINT frame differs from its note at {}",
            cp.seq
        ));
    }
    match entry(room, cp.seq) {
        Some(e) if e.hash == cp.head => {}
        _ => {
            return Err(format!(
                "a signed checkpoint's head is not the chain's at {}",
                cp.seq
            ))
        }
    }
    if cp.game_id != room.game {
        return Err("a checkpoint of another game".into());
    }
    room.features.notes += 1;
    Ok(())
}

/// Each new journaled entry (in order, once): checkpoints, what the lobby is owed from, Q&A
/// reveals, and that typing is never journaled.
pub(crate) fn new_entry(room: &mut RoomSim, e: &Entry) -> Result<(), String> {
    if e.typ.starts_with("PRESENCE.") || e.payload.contains("PRESENCE.") {
        return Err(format!("entry {}: a typing signal was journaled", e.seq));
    }
    if e.typ == "SYSTEM.CHECKPOINT" && !e.verdict.is_accepted() {
        return Err(format!(
            "entry {}: the room's own checkpoint was refused ({:?})",
            e.seq, e.verdict
        ));
    }
    if let Some(cp) = pecking_order::room::checkpoint_of(e) {
        if room.features.public.is_none() {
            return Err(format!("entry {}: a checkpoint without the key", e.seq));
        }
        if cp.seq >= e.seq {
            return Err(format!("entry {}: a checkpoint of seq {}", e.seq, cp.seq));
        }
        match entry(room, cp.seq) {
            Some(c) if c.hash == cp.head => {}
            _ => {
                return Err(format!(
                    "entry {}: a checkpoint's head is not the chain's",
                    e.seq
                ))
            }
        }
        if let Some((other, _)) = room.features.checkpoints.insert(cp.seq, (e.seq, cp.head)) {
            if other != e.seq {
                return Err(format!(
                    "two checkpoints (entries {other} and {}) for seq {}",
                    e.seq, cp.seq
                ));
            }
        }
    }
    if let Some(j) = room.features.joins.as_mut() {
        j.entry(e)?;
    }
    if e.verdict.is_accepted() {
        let f = &e.facts;
        if room.features.started_seq.is_none() && f.contains(STARTED) {
            room.features.started_seq = Some(e.seq);
        }
        if room.features.ended_seq.is_none() && ENDED.iter().any(|p| f.contains(p)) {
            room.features.ended_seq = Some(e.seq);
        }
        if f.contains("QA_REVEALED") {
            let revealed: Vec<String> = room
                .features
                .qa
                .iter()
                .filter(|a| f.contains(a.as_str()))
                .cloned()
                .collect();
            room.features.qa_revealed.extend(revealed);
        }
    }
    Ok(())
}

/// A frame or reply: no Q&A answer before its reveal (the reveal may be in this very step, not
/// yet read by [`new_entry`]: the DO's rows are searched then).
pub(crate) fn qa_secrecy(room: &RoomSim, text: &str) -> Result<(), String> {
    for a in &room.features.qa {
        if text.contains(a.as_str()) && !room.features.qa_revealed.contains(a) {
            let s = room.store.borrow();
            let revealed = s
                .journal
                .iter()
                .any(|e| e.facts.contains("QA_REVEALED") && e.facts.contains(a.as_str()));
            if !revealed {
                return Err(format!("the Q&A answer {a:?} was sent before its reveal"));
            }
        }
    }
    Ok(())
}

/// The room called the lobby: one call at a time, a status owed and not yet stored as
/// delivered, never before the entry that made it owed is in D1.
pub(crate) fn lobby_called(room: &mut RoomSim, call: LobbyCall) -> Result<(), String> {
    let d1_head = room.d1.len() as u64;
    let sent = room
        .store
        .borrow()
        .meta(Meta::LobbySent)
        .ok()
        .flatten()
        .unwrap_or(0);
    // The entry may be of this very step, not yet read by `new_entry`.
    let owed_at = match call.status {
        LobbyStatus::InProgress => room.features.started_seq,
        LobbyStatus::Completed => room.features.ended_seq,
    }
    .or_else(|| {
        let s = room.store.borrow();
        s.journal
            .iter()
            .filter(|e| e.verdict.is_accepted())
            .find(|e| match call.status {
                LobbyStatus::InProgress => e.facts.contains(STARTED),
                LobbyStatus::Completed => ENDED.iter().any(|p| e.facts.contains(p)),
            })
            .map(|e| e.seq)
    });
    let Some(lobby) = room.features.lobby.as_mut() else {
        return Err(format!("a lobby call without LOBBY_HOST: {call:?}"));
    };
    if call.game_id != room.game {
        return Err(format!("a lobby call for another game: {call:?}"));
    }
    if let Some(f) = &lobby.flight {
        return Err(format!("two lobby calls at once: {f:?} and {call:?}"));
    }
    if sent & bit(call.status) != 0 {
        return Err(format!(
            "{} called again after its delivery was stored",
            name(call.status)
        ));
    }
    match owed_at {
        None => return Err(format!("{} called before it is owed", name(call.status))),
        Some(seq) if seq > d1_head => {
            return Err(format!(
                "{} called before its entry {seq} is in D1 (D1 holds {d1_head})",
                name(call.status)
            ))
        }
        _ => {}
    }
    lobby.flight = Some(call);
    Ok(())
}

/// How the lobby answers the call in flight, by the dice: (reached the lobby, the answer).
pub(crate) fn lobby_answer(dice: &mut Dice) -> (bool, Result<u16, String>) {
    match dice.below(10) {
        0 => {
            dice.fault("lobby failed");
            (false, Ok(503))
        }
        1 => {
            dice.fault("lobby timed out");
            (false, Err("no answer within 5 s".into()))
        }
        2 => {
            // It did the work, and its answer came after the Worker gave up.
            dice.fault("lobby answered late");
            (true, Err("no answer within 5 s".into()))
        }
        3 => {
            dice.fault("lobby unreachable");
            (false, Err("connection refused".into()))
        }
        4 => (true, Ok(204)),
        _ => (true, Ok(200)),
    }
}

/// Records that a call reached the lobby.
pub(crate) fn lobby_received(room: &mut RoomSim, status: LobbyStatus) {
    if let Some(l) = room.features.lobby.as_mut() {
        *l.received.entry(name(status)).or_default() += 1;
    }
}

/// After the room settled: each status owed was delivered and stored, and reached the lobby;
/// nothing else did.
pub(crate) fn lobby_settled(room: &RoomSim) -> Result<(), String> {
    let Some(lobby) = &room.features.lobby else {
        return Ok(());
    };
    let sent = room
        .store
        .borrow()
        .meta(Meta::LobbySent)
        .ok()
        .flatten()
        .unwrap_or(0);
    for (status, owed) in [
        (LobbyStatus::InProgress, room.features.started_seq.is_some()),
        (LobbyStatus::Completed, room.features.ended_seq.is_some()),
    ] {
        let got = lobby.received.get(name(status)).copied().unwrap_or(0);
        let stored = sent & bit(status) != 0;
        if owed && (!stored || got == 0) {
            return Err(format!(
                "{} owed but not delivered (stored {stored}, received {got})",
                name(status)
            ));
        }
        if !owed && (stored || got > 0) {
            return Err(format!("{} delivered but never owed", name(status)));
        }
    }
    Ok(())
}

/// Whether the room still owes the lobby something (the settling goes on).
pub(crate) fn lobby_pending(room: &RoomSim) -> bool {
    if room.features.lobby.is_none() {
        return false;
    }
    let sent = room
        .store
        .borrow()
        .meta(Meta::LobbySent)
        .ok()
        .flatten()
        .unwrap_or(0);
    let owed = i64::from(room.features.started_seq.is_some())
        | (2 * i64::from(room.features.ended_seq.is_some()));
    owed & !sent != 0
}

/// With no trailing SYNC pending, every connected client's view (SYNCs and applied deltas) is
/// the projection a fresh socket's SYNC would carry now. Ok(true): every client was compared.
pub(crate) fn views_current(room: &RoomSim) -> Result<bool, String> {
    if room.timers_pending() {
        return Ok(false);
    }
    let Some(live) = room.host.live() else {
        return Ok(false);
    };
    let mut all = true;
    for bot in &room.bots {
        if bot.socket.is_none() || bot.version.is_none() || bot.resume.is_some() || bot.lagging {
            all &= bot.socket.is_none();
            continue;
        }
        let fresh = live.room.projection(Some(&bot.player));
        if bot.view != fresh {
            let field = fresh
                .as_object()
                .into_iter()
                .flatten()
                .find(|(k, v)| bot.view.get(k.as_str()) != Some(v))
                .map_or_else(|| "?".to_string(), |(k, _)| k.clone());
            return Err(format!(
                "{}'s view at version {:?} differs from a fresh SYNC at {} in `{field}`",
                bot.player,
                bot.version,
                live.room.seq()
            ));
        }
    }
    Ok(all)
}
