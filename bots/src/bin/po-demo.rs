//! `po-demo` (`make demo`): a BLITZ game on a local `wrangler dev` with bots and one seat for a
//! person, played to a winner, then audited with `po-replay verify` and `po-replay report`.
//!
//! Environment: `DEMO_HUMAN` (1: print a link for a person and give them `DEMO_SEAT_SECONDS`,
//! default 60, to join before a bot takes the seat; 0: bots only), `DEMO_PLAYERS` (default 5),
//! `DEMO_ROUND_SECONDS` (default 30), `DEMO_SEED` (default 1), `DEMO_PORT` (default 8787, or a
//! free port when taken), `DEMO_OUT` (default target/demo).
//!
//! `po-demo serve --manifest JSON --players N [--game ID] [--bots p3,p4]` starts a server with one
//! game and prints one JSON line (base URL, secret, each seat's token and link, and refused
//! tokens for tests), then serves until its standard input closes; a line `restart` on standard
//! input restarts the server on the same port and state. The browser test drives it.
//!
//! Everything it starts is stopped on exit, on failure and on Ctrl-C (docs/client.md).

use clap::{Arg, Command};
use pecking_order_bots::server::{port_or_free, ServerError};
use pecking_order_bots::token::{local_secret, local_token_secret, now_s, play_link, player_token};
use pecking_order_bots::{run_bot, Api, BotConfig, BotReport, DevServer, Watch};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

const NAMES: [&str; 20] = [
    "Ada", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lu", "Max", "Ned",
    "Oz", "Pia", "Quin", "Roo", "Sam", "Tess",
];

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// The repository root: the current directory when it holds wrangler.toml, else this crate's
/// parent.
fn repo_root() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    if cwd.join("wrangler.toml").exists() {
        return cwd;
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or(cwd)
}

fn roster(n: usize) -> Vec<Value> {
    (1..=n)
        .map(|i| {
            let name = NAMES.get(i - 1).copied().unwrap_or("Bird");
            json!({ "id": format!("p{i}"), "personaName": name })
        })
        .collect()
}

fn persona(view: &Value, id: &str) -> String {
    view["roster"]
        .as_array()
        .and_then(|r| r.iter().find(|p| p["id"] == id))
        .and_then(|p| p["personaName"].as_str())
        .unwrap_or(id)
        .to_string()
}

struct Bots {
    stop: Arc<AtomicBool>,
    handles: Vec<JoinHandle<Result<BotReport, pecking_order_bots::BotError>>>,
}

impl Bots {
    fn new() -> Bots {
        Bots {
            stop: Arc::new(AtomicBool::new(false)),
            handles: Vec::new(),
        }
    }

    fn spawn(&mut self, cfg: BotConfig, watch: Option<Arc<Watch>>) {
        let stop = Arc::clone(&self.stop);
        self.handles.push(thread::spawn(move || {
            run_bot(&cfg, &stop, watch, |v| v["phase"] == "GAME_OVER")
        }));
    }

    /// Stops every bot and collects what they did.
    fn finish(self) -> Vec<Result<BotReport, String>> {
        self.stop.store(true, Ordering::Relaxed);
        self.handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(r) => r.map_err(|e| e.to_string()),
                Err(_) => Err("a bot thread panicked".into()),
            })
            .collect()
    }
}

fn bot_config(dev: &DevServer, game: &str, player: &str, seed: u64) -> BotConfig {
    BotConfig {
        ws_base: dev.ws_base(),
        game: game.into(),
        token: player_token(&dev.token_secret, game, player, 24),
        player: player.into(),
        seed,
        pace_ms: (300, 900),
        give_up_after: Duration::from_secs(60),
    }
}

/// Prints the ticker lines the watching bot received since the last call.
fn print_ticker(watch: &Watch) {
    if let Ok(mut t) = watch.ticker.lock() {
        for l in t.drain(..) {
            println!(
                "  [{}] {}",
                l["day"],
                l["text"].as_str().unwrap_or_default()
            );
        }
    }
}

