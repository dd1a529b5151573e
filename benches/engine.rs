//! Engine benchmarks (targets and figures: BENCHMARKS.md). `cargo bench --bench engine`; figures in BENCHMARKS.md.
//!
//! The workload is one recorded 7-day, 20-player game from `sim::play` (several thousand entries,
//! many of them rejected actions, as in a live room). Measured:
//! - `fold/fold`: `Room::fold` of the whole journal, as a cold start folds its own tail (target
//!   ≥ 1,000,000 entries/s native);
//! - `fold/replay`: `Room::replay`, the audit path: the same plus re-hashing and fact comparison;
//! - `verify`: `journal::verify` of the whole journal (hash chain only);
//! - `snapshot/encode`, `snapshot/decode`: the end-of-game snapshot (size printed; target ≤ 256 KiB);
//! - `cold_start`: `Room::from_snapshot` at entry len-256 + `apply_recorded` of the last 256 entries
//!   (target ≤ 5 ms of engine time);
//! - `fold_parts/*`: the pieces of `apply_recorded`, to show where the fold's time goes;
//! - `resume/*`: a resume from the room's tail at its worst (docs/protocol.md, "Resume"): the
//!   snapshot decoded, 62 entries folded, the player's projection then and now, and the delta
//!   between them, against the full SYNC it replaces (the projection now, serialized);
//! - `cpu_*`: fold, verify, cold start and resume again, timed in CPU time of the benchmark thread
//!   (`CLOCK_THREAD_CPUTIME_ID`) instead of wall time, so other processes on a shared machine do
//!   not inflate them (cache and frequency effects remain).

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use pecking_order::engine::state::{MAX_CHAT_LOG, MAX_MESSAGE_CHARS};
use pecking_order::engine::{Command, Engine, Input};
use pecking_order::journal::{self, Entry, EntryKind};
use pecking_order::room::{self, Room};
use pecking_order::sim::{self, SimConfig};
use std::time::Duration;

#[path = "support/cpu_clock.rs"]
mod cpu_clock;
use cpu_clock::thread_cpu_now;

/// Player actions attempted between two timeline steps; tuned for a journal of several thousand
/// entries (about 5,400 with this engine version; the count is printed).
const ACTIONS_PER_STEP: usize = 200;
/// Tail length for the cold-start measurement (BENCHMARKS.md: snapshot + tail ≤ 256 entries).
const TAIL: usize = 256;

fn config() -> SimConfig {
    SimConfig {
        game_id: "bench-7d-20p".into(),
        players: 20,
        days: 7,
        actions_per_step: ACTIONS_PER_STEP,
        script_seed: 7,
        game_seed: [7; 32],
        rules_version: pecking_order::engine::RULES_VERSION,
    }
}

struct Game {
    id: String,
    seed: [u8; 32],
    entries: Vec<Entry>,
    end: Room,
}

fn game() -> Game {
    let cfg = config();
    let (end, entries) = sim::play(&cfg);
    let accepted = entries.iter().filter(|e| e.verdict.is_accepted()).count();
    let actions = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Action)
        .count();
    let bytes: usize = entries
        .iter()
        .map(|e| journal::canonical_bytes(e).len())
        .sum();
    eprintln!(
        "workload: {} entries ({accepted} accepted, {} rejected; {actions} player actions), {} canonical bytes, final day {}",
        entries.len(),
        entries.len() - accepted,
        bytes,
        end.state().map(|s| s.day).unwrap_or(0)
    );
    Game {
        id: cfg.game_id,
        seed: cfg.game_seed,
        entries,
        end,
    }
}

