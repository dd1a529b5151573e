//! docs/security.md: the two secrets, and the per-player limits of a live room.

use super::*;
use crate::room::secrets::{DEV_AUTH_SECRET, DEV_TOKEN_SECRET};

/// Asks to connect `player` with a token signed with `key`; whether the room accepted it.
fn connect_signed_with(rig: &mut Rig, player: &str, key: &str) -> bool {
    let token = mint(
        key.as_bytes(),
        &Claims {
            sub: format!("user-{player}"),
            game_id: GAME.into(),
            player_id: player.into(),
            exp: rig.now / 1000 + 3600,
        },
    );
    let mut req = rig.request("GET", "", "");
    req.upgrade = "websocket".into();
    req.query = vec![("token".into(), token)];
    let fx = rig.step(Input::Http(req));
    matches!(
        fx.first(),
        Some(Effect::Accept {
            identity: Some(_),
            ..
        })
    )
}

#[test]
fn player_tokens_are_signed_with_token_secret_never_with_the_operator_bearer() {
    let mut rig = Rig::admin_room();
    assert!(connect_signed_with(&mut rig, "p1", TOKEN_SECRET));
    assert!(
        !connect_signed_with(&mut rig, "p2", SECRET),
        "a token signed with AUTH_SECRET"
    );
    // The same for `GET …/state` with a player token as the bearer.
    let forged = mint(
        SECRET.as_bytes(),
        &Claims {
            sub: "u".into(),
            game_id: GAME.into(),
            player_id: "p1".into(),
            exp: rig.now / 1000 + 3600,
        },
    );
    let mut req = rig.request("GET", "/state", "");
    req.authorization = format!("Bearer {forged}");
    assert_eq!(reply(&rig.step(Input::Http(req))).0, 401);
    // And the token secret is no operator bearer.
    let mut req = rig.request("GET", "/state", "");
    req.authorization = format!("Bearer {TOKEN_SECRET}");
    assert_eq!(reply(&rig.step(Input::Http(req))).0, 401);
}

#[test]
fn weak_equal_or_committed_secrets_count_as_unset() {
    let with = |auth: &str, token: &str, dev: bool| {
        HostConfig::from_vars(auth.into(), |k| match k {
            "TOKEN_SECRET" => Some(token.into()),
            "DEV_MODE" => dev.then(|| "1".into()),
            _ => None,
        })
    };
    let ok = with(SECRET, TOKEN_SECRET, false);
    assert_eq!(
        (ok.secret.as_str(), ok.token_secret.as_str()),
        (SECRET, TOKEN_SECRET)
    );
    let short = with("short-auth", TOKEN_SECRET, false);
    assert_eq!(
        (short.secret.as_str(), short.token_secret.as_str()),
        ("", TOKEN_SECRET)
    );
    let same = with(SECRET, SECRET, false);
    assert_eq!((same.secret.as_str(), same.token_secret.as_str()), ("", ""));
    let committed = with(DEV_AUTH_SECRET, DEV_TOKEN_SECRET, false);
    assert_eq!(
        (committed.secret.as_str(), committed.token_secret.as_str()),
        ("", "")
    );
    let dev = with(DEV_AUTH_SECRET, DEV_TOKEN_SECRET, true);
    assert_eq!(
        (dev.secret.as_str(), dev.token_secret.as_str()),
        (DEV_AUTH_SECRET, DEV_TOKEN_SECRET)
    );
    // A room configured with refused secrets admits nobody: no operator view, no player.
    let mut rig = Rig::admin_room();
    rig.host.config = with("short-auth", "short-token", false);
    let fx = rig.http("GET", "/state", "");
    assert_eq!(reply(&fx).1["error"]["code"], "AUTH_NOT_CONFIGURED");
    assert!(!connect_signed_with(&mut rig, "p1", "short-token"));
}

/// docs/protocol.md, "GET …/state": a player token as the bearer gets that player's projection,
/// none of the operator view.
#[test]
fn state_with_a_player_token_is_that_players_projection() {
    let mut rig = Rig::admin_room();
    rig.inject("START_DAY");
    let t = mint(
        TOKEN_SECRET.as_bytes(),
        &Claims {
            sub: "u".into(),
            game_id: GAME.into(),
            player_id: "p2".into(),
            exp: rig.now / 1000 + 3600,
        },
    );
    let mut req = rig.request("GET", "/state", "");
    req.authorization = format!("Bearer {t}");
    let (status, body) = reply(&rig.step(Input::Http(req)));
    assert_eq!(status, 200);
    assert_eq!(body["you"], "p2");
    for operator_only in ["journalHead", "outboxLag", "d1ConfirmedSeq", "lifecycle"] {
        assert!(
            body.get(operator_only).is_none(),
            "{operator_only} in {body}"
        );
    }
    let operator = rig.state();
    assert!(operator.get("journalHead").is_some());
}

