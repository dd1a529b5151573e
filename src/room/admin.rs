//! The operator's admin route (`POST …/admin`): decoding its bodies strictly, and the shapes of its
//! answers and of the operator's `GET …/state`. Pure, so the worker only does the I/O.
//!
//! A body is `{type, ...fields}`. The journaled ones name an `ADMIN.*` [`Command`] without its
//! namespace (`NEXT_STAGE` is `ADMIN.NEXT_STAGE`); `LIST_TASKS` and `DEV_FAIL_D1` are answered by
//! the route itself ([`AdminRouteRequest`]). Their schemas: `schemas/admin-request.schema.json`.

use super::protocol::{failing_path, is_known_type};
use crate::engine::manifest::{FieldError, FieldErrorCode};
use crate::engine::Command;
use crate::journal::{EntryKind, Verdict};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use thiserror::Error;

/// Largest admin body accepted, in bytes (a CREDIT_SILVER for a full roster is well under 1 KiB).
pub use crate::limits::MAX_ADMIN_BYTES;
/// Tasks listed in the operator's `GET …/state` (`nextTasks`); `LIST_TASKS` lists them all.
pub use crate::limits::OPERATOR_NEXT_TASKS;
/// The namespace of the journaled admin commands, left out of the route's `type`.
pub const ADMIN_NAMESPACE: &str = "ADMIN.";

/// A decoded admin body.
#[derive(Clone, Debug, PartialEq)]
pub enum AdminRequest {
    ListTasks,
    DevFailD1 {
        on: bool,
    },
    /// An `ADMIN.*` command, to journal as an ADMIN entry.
    Journal(Command),
    /// Journal a checkpoint now and broadcast its signed form (docs/audit.md).
    Checkpoint,
    /// `SEND_PLAYER_EVENT`: a client message, journaled as that player's own action.
    PlayerEvent {
        sender: String,
        command: Command,
    },
}

/// The admin requests that the route answers itself (nothing is journaled).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", deny_unknown_fields)]
pub enum AdminRouteRequest {
    /// The AlarmManager's queue, in firing order.
    #[serde(rename = "LIST_TASKS")]
    ListTasks {},
    /// Dev only (the var `DEV_FAULTS=1`, else 403 DEV_FAULTS_OFF): while on, every D1 outbox
    /// flush fails as if D1 were down.
    #[serde(rename = "DEV_FAIL_D1")]
    DevFailD1 { on: bool },
    /// Journal a signed checkpoint now (a SYSTEM.CHECKPOINT entry) and send it to every socket;
    /// the answer holds the signed note (docs/audit.md). 503 CHECKPOINT_KEY_MISSING without the
    /// secret CHECKPOINT_KEY.
    #[serde(rename = "CHECKPOINT")]
    Checkpoint {},
    /// The prototype console's impersonation: `event` is a client message (docs/protocol.md,
    /// "WebSocket"), journaled as an ACTION entry of `senderId`, exactly as if that player had
    /// sent it (the engine decides; the entry's verdict is the answer).
    #[serde(rename = "SEND_PLAYER_EVENT")]
    SendPlayerEvent {
        #[serde(rename = "senderId")]
        sender_id: String,
        #[cfg_attr(feature = "schema", schemars(schema_with = "client_message_schema"))]
        event: Value,
    },
    /// The prototype console's timeline action INJECT_PROMPT: the Game Master speaks, journaled
    /// as ADMIN.SEND_GAME_MASTER_MSG `{content, targetId?}` (content = `payload.text`, else
    /// `payload.msg`, else "The Game Master speaks..."; docs/protocol.md, "`POST …/admin`"). Every
    /// other INJECT_TIMELINE_EVENT is the journaled ADMIN.INJECT_TIMELINE_EVENT.
    #[serde(rename = "INJECT_TIMELINE_EVENT")]
    InjectPrompt {
        action: InjectPromptAction,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        payload: Option<InjectPromptPayload>,
    },
}

/// The one action of the console's INJECT_PROMPT request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum InjectPromptAction {
    #[serde(rename = "INJECT_PROMPT")]
    InjectPrompt,
}

