//! Writes a simulated game's journal (`pecking_order::sim::play`) as a D1 SQLite file, a SQL dump
//! or JSON lines, for trying and measuring `po-replay`.
//!
//! cargo run --release -p pecking-order-replay --example gen_journal -- \
//!     --players 20 --days 7 --actions 100000 --out /tmp/po-7x20.sqlite

use pecking_order::sim::{play, SimConfig};
use pecking_order_replay::export;
use std::path::PathBuf;

fn main() {
    let mut cfg = SimConfig::default();
    let mut out = PathBuf::from("journal.sqlite");
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
            other => panic!("unknown argument {other}"),
        }
    }
    let (_room, journal) = play(&cfg);
    let name = out.to_string_lossy().to_string();
    let _ = std::fs::remove_file(&out);
    if name.ends_with(".sql") {
        export::write_sql_dump(&out, &journal).expect("write dump");
    } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        export::write_json_lines(&out, &journal).expect("write json lines");
    } else {
        export::write_sqlite(&out, &journal).expect("write sqlite");
    }
    eprintln!("wrote {} entries of game {} to {}", journal.len(), cfg.game_id, out.display());
}
