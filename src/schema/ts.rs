//! TypeScript declarations from the JSON Schema definitions: one `export type` per definition.
//!
//! Covers the part of JSON Schema the definitions use: `$ref`, `const`, `enum`, `type` (one or a
//! list), `properties` / `required` / `additionalProperties`, `items` / `prefixItems`, `oneOf` /
//! `anyOf` (unions; `anyOf` of `required`-only branches: one object per branch), `allOf`
//! (intersections). `if` / `then` / `else`, `not`, `pattern` and bounds have no TypeScript
//! counterpart and are left to the schemas.

use serde_json::{Map, Value};

const HEADER: &str = "// Generated from the JSON Schemas in this folder by `make schemas`
// (src/schema/ts.rs). Do not edit: tests/it/schemas/ fails when this file is not what the code
// generates, and type-checks it with tsc.
";

/// Every definition as `export type Name = …;`, sorted by name.
pub fn declarations(defs: &Map<String, Value>) -> String {
    let mut out = String::from(HEADER);
    for (name, schema) in defs {
        out.push('\n');
        out.push_str(&doc(schema, ""));
        out.push_str(&format!("export type {name} = {};\n", ty(schema, "")));
    }
    out.push_str(
        "\n/** The `type` of every client message. */\nexport type ClientMessageType = ClientMessage[\"type\"];\n",
    );
    out.push_str(
        "\n/** The `type` of every journal input. */\nexport type CommandType = Command[\"type\"];\n",
    );
    out.push_str("\n/** The `type` of every fact. */\nexport type FactType = Fact[\"type\"];\n");
    out.push_str(
        "\n/** The `type` of every admin request. */\nexport type AdminRequestType = AdminRequest[\"type\"];\n",
    );
    out
}

fn doc(schema: &Value, indent: &str) -> String {
    match schema.get("description").and_then(Value::as_str) {
        Some(d) => format!("{indent}/** {} */\n", d.replace("*/", "* /")),
        None => String::new(),
    }
}

fn literal(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "unknown".into())
}

fn union(parts: Vec<String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for p in parts {
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    match seen.len() {
        0 => "never".into(),
        1 => seen.remove(0),
        _ => seen
            .iter()
            .map(|p| paren(p))
            .collect::<Vec<_>>()
            .join(" | "),
    }
}

/// Parenthesizes a union or intersection used inside another one.
fn paren(t: &str) -> String {
    let top_level = {
        let mut depth = 0i32;
        let mut found = false;
        for c in t.chars() {
            match c {
                '{' | '(' | '[' | '<' => depth += 1,
                '}' | ')' | ']' | '>' => depth -= 1,
                '|' | '&' if depth == 0 => found = true,
                _ => {}
            }
        }
        found
    };
    if top_level {
        format!("({t})")
    } else {
        t.to_string()
    }
}

fn is_ident(k: &str) -> bool {
    let mut c = k.chars();
    matches!(c.next(), Some(f) if f.is_ascii_alphabetic() || f == '_' || f == '$')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_' || x == '$')
}

/// Whether `v` only adds `required` (a branch of an `anyOf` over which fields are present).
fn required_only(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|o| o.keys().all(|k| k == "required" || k == "description"))
}

