//! The page's view state that share links and storage carry besides the questions: the open
//! panel and the picture's zoom.

/// The explorer's panels, by the names share links and `?panel=` use. The embedded view shows
/// one at a time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Panel {
    /// The cluster picture.
    #[default]
    Cluster,
    /// What is selected on the picture, and why it is (not) an endpoint.
    Selection,
    /// Ask DNS.
    Dns,
    /// Send a packet.
    Trace,
    /// kube-proxy's rules.
    Rules,
    /// What-ifs.
    WhatIf,
    /// The objects read.
    Objects,
    /// kubectl's output.
    Kubectl,
    /// The event stream.
    Events,
}

impl Panel {
    /// Every panel, in the order the page shows them.
    pub const ALL: [Panel; 9] = [
        Panel::Cluster,
        Panel::Selection,
        Panel::Dns,
        Panel::Trace,
        Panel::Rules,
        Panel::WhatIf,
        Panel::Objects,
        Panel::Kubectl,
        Panel::Events,
    ];

    /// Its name in links.
    pub fn id(self) -> &'static str {
        match self {
            Panel::Cluster => "cluster",
            Panel::Selection => "selected",
            Panel::Dns => "dns",
            Panel::Trace => "trace",
            Panel::Rules => "rules",
            Panel::WhatIf => "what-if",
            Panel::Objects => "objects",
            Panel::Kubectl => "kubectl",
            Panel::Events => "events",
        }
    }

    /// Its title on the page.
    pub fn title(self) -> &'static str {
        match self {
            Panel::Cluster => "Cluster",
            Panel::Selection => "Selected",
            Panel::Dns => "Ask DNS",
            Panel::Trace => "Send a packet",
            Panel::Rules => "Rules",
            Panel::WhatIf => "What if",
            Panel::Objects => "Objects",
            Panel::Kubectl => "kubectl",
            Panel::Events => "Events",
        }
    }

    /// The panel named `id`, if there is one.
    pub fn from_id(id: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|panel| panel.id() == id)
    }
}

/// The cluster picture's zoom when nothing else is chosen, in percent of its natural size (the
/// size its text is written for).
pub const ZOOM_DEFAULT: u16 = 100;
/// The smallest zoom: a 1,000-Service picture is some 200,000 px wide.
pub const ZOOM_MIN: u16 = 1;
/// The largest zoom.
pub const ZOOM_MAX: u16 = 400;

/// A zoom step of the picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZoomStep {
    /// Half as large again.
    In,
    /// A third smaller.
    Out,
    /// Back to the natural size (100%).
    Reset,
}

/// `zoom` after `step`, within [`ZOOM_MIN`]..=[`ZOOM_MAX`]: steps of 3/2, so that 1% reaches
/// 100% in a dozen steps, and every step moves by at least one percent.
pub fn zoomed(zoom: u16, step: ZoomStep) -> u16 {
    let zoom = u32::from(zoom);
    let next = match step {
        ZoomStep::Reset => u32::from(ZOOM_DEFAULT),
        ZoomStep::In => (zoom * 3 / 2).max(zoom + 1),
        ZoomStep::Out => (zoom * 2 / 3).min(zoom.saturating_sub(1)),
    };
    u16::try_from(next)
        .unwrap_or(ZOOM_MAX)
        .clamp(ZOOM_MIN, ZOOM_MAX)
}

/// The zoom at which a picture `natural` pixels wide fills `available` pixels (the "Fit"
/// control), within bounds.
pub fn fit_zoom(natural: i64, available: i64) -> u16 {
    let percent = available.max(0).saturating_mul(100) / natural.max(1);
    u16::try_from(percent)
        .unwrap_or(ZOOM_MAX)
        .clamp(ZOOM_MIN, ZOOM_MAX)
}

/// The picture's width or height on the page at `zoom`, in whole pixels (at least one).
pub fn zoomed_size(natural: i64, zoom: u16) -> i64 {
    (natural.saturating_mul(i64::from(zoom)) / 100).max(1)
}

/// A zoom from a link or storage: within bounds, else the default.
pub fn restored_zoom(zoom: u16) -> u16 {
    if (ZOOM_MIN..=ZOOM_MAX).contains(&zoom) {
        zoom
    } else {
        ZOOM_DEFAULT
    }
}

/// How many rows a list may have before only the rows in view are in the page (issue 18: long
/// lists are virtualised; shorter ones stay whole, so they size to their content).
pub const WHOLE_LIST_ROWS: usize = 200;

/// Rows rendered beyond the view, above and below, so that scrolling shows no gap.
const OVERSCAN_ROWS: usize = 8;

/// The rows of a list of `count` rows, each `row_height` pixels high, that a view of `viewport`
/// pixels scrolled down by `scroll_top` pixels shows (with a few rows beyond it either way).
pub fn visible_rows(
    count: usize,
    row_height: usize,
    viewport: usize,
    scroll_top: usize,
) -> std::ops::Range<usize> {
    let row_height = row_height.max(1);
    let first = (scroll_top / row_height).saturating_sub(OVERSCAN_ROWS);
    let shown = viewport.div_ceil(row_height) + 2 * OVERSCAN_ROWS;
    let first = first.min(count);
    first..first.saturating_add(shown).min(count)
}

/// What a list of `count` rows keeps in the page: the rows shown and the heights of the spacers
/// that stand for the rest, in pixels. A list of at most [`WHOLE_LIST_ROWS`] rows is shown
/// whole; a longer one only around the view ([`visible_rows`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// The rows in the page.
    pub rows: std::ops::Range<usize>,
    /// The spacer above them.
    pub before_px: usize,
    /// The spacer below them.
    pub after_px: usize,
}

/// The [`Window`] of a list of `count` rows `row_height` pixels high, seen through `viewport`
/// pixels scrolled down by `scroll_top`.
pub fn window(count: usize, row_height: usize, viewport: usize, scroll_top: usize) -> Window {
    if count <= WHOLE_LIST_ROWS {
        return Window {
            rows: 0..count,
            before_px: 0,
            after_px: 0,
        };
    }
    let rows = visible_rows(count, row_height, viewport, scroll_top);
    Window {
        before_px: rows.start * row_height,
        after_px: count.saturating_sub(rows.end) * row_height,
        rows,
    }
}
