//! Voting mechanisms. Each mechanism is a module with one job: who may vote, who may be voted
//! for, its commands (`VOTE.<MECHANISM>.<VERB>`), and how a closed ballot becomes exactly one
//! elimination (or, for FINALS, a winner).
//!
//! A new mechanism is a new module plus one line in the registry below; nothing else changes
//! (docs/extending.md walks through it).

pub mod bubble;
pub mod duels;
pub mod executioner;
pub mod finals;
pub mod majority;
pub mod podium_sacrifice;
pub mod second_to_last;
pub mod shield;
mod tally;
mod trail;
pub mod trust_pairs;

pub(crate) use tally::{
    alive_ids, count, count_in, fewest, fewest_saves, highest_silver, join, lowest_of,
    lowest_silver, most, off_podium, silver_of, top_three,
};
pub use trail::{Step, Trail};

use super::error::Rejection;
use super::fact::Fact;
use super::registry::registry;
use super::rng::Rng;
use super::roster::Player;
use super::state::{Ctx, GameState, Phase};
use super::timeline::Action;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::collections::BTreeMap;

registry! {
    pub enum VoteType: dyn Mechanism;
    commands VoteCommand: dyn Verb, prefix "VOTE.", in Command::Vote;
    mechanisms {
        Majority = "MAJORITY" => majority::Majority,
        Bubble = "BUBBLE" => bubble::Bubble,
        PodiumSacrifice = "PODIUM_SACRIFICE" => podium_sacrifice::PodiumSacrifice,
        SecondToLast = "SECOND_TO_LAST" => second_to_last::SecondToLast,
        Shield = "SHIELD" => shield::Shield,
        TrustPairs = "TRUST_PAIRS" => trust_pairs::TrustPairs,
        Executioner = "EXECUTIONER" => executioner::Executioner,
        Duels = "DUELS" => duels::Duels,
        Finals = "FINALS" => finals::Finals,
    }
}

impl VoteType {
    /// Whether this engine version runs the mechanism (every registered one does).
    pub fn is_supported(self) -> bool {
        self.mechanism().is_supported()
    }

    /// Fewest alive players the mechanism makes sense with (docs/voting.md, "Common rules").
    pub fn min_players(self) -> usize {
        self.mechanism().min_players()
    }
}

/// What a vote command asks of its mechanism.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask<'a> {
    /// Name a player with a verb (`CAST`, `SAVE`, `TRUST`, `ELIMINATE`, `ELECT`, `PICK`).
    Name { verb: &'static str, target: &'a str },
    /// Stake silver (`VOTE.DUELS.DUEL`).
    Stake(u64),
}

impl<'a> Ask<'a> {
    /// The usual verb: `CAST` naming `target`.
    pub fn cast(target: &'a str) -> Ask<'a> {
        Ask::Name {
            verb: "CAST",
            target,
        }
    }
}

/// One mechanism's command, as the voting layer routes it.
pub trait Verb {
    fn ask(&self) -> Ask<'_>;
}

/// Which part of a vote is running. Most mechanisms have only [`Stage::Vote`]; EXECUTIONER and
/// DUELS continue after CLOSE_VOTING in a second stage that runs until END_DAY (or until its
/// input is complete).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE", rename_all_fields = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "VoteStage"))]
pub enum Stage {
    /// The vote proper, from OPEN_VOTING to CLOSE_VOTING.
    #[default]
    Vote,
    /// EXECUTIONER: the elected executioner picks who leaves.
    Pick {
        executioner: String,
        /// Election votes per candidate (public once the election closed).
        election: Vec<(String, u32)>,
        tie_break: Option<String>,
    },
    /// DUELS: the two most-named players stake silver in secret.
    Duel {
        duelists: Vec<String>,
        /// Nominations per player (public once nominations closed).
        nominations: Vec<(String, u32)>,
        tie_break: Option<String>,
    },
}

impl Stage {
    pub fn as_str(&self) -> &'static str {
        match self {
            Stage::Vote => "VOTE",
            Stage::Pick { .. } => "PICK",
            Stage::Duel { .. } => "DUEL",
        }
    }
}

