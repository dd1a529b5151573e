//! Shared helpers for the end-to-end tests: a `wrangler dev` guard, a tiny HTTP/1.1 client on
//! `std::net::TcpStream` (no HTTP crate needed; `http.rs`) and a WebSocket player (`ws.rs`).
//!
//! Each [`WranglerDev`] applies the D1 migrations into its own fresh `--persist-to` directory, runs
//! `wrangler dev` on free ports in its own process group, waits for `/health`, and kills the whole
//! process group (wrangler and workerd) on drop. Several may run at once, next to a `make dev`.
//! Set `E2E_KEEP=1` to keep the persist directory and log for inspection.

#![allow(dead_code)]

mod cpu;
mod http;
mod ws;
pub use cpu::{own_cpu_ms, proc_cpu_ms, proc_rss_kib, workerd_main_thread_ms};
pub use http::{http_request, HttpResponse};
pub use ws::{connect, Connected, Player};

use std::fs;
use std::io;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The D1 database name in wrangler.toml.
pub const D1_NAME: &str = "pecking-order";
const START_TIMEOUT: Duration = Duration::from_secs(60);

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn unique_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{}-{nanos}", std::process::id())
}

/// Two distinct free ports on 127.0.0.1 (both listeners are held until both are chosen).
pub(crate) fn free_ports() -> (u16, u16) {
    let a = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let b = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let ports = (
        a.local_addr().expect("local addr").port(),
        b.local_addr().expect("local addr").port(),
    );
    drop((a, b));
    ports
}

