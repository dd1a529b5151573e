//! Ticker lines (`engine::ticker`): a whole scripted game narrates what its facts say, and secret
//! facts (votes, stakes, DMs, answers, destinies, whisper recipients, invitees) narrate nothing.

use std::collections::BTreeSet;

use pecking_order::engine::destiny::Destiny;
use pecking_order::engine::manifest::VoteType;
use pecking_order::engine::ticker::{self, Stamp, TickerCategory, TickerLine};
use pecking_order::engine::Fact;
use pecking_order::journal::{Entry, Verdict};
use pecking_order::room::Room;
use pecking_order::sim::{self, SimConfig};
use serde_json::{json, Value};

fn scripted_game() -> (Room, Vec<Entry>) {
    let day = |vote: &str, game: &str, activity: &str, dilemma: &str| json!({"voteType": vote, "gameType": game, "activityType": activity, "dilemmaType": dilemma});
    let manifest = json!({
        "kind": "STATIC", "startTime": "2026-12-01T09:00:00Z", "schedulePreset": "DEFAULT",
        "initialGoldPool": 20,
        "days": [
            day("MAJORITY", "BET_BET_BET", "PLAYER_PICK", "SILVER_GAMBIT"),
            day("TRUST_PAIRS", "TRIVIA", "HOT_TAKE", "SPOTLIGHT"),
            day("EXECUTIONER", "BLIND_AUCTION", "CONFESSION", "GIFT_OR_GRIEF"),
            day("SHIELD", "THE_SPLIT", "PREDICTION", "NONE"),
            {"voteType": "FINALS"}
        ]
    });
    let roster: Vec<Value> = (1..=6)
        .map(|i| json!({"id": format!("p{i}"), "personaName": format!("Player {i}")}))
        .collect();
    let body = json!({"manifest": manifest, "roster": roster}).to_string();
    let cfg = SimConfig {
        game_id: "ticker-1".into(),
        players: 6,
        days: 0,
        actions_per_step: 30,
        script_seed: 7,
        game_seed: [3; 32],
        rules_version: pecking_order::engine::RULES_VERSION,
    };
    sim::play_scripted(&cfg, body.as_bytes())
}

fn facts(e: &Entry) -> Vec<Fact> {
    serde_json::from_str(&e.facts).unwrap()
}

fn lines_of(lines: &[TickerLine], seq: u64) -> Vec<&TickerLine> {
    lines.iter().filter(|l| l.seq == seq).collect()
}

#[test]
fn a_whole_game_is_narrated_as_its_facts_say() {
    let (room, journal) = scripted_game();
    let lines = room.ticker(&journal);
    let st = room.state().unwrap();
    let winner = st.winner.clone().expect("the game has a winner");

    // Days begin in order, each once.
    let days: Vec<u32> = lines
        .iter()
        .filter(|l| l.category == TickerCategory::DayStart)
        .map(|l| l.day)
        .collect();
    assert_eq!(days, (1..=5).collect::<Vec<_>>());
    for l in lines
        .iter()
        .filter(|l| l.category == TickerCategory::DayStart)
    {
        assert_eq!(l.text, format!("Day {} has begun", l.day));
    }

    // One ELIMINATION line per Elimination fact, at the same entry, naming that player.
    let mut eliminated = Vec::new();
    for e in &journal {
        for f in facts(e) {
            if let Fact::Elimination { player_id, .. } = f {
                let named: Vec<_> = lines_of(&lines, e.seq)
                    .into_iter()
                    .filter(|l| l.category == TickerCategory::Elimination)
                    .collect();
                assert_eq!(named.len(), 1, "seq {}", e.seq);
                assert_eq!(named[0].players, vec![player_id.clone()]);
                let name = &st.player(&player_id).unwrap().persona_name;
                assert_eq!(named[0].text, format!("{name} has been eliminated!"));
                eliminated.push(player_id);
            }
        }
    }
    assert_eq!(
        eliminated.len(),
        5,
        "six players: everyone but the winner leaves"
    );
    assert!(!eliminated.contains(&winner));
    let elimination_lines = lines
        .iter()
        .filter(|l| l.category == TickerCategory::Elimination)
        .count();
    assert_eq!(elimination_lines, eliminated.len());

    // One winner line, naming the winner and the gold they took.
    let won: Vec<_> = lines
        .iter()
        .filter(|l| l.category == TickerCategory::Winner)
        .collect();
    assert_eq!(won.len(), 1);
    assert_eq!(won[0].players, vec![winner.clone()]);
    let gold = journal
        .iter()
        .flat_map(facts)
        .find_map(|f| match f {
            Fact::Winner { gold_pool, .. } => Some(gold_pool),
            _ => None,
        })
        .unwrap();
    assert!(won[0]
        .text
        .ends_with(&format!("wins the game and {gold} gold!")));

    // Every transfer between players is narrated with sender, amount and recipient.
    let mut transfers = 0;
    for e in journal.iter().filter(|e| e.typ == "SOCIAL.SEND_SILVER") {
        let here = lines_of(&lines, e.seq);
        if e.verdict != Verdict::Accepted {
            assert!(here.is_empty(), "a refused transfer narrates nothing");
            continue;
        }
        let payload: Value = serde_json::from_str(&e.payload).unwrap();
        let (amount, to) = (&payload["amount"], payload["targetId"].as_str().unwrap());
        assert_eq!(here.len(), 1, "seq {}", e.seq);
        assert_eq!(here[0].category, TickerCategory::Transfer);
        assert_eq!(here[0].players, vec![e.actor.clone(), to.to_string()]);
        let name = |id: &str| st.player(id).unwrap().persona_name.clone();
        assert_eq!(
            here[0].text,
            format!("{} sent {amount} silver to {}", name(&e.actor), name(to))
        );
        transfers += 1;
    }
    assert!(transfers > 0, "the script sent silver");

    // Lines carry their entry's stamp.
    for l in &lines {
        let e = &journal[(l.seq - 1) as usize];
        assert_eq!((l.at_ms, l.day), (e.at_ms, e.day));
    }
    // Rebuilding from a replay gives the same lines.
    let replayed = Room::replay("ticker-1", &journal, None).unwrap();
    assert_eq!(replayed.ticker(&journal), lines);
}