/// An open vote: frozen eligibility and silver at opening, and the current votes (secret until
/// the result; votes may change until close).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    pub mechanism: VoteType,
    /// Who may act in the current stage.
    pub voters: Vec<String>,
    /// Who may be named in the current stage.
    pub targets: Vec<String>,
    /// Silver of every alive player when voting opened (tie-breaks use this snapshot), roster order.
    /// A player eliminated while the vote is open leaves this list (it doubles as "alive").
    pub silver_at_open: Vec<(String, u64)>,
    /// voter -> target, for the mechanism's main verb (CAST, SAVE, ELIMINATE, ELECT).
    pub votes: BTreeMap<String, String>,
    /// Alive players protected from being named (top-3 silver in BUBBLE and the executioner's
    /// pick). Public: silver is public.
    #[serde(default)]
    pub immune: Vec<String>,
    #[serde(default)]
    pub stage: Stage,
    /// voter -> target, for a second verb (TRUST_PAIRS' TRUST, EXECUTIONER's PICK).
    #[serde(default)]
    pub picks: BTreeMap<String, String>,
    /// duelist -> silver staked (DUELS).
    #[serde(default)]
    pub stakes: BTreeMap<String, u64>,
    // --- Daily games: CURSE_HALF_VOTE (see games::effects) ---
    /// Voters whose vote weighs half tonight. When any is listed, [`count`] tallies half-votes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub half_votes: Vec<String>,
}

impl Default for Ballot {
    fn default() -> Ballot {
        Ballot {
            mechanism: VoteType::Majority,
            voters: Vec::new(),
            targets: Vec::new(),
            silver_at_open: Vec::new(),
            votes: BTreeMap::new(),
            immune: Vec::new(),
            stage: Stage::Vote,
            picks: BTreeMap::new(),
            stakes: BTreeMap::new(),
            half_votes: Vec::new(),
        }
    }
}

impl Ballot {
    /// Players alive now among those alive at opening, roster order.
    pub fn alive(&self) -> Vec<String> {
        self.silver_at_open.iter().map(|(p, _)| p.clone()).collect()
    }

    /// Moves to the next stage of a multi-stage vote (CLOSE_VOTING, and the mechanisms' tests).
    pub(crate) fn enter(&mut self, next: NextStage) {
        self.stage = next.stage;
        self.voters = next.voters;
        self.targets = next.targets;
        self.immune = next.immune;
    }

    /// Whether `voter` has acted in the current stage (the only thing public while a vote is open).
    pub fn has_acted(&self, voter: &str) -> bool {
        match self.stage {
            Stage::Vote => self.votes.contains_key(voter) || self.picks.contains_key(voter),
            Stage::Pick { .. } => self.picks.contains_key(voter),
            Stage::Duel { .. } => self.stakes.contains_key(voter),
        }
    }
}

/// Per-mechanism details of a result (docs/voting.md, "Result"). Public with the
/// result. Empty fields are left out of the JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "VoteSummary"))]
pub struct Summary {
    /// BUBBLE: the top-3 silver players; TRUST_PAIRS: members of mutual trust pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub immune: Vec<String>,
    /// PODIUM_SACRIFICE: the top-3 silver players (the only targets).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub podium: Vec<String>,
    /// TRUST_PAIRS: pairs who trusted each other, roster order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mutual_pairs: Vec<(String, String)>,
    /// EXECUTIONER: who was elected (absent when nobody voted in the election).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executioner: Option<String>,
    /// EXECUTIONER: whom the executioner picked (absent when the fallback decided).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executioner_pick: Option<String>,
    /// SECOND_TO_LAST: alive players by silver at opening, highest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub silver_ranking: Vec<(String, u64)>,
    /// DUELS: the two players who duelled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duelists: Vec<String>,
    /// DUELS: what each duelist staked (a duelist who did not stake is left out: stake 0).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stakes: Vec<(String, u64)>,
    /// Silver each player pays as a result (DUELS: the survivor pays their stake).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub charges: Vec<(String, u64)>,
}

impl Summary {
    pub fn is_empty(&self) -> bool {
        *self == Summary::default()
    }
}

