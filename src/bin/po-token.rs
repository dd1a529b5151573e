//! `po-token`: mints a player token for local play.
//!
//! `cargo run --bin po-token -- GAME_ID PLAYER_ID [SECRET] [HOURS]`
//! SECRET defaults to $AUTH_SECRET, then to the AUTH_SECRET line of .dev.vars; HOURS to 24.

use pecking_order::room::token::{mint, Claims};
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 || args.len() > 4 {
        eprintln!("usage: po-token GAME_ID PLAYER_ID [SECRET] [HOURS]");
        std::process::exit(2);
    }
    let secret = args
        .get(2)
        .cloned()
        .or_else(|| std::env::var("AUTH_SECRET").ok())
        .or_else(|| {
            std::fs::read_to_string(".dev.vars").ok().and_then(|t| {
                t.lines()
                    .find_map(|l| l.strip_prefix("AUTH_SECRET=").map(|s| s.trim().to_string()))
            })
        })
        .unwrap_or_default();
    if secret.is_empty() {
        eprintln!("no secret: pass one, set AUTH_SECRET, or create .dev.vars");
        std::process::exit(2);
    }
    let hours: i64 = match args.get(3).map(|h| h.parse()) {
        None => 24,
        Some(Ok(h)) => h,
        Some(Err(_)) => {
            eprintln!("HOURS must be an integer");
            std::process::exit(2);
        }
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let claims = Claims {
        sub: format!("local-{}", args[1]),
        game_id: args[0].clone(),
        player_id: args[1].clone(),
        exp: now + hours * 3600,
    };
    println!("{}", mint(secret.as_bytes(), &claims));
}
