//! The room: host-agnostic orchestration around the engine. It validates input at the edge,
//! stamps time and seq, asks the engine for a verdict, seals the journal entry into the hash
//! chain, and keeps the snapshot. Storage and transport belong to the worker layer.

pub mod admin;
pub mod alarms;
pub mod checkpoint;
pub mod delta;
mod facts;
pub mod host;
pub mod live;
pub mod operator;
pub mod protocol;
pub mod route;
pub mod secrets;
pub mod session;
pub mod subscribe;
pub mod token;
pub mod wallet;

use crate::engine::ticker::{self, TickerLine};
use crate::engine::{self, projection, Command, Engine, Fact, Input, ENGINE_VERSION};
use crate::journal::{self, genesis_hash, Entry, EntryKind, Hash, Verdict, ENTRY_VERSION};
use crate::snapshot::{Snapshot, SNAPSHOT_VERSION};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use thiserror::Error;

pub use admin::{parse_admin_request, AdminError, AdminRequest};
pub use checkpoint::checkpoint_of;
pub use protocol::{parse_client_message, ClientMessage, ProtocolError, MAX_CLIENT_MESSAGE_BYTES};

/// Largest `/init` body accepted.
pub use crate::limits::MAX_INIT_BYTES;

#[derive(Debug, Error)]
pub enum RoomError {
    #[error("request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("request body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("invalid request: {0}")]
    InvalidBody(String),
    #[error("invalid manifest or roster")]
    InvalidManifest(engine::manifest::ManifestError),
    #[error("refused: {0}")]
    Rejected(engine::Rejection),
    #[error("stored snapshot is unusable: {0}")]
    Snapshot(#[from] crate::snapshot::SnapshotError),
    #[error("journal entry {seq} does not continue the chain: {why}")]
    Chain { seq: u64, why: String },
    #[error("journal entry {seq} replays to a different result: {why}")]
    Diverged { seq: u64, why: String },
}

crate::engine::error::stable_codes! {
    RoomError {
        MalformedJson => "MALFORMED_JSON",
        TooLarge => "TOO_LARGE",
        InvalidBody => "INVALID_BODY",
        InvalidManifest => "INVALID_MANIFEST",
        Snapshot => "SNAPSHOT_UNUSABLE",
        Chain => "CHAIN_BROKEN",
        Diverged => "DIVERGED",
    }
    Rejected(r) => r.code();
}

impl RoomError {
    pub fn http_status(&self) -> u16 {
        match self {
            RoomError::MalformedJson(_)
            | RoomError::InvalidBody(_)
            | RoomError::InvalidManifest(_) => 400,
            RoomError::TooLarge(_) => 413,
            RoomError::Rejected(_) => 409,
            RoomError::Snapshot(_) | RoomError::Chain { .. } | RoomError::Diverged { .. } => 500,
        }
    }

    /// `{"error": {"code", "message", "fields"?}}`.
    pub fn to_json(&self) -> Value {
        let fields = match self {
            RoomError::InvalidManifest(m) => Some(m.errors.clone()),
            _ => None,
        };
        HttpError::new(self.code(), self.to_string(), fields).to_json()
    }
}

/// The body of every refused HTTP request: `{"error": {"code", "message", "fields"?}}`
/// (`schemas/http-error.schema.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HttpError {
    pub error: HttpErrorBody,
}

/// What an [`HttpError`] says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HttpErrorBody {
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema::codes::HttpErrorCode")
    )]
    pub code: &'static str,
    pub message: String,
    /// INVALID_MANIFEST: every bad field; INVALID_FIELDS of `POST …/admin`: the first bad field.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Vec<engine::manifest::FieldError>")
    )]
    pub fields: Option<Vec<engine::manifest::FieldError>>,
}

impl HttpError {
    pub fn new(
        code: &'static str,
        message: String,
        fields: Option<Vec<engine::manifest::FieldError>>,
    ) -> HttpError {
        HttpError {
            error: HttpErrorBody {
                code,
                message,
                fields,
            },
        }
    }

    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// What one player (or, with `you: null`, anyone) may see (the `state` of SYSTEM.SYNC). Votes,
/// stakes, decisions, answers, handles and other players' DMs stay out until their reveal.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Projection {
    Game(Box<PlayerView>),
    Uninitialised(UninitialisedView),
}