fn report_snapshot_sizes(g: &Game) {
    // Largest snapshot over the whole game (the chat log is per day, so mid-day can exceed the end).
    let mut room = Room::replay(&g.id, &g.entries[..1], Some(g.seed)).unwrap();
    let mut max = (room.snapshot_bytes().len(), 1u64);
    for e in &g.entries[1..] {
        room.apply_recorded(e).unwrap();
        let n = room.snapshot_bytes().len();
        if n > max.0 {
            max = (n, e.seq);
        }
    }
    let end = g.end.snapshot_bytes().len();
    eprintln!(
        "snapshot: {end} bytes at the end of the game (day {}), largest {} bytes (after seq {}); target ≤ {} bytes",
        g.end.state().map(|s| s.day).unwrap_or(0),
        max.0,
        max.1,
        256 * 1024
    );
}

/// Snapshot size when one day's chat log is full of the longest messages (`MAX_CHAT_LOG` messages
/// of `MAX_MESSAGE_CHARS` characters), for 1-byte and 4-byte characters. The simulated game sends
/// short messages, so its snapshot says little about this bound.
fn report_worst_case_chat_snapshot() {
    for (label, ch) in [("ASCII", 'x'), ("4-byte UTF-8", '\u{1F414}')] {
        let (mut room, _) = Room::create("bench-chat", &sim::init_body(20, 7), 0, [1; 32]).unwrap();
        while !room.state().unwrap().group_chat_open {
            let t = room.state().unwrap().tasks[0].clone();
            let fire = Command::Fire {
                task_id: t.id,
                due_ms: t.due_ms,
            };
            room.submit(EntryKind::Alarm, "ALARM", &fire, t.due_ms)
                .unwrap();
        }
        let mut now = room.state().unwrap().last_at_ms;
        let content: String = std::iter::repeat_n(ch, MAX_MESSAGE_CHARS).collect();
        let mut accepted = 0;
        for i in 0..MAX_CHAT_LOG {
            now += 1;
            let cmd = Command::SendMsg {
                content: content.clone(),
                channel_id: None,
                recipient_ids: None,
                target_id: None,
                reply_to: None,
                mentioned_ids: None,
            };
            let s = room
                .submit(EntryKind::Action, &format!("p{}", i % 20 + 1), &cmd, now)
                .unwrap();
            accepted += s.verdict.is_accepted() as usize;
        }
        eprintln!(
            "worst-case chat snapshot ({label}): {accepted} messages of {MAX_MESSAGE_CHARS} chars ({} bytes each) -> {} bytes; target <= {} bytes",
            content.len(),
            room.snapshot_bytes().len(),
            256 * 1024
        );
    }
}

