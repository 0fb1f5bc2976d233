//! The cluster's convergence, step by step, in words.

use leptos::prelude::*;

use crate::sim::cluster::Cluster;

/// The event stream of the simulated cluster as an ordered list: Services created, pods
/// created, scheduled, given addresses and reported Ready, endpoints written. It tells the
/// whole story without animation.
///
/// `cluster` is the simulated cluster built from the editor's text.
#[component]
pub fn EventList(#[prop(into)] cluster: Signal<Cluster>) -> impl IntoView {
    let items = move || {
        cluster.with(|cluster| {
            cluster
                .events
                .iter()
                .map(|event| view! { <li data-testid="event">{event.message()}</li> })
                .collect::<Vec<_>>()
        })
    };
    view! { <ol class="event-list" data-testid="event-list">{items}</ol> }
}
