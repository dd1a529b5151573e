//! Helpers shared by the po-replay tests: journals to replay, files to write them to, and a way
//! to run the built binary.
#![allow(dead_code)]

use pecking_order::engine::{Command, Phase};
use pecking_order::journal::{genesis_hash, Entry, EntryKind};
use pecking_order::room::Room;
use pecking_order::sim::{play, SimConfig};
use pecking_order_replay::export;
use rusqlite::Connection;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command as Proc;

/// A recorded 8-player, 4-day game (rejections included).
pub fn sim_game() -> (Room, Vec<Entry>) {
    play(&SimConfig {
        game_id: "game-a".into(),
        players: 8,
        days: 4,
        actions_per_step: 6,
        script_seed: 7,
        game_seed: [9; 32],
        rules_version: pecking_order::engine::RULES_VERSION,
    })
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the built `po-replay` with `args`.
pub fn po(args: &[&str]) -> Run {
    let out = Proc::new(env!("CARGO_BIN_EXE_po-replay"))
        .args(args)
        .output()
        .expect("run po-replay");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

pub fn write_sqlite(dir: &Path, name: &str, entries: &[Entry]) -> PathBuf {
    let p = dir.join(name);
    export::write_sqlite(&p, entries).expect("write sqlite");
    p
}

/// Runs SQL statements against a SQLite file (the tamperer's tool).
pub fn sql(path: &Path, statements: &str) {
    let c = Connection::open(path).expect("open sqlite");
    c.execute_batch(statements).expect("tamper sql");
}

/// Re-seals `entries[from..]` so that the chain is intact again after an edit (what a forger
/// who can recompute blake3 would do).
pub fn reseal(entries: &mut [Entry], from: usize) {
    for i in from..entries.len() {
        let prev = if i == 0 {
            genesis_hash(&entries[0].game_id)
        } else {
            entries[i - 1].hash
        };
        entries[i] = entries[i].clone().seal(prev);
    }
}

/// Index of the first entry whose facts contain `needle`.
pub fn find_fact(entries: &[Entry], needle: &str) -> usize {
    entries
        .iter()
        .position(|e| e.facts.contains(needle))
        .unwrap_or_else(|| panic!("no entry with facts containing {needle}"))
}

/// A scripted 5-player STATIC game (MAJORITY, MAJORITY, FINALS) built to need tie-breaks:
/// - day 1: p1 and p2 vote for each other, a tie on votes settled by silver (p1 40 < p2 50);
/// - day 2: p2 and p3 vote out p5;
/// - day 3 (FINALS): the eliminated p1 votes p2, p5 votes p3: tied on votes and on silver (50),
///   settled by the seeded draw.
pub fn tie_game() -> (Room, Vec<Entry>) {
    let silver = [("p1", 40), ("p2", 50), ("p3", 50), ("p4", 60), ("p5", 30)];
    let roster: Vec<_> = silver
        .iter()
        .map(
            |(id, s)| json!({"id": id, "personaName": format!("Player {}", &id[1..]), "silver": s}),
        )
        .collect();
    let body = json!({
        "manifest": {"mode": "PECKING_ORDER", "kind": "STATIC", "startTime": "2026-12-01T09:00:00Z",
                     "schedulePreset": "SMOKE_TEST", "initialGoldPool": 100,
                     "days": [{"voteType": "MAJORITY"}, {"voteType": "MAJORITY"}, {"voteType": "FINALS"}]},
        "roster": roster,
    })
    .to_string();
    let votes: [&[(&str, &str)]; 3] = [
        &[("p1", "p2"), ("p2", "p1")],
        &[("p2", "p5"), ("p3", "p5")],
        &[("p1", "p2"), ("p5", "p3")],
    ];
    scripted(&body, [5u8; 32], &votes)
}

/// Plays `body` firing every task when due; once a day's ballot is open, submits that day's votes.
pub fn scripted(body: &str, seed: [u8; 32], votes: &[&[(&str, &str)]]) -> (Room, Vec<Entry>) {
    let start = 1_796_115_600_000i64; // 2026-12-01T09:00:00Z
                                      // Rules version 3, pinned: the checked-in evidence files (client-evidence/) and the
                                      // documented outputs are this game's bytes (docs/architecture.md, "Rules versions").
    let (mut room, mut journal) =
        Room::create_with_rules("tie-game", body.as_bytes(), start - 60_000, seed, 3)
            .expect("create");
    let mut voted_day = 0;
    for _ in 0..1000 {
        let st = room.state().expect("state").clone();
        if matches!(st.phase, Phase::GameSummary | Phase::GameOver) {
            break;
        }
        if st.ballot.is_some() && voted_day < st.day {
            voted_day = st.day;
            let mut now = st.last_at_ms;
            for (voter, target) in votes.get(st.day as usize - 1).copied().unwrap_or(&[]) {
                now += 1000;
                let cmd = match st.vote_type {
                    Some(pecking_order::engine::manifest::VoteType::Finals) => {
                        Command::from(pecking_order::engine::voting::finals::Command::Cast {
                            target_id: target.to_string(),
                        })
                    }
                    _ => Command::from(pecking_order::engine::voting::majority::Command::Cast {
                        target_id: target.to_string(),
                    }),
                };
                let sub = room
                    .submit(EntryKind::Action, voter, &cmd, now)
                    .expect("vote");
                assert!(
                    sub.verdict.is_accepted(),
                    "scripted vote {voter}->{target}: {:?}",
                    sub.verdict
                );
                journal.extend(sub.entries);
            }
            continue;
        }
        let task = st.tasks.first().cloned().expect("a pending task");
        let fire = Command::Fire {
            task_id: task.id.clone(),
            due_ms: task.due_ms,
        };
        let sub = room
            .submit(
                EntryKind::Alarm,
                "ALARM",
                &fire,
                task.due_ms.max(st.last_at_ms),
            )
            .expect("fire");
        journal.extend(sub.entries);
    }
    (room, journal)
}
