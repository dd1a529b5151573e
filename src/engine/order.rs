//! One stable sort for the whole engine. `slice::sort_by` is compiled anew for every element
//! type and comparison (each copy several KB of wasm); these helpers sort a list of positions
//! with one compiled `sort_by` and then move the elements into that order. The result is the
//! same as `sort_by` / `sort_by_key` (stable: equal elements keep their order), so replay is
//! unchanged (BENCHMARKS.md, "Third pass: the deserialisers").

use std::cmp::Ordering;

/// `v.sort_by(cmp)`, stable.
pub(crate) fn sort_by<T>(v: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = {
        let items: &[T] = v;
        positions(items.len(), &mut |a, b| cmp(&items[a], &items[b]))
    };
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// `v.sort_by_key(key)`, stable.
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)))
}

/// `0..n` sorted stably by `cmp` over positions: the only compiled copy of the sort.
#[inline(never)]
fn positions(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_order_as_std_stable_sort(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..80)) {
            let mut ours = v.clone();
            super::sort_by_key(&mut ours, |(k, _)| *k);
            let mut std = v.clone();
            std.sort_by_key(|(k, _)| *k);
            prop_assert_eq!(&ours, &std);
            let mut ours = v.clone();
            super::sort_by(&mut ours, |a, b| (a.0 % 3).cmp(&(b.0 % 3)).reverse());
            let mut std = v;
            std.sort_by(|a, b| (a.0 % 3).cmp(&(b.0 % 3)).reverse());
            prop_assert_eq!(ours, std);
        }
    }
}
