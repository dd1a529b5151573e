//! DYNAMIC manifests and the lobby's `…/player-joined` in the simulator (docs/testing.md, "The
//! simulator"): rooms whose days are decided each morning from that morning's state, players
//! who arrive after `/init` (valid, duplicated, retried, late, malformed, past a full roster),
//! and their invariants, read from the journal as it grows:
//!
//! - **A joined player appears once**: one accepted SYSTEM.PLAYER_JOINED per player id, never
//!   an id of the `/init` roster, never after day 1 started; the state's roster holds each id
//!   once and is the `/init` roster plus the accepted joins, in that order.
//! - **A refused join changes nothing**: a 400/413 journals nothing, a 409 journals one REJECTED
//!   entry and the state is what it was (checked where the join is sent, `room/joins.rs`).
//! - **Day 1 waits for the quorum** (a DYNAMIC game's `minPlayers`, 2 for STATIC) and for its
//!   start time: a start below the quorum is a START_POSTPONED, and the join that reaches it
//!   schedules day 1 at once (docs/protocol.md, "The prototype lobby").
//! - **DYNAMIC days** (`engine::rules::DynamicDays`, docs/rules.md §10.2, docs/voting.md): days
//!   follow each other 1, 2, 3 …; each morning's vote rotates through the ruleset's list, keeping
//!   the mechanisms that suit the players alive that morning (MAJORITY when none does), FINALS
//!   once two are left (the rotation is `engine::rules::rotate`, unit-tested there; the checker
//!   asks that each morning opened what it gives for that day and the players alive then); the day's tasks are anchored at the moment it starts and the next
//!   morning is planned one stride (SMOKE_TEST: 6 minutes) later while more than two are alive,
//!   never after; the vote opened is the one planned; the game ends only with a winner or at
//!   most one player alive.

use crate::Dice;
use pecking_order::engine::rules::rotate;
use pecking_order::engine::voting::VoteType;
use pecking_order::journal::Entry;
use pecking_order::limits::MAX_PLAYERS;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A SMOKE_TEST day's stride (docs/architecture.md, "Time and the timeline").
const STRIDE_MS: i64 = 6 * 60 * 1000;

/// The vote types a DYNAMIC ruleset lists in the simulator.
const VOTES: [&str; 9] = [
    "MAJORITY",
    "BUBBLE",
    "PODIUM_SACRIFICE",
    "SECOND_TO_LAST",
    "SHIELD",
    "TRUST_PAIRS",
    "EXECUTIONER",
    "DUELS",
    "FINALS",
];

/// What a join call is meant to be, and so how the room must answer it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JoinKind {
    /// A new player's body (accepted in pregame with room left; 409 otherwise).
    New,
    /// The body of a player already in the roster (of `/init` or joined): 409.
    Duplicate,
    /// A body sent before whose answer never came (a crash, a 5xx): the lobby sends it again.
    Retry,
    /// Not a valid body: 400 or 413, nothing journaled.
    Malformed,
}

/// A room's DYNAMIC manifest and its joins, and what their invariants remember.
#[derive(Default)]
pub(crate) struct Joins {
    /// The DYNAMIC ruleset's rotation (None: a STATIC game that takes joins).
    pub dynamic: Option<Vec<VoteType>>,
    /// Players day 1 waits for.
    pub quorum: usize,
    /// `scheduling: ADMIN` (the lobby's configurable cycle): only the operator's NEXT_STAGE
    /// moves the game, nothing is scheduled.
    pub admin: bool,
    /// The manifest's start time.
    pub start_ms: i64,
    /// Player numbers still to join, in order; a room that fills its roster has more than
    /// [`MAX_PLAYERS`] of them.
    to_join: Vec<usize>,
    /// Bodies sent without an answer, to be sent again.
    /// (A malformed body stays malformed when sent again; any other is a [`JoinKind::Retry`].)
    pub retry: Vec<(JoinKind, String, Vec<u8>)>,
    /// Players as the journal says: the roster, those alive, the day.
    roster: Vec<String>,
    alive: BTreeSet<String>,
    day: u32,
    /// The vote planned this morning (DYNAMIC), and whether a start was postponed.
    planned: Option<VoteType>,
    postponed: bool,
    winner: bool,
    /// More players to come than a roster holds.
    fills: bool,
    /// Players that joined and have no bot yet.
    pub new_players: Vec<String>,
    /// Figures for the report.
    pub counts: BTreeMap<&'static str, u64>,
}

