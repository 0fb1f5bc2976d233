//! The cluster's convergence, step by step, in words.

use leptos::prelude::*;

use super::rows::{scrolled_to, spacer, LIST_VIEW_PX};
use crate::explorer::scene::Scene;
use crate::explorer::view::{window, WHOLE_LIST_ROWS};

/// An event's height in a long list, in pixels (`.event-list--long .event` in app.css).
const EVENT_ROW_PX: usize = 22;

/// The event stream of the simulated cluster as an ordered list: Services created, pods
/// created, scheduled, given addresses and reported Ready, endpoints written. It tells the
/// whole story without animation. While the timeline replays, the events not yet applied are
/// dimmed and the last applied one is marked; clicking an event moves the timeline there.
///
/// `scene` is what the second module made of the editor's text; `step` the timeline's
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
            let shown = window(
                scene.events.len(),
                EVENT_ROW_PX,
                LIST_VIEW_PX,
                scrolled.get(),
            );
            let range = shown.rows.clone();
            let (before, after) = (spacer(shown.before_px), spacer(shown.after_px));
            let items = scene
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
            (before, items, after)
        })
    };
    view! {
        <ol
            class="event-list"
            class:event-list--long=long
            tabindex="0"
            aria-label="Events"
            data-testid="event-list"
            on:scroll=move |event| scrolled.set(scrolled_to(&event))
        >
            {items}
        </ol>
    }
}
