//! What a bot does next: a pure function of its SYNC projection, the time, its seed and the keys
//! of the moves it already made. Every choice is drawn from a ChaCha stream keyed by
//! `(seed, player, decision key)`, so the same seed makes the same choices whatever the timing of
//! the frames: a run reproduces (docs/client.md "Bots").
//!
//! The moves follow the rules as documented: docs/rules.md (chat, DMs, whispers, reactions,
//! nudges, transfers, perks), docs/voting.md (the verbs of each mechanism and stage),
//! docs/content.md (prompts, dilemmas, the confession booth), docs/games.md (every game), and
//! docs/destinies.md (the DETECTIVE's accusation). The bot only offers what its projection says is
//! open to it; the server still decides.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// One move: a key (never made twice) and the client frame to send (without `ref`).
#[derive(Clone, Debug, PartialEq)]
pub struct Move {
    pub key: String,
    pub msg: Value,
}

/// A bot's identity and memory.
#[derive(Clone, Debug)]
pub struct Policy {
    pub player: String,
    pub seed: u64,
    /// Keys of the moves already sent (accepted or refused): never sent again.
    pub done: BTreeSet<String>,
    /// How many seconds an arcade "run" lasts before the bot reports its score.
    pub arcade_play_ms: i64,
}

const LINES: [&str; 12] = [
    "Morning, flock.",
    "Who is voting for whom tonight?",
    "I trust nobody. Nothing personal.",
    "Silver talks, I listen.",
    "Keep your friends close and your silver closer.",
    "That last vote was brutal.",
    "Anyone want to team up?",
    "I have a feeling about this round.",
    "Watching the leaderboard like a hawk.",
    "Not me, I swear.",
    "Let's keep it civil, birds.",
    "Pecking order, indeed.",
];

const SECRETS: [&str; 6] = [
    "I once voted for myself by accident.",
    "I hoard silver when nobody is looking.",
    "I have never trusted a pigeon.",
    "I cried at the last elimination.",
    "I pretend to be bad at trivia.",
    "I whispered to the wrong player once.",
];

/// Score fields of the arcade games with a plausible value each, within the bounds of
/// docs/games.md §3 and its cross-field rules (the engine's table is private to it).
fn arcade_scores(game: &str, rng: &mut ChaCha8Rng) -> Value {
    let mut r = |lo: u64, hi: u64| rng.gen_range(lo..=hi);
    match game {
        "GAP_RUN" => json!({ "distance": r(300, 2500) }),
        "GRID_PUSH" => json!({ "bankedTotal": r(10, 80) }),
        "SEQUENCE" => json!({ "correctRounds": r(1, 8) }),
        "SIMON_SAYS" => json!({ "roundsCompleted": r(1, 8) }),
        "REACTION_TIME" => json!({ "avgReactionMs": r(220, 600), "roundsCompleted": 5 }),
        "COLOR_MATCH" => json!({ "correctAnswers": r(3, 20) }),
        "STACKER" => {
            let h = r(3, 20);
            json!({ "height": h, "perfectLayers": r(0, h) })
        }
        "QUICK_MATH" => {
            let c = r(3, 20);
            json!({ "correctAnswers": c, "streak": r(0, c) })
        }
        "AIM_TRAINER" => json!({ "score": r(50, 400) }),
        "SHOCKWAVE" => json!({ "wavesCleared": r(2, 20), "nearMisses": r(0, 30) }),
        "ORBIT" => {
            let t = r(2, 20);
            json!({ "transfers": t, "perfectCaptures": r(0, t) })
        }
        "BEAT_DROP" => json!({ "score": r(500, 6000), "accuracyPct": r(40, 100) }),
        "INFLATE" => json!({ "score": r(200, 3000), "perfectBanks": r(0, 6) }),
        "SNAKE" => json!({ "score": r(4, 60), "finalLength": r(3, 30) }),
        "FLAPPY" => json!({ "score": r(1, 30), "coinsCollected": r(0, 20) }),
        "COLOR_SORT" => json!({ "score": r(20, 300), "solved": r(0, 1) }),
        "BLINK" => json!({ "score": r(10, 200) }),
        "RECALL" => json!({ "tiles": r(5, 40), "highestSize": r(3, 5), "fullClear": 0 }),
        _ => json!({}),
    }
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn has(v: &Value, id: &str) -> bool {
    v.as_array()
        .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(id)))
}

