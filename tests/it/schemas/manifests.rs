//! Manifest, roster and `/init` body schemas against the engine (docs/protocol.md).

use super::*;

// ---------------------------------------------------------------------------------------------
// Manifest, roster, /init body: the schema accepts what the engine accepts, at every bound

pub(super) const START: &str = "2026-12-01T09:00:00Z";

pub(super) fn static_base() -> Value {
    json!({
        "mode": "PECKING_ORDER", "kind": "STATIC", "scheduling": "PRE_SCHEDULED",
        "startTime": START, "schedulePreset": "SMOKE_TEST", "initialGoldPool": 100,
        "minPlayers": 3, "destinies": true, "moleThreshold": 50,
        "days": [
            { "dayIndex": 1, "theme": "Trust", "voteType": "MAJORITY", "gameType": "TRIVIA",
              "activityType": "PLAYER_PICK", "dilemmaType": "SILVER_GAMBIT", "confessions": true,
              "dmCharsPerPlayer": 600, "dmPartnersPerPlayer": 2, "dmSlotsPerPlayer": 3, "dmCost": 2,
              "requireDmInvite": true, "disableNudgeThrottle": false, "gameMode": "SOLO" },
            { "voteType": "FINALS", "activityType": "HOT_TAKE", "timeline": [
                { "time": "2026-12-01T09:06:00Z", "action": "OPEN_GROUP_CHAT" },
                { "time": "2026-12-01T09:07:00Z", "action": "START_ACTIVITY",
                  "payload": { "promptText": "Pineapple on pizza?", "options": ["Yes", "No", "Only on Fridays"] } },
                { "time": "2026-12-01T09:08:00Z", "action": "END_ACTIVITY" },
                { "time": "2026-12-01T09:09:00Z", "action": "OPEN_VOTING" },
                { "time": "2026-12-01T09:11:00Z", "action": "END_DAY" }
            ] }
        ]
    })
}

fn dynamic_base() -> Value {
    json!({
        "kind": "DYNAMIC", "startTime": START, "minPlayers": 4,
        "ruleset": {
            "kind": "PECKING_ORDER",
            "voting": { "allowed": ["MAJORITY", "BUBBLE", "SHIELD", "FINALS"] },
            "social": {
                "dmChars": { "mode": "DIMINISHING", "base": 1200, "floor": 300 },
                "dmPartners": { "mode": "FIXED", "base": 3 },
                "dmCost": 1, "requireDmInvite": false, "dmSlotsPerPlayer": 5,
                "disableNudgeThrottle": false, "groupDmEnabled": true
            },
            "dayCount": { "mode": "FIXED", "fixedCount": 5, "maxDays": 7 },
            "activities": { "allowed": ["PLAYER_PICK", "WOULD_YOU_RATHER"], "avoidRepeat": true },
            "dilemmas": { "mode": "SEQUENCE", "sequence": ["SPOTLIGHT", "GIFT_OR_GRIEF"] },
            "confessions": { "enabled": true },
            "inactivity": { "enabled": true, "thresholdDays": 2, "action": "NUDGE_THEN_ELIMINATE" },
            "games": { "allowed": ["TRIVIA", "BET_BET_BET", "NONE"], "avoidRepeat": false }
        }
    })
}

fn blitz_base() -> Value {
    json!({ "mode": "BLITZ", "startTime": START, "roundSeconds": 60, "destinies": false })
}

/// Sets (`Some`) or removes (`None`) the value at a path like `days[0].timeline[1].payload`.
pub(super) fn with(base: &Value, path: &str, value: Option<Value>) -> Value {
    let mut v = base.clone();
    let mut segs: Vec<String> = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        while let Some(i) = rest.find('[') {
            if i > 0 {
                segs.push(rest[..i].to_string());
            }
            let j = rest.find(']').unwrap();
            segs.push(rest[i + 1..j].to_string());
            rest = &rest[j + 1..];
        }
        if !rest.is_empty() {
            segs.push(rest.to_string());
        }
    }
    let (last, parents) = segs.split_last().unwrap();
    let mut slot = &mut v;
    for s in parents {
        slot = match slot {
            Value::Array(a) => &mut a[s.parse::<usize>().unwrap()],
            other => other.get_mut(s.as_str()).unwrap(),
        };
    }
    match (slot, value) {
        (Value::Array(a), Some(x)) => a[last.parse::<usize>().unwrap()] = x,
        (Value::Array(a), None) => {
            a.remove(last.parse::<usize>().unwrap());
        }
        (Value::Object(o), Some(x)) => {
            o.insert(last.clone(), x);
        }
        (Value::Object(o), None) => {
            o.remove(last);
        }
        (other, _) => panic!("cannot set {path} in {other}"),
    }
    v
}

