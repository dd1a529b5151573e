//! The local server the demo and the browser test play on: `wrangler dev` (the built worker and
//! the client's static assets) on 127.0.0.1 with a fresh `--persist-to` directory, in its own
//! process group so that stopping it stops workerd too; and the bearer HTTP routes
//! (docs/protocol.md) through `ureq`.

use serde_json::Value;
use std::fs;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("{0} is missing: run `make build` first")]
    NotBuilt(String),
    #[error("could not run {what}: {err}")]
    Spawn { what: String, err: std::io::Error },
    #[error("`wrangler d1 migrations apply` failed: {0}")]
    Migrate(String),
    #[error("wrangler dev did not answer /health within {secs} s; its log: {log}")]
    NotHealthy { secs: u64, log: String },
    #[error("{method} {path}: HTTP {status}: {body}")]
    Http {
        method: String,
        path: String,
        status: u16,
        body: String,
    },
    #[error("{method} {path}: {err}")]
    Transport {
        method: String,
        path: String,
        err: String,
    },
}

/// The D1 database name in wrangler.toml.
pub const D1_NAME: &str = "pecking-order";

/// A free port on 127.0.0.1 (the listener is dropped before wrangler binds it).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

/// `port` if nothing listens there, else (and for 0) a free one.
pub fn port_or_free(port: u16) -> u16 {
    if port != 0 && TcpListener::bind(("127.0.0.1", port)).is_ok() {
        port
    } else {
        free_port()
    }
}

