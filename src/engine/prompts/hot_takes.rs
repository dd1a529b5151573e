//! The HOT_TAKE pool: statements with two to four options. A game draws them without repeats
//! (seeded), starting over only once every statement has been used.

/// One statement of the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HotTake {
    pub id: &'static str,
    pub statement: &'static str,
    pub options: &'static [&'static str],
}

const AD: &[&str] = &["Agree", "Disagree"];

const fn ht(
    id: &'static str,
    statement: &'static str,
    options: &'static [&'static str],
) -> HotTake {
    HotTake {
        id,
        statement,
        options,
    }
}

/// The shipped pool (30 statements).
pub const HOT_TAKES: [HotTake; 30] = [
    ht("ht-01", "Pineapple belongs on pizza.", AD),
    ht(
        "ht-02",
        "Breakfast is the most overrated meal of the day.",
        AD,
    ),
    ht(
        "ht-03",
        "Texting back immediately is a red flag.",
        &["Agree", "Disagree", "Depends who"],
    ),
    ht(
        "ht-04",
        "Cats make better roommates than dogs.",
        &["Cats", "Dogs", "Neither"],
    ),
    ht("ht-05", "Reality TV is a legitimate art form.", AD),
    ht("ht-06", "The best part of a holiday is coming home.", AD),
    ht(
        "ht-07",
        "Reclining your seat on a plane is fine.",
        &["Always", "Never", "Only on night flights"],
    ),
    ht("ht-08", "Cereal is a soup.", AD),
    ht("ht-09", "Sequels are usually better than the original.", AD),
    ht("ht-10", "Winning matters more than how you win.", AD),
    ht("ht-11", "A little lie keeps a friendship alive.", AD),
    ht("ht-12", "Voice notes are worse than phone calls.", AD),
    ht("ht-13", "Morning people are more trustworthy.", AD),
    ht(
        "ht-14",
        "Every group chat needs a mute button for its loudest member.",
        AD,
    ),
    ht("ht-15", "Spoilers don't actually ruin anything.", AD),
    ht(
        "ht-16",
        "The best season of the year is…",
        &["Spring", "Summer", "Autumn", "Winter"],
    ),
    ht(
        "ht-17",
        "A bill should be split evenly, whoever ordered what.",
        AD,
    ),
    ht("ht-18", "Ghosting is sometimes the kindest option.", AD),
    ht(
        "ht-19",
        "Board games ruin friendships.",
        &["Agree", "Disagree", "Only the long ones"],
    ),
    ht("ht-20", "Socks with sandals are acceptable.", AD),
    ht("ht-21", "A hot dog is a sandwich.", AD),
    ht("ht-22", "Arriving exactly on time to a party is rude.", AD),
    ht("ht-23", "First impressions are always right.", AD),
    ht("ht-24", "Alliances are made to be broken.", AD),
    ht("ht-25", "Keeping score in a friendship is healthy.", AD),
    ht(
        "ht-26",
        "The only right way to eat fries is with…",
        &["Ketchup", "Mayo", "Nothing", "Gravy"],
    ),
    ht("ht-27", "A silence in a conversation is never awkward.", AD),
    ht(
        "ht-28",
        "In this game it is better to be…",
        &["Liked", "Feared", "Ignored"],
    ),
    ht("ht-29", "Everyone in this house is hiding something.", AD),
    ht(
        "ht-30",
        "A stranger is easier to trust than an old friend.",
        AD,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_is_well_formed() {
        for (i, h) in HOT_TAKES.iter().enumerate() {
            assert_eq!(h.id, format!("ht-{:02}", i + 1));
            assert!((2..=4).contains(&h.options.len()), "{}", h.id);
            assert!(h.statement.chars().count() <= crate::engine::state::MAX_MESSAGE_CHARS);
        }
    }
}
