//! Destinies through the real engine: each destiny completed in one scripted game and failed in
//! another; rewards paid in gold equal to the final pool; secrecy in projections. The same
//! journals are checked against the SQL evaluation in `destiny_sql.rs`.

use crate::destiny_games;

use destiny_games::{game_a, game_b, Game};
use pecking_order::engine::destiny::{Destiny, Status};
use pecking_order::room::Room;
use serde_json::json;

#[test]
fn every_destiny_completes_in_game_a_or_b_and_fails_in_the_other() {
    let a = game_a();
    let b = game_b();
    let expect = [
        (Destiny::Fanatic, Status::Completed, Status::Failed),
        (Destiny::Decoy, Status::Completed, Status::Failed),
        (Destiny::Detective, Status::Completed, Status::Failed),
        (Destiny::SelfHate, Status::Completed, Status::Failed),
        (Destiny::Float, Status::Failed, Status::Completed),
        (Destiny::Mole, Status::Failed, Status::Completed),
    ];
    for (d, in_a, in_b) in expect {
        assert_eq!(a.status(d), in_a, "{d:?} in game A");
        assert_eq!(b.status(d), in_b, "{d:?} in game B");
    }
}

#[test]
fn completed_destinies_earn_the_final_pool_in_gold() {
    let a = game_a();
    let st = a.room.state().unwrap();
    for h in &st.destinies.holders {
        let p = st.player(&h.player_id).unwrap();
        let expected = if h.status == Status::Completed {
            100
        } else {
            0
        } + if st.winner.as_deref() == Some(p.id.as_str()) {
            100
        } else {
            0
        };
        assert_eq!(p.gold, expected, "{:?}", h.destiny);
    }
}

#[test]
fn a_destiny_is_secret_to_its_holder_until_the_end() {
    let g = Game::new("destiny-secret", 0, 3);
    let st = g.room.state().unwrap();
    assert_eq!(st.destinies.holders.len(), 6);
    for h in &st.destinies.holders {
        let name = serde_json::to_value(h.destiny).unwrap();
        let own = g.room.projection(Some(&h.player_id)).to_string();
        assert!(own.contains(&format!("\"destiny\":{name}")));
        for other in st.players.iter().filter(|p| p.id != h.player_id) {
            let view = g.room.projection(Some(&other.id));
            let shown: Vec<_> = view["destinies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["playerId"].clone())
                .collect();
            assert!(
                !shown.contains(&json!(h.player_id)),
                "{} sees {}'s destiny",
                other.id,
                h.player_id
            );
        }
    }
    assert!(g.room.public_state()["destinies"]
        .as_array()
        .unwrap()
        .is_empty());
    let done = game_a();
    assert_eq!(
        done.room.public_state()["destinies"]
            .as_array()
            .unwrap()
            .len(),
        6,
        "revealed at the end"
    );
}

#[test]
fn destiny_games_replay_byte_for_byte() {
    for g in [game_a(), game_b()] {
        let again = Room::replay(g.room.game_id(), &g.journal, None).unwrap();
        assert_eq!(again.snapshot_bytes(), g.room.snapshot_bytes());
    }
}

#[test]
fn blitz_deals_no_destinies() {
    let body = json!({"manifest": {"mode": "BLITZ", "startTime": "2026-12-01T09:00:00Z"},
                      "roster": [{"id":"p1","personaName":"A"},{"id":"p2","personaName":"B"},{"id":"p3","personaName":"C"}]});
    let (mut room, _) = Room::create("blitz-d", body.to_string().as_bytes(), 0, [1; 32]).unwrap();
    room.fire_due(i64::MAX / 2, 3);
    assert!(room.state().unwrap().destinies.holders.is_empty());
    let bad = json!({"manifest": {"mode": "BLITZ", "startTime": "2026-12-01T09:00:00Z", "destinies": true},
                     "roster": [{"id":"p1","personaName":"A"},{"id":"p2","personaName":"B"}]});
    let e = Room::create("blitz-e", bad.to_string().as_bytes(), 0, [1; 32]).unwrap_err();
    assert!(e.to_json().to_string().contains("manifest.destinies"));
}
