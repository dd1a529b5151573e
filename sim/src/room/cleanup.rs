//! The end of a finished room: `POST …/cleanup` once D1 has everything, its reads answered
//! from the simulated D1, then the whole history paged back through the tombstone.

use super::{reply, RoomSim};
use crate::Dice;
use pecking_order::room::host::{Effect, Input};

impl RoomSim {
    /// Answers the first D1 read among `fx` from the simulated D1, then the next read the host
    /// asks for, at most `rounds` times; returns the effects of the last step.
    pub(super) fn answer_d1_reads(
        &mut self,
        now: i64,
        mut fx: Vec<Effect>,
        rounds: usize,
    ) -> Vec<Effect> {
        for _ in 0..rounds {
            let Some(read) = fx.iter().find_map(|e| match e {
                Effect::ReadD1(r) => Some(r.clone()),
                _ => None,
            }) else {
                break;
            };
            let rows = self
                .d1
                .range(read.from..=read.to)
                .map(|(_, e)| e.clone())
                .collect();
            fx = self.host.handle(
                now,
                Input::D1Read {
                    read,
                    result: Ok(rows),
                },
            );
        }
        fx
    }

    /// `POST …/cleanup` of a finished room once D1 has everything: the room verifies D1's chain
    /// (reads answered here), deletes its storage and keeps a tombstone; its history still pages
    /// from D1.
    pub(super) fn clean_up(&mut self, dice: &mut Dice) -> Result<(), String> {
        let req = self.request("POST", "/cleanup", Vec::new());
        let fx = self.host.handle(dice.now, Input::Http(req));
        let fx = self.answer_d1_reads(dice.now, fx, 100);
        match reply(&fx) {
            Some((200, v)) if v["seq"].as_u64() == Some(self.d1.len() as u64) => {}
            other => return Err(format!("cleanup of a finished, drained room: {other:?}")),
        }
        let s = self.store.borrow();
        if s.tombstone.is_none() || !s.journal.is_empty() || s.snapshot.is_some() {
            return Err("cleanup left more than a tombstone".into());
        }
        drop(s);
        self.perform(dice, fx)?;
        // The whole history, paged from D1 through the tombstone.
        let mut from = 1;
        while from <= self.d1.len() as u64 {
            let mut req = self.request("GET", "/journal", Vec::new());
            req.query = vec![
                ("from".into(), from.to_string()),
                ("limit".into(), "500".into()),
            ];
            let fx = self.host.handle(dice.now, Input::Http(req));
            let fx = self.answer_d1_reads(dice.now, fx, usize::MAX);
            let before = self.pages;
            self.perform(dice, fx)?;
            if self.pages == before {
                return Err(format!("no page of history from {from} after the cleanup"));
            }
            from = self.paged_to + 1;
        }
        Ok(())
    }
}
