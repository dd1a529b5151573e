//! The policy against hand-made projections: legal moves for each mechanic, never twice, and the
//! same choices for the same seed.

use super::*;

fn base() -> Value {
    json!({
        "phase": "DAY", "day": 1, "you": "p1",
        "roster": [
            {"id": "p1", "personaName": "Ada", "alive": true, "silver": 50, "gold": 0},
            {"id": "p2", "personaName": "Bo", "alive": true, "silver": 50, "gold": 0},
            {"id": "p3", "personaName": "Cy", "alive": true, "silver": 50, "gold": 0},
            {"id": "p4", "personaName": "Dee", "alive": false, "silver": 10, "gold": 0}
        ],
        "groupChatOpen": false, "dmsOpen": false, "chat": [], "dms": [],
        "voting": null, "activity": null, "dilemma": null, "confession": null,
        "destinies": [], "games": {"active": null}
    })
}

fn policy() -> Policy {
    Policy::new("p1", 7)
}

#[test]
fn nothing_to_do_outside_the_day_or_with_everything_closed() {
    let mut v = base();
    assert_eq!(policy().next(&v, 0), None, "all closed");
    v["phase"] = json!("NIGHT");
    v["groupChatOpen"] = json!(true);
    assert_eq!(policy().next(&v, 0), None, "night");
}

#[test]
fn votes_with_the_verb_of_each_mechanism_for_a_listed_target() {
    for (mech, verb, self_ok) in [
        ("MAJORITY", "CAST", true),
        ("BUBBLE", "CAST", true),
        ("PODIUM_SACRIFICE", "CAST", true),
        ("SHIELD", "SAVE", true),
        ("EXECUTIONER", "ELECT", true),
        ("DUELS", "CAST", false),
        ("TRUST_PAIRS", "TRUST", false),
    ] {
        let mut v = base();
        v["voting"] = json!({
            "mechanism": mech, "stage": "VOTE", "voters": ["p1", "p2", "p3"],
            "targets": ["p1", "p2", "p3"], "immune": [], "hasVoted": [],
            "myVote": null, "myPick": null, "myStake": null
        });
        let mv = policy().next(&v, 0).expect(mech);
        assert_eq!(mv.msg["type"], format!("VOTE.{mech}.{verb}"), "{mech}");
        let t = mv.msg["targetId"].as_str().expect("target");
        assert!(
            ["p2", "p3"].contains(&t) || (self_ok && t == "p1"),
            "{mech}: {t}"
        );
    }
}

#[test]
fn trust_pairs_eliminates_after_trusting_and_then_stops() {
    let mut v = base();
    v["voting"] = json!({
        "mechanism": "TRUST_PAIRS", "stage": "VOTE", "voters": ["p1", "p2", "p3"],
        "targets": ["p1", "p2", "p3"], "immune": [], "hasVoted": ["p1"],
        "myVote": null, "myPick": "p2", "myStake": null
    });
    let mv = policy().next(&v, 0).expect("eliminate");
    assert_eq!(mv.msg["type"], "VOTE.TRUST_PAIRS.ELIMINATE");
    v["voting"]["myVote"] = json!("p3");
    assert_eq!(policy().next(&v, 0), None);
}

#[test]
fn second_stages_pick_and_stake_only_for_the_right_player() {
    let mut v = base();
    v["voting"] = json!({
        "mechanism": "EXECUTIONER", "stage": "PICK", "voters": ["p1"], "executioner": "p1",
        "targets": ["p1", "p2", "p3"], "immune": ["p2"], "hasVoted": [],
        "myVote": null, "myPick": null, "myStake": null
    });
    let mv = policy().next(&v, 0).expect("pick");
    assert_eq!(
        mv.msg,
        json!({"type": "VOTE.EXECUTIONER.PICK", "targetId": "p3"})
    );
    v["voting"]["executioner"] = json!("p2");
    assert_eq!(policy().next(&v, 0), None, "not the executioner");
    v["voting"] = json!({
        "mechanism": "DUELS", "stage": "DUEL", "voters": ["p1", "p2"], "duelists": ["p1", "p2"],
        "targets": [], "immune": [], "hasVoted": [], "myVote": null, "myPick": null, "myStake": null
    });
    let mv = policy().next(&v, 0).expect("stake");
    assert_eq!(mv.msg["type"], "VOTE.DUELS.DUEL");
    assert!(mv.msg["stake"].as_u64().is_some_and(|s| s <= 50));
}

#[test]
fn the_jury_votes_in_finals_while_eliminated() {
    let mut v = base();
    v["you"] = json!("p4");
    v["voting"] = json!({
        "mechanism": "FINALS", "stage": "VOTE", "voters": ["p4"], "targets": ["p1", "p2"],
        "immune": [], "hasVoted": [], "myVote": null, "myPick": null, "myStake": null
    });
    let mv = Policy::new("p4", 7).next(&v, 0).expect("jury vote");
    assert_eq!(mv.msg["type"], "VOTE.FINALS.CAST");
    v["groupChatOpen"] = json!(true);
    v["voting"]["myVote"] = json!("p1");
    assert_eq!(
        Policy::new("p4", 7).next(&v, 0),
        None,
        "eliminated: no chat"
    );
}

