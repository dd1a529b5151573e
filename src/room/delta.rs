//! SYSTEM.DELTA: what changed in one player's projection between two frames, as RFC 6902 JSON
//! Patch operations (docs/protocol.md, "Delta frames").
//!
//! Only `add`, `remove` and `replace` are emitted. The diff walks both documents: an object's
//! changed keys, an array element by element, anything else replaced whole. Arrays get one
//! shortcut the generic index-by-index diff lacks: a list that lost its first `k` elements and
//! gained some at its end (the day's chat once its cap drops the oldest, or any list that only
//! grew) becomes `k` removals of index 0 and appends at `-`, not a replacement of every shifted
//! element. Every `add`/`replace` value is copied from the new projection, so a delta can never
//! carry anything the full projection would not; removals carry no value.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One operation of a SYSTEM.DELTA (an RFC 6902 operation restricted to three kinds).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "op", rename_all = "lowercase", deny_unknown_fields)]
pub enum DeltaOp {
    /// Insert `value` at `path` (an object member, or before an array index; `-` appends).
    Add { path: String, value: Value },
    /// Remove what is at `path`.
    Remove { path: String },
    /// Replace what is at `path` (`""`: the whole document) with `value`.
    Replace { path: String, value: Value },
}

/// The operations that turn `old` into `new` (empty: they are equal).
pub fn diff(old: &Value, new: &Value) -> Vec<DeltaOp> {
    let mut ops = Vec::new();
    diff_at(old, new, &mut String::new(), &mut ops);
    ops
}

/// The wire size of `ops` (compact JSON), for figures and tests.
pub fn wire_len(ops: &[DeltaOp]) -> usize {
    serde_json::to_string(ops).map_or(0, |s| s.len())
}

fn diff_at(old: &Value, new: &Value, path: &mut String, ops: &mut Vec<DeltaOp>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => diff_object(a, b, path, ops),
        (Value::Array(a), Value::Array(b)) => diff_array(a, b, path, ops),
        _ if old == new => {}
        _ => ops.push(DeltaOp::Replace {
            path: path.clone(),
            value: new.clone(),
        }),
    }
}

/// `path` + `/token`, run with the longer path, then restored.
fn with_token<R>(path: &mut String, token: &str, f: impl FnOnce(&mut String) -> R) -> R {
    let len = path.len();
    path.push('/');
    // RFC 6901: `~` is `~0`, `/` is `~1`.
    for c in token.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
    let r = f(path);
    path.truncate(len);
    r
}

fn diff_object(
    a: &Map<String, Value>,
    b: &Map<String, Value>,
    path: &mut String,
    ops: &mut Vec<DeltaOp>,
) {
    for key in a.keys().filter(|k| !b.contains_key(*k)) {
        with_token(path, key, |p| ops.push(DeltaOp::Remove { path: p.clone() }));
    }
    for (key, nv) in b {
        with_token(path, key, |p| match a.get(key) {
            Some(ov) => diff_at(ov, nv, p, ops),
            None => ops.push(DeltaOp::Add {
                path: p.clone(),
                value: nv.clone(),
            }),
        });
    }
}

/// How many leading elements of `a` were dropped when `b` is the rest of `a` plus appended
/// elements (`None`: `b` is not such a list, or nothing was dropped and nothing appended).
fn shifted(a: &[Value], b: &[Value]) -> Option<usize> {
    // The kept part begins where `b` begins: the first element of `a` equal to `b[0]`, or all of
    // `a` dropped (then `b` is all appended).
    let k = match b.first() {
        Some(first) => a.iter().position(|x| x == first).unwrap_or(a.len()),
        None => a.len(),
    };
    let kept = a.len() - k;
    (b.len() >= kept && a[k..] == b[..kept] && (k > 0 || b.len() > a.len())).then_some(k)
}

