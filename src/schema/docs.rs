//! Building every schema document and the TypeScript declarations.

use crate::engine::{games, social, Command, Fact};
use crate::journal::{Entry, ENTRY_VERSION};
use crate::room::admin::{
    AdminResponse, AdminRouteRequest, OperatorStatus, ADMIN_NAMESPACE, OPERATOR_NEXT_TASKS,
};
use crate::room::protocol::{ControlMessage, ServerMessage, CLIENT_NAMESPACES, MAX_REF_CHARS};
use crate::room::{HttpError, InitBody, Projection};
use schemars::generate::SchemaSettings;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// One file of `schemas/`.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// Path under `schemas/`, e.g. `client/VOTE.MAJORITY.CAST.schema.json`.
    pub file: String,
    /// The definition it describes (its `$ref`), e.g. `VoteMajorityCastMessage`.
    pub root: String,
    pub schema: Value,
}

impl Document {
    /// The committed text: pretty JSON, two spaces, a final newline.
    pub fn text(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.schema).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// `VOTE.MAJORITY.CAST` -> `VoteMajorityCast`.
pub fn pascal(typ: &str) -> String {
    typ.split(['.', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut c = lower.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Whether a client may send inputs of this type (`room::protocol::CLIENT_NAMESPACES`).
pub fn is_client_type(typ: &str) -> bool {
    CLIENT_NAMESPACES.iter().any(|ns| typ.starts_with(ns))
}

/// Every definition of the shared namespace, by name, derived from the Rust types.
pub fn definitions() -> Map<String, Value> {
    // What the server writes (facts, rows, frames) is described as serialized; what clients
    // send, as deserialized (optional fields are optional, unknown fields refused).
    let mut out = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    out.subschema_for::<Fact>();
    out.subschema_for::<Entry>();
    out.subschema_for::<ServerMessage>();
    out.subschema_for::<games::GameRecord>();
    out.subschema_for::<games::Effect>();
    out.subschema_for::<social::params::SocialParams>();
    out.subschema_for::<crate::engine::manifest::Mode>();
    out.subschema_for::<crate::engine::manifest::Kind>();
    out.subschema_for::<crate::engine::manifest::Scheduling>();
    out.subschema_for::<crate::engine::timeline::Preset>();
    out.subschema_for::<crate::engine::Phase>();
    out.subschema_for::<AdminResponse>();
    out.subschema_for::<OperatorStatus>();
    out.subschema_for::<crate::room::host::CleanupResponse>();
    out.subschema_for::<crate::room::operator::RoomsResponse>();
    out.subschema_for::<crate::room::admin::ScheduledTasksResponse>();
    out.subschema_for::<crate::room::host::LogLine>();
    out.subschema_for::<crate::room::operator::VerifyResponse>();
    out.subschema_for::<HttpError>();
    out.subschema_for::<Projection>();
    let mut input = SchemaSettings::draft2020_12().into_generator();
    input.subschema_for::<Command>();
    input.subschema_for::<crate::room::protocol::Signal>();
    input.subschema_for::<AdminRouteRequest>();
    input.subschema_for::<ControlMessage>();
    input.subschema_for::<InitBody>();
    input.subschema_for::<crate::engine::roster::RosterWire>();
    super::codes::add_all(&mut out);
    let mut defs = out.take_definitions(true);
    for (name, schema) in input.take_definitions(true) {
        match defs.get(&name) {
            Some(existing) if *existing != schema => {
                panic!("definition {name} differs between the input and output contracts")
            }
            _ => {
                defs.insert(name, schema);
            }
        }
    }
    for schema in defs.values_mut() {
        tidy(schema);
    }
    split_commands(&mut defs);
    control_messages(&mut defs);
    admin_requests(&mut defs);
    split_server_messages(&mut defs);
    journal_entry(&mut defs);
    titled_variants(&mut defs);
    state_response(&mut defs);
    defs
}

/// Rustdoc links become plain code spans; integer formats get their type's bounds.
fn tidy(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(d)) = o.get_mut("description") {
                *d = d.replace("[`", "`").replace("`]", "`").replace('\n', " ");
            }
            let bounds = match o.get("format").and_then(Value::as_str) {
                Some("uint32") => Some((json!(0), json!(u32::MAX))),
                Some("uint64") => Some((json!(0), json!(u64::MAX))),
                Some("int32") => Some((json!(i32::MIN), json!(i32::MAX))),
                Some("int64") => Some((json!(i64::MIN), json!(i64::MAX))),
                _ => None,
            };
            // Bounds the type gives, unless the field has its own (`schemars(range)`).
            if let Some((min, max)) = bounds {
                o.entry("minimum").or_insert(min);
                o.entry("maximum").or_insert(max);
            }
            for x in o.values_mut() {
                tidy(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(tidy),
        _ => {}
    }
}

fn variant_type(v: &Value) -> String {
    v["properties"]["type"]["const"]
        .as_str()
        .unwrap_or_else(|| panic!("a variant without a const type: {v}"))
        .to_string()
}

/// `Command` (every journal input as `{type, ...payload}`) becomes one definition per type, and
/// each client type also gets its `<Name>Message`: the same with the optional `ref`.
fn split_commands(defs: &mut Map<String, Value>) {
    let Some(Value::Object(mut command)) = defs.remove("Command") else {
        panic!("no Command definition");
    };
    let Some(Value::Array(variants)) = command.remove("oneOf") else {
        panic!("Command is not a oneOf");
    };
    let mut all = Vec::new();
    let mut client = Vec::new();
    for mut v in variants {
        let typ = variant_type(&v);
        let name = pascal(&typ);
        match typ.as_str() {
            "SYSTEM.INIT" => {
                v["properties"]["manifest"] = super::def_ref("Manifest");
                v["properties"]["roster"] = super::def_ref("Roster");
            }
            "SYSTEM.PLAYER_JOINED" => v["properties"]["player"] = super::def_ref("Player"),
            _ => {}
        }
        if is_client_type(&typ) {
            let mut m = v.clone();
            m["properties"]["ref"] = json!({
                "description": "The client's correlation id, echoed in the ACK or ERROR that answers this message.",
                "type": ["string", "null"],
                "maxLength": MAX_REF_CHARS,
            });
            let described = m["description"].as_str().map(str::to_string);
            m["description"] = json!(match described {
                Some(d) => format!("Client message {typ}. {d}"),
                None => format!("Client message {typ}."),
            });
            client.push(super::def_ref(&format!("{name}Message")));
            insert_new(defs, format!("{name}Message"), m);
        }
        all.push(super::def_ref(&name));
        // A command's definition must not replace a type of the same name (a view, say).
        insert_new(defs, name, v);
    }
    // The typing signals: client messages the host relays and never journals (not commands).
    if let Some(Value::Object(mut signal)) = defs.remove("Signal") {
        if let Some(Value::Array(variants)) = signal.remove("oneOf") {
            for mut m in variants {
                let typ = variant_type(&m);
                let name = pascal(&typ);
                m["properties"]["ref"] = json!({
                    "description": "The client's correlation id, echoed in the ERROR that refuses this signal (an accepted signal has no answer).",
                    "type": "string",
                    "maxLength": MAX_REF_CHARS,
                });
                let described = m["description"].as_str().map(str::to_string);
                m["description"] = json!(format!(
                    "Client message {typ} (relayed, never journaled). {}",
                    described.unwrap_or_default()
                ));
                client.push(super::def_ref(&format!("{name}Message")));
                insert_new(defs, format!("{name}Message"), m);
            }
        }
    }
    command.insert("oneOf".into(), Value::Array(all));
    command.insert(
        "description".into(),
        json!("Every input the engine journals, as `{type, ...payload}`: a row's `payload` is this object without `type`."),
    );
    defs.insert("Command".into(), Value::Object(command));
    defs.insert(
        "ClientMessage".into(),
        json!({
            "description": "A WebSocket frame a player sends: one of the client message types, with an optional `ref`.",
            "oneOf": client,
        }),
    );
}

/// `ControlMessage` (frames about the connection, never journaled: SYSTEM.RESYNC) joins
/// `ClientMessage`, each variant as `<Name>Message`.
fn control_messages(defs: &mut Map<String, Value>) {
    let Some(Value::Object(mut control)) = defs.remove("ControlMessage") else {
        panic!("no ControlMessage definition");
    };
    let Some(Value::Array(variants)) = control.remove("oneOf") else {
        panic!("ControlMessage is not a oneOf");
    };
    for mut v in variants {
        let typ = variant_type(&v);
        let name = format!("{}Message", pascal(&typ));
        if let Some(r) = v["properties"].get_mut("ref") {
            r["maxLength"] = json!(MAX_REF_CHARS);
        }
        let described = v["description"].as_str().unwrap_or_default().to_string();
        v["description"] = json!(format!("Client message {typ}. {described}"));
        if let Some(Value::Array(client)) = defs["ClientMessage"].get_mut("oneOf") {
            client.push(super::def_ref(&name));
        }
        insert_new(defs, name, v);
    }
}

/// A `oneOf` branch with a `title` (the manifest's STATIC, DYNAMIC and BLITZ variants,
/// `engine::manifest::wire`) becomes the definition of that name.
fn titled_variants(defs: &mut Map<String, Value>) {
    let mut hoisted = Vec::new();
    for def in defs.values_mut() {
        let Some(Value::Array(branches)) = def.get_mut("oneOf") else {
            continue;
        };
        for b in branches.iter_mut() {
            if let Some(Value::String(title)) = b.get("title").cloned() {
                let mut v = std::mem::replace(b, super::def_ref(&title));
                v.as_object_mut().map(|o| o.remove("title"));
                hoisted.push((title, v));
            }
        }
    }
    for (name, v) in hoisted {
        insert_new(defs, name, v);
    }
}

fn insert_new(defs: &mut Map<String, Value>, name: String, v: Value) {
    if defs.insert(name.clone(), v).is_some() {
        panic!("definition {name} is defined twice");
    }
}

fn with_description(mut v: Value, lead: &str) -> Value {
    let d = match v["description"].as_str() {
        Some(d) => format!("{lead} {d}"),
        None => lead.to_string(),
    };
    v["description"] = json!(d);
    v
}

/// `AdminRequest`: the bodies of `POST …/admin` as `room::admin::parse_admin_request` reads them.
/// Each `ADMIN.*` Command becomes `<Name>Request` under its type without the namespace, and
/// `AdminRouteRequest` (the requests the route answers itself) is split like Command.
fn admin_requests(defs: &mut Map<String, Value>) {
    let commands: Vec<String> = match &defs["Command"]["oneOf"] {
        Value::Array(a) => a
            .iter()
            .filter_map(|r| r["$ref"].as_str())
            .map(|r| r.trim_start_matches("#/$defs/").to_string())
            .collect(),
        _ => panic!("Command is not a oneOf"),
    };
    let mut refs = Vec::new();
    for name in commands {
        let typ = variant_type(&defs[&name]);
        let Some(short) = typ.strip_prefix(ADMIN_NAMESPACE) else {
            continue;
        };
        let mut v = defs[&name].clone();
        v["properties"]["type"]["const"] = json!(short);
        let v = with_description(
            v,
            &format!("Admin request {short}: journaled as an ADMIN entry {typ}."),
        );
        refs.push(super::def_ref(&format!("{name}Request")));
        insert_new(defs, format!("{name}Request"), v);
    }
    let Some(Value::Object(mut route)) = defs.remove("AdminRouteRequest") else {
        panic!("no AdminRouteRequest definition");
    };
    let Some(Value::Array(variants)) = route.remove("oneOf") else {
        panic!("AdminRouteRequest is not a oneOf");
    };
    for v in variants {
        let typ = variant_type(&v);
        // INJECT_TIMELINE_EVENT is also a journaled command's type: the route's own is INJECT_PROMPT.
        let (name, lead) = match typ.as_str() {
            "INJECT_TIMELINE_EVENT" => (
                "AdminInjectPromptRequest".to_string(),
                format!("Admin request {typ} with the action INJECT_PROMPT:"),
            ),
            _ => (
                format!("Admin{}Request", pascal(&typ)),
                format!("Admin request {typ}: answered by the route, nothing journaled."),
            ),
        };
        let v = with_description(v, &lead);
        refs.push(super::def_ref(&name));
        insert_new(defs, name, v);
    }
    defs.insert(
        "AdminRequest".into(),
        json!({
            "description": "The body of `POST …/admin`: an ADMIN.* command under its type without the namespace, or a request the route answers itself.",
            "oneOf": refs,
        }),
    );
}

/// The `type` of every admin request, in the order of `AdminRequest`.
fn admin_types(defs: &Map<String, Value>) -> Vec<String> {
    match &defs["AdminRequest"]["oneOf"] {
        Value::Array(a) => a
            .iter()
            .filter_map(|r| r["$ref"].as_str())
            .map(|r| variant_type(&defs[r.trim_start_matches("#/$defs/")]))
            .collect(),
        _ => Vec::new(),
    }
}

/// `StateResponse`: the operator's `GET …/state`, a public `GameView` (`you` is null) with the
/// chain position of `Room::public_state` and the worker's `OperatorStatus` (whose `nextTasks`
/// replaces the projection's). Flattened into one closed object, as the body is.
fn state_response(defs: &mut Map<String, Value>) {
    let Some(status) = defs.remove("OperatorStatus") else {
        panic!("no OperatorStatus definition");
    };
    let mut s = defs["GameView"].clone();
    let Some(props) = s["properties"].as_object_mut() else {
        panic!("GameView has no properties");
    };
    props.insert(
        "you".into(),
        json!({ "type": "null", "description": "The operator is no player." }),
    );
    props.insert(
        "seq".into(),
        json!({ "type": "integer", "minimum": 0, "description": "The last journal entry's seq." }),
    );
    props.insert(
        "journalHead".into(),
        json!({ "$ref": "#/$defs/Hash", "description": "The hash of the last journal entry (the chain head)." }),
    );
    let Some(extra) = status["properties"].as_object() else {
        panic!("OperatorStatus has no properties");
    };
    for (k, v) in extra {
        props.insert(k.clone(), v.clone());
    }
    s["properties"]["nextTasks"]["maxItems"] = json!(OPERATOR_NEXT_TASKS);
    let mut required: Vec<Value> = s["required"].as_array().cloned().unwrap_or_default();
    for k in [json!("seq"), json!("journalHead")]
        .into_iter()
        .chain(status["required"].as_array().cloned().unwrap_or_default())
    {
        if !required.contains(&k) {
            required.push(k);
        }
    }
    s["required"] = Value::Array(required);
    s["description"] = json!("The operator's view (`GET …/state` with the bearer AUTH_SECRET): the public projection, the chain position, and the room's persistence status.");
    insert_new(defs, "StateResponse".into(), s);
}

/// `ServerMessage` becomes `ServerSync`, `ServerAck`, `ServerError`, `ServerTickerUpdate`,
/// `ServerTickerHistory`, `ServerPresence`, `ServerCheckpoint`.
fn split_server_messages(defs: &mut Map<String, Value>) {
    let Some(Value::Object(mut server)) = defs.remove("ServerMessage") else {
        panic!("no ServerMessage definition");
    };
    let Some(Value::Array(variants)) = server.remove("oneOf") else {
        panic!("ServerMessage is not a oneOf");
    };
    let mut refs = Vec::new();
    for v in variants {
        let name = match variant_type(&v).as_str() {
            "SYSTEM.SYNC" => "ServerSync",
            "SYSTEM.DELTA" => "ServerDelta",
            "ACK" => "ServerAck",
            "ERROR" => "ServerError",
            "TICKER.UPDATE" => "ServerTickerUpdate",
            "TICKER.HISTORY" => "ServerTickerHistory",
            "PRESENCE.UPDATE" => "ServerPresence",
            "CHECKPOINT" => "ServerCheckpoint",
            "PRESENCE.TYPING" => "ServerTyping",
            "PRESENCE.STOP_TYPING" => "ServerStopTyping",
            other => panic!("unexpected server message {other}"),
        };
        refs.push(super::def_ref(name));
        defs.insert(name.into(), v);
    }
    server.insert("oneOf".into(), Value::Array(refs));
    defs.insert("ServerMessage".into(), Value::Object(server));
}

/// `Entry` becomes `JournalEntry`: closed, `v` bounded by the versions this build reads, and the
/// JSON text columns described by their content.
fn journal_entry(defs: &mut Map<String, Value>) {
    let Some(mut e) = defs.remove("Entry") else {
        panic!("no Entry definition");
    };
    e["additionalProperties"] = json!(false);
    let v = &mut e["properties"]["v"];
    v["maximum"] = json!(ENTRY_VERSION);
    v["description"] = json!(format!(
        "Entry layout version as stored: {ENTRY_VERSION} for every entry this engine writes; absent for a version-0 row (docs/schema-evolution.md)."
    ));
    e["properties"]["payload"]["contentMediaType"] = json!("application/json");
    e["properties"]["payload"]["contentSchema"] = json!({
        "description": "The fields of the `type` input without `type` (see Command).",
        "type": "object",
    });
    e["properties"]["facts"]["contentMediaType"] = json!("application/json");
    e["properties"]["facts"]["contentSchema"] = json!({
        "type": "array",
        "items": super::def_ref("Fact"),
    });
    defs.insert("JournalEntry".into(), e);
}

/// Every definition `roots` refers to, directly or not (the roots included).
pub fn closure(defs: &Map<String, Value>, roots: &[&str]) -> BTreeSet<String> {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get("$ref") {
                    if let Some(name) = r.strip_prefix("#/$defs/") {
                        out.push(name.to_string());
                    }
                }
                o.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = roots.iter().map(|s| s.to_string()).collect();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let def = defs
            .get(&name)
            .unwrap_or_else(|| panic!("reference to an undefined schema {name}"));
        refs(def, &mut todo);
    }
    seen
}

fn document(
    defs: &Map<String, Value>,
    file: &str,
    root: &str,
    extra: &[&str],
    title: &str,
    description: &str,
) -> Document {
    let mut roots = vec![root];
    roots.extend_from_slice(extra);
    let own: Map<String, Value> = closure(defs, &roots)
        .into_iter()
        .map(|n| (n.clone(), defs[&n].clone()))
        .collect();
    Document {
        file: file.to_string(),
        root: root.to_string(),
        schema: json!({
            "$schema": super::DRAFT,
            "$id": super::id(file),
            "title": title,
            "description": description,
            "$ref": format!("#/$defs/{root}"),
            "$defs": own,
        }),
    }
}

/// Every file of `schemas/` but the TypeScript declarations, in a stable order.
pub fn documents() -> Vec<Document> {
    let defs = definitions();
    let mut docs = vec![
        document(&defs, "manifest.schema.json", "Manifest", &[], "GameManifest",
            "The manifest of `POST /parties/game-server/:gameId/init`: STATIC or DYNAMIC PECKING_ORDER, or BLITZ. The engine also checks what a schema cannot (cross-field rules, duplicate ids) and reports every problem as a FieldError."),
        document(&defs, "roster.schema.json", "Roster", &[], "Roster",
            "The players of an `/init` body, in join order: an array, or an object keyed by player id."),
        document(&defs, "init-body.schema.json", "InitBody", &[], "InitBody",
            "The body of `POST /parties/game-server/:gameId/init`."),
        document(&defs, "client-message.schema.json", "ClientMessage", &[], "ClientMessage",
            "Every WebSocket message a player may send. SYSTEM.*, ALARM.*, ADMIN.* and INTERNAL.* are refused with FORBIDDEN_TYPE."),
        document(&defs, "server-message.schema.json", "ServerMessage", &[], "ServerMessage",
            "Every WebSocket message the room sends to a player: SYSTEM.SYNC (the player's projection), SYSTEM.DELTA (what changed in it), ACK, ERROR, TICKER.UPDATE, TICKER.HISTORY, PRESENCE.UPDATE and CHECKPOINT."),
        document(&defs, "projection.schema.json", "Projection", &[], "Projection",
            "What one player may see of the game (the `state` of SYSTEM.SYNC)."),
        document(&defs, "journal-entry.schema.json", "JournalEntry", &[], "JournalEntry",
            "One journal entry: a D1 `journal` row, and one line of `GET …/journal` (docs/journal-format.md)."),
        document(&defs, "command.schema.json", "Command", &[], "Command",
            "Every input the engine journals, as `{type, ...payload}` (a row's `type` and `payload` together)."),
        document(&defs, "fact.schema.json", "Fact", &[], "Fact",
            "One fact the engine derived from an input (the items of a row's `facts`)."),
        document(&defs, "error-codes.schema.json", "ErrorCode", &["FieldErrorCode", "AdminErrorCode"], "ErrorCode",
            "Every stable error code: an ERROR frame's `code` (protocol errors, engine rejections, room errors); FieldErrorCode is the `code` of each field error (INVALID_MANIFEST, and INVALID_FIELDS of the admin route); AdminErrorCode, the `code` of a refused `POST …/admin` body."),
        document(&defs, "http-error.schema.json", "HttpError", &[], "HttpError",
            "The body of every refused HTTP request."),
        document(&defs, "admin-request.schema.json", "AdminRequest", &[], "AdminRequest",
            &format!("The body of `POST /parties/game-server/:gameId/admin` (bearer AUTH_SECRET), one of {}: an ADMIN.* command under its type without the namespace (journaled as an ADMIN entry), or a request the route answers itself. Refused bodies get an HttpError with an AdminErrorCode.", admin_types(&defs).join(", "))),
        document(&defs, "admin-response.schema.json", "AdminResponse", &[], "AdminResponse",
            "A 200 answer of `POST /parties/game-server/:gameId/admin`: `{seq, verdict, accepted}` for a journaled command (accepted or refused by the engine), `{tasks}` for LIST_TASKS, `{devFailD1}` for DEV_FAIL_D1."),
        document(&defs, "cleanup-response.schema.json", "CleanupResponse", &[], "CleanupResponse",
            "The 200 answer of `POST /parties/game-server/:gameId/cleanup` (bearer AUTH_SECRET): the room's storage was deleted after D1's journal was verified up to this head; a tombstone keeps it (docs/protocol.md, \"Lifecycle\")."),
        document(&defs, "scheduled-tasks-response.schema.json", "ScheduledTasksResponse", &[], "ScheduledTasksResponse",
            "The answer to `GET /parties/game-server/:gameId/scheduled-tasks` (bearer AUTH_SECRET; the prototype console's task list): the pending tasks in firing order (docs/protocol.md, \"`POST …/admin`\")."),
        document(&defs, "rooms-response.schema.json", "RoomsResponse", &[], "RoomsResponse",
            "The answer to `GET /parties/game-server?status=&limit=&offset=` (bearer AUTH_SECRET): one page of the rooms D1's `games` table holds, newest first (docs/protocol.md, \"Operator routes\")."),
        document(&defs, "verify-response.schema.json", "VerifyResponse", &[], "VerifyResponse",
            "The answer to `GET /parties/game-server/:gameId/verify` (bearer AUTH_SECRET): D1's journal of the game checked from seq 1, link by link and hash by hash; the first entry that does not verify when the chain is broken (docs/protocol.md, \"Operator routes\")."),
        document(&defs, "log-line.schema.json", "LogLine", &[], "LogLine",
            "One structured log line the Worker prints (console.log; console.error when `outcome` is `failed`) per notable room event; Workers Logs keeps them in the owner's account (docs/architecture.md, \"Logs\")."),
        document(&defs, "state-response.schema.json", "StateResponse", &[], "StateResponse",
            "The body of `GET /parties/game-server/:gameId/state` with the bearer AUTH_SECRET (the operator's view). With a player token the body is that player's Projection (projection.schema.json)."),
    ];
    let client: Vec<(String, String)> = match &defs["ClientMessage"]["oneOf"] {
        Value::Array(a) => a
            .iter()
            .filter_map(|r| r["$ref"].as_str())
            .map(|r| r.trim_start_matches("#/$defs/").to_string())
            .map(|name| (variant_type(&defs[&name]), name))
            .collect(),
        _ => Vec::new(),
    };
    for (typ, name) in client {
        docs.push(document(
            &defs,
            &format!("client/{typ}.schema.json"),
            &name,
            &[],
            &typ,
            &format!("The client message {typ}."),
        ));
    }
    docs
}

/// The TypeScript declarations (`schemas/pecking-order.d.ts`), from the same definitions.
pub fn typescript() -> String {
    super::ts::declarations(&definitions())
}