fn benches(c: &mut Criterion) {
    let g = game();
    let n = g.entries.len() as u64;
    report_snapshot_sizes(&g);
    report_worst_case_chat_snapshot();

    let mut fold = c.benchmark_group("fold");
    fold.throughput(Throughput::Elements(n));
    fold.bench_function("fold", |b| {
        b.iter(|| Room::fold(&g.id, black_box(&g.entries), None).unwrap())
    });
    fold.bench_function("replay", |b| {
        b.iter(|| Room::replay(&g.id, black_box(&g.entries), None).unwrap())
    });
    fold.finish();

    let mut verify = c.benchmark_group("verify");
    verify.throughput(Throughput::Elements(n));
    verify.bench_function("chain", |b| {
        b.iter(|| journal::verify(&g.id, black_box(&g.entries)).unwrap())
    });
    verify.finish();

    let mut snap = c.benchmark_group("snapshot");
    let bytes = g.end.snapshot_bytes();
    snap.bench_function("encode", |b| b.iter(|| black_box(&g.end).snapshot_bytes()));
    snap.bench_function("decode", |b| {
        b.iter(|| Room::from_snapshot(black_box(&bytes)).unwrap())
    });
    snap.finish();

    // What one broadcast costs the room (the reason SYNCs are throttled): every player's
    // projection serialized, as `broadcast_sync` does; and narrating 400 entries (the ticker
    // history is a buffer kept with the snapshot; a cold start narrates only the rows after it).
    let mut live = c.benchmark_group("live");
    let mid = Room::replay(&g.id, &g.entries[..g.entries.len() / 2], Some(g.seed)).unwrap();
    let players: Vec<String> = mid
        .state()
        .map(|s| s.players.iter().map(|p| p.id.clone()).collect())
        .unwrap_or_default();
    live.throughput(Throughput::Elements(players.len() as u64));
    live.bench_function("sync_broadcast_all_players", |b| {
        b.iter(|| {
            players
                .iter()
                .map(|p| mid.projection(Some(p)).to_string().len())
                .sum::<usize>()
        })
    });
    let recent = &g.entries[g.entries.len() / 2 - 400..g.entries.len() / 2];
    live.throughput(Throughput::Elements(recent.len() as u64));
    live.bench_function("ticker_history_400_entries", |b| {
        b.iter(|| mid.ticker(black_box(recent)).len())
    });
    live.finish();
    eprintln!(
        "live: {} players; one SYNC broadcast is {} bytes; 400 entries narrate {} ticker lines",
        players.len(),
        players
            .iter()
            .map(|p| mid.projection(Some(p)).to_string().len())
            .sum::<usize>(),
        mid.ticker(recent).len()
    );

    let mut cold = c.benchmark_group("cold_start");
    let k = g.entries.len() - TAIL;
    let at_k = Room::replay(&g.id, &g.entries[..k], Some(g.seed))
        .unwrap()
        .snapshot_bytes();
    let tail = &g.entries[k..];
    eprintln!(
        "cold start: snapshot at seq {k} is {} bytes, tail {} entries",
        at_k.len(),
        tail.len()
    );
    cold.throughput(Throughput::Elements(TAIL as u64));
    cold.bench_function("snapshot_plus_256", |b| {
        b.iter(|| {
            let mut r = Room::from_snapshot(black_box(&at_k)).unwrap();
            for e in tail {
                r.apply_trusted(e).unwrap();
            }
            r
        })
    });
    cold.bench_function("tail_256_only", |b| {
        let base = Room::from_snapshot(&at_k).unwrap();
        b.iter_batched(
            || base.clone(),
            |mut r| {
                for e in tail {
                    r.apply_trusted(e).unwrap();
                }
                r
            },
            BatchSize::SmallInput,
        )
    });
    cold.finish();

    // Where the fold's time goes: each piece of `Room::apply_recorded`, over the whole journal.
    let commands: Vec<Command> = g
        .entries
        .iter()
        .map(|e| Command::from_type_and_payload(&e.typ, &e.payload).unwrap())
        .collect();
    let mut parts = c.benchmark_group("fold_parts");
    parts.throughput(Throughput::Elements(n));
    parts.bench_function("hash_only", |b| {
        b.iter(|| {
            g.entries
                .iter()
                .map(|e| e.compute_hash().0[0] as u64)
                .sum::<u64>()
        })
    });
    parts.bench_function("canonical_bytes_only", |b| {
        b.iter(|| {
            g.entries
                .iter()
                .map(|e| journal::canonical_bytes(e).len())
                .sum::<usize>()
        })
    });
    parts.bench_function("payload_decode_only", |b| {
        b.iter(|| {
            g.entries
                .iter()
                .map(|e| Command::from_type_and_payload(&e.typ, &e.payload).is_ok() as usize)
                .sum::<usize>()
        })
    });
    let apply_all = |with_facts_json: bool| {
        let mut eng = Engine::new(&g.id, Some(g.seed));
        let mut total = 0usize;
        for (e, cmd) in g.entries.iter().zip(&commands) {
            let input = Input {
                seq: e.seq,
                at_ms: e.at_ms,
                kind: e.kind,
                actor: &e.actor,
                command: cmd,
            };
            match eng.apply(&input) {
                Ok(facts) if with_facts_json => total += room::facts_json(&facts).len(),
                Ok(facts) => total += facts.len(),
                Err(r) => total += r.code().len(),
            }
        }
        (eng, total)
    };
    parts.bench_function("engine_apply_only", |b| b.iter(|| apply_all(false)));
    parts.bench_function("engine_apply_plus_facts_json", |b| {
        b.iter(|| apply_all(true))
    });
    parts.finish();
}

