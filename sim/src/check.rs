//! The invariants (docs/testing.md, "Invariants"), asserted after every step of every room.
//!
//! - no acknowledged entry is lost: each is in the DO's rows or in D1, with the bytes it was
//!   acknowledged with;
//! - D1 holds each entry once (a second write with other bytes is a fork), gapless from seq 1,
//!   its chain intact;
//! - nothing is compacted before D1 confirmed it: every entry D1 lacks is still a DO row, and
//!   the DO never believes D1 holds more than it does;
//! - a cold start (snapshot + tail) after any restart equals a full replay;
//! - no projection carries a secret before its reveal: DMs of others, others' votes in an
//!   open ballot, the game's seed;
//! - silver and gold are conserved except for the documented sources and sinks
//!   (docs/rules.md, "Facts").

use crate::room::RoomSim;
use pecking_order::engine::projection::project;
use pecking_order::engine::{Fact, GameState};
use pecking_order::journal::{self, Entry};
use pecking_order::room::live::LiveRoom;
use pecking_order::room::Room;
use serde_json::Value;
use std::collections::BTreeMap;

/// Silver and gold as the facts say they move.
#[derive(Default)]
pub(crate) struct Ledger {
    /// The next seq to read.
    next: u64,
    silver: BTreeMap<String, i64>,
    gold: BTreeMap<String, i64>,
    pool: i64,
    max_pool: i64,
    pub ended: bool,
}

/// Silver reasons that only take (docs/rules.md, "Facts").
const SINKS: [&str; 4] = [
    "DM_COST",
    "PERK_SPY_DMS",
    "PERK_EXTRA_DM_CHARS",
    "PERK_EXTRA_DM_PARTNER",
];

impl Ledger {
    /// The last seq read.
    pub fn read_to(&self) -> u64 {
        self.next.saturating_sub(1)
    }

    fn entry(&mut self, e: &Entry) -> Result<(), String> {
        let facts: Vec<Fact> = serde_json::from_str(&e.facts)
            .map_err(|err| format!("entry {}: facts do not parse: {err}", e.seq))?;
        let mut transfers = 0i64;
        let mut payout = None;
        let mut won = None;
        for f in &facts {
            match f {
                Fact::Silver {
                    player_id,
                    delta,
                    balance_after,
                    reason,
                } => {
                    let bal = self.silver.entry(player_id.clone()).or_default();
                    if *bal + delta != *balance_after as i64 {
                        return Err(format!(
                            "entry {}: silver of {player_id} {bal} {delta:+} ≠ {balance_after} ({reason})",
                            e.seq
                        ));
                    }
                    *bal = *balance_after as i64;
                    if reason.starts_with("TRANSFER_") {
                        transfers += delta;
                    }
                    if SINKS.contains(&reason.as_str()) && *delta > 0 {
                        return Err(format!("entry {}: a sink {reason} paid {delta}", e.seq));
                    }
                }
                Fact::Gold {
                    player_id,
                    delta,
                    balance_after,
                    reason,
                } => {
                    let bal = self.gold.entry(player_id.clone()).or_default();
                    if *bal + delta != *balance_after as i64 {
                        return Err(format!("entry {}: gold of {player_id} ({reason})", e.seq));
                    }
                    *bal = *balance_after as i64;
                    if reason == "WINNER" {
                        won = Some(*delta);
                    } else if reason == "START"
                        && matches!(e.typ.as_str(), "SYSTEM.INIT" | "SYSTEM.PLAYER_JOINED")
                    {
                        // Persistent gold a player brings (the wallet, docs/protocol.md).
                        if *delta < 0 {
                            return Err(format!("entry {}: START gold {delta}", e.seq));
                        }
                    } else if reason.starts_with("DESTINY_") {
                        // docs/destinies.md: a completed destiny earns the final gold pool.
                        if *delta < 0 || *delta > self.max_pool {
                            return Err(format!(
                                "entry {}: {reason} paid {delta}, the pool peaked at {}",
                                e.seq, self.max_pool
                            ));
                        }
                    } else {
                        return Err(format!("entry {}: gold moved for {reason}", e.seq));
                    }
                }
                Fact::GoldPool {
                    delta,
                    pool_after,
                    reason,
                } => {
                    if self.pool + delta != *pool_after as i64 {
                        return Err(format!("entry {}: gold pool ({reason})", e.seq));
                    }
                    self.pool = *pool_after as i64;
                    self.max_pool = self.max_pool.max(self.pool);
                    if reason == "WINNER_PAYOUT" {
                        payout = Some(-delta);
                    } else if *delta < 0 {
                        return Err(format!("entry {}: the pool shrank for {reason}", e.seq));
                    }
                }
                Fact::GameCreated { gold_pool, .. } => {
                    self.pool = *gold_pool as i64;
                    self.max_pool = self.pool;
                }
                _ => {}
            }
        }
        if transfers != 0 {
            return Err(format!(
                "entry {}: a transfer made {transfers:+} silver",
                e.seq
            ));
        }
        if payout != won {
            return Err(format!(
                "entry {}: pool paid {payout:?}, winner got {won:?}",
                e.seq
            ));
        }
        self.next = e.seq + 1;
        Ok(())
    }

