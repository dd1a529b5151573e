//! The manifest's JSON Schema (feature `schema`): how the wire field types describe their rule,
//! schema-only types for the name lists a field takes, and the transforms that split the
//! manifest and the content pools into the variants `validate` and `content` tell apart.

use super::wire::*;
use super::{Kind, Mode, VoteType};
use crate::engine::dilemmas::DilemmaType;
use crate::engine::games::GameType;
use crate::engine::prompts::PromptType;
use crate::engine::timeline::Action;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::borrow::Cow;

impl<T: JsonSchema> JsonSchema for Name<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        format!("Name<{}>", T::schema_id()).into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        g.subschema_for::<T>()
    }
}

impl<const MIN: u64, const MAX: u64> JsonSchema for Bounded<MIN, MAX> {
    fn schema_name() -> Cow<'static, str> {
        format!("Bounded_{MIN}_{MAX}").into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "integer", "minimum": MIN, "maximum": MAX })
    }
}

impl<T: JsonSchema, const MIN: usize, const MAX: usize> JsonSchema for List<T, MIN, MAX> {
    fn schema_name() -> Cow<'static, str> {
        format!("List_{MIN}_{MAX}_{}", T::schema_name()).into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        let mut s = json_schema!({ "type": "array", "items": g.subschema_for::<T>() });
        if MIN > 0 {
            s.insert("minItems".into(), MIN.into());
        }
        s.insert("maxItems".into(), MAX.into());
        s
    }
}

impl<const MAX: usize> JsonSchema for Text<MAX> {
    fn schema_name() -> Cow<'static, str> {
        format!("Text_{MAX}").into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "pattern": "\\S", "maxLength": MAX })
    }
}

/// The wire name of an engine enum value (its serde name, as `Name::resolve` reads it).
fn wire_name<T: Serialize>(x: T) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}

/// Schema-only types naming the values a field takes: a subset of an engine enum (what this
/// engine version runs), or `NONE` and its values. `validate` checks the same lists.
macro_rules! names {
    ($(#[$doc:meta])* $ty:ident, $names:expr) => {
        $(#[$doc])*
        pub struct $ty;

        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                stringify!($ty).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let names: Vec<Value> = $names;
                json_schema!({ "type": "string", "enum": names })
            }
        }
    };
}

fn none_and<T: Serialize + Copy>(all: &[T]) -> Vec<Value> {
    std::iter::once(json!(NONE))
        .chain(all.iter().map(|x| wire_name(*x)))
        .collect()
}

names!(
    /// A vote type this engine version runs.
    VoteName,
    VoteType::ALL
        .iter()
        .filter(|v| v.is_supported())
        .map(|v| wire_name(*v))
        .collect()
);
names!(
    /// NONE, or a game this engine version runs.
    GameName,
    none_and(
        &GameType::ALL
            .iter()
            .copied()
            .filter(|g| g.is_supported())
            .collect::<Vec<_>>()
    )
);
names!(PromptOrNone, none_and(&PromptType::ALL));
names!(DilemmaOrNone, none_and(&DilemmaType::ALL));
names!(
    /// A timeline action a manifest may schedule (START_DAY is the engine's).
    ManifestAction,
    Action::MANIFEST_ACTIONS
        .iter()
        .map(|a| wire_name(*a))
        .collect()
);

/// An RFC 3339 timestamp.
pub struct Rfc3339;

impl JsonSchema for Rfc3339 {
    fn schema_name() -> Cow<'static, str> {
        "Rfc3339".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339, e.g. 2026-12-01T09:00:00Z",
        })
    }
}

/// A timeline event's payload: read only for START_ACTIVITY (the event's `then` refers to
/// `ActivityPayload`, defined here).
pub fn payload(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<ActivityPayloadWire>();
    json_schema!({})
}

/// One variant of a closed object: `title` and `description`, properties narrowed
/// (replaced), or absent (absent or null), more required.
struct Variant<'a> {
    title: Option<&'a str>,
    description: &'a str,
    narrow: Vec<(&'a str, Value)>,
    absent: &'a [&'a str],
    require: &'a [&'a str],
}

