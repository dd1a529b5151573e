//! Every bound of the engine, the room and the worker, in one place, with why it has its value
//! and compile-time checks of how the bounds relate (`docs/architecture.md`, "Limits").
//!
//! The modules that use a bound re-export it where it used to be defined (e.g.
//! `engine::manifest::MAX_PLAYERS`), so their paths are unchanged. A relation that stops holding
//! fails the build here, next to the reasons, instead of failing a room in production.

// ---------------------------------------------------------------------------------------------
// The platform: limits we do not choose (docs/architecture.md, "Limits")

/// The largest integer a JavaScript number carries exactly, 2^53 − 1. D1 binds and returns
/// numbers through JavaScript, and clients read every JSON number as one: integers beyond it are
/// neither written to a journal row nor accepted from one as a float (`journal::row`).
pub const JS_MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;
/// Bound parameters one SQL statement may carry, in D1 and in Durable Object SQLite alike.
pub const SQL_MAX_BOUND_PARAMETERS: usize = 100;
/// D1 queries one Worker invocation may run on the Workers Paid plan; counted here as one per
/// statement of a batch, the conservative reading.
pub const D1_MAX_QUERIES_PER_INVOCATION: usize = 1000;
/// Largest string, BLOB or row Durable Object SQLite stores (2 MB); the snapshot is one BLOB.
pub const DO_MAX_VALUE_BYTES: usize = 2_000_000;

// ---------------------------------------------------------------------------------------------
// Budgets the bounds below are measured against (BENCHMARKS.md)

/// The snapshot of a game at its largest must stay within this, so that a cold start reads and
/// decodes it in a few milliseconds of the Durable Object's CPU budget.
pub const SNAPSHOT_BUDGET_BYTES: usize = 256 * 1024;
/// A cold start folds at most this many tail entries on top of the snapshot (the cold-start
/// benchmark measures exactly this case).
pub const COLD_START_TAIL_ENTRIES: u64 = 256;

// ---------------------------------------------------------------------------------------------
// Engine: the manifest and the roster (src/engine/manifest.rs, roster.rs)

/// Most Q&A answers one player brings from the lobby (it asks 3): kept in the state for the
/// pregame reveal, so bounded with the snapshot budget in mind (20 × 5 × 3 × 200 characters).
pub const MAX_QA_ANSWERS: usize = 5;
/// Longest question, answer or narrator intro of one Q&A answer, in characters.
pub const MAX_QA_CHARS: usize = 200;
/// Largest roster a room accepts. The game is designed for 6–20 players, and every per-day
/// structure (votes, DMs, projections) is sized for at most this many.
pub const MAX_PLAYERS: usize = 20;
/// Most days a STATIC manifest may list: a game runs 7 days, and 30 leaves room for longer
/// formats while keeping the manifest (journaled in SYSTEM.INIT) small.
pub const MAX_DAYS: usize = 30;
/// The MOLE's gold-pool threshold when the manifest does not set one.
pub const DEFAULT_MOLE_THRESHOLD: u64 = 50;
/// Most events in one day's explicit timeline: far more than any schedule preset plans (13), and few enough that one alarm delivery fires a whole day's events
/// ([`FIRE_PER_ALARM`]).
pub const MAX_TIMELINE_EVENTS: usize = 64;
/// DM characters per player per day when a day does not set its own (docs/rules.md).
pub const DEFAULT_DM_CHARS: u32 = 1200;
/// Distinct DM partners per player per day when a day does not set its own.
pub const DEFAULT_DM_PARTNERS: u32 = 3;
/// Conversation slots (new DMs / group DMs opened or joined) per player per day, by default.
pub const DEFAULT_DM_SLOTS: u32 = 5;
/// Silver per DM or group-DM message, by default.
pub const DEFAULT_DM_COST: u64 = 1;
/// Largest `dmCharsPerPlayer` (and scaling `base`/`floor` for characters): far above any real
/// budget, low enough that scaling by the player count stays far from overflow.
pub const MAX_DM_CHARS: u64 = 100_000;
/// Largest `dmCost`: a thousand silver a message already forbids DMs in practice.
pub const MAX_DM_COST: u64 = 1_000;
/// Largest `dmSlotsPerPlayer`: one slot per other player of a full roster is the most useful.
pub const MAX_DM_SLOTS: u64 = 20;
/// Silver every player starts with unless the lobby says otherwise: the prices of perks, DMs
/// and games are set against it.
pub const STARTING_SILVER: u64 = 50;
/// Upper bound on any balance given at the boundary (roster, admin credit), to keep the
/// arithmetic of a whole game far from overflow.
pub const MAX_BALANCE: u64 = 1_000_000_000;
/// Longest player id, in bytes (ASCII only). The roster's validation in src/engine/roster.rs
/// checks this value; a test below keeps the two equal.
pub const PLAYER_ID_MAX_BYTES: usize = 32;
/// Longest persona name, in characters; checked by src/engine/roster.rs like
/// [`PLAYER_ID_MAX_BYTES`].
pub const PERSONA_NAME_MAX_CHARS: usize = 40;
/// What one roster entry of an `/init` body may take: the fields the engine bounds at their
/// largest (id, a persona name of 4-byte characters, silver and gold of ten digits, the flags:
/// about 330 bytes as JSON) plus room for an avatar URL and the lobby's user id.
pub const ROSTER_ENTRY_BYTES: usize = 1024;

