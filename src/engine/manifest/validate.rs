//! The validation pass: the values of a decoded manifest (`wire`), checked all at once, each
//! problem with its path and code, then the engine's [`Manifest`]. The top level and STATIC days
//! here; the DYNAMIC ruleset in `dynamic`, prompts, dilemmas, confessions and inactivity in
//! `content`.

use super::wire::{Bounded, DayWire, List, ManifestWire, Name, Text, TimelineEventWire, NONE};
use super::VoteType;
use super::{content, dynamic};
use super::{DaySocial, DaySpec, FieldError, FieldErrorCode, Kind, Manifest, Mode, Scheduling};
use super::{
    DEFAULT_MIN_PLAYERS, DEFAULT_MOLE_THRESHOLD, DEFAULT_ROUND_SECONDS, MAX_TIMELINE_EVENTS,
};
use crate::engine::games::GameType;
use crate::engine::timeline::{Action, Preset};
use serde::de::DeserializeOwned;

/// `path.key`.
pub(super) fn at(path: &str, key: &str) -> String {
    format!("{path}.{key}")
}

/// `path[i]`.
pub(super) fn item(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// The field errors of one manifest, in the order the fields are checked.
pub(super) struct Checker {
    pub(super) errors: Vec<FieldError>,
}

impl Checker {
    pub(super) fn err(&mut self, path: &str, code: FieldErrorCode, message: impl Into<String>) {
        self.errors.push(FieldError {
            path: path.to_string(),
            code: code.as_str(),
            message: message.into(),
        });
    }

    /// `x`, or MISSING when absent.
    pub(super) fn required<T>(&mut self, x: Option<T>, path: &str) -> Option<T> {
        if x.is_none() {
            self.err(path, FieldErrorCode::Missing, "required field is missing");
        }
        x
    }

    /// INVALID_VALUE, saying `why`, for a field that is `present` where it may not be.
    pub(super) fn refuse(&mut self, path: &str, present: bool, why: &str) {
        if present {
            self.err(path, FieldErrorCode::InvalidValue, why);
        }
    }

    /// `Ok`'s value, or the error's message with `code`.
    fn checked<T>(&mut self, r: Result<T, String>, path: &str, code: FieldErrorCode) -> Option<T> {
        r.map_err(|why| self.err(path, code, why)).ok()
    }

    /// The value a name stands for, or INVALID_VALUE.
    pub(super) fn resolve<T: DeserializeOwned>(&mut self, n: &Name<T>, path: &str) -> Option<T> {
        self.checked(n.resolve(), path, FieldErrorCode::InvalidValue)
    }

    /// A name's value; `default` when absent.
    pub(super) fn name_or<T: DeserializeOwned>(
        &mut self,
        n: Option<&Name<T>>,
        path: &str,
        default: T,
    ) -> Option<T> {
        match n {
            None => Some(default),
            Some(n) => self.resolve(n, path),
        }
    }

    /// A bounded number, or OUT_OF_RANGE; `None` when absent.
    pub(super) fn bounded<const MIN: u64, const MAX: u64>(
        &mut self,
        x: Option<Bounded<MIN, MAX>>,
        path: &str,
    ) -> Option<u64> {
        self.checked(x?.check(), path, FieldErrorCode::OutOfRange)
    }

    /// A list's entries, or OUT_OF_RANGE for its length (its entries are then not checked).
    pub(super) fn list<'a, T, const MIN: usize, const MAX: usize>(
        &mut self,
        l: &'a List<T, MIN, MAX>,
        path: &str,
    ) -> Option<&'a [T]> {
        self.checked(l.check(), path, FieldErrorCode::OutOfRange)
    }

    /// A trimmed text, or OUT_OF_RANGE; `None` when absent.
    pub(super) fn text<const MAX: usize>(
        &mut self,
        t: Option<&Text<MAX>>,
        path: &str,
    ) -> Option<String> {
        self.checked(t?.check(), path, FieldErrorCode::OutOfRange)
    }

    /// An RFC 3339 timestamp in ms (MISSING when absent).
    fn time(&mut self, s: Option<&String>, path: &str) -> Option<i64> {
        let s = self.required(s, path)?;
        match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => Some(t.timestamp_millis()),
            Err(_) => {
                self.err(
                    path,
                    FieldErrorCode::InvalidValue,
                    "expected an RFC 3339 timestamp such as 2026-12-01T09:00:00Z",
                );
                None
            }
        }
    }

    /// A vote type this engine version runs (else UNSUPPORTED).
    pub(super) fn vote(&mut self, n: &Name<VoteType>, path: &str) -> Option<VoteType> {
        let v = self.resolve(n, path)?;
        if !v.is_supported() {
            self.err(
                path,
                FieldErrorCode::Unsupported,
                format!("{} is not implemented by this engine version", n.as_str()),
            );
            return None;
        }
        Some(v)
    }

    /// A game this engine version runs (else UNSUPPORTED); `None` for NONE.
    pub(super) fn game(&mut self, n: &Name<GameType>, path: &str) -> Option<GameType> {
        if n.as_str() == NONE {
            return None;
        }
        let g = self.resolve(n, path)?;
        if !g.is_supported() {
            self.err(
                path,
                FieldErrorCode::Unsupported,
                format!(
                    "{} is not implemented by this engine version; use another game or NONE",
                    n.as_str()
                ),
            );
            return None;
        }
        Some(g)
    }
}

