//! Deterministic simulation of live rooms with injected faults (docs/testing.md, "The
//! simulator").
//!
//! From one seed, several rooms run against the real room host (`room::host::Host`, the same
//! policy the worker runs) over an in-memory store, with a fake clock, seeded bots (the demo's
//! `pecking_order_bots::Policy`) and a fake platform that injects faults: store writes failing
//! part-way, the object crashing after any write (a new instance over what storage holds),
//! evictions with hibernated sockets, D1 batches failing, timing out or succeeding without an
//! answer, alarms duplicated, late, early or lost and retried, sockets dropped and reconnected.
//! Rooms start from STATIC or DYNAMIC manifests, and the lobby's `…/player-joined` calls come
//! at random points (`dynamic`).
//! After every step [`check`] asserts the invariants. Every choice comes from one ChaCha stream
//! keyed by the seed and the clock is simulated: a seed reproduces its run bit for bit.

pub mod big;
mod check;
mod dynamic;
mod features;
pub mod fuzz;
mod room;
mod store;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use room::RoomSim;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use thiserror::Error;

/// 2026-12-01T08:58:00Z, two minutes before the simulated games start.
pub const T0: i64 = 1_796_115_480_000;

/// How big one run is.
#[derive(Clone, Debug)]
pub struct Options {
    /// Rooms per seed.
    pub rooms: usize,
    /// Steps per seed (each step is one event for one room); the run then settles.
    pub steps: usize,
    /// Games of 5–7 days instead of 2–3 (rooms that run long before they end).
    pub long_games: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rooms: 3,
            steps: 600,
            long_games: false,
        }
    }
}

/// What one or more runs did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    pub seeds: u64,
    pub steps: u64,
    /// Entries journaled, and those acknowledged to a client or the operator.
    pub entries: u64,
    pub acked: u64,
    /// Rooms whose game reached its end.
    pub finished: u64,
    /// Simulated time, summed over seeds (ms).
    pub sim_ms: i64,
    /// Faults injected, by kind.
    pub faults: BTreeMap<&'static str, u64>,
    /// What the later features did, by kind (checkpoints verified, deltas applied, resumes,
    /// lobby deliveries, typing signals, Q&A reveals, live-game and pregame moves …).
    pub exercised: BTreeMap<&'static str, u64>,
    /// Entries lost or written twice (always 0: either is a failure).
    pub lost: u64,
    pub duplicated: u64,
    /// A digest of everything the rooms sent and stored (the same seed gives the same digest).
    pub digest: String,
}

impl Stats {
    pub fn add(&mut self, o: &Stats) {
        self.seeds += o.seeds;
        self.steps += o.steps;
        self.entries += o.entries;
        self.acked += o.acked;
        self.finished += o.finished;
        self.sim_ms += o.sim_ms;
        self.lost += o.lost;
        self.duplicated += o.duplicated;
        for (k, v) in &o.faults {
            *self.faults.entry(k).or_default() += v;
        }
        for (k, v) in &o.exercised {
            *self.exercised.entry(k).or_default() += v;
        }
    }

    pub fn faults_total(&self) -> u64 {
        self.faults.values().sum()
    }
}

/// A run that broke an invariant (or panicked).
#[derive(Debug, Error)]
#[error("seed {seed}: {what}\n  repro: {}", repro(*.seed, .opts))]
pub struct Failure {
    pub seed: u64,
    pub opts: Options,
    pub what: String,
}

/// The one-line command that reruns a seed.
pub fn repro(seed: u64, opts: &Options) -> String {
    format!(
        "cargo run --profile sim -p pecking-order-sim --bin po-sim -- --seed {seed} --rooms {} --steps {}{}",
        opts.rooms,
        opts.steps,
        if opts.long_games { " --long" } else { "" }
    )
}

/// An invariant broken at a step, before the seed is attached.
#[derive(Debug, Error)]
#[error("room {room}, step {step}: {what}")]
pub struct Broken {
    pub room: usize,
    pub step: usize,
    pub what: String,
}

