//! Evidence from outside the journal (docs/audit.md): signed checkpoints (`verify --checkpoint`)
//! and players' receipts (`receipt-check`). Each is compared with the journal; a signed statement
//! the journal contradicts is a fork (exit 5), and two signed checkpoints that contradict each
//! other are printed as proof of equivocation.

use crate::cli::{EXIT_BAD_INPUT, EXIT_FORK, EXIT_OK, EXIT_TAMPERED};
use crate::source::Journal;
use pecking_order::checkpoint::{Checkpoint, PublicKey, SeedField, SignedNote};
use pecking_order::journal::Hash;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Reads `--key`: a verifier key, or a file holding one (as `GET /checkpoint-key` serves it).
pub fn read_key(arg: &str) -> Result<PublicKey, String> {
    let text = if Path::new(arg).is_file() {
        std::fs::read_to_string(arg).map_err(|e| format!("cannot read the key file {arg}: {e}"))?
    } else {
        arg.to_string()
    };
    PublicKey::parse(text.trim()).map_err(|e| format!("--key {arg}: {e}"))
}

/// A checkpoint file, read and verified.
struct Read {
    path: PathBuf,
    text: String,
    cp: Checkpoint,
}

fn read_checkpoint(path: &Path, key: &PublicKey) -> Result<Read, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("checkpoint {shown}: cannot read it: {e}"))?;
    let note = SignedNote::parse(&text).map_err(|e| format!("checkpoint {shown}: {e}"))?;
    let cp = note
        .verify(key)
        .map_err(|e| format!("checkpoint {shown}: {e} (key {key})"))?;
    Ok(Read {
        path: path.to_path_buf(),
        text,
        cp,
    })
}

/// Checks every `--checkpoint` against the key and the journal. Exit 4 for a file that cannot be
/// used (unreadable, not a signed note, another key, another game, a seq past the journal's
/// end); 5 when the journal has another head at a signed seq, or two checkpoints equivocate.
pub fn check_checkpoints(
    j: &Journal,
    files: &[PathBuf],
    key: Option<&str>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let Some(key) = key else {
        let _ = writeln!(err, "error: --checkpoint needs --key (GET /checkpoint-key)");
        return EXIT_BAD_INPUT;
    };
    let key = match read_key(key) {
        Ok(k) => k,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let mut read = Vec::new();
    for f in files {
        match read_checkpoint(f, &key) {
            Ok(r) => read.push(r),
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                return EXIT_BAD_INPUT;
            }
        }
    }
    // Two signed statements about one seq of one game with different heads: proof on their own.
    for (i, a) in read.iter().enumerate() {
        if let Some(b) = read[i + 1..].iter().find(|b| {
            b.cp.game_id == a.cp.game_id && b.cp.seq == a.cp.seq && b.cp.head != a.cp.head
        }) {
            let _ = writeln!(
                err,
                "FORK: equivocation: two checkpoints signed by {} for game {} seq {} state different heads ({} in {}, {} in {}); together they prove that two histories were published:",
                key.name,
                a.cp.game_id,
                a.cp.seq,
                a.cp.head,
                a.path.display(),
                b.cp.head,
                b.path.display()
            );
            for r in [a, b] {
                let _ = writeln!(err, "--- {}", r.path.display());
                let _ = write!(err, "{}", r.text);
            }
            return EXIT_FORK;
        }
    }
    let last = j.entries.last().map_or(0, |e| e.seq);
    for r in &read {
        let shown = r.path.display();
        if r.cp.game_id != j.game_id {
            let _ = writeln!(
                err,
                "error: checkpoint {shown} is for game {}, the journal is game {}",
                r.cp.game_id, j.game_id
            );
            return EXIT_BAD_INPUT;
        }
        if r.cp.seq > last {
            let _ = writeln!(
                err,
                "error: checkpoint {shown} is signed for seq {} but the journal ends at seq {last}: the export is older than the checkpoint, or the journal lost its last entries",
                r.cp.seq
            );
            return EXIT_BAD_INPUT;
        }
        let at =
            r.cp.seq
                .checked_sub(1)
                .and_then(|i| j.entries.get(i as usize));
        let ok = match at {
            Some(e) => e.hash == r.cp.head,
            // seq 0: a checkpoint of the empty journal names the genesis hash.
            None => r.cp.head == pecking_order::journal::genesis_hash(&j.game_id),
        };
        if !ok {
            let _ = writeln!(
                err,
                "FORK: checkpoint {shown}, signed by {}, states head {} at seq {}; the journal has {} there: the journal was rewritten after the checkpoint was signed (a re-derived history)",
                key.name,
                r.cp.head,
                r.cp.seq,
                at.map_or_else(|| "-".to_string(), |e| e.hash.to_string())
            );
            return EXIT_FORK;
        }
        let seed = match r.cp.seed {
            SeedField::Commitment(_) => "seed committed",
            SeedField::Revealed(_) => "seed revealed",
        };
        let _ = writeln!(
            out,
            "checkpoint: {shown} OK, signed by {}: seq {} head {} (day {}, {seed}, {})",
            key.name, r.cp.seq, r.cp.head, r.cp.day, r.cp.engine
        );
    }
    EXIT_OK
}

