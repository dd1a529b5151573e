//! Fuzz targets for what the room gained after the first fuzzers (docs/testing.md, "Fuzzing"):
//! D1 SQLite files given to `po-replay` (corrupted pages, wrong column types, missing tables),
//! signed checkpoint notes and verifier keys (`po-replay verify --checkpoint/--key`), receipts
//! (`po-replay receipt-check`), and the resume query (`&delta=1&v=…`).

use super::mutate;
use super::targets::{bare, State, NOW};
use pecking_order::checkpoint::CheckpointKey;
use pecking_order::journal::Entry;
use pecking_order::room::host::{Effect, Input, SocketId};
use pecking_order::room::host::{Host, HostConfig, Request};
use pecking_order::room::live::MemStore;
use pecking_order::room::{checkpoint_of, Room};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use std::sync::OnceLock;

/// A small game's journal, with a checkpoint, its signed note and the verifier key.
struct Signed {
    journal: Vec<Entry>,
    note: String,
    key: String,
}

fn signed() -> &'static Signed {
    static S: OnceLock<Signed> = OnceLock::new();
    S.get_or_init(|| {
        let (mut room, mut journal) =
            Room::create("fz", &super::init_body(), NOW, [5; 32]).expect("the fuzz game");
        let s = room.checkpoint(NOW + 1000).expect("a checkpoint");
        let cp = checkpoint_of(&s.entries[0]).expect("its checkpoint");
        journal.extend(s.entries);
        let key = CheckpointKey::from_secret(&"ab".repeat(32)).expect("a key");
        Signed {
            journal,
            note: key.sign(&cp),
            key: key.verifier_key(),
        }
    })
}