/// What a closed ballot decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub mechanism: VoteType,
    /// Votes per target, in target order (public once the result is out). Saves for BUBBLE,
    /// PODIUM_SACRIFICE and SHIELD; counted eliminate votes for TRUST_PAIRS; election votes for
    /// EXECUTIONER; nominations for DUELS.
    pub tallies: Vec<(String, u32)>,
    pub eliminated: Option<String>,
    pub winner: Option<String>,
    /// How a tie or an empty ballot was settled, in words, when it was.
    pub tie_break: Option<String>,
    #[serde(default)]
    pub summary: Summary,
    /// How the mechanism got there, step by step (read by the audit; not journaled nor
    /// snapshotted, see [`Trail`]).
    #[serde(skip)]
    pub trail: Trail,
}

impl Outcome {
    pub(crate) fn new(mechanism: VoteType) -> Outcome {
        Outcome {
            mechanism,
            tallies: Vec::new(),
            eliminated: None,
            winner: None,
            tie_break: None,
            summary: Summary::default(),
            trail: Trail::default(),
        }
    }
}

/// The next stage of a multi-stage vote, decided at CLOSE_VOTING.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextStage {
    pub stage: Stage,
    pub voters: Vec<String>,
    pub targets: Vec<String>,
    pub immune: Vec<String>,
}

pub(crate) trait Mechanism: Sync {
    /// Fewest alive players the mechanism makes sense with (a DYNAMIC rotation skips it below).
    fn min_players(&self) -> usize;
    /// The document in docs/ that describes it (`docs/voting.md`).
    fn docs(&self) -> &'static str;
    /// Whether this engine version runs it.
    fn is_supported(&self) -> bool {
        true
    }
    /// Records one vote. The default is a single verb: an eligible voter names an eligible
    /// target, and may change their vote until close.
    fn cast(
        &self,
        ballot: &mut Ballot,
        verb: &str,
        voter: &str,
        target: &str,
    ) -> Result<(), Rejection> {
        let _ = verb;
        cast_main(ballot, voter, target)
    }
    /// Records a stake (`VOTE.DUELS.DUEL`). `balance` is the player's silver now.
    fn stake(
        &self,
        ballot: &mut Ballot,
        voter: &str,
        amount: u64,
        balance: u64,
    ) -> Result<(), Rejection> {
        let _ = (ballot, voter, amount, balance);
        Err(Rejection::Unsupported(format!(
            "stakes in {}",
            self.vote_type().as_str()
        )))
    }
    fn vote_type(&self) -> VoteType;
    /// Who may vote, from the roster at opening. The default: every alive player.
    fn voters(&self, players: &[Player]) -> Vec<String> {
        alive_ids(players)
    }
    /// Who may be voted for. The default: every alive player.
    fn targets(&self, players: &[Player]) -> Vec<String> {
        alive_ids(players)
    }
    /// Alive players who may not be named (at opening).
    fn immune(&self, players: &[Player]) -> Vec<String> {
        let _ = players;
        Vec::new()
    }
    /// Settles at OPEN_VOTING, without any player input (SECOND_TO_LAST).
    fn instant(&self) -> bool {
        false
    }
    /// After an accepted input: whether the ballot is complete and settles now, before END_DAY
    /// (the executioner's pick; both duelists' stakes).
    fn complete(&self, ballot: &Ballot) -> bool {
        let _ = ballot;
        false
    }
    /// CLOSE_VOTING: `Some` keeps the ballot open in a later stage (until END_DAY or until
    /// [`Mechanism::complete`]); `None` settles it now with [`Mechanism::resolve`].
    fn advance(&self, ballot: &Ballot) -> Option<NextStage> {
        let _ = ballot;
        None
    }
    /// Settles the ballot, whatever stage it is in (at CLOSE_VOTING, END_DAY, or when complete).
    /// `rng` is only called when a random tie-break is needed.
    fn resolve(&self, ballot: &Ballot, rng: &mut dyn FnMut() -> Rng) -> Outcome;
}

