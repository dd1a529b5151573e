//! Writes a simulated game's journal (`pecking_order::sim::play`) as a D1 SQLite file, a SQL dump
//! or JSON lines, for trying and measuring `po-replay`.
//!
//! cargo run --release -p pecking-order-replay --example gen_journal -- \
//!     --players 20 --days 7 --actions 100000 --out /tmp/po-7x20.sqlite
//!
//! `sim::play` spaces actions 1–500 ms apart, so a SMOKE_TEST day holds about a thousand of them
//! however many are asked for. `--dense` plays the same script with actions 1–3 ms apart (up to
//! `--actions` per timeline step), for a journal large enough to measure throughput.

use pecking_order::engine::{Command, Phase};
use pecking_order::journal::{Entry, EntryKind};
use pecking_order::room::Room;
use pecking_order::sim::{init_body, play, SimConfig};
use pecking_order_replay::export;
use std::path::PathBuf;

fn main() {
    let mut cfg = SimConfig::default();
    let mut out = PathBuf::from("journal.sqlite");
    let mut dense = false;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut v = || it.next().cloned().unwrap_or_default();
        match a.as_str() {
            "--players" => cfg.players = v().parse().expect("--players N"),
            "--days" => cfg.days = v().parse().expect("--days N"),
            "--actions" => cfg.actions_per_step = v().parse().expect("--actions N"),
            "--script-seed" => cfg.script_seed = v().parse().expect("--script-seed N"),
            "--game" => cfg.game_id = v(),
            "--out" => out = PathBuf::from(v()),
            "--dense" => dense = true,
            other => panic!("unknown argument {other}"),
        }
    }
    let journal = if dense {
        dense_play(&cfg)
    } else {
        play(&cfg).1
    };
    let name = out.to_string_lossy().to_string();
    let _ = std::fs::remove_file(&out);
    if name.ends_with(".sql") {
        export::write_sql_dump(&out, &journal).expect("write dump");
    } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        export::write_json_lines(&out, &journal).expect("write json lines");
    } else {
        export::write_sqlite(&out, &journal).expect("write sqlite");
    }
    eprintln!(
        "wrote {} entries of game {} to {}",
        journal.len(),
        cfg.game_id,
        out.display()
    );
}

/// `sim::play` with actions 1–3 ms apart: the same kinds of moves (chat, transfers, votes, some
/// invalid), many more of them per timeline step.
fn dense_play(cfg: &SimConfig) -> Vec<Entry> {
    let body = init_body(cfg.players, cfg.days);
    let start = 1_796_115_600_000i64; // 2026-12-01T09:00:00Z, the sim manifest's start
    let (mut room, mut journal) =
        Room::create(&cfg.game_id, &body, start - 60_000, cfg.game_seed).expect("init");
    let mut x = cfg.script_seed.max(1);
    let mut next = move |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n.max(1) as u64) as usize
    };
    while let Some(st) = room.state() {
        if matches!(st.phase, Phase::GameSummary | Phase::GameOver) {
            break;
        }
        let Some(task) = st.tasks.first().cloned() else {
            break;
        };
        let players: Vec<String> = st.players.iter().map(|p| p.id.clone()).collect();
        let mut now = st.last_at_ms;
        for _ in 0..cfg.actions_per_step {
            now += 1 + next(3) as i64;
            if now >= task.due_ms {
                break;
            }
            let actor = &players[next(players.len())];
            let target = players[next(players.len())].clone();
            let cmd = match next(10) {
                0..=3 => Command::SendMsg {
                    content: format!("hello from {actor} #{}", next(1000)),
                    channel_id: None,
                    recipient_ids: None,
                    target_id: None,
                    reply_to: None,
                    mentioned_ids: None,
                },
                4 | 5 => Command::SendSilver {
                    target_id: target,
                    amount: 1 + next(8) as u64,
                },
                6..=8 => Command::from(pecking_order::engine::voting::majority::Command::Cast {
                    target_id: target,
                }),
                _ => Command::from(pecking_order::engine::voting::finals::Command::Cast {
                    target_id: target,
                }),
            };
            if let Ok(sub) = room.submit(EntryKind::Action, actor, &cmd, now) {
                journal.extend(sub.entries);
            }
        }
        let fire = Command::Fire {
            task_id: task.id.clone(),
            due_ms: task.due_ms,
        };
        match room.submit(EntryKind::Alarm, "ALARM", &fire, task.due_ms.max(now)) {
            Ok(sub) => journal.extend(sub.entries),
            Err(_) => break,
        }
    }
    journal
}