// ---------------------------------------------------------------------------------------------
// Per-player limits (docs/security.md, "Limits"). Every time is the fake clock's, so these hold
// at any machine speed.

use super::super::limits::{CONNECT_BURST, MAX_SOCKETS_PER_PLAYER, REFUSALS_PER_DAY};
use super::super::{CLOSE_TOO_MANY, RATE_BURST};

/// The close code of a connect's answer (`None`: accepted).
fn connect_close(fx: &[Effect]) -> Option<u16> {
    fx.iter().find_map(|e| match e {
        Effect::Close { code, .. } => Some(*code),
        _ => None,
    })
}

/// What one frame was answered with: "ok", "limited", "closed" or "" (dropped).
fn answer(fx: &[Effect], socket: &str) -> &'static str {
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
fn the_rate_limit_is_per_player_over_all_their_sockets() {
    let mut rig = Rig::admin_room();
    let a = rig.connect("p1");
    let b = rig.connect("p1");
    let other = rig.connect("p2");
    rig.advance(1000);
    // A burst spread over two sockets gets one burst, not two.
    let got: Vec<&str> = (0..RATE_BURST as usize + 10)
        .map(|i| {
            let s = if i % 2 == 0 { &a } else { &b };
            answer(&rig.frame(s, "p1", TRANSFER), s)
        })
        .collect();
    assert_eq!(
        got.iter().filter(|o| **o == "ok").count(),
        RATE_BURST as usize
    );
    assert!(got[RATE_BURST as usize..].iter().all(|o| *o == "limited"));
    // A new socket of the same player starts no new bucket.
    let c = rig.connect("p1");
    assert_eq!(answer(&rig.frame(&c, "p1", TRANSFER), &c), "limited");
    // Another player is not affected.
    assert_eq!(answer(&rig.frame(&other, "p2", TRANSFER), &other), "ok");
}

#[test]
fn a_player_holds_at_most_four_sockets_and_connects_are_rate_limited() {
    let mut rig = Rig::admin_room();
    let sockets: Vec<String> = (0..MAX_SOCKETS_PER_PLAYER)
        .map(|_| rig.connect("p1"))
        .collect();
    let exp = rig.now / 1000 + 3600;
    assert_eq!(
        connect_close(&rig.connect_until("p1", exp)),
        Some(CLOSE_TOO_MANY)
    );
    // Others are not affected; a socket gone makes room again.
    assert_eq!(connect_close(&rig.connect_until("p2", exp)), None);
    rig.step(Input::SocketGone {
        socket: sockets[0].clone(),
        identity: Some(rig.identity(&sockets[0], "p1")),
        echo: false,
    });
    assert_eq!(connect_close(&rig.connect_until("p1", exp)), None);
    // Connects at one instant: the burst, then 4008, whatever sockets are closed in between.
    let mut fresh = Rig::admin_room();
    let exp = fresh.now / 1000 + 3600;
    let mut answers = Vec::new();
    for _ in 0..CONNECT_BURST as usize + 3 {
        let fx = fresh.connect_until("p3", exp);
        answers.push(connect_close(&fx));
        if let Some(Effect::Accept {
            socket,
            identity: Some(id),
        }) = fx.first().cloned()
        {
            fresh.step(Input::SocketGone {
                socket,
                identity: Some(id),
                echo: false,
            });
        }
    }
    assert!(answers[..CONNECT_BURST as usize]
        .iter()
        .all(Option::is_none));
    assert!(answers[CONNECT_BURST as usize..]
        .iter()
        .all(|a| *a == Some(CLOSE_ABUSE)));
    // The bucket refills by the clock: 6 s buys one connect (10 a minute).
    fresh.advance(6_000);
    assert_eq!(connect_close(&fresh.connect_until("p3", exp)), None);
    assert_eq!(
        connect_close(&fresh.connect_until("p3", exp)),
        Some(CLOSE_ABUSE)
    );
}