fn jsonl(entries: &[Entry]) -> String {
    entries
        .iter()
        .filter_map(|e| serde_json::to_string(e).ok())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `po-replay` with `args` (paths already written); its exit code must be one it
/// documents (0–5), never a panic.
fn replay(args: &[String]) -> Result<(), String> {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = pecking_order_replay::cli::run(args, &mut out, &mut err);
    if !(0..=5).contains(&code) {
        return Err(format!(
            "exit {code}: {}",
            String::from_utf8_lossy(&err)
                .chars()
                .take(300)
                .collect::<String>()
        ));
    }
    Ok(())
}

fn write(st: &State, ext: &str, bytes: &[u8]) -> Result<String, String> {
    let path = st.tmp.with_extension(ext);
    std::fs::write(&path, bytes).map_err(|e| format!("temp file: {e}"))?;
    Ok(path.display().to_string())
}

// ---------------------------------------------------------------------------------------------
// SQLite

/// SQL that breaks a D1 journal in one way a real file could be broken.
const SQL_DAMAGE: &[&str] = &[
    "DROP TABLE journal",
    "ALTER TABLE journal RENAME TO journal_old",
    "ALTER TABLE journal RENAME COLUMN payload TO body",
    "ALTER TABLE journal DROP COLUMN facts",
    "UPDATE journal SET seq = 'seven' WHERE rowid = 2",
    "UPDATE journal SET seq = 2.5 WHERE rowid = 2",
    "UPDATE journal SET seq = -1 WHERE rowid = 1",
    "UPDATE journal SET seq = 9223372036854775807 WHERE rowid = 2",
    "UPDATE journal SET hash = 12 WHERE rowid = 1",
    "UPDATE journal SET hash = X'00ff' WHERE rowid = 2",
    "UPDATE journal SET payload = X'80ff00' WHERE rowid = 1",
    "UPDATE journal SET payload = NULL WHERE rowid = 2",
    "UPDATE journal SET facts = '{' WHERE rowid = 1",
    "UPDATE journal SET game_id = NULL",
    "UPDATE journal SET prev_hash = 'zz'",
    "UPDATE journal SET at_ms = 'noon'",
    "UPDATE journal SET verdict = 42",
    "DELETE FROM journal WHERE rowid = 2",
    "DELETE FROM journal",
    "INSERT INTO journal SELECT * FROM journal WHERE rowid = 1",
    "CREATE TABLE other (x)",
    "UPDATE journal SET game_id = 'other' WHERE rowid > 2",
];

/// A D1 SQLite file: the fuzz game's journal written as D1 holds it, damaged by SQL (a table
/// or column missing or renamed, values of the wrong type) and/or in its bytes (pages
/// corrupted, the file cut).
pub(super) fn sqlite_input(rng: &mut ChaCha8Rng, _: &[Vec<u8>]) -> Vec<u8> {
    let path = std::env::temp_dir().join(format!(
        "po-fuzz-gen-{}-{}.sqlite",
        std::process::id(),
        rng.gen::<u32>()
    ));
    let _ = std::fs::remove_file(&path);
    if pecking_order_replay::export::write_sqlite(&path, &signed().journal).is_err() {
        return Vec::new();
    }
    if rng.gen_bool(0.6) {
        if let Ok(conn) = rusqlite::Connection::open(&path) {
            for _ in 0..rng.gen_range(1..=2) {
                let _ = conn.execute_batch(SQL_DAMAGE.choose(rng).copied().unwrap_or(""));
            }
        }
    }
    let mut bytes = std::fs::read(&path).unwrap_or_default();
    let _ = std::fs::remove_file(&path);
    if bytes.is_empty() || rng.gen_bool(0.4) {
        return bytes;
    }
    match rng.gen_range(0..4) {
        // Bytes flipped anywhere, the header included.
        0 => {
            for _ in 0..rng.gen_range(1..8) {
                let i = rng.gen_range(0..bytes.len());
                bytes[i] ^= 1 << rng.gen_range(0..8);
            }
        }
        // One page (4096 bytes) overwritten with garbage.
        1 => {
            let pages = bytes.len().div_ceil(4096);
            let p = rng.gen_range(0..pages);
            let end = ((p + 1) * 4096).min(bytes.len());
            for b in &mut bytes[p * 4096..end] {
                *b = rng.gen();
            }
        }
        // Cut short.
        2 => bytes.truncate(rng.gen_range(0..bytes.len())),
        // A b-tree page's header (the page type byte and cell count) overwritten.
        _ => {
            let pages = bytes.len().div_ceil(4096);
            let p = rng.gen_range(1..pages.max(2)).min(pages - 1);
            let at = p * 4096;
            for i in 0..8 {
                if let Some(b) = bytes.get_mut(at + i) {
                    *b = rng.gen();
                }
            }
        }
    }
    bytes
}

/// `po-replay verify FILE` and `po-replay history FILE` on a damaged D1 SQLite file: a typed
/// error (exit 4) or a verdict, never a panic.
pub(super) fn sqlite(st: &mut State, input: &[u8]) -> Result<(), String> {
    let path = write(st, "sqlite", input)?;
    let r = replay(&["verify".into(), path.clone()]);
    let _ = std::fs::remove_file(&path);
    r
}

// ---------------------------------------------------------------------------------------------
// Checkpoints, keys, receipts

/// The fuzz game's journal as JSON lines, its signed note and the verifier key (what the
/// `checkpoint` and `receipts` targets fuzz around).
pub fn checkpoint_fixture() -> (String, String, String) {
    let s = signed();
    (jsonl(&s.journal), s.note.clone(), s.key.clone())
}

/// The corpus of the `checkpoint` target: the signed note, then the verifier key.
pub fn checkpoint_corpus() -> Vec<Vec<u8>> {
    let s = signed();
    vec![s.note.clone().into_bytes(), s.key.clone().into_bytes()]
}

/// A note or a key (the corpus' two documents, mutated in their bytes or their lines).
pub(super) fn checkpoint_input(rng: &mut ChaCha8Rng, corpus: &[Vec<u8>]) -> Vec<u8> {
    let base = corpus.choose(rng).cloned().unwrap_or_default();
    let mut out = if rng.gen_bool(0.5) {
        mutate::input(rng, corpus, false)
    } else {
        // Line-wise: a line dropped, duplicated, or one of its words swapped for another's.
        let text = String::from_utf8_lossy(&base).to_string();
        let mut lines: Vec<String> = text.split('\n').map(String::from).collect();
        let i = rng.gen_range(0..lines.len());
        match rng.gen_range(0..4) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => lines[i] = lines[i].replace(' ', "  "),
            _ => {
                let mut words: Vec<&str> = lines[i].split(' ').collect();
                words.shuffle(rng);
                lines[i] = words.join(" ");
            }
        }
        lines.join("\n").into_bytes()
    };
    // The first byte says what it is: N a note, K a key.
    out.insert(
        0,
        if base.starts_with(b"fz") || base.contains(&b'\n') {
            b'N'
        } else {
            b'K'
        },
    );
    out
}

