//! `explain`: a day's, an elimination's or the payouts' reasoning, as readable text. Ballots are
//! shown in full: once a vote is closed it is history, and the journal holds every vote.

use crate::history::{History, VoteRecord};
use pecking_order::engine::rng::commitment;
use pecking_order::engine::voting::{Outcome, Step};
use pecking_order::journal::Hash;
use std::fmt::Write;

/// RFC 3339 with milliseconds, UTC.
pub fn fmt_ms(ms: i64) -> String {
    match chrono::DateTime::from_timestamp_millis(ms) {
        Some(t) => t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        None => format!("{ms} ms"),
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_string()
    } else {
        items.join(", ")
    }
}

/// The deciding inputs of a vote's result, as the engine recorded them while it settled the vote
/// (`voting::Trail`, rebuilt by this replay): the candidates after the count, the silver that
/// settled a tie, the seeded draw (with the seed, checked against its commitment) — never a second
/// copy of the rules.
pub fn deciding_inputs(h: &History, v: &VoteRecord) -> Vec<String> {
    let mut out = Vec::new();
    let o = &v.outcome;
    let decided = o.winner.as_ref().or(o.eliminated.as_ref());
    let steps = &o.trail.steps;
    let mut after_note = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        match step {
            Step::Count {
                what,
                most,
                count,
                none_cast,
                candidates,
            } => {
                let extreme = if *most { "most" } else { "fewest" };
                out.push(match (candidates.as_slice(), none_cast) {
                    ([only], _) => format!(
                        "{only} had the {extreme} {what}s ({count}): no tie-break was needed"
                    ),
                    (_, true) => format!(
                        "no {what}s were cast: every eligible target is a candidate: {}",
                        list(candidates)
                    ),
                    _ if *most => format!("tied on {count} {what}(s): {}", list(candidates)),
                    _ => format!(
                        "tied on the fewest {what}s ({count}): {}",
                        list(candidates)
                    ),
                });
            }
            Step::Pool { why, candidates } => {
                out.push(format!("candidates ({why}): {}", list(candidates)));
            }
            Step::Silver {
                highest,
                compared,
                kept,
            } => {
                let silver: Vec<String> = compared.iter().map(|(p, s)| format!("{p} {s}")).collect();
                out.push(format!("silver when voting opened: {}", silver.join(", ")));
                let word = if *highest { "highest" } else { "lowest" };
                let best = compared
                    .iter()
                    .find(|(p, _)| kept.first() == Some(p))
                    .map_or(0, |(_, s)| *s);
                out.push(match (kept.as_slice(), steps.get(i + 1)) {
                    ([only], _) => format!("{word} silver ({best}): {only} — decided by silver"),
                    (_, Some(Step::RosterOrder { chosen })) => format!(
                        "still tied on {word} silver ({best}): {} → earliest in roster order: {chosen}",
                        kept.join(", ")
                    ),
                    _ => format!(
                        "still tied on {word} silver ({best}): {} (roster order)",
                        kept.join(", ")
                    ),
                });
            }
            Step::RosterOrder { chosen } => {
                // Printed with the silver comparison it ends, when there is one.
                if !matches!(i.checked_sub(1).and_then(|k| steps.get(k)), Some(Step::Silver { .. })) {
                    out.push(format!("still tied: earliest in roster order: {chosen}"));
                }
            }
            Step::Draw {
                among,
                index,
                chosen,
            } => draw_lines(h, o, among, *index, chosen, decided, &mut out),
            Step::RunnerUp { winner, runner_up } => after_note.push(format!(
                "runner-up (most votes after the winner {winner}, then highest silver): {runner_up} leaves the game"
            )),
            Step::Note(text) => out.push(text.clone()),
        }
    }
    if let Some(t) = &o.tie_break {
        out.push(format!("engine's tie-break note: {t}"));
    }
    out.extend(after_note);
    out
}