    /// The state's balances are the facts' balances.
    fn matches(&self, st: &GameState) -> Result<(), String> {
        for p in &st.players {
            let silver = self.silver.get(&p.id).copied().unwrap_or(0);
            let gold = self.gold.get(&p.id).copied().unwrap_or(0);
            if (p.silver as i64, p.gold as i64) != (silver, gold) {
                return Err(format!(
                    "{}: state has {}/{} silver/gold, the facts {silver}/{gold}",
                    p.id, p.silver, p.gold
                ));
            }
        }
        if st.gold_pool as i64 != self.pool {
            return Err(format!("pool {} ≠ facts {}", st.gold_pool, self.pool));
        }
        Ok(())
    }
}

/// The secrets a room's frames must not carry to the wrong player.
pub(crate) struct Secrets {
    /// DM text → the two players who may see it.
    dms: Vec<(String, [String; 2])>,
    pub seed_hex: String,
    pub revealed: bool,
}

impl Secrets {
    pub fn new(seed: &[u8; 32]) -> Secrets {
        Secrets {
            dms: Vec::new(),
            seed_hex: seed.iter().map(|b| format!("{b:02x}")).collect(),
            revealed: false,
        }
    }

    pub fn new_dm(&mut self, from: &str, to: &str) -> String {
        let text = format!("zqx{}secret{}", self.dms.len(), from);
        self.dms.push((text.clone(), [from.into(), to.into()]));
        text
    }

    /// A reply anyone may read (the public state, an error) carries no DM and no unrevealed
    /// seed.
    pub fn check_public(&self, text: &str) -> Result<(), String> {
        for (dm, _) in &self.dms {
            if text.contains(dm.as_str()) {
                return Err(format!("DM {dm:?} in a public reply"));
            }
        }
        self.check_seed(text)
    }

    fn check_seed(&self, text: &str) -> Result<(), String> {
        if !self.revealed && text.contains(&self.seed_hex) {
            return Err("the secret seed left the room before its reveal".into());
        }
        Ok(())
    }

    /// A frame to `player`: another pair's DM only in the results of a spy perk they bought.
    pub fn check_frame(&self, player: &str, f: &Value, text: &str) -> Result<(), String> {
        self.check_seed(text)?;
        let foreign: Vec<&String> = self
            .dms
            .iter()
            .filter(|(dm, ends)| !ends.iter().any(|e| e == player) && text.contains(dm.as_str()))
            .map(|(dm, _)| dm)
            .collect();
        if foreign.is_empty() {
            return Ok(());
        }
        let mut stripped = f.clone();
        strip(&mut stripped, "perkResults");
        let text = stripped.to_string();
        match foreign.iter().find(|dm| text.contains(dm.as_str())) {
            Some(dm) => Err(format!(
                "{player} was sent another pair's DM {dm:?} in {}",
                f["type"]
            )),
            None => Ok(()),
        }
    }
}

fn strip(v: &mut Value, key: &str) {
    match v {
        Value::Object(m) => {
            m.remove(key);
            m.values_mut().for_each(|v| strip(v, key));
        }
        Value::Array(a) => a.iter_mut().for_each(|v| strip(v, key)),
        _ => {}
    }
}

/// While a ballot is open, what `player` is sent does not depend on whom the others named:
/// the SYNC's `voting` is the projection of the state with every other choice replaced.
pub(crate) fn vote_secrecy(room: &RoomSim, player: &str, sent: &Value) -> Result<(), String> {
    let Some(st) = room.host.live().and_then(|l| l.room.state()) else {
        return Ok(());
    };
    let Some(ballot) = st.ballot.as_ref() else {
        return Ok(());
    };
    if ballot.votes.is_empty() && ballot.picks.is_empty() {
        return Ok(());
    }
    let mut scrubbed = st.clone();
    if let Some(b) = scrubbed.ballot.as_mut() {
        for (voter, choice) in b.votes.iter_mut().chain(b.picks.iter_mut()) {
            if voter != player {
                *choice = "~someone~".into();
            }
        }
    }
    let real = serde_json::to_value(project(st, Some(player))).unwrap_or_default();
    let blind = serde_json::to_value(project(&scrubbed, Some(player))).unwrap_or_default();
    if real != blind {
        return Err(format!(
            "{player}'s projection depends on others' votes: {} vs {}",
            real["voting"], blind["voting"]
        ));
    }
    if !sent["voting"].is_null() && sent["voting"] != real["voting"] {
        return Err(format!(
            "{player} was sent voting {} ≠ its projection {}",
            sent["voting"], real["voting"]
        ));
    }
    Ok(())
}