/// INJECT_PROMPT's payload, as the prototype console sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InjectPromptPayload {
    /// The message (1–280 characters once trimmed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The prototype's older name of `text`, read when `text` is absent or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg: Option<String>,
    /// A player: the message goes to their Game Master channel only; absent: to MAIN.
    #[serde(rename = "targetId", default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
}

/// The prototype's words when INJECT_PROMPT carries no text.
pub const INJECT_PROMPT_DEFAULT_TEXT: &str = "The Game Master speaks...";

/// `event` of SEND_PLAYER_EVENT: a client message (its definition is in every schema document).
#[cfg(feature = "schema")]
fn client_message_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "$ref": "#/$defs/ClientMessage" })
}

impl From<AdminRouteRequest> for AdminRequest {
    fn from(r: AdminRouteRequest) -> Self {
        match r {
            AdminRouteRequest::ListTasks {} => AdminRequest::ListTasks,
            AdminRouteRequest::DevFailD1 { on } => AdminRequest::DevFailD1 { on },
            AdminRouteRequest::Checkpoint {} => AdminRequest::Checkpoint,
            // Decoded in `parse_admin_request` (the event is a client message).
            AdminRouteRequest::SendPlayerEvent { .. } => AdminRequest::ListTasks,
            AdminRouteRequest::InjectPrompt { payload, .. } => {
                let p = payload.unwrap_or_default();
                let filled = |t: &Option<String>| t.clone().filter(|t| !t.is_empty());
                let content = filled(&p.text)
                    .or_else(|| filled(&p.msg))
                    .unwrap_or_else(|| INJECT_PROMPT_DEFAULT_TEXT.to_string());
                AdminRequest::Journal(Command::SendGameMasterMsg {
                    content,
                    target_id: p.target_id,
                })
            }
        }
    }
}

/// Why an admin body was refused (HTTP 400, or 413 for TOO_LARGE). Nothing is journaled.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AdminError {
    #[error("request body is larger than {MAX_ADMIN_BYTES} bytes")]
    TooLarge,
    #[error("request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("request body must be a JSON object with a string \"type\"")]
    InvalidBody,
    #[error("unknown admin type {0}")]
    UnknownType(String),
    /// A known type whose fields do not decode; `path` names the first bad field (`playerId`,
    /// `rewards.p2`), when it could be found.
    #[error("invalid fields for {typ}: {}{why}", path.as_deref().map(|p| format!("{p}: ")).unwrap_or_default())]
    InvalidFields {
        typ: String,
        why: String,
        path: Option<String>,
    },
}

crate::engine::error::stable_codes! {
    AdminError {
        TooLarge => "TOO_LARGE",
        MalformedJson => "MALFORMED_JSON",
        InvalidBody => "INVALID_BODY",
        UnknownType => "UNKNOWN_TYPE",
        InvalidFields => "INVALID_FIELDS",
    }
}

impl AdminError {
    /// 413 for an oversized body, as for `/init`; 400 otherwise.
    pub fn http_status(&self) -> u16 {
        match self {
            AdminError::TooLarge => 413,
            _ => 400,
        }
    }

    /// The bad field of an `INVALID_FIELDS` error, as a field error of the HTTP body: its path
    /// and a FieldErrorCode read from the decoder's message.
    pub fn field_error(&self) -> Option<FieldError> {
        let AdminError::InvalidFields {
            why,
            path: Some(path),
            ..
        } = self
        else {
            return None;
        };
        let code = FieldErrorCode::of_serde(why);
        Some(FieldError {
            path: path.clone(),
            code: code.as_str(),
            message: why.clone(),
        })
    }

    /// `{"error": {"code", "message", "fields"?}}`, as every HTTP error (`RoomError::to_json`);
    /// `fields` holds the one bad field of INVALID_FIELDS.
    pub fn to_json(&self) -> Value {
        let fields = self.field_error().map(|f| vec![f]);
        super::HttpError::new(self.code(), self.to_string(), fields).to_json()
    }
}

