//! Resume from the room's tail (docs/protocol.md, "Resume"): after a restart or hibernation the
//! room has forgotten every projection it sent, yet a socket that comes back with a version
//! between the previous snapshot's seq and the head gets one SYSTEM.DELTA, rebuilt from the
//! snapshot and the entries after it, which brings the projection it held to exactly the one a
//! full SYNC would carry; anything older, ahead or malformed gets the full SYNC.

use super::delta::{frame_types, started_room, Client};
use super::*;
use crate::limits::COMPACT_EVERY;

const PLAYERS: [&str; 4] = ["p1", "p2", "p3", "p4"];

/// Every client takes what `fx` sent to its socket.
fn deliver(clients: &mut [Client], fx: &[Effect], rig: &Rig) {
    for c in clients.iter_mut() {
        c.take(fx, rig);
    }
}

/// The instance dies (SIGKILL, eviction, a deploy): a new host over the same store, no socket
/// known to it.
fn restart(rig: &mut Rig) {
    let store = rig.host.store().clone();
    rig.host = Host::new(config(), store, Vec::new());
    rig.advance(5_000);
}

/// The socket closes.
fn gone(rig: &mut Rig, socket: &str, player: &str) {
    let identity = Some(rig.identity(socket, player));
    let _ = rig.step(Input::SocketGone {
        socket: socket.into(),
        identity,
        echo: false,
    });
}

fn chat(rig: &mut Rig, socket: &str, player: &str, text: &str) -> Vec<Effect> {
    rig.advance(1_000);
    let msg = json!({"type": "SOCIAL.SEND_MSG", "content": text});
    rig.frame(socket, player, &msg.to_string())
}

/// A day of mixed changes by the alive players: chat, a DM, a transfer, votes.
fn busy(rig: &mut Rig, clients: &mut [Client], round: usize) {
    let actions = [
        (
            "p1",
            json!({"type": "SOCIAL.SEND_MSG", "content": format!("round {round}")}),
        ),
        (
            "p2",
            json!({"type": "SOCIAL.SEND_MSG", "content": "psst", "recipientIds": ["p3"]}),
        ),
        (
            "p3",
            json!({"type": "SOCIAL.SEND_SILVER", "targetId": "p1", "amount": 1}),
        ),
        (
            "p2",
            json!({"type": "VOTE.MAJORITY.CAST", "targetId": "p1"}),
        ),
    ];
    for (player, msg) in actions {
        rig.advance(1_000);
        let i = PLAYERS.iter().position(|p| *p == player).unwrap();
        let socket = clients[i].socket.clone();
        let fx = rig.frame(&socket, player, &msg.to_string());
        deliver(clients, &fx, rig);
    }
    let fx = rig.settle();
    deliver(clients, &fx, rig);
}

#[test]
fn after_a_restart_a_resume_from_the_tail_is_one_delta_to_each_players_current_sync() {
    let mut rig = started_room();
    let mut clients: Vec<Client> = PLAYERS
        .iter()
        .map(|p| rig.delta_client(p, None).0)
        .collect();
    // p4 is eliminated: their view differs from the others' (and keeps changing).
    let fx = rig.admin(json!({"type": "ELIMINATE_PLAYER", "playerId": "p4"}));
    deliver(&mut clients, &fx, &rig);
    let fx = rig.inject("OPEN_DMS");
    deliver(&mut clients, &fx, &rig);
    let fx = rig.inject("OPEN_VOTING");
    deliver(&mut clients, &fx, &rig);
    busy(&mut rig, &mut clients, 0);
    for (c, p) in clients.iter().zip(PLAYERS) {
        assert_eq!(c.state, rig.projection(p), "{p}");
    }
    let held: Vec<Client> = clients.clone();
    // The day goes on; then the instance dies with every socket.
    for round in 1..4 {
        busy(&mut rig, &mut clients, round);
    }
    let head = rig.seq();
    let snapshot = rig.host.live().unwrap().snapshot_seq();
    assert!(held.iter().all(|c| c.v >= snapshot && c.v < head));
    restart(&mut rig);
    assert!(rig.host.live().is_none(), "a cold instance");

    for (i, old) in held.iter().enumerate() {
        let player = PLAYERS[i];
        let (socket, fx) = rig.connect_delta(player, Some(&old.v.to_string()));
        assert_eq!(frame_types(&fx, &socket), ["SYSTEM.DELTA"], "{player}");
        let first = &sent(&fx, &socket)[0];
        assert_eq!(first["base"], json!(old.v));
        assert_eq!(first["v"], json!(head));
        assert!(!first["ops"].as_array().unwrap().is_empty());
        let mut back = old.clone();
        back.socket = socket;
        // (`take` also checks that every value the delta carries is in the full projection.)
        back.take(&fx, &rig);
        assert_eq!(back.v, head);
        let (fresh, _) = rig.delta_client(player, None);
        assert_eq!(
            back.state, fresh.state,
            "{player}: the resume converges to the SYNC"
        );
        assert_eq!(back.state, rig.projection(player));
        for s in [&back.socket, &fresh.socket] {
            gone(&mut rig, s, player);
        }
    }
    // Resumes that cannot be rebuilt: ahead of the room, malformed: the full SYNC.
    for v in [(head + 1).to_string(), "-3".into(), "seq".into()] {
        let (socket, fx) = rig.connect_delta("p2", Some(&v));
        assert_eq!(frame_types(&fx, &socket), ["SYSTEM.SYNC"], "v={v}");
        gone(&mut rig, &socket, "p2");
    }
}