/// After every step.
pub(crate) fn after_step(room: &mut RoomSim) -> Result<(), String> {
    let store = room.store.borrow();
    // Acknowledged entries: in the DO or in D1, as acknowledged. Those D1 holds as
    // acknowledged stay there (D1 only grows, a rewrite is a fork): checked once.
    let first_kept = store.journal.first().map_or(0, |e| e.seq);
    let kept = |seq: u64| {
        seq.checked_sub(first_kept)
            .and_then(|i| store.journal.get(i as usize))
            .map(|e| e.hash)
    };
    let mut in_d1_upto = room.acked_in_d1;
    let mut all_in_d1 = true;
    for (seq, hash) in room.acked.range(room.acked_in_d1 + 1..) {
        match (kept(*seq), room.d1.get(seq).map(|e| e.hash)) {
            (None, None) => return Err(format!("acknowledged entry {seq} is lost")),
            (_, Some(h)) if h != *hash => return Err(format!("entry {seq} differs in D1")),
            (Some(h), _) if h != *hash => return Err(format!("acknowledged entry {seq} changed")),
            (_, Some(_)) if all_in_d1 => in_d1_upto = *seq,
            _ => all_in_d1 = false,
        }
    }
    // D1: no fork, gapless from 1, chain intact (verified incrementally).
    if let Some(seq) = room.forks.first() {
        return Err(format!("D1 got entry {seq} twice with other bytes"));
    }
    room.acked_in_d1 = in_d1_upto;
    let d1_head = room.d1.keys().last().copied().unwrap_or(0);
    if d1_head != room.d1.len() as u64 {
        return Err(format!(
            "D1 has a gap: {} rows up to {d1_head}",
            room.d1.len()
        ));
    }
    let (last, head) = room.d1_verified;
    if d1_head > last {
        let new: Vec<Entry> = room.d1.range(last + 1..).map(|(_, e)| e.clone()).collect();
        let h = journal::verify_from(&room.game, last, head, &new)
            .map_err(|e| format!("D1's chain is broken: {e}"))?;
        room.d1_verified = (d1_head, h);
    }
    // Compaction: the DO never believes D1 holds more than it does, and keeps every row D1
    // lacks, contiguous up to its head, with every row a cold start folds.
    if store.confirmed > d1_head {
        return Err(format!(
            "the DO believes D1 holds {} but it holds {d1_head}",
            store.confirmed
        ));
    }
    let seqs: Vec<u64> = store.journal.iter().map(|e| e.seq).collect();
    let kept_head = seqs.last().copied().unwrap_or(0);
    let first = seqs.first().copied().unwrap_or(kept_head + 1);
    if seqs.len() as u64 != (kept_head + 1).saturating_sub(first) {
        return Err("the DO's rows are not contiguous".into());
    }
    if kept_head > d1_head && first > d1_head + 1 {
        return Err(format!(
            "rows {}..{first} were deleted before D1 had them",
            d1_head + 1
        ));
    }
    let snap = store.snapshot.as_ref().map_or(0, |(_, s, _)| *s);
    if kept_head > snap && first > snap + 1 {
        return Err(format!("rows after the snapshot at {snap} were deleted"));
    }
    // Conservation, over the entries journaled since the last step.
    let from = room.ledger.next.max(1);
    let new: Vec<Entry> = store
        .journal
        .iter()
        .filter(|e| e.seq >= from)
        .map(|e| (e.seq, e.clone()))
        .chain(room.d1.range(from..).map(|(s, e)| (*s, e.clone())))
        .collect::<BTreeMap<u64, Entry>>()
        .into_values()
        .collect();
    drop(store);
    for e in &new {
        if e.seq != room.ledger.next.max(1) {
            return Err(format!("entry {} missing from DO and D1", room.ledger.next));
        }
        room.ledger.entry(e)?;
        crate::features::new_entry(room, e)?;
        if e.typ == "SYSTEM.REVEAL_SEED" {
            room.secrets_revealed();
        }
    }
    if let Some(live) = room.host.live() {
        if live.room.seq() + 1 == room.ledger.next {
            if let Some(st) = live.room.state() {
                room.ledger.matches(st)?;
            }
            room.ledger.ended |= live.room.has_ended();
        }
    }
    Ok(())
}