// ---------------------------------------------------------------------------------------------
// Engine: content, chat, social, games (src/engine/manifest/content.rs, state.rs, social/,
// prompts/, confession.rs, games/the_split.rs, projection.rs)

/// `thresholdDays` of the inactivity rule when the manifest gives none: two silent days.
pub const DEFAULT_INACTIVITY_DAYS: u32 = 2;
/// Longest DYNAMIC content pool: one entry a day for the longest game ([`MAX_DAYS`]).
pub const MAX_POOL: usize = 30;
/// Longest chat message (and every other player text), in characters (Unicode scalar values):
/// the game's 280-character rule (docs/rules.md).
pub const MAX_MESSAGE_CHARS: usize = 280;
/// Longest custom option text in a manifest: short enough for a button.
pub const MAX_OPTION_CHARS: usize = 80;
/// MAIN chat messages kept per day; the oldest are dropped first. Clients show the recent
/// conversation; the journal keeps every message.
pub const MAX_CHAT_LOG: usize = 500;
/// Bytes of MAIN chat text kept per day (oldest dropped first), so that a day of
/// 280-character messages in a 4-byte script cannot push the snapshot past its budget.
pub const MAX_CHAT_LOG_BYTES: usize = 64 * 1024;
/// Messages kept per DM or group conversation; the oldest are dropped first.
pub const MAX_CHANNEL_MESSAGES: usize = 200;
/// Bytes of DM text kept per day across all conversations (oldest dropped first): bought
/// character budgets must not push the snapshot past its budget.
pub const MAX_DM_LOG_BYTES: usize = 128 * 1024;
/// DMs remembered per player for SPY_DMS: the perk shows the last three a player sent.
pub const SPY_DMS_COUNT: usize = 3;
/// Perk results kept per buyer (the oldest are dropped first): enough for a day's purchases.
pub const MAX_PERK_RESULTS: usize = 10;
/// Group DMs a player may open per day (CREATE_CHANNEL, a first message to several players, or
/// ADD_MEMBER turning a DM into a group): a rule of the game (docs/rules.md).
pub const MAX_GROUPS_PER_DAY: u32 = 3;
/// Ceiling of a resolved character budget (PER_ACTIVE_PLAYER multiplies a manifest value by
/// the number of players): keeps the product far from overflow.
pub const MAX_RESOLVED_CHARS: u64 = 1_000_000;
/// CONFESSION posts kept per phase; the oldest are dropped first.
pub const CONFESSION_MAX_POSTS: usize = 200;
/// THE_SPLIT round deadline when no END_GAME is scheduled today.
pub const SPLIT_DEFAULT_ROUND_MS: i64 = 60_000;
/// Shortest THE_SPLIT round a manifest may set: time to read the pot and choose.
pub const SPLIT_MIN_ROUND_MS: i64 = 15_000;
/// Longest THE_SPLIT round a manifest may set: five minutes, a SMOKE_TEST day's length.
pub const SPLIT_MAX_ROUND_MS: i64 = 300_000;
/// Tasks listed in a player's projection: the next few are enough for a countdown.
pub const PROJECTION_NEXT_TASKS: usize = 5;

// ---------------------------------------------------------------------------------------------
// Room (src/room/)