/// One receipt: the seq and head an ACK (or a journaled refusal's ERROR) carried.
#[derive(Debug)]
struct Receipt {
    seq: u64,
    head: Hash,
    game: Option<String>,
    from: String,
}

/// Reads receipts: JSON lines or a JSON array of objects with `seq` and `head` (saved ACK
/// frames work as they are; `gameId`, when present, is checked).
fn read_receipts(path: &Path) -> Result<Vec<Receipt>, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("receipts {shown}: cannot read them: {e}"))?;
    let values: Vec<(String, serde_json::Value)> = match serde_json::from_str(&text) {
        Ok(serde_json::Value::Array(a)) => a
            .into_iter()
            .enumerate()
            .map(|(i, v)| (format!("{shown} item {}", i + 1), v))
            .collect(),
        Ok(v) => vec![(format!("{shown}"), v)],
        Err(_) => {
            let mut out = Vec::new();
            for (i, l) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                let v = serde_json::from_str(l)
                    .map_err(|e| format!("receipts {shown}: line {}: {e}", i + 1))?;
                out.push((format!("{shown} line {}", i + 1), v));
            }
            out
        }
    };
    let mut out = Vec::new();
    for (from, v) in values {
        let seq = v.get("seq").and_then(|s| s.as_u64());
        let head = v
            .get("head")
            .and_then(|h| h.as_str())
            .and_then(Hash::from_hex);
        let (Some(seq), Some(head)) = (seq, head) else {
            return Err(format!(
                "receipts {from}: a receipt is an object with seq (a number) and head (64 hex)"
            ));
        };
        let game = v.get("gameId").and_then(|g| g.as_str()).map(String::from);
        out.push(Receipt {
            seq,
            head,
            game,
            from,
        });
    }
    if out.is_empty() {
        return Err(format!("receipts {shown}: no receipt in the file"));
    }
    Ok(out)
}

/// `receipt-check`: every receipt's seq must hold its head in the journal. 5 when the journal
/// has another entry there (the room acknowledged a history the journal no longer is), 2 when
/// the journal ends before it (entries the room acknowledged are gone), 4 for unusable files.
pub fn receipt_check(
    j: &Journal,
    head: Hash,
    files: &[PathBuf],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut receipts = Vec::new();
    for f in files {
        match read_receipts(f) {
            Ok(r) => receipts.extend(r),
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                return EXIT_BAD_INPUT;
            }
        }
    }
    let last = j.entries.last().map_or(0, |e| e.seq);
    for r in &receipts {
        if let Some(g) = r.game.as_deref().filter(|g| *g != j.game_id) {
            let _ = writeln!(
                err,
                "error: receipt {} is for game {g}, the journal is game {}",
                r.from, j.game_id
            );
            return EXIT_BAD_INPUT;
        }
        let Some(e) = r.seq.checked_sub(1).and_then(|i| j.entries.get(i as usize)) else {
            let _ = writeln!(
                err,
                "TAMPERED: receipt {} acknowledges seq {} with head {}, but the journal ends at seq {last}: entries the room acknowledged are missing",
                r.from, r.seq, r.head
            );
            return EXIT_TAMPERED;
        };
        if e.hash != r.head {
            let _ = writeln!(
                err,
                "FORK: receipt {} acknowledges seq {} with head {}; the journal has {} there ({} by {}, {}): the history was rewritten after the room acknowledged it",
                r.from,
                r.seq,
                r.head,
                e.hash,
                e.typ,
                e.actor,
                e.verdict.to_wire()
            );
            return EXIT_FORK;
        }
        let _ = writeln!(
            out,
            "receipt: seq {} head {} OK: {} by {}, {} (payload {})",
            r.seq,
            r.head,
            e.typ,
            e.actor,
            e.verdict.to_wire(),
            e.payload
        );
    }
    let _ = writeln!(out, "OK {head}");
    EXIT_OK
}
