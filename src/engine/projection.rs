//! Per-player projections: what one player may see. Secrets (votes in progress, the seed) never
//! leave the engine before their reveal.
//!
//! The projection is a typed value ([`GameView`] and the views of each module, defined next to
//! the function that builds them); its JSON Schema is derived from these types
//! (`schemas/projection.schema.json`).

use super::content::ContentView;
use super::destiny::{Destiny, Status};
use super::games::GamesView;
use super::manifest::{Kind, Mode, Scheduling, VoteType};
use super::social::view::{ChatEntry, SocialView};
use super::state::{GameState, Phase};
use super::voting::{Stage, Summary};
use crate::journal::Hash;
use serde::{Deserialize, Serialize};

/// Tasks listed in a projection (the next few are enough for a countdown).
use crate::limits::PROJECTION_NEXT_TASKS as NEXT_TASKS;

/// What one player (or, with `you: null`, anyone) may see of a running game, without the chain
/// heads the room adds (`room::Projection`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GameView {
    pub game_id: String,
    pub mode: Mode,
    pub kind: Kind,
    pub scheduling: Scheduling,
    pub phase: Phase,
    pub day: u32,
    pub vote_type: Option<VoteType>,
    pub group_chat_open: bool,
    pub dms_open: bool,
    pub roster: Vec<RosterEntry>,
    /// Today's MAIN chat.
    pub chat: Vec<ChatEntry>,
    pub voting: Option<VotingView>,
    pub results: Vec<VoteResultView>,
    pub gold_pool: u64,
    pub winner: Option<String>,
    /// The next few scheduled timeline steps.
    pub next_tasks: Vec<NextTask>,
    pub seed_commitment: Hash,
    /// The viewer's player id (null: the public view).
    pub you: Option<String>,
    /// The viewer's own destiny; everyone's once the game is over.
    pub destinies: Vec<DestinyView>,
    pub accusations: Vec<Accusation>,
    /// Social keys: `dmRules` (public); the viewer's own `dms`, `dmStats`, `perkResults`,
    /// `nudges`.
    #[serde(flatten)]
    pub social: SocialView,
    /// `activity`, `dilemma`, `confession`, `inactivity`.
    #[serde(flatten)]
    pub content: ContentView,
    /// Daily games: today's game as the viewer may see it, results and effects.
    pub games: GamesView,
    /// The Q&A answers revealed in the pregame, in reveal order (public; absent while none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub qa_revealed: Vec<super::pregame::RevealedView>,
    /// The viewer's private messages from the Game Master (absent while none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gm_messages: Vec<super::gamemaster::GmMessageView>,
}

/// One player of the roster, as everyone sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RosterEntry {
    pub id: String,
    pub persona_name: String,
    pub avatar_url: String,
    pub alive: bool,
    pub silver: u64,
    pub gold: u64,
    pub eliminated_on_day: Option<u32>,
}

/// Which part of the open ballot runs (`voting.stage`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BallotStage {
    Vote,
    Pick,
    Duel,
}

/// The open ballot. While a vote is open only who has acted is public, never whom they named or
/// what they staked; a voter sees their own choices. What a closed stage decided (the
/// executioner, the duelists, their tallies) is public.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(rename = "Voting"))]
pub struct VotingView {
    pub mechanism: VoteType,
    pub stage: BallotStage,
    pub voters: Vec<String>,
    pub targets: Vec<String>,
    pub immune: Vec<String>,
    /// Who has acted in the current stage; never whom they named.
    pub has_voted: Vec<String>,
    pub my_vote: Option<String>,
    pub my_pick: Option<String>,
    pub my_stake: Option<u64>,
    /// PICK stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub executioner: Option<String>,
    /// PICK stage: election votes per candidate.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<(String, u32)>"))]
    pub election_tallies: Option<Vec<(String, u32)>>,
    /// DUEL stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    pub duelists: Option<Vec<String>>,
    /// DUEL stage: nominations per player.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<(String, u32)>"))]
    pub nomination_tallies: Option<Vec<(String, u32)>>,
    /// PICK and DUEL stages: how the stage's tie was settled, or null.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub tie_break: Option<Option<String>>,
}

/// A closed day's vote result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VoteResultView {
    pub day: u32,
    pub mechanism: VoteType,
    /// `[player id, count]` per target.
    pub tallies: Vec<(String, u32)>,
    pub eliminated: Option<String>,
    pub winner: Option<String>,
    pub tie_break: Option<String>,
    pub summary: Summary,
}

/// A scheduled task: the room's alarm queue (`GET …/state`, `LIST_TASKS`) and a projection's
/// `nextTasks`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NextTask {
    pub task_id: String,
    /// When it fires, in ms since the Unix epoch.
    pub due_ms: i64,
    /// The timeline action it runs.
    #[cfg_attr(feature = "schema", schemars(with = "crate::engine::timeline::Action"))]
    pub action: String,
}

/// One destiny as the viewer may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DestinyView {
    pub player_id: String,
    pub destiny: Destiny,
    pub status: Status,
}

/// A DETECTIVE's accusation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Accusation {
    pub day: u32,
    pub target_id: String,
}

