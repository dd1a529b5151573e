//! The cold start side by side with the TypeScript prototype (issue 19; BENCHMARKS.md, "Worker
//! size and start", "Side by side with the prototype"): the same client code drives this engine's
//! `wrangler dev` and the prototype's game server under its own `wrangler dev`, interleaved run by
//! run, through the same steps as `delta::cold_start_figures`. Never asserted (figures only):
//!
//! `COLD_TARGETS=ours,prototype PROTO_ROOT=<prototype checkout, npm-installed> COLD_RUNS=5
//!  COLD_ACTIONS=300 cargo test --features e2e --test e2e -- --ignored cold_compare:: --nocapture`
//!
//! `COLD_VAPID=1` gives our worker a VAPID_PRIVATE_KEY (a deployment with Web Push).
//! `ours@<dir>` in COLD_TARGETS serves another build of this engine (a checkout with its own
//! `build/`), e.g. the commit before a change. Beside wall time, each timed step's CPU time on
//! workerd's main thread (`support::workerd_main_thread_ms`).
//!
//! How the prototype checkout is prepared (its npm install, the one package the registry lacks,
//! its workspace packages' build) is in BENCHMARKS.md.
#![cfg(feature = "e2e")]

use crate::support::{
    connect, free_ports, http_request, unique_suffix, Connected, HttpResponse, Player, WranglerDev,
};
use serde_json::{json, Value};
use std::fs;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// What the figures need from a server under test.
trait Target {
    fn create(&mut self, game: &str);
    fn open_chat(&mut self, game: &str);
    fn join(&self, game: &str, player: &str) -> Player;
    /// Sends chat message `i` and waits until the server has taken it.
    fn chat(&self, p: &mut Player, i: usize);
    fn get_state(&self, game: &str) -> HttpResponse;
    fn kill_hard(&mut self);
    fn start_again(&mut self);
    /// CPU time (ms) of the workerd main thread so far (`support::workerd_main_thread_ms`).
    fn main_cpu_ms(&self) -> f64;
}

