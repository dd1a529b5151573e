//! `po-sim`: runs simulator seeds (docs/testing.md). `make sim SEEDS=N` runs seeds 1..=N;
//! `--seed S` reruns one (the repro line a failure prints). `--big-room N [--sockets K]`
//! drives one room natively to N entries and prints its figures (`sim::big`).

use pecking_order_sim::{run, Options, Stats};
use std::process::ExitCode;

fn arg(args: &[String], name: &str) -> Option<u64> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("po-sim [--seeds N] [--from S] [--seed S] [--rooms R] [--steps K] [--long]");
        println!("po-sim --big-room N [--sockets K]");
        return ExitCode::SUCCESS;
    }
    if let Some(n) = arg(&args, "--big-room") {
        let sockets = arg(&args, "--sockets").unwrap_or(4) as usize;
        return match pecking_order_sim::big::big_room(n, sockets) {
            Ok(f) => {
                println!(
                    "big room: {} entries from {} sockets, driven in {:.0} ms wall / {:.0} ms CPU",
                    f.entries, f.sockets, f.drive_wall_ms, f.drive_cpu_ms
                );
                println!(
                    "DO storage: snapshot {} bytes; {} journal rows ({} bytes as JSON); {} task rows; D1 {} rows",
                    f.snapshot_bytes, f.do_rows, f.do_row_bytes, f.task_rows, f.d1_rows
                );
                println!(
                    "cold start: LiveRoom::open {:.2} ms wall / {:.2} ms CPU; first GET /state of a fresh host {:.2} ms wall",
                    f.cold_open_wall_ms, f.cold_open_cpu_ms, f.cold_state_wall_ms
                );
                println!(
                    "resident memory: {} KiB at start, {} KiB driven, {} KiB after the cold start",
                    f.rss_start_kib, f.rss_driven_kib, f.rss_cold_kib
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("big room failed: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let d = Options::default();
    let opts = Options {
        rooms: arg(&args, "--rooms").map_or(d.rooms, |v| v as usize),
        steps: arg(&args, "--steps").map_or(d.steps, |v| v as usize),
        long_games: args.iter().any(|a| a == "--long"),
    };
    let seeds: Vec<u64> = match arg(&args, "--seed") {
        Some(s) => vec![s],
        None => {
            let from = arg(&args, "--from").unwrap_or(1);
            (from..from + arg(&args, "--seeds").unwrap_or(100)).collect()
        }
    };
    let mut total = Stats::default();
    let mut failed = 0;
    for seed in seeds {
        match run(seed, &opts) {
            Ok(s) => {
                if total.seeds == 0 || arg(&args, "--seed").is_some() {
                    println!("seed {seed}: digest {}", s.digest);
                }
                total.add(&s);
            }
            Err(f) => {
                failed += 1;
                eprintln!("FAILED {f}");
            }
        }
    }
    let hours = total.sim_ms as f64 / 3_600_000.0;
    println!(
        "{} seeds ({} failed), {} rooms x {} steps each: {} steps, {} entries ({} acknowledged), {} games finished",
        total.seeds + failed,
        failed,
        opts.rooms,
        opts.steps,
        total.steps,
        total.entries,
        total.acked,
        total.finished
    );
    println!(
        "simulated {hours:.1} h; {} faults injected ({:.0} per simulated hour); entries lost {}, duplicated {}",
        total.faults_total(),
        total.faults_total() as f64 / hours.max(1e-9),
        total.lost,
        total.duplicated
    );
    for (k, v) in &total.faults {
        println!("  {k}: {v}");
    }
    println!("features exercised:");
    for (k, v) in &total.exercised {
        println!("  {k}: {v}");
    }
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
