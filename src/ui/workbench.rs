//! The editor beside what the simulated cluster made of it.

use leptos::prelude::*;

use super::{
    ClusterCanvas, ClusterView, DnsPanel, EventList, ManifestEditor, ObjectList, ScenarioPicker,
    TracePanel, WhatIf,
};
use crate::sim::cluster::Cluster;
use crate::sim::config::ClusterConfig;

/// The YAML editor, the objects read from it, and the cluster they converge to (Services with
/// their addresses and endpoints, pods on their nodes), rebuilt on every edit.
///
/// `text` is the manifest text; the workbench both shows and updates it.
///
/// `scenario` is the scenario to start with (`?scenario=ID`), if any.
#[component]
pub fn Workbench(
    text: RwSignal<String>,
    #[prop(optional)] scenario: Option<&'static crate::sim::scenarios::Scenario>,
) -> impl IntoView {
    let commands: super::what_if::Commands = RwSignal::new((String::new(), Vec::new()));
    let cluster = Memo::new(move |_| {
        text.with(|text| {
            commands.with(|commands| {
                super::what_if::cluster_with(text, commands, |text| {
                    Cluster::build(text, &ClusterConfig::default())
                })
            })
        })
    });
    let dns = (
        RwSignal::new(String::new()),
        RwSignal::new("nginx".to_owned()),
    );
    let trace = (
        RwSignal::new(String::new()),
        RwSignal::new("nginx:8080".to_owned()),
    );
    let chosen = RwSignal::new(None);
    if let Some(scenario) = scenario {
        super::scenario_picker::load(scenario, text, dns, trace);
        chosen.set(Some(scenario.id));
    }
    view! {
        <div class="workbench">
            <section class="workbench__editor panel" aria-label="Manifest editor">
                <h2 class="panel__title">"Scenarios"</h2>
                <ScenarioPicker text=text dns=dns trace=trace chosen=chosen />
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
                <section class="panel" aria-label="What if">
                    <h2 class="panel__title">"What if"</h2>
                    <WhatIf cluster=cluster text=text commands=commands />
                </section>
                <section class="panel" aria-label="Cluster DNS">
                    <h2 class="panel__title">"Ask DNS"</h2>
                    <DnsPanel cluster=cluster from=dns.0 name=dns.1 />
                </section>
                <section class="panel" aria-label="Send a packet">
                    <h2 class="panel__title">"Send a packet"</h2>
                    <TracePanel cluster=cluster from=trace.0 target=trace.1 />
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
