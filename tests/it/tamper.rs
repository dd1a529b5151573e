//! Tampering with a journal is detected, and the right entry is named.
//!
//! For a generated game, every entry and every hashed field (game_id, seq, at_ms, day, kind, actor,
//! type, payload, verdict, facts, engine, v, prev_hash, hash) is changed, one byte or one value at
//! a time, and `journal::verify` must report `ChainError::Broken` at exactly that entry:
//!
//! | changed field | `field` reported | `index` | `seq` reported |
//! |---|---|---|---|
//! | game_id | `GameId` | the entry's position | the entry's seq |
//! | seq | `Seq` | the entry's position | the seq that position requires, i.e. the entry's original seq (not the changed value in the row) |
//! | prev_hash | `PrevHash` | the entry's position | the entry's seq |
//! | hash | `Hash` (its own recomputation fails first; the next entry's broken link is never reached) | the entry's position | the entry's seq |
//! | any other hashed field | `Hash` | the entry's position | the entry's seq |
//!
//! `Room::replay` refuses the same journals with `RoomError::Chain` naming the same seq (the one
//! the row's position requires; `replay_names_the_required_seq_for_a_rewritten_seq`).
//!
//! Row-level edits (delete, swap, append a forged row) are checked too. A forged row appended with
//! the correct `prev_hash` and a recomputed `hash` *is* a valid chain — the chain proves integrity
//! of what was written, not that the engine wrote it — so for those the test asserts that
//! `Room::replay` refuses the journal (`Diverged`), i.e. the replay catches what the chain cannot.

use pecking_order::journal::row::Column;
use pecking_order::journal::{self, ChainError, Entry, EntryKind, Field, Hash, Verdict};
use pecking_order::room::{Room, RoomError};
use pecking_order::sim::{self, SimConfig};

const GAME: &str = "tamper-game";

fn game() -> Vec<Entry> {
    let (_, entries) = sim::play(&SimConfig {
        game_id: GAME.into(),
        players: 5,
        days: 2,
        actions_per_step: 2,
        script_seed: 11,
        game_seed: [5; 32],
        rules_version: pecking_order::engine::RULES_VERSION,
    });
    journal::verify(GAME, &entries).expect("the untampered journal verifies");
    assert!(
        entries.iter().any(|e| !e.verdict.is_accepted()),
        "the game should include rejected entries"
    );
    entries
}

/// Replaces the byte at `pos` of an ASCII-compatible string by another ASCII byte, keeping UTF-8
/// valid (a non-ASCII byte is replaced together with its whole character).
/// The seq at which replaying `j` with `seed` refuses a broken chain; panics on any other outcome.
#[track_caller]
fn replay_chain_break(j: &[Entry], seed: Option<[u8; 32]>) -> u64 {
    match Room::replay(GAME, j, seed) {
        Err(RoomError::Chain { seq, .. }) => seq,
        other => panic!("replay must refuse the broken chain, got {other:?}"),
    }
}

/// The seq and reason at which replaying `j` (no seed) diverges from what it recorded; panics on
/// any other outcome.
#[track_caller]
fn replay_divergence(j: &[Entry]) -> (u64, String) {
    match Room::replay(GAME, j, None) {
        Err(RoomError::Diverged { seq, why }) => (seq, why),
        other => panic!("replay must refuse the forged journal, got {other:?}"),
    }
}

fn change_byte(s: &str, pos: usize) -> String {
    if s.is_empty() {
        return "x".into();
    }
    let pos = pos.min(s.len() - 1);
    let start = (0..=pos)
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0);
    let ch = s[start..].chars().next().unwrap();
    let new = if ch == 'x' { 'y' } else { 'x' };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..start]);
    out.push(new);
    out.push_str(&s[start + ch.len_utf8()..]);
    assert_ne!(out, s);
    out
}

/// Positions to change in a string field: first, middle and last byte.
fn positions(s: &str) -> Vec<usize> {
    let mut p = vec![0, s.len() / 2, s.len().saturating_sub(1)];
    p.dedup();
    p
}

