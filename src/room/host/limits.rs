//! Per-player limits of a live room (docs/security.md, "Limits"): one token bucket per player
//! for frames (over all their sockets) and one for connects, and the day's budget of journaled
//! refusals, kept in DO storage.

use super::RATE_STRIKES_CLOSE;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::limits::{
    CONNECTS_PER_MIN, CONNECT_BURST, MAX_SOCKETS_PER_PLAYER, REFUSALS_PER_DAY,
};

/// A token bucket: `per_s` a second, bursts of `burst`, measured by the times given to the host.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Bucket {
    tokens: f64,
    last_ms: i64,
    /// Consecutive refusals; [`RATE_STRIKES_CLOSE`] of them close the socket (4008).
    strikes: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rate {
    Admit,
    Refuse,
    /// Persistent abuse: close the socket.
    Close,
}

impl Bucket {
    pub(super) fn full(burst: f64, now_ms: i64) -> Bucket {
        Bucket {
            tokens: burst,
            last_ms: now_ms,
            strikes: 0,
        }
    }

    pub(super) fn take(&mut self, now_ms: i64, per_s: f64, burst: f64) -> Rate {
        let elapsed = now_ms.saturating_sub(self.last_ms).max(0);
        self.tokens = (self.tokens + elapsed as f64 / 1000.0 * per_s).min(burst);
        self.last_ms = self.last_ms.max(now_ms);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            self.strikes = 0;
            Rate::Admit
        } else {
            self.strikes += 1;
            if self.strikes >= RATE_STRIKES_CLOSE {
                Rate::Close
            } else {
                Rate::Refuse
            }
        }
    }
}

/// A player's buckets, shared by all their sockets. They live in the host's memory: a fresh
/// host (after hibernation) starts them full, which grants nothing a flood could use, since a
/// Durable Object hibernates only after a quiet spell in which the buckets would refill anyway.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct PlayerLimits {
    pub(super) frames: Bucket,
    pub(super) connects: Bucket,
}

impl PlayerLimits {
    pub(super) fn new(frame_burst: f64, now_ms: i64) -> PlayerLimits {
        PlayerLimits {
            frames: Bucket::full(frame_burst, now_ms),
            connects: Bucket::full(CONNECT_BURST, now_ms),
        }
    }

    /// One connect: admitted, or refused (the socket is closed with 4008).
    pub(super) fn connect(&mut self, now_ms: i64) -> bool {
        self.connects
            .take(now_ms, CONNECTS_PER_MIN / 60.0, CONNECT_BURST)
            == Rate::Admit
    }
}

/// Journaled refusals per player on one UTC day (`day` = days since the epoch), stored as JSON
/// under the meta key `refusals` ([`crate::room::live::Store::refusals`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Refusals {
    pub(super) day: i64,
    pub(super) counts: BTreeMap<String, u32>,
}

impl Refusals {
    /// The UTC day of `now_ms`.
    pub(super) fn day_of(now_ms: i64) -> i64 {
        now_ms.div_euclid(86_400_000)
    }

    /// Reads the stored form; anything unreadable counts as no refusals yet.
    pub(super) fn parse(json: Option<&str>) -> Refusals {
        json.and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default()
    }

    /// Starts a new day's counts when `now_ms` is past the stored day.
    pub(super) fn roll(&mut self, now_ms: i64) {
        let today = Refusals::day_of(now_ms);
        if today != self.day {
            self.day = today;
            self.counts.clear();
        }
    }

    /// Whether `player` may have one more refusal journaled today.
    pub(super) fn allows(&self, player: &str) -> bool {
        self.counts.get(player).copied().unwrap_or(0) < REFUSALS_PER_DAY
    }

    pub(super) fn count(&mut self, player: &str) {
        *self.counts.entry(player.to_string()).or_insert(0) += 1;
    }

    pub(super) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Player id → their buckets.
pub(super) type Players = BTreeMap<String, PlayerLimits>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_counts_start_over_each_utc_day() {
        let mut r = Refusals::parse(None);
        r.roll(86_400_000 * 3 + 5);
        for _ in 0..REFUSALS_PER_DAY {
            assert!(r.allows("p1"));
            r.count("p1");
        }
        assert!(!r.allows("p1"));
        assert!(r.allows("p2"));
        let stored = Refusals::parse(Some(&r.to_json()));
        assert_eq!(stored, r);
        let mut next = stored;
        next.roll(86_400_000 * 4);
        assert!(next.allows("p1"));
        assert_eq!(Refusals::parse(Some("not json")), Refusals::default());
    }
}
