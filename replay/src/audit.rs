//! The audit core: the hash chain check (with gap detection and a hint at what was altered) and
//! the replayer, which re-applies every entry with this engine and records where the recomputed
//! verdict or facts differ from the recorded ones (rules drift) without stopping there.

use crate::source::{Journal, RowProblemKind};
use pecking_order::engine::{Command, Engine, Fact, GameState, Input, ENGINE_VERSION};
use pecking_order::journal::{genesis_hash, verify_from, ChainError, Entry, Field, Hash, Verdict};
use pecking_order::room::{facts_json, revealed_seed, Room};
use pecking_order::snapshot::{Snapshot, SNAPSHOT_VERSION};

/// Why the chain does not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainProblem {
    /// Rows are missing: `missing` is the first absent seq. An inner gap is tampering (exit 2);
    /// `missing == 1` is a journal that starts late (exit 4), reported only when the rows present
    /// link up among themselves.
    Gap {
        missing: u64,
        next_present: u64,
        verified_to: u64,
        verified_head: Hash,
    },
    /// The first entry that does not verify. Exit 2.
    Tampered(Tamper),
    /// A row that cannot be read, with nothing wrong before it in seq order. Exit 4.
    Malformed { message: String },
    /// Two different rows for one seq, with nothing wrong before it. Exit 5 (fork).
    Fork(Box<Fork>),
}

/// Two rows that claim the same seq.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fork {
    pub seq: u64,
    pub a: Entry,
    pub b: Entry,
    /// Last seq verified before it, and its hash (what both rows should link to).
    pub verified_to: u64,
    pub verified_head: Hash,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tamper {
    pub seq: u64,
    /// The column that fails: `game_id`, `seq`, `prev_hash`, `hash` (journal-format §4) or
    /// `at_ms` (earlier than its predecessor's, on a chain that otherwise verifies).
    pub field: &'static str,
    /// Last seq that verified (0 when none did) and its hash.
    pub verified_to: u64,
    pub verified_head: Hash,
    /// What the rows around it say about the change, best effort.
    pub hints: Vec<String>,
}

/// Checks the whole chain from seq 1. Returns the head, or the first problem in seq order:
/// a broken link or hash, an `at_ms` that goes back, an inner gap (2) or two different rows
/// for one seq (fork, 5) before any unreadable row (4); a journal that starts late (4) is
/// reported only when the rows present link up among themselves, so an alteration after a
/// missing seq 1 is still found.
pub fn check_chain(j: &Journal) -> Result<Hash, ChainProblem> {
    let entries = &j.entries;
    let stop = j.problems.first().map_or(u64::MAX, |p| p.order());
    let part = &entries[..entries.partition_point(|e| e.seq < stop)];
    // A journal that starts late is checked from its first row's own link.
    let (start_seq, anchor) = match part.first() {
        Some(f) if f.seq > 1 => (f.seq - 1, f.prev_hash),
        _ => (0, genesis_hash(&j.game_id)),
    };
    let gap_at = part
        .iter()
        .enumerate()
        .position(|(i, e)| e.seq != start_seq + i as u64 + 1);
    let prefix = &part[..gap_at.unwrap_or(part.len())];
    let head_at = |k: usize| if k == 0 { anchor } else { prefix[k - 1].hash };
    let broken = match verify_from(&j.game_id, start_seq, anchor, prefix) {
        Ok(_) | Err(ChainError::Empty) => None,
        Err(ChainError::Broken { index, seq, field }) => Some((index, seq, field)),
    };
    // Rooms never stamp an earlier time than the entry before (journal-format §1): on rows
    // that verify, an earlier `at_ms` means the row was re-sealed after it was written.
    let verified = broken.map_or(prefix.len(), |b| b.0);
    if let Some(i) = (1..verified).find(|&i| prefix[i].at_ms < prefix[i - 1].at_ms) {
        let (e, p) = (&prefix[i], &prefix[i - 1]);
        return Err(ChainProblem::Tampered(Tamper {
            seq: e.seq,
            field: "at_ms",
            verified_to: p.seq,
            verified_head: p.hash,
            hints: vec![format!(
                "its at_ms {} is earlier than the {} of seq {}: rooms never stamp an earlier time, so the row was changed and the chain re-sealed after it was written",
                e.at_ms, p.at_ms, p.seq
            )],
        }));
    }
    if let Some((index, seq, field)) = broken {
        return Err(ChainProblem::Tampered(Tamper {
            seq,
            field: field.as_str(),
            verified_to: start_seq + index as u64,
            verified_head: head_at(index),
            // `prefix` starts at `entries[0]`, so its indices are the journal's.
            hints: hints(j, index, field),
        }));
    }
    let head = head_at(prefix.len());
    let last = start_seq + prefix.len() as u64;
    // The first seq after the verified run that is not a row: a gap, or the first problem.
    let next_present = gap_at.map(|i| part[i].seq).unwrap_or(stop);
    let unreadable_seq = j.problems.iter().any(|p| p.seq.is_none());
    if gap_at.is_some() || (stop != u64::MAX && next_present > last + 1) {
        if unreadable_seq {
            // The missing row may be the one whose seq cannot be read.
            return Err(malformed(j));
        }
        return Err(ChainProblem::Gap {
            missing: last + 1,
            next_present,
            verified_to: last,
            verified_head: head,
        });
    }
    if let Some(p) = j.problems.first() {
        if let RowProblemKind::Conflict(pair) = &p.kind {
            return Err(ChainProblem::Fork(Box::new(Fork {
                seq: pair.0.seq,
                a: pair.0.clone(),
                b: pair.1.clone(),
                verified_to: last,
                verified_head: head,
            })));
        }
    }
    if start_seq > 0 {
        return Err(ChainProblem::Gap {
            missing: 1,
            next_present: start_seq + 1,
            verified_to: 0,
            verified_head: genesis_hash(&j.game_id),
        });
    }
    if !j.problems.is_empty() {
        return Err(malformed(j));
    }
    Ok(head)
}