fn ty(schema: &Value, indent: &str) -> String {
    let o = match schema {
        Value::Bool(true) => return "unknown".into(),
        Value::Bool(false) => return "never".into(),
        Value::Object(o) => o,
        _ => return "unknown".into(),
    };
    if let Some(Value::String(r)) = o.get("$ref") {
        let name = r.trim_start_matches("#/$defs/").to_string();
        return match o.get("allOf") {
            Some(_) => format!("{name} & {}", ty(&without(o, &["$ref"]), indent)),
            None => name,
        };
    }
    if let Some(c) = o.get("const") {
        return literal(c);
    }
    if let Some(Value::Array(e)) = o.get("enum") {
        return union(e.iter().map(literal).collect());
    }
    if let Some(Value::Array(all)) = o.get("allOf") {
        let mut parts: Vec<String> = all.iter().map(|s| paren(&ty(s, indent))).collect();
        let rest = without(o, &["allOf", "description"]);
        if rest.as_object().is_some_and(|r| !r.is_empty()) {
            parts.push(paren(&ty(&rest, indent)));
        }
        return parts.join(" & ");
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = o.get(key) {
            if branches.iter().all(required_only) && o.contains_key("properties") {
                // One object type per branch, with the branch's fields required.
                let base = without(o, &[key]);
                return union(
                    branches
                        .iter()
                        .map(|b| {
                            let mut with = base.clone();
                            let mut req: Vec<Value> =
                                base["required"].as_array().cloned().unwrap_or_default();
                            req.extend(b["required"].as_array().cloned().unwrap_or_default());
                            with["required"] = Value::Array(req);
                            ty(&with, indent)
                        })
                        .collect(),
                );
            }
            let rest = without(o, &[key, "description"]);
            let branches: Vec<String> = branches.iter().map(|b| ty(b, indent)).collect();
            if rest
                .as_object()
                .is_some_and(|r| r.contains_key("properties"))
            {
                return format!("{} & ({})", paren(&ty(&rest, indent)), union(branches));
            }
            return union(branches);
        }
    }
    match o.get("type") {
        Some(Value::Array(types)) => union(
            types
                .iter()
                .map(|t| {
                    let mut one = Value::Object(o.clone());
                    one["type"] = t.clone();
                    ty(&one, indent)
                })
                .collect(),
        ),
        Some(Value::String(t)) => match t.as_str() {
            "string" => "string".into(),
            "integer" | "number" => "number".into(),
            "boolean" => "boolean".into(),
            "null" => "null".into(),
            "array" => array(o, indent),
            "object" => object(o, indent),
            _ => "unknown".into(),
        },
        _ if o.contains_key("properties") => object(o, indent),
        _ => "unknown".into(),
    }
}

fn without(o: &Map<String, Value>, keys: &[&str]) -> Value {
    let mut c = o.clone();
    for k in keys {
        c.remove(*k);
    }
    Value::Object(c)
}

fn array(o: &Map<String, Value>, indent: &str) -> String {
    if let Some(Value::Array(tuple)) = o.get("prefixItems") {
        let items: Vec<String> = tuple.iter().map(|t| ty(t, indent)).collect();
        return format!("[{}]", items.join(", "));
    }
    match o.get("items") {
        Some(items) => format!("Array<{}>", ty(items, indent)),
        None => "unknown[]".into(),
    }
}

fn object(o: &Map<String, Value>, indent: &str) -> String {
    let props = o.get("properties").and_then(Value::as_object);
    let extra = o.get("additionalProperties");
    let Some(props) = props.filter(|p| !p.is_empty()) else {
        return match extra {
            Some(Value::Bool(false)) => "Record<string, never>".into(),
            Some(s @ Value::Object(_)) => format!("{{ [key: string]: {} }}", ty(s, indent)),
            _ => "{ [key: string]: unknown }".into(),
        };
    };
    let required: Vec<&str> = o
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let inner = format!("{indent}  ");
    let mut out = String::from("{\n");
    // `type` first, then the rest in name order.
    let mut keys: Vec<&String> = props.keys().collect();
    keys.sort_by_key(|k| (k.as_str() != "type", k.to_string()));
    for k in keys {
        let v = &props[k];
        out.push_str(&doc(v, &inner));
        let name = if is_ident(k) {
            k.clone()
        } else {
            literal(&Value::String(k.clone()))
        };
        let opt = if required.contains(&k.as_str()) {
            ""
        } else {
            "?"
        };
        out.push_str(&format!("{inner}{name}{opt}: {};\n", ty(v, &inner)));
    }
    if let Some(s @ Value::Object(_)) = extra {
        out.push_str(&format!("{inner}[key: string]: {};\n", ty(s, &inner)));
    }
    out.push_str(indent);
    out.push('}');
    out
}