/// Checks a decoded manifest and builds the engine's form; `path` prefixes the error paths.
pub(super) fn manifest(w: &ManifestWire, path: &str) -> Result<Manifest, Vec<FieldError>> {
    let c = &mut Checker { errors: Vec::new() };
    let mode = c.name_or(w.mode.as_ref(), &at(path, "mode"), Mode::PeckingOrder);
    let kind = c.name_or(w.kind.as_ref(), &at(path, "kind"), Kind::Static);
    // The prototype lobby's legacy rule: no `scheduling` and `gameMode: DEBUG_PECKING_ORDER` is
    // ADMIN scheduling.
    let lobby_mode = w
        .game_mode
        .as_ref()
        .and_then(|g| c.resolve(g, &at(path, "gameMode")));
    let default_scheduling = match lobby_mode {
        Some(super::wire::LobbyGameMode::DebugPeckingOrder) => Scheduling::Admin,
        _ => Scheduling::PreScheduled,
    };
    let scheduling = c.name_or(
        w.scheduling.as_ref(),
        &at(path, "scheduling"),
        default_scheduling,
    );
    c.bounded(w.max_players, &at(path, "maxPlayers"));
    let preset = c.name_or(
        w.schedule_preset.as_ref(),
        &at(path, "schedulePreset"),
        Preset::Default,
    );
    // A STATIC manifest may leave `startTime` out (the prototype lobby does): see below.
    let static_kind = kind == Some(Kind::Static) && mode == Some(Mode::PeckingOrder);
    let start_ms = if w.start_time.is_none() && static_kind {
        None
    } else {
        c.time(w.start_time.as_ref(), &at(path, "startTime"))
    };
    let round_seconds = c
        .bounded(w.round_seconds, &at(path, "roundSeconds"))
        .unwrap_or(DEFAULT_ROUND_SECONDS);
    let initial_gold_pool = c
        .bounded(w.initial_gold_pool, &at(path, "initialGoldPool"))
        .unwrap_or(0);
    let min_players = c
        .bounded(w.min_players, &at(path, "minPlayers"))
        .map_or(DEFAULT_MIN_PLAYERS, |x| x as usize);
    let mole_threshold = c
        .bounded(w.mole_threshold, &at(path, "moleThreshold"))
        .unwrap_or(DEFAULT_MOLE_THRESHOLD);
    let destinies = match w.destinies {
        None => mode != Some(Mode::Blitz),
        Some(d) => {
            if d && mode == Some(Mode::Blitz) {
                c.err(
                    &at(path, "destinies"),
                    FieldErrorCode::InvalidValue,
                    "BLITZ has no destinies",
                );
            }
            d
        }
    };
    // STATIC lists its days, DYNAMIC has a ruleset, BLITZ neither (the schema's three variants,
    // `wire::schema::kinds`).
    let mut days = Vec::new();
    let mut dynamic = None;
    match (mode, kind) {
        (Some(Mode::PeckingOrder), Some(Kind::Static)) => {
            let why = "ruleset is for DYNAMIC manifests";
            c.refuse(&at(path, "ruleset"), w.ruleset.is_some(), why);
            let p = at(path, "days");
            match &w.days {
                None => c.err(
                    &p,
                    FieldErrorCode::Missing,
                    "a STATIC manifest lists its days",
                ),
                Some(l) => {
                    for (i, d) in c.list(l, &p).unwrap_or_default().iter().enumerate() {
                        days.extend(day(c, d, &item(&p, i)));
                    }
                }
            }
        }
        (Some(Mode::PeckingOrder), Some(Kind::Dynamic)) => {
            let why = "a DYNAMIC manifest resolves its days each morning; use ruleset";
            // The prototype lobby sends `days: []`.
            let listed = w.days.as_ref().is_some_and(|l| !l.0.is_empty());
            c.refuse(&at(path, "days"), listed, why);
            dynamic = Some(dynamic::ruleset(
                c,
                w.ruleset.as_ref(),
                &at(path, "ruleset"),
            ));
        }
        (Some(Mode::Blitz), _) => {
            let why = "BLITZ generates its rounds; this field is not used";
            c.refuse(&at(path, "days"), w.days.is_some(), why);
            c.refuse(&at(path, "ruleset"), w.ruleset.is_some(), why);
        }
        _ => {}
    }
    // STATIC without `startTime`: day 1 starts at its first timeline event; under ADMIN
    // scheduling, with no timeline, times are not used (0); otherwise it is required.
    let start_ms = match start_ms {
        Some(t) => Some(t),
        None if !static_kind || w.start_time.is_some() => None,
        None => days
            .first()
            .and_then(|d| d.timeline.as_ref())
            .and_then(|t| t.iter().map(|(t, _)| *t).min())
            .or((scheduling == Some(Scheduling::Admin)).then_some(0))
            .or_else(|| c.time(None, &at(path, "startTime"))),
    };
    match (mode, kind, scheduling, preset, start_ms) {
        (Some(mode), Some(kind), Some(scheduling), Some(preset), Some(start_ms))
            if c.errors.is_empty() =>
        {
            Ok(Manifest {
                mode,
                kind,
                scheduling,
                preset,
                start_ms,
                days,
                dynamic,
                round_seconds: round_seconds as u32,
                initial_gold_pool,
                min_players,
                destinies,
                mole_threshold,
            })
        }
        _ => Err(std::mem::take(&mut c.errors)),
    }
}

