//! The day loop: mornings, timeline actions, nights, the end of the game. Each action settles
//! completely before the next one runs (a CLOSE_VOTING and an END_DAY at the same instant still
//! produce the elimination).

use super::error::Rejection;
use super::fact::Fact;
use super::manifest::{Kind, Mode, Scheduling};
use super::rules::rules_for;
use super::state::{Ctx, GameState, Phase, Task};
use super::timeline::Action;
use super::{destiny, economy, games, social, voting};
// --- Prompts, dilemmas, confessions, inactivity ---
use super::{confession, content};

pub(crate) fn run_action(
    st: &mut GameState,
    action: Action,
    task_day: u32,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    match action {
        Action::StartDay => {
            if st.phase == Phase::Day {
                // The next morning is due while today is still running (a late END_DAY or a bad
                // manifest): settle today first, never skip its elimination.
                end_day(st, ctx)?;
                if st.phase == Phase::GameSummary {
                    return Ok(());
                }
            }
            start_day(st, task_day, ctx)
        }
        Action::EndDay => {
            if st.phase != Phase::Day {
                ctx.no_effect(action, format!("phase is {}", st.phase.as_str()));
                return Ok(());
            }
            end_day(st, ctx)
        }
        _ if st.phase != Phase::Day => {
            ctx.no_effect(action, format!("phase is {}", st.phase.as_str()));
            Ok(())
        }
        Action::OpenGroupChat | Action::CloseGroupChat => {
            let open = action == Action::OpenGroupChat;
            set_gate(st, "GROUP_CHAT", open, ctx);
            // --- Prompts, dilemmas, confessions, inactivity ---
            confession::on_group_chat_gate(st, open);
            Ok(())
        }
        Action::OpenDms | Action::CloseDms => {
            set_gate(st, "DMS", action == Action::OpenDms, ctx);
            Ok(())
        }
        Action::OpenVoting => {
            // --- Daily games: a game still running ends first, so its effects reach the vote.
            games::end_if_running(st, ctx);
            voting::open(st, ctx)
        }
        Action::CloseVoting => voting::close(st, ctx),
        Action::Eliminate => {
            eliminate_now(st, ctx);
            Ok(())
        }
        // --- Prompts, dilemmas, confessions, inactivity ---
        Action::StartActivity
        | Action::EndActivity
        | Action::StartDilemma
        | Action::EndDilemma
        | Action::StartConfessionChat
        | Action::EndConfessionChat => content::run_action(st, action, ctx),
        // --- Daily games ---
        Action::StartGame => games::start(st, ctx),
        Action::EndGame => games::end(st, ctx),
        Action::GameTimer => {
            games::timer_fired(st, ctx);
            Ok(())
        }
    }
}

pub(crate) fn set_gate(st: &mut GameState, gate: &str, open: bool, ctx: &mut Ctx<'_>) {
    let flag = if gate == "DMS" {
        &mut st.dms_open
    } else {
        &mut st.group_chat_open
    };
    if *flag != open {
        *flag = open;
        ctx.facts.push(Fact::GateChanged {
            gate: gate.to_string(),
            open,
        });
    }
}

/// Players a PECKING_ORDER game needs before day 1 starts: a DYNAMIC game's `minPlayers`, 2 for
/// a STATIC one (which may start with an empty roster when players join in pregame).
pub(crate) fn quorum(m: &super::manifest::Manifest) -> usize {
    if m.kind == Kind::Dynamic {
        m.min_players
    } else {
        super::manifest::FEWEST_PLAYERS as usize
    }
}

pub(crate) fn start_day(st: &mut GameState, day: u32, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    let m = &st.manifest;
    if m.mode == Mode::PeckingOrder && st.phase == Phase::PreGame && st.players.len() < quorum(m) {
        // Not enough players yet: the start waits for a join that reaches the quorum.
        ctx.facts.push(Fact::StartPostponed {
            players: st.players.len() as u32,
            needed: quorum(m) as u32,
        });
        return Ok(());
    }
    let rules = rules_for(m);
    let plan = rules.plan_day(m, day, ctx.at_ms, st.alive_count(), st.rules_version);
    if st.phase == Phase::PreGame {
        // The only fallible step, first: nothing has changed if the seed is unknown.
        destiny::deal(st, ctx)?;
    }
    st.drop_tasks(ctx.facts, |t| {
        t.day < day || (t.day == day && t.action == Action::StartDay)
    });
    st.day = day;
    st.phase = Phase::Day;
    st.vote_type = Some(plan.vote_type);
    st.chat.clear();
    st.group_chat_open = false;
    st.dms_open = false;
    st.ballot = None;
    st.pending = None;
    ctx.facts.push(Fact::PhaseChanged {
        phase: Phase::Day.as_str().into(),
        day,
    });
    social::start_day(st, day, ctx);
    // --- Prompts, dilemmas, confessions, inactivity ---
    content::start_day(st, day, ctx);
    // --- Daily games: today's game ---
    games::start_day(st, day);
    if st.manifest.scheduling == Scheduling::PreScheduled {
        let mut tasks: Vec<Task> = plan
            .timeline
            .iter()
            .enumerate()
            .map(|(i, (t, a))| Task::new(day, i + 1, *t, *a))
            .collect();
        if let Some(next) = plan.next_day_start_ms {
            tasks.push(Task::new(day + 1, 0, next, Action::StartDay));
        }
        st.schedule(tasks, ctx.facts);
    }
    Ok(())
}