/// The default single-verb vote into `ballot.votes`.
pub(crate) fn cast_main(ballot: &mut Ballot, voter: &str, target: &str) -> Result<(), Rejection> {
    check_vote_stage(ballot, voter, target)?;
    ballot.votes.insert(voter.to_string(), target.to_string());
    Ok(())
}

/// [`check`] during the vote proper: what every first-stage verb checks first, in this order.
pub(crate) fn check_vote_stage(
    ballot: &Ballot,
    voter: &str,
    target: &str,
) -> Result<(), Rejection> {
    if ballot.stage != Stage::Vote {
        return Err(Rejection::WrongStage(ballot.stage.as_str()));
    }
    check(ballot, voter, target)
}

/// Eligibility of `voter` naming `target` in the current stage.
pub(crate) fn check(ballot: &Ballot, voter: &str, target: &str) -> Result<(), Rejection> {
    if !ballot.voters.iter().any(|v| v == voter) {
        return Err(Rejection::NotEligibleVoter);
    }
    if !ballot.targets.iter().any(|t| t == target) {
        if ballot.immune.iter().any(|t| t == target) {
            return Err(Rejection::TargetImmune(target.to_string()));
        }
        return Err(Rejection::NotEligibleTarget);
    }
    Ok(())
}

/// OPEN_VOTING: freezes eligibility and silver for today's mechanism.
pub(crate) fn open(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    if st.ballot.is_some() || st.pending.is_some() {
        ctx.facts.push(Fact::NoEffect {
            action: Action::OpenVoting,
            reason: "today's vote already opened".into(),
        });
        return Ok(());
    }
    let vt = st.vote_type.unwrap_or(VoteType::Majority);
    let mech = vt.mechanism();
    // --- Daily games: a SHIELD holder is no target tonight (see games::effects) ---
    let targets = super::games::effects::unshielded(st, vt, mech.targets(&st.players));
    let ballot = Ballot {
        mechanism: vt,
        voters: mech.voters(&st.players),
        targets,
        silver_at_open: silver_at_open(&st.players),
        immune: mech.immune(&st.players),
        // --- Daily games: CURSE_HALF_VOTE ---
        half_votes: super::games::effects::half_voters(st),
        ..Ballot::default()
    };
    // Settle an instant mechanism before anything changes, so a missing seed rejects cleanly.
    let instant = if mech.instant() {
        Some(resolve(mech, &ballot, st, ctx)?)
    } else {
        None
    };
    ctx.facts.push(Fact::VotingOpened {
        mechanism: vt,
        voters: ballot.voters.clone(),
        targets: ballot.targets.clone(),
    });
    match instant {
        Some(outcome) => settle(st, outcome, ctx),
        None => st.ballot = Some(ballot),
    }
    Ok(())
}

/// [`Ballot::silver_at_open`]: every alive player's silver now, roster order.
fn silver_at_open(players: &[Player]) -> Vec<(String, u64)> {
    players
        .iter()
        .filter(|p| p.alive)
        .map(|p| (p.id.clone(), p.silver))
        .collect()
}

/// Runs the mechanism's settlement with the entry's seeded stream. Stakes count only up to the
/// staker's silver now (silver given away after staking does not keep backing the stake).
fn resolve(
    mech: &dyn Mechanism,
    ballot: &Ballot,
    st: &GameState,
    ctx: &Ctx<'_>,
) -> Result<Outcome, Rejection> {
    let capped;
    let ballot = if ballot
        .stakes
        .iter()
        .any(|(p, s)| *s > st.player(p).map(|p| p.silver).unwrap_or(0))
    {
        let mut b = ballot.clone();
        for (p, s) in b.stakes.iter_mut() {
            *s = (*s).min(st.player(p).map(|p| p.silver).unwrap_or(0));
        }
        capped = b;
        &capped
    } else {
        ballot
    };
    let missing_seed = Cell::new(false);
    let drew = Cell::new(false);
    let (seed, seq) = (ctx.seed, ctx.seq);
    let mut outcome = mech.resolve(ballot, &mut || {
        drew.set(true);
        match seed {
            Some(s) => Rng::for_entry(s, seq, "vote"),
            None => {
                missing_seed.set(true);
                Rng::for_entry(&[0; 32], seq, "vote")
            }
        }
    });
    if missing_seed.get() {
        return Err(Rejection::SeedUnknown);
    }
    if drew.get() {
        outcome.trail.stream = Some((seq, "vote"));
    }
    Ok(outcome)
}