/// A seeded draw as the engine made it, and the seed it came from (checked against the
/// commitment of entry 1).
fn draw_lines(
    h: &History,
    o: &Outcome,
    among: &[String],
    index: u64,
    chosen: &str,
    decided: Option<&String>,
    out: &mut Vec<String>,
) {
    let (seq, label) = o.trail.stream.unwrap_or((0, "vote"));
    let n = among.len();
    let agrees = if decided.is_some_and(|d| d == chosen) {
        " (matches the recorded result)"
    } else {
        ""
    };
    out.push(format!(
        "seeded draw: index = Rng::for_entry(seed, seq {seq}, \"{label}\").below({n}) = {index} → {chosen}{agrees}"
    ));
    let known = h
        .seed
        .map(|(at, s)| (format!("revealed at seq {at}"), s))
        .or_else(|| {
            h.seed_given.map(|s| {
                (
                    "given with --seed, not revealed in this journal".to_string(),
                    s,
                )
            })
        });
    if let Some((source, seed)) = known {
        out.push(format!("seed {} ({source})", Hash(seed).to_hex()));
        if let Some(c) = h.seed_commitment {
            let ok = if commitment(&seed) == c {
                "the seed matches it"
            } else {
                "the seed DOES NOT match it"
            };
            out.push(format!(
                "commitment published at seq 1: {} — {ok}",
                c.to_hex()
            ));
        }
    }
}

/// The full account of one closed vote.
pub fn vote_block(h: &History, v: &VoteRecord, out: &mut String) {
    let b = &v.ballot;
    let mech = v.outcome.mechanism.as_str();
    let _ = writeln!(out, "{mech} vote, day {}", v.day);
    if let (Some(s), Some(t)) = (v.opened_seq, v.opened_at_ms) {
        let _ = writeln!(out, "  opened:  seq {s} at {}", fmt_ms(t));
    }
    let _ = writeln!(out, "  voters:  {}", list(&b.voters));
    let _ = writeln!(out, "  targets: {}", list(&b.targets));
    let silver: Vec<String> = b
        .silver_at_open
        .iter()
        .map(|(p, s)| format!("{p} {s}"))
        .collect();
    let _ = writeln!(out, "  silver when voting opened: {}", list(&silver));
    let _ = writeln!(out, "  ballot (who voted for whom):");
    for voter in &b.voters {
        match b.votes.get(voter) {
            Some(target) => {
                let mine: Vec<_> = v
                    .attempts
                    .iter()
                    .filter(|a| &a.voter == voter && a.verdict.is_accepted())
                    .collect();
                let last = mine.iter().rev().find(|a| &a.target == target);
                let earlier: Vec<String> = mine
                    .iter()
                    .filter(|a| Some(a.seq) != last.map(|l| l.seq))
                    .map(|a| format!("{} at seq {}", a.target, a.seq))
                    .collect();
                let at = last.map_or(String::new(), |l| format!(" (seq {})", l.seq));
                let changed = if earlier.is_empty() {
                    String::new()
                } else {
                    format!("; earlier: {}", earlier.join(", "))
                };
                let _ = writeln!(out, "    {voter} → {target}{at}{changed}");
            }
            None => {
                let _ = writeln!(out, "    {voter}: did not vote");
            }
        }
    }
    // Votes that are in the ballot but whose voter is no longer listed (eliminated mid-vote) are
    // dropped by the engine; rejected attempts answer "my vote did not count".
    let rejected: Vec<String> = v
        .attempts
        .iter()
        .filter(|a| !a.verdict.is_accepted())
        .map(|a| {
            format!(
                "seq {} {} → {}: {}",
                a.seq,
                a.voter,
                a.target,
                a.verdict.to_wire()
            )
        })
        .collect();
    if !rejected.is_empty() {
        let _ = writeln!(out, "  rejected vote attempts:");
        for r in rejected {
            let _ = writeln!(out, "    {r}");
        }
    }
    let _ = writeln!(
        out,
        "  closed:  seq {} at {} by {}",
        v.closed_seq,
        fmt_ms(v.closed_at_ms),
        v.closed_by
    );
    let tallies: Vec<String> = v
        .outcome
        .tallies
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    let _ = writeln!(out, "  tallies: {}", list(&tallies));
    let _ = writeln!(out, "  decided by:");
    for line in deciding_inputs(h, v) {
        let _ = writeln!(out, "    {line}");
    }
    if let Some(w) = &v.outcome.winner {
        let _ = writeln!(out, "  winner: {}", h.player_name(w));
    }
    match &v.outcome.eliminated {
        Some(e) => {
            let _ = writeln!(out, "  eliminated: {}", h.player_name(e));
        }
        None => {
            let _ = writeln!(out, "  eliminated: nobody");
        }
    }
}