/// CPU time of the calling thread (Linux `CLOCK_THREAD_CPUTIME_ID`). Criterion runs the measured
/// routine on the thread that calls `bench_function`, so this is the routine's own CPU time.
struct ThreadCpuTime;

/// Formats like wall time (both are durations).
static WALL: WallTime = WallTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = Duration;
    type Value = Duration;
    fn start(&self) -> Duration {
        thread_cpu_now()
    }
    fn end(&self, start: Duration) -> Duration {
        thread_cpu_now().saturating_sub(start)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, v: &Duration) -> f64 {
        v.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        WALL.formatter()
    }
}

fn cpu_benches(c: &mut Criterion<ThreadCpuTime>) {
    let g = game();
    let n = g.entries.len() as u64;
    let mut fold = c.benchmark_group("cpu_fold");
    fold.throughput(Throughput::Elements(n));
    fold.bench_function("fold", |b| {
        b.iter(|| Room::fold(&g.id, black_box(&g.entries), None).unwrap())
    });
    fold.bench_function("replay", |b| {
        b.iter(|| Room::replay(&g.id, black_box(&g.entries), None).unwrap())
    });
    fold.finish();
    let mut verify = c.benchmark_group("cpu_verify");
    verify.throughput(Throughput::Elements(n));
    verify.bench_function("chain", |b| {
        b.iter(|| journal::verify(&g.id, black_box(&g.entries)).unwrap())
    });
    verify.finish();
    let k = g.entries.len() - TAIL;
    let at_k = Room::replay(&g.id, &g.entries[..k], Some(g.seed))
        .unwrap()
        .snapshot_bytes();
    let tail = &g.entries[k..];
    let mut cold = c.benchmark_group("cpu_cold_start");
    cold.throughput(Throughput::Elements(TAIL as u64));
    cold.bench_function("snapshot_plus_256", |b| {
        b.iter(|| {
            let mut r = Room::from_snapshot(black_box(&at_k)).unwrap();
            for e in tail {
                r.apply_trusted(e).unwrap();
            }
            r
        })
    });
    cold.finish();
}

/// A resume from the room's tail at its worst, as `room::host` serves it after a restart: the
/// stored snapshot at S = H − 63 (snapshots come every `COMPACT_EVERY` = 64 entries), the client
/// at version H − 1, so `LiveRoom::room_at` decodes the snapshot and folds 62 entries, then the
/// projections at H − 1 and at H and the delta's frame; against `sync`, the full SYNC frame of
/// the same moment. H is where the game's snapshot is largest (its fullest day of chat); the
/// viewer is p1.
fn resume_benches<M: Measurement>(c: &mut Criterion<M>, group: &str, g: &Game) {
    let mut room = Room::replay(&g.id, &g.entries[..1], Some(g.seed)).unwrap();
    let mut best = (0, 1usize);
    for (i, e) in g.entries.iter().enumerate().skip(1) {
        room.apply_recorded(e).unwrap();
        let n = room.snapshot_bytes().len();
        if n > best.0 && i >= 64 {
            best = (n, i + 1);
        }
    }
    let h = best.1;
    let s = h - 63;
    let at_s = Room::replay(&g.id, &g.entries[..s], Some(g.seed))
        .unwrap()
        .snapshot_bytes();
    let tail = &g.entries[s..h];
    let now = Room::replay(&g.id, &g.entries[..h], Some(g.seed)).unwrap();
    let viewer = Some("p1");
    let sync = || {
        let state = now.projection(viewer);
        room::protocol::ServerMessage::Sync {
            v: now.seq(),
            state,
        }
        .to_text()
    };
    let resume = || {
        let mut then = Room::from_snapshot(black_box(&at_s)).unwrap();
        for e in &tail[..tail.len() - 1] {
            then.apply_trusted(e).unwrap();
        }
        let base = then.projection(viewer);
        let state = now.projection(viewer);
        room::protocol::ServerMessage::Delta {
            v: now.seq(),
            base: then.seq(),
            ops: room::delta::diff(&base, &state),
        }
        .to_text()
    };
    eprintln!(
        "resume: head {} (snapshot {} bytes), SYNC {} bytes, resume DELTA over 62 entries {} bytes",
        now.seq(),
        best.0,
        sync().len(),
        resume().len()
    );
    let mut r = c.benchmark_group(group);
    r.throughput(Throughput::Elements(1));
    r.bench_function("sync", |b| b.iter(sync));
    r.bench_function("tail_62_entries", |b| b.iter(resume));
    r.finish();
}

