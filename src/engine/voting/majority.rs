//! MAJORITY: every alive player votes for any alive player (self allowed); the most-voted is
//! eliminated. Tie: lowest silver at opening; still tied: earliest in roster order. No votes:
//! lowest silver among all alive, same fallback.

use super::{count, lowest_silver, most, Ask, Ballot, Mechanism, Outcome, Verb, VoteType};
use crate::engine::registry::commands;
use crate::engine::rng::Rng;

commands! {
    pub enum Command {
        "VOTE.MAJORITY.CAST" => Cast {
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

pub struct Majority;

impl Mechanism for Majority {
    fn vote_type(&self) -> VoteType {
        VoteType::Majority
    }

    fn min_players(&self) -> usize {
        3
    }

    fn docs(&self) -> &'static str {
        "docs/voting.md"
    }

    fn resolve(&self, ballot: &Ballot, _rng: &mut dyn FnMut() -> Rng) -> Outcome {
        let mut o = Outcome::new(VoteType::Majority);
        let tallies = count(ballot);
        // Without a vote every target ties on zero: the pool is all of them.
        let (pool, max) = most(&tallies);
        o.trail.counted("vote", true, max, &tallies, &pool);
        let why = if max == 0 {
            "no votes: lowest silver among alive players"
        } else {
            "tied on votes: lowest silver"
        };
        let (eliminated, tie_break) = if pool.len() == 1 {
            (pool.into_iter().next(), None)
        } else {
            let low = lowest_silver(ballot, &pool);
            o.trail.silver(ballot, false, &pool, &low);
            let why = if low.len() > 1 {
                format!("{why}; still tied: earliest in roster order")
            } else {
                why.to_string()
            };
            if let (true, Some(first)) = (low.len() > 1, low.first()) {
                o.trail.roster_order(first);
            }
            (low.into_iter().next(), Some(why))
        };
        o.tallies = tallies;
        o.eliminated = eliminated;
        o.tie_break = tie_break;
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::voting::test_support::{ballot_for, no_rng, players};

    fn ballot(silver: &[(&str, u64)], votes: &[(&str, &str)]) -> Ballot {
        ballot_for(&Majority, &players(silver), votes)
    }

    #[test]
    fn most_votes_wins() {
        let b = ballot(
            &[("p1", 50), ("p2", 50), ("p3", 50)],
            &[("p1", "p2"), ("p3", "p2"), ("p2", "p1")],
        );
        let o = Majority.resolve(&b, &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p2"));
        assert_eq!(o.tie_break, None);
        assert_eq!(
            o.tallies,
            vec![("p1".into(), 1), ("p2".into(), 2), ("p3".into(), 0)]
        );
    }

    #[test]
    fn tie_goes_to_lowest_silver_then_roster_order() {
        let b = ballot(
            &[("p1", 50), ("p2", 40), ("p3", 30)],
            &[("p1", "p1"), ("p3", "p2")],
        );
        assert_eq!(
            Majority.resolve(&b, &mut no_rng).eliminated.as_deref(),
            Some("p2")
        );
        let b = ballot(
            &[("p1", 40), ("p2", 40), ("p3", 30)],
            &[("p3", "p2"), ("p2", "p1")],
        );
        let o = Majority.resolve(&b, &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p1"));
        assert!(o.tie_break.unwrap().contains("roster order"));
    }

    #[test]
    fn no_votes_eliminates_lowest_silver() {
        let b = ballot(&[("p1", 50), ("p2", 20), ("p3", 30)], &[]);
        let o = Majority.resolve(&b, &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p2"));
        assert!(o.tie_break.unwrap().starts_with("no votes"));
    }
}
