//! docs/security.md under `wrangler dev`: a WebSocket upgrade whose token does not verify is
//! answered by the Worker itself (a socket closed with 4003) and never reaches, or creates, a
//! Durable Object.

use crate::support;

use pecking_order::room::token::{mint, Claims};
use std::net::TcpStream;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use support::WranglerDev;

fn now_s() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn token(key: &str, game: &str, exp: i64) -> String {
    mint(
        key.as_bytes(),
        &Claims {
            sub: "user-p1".into(),
            game_id: game.into(),
            player_id: "p1".into(),
            exp,
        },
    )
}

/// Connects with `token` and returns the close code and reason the server sent first.
fn close_of(dev: &WranglerDev, game: &str, token: &str) -> (u16, String) {
    let url = format!(
        "ws://127.0.0.1:{}/parties/game-server/{game}?token={token}",
        dev.port
    );
    let stream = TcpStream::connect(("127.0.0.1", dev.port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let (mut ws, _) = tungstenite::client::client(url.as_str(), stream)
        .unwrap_or_else(|e| panic!("handshake {url}: {e}"));
    loop {
        match ws.read() {
            Ok(tungstenite::Message::Close(Some(f))) => {
                return (u16::from(f.code), f.reason.to_string())
            }
            Ok(tungstenite::Message::Close(None)) => return (0, String::new()),
            Ok(_) => continue,
            Err(e) => panic!("{url}: no close frame: {e}"),
        }
    }
}

#[test]
fn a_token_that_does_not_verify_never_reaches_a_durable_object() {
    let dev = WranglerDev::start();
    let game = "ghost";
    let later = now_s() + 3600;
    let refused = [
        ("no token", String::new()),
        ("garbage", "not.a.jwt".to_string()),
        ("signed with AUTH_SECRET", token(&dev.secret, game, later)),
        ("expired", token(&dev.token_secret, game, now_s() - 10)),
        ("another game", token(&dev.token_secret, "other", later)),
        (
            "beyond the lifetime cap",
            token(&dev.token_secret, game, i64::MAX),
        ),
    ];
    for (what, t) in &refused {
        let (code, reason) = close_of(&dev, game, t);
        assert_eq!(code, 4003, "{what}: {reason}");
        assert!(
            reason.starts_with("refused before the room: "),
            "{what}: closed by the room, not the Worker: {reason:?}"
        );
    }
    assert!(
        dev.do_files().is_empty(),
        "refused upgrades created Durable Object storage: {:?}",
        dev.do_files()
    );
    // A token that verifies reaches the room, which checks the roster: no such game here.
    let (code, reason) = close_of(&dev, game, &token(&dev.token_secret, game, later));
    assert_eq!(code, 4003);
    assert!(!reason.starts_with("refused before the room"), "{reason}");
}

fn admin_init() -> String {
    serde_json::json!({
        "manifest": { "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": "ADMIN",
                      "startTime": "2026-12-01T09:00:00Z", "schedulePreset": "SMOKE_TEST",
                      "days": [{ "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": [{ "id": "p1", "personaName": "Ada" }, { "id": "p2", "personaName": "Bo" },
                   { "id": "p3", "personaName": "Cy" }],
    })
    .to_string()
}

/// docs/security.md, "Limits": at most 4 sockets per player (the fifth is closed with 4009), and
/// connects are rate-limited per player (10 at once, then 10 a minute; 4008). What is asserted
/// holds at any machine speed: the connect bucket may refill while the test runs, so the number
/// of connects admitted is bounded by the burst plus what the elapsed time refilled.
#[test]
fn sockets_per_player_are_capped_and_connects_are_rate_limited() {
    use pecking_order::limits::{CONNECTS_PER_MIN, CONNECT_BURST, MAX_SOCKETS_PER_PLAYER};
    use support::{connect, Connected};
    let dev = WranglerDev::start();
    let game = "limits-1";
    dev.create(game, &admin_init());
    let mut held = Vec::new();
    for _ in 0..MAX_SOCKETS_PER_PLAYER {
        held.push(dev.join(game, "p1"));
    }
    match connect(dev.port, game, Some(&dev.token(game, "p1"))) {
        Connected::Closed(code) => assert_eq!(code, Some(4009)),
        Connected::Open(_) => panic!("a fifth socket of p1 was kept open"),
        Connected::Refused(s) => panic!("refused with HTTP {s}"),
    }
    // Another player is not affected.
    drop(dev.join(game, "p3"));

    let started = std::time::Instant::now();
    let mut admitted = 0u32;
    let mut limited = false;
    for _ in 0..60 {
        match connect(dev.port, game, Some(&dev.token(game, "p2"))) {
            Connected::Open(mut p) => {
                admitted += 1;
                // Close and wait for the room's echo: by then the room has forgotten the socket,
                // so the socket cap is not what stops the next connect.
                let _ = p.ws.close(None);
                while p.ws.read().is_ok() {}
            }
            Connected::Closed(Some(4008)) => {
                limited = true;
                break;
            }
            Connected::Closed(code) => panic!("closed with {code:?}"),
            Connected::Refused(s) => panic!("refused with HTTP {s}"),
        }
    }
    let refilled = started.elapsed().as_secs_f64() * CONNECTS_PER_MIN / 60.0;
    assert!(limited, "60 connects in a row were all admitted");
    assert!(
        f64::from(admitted) <= CONNECT_BURST + refilled.ceil(),
        "{admitted} connects admitted (burst {CONNECT_BURST}, refilled {refilled:.1})"
    );
    assert!(f64::from(admitted) >= CONNECT_BURST, "{admitted}");
    drop(held);
}