pub(crate) fn eliminate(st: &mut GameState, id: &str, mechanism: &str, ctx: &mut Ctx<'_>) {
    let day = st.day;
    if let Some(p) = st.player_mut(id) {
        p.alive = false;
        p.eliminated_on_day = Some(day);
    }
    if let Some(b) = st.ballot.as_mut() {
        voting::forget(b, id);
    }
    ctx.facts.push(Fact::Elimination {
        player_id: id.to_string(),
        mechanism: mechanism.to_string(),
        day,
    });
    destiny::on_elimination(st, id, ctx);
}

/// ELIMINATE: the elimination of today's vote result, applied now (docs/content.md §1.3). The
/// result stays pending, so END_DAY still crowns a FINALS winner; its elimination is then a
/// no-op (the player is out already). Nothing to apply is a NoEffect fact.
fn eliminate_now(st: &mut GameState, ctx: &mut Ctx<'_>) {
    let Some(outcome) = st.pending.as_ref() else {
        let why = if st.ballot.is_some() {
            "the vote is still open"
        } else {
            "no vote result is pending"
        };
        ctx.no_effect(Action::Eliminate, why);
        return;
    };
    let mechanism = outcome.mechanism.as_str();
    match outcome.eliminated.clone() {
        None => ctx.no_effect(Action::Eliminate, "today's vote eliminates no one"),
        Some(id) if !st.is_alive(&id) => {
            ctx.no_effect(Action::Eliminate, format!("{id} is already eliminated"))
        }
        Some(id) => eliminate(st, &id, mechanism, ctx),
    }
}

pub(crate) fn end_day(st: &mut GameState, ctx: &mut Ctx<'_>) -> Result<(), Rejection> {
    // --- Prompts, dilemmas, confessions, inactivity --- (fallible checks before any change)
    content::check_end_day(st, ctx)?;
    // Settle a vote still open (in any stage): the day's elimination is never lost to a late
    // close or a missing pick. Fallible (seed), so it runs before anything else changes.
    voting::finish(st, ctx)?;
    // --- Daily games: a game still running ends (its results count; OPEN_VOTING already ended
    // any game whose effects reach tonight's vote).
    games::end_if_running(st, ctx);
    // --- Prompts, dilemmas, confessions, inactivity --- (open content ends with its results)
    content::close_for_end_day(st, ctx);
    // Destinies are rewarded with the pool as it stands before the winner's payout.
    let pool_before_payout = st.gold_pool;
    if let Some(outcome) = st.pending.take() {
        let mech = outcome.mechanism.as_str();
        if let Some(id) = outcome.eliminated.as_deref() {
            if st.is_alive(id) {
                eliminate(st, id, mech, ctx);
            }
        }
        if let Some(w) = outcome.winner.as_deref() {
            economy::crown(st, w, ctx);
        }
    }
    // --- Prompts, dilemmas, confessions, inactivity --- (PREDICTION, then inactivity)
    content::after_vote(st, ctx);
    set_gate(st, "GROUP_CHAT", false, ctx);
    set_gate(st, "DMS", false, ctx);
    destiny::on_day_end(st);
    let day = st.day;
    st.drop_tasks(ctx.facts, |t| t.day == day);
    let complete = st.winner.is_some()
        || rules_for(&st.manifest).is_complete(&st.manifest, day, st.alive_count());
    if complete {
        st.drop_tasks(ctx.facts, |_| true);
        destiny::on_game_end(st, pool_before_payout, ctx);
        st.phase = Phase::GameSummary;
        ctx.facts.push(Fact::PhaseChanged {
            phase: Phase::GameSummary.as_str().into(),
            day,
        });
        ctx.facts.push(Fact::GameEnded {
            winner: st.winner.clone(),
        });
    } else {
        st.phase = Phase::Night;
        ctx.facts.push(Fact::PhaseChanged {
            phase: Phase::Night.as_str().into(),
            day,
        });
    }
    Ok(())
}

/// `ADMIN.ABANDON_GAME`: the operator ends a game that will not finish (docs/protocol.md,
/// "Lifecycle"). Every pending task is dropped, the gates close, and the game is over
/// without a winner and without the end-of-game payouts; GAME_OVER refuses every later input.
pub(crate) fn abandon(
    st: &mut GameState,
    reason: Option<&str>,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    st.require_phase(&[Phase::PreGame, Phase::Day, Phase::Night])?;
    st.drop_tasks(ctx.facts, |_| true);
    set_gate(st, "GROUP_CHAT", false, ctx);
    set_gate(st, "DMS", false, ctx);
    let day = st.day;
    st.abandoned = true;
    st.phase = Phase::GameOver;
    ctx.facts.push(Fact::GameAbandoned {
        day,
        reason: reason.map(str::to_string),
    });
    ctx.facts.push(Fact::PhaseChanged {
        phase: Phase::GameOver.as_str().into(),
        day,
    });
    ctx.facts.push(Fact::GameEnded { winner: None });
    Ok(())
}