/// Decodes `v` (whose `type` is a variant of `T`), naming the first bad field on failure.
fn decode<T: DeserializeOwned>(v: &Value, typ: &str) -> Result<T, AdminError> {
    T::deserialize(v).map_err(|e| {
        let why = e.to_string();
        let path = failing_path::<T>(v, &why);
        AdminError::InvalidFields {
            typ: typ.to_string(),
            why,
            path,
        }
    })
}

/// Decodes one `POST …/admin` body: strictly (unknown fields, missing fields and wrong types are
/// refused), never panicking.
pub fn parse_admin_request(body: &[u8]) -> Result<AdminRequest, AdminError> {
    if body.len() > MAX_ADMIN_BYTES {
        return Err(AdminError::TooLarge);
    }
    let mut v: Value =
        serde_json::from_slice(body).map_err(|e| AdminError::MalformedJson(e.to_string()))?;
    let typ = match v.get("type") {
        Some(Value::String(t)) => t.clone(),
        _ => return Err(AdminError::InvalidBody),
    };
    // INJECT_TIMELINE_EVENT is the route's own only for the action INJECT_PROMPT.
    let inject_prompt = v.get("action") == Some(&json!("INJECT_PROMPT"));
    let route_own = match typ.as_str() {
        "INJECT_TIMELINE_EVENT" => inject_prompt,
        _ => is_known_type::<AdminRouteRequest>(&typ),
    };
    if route_own {
        return match decode::<AdminRouteRequest>(&v, &typ)? {
            AdminRouteRequest::SendPlayerEvent { sender_id, event } => {
                let bytes = serde_json::to_vec(&event).unwrap_or_default();
                let command = crate::room::parse_client_message(&bytes)
                    .map_err(|(_, e)| AdminError::InvalidFields {
                        typ: typ.clone(),
                        why: e.to_string(),
                        path: Some("event".into()),
                    })?
                    .command;
                Ok(AdminRequest::PlayerEvent {
                    sender: sender_id,
                    command,
                })
            }
            r => Ok(AdminRequest::from(r)),
        };
    }
    let namespaced = format!("{ADMIN_NAMESPACE}{typ}");
    if !is_known_type::<Command>(&namespaced) {
        return Err(AdminError::UnknownType(typ));
    }
    v["type"] = json!(namespaced);
    let cmd = decode::<Command>(&v, &typ)?;
    // Every ADMIN.* command is an admin input; checked so that can never widen silently.
    if cmd.required_kind() != EntryKind::Admin {
        return Err(AdminError::UnknownType(typ));
    }
    Ok(AdminRequest::Journal(cmd))
}

// ---------------------------------------------------------------------------------------------
// Answers (schemas/admin-response.schema.json, schemas/state-response.schema.json)

/// A scheduled task (defined with the projection, whose `nextTasks` lists the same).
pub use crate::engine::projection::NextTask;

/// A journaled input's outcome (`POST …/admin` with an `ADMIN.*` command; `POST …/player-joined`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct JournaledResponse {
    /// The entry's seq.
    pub seq: u64,
    pub verdict: Verdict,
    pub accepted: bool,
}

impl JournaledResponse {
    pub fn new(seq: u64, verdict: &Verdict) -> Self {
        JournaledResponse {
            seq,
            verdict: verdict.clone(),
            accepted: verdict.is_accepted(),
        }
    }
}

/// The answer to `LIST_TASKS`: every pending task, in firing order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskListResponse {
    pub tasks: Vec<NextTask>,
}

/// The answer to `GET …/scheduled-tasks` (the prototype console's task list): the AlarmManager's
/// queue in firing order, as LIST_TASKS lists it, with the prototype's `{id, time}` beside ours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScheduledTasksResponse {
    /// How many tasks are pending.
    pub count: usize,
    pub tasks: Vec<ScheduledTask>,
}

/// One pending task of [`ScheduledTasksResponse`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduledTask {
    /// The task's id (`taskId`).
    pub id: String,
    /// When it fires, in whole seconds since the Unix epoch (rounded down), as the prototype gave it.
    pub time: i64,
    /// When it fires, in ms since the Unix epoch.
    pub due_ms: i64,
    /// The timeline action it runs.
    #[cfg_attr(feature = "schema", schemars(with = "crate::engine::timeline::Action"))]
    pub action: String,
}

