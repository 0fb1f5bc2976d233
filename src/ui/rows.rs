//! What the long lists share (the objects, the events, the what-if pods): the spacer that stands for the rows
//! out of view, and where a list is scrolled to. Which rows to keep is
//! [`crate::explorer::view::window`].

use leptos::prelude::*;

/// The height a long list is drawn for: rows beyond it are not in the page until scrolled to.
pub const LIST_VIEW_PX: usize = 1200;

/// A list item `height` pixels high standing for rows out of view (none when 0).
pub fn spacer(height: usize) -> Option<impl IntoView> {
    (height > 0).then(|| {
        view! { <li class="list-spacer" aria-hidden="true" style:height=format!("{height}px")></li> }
    })
}

/// A table row `height` pixels high, `columns` wide, standing for rows out of view (none when 0).
pub fn table_spacer(height: usize, columns: u8) -> Option<impl IntoView> {
    (height > 0).then(|| {
        view! {
            <tr class="list-spacer" aria-hidden="true" style:height=format!("{height}px")>
                <td colspan=columns.to_string()></td>
            </tr>
        }
    })
}

/// How far the list a scroll event came from is scrolled down, in pixels.
pub fn scrolled_to(event: &leptos::ev::Event) -> usize {
    let list: web_sys::Element = event_target(event);
    usize::try_from(list.scroll_top()).unwrap_or(0)
}
