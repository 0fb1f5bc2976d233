//! The rows a long list keeps in the page (`explorer::view::visible_rows`): the ones in view and
//! a few beyond, never past the end, whatever the scroll position.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use svcscope::explorer::view::visible_rows;

#[test]
fn rows_in_view_with_a_margin() {
    // (count, row height, viewport, scroll top) -> rows
    let table = [
        ((10_000, 22, 440, 0), 0..36),
        ((10_000, 22, 440, 2200), 92..128),
        ((10_000, 22, 440, 219_978), 9_991..10_000),
        ((10_000, 22, 440, 10_000_000), 10_000..10_000),
        ((5, 22, 440, 0), 0..5),
        ((0, 22, 440, 0), 0..0),
        ((100, 0, 440, 50), 42..100),
    ];
    for ((count, height, viewport, top), rows) in table {
        assert_eq!(
            visible_rows(count, height, viewport, top),
            rows,
            "{count} rows of {height} px, {viewport} px scrolled {top}"
        );
    }
}

proptest! {
    #[test]
    fn every_row_in_view_is_kept(count in 0usize..100_000, height in 1usize..100, viewport in 0usize..3000, top in 0usize..10_000_000) {
        let rows = visible_rows(count, height, viewport, top);
        prop_assert!(rows.start <= rows.end && rows.end <= count);
        // Every row that overlaps the view is in the range.
        let first_seen = top / height;
        let last_seen = (top + viewport) / height;
        for row in first_seen..=last_seen {
            if row < count {
                prop_assert!(rows.contains(&row), "{row} not in {rows:?}");
            }
        }
        // Never more than the view and its margins.
        prop_assert!(rows.len() <= viewport.div_ceil(height) + 16);
    }
}