fn engine_accepts_manifest(v: &Value) -> bool {
    parse_manifest(v, "manifest").is_ok()
}

/// `(path, value)` with whether the engine accepts the result; the schema must agree.
fn check_manifest_cases(base: &Value, cases: &[(&str, Option<Value>, bool)]) {
    assert!(engine_accepts_manifest(base), "{base}");
    assert_valid("Manifest", base);
    for (path, value, ok) in cases {
        let m = with(base, path, value.clone());
        let engine = parse_manifest(&m, "manifest");
        assert_eq!(
            engine.is_ok(),
            *ok,
            "engine on {path} = {value:?}: {engine:?}"
        );
        if let Err(e) = &engine {
            for f in &e.errors {
                assert!(
                    enum_of("FieldErrorCode").contains(&f.code.to_string()),
                    "unlisted field code {}",
                    f.code
                );
            }
        }
        assert_eq!(
            valid("Manifest", &m),
            *ok,
            "schema on {path} = {value:?} (engine says {ok}): {:?}",
            errors("Manifest", &m)
        );
    }
}

/// An array of `n` nulls with `set` at their places: a struct's fields in declaration order.
fn fields_in_order(n: usize, set: &[(usize, Value)]) -> Value {
    let mut a = vec![Value::Null; n];
    for (i, v) in set {
        a[*i] = v.clone();
    }
    Value::Array(a)
}

fn many<T: serde::Serialize>(n: usize, x: T) -> Value {
    Value::Array((0..n).map(|_| json!(x)).collect())
}