#[test]
fn prompts_dilemmas_and_the_booth_get_one_answer_each() {
    let mut v = base();
    v["activity"] = json!({
        "promptType": "HOT_TAKE", "stage": "COLLECTING", "eligible": ["p1", "p2"],
        "responded": [], "options": ["Agree", "Disagree"]
    });
    let mv = policy().next(&v, 0).expect("answer");
    assert_eq!(mv.msg["type"], "ACTIVITY.HOTTAKE.RESPOND");
    assert!(mv.msg["optionIndex"].as_u64().is_some_and(|i| i < 2));
    v["activity"] = json!({
        "promptType": "CONFESSION", "stage": "VOTING", "eligible": ["p1", "p2", "p3"],
        "responded": ["p1", "p2", "p3"], "voted": [], "myEntryIndex": 1,
        "entries": [{"index": 0, "text": "a"}, {"index": 1, "text": "b"}], "options": []
    });
    let mv = policy().next(&v, 0).expect("confession vote");
    assert_eq!(
        mv.msg,
        json!({"type": "ACTIVITY.CONFESSION.VOTE", "confessionIndex": 0})
    );
    v["activity"] = json!(null);
    v["dilemma"] = json!({
        "dilemmaType": "SPOTLIGHT", "phase": "COLLECTING", "eligible": ["p1", "p2"], "submitted": []
    });
    let mv = policy().next(&v, 0).expect("dilemma");
    assert_eq!(mv.msg["type"], "DILEMMA.SPOTLIGHT.SUBMIT");
    assert_ne!(mv.msg["targetId"], "p1");
    v["dilemma"] = json!(null);
    v["confession"] =
        json!({"channelId": "CONFESSION-d1", "myHandle": "Confessor #2", "posts": []});
    let mv = policy().next(&v, 0).expect("post");
    assert_eq!(mv.msg["type"], "CONFESSION.POST");
    assert_eq!(mv.msg["channelId"], "CONFESSION-d1");
}

#[test]
fn games_decide_once_and_arcade_reports_after_playing() {
    let mut v = base();
    v["games"]["active"] =
        json!({"gameType": "KINGS_RANSOM", "eligible": ["p1", "p2"], "myDecision": null});
    let mut p = policy();
    let mv = p.next(&v, 0).expect("decide");
    assert_eq!(mv.msg["type"], "GAME.KINGS_RANSOM.SUBMIT");
    p.done.insert(mv.key);
    assert_eq!(p.next(&v, 0), None, "never the same move twice");
    v["games"]["active"] = json!({
        "gameType": "STACKER", "timeLimitMs": 120000,
        "mine": {"stage": "PLAYING", "startedAtMs": 1000}
    });
    assert_eq!(policy().next(&v, 2000), None, "still playing");
    let mv = policy().next(&v, 9000).expect("report");
    assert_eq!(mv.msg["type"], "GAME.ARCADE.RESULT");
    let r = &mv.msg["result"];
    assert!(r["perfectLayers"].as_u64() <= r["height"].as_u64(), "{r}");
    assert_eq!(r["timeElapsed"], 8000);
}

#[test]
fn social_moves_only_through_open_gates_and_the_same_seed_chooses_the_same() {
    let mut v = base();
    v["groupChatOpen"] = json!(true);
    v["dmsOpen"] = json!(true);
    let play = |seed: u64| {
        let mut p = Policy::new("p1", seed);
        let mut out = vec![];
        while let Some(mv) = p.next(&v, 0) {
            p.done.insert(mv.key.clone());
            out.push(mv.msg);
            assert!(out.len() < 50, "bounded");
        }
        out
    };
    let a = play(7);
    assert_eq!(a, play(7), "reproducible");
    assert!(!a.is_empty());
    for m in &a {
        let t = m["type"].as_str().unwrap_or_default();
        assert!(t.starts_with("SOCIAL."), "{m}");
        if let Some(x) = m["targetId"].as_str() {
            assert!(["p2", "p3"].contains(&x), "alive others only: {m}");
        }
    }
    let types: Vec<String> = (1..=20)
        .flat_map(play)
        .filter_map(|m| m["type"].as_str().map(String::from))
        .collect();
    for t in [
        "SOCIAL.SEND_MSG",
        "SOCIAL.WHISPER",
        "SOCIAL.SEND_SILVER",
        "SOCIAL.NUDGE",
        "SOCIAL.USE_PERK",
    ] {
        assert!(types.iter().any(|x| x == t), "some seed makes a {t}");
    }
}
