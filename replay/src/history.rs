//! One pass of the replayer that keeps what `explain`, `report` and `destiny` need: every vote
//! with its ballot as it stood at close, every silver and gold movement with its balance after,
//! eliminations, days, the seed. Everything here comes from the facts this engine recomputes.

use crate::audit::{Divergence, Replayer};
use crate::source::Journal;
use pecking_order::engine::ticker::{self, TickerLine};
use pecking_order::engine::voting::{Ballot, Outcome};
use pecking_order::engine::{Command, Fact};
use pecking_order::journal::{Hash, Verdict};
use pecking_order::room::revealed_seed;
use serde_json::Value;

#[derive(Clone, Debug)]
pub struct PlayerInfo {
    pub id: String,
    pub persona_name: String,
    pub initial_silver: u64,
    pub initial_gold: u64,
}

/// A balance change (silver or gold) with the balance after it.
#[derive(Clone, Debug)]
pub struct Movement {
    pub seq: u64,
    pub at_ms: i64,
    pub day: u32,
    pub player: String,
    pub delta: i64,
    pub balance_after: u64,
    pub reason: String,
}

#[derive(Clone, Debug)]
pub struct PoolMovement {
    pub seq: u64,
    pub at_ms: i64,
    pub delta: i64,
    pub pool_after: u64,
    pub reason: String,
}

/// A vote attempt: accepted (it counted until changed) or rejected with its code.
#[derive(Clone, Debug)]
pub struct VoteAttempt {
    pub seq: u64,
    pub at_ms: i64,
    pub voter: String,
    pub target: String,
    pub verdict: Verdict,
}

/// One closed vote.
#[derive(Clone, Debug)]
pub struct VoteRecord {
    pub day: u32,
    pub opened_seq: Option<u64>,
    pub opened_at_ms: Option<i64>,
    pub closed_seq: u64,
    pub closed_at_ms: i64,
    pub closed_by: String,
    /// The ballot as it stood just before it was settled (votes, eligibility, silver at opening).
    pub ballot: Ballot,
    pub outcome: Outcome,
    /// Every vote attempt of the day for this ballot, in journal order.
    pub attempts: Vec<VoteAttempt>,
}

#[derive(Clone, Debug)]
pub struct Elimination {
    pub seq: u64,
    pub at_ms: i64,
    pub day: u32,
    pub player: String,
    pub mechanism: String,
    /// What the entry was (`ALARM.FIRE` …) and its payload.
    pub typ: String,
    pub payload: String,
}

#[derive(Clone, Debug, Default)]
pub struct DayInfo {
    pub day: u32,
    pub start_seq: u64,
    pub start_at_ms: i64,
    pub end_seq: Option<u64>,
    pub end_at_ms: Option<i64>,
    pub vote_type: Option<String>,
    pub entries: u64,
    pub rejected: u64,
    pub chat_messages: u64,
    pub transfers: u64,
    pub silver_moved: u64,
    pub head: Option<Hash>,
}

#[derive(Clone, Debug)]
pub struct DestinyFact {
    pub seq: u64,
    pub fact: Value,
}

#[derive(Clone, Debug, Default)]
pub struct History {
    pub game_id: String,
    pub mode: Option<String>,
    pub entries: u64,
    pub first_at_ms: i64,
    pub last_at_ms: i64,
    pub players: Vec<PlayerInfo>,
    pub silver: Vec<Movement>,
    pub gold: Vec<Movement>,
    pub initial_pool: u64,
    pub pool: Vec<PoolMovement>,
    pub votes: Vec<VoteRecord>,
    pub eliminations: Vec<Elimination>,
    pub days: Vec<DayInfo>,
    pub winner: Option<(u64, String, u64)>,
    pub head: Hash,
    pub day_heads: Vec<(u32, Hash)>,
    pub seed: Option<(u64, [u8; 32])>,
    pub seed_commitment: Option<Hash>,
    /// The seed the caller supplied (`--seed`) for a journal that does not reveal it.
    pub seed_given: Option<[u8; 32]>,
    pub destiny: Vec<DestinyFact>,
    pub divergences: Vec<Divergence>,
    pub engines: Vec<String>,
    /// The ticker lines players were sent, rebuilt from the recomputed facts.
    pub ticker: Vec<TickerLine>,
}

