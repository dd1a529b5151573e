//! A delta socket that stays open while its room hibernates (docs/protocol.md, "Resume"): its
//! attachment keeps the version of the last frame it was sent ([`Effect::Attach`]), and the
//! instance that wakes over the same store and the same sockets sends it a SYSTEM.DELTA from
//! that version (rebuilt from the room's tail) at the next change, not a full SYNC.

use super::delta::{frame_types, started_room, Client};
use super::*;
use crate::limits::COMPACT_EVERY;
use std::collections::BTreeMap;

const PLAYERS: [&str; 4] = ["p1", "p2", "p3", "p4"];

/// The attachments the runtime keeps with the open sockets: set on accept, replaced by
/// [`Effect::Attach`], dropped on close.
#[derive(Default)]
pub(super) struct Attachments(pub(super) BTreeMap<String, SocketId>);

impl Attachments {
    pub(super) fn see(&mut self, fx: &[Effect]) {
        for e in fx {
            match e {
                Effect::Accept {
                    socket,
                    identity: Some(id),
                } => {
                    assert_eq!(&id.cid, socket);
                    self.0.insert(socket.clone(), id.clone());
                }
                Effect::Attach { identity } => {
                    let old = self.0.get_mut(&identity.cid).expect("an open socket");
                    assert_eq!(
                        (&old.player_id, old.exp, old.delta),
                        (&identity.player_id, identity.exp, identity.delta),
                        "only the version changes"
                    );
                    *old = identity.clone();
                }
                Effect::Close { socket, .. } => {
                    self.0.remove(socket);
                }
                _ => {}
            }
        }
    }

    fn v(&self, socket: &str) -> Option<u64> {
        self.0.get(socket).and_then(|id| id.v)
    }
}

/// The room hibernates (or is evicted with its sockets kept): a new host over the same store,
/// knowing only the sockets' attachments.
fn hibernate(rig: &mut Rig, kept: &Attachments) {
    let store = rig.host.store().clone();
    rig.host = Host::new(config(), store, kept.0.values().cloned().collect());
    rig.advance(60_000);
    assert!(rig.host.live().is_none(), "a cold instance");
}

/// A frame from `socket`, with its attachment as the runtime hands it over.
fn frame(rig: &mut Rig, kept: &Attachments, socket: &str, text: &str) -> Vec<Effect> {
    rig.advance(1_000);
    rig.step(Input::Frame {
        socket: socket.into(),
        identity: kept.0.get(socket).cloned(),
        data: text.as_bytes().to_vec(),
    })
}

fn chat(text: &str) -> String {
    json!({"type": "SOCIAL.SEND_MSG", "content": text}).to_string()
}

/// Every client takes what `fx` sent to it, and the attachments what `fx` did to them.
fn deliver(clients: &mut [Client], kept: &mut Attachments, fx: &[Effect], rig: &Rig) {
    kept.see(fx);
    for c in clients.iter_mut() {
        c.take(fx, rig);
    }
}

fn connect_all(rig: &mut Rig, kept: &mut Attachments) -> Vec<Client> {
    PLAYERS
        .iter()
        .map(|p| {
            let (c, fx) = rig.delta_client(p, None);
            kept.see(&fx);
            c
        })
        .collect()
}

