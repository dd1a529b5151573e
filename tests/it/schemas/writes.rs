//! What the engine writes against its schemas: projections, server frames, journal rows, facts.

use super::*;

// ---------------------------------------------------------------------------------------------
// What the engine writes: projections, server frames, journal rows, facts

/// Validates every view of `room` (public and each player's) as a Projection and a SYSTEM.SYNC.
fn check_views(room: &Room) {
    let ids: Vec<String> = room
        .state()
        .map(|s| s.players.iter().map(|p| p.id.clone()).collect())
        .unwrap_or_default();
    let mut viewers: Vec<Option<&str>> = vec![None];
    viewers.extend(ids.iter().map(|i| Some(i.as_str())));
    for v in viewers {
        let p = room.projection(v);
        let e = errors("Projection", &p);
        assert!(
            e.is_empty(),
            "projection for {v:?} at seq {}: {e:?}\n{p}",
            room.seq()
        );
        let sync = serde_json::to_value(ServerMessage::Sync { v: 1, state: p }).unwrap();
        assert_valid("ServerMessage", &sync);
    }
}

/// Validates each entry as a row, its input as a Command and its facts as Facts.
fn check_entries(entries: &[Entry]) {
    for e in entries {
        let row = serde_json::to_value(e).unwrap();
        assert_valid("JournalEntry", &row);
        let mut input: Value = serde_json::from_str(&e.payload).unwrap();
        input["type"] = json!(e.typ);
        assert_valid("Command", &input);
        let facts: Vec<Value> = serde_json::from_str(&e.facts).unwrap();
        for f in &facts {
            assert_valid("Fact", f);
        }
        if let Verdict::Rejected(code) = &e.verdict {
            assert_valid("RejectionCode", &json!(code));
        }
    }
}

/// Replays `entries` one by one, checking every view after each.
fn check_game(game_id: &str, entries: &[Entry]) {
    check_entries(entries);
    let seed = pecking_order::room::revealed_seed(entries);
    let mut room = Room::replay(game_id, &entries[..1], seed).unwrap();
    check_views(&room);
    for e in &entries[1..] {
        room.apply_recorded(e).unwrap();
        check_views(&room);
    }
}

#[test]
fn projections_of_scripted_games_match_the_projection_schema() {
    let cfg = SimConfig {
        game_id: "schema-sim".into(),
        players: 7,
        days: 4,
        actions_per_step: 3,
        script_seed: 11,
        ..SimConfig::default()
    };
    let (_, entries) = sim::play(&cfg);
    check_game(&cfg.game_id, &entries);
    let (_, entries) = sim::play_with_games(&SimConfig {
        script_seed: 12,
        days: 6,
        ..cfg.clone()
    });
    check_game(&cfg.game_id, &entries);
}

/// A DYNAMIC game played by the richest script (`sim::play_scripted`, as the golden games are).
#[test]
fn projections_of_a_scripted_dynamic_game_match_the_projection_schema() {
    let body = json!({
        "manifest": {
            "kind": "DYNAMIC", "startTime": START, "schedulePreset": "SMOKE_TEST", "minPlayers": 6,
            "ruleset": {
                "voting": {"allowed": ["BUBBLE", "TRUST_PAIRS", "EXECUTIONER", "DUELS", "SHIELD",
                                        "PODIUM_SACRIFICE", "MAJORITY", "SECOND_TO_LAST"]},
                "games": {"allowed": ["BET_BET_BET", "TRIVIA", "THE_SPLIT", "BLIND_AUCTION", "FLAPPY"]},
                "activities": {"allowed": ["PLAYER_PICK", "CONFESSION", "GUESS_WHO", "HOT_TAKE"]},
                "dilemmas": {"allowed": ["SILVER_GAMBIT", "SPOTLIGHT", "GIFT_OR_GRIEF"]},
                "confessions": {"enabled": true},
                "inactivity": {"enabled": true, "thresholdDays": 2, "action": "NUDGE_THEN_ELIMINATE"}
            }
        },
        "roster": common::roster(9),
    });
    assert_valid("InitBody", &body);
    let cfg = SimConfig {
        game_id: "schema-dynamic".into(),
        players: 9,
        days: 0,
        actions_per_step: 6,
        script_seed: 7,
        game_seed: [3; 32],
        rules_version: pecking_order::engine::RULES_VERSION,
    };
    let (room, entries) = sim::play_scripted(&cfg, body.to_string().as_bytes());
    assert!(matches!(
        room.state().unwrap().phase,
        Phase::GameSummary | Phase::GameOver
    ));
    check_game(&cfg.game_id, &entries);
}

