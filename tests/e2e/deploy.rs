//! `make deploy` offline (README.md, "Deploy"): the dry run bundles the built worker with the
//! real wrangler and checks its size and the migrations; the account steps run against a fake
//! `wrangler` first on PATH that records its calls and what it read on stdin. Needs `make build`.
//! `cargo test --features e2e --test e2e deploy::`.
#![cfg(feature = "e2e")]

use crate::support::repo_root;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The Workers Free plan's limit on a Worker's compressed size (docs/architecture.md,
/// "Deploy"), the script's default.
const SIZE_LIMIT_BYTES: u64 = 3 * 1024 * 1024;
const AUTH: &str = "auth-secret-for-the-deploy-test-0123456789abcdef";
const TOKEN: &str = "token-secret-for-the-deploy-test-0123456789abcdef";
const DB_ID: &str = "0b5f7a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b";

/// A scratch directory under target/ (fresh).
fn scratch(name: &str) -> PathBuf {
    let dir = repo_root().join("target/e2e-deploy").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create the scratch directory");
    dir
}

/// scripts/deploy.sh with `env` (and no secret nor switch from the caller's environment), its
/// outputs under `out`, `path_first` first on PATH.
fn deploy(out: &Path, path_first: &Path, env: &[(&str, &str)]) -> Output {
    let root = repo_root();
    let path = format!(
        "{}:{}:{}",
        path_first.display(),
        root.join("node_modules/.bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new(root.join("scripts/deploy.sh"));
    cmd.current_dir(&root)
        .env("PATH", path)
        .env("DEPLOY_OUT", out)
        .env("CI", "true")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    for key in [
        "AUTH_SECRET",
        "TOKEN_SECRET",
        "KEEP_SECRETS",
        "DRY_RUN",
        "D1_NAME",
        "WRANGLER",
        "WORKER_SIZE_LIMIT_KB",
    ] {
        cmd.env_remove(key);
    }
    cmd.envs(env.iter().copied());
    cmd.output().expect("run scripts/deploy.sh")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A fake `wrangler` in `dir`: each call's arguments are appended to `calls`, what `secret put`
/// reads on stdin to `stdin`; `d1 list --json` lists the database once `d1 create` ran (or when
/// `exists`), the dry run writes a small bundle and the deploy copies its config to `deployed`.
fn fake_wrangler(dir: &Path, exists: bool) {
    if exists {
        fs::write(dir.join("created"), "").expect("mark the database as existing");
    }
    let script = format!(
        r#"#!/usr/bin/env bash
set -euo pipefail
dir={dir}
printf '%s\n' "$*" >>"$dir/calls"
case "$1 ${{2:-}}" in
  "deploy --dry-run")
    out="$4"; mkdir -p "$out"; printf 'fake bundle' >"$out/index.js" ;;
  "d1 list")
    if [[ -f "$dir/created" ]]; then echo '[{{"uuid":"{DB_ID}","name":"pecking-order"}},{{"uuid":"x","name":"other"}}]'; else echo '[{{"uuid":"x","name":"other"}}]'; fi ;;
  "d1 create") touch "$dir/created" ;;
  "d1 migrations") ;;
  "secret put") printf '%s=%s\n' "$3" "$(cat)" >>"$dir/stdin" ;;
  "deploy --config") cp "$3" "$dir/deployed.toml" ;;
  *) echo "fake wrangler: unexpected call: $*" >&2; exit 2 ;;
esac
"#,
        dir = dir.display()
    );
    let path = dir.join("wrangler");
    fs::write(&path, script).expect("write the fake wrangler");
    let chmod = Command::new("chmod").arg("+x").arg(&path).status();
    assert!(chmod.is_ok_and(|s| s.success()), "chmod the fake wrangler");
}

fn calls(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join("calls"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

/// `key = "value"` of the first such line of a wrangler.toml.
fn toml_value(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == key).then(|| {
            v.split('#')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"')
                .to_string()
        })
    })
}

fn gzip_len(file: &Path) -> u64 {
    let out = Command::new("gzip")
        .arg("-9")
        .arg("-c")
        .arg(file)
        .output()
        .expect("run gzip");
    assert!(out.status.success(), "gzip {}", file.display());
    out.stdout.len() as u64
}

