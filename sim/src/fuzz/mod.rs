//! Structure-aware fuzzing of every decoder of outside bytes (docs/testing.md, "Fuzzing").
//!
//! `cargo fuzz` needs a nightly toolchain, so inputs come from a seeded generator instead: each
//! iteration takes an entry of the target's committed corpus (`sim/corpus/<target>/`) and
//! mutates it — in its JSON structure (a value replaced by a hostile one, a field dropped or
//! added, the message type swapped) or in its bytes (bits flipped, ranges cut, duplicated or
//! spliced from another entry) — or builds a fresh message from the protocol's vocabulary. A
//! target asserts that its decoder returns a typed error or a value, never panics, and whatever
//! property it states besides. A failure prints the target, the seed and the iteration.

mod mutate;
mod newer;
mod targets;

pub use newer::{checkpoint_corpus, checkpoint_fixture, receipts_corpus};
pub use targets::{init_body, Target, NOW, SECRET, TARGETS};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// A target broke: it panicked or a property failed on one input.
#[derive(Debug, Error)]
#[error("fuzz target {target}, seed {seed}, iteration {iter}: {what}\n  input ({} bytes): {}\n  repro: cargo run --profile sim -p pecking-order-sim --bin po-fuzz -- --target {target} --seed {seed} --iters {}", .input.len(), preview(.input), .iter + 1)]
pub struct FuzzFailure {
    pub target: &'static str,
    pub seed: u64,
    pub iter: u64,
    pub what: String,
    pub input: Vec<u8>,
}

fn preview(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(&b[..b.len().min(300)]).to_string();
    format!("{s:?}")
}

/// The committed corpus of one target.
pub fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target)
}

/// Reads a target's corpus (every file of its directory, sorted by name).
pub fn corpus(target: &str) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir(target))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// Runs `iters` inputs through `target`, drawn from `seed`. Returns how many ran.
pub fn run(target: &Target, seed: u64, iters: u64) -> Result<u64, FuzzFailure> {
    let corpus = corpus(target.name);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ blake3_u64(target.name));
    let mut state = (target.setup)();
    for iter in 0..iters {
        let input = match target.gen {
            Some(gen) => gen(&mut rng, &corpus),
            None => mutate::input(&mut rng, &corpus, target.json),
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| (target.run)(&mut state, &input)));
        let what = match outcome {
            Ok(Ok(())) => continue,
            Ok(Err(why)) => why,
            Err(p) => format!(
                "panicked: {}",
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            ),
        };
        return Err(FuzzFailure {
            target: target.name,
            seed,
            iter,
            what,
            input,
        });
    }
    Ok(iters)
}

fn blake3_u64(s: &str) -> u64 {
    let h = blake3::hash(s.as_bytes());
    u64::from_le_bytes(h.as_bytes()[..8].try_into().unwrap_or([0; 8]))
}