fn malformed(j: &Journal) -> ChainProblem {
    let message = match j.problems.first().map(|p| &p.kind) {
        Some(RowProblemKind::Malformed(m)) => m.clone(),
        Some(RowProblemKind::Conflict(pair)) => {
            format!("malformed journal: seq {} appears twice", pair.0.seq)
        }
        None => "malformed journal".into(),
    };
    ChainProblem::Malformed { message }
}

/// Best-effort reading of what changed at `entries[i]`, from its neighbours and the engine.
fn hints(j: &Journal, i: usize, field: Field) -> Vec<String> {
    let entries = &j.entries;
    let e = &entries[i];
    let next = entries.get(i + 1);
    let mut out = Vec::new();
    match field {
        Field::Hash => {
            let recomputed = e.compute_hash();
            match next {
                Some(n) if n.prev_hash == e.hash => {
                    out.push(format!(
                        "seq {} still links to the stored hash of seq {}, so a hashed column of seq {} was changed after it was written",
                        n.seq, e.seq, e.seq
                    ));
                    out.extend(suspect_columns(j, i));
                }
                Some(n) if n.prev_hash == recomputed => out.push(format!(
                    "the row's content is what seq {} links to: only its hash column was rewritten",
                    n.seq
                )),
                Some(n) => out.push(format!(
                    "seq {} links to neither the stored nor the recomputed hash of seq {}: the row was replaced",
                    n.seq, e.seq
                )),
                None => {
                    out.push(format!(
                        "seq {} is the last row: it was altered, or forged and appended",
                        e.seq
                    ));
                    out.extend(suspect_columns(j, i));
                }
            }
        }
        Field::PrevHash => {
            // Never the row itself: a prev_hash rewritten to the row's own hash is no reordering.
            if let Some(k) = entries
                .iter()
                .enumerate()
                .position(|(k, x)| k != i && x.hash == e.prev_hash)
            {
                out.push(format!(
                    "its prev_hash is the hash of the row now at seq {}: rows were reordered or renumbered",
                    entries[k].seq
                ));
            } else if i > 0 {
                out.push(format!(
                    "its prev_hash is not the hash of seq {} (nor of any row present): a row was removed, inserted or renumbered here, or prev_hash was rewritten",
                    entries[i - 1].seq
                ));
            } else {
                out.push("entry 1 does not chain from the game's genesis hash".into());
            }
        }
        Field::Seq | Field::GameId => {}
    }
    out
}