#[test]
fn static_manifests_agree_with_the_engine() {
    let b = static_base();
    let day = b["days"][0].clone();
    let mut cases: Vec<(&str, Option<Value>, bool)> = vec![
        ("mode", None, true),
        ("kind", None, true),
        ("scheduling", Some(json!("ADMIN")), true),
        ("scheduling", Some(json!("LATER")), false),
        ("mode", Some(json!("CHESS")), false),
        ("mode", Some(json!("BLITZ")), false),
        ("kind", Some(json!("DYNAMIC")), false),
        ("startTime", None, false),
        ("startTime", Some(json!("tomorrow")), false),
        ("startTime", Some(json!(17)), false),
        ("startTime", Some(json!("2026-12-01T10:00:00+01:00")), true),
        ("schedulePreset", Some(json!("FAST")), false),
        ("roundSeconds", Some(json!(29)), false),
        ("roundSeconds", Some(json!(30)), true),
        ("roundSeconds", Some(json!(3600)), true),
        ("roundSeconds", Some(json!(3601)), false),
        ("roundSeconds", Some(json!("fast")), false),
        ("initialGoldPool", Some(json!(-1)), false),
        ("initialGoldPool", Some(json!(0)), true),
        ("initialGoldPool", Some(json!(1_000_000_000)), true),
        ("initialGoldPool", Some(json!(1_000_000_001)), false),
        ("initialGoldPool", Some(json!(1.5)), false),
        ("minPlayers", Some(json!(1)), false),
        ("minPlayers", Some(json!(2)), true),
        ("minPlayers", Some(json!(20)), true),
        ("minPlayers", Some(json!(21)), false),
        ("moleThreshold", Some(json!(1_000_000_001)), false),
        ("destinies", Some(json!(false)), true),
        ("destinies", Some(json!("yes")), false),
        ("colour", Some(json!("red")), false),
        ("ruleset", Some(json!({})), false),
        ("days", None, false),
        ("days", Some(json!([])), false),
        ("days", Some(json!({})), false),
        (
            "days",
            Some(many(MAX_DAYS, json!({"voteType": "MAJORITY"}))),
            true,
        ),
        (
            "days",
            Some(many(MAX_DAYS + 1, json!({"voteType": "MAJORITY"}))),
            false,
        ),
        ("days[0].voteType", None, false),
        ("days[0].voteType", Some(json!("COIN_FLIP")), false),
        ("days[0].gameType", Some(json!("NONE")), true),
        ("days[0].gameType", Some(json!("CHESS")), false),
        ("days[0].activityType", Some(json!("NONE")), true),
        ("days[0].activityType", Some(json!("QUIZ")), false),
        ("days[0].dilemmaType", Some(json!("NONE")), true),
        ("days[0].dilemmaType", Some(json!("QUIZ")), false),
        ("days[0].dmCharsPerPlayer", Some(json!(MAX_DM_CHARS)), true),
        (
            "days[0].dmCharsPerPlayer",
            Some(json!(MAX_DM_CHARS + 1)),
            false,
        ),
        ("days[0].dmPartnersPerPlayer", Some(json!(20)), true),
        ("days[0].dmPartnersPerPlayer", Some(json!(21)), false),
        ("days[0].dmSlotsPerPlayer", Some(json!(0)), false),
        ("days[0].dmSlotsPerPlayer", Some(json!(20)), true),
        ("days[0].dmSlotsPerPlayer", Some(json!(21)), false),
        ("days[0].dmCost", Some(json!(1000)), true),
        ("days[0].dmCost", Some(json!(1001)), false),
        ("days[0].requireDmInvite", Some(json!("no")), false),
        ("days[0].confessions", Some(json!(1)), false),
        ("days[0].gameMode", Some(json!("LIVE")), true),
        ("days[0].gameMode", Some(json!("DUO")), false),
        ("days[0].dayIndex", Some(json!(0)), false),
        ("days[0].dayIndex", Some(json!(MAX_DAYS)), true),
        ("days[0].dayIndex", Some(json!(MAX_DAYS + 1)), false),
        ("days[0].theme", Some(json!(3)), false),
        ("days[0].mood", Some(json!("tense")), false),
        ("days[0]", Some(json!("MAJORITY")), false),
        // An object is never read from the array of its fields (serde's derive would).
        (
            "days[0]",
            Some(fields_in_order(15, &[(2, json!("MAJORITY"))])),
            false,
        ),
        // Absent and null are the same.
        ("mode", Some(Value::Null), true),
        ("ruleset", Some(Value::Null), true),
        ("days[0].gameType", Some(Value::Null), true),
        ("days[1].timeline[1].payload", Some(Value::Null), true),
        ("days", Some(Value::Null), false),
        ("days[1].timeline", Some(json!([])), false),
        (
            "days[1].timeline",
            Some(many(65, json!({"time": START, "action": "END_DAY"}))),
            false,
        ),
        (
            "days[1].timeline",
            Some(many(64, json!({"time": START, "action": "END_DAY"}))),
            true,
        ),
        (
            "days[1].timeline[0].action",
            Some(json!("START_DAY")),
            false,
        ),
        ("days[1].timeline[0].action", Some(json!("DANCE")), false),
        ("days[1].timeline[0].time", None, false),
        ("days[1].timeline[0].time", Some(json!("soon")), false),
        ("days[1].timeline[0].note", Some(json!("x")), false),
        (
            "days[1].timeline[0].payload",
            Some(json!({"anything": 1})),
            true,
        ),
        (
            "days[1].timeline[1].payload.promptType",
            Some(json!("HOT_TAKE")),
            true,
        ),
        (
            "days[1].timeline[1].payload.promptType",
            Some(json!("RIDDLE")),
            false,
        ),
        (
            "days[1].timeline[1].payload.colour",
            Some(json!("red")),
            false,
        ),
        (
            "days[1].timeline[1].payload.options",
            Some(json!(["a", "b", "c", "d", "e"])),
            false,
        ),
        (
            "days[1].timeline[1].payload.options",
            Some(json!(["a"])),
            false,
        ),
        (
            "days[1].timeline[1].payload.options",
            Some(json!(["a", 2])),
            false,
        ),
        (
            "days[1].timeline[1].payload.options",
            Some(json!(["a", "   "])),
            false,
        ),
        (
            "days[1].timeline[1].payload.options",
            Some(json!(["a", "x".repeat(81)])),
            false,
        ),
        (
            "days[1].timeline[1].payload.promptText",
            Some(json!("x".repeat(281))),
            false,
        ),
        (
            "days[1].timeline[1].payload.promptText",
            Some(json!(7)),
            false,
        ),
    ];
    // Every supported vote type, game type, prompt, dilemma and preset is accepted.
    let votes: Vec<Value> = VoteType::ALL
        .iter()
        .filter(|v| v.is_supported())
        .map(|v| json!(v.as_str()))
        .collect();
    let games: Vec<Value> = GameType::ALL.iter().map(|g| json!(g.as_str())).collect();
    let mut extra: Vec<(&str, Option<Value>, bool)> = Vec::new();
    for v in votes {
        extra.push(("days[0].voteType", Some(v), true));
    }
    for (g, t) in games.into_iter().zip(GameType::ALL) {
        // A game this engine does not run is UNSUPPORTED, and not in the schema either.
        extra.push(("days[0].gameType", Some(g), t.is_supported()));
    }
    for p in PromptType::ALL {
        extra.push(("days[0].activityType", Some(json!(p.as_str())), true));
    }
    for d in pecking_order::engine::dilemmas::DilemmaType::ALL {
        extra.push(("days[0].dilemmaType", Some(json!(d.as_str())), true));
    }
    for p in pecking_order::engine::timeline::Preset::NAMES {
        extra.push(("schedulePreset", Some(json!(p)), true));
    }
    cases.extend(extra);
    let _ = day;
    check_manifest_cases(&b, &cases);
}