#[test]
fn a_version_older_than_the_previous_snapshot_gets_the_full_sync_and_one_after_the_stored_one_a_delta(
) {
    let mut rig = started_room();
    let (old, _) = rig.delta_client("p2", None);
    let s1 = rig.connect("p1");
    // Past the next two snapshots: p2's version is older than the previous snapshot too.
    for i in 0..2 * COMPACT_EVERY + 5 {
        chat(&mut rig, &s1, "p1", &format!("message {i}"));
    }
    rig.settle();
    let snapshot = rig.host.live().unwrap().snapshot_seq();
    let previous = rig.host.store().previous.as_ref().map_or(0, |p| p.1);
    assert!(old.v < previous, "{} {previous}", old.v);
    // A client that held the snapshot's own version, and one a few entries later.
    let at_snapshot = snapshot;
    let (later, _) = rig.delta_client("p3", None);
    for i in 0..3 {
        chat(&mut rig, &s1, "p1", &format!("after {i}"));
    }
    rig.settle();
    restart(&mut rig);

    let (socket, fx) = rig.connect_delta("p2", Some(&old.v.to_string()));
    assert_eq!(frame_types(&fx, &socket), ["SYSTEM.SYNC"]);
    assert_eq!(sent(&fx, &socket)[0]["state"], rig.projection("p2"));

    let (socket, fx) = rig.connect_delta("p3", Some(&later.v.to_string()));
    assert_eq!(frame_types(&fx, &socket), ["SYSTEM.DELTA"]);
    let mut back = later.clone();
    back.socket = socket;
    back.take(&fx, &rig);
    assert_eq!(back.state, rig.projection("p3"));

    let (socket, fx) = rig.connect_delta("p2", Some(&at_snapshot.to_string()));
    assert_eq!(
        frame_types(&fx, &socket),
        ["SYSTEM.DELTA"],
        "the snapshot's own seq"
    );
    let d = &sent(&fx, &socket)[0];
    assert_eq!(d["base"], json!(at_snapshot));
    let messages = rig.seq() - at_snapshot;
    assert_eq!(
        d["ops"].as_array().unwrap().len() as u64,
        messages,
        "one add a message: {d}"
    );
}

#[test]
fn after_a_restart_a_resume_100_entries_back_before_the_stored_snapshot_is_one_delta_to_the_sync() {
    let mut rig = started_room();
    let (held, _) = rig.delta_client("p3", None);
    let s1 = rig.connect("p1");
    // 100 entries: refused transfers (journaled, no frame to anyone) and every 20th a chat
    // message p3 sees, so the DELTA stays small while the SYNC carries the whole day.
    for i in 0..100 {
        rig.advance(1_000);
        let msg = if i % 20 == 19 {
            json!({"type": "SOCIAL.SEND_MSG", "content": format!("now {i}")})
        } else {
            json!({"type": "SOCIAL.SEND_SILVER", "targetId": "p2", "amount": 1_000_000})
        };
        rig.frame(&s1, "p1", &msg.to_string());
    }
    rig.settle();
    let head = rig.seq();
    let snapshot = rig.host.live().unwrap().snapshot_seq();
    assert!(head - held.v >= 100, "{} {head}", held.v);
    assert!(held.v < snapshot, "{} {snapshot}", held.v);
    restart(&mut rig);

    let (socket, fx) = rig.connect_delta("p3", Some(&held.v.to_string()));
    assert_eq!(frame_types(&fx, &socket), ["SYSTEM.DELTA"]);
    let delta = sent(&fx, &socket)[0].clone();
    assert_eq!(delta["base"], json!(held.v));
    assert_eq!(delta["v"], json!(head));
    let mut back = held.clone();
    back.socket = socket;
    back.take(&fx, &rig);
    let (fresh, fx) = rig.delta_client("p3", None);
    assert_eq!(back.state, fresh.state, "the resume converges to the SYNC");
    assert_eq!(back.state, rig.projection("p3"));
    let sync = sent(&fx, &fresh.socket)[0].clone();
    // The figure in BENCHMARKS.md ("Resume").
    eprintln!(
        "resume {} entries back: DELTA {} B, SYNC {} B",
        head - held.v,
        delta.to_string().len(),
        sync.to_string().len()
    );
}
