//! `po-fuzz`: structure-aware fuzzing of the decoders of outside bytes (docs/testing.md).
//!
//! `po-fuzz [--target NAME] [--iters N] [--seed S]` runs every target (or one) N times;
//! `po-fuzz --write-corpus` rewrites `sim/corpus/` from real documents.

use pecking_order::journal::Entry;
use pecking_order::room::token::{mint, Claims};
use pecking_order::room::Room;
use pecking_order::sim::{self, SimConfig};
use pecking_order_sim::fuzz::{self, TARGETS};
use serde_json::json;
use std::process::ExitCode;
use std::time::Instant;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--write-corpus") {
        return match write_corpus() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    let iters: u64 = arg(&args, "--iters")
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let seed: u64 = arg(&args, "--seed")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let only = arg(&args, "--target");
    let mut failed = false;
    for t in TARGETS
        .iter()
        .filter(|t| only.as_deref().is_none_or(|o| o == t.name))
    {
        let (wall, cpu) = (Instant::now(), cpu_ms());
        match fuzz::run(t, seed, iters) {
            Ok(n) => {
                let secs = wall.elapsed().as_secs_f64();
                println!(
                    "{:<14} {n:>9} executions  {:>8.1} s wall  {:>8.1} s CPU  {:>9.0} exec/s",
                    t.name,
                    secs,
                    (cpu_ms() - cpu) as f64 / 1000.0,
                    n as f64 / secs.max(1e-9)
                );
            }
            Err(f) => {
                failed = true;
                eprintln!("FAILED {f}");
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// CPU time of this process (user + system), in ms, from /proc (0 where unavailable).
fn cpu_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, r)| r.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of stat, 11 and 12 after the command name.
    (ticks(11) + ticks(12)) * 10
}

fn write(target: &str, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let dir = fuzz::corpus_dir(target);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(name), bytes)
}