/// `schema` (a closed object) becomes a `oneOf` of its variants.
fn split(schema: &mut Schema, variants: Vec<Variant>) {
    let base = schema.as_object().cloned().unwrap_or_default();
    let description = base.get("description").cloned();
    let mut branches = Vec::new();
    for v in variants {
        let mut b: Map<String, Value> = base.clone();
        b.remove("title");
        if let Some(t) = v.title {
            b.insert("title".into(), json!(t));
        }
        b.insert("description".into(), json!(v.description));
        if let Some(Value::Object(props)) = b.get_mut("properties") {
            for k in v.absent {
                props.insert(k.to_string(), json!({ "type": "null" }));
            }
            for (k, s) in v.narrow {
                props.insert(k.to_string(), s);
            }
        }
        let mut required: Vec<Value> = match b.get("required") {
            Some(Value::Array(r)) => r.clone(),
            _ => Vec::new(),
        };
        required.extend(v.require.iter().map(|r| json!(r)));
        b.insert("required".into(), Value::Array(required));
        branches.push(Value::Object(b));
    }
    let mut out = Map::new();
    if let Some(d) = description {
        out.insert("description".into(), d);
    }
    out.insert("oneOf".into(), Value::Array(branches));
    *schema = Schema::from(out);
}

/// `{"enum": [x, null]}`: `x`, or absent / null (the default) .
fn or_default(x: Value, description: &str) -> Value {
    json!({ "enum": [x, null], "description": description })
}

/// The manifest by `mode` and `kind` (`validate::manifest` checks the same).
pub fn kinds(schema: &mut Schema) {
    let pecking_order = wire_name(Mode::PeckingOrder);
    let mut days = schema
        .get("properties")
        .and_then(|p| p.get("days"))
        .cloned()
        .unwrap_or(Value::Bool(true));
    days["type"] = json!("array");
    split(
        schema,
        vec![
            Variant {
                title: Some("StaticManifest"),
                description: "STATIC PECKING_ORDER: the manifest lists its days.",
                narrow: vec![
                    (
                        "mode",
                        or_default(pecking_order.clone(), "Default PECKING_ORDER."),
                    ),
                    (
                        "kind",
                        or_default(wire_name(Kind::Static), "Default STATIC."),
                    ),
                    ("days", days),
                ],
                absent: &["ruleset"],
                require: &["days"],
            },
            Variant {
                title: Some("DynamicManifest"),
                description: "DYNAMIC PECKING_ORDER: each day is resolved from the ruleset the morning it starts.",
                narrow: vec![
                    (
                        "mode",
                        or_default(pecking_order, "Default PECKING_ORDER."),
                    ),
                    ("kind", json!({ "const": wire_name(Kind::Dynamic) })),
                    (
                        "days",
                        json!({ "type": ["array", "null"], "maxItems": 0, "description": "Empty (the prototype lobby sends [])." }),
                    ),
                ],
                absent: &[],
                require: &["kind"],
            },
            Variant {
                title: Some("BlitzManifest"),
                description: "BLITZ: rounds of roundSeconds, generated.",
                narrow: vec![
                    ("mode", json!({ "const": wire_name(Mode::Blitz) })),
                    ("destinies", or_default(json!(false), "BLITZ has no destinies.")),
                ],
                absent: &["days", "ruleset"],
                require: &["mode"],
            },
        ],
    );
}

/// A content pool by `mode` (`content::pool` reads the same): no mode rotates `allowed`,
/// SEQUENCE follows `sequence`, POOL rotates `pool`, NONE has none. The lists the mode does
/// not read are refused.
pub fn pool_modes(schema: &mut Schema) {
    let list = |k: &str| {
        let mut l = schema
            .get("properties")
            .and_then(|p| p.get(k))
            .cloned()
            .unwrap_or(Value::Bool(true));
        l["type"] = json!("array");
        l
    };
    let (allowed, sequence, pool) = (list("allowed"), list("sequence"), list("pool"));
    let mode = |m: PoolMode| json!({ "const": wire_name(m) });
    split(
        schema,
        vec![
            Variant {
                title: None,
                description: "Rotate through allowed.",
                narrow: vec![("mode", json!({ "type": "null" })), ("allowed", allowed)],
                absent: &["sequence", "pool"],
                require: &["allowed"],
            },
            Variant {
                title: None,
                description: "Day N takes sequence[N-1] (the last once past the end).",
                narrow: vec![("mode", mode(PoolMode::Sequence)), ("sequence", sequence)],
                absent: &["allowed", "pool"],
                require: &["mode", "sequence"],
            },
            Variant {
                title: None,
                description: "Rotate through pool.",
                narrow: vec![("mode", mode(PoolMode::Pool)), ("pool", pool)],
                absent: &["allowed", "sequence"],
                require: &["mode", "pool"],
            },
            Variant {
                title: None,
                description: "No content.",
                narrow: vec![("mode", mode(PoolMode::None))],
                absent: &["allowed", "sequence", "pool"],
                require: &["mode"],
            },
        ],
    );
}
