//! The editor beside what the simulated cluster made of it.

use leptos::prelude::*;

use super::state::Explorer;
use super::{
    ClusterCanvas, DnsPanel, EventList, History, KubectlPanel, ManifestEditor, ObjectList,
    OpenFile, RulesPanel, ScenarioPicker, Timeline, TracePanel, WhatIf,
};
use crate::explorer::questions::{ask, trace_from_pod};
use crate::explorer::view::Panel;
use crate::explorer::what_if::cluster_with;
use crate::sim::config::ClusterConfig;
use crate::sim::control::cluster::Cluster;

/// The scenarios and the YAML editor beside the cluster they converge to: objects, the
/// cluster picture, what-ifs, DNS, a traced packet, kube-proxy's rules, kubectl's output and
/// the event stream, all rebuilt on every change of `state`.
///
/// `embed` (`?embed=1`) gives the compact view for an iframe: the editor folded away and one
/// panel at a time behind tabs.
#[component]
pub fn Workbench(state: Explorer, #[prop(optional)] embed: bool) -> impl IntoView {
    // Every rebuild counts as a change: comparing two clusters field by field would cost as
    // much as building one (and links every model type's equality into the browser build),
    // and the panels' own memos stop what did not change from going further.
    let cluster = Memo::new_with_compare(
        move |_| {
            state.text.with(|text| {
                state.what_ifs.with(|what_ifs| {
                    cluster_with(text, what_ifs, |text| {
                        Cluster::build(text, &ClusterConfig::default())
                    })
                })
            })
        },
        |_, _| true,
    );
    let traced = Memo::new(move |_| {
        cluster
            .with(|cluster| trace_from_pod(cluster, &state.trace_from.get(), &state.trace_to.get()))
    });
    let asked = Memo::new(move |_| {
        let question = state.dns_question();
        cluster.with(|cluster| ask(cluster, &question))
    });
    // The timeline's position: `None` shows the cluster now.
    let step = RwSignal::new(None::<usize>);
    // In the embedded view only the open panel shows.
    let hidden = move |panel: Panel| move || embed && state.panel.get() != panel;
    let editor = view! {
        <h2 class="panel__title">"Scenarios"</h2>
        <ScenarioPicker state=state />
        <h2 class="panel__title">"YAML"</h2>
        <div class="editor-tools">
            <History state=state />
            <OpenFile text=state.text />
        </div>
        <ManifestEditor text=state.text cluster=cluster />
    };
    view! {
        <div class="workbench" class:workbench--embed=embed>
            <section class="workbench__editor panel" aria-label="Manifest editor">
                {if embed {
                    view! {
                        <details class="workbench__fold" data-testid="editor-fold">
                            <summary>"Scenarios and YAML"</summary>
                            {editor}
                        </details>
                    }
                        .into_any()
                } else {
                    editor.into_any()
                }}
            </section>
            <div class="workbench__results">
                {embed
                    .then(|| {
                        view! {
                            <div class="tabs" role="tablist" aria-label="Panels">
                                {Panel::ALL
                                    .into_iter()
                                    .map(|panel| {
                                        view! {
                                            <button
                                                type="button"
                                                role="tab"
                                                class="tabs__tab"
                                                data-testid="tab"
                                                data-panel=panel.id()
                                                aria-selected=move || (state.panel.get() == panel).to_string()
                                                on:click=move |_| state.panel.set(panel)
                                            >
                                                {panel.title()}
                                            </button>
                                        }
                                    })
                                    .collect::<Vec<_>>()}
                            </div>
                        }
                    })}
                <section class="panel" aria-label="Objects found" hidden=hidden(Panel::Objects)>
                    <h2 class="panel__title">"Objects"</h2>
                    <ObjectList cluster=cluster />
                </section>
                <section class="panel" aria-label="Cluster picture" hidden=hidden(Panel::Cluster)>
                    <h2 class="panel__title">"Cluster"</h2>
                    <Timeline cluster=cluster step=step />
                    <ClusterCanvas cluster=cluster step=step traced=traced asked=asked state=state />
                </section>
                <section class="panel" aria-label="What if" hidden=hidden(Panel::WhatIf)>
                    <h2 class="panel__title">"What if"</h2>
                    <WhatIf cluster=cluster text=state.text what_ifs=state.what_ifs />
                </section>
                <section class="panel" aria-label="Cluster DNS" hidden=hidden(Panel::Dns)>
                    <h2 class="panel__title">"Ask DNS"</h2>
                    <DnsPanel cluster=cluster state=state asked=asked />
                </section>
                <section class="panel" aria-label="Send a packet" hidden=hidden(Panel::Trace)>
                    <h2 class="panel__title">"Send a packet"</h2>
                    <TracePanel cluster=cluster state=state result=traced />
                </section>
                <section class="panel" aria-label="kube-proxy rules" hidden=hidden(Panel::Rules)>
                    <h2 class="panel__title">"kube-proxy rules"</h2>
                    <RulesPanel cluster=cluster state=state traced=traced />
                </section>
                <section class="panel" aria-label="kubectl" hidden=hidden(Panel::Kubectl)>
                    <h2 class="panel__title">"kubectl"</h2>
                    <KubectlPanel cluster=cluster />
                </section>
                <section class="panel" aria-label="Events" hidden=hidden(Panel::Events)>
                    <h2 class="panel__title">"Events"</h2>
                    <EventList cluster=cluster step=step />
                </section>
            </div>
        </div>
    }
}
