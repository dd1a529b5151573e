//! Randomised scripts for every mechanism: any mix of valid and invalid inputs, admin steps in
//! any order. Invariants: nothing panics; a rejected input changes nothing; every settled vote
//! eliminates exactly one player while anyone is alive (FINALS crowns one); the journal replays
//! to identical bytes.

use crate::voting_common;
use common::*;
use pecking_order::engine::timeline::Action;
use pecking_order::engine::{Command, Phase};
use pecking_order::journal::{EntryKind, Verdict};
use voting_common as common;

/// xorshift, for the script's own choices.
struct Script(u64);

impl Script {
    fn below(&mut self, n: usize) -> usize {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        (x % n.max(1) as u64) as usize
    }
}

const TYPES: [&str; 10] = [
    "VOTE.MAJORITY.CAST",
    "VOTE.BUBBLE.CAST",
    "VOTE.PODIUM_SACRIFICE.CAST",
    "VOTE.SHIELD.SAVE",
    "VOTE.TRUST_PAIRS.TRUST",
    "VOTE.TRUST_PAIRS.ELIMINATE",
    "VOTE.EXECUTIONER.ELECT",
    "VOTE.EXECUTIONER.PICK",
    "VOTE.DUELS.CAST",
    "VOTE.FINALS.CAST",
];

/// Returns (days whose vote settled, votes accepted).
fn run(vote_type: &str, script_seed: u64) -> (usize, usize) {
    let mut s = Script(script_seed * 2_654_435_761 + 1);
    let n = 2 + s.below(11);
    let names: Vec<String> = (1..=n).map(|i| format!("p{i}")).collect();
    let seats: Vec<Seat<'_>> = names
        .iter()
        .enumerate()
        .map(|(i, id)| {
            (
                id.as_str(),
                (s.below(6) * 10) as u64,
                i == 0 || s.below(5) != 0,
            )
        })
        .collect();
    let mut g = Game::with_seed(
        &[vote_type, vote_type, vote_type],
        &seats,
        [script_seed as u8; 32],
    );
    let mut who: Vec<String> = names.clone();
    who.push("ghost".into());
    let mut days_checked = 0;
    let mut accepted = 0;
    for _day in 0..3 {
        if g.state().phase == Phase::GameSummary {
            break;
        }
        g.start_day();
        let alive_before = g.state().alive_count();
        let results_before = g.state().results.len();
        let winner_before = g.state().winner.clone();
        let mut admin_kills = 0;
        // Usually open the vote first; the script may still open, close or end at any time.
        if s.below(5) != 0 {
            g.open();
        }
        let steps = 5 + s.below(30);
        for _ in 0..steps {
            let before = g.state().clone();
            let verdict = match s.below(12) {
                0 => g.submit(
                    EntryKind::Admin,
                    "ADMIN",
                    &Command::InjectTimelineEvent {
                        action: Action::OpenVoting,
                    },
                ),
                1 => g.submit(
                    EntryKind::Admin,
                    "ADMIN",
                    &Command::InjectTimelineEvent {
                        action: Action::CloseVoting,
                    },
                ),
                2 if s.below(8) == 0 => {
                    let id = who[s.below(who.len())].clone();
                    let v = g.submit(
                        EntryKind::Admin,
                        "ADMIN",
                        &Command::EliminatePlayer {
                            player_id: id,
                            reason: None,
                        },
                    );
                    if v.is_accepted() {
                        admin_kills += 1;
                    }
                    v
                }
                3 => {
                    let actor = who[s.below(who.len())].clone();
                    g.act(&actor, &stake(s.below(60) as u64))
                }
                _ => {
                    let actor = who[s.below(who.len())].clone();
                    let target = who[s.below(who.len())].clone();
                    // Half the time one of today's own verbs, so many votes are accepted.
                    let own: Vec<&str> = TYPES
                        .iter()
                        .copied()
                        .filter(|t| t.contains(&format!(".{vote_type}.")))
                        .collect();
                    let typ = if !own.is_empty() && s.below(2) == 0 {
                        own[s.below(own.len())]
                    } else {
                        TYPES[s.below(TYPES.len())]
                    };
                    g.act(&actor, &vote(typ, &target))
                }
            };
            if verdict.is_accepted() && g.journal.last().unwrap().typ.starts_with("VOTE.") {
                accepted += 1;
            }
            if let Verdict::Rejected(code) = &verdict {
                assert_eq!(
                    *g.state(),
                    before,
                    "{vote_type}/{script_seed}: rejected {code} changed the state"
                );
                assert_eq!(g.journal.last().unwrap().facts, "[]");
            }
        }
        g.end_day();
        let st = g.state();
        let settled = st.results.len() > results_before;
        // Every day's vote settles by END_DAY at the latest (the ballot opened or not: if it never
        // opened, END_DAY has nothing to settle).
        assert!(
            st.ballot.is_none(),
            "{vote_type}/{script_seed}: a ballot outlived END_DAY"
        );
        if settled {
            let outcome = &st.results.last().unwrap().1;
            let lost = alive_before - admin_kills - st.alive_count();
            if vote_type == "FINALS" {
                assert!(outcome.winner.is_some() || alive_before == admin_kills);
                assert!(winner_before.is_none());
            } else if alive_before > admin_kills {
                assert!(
                    outcome.eliminated.is_some(),
                    "{vote_type}/{script_seed}: nobody eliminated"
                );
                // An admin may have removed the vote's choice after it settled: then nobody more.
                assert!(
                    lost <= 1,
                    "{vote_type}/{script_seed}: {lost} eliminated by one vote"
                );
                if admin_kills == 0 {
                    assert_eq!(lost, 1, "{vote_type}/{script_seed}: {outcome:?}");
                }
            }
            days_checked += 1;
        }
    }
    g.assert_replays();
    (days_checked, accepted)
}

#[test]
fn random_scripts_keep_every_invariant() {
    for vt in [
        "MAJORITY",
        "BUBBLE",
        "PODIUM_SACRIFICE",
        "SECOND_TO_LAST",
        "SHIELD",
        "TRUST_PAIRS",
        "EXECUTIONER",
        "DUELS",
        "FINALS",
    ] {
        let (mut days, mut votes) = (0, 0);
        for seed in 1..=60 {
            let (d, v) = run(vt, seed);
            days += d;
            votes += v;
        }
        assert!(days >= 60, "{vt}: only {days} votes settled");
        if vt != "SECOND_TO_LAST" {
            assert!(votes >= 25, "{vt}: only {votes} votes accepted");
        }
    }
}
