//! Lobby status callbacks (docs/protocol.md, "Lobby status callbacks"): the prototype lobby
//! learns that a game started and ended from `POST {LOBBY_HOST}/api/internal/game-status
//! {gameId, status}` with the bearer AUTH_SECRET. What is owed is derived from the journal (the
//! room's state after the entry that started or ended the game); what was delivered is kept in
//! DO storage (`Meta::LobbySent`), so each status is delivered once per room, retried with
//! backoff while the lobby fails. The call is made from the alarm only, never while a task is
//! due within [`LOBBY_TIMEOUT_MS`], and never answers a request: a lobby that fails or hangs
//! never delays the room. It is made only once D1 holds the entry that made it owed (the lobby
//! may read the game from D1): a status waits until D1 confirmed the room's head as it was when
//! this instance first saw the status owed (that head is at or after the entry).

use super::callout::may_start;
use super::{Effect, Host, LogEvent};
use crate::room::live::{Meta, Store};
use serde::Serialize;

/// The Worker abandons a lobby call after this long (a failure, retried).
pub const LOBBY_TIMEOUT_MS: i64 = 5_000;
/// First retry delay; doubles per consecutive failure up to [`LOBBY_BACKOFF_MAX_MS`].
pub const LOBBY_BACKOFF_BASE_MS: i64 = 1_000;
pub const LOBBY_BACKOFF_MAX_MS: i64 = 300_000;

/// A status the lobby understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LobbyStatus {
    InProgress,
    Completed,
}

impl LobbyStatus {
    /// Its bit in `Meta::LobbySent`.
    fn bit(self) -> i64 {
        match self {
            LobbyStatus::InProgress => 1,
            LobbyStatus::Completed => 2,
        }
    }

    fn index(self) -> usize {
        match self {
            LobbyStatus::InProgress => 0,
            LobbyStatus::Completed => 1,
        }
    }
}

/// The body of one call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LobbyCall {
    pub game_id: String,
    pub status: LobbyStatus,
}

/// What is owed next: IN_PROGRESS once day 1 started, COMPLETED once the game ended (a game
/// abandoned in its pregame owes COMPLETED only), each until delivered (`sent`: bits).
pub fn lobby_due(started: bool, ended: bool, sent: i64) -> Option<LobbyStatus> {
    [
        (started, LobbyStatus::InProgress),
        (ended, LobbyStatus::Completed),
    ]
    .into_iter()
    .find(|(owed, s)| *owed && sent & s.bit() == 0)
    .map(|(_, s)| s)
}

/// Retry delay after `failures` consecutive failed calls (1, 2, …).
pub fn lobby_backoff_ms(failures: i64) -> i64 {
    LOBBY_BACKOFF_BASE_MS
        .saturating_mul(1i64 << (failures - 1).clamp(0, 20))
        .min(LOBBY_BACKOFF_MAX_MS)
}

/// Whether a call may start at `now` (`callout::may_start`).
pub fn may_call(
    due: Option<LobbyStatus>,
    in_flight: bool,
    retry_at: Option<i64>,
    next_task: Option<i64>,
    now: i64,
) -> bool {
    may_start(
        due.is_some(),
        in_flight,
        retry_at,
        next_task,
        LOBBY_TIMEOUT_MS,
        now,
    )
}

impl<S: Store> Host<S> {
    /// What the journal says the room owes the lobby (none without LOBBY_HOST), D1 aside.
    fn lobby_due_now(&self) -> Option<LobbyStatus> {
        self.config.lobby_host.as_ref()?;
        let st = self.live.as_ref()?.room.state()?;
        let ended = self.live.as_ref()?.room.has_ended();
        let sent = self.store.meta(Meta::LobbySent).ok().flatten().unwrap_or(0);
        lobby_due(st.day >= 1, ended, sent)
    }

    /// Notes the head at which this instance first saw a status owed (called before the
    /// policy looks at the lobby: from `arm` and the alarm).
    pub(super) fn lobby_note(&mut self) {
        if let (Some(s), Some(live)) = (self.lobby_due_now(), self.live.as_ref()) {
            let at = &mut self.lobby_owed_at[s.index()];
            if at.is_none() {
                *at = Some(live.room.seq());
            }
        }
    }

    /// What the room owes the lobby now: owed by the journal, and D1 holds the entry that made
    /// it owed (it confirmed the head noted by [`Host::lobby_note`]).
    pub(super) fn lobby_owed(&self) -> Option<LobbyStatus> {
        let due = self.lobby_due_now()?;
        let at = self.lobby_owed_at[due.index()]?;
        let confirmed = self.store.confirmed_seq().ok()?;
        (confirmed >= at).then_some(due)
    }

