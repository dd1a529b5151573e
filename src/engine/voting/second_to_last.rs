//! SECOND_TO_LAST: no votes. At OPEN_VOTING the alive players are ranked by silver, highest
//! first (ties keep roster order, as for "top three"), and the second-lowest in that ranking is
//! eliminated. One alive: that player. The result is out as soon as voting opens.

use super::{silver_of, Ask, Ballot, Mechanism, Outcome, Verb, VoteType};
use crate::engine::registry::commands;
use crate::engine::rng::Rng;
use crate::engine::roster::Player;

commands! {
    pub enum Command {}
}

impl Verb for Command {
    fn ask(&self) -> Ask<'_> {
        match *self {}
    }
}

pub struct SecondToLast;

impl Mechanism for SecondToLast {
    fn vote_type(&self) -> VoteType {
        VoteType::SecondToLast
    }

    fn min_players(&self) -> usize {
        3
    }

    fn docs(&self) -> &'static str {
        "docs/voting.md"
    }

    fn voters(&self, _players: &[Player]) -> Vec<String> {
        Vec::new()
    }

    fn targets(&self, _players: &[Player]) -> Vec<String> {
        Vec::new()
    }

    fn instant(&self) -> bool {
        true
    }

    fn resolve(&self, ballot: &Ballot, _rng: &mut dyn FnMut() -> Rng) -> Outcome {
        // silver_at_open is in roster order; a stable sort keeps it among equal balances.
        let mut by_silver = ballot.silver_at_open.clone();
        crate::engine::order::sort_by_key(&mut by_silver, |(_, s)| std::cmp::Reverse(*s));
        let ranking: Vec<String> = by_silver.iter().map(|(p, _)| p.clone()).collect();
        let mut o = Outcome::new(VoteType::SecondToLast);
        let listed: Vec<String> = by_silver.iter().map(|(p, s)| format!("{p} {s}")).collect();
        o.trail.note(format!(
            "ranked by silver at opening, highest first (ties keep roster order): {}",
            listed.join(", ")
        ));
        o.summary.silver_ranking = by_silver;
        match ranking.len() {
            0 => o.tie_break = Some("nobody is alive".into()),
            1 => {
                o.eliminated = ranking.first().cloned();
                o.tie_break = Some("only one player alive".into());
            }
            n => {
                let id = &ranking[n - 2];
                let s = silver_of(ballot, id);
                let tied = ranking
                    .iter()
                    .filter(|p| *p != id)
                    .any(|p| silver_of(ballot, p) == s);
                o.eliminated = Some(id.clone());
                o.trail
                    .note(format!("second-to-last in that ranking: {id}"));
                if tied {
                    o.tie_break = Some(format!(
                        "tied on silver ({s}): the ranking keeps roster order, later ranks lower"
                    ));
                }
            }
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::voting::test_support::{ballot_for, no_rng, players};

    #[test]
    fn second_lowest_leaves() {
        let ps = players(&[("p1", 10), ("p2", 40), ("p3", 30), ("p4", 20)]);
        let o = SecondToLast.resolve(&ballot_for(&SecondToLast, &ps, &[]), &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p4"));
        assert_eq!(o.tie_break, None);
        let ids: Vec<&str> = o
            .summary
            .silver_ranking
            .iter()
            .map(|(p, _)| p.as_str())
            .collect();
        assert_eq!(ids, ["p2", "p3", "p4", "p1"]);
    }

    #[test]
    fn ties_keep_roster_order() {
        let ps = players(&[("p1", 50), ("p2", 50), ("p3", 50)]);
        let o = SecondToLast.resolve(&ballot_for(&SecondToLast, &ps, &[]), &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p2"));
        assert!(o.tie_break.is_some());
    }
}
