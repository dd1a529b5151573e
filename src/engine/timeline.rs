//! Timeline actions and the schedule presets (the prototype's timings; docs/content.md §1.3, docs/architecture.md "Time and the timeline").

use serde::{Deserialize, Serialize};

/// One step of a day's timeline. Serialized as SCREAMING_SNAKE_CASE, as in manifests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Action {
    /// Morning: the day begins (not a manifest action; the engine schedules it).
    StartDay,
    OpenGroupChat,
    CloseGroupChat,
    OpenDms,
    CloseDms,
    /// Also read as the prototype's legacy name `START_CARTRIDGE`.
    #[serde(alias = "START_CARTRIDGE")]
    StartGame,
    EndGame,
    StartActivity,
    EndActivity,
    StartDilemma,
    EndDilemma,
    OpenVoting,
    CloseVoting,
    StartConfessionChat,
    EndConfessionChat,
    EndDay,
    /// A live game's deadline (not a manifest action; the games layer schedules it, docs/games.md).
    GameTimer,
    /// Today's vote result applied now rather than at END_DAY (docs/content.md §1.3): the
    /// player it eliminates is out before the day ends (PLAYTEST_NEXT's post-vote evening).
    Eliminate,
}

impl Action {
    pub const MANIFEST_ACTIONS: [Action; 16] = [
        Action::OpenGroupChat,
        Action::CloseGroupChat,
        Action::OpenDms,
        Action::CloseDms,
        Action::StartGame,
        Action::EndGame,
        Action::StartActivity,
        Action::EndActivity,
        Action::StartDilemma,
        Action::EndDilemma,
        Action::OpenVoting,
        Action::CloseVoting,
        Action::Eliminate,
        Action::StartConfessionChat,
        Action::EndConfessionChat,
        Action::EndDay,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::StartDay => "START_DAY",
            Action::OpenGroupChat => "OPEN_GROUP_CHAT",
            Action::CloseGroupChat => "CLOSE_GROUP_CHAT",
            Action::OpenDms => "OPEN_DMS",
            Action::CloseDms => "CLOSE_DMS",
            Action::StartGame => "START_GAME",
            Action::EndGame => "END_GAME",
            Action::StartActivity => "START_ACTIVITY",
            Action::EndActivity => "END_ACTIVITY",
            Action::StartDilemma => "START_DILEMMA",
            Action::EndDilemma => "END_DILEMMA",
            Action::OpenVoting => "OPEN_VOTING",
            Action::CloseVoting => "CLOSE_VOTING",
            Action::StartConfessionChat => "START_CONFESSION_CHAT",
            Action::EndConfessionChat => "END_CONFESSION_CHAT",
            Action::EndDay => "END_DAY",
            Action::GameTimer => "GAME_TIMER",
            Action::Eliminate => "ELIMINATE",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        match s {
            "START_DAY" => return Some(Action::StartDay),
            "START_CARTRIDGE" => return Some(Action::StartGame),
            _ => {}
        }
        Self::MANIFEST_ACTIONS
            .iter()
            .copied()
            .find(|a| a.as_str() == s)
    }
}

/// Which optional content a day has; events for absent content are left out of the timeline.
#[derive(Clone, Copy, Debug, Default)]
pub struct DayContent {
    pub has_game: bool,
    pub has_activity: bool,
    pub has_dilemma: bool,
}

/// A schedule preset: offsets of each action from the day's start, and the stride to the next day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Preset {
    Default,
    Compact,
    SmokeTest,
    SpeedRun,
    /// The prototype's playtest day: 10:00 to 17:00, MAIN reopened 15:01 to 16:01.
    Playtest,
    /// The prototype's short playtest afternoon: 15:00 to 20:01.
    PlaytestShort,
    /// The prototype's next playtest day: 10:00 to 20:00, MAIN open all day, the vote's
    /// elimination applied at 19:32 (ELIMINATE), then a confession booth until 19:57.
    PlaytestNext,
}

const MIN: i64 = 60_000;
const SEC: i64 = 1_000;
const HOUR: i64 = 60 * MIN;

impl Preset {
    pub fn parse(s: &str) -> Option<Preset> {
        Some(match s {
            "DEFAULT" => Preset::Default,
            "COMPACT" => Preset::Compact,
            "SMOKE_TEST" => Preset::SmokeTest,
            "SPEED_RUN" => Preset::SpeedRun,
            "PLAYTEST" => Preset::Playtest,
            "PLAYTEST_SHORT" => Preset::PlaytestShort,
            "PLAYTEST_NEXT" => Preset::PlaytestNext,
            _ => return None,
        })
    }

