//! One stable sort for the whole lab.
//!
//! std's `sort`, `sort_by` and `sort_by_key` are generated afresh for every closure: thirty
//! call sites cost about 150 KB of wasm before `wasm-opt`. These functions give the same
//! result (stable: equal elements keep their order) through one merge sort on indices with a
//! dynamic comparator, so each call site adds only a few small lines of code. `tests/integration/tidy.rs`
//! keeps the std sorts out of the crate.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `v` stably with `cmp`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = {
        let items: &[T] = v;
        stable_order(items.len(), &mut |i, j| cmp(&items[i], &items[j]))
    };
    permute(v, &order);
}

/// Sorts `v` stably by `key` (each key computed once, as `sort_by_cached_key` does).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl FnMut(&T) -> K) {
    let keys: Vec<K> = v.iter().map(key).collect();
    let order = stable_order(keys.len(), &mut |i, j| keys[i].cmp(&keys[j]));
    permute(v, &order);
}

/// Sorts `v` stably in its natural order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// A map of `items`, as `collect()` builds it (a later value for the same key wins), by
/// inserting: `BTreeMap`'s `FromIterator` sorts with std's sort, generated again per type.
pub fn map<K: Ord, V>(items: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut m = BTreeMap::new();
    for (k, v) in items {
        m.insert(k, v);
    }
    m
}

/// A set of `items`, as `collect()` builds it, by inserting (see [`map`]).
pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut s = BTreeSet::new();
    for t in items {
        s.insert(t);
    }
    s
}

/// `collect()` into a `BTreeMap` or `BTreeSet` through [`map`] and [`set`]: the same result,
/// without std's sort generated again for the item type.
pub trait CollectSorted: Iterator + Sized {
    /// As `collect::<BTreeMap<_, _>>()`.
    fn collect_map<K: Ord, V>(self) -> BTreeMap<K, V>
    where
        Self: Iterator<Item = (K, V)>,
    {
        map(self)
    }

    /// As `collect::<BTreeSet<_>>()`.
    fn collect_set(self) -> BTreeSet<Self::Item>
    where
        Self::Item: Ord,
    {
        set(self)
    }
}

impl<I: Iterator> CollectSorted for I {}

/// The indices `0..n` in stably sorted order: a bottom-up merge sort.
fn stable_order(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut from: Vec<usize> = (0..n).collect();
    let mut to = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut left, mut right) = (start, mid);
            for slot in &mut to[start..end] {
                // Take from the right run only when strictly less: that keeps it stable.
                if right < end && (left >= mid || cmp(from[right], from[left]) == Ordering::Less) {
                    *slot = from[right];
                    right += 1;
                } else {
                    *slot = from[left];
                    left += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut from, &mut to);
        width *= 2;
    }
    from
}

/// Rearranges `v` so that `v[k]` is what `v[order[k]]` was, by following the cycles of the
/// permutation with swaps.
fn permute<T>(v: &mut [T], order: &[usize]) {
    let mut done = vec![false; order.len()];
    for start in 0..order.len() {
        if done[start] {
            continue;
        }
        let mut j = start;
        loop {
            done[j] = true;
            let next = order[j];
            if next == start {
                break;
            }
            v.swap(j, next);
            j = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[expect(
        clippy::disallowed_methods,
        reason = "the std sort is the reference this one must match"
    )]
    fn matches_the_std_stable_sort_on_many_inputs() {
        let mut seed = 7u64;
        for n in 0..200 {
            let v: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    ((seed >> 60) as u8, i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|p| p.0);
            let mut got = v.clone();
            sort_by_key(&mut got, |p| p.0);
            assert_eq!(got, want, "n={n}");
            let mut got = v.clone();
            sort_by(&mut got, |a, b| b.0.cmp(&a.0));
            let mut want = v.clone();
            want.sort_by_key(|p| std::cmp::Reverse(p.0));
            assert_eq!(got, want, "n={n} reversed");
            let mut got = v;
            sort(&mut got);
            assert!(got.windows(2).all(|w| w[0] <= w[1]));
        }
    }

    #[test]
    fn map_and_set_build_what_collect_builds() {
        let pairs = [(3, "c"), (1, "a"), (3, "z"), (2, "b")];
        let want: BTreeMap<_, _> = pairs.into_iter().collect();
        assert_eq!(map(pairs), want);
        let want: BTreeSet<_> = [5, 1, 5, 3].into_iter().collect();
        assert_eq!(set([5, 1, 5, 3]), want);
        assert_eq!(pairs.into_iter().collect_map(), map(pairs));
        assert_eq!([5, 1, 5, 3].into_iter().collect_set(), want);
    }

    #[test]
    fn sorts_non_copy_elements() {
        let mut v = vec![
            "pear".to_string(),
            "apple".into(),
            "fig".into(),
            "apple".into(),
        ];
        sort(&mut v);
        assert_eq!(v, ["apple", "apple", "fig", "pear"]);
    }
}
