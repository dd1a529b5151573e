//! `po-token GAME_ID PLAYER_ID [SECRET] [HOURS]`: the built binary mints a token that
//! `room::token::verify` accepts, takes its secret from the argument, `$TOKEN_SECRET` or
//! `.dev.vars` (never AUTH_SECRET: docs/security.md), and exits 2 on a usage error.

use pecking_order::room::token::{verify, Claims, TokenError};
use std::path::PathBuf;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn now_s() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// An empty working directory of its own (no `.dev.vars` unless the test writes one), removed
/// when dropped.
struct WorkDir(PathBuf);

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn workdir(name: &str) -> WorkDir {
    let d = std::env::temp_dir().join(format!("po-token-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    WorkDir(d)
}

fn po_token(dir: &WorkDir, env_secret: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_po-token"));
    cmd.args(args)
        .current_dir(&dir.0)
        .env_remove("TOKEN_SECRET")
        .env("AUTH_SECRET", "the-operator-secret-is-never-used-here");
    if let Some(s) = env_secret {
        cmd.env("TOKEN_SECRET", s);
    }
    let out = cmd.output().expect("run po-token");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs po-token and verifies its one output line with `secret` for `game` at `at_s`.
fn minted(
    dir: &WorkDir,
    env_secret: Option<&str>,
    args: &[&str],
    secret: &str,
    at_s: i64,
) -> (Result<Claims, TokenError>, i64, i64) {
    let before = now_s();
    let run = po_token(dir, env_secret, args);
    let after = now_s();
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    let token = run.stdout.trim();
    (
        verify(secret.as_bytes(), token, args[0], at_s),
        before,
        after,
    )
}

#[test]
fn the_minted_token_verifies_with_its_claims_and_expiry() {
    let dir = workdir("claims");
    let (claims, before, after) = minted(&dir, None, &["g1", "p1", "s3cret"], "s3cret", now_s());
    let claims = claims.expect("verifies");
    assert_eq!(claims.game_id, "g1");
    assert_eq!(claims.player_id, "p1");
    assert_eq!(claims.sub, "local-p1");
    assert!((before + 24 * 3600..=after + 24 * 3600).contains(&claims.exp));

    let (claims, before, after) =
        minted(&dir, None, &["g1", "p1", "s3cret", "2"], "s3cret", now_s());
    let exp = claims.expect("verifies").exp;
    assert!((before + 7200..=after + 7200).contains(&exp));
    // Another secret does not verify it.
    let (wrong, _, _) = minted(&dir, None, &["g1", "p1", "s3cret"], "other", now_s());
    assert_eq!(wrong, Err(TokenError::BadSignature));
}

#[test]
fn negative_hours_mint_an_expired_token() {
    let dir = workdir("expired");
    let (claims, _, _) = minted(&dir, None, &["g1", "p1", "s3cret", "-1"], "s3cret", now_s());
    assert_eq!(claims, Err(TokenError::Expired));
    // A secret that starts with a hyphen is a secret, not an option.
    let (claims, _, _) = minted(&dir, None, &["g1", "p1", "-s3cret"], "-s3cret", now_s());
    assert!(claims.is_ok());
}

#[test]
fn the_secret_comes_from_the_environment_then_dev_vars() {
    let dir = workdir("secret");
    let (claims, _, _) = minted(&dir, Some("from-env"), &["g1", "p1"], "from-env", now_s());
    assert!(claims.is_ok());
    std::fs::write(
        dir.0.join(".dev.vars"),
        "OTHER=1\nAUTH_SECRET=not-this-one\nTOKEN_SECRET=from-file\n",
    )
    .unwrap();
    let (claims, _, _) = minted(&dir, None, &["g1", "p1"], "from-file", now_s());
    assert!(claims.is_ok());
    // The environment wins over the file, the argument over both.
    let (claims, _, _) = minted(&dir, Some("from-env"), &["g1", "p1"], "from-env", now_s());
    assert!(claims.is_ok());
    let (claims, _, _) = minted(&dir, Some("from-env"), &["g1", "p1", "arg"], "arg", now_s());
    assert!(claims.is_ok());
}

#[test]
fn usage_errors_exit_2() {
    let dir = workdir("usage");
    for args in [
        vec![],
        vec!["g1"],
        vec!["g1", "p1", "s", "24", "extra"],
        vec!["g1", "p1", "s", "soon"],
        // Longer than the token lifetime cap (744 hours).
        vec!["g1", "p1", "s", "745"],
    ] {
        let run = po_token(&dir, Some("s"), &args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}");
        assert!(
            run.stderr.starts_with("error: "),
            "{args:?}: {}",
            run.stderr
        );
    }
    let run = po_token(&dir, None, &["g1", "p1"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no secret"), "{}", run.stderr);
    let help = po_token(&dir, None, &["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("[SECRET] [HOURS]"), "{}", help.stdout);
}