fn vote(name: &str) -> Option<VoteType> {
    serde_json::from_value(json!(name)).ok()
}

/// A player's `…/player-joined` body as the lobby sends it (its Q&A answers are secrets until
/// revealed: they join `qa`).
fn player_body(dice: &mut Dice, n: usize, qa: &mut Vec<String>, game: &str) -> Value {
    let mut p = json!({
        "playerId": format!("p{n}"), "realUserId": format!("user-p{n}"),
        "personaName": format!("Player {n}"), "avatarUrl": "/a.png", "bio": "joined late",
        "silver": 40 + dice.below(21),
    });
    if dice.chance(300) {
        // Persistent gold, as the Worker sets it from the player's wallet.
        p["gold"] = json!(1 + dice.below(30));
    }
    if dice.chance(400) {
        let answers: Vec<Value> = (0..1 + dice.below(2))
            .map(|q| {
                let answer = format!("qa{}secret{game}j{n}x{q}", qa.len());
                qa.push(answer.clone());
                json!({ "question": format!("Q{q}?"), "answer": answer })
            })
            .collect();
        p["qaAnswers"] = Value::Array(answers);
    }
    p
}

/// The roster entry of `/init` for player `n` (our array's shape).
fn roster_entry(n: usize) -> Value {
    json!({ "id": format!("p{n}"), "personaName": format!("Player {n}") })
}

/// A DYNAMIC ruleset by the dice: the vote rotation (SEQUENCE, POOL, or the legacy
/// `allowed`), games, activities, confessions, social scaling, day count.
fn ruleset(dice: &mut Dice) -> (Value, Vec<VoteType>) {
    let n = 1 + dice.below(4) as usize;
    let list: Vec<&str> = (0..n)
        .map(|_| VOTES[dice.below(VOTES.len() as u64) as usize])
        .collect();
    let pool: Vec<VoteType> = list.iter().filter_map(|v| vote(v)).collect();
    let voting = match dice.below(3) {
        0 => json!({ "mode": "SEQUENCE", "sequence": list }),
        1 => json!({ "mode": "POOL", "pool": list }),
        _ => json!({ "allowed": list }),
    };
    let mut r = json!({ "kind": "PECKING_ORDER", "voting": voting });
    if dice.chance(500) {
        r["games"] = json!({ "mode": "POOL",
            "pool": ["TRIVIA", "BET_BET_BET", "REALTIME_TRIVIA", "TOUCH_SCREEN", "KINGS_RANSOM"] });
    } else {
        r["games"] = json!({ "mode": "NONE" });
    }
    if dice.chance(500) {
        r["activities"] = json!({ "mode": "POOL",
            "allowed": ["HOT_TAKE", "WOULD_YOU_RATHER", "CONFESSION"], "avoidRepeat": true });
        r["confessions"] = json!({ "enabled": dice.chance(500) });
    }
    if dice.chance(500) {
        r["social"] = json!({
            "dmChars": { "mode": "DIMINISHING", "base": 1200 },
            "dmPartners": { "mode": "PER_ACTIVE_PLAYER", "base": 3 },
            "dmCost": dice.below(3), "groupDmEnabled": dice.chance(700),
        });
        r["dayCount"] = json!({ "mode": "ACTIVE_PLAYERS_MINUS_ONE", "maxDays": 7 });
    }
    (r, pool)
}