/// A running game's projection: the engine's [`projection::GameView`] and the chain heads of
/// finished days.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(rename = "GameView"))]
pub struct PlayerView {
    #[serde(flatten)]
    pub game: projection::GameView,
    /// The journal's chain head at the end of each finished day.
    pub day_heads: Vec<DayHead>,
}

/// The journal's chain head at the end of one finished day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DayHead {
    pub day: u32,
    pub head: Hash,
}

/// A room before SYSTEM.INIT.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UninitialisedView {
    pub game_id: String,
    pub phase: Uninitialised,
    pub day_heads: Vec<DayHead>,
}

/// The phase of a room before SYSTEM.INIT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Uninitialised {
    Uninitialised,
}

/// Where a game is in its life (docs/protocol.md, "Lifecycle"): the operator's `GET …/state`
/// and the D1 `games` row say the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Lifecycle {
    /// Created and not ended (pregame included).
    Active,
    /// Ended by the rules (a winner, or none when the rules found none).
    Completed,
    /// Ended by the operator (`ADMIN.ABANDON_GAME`).
    Abandoned,
}

impl Lifecycle {
    pub fn as_str(self) -> &'static str {
        match self {
            Lifecycle::Active => "ACTIVE",
            Lifecycle::Completed => "COMPLETED",
            Lifecycle::Abandoned => "ABANDONED",
        }
    }
}

/// The public projection with the chain position ([`Room::public_state`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicState {
    #[serde(flatten)]
    pub projection: Projection,
    /// The last journal entry's seq.
    pub seq: u64,
    /// The hash of the last journal entry (the chain head).
    pub journal_head: Hash,
}

/// The result of submitting one input: the entries it journaled (the input itself, plus the
/// seed reveal when it ended the game) and whether the input was accepted.
#[derive(Debug)]
pub struct Submitted {
    pub entries: Vec<Entry>,
    pub verdict: Verdict,
}

/// Checks a `POST …/player-joined` body at the edge: a JSON object (at most [`MAX_INIT_BYTES`])
/// that is a valid roster entry, every bad field reported with its path. Only a body that
/// passes is journaled (as SYSTEM.PLAYER_JOINED); whether the player may join now (phase,
/// duplicate id, full roster) is the engine's verdict.
pub fn check_player_joined(body: &[u8]) -> Result<Value, RoomError> {
    if body.len() > MAX_INIT_BYTES {
        return Err(RoomError::TooLarge(MAX_INIT_BYTES));
    }
    let player: Value =
        serde_json::from_slice(body).map_err(|e| RoomError::MalformedJson(e.to_string()))?;
    if !player.is_object() {
        return Err(RoomError::InvalidBody(
            "expected a player object {id, personaName, …}".into(),
        ));
    }
    let mut errors = Vec::new();
    engine::roster::parse_player(&player, "player", None, &mut errors);
    errors.extend(engine::roster::spectator_error(&player, "player"));
    errors.extend(engine::roster::player_slot_id_error(&player, "player"));
    if !errors.is_empty() {
        return Err(RoomError::InvalidManifest(
            engine::manifest::ManifestError { errors },
        ));
    }
    Ok(player)
}

/// The body of `POST …/init`. The manifest and roster are kept as sent (they are journaled
/// as such in SYSTEM.INIT) and parsed by `engine::manifest::parse_manifest` and
/// `engine::roster::parse_roster`, which report each bad field with its path.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(extend(
        "if" = { "properties": { "manifest": {
            "properties": { "mode": { "const": "PECKING_ORDER" } },
        } } },
        "else" = {
            "required": ["roster"],
            "properties": { "roster": { "minItems": 2, "minProperties": 2 } },
        },
    ))
)]
pub struct InitBody {
    #[cfg_attr(feature = "schema", schemars(with = "engine::manifest::ManifestWire"))]
    pub manifest: Value,
    /// A PECKING_ORDER game (STATIC or DYNAMIC) may start with no roster (players join in
    /// pregame); a BLITZ game needs a roster of at least 2.
    #[serde(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<engine::roster::RosterWire>")
    )]
    pub roster: Option<Value>,
    /// Accepted and not used.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub invite_code: Option<Value>,
    /// The prototype lobby's id for its lobby session: accepted and not used.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub lobby_id: Option<Value>,
    #[serde(flatten)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    _object: engine::manifest::ObjectOnly,
}

