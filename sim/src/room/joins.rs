//! The lobby's `POST …/player-joined` calls (`crate::dynamic`): sent through the faults like the
//! operator's commands, each answer checked against what the call was; a refused join changes
//! nothing; a call whose answer never came is sent again later, as the lobby retries.

use super::{reply, Bot, RoomSim};
use crate::dynamic::JoinKind;
use crate::Dice;
use pecking_order::limits::MAX_PLAYERS;
use pecking_order::room::host::Input;

/// Bots at most in a room: players who join past it are in the roster without one.
const MAX_BOTS: usize = 8;

impl RoomSim {
    /// Whether this room takes joins.
    pub(super) fn takes_joins(&self) -> bool {
        self.features.joins.is_some()
    }

    /// Whether only the operator's NEXT_STAGE moves this room's game (`scheduling: ADMIN`).
    pub(super) fn admin_scheduled(&self) -> bool {
        self.features.joins.as_ref().is_some_and(|j| j.admin)
    }

    /// The operator moves an ADMIN-scheduled game on: pregame or night → the next day, day →
    /// night.
    pub(super) fn next_stage(&mut self, dice: &mut Dice) -> Result<(), String> {
        if let Some(j) = self.features.joins.as_mut() {
            j.count("NEXT_STAGE (ADMIN scheduling)");
        }
        self.admin(dice, serde_json::json!({ "type": "NEXT_STAGE" }))?;
        self.check(dice)
    }

    /// How likely a step is the lobby's (per mille): often in pregame (most often in a room
    /// that fills its roster), seldom once the game started (every join is refused then).
    pub(super) fn join_odds(&self) -> u64 {
        match (&self.features.joins, self.started()) {
            (_, true) => 25,
            (Some(j), false) if j.fills() => 400,
            _ => 120,
        }
    }

    /// The lobby's calls of one step: one, or a burst in a room that fills its roster; then
    /// the invariants.
    pub(super) fn join_steps(&mut self, dice: &mut Dice) -> Result<(), String> {
        let fills = self.features.joins.as_ref().is_some_and(|j| j.fills());
        for _ in 0..if fills { 1 + dice.below(6) } else { 1 } {
            self.join_step(dice)?;
            self.check(dice)?;
        }
        Ok(())
    }

    /// One call of the lobby's, by the dice.
    fn join_step(&mut self, dice: &mut Dice) -> Result<(), String> {
        let game = self.game.clone();
        let Some(j) = self.features.joins.as_mut() else {
            return Ok(());
        };
        let (kind, who, body) = j.next_call(dice, &mut self.features.qa, &game);
        let in_roster = j.roster().contains(&who);
        let full = j.roster().len() >= MAX_PLAYERS;
        let pregame = !self.started();
        let state_before = self
            .host
            .live()
            .and_then(|l| l.room.state().cloned())
            .map(|s| serde_json::to_value(s).unwrap_or_default());
        let head_before = self.head();
        let req = self.request("POST", "/player-joined", body.clone());
        let failing = self.store.borrow().fail_after.is_some();
        if failing {
            self.bots.iter_mut().for_each(|b| b.lagging = true);
        }
        let crash = self.crash_after.take();
        if let Some(k) = crash {
            self.store.borrow_mut().fail_after = Some(k);
        }
        let fx = self.host.handle(dice.now, Input::Http(req));
        self.store.borrow_mut().fail_after = None;
        let retry = |room: &mut RoomSim, what| {
            if let Some(j) = room.features.joins.as_mut() {
                j.count(what);
                let again = match kind {
                    JoinKind::Malformed => JoinKind::Malformed,
                    _ => JoinKind::Retry,
                };
                j.retry.push((again, who.clone(), body.clone()));
            }
        };
        if crash.is_some() {
            // The object died with the answer: the lobby sends the body again later.
            retry(self, "joins unanswered (crash)");
            return self.restart(dice, true);
        }
        let answer = reply(&fx);
        self.perform(dice, fx)?;
        let Some((status, v)) = answer else {
            return Err(format!("{kind:?} join of {who}: no answer"));
        };
        let count = |room: &mut RoomSim, what| {
            if let Some(j) = room.features.joins.as_mut() {
                j.count(what);
            }
        };
        match status {
            200 => {
                if kind == JoinKind::Malformed || in_roster || full || !pregame {
                    return Err(format!(
                        "{kind:?} join of {who} accepted (in the roster {in_roster}, full {full}, pregame {pregame}): {v}"
                    ));
                }
                let seq = v["seq"].as_u64().ok_or("a join's answer without seq")?;
                self.record_ack(seq)?;
                self.joined_once(&who)?;
            }
            409 => {
                if kind == JoinKind::Malformed
                    || (kind == JoinKind::New && pregame && !in_roster && !full)
                {
                    return Err(format!(
                        "{kind:?} join of {who} refused (in the roster {in_roster}, full {full}, pregame {pregame}): {v}"
                    ));
                }
                let seq = v["seq"].as_u64().ok_or("a refusal's answer without seq")?;
                self.record_ack(seq)?;
                // The refusal, then at most a checkpoint that was due (it covers the refusal).
                let after: Vec<(u64, String)> = self
                    .store
                    .borrow()
                    .journal
                    .iter()
                    .filter(|e| e.seq > head_before)
                    .map(|e| (e.seq, e.typ.clone()))
                    .collect();
                let checkpointed = after.len() > 1;
                if seq != head_before + 1
                    || after.first().map(|(s, _)| *s) != Some(seq)
                    || after.iter().skip(1).any(|(_, t)| t != "SYSTEM.CHECKPOINT")
                {
                    return Err(format!(
                        "a refused join journaled {after:?} after {head_before} (its seq {seq})"
                    ));
                }
                let verdict = v["verdict"].as_str().unwrap_or_default();
                count(
                    self,
                    if verdict.contains("WRONG_PHASE") {
                        "joins refused: game started"
                    } else if verdict.contains("DUPLICATE") {
                        "joins refused: duplicate"
                    } else if full {
                        "joins refused: roster full"
                    } else {
                        "joins refused: other"
                    },
                );
                self.unchanged(state_before.as_ref(), failing, checkpointed, &who)?;
            }
            400 | 413 => {
                if kind != JoinKind::Malformed {
                    return Err(format!("{kind:?} join of {who} refused as malformed: {v}"));
                }
                if self.head() != head_before {
                    return Err(format!("a malformed join journaled {}", self.head()));
                }
                count(self, "joins malformed");
                self.unchanged(state_before.as_ref(), failing, false, &who)?;
            }
            s if s >= 500 => retry(self, "joins failed (5xx)"),
            s => return Err(format!("{kind:?} join of {who}: {s} {v}")),
        }
        Ok(())
    }