/// Makes `outcome` today's result: charges, the public fact, the pending elimination.
fn settle(st: &mut GameState, outcome: Outcome, ctx: &mut Ctx<'_>) {
    for (id, amount) in &outcome.summary.charges {
        let balance = st.player(id).map(|p| p.silver).unwrap_or(0);
        let paid = (*amount).min(balance);
        if paid > 0 {
            let reason = format!("{}_STAKE", outcome.mechanism.as_str());
            st.credit_silver(id, -(paid as i64), &reason, ctx.facts);
        }
    }
    ctx.facts.push(Fact::VoteResult {
        mechanism: outcome.mechanism,
        tallies: outcome.tallies.clone(),
        eliminated: outcome.eliminated.clone(),
        winner: outcome.winner.clone(),
        tie_break: outcome.tie_break.clone(),
        summary: outcome.summary.clone(),
    });
    st.ballot = None;
    st.results.push((st.day, outcome.clone()));
    st.pending = Some(outcome);
}

/// CLOSE_VOTING: settles the ballot into today's pending outcome (applied at END_DAY), or moves
/// a multi-stage vote to its next stage.
pub(crate) fn close(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    let Some(ballot) = st.ballot.as_ref() else {
        ctx.facts.push(Fact::NoEffect {
            action: Action::CloseVoting,
            reason: "no vote is open".into(),
        });
        return Ok(());
    };
    if ballot.stage != Stage::Vote {
        ctx.facts.push(Fact::NoEffect {
            action: Action::CloseVoting,
            reason: format!(
                "voting already closed; the {} stage runs until END_DAY",
                ballot.stage.as_str()
            ),
        });
        return Ok(());
    }
    let mech = ballot.mechanism.mechanism();
    if let Some(next) = mech.advance(ballot) {
        ctx.facts.push(Fact::VotingStage {
            mechanism: ballot.mechanism,
            stage: next.stage.clone(),
            voters: next.voters.clone(),
            targets: next.targets.clone(),
        });
        if let Some(b) = st.ballot.as_mut() {
            b.enter(next);
        }
        return Ok(());
    }
    let outcome = resolve(mech, ballot, st, ctx)?;
    settle(st, outcome, ctx);
    Ok(())
}

/// END_DAY with a ballot still open (in any stage): settles it now; a day's elimination is never
/// lost to a late close or a missing pick.
pub(crate) fn finish(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    let Some(ballot) = st.ballot.as_ref() else {
        return Ok(());
    };
    let mech = ballot.mechanism.mechanism();
    let outcome = resolve(mech, ballot, st, ctx)?;
    settle(st, outcome, ctx);
    Ok(())
}

/// Checks the common preconditions of a player's vote input; returns the mechanism.
fn open_ballot(
    st: &GameState,
    mechanism: VoteType,
    voter: &str,
) -> Result<&'static dyn Mechanism, Rejection> {
    st.require_phase(&[Phase::Day])?;
    st.player(voter)
        .ok_or_else(|| Rejection::UnknownPlayer(voter.to_string()))?;
    let ballot = st.ballot.as_ref().ok_or(Rejection::VotingClosed)?;
    if ballot.mechanism != mechanism {
        return Err(Rejection::WrongMechanism {
            expected: ballot.mechanism.as_str(),
            got: mechanism.as_str(),
        });
    }
    Ok(mechanism.mechanism())
}

/// After an accepted input: settles the ballot if the mechanism says it is complete. On error
/// the ballot is put back as it was before the input (`before`).
fn settle_if_complete(
    st: &mut GameState,
    mech: &dyn Mechanism,
    before: Option<Ballot>,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    let Some(ballot) = st.ballot.as_ref() else {
        return Ok(());
    };
    if !mech.complete(ballot) {
        return Ok(());
    }
    match resolve(mech, ballot, st, ctx) {
        Ok(outcome) => {
            settle(st, outcome, ctx);
            Ok(())
        }
        Err(e) => {
            if before.is_some() {
                st.ballot = before;
            }
            Err(e)
        }
    }
}