/// Which columns of an entry whose hash fails look altered. Replays the verified prefix (the
/// chain is intact before `i`) and compares the row with what the engine and its neighbours
/// imply.
fn suspect_columns(j: &Journal, i: usize) -> Vec<String> {
    let entries = &j.entries;
    let e = &entries[i];
    let mut out = Vec::new();
    let prev = i.checked_sub(1).map(|k| &entries[k]);
    let next = entries.get(i + 1);
    if prev.is_some_and(|p| e.at_ms < p.at_ms) || next.is_some_and(|n| e.at_ms > n.at_ms) {
        out.push(format!(
            "likely column at_ms: {} is out of order with its neighbours ({} … {})",
            e.at_ms,
            prev.map_or("-".to_string(), |p| p.at_ms.to_string()),
            next.map_or("-".to_string(), |n| n.at_ms.to_string())
        ));
    }
    if prev.is_some_and(|p| e.day < p.day) || next.is_some_and(|n| e.day > n.day) {
        out.push(format!(
            "likely column day: {} is out of order with its neighbours",
            e.day
        ));
    }
    let mut r = Replayer::new(&j.game_id, &entries[..i], revealed_seed(&j.entries));
    while r.step().is_some() {}
    match Command::from_type_and_payload(&e.typ, &e.payload) {
        Err(err) => out.push(format!("likely column payload: it does not decode ({err})")),
        Ok(cmd) => {
            let mut engine = r.engine.clone();
            let res = engine.apply(&Input {
                seq: e.seq,
                at_ms: e.at_ms,
                kind: e.kind,
                actor: &e.actor,
                command: &cmd,
            });
            let (verdict, facts) = match res {
                Ok(f) => (Verdict::Accepted, facts_json(&f)),
                Err(rej) => (Verdict::Rejected(rej.code().to_string()), "[]".to_string()),
            };
            if let Some(day) = r.engine.state.as_ref().map(|s| s.day) {
                if day != e.day {
                    out.push(format!(
                        "likely column day: the game was on day {day}, the row says {}",
                        e.day
                    ));
                }
            }
            if verdict != e.verdict || facts != e.facts {
                out.push(format!(
                    "likely columns payload, actor, verdict or facts: this engine derives {} {} from the row, it records {} {}",
                    verdict.to_wire(),
                    facts,
                    e.verdict.to_wire(),
                    e.facts
                ));
            }
        }
    }
    out
}

/// One entry whose recomputation differs from the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Divergence {
    pub seq: u64,
    pub typ: String,
    /// Rules version recorded in the entry.
    pub engine: String,
    pub recorded_verdict: Verdict,
    pub recomputed_verdict: Verdict,
    pub recorded_facts: String,
    pub recomputed_facts: String,
    /// Set when the payload no longer decodes (then nothing was applied).
    pub note: Option<String>,
}

/// What replaying one entry gave.
#[derive(Debug)]
pub struct Step {
    pub index: usize,
    pub verdict: Verdict,
    pub facts: Vec<Fact>,
    pub diverged: bool,
}

/// Re-applies entries one at a time with this engine. Unlike `Room::replay` it goes on past a
/// divergence (with the recomputed state), so `diff` can list every differing entry.
#[derive(Clone, Debug)]
pub struct Replayer<'a> {
    entries: &'a [Entry],
    pub engine: Engine,
    pos: usize,
    seq: u64,
    head: Hash,
    day_heads: Vec<(u32, Hash)>,
    pub divergences: Vec<Divergence>,
    /// Whether the replay has the game's seed (revealed or given).
    seeded: bool,
    /// The first entry whose recorded outcome drew on the seed while the replay has none: it and
    /// what follows cannot be rechecked until the seed is revealed (not a divergence).
    pub unseeded_from: Option<u64>,
}

impl Replayer<'_> {
    /// The divergences that count: those before the first entry that needs the unknown seed.
    pub fn verified_divergences(&self) -> &[Divergence] {
        let n = match self.unseeded_from {
            Some(s) => self.divergences.partition_point(|d| d.seq < s),
            None => self.divergences.len(),
        };
        &self.divergences[..n]
    }
}