/// A live game: engine plus chain position.
#[derive(Clone, Debug, PartialEq)]
pub struct Room {
    engine: Engine,
    seq: u64,
    head: Hash,
    day_heads: Vec<(u32, Hash)>,
    /// The facts of the entries it journaled last, for [`Room::take_facts`].
    recent_facts: facts::FactLog,
}

impl Room {
    /// Creates a game from an `/init` body `{manifest, roster}`: validates both (every bad field
    /// reported), commits to `seed`, and journals SYSTEM.INIT as entry 1.
    /// New games play the newest rules ([`engine::RULES_VERSION`]).
    pub fn create(
        game_id: &str,
        init_body: &[u8],
        now_ms: i64,
        seed: [u8; 32],
    ) -> Result<(Room, Vec<Entry>), RoomError> {
        Self::create_with_rules(game_id, init_body, now_ms, seed, engine::RULES_VERSION)
    }

    /// [`Room::create`] playing rules version `rules_version` (golden fixtures of older rules
    /// keep theirs; docs/architecture.md, "Rules versions"). A version the engine does not play
    /// is refused by the engine.
    pub fn create_with_rules(
        game_id: &str,
        init_body: &[u8],
        now_ms: i64,
        seed: [u8; 32],
        rules_version: u32,
    ) -> Result<(Room, Vec<Entry>), RoomError> {
        if init_body.len() > MAX_INIT_BYTES {
            return Err(RoomError::TooLarge(MAX_INIT_BYTES));
        }
        let body: Value = serde_json::from_slice(init_body)
            .map_err(|e| RoomError::MalformedJson(e.to_string()))?;
        if !body.is_object() {
            return Err(RoomError::InvalidBody(
                "expected a JSON object {manifest, roster}".into(),
            ));
        }
        let body: InitBody = engine::manifest::decode_at(&body, "").map_err(|e| {
            RoomError::InvalidManifest(engine::manifest::ManifestError { errors: vec![e] })
        })?;
        let mut errors = Vec::new();
        let manifest = body.manifest;
        let roster = body.roster.unwrap_or_else(|| json!([]));
        if let Err(e) = engine::manifest::parse_manifest(&manifest, "manifest") {
            errors.extend(e.errors);
        }
        // Read from the body itself, so a bad manifest does not also report the roster's size.
        let min = match manifest.get("mode").and_then(Value::as_str) {
            Some("BLITZ") => 2,
            _ => 0,
        };
        if let Err(e) = engine::roster::parse_roster(&roster, "roster", min) {
            errors.extend(e.errors);
        }
        errors.extend(engine::roster::spectator_errors(&roster, "roster"));
        errors.extend(engine::roster::slot_id_errors(&roster, "roster"));
        // A DYNAMIC game's days come from its ruleset: a lobby that leaves it out has made a
        // mistake (checked here, at the edge; the fold still reads old journals without one).
        let dynamic = manifest.get("kind").and_then(Value::as_str) == Some("DYNAMIC")
            && manifest.get("mode").and_then(Value::as_str) != Some("BLITZ");
        if dynamic && manifest.get("ruleset").is_none_or(Value::is_null) {
            errors.push(engine::manifest::FieldError {
                path: "manifest.ruleset".into(),
                code: engine::manifest::FieldErrorCode::Missing.as_str(),
                message: "a DYNAMIC manifest needs its ruleset".into(),
            });
        }
        if !errors.is_empty() {
            return Err(RoomError::InvalidManifest(
                engine::manifest::ManifestError { errors },
            ));
        }
        let mut room = Room {
            engine: Engine::new(game_id, Some(seed)),
            seq: 0,
            head: genesis_hash(game_id),
            day_heads: Vec::new(),
            recent_facts: Default::default(),
        };
        let cmd = Command::Init {
            manifest,
            roster,
            seed_commitment: engine::rng::commitment(&seed),
            // Version 1 is the absence of the field, so games of the first rules journal the
            // same bytes as before versions existed.
            rules_version: (rules_version != 1).then_some(rules_version),
        };
        let s = room.submit(EntryKind::System, "SYSTEM", &cmd, now_ms)?;
        if let Verdict::Rejected(_) = s.verdict {
            // Validation above mirrors the engine's, so this only happens on a seed mismatch.
            return Err(RoomError::InvalidBody(format!(
                "init refused: {}",
                s.verdict.to_wire()
            )));
        }
        Ok((room, s.entries))
    }