/// Every single-bit change of each byte of a big-endian integer: one variant per byte.
fn flip_each_byte_u64(x: u64) -> Vec<u64> {
    (0..8).map(|b| x ^ (1u64 << (8 * b + b))).collect()
}

fn flip_each_byte_u32(x: u32) -> Vec<u32> {
    (0..4).map(|b| x ^ (1u32 << (8 * b + b))).collect()
}

fn flip_hash(h: Hash, byte: usize) -> Hash {
    let mut b = h.0;
    b[byte] ^= 0x01;
    Hash(b)
}

/// One named tampering of one entry.
struct Tamper {
    field: Column,
    /// The field `verify` must report.
    expect: Field,
    entry: Entry,
}

fn tamperings(e: &Entry) -> Vec<Tamper> {
    let mut out = Vec::new();
    let mut push = |field: Column, expect: Field, f: &dyn Fn(&mut Entry)| {
        let mut t = e.clone();
        f(&mut t);
        assert_ne!(&t, e, "tampering {field} must change the entry");
        out.push(Tamper {
            field,
            expect,
            entry: t,
        });
    };
    for p in positions(&e.game_id) {
        push(Column::GameId, Field::GameId, &|t| {
            t.game_id = change_byte(&t.game_id, p)
        });
    }
    push(Column::GameId, Field::GameId, &|t| t.game_id.push('x'));
    for v in flip_each_byte_u64(e.seq)
        .into_iter()
        .chain([e.seq + 1, e.seq.wrapping_sub(1), 0])
    {
        if v != e.seq {
            push(Column::Seq, Field::Seq, &|t| t.seq = v);
        }
    }
    for v in flip_each_byte_u64(e.at_ms as u64)
        .into_iter()
        .map(|v| v as i64)
        .chain([e.at_ms + 1, e.at_ms - 1, -e.at_ms])
    {
        push(Column::AtMs, Field::Hash, &|t| t.at_ms = v);
    }
    for v in flip_each_byte_u32(e.day).into_iter().chain([e.day + 1]) {
        push(Column::Day, Field::Hash, &|t| t.day = v);
    }
    for k in [
        EntryKind::Action,
        EntryKind::Alarm,
        EntryKind::System,
        EntryKind::Admin,
    ] {
        if k != e.kind {
            push(Column::Kind, Field::Hash, &|t| t.kind = k);
        }
    }
    for p in positions(&e.actor) {
        push(Column::Actor, Field::Hash, &|t| {
            t.actor = change_byte(&t.actor, p)
        });
    }
    for p in positions(&e.typ) {
        push(Column::Type, Field::Hash, &|t| {
            t.typ = change_byte(&t.typ, p)
        });
    }
    for p in positions(&e.payload) {
        push(Column::Payload, Field::Hash, &|t| {
            t.payload = change_byte(&t.payload, p)
        });
    }
    push(Column::Payload, Field::Hash, &|t| t.payload.push(' '));
    match &e.verdict {
        Verdict::Accepted => push(Column::Verdict, Field::Hash, &|t| {
            t.verdict = Verdict::Rejected("WRONG_PHASE".into())
        }),
        Verdict::Rejected(code) => {
            push(Column::Verdict, Field::Hash, &|t| {
                t.verdict = Verdict::Accepted
            });
            for p in positions(code) {
                push(Column::Verdict, Field::Hash, &|t| {
                    t.verdict = Verdict::Rejected(change_byte(code, p))
                });
            }
        }
    }
    for p in positions(&e.facts) {
        push(Column::Facts, Field::Hash, &|t| {
            t.facts = change_byte(&t.facts, p)
        });
    }
    for p in positions(&e.engine) {
        push(Column::Engine, Field::Hash, &|t| {
            t.engine = change_byte(&t.engine, p)
        });
    }
    for v in flip_each_byte_u32(e.v) {
        push(Column::V, Field::Hash, &|t| t.v = v);
    }
    for b in [0, 15, 31] {
        push(Column::PrevHash, Field::PrevHash, &|t| {
            t.prev_hash = flip_hash(t.prev_hash, b)
        });
        push(Column::Hash, Field::Hash, &|t| {
            t.hash = flip_hash(t.hash, b)
        });
    }
    out
}

