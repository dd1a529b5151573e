//! Client message schemas against the decoder (docs/protocol.md, "WebSocket").

use super::*;

// ---------------------------------------------------------------------------------------------
// Client messages: one schema per type; the schema and the decoder agree

/// A minimal instance of `schema` (first branch of a union, required fields only).
pub(super) fn sample(schema: &Value) -> Value {
    let defs = definitions();
    let o = match schema {
        Value::Object(o) => o,
        _ => return json!("x"),
    };
    if let Some(Value::String(r)) = o.get("$ref") {
        return sample(&defs[r.trim_start_matches("#/$defs/")]);
    }
    if let Some(c) = o.get("const") {
        return c.clone();
    }
    if let Some(Value::Array(e)) = o.get("enum") {
        return e[0].clone();
    }
    for k in ["oneOf", "anyOf"] {
        if let Some(Value::Array(b)) = o.get(k) {
            if !o.contains_key("properties") {
                return sample(&b[0]);
            }
            // An object whose branches say which fields it needs: the first branch's.
            let mut one = Value::Object(o.clone());
            one.as_object_mut().unwrap().remove(k);
            let mut req = one["required"].as_array().cloned().unwrap_or_default();
            req.extend(b[0]["required"].as_array().cloned().unwrap_or_default());
            one["required"] = Value::Array(req);
            return sample(&one);
        }
    }
    let t = match o.get("type") {
        Some(Value::Array(ts)) => ts.iter().find(|t| *t != "null").cloned().unwrap(),
        Some(t) => t.clone(),
        None => return json!("x"),
    };
    match t.as_str().unwrap() {
        "string" if o.get("pattern").and_then(Value::as_str) == Some("^[0-9a-fA-F]{64}$") => {
            json!("ab".repeat(32))
        }
        "string" if o.get("format").and_then(Value::as_str) == Some("date-time") => json!(START),
        "string" => json!("p2"),
        "integer" | "number" => json!(o.get("minimum").and_then(Value::as_i64).unwrap_or(1).max(1)),
        "boolean" => json!(true),
        "array" => {
            let n = o.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
            Value::Array((0..n).map(|_| sample(&o["items"])).collect())
        }
        "object" => {
            let mut out = serde_json::Map::new();
            if let (Some(Value::Array(req)), Some(Value::Object(props))) =
                (o.get("required"), o.get("properties"))
            {
                for r in req {
                    let k = r.as_str().unwrap();
                    out.insert(k.to_string(), sample(&props[k]));
                }
            }
            Value::Object(out)
        }
        _ => Value::Null,
    }
}

/// The field names a schema definition lists as required.
pub(super) fn required_fields(def: &Value) -> Vec<&str> {
    def["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect()
}

fn client_docs() -> Vec<&'static schema::Document> {
    documents()
        .iter()
        .filter(|d| d.file.starts_with("client/"))
        .collect()
}

