//! The end of a room (docs/protocol.md, "Lifecycle"): `POST …/cleanup` deletes the room's
//! storage once the game has ended and D1 holds its whole journal, verified here link by link
//! and hash by hash (a [`super::D1Read`] per page of [`JOURNAL_PAGE_MAX`] entries). What is
//! left is a tombstone: the game id is never created again over the journal D1 holds, and
//! `GET …/journal` still pages through it from D1.

use super::history::{D1Read, ReadPurpose, Verify};
use super::{json_reply, Effect, Host, HostError, LogEvent, CLOSE_NORMAL, JOURNAL_PAGE_MAX};
use crate::journal::{self, Entry};
use crate::room::live::{Store, Tombstone};
use crate::room::route::RouteError;
use serde::Serialize;

/// The answer to `POST …/cleanup`: what the tombstone keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CleanupResponse {
    pub game_id: String,
    /// The last seq, verified in D1.
    pub seq: u64,
    /// Its hash: the head of the chain D1 holds.
    pub head: String,
    /// When the room's storage was deleted (ms since the Unix epoch).
    pub cleaned_at_ms: i64,
}

impl<S: Store> Host<S> {
    /// `POST …/cleanup`: refused (409, nothing deleted) while the game runs or while D1 lacks
    /// an entry; otherwise D1's chain is read back and verified before anything is deleted.
    pub(super) fn cleanup(
        &mut self,
        now: i64,
        game_id: &str,
        fx: &mut Vec<Effect>,
    ) -> Result<(), HostError> {
        let live = self.ensure_loaded()?;
        if !live.room.has_ended() {
            return Err(RouteError::GameNotFinished.into());
        }
        let head = live.room.seq();
        self.check_confirmed()?;
        self.verify_more(now, game_id, Verify::start(game_id, head), &[], fx)
    }

    /// Every entry is confirmed in D1 (the outbox is empty).
    fn check_confirmed(&self) -> Result<(), HostError> {
        let waiting = self.store.outbox_len().map_err(HostError::internal)?;
        if waiting > 0 {
            return Err(RouteError::D1Incomplete(format!(
                "{waiting} entries are not yet confirmed in D1 (see outboxLag); try again once it is 0"
            ))
            .into());
        }
        Ok(())
    }

    /// Verifies the next rows D1 returned, asks for more, or, once D1's chain reaches the
    /// room's head, deletes the room's storage in one step.
    pub(super) fn verify_more(
        &mut self,
        now: i64,
        game_id: &str,
        mut v: Verify,
        rows: &[Entry],
        fx: &mut Vec<Effect>,
    ) -> Result<(), HostError> {
        if !rows.is_empty() {
            v.head = journal::verify_from(game_id, v.seq, v.head, rows).map_err(|e| {
                RouteError::D1Incomplete(format!("D1's journal does not verify: {e}"))
            })?;
            v.seq += rows.len() as u64;
        }
        if v.seq < v.target_seq {
            fx.push(Effect::ReadD1(D1Read {
                game_id: game_id.to_string(),
                from: v.seq + 1,
                to: (v.seq + JOURNAL_PAGE_MAX).min(v.target_seq),
                purpose: ReadPurpose::Verify(v),
            }));
            return Ok(());
        }
        // D1 holds 1..=target_seq, verified. From here to the deletion there is no await: the
        // room cannot move between the last check and the delete.
        let live = self.ensure_loaded()?;
        if (live.room.seq(), live.room.head()) != (v.target_seq, v.head) {
            let why = if live.room.seq() != v.target_seq {
                format!(
                    "entries were journaled during the check (head {} → {}); try again",
                    v.target_seq,
                    live.room.seq()
                )
            } else {
                "D1's chain ends in another head than the room's".to_string()
            };
            return Err(RouteError::D1Incomplete(why).into());
        }
        self.check_confirmed()?;
        let tombstone = Tombstone {
            seq: v.seq,
            head: v.head,
            cleaned_at_ms: now,
        };
        self.store
            .clean_up(&tombstone)
            .map_err(HostError::storage)?;
        self.drop_room();
        self.sockets
            .close_all(CLOSE_NORMAL, "the game was cleaned up", fx);
        self.alarm.asserted = false;
        self.arm(fx);
        self.log_at(v.seq, LogEvent::Cleanup);
        let answer = CleanupResponse {
            game_id: game_id.to_string(),
            seq: tombstone.seq,
            head: tombstone.head.to_hex(),
            cleaned_at_ms: now,
        };
        fx.push(json_reply(200, &answer));
        Ok(())
    }
}