/// `explain --day N`. `Err` when the journal has no such day.
pub fn day(h: &History, n: u32) -> Result<String, String> {
    let Some(d) = h.day(n) else {
        let days: Vec<String> = h.days.iter().map(|d| d.day.to_string()).collect();
        return Err(format!(
            "no day {n} in this journal (days: {})",
            list(&days)
        ));
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Day {n} of game {} — {}",
        h.game_id,
        d.vote_type.as_deref().unwrap_or("no vote")
    );
    let _ = writeln!(
        out,
        "  started: seq {} at {}",
        d.start_seq,
        fmt_ms(d.start_at_ms)
    );
    match (d.end_seq, d.end_at_ms) {
        (Some(s), Some(t)) => {
            let _ = writeln!(out, "  ended:   seq {s} at {}", fmt_ms(t));
        }
        _ => {
            let _ = writeln!(out, "  ended:   not yet (the journal stops during the day)");
        }
    }
    let _ = writeln!(
        out,
        "  entries: {} ({} rejected); chat messages: {}; silver transfers: {} ({} silver moved)",
        d.entries, d.rejected, d.chat_messages, d.transfers, d.silver_moved
    );
    let _ = writeln!(out);
    let votes: Vec<&VoteRecord> = h.votes.iter().filter(|v| v.day == n).collect();
    if votes.is_empty() {
        let _ = writeln!(out, "No vote was settled on day {n}.");
    }
    for v in votes {
        vote_block(h, v, &mut out);
        let _ = writeln!(out);
    }
    let elims: Vec<_> = h.eliminations.iter().filter(|e| e.day == n).collect();
    if elims.is_empty() {
        let _ = writeln!(out, "Eliminated on day {n}: nobody");
    } else {
        let _ = writeln!(out, "Eliminated on day {n}:");
        for e in elims {
            let _ = writeln!(
                out,
                "  {} — {}, at seq {} ({}) {}",
                h.player_name(&e.player),
                e.mechanism,
                e.seq,
                fmt_ms(e.at_ms),
                crate::history::describe_entry(&e.typ, &e.payload)
            );
        }
    }
    if let Some((seq, w, pool)) = &h.winner {
        if d.end_seq.is_some_and(|s| s == *seq) {
            let _ = writeln!(
                out,
                "Winner: {} (seq {seq}), takes the gold pool of {pool}",
                h.player_name(w)
            );
        }
    }
    match (d.head, d.end_seq) {
        (Some(hd), Some(s)) => {
            let _ = writeln!(out, "Chain head at the end of day {n}: {hd} (seq {s})");
        }
        _ => {
            let _ = writeln!(out, "Chain head at the end of day {n}: none yet");
        }
    }
    Ok(out)
}

