//! EXTRA_DM_PARTNER: +1 distinct DM partner and +1 conversation slot today, for 3 silver.

use super::Boost;

pub(crate) const EXTRA_DM_PARTNER: Boost = Boost {
    cost: 3,
    count: |usage| usage.extra_partner_perks += 1,
};
