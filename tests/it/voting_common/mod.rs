//! Shared helpers for the voting scenario tests: a STATIC, ADMIN-scheduled game driven through
//! the real room (journal, verdicts, hash chain), stepped with admin timeline events.
#![allow(dead_code)]

use pecking_order::engine::timeline::Action;
use pecking_order::engine::voting::Outcome;
use pecking_order::engine::{Command, GameState};
use pecking_order::journal::{Entry, EntryKind, Verdict};
use pecking_order::room::Room;
use serde_json::{json, Value};

pub const SEED: [u8; 32] = [7; 32];

/// A game in progress plus everything it journaled.
pub struct Game {
    pub room: Room,
    pub journal: Vec<Entry>,
    pub seed: [u8; 32],
    pub now: i64,
}

/// One roster line: id, silver, alive.
pub type Seat<'a> = (&'a str, u64, bool);

/// Alive players with the given silver.
pub fn alive<'a>(list: &[(&'a str, u64)]) -> Vec<Seat<'a>> {
    list.iter().map(|(id, s)| (*id, *s, true)).collect()
}

/// `alive` players followed by `out` players already eliminated, in that join order.
pub fn seats<'a>(alive_list: &[(&'a str, u64)], out: &[(&'a str, u64)]) -> Vec<Seat<'a>> {
    let mut seats = alive(alive_list);
    seats.extend(out.iter().map(|(id, s)| (*id, *s, false)));
    seats
}

/// Four players, richest first: p1 (50), p2 (40), p3 (30), p4 (20).
pub const FOUR: [(&str, u64); 4] = [("p1", 50), ("p2", 40), ("p3", 30), ("p4", 20)];

/// Six players: the top three p1 (90), p2 (80), p3 (70), then p4 (30), p5 (20), p6 (40).
pub const SIX: [(&str, u64); 6] = [
    ("p1", 90),
    ("p2", 80),
    ("p3", 70),
    ("p4", 30),
    ("p5", 20),
    ("p6", 40),
];

impl Game {
    /// A STATIC game whose days use `vote_types`, scheduled by ADMIN, with `roster` in join order.
    pub fn new(vote_types: &[&str], roster: &[Seat<'_>]) -> Game {
        Game::with_seed(vote_types, roster, SEED)
    }

    /// A game whose first day votes with `vote_type`, followed by a MAJORITY day.
    pub fn for_vote(vote_type: &str, roster: &[Seat<'_>]) -> Game {
        Game::new(&[vote_type, "MAJORITY"], roster)
    }

    /// Like [`Game::new`], with the given seed.
    pub fn with_seed(vote_types: &[&str], roster: &[Seat<'_>], seed: [u8; 32]) -> Game {
        let days: Vec<Value> = vote_types
            .iter()
            .map(|v| json!({ "voteType": v }))
            .collect();
        let roster: Vec<Value> = roster
            .iter()
            .map(|(id, silver, alive)| {
                json!({ "id": id, "personaName": format!("Player {id}"), "silver": silver, "isAlive": alive })
            })
            .collect();
        let body = json!({
            "manifest": { "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": "ADMIN",
                          "startTime": "2026-12-01T09:00:00Z", "schedulePreset": "SMOKE_TEST", "days": days },
            "roster": roster,
        });
        let now = 1_800_000_000_000;
        let (room, journal) = Room::create("vote-test", body.to_string().as_bytes(), now, seed)
            .unwrap_or_else(|e| panic!("init refused: {e}"));
        Game {
            room,
            journal,
            seed,
            now,
        }
    }

    /// Journals one input, one second after the previous one; returns its verdict.
    pub fn submit(&mut self, kind: EntryKind, actor: &str, cmd: &Command) -> Verdict {
        self.now += 1000;
        let sub = self
            .room
            .submit(kind, actor, cmd, self.now)
            .unwrap_or_else(|e| panic!("room error: {e}"));
        self.journal.extend(sub.entries);
        sub.verdict
    }

    /// An admin timeline event; must be accepted.
    pub fn admin(&mut self, action: Action) {
        let v = self.submit(
            EntryKind::Admin,
            "ADMIN",
            &Command::InjectTimelineEvent { action },
        );
        assert_eq!(v, Verdict::Accepted, "{action:?} refused");
    }

    /// An admin removes `id` from the game; must be accepted.
    #[track_caller]
    pub fn admin_eliminate(&mut self, id: &str) {
        let elim = Command::EliminatePlayer {
            player_id: id.into(),
            reason: None,
        };
        assert!(self.submit(EntryKind::Admin, "ADMIN", &elim).is_accepted());
    }

    pub fn start_day(&mut self) {
        self.admin(Action::StartDay);
    }

    pub fn open(&mut self) {
        self.admin(Action::OpenVoting);
    }

    pub fn close(&mut self) {
        self.admin(Action::CloseVoting);
    }

    pub fn end_day(&mut self) {
        self.admin(Action::EndDay);
    }

    /// Starts the first day and opens its vote.
    pub fn start_and_open(&mut self) {
        self.start_day();
        self.open();
    }

    /// A player's input; returns its verdict.
    pub fn act(&mut self, player: &str, cmd: &Command) -> Verdict {
        self.submit(EntryKind::Action, player, cmd)
    }

    /// A vote that must be accepted (`typ` is the wire type, e.g. `VOTE.BUBBLE.CAST`).
    #[track_caller]
    pub fn vote(&mut self, player: &str, typ: &str, target: &str) {
        let v = self.act(player, &vote(typ, target));
        assert_eq!(v, Verdict::Accepted, "{player} {typ} {target}");
        let facts = self.last_facts();
        assert!(
            facts
                .as_array()
                .is_some_and(|f| f.first().is_some_and(|f| f["type"] == "VOTE_CAST")),
            "an accepted vote is journaled with its VOTE_CAST fact: {facts}"
        );
    }

    /// An input that must be rejected with `code`, leaving the state exactly as it was and
    /// journaled with its verdict and no facts (no silent VOTE_CAST).
    #[track_caller]
    pub fn reject(&mut self, player: &str, cmd: &Command, code: &str) {
        let before = self.room.state().cloned();
        let v = self.act(player, cmd);
        assert_eq!(v, Verdict::Rejected(code.to_string()), "{player} {cmd:?}");
        assert_eq!(
            self.room.state().cloned(),
            before,
            "a rejected input changed the state"
        );
        let last = self.journal.last().expect("journaled");
        assert_eq!(last.verdict.to_wire(), format!("REJECTED:{code}"));
        assert_eq!(last.actor, player);
        assert_eq!(last.facts, "[]", "a rejected input has no facts");
    }

    /// Shorthand for rejecting a vote naming `target`.
    #[track_caller]
    pub fn reject_vote(&mut self, player: &str, typ: &str, target: &str, code: &str) {
        self.reject(player, &vote(typ, target), code);
    }

    pub fn state(&self) -> &GameState {
        self.room.state().expect("initialised")
    }

    /// Facts of the last journaled entry, parsed.
    pub fn last_facts(&self) -> Value {
        serde_json::from_str(&self.journal.last().expect("journaled").facts)
            .expect("facts are JSON")
    }

    /// Every fact of every accepted entry so far, in order.
    pub fn all_facts(&self) -> Vec<Value> {
        self.journal
            .iter()
            .flat_map(|e| serde_json::from_str::<Vec<Value>>(&e.facts).unwrap_or_default())
            .collect()
    }

    /// The latest vote result (public once settled).
    pub fn result(&self) -> &Outcome {
        &self.state().results.last().expect("a vote was settled").1
    }

    /// Ids of players not alive, roster order.
    pub fn dead(&self) -> Vec<String> {
        self.state()
            .players
            .iter()
            .filter(|p| !p.alive)
            .map(|p| p.id.clone())
            .collect()
    }

    pub fn is_alive(&self, id: &str) -> bool {
        self.state().player(id).is_some_and(|p| p.alive)
    }

    pub fn silver(&self, id: &str) -> u64 {
        self.state().player(id).map(|p| p.silver).unwrap_or(0)
    }

    /// The tallies of the latest result as owned `(id, n)` pairs.
    pub fn tallies(&self) -> Vec<(String, u32)> {
        self.result().tallies.clone()
    }

    /// Starts the day, opens the vote, casts `votes` of type `typ` in order (a voter's later vote
    /// replaces the earlier), and closes the vote.
    #[track_caller]
    pub fn play_vote(&mut self, typ: &str, votes: &[(&str, &str)]) {
        self.start_and_open();
        self.votes(typ, votes);
        self.close();
    }

    /// Like [`Game::play_vote`], with `changes` cast after `first`: each names a voter of `first`
    /// and a new target, so it replaces that voter's earlier vote.
    #[track_caller]
    pub fn play_changed_vote(
        &mut self,
        typ: &str,
        first: &[(&str, &str)],
        changes: &[(&str, &str)],
    ) {
        for (voter, target) in changes {
            assert!(
                first.iter().any(|(v, t)| v == voter && t != target),
                "{voter} -> {target} changes no earlier vote"
            );
        }
        self.start_and_open();
        self.votes(typ, first);
        self.votes(typ, changes);
        self.close();
    }

    /// Opens the vote and closes it unvoted: `eliminated` leaves by a fallback whose tie-break
    /// starts with `why`.
    #[track_caller]
    pub fn assert_unvoted_fallback(&mut self, eliminated: &str, why: &str) {
        self.start_and_open();
        self.close();
        self.assert_eliminated(eliminated);
        self.assert_tie_break_starts_with(why);
    }

    /// While the vote is open: `out` (already eliminated) may not vote for `target`, `voter` may
    /// not name `out`, and an unknown player may not vote at all.
    #[track_caller]
    pub fn reject_outsiders(&mut self, typ: &str, out: &str, voter: &str, target: &str) {
        self.reject_vote(out, typ, target, "NOT_ELIGIBLE_VOTER");
        self.reject_vote(voter, typ, out, "NOT_ELIGIBLE_TARGET");
        self.reject_vote("ghost", typ, target, "UNKNOWN_PLAYER");
    }

    /// Casts each `(voter, target)` vote of wire type `typ` in order; each must be accepted.
    #[track_caller]
    pub fn votes(&mut self, typ: &str, votes: &[(&str, &str)]) {
        for (voter, target) in votes {
            self.vote(voter, typ, target);
        }
    }

    /// The latest result's tie-break text; panics if it has none.
    #[track_caller]
    pub fn tie_break(&self) -> String {
        self.result()
            .tie_break
            .clone()
            .expect("the result has a tie-break")
    }

    /// The latest result eliminated `id`.
    #[track_caller]
    pub fn assert_eliminated(&self, id: &str) {
        assert_eq!(self.result().eliminated.as_deref(), Some(id));
    }

    /// The latest result eliminated `id` outright (no tie-break), with exactly `tallies`.
    #[track_caller]
    pub fn assert_outright(&self, id: &str, tallies: &[(&str, u32)]) {
        self.assert_tallies(tallies);
        self.assert_eliminated(id);
        self.assert_no_tie_break();
    }

    /// The latest result crowned `id`.
    #[track_caller]
    pub fn assert_winner(&self, id: &str) {
        assert_eq!(self.result().winner.as_deref(), Some(id));
    }

    /// The latest result's tallies are exactly `want`, in order.
    #[track_caller]
    pub fn assert_tallies(&self, want: &[(&str, u32)]) {
        assert_eq!(self.tallies(), t(want));
    }

    /// The players not alive are exactly `want`, roster order.
    #[track_caller]
    pub fn assert_dead(&self, want: &[&str]) {
        assert_eq!(self.dead(), ids(want));
    }

    /// The latest result needed no tie-break.
    #[track_caller]
    pub fn assert_no_tie_break(&self) {
        assert_eq!(self.result().tie_break, None);
    }

    /// The latest result's tie-break is exactly `want`.
    #[track_caller]
    pub fn assert_tie_break(&self, want: &str) {
        assert_eq!(self.tie_break(), want);
    }

    /// The latest result's tie-break starts with `prefix`.
    #[track_caller]
    pub fn assert_tie_break_starts_with(&self, prefix: &str) {
        let why = self.tie_break();
        assert!(why.starts_with(prefix), "{why:?} starts with {prefix:?}");
    }

    /// The latest result's tie-break mentions `part`.
    #[track_caller]
    pub fn assert_tie_break_contains(&self, part: &str) {
        let why = self.tie_break();
        assert!(why.contains(part), "{why:?} contains {part:?}");
    }

    /// The latest result has a tie-break that does not mention `part`.
    #[track_caller]
    pub fn assert_tie_break_lacks(&self, part: &str) {
        let why = self.tie_break();
        assert!(!why.contains(part), "{why:?} lacks {part:?}");
    }

    /// `id` is alive until END_DAY and eliminated by it.
    #[track_caller]
    pub fn end_day_eliminating(&mut self, id: &str) {
        assert!(self.is_alive(id), "{id} leaves only at END_DAY");
        self.end_day();
        assert!(!self.is_alive(id), "{id} left at END_DAY");
    }

    /// Replaying the journal gives byte-identical snapshots (with the seed, and, once the game
    /// revealed it, from the journal alone), and the replayed journal checks out entry by entry.
    pub fn assert_replays(&self) {
        let replayed = Room::replay("vote-test", &self.journal, Some(self.seed))
            .unwrap_or_else(|e| panic!("replay failed: {e}"));
        assert_eq!(
            replayed.snapshot_bytes(),
            self.room.snapshot_bytes(),
            "replay diverged"
        );
        assert_eq!(replayed.head(), self.room.head());
        if self.journal.iter().any(|e| e.typ == "SYSTEM.REVEAL_SEED") {
            let again =
                Room::replay("vote-test", &self.journal, None).expect("replay with revealed seed");
            assert_eq!(again.snapshot_bytes(), self.room.snapshot_bytes());
        }
        // Cold start: a snapshot taken halfway plus the tail gives the same state.
        let half = self.journal.len() / 2;
        let first =
            Room::replay("vote-test", &self.journal[..half], Some(self.seed)).expect("prefix");
        let mut cold = Room::from_snapshot(&first.snapshot_bytes()).expect("snapshot decodes");
        for e in &self.journal[half..] {
            cold.apply_recorded(e)
                .unwrap_or_else(|err| panic!("tail entry {}: {err}", e.seq));
        }
        assert_eq!(
            cold.snapshot_bytes(),
            self.room.snapshot_bytes(),
            "snapshot + tail diverged"
        );
    }

    /// The projection `viewer` receives, without the chain position (which differs between two
    /// journals by construction).
    pub fn view(&self, viewer: Option<&str>) -> Value {
        let mut v = self.room.projection(viewer);
        if let Some(o) = v.as_object_mut() {
            o.remove("journalHead");
            o.remove("dayHeads");
        }
        v
    }
}

/// A vote command from its wire type and target, decoded as the room would.
pub fn vote(typ: &str, target: &str) -> Command {
    Command::from_type_and_payload(typ, &json!({ "targetId": target }).to_string())
        .unwrap_or_else(|e| panic!("{typ} does not decode: {e}"))
}

/// `VOTE.DUELS.DUEL {stake}`.
pub fn stake(n: u64) -> Command {
    Command::from_type_and_payload("VOTE.DUELS.DUEL", &json!({ "stake": n }).to_string())
        .unwrap_or_else(|e| panic!("VOTE.DUELS.DUEL does not decode: {e}"))
}

/// `(id, n)` pairs from string slices, for comparing tallies.
pub fn t(list: &[(&str, u32)]) -> Vec<(String, u32)> {
    list.iter().map(|(p, n)| (p.to_string(), *n)).collect()
}

/// Owned ids from string slices.
pub fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}