impl Target for WranglerDev {
    fn create(&mut self, game: &str) {
        let roster: Vec<Value> = (1..=4)
            .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
            .collect();
        let body = json!({
            "manifest": { "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": "ADMIN",
                          "startTime": "2026-12-01T09:00:00Z", "schedulePreset": "SMOKE_TEST",
                          "days": [{ "voteType": "MAJORITY" }, { "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
            "roster": roster,
        });
        WranglerDev::create(self, game, &body.to_string());
    }
    fn open_chat(&mut self, game: &str) {
        self.inject(game, "START_DAY");
        self.inject(game, "OPEN_GROUP_CHAT");
    }
    fn join(&self, game: &str, player: &str) -> Player {
        WranglerDev::join(self, game, player)
    }
    fn chat(&self, p: &mut Player, i: usize) {
        let msg = json!({"type": "SOCIAL.SEND_MSG", "content": format!("message {i}")});
        assert_eq!(p.act(msg)["type"], "ACK");
    }
    fn get_state(&self, game: &str) -> HttpResponse {
        self.get(&format!("/parties/game-server/{game}/state"))
    }
    fn kill_hard(&mut self) {
        WranglerDev::kill_hard(self)
    }
    fn start_again(&mut self) {
        WranglerDev::start_again(self)
    }
    fn main_cpu_ms(&self) -> f64 {
        self.workerd_main_cpu_ms()
    }
}

/// The prototype's game server (`apps/game-server` of a prepared prototype checkout) under its
/// own `wrangler dev` (its wrangler.toml, local DO storage and D1 in a fresh persist directory).
struct ProtoDev {
    app: PathBuf,
    wrangler: PathBuf,
    child: Child,
    port: u16,
    persist_dir: PathBuf,
    log_path: PathBuf,
    secret: String,
}

impl ProtoDev {
    fn start(root: PathBuf) -> ProtoDev {
        let app = root.join("apps/game-server");
        let wrangler = root.join("node_modules/.bin/wrangler");
        assert!(
            wrangler.exists(),
            "{}: run its npm install",
            wrangler.display()
        );
        let base = std::env::temp_dir().join(format!("po-prototype-{}", unique_suffix()));
        let persist_dir = base.join("state");
        fs::create_dir_all(&persist_dir).expect("create the persist directory");
        let out = proto_cmd(&wrangler, &app)
            .args([
                "d1",
                "migrations",
                "apply",
                "pecking-order-journal-db-local",
            ])
            .args(["--local", "--persist-to"])
            .arg(&persist_dir)
            .output()
            .expect("run the prototype's d1 migrations");
        assert!(out.status.success(), "{out:?}");
        let secret = format!("proto-secret-{}", unique_suffix());
        let log_path = base.join("wrangler.log");
        let (port, child) = spawn_proto(&wrangler, &app, &persist_dir, &log_path, &secret);
        let dev = ProtoDev {
            app,
            wrangler,
            child,
            port,
            persist_dir,
            log_path,
            secret,
        };
        dev.wait_ready();
        dev
    }

    /// Ready when the worker answers anything (the prototype has no `/health`: `GET /` goes
    /// through its worker's fetch handler and answers 404).
    fn wait_ready(&self) {
        let started = Instant::now();
        while http_request(self.port, "GET", "/", &[], None).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(90),
                "the prototype's wrangler dev did not answer; log:\n{}",
                fs::read_to_string(&self.log_path).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    fn post(&self, path: &str, body: &Value) -> HttpResponse {
        let bearer = format!("Bearer {}", self.secret);
        let headers = [
            ("Authorization", bearer.as_str()),
            ("Content-Type", "application/json"),
        ];
        let body = body.to_string();
        http_request(self.port, "POST", path, &headers, Some(body.as_bytes())).expect(path)
    }

    fn admin(&self, game: &str, body: Value) {
        let r = self.post(&format!("/parties/game-server/{game}/admin"), &body);
        assert_eq!(r.status, 200, "{body}: {}", r.text());
    }

    /// The lobby's game token: HS256 JWT over `{sub, gameId, playerId, personaName, iat, exp}`,
    /// signed with AUTH_SECRET (the prototype's `signGameToken`).
    fn token(&self, game: &str, player: &str) -> String {
        use base64::Engine;
        use hmac::Mac;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let claims = json!({ "sub": format!("u-{player}"), "gameId": game, "playerId": player,
                             "personaName": player, "iat": now, "exp": now + 3600 });
        let signing = format!(
            "{}.{}",
            b64.encode(br#"{"alg":"HS256"}"#),
            b64.encode(claims.to_string())
        );
        let mut mac =
            hmac::Hmac::<sha2::Sha256>::new_from_slice(self.secret.as_bytes()).expect("key");
        mac.update(signing.as_bytes());
        format!(
            "{signing}.{}",
            b64.encode(mac.finalize().into_bytes().as_slice())
        )
    }
}

fn proto_cmd(wrangler: &PathBuf, app: &PathBuf) -> Command {
    let mut c = Command::new(wrangler);
    c.current_dir(app)
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    c
}

fn spawn_proto(
    wrangler: &PathBuf,
    app: &PathBuf,
    persist_dir: &PathBuf,
    log_path: &PathBuf,
    secret: &str,
) -> (u16, Child) {
    let (port, inspector) = free_ports();
    let log = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_path)
        .expect("open the log");
    let child = proto_cmd(wrangler, app)
        .args(["dev", "--ip", "127.0.0.1", "--port", &port.to_string()])
        .args(["--inspector-port", &inspector.to_string()])
        .arg("--persist-to")
        .arg(persist_dir)
        .args(["--var", &format!("AUTH_SECRET:{secret}")])
        .arg("--show-interactive-dev-session=false")
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .process_group(0)
        .spawn()
        .expect("spawn the prototype's wrangler dev");
    (port, child)
}

fn kill_group(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
    let _ = child.wait();
}

impl Drop for ProtoDev {
    fn drop(&mut self) {
        kill_group(&mut self.child);
        if let Some(base) = self.persist_dir.parent() {
            let _ = fs::remove_dir_all(base);
        }
    }
}

impl Target for ProtoDev {
    fn create(&mut self, game: &str) {
        let roster: serde_json::Map<String, Value> = (1..=4)
            .map(|i| {
                let p = json!({ "realUserId": format!("u-p{i}"), "personaName": format!("Player {i}"),
                    "avatarUrl": "", "bio": "", "isAlive": true, "isSpectator": false,
                    "silver": 50, "gold": 0, "destinyId": "" });
                (format!("p{i}"), p)
            })
            .collect();
        let days: Vec<Value> = (1..=3)
            .map(|d| {
                json!({ "dayIndex": d, "theme": format!("Day {d}"),
                             "voteType": if d == 3 { "FINALS" } else { "MAJORITY" },
                             "gameType": "NONE", "timeline": [] })
            })
            .collect();
        let body = json!({ "roster": roster, "inviteCode": "COLD01",
            "manifest": { "kind": "STATIC", "id": game, "gameMode": "CONFIGURABLE_CYCLE",
                          "scheduling": "ADMIN", "days": days } });
        let r = self.post(&format!("/parties/game-server/{game}/init"), &body);
        assert_eq!(r.status, 200, "{}", r.text());
    }
    fn open_chat(&mut self, game: &str) {
        self.admin(game, json!({ "type": "NEXT_STAGE" }));
        self.admin(
            game,
            json!({ "type": "INJECT_TIMELINE_EVENT", "action": "OPEN_GROUP_CHAT" }),
        );
    }
    fn join(&self, game: &str, player: &str) -> Player {
        match connect(self.port, game, Some(&self.token(game, player))) {
            Connected::Open(p) => {
                assert_eq!(p.frames[0]["type"], "SYSTEM.SYNC", "{}", p.frames[0]);
                *p
            }
            Connected::Closed(c) => panic!("{player} was closed with {c:?}"),
            Connected::Refused(s) => panic!("{player} was refused with {s}"),
        }
    }
    /// The prototype has no ACK: the message is taken when a SYNC carrying it arrives.
    fn chat(&self, p: &mut Player, i: usize) {
        let content = format!("message {i}");
        let msg = json!({"type": "SOCIAL.SEND_MSG", "content": content, "channelId": "MAIN"});
        p.send_text(&msg.to_string());
        let quoted = format!("\"{content}\"");
        p.wait_for(|v| v["type"] == "SYSTEM.SYNC" && v.to_string().contains(&quoted));
        p.frames.clear();
    }
    fn get_state(&self, game: &str) -> HttpResponse {
        let path = format!("/parties/game-server/{game}/state");
        http_request(self.port, "GET", &path, &[], None).expect("GET state")
    }
    fn kill_hard(&mut self) {
        kill_group(&mut self.child);
    }
    fn start_again(&mut self) {
        let (port, child) = spawn_proto(
            &self.wrangler,
            &self.app,
            &self.persist_dir,
            &self.log_path,
            &self.secret,
        );
        self.port = port;
        self.child = child;
        self.wait_ready();
    }
    fn main_cpu_ms(&self) -> f64 {
        crate::support::workerd_main_thread_ms(self.child.id())
    }
}

#[derive(Default)]
struct Figures {
    init: Vec<f64>,
    state: Vec<f64>,
    sync: Vec<f64>,
    warm: Vec<f64>,
    /// The workerd main thread's CPU time (ms) over the timed `GET …/state`, cold SYNC and warm
    /// reconnect (each read 300 ms after the step before, so that step's leftovers are not in it).
    state_cpu: Vec<f64>,
    sync_cpu: Vec<f64>,
    warm_cpu: Vec<f64>,
    /// Bytes of the cold SYNC frame (JSON text as re-serialised by serde_json).
    sync_bytes: usize,
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// One run: a room with `actions` chat messages, SIGKILL + restart, the first `GET …/state`
/// timed; SIGKILL + restart, the first socket's SYNC timed, then a second socket's (warm).
fn run(t: &mut dyn Target, actions: usize, f: &mut Figures) {
    let game = "cold";
    let start = Instant::now();
    t.create(game);
    f.init.push(ms(start));
    t.open_chat(game);
    let mut p = t.join(game, "p1");
    for i in 0..actions {
        t.chat(&mut p, i);
    }
    drop(p);
    std::thread::sleep(Duration::from_secs(1));
    t.kill_hard();
    t.start_again();
    let settle = || std::thread::sleep(Duration::from_millis(300));
    settle();
    let cpu = t.main_cpu_ms();
    let start = Instant::now();
    let r = t.get_state(game);
    f.state.push(ms(start));
    f.state_cpu.push(t.main_cpu_ms() - cpu);
    assert_eq!(r.status, 200, "{}", r.text());
    t.kill_hard();
    t.start_again();
    settle();
    let cpu = t.main_cpu_ms();
    let start = Instant::now();
    let p = t.join(game, "p2");
    f.sync.push(ms(start));
    f.sync_cpu.push(t.main_cpu_ms() - cpu);
    // The room came back with its chat (not an empty room).
    if actions > 0 {
        let last = format!("\"message {}\"", actions - 1);
        assert!(
            p.frames[0].to_string().contains(&last),
            "cold SYNC lacks {last}"
        );
    }
    f.sync_bytes = p.frames[0].to_string().len();
    drop(p);
    settle();
    let cpu = t.main_cpu_ms();
    let start = Instant::now();
    let p = t.join(game, "p2");
    f.warm.push(ms(start));
    f.warm_cpu.push(t.main_cpu_ms() - cpu);
    drop(p);
}

fn min_median(mut v: Vec<f64>) -> String {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    let all: Vec<f64> = v.iter().map(|x| (x * 10.0).round() / 10.0).collect();
    format!(
        "min {:.1} / median {median:.1} ms ({n} runs: {all:?})",
        v[0]
    )
}

fn loadavg() -> String {
    fs::read_to_string("/proc/loadavg").unwrap_or_default()
}

#[test]
#[ignore = "prints figures for BENCHMARKS.md; needs a prepared prototype checkout (PROTO_ROOT)"]
fn cold_start_side_by_side() {
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let (runs, actions) = (env("COLD_RUNS", 5), env("COLD_ACTIONS", 300));
    let targets: Vec<String> = std::env::var("COLD_TARGETS")
        .unwrap_or_else(|_| "ours,prototype".into())
        .split(',')
        .map(str::to_owned)
        .collect();
    let proto_root =
        || PathBuf::from(std::env::var("PROTO_ROOT").expect("PROTO_ROOT: the prototype checkout"));
    // Our worker's vars: a socket rate that never refuses the driver, and with COLD_VAPID=1 a
    // VAPID key, as a deployment with Web Push has (the RFC 8291 example key, test only).
    let mut vars = vec![("WS_RATE_PER_S", "1000"), ("WS_RATE_BURST", "1000")];
    if std::env::var("COLD_VAPID").as_deref() == Ok("1") {
        vars.push((
            "VAPID_PRIVATE_KEY",
            "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
        ));
    }
    let mut figures: Vec<Figures> = targets.iter().map(|_| Figures::default()).collect();
    println!("FIGURE load average at start: {}", loadavg().trim());
    for r in 0..runs {
        for (name, f) in targets.iter().zip(figures.iter_mut()) {
            let mut t: Box<dyn Target> = match name.as_str() {
                "ours" => Box::new(WranglerDev::start_with_vars(&vars)),
                "prototype" => Box::new(ProtoDev::start(proto_root())),
                // Another build of this engine: a checkout with its own build/ (e.g. the commit
                // before a change), served the same way.
                other if other.starts_with("ours@") => Box::new(WranglerDev::start_at(
                    PathBuf::from(&other["ours@".len()..]),
                    &vars,
                )),
                other => panic!("COLD_TARGETS: unknown target {other}"),
            };
            run(t.as_mut(), actions, f);
            println!(
                "run {r} {name}: init {:.1}, state {:.1} (CPU {:.1}), sync {:.1} (CPU {:.1}, {} bytes), warm {:.1} (CPU {:.1}) ms; load {}",
                f.init[r],
                f.state[r],
                f.state_cpu[r],
                f.sync[r],
                f.sync_cpu[r],
                f.sync_bytes,
                f.warm[r],
                f.warm_cpu[r],
                loadavg().trim()
            );
        }
    }
    for (name, f) in targets.iter().zip(figures) {
        println!("FIGURE {name} ({actions} chat messages)");
        println!("FIGURE   new room, POST …/init: {}", min_median(f.init));
        println!(
            "FIGURE   cold room, first GET …/state: {}",
            min_median(f.state)
        );
        println!("FIGURE   cold room, first SYNC: {}", min_median(f.sync));
        println!("FIGURE   warm reconnect, SYNC: {}", min_median(f.warm));
        println!(
            "FIGURE   workerd main-thread CPU: cold GET …/state {}",
            min_median(f.state_cpu)
        );
        println!(
            "FIGURE   workerd main-thread CPU: cold first SYNC {}",
            min_median(f.sync_cpu)
        );
        println!(
            "FIGURE   workerd main-thread CPU: warm reconnect {}",
            min_median(f.warm_cpu)
        );
    }
    println!("FIGURE load average at end: {}", loadavg().trim());
}
