//! `sim::order`: the small stable sort gives exactly what the standard library's stable sort
//! gives, equal keys in their original order included.
#![cfg(not(target_arch = "wasm32"))]
// Tests may panic and sort with std: the lints in Cargo.toml and clippy.toml guard the library
// and the binaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::disallowed_methods
)]

use proptest::prelude::*;
use svcscope::small::order;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn same_as_the_standard_stable_sort(items in proptest::collection::vec((0u8..8, any::<u32>()), 0..300)) {
        let mut expected = items.clone();
        expected.sort_by_key(|item| item.0);
        let mut actual = items.clone();
        order::sort_by_key(&mut actual, |item| item.0);
        prop_assert_eq!(&actual, &expected);
        // The browser's sort, natively.
        let mut merged = items.clone();
        order::merge_sort_by(&mut merged, |a, b| a.0.cmp(&b.0));
        prop_assert_eq!(&merged, &expected);
        let mut expected = items.clone();
        expected.sort();
        let mut actual = items;
        order::sort(&mut actual);
        prop_assert_eq!(actual, expected);
    }

    #[test]
    fn maps_and_sets_keep_the_last_value(pairs in proptest::collection::vec((0u8..16, any::<u8>()), 0..64)) {
        let expected: std::collections::BTreeMap<u8, u8> = pairs.iter().copied().collect();
        prop_assert_eq!(order::map_from(pairs.iter().copied()), expected);
        let keys: std::collections::BTreeSet<u8> = pairs.iter().map(|pair| pair.0).collect();
        prop_assert_eq!(order::set_from(pairs.iter().map(|pair| pair.0)), keys);
    }
}