#[test]
fn every_changed_field_of_every_entry_is_named() {
    let entries = game();
    let mut checked = 0;
    let mut fields_seen = std::collections::BTreeSet::new();
    for (i, original) in entries.iter().enumerate() {
        for t in tamperings(original) {
            let mut j = entries.clone();
            j[i] = t.entry.clone();
            let err = journal::verify(GAME, &j).expect_err(&format!(
                "tampered {} of seq {} went unnoticed",
                t.field, original.seq
            ));
            assert_eq!(
                err,
                ChainError::Broken {
                    index: i,
                    seq: original.seq,
                    field: t.expect
                },
                "tampered {} of seq {} (position {i})",
                t.field,
                original.seq
            );
            // The replay refuses the same journal at the same row (it checks the chain as it folds).
            match Room::replay(GAME, &j, Some([5; 32])) {
                Err(RoomError::Chain { seq, .. }) => assert_eq!(
                    seq, original.seq,
                    "replay, tampered {} of seq {}",
                    t.field, original.seq
                ),
                other => panic!(
                    "replay of tampered {} of seq {} gave {other:?}",
                    t.field, original.seq
                ),
            }
            fields_seen.insert(t.field);
            checked += 1;
        }
    }
    assert_eq!(
        fields_seen,
        Column::ALL.into_iter().collect(),
        "every hashed field was tampered with"
    );
    assert!(checked > entries.len() * Column::ALL.len());
}

#[test]
fn changing_a_hash_names_that_entry_not_the_next() {
    let entries = game();
    for i in 0..entries.len() - 1 {
        let mut j = entries.clone();
        j[i].hash = flip_hash(j[i].hash, 7);
        // Entry i+1's prev_hash no longer matches either, but verify stops at i.
        assert_eq!(
            journal::verify(GAME, &j),
            Err(ChainError::Broken {
                index: i,
                seq: entries[i].seq,
                field: Field::Hash
            })
        );
        // Re-sealing the changed entry's successor on top of the wrong hash still names entry i.
        j[i + 1] = j[i + 1].clone().seal(j[i].hash);
        assert_eq!(
            journal::verify(GAME, &j),
            Err(ChainError::Broken {
                index: i,
                seq: entries[i].seq,
                field: Field::Hash
            })
        );
    }
}

#[test]
fn bytes_moved_between_adjacent_fields_are_detected() {
    // The length prefixes make field boundaries part of the hash: moving a byte from one string
    // field into the next keeps the concatenation the same but changes the canonical bytes.
    let entries = game();
    let e = entries
        .iter()
        .find(|e| e.kind == EntryKind::Action)
        .unwrap()
        .clone();
    let mut t = e.clone();
    let last = t.actor.pop().unwrap();
    t.typ.insert(0, last);
    assert_ne!(journal::canonical_bytes(&t), journal::canonical_bytes(&e));
    assert_ne!(t.compute_hash(), e.hash);
    let mut t = e.clone();
    let last = t.payload.pop().unwrap();
    t.facts.insert(0, last);
    assert_ne!(t.compute_hash(), e.hash);
    let mut t = e.clone();
    t.engine.insert(0, t.facts.pop().unwrap());
    assert_ne!(t.compute_hash(), e.hash);
}