    /// Restores a room from a snapshot (cold start); apply the tail with [`Room::apply_recorded`].
    pub fn from_snapshot(bytes: &[u8]) -> Result<Room, RoomError> {
        let s = Snapshot::decode(bytes)?;
        Ok(Room {
            engine: s.engine,
            seq: s.seq,
            head: s.head,
            day_heads: s.day_heads,
            recent_facts: Default::default(),
        })
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            version: SNAPSHOT_VERSION,
            engine_version: ENGINE_VERSION.to_string(),
            seq: self.seq,
            head: self.head,
            day_heads: self.day_heads.clone(),
            engine: self.engine.clone(),
        }
    }

    pub fn snapshot_bytes(&self) -> Vec<u8> {
        self.snapshot().encode()
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn state(&self) -> Option<&engine::GameState> {
        self.engine.state.as_ref()
    }

    pub fn head(&self) -> Hash {
        self.head
    }

    pub fn seq(&self) -> u64 {
        self.seq
    }

    pub fn game_id(&self) -> &str {
        &self.engine.game_id
    }

    /// Where the game is in its life.
    pub fn lifecycle(&self) -> Lifecycle {
        match self.state() {
            Some(st) if self.has_ended() && st.abandoned => Lifecycle::Abandoned,
            Some(_) if self.has_ended() => Lifecycle::Completed,
            _ => Lifecycle::Active,
        }
    }

    /// Whether the game has ended (a winner, or the operator abandoned it): the game summary or
    /// game over.
    pub fn has_ended(&self) -> bool {
        self.state().is_some_and(|s| {
            matches!(
                s.phase,
                engine::Phase::GameSummary | engine::Phase::GameOver
            )
        })
    }

    /// Chain heads at the end of each finished day (a player who kept one can detect a rewrite).
    pub fn day_heads(&self) -> &[(u32, Hash)] {
        &self.day_heads
    }

    /// Ticker lines for journaled entries (accepted ones only; a rejection changes nothing worth
    /// narrating). Names come from this room's roster. Entries whose facts do not parse yield
    /// nothing: the ticker is narration, never a reason to fail a commit.
    pub fn ticker(&self, entries: &[Entry]) -> Vec<TickerLine> {
        self.ticker_of(
            entries
                .iter()
                .map(|e| (e, serde_json::from_str(&e.facts).unwrap_or_default())),
        )
    }

    /// The facts of `entries`, which this room journaled last (in seq order), as values: what
    /// the live room narrates and pushes from instead of decoding the entries' text.
    pub fn take_facts(&mut self, entries: &[Entry]) -> Vec<Vec<Fact>> {
        self.recent_facts.take(entries)
    }

    /// [`Room::ticker`] for entries whose facts are already decoded (as the fold returns them).
    pub fn ticker_of<'a>(
        &self,
        entries: impl IntoIterator<Item = (&'a Entry, Vec<Fact>)>,
    ) -> Vec<TickerLine> {
        let Some(st) = self.state() else {
            return Vec::new();
        };
        entries
            .into_iter()
            .filter(|(e, _)| e.verdict == Verdict::Accepted)
            .flat_map(|(e, facts)| {
                let stamp = ticker::Stamp {
                    seq: e.seq,
                    at_ms: e.at_ms,
                    day: e.day,
                };
                ticker::lines(st, stamp, &facts)
            })
            .collect()
    }

    /// The operator's view (bearer-authenticated routes): the public projection plus the chain
    /// position. Never sent to players: a per-entry head lets anyone who can guess an entry's
    /// fields (a vote's target among a handful of players) recover it by brute force.
    pub fn public_state(&self) -> Value {
        serde_json::to_value(self.public_view()).unwrap_or(Value::Null)
    }

    /// [`Self::public_state`] as a typed value.
    pub fn public_view(&self) -> PublicState {
        PublicState {
            projection: self.view(None),
            seq: self.seq,
            journal_head: self.head,
        }
    }

    /// The projection for one player (`None`: the public view), as JSON ([`Self::view`]).
    pub fn projection(&self, viewer: Option<&str>) -> Value {
        serde_json::to_value(self.view(viewer)).unwrap_or(Value::Null)
    }

    /// The projection for one player (`None`: the public view). Carries the chain heads of
    /// finished days, which commit to whole days of entries and so reveal nothing guessable.
    pub fn view(&self, viewer: Option<&str>) -> Projection {
        let day_heads = self
            .day_heads
            .iter()
            .map(|(day, head)| DayHead {
                day: *day,
                head: *head,
            })
            .collect();
        match self.state() {
            Some(st) => Projection::Game(Box::new(PlayerView {
                game: projection::project(st, viewer),
                day_heads,
            })),
            None => Projection::Uninitialised(UninitialisedView {
                game_id: self.game_id().to_string(),
                phase: Uninitialised::Uninitialised,
                day_heads,
            }),
        }
    }

    /// Journals one input: stamps seq and time (never earlier than the previous entry), asks the
    /// engine, seals the entry. Rejected inputs are journaled with their verdict. When the input
    /// ends the game, the seed reveal is journaled right after it.
    pub fn submit(
        &mut self,
        kind: EntryKind,
        actor: &str,
        cmd: &Command,
        now_ms: i64,
    ) -> Result<Submitted, RoomError> {
        match self.submit_unless_refused(kind, actor, cmd, now_ms, true)? {
            Ok(s) => Ok(s),
            // Unreachable: refusals are journaled here.
            Err(code) => Err(RoomError::InvalidBody(code)),
        }
    }

    /// [`Room::submit`], except that when `journal_refusal` is false an input the engine refuses
    /// is not journaled: `Ok(Err(code))`, and nothing changed (the engine validates before it
    /// mutates). The room's per-player refusal budget uses it (docs/security.md).
    pub fn submit_unless_refused(
        &mut self,
        kind: EntryKind,
        actor: &str,
        cmd: &Command,
        now_ms: i64,
        journal_refusal: bool,
    ) -> Result<Result<Submitted, String>, RoomError> {
        let first = match self.journal_one(kind, actor, cmd, now_ms, journal_refusal) {
            Ok(first) => first,
            Err(code) => return Ok(Err(code)),
        };
        let mut entries = vec![first.0];
        if first.1 {
            if let Some(seed) = self.engine.seed().copied() {
                let reveal = Command::RevealSeed { seed: Hash(seed) };
                if let Ok(reveal) =
                    self.journal_one(EntryKind::System, "SYSTEM", &reveal, now_ms, true)
                {
                    entries.push(reveal.0);
                }
            }
        }
        let verdict = entries[0].verdict.clone();
        Ok(Ok(Submitted { entries, verdict }))
    }

    /// Returns the sealed entry and whether it ended the game; `Err(code)` for a refusal when
    /// `journal_refusal` is false (nothing sealed, nothing changed).
    fn journal_one(
        &mut self,
        kind: EntryKind,
        actor: &str,
        cmd: &Command,
        now_ms: i64,
        journal_refusal: bool,
    ) -> Result<(Entry, bool), String> {
        let last_at = self.state().map(|s| s.last_at_ms).unwrap_or(i64::MIN);
        let at_ms = now_ms.max(last_at);
        let seq = self.seq + 1;
        let day_before = self.state().map(|s| s.day).unwrap_or(0);
        let result = self.engine.apply(&Input {
            seq,
            at_ms,
            kind,
            actor,
            command: cmd,
        });
        let (verdict, facts) = match result {
            Ok(f) => (Verdict::Accepted, f),
            Err(r) if !journal_refusal => return Err(r.code().to_string()),
            Err(r) => (Verdict::Rejected(r.code().to_string()), Vec::new()),
        };
        let ended = facts.iter().any(|f| matches!(f, Fact::GameEnded { .. }));
        let entry = self.seal(kind, actor, cmd, seq, at_ms, verdict, &facts);
        self.advance(&entry, day_before, &facts);
        self.recent_facts.push(seq, facts);
        Ok((entry, ended))
    }

    #[allow(clippy::too_many_arguments)]
    fn seal(
        &self,
        kind: EntryKind,
        actor: &str,
        cmd: &Command,
        seq: u64,
        at_ms: i64,
        verdict: Verdict,
        facts: &[Fact],
    ) -> Entry {
        let (typ, payload) = cmd.to_type_and_payload();
        Entry {
            game_id: self.game_id().to_string(),
            seq,
            at_ms,
            day: self.state().map(|s| s.day).unwrap_or(0),
            kind,
            actor: actor.to_string(),
            typ,
            payload,
            verdict,
            facts: facts_json(facts),
            engine: ENGINE_VERSION.to_string(),
            v: ENTRY_VERSION,
            prev_hash: Hash::default(),
            hash: Hash::default(),
        }
        .seal(self.head)
    }

    fn advance(&mut self, entry: &Entry, day_before: u32, facts: &[Fact]) {
        self.seq = entry.seq;
        self.head = entry.hash;
        let day_ended = facts.iter().any(|f| matches!(f, Fact::PhaseChanged { phase, .. } if phase == "NIGHT" || phase == "GAME_SUMMARY"));
        if day_ended && day_before > 0 {
            self.day_heads.push((day_before, entry.hash));
        }
    }

    /// Re-applies a recorded entry from an untrusted source (replay, audit): checks that it
    /// continues the chain, recomputing its hash, and that this engine reaches the same verdict
    /// and facts.
    pub fn apply_recorded(&mut self, entry: &Entry) -> Result<(), RoomError> {
        self.apply_entry(entry, true).map(drop)
    }

    /// Re-applies an entry this room wrote to its own storage (cold start from snapshot + tail):
    /// checks seq, link and verdict but does not recompute the hash or re-serialize the facts,
    /// which are most of a fold's cost. Audits use [`Room::apply_recorded`].
    pub fn apply_trusted(&mut self, entry: &Entry) -> Result<(), RoomError> {
        self.apply_entry(entry, false).map(drop)
    }

    /// [`Room::apply_trusted`], giving the facts the fold recomputed (those the room journaled:
    /// a trusted store holds only its own entries), so a cold start narrates its tail without
    /// decoding the facts' JSON again ([`Room::ticker_of`]).
    pub fn apply_trusted_facts(&mut self, entry: &Entry) -> Result<Vec<Fact>, RoomError> {
        self.apply_entry(entry, false)
    }

    fn apply_entry(&mut self, stored: &Entry, full: bool) -> Result<Vec<Fact>, RoomError> {
        // The chain is checked on the entry as stored (its hash covers its own layout's bytes),
        // then the entry is read in the current layout.
        if stored.game_id != self.game_id()
            || stored.seq != self.seq + 1
            || stored.prev_hash != self.head
            || !journal::upcast::is_readable(stored.v)
            || (full && stored.compute_hash() != stored.hash)
        {
            // Name the seq this position requires, as `journal::verify` does, so a rewritten
            // `seq` column still points at the altered row.
            let why = if journal::upcast::is_readable(stored.v) {
                "seq, game id, link or hash does not match".to_string()
            } else {
                format!(
                    "layout version {} is not one this build reads ({}..={ENTRY_VERSION}), so its hash cannot be checked",
                    stored.v,
                    journal::OLDEST_ENTRY_VERSION
                )
            };
            return Err(RoomError::Chain {
                seq: self.seq + 1,
                why,
            });
        }
        let entry = journal::upcast(stored).map_err(|e| RoomError::Chain {
            seq: stored.seq,
            why: e.to_string(),
        })?;
        let entry = entry.as_ref();
        let cmd = Command::from_type_and_payload(&entry.typ, &entry.payload).map_err(|e| {
            RoomError::Diverged {
                seq: entry.seq,
                why: format!("payload does not decode: {e}"),
            }
        })?;
        // A checkpoint states the head before it, which only the room knows.
        if matches!(&cmd, Command::Checkpoint { head, .. } if *head != self.head) {
            return Err(RoomError::Diverged {
                seq: entry.seq,
                why: "the checkpoint's head is not the chain head before it".into(),
            });
        }
        let day_before = self.state().map(|s| s.day).unwrap_or(0);
        let result = self.engine.apply(&Input {
            seq: entry.seq,
            at_ms: entry.at_ms,
            kind: entry.kind,
            actor: &entry.actor,
            command: &cmd,
        });
        let (verdict, facts) = match result {
            Ok(f) => (Verdict::Accepted, f),
            Err(r) => (Verdict::Rejected(r.code().to_string()), Vec::new()),
        };
        if verdict != entry.verdict {
            return Err(RoomError::Diverged {
                seq: entry.seq,
                why: format!(
                    "verdict {} recorded, {} recomputed",
                    entry.verdict.to_wire(),
                    verdict.to_wire()
                ),
            });
        }
        if full && facts_json(&facts) != entry.facts {
            return Err(RoomError::Diverged {
                seq: entry.seq,
                why: "facts differ".into(),
            });
        }
        self.advance(entry, day_before, &facts);
        Ok(facts)
    }

    /// Rebuilds a room from a whole journal (entry 1 = SYSTEM.INIT), verifying every hash and
    /// every fact. `seed` is needed only if the journal draws randomness before its seed reveal;
    /// a revealed seed is picked up from the journal itself.
    pub fn replay(
        game_id: &str,
        entries: &[Entry],
        seed: Option<[u8; 32]>,
    ) -> Result<Room, RoomError> {
        let mut room = Room::empty(game_id, seed.or_else(|| revealed_seed(entries)));
        for e in entries {
            room.apply_recorded(e)?;
        }
        Ok(room)
    }

    /// Folds a journal the room itself wrote ([`Room::apply_trusted`] for every entry): the same
    /// state as [`Room::replay`], without re-hashing.
    pub fn fold(
        game_id: &str,
        entries: &[Entry],
        seed: Option<[u8; 32]>,
    ) -> Result<Room, RoomError> {
        let mut room = Room::empty(game_id, seed.or_else(|| revealed_seed(entries)));
        for e in entries {
            room.apply_trusted(e)?;
        }
        Ok(room)
    }

    fn empty(game_id: &str, seed: Option<[u8; 32]>) -> Room {
        Room {
            engine: Engine::new(game_id, seed),
            seq: 0,
            head: genesis_hash(game_id),
            day_heads: Vec::new(),
            recent_facts: Default::default(),
        }
    }
}