    /// When the alarm must ring for the lobby: the retry time, or now (`now`) when a call is
    /// owed; none while a call is in flight or a task falls due first (its alarm looks again).
    pub(super) fn next_lobby_at(&self, now: i64) -> Option<i64> {
        if self.lobby_flight.is_some() {
            return None;
        }
        self.lobby_owed()?;
        self.callout_at(now, Meta::LobbyRetryAt, LOBBY_TIMEOUT_MS)
    }

    /// From the alarm: starts the call owed, if it may start now.
    pub(super) fn lobby_call(&mut self, now: i64, fx: &mut Vec<Effect>) {
        self.lobby_note();
        let due = self.lobby_owed();
        let retry_at = self.retry_at(Meta::LobbyRetryAt);
        let next_task = self.next_task_due();
        if !may_call(due, self.lobby_flight.is_some(), retry_at, next_task, now) {
            return;
        }
        let (Some(status), Some(live)) = (due, self.live.as_ref()) else {
            return;
        };
        let call = LobbyCall {
            game_id: live.room.game_id().to_string(),
            status,
        };
        self.lobby_flight = Some(status);
        fx.push(Effect::NotifyLobby(call));
    }

    /// The lobby answered (an HTTP status) or the call failed: delivered on 2xx, else retried.
    pub(super) fn lobby_done(
        &mut self,
        now: i64,
        status: LobbyStatus,
        result: Result<u16, String>,
        fx: &mut Vec<Effect>,
    ) {
        if self.lobby_flight != Some(status) {
            return;
        }
        self.lobby_flight = None;
        let failures = self
            .store
            .meta(Meta::LobbyFailures)
            .ok()
            .flatten()
            .unwrap_or(0);
        let outcome = match result {
            Ok(code) if (200..300).contains(&code) => {
                let sent = self.store.meta(Meta::LobbySent).ok().flatten().unwrap_or(0);
                let stored = self
                    .store
                    .set_meta(Meta::LobbySent, Some(sent | status.bit()))
                    .and_then(|_| self.store.set_meta(Meta::LobbyFailures, None))
                    .and_then(|_| self.store.set_meta(Meta::LobbyRetryAt, None));
                stored.err().map(|e| format!("storing the delivery: {e}"))
            }
            Ok(code) => Some(format!("the lobby answered {code}")),
            Err(e) => Some(e),
        };
        if let Some(why) = outcome {
            let failures = self.callout_failed(
                now,
                failures,
                Meta::LobbyFailures,
                Meta::LobbyRetryAt,
                lobby_backoff_ms,
            );
            self.log(LogEvent::error(format!(
                "lobby callback {status:?} failed ({failures} in a row): {why}"
            )));
        }
        self.arm(fx);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_owed_follows_the_game_and_what_was_delivered() {
        use LobbyStatus::*;
        assert_eq!(lobby_due(false, false, 0), None);
        assert_eq!(lobby_due(true, false, 0), Some(InProgress));
        assert_eq!(lobby_due(true, false, 1), None);
        assert_eq!(lobby_due(true, true, 0), Some(InProgress), "in order");
        assert_eq!(lobby_due(true, true, 1), Some(Completed));
        assert_eq!(lobby_due(true, true, 3), None);
        assert_eq!(
            lobby_due(false, true, 0),
            Some(Completed),
            "abandoned in pregame"
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(lobby_backoff_ms(1), 1_000);
        assert_eq!(lobby_backoff_ms(2), 2_000);
        assert_eq!(lobby_backoff_ms(5), 16_000);
        assert_eq!(lobby_backoff_ms(60), LOBBY_BACKOFF_MAX_MS);
    }

    #[test]
    fn a_call_never_starts_before_a_task_it_could_delay() {
        let due = Some(LobbyStatus::InProgress);
        assert!(may_call(due, false, None, None, 100));
        assert!(!may_call(None, false, None, None, 100));
        assert!(!may_call(due, true, None, None, 100), "one in flight");
        assert!(!may_call(due, false, Some(101), None, 100), "backing off");
        assert!(may_call(due, false, Some(100), None, 100));
        assert!(!may_call(
            due,
            false,
            None,
            Some(100 + LOBBY_TIMEOUT_MS),
            100
        ));
        assert!(may_call(
            due,
            false,
            None,
            Some(101 + LOBBY_TIMEOUT_MS),
            100
        ));
    }
}