#[test]
fn dynamic_and_blitz_manifests_agree_with_the_engine() {
    let d = dynamic_base();
    check_manifest_cases(
        &d,
        &[
            ("ruleset", None, true),
            ("ruleset", Some(Value::Null), true),
            ("days", Some(Value::Null), true),
            ("ruleset", Some(json!("x")), false),
            ("days", Some(json!([{"voteType": "MAJORITY"}])), false),
            ("mode", Some(json!("PECKING_ORDER")), true),
            ("ruleset.kind", Some(json!("BLITZ")), false),
            ("ruleset.colour", Some(json!(1)), false),
            ("ruleset.voting.allowed", Some(json!(["COIN"])), false),
            ("ruleset.voting.allowed", Some(json!([])), true),
            ("ruleset.voting.allowed", Some(json!("MAJORITY")), false),
            ("ruleset.voting.extra", Some(json!(1)), false),
            (
                "ruleset.social.dmChars",
                Some(json!({"mode": "FIXED"})),
                false,
            ),
            (
                "ruleset.social.dmChars",
                Some(json!({"mode": "X", "base": 1})),
                false,
            ),
            (
                "ruleset.social.dmChars",
                Some(json!({"mode": "FIXED", "base": MAX_DM_CHARS + 1})),
                false,
            ),
            (
                "ruleset.social.dmChars",
                Some(json!({"mode": "PER_ACTIVE_PLAYER", "base": 300})),
                true,
            ),
            (
                "ruleset.social.dmPartners",
                Some(json!({"mode": "FIXED", "base": 21})),
                false,
            ),
            ("ruleset.social.dmPartners.floor", Some(json!(1)), true),
            ("ruleset.social.dmPartners.cap", Some(json!(1)), false),
            ("ruleset.social.dmSlotsPerPlayer", Some(json!(0)), false),
            ("ruleset.social.groupDmEnabled", Some(json!("on")), false),
            (
                "ruleset.dayCount.mode",
                Some(json!("ACTIVE_PLAYERS_MINUS_ONE")),
                true,
            ),
            ("ruleset.dayCount.mode", Some(json!("FOREVER")), false),
            ("ruleset.dayCount.maxDays", Some(json!(0)), false),
            ("ruleset.dayCount.maxDays", Some(json!(30)), true),
            ("ruleset.dayCount.maxDays", Some(json!(31)), false),
            ("ruleset.dayCount.fixedCount", Some(json!(31)), false),
            (
                "ruleset.activities",
                Some(json!({"mode": "SEQUENCE"})),
                false,
            ),
            ("ruleset.activities", Some(json!({"mode": "NONE"})), true),
            (
                "ruleset.activities",
                Some(json!({"mode": "NONE", "allowed": ["PLAYER_PICK"]})),
                false,
            ),
            (
                "ruleset.activities",
                Some(json!({"mode": "POOL", "pool": ["PLAYER_PICK"]})),
                true,
            ),
            (
                "ruleset.activities",
                Some(json!({"mode": "POOL", "pool": ["PLAYER_PICK"], "allowed": ["HOT_TAKE"]})),
                false,
            ),
            (
                "ruleset.activities",
                Some(json!({"mode": "RANDOM", "pool": []})),
                false,
            ),
            (
                "ruleset.activities",
                Some(json!({"allowed": ["RIDDLE"]})),
                false,
            ),
            (
                "ruleset.activities",
                Some(json!({"allowed": many(31, "HOT_TAKE")})),
                false,
            ),
            (
                "ruleset.activities",
                Some(json!({"allowed": many(30, "HOT_TAKE")})),
                true,
            ),
            ("ruleset.activities", Some(json!({})), false),
            (
                "ruleset.dilemmas",
                Some(json!({"mode": "SEQUENCE", "sequence": ["SPOTLIGHT"], "avoidRepeat": "x"})),
                false,
            ),
            ("ruleset.confessions", Some(json!({"enabled": "y"})), false),
            (
                "ruleset.confessions",
                Some(json!({"enabled": false, "x": 1})),
                false,
            ),
            (
                "ruleset.inactivity.socketInactivityHours",
                Some(json!(1)),
                false,
            ),
            ("ruleset.inactivity.nudgeDays", Some(json!(1)), false),
            ("ruleset.inactivity.thresholdDays", Some(json!(0)), false),
            ("ruleset.inactivity.action", Some(json!("ELIMINATE")), true),
            ("ruleset.inactivity.action", Some(json!("WARN")), false),
            (
                "ruleset.games",
                Some(json!({"mode": "SEQUENCE", "sequence": ["TRIVIA", "THE_SPLIT"]})),
                true,
            ),
            (
                "ruleset.games",
                Some(json!({"mode": "POOL", "pool": ["GAP_RUN"]})),
                true,
            ),
            ("ruleset.games", Some(json!({"mode": "DAILY"})), false),
            ("ruleset.games", Some(json!({"allowed": ["CHESS"]})), false),
            ("ruleset.games.extra", Some(json!(1)), false),
        ],
    );
    let b = blitz_base();
    check_manifest_cases(
        &b,
        &[
            ("destinies", Some(json!(true)), false),
            ("destinies", None, true),
            ("destinies", Some(Value::Null), true),
            ("ruleset", Some(Value::Null), true),
            ("kind", Some(json!("DYNAMIC")), true),
            ("kind", Some(json!("SOMETIMES")), false),
            ("days", Some(json!([{"voteType": "MAJORITY"}])), false),
            ("ruleset", Some(json!({})), false),
            ("roundSeconds", Some(json!(29)), false),
        ],
    );
}

