//! The `po-replay` command line (clap). See `docs/replay.md`.

use crate::audit::{check_chain, ChainProblem, Divergence, Replayer};
use crate::history;
use crate::progress::Progress;
use crate::source::{self, Journal};
use crate::verdict::{divergence_summary, seed_hint, verify, Evidence};
use crate::{explain, report};
use clap::error::ErrorKind;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use pecking_order::engine::ENGINE_VERSION;
use pecking_order::journal::Hash;
use pecking_order::room::revealed_seed;
use std::io::Write;
use std::path::PathBuf;

/// Exit codes (documented in docs/replay.md).
pub const EXIT_OK: i32 = 0;
/// Bad command line (unknown verb or option, missing value). clap's own usage errors exit 2 by
/// default, which is [`EXIT_TAMPERED`] here: [`run`] maps every clap error to this code.
pub const EXIT_USAGE: i32 = 1;
/// The hash chain is broken: an entry was altered, reordered, inserted, or forged.
pub const EXIT_TAMPERED: i32 = 2;
/// The chain is intact but this engine recomputes different verdicts or facts (rules drift).
pub const EXIT_DIVERGED: i32 = 3;
/// Unreadable or bad input: missing file, no such game, empty or foreign database, malformed
/// rows, a journal with gaps; also a `--at`, `--day`, `--player` that the journal does not have.
pub const EXIT_BAD_INPUT: i32 = 4;
/// Fork: two different rows claim one seq, or a signed checkpoint names a head the journal does
/// not have at that seq (or two signed checkpoints disagree).
pub const EXIT_FORK: i32 = 5;

