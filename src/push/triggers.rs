//! Which pushes a journaled entry sends (docs/push.md, "Triggers"): a pure function of the
//! entry's facts and the room's state right after it. Never anything a recipient's projection
//! would not show them: a DM's text only to the conversation's members (and invitees, who can
//! read it), a whisper's text to nobody (its recipient is told it exists), no vote, stake or
//! decision at all. Each trigger can be switched off with the game's `pushConfig` (absent: on).

use crate::engine::fact::Fact;
use crate::engine::state::GameState;
use serde::{Deserialize, Serialize};

/// How long a push service keeps an undelivered push (seconds): one hour, the winner a day.
pub const EVENT_TTL_S: u32 = 3_600;
pub const WINNER_TTL_S: u32 = 86_400;
/// Longest body text (characters) taken from a message.
pub const MAX_SNIPPET_CHARS: usize = 100;

/// Every trigger name (the keys of `pushConfig`; the prototype's `PushTrigger`).
pub const TRIGGERS: &[&str] = &[
    "DM_SENT",
    "MENTION",
    "REPLY",
    "WHISPER",
    "NUDGE",
    "SILVER_RECEIVED",
    "ELIMINATION",
    "WINNER_DECLARED",
    "GROUP_CHAT_MSG",
    "DAY_START",
    "NIGHT_SUMMARY",
    "VOTING",
    "DAILY_GAME",
    "ACTIVITY",
    "DILEMMA",
    "OPEN_DMS",
    "CLOSE_DMS",
    "OPEN_GROUP_CHAT",
    "CLOSE_GROUP_CHAT",
    "END_GAME",
    "END_ACTIVITY",
    "END_DILEMMA",
    "CONFESSION_OPEN",
];

/// One push owed to one player.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushIntent {
    pub player_id: String,
    pub trigger: String,
    pub title: String,
    pub body: String,
    /// Replaces an earlier notification with the same tag on the device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    pub ttl_s: u32,
    /// The entry that owes it.
    pub seq: u64,
    pub at_ms: i64,
    /// Failed sends so far.
    #[serde(default)]
    pub attempts: u32,
}

/// What the device receives (the decrypted push: JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushMessage {
    pub title: String,
    pub body: String,
    pub trigger: String,
    pub game_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

impl PushIntent {
    pub fn message(&self, game_id: &str) -> PushMessage {
        PushMessage {
            title: self.title.clone(),
            body: self.body.clone(),
            trigger: self.trigger.clone(),
            game_id: game_id.to_string(),
            tag: self.tag.clone(),
        }
    }
}

/// Whether `trigger` is on in the game's push config (absent: on).
pub fn enabled(st: &GameState, trigger: &str) -> bool {
    st.push_config.get(trigger).copied().unwrap_or(true)
}

fn snippet(text: &str) -> String {
    let mut s: String = text.chars().take(MAX_SNIPPET_CHARS).collect();
    if text.chars().count() > MAX_SNIPPET_CHARS {
        s.push('…');
    }
    s
}

fn label<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s.replace('_', " "),
        _ => String::from("?"),
    }
}

struct Out<'a> {
    st: &'a GameState,
    seq: u64,
    at_ms: i64,
    intents: Vec<PushIntent>,
}

impl Out<'_> {
    fn name(&self, id: &str) -> String {
        self.st
            .players
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.persona_name.clone())
            .unwrap_or_else(|| {
                if id == "GAME_MASTER" || id.is_empty() {
                    "Game Master".into()
                } else {
                    id.to_string()
                }
            })
    }

    fn is_player(&self, id: &str) -> bool {
        self.st.players.iter().any(|p| p.id == id)
    }

    fn to(&mut self, player: &str, trigger: &str, title: String, body: String, ttl_s: u32) {
        if !self.is_player(player) || !enabled(self.st, trigger) {
            return;
        }
        self.intents.push(PushIntent {
            player_id: player.to_string(),
            trigger: trigger.to_string(),
            title,
            body,
            tag: None,
            ttl_s,
            seq: self.seq,
            at_ms: self.at_ms,
            attempts: 0,
        });
    }

    /// To every player of the roster except `except`.
    fn all(&mut self, trigger: &str, title: &str, body: &str, ttl_s: u32, except: &[&str]) {
        let ids: Vec<String> = self.st.players.iter().map(|p| p.id.clone()).collect();
        for id in ids.iter().filter(|id| !except.contains(&id.as_str())) {
            self.to(id, trigger, title.into(), body.into(), ttl_s);
        }
    }
}

