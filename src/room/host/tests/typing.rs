//! The typing indicator: relayed to the channel's other readers only, never journaled, rate
//! limited per player, refused like a message would be (fake clock).

use super::*;
use crate::room::host::typing::TYPING_MIN_INTERVAL_MS;

fn typing(channel: &str) -> String {
    json!({ "type": "PRESENCE.TYPING", "channelId": channel, "ref": "t" }).to_string()
}

fn typed(fx: &[Effect], socket: &str) -> Vec<Value> {
    let mut v = of_type(&sent(fx, socket), "PRESENCE.TYPING");
    v.extend(of_type(&sent(fx, socket), "PRESENCE.STOP_TYPING"));
    v
}

fn error_code(fx: &[Effect], socket: &str) -> Option<String> {
    of_type(&sent(fx, socket), "ERROR")
        .first()
        .and_then(|e| e["code"].as_str().map(str::to_string))
}

#[test]
fn typing_reaches_the_channels_other_readers_only_and_is_never_journaled() {
    let mut rig = Rig::admin_room();
    let s: Vec<String> = ["p1", "p2", "p3", "p4"]
        .iter()
        .map(|p| rig.connect(p))
        .collect();
    // Before the day: MAIN is not open to anyone.
    let fx = rig.frame(&s[0], "p1", &typing("MAIN"));
    assert_eq!(error_code(&fx, &s[0]).as_deref(), Some("WRONG_PHASE"));
    for a in ["START_DAY", "OPEN_GROUP_CHAT", "OPEN_DMS"] {
        rig.inject(a);
    }
    rig.advance(10_000);
    let journal = rig.host.store().journal.len();
    // MAIN: everyone else hears it, the sender's own socket does not.
    let fx = rig.frame(&s[0], "p1", &typing("MAIN"));
    assert!(typed(&fx, &s[0]).is_empty());
    for other in &s[1..] {
        let t = typed(&fx, other);
        assert_eq!(t.len(), 1, "{fx:?}");
        assert_eq!(t[0]["playerId"], "p1");
        assert_eq!(t[0]["channelId"], "MAIN");
    }
    assert!(of_type(&sent(&fx, &s[0]), "ACK").is_empty());
    assert!(batches(&fx).is_empty(), "nothing to write");
    // Too soon again: a typed error to that socket, nothing relayed.
    rig.advance(TYPING_MIN_INTERVAL_MS - 1);
    let fx = rig.frame(&s[0], "p1", &typing("MAIN"));
    assert_eq!(
        error_code(&fx, &s[0]).as_deref(),
        Some("TYPING_RATE_LIMITED")
    );
    for other in &s[1..] {
        assert!(sent(&fx, other).is_empty());
    }
    // A DM p1 → p2: only p2 hears p1 typing there; p3 cannot signal in it.
    rig.advance(1);
    let fx = rig.frame(
        &s[0],
        "p1",
        r#"{"type":"SOCIAL.SEND_MSG","targetId":"p2","content":"hi","ref":"m"}"#,
    );
    assert_eq!(of_type(&sent(&fx, &s[0]), "ACK").len(), 1);
    let journal = journal + 1;
    let ch = "dm:1:1";
    let stop = json!({ "type": "PRESENCE.STOP_TYPING", "channelId": ch }).to_string();
    // A STOP with no TYPING before it: nothing to stop, no answer, nothing relayed.
    let fx = rig.frame(&s[0], "p1", &stop);
    assert!(
        fx.iter().all(|e| !matches!(e, Effect::Send { .. })),
        "{fx:?}"
    );
    rig.advance(TYPING_MIN_INTERVAL_MS);
    let fx = rig.frame(&s[0], "p1", &typing(ch));
    assert_eq!(typed(&fx, &s[1]).len(), 1);
    assert_eq!(typed(&fx, &s[1])[0]["type"], "PRESENCE.TYPING");
    for other in [&s[2], &s[3]] {
        assert!(typed(&fx, other).is_empty());
    }
    // Its STOP, at once (no rate limit on STOP: one that came "too soon" and was refused left
    // the listener's line up), reaches the same reader only; a second STOP has nothing to stop.
    let fx = rig.frame(&s[0], "p1", &stop);
    assert_eq!(typed(&fx, &s[1]).len(), 1);
    assert_eq!(typed(&fx, &s[1])[0]["type"], "PRESENCE.STOP_TYPING");
    assert_eq!(error_code(&fx, &s[0]), None);
    for other in [&s[2], &s[3]] {
        assert!(typed(&fx, other).is_empty());
    }
    let fx = rig.frame(&s[0], "p1", &stop);
    assert!(
        fx.iter().all(|e| !matches!(e, Effect::Send { .. })),
        "{fx:?}"
    );
    // The STOP did not count against TYPING's limit, nor reset it.
    rig.advance(TYPING_MIN_INTERVAL_MS - 1);
    let fx = rig.frame(&s[0], "p1", &typing(ch));
    assert_eq!(
        error_code(&fx, &s[0]).as_deref(),
        Some("TYPING_RATE_LIMITED")
    );
    rig.advance(1);
    let fx = rig.frame(&s[0], "p1", &typing(ch));
    assert_eq!(typed(&fx, &s[1]).len(), 1);
    let fx = rig.frame(&s[2], "p3", &typing(ch));
    assert_eq!(error_code(&fx, &s[2]).as_deref(), Some("UNKNOWN_CHANNEL"));
    let fx = rig.frame(&s[2], "p3", &typing("dm:9:9"));
    assert_eq!(error_code(&fx, &s[2]).as_deref(), Some("UNKNOWN_CHANNEL"));
    // Malformed: a typed protocol error.
    let fx = rig.frame(&s[2], "p3", r#"{"type":"PRESENCE.TYPING"}"#);
    assert_eq!(error_code(&fx, &s[2]).as_deref(), Some("INVALID_FIELDS"));
    let fx = rig.frame(
        &s[2],
        "p3",
        r#"{"type":"PRESENCE.WAVING","channelId":"MAIN"}"#,
    );
    assert_eq!(error_code(&fx, &s[2]).as_deref(), Some("UNKNOWN_TYPE"));
    // None of it was journaled, and none of it is in anyone's SYNC.
    assert_eq!(rig.host.store().journal.len(), journal);
    rig.advance(10_000);
    let fx = rig.frame(&s[3], "p4", TRANSFER);
    let sync = of_type(&sent(&fx, &s[3]), "SYSTEM.SYNC");
    assert!(!sync.is_empty());
    assert!(!sync[0].to_string().contains("TYPING"));
}
