//! The editor beside what the simulated cluster made of it.

use leptos::prelude::*;

use super::errands::ask;
use super::state::Explorer;
use super::{
    ClusterCanvas, DnsPanel, EventList, History, KubectlPanel, ManifestEditor, ObjectList,
    OpenFile, RulesPanel, ScenarioPicker, Timeline, TracePanel, WhatIf,
};
use crate::explorer::errand::{Errand, Reply};
use crate::explorer::scene::{Scene, SceneQuestion};
use crate::explorer::view::Panel;

/// The scenarios and the YAML editor beside the cluster they converge to: objects, the
/// cluster picture, what-ifs, DNS, a traced packet, kube-proxy's rules, kubectl's output and
/// the event stream, all rebuilt on every change of `state`.
///
/// `embed` (`?embed=1`) gives the compact view for an iframe: the editor folded away and one
/// panel at a time behind tabs.
#[component]
pub fn Workbench(state: Explorer, #[prop(optional)] embed: bool) -> impl IntoView {
    // The timeline's position: `None` shows the cluster now.
    let step = RwSignal::new(None::<usize>);
    // "Send 20 requests": off until asked, then it follows the inputs.
    let send_twenty = RwSignal::new(false);
    // What the first screen shows, as the second module computes it.
    let scene = RwSignal::new(Scene::default());
    let failed = RwSignal::new(String::new());
    Effect::new(move |_| {
        let question = SceneQuestion {
            step: step.get(),
            dns: state.dns_question(),
            trace_from: state.trace_from.get(),
            trace_to: state.trace_to.get(),
            spread: send_twenty.get(),
        };
        ask(
            "scene",
            state.errand(Errand::Scene(question)),
            move |reply| match reply {
                Reply::Scene(answer) => {
                    failed.set(String::new());
                    scene.set(*answer);
                    mark_first_picture();
                }
                Reply::Failed(why) => failed.set(why),
                _ => {}
            },
        );
    });
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
        <ManifestEditor text=state.text scene=scene />
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
                <p class="diagnostic diagnostic--error" data-testid="model-failed" role="alert" hidden=move || failed.with(String::is_empty)>
                    {move || failed.get()}
                </p>
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
                    <ObjectList scene=scene state=state />
                </section>
                <section class="panel" aria-label="Cluster picture" hidden=hidden(Panel::Cluster)>
                    <h2 class="panel__title">"Cluster"</h2>
                    <Timeline scene=scene step=step />
                    <ClusterCanvas scene=scene state=state />
                </section>
                <section class="panel" aria-label="What if" hidden=hidden(Panel::WhatIf)>
                    <h2 class="panel__title">"What if"</h2>
                    <WhatIf scene=scene state=state />
                </section>
                <section class="panel" aria-label="Cluster DNS" hidden=hidden(Panel::Dns)>
                    <h2 class="panel__title">"Ask DNS"</h2>
                    <DnsPanel scene=scene state=state />
                </section>
                <section class="panel" aria-label="Send a packet" hidden=hidden(Panel::Trace)>
                    <h2 class="panel__title">"Send a packet"</h2>
                    <TracePanel scene=scene state=state send_twenty=send_twenty />
                </section>
                <section class="panel" aria-label="kube-proxy rules" hidden=hidden(Panel::Rules)>
                    <h2 class="panel__title">"kube-proxy rules"</h2>
                    <RulesPanel state=state open=Signal::derive(move || !embed || state.panel.get() == Panel::Rules) />
                </section>
                <section class="panel" aria-label="kubectl" hidden=hidden(Panel::Kubectl)>
                    <h2 class="panel__title">"kubectl"</h2>
                    <KubectlPanel state=state open=Signal::derive(move || !embed || state.panel.get() == Panel::Kubectl) />
                </section>
                <section class="panel" aria-label="Events" hidden=hidden(Panel::Events)>
                    <h2 class="panel__title">"Events"</h2>
                    <EventList scene=scene step=step />
                </section>
            </div>
        </div>
    }
}

/// Marks the moment the first picture arrives (`performance.mark("svcscope-first-picture")`),
/// once: the end-to-end timings report it.
fn mark_first_picture() {
    thread_local! {
        static MARKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if MARKED.with(|marked| marked.replace(true)) {
        return;
    }
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark("svcscope-first-picture");
    }
}
