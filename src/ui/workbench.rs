//! The editor beside what the simulated cluster made of it.

use leptos::prelude::*;

use super::{
    ClusterCanvas, ClusterView, DnsPanel, EventList, ManifestEditor, ObjectList, TracePanel,
};
use crate::sim::cluster::Cluster;
use crate::sim::config::ClusterConfig;

/// The YAML editor, the objects read from it, and the cluster they converge to (Services with
/// their addresses and endpoints, pods on their nodes), rebuilt on every edit.
///
/// `text` is the manifest text; the workbench both shows and updates it.
#[component]
pub fn Workbench(text: RwSignal<String>) -> impl IntoView {
    let cluster =
        Memo::new(move |_| text.with(|text| Cluster::build(text, &ClusterConfig::default())));
    view! {
        <div class="workbench">
            <section class="workbench__editor panel" aria-label="Manifest editor">
                <h2 class="panel__title">"YAML"</h2>
                <ManifestEditor text=text />
            </section>
            <div class="workbench__results">
                <section class="panel" aria-label="Objects found">
                    <h2 class="panel__title">"Objects"</h2>
                    <ObjectList cluster=cluster />
                </section>
                <section class="panel" aria-label="Cluster picture">
                    <h2 class="panel__title">"Cluster"</h2>
                    <ClusterCanvas cluster=cluster />
                </section>
                <section class="panel" aria-label="Cluster DNS">
                    <h2 class="panel__title">"Ask DNS"</h2>
                    <DnsPanel cluster=cluster />
                </section>
                <section class="panel" aria-label="Send a packet">
                    <h2 class="panel__title">"Send a packet"</h2>
                    <TracePanel cluster=cluster />
                </section>
                <section class="panel" aria-label="Cluster tables">
                    <h2 class="panel__title">"Services and pods"</h2>
                    <ClusterView cluster=cluster />
                </section>
                <section class="panel" aria-label="Events">
                    <h2 class="panel__title">"Events"</h2>
                    <EventList cluster=cluster />
                </section>
            </div>
        </div>
    }
}