/// Waits until D1 holds every journal entry (the operator's `outboxLag` is 0 twice in a row).
fn wait_for_d1(api: &Api, game: &str) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut zeros = 0;
    while Instant::now() < deadline {
        let st = api.state(game).map_err(|e| e.to_string())?;
        if st["outboxLag"].as_u64() == Some(0) {
            zeros += 1;
            if zeros >= 2 {
                return Ok(());
            }
        } else {
            zeros = 0;
        }
        thread::sleep(Duration::from_millis(500));
    }
    Err("D1 did not catch up with the journal within 30 s".into())
}

/// `po-replay` next to this binary (same target directory), else on PATH.
fn po_replay() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|d| d.join("po-replay")))
        .filter(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("po-replay"))
}

struct Audit {
    verify_code: i32,
    verify_out: String,
    report: Option<PathBuf>,
}

fn audit(d1: &Path, game: &str, out: &Path) -> Result<Audit, String> {
    let bin = po_replay();
    let verify = std::process::Command::new(&bin)
        .arg("verify")
        .arg(d1)
        .args(["--game", game, "--quiet"])
        .output()
        .map_err(|e| {
            format!(
                "cannot run {}: {e} (cargo build -p pecking-order-replay)",
                bin.display()
            )
        })?;
    let report = out.join(format!("report-{game}.html"));
    let made = std::process::Command::new(&bin)
        .arg("report")
        .arg(d1)
        .args(["--game", game, "--quiet", "--out"])
        .arg(&report)
        .status()
        .map_err(|e| e.to_string())?;
    Ok(Audit {
        verify_code: verify.status.code().unwrap_or(-1),
        verify_out: format!(
            "{}{}",
            String::from_utf8_lossy(&verify.stdout),
            String::from_utf8_lossy(&verify.stderr)
        ),
        report: (made.success() && report.exists())
            .then(|| std::fs::canonicalize(&report).unwrap_or(report)),
    })
}