impl ScheduledTasksResponse {
    pub fn new(tasks: Vec<NextTask>) -> Self {
        let tasks: Vec<ScheduledTask> = tasks
            .into_iter()
            .map(|t| ScheduledTask {
                time: t.due_ms.div_euclid(1000),
                id: t.task_id,
                due_ms: t.due_ms,
                action: t.action,
            })
            .collect();
        ScheduledTasksResponse {
            count: tasks.len(),
            tasks,
        }
    }
}

/// The answer to `DEV_FAIL_D1`: the switch as it now is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DevFailD1Response {
    #[serde(rename = "devFailD1")]
    pub dev_fail_d1: bool,
}

/// A 200 answer of `POST …/admin`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum AdminResponse {
    Journaled(JournaledResponse),
    Tasks(TaskListResponse),
    DevFailD1(DevFailD1Response),
    Checkpoint(CheckpointResponse),
}

/// The answer to `CHECKPOINT`: the checkpoint entry's seq, the last entry it covers, that
/// entry's hash, and the signed note (C2SP signed-note text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckpointResponse {
    /// The SYSTEM.CHECKPOINT entry.
    pub entry_seq: u64,
    /// The last entry the checkpoint covers (`entrySeq - 1`).
    pub seq: u64,
    pub head: crate::journal::Hash,
    pub note: String,
}

/// What the worker adds to [`super::Room::public_state`] for the operator's `GET …/state`: the
/// persistence status of the room. `nextTasks` replaces the projection's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OperatorStatus {
    /// Whether the game runs, ended with a result, or was abandoned by the operator.
    pub lifecycle: super::Lifecycle,
    /// Journal entries not yet confirmed in D1.
    pub outbox_lag: u64,
    /// Highest seq confirmed in D1.
    pub d1_confirmed_seq: u64,
    /// Failed D1 flushes since the last success.
    pub d1_failures: u64,
    /// When the next D1 flush is tried after a failure (ms since the Unix epoch), or null.
    pub d1_retry_at: Option<i64>,
    /// The first tasks of the alarm queue (at most 10), in firing order.
    pub next_tasks: Vec<NextTask>,
    /// The seq of the stored snapshot.
    pub snapshot_seq: u64,
    /// D1 batches written.
    pub d1_batches: u64,
    /// Entries written in those batches.
    pub d1_batched_entries: u64,
    /// Journal rows the Durable Object keeps (the tail, the rows after the snapshot and those
    /// D1 has not confirmed; docs/architecture.md, "Compaction").
    pub do_journal_rows: u64,
    /// The lowest seq among them (older entries are read from D1), or null when none is kept.
    pub do_journal_first_seq: Option<u64>,
    /// The Durable Object's storage in bytes (its SQLite database), where the host tells.
    pub do_storage_bytes: Option<u64>,
}

/// The operator's `GET …/state` body: the public projection with the chain position
/// (`Room::public_view`) and the persistence status, whose `nextTasks` (the alarm queue's first
/// tasks) replaces the projection's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StateResponse {
    #[serde(flatten)]
    pub state: super::PublicState,
    #[serde(flatten)]
    pub status: OperatorStatus,
}

impl StateResponse {
    pub fn new(room: &super::Room, status: &OperatorStatus) -> StateResponse {
        let mut state = room.public_view();
        if let super::Projection::Game(p) = &mut state.projection {
            p.game.next_tasks = status.next_tasks.clone();
        }
        StateResponse {
            state,
            status: status.clone(),
        }
    }
}

/// [`StateResponse`] as JSON (one `nextTasks` key: the projection's was replaced by the
/// status's, so both flattened halves write the same value).
pub fn operator_state(room: &super::Room, status: &OperatorStatus) -> Value {
    serde_json::to_value(StateResponse::new(room, status)).unwrap_or(Value::Null)
}
