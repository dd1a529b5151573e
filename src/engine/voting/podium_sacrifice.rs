//! PODIUM_SACRIFICE: the top three in silver (the podium) are the only targets; every alive
//! player NOT on the podium saves one of them. The podium player with the fewest saves is
//! eliminated. Tie: lowest silver at opening, then earliest in roster order. No saves (or nobody
//! off the podium to vote, with three or fewer alive): the same among the whole podium.

use super::{
    count, fewest, fewest_saves, lowest_of, off_podium, top_three, Ask, Ballot, Mechanism, Outcome,
    Verb, VoteType,
};
use crate::engine::registry::commands;
use crate::engine::rng::Rng;
use crate::engine::roster::Player;

commands! {
    pub enum Command {
        /// PODIUM_SACRIFICE: save a podium player (voters are off the podium).
        "VOTE.PODIUM_SACRIFICE.CAST" => Cast {
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

pub struct PodiumSacrifice;

impl Mechanism for PodiumSacrifice {
    fn vote_type(&self) -> VoteType {
        VoteType::PodiumSacrifice
    }

    fn min_players(&self) -> usize {
        5
    }

    fn docs(&self) -> &'static str {
        "docs/voting.md"
    }

    fn voters(&self, players: &[Player]) -> Vec<String> {
        off_podium(players)
    }

    fn targets(&self, players: &[Player]) -> Vec<String> {
        top_three(players)
    }

    fn resolve(&self, ballot: &Ballot, _rng: &mut dyn FnMut() -> Rng) -> Outcome {
        let tallies = count(ballot);
        let mut o = Outcome::new(VoteType::PodiumSacrifice);
        o.summary.podium = ballot.targets.clone();
        let (eliminated, tie_break) = if ballot.voters.is_empty() {
            let (pool, min) = fewest(&tallies);
            o.trail.counted("save", false, min, &tallies, &pool);
            lowest_of(
                ballot,
                &pool,
                "nobody off the podium could vote: the whole podium is tied",
                true,
                &mut o.trail,
            )
        } else {
            fewest_saves(
                ballot,
                &tallies,
                "no saves: the whole podium is tied",
                &mut o.trail,
            )
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

    #[test]
    fn least_saved_podium_player_leaves() {
        let ps = players(&[("p1", 90), ("p2", 80), ("p3", 70), ("p4", 10), ("p5", 20)]);
        let b = ballot_for(&PodiumSacrifice, &ps, &[("p4", "p1"), ("p5", "p2")]);
        assert_eq!(b.voters, ["p4", "p5"]);
        let o = PodiumSacrifice.resolve(&b, &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p3"));
        assert_eq!(o.tie_break, None);
        assert_eq!(o.summary.podium, ["p1", "p2", "p3"]);
    }

    #[test]
    fn ties_use_lowest_silver() {
        let ps = players(&[("p1", 90), ("p2", 80), ("p3", 70), ("p4", 10)]);
        let o = PodiumSacrifice.resolve(&ballot_for(&PodiumSacrifice, &ps, &[]), &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p3"));
        assert!(o.tie_break.unwrap().starts_with("no saves"));
    }
}
