//! `po-bot`: bots that play seats of a running game over WebSocket until it is over.
//!
//! ```sh
//! po-bot --game g1 --players p2,p3,p4 [--server http://127.0.0.1:8787] [--seed 7] [--secret S]
//! ```
//! Tokens are minted with the server's TOKEN_SECRET (`--secret`, else `$TOKEN_SECRET`, else
//! `.dev.vars`). The same `--seed` makes the same choices (docs/client.md "Bots").

use clap::{Arg, Command};
use pecking_order_bots::token::{local_token_secret, player_token};
use pecking_order_bots::{run_bot, BotConfig};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

fn main() {
    let m = Command::new("po-bot")
        .about("Bots that play seats of a running Pecking Order game until it is over")
        .arg(Arg::new("game").long("game").required(true).help("game id"))
        .arg(
            Arg::new("players")
                .long("players")
                .required(true)
                .help("comma-separated player ids"),
        )
        .arg(
            Arg::new("server")
                .long("server")
                .default_value("http://127.0.0.1:8787"),
        )
        .arg(
            Arg::new("seed")
                .long("seed")
                .default_value("1")
                .value_parser(clap::value_parser!(u64)),
        )
        .arg(
            Arg::new("secret")
                .long("secret")
                .help("TOKEN_SECRET (default: $TOKEN_SECRET or .dev.vars)"),
        )
        .get_matches();
    let game = m.get_one::<String>("game").cloned().unwrap_or_default();
    let server = m.get_one::<String>("server").cloned().unwrap_or_default();
    let seed = m.get_one::<u64>("seed").copied().unwrap_or(1);
    let Some(secret) = m
        .get_one::<String>("secret")
        .cloned()
        .or_else(|| local_token_secret(Path::new(".")))
    else {
        eprintln!("po-bot: no secret: pass --secret, set TOKEN_SECRET or create .dev.vars");
        std::process::exit(2);
    };
    let ws_base = server.replacen("http", "ws", 1);
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let _ = signal_hook::flag::register(sig, Arc::clone(&stop));
    }
    let handles: Vec<_> = m
        .get_one::<String>("players")
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .map(|player| {
            let cfg = BotConfig {
                ws_base: ws_base.clone(),
                game: game.clone(),
                token: player_token(&secret, &game, &player, 24),
                player,
                seed,
                pace_ms: (400, 1200),
                give_up_after: Duration::from_secs(120),
            };
            let stop = Arc::clone(&stop);
            thread::spawn(move || run_bot(&cfg, &stop, None, |v| v["phase"] == "GAME_OVER"))
        })
        .collect();
    let mut failed = false;
    for h in handles {
        match h.join() {
            Ok(Ok(r)) => {
                let moves: u32 = r.accepted.values().sum();
                let refused: u32 = r.refused.values().sum();
                println!(
                    "{}: {moves} moves accepted, {refused} refused, {} reconnects",
                    r.player, r.reconnects
                );
            }
            Ok(Err(e)) => {
                eprintln!("po-bot: {e}");
                failed = true;
            }
            Err(_) => failed = true,
        }
    }
    std::process::exit(i32::from(failed));
}