/// Largest client WebSocket frame accepted, in bytes: a longest chat message in 4-byte UTF-8
/// with its envelope fits (checked below); anything larger is refused before it is parsed.
pub const MAX_CLIENT_MESSAGE_BYTES: usize = 4096;
/// Longest client `ref` (correlation id), in characters: a UUID is 36.
pub const MAX_REF_CHARS: usize = 64;
/// What a client frame may need around its chat text: `{"type":"SOCIAL.SEND_MSG", …}` with the
/// longest `ref` (64 characters of 4-byte UTF-8: 256 bytes), a `channelId`, a `targetId` and
/// the ids of every other player in `recipientIds` (19 × 35 bytes), keys and punctuation: about
/// 1,060 bytes, rounded up.
pub const CLIENT_FRAME_ENVELOPE_BYTES: usize = 1536;
/// Largest `/init` body accepted, in bytes: a full roster (checked below) and a manifest.
pub const MAX_INIT_BYTES: usize = 64 * 1024;
/// Largest admin body accepted, in bytes (a CREDIT_SILVER for a full roster is under 1 KiB).
pub const MAX_ADMIN_BYTES: usize = 64 * 1024;
/// Longest player token accepted, in bytes; longer ones are refused before any decoding. A
/// token for the longest game and player ids takes about 430 bytes; the rest leaves room for a
/// lobby's own `sub`.
pub const MAX_TOKEN_BYTES: usize = 2048;
/// Longest a player token may live: `exp` at most this many seconds after the moment it is
/// checked (docs/security.md). A token minted for a whole game of [`MAX_DAYS`] days still fits;
/// one that "never expires" (`exp` = i64::MAX) is refused.
pub const MAX_TOKEN_LIFETIME_S: i64 = 31 * 86_400;
/// Shortest accepted TOKEN_SECRET and AUTH_SECRET, in bytes: 256 bits, the HMAC-SHA256 key
/// size, so an offline guess of the signing key is no easier than forging the MAC
/// (docs/security.md).
pub const MIN_SECRET_BYTES: usize = 32;
/// Lines in a `TICKER.HISTORY` sent on connect: the recent part of the day's narration.
pub const TICKER_HISTORY_LINES: usize = 50;
/// Projections a room keeps in memory per player so that a socket resuming from one of them gets
/// a SYSTEM.DELTA instead of a full SYNC (docs/protocol.md, "Resume"): the last versions it sent
/// them, and the last frame of each of their last sockets that closed (this many of each). Each
/// is kept as its compact JSON text (≈ 37 KB after 300 chat messages; as a `Value` tree it cost
/// ≈ 0.45 MB, BENCHMARKS.md "What held workerd's memory") times [`MAX_PLAYERS`], so a few:
/// enough for a blip during a busy minute and for a player's tabs at slightly different versions.
pub const RESUME_VERSIONS: usize = 8;
/// Tasks listed in the operator's `GET …/state` (`nextTasks`); `LIST_TASKS` lists them all.
pub const OPERATOR_NEXT_TASKS: usize = 10;
/// A live room writes a snapshot every this many entries (`LiveRoom::compact_every`): a cold
/// start then folds at most this many entries on top of it.
pub const COMPACT_EVERY: u64 = 64;
/// Journal rows the Durable Object keeps at or below its snapshot once D1 has confirmed them
/// (docs/architecture.md, "Compaction"): the recent history a tailing reader of `GET …/journal`
/// gets without a D1 query. Everything older is read from D1. Two snapshot intervals: whatever
/// the position in the snapshot cycle, the DO holds at least the last 128 entries.
pub const DO_JOURNAL_TAIL: u64 = 128;
/// Entries in one page of `GET …/journal` when `limit` is not given.
pub const JOURNAL_PAGE_DEFAULT: u64 = 500;
/// Most entries one page of `GET …/journal` may ask for (`limit`): one D1 query returns them,
/// about 600 bytes of JSON each, so a page stays well under a megabyte in the room's memory.
pub const JOURNAL_PAGE_MAX: u64 = 1000;

// ---------------------------------------------------------------------------------------------
// Worker (src/worker/): the Durable Object's pacing and D1 writes

