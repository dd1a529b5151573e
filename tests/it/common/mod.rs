//! A test harness around a real `Room`: admin steps, player actions, verdict and fact checks,
//! rejection-leaves-state-unchanged checks, and replay of the whole journal.
#![allow(dead_code)]

use pecking_order::engine::command::PerkType;
use pecking_order::engine::timeline::Action;
use pecking_order::engine::{Command, Fact, GameState};
use pecking_order::journal::{Entry, EntryKind, Verdict};
use pecking_order::room::Room;
use serde_json::{json, Value};

pub const SEED: [u8; 32] = [7; 32];
pub const T0: i64 = 1_796_115_600_000; // 2026-12-01T09:00:00Z

pub struct H {
    pub room: Room,
    pub journal: Vec<Entry>,
    pub now: i64,
}

/// A STATIC, ADMIN-scheduled manifest whose days are `days` (objects; `voteType` added if absent).
pub fn static_manifest(days: Vec<Value>) -> Value {
    let n = days.len();
    let days: Vec<Value> = days
        .into_iter()
        .enumerate()
        .map(|(i, mut d)| {
            if d.get("voteType").is_none() {
                d["voteType"] = json!(if i + 1 == n { "FINALS" } else { "MAJORITY" });
            }
            d
        })
        .collect();
    json!({ "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": "ADMIN",
            "startTime": "2026-12-01T09:00:00Z", "schedulePreset": "SMOKE_TEST",
            "initialGoldPool": 40, "days": days })
}

pub fn roster(players: usize) -> Value {
    let r: Vec<Value> = (1..=players)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    Value::Array(r)
}

impl H {
    pub fn with_manifest(manifest: Value, players: usize) -> H {
        H::with_rules(manifest, players, pecking_order::engine::RULES_VERSION)
    }

    /// [`H::with_manifest`] playing rules version `rules` (docs/architecture.md).
    pub fn with_rules(manifest: Value, players: usize, rules: u32) -> H {
        let body = json!({ "manifest": manifest, "roster": roster(players) }).to_string();
        let (room, journal) =
            Room::create_with_rules("g-social", body.as_bytes(), T0, SEED, rules).expect("create");
        H {
            room,
            journal,
            now: T0,
        }
    }

    /// A STATIC ADMIN game of `players` players and these days, already on day 1 with DMs and
    /// group chat open.
    pub fn day1(days: Vec<Value>, players: usize) -> H {
        H::day1_rules(days, players, pecking_order::engine::RULES_VERSION)
    }

    /// [`H::day1`] playing rules version `rules`.
    pub fn day1_rules(days: Vec<Value>, players: usize, rules: u32) -> H {
        let mut h = H::with_rules(static_manifest(days), players, rules);
        h.inject(Action::StartDay);
        h.inject(Action::OpenGroupChat);
        h.inject(Action::OpenDms);
        h
    }

    pub fn submit(&mut self, kind: EntryKind, actor: &str, cmd: &Command) -> (Verdict, Vec<Fact>) {
        self.now += 1_000;
        let sub = self
            .room
            .submit(kind, actor, cmd, self.now)
            .expect("submit");
        let facts: Vec<Fact> = serde_json::from_str(&sub.entries[0].facts).expect("facts");
        self.journal.extend(sub.entries);
        (sub.verdict, facts)
    }

    pub fn admin(&mut self, cmd: Command) -> Vec<Fact> {
        let (v, f) = self.submit(EntryKind::Admin, "ADMIN", &cmd);
        assert_eq!(v, Verdict::Accepted, "admin {cmd:?}");
        f
    }

    pub fn inject(&mut self, action: Action) -> Vec<Fact> {
        self.admin(Command::InjectTimelineEvent { action })
    }

    pub fn next_stage(&mut self) -> Vec<Fact> {
        self.admin(Command::NextStage {})
    }

    /// Ends today and starts the next day with group chat and DMs open.
    pub fn next_day(&mut self) {
        self.next_stage();
        self.inject(Action::StartDay);
        self.inject(Action::OpenGroupChat);
        self.inject(Action::OpenDms);
    }

    pub fn act(&mut self, actor: &str, cmd: &Command) -> (Verdict, Vec<Fact>) {
        self.submit(EntryKind::Action, actor, cmd)
    }

    /// The action must be accepted; returns its facts.
    pub fn ok(&mut self, actor: &str, cmd: Command) -> Vec<Fact> {
        let (v, f) = self.act(actor, &cmd);
        assert_eq!(v, Verdict::Accepted, "{actor} {cmd:?}");
        f
    }