    /// Whether day 1 has started, as the journal read so far says.
    fn started(&self) -> bool {
        self.host
            .live()
            .and_then(|l| l.room.state())
            .is_some_and(|s| s.day > 0)
            || self.ledger_day() > 0
    }

    fn ledger_day(&self) -> u32 {
        self.features.joins.as_ref().map_or(0, |j| j.day())
    }

    /// The last seq the room journaled (its rows, else D1).
    fn head(&self) -> u64 {
        let kept = self.store.borrow().journal.last().map(|e| e.seq);
        kept.unwrap_or_else(|| self.d1.keys().last().copied().unwrap_or(0))
    }

    /// The player is in the state's roster once.
    fn joined_once(&self, who: &str) -> Result<(), String> {
        let Some(st) = self.host.live().and_then(|l| l.room.state()) else {
            return Ok(());
        };
        let n = st.players.iter().filter(|p| p.id == who).count();
        if n != 1 {
            return Err(format!("{who} is {n} times in the roster after joining"));
        }
        Ok(())
    }

    /// A refused join left the state as it was (unless a store write failed part-way, which
    /// DO SQLite's atomic step cannot do); a checkpoint that was due and followed the refusal
    /// moves only the last entry's seq and time.
    fn unchanged(
        &self,
        before: Option<&serde_json::Value>,
        failing: bool,
        checkpointed: bool,
        who: &str,
    ) -> Result<(), String> {
        let (Some(before), false) = (before, failing) else {
            return Ok(());
        };
        let Some(st) = self.host.live().and_then(|l| l.room.state()) else {
            return Ok(());
        };
        let mut after = serde_json::to_value(st).unwrap_or_default();
        let mut before = before.clone();
        if checkpointed {
            for v in [&mut after, &mut before] {
                if let Some(o) = v.as_object_mut() {
                    o.remove("last_seq");
                    o.remove("last_at_ms");
                }
            }
        }
        let before = &before;
        if &after != before {
            let field = after
                .as_object()
                .into_iter()
                .flatten()
                .find(|(k, v)| before.get(k.as_str()) != Some(v))
                .map_or_else(|| "?".to_string(), |(k, _)| k.clone());
            return Err(format!(
                "a refused join of {who} changed the state's `{field}`"
            ));
        }
        Ok(())
    }

    /// Bots for the players who joined (up to [`MAX_BOTS`]), and the roster's invariant: the
    /// state's roster is the journal's, each id once.
    pub(super) fn after_joins(&mut self) -> Result<(), String> {
        let seed = u64::from_le_bytes(self.seed[..8].try_into().unwrap_or_default())
            ^ u64::from(self.seed[8]) << 32;
        let Some(j) = self.features.joins.as_mut() else {
            return Ok(());
        };
        for player in std::mem::take(&mut j.new_players) {
            if self.bots.len() < MAX_BOTS && !self.bots.iter().any(|b| b.player == player) {
                self.bots.push(Bot::new(&player, seed));
            }
        }
        let Some(st) = self.host.live().and_then(|l| l.room.state()) else {
            return Ok(());
        };
        let ids: Vec<&str> = st.players.iter().map(|p| p.id.as_str()).collect();
        let journal: Vec<&str> = j.roster().iter().map(String::as_str).collect();
        if self
            .host
            .live()
            .is_some_and(|l| l.room.seq() == self.ledger.read_to())
            && ids != journal
        {
            return Err(format!(
                "the state's roster {ids:?} is not the journal's {journal:?}"
            ));
        }
        Ok(())
    }
}