/// `po-replay verify --checkpoint NOTE --key KEY` with one of them fuzzed: exit 0–5 (a bad
/// note or key is bad input, a contradicting one a fork), never a panic; the unfuzzed pair
/// verifies (exit 0).
pub(super) fn checkpoint(st: &mut State, input: &[u8]) -> Result<(), String> {
    let s = signed();
    let (what, body) = input.split_first().unwrap_or((&b'N', &[]));
    let journal = write(st, "jsonl", jsonl(&s.journal).as_bytes())?;
    let (note, key) = if *what == b'K' {
        (s.note.clone().into_bytes(), body.to_vec())
    } else {
        (body.to_vec(), s.key.clone().into_bytes())
    };
    let note_path = st.tmp.with_extension("note");
    std::fs::write(&note_path, &note).map_err(|e| format!("temp file: {e}"))?;
    let key = String::from_utf8_lossy(&key).to_string();
    // A key that names no file and is not a flag is passed as the key itself.
    let key_arg = if key.starts_with('-') || key.is_empty() {
        format!(" {key}")
    } else {
        key
    };
    let r = replay(&[
        "verify".into(),
        journal.clone(),
        "--checkpoint".into(),
        note_path.display().to_string(),
        "--key".into(),
        key_arg,
    ]);
    let _ = std::fs::remove_file(&note_path);
    let _ = std::fs::remove_file(&journal);
    r
}

/// The corpus of the `receipts` target: the ACKs of the fuzz game's entries.
pub fn receipts_corpus() -> Vec<Vec<u8>> {
    let s = signed();
    let lines: Vec<String> = s
        .journal
        .iter()
        .map(|e| {
            serde_json::json!({ "type": "ACK", "gameId": "fz", "seq": e.seq, "head": e.hash.to_hex() })
                .to_string()
        })
        .collect();
    vec![
        lines.join("\n").into_bytes(),
        format!("[{}]", lines.join(",")).into_bytes(),
    ]
}

/// `po-replay receipt-check FILE --receipts R` with fuzzed receipts: exit 0–5, never a panic.
pub(super) fn receipts(st: &mut State, input: &[u8]) -> Result<(), String> {
    let journal = write(st, "jsonl", jsonl(&signed().journal).as_bytes())?;
    let receipts = st.tmp.with_extension("receipts");
    std::fs::write(&receipts, input).map_err(|e| format!("temp file: {e}"))?;
    let r = replay(&[
        "receipt-check".into(),
        journal.clone(),
        "--receipts".into(),
        receipts.display().to_string(),
    ]);
    let _ = std::fs::remove_file(&receipts);
    let _ = std::fs::remove_file(&journal);
    r
}

// ---------------------------------------------------------------------------------------------
// Resume

/// The resume query: `v` fuzzed (its bytes, or a version the room did or did not send).
pub(super) fn resume_input(rng: &mut ChaCha8Rng, corpus: &[Vec<u8>]) -> Vec<u8> {
    if rng.gen_bool(0.5) {
        return mutate::input(rng, corpus, false);
    }
    let v: i128 = match rng.gen_range(0..5) {
        0 => rng.gen_range(0..40),
        1 => -rng.gen_range(1..5),
        2 => i128::from(u64::MAX) + rng.gen_range(0..3),
        3 => rng.gen_range(0..4) * 1000,
        _ => rng.gen(),
    };
    v.to_string().into_bytes()
}