impl History {
    pub fn player_name(&self, id: &str) -> String {
        match self.players.iter().find(|p| p.id == id) {
            Some(p) if !p.persona_name.is_empty() => format!("{} ({})", p.id, p.persona_name),
            _ => id.to_string(),
        }
    }

    pub fn day(&self, day: u32) -> Option<&DayInfo> {
        self.days.iter().find(|d| d.day == day)
    }
}

/// Replays the whole journal once and gathers its history.
pub fn build(j: &Journal, seed: Option<[u8; 32]>, mut tick: impl FnMut(usize)) -> History {
    let seed = seed.or_else(|| revealed_seed(&j.entries));
    let mut r = Replayer::new(&j.game_id, &j.entries, seed);
    let mut h = History {
        game_id: j.game_id.clone(),
        entries: j.entries.len() as u64,
        first_at_ms: j.entries.first().map_or(0, |e| e.at_ms),
        last_at_ms: j.entries.last().map_or(0, |e| e.at_ms),
        ..History::default()
    };
    let mut attempts: Vec<VoteAttempt> = Vec::new();
    let mut opened: Option<(u64, i64)> = None;
    while let Some(e) = r.peek() {
        // The ballot as it stands before this entry: if the entry settles it, this is what decided.
        let ballot_before = match e.kind {
            pecking_order::journal::EntryKind::Action => None,
            _ => r.state().and_then(|s| s.ballot.clone()),
        };
        let Some(step) = r.step() else { break };
        if !h.engines.contains(&e.engine) {
            h.engines.push(e.engine.clone());
        }
        let day_now = r.state().map_or(e.day, |s| s.day);
        if h.days.last().is_some_and(|d| d.day == e.day) {
            if let Some(d) = h.days.last_mut() {
                d.entries += 1;
                if !step.verdict.is_accepted() {
                    d.rejected += 1;
                }
            }
        }
        if e.typ.starts_with("VOTE.") {
            let target = serde_json::from_str::<Value>(&e.payload)
                .ok()
                .and_then(|v| v.get("targetId").and_then(|t| t.as_str()).map(String::from))
                .unwrap_or_default();
            attempts.push(VoteAttempt {
                seq: e.seq,
                at_ms: e.at_ms,
                voter: e.actor.clone(),
                target,
                verdict: step.verdict.clone(),
            });
        }
        if e.typ == "SYSTEM.INIT" && step.verdict.is_accepted() {
            if let Some(st) = r.state() {
                h.players = st
                    .players
                    .iter()
                    .map(|p| PlayerInfo {
                        id: p.id.clone(),
                        persona_name: p.persona_name.clone(),
                        initial_silver: p.silver,
                        initial_gold: p.gold,
                    })
                    .collect();
                h.seed_commitment = Some(st.seed_commitment);
                h.initial_pool = st.gold_pool;
            }
        }
        if e.typ == "SYSTEM.REVEAL_SEED" && step.verdict.is_accepted() {
            if let Ok(Command::RevealSeed { seed }) =
                Command::from_type_and_payload(&e.typ, &e.payload)
            {
                h.seed = Some((e.seq, seed.0));
            }
        }
        if step.verdict.is_accepted() {
            if let Some(st) = r.state() {
                let stamp = ticker::Stamp {
                    seq: e.seq,
                    at_ms: e.at_ms,
                    day: e.day,
                };
                h.ticker.extend(ticker::lines(st, stamp, &step.facts));
            }
        }
        for f in &step.facts {
            match f {
                Fact::GameCreated { mode, .. } => h.mode = Some(mode.clone()),
                Fact::PlayerJoined { player_id } => {
                    if let Some(p) = r.state().and_then(|s| s.player(player_id)) {
                        h.players.push(PlayerInfo {
                            id: p.id.clone(),
                            persona_name: p.persona_name.clone(),
                            initial_silver: p.silver,
                            initial_gold: p.gold,
                        });
                    }
                }
                Fact::PhaseChanged { phase, day } => match phase.as_str() {
                    "DAY" => {
                        h.days.push(DayInfo {
                            day: *day,
                            start_seq: e.seq,
                            start_at_ms: e.at_ms,
                            vote_type: r
                                .state()
                                .and_then(|s| s.vote_type)
                                .map(|v| v.as_str().to_string()),
                            ..DayInfo::default()
                        });
                        attempts.clear();
                        opened = None;
                    }
                    "NIGHT" | "GAME_SUMMARY" => {
                        if let Some(d) = h.days.iter_mut().rev().find(|d| d.day == *day) {
                            d.end_seq = Some(e.seq);
                            d.end_at_ms = Some(e.at_ms);
                            d.head = Some(e.hash);
                        }
                    }
                    _ => {}
                },
                Fact::ChatMessage { .. } => {
                    if let Some(d) = h.days.last_mut() {
                        d.chat_messages += 1;
                    }
                }
                Fact::Silver {
                    player_id,
                    delta,
                    balance_after,
                    reason,
                } => {
                    if reason == "TRANSFER_OUT" {
                        if let Some(d) = h.days.last_mut() {
                            d.transfers += 1;
                            d.silver_moved += delta.unsigned_abs();
                        }
                    }
                    h.silver.push(Movement {
                        seq: e.seq,
                        at_ms: e.at_ms,
                        day: day_now,
                        player: player_id.clone(),
                        delta: *delta,
                        balance_after: *balance_after,
                        reason: reason.clone(),
                    });
                }
                Fact::Gold {
                    player_id,
                    delta,
                    balance_after,
                    reason,
                } => h.gold.push(Movement {
                    seq: e.seq,
                    at_ms: e.at_ms,
                    day: day_now,
                    player: player_id.clone(),
                    delta: *delta,
                    balance_after: *balance_after,
                    reason: reason.clone(),
                }),
                Fact::GoldPool {
                    delta,
                    pool_after,
                    reason,
                } => h.pool.push(PoolMovement {
                    seq: e.seq,
                    at_ms: e.at_ms,
                    delta: *delta,
                    pool_after: *pool_after,
                    reason: reason.clone(),
                }),
                Fact::VotingOpened { .. } => opened = Some((e.seq, e.at_ms)),
                Fact::VoteResult { .. } => {
                    if let (Some(ballot), Some((day, outcome))) = (
                        ballot_before.clone(),
                        r.state().and_then(|s| s.results.last().cloned()),
                    ) {
                        let mine: Vec<VoteAttempt> = std::mem::take(&mut attempts);
                        h.votes.push(VoteRecord {
                            day,
                            opened_seq: opened.map(|o| o.0),
                            opened_at_ms: opened.map(|o| o.1),
                            closed_seq: e.seq,
                            closed_at_ms: e.at_ms,
                            closed_by: describe_entry(&e.typ, &e.payload),
                            ballot,
                            outcome,
                            attempts: mine,
                        });
                    }
                }
                Fact::Elimination {
                    player_id,
                    mechanism,
                    day,
                } => h.eliminations.push(Elimination {
                    seq: e.seq,
                    at_ms: e.at_ms,
                    day: *day,
                    player: player_id.clone(),
                    mechanism: mechanism.clone(),
                    typ: e.typ.clone(),
                    payload: e.payload.clone(),
                }),
                Fact::Winner {
                    player_id,
                    gold_pool,
                } => h.winner = Some((e.seq, player_id.clone(), *gold_pool)),
                _ => {}
            }
        }
        // Facts of types this engine does not know yet (DESTINY.*) are found in the JSON text.
        let text = pecking_order::room::facts_json(&step.facts);
        if text.contains("\"DESTINY") {
            if let Ok(Value::Array(all)) = serde_json::from_str::<Value>(&text) {
                for f in all {
                    if f.get("type")
                        .and_then(|t| t.as_str())
                        .is_some_and(|t| t.starts_with("DESTINY"))
                    {
                        h.destiny.push(DestinyFact {
                            seq: e.seq,
                            fact: f,
                        });
                    }
                }
            }
        }
        if r.position() & 4095 == 0 {
            tick(r.position());
        }
    }
    tick(r.position());
    if h.seed.is_none() {
        h.seed_given = seed;
    }
    h.head = r.head();
    h.day_heads = r.day_heads().to_vec();
    h.divergences = std::mem::take(&mut r.divergences);
    h
}

/// `ALARM.FIRE d001-10-CLOSE_VOTING` and the like, for humans.
pub fn describe_entry(typ: &str, payload: &str) -> String {
    match Command::from_type_and_payload(typ, payload) {
        Ok(Command::Fire { task_id, .. }) => format!("{typ} {task_id}"),
        Ok(Command::InjectTimelineEvent { action }) => format!("{typ} {}", action.as_str()),
        _ => typ.to_string(),
    }
}