fn demo(stop: &AtomicBool) -> Result<bool, String> {
    let root = repo_root();
    let human = env_num("DEMO_HUMAN", 1) != 0;
    let players = env_num("DEMO_PLAYERS", 5).clamp(3, 20) as usize;
    let round_s = env_num("DEMO_ROUND_SECONDS", 30).clamp(30, 3600);
    let seed = env_num("DEMO_SEED", 1);
    let seat_s = env_num("DEMO_SEAT_SECONDS", 60);
    let out = std::env::var("DEMO_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target/demo"));
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let secret =
        local_secret(&root).unwrap_or_else(|| pecking_order::room::secrets::DEV_AUTH_SECRET.into());
    let token_secret = local_token_secret(&root)
        .unwrap_or_else(|| pecking_order::room::secrets::DEV_TOKEN_SECRET.into());
    {
        use pecking_order::room::secrets::{auth_secret, token_secret as check_token};
        auth_secret(&secret, &token_secret, true)
            .and(check_token(&secret, &token_secret, true))
            .map_err(|e| {
                format!("{e}: copy the AUTH_SECRET, TOKEN_SECRET and DEV_MODE lines of .dev.vars.example into .dev.vars (docs/security.md)")
            })?;
    }
    let port = port_or_free(env_num("DEMO_PORT", 8787) as u16);
    println!(
        "Starting wrangler dev on 127.0.0.1:{port} (fresh state in {}) …",
        out.join("state").display()
    );
    let mut dev = DevServer::start(
        &root,
        &out.join("state"),
        &out.join("wrangler.log"),
        port,
        (&secret, &token_secret),
    )
    .map_err(|e| e.to_string())?;
    let api = dev.api();
    let game = format!("demo-{}", now_s());
    // Round 1 starts a little later when a person is to join, so they can open the link first.
    let lead_ms = if human { 20_000 } else { 3_000 };
    let start = chrono::DateTime::from_timestamp_millis(now_s() * 1000 + lead_ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default();
    let init = json!({
        "manifest": { "mode": "BLITZ", "scheduling": "PRE_SCHEDULED", "startTime": start, "roundSeconds": round_s },
        "roster": roster(players),
    });
    api.init(&game, &init).map_err(|e| e.to_string())?;
    println!("Game {game}: BLITZ, {players} players, {round_s}-second rounds, seed {seed}.");

    let watch = Arc::new(Watch::default());
    let mut bots = Bots::new();
    for i in 2..=players {
        let p = format!("p{i}");
        let w = (i == 2).then(|| Arc::clone(&watch));
        bots.spawn(bot_config(&dev, &game, &p, seed), w);
    }
    let seat_deadline = Instant::now() + Duration::from_secs(seat_s);
    let mut seat_taken = !human;
    if human {
        let link = play_link(
            &dev.base(),
            &game,
            &player_token(&token_secret, &game, "p1", 24),
        );
        println!("\nYour seat ({}): open this link in a browser (a phone-sized window works):\n\n  {link}\n", NAMES[0]);
        println!("A bot takes the seat if nobody joins within {seat_s} s.\n");
    } else {
        bots.spawn(bot_config(&dev, &game, "p1", seed), None);
    }
    let limit = Instant::now() + Duration::from_secs(round_s * players as u64 + seat_s + 120);
    let mut human_seen = false;
    let mut last_state = Instant::now() - Duration::from_secs(10);
    let winner = loop {
        if stop.load(Ordering::Relaxed) {
            bots.finish();
            return Err("interrupted (Ctrl-C): stopped the bots and the server".into());
        }
        if Instant::now() > limit {
            bots.finish();
            let log = std::fs::read_to_string(&dev.log_path).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(8).collect();
            return Err(format!(
                "no winner in time; the server's log is {} and ends with:\n{}",
                dev.log_path.display(),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            ));
        }
        print_ticker(&watch);
        if !seat_taken {
            let online = watch
                .online
                .lock()
                .map(|o| o.contains(&"p1".to_string()))
                .unwrap_or(false);
            if online && !human_seen {
                human_seen = true;
                println!("  (you joined as {})", NAMES[0]);
            }
            if !human_seen && Instant::now() > seat_deadline {
                println!(
                    "  (nobody joined as {} within {seat_s} s: a bot takes the seat)",
                    NAMES[0]
                );
                bots.spawn(bot_config(&dev, &game, "p1", seed), None);
                seat_taken = true;
            }
        }
        if last_state.elapsed() > Duration::from_secs(2) {
            last_state = Instant::now();
            if let Ok(st) = api.state(&game) {
                if let Some(w) = st["winner"].as_str() {
                    break (w.to_string(), persona(&st, w));
                }
            }
        }
        thread::sleep(Duration::from_millis(250));
    };
    // The last lines (the winner's) ride the final broadcast.
    thread::sleep(Duration::from_millis(1500));
    print_ticker(&watch);
    let d1 = wait_for_d1(&api, &game);
    let reports = bots.finish();
    dev.stop();
    d1?;
    let mut moves: BTreeMap<String, u32> = BTreeMap::new();
    for r in &reports {
        match r {
            Ok(r) => {
                for (k, n) in &r.accepted {
                    *moves.entry(k.clone()).or_default() += n;
                }
            }
            Err(e) => println!("  bot error: {e}"),
        }
    }
    let a = audit(&dev.d1_dir(), &game, &out)?;
    println!(
        "\nBot moves accepted: {}",
        moves
            .iter()
            .map(|(k, n)| format!("{k} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("\nWinner: {} ({})", winner.1, winner.0);
    let verdict = match a.verify_code {
        0 => "OK — hash chain intact, every verdict and fact reproduced",
        2 => "TAMPERED — the hash chain is broken",
        3 => "DIVERGED — the replay differs from the journal",
        _ => "FAILED — po-replay could not read the journal",
    };
    println!(
        "Verification (po-replay verify, exit {}): {verdict}",
        a.verify_code
    );
    for l in a
        .verify_out
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(6)
    {
        println!("  {l}");
    }
    match &a.report {
        Some(p) => println!("Report: {}", p.display()),
        None => println!("Report: not written"),
    }
    Ok(a.verify_code == 0 && a.report.is_some() && reports.iter().all(Result::is_ok))
}

/// The browser test's server: one game, seat tokens printed as JSON, served until stdin closes.
fn serve(m: &clap::ArgMatches, stop: &AtomicBool) -> Result<bool, String> {
    let root = repo_root();
    let players = m.get_one::<usize>("players").copied().unwrap_or(3);
    let game = m
        .get_one::<String>("game")
        .cloned()
        .unwrap_or_else(|| format!("browser-{}", now_s()));
    let manifest: Value =
        serde_json::from_str(m.get_one::<String>("manifest").map_or("{}", String::as_str))
            .map_err(|e| format!("--manifest is not JSON: {e}"))?;
    let secret = format!("serve-auth-secret-{}-0123456789abcdef", std::process::id());
    let token_secret = format!("serve-token-secret-{}-0123456789abcdef", std::process::id());
    let dir = root.join(format!("target/browser-server-{}", std::process::id()));
    let mut dev = DevServer::start(
        &root,
        &dir.join("state"),
        &dir.join("wrangler.log"),
        port_or_free(0),
        (&secret, &token_secret),
    )
    .map_err(|e: ServerError| e.to_string())?;
    dev.api()
        .init(
            &game,
            &json!({ "manifest": manifest, "roster": roster(players) }),
        )
        .map_err(|e| e.to_string())?;
    let seats: serde_json::Map<String, Value> = (1..=players)
        .map(|i| {
            let p = format!("p{i}");
            let t = player_token(&token_secret, &game, &p, 24);
            (
                p,
                json!({ "token": t, "link": play_link(&dev.base(), &game, &t) }),
            )
        })
        .collect();
    let line = json!({
        "base": dev.base(), "secret": secret, "game": game, "seats": seats,
        "forged": play_link(&dev.base(), &game, &player_token("not-the-secret", &game, "p1", 24)),
        "expired": play_link(&dev.base(), &game, &player_token(&token_secret, &game, "p1", -1)),
        "noRoom": play_link(&dev.base(), "no-such-game", &player_token(&token_secret, "no-such-game", "p1", 24)),
        "log": dev.log_path,
    });
    println!("{line}");
    let _ = std::io::stdout().flush();
    let mut bots = Bots::new();
    if let Some(list) = m.get_one::<String>("bots") {
        for p in list.split(',').filter(|s| !s.is_empty()) {
            bots.spawn(bot_config(&dev, &game, p, 1), None);
        }
    }
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        for l in std::io::stdin().lock().lines() {
            match l {
                Ok(l) => {
                    if tx.send(Some(l)).is_err() {
                        return;
                    }
                }
                Err(_) => break,
            }
        }
        let _ = tx.send(None);
    });
    loop {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(cmd)) if cmd.trim() == "restart" => {
                dev.restart().map_err(|e| e.to_string())?;
                println!("{}", json!({ "restarted": true }));
                let _ = std::io::stdout().flush();
            }
            Ok(Some(_)) | Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Ok(None) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    bots.finish();
    dev.stop();
    if std::env::var_os("PO_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(true)
}

fn main() -> ExitCode {
    let m = Command::new("po-demo")
        .about("make demo: a BLITZ game with bots and a seat for you, audited at the end")
        .subcommand(
            Command::new("serve")
                .about("serve one game for the browser test; prints its seats as JSON")
                .arg(Arg::new("manifest").long("manifest").required(true))
                .arg(
                    Arg::new("players")
                        .long("players")
                        .value_parser(clap::value_parser!(usize)),
                )
                .arg(Arg::new("game").long("game"))
                .arg(Arg::new("bots").long("bots")),
        )
        .get_matches();
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let _ = signal_hook::flag::register(sig, Arc::clone(&stop));
    }
    let result = match m.subcommand() {
        Some(("serve", sm)) => serve(sm, &stop),
        _ => demo(&stop),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("po-demo: {e}");
            ExitCode::FAILURE
        }
    }
}
