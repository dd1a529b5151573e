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