/// The pushes one committed entry owes: `facts` are its facts, `st` the state right after it.
pub fn intents(facts: &[Fact], st: &GameState, seq: u64, at_ms: i64) -> Vec<PushIntent> {
    let mut out = Out {
        st,
        seq,
        at_ms,
        intents: Vec::new(),
    };
    let mut iter = facts.iter().peekable();
    while let Some(fact) = iter.next() {
        match fact {
            Fact::ChatMessage {
                channel_id,
                from,
                content,
                reply_to,
                mentioned_ids,
                ..
            } if channel_id == "MAIN" => {
                // One push per recipient: reply > mention > group chat (sender excluded).
                let sender = out.name(from);
                let body = snippet(content);
                let mut done: Vec<String> = vec![from.clone()];
                let author = reply_to.and_then(|r| {
                    st.chat
                        .iter()
                        .find(|m| m.id == r && m.whisper_to.is_none())
                        .map(|m| m.from.clone())
                });
                if let Some(author) = author.filter(|a| a != from) {
                    if enabled(st, "REPLY") {
                        out.to(
                            &author,
                            "REPLY",
                            format!("{sender} replied to you"),
                            body.clone(),
                            EVENT_TTL_S,
                        );
                        done.push(author);
                    }
                }
                if enabled(st, "MENTION") {
                    for m in mentioned_ids {
                        if !done.contains(m) {
                            out.to(
                                m,
                                "MENTION",
                                format!("{sender} mentioned you"),
                                body.clone(),
                                EVENT_TTL_S,
                            );
                            done.push(m.clone());
                        }
                    }
                }
                let except: Vec<&str> = done.iter().map(String::as_str).collect();
                out.all("GROUP_CHAT_MSG", &sender, &body, EVENT_TTL_S, &except);
            }
            Fact::DmSent {
                channel_id,
                message_id,
                from,
                ..
            } => {
                let Some(ch) = st.social.channels.iter().find(|c| &c.id == channel_id) else {
                    continue;
                };
                let sender = out.name(from);
                let body = ch
                    .messages
                    .iter()
                    .find(|m| m.id == *message_id)
                    .map(|m| snippet(&m.content))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| format!("{sender} sent you a message"));
                let readers: Vec<String> = ch
                    .members
                    .iter()
                    .chain(&ch.pending)
                    .filter(|m| *m != from)
                    .cloned()
                    .collect();
                for r in readers {
                    out.to(&r, "DM_SENT", sender.clone(), body.clone(), EVENT_TTL_S);
                }
            }
            Fact::GameMasterMessage { player_id, content } => out.to(
                player_id,
                "DM_SENT",
                "Game Master".into(),
                snippet(content),
                EVENT_TTL_S,
            ),
            Fact::Whisper { from, to, .. } => {
                let sender = out.name(from);
                out.to(
                    to,
                    "WHISPER",
                    format!("{sender} whispered to you"),
                    "Open the chat to read it.".into(),
                    EVENT_TTL_S,
                )
            }
            Fact::Nudge { from, to } => {
                let sender = out.name(from);
                out.to(
                    to,
                    "NUDGE",
                    format!("{sender} nudged you"),
                    "Someone wants your attention.".into(),
                    EVENT_TTL_S,
                )
            }
            // A transfer is a TRANSFER_OUT followed by its TRANSFER_IN.
            Fact::Silver {
                player_id: from,
                reason,
                ..
            } if reason == "TRANSFER_OUT" => {
                if let Some(Fact::Silver {
                    player_id: to,
                    delta,
                    reason,
                    ..
                }) = iter.peek()
                {
                    if reason == "TRANSFER_IN" {
                        let sender = out.name(from);
                        out.to(
                            to,
                            "SILVER_RECEIVED",
                            format!("{sender} sent you {delta} silver"),
                            "Spend it wisely.".into(),
                            EVENT_TTL_S,
                        );
                        iter.next();
                    }
                }
            }
            Fact::Silver {
                player_id,
                delta,
                reason,
                ..
            } if reason == "ADMIN_CREDIT" && *delta > 0 => out.to(
                player_id,
                "SILVER_RECEIVED",
                format!("The Game Master sent you {delta} silver"),
                "Spend it wisely.".into(),
                EVENT_TTL_S,
            ),
            Fact::Elimination { player_id, day, .. } => {
                let title = format!("{} is OUT", out.name(player_id));
                out.all(
                    "ELIMINATION",
                    &title,
                    &format!("Day {day}: the votes are in."),
                    EVENT_TTL_S,
                    &[],
                )
            }
            Fact::Winner { player_id, .. } => {
                let title = format!("{} wins!", out.name(player_id));
                out.all(
                    "WINNER_DECLARED",
                    &title,
                    "The game is over. See how it ended.",
                    WINNER_TTL_S,
                    &[],
                )
            }
            Fact::PhaseChanged { phase, day } => match phase.as_str() {
                "DAY" => out.all(
                    "DAY_START",
                    &format!("Day {day} has begun"),
                    "A new day in the pecking order.",
                    EVENT_TTL_S,
                    &[],
                ),
                "NIGHT" => out.all(
                    "NIGHT_SUMMARY",
                    &format!("Day {day} wrap"),
                    "Night has fallen. Recap inside.",
                    EVENT_TTL_S,
                    &[],
                ),
                _ => {}
            },
            Fact::GateChanged { gate, open } => {
                let (trigger, title, body) = match (gate.as_str(), open) {
                    ("DMS", true) => ("OPEN_DMS", "DMs are open", "Plot in private."),
                    ("DMS", false) => ("CLOSE_DMS", "DMs are locked", "Until tomorrow."),
                    (_, true) => ("OPEN_GROUP_CHAT", "The floor is open", "Make your case."),
                    (_, false) => ("CLOSE_GROUP_CHAT", "Main chat is closed", "Plays are in."),
                };
                out.all(trigger, title, body, EVENT_TTL_S, &[])
            }
            Fact::VotingOpened { mechanism, .. } => out.all(
                "VOTING",
                &format!("Vote · {}", label(mechanism)),
                "Cast yours.",
                EVENT_TTL_S,
                &[],
            ),
            Fact::GameStarted { game_type, .. } => out.all(
                "DAILY_GAME",
                &format!("{} is live", label(game_type)),
                "Show off, or get shown up.",
                EVENT_TTL_S,
                &[],
            ),
            Fact::GameResult { game_type, .. } => out.all(
                "END_GAME",
                &format!("{} · Recap", label(game_type)),
                "See who flexed, see who flopped.",
                EVENT_TTL_S,
                &[],
            ),
            Fact::ActivityStarted { prompt_type, .. } => out.all(
                "ACTIVITY",
                &format!("{} is live", label(prompt_type)),
                "Drop your answer for silver.",
                EVENT_TTL_S,
                &[],
            ),
            Fact::ActivityResult { prompt_type, .. } => out.all(
                "END_ACTIVITY",
                &format!("{} · Recap", label(prompt_type)),
                "Silver hit. See who got paid.",
                EVENT_TTL_S,
                &[],
            ),
            Fact::DilemmaStarted { dilemma_type, .. } => out.all(
                "DILEMMA",
                &format!("{} is live", label(dilemma_type)),
                "Choose carefully.",
                EVENT_TTL_S,
                &[],
            ),
            Fact::DilemmaResult { dilemma_type, .. } => out.all(
                "END_DILEMMA",
                &format!("{} · Recap", label(dilemma_type)),
                "Choices made. See the fallout.",
                EVENT_TTL_S,
                &[],
            ),
            Fact::ConfessionPhaseStarted { members, .. } => {
                for m in members {
                    out.to(
                        m,
                        "CONFESSION_OPEN",
                        "Confession booth · Open".into(),
                        "Spill in private. Just for you.".into(),
                        EVENT_TTL_S,
                    );
                }
            }
            _ => {}
        }
    }
    out.intents
}