impl Room {
    /// The engine's pending timeline as alarm tasks (what the AlarmManager should hold).
    pub fn alarm_tasks(&self) -> Vec<alarms::AlarmTask> {
        self.state()
            .map(|st| {
                st.tasks
                    .iter()
                    .map(|t| alarms::AlarmTask {
                        task_id: t.id.clone(),
                        due_ms: t.due_ms,
                        payload: t.action.as_str().to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Fires every task due at `now_ms`, in `(due, id)` order, each journaled as one ALARM entry
    /// and settled before the next (catch-up after downtime runs every missed task in order).
    /// A task already fired is no longer pending, so a duplicated alarm delivery journals
    /// nothing. `max` bounds the work of one call.
    pub fn fire_due(&mut self, now_ms: i64, max: usize) -> Vec<Entry> {
        let mut out = Vec::new();
        for _ in 0..max {
            let Some(task) = self
                .state()
                .and_then(|st| st.tasks.first())
                .filter(|t| t.due_ms <= now_ms)
                .cloned()
            else {
                break;
            };
            let cmd = Command::Fire {
                task_id: task.id.clone(),
                due_ms: task.due_ms,
            };
            match self.submit(EntryKind::Alarm, "ALARM", &cmd, now_ms) {
                Ok(s) => {
                    let accepted = s.verdict.is_accepted();
                    out.extend(s.entries);
                    if !accepted {
                        // Cannot happen for the queue head at or after its due time; stop rather
                        // than journal the same refusal again.
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        out
    }
}

/// The seed from a journal's SYSTEM.REVEAL_SEED entry, if it has one.
pub fn revealed_seed(entries: &[Entry]) -> Option<[u8; 32]> {
    entries
        .iter()
        .rev()
        .filter_map(|e| journal::upcast(e).ok())
        .find(|e| e.typ == "SYSTEM.REVEAL_SEED" && e.verdict.is_accepted())
        .and_then(
            |e| match Command::from_type_and_payload(&e.typ, &e.payload) {
                Ok(Command::RevealSeed { seed }) => Some(seed.0),
                _ => None,
            },
        )
}

/// The stored JSON text of a fact list: compact, fields in the engine's declared order (`type`
/// first). Serialized directly, not through a `Value`: replay recomputes it for every entry.
pub fn facts_json(facts: &[Fact]) -> String {
    serde_json::to_string(facts).unwrap_or_else(|_| "[]".into())
}
