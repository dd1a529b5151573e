//! What the host sends back: frames to the bots' sockets (SYNC, DELTA, ACK, ERROR,
//! CHECKPOINT), history pages, acknowledgements, and the secrets none of them may carry.

use super::RoomSim;
use crate::check;
use crate::features;
use crate::Dice;
use pecking_order::journal::Entry;
use serde_json::Value;

impl RoomSim {
    /// A frame the host sent to `socket`: its bot learns the projection; an ACK or a journaled
    /// refusal is recorded as acknowledged; no secret may be in it.
    pub(super) fn receive(
        &mut self,
        _dice: &mut Dice,
        socket: &str,
        text: &str,
    ) -> Result<(), String> {
        let Some((player, delta)) = self
            .sockets
            .get(socket)
            .map(|s| (s.player_id.clone(), s.delta))
        else {
            return Ok(());
        };
        self.frames_in += 1;
        let f: Value =
            serde_json::from_str(text).map_err(|e| format!("a frame is not JSON: {e}"))?;
        self.seed_revealed_now(text);
        self.secrets.check_frame(&player, &f, text)?;
        features::qa_secrecy(self, text)?;
        match f["type"].as_str().unwrap_or_default() {
            "SYSTEM.SYNC" => {
                check::vote_secrecy(self, &player, &f["state"])?;
                if let Some(bot) = self.bots.iter_mut().find(|b| b.player == player) {
                    bot.view = f["state"].clone();
                    bot.resume = None;
                    bot.lagging = false;
                    if let Some(v) = f["v"].as_u64() {
                        bot.version = Some(v);
                        features::hold(&mut bot.held, v, &bot.view)?;
                    }
                }
            }
            "SYSTEM.DELTA" => {
                if !delta {
                    return Err(format!(
                        "a SYSTEM.DELTA to {player}'s socket without delta=1"
                    ));
                }
                let Some(b) = self.bots.iter().position(|b| b.player == player) else {
                    return Ok(());
                };
                let bot = &self.bots[b];
                let base = f["base"].as_u64();
                let expected = match bot.resume {
                    Some(asked) => asked,
                    None => bot.version,
                };
                if base.is_none() || base != expected {
                    return Err(format!(
                        "{player}'s delta has base {base:?}, the socket holds {expected:?}"
                    ));
                }
                let held = bot.held.iter().find(|(v, _)| Some(*v) == base);
                let Some((_, from)) = held else {
                    return Err(format!("{player}'s delta from {base:?}, never held"));
                };
                let view = features::apply(from, &f["ops"])?;
                let v = f["v"].as_u64().unwrap_or(0);
                if Some(v) < base {
                    return Err(format!("{player}'s delta goes back from {base:?} to {v}"));
                }
                check::vote_secrecy(self, &player, &view)?;
                self.features.deltas += 1;
                let bot = &mut self.bots[b];
                if bot.resume.take().is_some() {
                    self.features.resumed += 1;
                }
                bot.version = Some(v);
                bot.lagging = false;
                features::hold(&mut bot.held, v, &view)?;
                bot.view = view;
            }
            "CHECKPOINT" => features::checkpoint_frame(self, &f)?,
            "ACK" | "ERROR" => {
                if let Some(seq) = f["seq"].as_u64() {
                    self.record_ack(seq)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A page of `GET …/journal`: contiguous entries, each the one the room journaled (as D1 or
    /// the DO holds it).
    pub(super) fn page(&mut self, text: &str) -> Result<(), String> {
        let mut expect: Option<u64> = None;
        for line in text.lines().filter(|l| !l.is_empty()) {
            let e: Entry =
                serde_json::from_str(line).map_err(|err| format!("a journal line: {err}"))?;
            if expect.is_some_and(|s| s != e.seq) {
                return Err(format!("journal page skips to {}", e.seq));
            }
            let truth = {
                let s = self.store.borrow();
                s.journal.iter().find(|x| x.seq == e.seq).cloned()
            }
            .or_else(|| self.d1.get(&e.seq).cloned());
            if truth.as_ref() != Some(&e) {
                return Err(format!(
                    "journal page entry {} is not the journaled one",
                    e.seq
                ));
            }
            expect = Some(e.seq + 1);
            self.paged_to = e.seq;
        }
        self.pages += 1;
        Ok(())
    }

    /// An entry was acknowledged: it must be stored (commit before acknowledge).
    pub(super) fn record_ack(&mut self, seq: u64) -> Result<(), String> {
        let hash = self
            .store
            .borrow()
            .journal
            .iter()
            .find(|e| e.seq == seq)
            .map(|e| e.hash)
            .ok_or(format!("entry {seq} was acknowledged but is not stored"))?;
        if let Some(old) = self.acked.insert(seq, hash) {
            if old != hash {
                return Err(format!("entry {seq} acknowledged twice with other bytes"));
            }
        }
        Ok(())
    }

    pub fn secrets_revealed(&mut self) {
        self.secrets.revealed = true;
    }

    /// A text names the seed: it may, if this very step revealed it (a checkpoint after the
    /// reveal states it), before `check::after_step` read that entry.
    pub(super) fn seed_revealed_now(&mut self, text: &str) {
        if !self.secrets.revealed && text.contains(&self.secrets.seed_hex) {
            let s = self.store.borrow();
            let revealed = s
                .journal
                .iter()
                .any(|e| e.typ == "SYSTEM.REVEAL_SEED" && e.verdict.is_accepted());
            drop(s);
            if revealed {
                self.secrets_revealed();
            }
        }
    }
}
