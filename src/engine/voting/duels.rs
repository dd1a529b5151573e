//! DUELS, in two stages.
//!
//! 1. Nominations, OPEN_VOTING to CLOSE_VOTING: every alive player names another alive player
//!    (`VOTE.DUELS.CAST {targetId}`, not self: SELF_TARGET). At CLOSE_VOTING the two most-named
//!    players become the duelists (ranking: nominations, most first; then lowest silver at
//!    opening; then earliest in roster order). No nominations: the two lowest in silver.
//! 2. Duel, CLOSE_VOTING to END_DAY: each duelist secretly stakes silver
//!    (`VOTE.DUELS.DUEL {stake}`, 0 up to their balance now; may change until the other duelist
//!    has staked). The higher stake wins and pays its stake; the loser is eliminated (and pays
//!    nothing). Equal stakes (including neither staking: both 0): the lower silver at opening
//!    loses; still equal: a seeded coin flip. The duel settles as soon as both have staked, else
//!    at END_DAY (a missing stake counts as 0).
//!
//! With fewer than two alive there is no duel: the lone player is eliminated (as every mechanism
//! eliminates exactly one). A duelist eliminated by an admin during the duel forfeits it.

use super::{
    check_vote_stage, count_in, join, silver_of, Ask, Ballot, Mechanism, NextStage, Outcome, Stage,
    Verb, VoteType,
};
use crate::engine::error::Rejection;

use crate::engine::registry::commands;
use crate::engine::rng::Rng;

commands! {
    pub enum Command {
        /// DUELS: name a player to duel (before CLOSE_VOTING).
        "VOTE.DUELS.CAST" => Cast {
            #[serde(rename = "targetId")]
            target_id: String,
        },
        /// DUELS: a duelist's secret stake of silver (after CLOSE_VOTING).
        "VOTE.DUELS.DUEL" => Duel { stake: u64 },
    }
}

impl Verb for Command {
    fn ask(&self) -> Ask<'_> {
        match self {
            Command::Cast { target_id } => Ask::cast(target_id),
            Command::Duel { stake } => Ask::Stake(*stake),
        }
    }
}

pub struct Duels;

/// The two duelists, the nomination tallies (roster order), and how ties were settled.
fn duelists(ballot: &Ballot) -> (Vec<String>, Vec<(String, u32)>, Option<String>) {
    let alive = ballot.alive();
    let tallies = count_in(&ballot.votes, &alive, &ballot.half_votes);
    let mut ranked = tallies.clone();
    // Stable: equal nominations and silver keep roster order.
    crate::engine::order::sort_by(&mut ranked, |a, b| {
        b.1.cmp(&a.1)
            .then(silver_of(ballot, &a.0).cmp(&silver_of(ballot, &b.0)))
    });
    let chosen: Vec<&String> = ranked.iter().take(2).map(|(p, _)| p).collect();
    // Listed in roster order, like every id list of a ballot.
    let pair: Vec<String> = alive
        .iter()
        .filter(|p| chosen.contains(p))
        .cloned()
        .collect();
    let tie_break = if ranked.len() < 2 {
        None
    } else if ranked.iter().all(|(_, n)| *n == 0) {
        Some("no nominations: the two lowest in silver (then earliest in roster order) duel".into())
    } else {
        // A tie matters when the second and third places share their nominations.
        let second = &ranked[1];
        match ranked.get(2) {
            Some(third) if third.1 == second.1 => {
                let on_silver = silver_of(ballot, &third.0) == silver_of(ballot, &second.0);
                Some(format!(
                    "tied on nominations ({}): lowest silver{}",
                    second.1,
                    if on_silver {
                        ", then earliest in roster order"
                    } else {
                        ""
                    }
                ))
            }
            _ => None,
        }
    };
    (pair, tallies, tie_break)
}

