//! The cluster's convergence, step by step, in words.

use leptos::prelude::*;

use crate::explorer::scene::Scene;
use crate::explorer::view::{visible_rows, WHOLE_LIST_ROWS};

/// An event's height in a long list, in pixels (`.event-list--long .event` in app.css).
const EVENT_ROW_PX: usize = 22;

/// The height a long list is drawn for: rows beyond it are not in the page until scrolled to.
const LIST_VIEW_PX: usize = 1200;

/// The event stream of the simulated cluster as an ordered list: Services created, pods
/// created, scheduled, given addresses and reported Ready, endpoints written. It tells the
/// whole story without animation. While the timeline replays, the events not yet applied are
/// dimmed and the last applied one is marked; clicking an event moves the timeline there.
///
/// `cluster` is the simulated cluster built from the editor's text; `step` the timeline's
/// position (`None`: now).
#[component]
pub fn EventList(
    #[prop(into)] scene: Signal<Scene>,
    step: RwSignal<Option<usize>>,
) -> impl IntoView {
    // A long list keeps only the events in view in the page (and spacers for the rest).
    let scrolled = RwSignal::new(0usize);
    let long = move || scene.with(|scene| scene.events.len() > WHOLE_LIST_ROWS);
    let items = move || {
        let at = step.get();
        scene.with(|scene| {
            let count = scene.events.len();
            let range = if count > WHOLE_LIST_ROWS {
                visible_rows(count, EVENT_ROW_PX, LIST_VIEW_PX, scrolled.get())
            } else {
                0..count
            };
            let spacer = |height: usize| {
                (height > 0).then(|| {
                    view! { <li class="event-list__spacer" aria-hidden="true" style:height=format!("{height}px")></li> }
                })
            };
            let before = spacer(range.start * EVENT_ROW_PX);
            let after = spacer((count - range.end) * EVENT_ROW_PX);
            let shown = scene
                .events
                .get(range.clone())
                .unwrap_or_default()
                .iter()
                .zip(range)
                .map(|(event, index)| {
                    let (class, current) = match at {
                        Some(at) if index >= at => ("event event--pending", "false"),
                        Some(at) if index + 1 == at => ("event", "step"),
                        _ => ("event", "false"),
                    };
                    view! {
                        <li
                            class=class
                            data-testid="event"
                            value=(index + 1).to_string()
                            title=event.clone()
                            aria-current=current
                            on:click=move |_| step.set(Some(index + 1))
                        >
                            {event.clone()}
                        </li>
                    }
                })
                .collect::<Vec<_>>();
            (before, shown, after)
        })
    };
    view! {
        <ol
            class="event-list"
            class:event-list--long=long
            data-testid="event-list"
            on:scroll=move |event| {
                let list: web_sys::Element = event_target(&event);
                scrolled.set(usize::try_from(list.scroll_top()).unwrap_or(0));
            }
        >
            {items}
        </ol>
    }
}
