//! `schemas/`: the committed JSON Schemas and TypeScript declarations are what the code generates,
//! and the schemas agree with the engine: manifests, rosters and `/init` bodies it accepts and
//! refuses (at every bound), client frames and admin bodies it decodes and refuses, and everything
//! it writes (projections of scripted games, server frames, journal rows, facts, the operator's
//! state and the admin route's answers).
//!
//! After a change to a public type, regenerate on purpose and commit the result:
//!
//! ```text
//! make schemas        # = cargo test --test it -- --ignored schemas::regenerate
//! ```

use crate::common;
use crate::schema_support;

use common::{static_manifest, H};
use pecking_order::engine::command::PerkType;
use pecking_order::engine::dilemmas::GambitAction;
use pecking_order::engine::games::{GameType, KingsAction, SplitAction};
use pecking_order::engine::manifest::FieldErrorCode;
use pecking_order::engine::manifest::{parse_manifest, VoteType, MAX_DAYS, MAX_DM_CHARS};
use pecking_order::engine::prompts::{PromptType, WyrChoice};
use pecking_order::engine::roster::parse_roster;
use pecking_order::engine::{Command, Fact, Phase, Rejection};
use pecking_order::journal::{Entry, EntryKind, Verdict};
use pecking_order::room::admin::{
    operator_state, AdminResponse, DevFailD1Response, JournaledResponse, NextTask, OperatorStatus,
    TaskListResponse, ADMIN_NAMESPACE, OPERATOR_NEXT_TASKS,
};
use pecking_order::room::protocol::{
    parse_client_message, ControlMessage, ProtocolError, ServerMessage,
};
use pecking_order::room::session::SessionError;
use pecking_order::room::{parse_admin_request, AdminError, AdminRequest, Room, RoomError};
use pecking_order::schema;
use pecking_order::sim::{self, SimConfig};
use schema_support::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

mod admin;
mod manifests;
mod messages;
mod writes;

use manifests::{players, static_base, with, START};
use messages::{required_fields, sample};

const STALE: &str = "the committed schemas/ differ from what the code generates; run `make schemas` (cargo test --test it -- --ignored schemas::regenerate) and commit the result";

/// The one hand-written file under `schemas/`: the helper that applies a `SYSTEM.DELTA`
/// (type-checked with the declarations by `typescript.rs`, tested by the client's unit tests).
const HAND_WRITTEN: &str = "apply-delta.ts";

fn committed(file: &str) -> Option<String> {
    std::fs::read_to_string(root().join("schemas").join(file)).ok()
}

/// Every generated file: the schema documents and the declarations.
fn generated() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = documents()
        .iter()
        .map(|d| (d.file.clone(), d.text()))
        .collect();
    out.push(("pecking-order.d.ts".into(), schema::typescript()));
    out
}

/// Files under `schemas/` that the generator owns (everything but README.md and the hand-written
/// `apply-delta.ts`).
fn owned_files() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let dir = root().join("schemas");
    for sub in ["", "client"] {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if e.path().is_file() && name != "README.md" && name != HAND_WRITTEN {
                out.insert(if sub.is_empty() {
                    name
                } else {
                    format!("{sub}/{name}")
                });
            }
        }
    }
    out
}

#[test]
fn committed_schemas_are_what_the_code_generates() {
    let gen = generated();
    for (file, text) in &gen {
        match committed(file) {
            Some(c) => assert!(c == *text, "schemas/{file}: {STALE}"),
            None => panic!("schemas/{file} is missing: {STALE}"),
        }
    }
    let expected: BTreeSet<String> = gen.into_iter().map(|(f, _)| f).collect();
    let stray: Vec<_> = owned_files().difference(&expected).cloned().collect();
    assert!(
        stray.is_empty(),
        "files no longer generated: {stray:?}: {STALE}"
    );
}

/// Rewrites `schemas/` from the code. Run on purpose only (`make schemas`).
#[test]
#[ignore]
fn regenerate() {
    let dir = root().join("schemas");
    for f in owned_files() {
        std::fs::remove_file(dir.join(f)).unwrap();
    }
    for (file, text) in generated() {
        let path = dir.join(&file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

#[test]
fn every_document_is_a_valid_draft_2020_12_schema() {
    for d in documents() {
        if let Err(e) = jsonschema::meta::validate(&d.schema) {
            panic!("{}: {e}", d.file);
        }
        jsonschema::validator_for(&d.schema).unwrap_or_else(|e| panic!("{}: {e}", d.file));
    }
}

// ---------------------------------------------------------------------------------------------
// Error codes

fn enum_of(def: &str) -> Vec<String> {
    definitions()[def]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_schemas_list_every_error_code_of_every_enum() {
    let s = |v: Vec<&str>| v.into_iter().map(String::from).collect::<Vec<_>>();
    assert_eq!(enum_of("ProtocolErrorCode"), s(ProtocolError::all_codes()));
    assert_eq!(enum_of("RejectionCode"), s(Rejection::all_codes()));
    assert_eq!(enum_of("RoomErrorCode"), s(RoomError::all_codes()));
    assert_eq!(enum_of("AdminErrorCode"), s(AdminError::all_codes()));
    assert_eq!(
        enum_of("FieldErrorCode"),
        s(FieldErrorCode::ALL.iter().map(|c| c.as_str()).collect())
    );
    // Two variants share WRONG_STAGE; every other code is one variant's.
    assert_eq!(Rejection::CODES.len(), Rejection::all_codes().len() + 1);
    // An ERROR frame's code is one of them.
    for code in ["INVALID_FIELDS", "WRONG_PHASE", "DIVERGED"] {
        assert_valid("ErrorCode", &json!(code));
    }
    assert!(!valid("ErrorCode", &json!("NO_SUCH_CODE")));
}

#[test]
fn every_room_error_has_a_listed_code() {
    // An exhaustive match: a new variant fails to compile here until it is given an example.
    let examples = [
        RoomError::MalformedJson(String::new()),
        RoomError::TooLarge(1),
        RoomError::InvalidBody(String::new()),
        RoomError::InvalidManifest(pecking_order::engine::ManifestError { errors: vec![] }),
        RoomError::Rejected(Rejection::GameOver),
        RoomError::Snapshot(pecking_order::snapshot::SnapshotError::Decode(String::new())),
        RoomError::Chain {
            seq: 1,
            why: String::new(),
        },
        RoomError::Diverged {
            seq: 1,
            why: String::new(),
        },
    ];
    for e in &examples {
        match e {
            RoomError::MalformedJson(_)
            | RoomError::TooLarge(_)
            | RoomError::InvalidBody(_)
            | RoomError::InvalidManifest(_)
            | RoomError::Rejected(_)
            | RoomError::Snapshot(_)
            | RoomError::Chain { .. }
            | RoomError::Diverged { .. } => {}
        }
        assert_valid("ErrorCode", &json!(e.code()));
    }
}
