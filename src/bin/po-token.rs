//! `po-token`: mints a player token for local play.
//!
//! `cargo run --bin po-token -- GAME_ID PLAYER_ID [SECRET] [HOURS]`
//! SECRET (TOKEN_SECRET, the key of player tokens, never the operator's AUTH_SECRET) defaults
//! to $TOKEN_SECRET, then to the TOKEN_SECRET line of .dev.vars; HOURS to 24, at most the
//! token lifetime cap (`MAX_TOKEN_LIFETIME_S`, 744 hours).
//! Usage errors exit 2 (clap's default, as before clap).

// The wasm test build (`make test-wasm`) compiles every target of the package, this one too; the
// command is native only (clap is a native dependency), so on wasm32 it is an empty program.
#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::Parser;
    use pecking_order::room::token::{mint, Claims};
    use std::time::{SystemTime, UNIX_EPOCH};

    /// Mints an HS256 player token for local play (docs/protocol.md) and prints it.
    #[derive(Debug, Parser)]
    #[command(name = "po-token", version, allow_negative_numbers = true)]
    struct Args {
        /// The game the token is for
        game_id: String,
        /// The player it identifies (its `sub` is `local-PLAYER_ID`)
        player_id: String,
        /// The signing secret [default: $TOKEN_SECRET, then TOKEN_SECRET= in .dev.vars]
        #[arg(allow_hyphen_values = true)]
        secret: Option<String>,
        /// Hours until the token expires (negative: already expired)
        #[arg(default_value_t = 24)]
        hours: i64,
    }

    pub fn main() {
        let args = Args::parse();
        let secret = args
            .secret
            .or_else(|| std::env::var("TOKEN_SECRET").ok())
            .or_else(|| {
                std::fs::read_to_string(".dev.vars").ok().and_then(|t| {
                    t.lines().find_map(|l| {
                        l.strip_prefix("TOKEN_SECRET=")
                            .map(|s| s.trim().to_string())
                    })
                })
            })
            .unwrap_or_default();
        if secret.is_empty() {
            eprintln!("no secret: pass one, set TOKEN_SECRET, or create .dev.vars");
            std::process::exit(2);
        }
        let max_hours = pecking_order::room::token::MAX_TOKEN_LIFETIME_S / 3600;
        if args.hours > max_hours {
            eprintln!("error: HOURS is at most {max_hours}: a longer-lived token is refused");
            std::process::exit(2);
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let claims = Claims {
            sub: format!("local-{}", args.player_id),
            game_id: args.game_id,
            player_id: args.player_id,
            exp: now.saturating_add(args.hours.saturating_mul(3600)),
        };
        println!("{}", mint(secret.as_bytes(), &claims));
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    cli::main();
}