/// Whether this room is DYNAMIC and/or takes joins, by the dice; then the `/init` body for a
/// DYNAMIC one (None: the STATIC body of `features::init_body`, its roster `players` strong).
/// Returns the players of the `/init` roster.
pub(crate) fn roll(dice: &mut Dice, players: usize) -> (Option<Joins>, Option<Value>, usize) {
    let dynamic = dice.chance(350);
    if !dynamic {
        if !dice.chance(300) {
            return (None, None, players);
        }
        // STATIC, with one or two more players to come.
        let j = Joins {
            quorum: 2,
            to_join: (players + 1..=players + 1 + dice.below(2) as usize).collect(),
            ..Joins::default()
        };
        return (Some(j), None, players);
    }
    // A tenth of the DYNAMIC rooms fill their roster to the engine's maximum and past it.
    let total = if dice.chance(100) {
        MAX_PLAYERS + 2
    } else {
        players
    };
    let initial = dice.below(players as u64 + 1) as usize;
    // A room that fills waits for a full roster: its pregame lasts until the last seat is taken.
    let quorum = if total > MAX_PLAYERS {
        MAX_PLAYERS
    } else {
        2 + dice.below(players as u64 - 1) as usize
    };
    let (rules, pool) = ruleset(dice);
    let admin = dice.chance(300);
    let roster: Value = if initial == 0 && dice.chance(500) {
        json!({})
    } else {
        Value::Array((1..=initial).map(roster_entry).collect())
    };
    let mut body = json!({
        "manifest": { "mode": "PECKING_ORDER", "kind": "DYNAMIC", "schedulePreset": "SMOKE_TEST",
                      "initialGoldPool": 100, "minPlayers": quorum, "maxPlayers": players.max(2),
                      "days": [], "ruleset": rules },
        "roster": roster,
    });
    if admin {
        body["manifest"]["scheduling"] = json!("ADMIN");
        body["manifest"]["gameMode"] = json!("CONFIGURABLE_CYCLE");
    }
    let j = Joins {
        dynamic: Some(pool),
        quorum,
        admin,
        fills: total > MAX_PLAYERS,
        to_join: (initial + 1..=total).collect(),
        ..Joins::default()
    };
    (Some(j), Some(body), initial)
}

impl Joins {
    /// The next call the lobby makes: its kind, the player it is about and its body.
    pub fn next_call(
        &mut self,
        dice: &mut Dice,
        qa: &mut Vec<String>,
        game: &str,
    ) -> (JoinKind, String, Vec<u8>) {
        let roll = dice.below(100);
        if roll < 20 && !self.retry.is_empty() {
            let (kind, who, body) = self
                .retry
                .remove(dice.below(self.retry.len() as u64) as usize);
            *self.counts.entry("joins sent again").or_default() += 1;
            return (kind, who, body);
        }
        if roll < 35 && !self.roster.is_empty() {
            let who = self.roster[dice.below(self.roster.len() as u64) as usize].clone();
            let n: usize = who[1..].parse().unwrap_or(1);
            let body = player_body(dice, n, &mut Vec::new(), game);
            return (JoinKind::Duplicate, who, body.to_string().into_bytes());
        }
        if roll < 47 {
            let n = self.to_join.first().copied().unwrap_or(99);
            let mut body = player_body(dice, n, &mut Vec::new(), game);
            let bytes = match dice.below(7) {
                0 => b"{\"playerId\": \"p".to_vec(),
                1 => b"[]".to_vec(),
                2 => {
                    body["playerId"] = json!(format!("player-{n}"));
                    body.to_string().into_bytes()
                }
                3 => {
                    body.as_object_mut().map(|o| o.remove("personaName"));
                    body.to_string().into_bytes()
                }
                4 => {
                    body["isSpectator"] = json!(true);
                    body.to_string().into_bytes()
                }
                5 => {
                    body["silver"] = json!(-5);
                    body.to_string().into_bytes()
                }
                _ => {
                    body["bio"] = json!("x".repeat(pecking_order::limits::MAX_INIT_BYTES));
                    body.to_string().into_bytes()
                }
            };
            return (JoinKind::Malformed, format!("p{n}"), bytes);
        }
        let Some(n) = self.to_join.first().copied() else {
            // Everyone has joined: a stranger the lobby never invited.
            let n = 90 + dice.below(9) as usize;
            let body = player_body(dice, n, &mut Vec::new(), game);
            return (
                JoinKind::New,
                format!("p{n}"),
                body.to_string().into_bytes(),
            );
        };
        self.to_join.remove(0);
        let body = player_body(dice, n, qa, game);
        (
            JoinKind::New,
            format!("p{n}"),
            body.to_string().into_bytes(),
        )
    }