/// What the bot reads from a projection, once per decision.
struct View<'a> {
    v: &'a Value,
    me: &'a str,
    day: u64,
    alive: bool,
    silver: u64,
    /// Other alive players, roster order.
    others: Vec<String>,
}

impl<'a> View<'a> {
    fn new(v: &'a Value, me: &'a str) -> Option<View<'a>> {
        let roster = v["roster"].as_array()?;
        let mine = roster.iter().find(|p| p["id"].as_str() == Some(me))?;
        Some(View {
            v,
            me,
            day: v["day"].as_u64().unwrap_or(0),
            alive: mine["alive"].as_bool().unwrap_or(false),
            silver: mine["silver"].as_u64().unwrap_or(0),
            others: roster
                .iter()
                .filter(|p| p["alive"].as_bool() == Some(true) && p["id"].as_str() != Some(me))
                .filter_map(|p| p["id"].as_str().map(String::from))
                .collect(),
        })
    }
}

impl Policy {
    pub fn new(player: &str, seed: u64) -> Policy {
        Policy {
            player: player.to_string(),
            seed,
            done: BTreeSet::new(),
            arcade_play_ms: 3_000,
        }
    }

    /// The stream of one decision: the same `(seed, player, key)` always draws the same.
    pub fn rng(&self, key: &str) -> ChaCha8Rng {
        let mut h = blake3::Hasher::new();
        h.update(b"po-bot\n");
        h.update(&self.seed.to_le_bytes());
        h.update(self.player.as_bytes());
        h.update(b"\n");
        h.update(key.as_bytes());
        ChaCha8Rng::from_seed(*h.finalize().as_bytes())
    }

    /// True with probability `p` for this decision (fixed per key).
    fn chance(&self, key: &str, p: f64) -> bool {
        self.rng(&format!("{key}#chance"))
            .gen_bool(p.clamp(0.0, 1.0))
    }

    fn pick(&self, key: &str, from: &[String]) -> Option<String> {
        from.choose(&mut self.rng(key)).cloned()
    }

    fn fresh(&self, key: &str) -> bool {
        !self.done.contains(key)
    }

    fn mv(&self, key: String, msg: Value) -> Option<Move> {
        self.fresh(&key).then_some(Move { key, msg })
    }

    /// The bot's next move for this projection at `now_ms`, or None (nothing to do now).
    pub fn next(&self, v: &Value, now_ms: i64) -> Option<Move> {
        let view = View::new(v, &self.player)?;
        if v["phase"] == "GAME_SUMMARY" {
            let key = "chat-summary".to_string();
            return self.mv(
                key,
                json!({ "type": "SOCIAL.SEND_MSG", "content": "gg, flock" }),
            );
        }
        if v["phase"] != "DAY" {
            return None;
        }
        // The jury votes in FINALS while eliminated; nothing else is open to the eliminated.
        if !view.alive {
            return self.vote(&view);
        }
        self.game(&view, now_ms)
            .or_else(|| self.vote(&view))
            .or_else(|| self.activity(&view))
            .or_else(|| self.dilemma(&view))
            .or_else(|| self.confession(&view))
            .or_else(|| self.invitations(&view))
            .or_else(|| self.destiny(&view))
            .or_else(|| self.social(&view))
    }