fn resume_wall(c: &mut Criterion) {
    resume_benches(c, "resume", &game());
}

fn resume_cpu(c: &mut Criterion<ThreadCpuTime>) {
    resume_benches(c, "cpu_resume", &game());
}

/// Signing and verifying one checkpoint (docs/audit.md), CPU time.
fn checkpoint_benches(c: &mut Criterion<ThreadCpuTime>) {
    use pecking_order::checkpoint::{verify_note, Checkpoint, CheckpointKey, SeedField};
    let key = CheckpointKey::from_secret(&"ab".repeat(32)).unwrap();
    let public = key.public();
    let cp = Checkpoint {
        game_id: "fig-7x20".into(),
        seq: 10_154,
        head: journal::Hash([7; 32]),
        day: 7,
        seed: SeedField::Commitment(journal::Hash([9; 32])),
        engine: pecking_order::engine::ENGINE_VERSION.into(),
    };
    let note = key.sign(&cp);
    let mut g = c.benchmark_group("cpu_checkpoint");
    g.throughput(Throughput::Elements(1));
    g.bench_function("sign", |b| b.iter(|| key.sign(black_box(&cp))));
    g.bench_function("verify", |b| {
        b.iter(|| verify_note(black_box(&note), &public).unwrap())
    });
    g.finish();
}

/// One Web Push (docs/push.md), CPU time: encrypting a 200-byte message (RFC 8291: a P-256 key
/// pair, ECDH, HKDF, AES-GCM) and signing a VAPID token (RFC 8292: ECDSA P-256).
fn push_benches(c: &mut Criterion<ThreadCpuTime>) {
    use pecking_order::push::{ece, vapid::VapidKey};
    let ua_private = [0x42; 32];
    let ua_public = ece::public_of(&ua_private).unwrap();
    let auth = [7u8; 16];
    let message = vec![b'x'; 200];
    let key = VapidKey::from_bytes(&[0x24; 32]).unwrap();
    let mut g = c.benchmark_group("cpu_push");
    g.throughput(Throughput::Elements(1));
    g.bench_function("encrypt_200_bytes", |b| {
        b.iter(|| {
            ece::encrypt(
                black_box(&message),
                &ua_public,
                &auth,
                &[0x11; 32],
                &[0x22; 16],
            )
            .unwrap()
        })
    });
    g.bench_function("vapid_token", |b| {
        b.iter(|| {
            key.authorization(
                black_box("https://push.example.net/wpush/v2/abc"),
                "mailto:ops@example.org",
                1_800_000_000,
            )
        })
    });
    g.finish();
}

criterion_group! {
    name = engine;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = benches, resume_wall
}
criterion_group! {
    name = engine_cpu;
    config = Criterion::default()
        .with_measurement(ThreadCpuTime)
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = cpu_benches, checkpoint_benches, resume_cpu, push_benches
}
criterion_main!(engine, engine_cpu);