#[test]
fn refusals_past_the_daily_budget_are_answered_but_not_journaled_even_after_hibernation() {
    let mut rig = Rig::admin_room();
    let s = rig.connect("p1");
    let watcher = rig.connect("p2");
    // Before the day starts every transfer is refused by the rules (and journaled).
    let refuse = |rig: &mut Rig, s: &str| {
        rig.advance(100); // one token a frame: never rate-limited
        let fx = rig.frame(s, "p1", TRANSFER);
        sent(&fx, s).into_iter().next().expect("an answer")
    };
    let start = rig.seq();
    for _ in 0..REFUSALS_PER_DAY {
        let f = refuse(&mut rig, &s);
        assert_eq!(f["type"], "ERROR");
        assert!(f["seq"].is_u64(), "journaled: {f}");
    }
    assert_eq!(rig.seq(), start + u64::from(REFUSALS_PER_DAY));
    rig.advance(SYNC_INTERVAL_MS);
    rig.step(Input::Timer);
    // Past the budget: the same answer code, no seq, no entry, nothing to anyone else.
    let fx = {
        rig.advance(100);
        rig.frame(&s, "p1", TRANSFER)
    };
    let f = &sent(&fx, &s)[0];
    assert_eq!(f["type"], "ERROR");
    assert!(f.get("seq").is_none(), "{f}");
    assert!(!f["code"].as_str().unwrap_or("").is_empty());
    assert!(sent(&fx, &watcher).is_empty());
    assert_eq!(rig.seq(), start + u64::from(REFUSALS_PER_DAY));
    // The count is in storage: a fresh instance (hibernation, restart) keeps refusing.
    let store = rig.host.store().clone();
    rig.host = Host::new(config(), store, vec![rig.identity(&s, "p1")]);
    let f = refuse(&mut rig, &s);
    assert!(f.get("seq").is_none(), "{f}");
    assert_eq!(rig.seq(), start + u64::from(REFUSALS_PER_DAY));
    // Accepted actions are journaled as ever; another player has their own budget.
    rig.inject("START_DAY");
    let seq = rig.seq();
    assert!(refuse(&mut rig, &s)["type"] == "ACK");
    assert_eq!(rig.seq(), seq + 1);
    // The next UTC day starts a new budget.
    rig.advance(86_400_000);
    let s = rig.connect("p1");
    let f = {
        rig.advance(100);
        let fx = rig.frame(
            &s,
            "p1",
            r#"{"type":"SOCIAL.SEND_SILVER","targetId":"p1","amount":1}"#,
        );
        sent(&fx, &s)[0].clone()
    };
    assert!(f["seq"].is_u64(), "journaled again: {f}");
}

/// A change a player cannot see sends them nothing (docs/security.md, "What a player learns"):
/// a refused action of another player is journaled, but the others' views did not change.
#[test]
fn a_socket_gets_a_sync_only_when_its_own_view_changed() {
    let mut rig = Rig::admin_room();
    let s1 = rig.connect("p1");
    let s2 = rig.connect("p2");
    rig.advance(1000);
    let seq = rig.seq();
    // Refused by the rules (no day yet): journaled, answered to p1 only.
    let fx = rig.frame(&s1, "p1", TRANSFER);
    assert_eq!(rig.seq(), seq + 1);
    assert_eq!(sent(&fx, &s1)[0]["type"], "ERROR");
    rig.advance(SYNC_INTERVAL_MS);
    let later = rig.step(Input::Timer);
    assert!(sent(&fx, &s2).is_empty(), "{fx:?}");
    assert!(sent(&later, &s2).is_empty(), "{later:?}");
    // A change both can see reaches both.
    let fx = rig.inject("START_DAY");
    rig.advance(SYNC_INTERVAL_MS);
    let later = rig.step(Input::Timer);
    for s in [&s1, &s2] {
        let n = of_type(&sent(&fx, s), "SYSTEM.SYNC").len()
            + of_type(&sent(&later, s), "SYSTEM.SYNC").len();
        assert_eq!(n, 1, "{s}");
    }
}

/// A token exactly as the prototype lobby mints it (`signGameToken`: jose's `SignJWT` with the
/// protected header `{"alg":"HS256"}` only, claims `{sub, gameId, playerId, personaName, iat,
/// exp}`, here keyed with TOKEN_SECRET) opens a socket; the extra claims are ignored.
#[test]
fn a_token_minted_the_way_the_lobby_mints_it_opens_a_socket() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    use hmac::{Hmac, Mac};
    let mut rig = Rig::admin_room();
    let iat = rig.now / 1000;
    let jose = |key: &str, game: &str| {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256"}"#);
        let claims = format!(
            r#"{{"sub":"user-1","gameId":"{game}","playerId":"p1","personaName":"Bella Rossi","iat":{iat},"exp":{}}}"#,
            iat + 21 * 86_400
        );
        let input = format!("{header}.{}", URL_SAFE_NO_PAD.encode(claims));
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
        mac.update(input.as_bytes());
        format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        )
    };
    let open = |rig: &mut Rig, token: String| {
        let mut req = rig.request("GET", "", "");
        req.upgrade = "websocket".into();
        req.query = vec![("token".into(), token)];
        let fx = rig.step(Input::Http(req));
        matches!(
            fx.first(),
            Some(Effect::Accept {
                identity: Some(_),
                ..
            })
        )
    };
    assert!(open(&mut rig, jose(TOKEN_SECRET, GAME)));
    assert!(!open(&mut rig, jose(TOKEN_SECRET, "another-game")));
    assert!(
        !open(&mut rig, jose(SECRET, GAME)),
        "signed with AUTH_SECRET"
    );
}
