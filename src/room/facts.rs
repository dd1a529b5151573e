//! The facts of the entries a room journaled last, kept as values until the live room commits
//! those entries (ticker lines, pushes owed), so the worker never decodes facts from an entry's
//! JSON text: `Fact`'s decoder is then not in its wasm at all (BENCHMARKS.md, "Fourth pass").
//! Replays and audits, which read entries they did not journal, still decode the text
//! (`Room::ticker`).

use std::collections::VecDeque;

use crate::engine::Fact;
use crate::journal::Entry;
use crate::limits::RECENT_FACTS_KEPT;

/// At most [`RECENT_FACTS_KEPT`] entries' facts, oldest dropped first. Not part of the room's
/// state: rooms compare equal whatever their logs hold, and a snapshot does not carry it.
#[derive(Clone, Debug, Default)]
pub(crate) struct FactLog {
    kept: VecDeque<(u64, Vec<Fact>)>,
}

impl PartialEq for FactLog {
    fn eq(&self, _: &FactLog) -> bool {
        true
    }
}

impl FactLog {
    pub(crate) fn push(&mut self, seq: u64, facts: Vec<Fact>) {
        if self.kept.len() >= RECENT_FACTS_KEPT {
            self.kept.pop_front();
        }
        self.kept.push_back((seq, facts));
    }

    /// The facts of each of `entries` (journaled by this room, in seq order), taken out of the
    /// log; none for an entry it no longer holds.
    pub(crate) fn take(&mut self, entries: &[Entry]) -> Vec<Vec<Fact>> {
        entries
            .iter()
            .map(|e| {
                // Older entries than this one are never asked for again.
                while self.kept.front().is_some_and(|(s, _)| *s < e.seq) {
                    self.kept.pop_front();
                }
                match self.kept.front() {
                    Some((s, _)) if *s == e.seq => self.kept.pop_front().map(|(_, f)| f),
                    _ => None,
                }
                .unwrap_or_default()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::room::facts_json;
    use crate::sim;

    #[test]
    fn the_facts_taken_are_the_ones_journaled() {
        let (mut room, entries) = sim::play(&sim::SimConfig::default());
        let n = entries.len();
        assert!(n > RECENT_FACTS_KEPT);
        let taken = room.take_facts(&entries[n - 20..n - 10]);
        for (e, facts) in entries[n - 20..n - 10].iter().zip(&taken) {
            assert_eq!(facts_json(facts), e.facts, "entry {}", e.seq);
        }
        assert!(taken.iter().any(|f| !f.is_empty()));
        // Taken once; older ones are gone with them (and those past the log's bound were
        // dropped), later ones kept.
        assert_eq!(room.take_facts(&entries[n - 11..n - 10]), vec![Vec::new()]);
        assert_eq!(room.take_facts(&entries[..1]), vec![Vec::new()]);
        let rest = room.take_facts(&entries[n - 10..]);
        for (e, facts) in entries[n - 10..].iter().zip(&rest) {
            assert_eq!(facts_json(facts), e.facts, "entry {}", e.seq);
        }
    }

    #[test]
    fn the_log_keeps_the_newest_entries_only() {
        let mut log = FactLog::default();
        for seq in 1..=(RECENT_FACTS_KEPT as u64 + 10) {
            log.push(seq, vec![Fact::SeedRevealed {}]);
        }
        assert_eq!(log.kept.len(), RECENT_FACTS_KEPT);
        assert_eq!(log.kept.front().map(|(s, _)| *s), Some(11));
    }
}
