//! `verify`'s verdict after the chain: kept heads, signed checkpoints (docs/audit.md), then the
//! replay (docs/replay.md, "Exit codes").

use crate::audit::{Divergence, Replayer};
use crate::cli::{EXIT_DIVERGED, EXIT_OK, EXIT_TAMPERED};
use crate::source::Journal;
use pecking_order::engine::ENGINE_VERSION;
use pecking_order::journal::Hash;
use pecking_order::room::revealed_seed;
use std::io::Write;
use std::path::PathBuf;

/// What the auditor brings to `verify` besides the journal.
pub(crate) struct Evidence<'a> {
    /// `--expect-head`: heads someone kept.
    pub expect_heads: &'a [Hash],
    /// `--checkpoint`: signed checkpoint files.
    pub checkpoints: &'a [PathBuf],
    /// `--key`: the verifier key (text, or a file holding it).
    pub key: Option<&'a str>,
}

pub(crate) fn divergence_summary(d: &[Divergence], total: usize) -> String {
    let first = &d[0];
    // With the engine that wrote the entry, a difference cannot be rules drift.
    let why = if first.engine == ENGINE_VERSION {
        "the same engine version that recorded it: a defect in the engine or a forged entry"
            .to_string()
    } else {
        format!(
            "rules drift: recorded by {}, replayed with {ENGINE_VERSION}",
            first.engine
        )
    };
    format!(
        "DIVERGED: this engine ({ENGINE_VERSION}) recomputes different results for {} of {total} entries, first at seq {} ({}, recorded by {}; {why}); run `po-replay diff` for both versions",
        d.len(),
        first.seq,
        first.typ,
        first.engine
    )
}

pub(crate) fn verify(
    j: &Journal,
    head: Hash,
    r: Replayer<'_>,
    evidence: &Evidence<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    for expected in evidence.expect_heads {
        match j.entries.iter().find(|e| e.hash == *expected) {
            Some(e) => {
                let _ = writeln!(out, "expected head {expected} is seq {}", e.seq);
            }
            None => {
                let _ = writeln!(
                    err,
                    "TAMPERED: no entry has the expected head {expected}: the history it closed was rewritten"
                );
                return EXIT_TAMPERED;
            }
        }
    }
    if !evidence.checkpoints.is_empty() {
        let code =
            crate::evidence::check_checkpoints(j, evidence.checkpoints, evidence.key, out, err);
        if code != EXIT_OK {
            return code;
        }
    }
    for (day, h) in r.day_heads() {
        let _ = writeln!(out, "day {day}:   head {h}");
    }
    let mut engines: Vec<&str> = Vec::new();
    for e in &j.entries {
        if !engines.contains(&e.engine.as_str()) {
            engines.push(&e.engine);
        }
    }
    let _ = writeln!(
        out,
        "engine:  recorded by {}; replayed with {ENGINE_VERSION}",
        engines.join(", ")
    );
    if let Some(st) = r.state() {
        let _ = writeln!(
            out,
            "state:   phase {}, day {}, {} of {} players alive{}",
            st.phase.as_str(),
            st.day,
            st.alive_count(),
            st.players.len(),
            st.winner
                .as_ref()
                .map_or(String::new(), |w| format!(", winner {w}"))
        );
    }
    match revealed_seed(&j.entries) {
        Some(seed) => {
            let commitment = r.state().map(|s| s.seed_commitment);
            let ok = commitment == Some(pecking_order::engine::rng::commitment(&seed));
            let _ = writeln!(
                out,
                "seed:    revealed, {} the commitment of seq 1",
                if ok { "matches" } else { "DOES NOT match" }
            );
        }
        None => {
            let _ = writeln!(out, "seed:    not revealed yet");
        }
    }
    let counted = r.verified_divergences();
    if counted.is_empty() {
        match r.unseeded_from {
            None => {
                let _ = writeln!(
                    out,
                    "replay:  OK, this engine ({ENGINE_VERSION}) recomputes every verdict and fact"
                );
            }
            Some(s) => {
                let _ = writeln!(
                    out,
                    "replay:  verified up to seq {}; seeded outcomes unverifiable until the reveal (seq {s} draws on the game's seed, which the journal does not reveal yet: pass --seed HEX to replay the rest)",
                    s - 1
                );
            }
        }
        let _ = writeln!(out, "OK {head}");
        EXIT_OK
    } else {
        let _ = writeln!(out, "{}", divergence_summary(counted, j.entries.len()));
        for d in counted.iter().take(10) {
            let _ = writeln!(out, "  seq {} {}: {}", d.seq, d.typ, what_differs(d));
        }
        if counted.len() > 10 {
            let _ = writeln!(out, "  … and {} more", counted.len() - 10);
        }
        EXIT_DIVERGED
    }
}

pub(crate) fn what_differs(d: &Divergence) -> String {
    if let Some(n) = &d.note {
        return n.clone();
    }
    if d.recorded_verdict != d.recomputed_verdict {
        return format!(
            "verdict {} recorded, {} recomputed{}",
            d.recorded_verdict.to_wire(),
            d.recomputed_verdict.to_wire(),
            seed_hint(d)
        );
    }
    "facts differ".into()
}

/// A journal that is not finished does not reveal its seed; a random draw then cannot be redone.
pub(crate) fn seed_hint(d: &Divergence) -> &'static str {
    match &d.recomputed_verdict {
        pecking_order::journal::Verdict::Rejected(c) if c == "SEED_UNKNOWN" => {
            " (this entry draws on the game's seed, which the journal does not reveal yet: pass --seed HEX)"
        }
        _ => "",
    }
}