    pub const NAMES: [&'static str; 7] = [
        "DEFAULT",
        "COMPACT",
        "SMOKE_TEST",
        "SPEED_RUN",
        "PLAYTEST",
        "PLAYTEST_SHORT",
        "PLAYTEST_NEXT",
    ];

    /// Time from one day's start to the next day's start.
    pub fn day_stride_ms(self) -> i64 {
        match self {
            Preset::Default
            | Preset::Compact
            | Preset::Playtest
            | Preset::PlaytestShort
            | Preset::PlaytestNext => 24 * HOUR,
            Preset::SmokeTest => 6 * MIN,
            Preset::SpeedRun => 26 * MIN,
        }
    }

    /// (offset from day start, action) in the canonical order of the prototype's presets, then
    /// the actions a preset repeats.
    fn offsets(self) -> Vec<(i64, Action)> {
        use Action::*;
        if self == Preset::PlaytestNext {
            // Its own order (MAIN never closes, DMs open twice), as minutes after 10:00.
            return [
                (0, OpenGroupChat),
                (1, StartDilemma),
                (60, OpenDms),
                (120, StartGame),
                (210, EndGame),
                (211, CloseDms),
                (240, StartActivity),
                (330, EndActivity),
                (331, OpenDms),
                (390, EndDilemma),
                (420, OpenVoting),
                (421, CloseDms),
                (570, CloseVoting),
                (572, Eliminate),
                (573, StartConfessionChat),
                (597, EndConfessionChat),
                (600, EndDay),
            ]
            .map(|(m, a)| (m * MIN, a))
            .to_vec();
        }
        // Columns: OGC, START_DILEMMA, OPEN_DMS, CGC, START_GAME, END_GAME, START_ACTIVITY,
        // END_ACTIVITY, END_DILEMMA, OPEN_VOTING, CLOSE_VOTING, CLOSE_DMS, END_DAY.
        let t: [i64; 13] = match self {
            // Calendar presets, as minutes after 09:00.
            Preset::Default => {
                [0, 1, 60, 61, 62, 180, 300, 420, 600, 660, 839, 840, 899].map(|m| m * MIN)
            }
            Preset::Compact => {
                [0, 1, 30, 90, 31, 150, 180, 240, 270, 300, 479, 480, 510].map(|m| m * MIN)
            }
            // Offset presets, in seconds (the prototype's scaled canonical day).
            Preset::SmokeTest => {
                [0, 6, 18, 24, 30, 60, 102, 138, 198, 222, 282, 288, 300].map(|s| s * SEC)
            }
            Preset::SpeedRun => [
                0, 6, 90, 96, 102, 276, 462, 642, 924, 1014, 1290, 1296, 1380,
            ]
            .map(|s| s * SEC),
            // Calendar presets, as minutes after their first event (10:00, 15:00).
            Preset::Playtest => {
                [0, 1, 60, 120, 121, 240, 122, 300, 299, 302, 419, 360, 420].map(|m| m * MIN)
            }
            // (PLAYTEST_NEXT returned above.)
            Preset::PlaytestShort | Preset::PlaytestNext => {
                [0, 1, 60, 180, 181, 240, 2, 243, 120, 242, 300, 241, 301].map(|m| m * MIN)
            }
        };
        let a = [
            OpenGroupChat,
            StartDilemma,
            OpenDms,
            CloseGroupChat,
            StartGame,
            EndGame,
            StartActivity,
            EndActivity,
            EndDilemma,
            OpenVoting,
            CloseVoting,
            CloseDms,
            EndDay,
        ];
        let mut out: Vec<(i64, Action)> = t.into_iter().zip(a).collect();
        if self == Preset::Playtest {
            // MAIN opens again 15:01 to 16:01.
            out.extend([(301 * MIN, OpenGroupChat), (361 * MIN, CloseGroupChat)]);
        }
        out
    }

