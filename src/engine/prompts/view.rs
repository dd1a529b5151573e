//! What one player may see of today's prompt: the question, who has answered (not what), their
//! own answers, the anonymous list during a second stage (texts only), and everything once the
//! results are out.

use super::{Activity, Answer, Second, Stage};
use crate::engine::state::GameState;
use serde_json::{json, Map, Value};

fn answer_json(a: &Answer) -> Value {
    match a {
        Answer::Target(t) => json!({ "targetId": t }),
        Answer::Option(i) => json!({ "optionIndex": i }),
        Answer::Text(t) => json!({ "text": t }),
    }
}

fn second_json(s: &Second) -> Value {
    match s {
        Second::Vote(i) => json!({ "confessionIndex": i }),
        Second::Guesses(g) => {
            let m: Map<String, Value> = g.iter().map(|(i, p)| (i.to_string(), json!(p))).collect();
            json!({ "guesses": m })
        }
    }
}

/// `activity` of a projection (`null` when there is none today).
pub(crate) fn project(st: &GameState, viewer: Option<&str>) -> Value {
    let Some(a) = st.prompts.current.as_ref() else {
        return Value::Null;
    };
    let me = viewer.filter(|v| a.eligible.iter().any(|e| e == v));
    let responded: Vec<&String> = a
        .eligible
        .iter()
        .filter(|p| a.answer_of(p).is_some())
        .collect();
    let mut v = json!({
        "day": a.day,
        "promptType": a.prompt_type,
        "promptText": a.text,
        "options": a.options,
        "promptId": a.prompt_id,
        "stage": a.stage,
        "eligible": a.eligible,
        "responded": responded,
    });
    if a.stage == Stage::Voting {
        v["entries"] = anonymous(a);
        let voted: Vec<&String> = a
            .eligible
            .iter()
            .filter(|p| a.second_of(p).is_some())
            .collect();
        v["voted"] = json!(voted);
    }
    if let Some(me) = me {
        v["myAnswer"] = a.answer_of(me).map_or(Value::Null, answer_json);
        v["mySecond"] = a.second_of(me).map_or(Value::Null, second_json);
        if a.stage != Stage::Collecting {
            v["myEntryIndex"] = json!(a.entry_of(me));
        }
    }
    if let Some(r) = &a.result {
        v["result"] =
            json!({ "timedOut": r.timed_out, "outcome": r.outcome, "rewards": r.rewards });
    }
    v
}

/// The anonymous list: texts by index, no authors.
fn anonymous(a: &Activity) -> Value {
    Value::Array(
        a.entries
            .iter()
            .enumerate()
            .map(|(i, (_, t))| json!({ "index": i, "text": t }))
            .collect(),
    )
}
