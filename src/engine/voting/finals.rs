//! FINALS: eliminated players vote for an alive player to win. Most votes wins. Tie: highest
//! silver at opening among the tied; still tied: a seeded random draw among them. No eliminated
//! voters (or no votes): highest silver among alive players, same fallback.

use super::{count, highest_silver, most, Ask, Ballot, Mechanism, Outcome, Step, Verb, VoteType};
use crate::engine::registry::commands;
use crate::engine::rng::Rng;
use crate::engine::roster::Player;

commands! {
    pub enum Command {
        "VOTE.FINALS.CAST" => Cast {
            #[serde(rename = "targetId")]
            target_id: String,
        },
    }
}

impl Verb for Command {
    fn ask(&self) -> Ask<'_> {
        match self {
            Command::Cast { target_id } => Ask::cast(target_id),
        }
    }
}

pub struct Finals;

impl Mechanism for Finals {
    fn vote_type(&self) -> VoteType {
        VoteType::Finals
    }

    fn min_players(&self) -> usize {
        2
    }

    fn docs(&self) -> &'static str {
        "docs/voting.md"
    }

    fn voters(&self, players: &[Player]) -> Vec<String> {
        players
            .iter()
            .filter(|p| !p.alive)
            .map(|p| p.id.clone())
            .collect()
    }

    fn resolve(&self, ballot: &Ballot, rng: &mut dyn FnMut() -> Rng) -> Outcome {
        let mut o = Outcome::new(VoteType::Finals);
        let tallies = count(ballot);
        // Without a vote every target ties on zero: the pool is all of them.
        let (pool, max) = most(&tallies);
        o.trail.counted("vote", true, max, &tallies, &pool);
        let why = if max == 0 {
            "no votes: highest silver among alive players"
        } else {
            "tied on votes: highest silver"
        };
        let (winner, tie_break) = if pool.len() <= 1 {
            (pool.into_iter().next(), None)
        } else {
            let high = highest_silver(ballot, &pool);
            o.trail.silver(ballot, true, &pool, &high);
            if high.len() == 1 {
                (high.into_iter().next(), Some(why.to_string()))
            } else {
                let pick = rng().below(high.len() as u64);
                (
                    o.trail.draw(&high, pick),
                    Some(format!(
                        "{why}; still tied: seeded draw {pick} of {}",
                        high.len()
                    )),
                )
            }
        };
        // The runner-up (most votes after the winner, then highest silver) leaves the game too.
        let eliminated = winner.as_ref().and_then(|w| {
            let mut others: Vec<&(String, u32)> = tallies.iter().filter(|(t, _)| t != w).collect();
            crate::engine::order::sort_by(&mut others, |a, b| {
                b.1.cmp(&a.1)
                    .then(super::silver_of(ballot, &b.0).cmp(&super::silver_of(ballot, &a.0)))
            });
            others.first().map(|(t, _)| t.clone())
        });
        if let (Some(w), Some(e)) = (&winner, &eliminated) {
            o.trail.steps.push(Step::RunnerUp {
                winner: w.clone(),
                runner_up: e.clone(),
            });
        }
        o.tallies = tallies;
        o.eliminated = eliminated;
        o.winner = winner;
        o.tie_break = tie_break;
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::voting::test_support::{ballot_for, players};

    /// `silver` are the alive finalists; three eliminated players vote.
    fn ballot(silver: &[(&str, u64)], votes: &[(&str, &str)]) -> Ballot {
        Ballot {
            voters: vec!["e1".into(), "e2".into(), "e3".into()],
            ..ballot_for(&Finals, &players(silver), votes)
        }
    }

    #[test]
    fn most_votes_wins_and_other_finalist_is_eliminated() {
        let b = ballot(
            &[("p1", 10), ("p2", 90)],
            &[("e1", "p1"), ("e2", "p1"), ("e3", "p2")],
        );
        let o = Finals.resolve(&b, &mut || Rng::for_entry(&[0; 32], 1, "t"));
        assert_eq!(o.winner.as_deref(), Some("p1"));
        assert_eq!(o.eliminated.as_deref(), Some("p2"));
    }

    #[test]
    fn ties_use_highest_silver_then_seeded_draw() {
        let b = ballot(&[("p1", 10), ("p2", 90)], &[("e1", "p1"), ("e2", "p2")]);
        assert_eq!(
            Finals
                .resolve(&b, &mut || Rng::for_entry(&[0; 32], 1, "t"))
                .winner
                .as_deref(),
            Some("p2")
        );
        let b = ballot(&[("p1", 50), ("p2", 50)], &[]);
        let draws: Vec<Option<String>> = (0..16u64)
            .map(|s| {
                Finals
                    .resolve(&b, &mut || Rng::for_entry(&[s as u8; 32], 1, "t"))
                    .winner
            })
            .collect();
        assert!(draws.contains(&Some("p1".into())) && draws.contains(&Some("p2".into())));
        let again = Finals.resolve(&b, &mut || Rng::for_entry(&[3; 32], 1, "t"));
        assert_eq!(again.winner, draws[3]);
        assert!(again.tie_break.unwrap().contains("seeded draw"));
    }
}