/// Settles a duel between `pair` with the stakes in the ballot.
fn duel(
    ballot: &Ballot,
    pair: &[String],
    rng: &mut dyn FnMut() -> Rng,
    o: &mut Outcome,
) -> Option<String> {
    let (a, b) = (pair.first()?, pair.get(1)?);
    o.summary.duelists = pair.to_vec();
    o.summary.stakes = pair
        .iter()
        .filter_map(|p| ballot.stakes.get(p).map(|s| (p.clone(), *s)))
        .collect();
    let alive = ballot.alive();
    let (a_in, b_in) = (alive.contains(a), alive.contains(b));
    if !a_in || !b_in {
        // A duelist eliminated during the duel forfeits it.
        let loser = if !a_in { a } else { b };
        o.tie_break = Some(format!(
            "{loser} left the game during the duel and forfeits it"
        ));
        o.trail.note(format!(
            "{loser} left the game during the duel and forfeits it"
        ));
        return Some(loser.clone());
    }
    let (sa, sb) = (
        ballot.stakes.get(a).copied().unwrap_or(0),
        ballot.stakes.get(b).copied().unwrap_or(0),
    );
    o.trail.note(format!(
        "stakes (a missing stake counts 0): {a} {sa}, {b} {sb}; the higher stake wins"
    ));
    let (winner, loser) = if sa != sb {
        if sa > sb {
            (a, b)
        } else {
            (b, a)
        }
    } else {
        let (ma, mb) = (silver_of(ballot, a), silver_of(ballot, b));
        if ma != mb {
            o.tie_break = Some(format!(
                "equal stakes ({sa}): the lower silver at opening loses"
            ));
            let higher = if ma > mb { a } else { b };
            o.trail
                .silver(ballot, true, pair, std::slice::from_ref(higher));
            if ma > mb {
                (a, b)
            } else {
                (b, a)
            }
        } else {
            let flip = rng().below(2);
            o.tie_break = Some(format!(
                "equal stakes ({sa}) and equal silver ({ma}): seeded coin flip {flip} of 2"
            ));
            o.trail.silver(ballot, true, pair, pair);
            o.trail.draw(pair, flip);
            if flip == 0 {
                (a, b)
            } else {
                (b, a)
            }
        }
    };
    o.trail
        .note(format!("{winner} wins the duel; {loser} loses it"));
    let paid = ballot.stakes.get(winner).copied().unwrap_or(0);
    if paid > 0 {
        o.summary.charges = vec![(winner.clone(), paid)];
    }
    Some(loser.clone())
}

impl Mechanism for Duels {
    fn vote_type(&self) -> VoteType {
        VoteType::Duels
    }

    fn min_players(&self) -> usize {
        4
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
        if verb != "CAST" {
            return Err(Rejection::Unsupported(format!("DUELS.{verb}")));
        }
        check_vote_stage(ballot, voter, target)?;
        if voter == target {
            return Err(Rejection::SelfTarget);
        }
        ballot.votes.insert(voter.to_string(), target.to_string());
        Ok(())
    }

    fn stake(
        &self,
        ballot: &mut Ballot,
        voter: &str,
        amount: u64,
        balance: u64,
    ) -> Result<(), Rejection> {
        if !matches!(ballot.stage, Stage::Duel { .. }) {
            return Err(Rejection::WrongStage(ballot.stage.as_str()));
        }
        if !ballot.voters.iter().any(|v| v == voter) {
            return Err(Rejection::NotEligibleVoter);
        }
        if amount > balance {
            return Err(Rejection::InsufficientSilver {
                balance,
                needed: amount,
            });
        }
        ballot.stakes.insert(voter.to_string(), amount);
        Ok(())
    }

    fn complete(&self, ballot: &Ballot) -> bool {
        matches!(&ballot.stage, Stage::Duel { duelists, .. }
            if duelists.iter().all(|d| ballot.stakes.contains_key(d)))
    }

    fn advance(&self, ballot: &Ballot) -> Option<NextStage> {
        let (pair, nominations, tie_break) = duelists(ballot);
        if pair.len() < 2 {
            return None;
        }
        Some(NextStage {
            stage: Stage::Duel {
                duelists: pair.clone(),
                nominations,
                tie_break,
            },
            voters: pair,
            targets: Vec::new(),
            immune: Vec::new(),
        })
    }