#[test]
fn the_dry_run_bundles_the_worker_within_the_size_limit_and_applies_the_migrations_locally() {
    let root = repo_root();
    assert!(
        root.join("build/worker/shim.mjs").exists(),
        "run `make build` first"
    );
    let out = scratch("dry");
    let empty = scratch("dry-path");
    let run = deploy(&out, &empty, &[("DRY_RUN", "1")]);
    let log = text(&run);
    assert!(run.status.success(), "{log}");
    assert!(log.contains("KiB gzip"), "the sizes are printed: {log}");

    // The bundle exists and its gzip size is under the limit (measured here too).
    let dry = out.join("deploy-dry");
    let files: Vec<PathBuf> = fs::read_dir(&dry)
        .expect("the dry run's outdir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    let wasm: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        .collect();
    assert_eq!(wasm.len(), 1, "one wasm module in {files:?}");
    let bundle: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "wasm" || x == "js"))
        .collect();
    let gz: u64 = bundle.iter().map(|p| gzip_len(p)).sum();
    assert!(gz > 0 && gz < SIZE_LIMIT_BYTES, "{gz} bytes gzip");
    let size: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dry.join("size.json")).unwrap_or_default())
            .unwrap_or_default();
    let reported = size["gzipBytes"].as_u64().unwrap_or(0);
    assert!(reported >= gz && reported < SIZE_LIMIT_BYTES, "{size}");

    // The deploy config points at the migrations wrangler.toml names, and every one of them
    // was applied to the throwaway local D1.
    let committed = fs::read_to_string(root.join("wrangler.toml")).expect("wrangler.toml");
    let dir = toml_value(&committed, "migrations_dir").expect("migrations_dir");
    let config = fs::read_to_string(out.join("deploy/wrangler.toml")).expect("deploy config");
    let used = PathBuf::from(toml_value(&config, "migrations_dir").expect("migrations_dir"));
    assert_eq!(
        used.canonicalize().ok(),
        root.join(&dir).canonicalize().ok()
    );
    assert_eq!(toml_value(&config, "enabled").as_deref(), Some("true"));
    let mut expected: Vec<String> = fs::read_dir(root.join(&dir))
        .expect("the migrations directory")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    expected.sort();
    let sqlite = find_sqlite(&out.join("deploy/d1-state")).expect("a local D1 file");
    let applied: Vec<String> =
        crate::support::sqlite_json(&sqlite, "SELECT name FROM d1_migrations ORDER BY id")
            .iter()
            .filter_map(|r| r["name"].as_str().map(str::to_string))
            .collect();
    assert_eq!(applied, expected);
}

fn find_sqlite(dir: &Path) -> Option<PathBuf> {
    for entry in fs::read_dir(dir).ok()?.flatten() {
        let p = entry.path();
        if p.is_dir() {
            if let Some(found) = find_sqlite(&p) {
                return Some(found);
            }
        } else if p.extension().is_some_and(|x| x == "sqlite") && !p.ends_with("metadata.sqlite") {
            return Some(p);
        }
    }
    None
}

#[test]
fn the_deploy_refuses_missing_committed_short_or_shared_secrets_before_any_call() {
    let dev = fs::read_to_string(repo_root().join(".dev.vars.example")).unwrap_or_default();
    let dev_auth = toml_value(&dev, "AUTH_SECRET").expect("AUTH_SECRET in .dev.vars.example");
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[], "AUTH_SECRET is not set"),
        (
            &[("AUTH_SECRET", dev_auth.as_str())],
            "AUTH_SECRET is the development value committed in .dev.vars.example",
        ),
        (&[("AUTH_SECRET", "short")], "AUTH_SECRET is too short"),
        (
            &[("AUTH_SECRET", AUTH), ("TOKEN_SECRET", AUTH)],
            "TOKEN_SECRET must differ from AUTH_SECRET",
        ),
    ];
    for (i, (env, message)) in cases.iter().enumerate() {
        let fake = scratch(&format!("refuse-{i}"));
        fake_wrangler(&fake, false);
        let run = deploy(&fake, &fake, env);
        let log = text(&run);
        assert!(!run.status.success(), "case {i} deployed: {log}");
        assert!(log.contains(message), "case {i}: {log}");
        assert!(calls(&fake).is_empty(), "case {i}: {:?}", calls(&fake));
    }
}