impl<'a> Replayer<'a> {
    /// `seed`: the game's seed when known (the revealed one, see `revealed_seed`).
    pub fn new(game_id: &str, entries: &'a [Entry], seed: Option<[u8; 32]>) -> Replayer<'a> {
        Replayer {
            entries,
            engine: Engine::new(game_id, seed),
            pos: 0,
            seq: 0,
            head: genesis_hash(game_id),
            day_heads: Vec::new(),
            divergences: Vec::new(),
            seeded: seed.is_some(),
            unseeded_from: None,
        }
    }

    /// The next entry to be applied.
    pub fn peek(&self) -> Option<&'a Entry> {
        self.entries.get(self.pos)
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn state(&self) -> Option<&GameState> {
        self.engine.state.as_ref()
    }

    pub fn seq(&self) -> u64 {
        self.seq
    }

    pub fn head(&self) -> Hash {
        self.head
    }

    pub fn day_heads(&self) -> &[(u32, Hash)] {
        &self.day_heads
    }

    /// Applies the next entry.
    pub fn step(&mut self) -> Option<Step> {
        let e = self.entries.get(self.pos)?;
        let index = self.pos;
        self.pos += 1;
        let day_before = self.state().map(|s| s.day).unwrap_or(0);
        let (verdict, facts, note) = match Command::from_type_and_payload(&e.typ, &e.payload) {
            // As `Room::apply_recorded`: a checkpoint must state the head before it.
            Ok(Command::Checkpoint { head, .. }) if head != self.head => (
                e.verdict.clone(),
                Vec::new(),
                Some(format!(
                    "the checkpoint states head {head}, the chain head before it is {}",
                    self.head
                )),
            ),
            Ok(cmd) => {
                let res = self.engine.apply(&Input {
                    seq: e.seq,
                    at_ms: e.at_ms,
                    kind: e.kind,
                    actor: &e.actor,
                    command: &cmd,
                });
                match res {
                    Ok(f) => (Verdict::Accepted, f, None),
                    Err(r) => (Verdict::Rejected(r.code().to_string()), Vec::new(), None),
                }
            }
            Err(err) => (
                e.verdict.clone(),
                Vec::new(),
                Some(format!("payload does not decode: {err}")),
            ),
        };
        let recomputed = facts_json(&facts);
        // The D1 `day` column is the day the game was on after the entry (as the room seals it).
        let day_after = self.state().map(|s| s.day).unwrap_or(0);
        let note = match note {
            None if day_after != e.day => Some(format!(
                "day column says {}, the engine derives day {day_after}",
                e.day
            )),
            n => n,
        };
        let diverged = note.is_some() || verdict != e.verdict || recomputed != e.facts;
        if diverged
            && !self.seeded
            && self.unseeded_from.is_none()
            && verdict != e.verdict
            && matches!(&verdict, Verdict::Rejected(c) if c == "SEED_UNKNOWN")
        {
            self.unseeded_from = Some(e.seq);
        }
        if diverged {
            self.divergences.push(Divergence {
                seq: e.seq,
                typ: e.typ.clone(),
                engine: e.engine.clone(),
                recorded_verdict: e.verdict.clone(),
                recomputed_verdict: verdict.clone(),
                recorded_facts: e.facts.clone(),
                recomputed_facts: recomputed,
                note,
            });
        }
        // As `Room::advance`: a day's chain head is the hash of the entry that ended it.
        self.seq = e.seq;
        self.head = e.hash;
        let day_ended = facts.iter().any(|f| {
            matches!(f, Fact::PhaseChanged { phase, .. } if phase == "NIGHT" || phase == "GAME_SUMMARY")
        });
        if day_ended && day_before > 0 {
            self.day_heads.push((day_before, e.hash));
        }
        Some(Step {
            index,
            verdict,
            facts,
            diverged,
        })
    }

    /// Applies every remaining entry, calling `tick` with the number applied so far.
    pub fn run(&mut self, mut tick: impl FnMut(usize)) {
        while self.step().is_some() {
            if self.pos & 4095 == 0 {
                tick(self.pos);
            }
        }
        tick(self.pos);
    }

    /// The room at this point, as the live room was (same snapshot bytes when nothing diverged).
    pub fn room(&self) -> Room {
        let snap = Snapshot {
            version: SNAPSHOT_VERSION,
            engine_version: ENGINE_VERSION.to_string(),
            seq: self.seq,
            head: self.head,
            day_heads: self.day_heads.clone(),
            engine: self.engine.clone(),
        };
        match Room::from_snapshot(&snap.encode()) {
            Ok(r) => r,
            // A snapshot we just encoded always decodes.
            Err(e) => panic!("snapshot round trip failed: {e}"),
        }
    }
}