#[test]
fn deleting_a_row_names_the_gap() {
    let entries = game();
    let n = entries.len();
    for i in 0..n - 1 {
        let mut j = entries.clone();
        j.remove(i);
        // The row now at position i carries seq i+2: a gap, named by the seq the position
        // requires, which is the deleted row's seq.
        assert_eq!(
            journal::verify(GAME, &j),
            Err(ChainError::Broken {
                index: i,
                seq: entries[i].seq,
                field: Field::Seq
            }),
            "deleted seq {}",
            entries[i].seq
        );
        // Renumbering the rows after the gap does not help: the link is broken at the same row.
        for (k, e) in j.iter_mut().enumerate().skip(i) {
            e.seq = k as u64 + 1;
        }
        let err = journal::verify(GAME, &j).unwrap_err();
        assert!(
            matches!(err, ChainError::Broken { index, field: Field::PrevHash | Field::Hash, .. } if index == i),
            "{err:?}"
        );
    }
    // Deleting the last row leaves a valid, shorter chain: truncation is invisible to the chain
    // alone. It is caught by comparing the head with one published earlier (day heads, the last
    // head a client saw) and by the missing seed reveal: the replayed game has not ended.
    let j = &entries[..n - 1];
    assert_eq!(journal::verify(GAME, j), Ok(entries[n - 2].hash));
    assert_ne!(journal::verify(GAME, j), journal::verify(GAME, &entries));
    let room = Room::replay(GAME, j, Some([5; 32])).unwrap();
    assert!(
        !room.state().unwrap().seed_revealed,
        "a truncated game lacks its seed reveal"
    );
}

#[test]
fn swapping_two_rows_names_the_first_swapped_position() {
    let entries = game();
    for i in 0..entries.len() - 1 {
        let mut j = entries.clone();
        j.swap(i, i + 1);
        assert_eq!(
            journal::verify(GAME, &j),
            Err(ChainError::Broken {
                index: i,
                seq: entries[i].seq,
                field: Field::Seq
            })
        );
        // Swapping the seq numbers too: the link (prev_hash) gives it away at the same position.
        let (a, b) = (j[i].seq, j[i + 1].seq);
        j[i].seq = b;
        j[i + 1].seq = a;
        let err = journal::verify(GAME, &j).unwrap_err();
        assert!(
            matches!(err, ChainError::Broken { index, field: Field::PrevHash, .. } if index == i),
            "{err:?}"
        );
    }
    // Swapping two non-adjacent rows.
    let mut j = entries.clone();
    j.swap(2, 9);
    assert_eq!(
        journal::verify(GAME, &j),
        Err(ChainError::Broken {
            index: 2,
            seq: entries[2].seq,
            field: Field::Seq
        })
    );
}

/// A forged row for seq `n+1`: a copy of an accepted vote, re-dated, with the given prev_hash.
fn forged_vote(entries: &[Entry], prev: Hash) -> Entry {
    let last = entries.last().unwrap();
    let vote = entries
        .iter()
        .find(|e| e.typ == "VOTE.MAJORITY.CAST" && e.verdict.is_accepted())
        .expect("an accepted vote");
    Entry {
        seq: last.seq + 1,
        at_ms: last.at_ms + 1,
        day: last.day,
        ..vote.clone()
    }
    .seal(prev)
}

#[test]
fn appended_row_with_wrong_prev_hash_is_named() {
    let entries = game();
    let n = entries.len();
    for prev in [
        Hash::default(),
        entries[n - 2].hash,
        journal::genesis_hash(GAME),
    ] {
        let mut j = entries.clone();
        let forged = forged_vote(&entries, prev);
        assert_eq!(
            forged.compute_hash(),
            forged.hash,
            "the forged row's own hash is correct"
        );
        j.push(forged);
        assert_eq!(
            journal::verify(GAME, &j),
            Err(ChainError::Broken {
                index: n,
                seq: n as u64 + 1,
                field: Field::PrevHash
            })
        );
        assert_eq!(replay_chain_break(&j, None), n as u64 + 1);
    }
}