const AFTER_HELP: &str = "SOURCE is one of:
  the SQLite file `wrangler dev` keeps (.wrangler/state/v3/d1/miniflare-D1DatabaseObject/*.sqlite,
  or a directory above it holding exactly one), a `wrangler d1 export` SQL dump, or JSON lines
  (one journal entry per line, as GET …/journal returns).

EXIT CODES:
  0 OK   1 usage   2 tampered (chain broken)   3 diverged (chain intact, results differ)
  4 unreadable or bad input (missing file, no such game, empty or foreign database,
    malformed rows, a journal that starts late)
  5 fork (two different rows for one seq; a signed checkpoint or a receipt the journal
    contradicts; two signed checkpoints that contradict each other)

Full reference: docs/replay.md";

/// po-replay — replay and audit a Pecking Order game from its journal
#[derive(Debug, Parser)]
#[command(
    name = "po-replay",
    after_help = AFTER_HELP,
    subcommand_value_name = "VERB",
    subcommand_help_heading = "Verbs",
    // No arguments is a usage error (exit 1) like any other, not a help page.
    arg_required_else_help = false
)]
struct Cli {
    #[command(subcommand)]
    verb: Verb,
    #[command(flatten)]
    common: Common,
}

/// Options every verb takes, before or after it.
#[derive(Debug, Args)]
struct Common {
    /// The game to read (required when the source holds several)
    #[arg(long, global = true, value_name = "ID")]
    game: Option<String>,
    /// The game's secret seed (64 hex) for a journal that does not reveal it yet
    #[arg(long, global = true, value_name = "HEX", value_parser = hex_hash)]
    seed: Option<Hash>,
    /// No progress bar
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Print load, chain and replay times and entries/s to stderr
    #[arg(long, global = true)]
    timings: bool,
}

/// The journal to read (see SOURCE below).
#[derive(Debug, Args)]
struct Source {
    /// A D1 SQLite file (or a directory above it), a `wrangler d1 export` dump, or JSON lines
    #[arg(value_name = "SOURCE")]
    source: PathBuf,
}

#[derive(Debug, Subcommand)]
enum Verb {
    /// Check the hash chain, then replay every entry
    Verify {
        #[command(flatten)]
        source: Source,
        /// A chain head someone kept, which must still be in the journal (repeatable)
        #[arg(long, value_name = "HEX", value_parser = hex_hash)]
        expect_head: Vec<Hash>,
        /// A signed checkpoint (signed-note text) the journal must agree with (repeatable)
        #[arg(long, value_name = "FILE", requires = "key")]
        checkpoint: Vec<PathBuf>,
        /// The checkpoints' verifier key (as GET /checkpoint-key serves it), or a file holding it
        #[arg(long, value_name = "KEY|FILE")]
        key: Option<String>,
    },
    /// Check a player's saved receipts (ACK seq and head) against the journal
    ReceiptCheck {
        #[command(flatten)]
        source: Source,
        /// Receipts: JSON lines or a JSON array of {seq, head[, gameId]} (saved ACK frames work)
        #[arg(long = "receipts", value_name = "FILE", required = true)]
        receipts: Vec<PathBuf>,
    },
    /// The full GameState (or a projection) after an entry, as JSON
    State {
        #[command(flatten)]
        source: Source,
        /// A seq, or a time: RFC 3339 or ms since the epoch (e.g. 1796115600000ms)
        #[arg(long, value_name = "SEQ|TIME")]
        at: String,
        /// That player's projection
        #[arg(long, value_name = "ID")]
        player: Option<String>,
        /// The public projection
        #[arg(long)]
        public: bool,
    },
    /// Votes, ballots, tallies, tie-breaks and their inputs
    Explain {
        #[command(flatten)]
        source: Source,
        #[command(flatten)]
        what: ExplainWhat,
    },
    /// Recorded facts vs the facts this engine recomputes
    Diff {
        #[command(flatten)]
        source: Source,
    },
    /// Destiny evaluations found by replay
    Destiny {
        #[command(flatten)]
        source: Source,
    },
    /// The ticker lines players were sent, rebuilt by replay
    Ticker {
        #[command(flatten)]
        source: Source,
        /// Only this day
        #[arg(long, value_name = "N")]
        day: Option<u32>,
        /// One JSON TickerLine per line
        #[arg(long)]
        json: bool,
    },
    /// A self-contained HTML report
    Report {
        #[command(flatten)]
        source: Source,
        /// The page to write
        #[arg(long, value_name = "FILE.html")]
        out: PathBuf,
    },
    /// Print the version (as --version does)
    #[command(hide = true)]
    Version,
}

/// What `explain` explains: exactly one of these.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
struct ExplainWhat {
    /// The day: its votes, ballots, tallies and tie-breaks
    #[arg(long, value_name = "N")]
    day: Option<u32>,
    /// The entry that eliminated PLAYER and what decided it
    #[arg(long, value_name = "PLAYER")]
    elimination: Option<String>,
    /// The gold pool and every gold movement
    #[arg(long)]
    payout: bool,
}

impl Verb {
    fn source(&self) -> Option<&PathBuf> {
        match self {
            Verb::Verify { source, .. }
            | Verb::ReceiptCheck { source, .. }
            | Verb::State { source, .. }
            | Verb::Explain { source, .. }
            | Verb::Diff { source }
            | Verb::Destiny { source }
            | Verb::Ticker { source, .. }
            | Verb::Report { source, .. } => Some(&source.source),
            Verb::Version => None,
        }
    }
}

fn hex_hash(s: &str) -> Result<Hash, String> {
    Hash::from_hex(s).ok_or_else(|| "must be 64 hex characters".to_string())
}

fn version() -> String {
    format!("{} (engine {ENGINE_VERSION})", env!("CARGO_PKG_VERSION"))
}

/// Parses `args` (without the program name). `Err` is the exit code, its message written.
fn parse(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Result<Cli, i32> {
    let argv = std::iter::once("po-replay".to_string()).chain(args.iter().cloned());
    let parsed = Cli::command()
        .version(version())
        .try_get_matches_from(argv)
        .and_then(|m| Cli::from_arg_matches(&m));
    parsed.map_err(|e| match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = write!(out, "{}", e.render());
            EXIT_OK
        }
        _ => {
            let _ = write!(err, "{}", e.render());
            EXIT_USAGE
        }
    })
}

/// Runs the command line; returns the exit code. Meant to be the process's last act: the loaded
/// journal is not freed.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let cli = match parse(args, out, err) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let Some(path) = cli.verb.source() else {
        let _ = writeln!(out, "po-replay {}", version());
        return EXIT_OK;
    };
    let o = &cli.common;
    let t0 = std::time::Instant::now();
    let mut bar: Option<Progress> = None;
    let loaded = source::load_with(path, o.game.as_deref(), &mut |done, total| {
        bar.get_or_insert_with(|| Progress::new("load", total, o.quiet))
            .set(done)
    });
    drop(bar);
    let journal = match loaded {
        Ok(j) => j,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let t1 = std::time::Instant::now();
    let seed = o
        .seed
        .map(|h| h.0)
        .or_else(|| revealed_seed(&journal.entries));
    // verify and diff replay everything: the chain is checked on a second thread meanwhile (it
    // needs only the stored rows). Its verdict still comes first: a broken chain discards the
    // replay.
    let full = matches!(cli.verb, Verb::Verify { .. } | Verb::Diff { .. });
    let (checked, replayed) = std::thread::scope(|s| {
        let c = s.spawn(|| check_chain(&journal));
        let r = full.then(|| replay(&journal, journal.entries.len(), seed, o.quiet));
        (c.join(), r)
    });
    let checked = match checked {
        Ok(c) => c,
        Err(_) => {
            let _ = writeln!(err, "error: the chain check failed unexpectedly");
            return EXIT_USAGE;
        }
    };
    let verbose = matches!(cli.verb, Verb::Verify { .. });
    let head = match chain(&journal, checked, out, err, verbose) {
        Ok(h) => h,
        Err(code) => return code,
    };
    let t2 = std::time::Instant::now();
    let code = match (&cli.verb, replayed) {
        (
            Verb::Verify {
                expect_head,
                checkpoint,
                key,
                ..
            },
            Some(r),
        ) => {
            let evidence = Evidence {
                expect_heads: expect_head,
                checkpoints: checkpoint,
                key: key.as_deref(),
            };
            verify(&journal, head, r, &evidence, out, err)
        }
        (Verb::ReceiptCheck { receipts, .. }, _) => {
            crate::evidence::receipt_check(&journal, head, receipts, out, err)
        }
        (Verb::Diff { .. }, Some(r)) => diff(&journal, r, out),
        (
            Verb::State {
                at, player, public, ..
            },
            _,
        ) => {
            let view = View {
                player: player.as_deref(),
                public: *public,
            };
            state(&journal, seed, at, view, o.quiet, out, err)
        }
        (verb, _) => with_history(&journal, seed, verb, o.quiet, out, err),
    };
    if o.timings {
        let t3 = std::time::Instant::now();
        let n = journal.entries.len() as f64;
        let total = (t3 - t0).as_secs_f64();
        let _ = writeln!(
            err,
            "timings: load {:.3} s, {} {:.3} s, output {:.3} s, total {total:.3} s — {} entries, {:.0} entries/s",
            (t1 - t0).as_secs_f64(),
            if full { "chain ‖ replay" } else { "chain" },
            (t2 - t1).as_secs_f64(),
            (t3 - t2).as_secs_f64(),
            journal.entries.len(),
            n / total.max(1e-9)
        );
    }
    // The process exits next: freeing a million entries' strings one by one would only cost time.
    std::mem::forget(journal);
    code
}

/// Checks the chain; on failure prints why and returns the exit code.
fn chain(
    j: &Journal,
    checked: Result<Hash, ChainProblem>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    verbose: bool,
) -> Result<Hash, i32> {
    let n = j.entries.len();
    if verbose {
        let _ = writeln!(
            out,
            "journal: {} ({}), game {}, {} entries",
            j.path.display(),
            j.format.describe(),
            j.game_id,
            n
        );
    }
    for seq in &j.identical_duplicates {
        let _ = writeln!(
            err,
            "note: seq {seq} appears more than once with identical rows; read once"
        );
    }
    match checked {
        Ok(h) => {
            if verbose {
                let _ = writeln!(out, "chain:   OK, seq 1–{n}, head {h}");
            }
            Ok(h)
        }
        Err(ChainProblem::Malformed { message }) => {
            let _ = writeln!(err, "error: {message}");
            Err(EXIT_BAD_INPUT)
        }
        Err(ChainProblem::Fork(f)) => {
            let _ = writeln!(
                err,
                "FORK: seq {} has two different rows: evidence that two histories were written",
                f.seq
            );
            for (name, e) in [("first", &f.a), ("second", &f.b)] {
                let links = if e.prev_hash == f.verified_head {
                    "links to"
                } else {
                    "does not link to"
                };
                let sealed = if e.compute_hash() == e.hash {
                    "its hash matches its content"
                } else {
                    "its hash does not match its content"
                };
                let _ = writeln!(
                    err,
                    "  {name} row: {} {} verdict {} hash {} ({sealed}; {links} seq {})",
                    e.typ,
                    e.actor,
                    e.verdict.to_wire(),
                    e.hash,
                    f.verified_to
                );
            }
            let _ = writeln!(
                err,
                "  the chain verifies up to seq {} (head {})",
                f.verified_to, f.verified_head
            );
            Err(EXIT_FORK)
        }
        Err(ChainProblem::Gap {
            missing,
            next_present,
            verified_to,
            verified_head,
        }) => {
            let range = if next_present > missing + 1 {
                format!("seq {missing}–{} are missing", next_present - 1)
            } else {
                format!("seq {missing} is missing")
            };
            if missing == 1 {
                // The export starts late (e.g. `GET …/journal?from=20`): incomplete input.
                let _ = writeln!(
                    err,
                    "error: journal has a gap: {range} (the next row present is seq {next_present}); the export is incomplete and cannot be verified without its first rows."
                );
                return Err(EXIT_BAD_INPUT);
            }
            let _ = writeln!(
                err,
                "TAMPERED: journal has a gap: {range} (the next row present is seq {next_present}). Rooms write D1 in whole ordered batches, so an inner gap means rows were deleted; the chain verifies up to seq {verified_to} (head {verified_head}) and cannot be checked past the gap."
            );
            Err(EXIT_TAMPERED)
        }
        Err(ChainProblem::Tampered(t)) => {
            let _ = writeln!(
                err,
                "TAMPERED: entry seq {} is broken: its {} does not match",
                t.seq, t.field
            );
            for h in &t.hints {
                let _ = writeln!(err, "  {h}");
            }
            let _ = writeln!(
                err,
                "  the chain verifies up to seq {} (head {})",
                t.verified_to, t.verified_head
            );
            Err(EXIT_TAMPERED)
        }
    }
}

/// Replays entries `[..n]`, with a progress bar.
fn replay<'a>(j: &'a Journal, n: usize, seed: Option<[u8; 32]>, quiet: bool) -> Replayer<'a> {
    let mut r = Replayer::new(&j.game_id, &j.entries[..n], seed);
    let mut bar = Progress::new("replay", n, quiet);
    r.run(|k| bar.set(k));
    bar.finish();
    r
}

/// Resolves `--at` to the number of entries to apply.
fn entries_at(j: &Journal, at: &str) -> Result<usize, String> {
    let n = j.entries.len();
    let last = j.entries.last().map_or(0, |e| e.seq);
    let by_seq = |s: u64| -> Result<usize, String> {
        if s == 0 || s > last {
            Err(format!("seq {s} is not in this journal (seq 1–{last})"))
        } else {
            Ok(s as usize)
        }
    };
    let by_ms = |ms: i64| -> Result<usize, String> {
        let k = j.entries.partition_point(|e| e.at_ms <= ms);
        if k == 0 {
            Err(format!(
                "no entry at or before {} (the first entry is at {})",
                explain::fmt_ms(ms),
                explain::fmt_ms(j.entries.first().map_or(0, |e| e.at_ms))
            ))
        } else {
            Ok(k.min(n))
        }
    };
    let at = at.trim();
    if let Some(s) = at.strip_prefix("seq:") {
        return by_seq(s.parse().map_err(|_| format!("bad seq {s:?}"))?);
    }
    if let Some(s) = at.strip_prefix("ms:").or_else(|| at.strip_suffix("ms")) {
        return by_ms(s.parse().map_err(|_| format!("bad time in ms {s:?}"))?);
    }
    if let Ok(v) = at.parse::<u64>() {
        // No journal has 10^11 entries; numbers that large are times in ms.
        return if v < 100_000_000_000 {
            by_seq(v)
        } else {
            by_ms(v as i64)
        };
    }
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => by_ms(t.timestamp_millis()),
        Err(_) => Err(format!(
            "--at {at:?} is neither a seq, a time in ms, nor an RFC 3339 time"
        )),
    }
}

fn warn_diverged(r: &[Divergence], total: usize, err: &mut dyn Write) -> i32 {
    if r.is_empty() {
        EXIT_OK
    } else {
        let _ = writeln!(
            err,
            "warning: {}; the output is what this engine recomputes",
            divergence_summary(r, total)
        );
        EXIT_DIVERGED
    }
}

/// Which view of the state `state` prints: the full state, a player's or the public projection.
struct View<'a> {
    player: Option<&'a str>,
    public: bool,
}

fn state(
    j: &Journal,
    seed: Option<[u8; 32]>,
    at: &str,
    view: View<'_>,
    quiet: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let n = match entries_at(j, at) {
        Ok(n) => n,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let r = replay(j, n, seed, quiet);
    let last = &j.entries[n - 1];
    let _ = writeln!(
        err,
        "state after seq {} ({}, {})",
        last.seq,
        explain::fmt_ms(last.at_ms),
        last.typ
    );
    let value = if view.player.is_some() || view.public {
        if let Some(p) = view.player {
            if r.state().and_then(|s| s.player(p)).is_none() {
                let ids: Vec<String> = r
                    .state()
                    .map(|s| s.players.iter().map(|p| p.id.clone()).collect())
                    .unwrap_or_default();
                let _ = writeln!(
                    err,
                    "error: no such player {p:?} at seq {} (players: {})",
                    last.seq,
                    ids.join(", ")
                );
                return EXIT_BAD_INPUT;
            }
        }
        r.room().projection(view.player)
    } else {
        serde_json::to_value(r.state()).unwrap_or(serde_json::Value::Null)
    };
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    let _ = writeln!(out, "{text}");
    warn_diverged(&r.divergences, n, err)
}

fn diff(j: &Journal, r: Replayer<'_>, out: &mut dyn Write) -> i32 {
    if r.divergences.is_empty() {
        let _ = writeln!(
            out,
            "no differences: all {} entries recompute to their recorded verdict and facts with {ENGINE_VERSION}",
            j.entries.len()
        );
        return EXIT_OK;
    }
    for d in &r.divergences {
        let _ = writeln!(
            out,
            "seq {}  {}  (recorded by {}, recomputed by {ENGINE_VERSION})",
            d.seq, d.typ, d.engine
        );
        if let Some(n) = &d.note {
            let _ = writeln!(out, "  {n}");
        }
        if d.recorded_verdict == d.recomputed_verdict {
            let _ = writeln!(out, "  verdict:    {} (both)", d.recorded_verdict.to_wire());
        } else {
            let _ = writeln!(
                out,
                "  verdict:    recorded   {}",
                d.recorded_verdict.to_wire()
            );
            let _ = writeln!(
                out,
                "              recomputed {}{}",
                d.recomputed_verdict.to_wire(),
                seed_hint(d)
            );
        }
        let _ = writeln!(out, "  recorded:   {}", d.recorded_facts);
        let _ = writeln!(out, "  recomputed: {}", d.recomputed_facts);
        for line in fact_differences(&d.recorded_facts, &d.recomputed_facts) {
            let _ = writeln!(out, "    {line}");
        }
    }
    let _ = writeln!(
        out,
        "{} of {} entries differ",
        r.divergences.len(),
        j.entries.len()
    );
    EXIT_DIVERGED
}

/// Fact by fact: which positions differ between two fact arrays.
fn fact_differences(recorded: &str, recomputed: &str) -> Vec<String> {
    let parse = |s: &str| match serde_json::from_str::<serde_json::Value>(s) {
        Ok(serde_json::Value::Array(a)) => Some(a),
        _ => None,
    };
    let (Some(a), Some(b)) = (parse(recorded), parse(recomputed)) else {
        return vec!["the recorded facts are not a JSON array".into()];
    };
    let mut out = Vec::new();
    for i in 0..a.len().max(b.len()) {
        match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) => out.push(format!("fact #{i}: recorded {x} / recomputed {y}")),
            (Some(x), None) => out.push(format!("fact #{i}: only recorded {x}")),
            (None, Some(y)) => out.push(format!("fact #{i}: only recomputed {y}")),
            (None, None) => {}
        }
    }
    out
}

/// `explain`, `destiny`, `ticker` and `report`: the verbs that read the replayed history.
fn with_history(
    j: &Journal,
    seed: Option<[u8; 32]>,
    verb: &Verb,
    quiet: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut bar = Progress::new("replay", j.entries.len(), quiet);
    let h = history::build(j, seed, |k| bar.set(k));
    bar.finish();
    let code = match verb {
        Verb::Explain { what, .. } => {
            let text = if let Some(d) = what.day {
                explain::day(&h, d)
            } else if let Some(p) = &what.elimination {
                explain::elimination(&h, p)
            } else {
                Ok(explain::payout(&h))
            };
            match text {
                Ok(t) => {
                    let _ = write!(out, "{t}");
                    EXIT_OK
                }
                Err(e) => {
                    let _ = writeln!(err, "error: {e}");
                    return EXIT_BAD_INPUT;
                }
            }
        }
        Verb::Destiny { .. } => {
            destiny(&h, out);
            EXIT_OK
        }
        Verb::Ticker { day, json, .. } => {
            if let Some(d) = day.filter(|d| !h.days.iter().any(|x| x.day == *d)) {
                let _ = writeln!(err, "error: day {d} never started in this journal");
                return EXIT_BAD_INPUT;
            }
            for l in h.ticker.iter().filter(|l| day.is_none_or(|d| l.day == d)) {
                let _ = if *json {
                    writeln!(out, "{}", serde_json::to_string(l).unwrap_or_default())
                } else {
                    writeln!(
                        out,
                        "day {} seq {:>6} {}  [{}] {}",
                        l.day,
                        l.seq,
                        explain::fmt_ms(l.at_ms),
                        serde_json::to_value(l.category)
                            .ok()
                            .and_then(|c| c.as_str().map(String::from))
                            .unwrap_or_default(),
                        l.text
                    )
                };
            }
            EXIT_OK
        }
        Verb::Report { out: path, .. } => {
            let (ok, verdict) = if h.divergences.is_empty() {
                (
                    true,
                    format!(
                        "Hash chain intact (seq 1–{}); {ENGINE_VERSION} recomputes every verdict and fact.",
                        h.entries
                    ),
                )
            } else {
                (
                    false,
                    format!(
                        "Hash chain intact, but {}",
                        divergence_summary(&h.divergences, j.entries.len())
                    ),
                )
            };
            let html = report::html(&h, ok, &verdict, &j.path.display().to_string());
            if let Err(e) = std::fs::write(path, &html) {
                let _ = writeln!(err, "error: cannot write {}: {e}", path.display());
                return EXIT_USAGE;
            }
            let _ = writeln!(out, "wrote {} ({} bytes)", path.display(), html.len());
            EXIT_OK
        }
        // `run` answers these itself and never sends them here.
        Verb::Verify { .. }
        | Verb::ReceiptCheck { .. }
        | Verb::State { .. }
        | Verb::Diff { .. }
        | Verb::Version => return EXIT_USAGE,
    };
    let d = warn_diverged(&h.divergences, j.entries.len(), err);
    if d != EXIT_OK {
        d
    } else {
        code
    }
}

fn destiny(h: &history::History, out: &mut dyn Write) {
    if h.destiny.is_empty() {
        let _ = writeln!(
            out,
            "this journal has no destiny facts: no entry's facts (as replayed by {ENGINE_VERSION}) has a type starting with DESTINY, so there is no destiny evaluation to show"
        );
        return;
    }
    let mut players: Vec<String> = h
        .destiny
        .iter()
        .map(|d| {
            d.fact
                .get("playerId")
                .and_then(|p| p.as_str())
                .unwrap_or("(no player)")
                .to_string()
        })
        .collect();
    players.sort();
    players.dedup();
    for p in players {
        let _ = writeln!(out, "{}:", h.player_name(&p));
        for d in h.destiny.iter().filter(|d| {
            d.fact
                .get("playerId")
                .and_then(|x| x.as_str())
                .unwrap_or("(no player)")
                == p
        }) {
            let _ = writeln!(out, "  seq {}: {}", d.seq, d.fact);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