    /// The action must be rejected with `code`, journaled as such, with no facts and no change
    /// to the engine (state and seed) at all.
    pub fn reject(&mut self, actor: &str, cmd: Command, code: &str) {
        let before = self.room.engine().clone();
        let (v, f) = self.act(actor, &cmd);
        assert_eq!(v, Verdict::Rejected(code.to_string()), "{actor} {cmd:?}");
        assert!(f.is_empty());
        assert_eq!(
            self.journal.last().unwrap().verdict.to_wire(),
            format!("REJECTED:{code}")
        );
        assert_eq!(
            &before,
            self.room.engine(),
            "a rejected input changed the state"
        );
    }

    pub fn st(&self) -> &GameState {
        self.room.state().expect("state")
    }

    pub fn silver(&self, id: &str) -> u64 {
        self.st().player(id).unwrap().silver
    }

    pub fn view(&self, id: &str) -> Value {
        self.room.projection(Some(id))
    }

    /// Rebuilding the room from its journal (whole, or snapshot + tail) gives byte-identical
    /// snapshots.
    pub fn check_replay(&self) {
        let r = Room::replay("g-social", &self.journal, Some(SEED)).expect("replay");
        assert_eq!(r.snapshot_bytes(), self.room.snapshot_bytes());
        assert_eq!(r.seq(), self.journal.len() as u64);
        // Cold start: a snapshot taken halfway, then the tail, gives the same bytes.
        let k = self.journal.len() / 2;
        let half = Room::replay("g-social", &self.journal[..k], Some(SEED)).expect("replay half");
        let mut cold = Room::from_snapshot(&half.snapshot_bytes()).expect("snapshot");
        for e in &self.journal[k..] {
            cold.apply_recorded(e).expect("tail");
        }
        assert_eq!(cold.snapshot_bytes(), self.room.snapshot_bytes());
    }

    /// The id of the `n`-th (1-based) conversation of today.
    pub fn ch(&self, n: u32) -> String {
        format!("dm:{}:{n}", self.st().day)
    }
}

// Command builders.

pub fn main_msg(text: &str) -> Command {
    Command::SendMsg {
        content: text.into(),
        channel_id: None,
        recipient_ids: None,
        target_id: None,
        reply_to: None,
        mentioned_ids: None,
    }
}

pub fn dm(to: &str, text: &str) -> Command {
    Command::SendMsg {
        content: text.into(),
        channel_id: None,
        recipient_ids: None,
        target_id: Some(to.into()),
        reply_to: None,
        mentioned_ids: None,
    }
}

pub fn to_many(to: &[&str], text: &str) -> Command {
    Command::SendMsg {
        content: text.into(),
        channel_id: None,
        recipient_ids: Some(to.iter().map(|s| s.to_string()).collect()),
        target_id: None,
        reply_to: None,
        mentioned_ids: None,
    }
}

pub fn in_channel(ch: &str, text: &str) -> Command {
    Command::SendMsg {
        content: text.into(),
        channel_id: Some(ch.into()),
        recipient_ids: None,
        target_id: None,
        reply_to: None,
        mentioned_ids: None,
    }
}

pub fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

pub fn create(members: &[&str]) -> Command {
    Command::CreateChannel {
        member_ids: ids(members),
    }
}

pub fn add(ch: &str, members: &[&str]) -> Command {
    Command::AddMember {
        channel_id: ch.into(),
        member_ids: ids(members),
    }
}

pub fn accept(ch: &str) -> Command {
    Command::AcceptDm {
        channel_id: ch.into(),
    }
}

pub fn decline(ch: &str) -> Command {
    Command::DeclineDm {
        channel_id: ch.into(),
    }
}

pub fn react(id: u64, emoji: &str) -> Command {
    Command::React {
        message_id: id,
        channel_id: None,
        emoji: emoji.into(),
    }
}

/// A reaction on message `id` of channel `ch` (ids are per channel from rules version 2).
pub fn react_in(ch: &str, id: u64, emoji: &str) -> Command {
    Command::React {
        message_id: id,
        channel_id: Some(ch.into()),
        emoji: emoji.into(),
    }
}

pub fn nudge(to: &str) -> Command {
    Command::Nudge {
        target_id: to.into(),
    }
}

pub fn whisper(to: &str, text: &str) -> Command {
    Command::Whisper {
        target_id: to.into(),
        text: text.into(),
    }
}

pub fn perk(p: PerkType, target: Option<&str>) -> Command {
    Command::UsePerk {
        perk_type: p,
        target_id: target.map(str::to_string),
    }
}

pub fn transfer(to: &str, amount: u64) -> Command {
    Command::SendSilver {
        target_id: to.into(),
        amount,
    }
}

/// The Silver facts among `facts`, as (player, delta, balance_after, reason).
pub fn silver_facts(facts: &[Fact]) -> Vec<(String, i64, u64, String)> {
    facts
        .iter()
        .filter_map(|f| match f {
            Fact::Silver {
                player_id,
                delta,
                balance_after,
                reason,
            } => Some((player_id.clone(), *delta, *balance_after, reason.clone())),
            _ => None,
        })
        .collect()
}
