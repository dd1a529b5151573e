//! SHIELD: every alive player saves any alive player (self allowed) with `VOTE.SHIELD.SAVE`. The
//! player with the fewest saves is eliminated. Tie (including nobody saving anyone): a seeded
//! random draw among the tied, in roster order, from the game's seed and the settling entry's
//! seq (replayable; never an unseeded random).

use super::{count, fewest, Ask, Ballot, Mechanism, Outcome, Verb, VoteType};
use crate::engine::registry::commands;
use crate::engine::rng::Rng;

commands! {
    pub enum Command {
        /// SHIELD: save any alive player.
        "VOTE.SHIELD.SAVE" => Save {
            #[serde(rename = "targetId")]
            target_id: String,
        },
    }
}

impl Verb for Command {
    fn ask(&self) -> Ask<'_> {
        match self {
            Command::Save { target_id } => Ask::Name {
                verb: "SAVE",
                target: target_id,
            },
        }
    }
}

pub struct Shield;

impl Mechanism for Shield {
    fn vote_type(&self) -> VoteType {
        VoteType::Shield
    }

    fn min_players(&self) -> usize {
        4
    }

    fn docs(&self) -> &'static str {
        "docs/voting.md"
    }

    fn resolve(&self, ballot: &Ballot, rng: &mut dyn FnMut() -> Rng) -> Outcome {
        let tallies = count(ballot);
        let (pool, min) = fewest(&tallies);
        let mut o = Outcome::new(VoteType::Shield);
        o.trail.counted("save", false, min, &tallies, &pool);
        let why = if tallies.iter().all(|(_, n)| *n == 0) {
            "no saves: every alive player is tied".to_string()
        } else {
            format!("tied on fewest saves ({min})")
        };
        match pool.len() {
            0 => o.tie_break = Some("nobody was eligible".into()),
            1 => o.eliminated = pool.first().cloned(),
            n => {
                let pick = rng().below(n as u64);
                o.eliminated = o.trail.draw(&pool, pick);
                o.tie_break = Some(format!(
                    "{why}; seeded draw {pick} of {n} among {}",
                    pool.join(", ")
                ));
            }
        }
        o.tallies = tallies;
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::voting::test_support::{ballot_for, no_rng, players};

    #[test]
    fn fewest_saves_leaves() {
        let ps = players(&[("p1", 50), ("p2", 50), ("p3", 50)]);
        let b = ballot_for(&Shield, &ps, &[("p1", "p1"), ("p2", "p1"), ("p3", "p2")]);
        let o = Shield.resolve(&b, &mut no_rng);
        assert_eq!(o.eliminated.as_deref(), Some("p3"));
    }

    #[test]
    fn ties_are_a_seeded_draw() {
        let ps = players(&[("p1", 50), ("p2", 10), ("p3", 50)]);
        let b = ballot_for(&Shield, &ps, &[]);
        let draws: Vec<Option<String>> = (0..24u8)
            .map(|s| {
                Shield
                    .resolve(&b, &mut || Rng::for_entry(&[s; 32], 9, "vote"))
                    .eliminated
            })
            .collect();
        for p in ["p1", "p2", "p3"] {
            assert!(draws.contains(&Some(p.into())), "{p} never drawn");
        }
        let again = Shield.resolve(&b, &mut || Rng::for_entry(&[5; 32], 9, "vote"));
        assert_eq!(again.eliminated, draws[5]);
        assert!(again.tie_break.unwrap().contains("seeded draw"));
    }
}