    pub fn count(&mut self, k: &'static str) {
        *self.counts.entry(k).or_default() += 1;
    }

    /// Whether this room's players are more than a roster holds.
    pub fn fills(&self) -> bool {
        self.fills
    }

    /// The day as the journal says (0: pregame).
    pub fn day(&self) -> u32 {
        self.day
    }

    /// The roster as the journal says.
    pub fn roster(&self) -> &[String] {
        &self.roster
    }

    pub fn report(&self, out: &mut BTreeMap<&'static str, u64>) {
        *out.entry("rooms DYNAMIC").or_default() += u64::from(self.dynamic.is_some());
        *out.entry("rooms DYNAMIC under ADMIN scheduling")
            .or_default() += u64::from(self.admin);
        *out.entry("rooms taking joins").or_default() += 1;
        for (k, v) in &self.counts {
            *out.entry(k).or_default() += v;
        }
    }

    /// Each new journaled entry, in order, once.
    pub fn entry(&mut self, e: &Entry) -> Result<(), String> {
        let facts: Vec<Value> = serde_json::from_str(&e.facts).unwrap_or_default();
        let seq = e.seq;
        let mut day_started = None;
        for f in &facts {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            match f["type"].as_str().unwrap_or_default() {
                "GAME_CREATED" => {
                    for p in f["players"].as_array().into_iter().flatten() {
                        let id = p.as_str().unwrap_or_default().to_string();
                        if self.roster.contains(&id) {
                            return Err(format!("entry {seq}: {id} twice in the roster"));
                        }
                        self.alive.insert(id.clone());
                        self.roster.push(id);
                    }
                }
                "PLAYER_JOINED" => {
                    let id = s("playerId");
                    if self.roster.contains(&id) {
                        return Err(format!("entry {seq}: {id} joined a second time"));
                    }
                    if self.day > 0 {
                        return Err(format!("entry {seq}: {id} joined on day {}", self.day));
                    }
                    if self.roster.len() >= MAX_PLAYERS {
                        return Err(format!("entry {seq}: {id} joined a full roster"));
                    }
                    self.alive.insert(id.clone());
                    self.roster.push(id.clone());
                    self.new_players.push(id);
                    self.count("joins accepted");
                    if self.postponed && !self.admin && self.roster.len() == self.quorum {
                        // The join that reaches the quorum after the start time starts day 1 now.
                        let scheduled = facts.iter().any(|t| {
                            t["type"] == "TASKS_SCHEDULED"
                                && t["tasks"].as_array().into_iter().flatten().any(|x| {
                                    x[0] == "d001-00-START_DAY" && x[1].as_i64() == Some(e.at_ms)
                                })
                        });
                        if !scheduled {
                            return Err(format!(
                                "entry {seq}: the join that reached the quorum did not start day 1"
                            ));
                        }
                        self.postponed = false;
                        self.count("late quorums started day 1");
                    }
                }
                "ELIMINATION" => {
                    self.alive.remove(&s("playerId"));
                }
                "GOLD" if s("reason") == "WINNER" => self.winner = true,
                "START_POSTPONED" => {
                    if self.roster.len() >= self.quorum || self.day > 0 {
                        return Err(format!(
                            "entry {seq}: day 1 postponed with {} players of {}",
                            self.roster.len(),
                            self.quorum
                        ));
                    }
                    self.postponed = true;
                    self.count("starts postponed");
                }
                "PHASE_CHANGED" if s("phase") == "DAY" => {
                    let d = f["day"].as_u64().unwrap_or(0) as u32;
                    if d != self.day + 1 {
                        return Err(format!("entry {seq}: day {d} after day {}", self.day));
                    }
                    if d == 1 && self.roster.len() < self.quorum {
                        return Err(format!(
                            "entry {seq}: day 1 with {} players, {} needed",
                            self.roster.len(),
                            self.quorum
                        ));
                    }
                    if d == 1 && !self.admin && e.at_ms < self.start_ms {
                        return Err(format!("entry {seq}: day 1 before the start time"));
                    }
                    self.day = d;
                    if let Some(pool) = &self.dynamic {
                        self.planned = Some(rotate(pool, d, self.alive.len()));
                        day_started = Some(d);
                        self.count("DYNAMIC days checked");
                    }
                }
                "PHASE_CHANGED"
                    if matches!(s("phase").as_str(), "GAME_OVER" | "GAME_SUMMARY")
                        && self.dynamic.is_some()
                        && !self.winner
                        && self.alive.len() > 1 =>
                {
                    return Err(format!(
                        "entry {seq}: a DYNAMIC game ended with {} alive and no winner",
                        self.alive.len()
                    ));
                }
                "VOTING_OPENED" if self.dynamic.is_some() => {
                    let opened = vote(&s("mechanism"));
                    if opened != self.planned {
                        return Err(format!(
                            "entry {seq}: day {} opened {opened:?}, its morning planned {:?}",
                            self.day, self.planned
                        ));
                    }
                }
                _ => {}
            }
        }
        if let Some(d) = day_started {
            self.morning(e, &facts, d)?;
        }
        Ok(())
    }