fn wrangler(root: &Path) -> Command {
    let local = root.join("node_modules/.bin/wrangler");
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

/// A running `wrangler dev`. Dropping it stops it (TERM to its process group, then KILL).
pub struct DevServer {
    child: Option<Child>,
    pub port: u16,
    root: PathBuf,
    pub persist_dir: PathBuf,
    pub log_path: PathBuf,
    /// AUTH_SECRET, the operator's bearer.
    pub secret: String,
    /// TOKEN_SECRET, the key of player tokens.
    pub token_secret: String,
}

impl DevServer {
    /// Migrates a fresh local D1 in `persist_dir`, starts `wrangler dev` on `port` with
    /// AUTH_SECRET `secret` and TOKEN_SECRET `token_secret` and waits for `/health` (60 s at
    /// most). `DEV_MODE=1` (wrangler dev only) lets the committed dev secrets through.
    pub fn start(
        root: &Path,
        persist_dir: &Path,
        log_path: &Path,
        port: u16,
        (secret, token_secret): (&str, &str),
    ) -> Result<DevServer, ServerError> {
        for built in ["build/worker/shim.mjs", "client/dist/play/index.html"] {
            if !root.join(built).exists() {
                return Err(ServerError::NotBuilt(built.into()));
            }
        }
        let _ = fs::remove_dir_all(persist_dir);
        let _ = fs::remove_file(log_path);
        fs::create_dir_all(persist_dir).map_err(|err| ServerError::Spawn {
            what: format!("mkdir {}", persist_dir.display()),
            err,
        })?;
        let out = wrangler(root)
            .args([
                "d1",
                "migrations",
                "apply",
                D1_NAME,
                "--local",
                "--persist-to",
            ])
            .arg(persist_dir)
            .output()
            .map_err(|err| ServerError::Spawn {
                what: "wrangler d1 migrations apply".into(),
                err,
            })?;
        if !out.status.success() {
            return Err(ServerError::Migrate(
                String::from_utf8_lossy(&out.stderr).into_owned(),
            ));
        }
        let mut dev = DevServer {
            child: None,
            port,
            root: root.to_path_buf(),
            persist_dir: persist_dir.to_path_buf(),
            log_path: log_path.to_path_buf(),
            secret: secret.to_string(),
            token_secret: token_secret.to_string(),
        };
        dev.spawn()?;
        Ok(dev)
    }

    /// Stops the server and starts it again on the same port and state (a "server restart").
    pub fn restart(&mut self) -> Result<(), ServerError> {
        self.stop();
        self.spawn()
    }

    fn spawn(&mut self) -> Result<(), ServerError> {
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log_path)
            .map_err(|err| ServerError::Spawn {
                what: format!("open {}", self.log_path.display()),
                err,
            })?;
        let log_err = log.try_clone().map_err(|err| ServerError::Spawn {
            what: "log".into(),
            err,
        })?;
        let child = wrangler(&self.root)
            .args(["dev", "--ip", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--inspector-port", &free_port().to_string()])
            .arg("--persist-to")
            .arg(&self.persist_dir)
            .args(["--var", &format!("AUTH_SECRET:{}", self.secret)])
            .args(["--var", &format!("TOKEN_SECRET:{}", self.token_secret)])
            .args(["--var", "DEV_MODE:1"])
            .args([
                "--var",
                &format!(
                    "CHECKPOINT_KEY:{}",
                    crate::token::local_checkpoint_key(&self.root)
                ),
            ])
            .arg("--show-interactive-dev-session=false")
            .stdout(log)
            .stderr(log_err)
            // Its own process group: Ctrl-C in the terminal reaches the demo only, and stopping
            // the group stops wrangler and its workerd together.
            .process_group(0)
            .spawn()
            .map_err(|err| ServerError::Spawn {
                what: "wrangler dev".into(),
                err,
            })?;
        self.child = Some(child);
        let api = self.api();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if api.health() {
                return Ok(());
            }
            if let Some(c) = self.child.as_mut() {
                if let Ok(Some(_)) = c.try_wait() {
                    break;
                }
            }
            thread::sleep(Duration::from_millis(250));
        }
        let log = fs::read_to_string(&self.log_path).unwrap_or_default();
        self.stop();
        Err(ServerError::NotHealthy {
            secs: 60,
            log: log.lines().rev().take(20).collect::<Vec<_>>().join("\n"),
        })
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn ws_base(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }

    pub fn api(&self) -> Api {
        Api::new(&self.base(), &self.secret)
    }

    /// The local D1 directory `po-replay` reads (docs/replay.md).
    pub fn d1_dir(&self) -> PathBuf {
        self.persist_dir.join("v3/d1")
    }

    /// Stops wrangler and workerd (TERM to the group, KILL what is left after 5 s).
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let group = format!("-{}", child.id());
        let _ = Command::new("kill")
            .args(["-TERM", "--", &group])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            thread::sleep(Duration::from_millis(100));
        }
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = child.wait();
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The bearer routes of one server.
#[derive(Clone)]
pub struct Api {
    base: String,
    secret: String,
    agent: ureq::Agent,
}

impl Api {
    pub fn new(base: &str, secret: &str) -> Api {
        Api {
            base: base.trim_end_matches('/').to_string(),
            secret: secret.to_string(),
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(30))
                .build(),
        }
    }

    pub fn health(&self) -> bool {
        self.agent
            .get(&format!("{}/health", self.base))
            .timeout(Duration::from_secs(2))
            .call()
            .is_ok()
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, ServerError> {
        let req = self
            .agent
            .request(method, &format!("{}{path}", self.base))
            .set("Authorization", &format!("Bearer {}", self.secret));
        let res = match body {
            Some(b) => req.send_json(b.clone()),
            None => req.call(),
        };
        match res {
            Ok(r) => r.into_json().map_err(|e| ServerError::Transport {
                method: method.into(),
                path: path.into(),
                err: e.to_string(),
            }),
            Err(ureq::Error::Status(status, r)) => Err(ServerError::Http {
                method: method.into(),
                path: path.into(),
                status,
                body: r.into_string().unwrap_or_default(),
            }),
            Err(e) => Err(ServerError::Transport {
                method: method.into(),
                path: path.into(),
                err: e.to_string(),
            }),
        }
    }

    /// `POST …/init {manifest, roster}`.
    pub fn init(&self, game: &str, body: &Value) -> Result<Value, ServerError> {
        self.call(
            "POST",
            &format!("/parties/game-server/{game}/init"),
            Some(body),
        )
    }

    /// `POST …/admin` with one admin body (`{"type":"NEXT_STAGE"}` …).
    pub fn admin(&self, game: &str, body: &Value) -> Result<Value, ServerError> {
        self.call(
            "POST",
            &format!("/parties/game-server/{game}/admin"),
            Some(body),
        )
    }

    /// The operator's `GET …/state`.
    pub fn state(&self, game: &str) -> Result<Value, ServerError> {
        self.call("GET", &format!("/parties/game-server/{game}/state"), None)
    }
}