/// A player's `VOTE.*` command, routed by what it asks of its mechanism.
pub(crate) fn handle(
    st: &mut GameState,
    voter: &str,
    cmd: &VoteCommand,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    let mechanism = cmd.mechanism();
    match cmd.leaf().ask() {
        Ask::Name { verb, target } => cast(st, mechanism, verb, voter, target, ctx),
        Ask::Stake(amount) => stake(st, mechanism, voter, amount, ctx),
    }
}

/// A player's vote (`VOTE.<MECHANISM>.<VERB>`). The mechanism decides what its verbs mean.
fn cast(
    st: &mut GameState,
    mechanism: VoteType,
    verb: &str,
    voter: &str,
    target: &str,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    let mech = open_ballot(st, mechanism, voter)?;
    let mark = ctx.facts.len();
    let ballot = st.ballot.as_mut().ok_or(Rejection::VotingClosed)?;
    // Only a later stage can complete early; keep a copy to restore if settling fails.
    let before = (ballot.stage != Stage::Vote).then(|| ballot.clone());
    mech.cast(ballot, verb, voter, target)?;
    settle_if_complete(st, mech, before, ctx)?;
    // The fact goes first in the entry's list: the vote, then what it settled.
    ctx.facts.insert(
        mark,
        Fact::VoteCast {
            voter: voter.to_string(),
            mechanism,
            target: target.to_string(),
            verb: (verb != "CAST").then(|| verb.to_string()),
        },
    );
    Ok(())
}

/// A duelist's stake (`VOTE.DUELS.DUEL {stake}`).
fn stake(
    st: &mut GameState,
    mechanism: VoteType,
    voter: &str,
    amount: u64,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    let mech = open_ballot(st, mechanism, voter)?;
    let mark = ctx.facts.len();
    let balance = st.player(voter).map(|p| p.silver).unwrap_or(0);
    let ballot = st.ballot.as_mut().ok_or(Rejection::VotingClosed)?;
    let before = Some(ballot.clone());
    mech.stake(ballot, voter, amount, balance)?;
    settle_if_complete(st, mech, before, ctx)?;
    ctx.facts.insert(
        mark,
        Fact::StakePlaced {
            voter: voter.to_string(),
            mechanism,
            stake: amount,
        },
    );
    Ok(())
}

/// A player eliminated while a vote is open leaves it: their votes, the votes naming them, and
/// their place among voters, targets and the alive.
pub(crate) fn forget(ballot: &mut Ballot, id: &str) {
    ballot
        .votes
        .retain(|voter, target| voter != id && target != id);
    ballot
        .picks
        .retain(|voter, target| voter != id && target != id);
    ballot.stakes.remove(id);
    ballot.voters.retain(|v| v != id);
    ballot.targets.retain(|t| t != id);
    ballot.immune.retain(|t| t != id);
    ballot.silver_at_open.retain(|(p, _)| p != id);
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// Alive players with the given silver, in roster order.
    pub fn players(list: &[(&str, u64)]) -> Vec<Player> {
        list.iter()
            .map(|(id, silver)| Player {
                id: id.to_string(),
                persona_name: id.to_string(),
                real_user_id: String::new(),
                avatar_url: String::new(),
                alive: true,
                silver: *silver,
                gold: 0,
                eliminated_on_day: None,
                qa_answers: Vec::new(),
            })
            .collect()
    }

    /// The ballot `open` would build for `mech`, with `votes` in its main verb.
    pub fn ballot_for(mech: &dyn Mechanism, players: &[Player], votes: &[(&str, &str)]) -> Ballot {
        Ballot {
            mechanism: mech.vote_type(),
            voters: mech.voters(players),
            targets: mech.targets(players),
            silver_at_open: silver_at_open(players),
            immune: mech.immune(players),
            votes: votes
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            ..Ballot::default()
        }
    }

    pub fn no_rng() -> Rng {
        panic!("this settlement never draws")
    }
}