    /// docs/voting.md: the verbs of today's mechanism in the ballot's current stage.
    fn vote(&self, w: &View) -> Option<Move> {
        let vt = &w.v["voting"];
        let mech = vt["mechanism"].as_str()?;
        let me = w.me;
        let targets = strs(&vt["targets"]);
        let immune = strs(&vt["immune"]);
        let not_me: Vec<String> = targets.iter().filter(|t| *t != me).cloned().collect();
        let day = w.day;
        match vt["stage"].as_str()? {
            "VOTE" if has(&vt["voters"], me) => {
                let verbs: &[(&str, bool, &str)] = match mech {
                    "TRUST_PAIRS" => &[("TRUST", false, "myPick"), ("ELIMINATE", true, "myVote")],
                    "SHIELD" => &[("SAVE", true, "myVote")],
                    "EXECUTIONER" => &[("ELECT", true, "myVote")],
                    "DUELS" => &[("CAST", false, "myVote")],
                    "SECOND_TO_LAST" => &[],
                    _ => &[("CAST", true, "myVote")],
                };
                verbs.iter().find_map(|(verb, self_ok, mine)| {
                    if !vt[*mine].is_null() {
                        return None;
                    }
                    let key = format!("vote-d{day}-{mech}-{verb}");
                    // Prefer someone else; name oneself only when allowed and nobody else is.
                    let pool = if not_me.is_empty() && *self_ok {
                        &targets
                    } else {
                        &not_me
                    };
                    let t = self.pick(&key, pool)?;
                    self.mv(
                        key,
                        json!({ "type": format!("VOTE.{mech}.{verb}"), "targetId": t }),
                    )
                })
            }
            "PICK" if vt["executioner"].as_str() == Some(me) && vt["myPick"].is_null() => {
                let open: Vec<String> = not_me
                    .iter()
                    .filter(|t| !immune.contains(t))
                    .cloned()
                    .collect();
                let key = format!("vote-d{day}-EXECUTIONER-PICK");
                let t = self.pick(&key, if open.is_empty() { &not_me } else { &open })?;
                self.mv(
                    key,
                    json!({ "type": "VOTE.EXECUTIONER.PICK", "targetId": t }),
                )
            }
            "DUEL" if has(&vt["duelists"], me) && vt["myStake"].is_null() => {
                let key = format!("vote-d{day}-DUELS-DUEL");
                let stake = self.rng(&key).gen_range(0..=w.silver.min(20));
                self.mv(key, json!({ "type": "VOTE.DUELS.DUEL", "stake": stake }))
            }
            _ => None,
        }
    }

    /// docs/content.md §2: the day's prompt, both stages.
    fn activity(&self, w: &View) -> Option<Move> {
        let a = &w.v["activity"];
        let kind = a["promptType"].as_str()?;
        if !has(&a["eligible"], w.me) {
            return None;
        }
        let day = w.day;
        match a["stage"].as_str()? {
            "COLLECTING" if !has(&a["responded"], w.me) => {
                let key = format!("activity-d{day}-answer");
                let mut rng = self.rng(&key);
                let msg = match kind {
                    "PLAYER_PICK" | "PREDICTION" => {
                        json!({ "type": "ACTIVITY.PROMPT.SUBMIT", "targetId": self.pick(&key, &w.others)? })
                    }
                    "WOULD_YOU_RATHER" => json!({
                        "type": "ACTIVITY.WYR.CHOOSE",
                        "choice": if rng.gen_bool(0.5) { "A" } else { "B" },
                    }),
                    "HOT_TAKE" => {
                        let n = a["options"].as_array().map_or(0, Vec::len).max(1);
                        json!({ "type": "ACTIVITY.HOTTAKE.RESPOND", "optionIndex": rng.gen_range(0..n) })
                    }
                    "CONFESSION" => json!({
                        "type": "ACTIVITY.CONFESSION.SUBMIT",
                        "text": SECRETS.choose(&mut rng).copied().unwrap_or("…"),
                    }),
                    "GUESS_WHO" => json!({
                        "type": "ACTIVITY.GUESSWHO.ANSWER",
                        "text": LINES.choose(&mut rng).copied().unwrap_or("…"),
                    }),
                    _ => return None,
                };
                self.mv(key, msg)
            }
            "VOTING" if !has(&a["voted"], w.me) => {
                let key = format!("activity-d{day}-vote");
                let mine = a["myEntryIndex"].as_u64();
                let entries: Vec<u64> = a["entries"]
                    .as_array()?
                    .iter()
                    .filter_map(|e| e["index"].as_u64())
                    .filter(|i| Some(*i) != mine)
                    .collect();
                let mut rng = self.rng(&key);
                let msg = if kind == "CONFESSION" {
                    json!({ "type": "ACTIVITY.CONFESSION.VOTE", "confessionIndex": *entries.choose(&mut rng)? })
                } else {
                    let candidates: Vec<String> = strs(&a["eligible"])
                        .into_iter()
                        .filter(|p| p != w.me)
                        .collect();
                    let guesses: serde_json::Map<String, Value> = entries
                        .iter()
                        .filter_map(|i| {
                            candidates
                                .choose(&mut rng)
                                .map(|p| (i.to_string(), json!(p)))
                        })
                        .collect();
                    if guesses.is_empty() {
                        return None;
                    }
                    json!({ "type": "ACTIVITY.GUESSWHO.GUESS", "guesses": guesses })
                };
                self.mv(key, msg)
            }
            _ => None,
        }
    }

