//! Golden games: a full 7-day, 8-player STATIC game on the DEFAULT preset and a 12-player
//! DYNAMIC game, each played by scripted entries (`sim::play_scripted`) through every timeline
//! step to a winner. Their final public state and their fact streams are committed; any change of
//! rules shows here as a diff to review (regenerate with
//! `cargo test --test it -- --ignored golden::regenerate` when the change is intended).

use pecking_order::engine::Phase;
use pecking_order::journal::Entry;
use pecking_order::room::Room;
use pecking_order::sim::{self, SimConfig};
use serde_json::{json, Value};
use std::path::PathBuf;

pub(crate) struct Golden {
    pub(crate) name: &'static str,
    players: usize,
    manifest: Value,
}

pub(crate) fn games() -> Vec<Golden> {
    let day = |vote: &str, game: &str, activity: &str, dilemma: &str| json!({"voteType": vote, "gameType": game, "activityType": activity, "dilemmaType": dilemma});
    vec![
        Golden {
            name: "golden-static-8",
            players: 8,
            manifest: json!({
                "kind": "STATIC", "startTime": "2026-12-01T09:00:00Z", "schedulePreset": "DEFAULT",
                "initialGoldPool": 20,
                "days": [
                    day("BUBBLE", "BET_BET_BET", "PLAYER_PICK", "SILVER_GAMBIT"),
                    day("TRUST_PAIRS", "TRIVIA", "WOULD_YOU_RATHER", "SPOTLIGHT"),
                    day("EXECUTIONER", "KINGS_RANSOM", "HOT_TAKE", "GIFT_OR_GRIEF"),
                    day("PODIUM_SACRIFICE", "BLIND_AUCTION", "PREDICTION", "NONE"),
                    day("SHIELD", "THE_SPLIT", "CONFESSION", "SILVER_GAMBIT"),
                    day("MAJORITY", "SNAKE", "GUESS_WHO", "SPOTLIGHT"),
                    {"voteType": "FINALS"}
                ]
            }),
        },
        Golden {
            name: "golden-dynamic-12",
            players: 12,
            manifest: json!({
                "kind": "DYNAMIC", "startTime": "2026-12-01T09:00:00Z", "schedulePreset": "DEFAULT",
                "minPlayers": 6,
                "ruleset": {
                    "voting": {"allowed": ["BUBBLE", "TRUST_PAIRS", "EXECUTIONER", "DUELS", "SHIELD",
                                            "PODIUM_SACRIFICE", "MAJORITY", "SECOND_TO_LAST"]},
                    "games": {"allowed": ["BET_BET_BET", "TRIVIA", "KINGS_RANSOM", "BLIND_AUCTION", "FLAPPY"]},
                    "activities": {"allowed": ["PLAYER_PICK", "PREDICTION", "HOT_TAKE", "WOULD_YOU_RATHER"]},
                    "dilemmas": {"allowed": ["SILVER_GAMBIT", "SPOTLIGHT", "GIFT_OR_GRIEF"]},
                    "inactivity": {"enabled": true, "thresholdDays": 2}
                }
            }),
        },
    ]
}

pub(crate) fn play(g: &Golden) -> (Room, Vec<Entry>) {
    let roster: Vec<Value> = (1..=g.players)
        .map(|i| json!({"id": format!("p{i}"), "personaName": format!("Player {i}")}))
        .collect();
    let body = json!({"manifest": g.manifest, "roster": roster}).to_string();
    let cfg = SimConfig {
        game_id: g.name.to_string(),
        players: g.players,
        days: 0,
        actions_per_step: 24,
        script_seed: 2026,
        game_seed: [11; 32],
        rules_version: 1,
    };
    sim::play_scripted(&cfg, body.as_bytes())
}

/// The fact stream: one line per entry, `seq type verdict facts`.
fn fact_stream(journal: &[Entry]) -> String {
    journal
        .iter()
        .map(|e| format!("{} {} {} {}\n", e.seq, e.typ, e.verdict.to_wire(), e.facts))
        .collect()
}

fn state_json(room: &Room) -> String {
    let mut s = serde_json::to_string_pretty(&room.public_state()).unwrap();
    s.push('\n');
    s
}

fn path(name: &str, ext: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.{ext}"))
}

#[test]
fn golden_games_reach_a_winner_and_match_their_committed_fixtures() {
    for g in games() {
        let (room, journal) = play(&g);
        let st = room.state().unwrap();
        assert_eq!(st.phase, Phase::GameSummary, "{} ended", g.name);
        assert!(st.winner.is_some(), "{} has a winner", g.name);
        assert_eq!(journal.last().unwrap().typ, "SYSTEM.REVEAL_SEED");
        // Every mechanism of the manifest actually decided a day.
        let mechanisms: std::collections::BTreeSet<String> = st
            .results
            .iter()
            .map(|(_, o)| o.mechanism.as_str().to_string())
            .collect();
        assert!(mechanisms.len() >= 5, "{}: {mechanisms:?}", g.name);
        assert!(st
            .results
            .iter()
            .all(|(_, o)| o.eliminated.is_some() || o.winner.is_some()));
        let replayed = Room::replay(g.name, &journal, None).unwrap();
        assert_eq!(
            replayed.snapshot_bytes(),
            room.snapshot_bytes(),
            "{} replays",
            g.name
        );
        let want_state = std::fs::read_to_string(path(g.name, "state.json"))
            .unwrap_or_else(|_| panic!("missing fixture for {}: run the regenerate test", g.name));
        let want_facts = std::fs::read_to_string(path(g.name, "facts.txt")).unwrap();
        assert_eq!(
            state_json(&room),
            want_state,
            "{}: final state differs from the fixture",
            g.name
        );
        let got = fact_stream(&journal);
        if got != want_facts {
            let first = got
                .lines()
                .zip(want_facts.lines())
                .position(|(a, b)| a != b);
            panic!(
                "{}: fact stream differs from the fixture at line {first:?}",
                g.name
            );
        }
    }
}

#[test]
#[ignore = "writes the golden fixtures; run on purpose after an intended rules change"]
fn regenerate() {
    for g in games() {
        let (room, journal) = play(&g);
        std::fs::write(path(g.name, "state.json"), state_json(&room)).unwrap();
        std::fs::write(path(g.name, "facts.txt"), fact_stream(&journal)).unwrap();
        println!(
            "{}: {} entries, winner {:?}",
            g.name,
            journal.len(),
            room.state().unwrap().winner
        );
    }
}