/// Longest accepted game id, in characters of `[A-Za-z0-9._-]`: room for a UUID with a prefix.
pub const MAX_GAME_ID: usize = 128;
/// Entries per D1 batch (one INSERT per entry, [`crate::journal::row::COLUMN_COUNT`] bound
/// parameters each).
pub const D1_BATCH: usize = 50;
/// Batches per outbox flush; what is left waits for the next flush, so one flush stays well
/// within the queries a Worker invocation may run.
pub const D1_MAX_BATCHES: usize = 8;
/// Client messages a player may send per second over all their sockets, sustained (token bucket
/// refill rate): far above human play. One bucket per player, so more sockets buy nothing
/// (docs/security.md).
pub const RATE_PER_S: f64 = 10.0;
/// Client messages a player may send at once (token bucket size): a reconnecting client may
/// replay a short queue.
pub const RATE_BURST: f64 = 20.0;
/// Consecutive rate-limited messages of a player after which the socket that sent the last one
/// is closed (4008).
pub const RATE_STRIKES_CLOSE: u32 = 20;
/// Sockets a player may hold open in one room at once (a phone, a laptop, a tab reconnecting
/// before the old socket is gone); one more is accepted and closed at once with 4009. Each
/// socket costs a SYNC per change, so this bounds a room's fan-out at `MAX_PLAYERS` × 4.
pub const MAX_SOCKETS_PER_PLAYER: usize = 4;
/// Accepted connects a player may make per minute, sustained (token bucket refill): each sends
/// a SYNC, the ticker history and a presence broadcast to everyone. A reconnect loop after
/// network trouble stays far below it.
pub const CONNECTS_PER_MIN: f64 = 10.0;
/// Connects a player may make at once (token bucket size); beyond it a connect is accepted and
/// closed at once with 4008.
pub const CONNECT_BURST: f64 = 10.0;
/// Refused actions a player may have journaled per UTC day (each is a DO write, a D1 row and a
/// SYNC); beyond it a refusal is answered with ERROR but not journaled (docs/security.md). The
/// counts are kept in DO storage, so neither a reconnect nor hibernation resets them.
pub const REFUSALS_PER_DAY: u32 = 200;
/// Tasks fired per alarm delivery; the rest run at the next (immediate) delivery, so a long
/// catch-up does not hold the Durable Object in one handler.
pub const FIRE_PER_ALARM: usize = 64;
/// Entries whose facts a room keeps as values after journaling them, until the live room commits
/// them (`room::facts`): more than one commit ever holds (an alarm's [`FIRE_PER_ALARM`] entries
/// and the seed reveal after the last).
pub const RECENT_FACTS_KEPT: usize = 2 * FIRE_PER_ALARM;
/// When entries wait in the outbox without a D1 failure, the alarm flushes them after this
/// delay: D1 lags a busy room by at most about this much.
pub const FLUSH_DELAY_MS: i64 = 200;
/// A commit flushes right away when this many entries wait (otherwise they ride the next
/// batch): busy rooms send fuller batches, quiet rooms flush every entry at once.
pub const FLUSH_MIN_BATCH: u64 = 32;
/// First D1 retry delay after a failed flush; it doubles with each failure.
pub const BACKOFF_BASE_MS: i64 = 500;
/// Longest D1 retry delay: a room never waits more than a minute to retry.
pub const BACKOFF_MAX_MS: i64 = 60_000;
/// SYNC broadcasts are throttled to one per this interval: a busy room builds its projections
/// once per interval instead of once per action (BENCHMARKS.md).
pub const SYNC_INTERVAL_MS: i64 = 20;

// ---------------------------------------------------------------------------------------------
// How the bounds relate. Each holds today; a change that breaks one must rethink the other side.

// A longest chat message in 4-byte UTF-8, with its envelope, fits one client frame.
const _: () =
    assert!(MAX_MESSAGE_CHARS * 4 + CLIENT_FRAME_ENVELOPE_BYTES <= MAX_CLIENT_MESSAGE_BYTES);