    /// docs/content.md §3: the day's dilemma.
    fn dilemma(&self, w: &View) -> Option<Move> {
        let d = &w.v["dilemma"];
        let kind = d["dilemmaType"].as_str()?;
        if d["phase"] != "COLLECTING" || !has(&d["eligible"], w.me) || has(&d["submitted"], w.me) {
            return None;
        }
        let key = format!("dilemma-d{}", w.day);
        let msg = match kind {
            "SILVER_GAMBIT" => {
                let donate = w.silver >= 5 && self.chance(&key, 0.7);
                json!({ "type": "DILEMMA.SILVER_GAMBIT.SUBMIT", "action": if donate { "DONATE" } else { "KEEP" } })
            }
            "SPOTLIGHT" | "GIFT_OR_GRIEF" => json!({
                "type": format!("DILEMMA.{kind}.SUBMIT"),
                "targetId": self.pick(&key, &w.others)?,
            }),
            _ => return None,
        };
        self.mv(key, msg)
    }

    /// docs/content.md §4: one anonymous post in the confession booth.
    fn confession(&self, w: &View) -> Option<Move> {
        let c = &w.v["confession"];
        let channel = c["channelId"].as_str()?;
        if c["myHandle"].is_null() {
            return None;
        }
        let key = format!("booth-d{}", w.day);
        let text = SECRETS.choose(&mut self.rng(&key)).copied().unwrap_or("…");
        self.mv(
            key,
            json!({ "type": "CONFESSION.POST", "channelId": channel, "text": text }),
        )
    }

    /// docs/rules.md §4.3: answer DM invitations.
    fn invitations(&self, w: &View) -> Option<Move> {
        w.v["dms"].as_array()?.iter().find_map(|c| {
            let id = c["channelId"].as_str()?;
            if c["status"] != "INVITED" {
                return None;
            }
            let key = format!("invite-{id}");
            let accept = self.chance(&key, 0.7);
            self.mv(
                key,
                json!({ "type": if accept { "SOCIAL.ACCEPT_DM" } else { "SOCIAL.DECLINE_DM" }, "channelId": id }),
            )
        })
    }

    /// docs/destinies.md: a DETECTIVE accuses someone on some days.
    fn destiny(&self, w: &View) -> Option<Move> {
        let detective = w.v["destinies"].as_array()?.iter().any(|d| {
            d["playerId"].as_str() == Some(w.me)
                && d["destiny"] == "DETECTIVE"
                && d["status"] == "PENDING"
        });
        let key = format!("accuse-d{}", w.day);
        if !detective || !self.chance(&key, 0.5) {
            return None;
        }
        let t = self.pick(&key, &w.others)?;
        self.mv(key, json!({ "type": "DESTINY.ACCUSE", "targetId": t }))
    }

