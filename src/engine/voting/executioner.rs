//! EXECUTIONER, in two stages.
//!
//! 1. Election, OPEN_VOTING to CLOSE_VOTING: every alive player `ELECT`s any alive player (self
//!    allowed). Most votes becomes the executioner; tie: lowest silver at opening, then earliest
//!    in roster order.
//! 2. Pick, CLOSE_VOTING to END_DAY: only the executioner may `PICK`, and only a player who is
//!    alive, not the executioner, and not in the top three by silver at opening. Anything else is
//!    rejected (NOT_ELIGIBLE_VOTER, SELF_TARGET, TARGET_IMMUNE, NOT_ELIGIBLE_TARGET). The first
//!    valid pick settles the vote. When the top three rule leaves nobody to pick (four or fewer
//!    alive), the protection is lifted: any alive player but the executioner.
//!
//! Fallbacks, so that exactly one player always leaves: nobody voted in the election → at
//! CLOSE_VOTING, lowest silver among the alive outside the top three (all alive if that is
//! empty); no pick by END_DAY (or END_DAY before CLOSE_VOTING) → lowest silver among the
//! players the executioner could have picked.

use super::{
    count, join, lowest_of, most, top_three, Ask, Ballot, Mechanism, NextStage, Outcome, Stage,
    Trail, Verb, VoteType,
};
use crate::engine::error::Rejection;

use crate::engine::registry::commands;
use crate::engine::rng::Rng;
use crate::engine::roster::Player;

commands! {
    pub enum Command {
        /// EXECUTIONER: elect the executioner (before CLOSE_VOTING).
        "VOTE.EXECUTIONER.ELECT" => Elect {
            #[serde(rename = "targetId")]
            target_id: String,
        },
        /// EXECUTIONER: the executioner's pick (after CLOSE_VOTING); settles the vote.
        "VOTE.EXECUTIONER.PICK" => Pick {
            #[serde(rename = "targetId")]
            target_id: String,
        },
    }
}

impl Verb for Command {
    fn ask(&self) -> Ask<'_> {
        match self {
            Command::Elect { target_id } => Ask::Name {
                verb: "ELECT",
                target: target_id,
            },
            Command::Pick { target_id } => Ask::Name {
                verb: "PICK",
                target: target_id,
            },
        }
    }
}

pub struct Executioner;

/// The election's winner and how a tie was settled (each step in `trail`); `None` when nobody
/// voted.
fn election(ballot: &Ballot, trail: &mut Trail) -> Option<(String, Option<String>)> {
    let tallies = count(ballot);
    let (pool, max) = most(&tallies);
    trail.counted("election vote", true, max, &tallies, &pool);
    if max == 0 {
        return None;
    }
    let (winner, tie) = lowest_of(
        ballot,
        &pool,
        &format!("election tied on votes ({max})"),
        false,
        trail,
    );
    winner.map(|w| (w, tie))
}

/// Whom `executioner` may pick, and whether the top three protection had to be lifted.
fn pick_targets(ballot: &Ballot, executioner: &str) -> (Vec<String>, bool) {
    let alive = ballot.alive();
    let strict: Vec<String> = alive
        .iter()
        .filter(|p| *p != executioner && !ballot.immune.contains(p))
        .cloned()
        .collect();
    if !strict.is_empty() {
        return (strict, false);
    }
    (
        alive.into_iter().filter(|p| p != executioner).collect(),
        true,
    )
}

impl Mechanism for Executioner {
    fn vote_type(&self) -> VoteType {
        VoteType::Executioner
    }

    fn min_players(&self) -> usize {
        5
    }