fn xorshift(s: &mut u64) -> u64 {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    *s
}

/// A rich STATIC game (every vote, prompt, dilemma, several games, confessions) driven by
/// random inputs, valid and not, checking every view after every entry.
#[test]
fn projections_of_a_rich_random_game_match_the_projection_schema() {
    let days = vec![
        json!({"voteType": "MAJORITY", "activityType": "PLAYER_PICK", "dilemmaType": "SILVER_GAMBIT", "gameType": "BET_BET_BET", "confessions": true}),
        json!({"voteType": "EXECUTIONER", "activityType": "CONFESSION", "dilemmaType": "GIFT_OR_GRIEF", "gameType": "TRIVIA"}),
        json!({"voteType": "DUELS", "activityType": "GUESS_WHO", "dilemmaType": "SPOTLIGHT", "gameType": "THE_SPLIT", "confessions": true}),
        json!({"voteType": "TRUST_PAIRS", "activityType": "HOT_TAKE", "gameType": "KINGS_RANSOM"}),
        json!({"voteType": "BUBBLE", "activityType": "WOULD_YOU_RATHER", "gameType": "BLIND_AUCTION"}),
        json!({"voteType": "PODIUM_SACRIFICE", "activityType": "PREDICTION", "gameType": "GAP_RUN"}),
        json!({"voteType": "SHIELD"}),
        json!({"voteType": "SECOND_TO_LAST"}),
        json!({"voteType": "FINALS"}),
    ];
    let mut manifest = static_manifest(days);
    manifest["destinies"] = json!(true);
    manifest["scheduling"] = json!("PRE_SCHEDULED");
    let body = json!({ "manifest": manifest, "roster": common::roster(10) }).to_string();
    let (mut room, mut journal) =
        Room::create("g-rich", body.as_bytes(), common::T0, common::SEED).unwrap();
    let mut now = common::T0;
    let mut s = 0x5eed_u64;
    let pick = |s: &mut u64, n: usize| (xorshift(s) % n.max(1) as u64) as usize;
    check_views(&room);
    for _ in 0..2000 {
        let Some(due) = room
            .state()
            .and_then(|st| st.tasks.first())
            .map(|t| t.due_ms)
        else {
            break;
        };
        let st = room.state().unwrap();
        let ids: Vec<String> = st.players.iter().map(|p| p.id.clone()).collect();
        let day = st.day;
        let mechanism = st.ballot.as_ref().map(|b| b.mechanism);
        let channels: Vec<String> = st.social.channels.iter().map(|c| c.id.clone()).collect();
        let mut cmds = Vec::new();
        for _ in 0..pick(&mut s, 6) {
            let actor = ids[pick(&mut s, ids.len())].clone();
            let t = ids[pick(&mut s, ids.len())].clone();
            let ch = channels
                .get(pick(&mut s, channels.len() + 1))
                .cloned()
                .unwrap_or_else(|| "MAIN".into());
            let cmd = match pick(&mut s, 26) {
                0 => Command::SendMsg {
                    content: format!("hi {t}"),
                    channel_id: None,
                    recipient_ids: None,
                    target_id: None,
                    reply_to: None,
                    mentioned_ids: None,
                },
                1 => Command::SendMsg {
                    content: "psst".into(),
                    channel_id: None,
                    recipient_ids: Some(vec![t.clone()]),
                    target_id: None,
                    reply_to: None,
                    mentioned_ids: None,
                },
                2 => Command::SendMsg {
                    content: "in".into(),
                    channel_id: Some(ch),
                    recipient_ids: None,
                    target_id: None,
                    reply_to: None,
                    mentioned_ids: None,
                },
                3 => Command::Whisper {
                    target_id: t,
                    text: "secret".into(),
                },
                4 => Command::React {
                    message_id: pick(&mut s, 8) as u64,
                    channel_id: None,
                    emoji: "🔥".into(),
                },
                5 => Command::Nudge { target_id: t },
                6 => Command::UsePerk {
                    perk_type: PerkType::SpyDms,
                    target_id: Some(t),
                },
                7 => Command::SendSilver {
                    target_id: t,
                    amount: 1 + pick(&mut s, 5) as u64,
                },
                8 => Command::CreateChannel {
                    member_ids: vec![t, ids[pick(&mut s, ids.len())].clone()],
                },
                9 => Command::from(pecking_order::engine::destiny::detective::Command::Accuse {
                    target_id: t,
                }),
                10 => Command::from(
                    pecking_order::engine::prompts::player_pick::Command::Submit { target_id: t },
                ),
                11 => Command::from(
                    pecking_order::engine::prompts::would_you_rather::Command::Choose {
                        choice: WyrChoice::A,
                    },
                ),
                12 => Command::from(pecking_order::engine::prompts::hot_take::Command::Respond {
                    option_index: Some(pick(&mut s, 2) as u32),
                    stance: None,
                }),
                13 => Command::from(
                    pecking_order::engine::prompts::confession::Command::Submit {
                        text: format!("I lied {}", pick(&mut s, 9)),
                    },
                ),
                14 => Command::from(pecking_order::engine::prompts::confession::Command::Vote {
                    confession_index: pick(&mut s, 3) as u32,
                }),
                15 => Command::from(pecking_order::engine::prompts::guess_who::Command::Answer {
                    text: format!("cats {}", pick(&mut s, 9)),
                }),
                16 => Command::from(
                    pecking_order::engine::dilemmas::silver_gambit::Command::Submit {
                        action: GambitAction::Donate,
                    },
                ),
                17 => Command::from(
                    pecking_order::engine::dilemmas::gift_or_grief::Command::Submit {
                        target_id: t,
                    },
                ),
                18 => Command::from(
                    pecking_order::engine::dilemmas::spotlight::Command::Submit { target_id: t },
                ),
                19 => Command::ConfessionPost {
                    channel_id: format!("CONFESSION-d{day}"),
                    text: "me".into(),
                },
                20 => Command::from(pecking_order::engine::games::bet_bet_bet::Command::Submit {
                    amount: 1 + pick(&mut s, 5) as u64,
                }),
                21 => Command::from(pecking_order::engine::games::the_split::Command::Submit {
                    action: SplitAction::Steal,
                }),
                22 => Command::from(
                    pecking_order::engine::games::kings_ransom::Command::Submit {
                        action: KingsAction::Protect,
                    },
                ),
                23 => Command::from(
                    pecking_order::engine::games::blind_auction::Command::Submit {
                        slot: 1 + pick(&mut s, 3) as u32,
                        amount: 2,
                    },
                ),
                24 => match pick(&mut s, 4) {
                    0 => Command::from(pecking_order::engine::games::trivia::Command::Start {}),
                    1 => Command::from(pecking_order::engine::games::trivia::Command::Answer {
                        answer_index: pick(&mut s, 4) as u32,
                    }),
                    2 => Command::from(pecking_order::engine::games::arcade::Command::Start {
                        game_type: GameType::GapRun,
                    }),
                    _ => Command::from(pecking_order::engine::games::arcade::Command::Submit {}),
                },
                _ => match mechanism {
                    Some(VoteType::Executioner) => {
                        Command::from(pecking_order::engine::voting::executioner::Command::Elect {
                            target_id: t,
                        })
                    }
                    Some(VoteType::Duels) => {
                        Command::from(pecking_order::engine::voting::duels::Command::Cast {
                            target_id: t,
                        })
                    }
                    Some(VoteType::TrustPairs) => {
                        Command::from(pecking_order::engine::voting::trust_pairs::Command::Trust {
                            target_id: t,
                        })
                    }
                    Some(VoteType::Bubble) => {
                        Command::from(pecking_order::engine::voting::bubble::Command::Cast {
                            target_id: t,
                        })
                    }
                    Some(VoteType::PodiumSacrifice) => Command::from(
                        pecking_order::engine::voting::podium_sacrifice::Command::Cast {
                            target_id: t,
                        },
                    ),
                    Some(VoteType::Shield) => {
                        Command::from(pecking_order::engine::voting::shield::Command::Save {
                            target_id: t,
                        })
                    }
                    Some(VoteType::Finals) => {
                        Command::from(pecking_order::engine::voting::finals::Command::Cast {
                            target_id: t,
                        })
                    }
                    _ => Command::from(pecking_order::engine::voting::majority::Command::Cast {
                        target_id: t,
                    }),
                },
            };
            cmds.push((actor, cmd));
        }
        for (actor, cmd) in cmds {
            now = (now + 500).min(due - 1).max(now);
            let sub = room.submit(EntryKind::Action, &actor, &cmd, now).unwrap();
            journal.extend(sub.entries);
            check_views(&room);
        }
        now = now.max(due);
        journal.extend(room.fire_due(now, 1));
        check_views(&room);
    }
    assert_eq!(
        room.state().unwrap().phase,
        Phase::GameSummary,
        "the game ran to its end"
    );
    let h = H { room, journal, now };
    check_entries(&h.journal);
    let facts: BTreeSet<String> = h
        .journal
        .iter()
        .flat_map(|e| serde_json::from_str::<Vec<Fact>>(&e.facts).unwrap())
        .map(|f| {
            serde_json::to_value(f).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        facts.len() >= 25,
        "the game covered only {} fact types: {facts:?}",
        facts.len()
    );
}

#[test]
fn server_frames_match_the_server_message_schema() {
    let frames = [
        ServerMessage::for_verdict(
            Some("r1".into()),
            3,
            pecking_order::journal::Hash([7; 32]),
            &Verdict::Accepted,
        ),
        ServerMessage::for_verdict(
            None,
            4,
            pecking_order::journal::Hash([8; 32]),
            &Verdict::Rejected("WRONG_PHASE".into()),
        ),
    ];
    for f in frames {
        assert_valid("ServerMessage", &serde_json::to_value(&f).unwrap());
    }
    // Ticker frames, with lines from a real game.
    let journal: Vec<Entry> = include_str!("../../fixtures/game-small.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let room = Room::replay("fixture-small", &journal, None).unwrap();
    let lines = room.ticker(&journal);
    assert!(lines.len() > 3, "the fixture narrates something");
    for f in [
        ServerMessage::TickerUpdate {
            lines: lines[..2].to_vec(),
        },
        ServerMessage::TickerHistory { lines },
        ServerMessage::Presence {
            online_players: vec!["p1".into(), "p3".into()],
        },
    ] {
        assert_valid("ServerMessage", &serde_json::to_value(&f).unwrap());
    }
    let wrong = json!({"type": "TICKER.UPDATE", "lines": [{"seq": 1, "atMs": 0, "day": 1,
        "category": "SOCIAL.SECRET", "text": "", "players": []}]});
    assert!(!valid("ServerMessage", &wrong), "an unknown category");
    for bad in [
        &b"{nope"[..],
        br#"[1]"#,
        br#"{"type":"SYSTEM.INIT"}"#,
        br#"{"type":"VOTE.COIN.FLIP"}"#,
        br#"{"type":"VOTE.MAJORITY.CAST","targetId":7,"ref":"a"}"#,
        br#"{"type":"VOTE.MAJORITY.CAST","ref":{}}"#,
    ] {
        let (r, e) = parse_client_message(bad).unwrap_err();
        let frame = serde_json::to_value(ServerMessage::protocol_error(r, &e)).unwrap();
        assert_valid("ServerMessage", &frame);
    }
    // Session errors, as the worker sends them.
    for e in [
        SessionError::RateLimited {
            per_s: 10.0,
            burst: 20.0,
        },
        SessionError::TokenExpired { exp: 1_800_000_000 },
        SessionError::StorageFailed,
        SessionError::NoSuchGame,
        SessionError::Internal("boom".into()),
    ] {
        let frame =
            json!({"type": "ERROR", "ref": null, "code": e.code(), "message": e.to_string()});
        assert_valid("ServerMessage", &frame);
    }
    let wrong = json!({"type": "ACK", "ref": "x"});
    assert!(!valid("ServerMessage", &wrong), "an ACK without seq");
    let wrong = json!({"type": "ERROR", "ref": null, "code": "OOPS", "message": ""});
    assert!(!valid("ServerMessage", &wrong), "an unknown code");
}

#[test]
fn journal_rows_of_both_layouts_match_the_journal_entry_schema() {
    for text in [
        include_str!("../../fixtures/game-small.jsonl"),
        include_str!("../../fixtures/game-v0.jsonl"),
    ] {
        let entries: Vec<Entry> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        check_entries(&entries);
        for line in text.lines() {
            assert_valid("JournalEntry", &serde_json::from_str(line).unwrap());
        }
    }
    let mut row: Value = serde_json::from_str(
        include_str!("../../fixtures/game-small.jsonl")
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    row["v"] = json!(2);
    assert!(
        !valid("JournalEntry", &row),
        "a layout version this build cannot read"
    );
    row["v"] = json!(1);
    row["extra"] = json!(1);
    assert!(!valid("JournalEntry", &row));
}