    /// The day's timeline anchored at `day_start_ms`, sorted by time (stable in canonical order).
    pub fn day_timeline(self, day_start_ms: i64, content: DayContent) -> Vec<(i64, Action)> {
        let mut v: Vec<(i64, Action)> = self
            .offsets()
            .into_iter()
            .filter(|(_, a)| match a {
                Action::StartGame | Action::EndGame => content.has_game,
                Action::GameTimer => false,
                Action::StartActivity | Action::EndActivity => content.has_activity,
                Action::StartDilemma | Action::EndDilemma => content.has_dilemma,
                Action::StartDay
                | Action::OpenGroupChat
                | Action::CloseGroupChat
                | Action::OpenDms
                | Action::CloseDms
                | Action::OpenVoting
                | Action::CloseVoting
                | Action::Eliminate
                | Action::StartConfessionChat
                | Action::EndConfessionChat
                | Action::EndDay => true,
            })
            .map(|(off, a)| (day_start_ms + off, a))
            .collect();
        crate::engine::order::sort_by_key(&mut v, |(t, _)| *t);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoke_test_day_is_five_minutes_and_ordered() {
        let tl = Preset::SmokeTest.day_timeline(0, DayContent::default());
        assert_eq!(tl.first(), Some(&(0, Action::OpenGroupChat)));
        assert_eq!(tl.last(), Some(&(300_000, Action::EndDay)));
        assert!(tl.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(!tl.iter().any(|(_, a)| *a == Action::StartGame));
        assert_eq!(Preset::SmokeTest.day_stride_ms(), 360_000);
    }

    #[test]
    fn playtest_presets_follow_the_prototypes_clock() {
        let all = DayContent {
            has_game: true,
            has_activity: true,
            has_dilemma: true,
        };
        let tl = Preset::Playtest.day_timeline(0, all);
        assert_eq!(tl.len(), 15);
        let at = |tl: &[(i64, Action)], a: Action| -> Vec<i64> {
            tl.iter()
                .filter(|(_, x)| *x == a)
                .map(|(t, _)| *t / MIN)
                .collect()
        };
        // 10:00 = 0: MAIN 10:00-12:00 and 15:01-16:01, voting 15:02-16:59, day ends 17:00.
        assert_eq!(at(&tl, Action::OpenGroupChat), [0, 301]);
        assert_eq!(at(&tl, Action::CloseGroupChat), [120, 361]);
        assert_eq!(at(&tl, Action::OpenVoting), [302]);
        assert_eq!(at(&tl, Action::EndDay), [420]);
        assert!(tl.windows(2).all(|w| w[0].0 <= w[1].0));
        // 15:00 = 0: voting 19:02-20:00, day ends 20:01.
        let s = Preset::PlaytestShort.day_timeline(0, all);
        assert_eq!(s.len(), 13);
        assert_eq!(at(&s, Action::CloseVoting), [300]);
        assert_eq!(at(&s, Action::EndDay), [301]);
        assert_eq!(Preset::parse("PLAYTEST_SHORT"), Some(Preset::PlaytestShort));
        assert_eq!(Action::parse("START_CARTRIDGE"), Some(Action::StartGame));
        let a: Action = serde_json::from_str("\"START_CARTRIDGE\"").unwrap();
        assert_eq!(a, Action::StartGame);
    }

    #[test]
    fn playtest_next_eliminates_before_the_day_ends() {
        let all = DayContent {
            has_game: true,
            has_activity: true,
            has_dilemma: true,
        };
        let tl = Preset::PlaytestNext.day_timeline(0, all);
        assert_eq!(tl.len(), 17);
        let at = |a: Action| -> Vec<i64> {
            tl.iter()
                .filter(|(_, x)| *x == a)
                .map(|(t, _)| *t / MIN)
                .collect()
        };
        // 10:00 = 0: vote 17:00-19:30, ELIMINATE 19:32, booth 19:33-19:57, day ends 20:00.
        assert_eq!(at(Action::CloseVoting), [570]);
        assert_eq!(at(Action::Eliminate), [572]);
        assert_eq!(at(Action::StartConfessionChat), [573]);
        assert_eq!(at(Action::EndDay), [600]);
        assert_eq!(at(Action::OpenDms), [60, 331]);
        assert_eq!(at(Action::CloseDms), [211, 421]);
        assert!(at(Action::CloseGroupChat).is_empty(), "MAIN never closes");
        assert!(tl.windows(2).all(|w| w[0].0 < w[1].0));
        let bare = Preset::PlaytestNext.day_timeline(0, DayContent::default());
        assert_eq!(bare.len(), 11);
        assert_eq!(Preset::parse("PLAYTEST_NEXT"), Some(Preset::PlaytestNext));
        assert_eq!(Action::parse("ELIMINATE"), Some(Action::Eliminate));
    }

    #[test]
    fn default_voting_closes_before_day_end() {
        let tl = Preset::Default.day_timeline(
            0,
            DayContent {
                has_game: true,
                has_activity: true,
                has_dilemma: true,
            },
        );
        assert_eq!(tl.len(), 13);
        let at = |a: Action| tl.iter().find(|(_, x)| *x == a).map(|(t, _)| *t);
        assert_eq!(at(Action::CloseVoting), Some(839 * MIN));
        assert_eq!(at(Action::EndDay), Some(899 * MIN));
        // Calendar order differs from canonical order (START_GAME before CLOSE_GROUP_CHAT in COMPACT).
        let c = Preset::Compact.day_timeline(
            0,
            DayContent {
                has_game: true,
                ..Default::default()
            },
        );
        assert!(c.windows(2).all(|w| w[0].0 <= w[1].0));
    }
}