/// The entries a full replay starts from: D1 below the DO's rows, then the DO's rows.
fn whole_journal(room: &RoomSim) -> Vec<Entry> {
    let store = room.store.borrow();
    let first = store.journal.first().map_or(u64::MAX, |e| e.seq);
    room.d1
        .range(..first)
        .map(|(_, e)| e.clone())
        .chain(store.journal.iter().cloned())
        .collect()
}

/// The state without the vote outcomes' decision trails, which a snapshot leaves out by design
/// (the audit rebuilds them from the journal: docs/replay.md).
fn untrailed(st: &GameState) -> GameState {
    let mut st = st.clone();
    for o in st
        .results
        .iter_mut()
        .map(|(_, o)| o)
        .chain(st.pending.iter_mut())
    {
        o.trail = Default::default();
    }
    st
}

/// Where two rooms differ (None: nowhere): the chain position, the day heads, or the first
/// top-level field of the state.
fn differ(a: &Room, b: &Room) -> Option<String> {
    if (a.seq(), a.head()) != (b.seq(), b.head()) {
        return Some(format!("chain position {} vs {}", a.seq(), b.seq()));
    }
    if a.day_heads() != b.day_heads() {
        return Some("day heads".into());
    }
    if a.state().map(untrailed) == b.state().map(untrailed) {
        return None;
    }
    let (x, y) = (
        serde_json::to_value(a.state()).unwrap_or_default(),
        serde_json::to_value(b.state()).unwrap_or_default(),
    );
    let field = x
        .as_object()
        .into_iter()
        .flatten()
        .find(|(k, v)| y.get(k.as_str()) != Some(v))
        .map(|(k, v)| format!("state.{k}: {v} vs {}", y[k.as_str()]));
    Some(field.unwrap_or_else(|| {
        let (x, y) = (format!("{:?}", a.state()), format!("{:?}", b.state()));
        let at = x.bytes().zip(y.bytes()).take_while(|(p, q)| p == q).count();
        let from = at.saturating_sub(160);
        format!(
            "state (not in its JSON): …{} vs …{}",
            &x[from..(at + 80).min(x.len())],
            &y[from..(at + 80).min(y.len())]
        )
    }))
}

/// A new instance's cold start (snapshot + tail) equals a replay of the whole journal.
pub(crate) fn restart_equals_replay(room: &RoomSim) -> Result<(), String> {
    let store = room.store.borrow().clone();
    let live = match LiveRoom::open(&store) {
        Ok(l) => l,
        Err(e) => return Err(format!("the store does not open after a restart: {e}")),
    };
    let all = whole_journal(room);
    let replayed = Room::replay(&room.game, &all, Some(room.seed))
        .map_err(|e| format!("the journal does not replay: {e}"))?;
    if let Some(d) = differ(&live.room, &replayed) {
        return Err(format!(
            "cold start at {} differs from the replay: {d}",
            live.room.seq()
        ));
    }
    Ok(())
}

/// After the run settled: D1 holds the whole journal once, verified, and a cold start equals
/// its replay.
pub(crate) fn settled(room: &RoomSim) -> Result<(), String> {
    let store = room.store.borrow();
    if !store.outbox.is_empty() {
        return Err(format!(
            "the outbox did not drain: {} left",
            store.outbox.len()
        ));
    }
    let d1: Vec<Entry> = room.d1.values().cloned().collect();
    let head = journal::verify(&room.game, &d1).map_err(|e| format!("D1: {e}"))?;
    let live = LiveRoom::open(&*store).map_err(|e| format!("cold start: {e}"))?;
    drop(store);
    if (live.room.seq(), live.room.head()) != (d1.len() as u64, head) {
        return Err(format!(
            "D1 ends at {} but the room at {}",
            d1.len(),
            live.room.seq()
        ));
    }
    let replayed = Room::replay(&room.game, &d1, Some(room.seed))
        .map_err(|e| format!("D1 does not replay: {e}"))?;
    if let Some(d) = differ(&live.room, &replayed) {
        return Err(format!("cold start differs from the replay of D1: {d}"));
    }
    for (seq, hash) in &room.acked {
        if room.d1.get(seq).map(|e| e.hash) != Some(*hash) {
            return Err(format!(
                "acknowledged entry {seq} is not in D1 as acknowledged"
            ));
        }
    }
    restart_equals_replay(room)
}