pub(super) fn players(n: usize) -> Value {
    common::roster(n)
}

#[test]
fn rosters_agree_with_the_engine() {
    let base = players(6);
    let cases: Vec<(&str, Option<Value>, bool)> = vec![
        ("[0].id", Some(json!("SYSTEM")), false),
        ("[0].id", Some(json!("ALARM")), false),
        ("[0].id", Some(json!("a b")), false),
        ("[0].id", Some(json!("x".repeat(32))), true),
        ("[0].id", Some(json!("x".repeat(33))), false),
        ("[0].id", Some(json!("")), false),
        ("[0].id", Some(json!(7)), false),
        ("[0].id", None, false),
        ("[0].personaName", Some(json!("")), false),
        ("[0].personaName", Some(json!("   ")), false),
        ("[0].personaName", Some(json!("é".repeat(40))), true),
        ("[0].personaName", Some(json!("x".repeat(41))), false),
        ("[0].personaName", None, false),
        ("[0].silver", Some(json!(-1)), false),
        ("[0].silver", Some(json!(1_000_000_000)), true),
        ("[0].silver", Some(json!(1_000_000_001)), false),
        ("[0].gold", Some(json!("x")), false),
        ("[0].isAlive", Some(json!("yes")), false),
        ("[0].isSpectator", Some(json!(false)), true),
        (
            "[0].avatarUrl",
            Some(json!("https://example.invalid/a.png")),
            true,
        ),
        ("[0].realUserId", Some(json!(5)), false),
        ("[0].bio", Some(json!("hi")), true),
        ("[0].destinyId", Some(json!("MOLE")), true),
        ("[0].hat", Some(json!("red")), false),
        ("[0]", Some(json!("p1")), false),
        // A player is never read from the array of its fields (serde's derive would).
        (
            "[0]",
            Some(fields_in_order(11, &[(0, json!("p9")), (2, json!("Ni"))])),
            false,
        ),
    ];
    let accepts = |v: &Value| parse_roster(v, "roster", 0).is_ok();
    assert!(accepts(&base));
    assert_valid("Roster", &base);
    let mut all = cases;
    // `playerId` instead of `id`.
    let mut alt = base.clone();
    alt[0] = json!({ "playerId": "p1", "personaName": "A" });
    let check = |v: &Value, ok: bool, what: &str| {
        assert_eq!(accepts(v), ok, "engine: {what}");
        assert_eq!(
            valid("Roster", v),
            ok,
            "schema: {what}: {:?}",
            errors("Roster", v)
        );
    };
    check(&alt, true, "playerId");
    check(
        &json!({"p1": {"personaName": "A"}, "p2": {"personaName": "B", "silver": 3}}),
        true,
        "keyed",
    );
    check(
        &json!({"p1": {"personaName": "A"}, "SYSTEM": {"personaName": "B"}}),
        false,
        "keyed reserved",
    );
    check(
        &json!({"p1": {"personaName": "A", "x": 1}}),
        false,
        "keyed unknown field",
    );
    check(&players(20), true, "20 players");
    check(&players(21), false, "21 players");
    check(&json!("p1,p2"), false, "a string");
    for (path, value, ok) in all.drain(..) {
        check(
            &with(&base, path, value.clone()),
            ok,
            &format!("{path} = {value:?}"),
        );
    }
    // What a schema cannot check: ids are unique (the engine reports DUPLICATE).
    let dup = json!([{"id": "p1", "personaName": "A"}, {"id": "p1", "personaName": "B"}]);
    assert!(!accepts(&dup));
    assert!(valid("Roster", &dup));
}