// The longest `ref` fits the envelope's allowance for it with the type and the recipients.
const _: () = assert!(
    MAX_REF_CHARS * 4 + (MAX_PLAYERS - 1) * (PLAYER_ID_MAX_BYTES + 3)
        <= CLIENT_FRAME_ENVELOPE_BYTES
);
// A journal INSERT binds one parameter per column, within D1's and DO SQLite's limit.
const _: () = assert!(crate::journal::row::COLUMN_COUNT <= SQL_MAX_BOUND_PARAMETERS);
// One flush's statements (an INSERT per entry, at most one `players` row per entry, the `games`
// row and a full roster for SYSTEM.INIT, an elimination per player and the two statements of the
// game's end: room::host::d1rows) stay within the queries of one invocation.
const _: () = assert!(
    D1_MAX_BATCHES * D1_BATCH * 2 + 1 + MAX_PLAYERS + MAX_PLAYERS + 2
        <= D1_MAX_QUERIES_PER_INVOCATION
);
// A flush started by FLUSH_MIN_BATCH waiting entries sends them in one D1 batch.
const _: () = assert!(FLUSH_MIN_BATCH as usize <= D1_BATCH);
// The chat and DM text a day keeps fit the snapshot budget together, with room for the rest.
const _: () = assert!(MAX_CHAT_LOG_BYTES + MAX_DM_LOG_BYTES < SNAPSHOT_BUDGET_BYTES);
// The byte caps always keep at least one longest message.
const _: () = assert!(MAX_MESSAGE_CHARS * 4 <= MAX_CHAT_LOG_BYTES);
const _: () = assert!(MAX_MESSAGE_CHARS * 4 <= MAX_DM_LOG_BYTES);
// The snapshot budget fits one Durable Object SQLite value.
const _: () = assert!(SNAPSHOT_BUDGET_BYTES <= DO_MAX_VALUE_BYTES);
const _: () = assert!(RECENT_FACTS_KEPT > FIRE_PER_ALARM + 1);
// Compaction keeps a cold start's tail within its budget.
const _: () = assert!(COMPACT_EVERY <= COLD_START_TAIL_ENTRIES);
// The kept tail is short (at most 256 rows), at least one snapshot interval (so the rows just
// covered by a snapshot stay readable locally), and a confirmed room's DO journal (the tail plus
// fewer than COMPACT_EVERY rows after the snapshot) is never more rows than the cold-start
// benchmark folds.
const _: () = assert!(DO_JOURNAL_TAIL <= 256);
const _: () = assert!(COMPACT_EVERY <= DO_JOURNAL_TAIL);
const _: () = assert!(DO_JOURNAL_TAIL + COMPACT_EVERY <= COLD_START_TAIL_ENTRIES);
// A page of `GET …/journal` is one D1 query; the default page is a valid `limit`.
const _: () = assert!(JOURNAL_PAGE_DEFAULT <= JOURNAL_PAGE_MAX);
// A full roster takes at most half the `/init` body; the rest is the manifest's.
const _: () = assert!(MAX_PLAYERS * ROSTER_ENTRY_BYTES <= MAX_INIT_BYTES / 2);
// A CREDIT_SILVER for a full roster (id, quotes, colon, ten digits and a comma each) fits the
// admin body cap many times over.
const _: () = assert!(MAX_PLAYERS * (PLAYER_ID_MAX_BYTES + 16) + 64 <= MAX_ADMIN_BYTES / 16);
// Closing a socket takes at least one full burst of consecutive refusals, and a burst holds at
// least one second of the sustained rate.
const _: () = assert!(RATE_BURST <= RATE_STRIKES_CLOSE as f64);
const _: () = assert!(RATE_PER_S <= RATE_BURST);
// D1 retries back off from the base to the cap, and a waiting flush is never delayed as long as
// a failing one.
const _: () = assert!(BACKOFF_BASE_MS <= BACKOFF_MAX_MS);
const _: () = assert!(FLUSH_DELAY_MS < BACKOFF_MAX_MS);
// The SYNC throttle is shorter than the flush delay: players see a change before D1 has it.
const _: () = assert!(SYNC_INTERVAL_MS < FLUSH_DELAY_MS);
// One alarm delivery can fire a whole day's explicit timeline.
const _: () = assert!(MAX_TIMELINE_EVENTS <= FIRE_PER_ALARM);
// The operator sees at least the tasks a player's projection lists.
const _: () = assert!(PROJECTION_NEXT_TASKS <= OPERATOR_NEXT_TASKS);
// Defaults lie within their bounds.
const _: () = assert!(DEFAULT_DM_CHARS as u64 <= MAX_DM_CHARS);
const _: () = assert!(DEFAULT_DM_COST <= MAX_DM_COST);
const _: () = assert!(DEFAULT_DM_SLOTS as u64 <= MAX_DM_SLOTS);
const _: () = assert!((DEFAULT_DM_PARTNERS as usize) < MAX_PLAYERS);
const _: () = assert!(MAX_DM_CHARS <= MAX_RESOLVED_CHARS);
const _: () = assert!(STARTING_SILVER <= MAX_BALANCE);
const _: () = assert!(DEFAULT_MOLE_THRESHOLD <= MAX_BALANCE);
const _: () = assert!((DEFAULT_INACTIVITY_DAYS as usize) < MAX_DAYS);
const _: () = assert!(SPLIT_MIN_ROUND_MS <= SPLIT_DEFAULT_ROUND_MS);
const _: () = assert!(SPLIT_DEFAULT_ROUND_MS <= SPLIT_MAX_ROUND_MS);
// An honest burst of mistakes is journaled whole; the refusals a full roster can journal in a
// day stay far below one day of a busy room's entries.
const _: () = assert!(RATE_BURST <= REFUSALS_PER_DAY as f64);
const _: () = assert!(REFUSALS_PER_DAY as usize * MAX_PLAYERS <= 10_000);
const _: () = assert!(MAX_SOCKETS_PER_PLAYER >= 2);
const _: () = assert!(CONNECT_BURST >= MAX_SOCKETS_PER_PLAYER as f64);
// A token minted at the start of a longest game outlives it.
const _: () = assert!((MAX_DAYS as i64) * 86_400 < MAX_TOKEN_LIFETIME_S);
// A DYNAMIC pool can cover the longest game.
const _: () = assert!(MAX_POOL >= MAX_DAYS);
// All the silver of a full roster at the balance cap is still an exact JavaScript number, so
// clients read every balance and total exactly.
const _: () = assert!(MAX_BALANCE as i64 * MAX_PLAYERS as i64 <= JS_MAX_SAFE_INTEGER);

