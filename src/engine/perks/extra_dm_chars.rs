//! EXTRA_DM_CHARS: +600 DM characters today (`social::params::EXTRA_CHARS_BONUS`), for 2 silver.

use super::Boost;

pub(crate) const EXTRA_DM_CHARS: Boost = Boost {
    cost: 2,
    count: |usage| usage.extra_chars_perks += 1,
};
