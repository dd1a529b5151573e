//! Scripted games, for tests, benchmarks and fixtures. Deterministic: the same parameters give
//! the same journal, byte for byte. Not used by live rooms.

use crate::engine::games::{self, GameType, KingsAction, SplitAction};
use crate::engine::voting::{finals, majority};
use crate::engine::{Command, Phase};
use crate::journal::{Entry, EntryKind};
use crate::room::Room;
use serde_json::json;

/// What to generate.
#[derive(Clone, Debug)]
pub struct SimConfig {
    pub game_id: String,
    pub players: usize,
    /// STATIC days; the last one is FINALS, the others MAJORITY.
    pub days: usize,
    /// Player actions attempted between two timeline steps.
    pub actions_per_step: usize,
    /// Drives the script's choices (not the game's seed).
    pub script_seed: u64,
    /// The game's secret seed.
    pub game_seed: [u8; 32],
    /// The rules the game plays by (golden fixtures pin theirs; docs/architecture.md).
    pub rules_version: u32,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            game_id: "sim-game".into(),
            players: 8,
            days: 4,
            actions_per_step: 4,
            script_seed: 1,
            game_seed: [42; 32],
            rules_version: crate::engine::RULES_VERSION,
        }
    }
}

/// A small xorshift generator for the script's own choices.
struct Script(u64);