#[cfg(test)]
mod tests {
    //! The budgets above are estimates; these tests measure the real documents against them.
    use super::*;
    use crate::engine::roster::parse_player;
    use crate::room::{parse_client_message, ProtocolError};
    use serde_json::{json, Value};

    fn player(id: &str, name: &str) -> Value {
        json!({
            "id": id,
            "personaName": name,
            "silver": MAX_BALANCE,
            "gold": MAX_BALANCE,
            "isAlive": true,
            "isSpectator": false,
        })
    }

    fn parses(v: &Value) -> bool {
        let mut errors = Vec::new();
        parse_player(v, "roster[0]", None, &mut errors).is_some() && errors.is_empty()
    }

    #[test]
    fn the_roster_validation_uses_these_id_and_name_bounds() {
        let id = "a".repeat(PLAYER_ID_MAX_BYTES);
        let name = "😀".repeat(PERSONA_NAME_MAX_CHARS);
        assert!(parses(&player(&id, &name)));
        assert!(!parses(&player(&format!("{id}a"), "Ada")));
        assert!(!parses(&player("p1", &format!("{name}x"))));
    }

    #[test]
    fn a_largest_roster_entry_fits_its_budget_with_an_avatar_url() {
        let id = "a".repeat(PLAYER_ID_MAX_BYTES);
        let name = "😀".repeat(PERSONA_NAME_MAX_CHARS);
        let mut entry = player(&id, &name);
        let bounded = entry.to_string().len();
        assert!(bounded < 350, "{bounded}");
        entry["avatarUrl"] = json!(format!("https://example.com/{}", "x".repeat(400)));
        entry["realUserId"] = json!("u".repeat(64));
        assert!(parses(&entry));
        assert!(entry.to_string().len() <= ROSTER_ENTRY_BYTES);
    }

    #[test]
    fn a_longest_chat_frame_fits_and_is_parsed() {
        let others: Vec<String> = (1..MAX_PLAYERS)
            .map(|i| format!("{i:0>width$}", width = PLAYER_ID_MAX_BYTES))
            .collect();
        let content = "😀".repeat(MAX_MESSAGE_CHARS);
        let frame = json!({
            "type": "SOCIAL.SEND_MSG",
            "ref": "😀".repeat(MAX_REF_CHARS),
            "content": content,
            "channelId": format!("dm:{MAX_DAYS}:999"),
            "targetId": others[0],
            "recipientIds": others,
        })
        .to_string();
        let envelope = frame.len() - content.len();
        assert!(envelope <= CLIENT_FRAME_ENVELOPE_BYTES, "{envelope}");
        assert!(frame.len() <= MAX_CLIENT_MESSAGE_BYTES);
        // The room decodes it (the fields' meaning is the engine's business, not the size's).
        match parse_client_message(frame.as_bytes()) {
            Err((_, ProtocolError::TooLarge)) => {
                panic!("a longest chat frame was refused as too large")
            }
            Err((_, e)) => panic!("{e}"),
            Ok(_) => {}
        }
    }
}