#[test]
fn the_deploy_creates_the_database_migrates_remotely_puts_secrets_on_stdin_then_deploys() {
    let fake = scratch("account");
    fake_wrangler(&fake, false);
    let run = deploy(
        &fake,
        &fake,
        &[("AUTH_SECRET", AUTH), ("TOKEN_SECRET", TOKEN)],
    );
    let log = text(&run);
    assert!(run.status.success(), "{log}");
    let config = fake.join("deploy/wrangler.toml");
    let c = config.display();
    let dry = fake.join("deploy-dry");
    assert_eq!(
        calls(&fake),
        [
            format!("deploy --dry-run --outdir {} --config {c}", dry.display()),
            format!("d1 list --json --config {c}"),
            format!("d1 create pecking-order --config {c}"),
            format!("d1 list --json --config {c}"),
            format!("d1 migrations apply pecking-order --remote --config {c}"),
            format!("secret put AUTH_SECRET --config {c}"),
            format!("secret put TOKEN_SECRET --config {c}"),
            format!("deploy --config {c}"),
        ]
    );
    assert!(
        !log.contains(AUTH) && !log.contains(TOKEN),
        "no secret printed"
    );
    let stdin = fs::read_to_string(fake.join("stdin")).unwrap_or_default();
    assert_eq!(
        stdin,
        format!("AUTH_SECRET={AUTH}\nTOKEN_SECRET={TOKEN}\n"),
        "the secrets went on stdin"
    );
    let deployed = fs::read_to_string(fake.join("deployed.toml")).unwrap_or_default();
    assert_eq!(toml_value(&deployed, "database_id").as_deref(), Some(DB_ID));
    let committed = fs::read_to_string(repo_root().join("wrangler.toml")).unwrap_or_default();
    assert_ne!(
        toml_value(&committed, "database_id").as_deref(),
        Some(DB_ID),
        "the real id is never written into the committed wrangler.toml"
    );

    // A second deploy finds the database; KEEP_SECRETS=1 leaves the secrets alone.
    let again = scratch("account-again");
    fake_wrangler(&again, true);
    let run = deploy(&again, &again, &[("KEEP_SECRETS", "1")]);
    assert!(run.status.success(), "{}", text(&run));
    let seen = calls(&again);
    assert!(!seen.iter().any(|c| c.starts_with("d1 create")), "{seen:?}");
    assert!(!seen.iter().any(|c| c.starts_with("secret")), "{seen:?}");
    assert_eq!(
        seen.last().map(|c| c.starts_with("deploy --config")),
        Some(true)
    );
}

/// The room's log lines reach the Worker's output (what Workers Logs keeps once deployed): one
/// JSON object per line, with the fields docs/architecture.md ("Logs") lists.
#[test]
fn the_worker_prints_the_rooms_structured_log_lines() {
    const INIT: &str = r#"{"manifest":{"mode":"PECKING_ORDER","kind":"STATIC","scheduling":"ADMIN","startTime":"2026-12-01T09:00:00Z","schedulePreset":"SMOKE_TEST","days":[{"voteType":"MAJORITY"},{"voteType":"FINALS"}]},"roster":[{"id":"p1","personaName":"Ada"},{"id":"p2","personaName":"Bo"},{"id":"p3","personaName":"Cy"}]}"#;
    let dev = crate::support::WranglerDev::start();
    dev.create("log-g1", INIT);
    let again = dev.post("/parties/game-server/log-g1/init", INIT);
    assert_eq!(again.status, 409, "{}", again.text());

    // wrangler writes the Worker's output as it comes: wait for it (bounded), not for a time.
    let find = |kind: &str| -> Option<serde_json::Value> {
        dev.log().lines().find_map(|l| {
            let v: serde_json::Value = serde_json::from_str(&l[l.find('{')?..]).ok()?;
            (v["kind"] == kind && v["gameId"] == "log-g1").then_some(v)
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while find("refused").is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let init = find("init").unwrap_or_else(|| panic!("no init line:\n{}", dev.log()));
    assert_eq!((&init["seq"], &init["players"]), (&1.into(), &3.into()));
    assert!(init["atMs"].as_i64().is_some_and(|t| t > 0), "{init}");
    let entry = find("entry").unwrap_or_else(|| panic!("no entry line:\n{}", dev.log()));
    assert_eq!(entry["command"], "SYSTEM.INIT");
    let refused = find("refused").unwrap_or_else(|| panic!("no refused line:\n{}", dev.log()));
    assert_eq!(
        (&refused["status"], &refused["code"]),
        (&409.into(), &"ROOM_EXISTS".into())
    );
    assert_eq!(refused["outcome"], "refused");
}
