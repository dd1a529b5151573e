//! Validating documents against the generated schemas (`pecking_order::schema`), for
//! `tests/it/schemas/` and `tests/it/docs_examples.rs`.
#![allow(dead_code)]

use pecking_order::schema::{self, Document};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn documents() -> &'static [Document] {
    static DOCS: OnceLock<Vec<Document>> = OnceLock::new();
    DOCS.get_or_init(schema::documents)
}

pub fn definitions() -> &'static Map<String, Value> {
    static DEFS: OnceLock<Map<String, Value>> = OnceLock::new();
    DEFS.get_or_init(schema::docs::definitions)
}

/// A validator for definition `name` of the shared namespace (formats checked).
pub fn validator(name: &str) -> &'static jsonschema::Validator {
    static CACHE: OnceLock<std::sync::Mutex<BTreeMap<String, &'static jsonschema::Validator>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut c = cache.lock().unwrap();
    if let Some(v) = c.get(name) {
        return v;
    }
    let defs = definitions();
    let own: Map<String, Value> = schema::docs::closure(defs, &[name])
        .into_iter()
        .map(|n| (n.clone(), defs[&n].clone()))
        .collect();
    let doc = json!({ "$schema": schema::DRAFT, "$ref": format!("#/$defs/{name}"), "$defs": own });
    let v = jsonschema::options()
        .should_validate_formats(true)
        .build(&doc)
        .unwrap_or_else(|e| panic!("schema {name} does not compile: {e}"));
    let v: &'static jsonschema::Validator = Box::leak(Box::new(v));
    c.insert(name.to_string(), v);
    v
}

/// Every validation error of `instance` against definition `name`, as `path: message`.
pub fn errors(name: &str, instance: &Value) -> Vec<String> {
    validator(name)
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

pub fn valid(name: &str, instance: &Value) -> bool {
    validator(name).is_valid(instance)
}

#[track_caller]
pub fn assert_valid(name: &str, instance: &Value) {
    let e = errors(name, instance);
    assert!(e.is_empty(), "not a valid {name}: {e:?}\n{instance}");
}
