//! Sorting with one copy of the sorting code for the whole program.
//!
//! `slice::sort_by` (and `sort_by_key`, `sort`, and collecting into a `BTreeMap` or `BTreeSet`,
//! which sorts what it is given) is generic over the element and the comparison: every call
//! with its own closure compiles its own driftsort, some 4 KiB of wasm each. These helpers sort a
//! permutation of indices instead, through one non-generic function, then move the elements into
//! place: the same stable order as `sort_by`, with a few hundred bytes per call site. The docs
//! widget's download has a budget (ARCHITECTURE.md, "Build facts"), so the engine, the diagrams
//! and the views sort through here; the native hosts do not notice the difference.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` stably by `compare`, as `items.sort_by(compare)` does.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = sorted_indices(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` stably by the key `key` gives, as `items.sort_by_key(key)` does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` stably, as `items.sort()` does.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// A map of the pairs, the last value of a key winning, as `collect::<BTreeMap<_, _>>()` builds
/// it (which sorts the pairs first).
pub fn map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(pairs);
    map
}

/// A set of the items, as `collect::<BTreeSet<_>>()` builds it (which sorts them first).
pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// The indices `0..len` in the order `compare` sorts them, equal ones in their order: the one
/// instance of the standard library's stable sort that these helpers use.
#[inline(never)]
fn sorted_indices(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Moves the items so that position `i` holds the item that was at `order[i]`, following each
/// cycle of the permutation (`order` marks the positions done).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != usize::MAX {
            let from = std::mem::replace(&mut order[at], usize::MAX);
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_the_standard_library_does_keeping_equal_items_in_order() {
        let mut seed = 7u64;
        for len in 0..200 {
            let mut items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|item| item.0);
            sort_by(&mut items, |a, b| a.0.cmp(&b.0));
            assert_eq!(items, expected);
            let mut by_key = expected.clone();
            by_key.reverse();
            let mut expected = by_key.clone();
            expected.sort_by_key(|item| std::cmp::Reverse(item.0));
            sort_by_key(&mut by_key, |item| std::cmp::Reverse(item.0));
            assert_eq!(by_key, expected);
        }
    }

    #[test]
    fn collections_keep_the_last_value_of_a_key() {
        let pairs = [("b", 1), ("a", 2), ("b", 3)];
        assert_eq!(map(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(set(["b", "a", "b"]), ["b", "a", "b"].into_iter().collect::<BTreeSet<_>>());
    }
}
