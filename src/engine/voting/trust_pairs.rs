//! TRUST_PAIRS: two verbs, both open to every alive player until close. `TRUST {targetId}` names
//! one other alive player (not self: SELF_TARGET); `ELIMINATE {targetId}` names any alive player.
//! Two players who trust each other form a mutual pair and are both immune: eliminate votes on
//! them are discarded. The unprotected player with the most remaining eliminate votes leaves.
//! Tie: lowest silver at opening, then earliest in roster order. No remaining votes: lowest silver
//! among unprotected players; everyone paired: lowest silver among all alive.

use super::{
    check_vote_stage, count_in, lowest_of, most, Ask, Ballot, Mechanism, Outcome, Verb, VoteType,
};
use crate::engine::error::Rejection;

use crate::engine::registry::commands;
use crate::engine::rng::Rng;

commands! {
    pub enum Command {
        /// TRUST_PAIRS: trust another player (mutual trust makes both immune).
        "VOTE.TRUST_PAIRS.TRUST" => Trust {
            #[serde(rename = "targetId")]
            target_id: String,
        },
        /// TRUST_PAIRS: vote to eliminate.
        "VOTE.TRUST_PAIRS.ELIMINATE" => Eliminate {
            #[serde(rename = "targetId")]
            target_id: String,
        },
    }
}

impl Verb for Command {
    fn ask(&self) -> Ask<'_> {
        match self {
            Command::Trust { target_id } => Ask::Name {
                verb: "TRUST",
                target: target_id,
            },
            Command::Eliminate { target_id } => Ask::Name {
                verb: "ELIMINATE",
                target: target_id,
            },
        }
    }
}

pub struct TrustPairs;

/// Mutual trust pairs, each in roster order, listed by their first member's roster position.
pub(crate) fn mutual_pairs(ballot: &Ballot) -> Vec<(String, String)> {
    let order = ballot.alive();
    let pos = |id: &str| order.iter().position(|p| p == id);
    let mut pairs = Vec::new();
    for a in &order {
        if let Some(b) = ballot.picks.get(a) {
            let mutual = ballot.picks.get(b).is_some_and(|x| x == a);
            if mutual && pos(a) < pos(b) {
                pairs.push((a.clone(), b.clone()));
            }
        }
    }
    pairs
}

impl Mechanism for TrustPairs {
    fn vote_type(&self) -> VoteType {
        VoteType::TrustPairs
    }

    fn min_players(&self) -> usize {
        5
    }

    fn docs(&self) -> &'static str {
        "docs/voting.md"
    }

    fn cast(
        &self,
        ballot: &mut Ballot,
        verb: &str,
        voter: &str,
        target: &str,
    ) -> Result<(), Rejection> {
        check_vote_stage(ballot, voter, target)?;
        match verb {
            "TRUST" => {
                if voter == target {
                    return Err(Rejection::SelfTarget);
                }
                ballot.picks.insert(voter.to_string(), target.to_string());
            }
            "ELIMINATE" => {
                ballot.votes.insert(voter.to_string(), target.to_string());
            }
            other => return Err(Rejection::Unsupported(format!("TRUST_PAIRS.{other}"))),
        }
        Ok(())
    }

    fn resolve(&self, ballot: &Ballot, _rng: &mut dyn FnMut() -> Rng) -> Outcome {
        let pairs = mutual_pairs(ballot);
        let immune: Vec<String> = ballot
            .targets
            .iter()
            .filter(|t| pairs.iter().any(|(a, b)| a == *t || b == *t))
            .cloned()
            .collect();
        let open: Vec<String> = ballot
            .targets
            .iter()
            .filter(|t| !immune.contains(t))
            .cloned()
            .collect();
        let mut o = Outcome::new(VoteType::TrustPairs);
        if !pairs.is_empty() {
            let listed: Vec<String> = pairs.iter().map(|(a, b)| format!("{a} + {b}")).collect();
            o.trail.note(format!(
                "mutual trust pairs, immune (votes on them are discarded): {}",
                listed.join(", ")
            ));
        }
        // Votes naming an immune player are discarded: only unprotected targets are counted.
        let tallies = count_in(&ballot.votes, &open, &ballot.half_votes);
        let (eliminated, tie_break) = if open.is_empty() {
            let why = "everyone is in a mutual trust pair: lowest silver among all alive";
            o.trail.pool(why, &ballot.targets);
            lowest_of(ballot, &ballot.targets, why, true, &mut o.trail)
        } else {
            let (pool, max) = most(&tallies);
            o.trail
                .counted("eliminate vote", true, max, &tallies, &pool);
            if max == 0 {
                lowest_of(
                    ballot,
                    &pool,
                    "no eliminate votes on unprotected players: every unprotected player is tied",
                    true,
                    &mut o.trail,
                )
            } else {
                lowest_of(
                    ballot,
                    &pool,
                    &format!("tied on votes ({max})"),
                    false,
                    &mut o.trail,
                )
            }
        };
        o.tallies = tallies;
        o.eliminated = eliminated;
        o.tie_break = tie_break;
        o.summary.immune = immune;
        o.summary.mutual_pairs = pairs;
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::voting::test_support::{ballot_for, no_rng, players};

    fn trust(b: &mut Ballot, pairs: &[(&str, &str)]) {
        for (a, t) in pairs {
            TrustPairs.cast(b, "TRUST", a, t).unwrap();
        }
    }

    #[test]
    fn mutual_pairs_are_immune_and_their_votes_discarded() {
        let ps = players(&[("p1", 50), ("p2", 50), ("p3", 50), ("p4", 50), ("p5", 50)]);
        let mut b = ballot_for(
            &TrustPairs,
            &ps,
            &[("p3", "p1"), ("p4", "p1"), ("p5", "p1"), ("p1", "p4")],
        );
        trust(&mut b, &[("p1", "p2"), ("p2", "p1"), ("p3", "p4")]);
        let o = TrustPairs.resolve(&b, &mut no_rng);
        assert_eq!(
            o.summary.mutual_pairs,
            [("p1".to_string(), "p2".to_string())]
        );
        assert_eq!(o.summary.immune, ["p1", "p2"]);
        assert_eq!(o.eliminated.as_deref(), Some("p4"));
        assert_eq!(o.tie_break, None);
        assert_eq!(
            TrustPairs.cast(&mut b, "TRUST", "p3", "p3"),
            Err(Rejection::SelfTarget)
        );
    }
}
