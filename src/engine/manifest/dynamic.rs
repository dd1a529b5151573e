//! The DYNAMIC ruleset's validation: `ruleset.voting`, `.social`, `.dayCount`, `.games` (the
//! content pools are in `content`), into the [`DynamicRules`] each morning resolves its day from.

use super::content;
use super::validate::{at, item, Checker};
use super::wire::{GameRulesWire, Name, PoolMode, RulesetWire, ScalingWire, SocialWire};
use super::{DayCount, DayCountMode, DynamicRules, Scaling, ScalingMode, SocialRuleset, VoteType};
use crate::engine::games::{GameRuleMode, GameRules, GameType};

/// `ruleset` (absent: MAJORITY every day, the default social limits, no content, no games).
pub(super) fn ruleset(c: &mut Checker, r: Option<&RulesetWire>, path: &str) -> DynamicRules {
    let Some(r) = r else {
        return DynamicRules {
            allowed_votes: vec![VoteType::Majority],
            social: SocialRuleset::default(),
            day_count: DayCount::default(),
            content: Default::default(),
            games: GameRules::default(),
        };
    };
    let social = r.social.as_ref().map_or_else(SocialRuleset::default, |s| {
        social(c, s, &at(path, "social"))
    });
    // --- Daily games ---
    let games = r
        .games
        .as_ref()
        .map_or_else(GameRules::default, |g| games(c, g, &at(path, "games")));
    let day_count = match &r.day_count {
        None => DayCount::default(),
        Some(d) => {
            let p = at(path, "dayCount");
            DayCount {
                mode: c
                    .name_or(d.mode.as_ref(), &at(&p, "mode"), DayCountMode::default())
                    .unwrap_or_default(),
                fixed_count: c
                    .bounded(d.fixed_count, &at(&p, "fixedCount"))
                    .map(|x| x as u32),
                max_days: c.bounded(d.max_days, &at(&p, "maxDays")).map(|x| x as u32),
            }
        }
    };
    let content = content::rules(c, r, path);
    if let Some(k) = &r.kind {
        c.resolve(k, &at(path, "kind"));
    }
    let mut allowed_votes = Vec::new();
    // The prototype's `mode` picks the list rotated through: SEQUENCE `sequence`, POOL `pool`.
    let voting = r.voting.as_ref();
    let mode = voting
        .and_then(|v| v.mode.as_ref())
        .and_then(|m| c.resolve(m, &at(path, "voting.mode")));
    let (list, field) = match (mode, voting) {
        (Some(PoolMode::Sequence), Some(v)) => (v.sequence.as_ref(), "voting.sequence"),
        (Some(PoolMode::Pool), Some(v)) => (v.pool.as_ref(), "voting.pool"),
        (Some(PoolMode::None), _) => {
            c.refuse(
                &at(path, "voting.mode"),
                true,
                "every day has a vote: use SEQUENCE or POOL",
            );
            (None, "voting.allowed")
        }
        (_, v) => (v.and_then(|v| v.allowed.as_ref()), "voting.allowed"),
    };
    match list {
        None => allowed_votes.push(VoteType::Majority),
        Some(list) => {
            let p = at(path, field);
            for (i, v) in list.iter().enumerate() {
                allowed_votes.extend(c.vote(v, &item(&p, i)));
            }
        }
    }
    DynamicRules {
        allowed_votes,
        social,
        day_count,
        content,
        games,
    }
}

/// `ruleset.social`: absent fields take the engine defaults.
fn social(c: &mut Checker, s: &SocialWire, path: &str) -> SocialRuleset {
    let d = SocialRuleset::default();
    SocialRuleset {
        dm_chars: s.dm_chars.as_ref().map_or(d.dm_chars, |x| {
            scaling(c, x, &at(path, "dmChars"), d.dm_chars)
        }),
        dm_partners: s.dm_partners.as_ref().map_or(d.dm_partners, |x| {
            scaling(c, x, &at(path, "dmPartners"), d.dm_partners)
        }),
        dm_cost: c
            .bounded(s.dm_cost, &at(path, "dmCost"))
            .unwrap_or(d.dm_cost),
        require_dm_invite: s.require_dm_invite.unwrap_or(d.require_dm_invite),
        dm_slots_per_player: c
            .bounded(s.dm_slots_per_player, &at(path, "dmSlotsPerPlayer"))
            .map_or(d.dm_slots_per_player, |x| x as u32),
        disable_nudge_throttle: s.disable_nudge_throttle.unwrap_or(d.disable_nudge_throttle),
        group_dm_enabled: s.group_dm_enabled.unwrap_or(d.group_dm_enabled),
    }
}

/// `{mode, base, floor?}` of a DYNAMIC social limit.
fn scaling<const MAX: u64>(
    c: &mut Checker,
    s: &ScalingWire<MAX>,
    path: &str,
    default: Scaling,
) -> Scaling {
    let p = at(path, "mode");
    let mode = c
        .required(s.mode.as_ref(), &p)
        .and_then(|m| c.resolve::<ScalingMode>(m, &p));
    let p = at(path, "base");
    let base = c.required(s.base, &p).and_then(|b| c.bounded(Some(b), &p));
    let floor = c.bounded(s.floor, &at(path, "floor")).map(|x| x as u32);
    match (mode, base) {
        (Some(mode), Some(base)) => Scaling {
            mode,
            base: base as u32,
            floor,
        },
        _ => default,
    }
}

// --- Daily games ---
/// `ruleset.games`: `allowed` is rotated through and wins over the legacy `mode` (SEQUENCE with
/// `sequence`, POOL with `pool`, NONE). Every list is checked, read or not.
fn games(c: &mut Checker, g: &GameRulesWire, path: &str) -> GameRules {
    let mode = c.name_or(g.mode.as_ref(), &at(path, "mode"), PoolMode::None);
    let avoid_repeat = g.avoid_repeat.unwrap_or(true);
    let mut list = |key: &str, l: &Option<Vec<Name<GameType>>>| {
        let p = at(path, key);
        l.as_ref().map(|l| {
            let games = l.iter().enumerate();
            games.filter_map(|(i, n)| c.game(n, &item(&p, i))).collect()
        })
    };
    let allowed: Option<Vec<GameType>> = list("allowed", &g.allowed);
    let sequence = list("sequence", &g.sequence);
    let pool = list("pool", &g.pool);
    let (mode, list) = match (allowed, mode) {
        (Some(list), _) => (GameRuleMode::Rotate, list),
        (None, Some(PoolMode::Sequence)) => (GameRuleMode::Sequence, sequence.unwrap_or_default()),
        (None, Some(PoolMode::Pool)) => (GameRuleMode::Rotate, pool.unwrap_or_default()),
        _ => (GameRuleMode::None, Vec::new()),
    };
    if list.is_empty() {
        return GameRules::default();
    }
    GameRules {
        mode,
        list,
        avoid_repeat,
    }
}
