//! Scripted destiny games shared by `destiny.rs` and `destiny_sql.rs`.

use pecking_order::engine::destiny::{Destiny, Holder, Status};
use pecking_order::engine::timeline::Action;
use pecking_order::engine::Command;
use pecking_order::journal::{Entry, EntryKind};
use pecking_order::room::Room;
use serde_json::json;
use std::collections::BTreeMap;

pub struct Game {
    pub room: Room,
    pub journal: Vec<Entry>,
    now: i64,
}

impl Game {
    pub fn new(id: &str, gold_pool: u64, seed: u8) -> Game {
        let roster: Vec<_> = (1..=8)
            .map(|i| json!({"id": format!("p{i}"), "personaName": format!("P{i}")}))
            .collect();
        let body = json!({
            "manifest": {"kind": "STATIC", "scheduling": "ADMIN", "startTime": "2026-12-01T09:00:00Z",
                         "initialGoldPool": gold_pool, "moleThreshold": 50,
                         "days": [{"voteType": "MAJORITY"}, {"voteType": "MAJORITY"}, {"voteType": "FINALS"}]},
            "roster": roster,
        });
        let (room, journal) =
            Room::create(id, body.to_string().as_bytes(), 1_000, [seed; 32]).unwrap();
        let mut g = Game {
            room,
            journal,
            now: 1_000,
        };
        g.admin(Command::NextStage {}); // day 1: destinies are dealt
        g
    }

    fn push(&mut self, kind: EntryKind, actor: &str, cmd: Command) -> String {
        self.now += 1_000;
        let s = self.room.submit(kind, actor, &cmd, self.now).unwrap();
        let v = s.verdict.to_wire();
        self.journal.extend(s.entries);
        v
    }

    pub fn admin(&mut self, cmd: Command) -> String {
        self.push(EntryKind::Admin, "ADMIN", cmd)
    }

    pub fn act(&mut self, actor: &str, cmd: Command) -> String {
        self.push(EntryKind::Action, actor, cmd)
    }

    /// The holder record of destiny `d`; panics if nobody holds it.
    fn holding(&self, d: Destiny) -> &Holder {
        self.room
            .state()
            .unwrap()
            .destinies
            .holders
            .iter()
            .find(|h| h.destiny == d)
            .unwrap()
    }

    pub fn holder(&self, d: Destiny) -> String {
        self.holding(d).player_id.clone()
    }

    pub fn status(&self, d: Destiny) -> Status {
        self.holding(d).status
    }

    pub fn credit(&mut self, player: &str, delta: i64) {
        let mut r = BTreeMap::new();
        r.insert(player.to_string(), delta);
        assert_eq!(self.admin(Command::CreditSilver { rewards: r }), "ACCEPTED");
    }

    pub fn eliminate(&mut self, player: &str) {
        let v = self.admin(Command::EliminatePlayer {
            player_id: player.to_string(),
            reason: None,
        });
        assert_eq!(v, "ACCEPTED");
    }

    /// Ends the current day (NIGHT) and starts the next.
    pub fn next_day(&mut self) {
        assert_eq!(self.admin(Command::NextStage {}), "ACCEPTED");
        assert_eq!(self.admin(Command::NextStage {}), "ACCEPTED");
    }

    /// Plays out the FINALS day: opens and closes voting and ends the game.
    pub fn finish(&mut self) {
        while self.room.state().unwrap().day < 3 {
            self.next_day();
        }
        self.admin(Command::InjectTimelineEvent {
            action: Action::OpenVoting,
        });
        self.admin(Command::InjectTimelineEvent {
            action: Action::CloseVoting,
        });
        self.admin(Command::NextStage {});
        assert!(self.room.state().unwrap().winner.is_some());
    }

    pub fn others(&self, not: &[&str]) -> Vec<String> {
        self.room
            .state()
            .unwrap()
            .players
            .iter()
            .map(|p| p.id.clone())
            .filter(|p| !not.contains(&p.as_str()))
            .collect()
    }
}

/// Game A: FANATIC, DECOY, DETECTIVE and SELF_HATE complete; FLOAT and MOLE fail.
pub fn game_a() -> Game {
    let mut g = Game::new("destiny-a", 100, 1);
    let (fanatic, decoy, mole, detective) = (
        g.holder(Destiny::Fanatic),
        g.holder(Destiny::Decoy),
        g.holder(Destiny::Mole),
        g.holder(Destiny::Detective),
    );
    let (float, self_hate) = (g.holder(Destiny::Float), g.holder(Destiny::SelfHate));
    g.eliminate(&fanatic);
    assert_eq!(
        g.act(
            &detective,
            Command::from(pecking_order::engine::destiny::detective::Command::Accuse {
                target_id: decoy.clone()
            })
        ),
        "ACCEPTED"
    );
    assert_eq!(
        g.act(
            &detective,
            Command::from(pecking_order::engine::destiny::detective::Command::Accuse {
                target_id: mole.clone()
            })
        ),
        "REJECTED:ALREADY_ACCUSED_TODAY"
    );
    // SELF_HATE sinks to the bottom and stays there; FLOAT goes below everyone else once.
    g.credit(&float, -48);
    g.credit(&float, 48);
    g.credit(&self_hate, -45);
    g.next_day();
    assert_eq!(
        g.act(
            &detective,
            Command::from(pecking_order::engine::destiny::detective::Command::Accuse {
                target_id: fanatic.clone()
            })
        ),
        "ACCEPTED"
    );
    g.finish();
    g
}

/// Game B: the opposite outcomes.
pub fn game_b() -> Game {
    let mut g = Game::new("destiny-b", 10, 2);
    let (fanatic, decoy, detective) = (
        g.holder(Destiny::Fanatic),
        g.holder(Destiny::Decoy),
        g.holder(Destiny::Detective),
    );
    let (float, self_hate) = (g.holder(Destiny::Float), g.holder(Destiny::SelfHate));
    let first = g
        .others(&[&fanatic, &detective, &decoy, &float])
        .into_iter()
        .find(|p| *p != self_hate)
        .unwrap();
    g.eliminate(&first);
    g.eliminate(&self_hate);
    g.credit(&float, 100);
    let innocent = g.others(&[
        &fanatic,
        &detective,
        &decoy,
        &g.holder(Destiny::Mole),
        &first,
        &self_hate,
    ]);
    assert_eq!(
        g.act(
            &detective,
            Command::from(pecking_order::engine::destiny::detective::Command::Accuse {
                target_id: innocent[0].clone()
            })
        ),
        "ACCEPTED"
    );
    assert_eq!(
        g.act(
            &detective,
            Command::from(pecking_order::engine::destiny::detective::Command::Accuse {
                target_id: detective.clone()
            })
        ),
        "REJECTED:SELF_TARGET"
    );
    assert_eq!(
        g.act(
            &fanatic,
            Command::from(pecking_order::engine::destiny::detective::Command::Accuse {
                target_id: decoy.clone()
            })
        ),
        "REJECTED:NOT_DETECTIVE"
    );
    g.finish();
    g
}
