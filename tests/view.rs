//! The page's view arithmetic (`explorer::view`): the rows a long list keeps in the page (the
//! ones in view and a few beyond, never past the end, whatever the scroll position) and the
//! picture's zoom.
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

/// The picture's zoom (issue 16): percent of its natural size, steps of 3/2 that reach 100%
/// from 1% in a dozen, "Fit" within bounds.
#[test]
fn zoom_steps_and_fit() {
    use svcscope::explorer::view::{fit_zoom, zoomed, zoomed_size, ZoomStep};
    let mut zoom = 1;
    let mut steps = 0;
    while zoom < 100 {
        zoom = zoomed(zoom, ZoomStep::In);
        steps += 1;
    }
    assert_eq!(steps, 12, "from 1% to {zoom}%");
    assert_eq!(zoomed(100, ZoomStep::In), 150);
    assert_eq!(zoomed(100, ZoomStep::Out), 66);
    assert_eq!(zoomed(2, ZoomStep::Out), 1);
    assert_eq!(zoomed(1, ZoomStep::Out), 1);
    assert_eq!(zoomed(300, ZoomStep::In), 400);
    assert_eq!(zoomed(37, ZoomStep::Reset), 100);
    // 3 nodes (838 px) in a 560 px panel; 1,000 Services (234,000 px) in 1,200 px.
    assert_eq!(fit_zoom(838, 560), 66);
    assert_eq!(fit_zoom(234_000, 1_200), 1);
    assert_eq!(fit_zoom(100, 10_000), 400);
    assert_eq!(fit_zoom(0, 500), 400);
    assert_eq!(zoomed_size(838, 66), 553);
    assert_eq!(zoomed_size(10, 1), 1);
}

/// A list of at most 200 rows stays whole; a longer one keeps its rows in view, and its two
/// spacers with them add up to the whole list's height.
#[test]
fn short_lists_stay_whole_and_long_ones_add_up() {
    use svcscope::explorer::view::{window, WHOLE_LIST_ROWS};
    let whole = window(WHOLE_LIST_ROWS, 22, 1200, 5000);
    assert_eq!(
        (whole.rows, whole.before_px, whole.after_px),
        (0..WHOLE_LIST_ROWS, 0, 0)
    );
    for (count, top) in [
        (201, 0),
        (10_000, 0),
        (10_000, 100_000),
        (10_000, 10_000_000),
    ] {
        let shown = window(count, 22, 1200, top);
        assert!(shown.rows.len() < count, "{count} at {top}: {shown:?}");
        assert_eq!(
            shown.before_px + shown.rows.len() * 22 + shown.after_px,
            count * 22,
            "{count} at {top}: {shown:?}"
        );
    }
}
