//! The local secrets (AUTH_SECRET, the operator's bearer; TOKEN_SECRET, the key of player
//! tokens: docs/security.md) and player tokens.

use pecking_order::room::token::{mint, Claims};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// AUTH_SECRET from the environment, else the `AUTH_SECRET=` line of `.dev.vars`, else of
/// `.dev.vars.example` (what `make dev` copies), in `root`.
pub fn local_secret(root: &Path) -> Option<String> {
    local_var(root, "AUTH_SECRET")
}

/// TOKEN_SECRET, found the same way as [`local_secret`].
pub fn local_token_secret(root: &Path) -> Option<String> {
    local_var(root, "TOKEN_SECRET")
}

/// The local CHECKPOINT_KEY found the same way as [`local_secret`] (`make dev` writes one into
/// `.dev.vars`), else a fixed key for local demos only: the demo's rooms then sign checkpoints
/// that the client keeps (docs/audit.md).
pub fn local_checkpoint_key(root: &Path) -> String {
    local_var(root, "CHECKPOINT_KEY").unwrap_or_else(|| DEMO_CHECKPOINT_KEY.to_string())
}

/// A 32-byte seed (hex) for local demos; never a deployed key.
const DEMO_CHECKPOINT_KEY: &str =
    "de30000000000000000000000000000000000000000000000000000000000001";

fn local_var(root: &Path, name: &str) -> Option<String> {
    if let Ok(s) = std::env::var(name) {
        if !s.trim().is_empty() {
            return Some(s.trim().to_string());
        }
    }
    let prefix = format!("{name}=");
    [".dev.vars", ".dev.vars.example"].iter().find_map(|f| {
        std::fs::read_to_string(root.join(f)).ok().and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix(&prefix).map(|s| s.trim().to_string()))
                .filter(|s| !s.is_empty())
        })
    })
}

pub fn now_s() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A player token for `player` in `game`, valid for `hours`.
pub fn player_token(secret: &str, game: &str, player: &str, hours: i64) -> String {
    mint(
        secret.as_bytes(),
        &Claims {
            sub: format!("local-{player}"),
            game_id: game.to_string(),
            player_id: player.to_string(),
            exp: now_s() + hours * 3600,
        },
    )
}

/// The link a person opens to play a seat (the client reads the token from the fragment).
pub fn play_link(base: &str, game: &str, token: &str) -> String {
    format!("{base}/play/?game={game}#token={token}")
}