/// Entries that only cast a vote, stake, send a DM, answer, decide or accuse narrate nothing; and
/// no line carries the text of a DM, a whisper or a confession.
#[test]
fn secret_inputs_leave_no_line_and_no_private_text_reaches_the_ticker() {
    let (room, journal) = scripted_game();
    let lines = room.ticker(&journal);
    let secret_prefixes = [
        "VOTE.",
        "DILEMMA.",
        "ACTIVITY.",
        "CONFESSION.",
        "DESTINY.",
        "GAME.",
    ];
    let mut secret_entries = 0;
    for e in &journal {
        if e.kind != pecking_order::journal::EntryKind::Action
            || !secret_prefixes.iter().any(|p| e.typ.starts_with(p))
        {
            continue;
        }
        let here = lines_of(&lines, e.seq);
        // A player's game input may finish the game (its public result, rewards and the gold it
        // adds to the pool), nothing else.
        let allowed = |l: &&TickerLine| {
            e.typ.starts_with("GAME.")
                && matches!(
                    l.category,
                    TickerCategory::Game | TickerCategory::GameReward | TickerCategory::GoldPool
                )
        };
        assert!(
            here.iter().all(allowed),
            "{} (seq {}) narrated {:?}",
            e.typ,
            e.seq,
            here
        );
        secret_entries += 1;
    }
    assert!(secret_entries > 50, "the script voted and answered");

    let mut private_texts = BTreeSet::new();
    for e in journal.iter().filter(|e| e.verdict == Verdict::Accepted) {
        let payload: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
        let private = match e.typ.as_str() {
            "SOCIAL.SEND_MSG" => {
                payload.get("channelId").is_some_and(|c| c != "MAIN")
                    || payload.get("recipientIds").is_some()
                    || payload.get("targetId").is_some()
            }
            "SOCIAL.WHISPER"
            | "CONFESSION.POST"
            | "ACTIVITY.CONFESSION.SUBMIT"
            | "ACTIVITY.GUESSWHO.ANSWER" => true,
            _ => false,
        };
        if private {
            for k in ["content", "text"] {
                if let Some(t) = payload[k].as_str().filter(|t| t.len() >= 4) {
                    private_texts.insert(t.to_string());
                }
            }
        }
    }
    assert!(!private_texts.is_empty(), "the script sent private text");
    for l in &lines {
        for t in &private_texts {
            assert!(!l.text.contains(t.as_str()), "{l:?} carries {t:?}");
        }
    }
}

#[test]
fn secret_facts_make_no_line_and_whispers_and_invites_name_only_the_sender() {
    let (room, _) = scripted_game();
    let st = room.state().unwrap();
    let stamp = Stamp {
        seq: 9,
        at_ms: 1,
        day: 2,
    };
    let secret = vec![
        Fact::VoteCast {
            voter: "p1".into(),
            mechanism: VoteType::Majority,
            target: "p2".into(),
            verb: None,
        },
        Fact::StakePlaced {
            voter: "p1".into(),
            mechanism: VoteType::Duels,
            stake: 5,
        },
        Fact::DmSent {
            channel_id: "dm-1".into(),
            message_id: 4,
            from: "p1".into(),
            chars: 10,
            reply_to: None,
            mentioned_ids: vec![],
        },
        Fact::ChatMessage {
            id: 5,
            channel_id: "MAIN".into(),
            from: "p1".into(),
            content: "hello".into(),
            reply_to: None,
            mentioned_ids: vec![],
        },
        Fact::DestinyAssigned {
            player_id: "p1".into(),
            destiny: Destiny::Mole,
        },
        Fact::DestinyAccusation {
            accuser: "p1".into(),
            target: "p2".into(),
            correct: true,
        },
        Fact::DilemmaSubmitted {
            player_id: "p1".into(),
        },
        Fact::ConfessionPosted {
            channel_id: "CONFESSION".into(),
            post_id: 1,
            handle: "Ghost".into(),
        },
        Fact::DmChannelCreated {
            channel_id: "dm-2".into(),
            kind: "DM".into(),
            creator: "p1".into(),
            members: vec!["p1".into(), "p2".into()],
            invited: vec![],
        },
    ];
    assert_eq!(ticker::lines(st, stamp, &secret), vec![]);

    let told = ticker::lines(
        st,
        stamp,
        &[
            Fact::Whisper {
                message_id: 6,
                from: "p1".into(),
                to: "p2".into(),
            },
            Fact::DmChannelCreated {
                channel_id: "dm-3".into(),
                kind: "DM".into(),
                creator: "p3".into(),
                members: vec!["p3".into()],
                invited: vec!["p4".into()],
            },
        ],
    );
    assert_eq!(told.len(), 2);
    assert_eq!(told[0].players, vec!["p1".to_string()]);
    assert_eq!(told[0].text, "Player 1 whispered to someone");
    assert_eq!(told[1].players, vec!["p3".to_string()]);
    assert_eq!(told[1].text, "Player 3 sent a DM invite");
    for l in &told {
        assert!(!l.text.contains("Player 2") && !l.text.contains("Player 4"));
        assert_eq!((l.seq, l.at_ms, l.day), (9, 1, 2));
    }
}