#[test]
fn every_client_message_type_has_its_schema_and_the_decoder_agrees() {
    let docs = client_docs();
    assert!(
        docs.len() >= 40,
        "only {} client message schemas",
        docs.len()
    );
    for d in docs {
        let def = &definitions()[&d.root];
        let typ = def["properties"]["type"]["const"].as_str().unwrap();
        assert_eq!(d.file, format!("client/{typ}.schema.json"));
        // The minimal message, with and without a ref.
        let mut m = sample(def);
        if typ.starts_with("SYSTEM.") {
            // A control message (SYSTEM.RESYNC): answered by the host, never journaled.
            for msg in [m.clone(), with(&m, "ref", Some(json!("r-1")))] {
                assert_valid(&d.root, &msg);
                assert_valid("ClientMessage", &msg);
                let parsed = ControlMessage::parse(msg.to_string().as_bytes());
                assert!(parsed.is_some(), "{typ}: the decoder refuses {msg}");
                assert_eq!(
                    parsed.map(|p| serde_json::to_value(p).unwrap()["type"].clone()),
                    Some(json!(typ))
                );
            }
            m["colour"] = json!("red");
            assert!(!valid(&d.root, &m), "{typ}: schema takes an unknown field");
            assert!(ControlMessage::parse(m.to_string().as_bytes()).is_none());
            continue;
        }
        if typ.starts_with(pecking_order::room::protocol::SIGNAL_NAMESPACE) {
            // A typing signal: the host's own decoder (never a command).
            for msg in [m.clone(), with(&m, "ref", Some(json!("r-1")))] {
                assert_valid(&d.root, &msg);
                assert_valid("ClientMessage", &msg);
                let parsed =
                    pecking_order::room::protocol::parse_signal(msg.to_string().as_bytes());
                assert!(matches!(parsed, Some(Ok(_))), "{typ}: {parsed:?}");
            }
            m["colour"] = json!("red");
            assert!(!valid(&d.root, &m), "{typ}: schema takes an unknown field");
            let parsed = pecking_order::room::protocol::parse_signal(m.to_string().as_bytes());
            assert!(matches!(parsed, Some(Err(_))), "{typ}: {parsed:?}");
            continue;
        }
        for msg in [m.clone(), with(&m, "ref", Some(json!("r-1")))] {
            assert_valid(&d.root, &msg);
            assert_valid("ClientMessage", &msg);
            let parsed = parse_client_message(msg.to_string().as_bytes())
                .unwrap_or_else(|e| panic!("{typ}: the decoder refuses {msg}: {e:?}"));
            assert_eq!(parsed.command.to_type_and_payload().0, typ);
        }
        // An unknown field: refused by both, and the decoder names it.
        m["colour"] = json!("red");
        assert!(!valid(&d.root, &m), "{typ}: schema takes an unknown field");
        let (_, e) = parse_client_message(m.to_string().as_bytes()).unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            ("INVALID_FIELDS", Some("colour")),
            "{typ}"
        );
        m.as_object_mut().unwrap().remove("colour");
        // Each field: missing (when required) and of the wrong type.
        let props = def["properties"].as_object().unwrap();
        let required = required_fields(def);
        for (k, _) in props.iter().filter(|(k, _)| *k != "type" && *k != "ref") {
            if required.contains(&k.as_str()) {
                let missing = with(&m, k, None);
                assert!(
                    !valid(&d.root, &missing),
                    "{typ}: schema takes a message without {k}"
                );
                let (_, e) = parse_client_message(missing.to_string().as_bytes()).unwrap_err();
                assert_eq!(
                    (e.code(), e.path()),
                    ("INVALID_FIELDS", Some(k.as_str())),
                    "{typ} without {k}"
                );
            }
            let wrong = with(&m, k, Some(json!({ "nested": [true] })));
            assert!(
                !valid(&d.root, &wrong),
                "{typ}: schema takes an object as {k}"
            );
            let (_, e) = parse_client_message(wrong.to_string().as_bytes()).unwrap_err();
            assert_eq!(e.code(), "INVALID_FIELDS", "{typ}.{k}");
            assert!(
                e.path().is_some_and(|p| p.starts_with(k.as_str())),
                "{typ}.{k}: path {:?}",
                e.path()
            );
        }
    }
}

#[test]
fn every_input_type_is_in_the_schemas_and_only_client_types_are_client_messages() {
    let command_types: BTreeSet<String> = definitions()["Command"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let name = r["$ref"].as_str().unwrap().trim_start_matches("#/$defs/");
            definitions()[name]["properties"]["type"]["const"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    // Every client message but the control messages (SYSTEM.RESYNC) is an input.
    let client: BTreeSet<String> = client_docs()
        .iter()
        .map(|d| d.schema["title"].as_str().unwrap().to_string())
        .filter(|t| !t.starts_with("SYSTEM."))
        .collect();
    for t in &command_types {
        let name = schema::docs::pascal(t);
        let m = sample(&definitions()[&name]);
        assert_valid("Command", &m);
        // Decodes as an input (SYSTEM.INIT's sample manifest is not a real one: skip decoding it).
        if t != "SYSTEM.INIT" {
            if let Err(e) = serde_json::from_value::<Command>(m.clone()) {
                panic!("{m} does not decode: {e}");
            }
        }
        let by_client = parse_client_message(m.to_string().as_bytes());
        if client.contains(t) {
            assert!(by_client.is_ok(), "{t}: {by_client:?}");
        } else {
            assert_eq!(by_client.unwrap_err().1.code(), "FORBIDDEN_TYPE", "{t}");
            assert!(!valid("ClientMessage", &m), "{t} is not a client message");
        }
    }
    // Every client message is a command, except the typing signals (relayed, never journaled).
    let signals: BTreeSet<String> = ["PRESENCE.TYPING", "PRESENCE.STOP_TYPING"]
        .into_iter()
        .map(String::from)
        .collect();
    assert!(client
        .difference(&signals)
        .all(|t| command_types.contains(t)));
    assert!(signals.is_subset(&client));
}