    /// A DYNAMIC morning's tasks: anchored at the moment the day starts, the next morning one
    /// stride later while more than two are alive, none after (none at all under ADMIN
    /// scheduling).
    fn morning(&self, e: &Entry, facts: &[Value], d: u32) -> Result<(), String> {
        let tasks: Vec<(String, i64)> = facts
            .iter()
            .filter(|f| f["type"] == "TASKS_SCHEDULED")
            .flat_map(|f| f["tasks"].as_array().cloned().unwrap_or_default())
            .map(|t| {
                (
                    t[0].as_str().unwrap_or_default().to_string(),
                    t[1].as_i64().unwrap_or(0),
                )
            })
            .collect();
        if let Some((id, at)) = tasks.iter().find(|(_, at)| *at < e.at_ms) {
            return Err(format!(
                "entry {}: day {d}'s task {id} at {at}, before the day started at {}",
                e.seq, e.at_ms
            ));
        }
        let next = format!("d{:03}-00-START_DAY", d + 1);
        let planned = tasks.iter().find(|(id, _)| *id == next).map(|(_, at)| *at);
        let want = (self.alive.len() > 2 && !self.admin).then_some(e.at_ms + STRIDE_MS);
        if planned != want {
            return Err(format!(
                "entry {}: day {d} with {} alive planned the next morning at {planned:?}, not {want:?}",
                e.seq,
                self.alive.len()
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pecking_order::engine::Command;
    use pecking_order::journal::EntryKind;
    use pecking_order::room::Room;

    /// A real DYNAMIC game's journal: two players at `/init`, a third joins, day 1 and 2 start.
    fn journal() -> (Joins, Vec<Entry>) {
        let body = json!({
            "manifest": { "mode": "PECKING_ORDER", "kind": "DYNAMIC", "schedulePreset": "SMOKE_TEST",
                          "startTime": "2026-12-01T09:00:00Z", "minPlayers": 3, "days": [],
                          "ruleset": { "voting": { "mode": "SEQUENCE", "sequence": ["MAJORITY"] } } },
            "roster": [roster_entry(1), roster_entry(2)],
        });
        let t0 = crate::T0;
        let (mut room, mut all) =
            Room::create("g", body.to_string().as_bytes(), t0, [7; 32]).expect("created");
        let join = |n: usize| Command::PlayerJoined {
            player: json!({ "playerId": format!("p{n}"), "personaName": "P" }),
        };
        let t = t0 + 300_000;
        all.extend(room.fire_due(t, 10));
        for n in [3, 4] {
            let s = room
                .submit(EntryKind::System, "SYSTEM", &join(n), t)
                .expect("joined");
            all.extend(s.entries);
        }
        for k in 1..=60 {
            all.extend(room.fire_due(t + k * 60_000, 100));
        }
        let j = Joins {
            dynamic: Some(vec![VoteType::Majority]),
            quorum: 3,
            start_ms: t0 + 120_000,
            ..Joins::default()
        };
        (j, all)
    }

    fn read(mut j: Joins, entries: &[Entry]) -> Result<Joins, String> {
        for e in entries {
            j.entry(e)?;
        }
        Ok(j)
    }

    #[test]
    fn a_real_dynamic_journal_keeps_the_invariants() {
        let (j, all) = journal();
        let j = read(j, &all).expect("kept");
        assert!(j.day >= 2, "{}", j.day);
        assert_eq!(j.roster.len(), 4);
        assert_eq!(j.counts.get("late quorums started day 1"), Some(&1));
    }

    /// The checker can fail: a join journaled twice, a morning planned off the stride, a vote
    /// other than the rotation's, day 1 below the quorum.
    #[test]
    fn the_checker_sees_a_double_join_and_a_wrong_morning() {
        let (j, all) = journal();
        let at = |typ: &str| all.iter().position(|e| e.facts.contains(typ)).expect(typ);
        let joined = at("PLAYER_JOINED");
        let mut twice = all.clone();
        twice.insert(joined + 1, all[joined].clone());
        let err = read(j_clone(&j), &twice).err().expect("a double join");
        assert!(err.contains("joined a second time"), "{err}");

        let day = at(r#""phase":"DAY""#);
        let mut off = all.clone();
        off[day].at_ms -= 1;
        let err = read(j_clone(&j), &off).err().expect("a wrong morning");
        assert!(err.contains("next morning"), "{err}");

        let mut other = j_clone(&j);
        let small = VOTES
            .iter()
            .filter_map(|v| vote(v))
            .find(|v| {
                ![VoteType::Majority, VoteType::Finals].contains(v)
                    && v.is_supported()
                    && v.min_players() <= 3
            })
            .expect("a mechanism for 3");
        other.dynamic = Some(vec![small]);
        other.quorum = 3;
        let err = read(other, &all).err().expect("another rotation");
        assert!(err.contains("planned"), "{err}");

        let mut more = j_clone(&j);
        more.quorum = 5;
        let err = read(more, &all).err().expect("below the quorum");
        assert!(err.contains("day 1 with 4 players"), "{err}");
    }

    fn j_clone(j: &Joins) -> Joins {
        Joins {
            dynamic: j.dynamic.clone(),
            quorum: j.quorum,
            start_ms: j.start_ms,
            ..Joins::default()
        }
    }

    #[test]
    fn the_rotation_skips_what_does_not_suit_and_ends_in_finals() {
        let pool = [VoteType::Majority, VoteType::Finals, VoteType::Bubble];
        assert_eq!(rotate(&pool, 1, 2), VoteType::Finals);
        assert_eq!(rotate(&pool, 2, 3), VoteType::Majority, "BUBBLE needs more");
        assert_eq!(rotate(&[], 1, 5), VoteType::Majority);
        assert_eq!(rotate(&[VoteType::Finals], 4, 6), VoteType::Majority);
    }
}
