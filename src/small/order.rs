//! Stable sorting that is small in wasm.
//!
//! `slice::sort_by` is excellent and large: every element type and comparison closure gets its
//! own copy of driftsort, about 5 KB of wasm each; with a dozen call sites in `sim` they were
//! 55 KB of the browser app (measured with twiggy). In the browser, [`merge_sort_by`] takes
//! their place: one non-generic merge sort orders indices through a `dyn` comparison, and a
//! small generic step moves the elements. Natively (the CLI, the benchmarks) the standard sort
//! stays. Both are stable, so the order is the same everywhere (`tests/order.rs`).

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`: [`merge_sort_by`] in wasm, the standard sort natively.
// A `Vec`, not a slice: the wasm variant rebuilds it. std's sort is disallowed everywhere else
// (clippy.toml); natively it is this function's own.
#[allow(clippy::ptr_arg, clippy::disallowed_methods)]
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(target_arch = "wasm32")]
    merge_sort_by(items, compare);
    #[cfg(not(target_arch = "wasm32"))]
    items.sort_by(compare);
}

/// Sorts `items` stably by `compare` with one shared, non-generic merge sort.
pub fn merge_sort_by<T>(items: &mut Vec<T>, mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = {
        let items: &Vec<T> = items;
        sorted_indices(
            items.len(),
            &mut |a, b| match (items.get(a), items.get(b)) {
                (Some(a), Some(b)) => compare(a, b),
                _ => Ordering::Equal,
            },
        )
    };
    let mut taken: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .into_iter()
            .filter_map(|index| taken.get_mut(index).and_then(Option::take)),
    );
}

/// Sorts `items` stably by the key `key` gives each.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` stably in their natural order.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, |a, b| a.cmp(b));
}

/// The indices `0..len` in the stable order `compare` (on indices) defines: a bottom-up merge
/// sort, one copy for every caller.
fn sorted_indices(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut merged: Vec<usize> = Vec::with_capacity(len);
    let mut width = 1;
    while width < len {
        merged.clear();
        let mut start = 0;
        while start < len {
            let middle = (start + width).min(len);
            let end = (start + 2 * width).min(len);
            let (mut left, mut right) = (start, middle);
            while left < middle && right < end {
                let (Some(&a), Some(&b)) = (order.get(left), order.get(right)) else {
                    break;
                };
                // Take from the right only when strictly smaller: equal elements keep their
                // order.
                if compare(b, a) == Ordering::Less {
                    merged.push(b);
                    right += 1;
                } else {
                    merged.push(a);
                    left += 1;
                }
            }
            merged.extend(order.get(left..middle).unwrap_or_default());
            merged.extend(order.get(right..end).unwrap_or_default());
            start = end;
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    order
}

/// A map from pairs, the last value winning for a repeated key (as `collect` does), without
/// `collect`'s sort (another driftsort copy per type).
pub fn map_from<K: Ord, V>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> std::collections::BTreeMap<K, V> {
    let mut map = std::collections::BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// A set from items, without `collect`'s sort.
pub fn set_from<T: Ord>(items: impl IntoIterator<Item = T>) -> std::collections::BTreeSet<T> {
    let mut set = std::collections::BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}
