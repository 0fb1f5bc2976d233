//! The cluster's convergence, step by step, in words.

use leptos::prelude::*;

use crate::explorer::scene::Scene;

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
    let items = move || {
        let at = step.get();
        scene.with(|scene| {
            scene
                .events
                .iter()
                .enumerate()
                .map(|(index, event)| {
                    let (class, current) = match at {
                        Some(at) if index >= at => ("event event--pending", "false"),
                        Some(at) if index + 1 == at => ("event", "step"),
                        _ => ("event", "false"),
                    };
                    view! {
                        <li
                            class=class
                            data-testid="event"
                            aria-current=current
                            on:click=move |_| step.set(Some(index + 1))
                        >
                            {event.clone()}
                        </li>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! { <ol class="event-list" data-testid="event-list">{items}</ol> }
}
