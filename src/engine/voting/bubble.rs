//! BUBBLE: every alive player saves one player outside the top three in silver (self allowed);
//! the top three are immune. The vulnerable player with the fewest saves (zero included) is
//! eliminated. Tie: lowest silver at opening, then earliest in roster order. No saves: the same
//! among every vulnerable player. Nobody outside the top three (three or fewer alive): lowest
//! silver among all alive. A save naming an immune player is rejected (TARGET_IMMUNE).

use super::{
    count, fewest_saves, lowest_of, off_podium, top_three, Ask, Ballot, Mechanism, Outcome, Verb,
    VoteType,
};
use crate::engine::registry::commands;
use crate::engine::rng::Rng;
use crate::engine::roster::Player;

commands! {
    pub enum Command {
        /// BUBBLE: save a player outside the top three.
        "VOTE.BUBBLE.CAST" => Cast {
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

pub struct Bubble;

impl Mechanism for Bubble {
    fn vote_type(&self) -> VoteType {
        VoteType::Bubble
    }

    fn min_players(&self) -> usize {
        6
    }

    fn docs(&self) -> &'static str {
        "docs/voting.md"
    }

    fn targets(&self, players: &[Player]) -> Vec<String> {
        off_podium(players)
    }

    fn immune(&self, players: &[Player]) -> Vec<String> {
        top_three(players)
    }

    fn resolve(&self, ballot: &Ballot, _rng: &mut dyn FnMut() -> Rng) -> Outcome {
        let tallies = count(ballot);
        let mut o = Outcome::new(VoteType::Bubble);
        o.summary.immune = ballot.immune.clone();
        let (eliminated, tie_break) = if ballot.targets.is_empty() {
            let why = "nobody is outside the top three: lowest silver among all alive";
            o.trail.pool(why, &ballot.alive());
            lowest_of(ballot, &ballot.alive(), why, true, &mut o.trail)
        } else {
            fewest_saves(
                ballot,
                &tallies,
                "no saves: every player outside the top three is tied",
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
    fn fewest_saves_outside_the_top_three_leaves() {
        let ps = players(&[("p1", 90), ("p2", 80), ("p3", 70), ("p4", 10), ("p5", 20)]);
        let b = ballot_for(
            &Bubble,
            &ps,
            &[("p1", "p4"), ("p2", "p4"), ("p3", "p5"), ("p4", "p4")],
        );
        assert_eq!(b.immune, ["p1", "p2", "p3"]);
        let o = Bubble.resolve(&b, &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p5"));
        assert_eq!(o.tie_break, None);
        assert_eq!(o.summary.immune, ["p1", "p2", "p3"]);
    }

    #[test]
    fn ties_and_empty_ballots_use_lowest_silver() {
        let ps = players(&[("p1", 90), ("p2", 80), ("p3", 70), ("p4", 30), ("p5", 20)]);
        let o = Bubble.resolve(&ballot_for(&Bubble, &ps, &[]), &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p5"));
        assert!(o.tie_break.unwrap().starts_with("no saves"));
        let ps = players(&[("p1", 50), ("p2", 50), ("p3", 50)]);
        let o = Bubble.resolve(&ballot_for(&Bubble, &ps, &[]), &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p1"));
        assert!(o.tie_break.unwrap().contains("roster order"));
    }
}
