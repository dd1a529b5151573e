//! Per-player projections: what one player may see. Secrets (votes in progress, the seed) never
//! leave the engine before their reveal.

use super::state::GameState;
use super::voting::Stage;
use serde_json::{json, Value};

/// Tasks listed in a projection (the next few are enough for a countdown).
use crate::limits::PROJECTION_NEXT_TASKS as NEXT_TASKS;

/// The projection for `viewer` (`None` = the public view, as the lobby or a spectator sees it).
pub fn project(st: &GameState, viewer: Option<&str>) -> Value {
    let roster: Vec<Value> = st
        .players
        .iter()
        .map(|p| {
            json!({
                "id": p.id, "personaName": p.persona_name, "avatarUrl": p.avatar_url,
                "alive": p.alive, "silver": p.silver, "gold": p.gold, "eliminatedOnDay": p.eliminated_on_day,
            })
        })
        .collect();
    let voting = st.ballot.as_ref().map(|b| {
        // While a vote is open only who has acted is public, never whom they named or what they
        // staked, for any verb; a voter sees their own choices. What a closed stage decided
        // (the executioner, the duelists, their tallies) is public.
        let has_voted: Vec<&String> = b.voters.iter().filter(|v| b.has_acted(v)).collect();
        let mut v = json!({
            "mechanism": b.mechanism, "stage": b.stage.as_str(), "voters": b.voters, "targets": b.targets,
            "immune": b.immune, "hasVoted": has_voted, "myVote": viewer.and_then(|v| b.votes.get(v)), "myPick": viewer.and_then(|v| b.picks.get(v)),
            "myStake": viewer.and_then(|v| b.stakes.get(v)),
        });
        match &b.stage {
            Stage::Vote => {}
            Stage::Pick { executioner, election, tie_break } => {
                v["executioner"] = json!(executioner);
                v["electionTallies"] = json!(election);
                v["tieBreak"] = json!(tie_break);
            }
            Stage::Duel { duelists, nominations, tie_break } => {
                v["duelists"] = json!(duelists);
                v["nominationTallies"] = json!(nominations);
                v["tieBreak"] = json!(tie_break);
            }
        }
        v
    });
    let results: Vec<Value> = st
        .results
        .iter()
        .map(|(day, o)| {
            json!({ "day": day, "mechanism": o.mechanism, "tallies": o.tallies, "eliminated": o.eliminated,
                    "winner": o.winner, "tieBreak": o.tie_break, "summary": o.summary })
        })
        .collect();
    // Whispers are redacted for everyone but their two players.
    let chat = super::social::project_main_chat(st, viewer);
    let tasks: Vec<Value> = st
        .tasks
        .iter()
        .take(NEXT_TASKS)
        .map(|t| json!({ "taskId": t.id, "dueMs": t.due_ms, "action": t.action }))
        .collect();
    // A destiny is secret to its holder until the game is over; then all are shown.
    let over = matches!(st.phase, super::Phase::GameSummary | super::Phase::GameOver);
    let destinies: Vec<Value> = st
        .destinies
        .holders
        .iter()
        .filter(|h| over || Some(h.player_id.as_str()) == viewer)
        .map(|h| json!({ "playerId": h.player_id, "destiny": h.destiny, "status": h.status }))
        .collect();
    let accusations: Vec<Value> = match viewer {
        Some(v)
            if over
                || st
                    .destinies
                    .of(v)
                    .is_some_and(|h| h.destiny == super::destiny::Destiny::Detective) =>
        {
            st.destinies
                .accusations
                .iter()
                .map(|(d, t)| json!({ "day": d, "targetId": t }))
                .collect()
        }
        _ if over => st
            .destinies
            .accusations
            .iter()
            .map(|(d, t)| json!({ "day": d, "targetId": t }))
            .collect(),
        _ => Vec::new(),
    };
    let mut view = json!({
        "destinies": destinies,
        "accusations": accusations,
        "gameId": st.game_id,
        "mode": st.manifest.mode,
        "kind": st.manifest.kind,
        "scheduling": st.manifest.scheduling,
        "phase": st.phase.as_str(),
        "day": st.day,
        "voteType": st.vote_type,
        "groupChatOpen": st.group_chat_open,
        "dmsOpen": st.dms_open,
        "roster": roster,
        "chat": chat,
        "voting": voting,
        "results": results,
        "goldPool": st.gold_pool,
        "winner": st.winner,
        "nextTasks": tasks,
        "seedCommitment": st.seed_commitment,
        "you": viewer,
    });
    // Social keys: dmRules (public); the viewer's own dms, dmStats, perkResults, nudges.
    if let Some(o) = view.as_object_mut() {
        o.extend(super::social::project_social(st, viewer));
        // --- Prompts, dilemmas, confessions, inactivity ---
        o.extend(super::content::project(st, viewer));
        // --- Daily games: today's game as the viewer may see it, results and effects ---
        o.insert("games".into(), super::games::project(st, viewer));
    }
    view
}