    fn resolve(&self, ballot: &Ballot, rng: &mut dyn FnMut() -> Rng) -> Outcome {
        let mut o = Outcome::new(VoteType::Duels);
        let (pair, tallies, tie, when) = match &ballot.stage {
            Stage::Duel {
                duelists,
                nominations,
                tie_break,
            } => (
                duelists.clone(),
                nominations.clone(),
                tie_break.clone(),
                "at CLOSE_VOTING",
            ),
            Stage::Vote | Stage::Pick { .. } => {
                let (pair, tallies, tie) = duelists(ballot);
                (pair, tallies, tie, "now")
            }
        };
        let named: Vec<String> = tallies.iter().map(|(p, n)| format!("{p} {n}")).collect();
        o.trail.note(format!(
            "duelists chosen {when}: {} (nominations: {}{})",
            pair.join(", "),
            named.join(", "),
            tie.as_ref().map_or(String::new(), |t| format!("; {t}"))
        ));
        o.tallies = tallies;
        if pair.len() < 2 {
            o.eliminated = pair.first().cloned();
            o.tie_break = Some("fewer than two players alive: no duel".into());
            return o;
        }
        let no_duel = (ballot.stage == Stage::Vote).then(|| {
            "the duel never started (voting never closed before END_DAY): stakes 0".to_string()
        });
        o.eliminated = duel(ballot, &pair, rng, &mut o);
        o.tie_break = join(join(tie, no_duel), o.tie_break.take());
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::voting::test_support::{ballot_for, no_rng, players};

    fn to_duel(b: &mut Ballot) {
        b.enter(Duels.advance(b).expect("two duelists"));
    }

    #[test]
    fn most_named_duel_and_higher_stake_survives() {
        let ps = players(&[("p1", 50), ("p2", 40), ("p3", 30), ("p4", 20)]);
        let mut b = ballot_for(
            &Duels,
            &ps,
            &[("p1", "p2"), ("p3", "p2"), ("p2", "p4"), ("p4", "p1")],
        );
        to_duel(&mut b);
        // p1 and p4 have one nomination each: p4 has less silver.
        assert_eq!(b.voters, ["p2", "p4"]);
        Duels.stake(&mut b, "p2", 5, 40).unwrap();
        assert!(!Duels.complete(&b));
        assert_eq!(
            Duels.stake(&mut b, "p4", 21, 20),
            Err(Rejection::InsufficientSilver {
                balance: 20,
                needed: 21
            })
        );
        assert_eq!(
            Duels.stake(&mut b, "p1", 1, 50),
            Err(Rejection::NotEligibleVoter)
        );
        Duels.stake(&mut b, "p4", 6, 20).unwrap();
        assert!(Duels.complete(&b));
        let o = Duels.resolve(&b, &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p2"));
        assert_eq!(o.summary.charges, [("p4".to_string(), 6)]);
    }

    #[test]
    fn equal_stakes_lower_silver_loses_then_coin_flip() {
        let ps = players(&[("p1", 50), ("p2", 40), ("p3", 30)]);
        let mut b = ballot_for(&Duels, &ps, &[]);
        to_duel(&mut b);
        assert_eq!(b.voters, ["p2", "p3"]);
        let o = Duels.resolve(&b, &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p3"));
        let ps = players(&[("p1", 50), ("p2", 50), ("p3", 50)]);
        let mut b = ballot_for(&Duels, &ps, &[]);
        to_duel(&mut b);
        let draws: Vec<Option<String>> = (0..16u8)
            .map(|s| {
                Duels
                    .resolve(&b, &mut || Rng::for_entry(&[s; 32], 4, "vote"))
                    .eliminated
            })
            .collect();
        assert!(draws.contains(&Some("p1".into())) && draws.contains(&Some("p2".into())));
    }
}
