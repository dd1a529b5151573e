//! SYNC throttle, presence, the rate limit, token expiry and bad frames.

use super::*;

// ---------------------------------------------------------------------------------------------
// SYNC throttle, ticker, presence

#[test]
fn sync_is_sent_at_once_in_a_quiet_room_and_once_more_after_a_burst() {
    let mut rig = Rig::admin_room();
    let s1 = rig.connect("p1");
    let s2 = rig.connect("p2");
    let fx = rig.inject("START_DAY");
    // Within the interval of the creation's broadcast: the day start rides a trailing SYNC.
    assert!(of_type(&sent(&fx, &s2), "SYSTEM.SYNC").is_empty());
    assert!(fx.contains(&Effect::StartTimer(T0 + SYNC_INTERVAL_MS)));
    rig.advance(SYNC_INTERVAL_MS);
    let fx = rig.step(Input::Timer);
    assert_eq!(
        of_type(&sent(&fx, &s2), "SYSTEM.SYNC")[0]["state"]["phase"],
        "DAY"
    );
    rig.advance(1000);
    let t = rig.now;
    let fx = rig.frame(&s1, "p1", TRANSFER);
    for s in [&s1, &s2] {
        let syncs = of_type(&sent(&fx, s), "SYSTEM.SYNC");
        assert_eq!(syncs.len(), 1, "quiet room: at once");
        assert_eq!(silver(&syncs[0], "p2"), json!(51));
    }
    assert!(!fx.iter().any(|e| matches!(e, Effect::StartTimer(_))));
    // Two more within the interval: ACKed at once, no SYNC, one timer.
    rig.now = t + 5;
    let fx = rig.frame(&s1, "p1", TRANSFER);
    assert_eq!(of_type(&sent(&fx, &s1), "ACK").len(), 1);
    assert!(of_type(&sent(&fx, &s2), "SYSTEM.SYNC").is_empty());
    assert!(fx.contains(&Effect::StartTimer(t + SYNC_INTERVAL_MS)));
    rig.now = t + 10;
    let fx = rig.frame(&s1, "p1", TRANSFER);
    assert!(of_type(&sent(&fx, &s2), "SYSTEM.SYNC").is_empty());
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::StartTimer(_))),
        "one timer"
    );
    // The trailing broadcast: one SYNC per socket with the latest state, and the ticker lines.
    rig.now = t + SYNC_INTERVAL_MS;
    let fx = rig.step(Input::Timer);
    for s in [&s1, &s2] {
        let frames = sent(&fx, s);
        let syncs = of_type(&frames, "SYSTEM.SYNC");
        assert_eq!(syncs.len(), 1);
        assert_eq!(silver(&syncs[0], "p1"), json!(47));
        assert_eq!(silver(&syncs[0], "p2"), json!(53));
        let lines = of_type(&frames, "TICKER.UPDATE");
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["lines"].as_array().map(Vec::len), Some(2));
    }
    // Nothing more waits; a timer firing again sends nothing.
    assert!(rig.step(Input::Timer).is_empty());
    rig.now = t + 100;
    let fx = rig.frame(&s1, "p1", TRANSFER);
    assert_eq!(
        of_type(&sent(&fx, &s2), "SYSTEM.SYNC").len(),
        1,
        "quiet again"
    );
    // A trailing timer that never fired (its handler was lost) does not hold SYNC back forever:
    // once it is an interval overdue, the next change is broadcast at once.
    rig.now = t + 105;
    let fx = rig.frame(&s1, "p1", TRANSFER);
    assert!(fx.contains(&Effect::StartTimer(t + 100 + SYNC_INTERVAL_MS)));
    rig.now = t + 100 + 2 * SYNC_INTERVAL_MS;
    let fx = rig.frame(&s1, "p1", TRANSFER);
    let syncs = of_type(&sent(&fx, &s2), "SYSTEM.SYNC");
    assert_eq!(syncs.len(), 1);
    assert_eq!(silver(&syncs[0], "p1"), json!(44));
    assert!(
        rig.step(Input::Timer).is_empty(),
        "the late timer finds nothing to send"
    );
}