fn voting(st: &GameState, viewer: Option<&str>) -> Option<VotingView> {
    let b = st.ballot.as_ref()?;
    let mine =
        |m: &std::collections::BTreeMap<String, String>| viewer.and_then(|v| m.get(v)).cloned();
    let mut v = VotingView {
        mechanism: b.mechanism,
        stage: BallotStage::Vote,
        voters: b.voters.clone(),
        targets: b.targets.clone(),
        immune: b.immune.clone(),
        has_voted: b
            .voters
            .iter()
            .filter(|v| b.has_acted(v))
            .cloned()
            .collect(),
        my_vote: mine(&b.votes),
        my_pick: mine(&b.picks),
        my_stake: viewer.and_then(|v| b.stakes.get(v)).copied(),
        executioner: None,
        election_tallies: None,
        duelists: None,
        nomination_tallies: None,
        tie_break: None,
    };
    match &b.stage {
        Stage::Vote => {}
        Stage::Pick {
            executioner,
            election,
            tie_break,
        } => {
            v.stage = BallotStage::Pick;
            v.executioner = Some(executioner.clone());
            v.election_tallies = Some(election.clone());
            v.tie_break = Some(tie_break.clone());
        }
        Stage::Duel {
            duelists,
            nominations,
            tie_break,
        } => {
            v.stage = BallotStage::Duel;
            v.duelists = Some(duelists.clone());
            v.nomination_tallies = Some(nominations.clone());
            v.tie_break = Some(tie_break.clone());
        }
    }
    Some(v)
}

/// The silver `player` paid today for DMs, as far as today's conversations still show it (each
/// DM sent cost the day's `dmCost`).
fn dm_spend_today(st: &GameState, player: &str) -> u64 {
    let sent = st
        .social
        .channels
        .iter()
        .flat_map(|c| c.messages.iter())
        .filter(|m| m.from == player)
        .count() as u64;
    sent.saturating_mul(st.social.params.dm_cost)
}

/// The projection for `viewer` (`None` = the public view, as the lobby or a spectator sees it).
///
/// A player sees the others' silver without what they paid for today's DMs: DM costs are
/// settled, for the others' eyes, when the day's conversations end (the next morning), so a
/// balance dropping by `dmCost` does not tell that someone sent a DM (docs/security.md). The
/// viewer's own balance, and the public view, are the real ones.
pub fn project(st: &GameState, viewer: Option<&str>) -> GameView {
    let roster = st
        .players
        .iter()
        .map(|p| RosterEntry {
            id: p.id.clone(),
            persona_name: p.persona_name.clone(),
            avatar_url: p.avatar_url.clone(),
            alive: p.alive,
            silver: match viewer {
                Some(v) if v != p.id => p.silver.saturating_add(dm_spend_today(st, &p.id)),
                _ => p.silver,
            },
            gold: p.gold,
            eliminated_on_day: p.eliminated_on_day,
        })
        .collect();
    let results = st
        .results
        .iter()
        .map(|(day, o)| VoteResultView {
            day: *day,
            mechanism: o.mechanism,
            tallies: o.tallies.clone(),
            eliminated: o.eliminated.clone(),
            winner: o.winner.clone(),
            tie_break: o.tie_break.clone(),
            summary: o.summary.clone(),
        })
        .collect();
    let next_tasks = st
        .tasks
        .iter()
        .take(NEXT_TASKS)
        .map(|t| NextTask {
            task_id: t.id.clone(),
            due_ms: t.due_ms,
            action: t.action.as_str().to_string(),
        })
        .collect();
    // A destiny is secret to its holder until the game is over; then all are shown.
    let over = matches!(st.phase, Phase::GameSummary | Phase::GameOver);
    let destinies = st
        .destinies
        .holders
        .iter()
        .filter(|h| over || Some(h.player_id.as_str()) == viewer)
        .map(|h| DestinyView {
            player_id: h.player_id.clone(),
            destiny: h.destiny,
            status: h.status,
        })
        .collect();
    // Accusations: the DETECTIVE's own, everyone's once the game is over.
    let detective = viewer.is_some_and(|v| {
        st.destinies
            .of(v)
            .is_some_and(|h| h.destiny == Destiny::Detective)
    });
    let accusations = if over || detective {
        st.destinies
            .accusations
            .iter()
            .map(|(d, t)| Accusation {
                day: *d,
                target_id: t.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    GameView {
        game_id: st.game_id.clone(),
        mode: st.manifest.mode,
        kind: st.manifest.kind,
        scheduling: st.manifest.scheduling,
        phase: st.phase,
        day: st.day,
        vote_type: st.vote_type,
        group_chat_open: st.group_chat_open,
        dms_open: st.dms_open,
        roster,
        // Whispers are redacted for everyone but their two players.
        chat: super::social::project_main_chat(st, viewer),
        voting: voting(st, viewer),
        results,
        gold_pool: st.gold_pool,
        winner: st.winner.clone(),
        next_tasks,
        seed_commitment: st.seed_commitment,
        you: viewer.map(str::to_string),
        destinies,
        accusations,
        social: super::social::project_social(st, viewer),
        content: super::content::project(st, viewer),
        games: super::games::project(st, viewer),
        qa_revealed: super::pregame::project(st),
        gm_messages: super::gamemaster::project(st, viewer),
    }
}