fn init_accepted(body: &Value) -> bool {
    Room::create("g", body.to_string().as_bytes(), 0, [1; 32]).is_ok()
}

#[test]
fn init_bodies_agree_with_the_engine() {
    let cases = [
        (
            json!({"manifest": static_base(), "roster": players(6)}),
            true,
        ),
        (
            json!({"manifest": static_base(), "roster": players(2), "inviteCode": "X7"}),
            true,
        ),
        // A STATIC game may start short too (the prototype lobby's configurable cycle: players
        // join in pregame).
        (
            json!({"manifest": static_base(), "roster": players(1)}),
            true,
        ),
        (json!({"manifest": static_base()}), true),
        (
            json!({"manifest": static_base(), "roster": {"p1": {"personaName": "A"}}}),
            true,
        ),
        (
            json!({"manifest": static_base(), "roster": {"p1": {"personaName": "A"}, "p2": {"personaName": "B"}}}),
            true,
        ),
        (json!({"manifest": dynamic_base()}), true),
        (json!({"manifest": dynamic_base(), "roster": []}), true),
        (
            json!({"manifest": dynamic_base(), "roster": players(1)}),
            true,
        ),
        (
            json!({"manifest": blitz_base(), "roster": players(1)}),
            false,
        ),
        (
            json!({"manifest": blitz_base(), "roster": players(4)}),
            true,
        ),
        (
            json!({"manifest": blitz_base(), "roster": players(4), "lobby": 1}),
            false,
        ),
        (json!({"roster": players(4)}), false),
        (json!([]), false),
    ];
    for (body, ok) in cases {
        assert_eq!(init_accepted(&body), ok, "engine: {body}");
        assert_eq!(
            valid("InitBody", &body),
            ok,
            "schema: {body}: {:?}",
            errors("InitBody", &body)
        );
    }
    // Every RoomError of a bad /init body is a listed code, each field error too.
    let Err(e) = Room::create(
        "g",
        br#"{"manifest":{"days":7},"roster":"x","y":1}"#,
        0,
        [1; 32],
    ) else {
        panic!("accepted")
    };
    assert_valid("ErrorCode", &json!(e.code()));
    assert_valid("HttpError", &e.to_json());
}