/// One STATIC day.
fn day(c: &mut Checker, d: &DayWire, path: &str) -> Option<DaySpec> {
    let social = DaySocial {
        dm_chars_per_player: c
            .bounded(d.dm_chars_per_player, &at(path, "dmCharsPerPlayer"))
            .map(|x| x as u32),
        dm_partners_per_player: c
            .bounded(d.dm_partners_per_player, &at(path, "dmPartnersPerPlayer"))
            .map(|x| x as u32),
        dm_slots_per_player: c
            .bounded(d.dm_slots_per_player, &at(path, "dmSlotsPerPlayer"))
            .map(|x| x as u32),
        dm_cost: c.bounded(d.dm_cost, &at(path, "dmCost")),
        require_dm_invite: d.require_dm_invite,
        disable_nudge_throttle: d.disable_nudge_throttle,
    };
    // --- Daily games ---
    let game_type = d
        .game_type
        .as_ref()
        .and_then(|g| c.game(g, &at(path, "gameType")));
    // Kept only where it matters (TOUCH_SCREEN), so other days' snapshots keep their bytes.
    let game_mode = d
        .game_mode
        .as_ref()
        .and_then(|m| c.resolve(m, &at(path, "gameMode")))
        .filter(|_| game_type == Some(GameType::TouchScreen));
    let p = at(path, "voteType");
    let vote_type = c
        .required(d.vote_type.as_ref(), &p)
        .and_then(|v| c.vote(v, &p));
    c.bounded(d.day_index, &at(path, "dayIndex"));
    let timeline = d
        .timeline
        .as_ref()
        .and_then(|l| timeline(c, l, &at(path, "timeline")));
    let extras = content::day_extras(c, d, path);
    Some(DaySpec {
        vote_type: vote_type?,
        timeline,
        social,
        extras,
        game_type,
        game_mode,
    })
}

/// An explicit timeline, sorted by time (stable: events at the same instant keep their order).
fn timeline(
    c: &mut Checker,
    l: &List<TimelineEventWire, 1, MAX_TIMELINE_EVENTS>,
    path: &str,
) -> Option<Vec<(i64, Action)>> {
    let mut events = Vec::new();
    for (i, e) in c.list(l, path)?.iter().enumerate() {
        let p = item(path, i);
        let t = c.time(e.time.as_ref(), &at(&p, "time"));
        let p = at(&p, "action");
        let a = c
            .required(e.action.as_ref(), &p)
            .and_then(|a| c.resolve(a, &p));
        let a = a.filter(|a| {
            let listed = Action::MANIFEST_ACTIONS.contains(a);
            if !listed {
                c.err(
                    &p,
                    FieldErrorCode::InvalidValue,
                    format!("{} is not a manifest action", a.as_str()),
                );
            }
            listed
        });
        if let (Some(t), Some(a)) = (t, a) {
            events.push((t, a));
        }
    }
    crate::engine::order::sort_by_key(&mut events, |(t, _)| *t);
    Some(events)
}