/// The wrangler command, run in `root` (its wrangler.toml, build/ and migrations/): the local
/// install from `npm ci` (scripts/setup.sh), else `npx wrangler`.
fn wrangler(root: &Path) -> Command {
    let local = repo_root().join("node_modules/.bin/wrangler");
    let mut cmd = if local.exists() {
        Command::new(local)
    } else {
        let mut c = Command::new("npx");
        c.arg("wrangler");
        c
    };
    cmd.current_dir(root)
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// A running `wrangler dev` serving the built worker (build/worker/shim.mjs).
pub struct WranglerDev {
    child: Child,
    /// Where wrangler runs: this repository, or another build of the worker.
    root: PathBuf,
    pub port: u16,
    pub inspector_port: u16,
    /// The `--persist-to` directory: local D1 under `v3/d1/`, DO storage under `v3/do/`.
    pub persist_dir: PathBuf,
    log_path: PathBuf,
    /// The AUTH_SECRET this instance was started with (the operator's bearer).
    pub secret: String,
    /// The TOKEN_SECRET this instance was started with (signs player tokens).
    pub token_secret: String,
    /// Extra `--var`s (`NAME:VALUE`), kept for restarts.
    vars: Vec<String>,
}

/// The CHECKPOINT_KEY every test instance signs checkpoints with (a 32-byte seed, hex; a test
/// value, docs/audit.md).
pub const CHECKPOINT_KEY: &str = "8f2b1c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809";

impl WranglerDev {
    /// Applies the migrations into a fresh persist directory, starts `wrangler dev` and waits
    /// until `/health` answers. Panics (showing wrangler's log) if it does not within 60 s.
    pub fn start() -> WranglerDev {
        WranglerDev::start_with(true, &[])
    }

    /// Like [`WranglerDev::start`], with extra `--var NAME:VALUE`s.
    pub fn start_with_vars(vars: &[(&str, &str)]) -> WranglerDev {
        WranglerDev::start_with(true, vars)
    }

    /// Like [`WranglerDev::start`] but without D1 migrations: every D1 write fails (no tables),
    /// which is how the tests simulate D1 being down.
    pub fn start_without_d1_tables() -> WranglerDev {
        WranglerDev::start_with(false, &[])
    }

    /// Like [`WranglerDev::start_with_vars`], serving the worker built in `root` (a checkout
    /// with its own `build/`, `wrangler.toml` and `migrations/`), e.g. another version to compare.
    pub fn start_at(root: PathBuf, vars: &[(&str, &str)]) -> WranglerDev {
        WranglerDev::start_in(root, true, vars)
    }

    fn start_with(migrate: bool, vars: &[(&str, &str)]) -> WranglerDev {
        WranglerDev::start_in(repo_root(), migrate, vars)
    }

    fn start_in(root: PathBuf, migrate: bool, vars: &[(&str, &str)]) -> WranglerDev {
        let vars: Vec<String> = vars.iter().map(|(k, v)| format!("{k}:{v}")).collect();
        assert!(
            root.join("build/worker/shim.mjs").exists(),
            "build/worker/shim.mjs is missing: run `make build` (or `make test`) first"
        );
        let base = std::env::temp_dir().join(format!("pecking-order-e2e-{}", unique_suffix()));
        let persist_dir = base.join("state");
        fs::create_dir_all(&persist_dir).expect("create the persist directory");
        let log_path = base.join("wrangler.log");

        if migrate {
            let out = wrangler(&root)
                .args([
                    "d1",
                    "migrations",
                    "apply",
                    D1_NAME,
                    "--local",
                    "--persist-to",
                ])
                .arg(&persist_dir)
                .output()
                .expect("run `wrangler d1 migrations apply`");
            assert!(
                out.status.success(),
                "wrangler d1 migrations apply failed ({}):\n{}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }

        // Random, distinct and at least 32 bytes each (room::secrets); no DEV_MODE: the checks a
        // deployment runs are the ones tested.
        let secret = format!("e2e-auth-secret-{}-0123456789abcdef", unique_suffix());
        let token_secret = format!("e2e-token-secret-{}-0123456789abcdef", unique_suffix());
        let (port, inspector_port) = free_ports();
        let child = spawn_dev(
            &root,
            &persist_dir,
            &log_path,
            (&secret, &token_secret),
            port,
            inspector_port,
            &vars,
        );
        let mut dev = WranglerDev {
            vars,
            child,
            root,
            port,
            inspector_port,
            persist_dir,
            log_path,
            secret,
            token_secret,
        };
        dev.wait_healthy_or_retry();
        dev
    }

    /// CPU time (user + system, ms) used so far by the processes of `wrangler dev`'s process
    /// group (wrangler, workerd) that are alive, read from /proc (Linux; 0 elsewhere).
    pub fn group_cpu_ms(&self) -> f64 {
        proc_cpu_ms(|stat| stat.get(2).and_then(|g| g.parse::<u32>().ok()) == Some(self.child.id()))
    }

    /// Resident memory (KiB) of the processes of `wrangler dev`'s process group (wrangler,
    /// workerd), from /proc (Linux; 0 elsewhere).
    pub fn group_rss_kib(&self) -> u64 {
        proc_rss_kib(|stat| {
            stat.get(2).and_then(|g| g.parse::<u32>().ok()) == Some(self.child.id())
        })
    }

    /// CPU time (ms) used so far by the main thread of this `wrangler dev`'s workerd (the thread
    /// that runs the worker and its Durable Objects): [`workerd_main_thread_ms`].
    pub fn workerd_main_cpu_ms(&self) -> f64 {
        workerd_main_thread_ms(self.child.id())
    }

    /// SIGKILLs wrangler and workerd (the whole process group): no shutdown of any kind.
    pub fn kill_hard(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.wait();
    }

    /// Starts `wrangler dev` again on the same persist directory (new ports) and waits for it.
    pub fn start_again(&mut self) {
        self.respawn();
        self.wait_healthy_or_retry();
    }

    fn respawn(&mut self) {
        let (port, inspector_port) = free_ports();
        self.port = port;
        self.inspector_port = inspector_port;
        self.child = spawn_dev(
            &self.root,
            &self.persist_dir,
            &self.log_path,
            (&self.secret, &self.token_secret),
            port,
            inspector_port,
            &self.vars,
        );
    }

    /// A free port found by binding port 0 can be taken by another process (another test's
    /// workerd) before wrangler binds it: when wrangler exits saying the address is in use,
    /// start it again on new ports (a few times) instead of failing the test.
    fn wait_healthy_or_retry(&mut self) {
        for _ in 0..4 {
            let before = self.log().len();
            match self.wait_healthy() {
                Ok(()) => return,
                Err(status) => {
                    let log = self.log();
                    if !log
                        .get(before..)
                        .unwrap_or(&log)
                        .contains("Address already in use")
                    {
                        panic!(
                            "wrangler dev exited early ({status}); its log:\n{}",
                            tail(&log, 80)
                        );
                    }
                    self.respawn();
                }
            }
        }
        panic!(
            "wrangler dev could not find a free port; its log:\n{}",
            tail(&self.log(), 80)
        );
    }

    /// Waits for `/health`; `Err` with the exit status when wrangler exits first.
    fn wait_healthy(&mut self) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(status.to_string());
            }
            if let Ok(resp) = self.request("GET", "/health", None, None) {
                if resp.status == 200 {
                    return Ok(());
                }
            }
            if started.elapsed() > START_TIMEOUT {
                panic!(
                    "wrangler dev did not answer /health on port {} within {:?}; its log:\n{}",
                    self.port,
                    START_TIMEOUT,
                    tail(&self.log(), 80)
                );
            }
            thread::sleep(Duration::from_millis(250));
        }
    }

    /// Everything wrangler printed so far.
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.secret)
    }

    /// A request with an optional `Authorization` header value.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        authorization: Option<&str>,
        body: Option<&[u8]>,
    ) -> io::Result<HttpResponse> {
        let mut headers = vec![];
        if let Some(auth) = authorization {
            headers.push(("Authorization", auth));
        }
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        http_request(self.port, method, path, &headers, body)
    }

    /// GET with the right bearer.
    pub fn get(&self, path: &str) -> HttpResponse {
        let auth = self.bearer();
        self.request("GET", path, Some(&auth), None)
            .unwrap_or_else(|e| panic!("GET {path}: {e}\nwrangler log:\n{}", tail(&self.log(), 40)))
    }

    /// POST with the right bearer.
    pub fn post(&self, path: &str, body: &str) -> HttpResponse {
        let auth = self.bearer();
        self.request("POST", path, Some(&auth), Some(body.as_bytes()))
            .unwrap_or_else(|e| {
                panic!("POST {path}: {e}\nwrangler log:\n{}", tail(&self.log(), 40))
            })
    }

    /// The local D1 database files (`v3/d1/miniflare-D1DatabaseObject/<hash>.sqlite`).
    pub fn d1_files(&self) -> Vec<PathBuf> {
        let dir = self.persist_dir.join("v3/d1/miniflare-D1DatabaseObject");
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "sqlite"))
                    // miniflare keeps its own bookkeeping next to the databases.
                    .filter(|p| p.file_stem().is_some_and(|s| s != "metadata"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    }

    /// A player token for `player` in `game`, valid for an hour, signed with this instance's
    /// TOKEN_SECRET.
    pub fn token(&self, game: &str, player: &str) -> String {
        let exp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
            + 3600;
        pecking_order::room::token::mint(
            self.token_secret.as_bytes(),
            &pecking_order::room::token::Claims {
                sub: format!("user-{player}"),
                game_id: game.into(),
                player_id: player.into(),
                exp,
            },
        )
    }

    /// Connects `player` to `game`; its first frame is the SYNC.
    pub fn join(&self, game: &str, player: &str) -> Player {
        match connect(self.port, game, Some(&self.token(game, player))) {
            Connected::Open(p) => {
                assert_eq!(p.frames[0]["type"], "SYSTEM.SYNC", "{}", p.frames[0]);
                *p
            }
            Connected::Closed(c) => panic!("{player} was closed with {c:?}"),
            Connected::Refused(s) => panic!("{player} was refused with {s}"),
        }
    }

    /// Connects `player` to `game` with `extra` appended to the query (`&delta=1&v=7`); its
    /// first frame is a SYNC or, resuming, a DELTA.
    pub fn join_with(&self, game: &str, player: &str, extra: &str) -> Player {
        let token = format!("{}{extra}", self.token(game, player));
        match connect(self.port, game, Some(&token)) {
            Connected::Open(p) => *p,
            Connected::Closed(c) => panic!("{player} was closed with {c:?}"),
            Connected::Refused(s) => panic!("{player} was refused with {s}"),
        }
    }

    /// `POST …/init`, which must answer 201.
    pub fn create(&self, game: &str, body: &str) {
        let r = self.post(&format!("/parties/game-server/{game}/init"), body);
        assert_eq!(r.status, 201, "{}", r.text());
    }

    /// `POST …/admin`, which must answer 200; its body.
    pub fn admin(&self, game: &str, body: serde_json::Value) -> serde_json::Value {
        let r = self.post(
            &format!("/parties/game-server/{game}/admin"),
            &body.to_string(),
        );
        assert_eq!(r.status, 200, "{body}: {}", r.text());
        r.json()
    }

    /// `INJECT_TIMELINE_EVENT`, which must be accepted.
    pub fn inject(&self, game: &str, action: &str) {
        let v = self.admin(
            game,
            serde_json::json!({ "type": "INJECT_TIMELINE_EVENT", "action": action }),
        );
        assert_eq!(v["verdict"], "ACCEPTED", "{action}: {v}");
    }

    /// The operator's `GET …/state`, which must answer 200.
    pub fn state(&self, game: &str) -> serde_json::Value {
        let r = self.get(&format!("/parties/game-server/{game}/state"));
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }

    /// Every page of `GET …/journal` from `from` on (`limit` per page), following the
    /// `X-Next-From` cursor; the lines as JSON, and the number of pages.
    pub fn journal_pages(&self, game: &str, limit: u64) -> (Vec<serde_json::Value>, usize) {
        let mut lines = Vec::new();
        let mut from = Some(1u64);
        let mut pages = 0;
        while let Some(f) = from {
            let r = self.get(&format!(
                "/parties/game-server/{game}/journal?from={f}&limit={limit}"
            ));
            assert_eq!(r.status, 200, "page from {f}: {}", r.text());
            assert_eq!(r.header("content-type"), Some("application/x-ndjson"));
            for l in r.text().lines().filter(|l| !l.trim().is_empty()) {
                lines.push(serde_json::from_str(l).expect("a journal line is JSON"));
            }
            pages += 1;
            from = r.header("x-next-from").map(|v| v.parse().expect("a seq"));
        }
        (lines, pages)
    }

    /// The SQLite files of the Durable Objects' storage (`v3/do/<class>/<id>.sqlite`).
    pub fn do_files(&self) -> Vec<PathBuf> {
        let mut files = Vec::new();
        let Ok(classes) = fs::read_dir(self.persist_dir.join("v3/do")) else {
            return files;
        };
        for class in classes.filter_map(|e| e.ok()) {
            if let Ok(rd) = fs::read_dir(class.path()) {
                files.extend(
                    rd.filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.extension().is_some_and(|x| x == "sqlite"))
                        .filter(|p| p.file_stem().is_some_and(|s| s != "metadata")),
                );
            }
        }
        files.sort();
        files
    }

    /// Runs a query on the one room's DO SQLite file (the test runs one room per instance).
    pub fn do_query(&self, sql: &str) -> Vec<serde_json::Value> {
        let files = self.do_files();
        assert_eq!(files.len(), 1, "expected one room's DO file: {files:?}");
        sqlite_json(&files[0], sql)
    }

    /// Runs a query on the local D1 file with the `sqlite3` CLI; rows as JSON objects.
    pub fn d1_query(&self, sql: &str) -> Vec<serde_json::Value> {
        let files = self.d1_files();
        assert_eq!(
            files.len(),
            1,
            "expected one local D1 file under {}",
            self.persist_dir.display()
        );
        sqlite_json(&files[0], sql)
    }
}

