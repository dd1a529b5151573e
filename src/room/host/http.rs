//! The room's HTTP routes (docs/protocol.md, "HTTP routes"): each request becomes one reply, or,
//! for the WebSocket route, an accepted socket.

use super::sockets::SocketId;
use super::{error_reply, json_reply, Effect, Host, HostError, LogEvent, Request};
use crate::engine::Command;
use crate::journal::EntryKind;
use crate::room::admin::{
    operator_state, AdminResponse, DevFailD1Response, JournaledResponse, NextTask, OperatorStatus,
    ScheduledTasksResponse, TaskListResponse, OPERATOR_NEXT_TASKS,
};
use crate::room::alarms::AlarmQueue;
use crate::room::live::{LiveRoom, Meta, Store};
use crate::room::route::{bearer_token, is_bearer, parse_room_route, RoomAction, RouteError};
use crate::room::{check_player_joined, parse_admin_request, token, AdminRequest, Lifecycle, Room};
use serde_json::json;

impl<S: Store> Host<S> {
    pub(super) fn http(&mut self, now_ms: i64, req: &Request, fx: &mut Vec<Effect>) {
        if let Err(err) = self.route(now_ms, req, fx) {
            error_reply(&err, fx);
        }
    }

    fn route(&mut self, now: i64, req: &Request, fx: &mut Vec<Effect>) -> Result<(), HostError> {
        let (game_id, action) = parse_room_route(&req.path, &req.method)?;
        // A cleaned-up room keeps only its journal (in D1); the WebSocket route answers as for
        // any room without a game (4003).
        if !matches!(action, RoomAction::Journal | RoomAction::Connect) {
            if let Some(t) = self.store.tombstone().map_err(HostError::internal)? {
                return Err(RouteError::RoomCleanedUp { seq: t.seq }.into());
            }
        }
        let body = || {
            req.body
                .as_deref()
                .map_err(|e| HostError::from(RouteError::BadBody(e.clone())))
        };
        match action {
            RoomAction::Init => self.init(now, &game_id, body()?, req, fx),
            RoomAction::State => {
                let reply = self.get_state(now, req, &game_id)?;
                fx.push(reply);
                Ok(())
            }
            RoomAction::Journal => self.journal_page(req, &game_id, fx),
            RoomAction::Cleanup => self.cleanup(now, &game_id, fx),
            RoomAction::Admin => self.admin(now, body()?, fx),
            RoomAction::PlayerJoined => self.player_joined(now, body()?, fx),
            RoomAction::Connect => self.connect(now, req, &game_id, fx),
            RoomAction::ScheduledTasks => {
                self.ensure_loaded()?;
                let tasks = ScheduledTasksResponse::new(self.next_tasks(usize::MAX));
                fx.push(json_reply(200, &tasks));
                Ok(())
            }
            // The console's flush: the admin FLUSH_TASKS, answered alike.
            RoomAction::FlushTasks => self.admin(now, br#"{"type":"FLUSH_TASKS"}"#, fx),
            // The Worker answers it from D1 (`room::operator`); the room has nothing to add.
            RoomAction::Verify => {
                Err(RouteError::NotFound(format!("no room route for {}", req.path)).into())
            }
        }
    }

    /// `POST …/init`: from the existence check to the last write there is no await (one step),
    /// so the check and the writes are atomic.
    fn init(
        &mut self,
        now: i64,
        game_id: &str,
        body: &[u8],
        req: &Request,
        fx: &mut Vec<Effect>,
    ) -> Result<(), HostError> {
        if self.store.exists().map_err(HostError::internal)? {
            return Err(RouteError::RoomExists(game_id.to_string()).into());
        }
        let seed = req.seed.clone().map_err(HostError::internal)?;
        let (room, entries) = Room::create(game_id, body, now, seed)?;
        // Leftovers of an earlier init that failed half-way.
        self.store.reset().map_err(HostError::internal)?;
        let live = LiveRoom::create(&mut self.store, room, &entries)?;
        let players = live.room.state().map_or(0, |st| st.players.len());
        self.log(LogEvent::Init { players });
        self.log_entries(&entries);
        let answer = json!({ "gameId": live.room.game_id(), "seq": live.room.seq(), "head": live.room.head().to_hex() });
        self.queue = Some(AlarmQueue::default());
        self.live = Some(live);
        self.sync_tasks()?;
        // The entry is safe in DO storage; D1 is best effort here (it stays in the outbox).
        self.after_change(now, fx);
        fx.push(json_reply(201, &answer));
        Ok(())
    }

    /// Bearer AUTH_SECRET: the operator view (public projection + chain head + outbox lag + next
    /// tasks). A player token (TOKEN_SECRET): that player's projection only.
    fn get_state(&mut self, now: i64, req: &Request, game_id: &str) -> Result<Effect, HostError> {
        if self.config.secret.is_empty() {
            return Err(RouteError::AuthNotConfigured.into());
        }
        self.ensure_loaded()?;
        if is_bearer(&req.authorization, &self.config.secret) {
            let status = self.operator_status()?;
            let live = self.live.as_ref().ok_or(RouteError::RoomNotFound)?;
            return Ok(json_reply(200, &operator_state(&live.room, &status)));
        }
        let token = bearer_token(&req.authorization).unwrap_or_default();
        let (player, _) = self
            .player_from_token(now, token, game_id)
            .map_err(RouteError::Unauthorized)?;
        let live = self.live.as_ref().ok_or(RouteError::RoomNotFound)?;
        Ok(json_reply(200, &live.room.projection(Some(&player))))
    }

    fn operator_status(&self) -> Result<OperatorStatus, HostError> {
        let store = &self.store;
        let meta = |key| store.meta(key).map_err(HostError::internal);
        let count = |key| Ok::<u64, HostError>(u64::try_from(meta(key)?.unwrap_or(0)).unwrap_or(0));
        let span = store.journal_span().map_err(HostError::internal)?;
        Ok(OperatorStatus {
            lifecycle: self
                .live
                .as_ref()
                .map_or(Lifecycle::Active, |l| l.room.lifecycle()),
            outbox_lag: store.outbox_len().map_err(HostError::internal)?,
            d1_confirmed_seq: store.confirmed_seq().map_err(HostError::internal)?,
            d1_failures: count(Meta::D1Failures)?,
            d1_retry_at: meta(Meta::D1RetryAt)?,
            next_tasks: self.next_tasks(OPERATOR_NEXT_TASKS),
            snapshot_seq: self.live.as_ref().map_or(0, LiveRoom::snapshot_seq),
            d1_batches: count(Meta::D1Batches)?,
            d1_batched_entries: count(Meta::D1BatchedEntries)?,
            do_journal_rows: span.rows,
            do_journal_first_seq: span.first,
            do_storage_bytes: store.size_bytes().map_err(HostError::internal)?,
        })
    }

    fn next_tasks(&self, n: usize) -> Vec<NextTask> {
        self.queue
            .as_ref()
            .map(|q| q.list().into_iter().take(n).map(NextTask::from).collect())
            .unwrap_or_default()
    }

    /// Checks a player token: signature, expiry, the game, and the roster. The player and the
    /// token's expiry (unix seconds).
    pub(super) fn player_from_token(
        &mut self,
        now: i64,
        token: &str,
        game_id: &str,
    ) -> Result<(String, i64), String> {
        let claims = token::verify(
            self.config.token_secret.as_bytes(),
            token,
            game_id,
            now / 1000,
        )
        .map_err(|e| e.to_string())?;
        let live = self
            .ensure_loaded()
            .map_err(|_| "no such game".to_string())?;
        if live.room.game_id() != claims.game_id {
            return Err("token is for another game".into());
        }
        let in_roster = live
            .room
            .state()
            .is_some_and(|st| st.players.iter().any(|p| p.id == claims.player_id));
        if !in_roster {
            return Err("player is not in this game".into());
        }
        Ok((claims.player_id, claims.exp))
    }

    fn admin(&mut self, now: i64, body: &[u8], fx: &mut Vec<Effect>) -> Result<(), HostError> {
        let cmd = match parse_admin_request(body)? {
            AdminRequest::ListTasks => {
                self.ensure_loaded()?;
                let tasks = TaskListResponse {
                    tasks: self.next_tasks(usize::MAX),
                };
                fx.push(json_reply(200, &AdminResponse::Tasks(tasks)));
                return Ok(());
            }
            AdminRequest::DevFailD1 { on } => {
                if !self.config.dev_faults {
                    return Err(RouteError::DevFaultsOff.into());
                }
                let store = &mut self.store;
                store
                    .set_meta(Meta::DevFailD1, Some(i64::from(on)))
                    .map_err(HostError::internal)?;
                if !on {
                    // Retry right away.
                    store
                        .set_meta(Meta::D1RetryAt, None)
                        .map_err(HostError::internal)?;
                }
                self.ensure_loaded()?;
                self.after_change(now, fx);
                let answer = AdminResponse::DevFailD1(DevFailD1Response { dev_fail_d1: on });
                fx.push(json_reply(200, &answer));
                return Ok(());
            }
            AdminRequest::Checkpoint => {
                let c = self.journal_checkpoint(now, fx)?;
                self.after_change(now, fx);
                let answer = AdminResponse::Checkpoint(crate::room::admin::CheckpointResponse {
                    entry_seq: c.entry_seq,
                    seq: c.seq,
                    head: c.head,
                    note: c.note,
                });
                fx.push(json_reply(200, &answer));
                return Ok(());
            }
            AdminRequest::Journal(cmd) => cmd,
            AdminRequest::PlayerEvent { sender, command } => {
                let known = self
                    .ensure_loaded()?
                    .room
                    .state()
                    .is_some_and(|st| st.player(&sender).is_some());
                if !known {
                    return Err(crate::room::AdminError::InvalidFields {
                        typ: "SEND_PLAYER_EVENT".into(),
                        why: format!("no player {sender} in this game"),
                        path: Some("senderId".into()),
                    }
                    .into());
                }
                let c = self.journal(now, EntryKind::Action, &sender, &command)?;
                self.after_change(now, fx);
                let answer = AdminResponse::Journaled(JournaledResponse::new(c.seq, &c.verdict));
                fx.push(json_reply(200, &answer));
                return Ok(());
            }
        };
        let c = self.journal(now, EntryKind::Admin, "ADMIN", &cmd)?;
        self.after_change(now, fx);
        let answer = AdminResponse::Journaled(JournaledResponse::new(c.seq, &c.verdict));
        fx.push(json_reply(200, &answer));
        Ok(())
    }

    fn player_joined(
        &mut self,
        now: i64,
        body: &[u8],
        fx: &mut Vec<Effect>,
    ) -> Result<(), HostError> {
        let player = check_player_joined(body)?;
        let c = self.journal(
            now,
            EntryKind::System,
            "SYSTEM",
            &Command::PlayerJoined { player },
        )?;
        self.after_change(now, fx);
        let status = if c.verdict.is_accepted() { 200 } else { 409 };
        fx.push(json_reply(
            status,
            &JournaledResponse::new(c.seq, &c.verdict),
        ));
        Ok(())
    }

    /// A player's first connection in the pregame is journaled (`SYSTEM.PLAYER_CONNECTED`): it
    /// reveals one of their Q&A answers (docs/rules.md, "Pregame"). A failure to journal it
    /// leaves the socket open; the next connection tries again.
    fn first_pregame_connection(&mut self, now: i64, player: &str, fx: &mut Vec<Effect>) {
        let wants = self
            .live
            .as_ref()
            .and_then(|l| l.room.state())
            .is_some_and(|st| crate::engine::pregame::wants_connect(st, player));
        if !wants {
            return;
        }
        let cmd = Command::PlayerConnected {
            player_id: player.to_string(),
        };
        match self.journal(now, EntryKind::System, "SYSTEM", &cmd) {
            Ok(_) => self.after_change(now, fx),
            Err(e) => self.log(LogEvent::error(format!(
                "journaling {player}'s pregame connection: {}",
                e.to_json()
            ))),
        }
    }

    /// `GET /parties/game-server/:gameId?token=JWT` (WebSocket upgrade). A bad token is accepted
    /// then closed with 4003, so clients see a close code, not an HTTP error; so is a player's
    /// socket past their socket cap (4009) or connect rate (4008): docs/security.md.
    fn connect(
        &mut self,
        now: i64,
        req: &Request,
        game_id: &str,
        fx: &mut Vec<Effect>,
    ) -> Result<(), HostError> {
        if !req.upgrade.eq_ignore_ascii_case("websocket") {
            return Err(RouteError::UpgradeRequired.into());
        }
        let token = req.query("token").unwrap_or_default();
        let socket = self.sockets.new_cid(now);
        let admitted = self
            .player_from_token(now, token, game_id)
            .map_err(|why| (super::CLOSE_AUTH, why))
            .and_then(|(player, exp)| {
                let burst = self.config.rate_burst;
                self.sockets.admit_connect(now, &player, burst)?;
                Ok((player, exp))
            });
        match admitted {
            Ok((player, exp)) => {
                let id = SocketId {
                    player_id: player.clone(),
                    cid: socket.clone(),
                    exp,
                    delta: req.query("delta") == Some("1"),
                    v: None,
                };
                // A version that is not a non-negative integer is no version: a full SYNC.
                let resume = req.query("v").and_then(|v| v.parse::<u64>().ok());
                // Accepts the socket (first effect), then its first frames.
                self.welcome(id, resume, fx);
                self.first_pregame_connection(now, &player, fx);
            }
            Err((code, why)) => {
                fx.push(Effect::Accept {
                    socket: socket.clone(),
                    identity: None,
                });
                fx.push(Effect::Close {
                    socket,
                    code,
                    reason: why,
                });
            }
        }
        Ok(())
    }
}