/// The fault-injection dice and the clock of one run.
pub(crate) struct Dice {
    rng: ChaCha8Rng,
    pub now: i64,
    pub faults: BTreeMap<&'static str, u64>,
}

impl Dice {
    pub fn below(&mut self, n: u64) -> u64 {
        self.rng.gen_range(0..n.max(1))
    }

    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    pub fn fault(&mut self, kind: &'static str) {
        *self.faults.entry(kind).or_default() += 1;
    }
}

impl Options {
    /// The size `cargo test` runs a few hundred seeds at (docs/testing.md).
    pub fn quick() -> Options {
        Options {
            rooms: 2,
            steps: 120,
            long_games: false,
        }
    }

    /// One room driven long: past several snapshots and compactions of a running game.
    pub fn long() -> Options {
        Options {
            rooms: 1,
            steps: 1200,
            long_games: true,
        }
    }
}

/// Runs one seed; panics in the host or the engine are failures too.
pub fn run(seed: u64, opts: &Options) -> Result<Stats, Failure> {
    let fail = |what: String| Failure {
        seed,
        opts: opts.clone(),
        what,
    };
    match catch_unwind(AssertUnwindSafe(|| run_inner(seed, opts))) {
        Ok(Ok(stats)) => Ok(stats),
        Ok(Err(b)) => Err(fail(b.to_string())),
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".into());
            Err(fail(format!("panicked: {msg}")))
        }
    }
}

fn run_inner(seed: u64, opts: &Options) -> Result<Stats, Broken> {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(b"po-sim\n\0");
    let mut dice = Dice {
        rng: ChaCha8Rng::from_seed(key),
        now: T0,
        faults: BTreeMap::new(),
    };
    let mut rooms: Vec<RoomSim> = (0..opts.rooms.max(1))
        .map(|i| RoomSim::create(i, seed, opts.long_games, &mut dice))
        .collect::<Result<_, _>>()?;
    for step in 0..opts.steps {
        let r = dice.below(rooms.len() as u64) as usize;
        rooms[r].step(&mut dice).map_err(|what| Broken {
            room: r,
            step,
            what,
        })?;
    }
    let mut stats = Stats {
        seeds: 1,
        steps: opts.steps as u64,
        ..Stats::default()
    };
    let mut digest = blake3::Hasher::new();
    for (r, room) in rooms.iter_mut().enumerate() {
        room.settle(&mut dice).map_err(|what| Broken {
            room: r,
            step: opts.steps,
            what,
        })?;
        room.report(&mut stats, &mut digest);
    }
    stats.sim_ms = dice.now - T0;
    stats.faults = dice.faults;
    stats.digest = digest.finalize().to_hex().to_string();
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dice(seed: u64) -> Dice {
        Dice {
            rng: ChaCha8Rng::seed_from_u64(seed),
            now: T0,
            faults: BTreeMap::new(),
        }
    }

    /// The checker catches what it is there to catch: a row deleted before D1 had it, and an
    /// acknowledged entry lost.
    #[test]
    fn the_checker_sees_a_row_deleted_before_d1_confirmed_it() {
        let mut d = dice(3);
        let mut room = RoomSim::create(0, 3, false, &mut d).expect("room");
        // A row D1 lacks (not one it wrote without answering), with a row after it.
        let missing = |room: &RoomSim| {
            let s = room.store.borrow();
            let head = s.journal.last().map_or(0, |e| e.seq);
            s.outbox
                .iter()
                .copied()
                .find(|q| !room.d1.contains_key(q) && *q < head)
        };
        while missing(&room).is_none() || room.store.borrow().outbox.len() < 3 {
            room.step(&mut d).expect("step");
        }
        let unconfirmed = missing(&room).expect("an unconfirmed row");
        let mut lost = room.store.borrow().clone();
        lost.journal.retain(|e| e.seq != unconfirmed);
        *room.store.borrow_mut() = lost;
        let err = check::after_step(&mut room).expect_err("caught");
        assert!(
            ["lost", "deleted", "contiguous", "changed"]
                .iter()
                .any(|w| err.contains(w)),
            "{err}"
        );
    }
}