fn write_corpus() -> Result<(), Box<dyn std::error::Error>> {
    let frames = [
        json!({"type":"SOCIAL.SEND_MSG","content":"hello flock","ref":"c1"}),
        json!({"type":"SOCIAL.SEND_MSG","recipientIds":["p2"],"content":"psst","ref":"c2"}),
        json!({"type":"SOCIAL.SEND_MSG","recipientIds":["p2","p3"],"content":"Alliance?"}),
        json!({"type":"SOCIAL.SEND_MSG","channelId":"dm:1:2","content":"Noted."}),
        json!({"type":"SOCIAL.SEND_SILVER","targetId":"p2","amount":3,"ref":"s"}),
        json!({"type":"SOCIAL.REACT","messageId":1,"emoji":"🔥"}),
        json!({"type":"SOCIAL.NUDGE","targetId":"p3"}),
        json!({"type":"SOCIAL.WHISPER","targetId":"p4","text":"Just between us"}),
        json!({"type":"SOCIAL.USE_PERK","perkType":"SPY_DMS","targetId":"p2"}),
        json!({"type":"SOCIAL.USE_PERK","perkType":"EXTRA_DM_CHARS"}),
        json!({"type":"VOTE.MAJORITY.CAST","targetId":"p2"}),
        json!({"type":"VOTE.FINALS.CAST","targetId":"p3"}),
        json!({"type":"VOTE.EXECUTIONER.PICK","targetId":"p2"}),
        json!({"type":"VOTE.DUELS.DUEL","stake":5}),
        json!({"type":"GAME.TRIVIA.START"}),
        json!({"type":"GAME.TRIVIA.ANSWER","answerIndex":2}),
        json!({"type":"GAME.BET_BET_BET.SUBMIT","amount":4}),
        json!({"type":"GAME.THE_SPLIT.SUBMIT","action":"SPLIT"}),
        json!({"type":"GAME.ARCADE.START","gameType":"GAP_RUN"}),
        json!({"type":"DILEMMA.SILVER_GAMBIT.SUBMIT","action":"DONATE"}),
        json!({"type":"DESTINY.ACCUSE","targetId":"p5"}),
        json!({"type":"CONFESSION.POST","channelId":"confession:1","text":"I did it"}),
        json!({"type":"GAME.REALTIME_TRIVIA.ANSWER","answerIndex":1}),
        json!({"type":"GAME.TOUCH_SCREEN.READY"}),
        json!({"type":"GAME.TOUCH_SCREEN.TOUCH","ref":"t"}),
        json!({"type":"PREGAME.REVEAL_ANSWER","qIndex":0}),
        json!({"type":"PRESENCE.TYPING","channelId":"MAIN"}),
        json!({"type":"PRESENCE.STOP_TYPING","channelId":"dm:1:2","ref":"st"}),
        json!({"type":"SYSTEM.RESYNC","ref":"rs"}),
    ];
    for (i, f) in frames.iter().enumerate() {
        write("frame", &format!("{i:02}.json"), f.to_string().as_bytes())?;
    }
    let admin = [
        json!({"type":"CREDIT_SILVER","rewards":{"p1":10,"p2":-5}}),
        json!({"type":"NEXT_STAGE"}),
        json!({"type":"INJECT_TIMELINE_EVENT","action":"OPEN_VOTING"}),
        json!({"type":"ABANDON_GAME","reason":"the lobby closed"}),
        json!({"type":"LIST_TASKS"}),
        json!({"type":"DEV_FAIL_D1","on":true}),
        json!({"type":"SEND_GAME_MASTER_MSG","content":"The Game Master speaks","targetId":"p2"}),
        json!({"type":"SEND_PLAYER_EVENT","senderId":"p2","event":{"type":"SOCIAL.SEND_MSG","content":"as p2"}}),
        json!({"type":"UPDATE_PUSH_CONFIG","pushConfig":{"DM_SENT":false,"ELIMINATION":true}}),
        json!({"type":"INJECT_TIMELINE_EVENT","action":"START_CARTRIDGE"}),
        json!({"type":"INJECT_TIMELINE_EVENT","action":"ELIMINATE"}),
        json!({"type":"INJECT_TIMELINE_EVENT","action":"INJECT_PROMPT","payload":{"text":"Who lies?","targetId":"p3"}}),
        json!({"type":"ELIMINATE_PLAYER","playerId":"p4","reason":null}),
        json!({"type":"CHECKPOINT"}),
    ];
    for (i, a) in admin.iter().enumerate() {
        write("admin", &format!("{i:02}.json"), a.to_string().as_bytes())?;
    }
    let joined = [
        json!({"id":"p6","personaName":"Late Bird"}),
        json!({"id":"p7","personaName":"Player 7","avatarUrl":"https://example.com/a.png"}),
    ];
    for (i, j) in joined.iter().enumerate() {
        write(
            "player_joined",
            &format!("{i:02}.json"),
            j.to_string().as_bytes(),
        )?;
    }
    // The prototype lobby's bodies as it sends them (tests/fixtures/lobby/).
    let lobby = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/lobby/");
    let joins: serde_json::Value =
        serde_json::from_slice(&std::fs::read(format!("{lobby}player-joined.json"))?)?;
    for (i, j) in joins.as_array().into_iter().flatten().enumerate() {
        write(
            "player_joined",
            &format!("lobby{i:02}.json"),
            j.to_string().as_bytes(),
        )?;
    }
    for name in ["static-debug", "cc-static", "dynamic-default"] {
        let body = std::fs::read(format!("{lobby}{name}.init.json"))?;
        write("init", &format!("lobby-{name}.json"), &body)?;
    }
    for (i, note) in fuzz::checkpoint_corpus().iter().enumerate() {
        write("checkpoint", &format!("{i:02}.txt"), note)?;
    }
    for (i, r) in fuzz::receipts_corpus().iter().enumerate() {
        write("receipts", &format!("{i:02}.json"), r)?;
    }
    for (i, v) in ["7", "0", "-1", "1.5", "x", "", "18446744073709551616"]
        .iter()
        .enumerate()
    {
        write("resume", &format!("{i:02}.txt"), v.as_bytes())?;
    }
    write("init", "00.json", &fuzz::init_body())?;
    write("init", "01.json", &sim::init_body_with_games(6, 4))?;
    write("init", "02.json", &sim::init_body(4, 2))?;
    for (i, p) in ["p1", "p2", "p3"].iter().enumerate() {
        let claims = Claims {
            sub: format!("user-{p}"),
            game_id: "g1".into(),
            player_id: (*p).into(),
            exp: fuzz::NOW / 1000 + 30 * 86_400,
        };
        write(
            "token",
            &format!("{i:02}.txt"),
            mint(fuzz::SECRET.as_bytes(), &claims).as_bytes(),
        )?;
    }
    let cfg = SimConfig {
        players: 5,
        days: 3,
        ..SimConfig::default()
    };
    let (room, entries) = sim::play(&cfg);
    write("snapshot", "end.json", &room.snapshot_bytes())?;
    let mid = Room::fold(
        &cfg.game_id,
        &entries[..entries.len() / 2],
        Some(cfg.game_seed),
    )?;
    write("snapshot", "mid.json", &mid.snapshot_bytes())?;
    // A version-1 (CBOR) snapshot, as rooms deployed before version 2 hold (src/snapshot.rs).
    write(
        "snapshot",
        "v1.cbor",
        include_bytes!("../../../tests/fixtures/game-small.snapshot-v1.cbor"),
    )?;
    for (name, e) in [
        ("first", &entries[0]),
        ("mid", &entries[entries.len() / 2]),
        ("last", &entries[entries.len() - 1]),
    ] {
        write(
            "d1_row",
            &format!("{name}.json"),
            serde_json::to_string(e)?.as_bytes(),
        )?;
    }
    let short: &[Entry] = &entries[..entries.len().min(30)];
    let lines: String = short
        .iter()
        .map(|e| serde_json::to_string(e).map(|l| l + "\n"))
        .collect::<Result<_, _>>()?;
    write("export", "journal.jsonl", lines.as_bytes())?;
    write(
        "export",
        "journal.sql",
        pecking_order_replay::export::sql_dump(short)?.as_bytes(),
    )?;
    println!("wrote {}", fuzz::corpus_dir("").display());
    Ok(())
}