fn diff_array(a: &[Value], b: &[Value], path: &mut String, ops: &mut Vec<DeltaOp>) {
    if let Some(k) = shifted(a, b) {
        // Dropping (almost) everything is no cheaper than one replacement.
        if k == 0 || k < a.len() {
            for _ in 0..k {
                with_token(path, "0", |p| ops.push(DeltaOp::Remove { path: p.clone() }));
            }
            for v in &b[a.len() - k..] {
                with_token(path, "-", |p| {
                    ops.push(DeltaOp::Add {
                        path: p.clone(),
                        value: v.clone(),
                    })
                });
            }
            return;
        }
    }
    let mut each = Vec::new();
    let common = a.len().min(b.len());
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        with_token(path, &i.to_string(), |p| diff_at(x, y, p, &mut each));
    }
    // Removed from the end, last first so each index still exists when removed.
    for i in (common..a.len()).rev() {
        with_token(path, &i.to_string(), |p| {
            each.push(DeltaOp::Remove { path: p.clone() })
        });
    }
    for v in &b[common..] {
        with_token(path, "-", |p| {
            each.push(DeltaOp::Add {
                path: p.clone(),
                value: v.clone(),
            })
        });
    }
    let whole = DeltaOp::Replace {
        path: path.clone(),
        value: Value::Array(b.to_vec()),
    };
    // Element-wise edits unless one replacement of the array is smaller (nothing lines up).
    if each.len() > 1 && wire_len(&each) > wire_len(std::slice::from_ref(&whole)) {
        ops.push(whole);
    } else {
        ops.extend(each);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// Applies `ops` with an independent RFC 6902 implementation (the `json-patch` crate).
    fn apply(doc: &Value, ops: &[DeltaOp]) -> Value {
        let patch: json_patch::Patch =
            serde_json::from_value(serde_json::to_value(ops).unwrap()).unwrap();
        let mut d = doc.clone();
        json_patch::patch(&mut d, &patch).unwrap();
        d
    }

    #[test]
    fn an_appended_chat_message_is_one_add() {
        let msg = |i: u32| json!({"id": i, "senderId": "p1", "content": format!("message {i}")});
        let old = json!({"chat": (0..300).map(msg).collect::<Vec<_>>(), "day": 1});
        let new = json!({"chat": (0..301).map(msg).collect::<Vec<_>>(), "day": 1});
        let ops = diff(&old, &new);
        assert_eq!(
            ops,
            vec![DeltaOp::Add {
                path: "/chat/-".into(),
                value: msg(300)
            }]
        );
        assert_eq!(apply(&old, &ops), new);
        // The cap dropped the two oldest as one arrived: two removals at 0 and one append.
        let capped = json!({"chat": (2..301).map(msg).collect::<Vec<_>>(), "day": 1});
        let ops = diff(&old, &capped);
        assert_eq!(ops.len(), 3, "{ops:?}");
        assert_eq!(apply(&old, &ops), capped);
    }

    #[test]
    fn changes_inside_elements_and_keys_are_local() {
        let p = |id: &str, silver: u32| json!({"id": id, "personaName": format!("Persona of {id}"), "silver": silver});
        let old = json!({"roster": [p("p1", 50), p("p2", 50), p("p3", 50)],
                         "a/b": {"~": 1}, "gone": true});
        let new = json!({"roster": [p("p1", 45), p("p2", 55), p("p3", 50)],
                         "a/b": {"~": 2}, "new": null});
        let ops = diff(&old, &new);
        assert_eq!(apply(&old, &ops), new);
        let paths: Vec<String> = serde_json::to_value(&ops)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["path"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            paths,
            [
                "/gone",
                "/a~1b/~0",
                "/new",
                "/roster/0/silver",
                "/roster/1/silver"
            ]
        );
        assert!(diff(&new, &new).is_empty());
        assert_eq!(
            diff(&json!({"a": 1}), &json!([1])),
            vec![DeltaOp::Replace {
                path: String::new(),
                value: json!([1])
            }]
        );
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (0i64..5).prop_map(Value::from),
            "[a-c~/]{0,2}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[a-c~/]{0,2}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Whatever the two documents, the operations are valid RFC 6902 that turn one into the
        /// other, and every value they carry is a part of the new document.
        #[test]
        fn the_diff_turns_old_into_new(old in value(), new in value()) {
            let ops = diff(&old, &new);
            prop_assert_eq!(apply(&old, &ops), new.clone());
            for op in &ops {
                if let DeltaOp::Add { value, .. } | DeltaOp::Replace { value, .. } = op {
                    prop_assert!(contains(&new, value), "{:?} is not in {:?}", value, new);
                }
            }
        }
    }

    /// Whether `part` is `doc` or a value inside it.
    fn contains(doc: &Value, part: &Value) -> bool {
        doc == part
            || match doc {
                Value::Array(a) => a.iter().any(|x| contains(x, part)),
                Value::Object(o) => o.values().any(|x| contains(x, part)),
                _ => false,
            }
    }
}
