//! Which push notifications a game sends, by trigger (`DM_SENT`, `ELIMINATION`…): the manifest's
//! `pushConfig` at SYSTEM.INIT, patched by `ADMIN.UPDATE_PUSH_CONFIG {pushConfig}` (the prototype
//! console's; docs/protocol.md). An absent trigger is on. Kept in the state for the pushes.

use super::error::Rejection;
use super::fact::Fact;
use super::state::{Ctx, GameState};
use serde_json::Value;
use std::collections::BTreeMap;

/// Most triggers a config may name.
pub const MAX_TRIGGERS: usize = 64;
/// Longest trigger name.
pub const MAX_TRIGGER_CHARS: usize = 40;

fn valid_trigger(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= MAX_TRIGGER_CHARS
        && t.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
}

/// The manifest's `pushConfig` (already decoded as `{string: bool}` by the manifest's wire type).
pub(crate) fn from_manifest(manifest: &Value) -> BTreeMap<String, bool> {
    manifest
        .get("pushConfig")
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_bool()?)))
                .collect()
        })
        .unwrap_or_default()
}

/// `ADMIN.UPDATE_PUSH_CONFIG {pushConfig}`: each named trigger set on or off.
pub(crate) fn update(
    st: &mut GameState,
    patch: &BTreeMap<String, bool>,
    ctx: &mut Ctx<'_>,
) -> Result<(), Rejection> {
    if let Some(bad) = patch.keys().find(|k| !valid_trigger(k)) {
        return Err(Rejection::InvalidPushConfig(format!(
            "{bad:?} is not a trigger name (A-Z and _, at most {MAX_TRIGGER_CHARS})"
        )));
    }
    let mut next = st.push_config.clone();
    next.extend(patch.iter().map(|(k, v)| (k.clone(), *v)));
    if next.len() > MAX_TRIGGERS {
        return Err(Rejection::InvalidPushConfig(format!(
            "at most {MAX_TRIGGERS} triggers"
        )));
    }
    st.push_config = next;
    ctx.facts.push(Fact::PushConfigUpdated {
        push_config: patch.clone(),
    });
    Ok(())
}
