//! Every example in the docs is a valid document of its kind: the JSON code blocks and inline
//! `{...}` examples of README.md, docs/*.md and schemas/README.md, and the README's `curl -d`
//! bodies, are checked
//! against their schema (client or server message, input, admin request or response, operator
//! state, manifest, `/init` body, journal row, ruleset, HTTP error) and, where it reads them,
//! against the engine (which must accept them too).

use crate::schema_support;

use pecking_order::engine::manifest::parse_manifest;
use pecking_order::room::protocol::{parse_client_message, CLIENT_NAMESPACES};
use pecking_order::room::{parse_admin_request, Room};
use schema_support::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

struct Example {
    at: String,
    text: String,
}

fn doc_files() -> Vec<(String, String)> {
    let mut files = vec!["README.md".to_string(), "schemas/README.md".to_string()];
    let mut docs: Vec<String> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .flatten()
        .map(|e| format!("docs/{}", e.file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(root().join(&f)).unwrap();
            (f, text)
        })
        .collect()
}

/// Fenced ```json blocks, inline `{...}` spans, and `-d '...'` bodies of shell blocks.
fn examples() -> Vec<Example> {
    let mut out = Vec::new();
    for (file, text) in doc_files() {
        let mut fence: Option<(String, usize, String)> = None;
        for (n, line) in text.lines().enumerate() {
            let at = format!("{file}:{}", n + 1);
            if let Some((lang, start, body)) = &mut fence {
                if line.trim_start().starts_with("```") {
                    if lang == "json" {
                        out.push(Example {
                            at: format!("{file}:{start}"),
                            text: body.clone(),
                        });
                    }
                    fence = None;
                } else {
                    if lang == "sh" || lang == "bash" {
                        if let Some(i) = line.find("-d '") {
                            let rest = &line[i + 4..];
                            if let Some(j) = rest.rfind('\'') {
                                out.push(Example {
                                    at: at.clone(),
                                    text: rest[..j].to_string(),
                                });
                            }
                        }
                    }
                    body.push_str(line);
                    body.push('\n');
                }
                continue;
            }
            if let Some(lang) = line.trim_start().strip_prefix("```") {
                fence = Some((lang.trim().to_string(), n + 1, String::new()));
                continue;
            }
            // Inline code spans that hold a JSON object.
            let mut rest = line;
            while let Some(i) = rest.find("`{") {
                let tail = &rest[i + 1..];
                match tail.find("}`") {
                    Some(j) => {
                        out.push(Example {
                            at: at.clone(),
                            text: tail[..=j].to_string(),
                        });
                        rest = &tail[j + 2..];
                    }
                    None => break,
                }
            }
        }
    }
    out
}