#[test]
fn connecting_sends_sync_history_and_presence_and_leaving_updates_presence() {
    let mut rig = Rig::admin_room();
    rig.inject("START_DAY");
    let s1 = rig.connect("p1");
    let fx = rig.connect_until("p2", rig.now / 1000 + 60);
    let Some(Effect::Accept {
        socket: s2,
        identity: Some(_),
    }) = fx.first().cloned()
    else {
        panic!("{fx:?}")
    };
    let types: Vec<Value> = sent(&fx, &s2).iter().map(|f| f["type"].clone()).collect();
    assert_eq!(types, ["SYSTEM.SYNC", "TICKER.HISTORY", "PRESENCE.UPDATE"]);
    let history = &sent(&fx, &s2)[1];
    assert_eq!(history["lines"][0]["text"], "Day 1 has begun");
    let presence = of_type(&sent(&fx, &s1), "PRESENCE.UPDATE");
    assert_eq!(presence[0]["onlinePlayers"], json!(["p1", "p2"]));
    let fx = rig.step(Input::SocketGone {
        socket: s1.clone(),
        identity: Some(rig.identity(&s1, "p1")),
        echo: true,
    });
    assert_eq!(
        of_type(&sent(&fx, &s2), "PRESENCE.UPDATE")[0]["onlinePlayers"],
        json!(["p2"])
    );
    assert!(fx.contains(&Effect::Close {
        socket: s1,
        code: CLOSE_NORMAL,
        reason: "closed".into()
    }));
    // A bad token is accepted, then closed with 4003.
    let mut req = rig.request("GET", "", "");
    req.upgrade = "websocket".into();
    req.query = vec![("token".into(), "garbage".into())];
    let fx = rig.step(Input::Http(req));
    assert!(matches!(
        fx.as_slice(),
        [
            Effect::Accept { identity: None, .. },
            Effect::Close {
                code: CLOSE_AUTH,
                ..
            }
        ]
    ));
    // Without the upgrade header: 426.
    let fx = rig.http("GET", "", "");
    assert_eq!(reply(&fx).0, 426);
}

// ---------------------------------------------------------------------------------------------
// Frames: rate limit, expiry, bad input

/// What the room answered one frame with: "ok" (journaled or refused by the protocol), "limited"
/// (RATE_LIMITED), "closed" (4008), or "" (nothing).
fn outcome(fx: &[Effect], socket: &str) -> &'static str {
    if fx
        .iter()
        .any(|e| matches!(e, Effect::Close { code: CLOSE_ABUSE, socket: s, .. } if s == socket))
    {
        return "closed";
    }
    match sent(fx, socket).first() {
        Some(f) if f["code"] == "RATE_LIMITED" => "limited",
        Some(_) => "ok",
        None => "",
    }
}

#[test]
fn the_rate_limit_allows_a_burst_of_20_refills_10_a_second_and_closes_on_the_20th_strike() {
    let mut rig = Rig::admin_room();
    let s1 = rig.connect("p1");
    let s2 = rig.connect("p2");
    rig.advance(1000);
    let seq = rig.seq();
    let run = |rig: &mut Rig, n: usize| -> Vec<&'static str> {
        (0..n)
            .map(|_| outcome(&rig.frame(&s1, "p1", TRANSFER), &s1))
            .collect()
    };
    // A burst of 20 at one instant, then refused.
    let burst = run(&mut rig, 21);
    assert_eq!(burst[..20], ["ok"; 20]);
    assert_eq!(burst[20], "limited");
    // Refills at 10 a second, by the injected clock: 100 ms buys one frame.
    rig.advance(99);
    assert_eq!(run(&mut rig, 1), ["limited"]);
    rig.advance(1);
    assert_eq!(run(&mut rig, 2), ["ok", "limited"]);
    rig.advance(900);
    let second = run(&mut rig, 10);
    assert_eq!(second[..9], ["ok"; 9]);
    assert_eq!(second[9], "limited");
    // An admitted frame resets the strikes; the 20th consecutive refusal closes with 4008.
    rig.advance(100);
    assert_eq!(run(&mut rig, 1), ["ok"]);
    let strikes = run(&mut rig, 20);
    assert_eq!(strikes[..19], ["limited"; 19]);
    assert_eq!(strikes[19], "closed");
    // Frames after the close are dropped unread, even once the bucket refilled.
    rig.advance(10_000);
    assert_eq!(run(&mut rig, 3), ["", "", ""]);
    // Only admitted frames were journaled (each refused by the rules: no day yet).
    assert_eq!(rig.seq(), seq + 20 + 1 + 9 + 1);
    // Another socket has its own bucket.
    assert_eq!(outcome(&rig.frame(&s2, "p2", TRANSFER), &s2), "ok");
    // A long quiet period refills to the burst, no more.
    let mut fresh = Rig::admin_room();
    let s = fresh.connect("p3");
    fresh.advance(3_600_000);
    let n = (0..40)
        .map(|_| outcome(&fresh.frame(&s, "p3", TRANSFER), &s))
        .filter(|o| *o == "ok")
        .count();
    assert_eq!(n, 20);
}

#[test]
fn ws_rate_vars_override_the_bucket() {
    let cfg = config_with(&[("WS_RATE_PER_S", "1000"), ("WS_RATE_BURST", "nope")]);
    assert_eq!(
        (cfg.rate_per_s, cfg.rate_burst, cfg.dev_faults),
        (1000.0, RATE_BURST, false)
    );
    let mut rig = Rig::new(HostConfig {
        rate_burst: 3.0,
        ..cfg
    });
    let fx = rig.create(&init_body("ADMIN", T0 + 86_400_000));
    rig.answer_d1(&fx, Ok(()));
    let s = rig.connect("p1");
    let got: Vec<&str> = (0..4)
        .map(|_| outcome(&rig.frame(&s, "p1", TRANSFER), &s))
        .collect();
    assert_eq!(got, ["ok", "ok", "ok", "limited"]);
    let limited = sent(&rig.frame(&s, "p1", TRANSFER), &s);
    assert!(
        limited[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("1000")),
        "{limited:?}"
    );
}