/// `explain --elimination PLAYER`. `Err` for an unknown player.
pub fn elimination(h: &History, player: &str) -> Result<String, String> {
    if !h.players.iter().any(|p| p.id == player) {
        let ids: Vec<String> = h.players.iter().map(|p| p.id.clone()).collect();
        return Err(format!(
            "no such player: {player:?} (players: {})",
            list(&ids)
        ));
    }
    let mut out = String::new();
    let name = h.player_name(player);
    let Some(e) = h.eliminations.iter().find(|e| e.player == player) else {
        let status = match &h.winner {
            Some((_, w, _)) if w == player => "they won the game".to_string(),
            _ => "they were still in the game when the journal ends".to_string(),
        };
        let _ = writeln!(out, "{name} was not eliminated: {status}.");
        return Ok(out);
    };
    let _ = writeln!(
        out,
        "{name} was eliminated on day {} by {}.",
        e.day, e.mechanism
    );
    let _ = writeln!(
        out,
        "  eliminating entry: seq {} at {}: {}",
        e.seq,
        fmt_ms(e.at_ms),
        crate::history::describe_entry(&e.typ, &e.payload)
    );
    // A timeline ELIMINATE (injected or scheduled) applied the vote's result before the day's end.
    let early =
        e.payload.contains(r#""action":"ELIMINATE""#) || e.payload.contains(r#"-ELIMINATE""#);
    if e.mechanism == "ADMIN" || (e.typ.starts_with("ADMIN.") && !early) {
        let _ = writeln!(
            out,
            "  an operator removed them through the admin route; the entry's payload: {}",
            e.payload
        );
        return Ok(out);
    }
    let vote = h.votes.iter().rev().find(|v| {
        v.day == e.day && v.outcome.eliminated.as_deref() == Some(player) && v.closed_seq <= e.seq
    });
    match vote {
        Some(v) => {
            let _ = writeln!(
                out,
                "  deciding entry: seq {} at {}: {} settled the {} vote; the elimination was applied {}.",
                v.closed_seq,
                fmt_ms(v.closed_at_ms),
                v.closed_by,
                v.outcome.mechanism.as_str(),
                if early {
                    "by the timeline's ELIMINATE, before the end of the day"
                } else {
                    "at the end of the day"
                }
            );
            let against: Vec<String> = v
                .ballot
                .votes
                .iter()
                .filter(|(_, t)| t.as_str() == player)
                .map(|(voter, _)| voter.clone())
                .collect();
            let _ = writeln!(out, "  votes for {player}: {}", list(&against));
            let _ = writeln!(out);
            vote_block(h, v, &mut out);
        }
        None => {
            let _ = writeln!(
                out,
                "  no settled vote named {player}; the entry above decided it."
            );
        }
    }
    Ok(out)
}

/// `explain --payout`: every gold movement with its balance after.
pub fn payout(h: &History) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Gold pool of game {}: {} at the start (SYSTEM.INIT, seq 1)",
        h.game_id, h.initial_pool
    );
    let mut rows: Vec<(u64, String)> = Vec::new();
    for p in &h.pool {
        rows.push((
            p.seq,
            format!(
                "  seq {} at {}  pool {:+} → pool {} ({})",
                p.seq,
                fmt_ms(p.at_ms),
                p.delta,
                p.pool_after,
                p.reason
            ),
        ));
    }
    for g in &h.gold {
        rows.push((
            g.seq,
            format!(
                "  seq {} at {}  {} gold {:+} → balance {} ({})",
                g.seq,
                fmt_ms(g.at_ms),
                g.player,
                g.delta,
                g.balance_after,
                g.reason
            ),
        ));
    }
    rows.sort_by_key(|r| r.0);
    if rows.is_empty() {
        let _ = writeln!(out, "No gold moved in this journal.");
    } else {
        let _ = writeln!(out, "Gold movements:");
        for (_, r) in rows {
            let _ = writeln!(out, "{r}");
        }
    }
    match &h.winner {
        Some((seq, w, pool)) => {
            let _ = writeln!(
                out,
                "Winner: {} at seq {seq}, gold pool {pool}",
                h.player_name(w)
            );
        }
        None => {
            let _ = writeln!(out, "Winner: none yet");
        }
    }
    let finals: Vec<String> = h
        .players
        .iter()
        .map(|p| {
            let g = h
                .gold
                .iter()
                .rev()
                .find(|m| m.player == p.id)
                .map_or(p.initial_gold, |m| m.balance_after);
            format!("{} {g}", p.id)
        })
        .collect();
    let _ = writeln!(out, "Final gold: {}", list(&finals));
    out
}