/// Checks one example; returns its kind, or `None` for an inline span that is not a document
/// (e.g. a pattern like `{mode, base}`).
fn check(e: &Example) -> Option<&'static str> {
    let v: Value = match serde_json::from_str(&e.text) {
        Ok(v) => v,
        // A fragment of an object, e.g. `"ruleset": {...}`.
        Err(_) => match serde_json::from_str(&format!("{{{}}}", e.text)) {
            Ok(v) => v,
            Err(err) => {
                assert!(
                    !e.text.contains('\n'),
                    "{}: a json block that does not parse: {err}",
                    e.at
                );
                return None;
            }
        },
    };
    let o = v.as_object()?;
    let fail = |kind: &str, errs: Vec<String>| {
        panic!("{}: not a valid {kind}: {errs:?}\n{}", e.at, e.text)
    };
    if o.contains_key("game_id") && o.contains_key("hash") {
        let errs = errors("JournalEntry", &v);
        if !errs.is_empty() {
            fail("JournalEntry", errs);
        }
        return Some("journal row");
    }
    if o.contains_key("manifest") {
        let errs = errors("InitBody", &v);
        if !errs.is_empty() {
            fail("InitBody", errs);
        }
        if let Err(err) = Room::create("docs", e.text.as_bytes(), 0, [1; 32]) {
            panic!(
                "{}: the room refuses this /init body: {}",
                e.at,
                err.to_json()
            );
        }
        return Some("init body");
    }
    if o.contains_key("startTime") {
        let errs = errors("Manifest", &v);
        if !errs.is_empty() {
            fail("Manifest", errs);
        }
        assert!(
            parse_manifest(&v, "manifest").is_ok(),
            "{}: the engine refuses it",
            e.at
        );
        return Some("manifest");
    }
    if let Some(r) = o.get("ruleset").filter(|_| o.len() == 1) {
        let errs = errors("Ruleset", r);
        if !errs.is_empty() {
            fail("Ruleset", errs);
        }
        let m = json!({"kind": "DYNAMIC", "startTime": "2026-12-01T09:00:00Z", "ruleset": r});
        assert!(
            parse_manifest(&m, "manifest").is_ok(),
            "{}: the engine refuses it",
            e.at
        );
        return Some("ruleset");
    }
    if o.contains_key("outboxLag") {
        let errs = errors("StateResponse", &v);
        if !errs.is_empty() {
            fail("StateResponse", errs);
        }
        return Some("state response");
    }
    // The operator routes' answers (docs/protocol.md, "Operator routes").
    for (key, kind, name) in [
        ("nextOffset", "RoomsResponse", "rooms response"),
        ("entriesChecked", "VerifyResponse", "verify response"),
    ] {
        if o.contains_key(key) {
            let errs = errors(kind, &v);
            if !errs.is_empty() {
                fail(kind, errs);
            }
            return Some(name);
        }
    }
    if o.contains_key("verdict") || o.contains_key("tasks") || o.contains_key("devFailD1") {
        let errs = errors("AdminResponse", &v);
        if !errs.is_empty() {
            fail("AdminResponse", errs);
        }
        return Some("admin response");
    }
    if o.contains_key("error") {
        let errs = errors("HttpError", &v);
        if !errs.is_empty() {
            fail("HttpError", errs);
        }
        return Some("http error");
    }
    if let Some(t) = o.get("type").and_then(Value::as_str) {
        if [
            "SYSTEM.SYNC",
            "SYSTEM.DELTA",
            "ACK",
            "ERROR",
            "TICKER.UPDATE",
            "TICKER.HISTORY",
            "PRESENCE.UPDATE",
            "CHECKPOINT",
        ]
        .contains(&t)
            || (t.starts_with("PRESENCE.") && o.contains_key("playerId"))
        {
            let errs = errors("ServerMessage", &v);
            if !errs.is_empty() {
                fail("ServerMessage", errs);
            }
            return Some("server message");
        }
        if t == "SYSTEM.RESYNC" {
            let errs = errors("ClientMessage", &v);
            if !errs.is_empty() {
                fail("ClientMessage", errs);
            }
            assert!(
                pecking_order::room::protocol::ControlMessage::parse(e.text.as_bytes()).is_some(),
                "{}: the room refuses this control message",
                e.at
            );
            return Some("client message");
        }
        // A typing signal a client sends (relayed, never journaled).
        if t.starts_with(pecking_order::room::protocol::SIGNAL_NAMESPACE) {
            let errs = errors("ClientMessage", &v);
            if !errs.is_empty() {
                fail("ClientMessage", errs);
            }
            assert!(
                matches!(
                    pecking_order::room::protocol::parse_signal(e.text.as_bytes()),
                    Some(Ok(_))
                ),
                "{}: the room refuses this signal",
                e.at
            );
            return Some("client signal");
        }
        if CLIENT_NAMESPACES.iter().any(|ns| t.starts_with(ns)) {
            let errs = errors("ClientMessage", &v);
            if !errs.is_empty() {
                fail("ClientMessage", errs);
            }
            if let Err((_, err)) = parse_client_message(e.text.as_bytes()) {
                panic!("{}: the room refuses this client message: {err}", e.at);
            }
            return Some("client message");
        }
        // The admin route's bodies: an ADMIN.* command without its namespace, LIST_TASKS or
        // DEV_FAIL_D1 (docs/protocol.md).
        if !t.contains('.') {
            let errs = errors("AdminRequest", &v);
            if !errs.is_empty() {
                fail("AdminRequest", errs);
            }
            if let Err(err) = parse_admin_request(e.text.as_bytes()) {
                panic!("{}: the room refuses this admin body: {err}", e.at);
            }
            return Some("admin request");
        }
        let errs = errors("Command", &v);
        if !errs.is_empty() {
            fail("Command", errs);
        }
        return Some("input");
    }
    None
}

#[test]
fn every_example_in_the_docs_validates_against_its_schema() {
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut skipped = Vec::new();
    for e in examples() {
        match check(&e) {
            Some(k) => *kinds.entry(k).or_default() += 1,
            None => skipped.push(format!("{}: {}", e.at, e.text)),
        }
    }
    eprintln!("checked {kinds:?}; not documents: {skipped:#?}");
    // The extraction still finds what the docs hold.
    assert!(
        kinds.get("client message").copied().unwrap_or(0) >= 10,
        "{kinds:?}"
    );
    assert!(
        kinds.get("init body").copied().unwrap_or(0) >= 1,
        "{kinds:?}"
    );
    assert!(
        kinds.get("journal row").copied().unwrap_or(0) >= 2,
        "{kinds:?}"
    );
    assert!(kinds.get("ruleset").copied().unwrap_or(0) >= 1, "{kinds:?}");
    for k in ["rooms response", "verify response"] {
        assert!(kinds.get(k).copied().unwrap_or(0) >= 1, "{k}: {kinds:?}");
    }
    assert!(
        kinds.get("admin request").copied().unwrap_or(0) >= 2,
        "{kinds:?}"
    );
    assert!(
        kinds.get("admin response").copied().unwrap_or(0) >= 3,
        "{kinds:?}"
    );
    assert!(
        kinds.get("server message").copied().unwrap_or(0) >= 3,
        "{kinds:?}"
    );
}