#[test]
fn bad_frames_are_refused_with_their_code_and_path_and_journal_nothing() {
    let mut rig = Rig::admin_room();
    let s1 = rig.connect("p1");
    let seq = rig.seq();
    let fx = rig.frame(
        &s1,
        "p1",
        r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p2","amount":"x","ref":"b1"}"#,
    );
    let e = &sent(&fx, &s1)[0];
    assert_eq!(
        (&e["type"], &e["code"], &e["path"], &e["ref"]),
        (
            &json!("ERROR"),
            &json!("INVALID_FIELDS"),
            &json!("amount"),
            &json!("b1")
        )
    );
    // As in docs/protocol.md.
    assert_eq!(
        e["message"],
        r#"invalid fields for SOCIAL.SEND_SILVER: amount: invalid type: string "x", expected u64"#
    );
    let fx = rig.frame(&s1, "p1", "{nope");
    assert_eq!(sent(&fx, &s1)[0]["code"], "MALFORMED_JSON");
    assert!(sent(&fx, &s1)[0].get("path").is_none());
    assert_eq!(rig.seq(), seq, "nothing journaled");
    // A rejection by the rules is journaled and says so with its seq.
    let fx = rig.frame(
        &s1,
        "p1",
        r#"{"type":"VOTE.MAJORITY.CAST","targetId":"p3","ref":"v"}"#,
    );
    let e = &sent(&fx, &s1)[0];
    assert_eq!(
        (&e["code"], &e["seq"]),
        (&json!("WRONG_PHASE"), &json!(seq + 1))
    );
    // A socket without identity is closed.
    let fx = rig.step(Input::Frame {
        socket: "anon".into(),
        identity: None,
        data: TRANSFER.into(),
    });
    assert!(matches!(
        fx.as_slice(),
        [Effect::Close {
            code: CLOSE_AUTH,
            ..
        }]
    ));
}

#[test]
fn a_frame_after_the_token_expired_gets_token_expired_then_4003() {
    let mut rig = Rig::admin_room();
    let exp = rig.now / 1000 + 2;
    let fx = rig.connect_until("p1", exp);
    let Some(Effect::Accept {
        socket,
        identity: Some(id),
    }) = fx.first().cloned()
    else {
        panic!("{fx:?}")
    };
    let seq = rig.seq();
    rig.now = exp * 1000 - 1;
    let ok = rig.step(Input::Frame {
        socket: socket.clone(),
        identity: Some(id.clone()),
        data: TRANSFER.into(),
    });
    assert_eq!(outcome(&ok, &socket), "ok");
    rig.now = exp * 1000;
    let fx = rig.step(Input::Frame {
        socket: socket.clone(),
        identity: Some(id.clone()),
        data: TRANSFER.into(),
    });
    assert_eq!(sent(&fx, &socket)[0]["code"], "TOKEN_EXPIRED");
    assert!(matches!(
        fx.last(),
        Some(Effect::Close {
            code: CLOSE_AUTH,
            ..
        })
    ));
    assert_eq!(rig.seq(), seq + 1, "only the frame before the expiry");
    let fx = rig.step(Input::Frame {
        socket,
        identity: Some(id),
        data: TRANSFER.into(),
    });
    assert!(fx.is_empty(), "closed: later frames are dropped");
}

/// docs/rules.md, "Pregame": a player's first connection in the pregame journals
/// `SYSTEM.PLAYER_CONNECTED`, whose seeded reveal every socket then sees; a second connection,
/// and a player without answers, journal nothing.
#[test]
fn a_first_pregame_connection_reveals_an_answer_to_everyone() {
    let mut body: Value = serde_json::from_str(&init_body("ADMIN", T0 + 86_400_000)).unwrap();
    body["roster"][0]["qaAnswers"] = json!([{"question": "Q?", "answer": "Forty-two"}]);
    let mut rig = Rig::new(config());
    let fx = rig.create(&body.to_string());
    rig.answer_d1(&fx, Ok(()));
    let s2 = rig.connect("p2");
    assert_eq!(rig.seq(), 1, "no answers: nothing journaled");
    rig.advance(SYNC_INTERVAL_MS);
    let token = mint(
        TOKEN_SECRET.as_bytes(),
        &Claims {
            sub: "user-p1".into(),
            game_id: GAME.into(),
            player_id: "p1".into(),
            exp: rig.now / 1000 + 3600,
        },
    );
    let mut req = rig.request("GET", "", "");
    req.upgrade = "websocket".into();
    req.query = vec![("token".into(), token)];
    let fx = rig.step(Input::Http(req));
    assert_eq!(rig.seq(), 2, "SYSTEM.PLAYER_CONNECTED");
    let syncs = of_type(&sent(&fx, &s2), "SYSTEM.SYNC");
    assert_eq!(syncs.len(), 1, "{fx:?}");
    assert_eq!(syncs[0]["state"]["qaRevealed"][0]["answer"], "Forty-two");
    rig.connect("p1");
    assert_eq!(rig.seq(), 2, "a second connection journals nothing");
}