impl Drop for WranglerDev {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            thread::sleep(Duration::from_millis(100));
        }
        // Whatever is left of the group (workerd outlives wrangler on TERM sometimes).
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.wait();
        if thread::panicking() {
            eprintln!(
                "---- wrangler dev log (port {}, {}) ----\n{}\n----",
                self.port,
                self.log_path.display(),
                tail(&self.log(), 60)
            );
        }
        if std::env::var_os("E2E_KEEP").is_none() {
            if let Some(base) = self.persist_dir.parent() {
                let _ = fs::remove_dir_all(base);
            }
        } else {
            eprintln!(
                "E2E_KEEP: kept {}",
                self.persist_dir.parent().unwrap_or(Path::new("")).display()
            );
        }
    }
}

/// Spawns `wrangler dev` in its own process group, appending to the log. `DEV_FAULTS=1` enables
/// the room's dev-only fault switches (`POST …/admin {"type":"DEV_FAIL_D1"}`).
fn spawn_dev(
    root: &Path,
    persist_dir: &Path,
    log_path: &Path,
    (secret, token_secret): (&str, &str),
    port: u16,
    inspector_port: u16,
    vars: &[String],
) -> Child {
    let log = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_path)
        .expect("open the wrangler log");
    let log_err = log.try_clone().expect("clone the log handle");
    wrangler(root)
        .args(["dev", "--ip", "127.0.0.1", "--port", &port.to_string()])
        .args(["--inspector-port", &inspector_port.to_string()])
        .arg("--persist-to")
        .arg(persist_dir)
        .args(["--var", &format!("AUTH_SECRET:{secret}")])
        .args(["--var", &format!("TOKEN_SECRET:{token_secret}")])
        .args(["--var", "DEV_FAULTS:1"])
        .args(["--var", &format!("CHECKPOINT_KEY:{CHECKPOINT_KEY}")])
        .args(vars.iter().flat_map(|v| ["--var", v.as_str()]))
        .arg("--show-interactive-dev-session=false")
        .stdout(log)
        .stderr(log_err)
        // Its own process group, so drop can kill wrangler and its workerd together.
        .process_group(0)
        .spawn()
        .expect("spawn `wrangler dev`")
}

/// Runs `sqlite3 -json FILE SQL` and parses the rows. It waits up to 30 s for a lock held by
/// the running `wrangler dev` (or another reader) instead of failing with "database is locked".
pub fn sqlite_json(file: &Path, sql: &str) -> Vec<serde_json::Value> {
    let out = Command::new("sqlite3")
        .args(["-cmd", ".timeout 30000"])
        .arg("-json")
        .arg(file)
        .arg(sql)
        .stdin(Stdio::null())
        .output()
        .expect("run sqlite3 (installed by scripts/setup.sh)");
    assert!(
        out.status.success(),
        "sqlite3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    if text.trim().is_empty() {
        return vec![];
    }
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("sqlite3 output is not JSON ({e}): {text}"))
}