    /// docs/rules.md: chat, reactions, DMs, whispers, transfers, nudges and perks, each at most a
    /// few times a day and each with a fixed chance per bot and day.
    fn social(&self, w: &View) -> Option<Move> {
        let day = w.day;
        let v = w.v;
        let mut moves: Vec<Move> = Vec::new();
        if v["groupChatOpen"] == true {
            for n in 0..2 {
                let key = format!("chat-d{day}-{n}");
                if self.chance(&key, 0.6) {
                    let text = LINES.choose(&mut self.rng(&key)).copied().unwrap_or("hi");
                    moves.extend(
                        self.mv(key, json!({ "type": "SOCIAL.SEND_MSG", "content": text })),
                    );
                }
            }
        }
        // MAIN messages only: a reaction without `channelId` is on MAIN (ids are per channel).
        let visible: Vec<u64> = v["chat"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|m| m["content"].is_string() && m["from"].as_str() != Some(w.me))
                    .filter_map(|m| m["id"].as_u64())
                    .collect()
            })
            .unwrap_or_default();
        for n in 0..2 {
            let key = format!("react-d{day}-{n}");
            if !visible.is_empty() && self.chance(&key, 0.5) {
                let mut rng = self.rng(&key);
                let id = visible.choose(&mut rng).copied().unwrap_or(0);
                let emoji = ["😂", "👀", "🔥", "💀", "❤️"]
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or("🔥");
                moves.extend(self.mv(
                    key,
                    json!({ "type": "SOCIAL.REACT", "messageId": id, "emoji": emoji }),
                ));
            }
        }
        if v["dmsOpen"] == true {
            let key = format!("dm-d{day}");
            if self.chance(&key, 0.6) {
                if let Some(t) = self.pick(&key, &w.others) {
                    let text = LINES.choose(&mut self.rng(&key)).copied().unwrap_or("psst");
                    moves.extend(self.mv(
                        key,
                        json!({ "type": "SOCIAL.SEND_MSG", "recipientIds": [t], "content": text }),
                    ));
                }
            }
            let key = format!("group-d{day}");
            if w.others.len() >= 2 && self.chance(&key, 0.3) {
                let mut rng = self.rng(&key);
                let two: Vec<&String> = w.others.choose_multiple(&mut rng, 2).collect();
                moves.extend(self.mv(
                    key,
                    json!({ "type": "SOCIAL.SEND_MSG", "recipientIds": two, "content": "Alliance?" }),
                ));
            }
            let key = format!("whisper-d{day}");
            if self.chance(&key, 0.5) {
                if let Some(t) = self.pick(&key, &w.others) {
                    moves.extend(self.mv(
                        key,
                        json!({ "type": "SOCIAL.WHISPER", "targetId": t, "text": "Just between us…" }),
                    ));
                }
            }
            // Reply once in a conversation whose last message is someone else's.
            if let Some(dms) = v["dms"].as_array() {
                for c in dms {
                    let (Some(id), Some(last)) = (
                        c["channelId"].as_str(),
                        c["messages"].as_array().and_then(|m| m.last()),
                    ) else {
                        continue;
                    };
                    let key = format!("reply-{id}");
                    if c["status"] == "MEMBER"
                        && last["from"].as_str() != Some(w.me)
                        && self.chance(&key, 0.5)
                    {
                        moves.extend(self.mv(
                            key,
                            json!({ "type": "SOCIAL.SEND_MSG", "channelId": id, "content": "Noted." }),
                        ));
                    }
                }
            }
        }
        let key = format!("silver-d{day}");
        if w.silver > 8 && self.chance(&key, 0.5) {
            if let Some(t) = self.pick(&key, &w.others) {
                let amount = self.rng(&key).gen_range(1..=3);
                moves.extend(self.mv(
                    key,
                    json!({ "type": "SOCIAL.SEND_SILVER", "targetId": t, "amount": amount }),
                ));
            }
        }
        let key = format!("nudge-d{day}");
        if self.chance(&key, 0.5) {
            if let Some(t) = self.pick(&key, &w.others) {
                moves.extend(self.mv(key, json!({ "type": "SOCIAL.NUDGE", "targetId": t })));
            }
        }
        let key = format!("perk-d{day}");
        if w.silver >= 10 && self.chance(&key, 0.25) {
            let mut rng = self.rng(&key);
            let msg = match rng.gen_range(0..3) {
                0 => self.pick(&key, &w.others).map(
                    |t| json!({ "type": "SOCIAL.USE_PERK", "perkType": "SPY_DMS", "targetId": t }),
                ),
                1 => Some(json!({ "type": "SOCIAL.USE_PERK", "perkType": "EXTRA_DM_CHARS" })),
                _ => Some(json!({ "type": "SOCIAL.USE_PERK", "perkType": "EXTRA_DM_PARTNER" })),
            };
            if let Some(msg) = msg {
                moves.extend(self.mv(key, msg));
            }
        }
        // One social move at a time, in a per-bot order so bots do not all chat first.
        let first = self
            .rng(&format!("social-d{day}-{}", self.done.len()))
            .gen_range(0..moves.len().max(1));
        moves.into_iter().nth(first)
    }

    /// docs/games.md: today's running game.
    fn game(&self, w: &View, now_ms: i64) -> Option<Move> {
        let g = &w.v["games"]["active"];
        let kind = g["gameType"].as_str()?;
        let day = w.day;
        let me = w.me;
        let key = format!("game-d{day}-{kind}");
        let mut rng = self.rng(&key);
        match kind {
            "BET_BET_BET" if has(&g["eligible"], me) && g["myBet"].is_null() && w.silver >= 1 => {
                let amount = rng.gen_range(1..=w.silver.min(15));
                self.mv(
                    key,
                    json!({ "type": "GAME.BET_BET_BET.SUBMIT", "amount": amount }),
                )
            }
            "KINGS_RANSOM" if has(&g["eligible"], me) && g["myDecision"].is_null() => {
                let action = if rng.gen_bool(0.5) {
                    "STEAL"
                } else {
                    "PROTECT"
                };
                self.mv(
                    key,
                    json!({ "type": "GAME.KINGS_RANSOM.SUBMIT", "action": action }),
                )
            }
            "BLIND_AUCTION" if has(&g["eligible"], me) && g["myBid"].is_null() => {
                let slot = rng.gen_range(1..=3);
                let amount = rng.gen_range(0..=w.silver.min(10));
                self.mv(
                    key,
                    json!({ "type": "GAME.BLIND_AUCTION.SUBMIT", "slot": slot, "amount": amount }),
                )
            }
            "THE_SPLIT" => {
                let cur = &g["current"];
                if !has(&cur["pair"], me) || !g["myDecision"].is_null() {
                    return None;
                }
                let key = format!("{key}-r{}", cur["round"].as_u64().unwrap_or(0));
                let action = if self.chance(&key, 0.7) {
                    "SPLIT"
                } else {
                    "STEAL"
                };
                self.mv(
                    key,
                    json!({ "type": "GAME.THE_SPLIT.SUBMIT", "action": action }),
                )
            }
            "TRIVIA" => {
                let mine = &g["mine"];
                match mine["stage"].as_str()? {
                    "NOT_STARTED" => self.mv(
                        format!("{key}-start"),
                        json!({ "type": "GAME.TRIVIA.START" }),
                    ),
                    "PLAYING" => {
                        let round = mine["current"]["round"].as_u64()?;
                        let key = format!("{key}-q{round}");
                        let i = self.rng(&key).gen_range(0..4);
                        self.mv(
                            key,
                            json!({ "type": "GAME.TRIVIA.ANSWER", "answerIndex": i }),
                        )
                    }
                    "AWAITING_DECISION" => {
                        self.mv(format!("{key}-submit"), json!({ "type": "GAME.SUBMIT" }))
                    }
                    _ => None,
                }
            }
            _ if g["timeLimitMs"].is_u64() => {
                let mine = &g["mine"];
                match mine["stage"].as_str()? {
                    "NOT_STARTED" => self.mv(
                        format!("{key}-start"),
                        json!({ "type": "GAME.ARCADE.START", "gameType": kind }),
                    ),
                    "PLAYING" => {
                        let started = mine["startedAtMs"].as_i64()?;
                        let limit = g["timeLimitMs"].as_i64().unwrap_or(0);
                        let played = now_ms - started;
                        if played < self.arcade_play_ms.min(limit) {
                            return None;
                        }
                        let mut scores = arcade_scores(kind, &mut rng);
                        if let Some(o) = scores.as_object_mut() {
                            o.insert("timeElapsed".into(), json!(played.clamp(0, limit)));
                        }
                        self.mv(
                            format!("{key}-result"),
                            json!({ "type": "GAME.ARCADE.RESULT", "gameType": kind, "result": scores }),
                        )
                    }
                    "AWAITING_DECISION" => {
                        self.mv(format!("{key}-submit"), json!({ "type": "GAME.SUBMIT" }))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