/// `GET …?token&delta=1&v=INPUT` for p1 of the fuzz room, after a change it was sent: the
/// first frame is a full SYNC, or a DELTA from exactly the version `v` names when the room
/// sent p1 that version (then it applies); never a 500 or a panic.
pub(super) fn resume(st: &mut State, input: &[u8]) -> Result<(), String> {
    let v = String::from_utf8_lossy(input).to_string();
    st.inputs += 1;
    // Two connects an input: past the connect bucket's refill (10 a minute) for p1.
    st.now += 13_000;
    if st.inputs.is_multiple_of(200) || st.host.is_none() {
        st.host = Some(resume_room(st.now));
    }
    let now = st.now;
    let host = st.host.as_mut().ok_or("no room")?;
    // p1's first socket, a change to its view (a message in MAIN), then it drops.
    let first = connect(host, now, None)?;
    let base = first
        .iter()
        .find_map(|f| {
            (f["type"] == "SYSTEM.SYNC")
                .then(|| f["v"].as_u64())
                .flatten()
        })
        .ok_or("no SYNC on a fresh connect")?;
    let msg = br#"{"type":"SOCIAL.SEND_MSG","content":"hi"}"#;
    let id = SocketId {
        player_id: "p1".into(),
        cid: "r1".into(),
        exp: now / 1000 + 3600,
        delta: true,
        v: None,
    };
    host.handle(
        now + 1,
        Input::Frame {
            socket: "r1".into(),
            identity: Some(id.clone()),
            data: msg.to_vec(),
        },
    );
    host.handle(
        now + 2,
        Input::SocketGone {
            socket: "r1".into(),
            identity: Some(id),
            echo: false,
        },
    );
    let frames = connect(host, now + 3, Some(&v))?;
    let head = frames.first().ok_or("no frame on connect")?;
    match head["type"].as_str() {
        Some("SYSTEM.SYNC") => Ok(()),
        Some("SYSTEM.DELTA") => {
            let asked = v.parse::<u64>().ok();
            if asked.is_none() || head["base"].as_u64() != asked {
                return Err(format!("a DELTA from {} for v={v:?}", head["base"]));
            }
            if asked == Some(base) {
                let state = first
                    .iter()
                    .find(|f| f["type"] == "SYSTEM.SYNC")
                    .map(|f| f["state"].clone())
                    .unwrap_or_default();
                let patch: json_patch::Patch = serde_json::from_value(head["ops"].clone())
                    .map_err(|e| format!("the delta's ops: {e}"))?;
                let mut doc = state;
                json_patch::patch(&mut doc, &patch)
                    .map_err(|e| format!("the resume delta does not apply: {e}"))?;
            }
            Ok(())
        }
        other => Err(format!("first frame on connect: {other:?}")),
    }
}

/// Connects p1 with `delta=1` (and `v`), then closes it; the frames it was sent.
fn connect(host: &mut Host<MemStore>, now: i64, v: Option<&str>) -> Result<Vec<Value>, String> {
    let token = pecking_order::room::token::mint(
        TOKEN.as_bytes(),
        &pecking_order::room::token::Claims {
            sub: "u1".into(),
            game_id: GAME.into(),
            player_id: "p1".into(),
            exp: now / 1000 + 3600,
        },
    );
    let mut req = req("GET", "", b"");
    req.upgrade = "websocket".into();
    req.query = vec![("token".into(), token), ("delta".into(), "1".into())];
    if let Some(v) = v {
        req.query.push(("v".into(), v.to_string()));
    }
    let fx = host.handle(now, Input::Http(req));
    let mut socket = None;
    let mut frames = Vec::new();
    for e in &fx {
        match e {
            Effect::Accept {
                socket: s,
                identity: Some(id),
            } => socket = Some((s.clone(), id.clone())),
            Effect::Send { text, .. } => frames
                .push(serde_json::from_str::<Value>(text).map_err(|e| format!("a frame: {e}"))?),
            Effect::Reply { status: 500, .. } => return Err("500 on connect".into()),
            _ => {}
        }
    }
    if let Some((s, id)) = socket {
        host.handle(
            now,
            Input::SocketGone {
                socket: s,
                identity: Some(id),
                echo: false,
            },
        );
    }
    Ok(frames)
}

/// The setup of the targets that only write files.
pub(super) fn files() -> State {
    bare()
}

/// The resume target's room: secrets good enough for tokens (the other host targets' are not
/// needed there), on day 1 with MAIN open.
const AUTH: &str = "fuzz-auth-secret-0123456789abcdef-0123";
const TOKEN: &str = "fuzz-token-secret-0123456789abcdef-012";
const GAME: &str = "fzr";

fn req(method: &str, path: &str, body: &[u8]) -> Request {
    let mut r = Request::new(method, &format!("/parties/game-server/{GAME}{path}"));
    r.authorization = format!("Bearer {AUTH}");
    r.body = Ok(body.to_vec());
    r.seed = Ok([4; 32]);
    r
}

fn resume_room(now: i64) -> Host<MemStore> {
    let config = HostConfig::from_vars(AUTH.into(), |k| {
        (k == pecking_order::room::secrets::TOKEN_SECRET).then(|| TOKEN.to_string())
    });
    let mut host = Host::new(config, MemStore::default(), Vec::new());
    host.handle(now, Input::Http(req("POST", "/init", &super::init_body())));
    for action in ["START_DAY", "OPEN_GROUP_CHAT"] {
        let body = serde_json::json!({ "type": "INJECT_TIMELINE_EVENT", "action": action });
        host.handle(
            now,
            Input::Http(req("POST", "/admin", body.to_string().as_bytes())),
        );
    }
    host
}