#[test]
fn a_delta_socket_open_across_hibernation_gets_a_delta_that_brings_it_to_the_sync() {
    let mut rig = started_room();
    let mut kept = Attachments::default();
    let mut clients = connect_all(&mut rig, &mut kept);
    let plain = rig.connect("p1");
    kept.0.insert(plain.clone(), rig.identity(&plain, "p1"));
    // p4 is eliminated: their view differs from the others'.
    let fx = rig.admin(json!({"type": "ELIMINATE_PLAYER", "playerId": "p4"}));
    deliver(&mut clients, &mut kept, &fx, &rig);
    for i in 0..5 {
        let socket = clients[i % 3].socket.clone();
        let fx = frame(&mut rig, &kept, &socket, &chat(&format!("before {i}")));
        deliver(&mut clients, &mut kept, &fx, &rig);
    }
    let fx = rig.settle();
    deliver(&mut clients, &mut kept, &fx, &rig);
    // The attachment of every delta socket names the version its client holds; a socket
    // without delta=1 has no version (nothing to write per frame).
    for c in &clients {
        assert_eq!(kept.v(&c.socket), Some(c.v), "{}", c.socket);
        assert_eq!(c.state, rig.projection(&c.player));
    }
    assert_eq!(kept.v(&plain), None);
    let held: Vec<Client> = clients.clone();

    hibernate(&mut rig, &kept);
    // The next change, from the plain socket: every delta socket gets one DELTA from the
    // version it held, which brings it to exactly its player's SYNC.
    let logged = rig.logs.len();
    let fx = frame(&mut rig, &kept, &plain, &chat("after the nap"));
    let loads: Vec<_> = rig.logs[logged..]
        .iter()
        .filter(|l| matches!(l.event, LogEvent::Load { .. }))
        .map(|l| l.event.clone())
        .collect();
    assert_eq!(loads, [LogEvent::Load { sockets: 5 }], "the wake is logged");
    let head = rig.seq();
    kept.see(&fx);
    assert_eq!(frame_types(&fx, &plain), ["SYSTEM.SYNC"], "without delta=1");
    for (c, old) in clients.iter_mut().zip(&held) {
        assert_eq!(
            frame_types(&fx, &c.socket),
            ["SYSTEM.DELTA"],
            "{}",
            c.player
        );
        let d = sent(&fx, &c.socket)
            .into_iter()
            .find(|f| f["type"] == "SYSTEM.DELTA")
            .unwrap();
        assert_eq!(d["base"], json!(old.v));
        assert_eq!(d["v"], json!(head));
        // (`take` also checks that every value the delta carries is in the full projection.)
        assert!(c.take(&fx, &rig));
        let (fresh, more) = rig.delta_client(&c.player, None);
        kept.see(&more);
        assert_eq!(c.state, fresh.state, "{}: the delta converges", c.player);
        assert_eq!(c.state, rig.projection(&c.player));
        assert_eq!(kept.v(&c.socket), Some(head), "the attachment follows");
        let gone = rig.step(Input::SocketGone {
            socket: fresh.socket.clone(),
            identity: kept.0.get(&fresh.socket).cloned(),
            echo: true,
        });
        kept.see(&gone);
    }
    // And the deltas go on from memory.
    let socket = clients[1].socket.clone();
    let fx = frame(&mut rig, &kept, &socket, &chat("awake"));
    for c in clients.iter_mut() {
        assert_eq!(frame_types(&fx, &c.socket), ["SYSTEM.DELTA"]);
        c.take(&fx, &rig);
        assert_eq!(c.state, rig.projection(&c.player));
    }
}

#[test]
fn a_socket_whose_view_did_not_change_across_hibernation_gets_nothing() {
    let mut rig = started_room();
    let mut kept = Attachments::default();
    let mut clients = connect_all(&mut rig, &mut kept);
    let fx = rig.inject("OPEN_DMS");
    deliver(&mut clients, &mut kept, &fx, &rig);
    hibernate(&mut rig, &kept);
    // A DM between p1 and p2: p3 and p4 see nothing of it, as if the room had never slept.
    let dm = json!({"type": "SOCIAL.SEND_MSG", "content": "psst", "recipientIds": ["p2"]});
    let socket = clients[0].socket.clone();
    let fx = frame(&mut rig, &kept, &socket, &dm.to_string());
    kept.see(&fx);
    for c in clients.iter_mut() {
        let types = frame_types(&fx, &c.socket);
        if ["p1", "p2"].contains(&c.player.as_str()) {
            assert_eq!(types, ["SYSTEM.DELTA"], "{}", c.player);
        } else {
            assert!(types.is_empty(), "{}: {types:?}", c.player);
        }
        c.take(&fx, &rig);
        assert_eq!(c.state, rig.projection(&c.player));
    }
}

#[test]
fn after_hibernation_a_version_the_room_cannot_rebuild_gets_the_full_sync() {
    let mut rig = started_room();
    let mut kept = Attachments::default();
    let mut clients = connect_all(&mut rig, &mut kept);
    let early = kept.0.clone();
    let talker = clients[0].socket.clone();
    // Past the next snapshot: the versions kept at first are no longer in the tail.
    for i in 0..COMPACT_EVERY + 5 {
        let fx = frame(&mut rig, &kept, &talker, &chat(&format!("message {i}")));
        deliver(&mut clients, &mut kept, &fx, &rig);
    }
    let fx = rig.settle();
    deliver(&mut clients, &mut kept, &fx, &rig);
    let snapshot = rig.host.live().unwrap().snapshot_seq();
    // p2's attachment kept a version older than the snapshot (a write the runtime lost), p3's
    // one ahead of the room (a forged or corrupt one): both get the SYNC, nothing fails.
    let p2 = clients[1].socket.clone();
    let p3 = clients[2].socket.clone();
    assert!(early[&p2].v.unwrap() < snapshot);
    kept.0.insert(p2.clone(), early[&p2].clone());
    kept.0.get_mut(&p3).unwrap().v = Some(rig.seq() + 7);
    hibernate(&mut rig, &kept);
    let fx = frame(&mut rig, &kept, &talker, &chat("after the nap"));
    kept.see(&fx);
    assert_eq!(frame_types(&fx, &p2), ["SYSTEM.SYNC"]);
    assert_eq!(frame_types(&fx, &p3), ["SYSTEM.SYNC"]);
    assert_eq!(frame_types(&fx, &clients[3].socket), ["SYSTEM.DELTA"]);
    for c in clients.iter_mut() {
        c.take(&fx, &rig);
        assert_eq!(c.state, rig.projection(&c.player));
        assert_eq!(kept.v(&c.socket), Some(rig.seq()));
    }
}