#[test]
fn appended_row_with_correct_link_verifies_but_replay_diverges() {
    let entries = game();
    let n = entries.len();
    let head = entries[n - 1].hash;

    // 1. A vote cast after the game ended, recorded as ACCEPTED with a VOTE_CAST fact.
    let mut j = entries.clone();
    j.push(forged_vote(&entries, head));
    assert_eq!(
        journal::verify(GAME, &j),
        Ok(j[n].hash),
        "a correctly linked forged row is a valid chain"
    );
    let (seq, why) = replay_divergence(&j);
    assert_eq!(seq, n as u64 + 1);
    assert!(why.contains("verdict"), "{why}");

    // 2. An operator credit the engine would accept, with forged facts (a bigger balance).
    let mut j = entries.clone();
    let credit = Entry {
        game_id: GAME.into(),
        seq: n as u64 + 1,
        at_ms: entries[n - 1].at_ms,
        day: entries[n - 1].day,
        kind: EntryKind::Admin,
        actor: "ADMIN".into(),
        typ: "ADMIN.CREDIT_SILVER".into(),
        payload: r#"{"rewards":{"p1":5}}"#.into(),
        verdict: Verdict::Accepted,
        facts: r#"[{"type":"SILVER","playerId":"p1","delta":5000,"balanceAfter":999999,"reason":"ADMIN_CREDIT"}]"#.into(),
        engine: entries[n - 1].engine.clone(),
        v: entries[n - 1].v,
        prev_hash: Hash::default(),
        hash: Hash::default(),
    }
    .seal(head);
    j.push(credit);
    assert!(journal::verify(GAME, &j).is_ok());
    let (seq, why) = replay_divergence(&j);
    assert_eq!(seq, n as u64 + 1);
    assert!(why.contains("facts"), "{why}");

    // 3. A payload that is not a command at all.
    let mut j = entries.clone();
    let junk = Entry {
        payload: r#"{"nonsense":true}"#.into(),
        ..forged_vote(&entries, head)
    }
    .seal(head);
    j.push(junk);
    assert!(journal::verify(GAME, &j).is_ok());
    assert_eq!(replay_divergence(&j).0, n as u64 + 1);
}

#[test]
fn rewriting_history_with_a_recomputed_chain_is_caught_by_replay() {
    // The strongest forgery: change a mid-game row (a rejected vote recorded as accepted) and
    // re-seal every following row. The chain verifies; only the replay (or a head published
    // earlier) shows the rewrite.
    let entries = game();
    let k = entries
        .iter()
        .position(|e| e.typ == "VOTE.MAJORITY.CAST" && !e.verdict.is_accepted())
        .expect("a rejected vote");
    let mut j = entries.clone();
    j[k].verdict = Verdict::Accepted;
    let mut prev = if k == 0 {
        journal::genesis_hash(GAME)
    } else {
        j[k - 1].hash
    };
    for e in j.iter_mut().skip(k) {
        *e = e.clone().seal(prev);
        prev = e.hash;
    }
    assert!(journal::verify(GAME, &j).is_ok());
    assert_ne!(
        journal::verify(GAME, &j),
        journal::verify(GAME, &entries),
        "the head changed"
    );
    assert_eq!(replay_divergence(&j).0, entries[k].seq);
}

/// `Room::apply_recorded` and `journal::verify` both name a chain break by the seq the row's
/// position requires, so a rewritten `seq` column (5 made 6) is reported as 5, the altered row.
#[test]
fn replay_names_the_required_seq_for_a_rewritten_seq() {
    let entries = game();
    let mut j = entries.clone();
    j[4].seq = 6;
    assert_eq!(
        journal::verify(GAME, &j),
        Err(ChainError::Broken {
            index: 4,
            seq: 5,
            field: Field::Seq
        })
    );
    assert_eq!(
        replay_chain_break(&j, Some([5; 32])),
        5,
        "replay should name the altered row like verify does"
    );
}

#[test]
fn a_journal_verified_under_another_game_id_fails_at_entry_one() {
    let entries = game();
    assert_eq!(
        journal::verify("other-game", &entries),
        Err(ChainError::Broken {
            index: 0,
            seq: 1,
            field: Field::GameId
        })
    );
    assert_eq!(journal::verify(GAME, &[]), Err(ChainError::Empty));
}