    fn docs(&self) -> &'static str {
        "docs/voting.md"
    }

    /// The top three are protected from the pick (they may still be elected).
    fn immune(&self, players: &[Player]) -> Vec<String> {
        top_three(players)
    }

    fn cast(
        &self,
        ballot: &mut Ballot,
        verb: &str,
        voter: &str,
        target: &str,
    ) -> Result<(), Rejection> {
        match (verb, &ballot.stage) {
            ("ELECT", Stage::Vote) => super::cast_main(ballot, voter, target),
            ("PICK", Stage::Pick { executioner, .. }) => {
                if voter != executioner {
                    return Err(Rejection::NotEligibleVoter);
                }
                if voter == target {
                    return Err(Rejection::SelfTarget);
                }
                if ballot.picks.contains_key(voter) {
                    // Unreachable in practice: the first pick settles the vote.
                    return Err(Rejection::VotingClosed);
                }
                super::check(ballot, voter, target)?;
                ballot.picks.insert(voter.to_string(), target.to_string());
                Ok(())
            }
            ("ELECT" | "PICK", stage) => Err(Rejection::WrongStage(stage.as_str())),
            (other, _) => Err(Rejection::Unsupported(format!("EXECUTIONER.{other}"))),
        }
    }

    fn complete(&self, ballot: &Ballot) -> bool {
        matches!(&ballot.stage, Stage::Pick { executioner, .. } if ballot.picks.contains_key(executioner))
    }

    fn advance(&self, ballot: &Ballot) -> Option<NextStage> {
        let (executioner, tie_break) = election(ballot, &mut Trail::default())?;
        let (targets, lifted) = pick_targets(ballot, &executioner);
        if targets.is_empty() {
            // The executioner is the only player alive: nothing to pick; resolve settles it.
            return None;
        }
        Some(NextStage {
            stage: Stage::Pick {
                executioner: executioner.clone(),
                election: count(ballot),
                tie_break,
            },
            voters: vec![executioner],
            targets,
            immune: if lifted {
                Vec::new()
            } else {
                ballot.immune.clone()
            },
        })
    }

    fn resolve(&self, ballot: &Ballot, _rng: &mut dyn FnMut() -> Rng) -> Outcome {
        let mut o = Outcome::new(VoteType::Executioner);
        match &ballot.stage {
            Stage::Pick {
                executioner,
                election,
                tie_break,
            } => {
                o.tallies = election.clone();
                o.summary.executioner = Some(executioner.clone());
                let tallies: Vec<String> =
                    election.iter().map(|(p, n)| format!("{p} {n}")).collect();
                o.trail.note(format!(
                    "elected executioner at CLOSE_VOTING: {executioner} (election votes: {}{})",
                    tallies.join(", "),
                    tie_break
                        .as_ref()
                        .map_or(String::new(), |t| format!("; {t}"))
                ));
                match ballot.picks.get(executioner) {
                    Some(pick) => {
                        o.trail.note(format!("the executioner picked {pick}"));
                        o.summary.executioner_pick = Some(pick.clone());
                        o.eliminated = Some(pick.clone());
                        o.tie_break = tie_break.clone();
                    }
                    None => {
                        let mut pool = ballot.targets.clone();
                        if pool.is_empty() {
                            pool = pick_targets(ballot, executioner).0;
                        }
                        let why =
                            "no pick by END_DAY: every player the executioner could pick is tied";
                        o.trail.pool(why, &pool);
                        let (e, why) = lowest_of(ballot, &pool, why, true, &mut o.trail);
                        o.eliminated = e;
                        o.tie_break = join(tie_break.clone(), why);
                    }
                }
            }
            Stage::Vote | Stage::Duel { .. } => {
                o.tallies = count(ballot);
                match election(ballot, &mut o.trail) {
                    None => {
                        let alive = ballot.alive();
                        let outside: Vec<String> = alive
                            .iter()
                            .filter(|p| !ballot.immune.contains(p))
                            .cloned()
                            .collect();
                        let (pool, why) = if outside.is_empty() {
                            (alive, "no election votes: lowest silver among all alive")
                        } else {
                            (
                                outside,
                                "no election votes: every player outside the top three is tied",
                            )
                        };
                        o.trail.pool(why, &pool);
                        let (e, why) = lowest_of(ballot, &pool, why, true, &mut o.trail);
                        o.eliminated = e;
                        o.tie_break = why;
                    }
                    Some((executioner, tie)) => {
                        let (pool, _) = pick_targets(ballot, &executioner);
                        let (pool, why) = if pool.is_empty() {
                            (ballot.alive(), "the executioner is the only player alive")
                        } else {
                            (
                                pool,
                                "no time to pick (voting never closed before END_DAY): every player the executioner could pick is tied",
                            )
                        };
                        o.trail.pool(why, &pool);
                        let (e, why) = lowest_of(ballot, &pool, why, true, &mut o.trail);
                        o.summary.executioner = Some(executioner);
                        o.eliminated = e;
                        o.tie_break = join(tie, why);
                    }
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

    fn to_pick_stage(b: &mut Ballot) {
        b.enter(Executioner.advance(b).expect("an executioner is elected"));
    }

    #[test]
    fn election_then_validated_pick() {
        let ps = players(&[
            ("p1", 90),
            ("p2", 80),
            ("p3", 70),
            ("p4", 10),
            ("p5", 20),
            ("p6", 30),
        ]);
        let mut b = ballot_for(
            &Executioner,
            &ps,
            &[("p1", "p4"), ("p2", "p4"), ("p3", "p5")],
        );
        to_pick_stage(&mut b);
        assert_eq!(b.voters, ["p4"]);
        assert_eq!(b.targets, ["p5", "p6"]);
        assert_eq!(
            Executioner.cast(&mut b, "PICK", "p5", "p6"),
            Err(Rejection::NotEligibleVoter)
        );
        assert_eq!(
            Executioner.cast(&mut b, "PICK", "p4", "p4"),
            Err(Rejection::SelfTarget)
        );
        assert_eq!(
            Executioner.cast(&mut b, "PICK", "p4", "p1"),
            Err(Rejection::TargetImmune("p1".into()))
        );
        assert_eq!(
            Executioner.cast(&mut b, "ELECT", "p1", "p2"),
            Err(Rejection::WrongStage("PICK"))
        );
        assert!(!Executioner.complete(&b));
        Executioner.cast(&mut b, "PICK", "p4", "p6").unwrap();
        assert!(Executioner.complete(&b));
        let o = Executioner.resolve(&b, &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p6"));
        assert_eq!(o.summary.executioner.as_deref(), Some("p4"));
        assert_eq!(o.summary.executioner_pick.as_deref(), Some("p6"));
    }

    #[test]
    fn fallbacks_always_eliminate_someone() {
        let ps = players(&[("p1", 90), ("p2", 80), ("p3", 70), ("p4", 10), ("p5", 20)]);
        // No election votes: lowest silver outside the top three.
        let b = ballot_for(&Executioner, &ps, &[]);
        assert!(Executioner.advance(&b).is_none());
        assert_eq!(
            Executioner.resolve(&b, &mut no_rng).eliminated.as_deref(),
            Some("p4")
        );
        // Elected but no pick: lowest silver among pickable players.
        let mut b = ballot_for(&Executioner, &ps, &[("p1", "p4")]);
        to_pick_stage(&mut b);
        let o = Executioner.resolve(&b, &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p5"));
        assert!(o.tie_break.unwrap().contains("no pick"));
        // Four alive and the executioner is fourth: the top three protection is lifted.
        let ps = players(&[("p1", 90), ("p2", 80), ("p3", 70), ("p4", 10)]);
        let mut b = ballot_for(&Executioner, &ps, &[("p1", "p4")]);
        to_pick_stage(&mut b);
        assert_eq!(b.targets, ["p1", "p2", "p3"]);
        assert!(b.immune.is_empty());
    }
}