impl Script {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The `/init` body for a STATIC SMOKE_TEST game of `players` players and `days` days.
pub fn init_body(players: usize, days: usize) -> Vec<u8> {
    let day_specs: Vec<_> = (1..=days)
        .map(|d| json!({ "voteType": if d == days { "FINALS" } else { "MAJORITY" } }))
        .collect();
    let roster: Vec<_> = (1..=players)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    json!({
        "manifest": { "mode": "PECKING_ORDER", "kind": "STATIC", "startTime": "2026-12-01T09:00:00Z",
                       "schedulePreset": "SMOKE_TEST", "initialGoldPool": 100, "days": day_specs },
        "roster": roster,
    })
    .to_string()
    .into_bytes()
}

/// Plays a whole game: fires every task when due, with random player actions (some of them
/// invalid, so rejections are journaled too) between timeline steps. Returns the final room and
/// its journal.
pub fn play(cfg: &SimConfig) -> (Room, Vec<Entry>) {
    play_body(cfg, &init_body(cfg.players, cfg.days), false)
}

// --- Daily games ---
/// Games of [`init_body_with_games`], one a day in this order (then again).
pub const SIM_GAMES: [GameType; 6] = [
    GameType::BetBetBet,
    GameType::Trivia,
    GameType::TheSplit,
    GameType::GapRun,
    GameType::BlindAuction,
    GameType::KingsRansom,
];

/// [`init_body`] with a daily game on every day but the last (the FINALS).
pub fn init_body_with_games(players: usize, days: usize) -> Vec<u8> {
    let mut v: serde_json::Value =
        serde_json::from_slice(&init_body(players, days)).unwrap_or_default();
    if let Some(d) = v["manifest"]["days"].as_array_mut() {
        let n = d.len();
        for (i, day) in d.iter_mut().enumerate().take(n.saturating_sub(1)) {
            day["gameType"] = json!(SIM_GAMES[i % SIM_GAMES.len()].as_str());
        }
    }
    v.to_string().into_bytes()
}

/// [`play`] with a daily game every day, and half the player actions during a game aimed at it.
pub fn play_with_games(cfg: &SimConfig) -> (Room, Vec<Entry>) {
    play_body(cfg, &init_body_with_games(cfg.players, cfg.days), true)
}

/// A move in `game` (often valid, sometimes not).
fn game_move(s: &mut Script, game: GameType) -> Command {
    let pick = s.below(4);
    match game {
        GameType::Trivia => match pick {
            0 => Command::from(crate::engine::games::trivia::Command::Start {}),
            1 | 2 => Command::from(crate::engine::games::trivia::Command::Answer {
                answer_index: s.below(4) as u32,
            }),
            _ => Command::from(crate::engine::games::arcade::Command::Submit {}),
        },
        GameType::BetBetBet => Command::from(crate::engine::games::bet_bet_bet::Command::Submit {
            amount: 1 + s.below(20) as u64,
        }),
        GameType::TheSplit => Command::from(crate::engine::games::the_split::Command::Submit {
            action: if pick < 2 {
                SplitAction::Split
            } else {
                SplitAction::Steal
            },
        }),
        GameType::BlindAuction => {
            Command::from(crate::engine::games::blind_auction::Command::Submit {
                slot: 1 + s.below(3) as u32,
                amount: s.below(15) as u64,
            })
        }
        GameType::KingsRansom => {
            Command::from(crate::engine::games::kings_ransom::Command::Submit {
                action: if pick < 2 {
                    KingsAction::Steal
                } else {
                    KingsAction::Protect
                },
            })
        }
        g => match pick {
            0 => Command::from(crate::engine::games::arcade::Command::Start { game_type: g }),
            1 | 2 => Command::from(crate::engine::games::arcade::Command::Result {
                game_type: g,
                result: games::arcade_fields(g)
                    .into_iter()
                    .map(|(k, max)| (k.to_string(), s.below(max as usize / 2 + 1) as u64))
                    .collect(),
            }),
            _ => Command::from(crate::engine::games::arcade::Command::Submit {}),
        },
    }
}

/// Plays any `/init` body with the richest script: besides chat, DMs and transfers, players vote
/// in the day's mechanism with its own verbs, play the day's game, answer the day's prompt and
/// dilemma, and the DETECTIVE accuses. Used for the golden fixtures (`tests/it/golden.rs`).
pub fn play_scripted(cfg: &SimConfig, body: &[u8]) -> (Room, Vec<Entry>) {
    play_inner(cfg, body, true, true)
}

/// A move for the day's vote, prompt, dilemma or destiny, built from its wire form (often
/// valid, sometimes not: refusals are journaled too).
fn rich_move(s: &mut Script, st: &crate::engine::GameState, target: &str) -> Option<Command> {
    let vote = st.ballot.as_ref().map(|b| b.mechanism.as_str());
    let (typ, payload) = match s.below(5) {
        0 | 1 => {
            let verbs: &[&str] = match vote? {
                "SHIELD" => &["SAVE"],
                "TRUST_PAIRS" => &["TRUST", "ELIMINATE"],
                "EXECUTIONER" => &["ELECT", "PICK"],
                "DUELS" => &["CAST", "DUEL"],
                _ => &["CAST"],
            };
            let verb = verbs[s.below(verbs.len())];
            let payload = if verb == "DUEL" {
                format!(r#"{{"stake":{}}}"#, s.below(20))
            } else {
                format!(r#"{{"targetId":"{target}"}}"#)
            };
            (format!("VOTE.{}.{verb}", vote?), payload)
        }
        2 => match s.below(7) {
            0 => (
                "ACTIVITY.PROMPT.SUBMIT".into(),
                format!(r#"{{"targetId":"{target}"}}"#),
            ),
            1 => (
                "ACTIVITY.WYR.CHOOSE".into(),
                format!(
                    r#"{{"choice":"{}"}}"#,
                    if s.below(2) == 0 { "A" } else { "B" }
                ),
            ),
            2 => (
                "ACTIVITY.HOTTAKE.RESPOND".into(),
                format!(r#"{{"optionIndex":{}}}"#, s.below(3)),
            ),
            3 => (
                "ACTIVITY.CONFESSION.SUBMIT".into(),
                format!(r#"{{"text":"secret #{}"}}"#, s.below(100)),
            ),
            4 => (
                "ACTIVITY.CONFESSION.VOTE".into(),
                format!(r#"{{"confessionIndex":{}}}"#, s.below(4)),
            ),
            5 => (
                "ACTIVITY.GUESSWHO.ANSWER".into(),
                format!(r#"{{"text":"answer #{}"}}"#, s.below(100)),
            ),
            _ => (
                "ACTIVITY.GUESSWHO.GUESS".into(),
                format!(r#"{{"guesses":{{"0":"{target}"}}}}"#),
            ),
        },
        3 => match s.below(3) {
            0 => (
                "DILEMMA.SILVER_GAMBIT.SUBMIT".into(),
                format!(
                    r#"{{"action":"{}"}}"#,
                    if s.below(3) == 0 { "KEEP" } else { "DONATE" }
                ),
            ),
            1 => (
                "DILEMMA.SPOTLIGHT.SUBMIT".into(),
                format!(r#"{{"targetId":"{target}"}}"#),
            ),
            _ => (
                "DILEMMA.GIFT_OR_GRIEF.SUBMIT".into(),
                format!(r#"{{"targetId":"{target}"}}"#),
            ),
        },
        _ => (
            "DESTINY.ACCUSE".into(),
            format!(r#"{{"targetId":"{target}"}}"#),
        ),
    };
    Command::from_type_and_payload(&typ, &payload).ok()
}

fn play_body(cfg: &SimConfig, body: &[u8], with_games: bool) -> (Room, Vec<Entry>) {
    play_inner(cfg, body, with_games, false)
}

fn play_inner(cfg: &SimConfig, body: &[u8], with_games: bool, rich: bool) -> (Room, Vec<Entry>) {
    let start = chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z")
        .map(|t| t.timestamp_millis())
        .unwrap_or(0);
    let (mut room, mut journal) = match Room::create_with_rules(
        &cfg.game_id,
        body,
        start - 60_000,
        cfg.game_seed,
        cfg.rules_version,
    ) {
        Ok(x) => x,
        Err(e) => panic!("sim init failed: {e}"),
    };
    let mut s = Script(cfg.script_seed.max(1));
    let mut guard = 0;
    loop {
        guard += 1;
        let Some(st) = room.state() else { break };
        if st.phase == Phase::GameSummary || st.phase == Phase::GameOver || guard > 100_000 {
            break;
        }
        let Some(task) = st.tasks.first().cloned() else {
            break;
        };
        let players: Vec<(String, bool)> =
            st.players.iter().map(|p| (p.id.clone(), p.alive)).collect();
        let mut now = st.last_at_ms;
        for _ in 0..cfg.actions_per_step {
            now += 1 + s.below(500) as i64;
            if now >= task.due_ms {
                break;
            }
            let (actor, _) = &players[s.below(players.len())];
            let (target, _) = &players[s.below(players.len())];
            let running = room
                .state()
                .and_then(|st| st.games.active.as_ref())
                .map(|a| a.game_type);
            let rich_cmd = if rich && s.below(2) == 0 {
                room.state().and_then(|st| rich_move(&mut s, st, target))
            } else {
                None
            };
            let cmd = match running {
                _ if rich_cmd.is_some() => rich_cmd.unwrap_or(Command::NextStage {}),
                Some(g) if with_games && s.below(2) == 0 => game_move(&mut s, g),
                _ => match s.below(12) {
                    0..=3 => Command::SendMsg {
                        content: format!("hello from {actor} #{}", s.below(1000)),
                        channel_id: None,
                        recipient_ids: None,
                        target_id: None,
                        reply_to: None,
                        mentioned_ids: None,
                    },
                    4 | 5 => Command::SendSilver {
                        target_id: target.clone(),
                        amount: 1 + s.below(8) as u64,
                    },
                    6..=8 => majority::Command::Cast {
                        target_id: target.clone(),
                    }
                    .into(),
                    9 => finals::Command::Cast {
                        target_id: target.clone(),
                    }
                    .into(),
                    // A DM (opens a conversation or continues the one with this player).
                    _ => Command::SendMsg {
                        content: format!("psst {target} #{}", s.below(1000)),
                        channel_id: None,
                        recipient_ids: None,
                        target_id: Some(target.clone()),
                        reply_to: None,
                        mentioned_ids: None,
                    },
                },
            };
            if let Ok(sub) = room.submit(EntryKind::Action, actor, &cmd, now) {
                journal.extend(sub.entries);
            }
        }
        let fire = Command::Fire {
            task_id: task.id.clone(),
            due_ms: task.due_ms,
        };
        match room.submit(EntryKind::Alarm, "ALARM", &fire, task.due_ms.max(now)) {
            Ok(sub) => journal.extend(sub.entries),
            Err(_) => break,
        }
    }
    (room, journal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_simulated_game_with_daily_games_plays_them_and_replays() {
        let cfg = SimConfig {
            actions_per_step: 12,
            days: 5,
            ..SimConfig::default()
        };
        let (room, journal) = play_with_games(&cfg);
        let st = room.state().unwrap();
        assert_eq!(st.phase, Phase::GameSummary);
        let played: Vec<GameType> = st.games.results.iter().map(|r| r.game_type).collect();
        assert_eq!(
            played,
            SIM_GAMES[..4].to_vec(),
            "one game on each of the first 4 days"
        );
        assert!(journal
            .iter()
            .any(|e| e.verdict.is_accepted() && e.typ.starts_with("GAME.")));
        let r = Room::replay(&cfg.game_id, &journal, None).unwrap();
        assert_eq!(r.snapshot_bytes(), room.snapshot_bytes());
    }

    #[test]
    fn a_simulated_game_reaches_a_winner_and_reveals_its_seed() {
        let (room, journal) = play(&SimConfig::default());
        let st = room.state().unwrap();
        assert_eq!(st.phase, Phase::GameSummary);
        assert!(st.winner.is_some());
        assert_eq!(journal.last().unwrap().typ, "SYSTEM.REVEAL_SEED");
        assert_eq!(journal.len() as u64, room.seq());
        // Four days, one elimination on each MAJORITY day, the FINALS runner-up on the last.
        assert_eq!(st.players.iter().filter(|p| !p.alive).count(), 4);
        assert!(
            journal.iter().any(|e| !e.verdict.is_accepted()),
            "the script also makes invalid moves"
        );
        assert!(
            journal
                .iter()
                .any(|e| e.verdict.is_accepted() && e.facts.contains("DM_SENT")),
            "the script sends DMs"
        );
        let winner = st.winner.clone().unwrap();
        // The winner takes the pool; a completed destiny pays the same amount again.
        let destiny_done = st
            .destinies
            .of(&winner)
            .is_some_and(|h| h.status == crate::engine::destiny::Status::Completed);
        let expected = 100 + if destiny_done { 100 } else { 0 };
        assert_eq!(
            st.player(&winner).unwrap().gold,
            expected,
            "the winner takes the initial gold pool"
        );
    }
}
