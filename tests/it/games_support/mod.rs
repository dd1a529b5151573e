//! Helpers for the daily-games scenario tests (kept apart from `common` so the voting and prompts
//! branches' edits to it merge cleanly).
#![allow(dead_code)]

use crate::common::*;
use pecking_order::engine::command::Command;
use pecking_order::engine::fact::Fact;
use pecking_order::engine::games::{
    ActiveGame, GameRun, GameType, KingsAction, SplitAction, Summary,
};
use pecking_order::engine::timeline::Action;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A STATIC ADMIN game whose day 1 plays `game` (then a MAJORITY day and FINALS), on day 1 with
/// group chat and DMs open. `extra_days` MAJORITY days are added before FINALS.
pub fn game_day(game: GameType, players: usize, extra_days: usize) -> H {
    let mut days = vec![json!({ "gameType": game.as_str() })];
    for _ in 0..extra_days {
        days.push(json!({}));
    }
    days.push(json!({}));
    H::day1(days, players)
}

pub fn start_game(h: &mut H) -> Vec<Fact> {
    h.inject(Action::StartGame)
}

pub fn end_game(h: &mut H) -> Vec<Fact> {
    h.inject(Action::EndGame)
}

pub fn active(h: &H) -> &ActiveGame {
    h.st().games.active.as_ref().expect("a game is running")
}

pub fn running(h: &H) -> bool {
    h.st().games.active.is_some()
}

/// The summary of the GAME_RESULT among `facts`, with whether it was forced.
pub fn result_in(facts: &[Fact]) -> Option<(Summary, bool)> {
    facts.iter().find_map(|f| match f {
        Fact::GameResult {
            summary, forced, ..
        } => Some((summary.clone(), *forced)),
        _ => None,
    })
}

/// The last finished game's summary.
pub fn last_summary(h: &H) -> Summary {
    h.st()
        .games
        .results
        .last()
        .expect("a finished game")
        .summary
        .clone()
}

/// Each `PLAYER_GAME_RESULT` fact as `(player, silver, gold, auto)`, in order.
pub fn player_results(facts: &[Fact]) -> Vec<(String, u64, u64, bool)> {
    facts
        .iter()
        .filter_map(|f| match f {
            Fact::PlayerGameResult {
                player_id,
                silver,
                gold,
                auto,
                ..
            } => Some((player_id.clone(), *silver, *gold, *auto)),
            _ => None,
        })
        .collect()
}

/// Silver deltas of `facts` with reason `GAME_<game>`, in order.
pub fn game_silver(facts: &[Fact], game: GameType) -> Vec<(String, i64)> {
    silver_facts(facts)
        .into_iter()
        .filter(|(_, _, _, r)| *r == game.reason())
        .map(|(p, d, _, _)| (p, d))
        .collect()
}

/// Gold-pool deltas of `facts`.
pub fn pool_deltas(facts: &[Fact]) -> Vec<i64> {
    facts
        .iter()
        .filter_map(|f| match f {
            Fact::GoldPool { delta, .. } => Some(*delta),
            _ => None,
        })
        .collect()
}

pub fn bet(amount: u64) -> Command {
    Command::from(pecking_order::engine::games::bet_bet_bet::Command::Submit { amount })
}

pub fn split(a: SplitAction) -> Command {
    Command::from(pecking_order::engine::games::the_split::Command::Submit { action: a })
}

pub fn kings(a: KingsAction) -> Command {
    Command::from(pecking_order::engine::games::kings_ransom::Command::Submit { action: a })
}

pub fn auction(slot: u32, amount: u64) -> Command {
    Command::from(pecking_order::engine::games::blind_auction::Command::Submit { slot, amount })
}

pub fn arcade_start(g: GameType) -> Command {
    Command::from(pecking_order::engine::games::arcade::Command::Start { game_type: g })
}

pub fn arcade_result(g: GameType, fields: &[(&str, u64)]) -> Command {
    Command::from(pecking_order::engine::games::arcade::Command::Result {
        game_type: g,
        result: fields
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect::<BTreeMap<_, _>>(),
    })
}

pub fn submit() -> Command {
    Command::from(pecking_order::engine::games::arcade::Command::Submit {})
}

pub fn retry() -> Command {
    Command::from(pecking_order::engine::games::arcade::Command::Retry {})
}

/// The running game's view for `viewer` (`games.active` of the projection).
pub fn game_view(h: &H, viewer: &str) -> Value {
    h.view(viewer)["games"]["active"].clone()
}

/// The split game's current pair.
pub fn split_pair(h: &H) -> Option<(String, String)> {
    match &active(h).run {
        GameRun::TheSplit(s) => s.pairs.get(s.round as usize).cloned(),
        _ => None,
    }
}

/// Asserts `needle` is absent from every projection (each player's and the public one).
pub fn nobody_sees(h: &H, players: usize, needle: &str) {
    for i in 1..=players {
        let p = format!("p{i}");
        assert!(
            !h.view(&p).to_string().contains(needle),
            "{needle:?} in {p}'s view"
        );
    }
    assert!(!h.room.projection(None).to_string().contains(needle));
}

/// Asserts `needle` appears in exactly `allowed`'s projections (never the public one).
pub fn only_seen_by(h: &H, players: usize, needle: &str, allowed: &[&str]) {
    for i in 1..=players {
        let p = format!("p{i}");
        assert_eq!(
            h.view(&p).to_string().contains(needle),
            allowed.contains(&p.as_str()),
            "{needle:?} seen by {p}?"
        );
    }
    assert!(!h.room.projection(None).to_string().contains(needle));
}

/// A PRE_SCHEDULED room driven by its alarms, with its journal kept for the replay check.
pub struct Live {
    pub room: pecking_order::room::Room,
    pub journal: Vec<pecking_order::journal::Entry>,
}

impl Live {
    pub fn create(manifest: Value, players: usize) -> Live {
        Live::create_rules(manifest, players, pecking_order::engine::RULES_VERSION)
    }

    /// [`Live::create`] playing rules version `rules`.
    pub fn create_rules(manifest: Value, players: usize, rules: u32) -> Live {
        let body = json!({ "manifest": manifest, "roster": roster(players) }).to_string();
        let (room, journal) = pecking_order::room::Room::create_with_rules(
            "g-live",
            body.as_bytes(),
            T0 - 1,
            SEED,
            rules,
        )
        .expect("create");
        Live { room, journal }
    }

    /// Fires every task due at `now` (at most `max`).
    pub fn fire(&mut self, now: i64, max: usize) {
        let e = self.room.fire_due(now, max);
        self.journal.extend(e);
    }

    pub fn act(&mut self, actor: &str, cmd: &Command, now: i64) -> bool {
        let s = self
            .room
            .submit(pecking_order::journal::EntryKind::Action, actor, cmd, now)
            .expect("submit");
        self.journal.extend(s.entries);
        s.verdict.is_accepted()
    }

    pub fn st(&self) -> &pecking_order::engine::GameState {
        self.room.state().expect("state")
    }

    pub fn check_replay(&self) {
        let r =
            pecking_order::room::Room::replay("g-live", &self.journal, Some(SEED)).expect("replay");
        assert_eq!(r.snapshot_bytes(), self.room.snapshot_bytes());
    }
}
