//! Rule sets: what differs between PECKING_ORDER (STATIC or DYNAMIC) and BLITZ is the plan of each
//! day (its vote and its timeline) and when the game is over. Everything else is shared.
//!
//! A new mode is a new implementation of [`RuleSet`] and a line in [`rules_for`]; the room and
//! worker layers do not change.

use super::manifest::{Kind, Manifest, Mode};
use super::timeline::Action;
use super::voting::VoteType;

/// The plan of one day (a round, in BLITZ).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayPlan {
    pub vote_type: VoteType,
    /// Absolute ms, sorted.
    pub timeline: Vec<(i64, Action)>,
    /// When the next day starts (`None` when this is the last planned day).
    pub next_day_start_ms: Option<i64>,
}

pub trait RuleSet {
    /// Plans day `day`, which is starting at `now_ms` with `alive` players alive, in a game
    /// playing rules version `rules` (`GameState::rules_version`).
    fn plan_day(&self, m: &Manifest, day: u32, now_ms: i64, alive: usize, rules: u32) -> DayPlan;
    /// Whether the game ends after the night of `day` (a FINALS winner ends every mode).
    fn is_complete(&self, m: &Manifest, day: u32, alive: usize) -> bool;
}

pub fn rules_for(m: &Manifest) -> &'static dyn RuleSet {
    match (m.mode, m.kind) {
        (Mode::Blitz, _) => &Blitz,
        (Mode::PeckingOrder, Kind::Static) => &StaticDays,
        (Mode::PeckingOrder, Kind::Dynamic) => &DynamicDays,
    }
}

/// Rotation over `pool` filtered to supported mechanisms that suit `alive` players; FINALS at 2
/// (docs/voting.md, "Common rules"). Public for the simulator's checker, which asks whether each
/// DYNAMIC morning opened the vote this gives for that day and that many alive players.
pub fn rotate(pool: &[VoteType], day: u32, alive: usize) -> VoteType {
    if alive <= 2 {
        return VoteType::Finals;
    }
    let ok: Vec<VoteType> = pool
        .iter()
        .copied()
        .filter(|v| *v != VoteType::Finals && v.is_supported() && v.min_players() <= alive)
        .collect();
    if ok.is_empty() {
        return VoteType::Majority;
    }
    ok[(day as usize - 1) % ok.len()]
}

/// PECKING_ORDER with every day listed in the manifest.
pub struct StaticDays;

impl RuleSet for StaticDays {
    fn plan_day(
        &self,
        m: &Manifest,
        day: u32,
        _now_ms: i64,
        _alive: usize,
        _rules: u32,
    ) -> DayPlan {
        let vote_type = m
            .days
            .get(day as usize - 1)
            .map(|d| d.vote_type)
            .unwrap_or(VoteType::Majority);
        let next = (day as usize) < m.days.len();
        DayPlan {
            vote_type,
            timeline: m.static_day_timeline(day),
            next_day_start_ms: next.then(|| next_static_start(m, day + 1)),
        }
    }

    fn is_complete(&self, m: &Manifest, day: u32, alive: usize) -> bool {
        day as usize >= m.days.len() || alive <= 1
    }
}

/// A STATIC day starts at its first listed event, or at the preset's day start.
fn next_static_start(m: &Manifest, day: u32) -> i64 {
    let preset_start = m.day_start_ms(day);
    match m
        .days
        .get(day as usize - 1)
        .and_then(|d| d.timeline.as_ref())
    {
        Some(t) => t.first().map(|(t, _)| *t).unwrap_or(preset_start),
        None => preset_start,
    }
}

/// PECKING_ORDER whose days are resolved each morning from that morning's state; timings are
/// anchored at the moment the day actually starts (docs/content.md §1.3).
pub struct DynamicDays;

impl RuleSet for DynamicDays {
    fn plan_day(&self, m: &Manifest, day: u32, now_ms: i64, alive: usize, rules: u32) -> DayPlan {
        let pool = m
            .dynamic
            .as_ref()
            .map(|d| d.allowed_votes.as_slice())
            .unwrap_or(&[]);
        let vote_type = rotate(pool, day, alive);
        DayPlan {
            vote_type,
            timeline: m
                .preset
                .day_timeline(now_ms, m.day_content(day, alive, rules)),
            // No next day once only the finalists are left.
            next_day_start_ms: (alive > 2).then(|| now_ms + m.preset.day_stride_ms()),
        }
    }

    fn is_complete(&self, _m: &Manifest, _day: u32, alive: usize) -> bool {
        alive <= 1
    }
}

/// BLITZ: rounds of `roundSeconds` in one sitting. Group chat stays open; the first third of a
/// round is kept for a quick game (BET_BET_BET or KINGS_RANSOM, rotating, when enough players are
/// alive, and from rules version 3 REALTIME_TRIVIA and TOUCH_SCREEN in long enough rounds too,
/// docs/games.md §8: it ends
/// a second before voting opens), then the vote runs until ten seconds before the round ends.
pub struct Blitz;

const BLITZ_VOTES: [VoteType; 4] = [
    VoteType::Majority,
    VoteType::Shield,
    VoteType::Bubble,
    VoteType::TrustPairs,
];

impl RuleSet for Blitz {
    fn plan_day(&self, m: &Manifest, day: u32, now_ms: i64, alive: usize, rules: u32) -> DayPlan {
        let len = m.round_seconds as i64 * 1000;
        let start = m.day_start_ms(day).max(now_ms);
        let mut timeline = vec![(start, Action::OpenGroupChat)];
        // --- Daily games: the quick game of the round's first third ---
        if super::games::game_for_day(m, day, alive, None, rules).is_some() {
            timeline.push((start, Action::StartGame));
            timeline.push((start + len / 3 - 1_000, Action::EndGame));
        }
        timeline.extend([
            (start + len / 3, Action::OpenVoting),
            (start + len - 10_000, Action::CloseVoting),
            (start + len, Action::EndDay),
        ]);
        DayPlan {
            vote_type: rotate(&BLITZ_VOTES, day, alive),
            timeline,
            next_day_start_ms: (alive > 2).then_some(start + len),
        }
    }

    fn is_complete(&self, _m: &Manifest, _day: u32, alive: usize) -> bool {
        alive <= 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_respects_player_counts_and_finals() {
        assert_eq!(rotate(&[VoteType::Majority], 3, 2), VoteType::Finals);
        assert_eq!(rotate(&[], 1, 8), VoteType::Majority);
        assert_eq!(rotate(&[VoteType::Bubble], 1, 8), VoteType::Bubble);
        assert_eq!(
            rotate(&[VoteType::Bubble], 1, 5),
            VoteType::Majority,
            "types that need more players are skipped"
        );
    }
}
