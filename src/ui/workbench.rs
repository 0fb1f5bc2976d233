//! The editor beside what the simulated cluster made of it.

use leptos::prelude::*;

use super::errands::ask;
use super::state::Explorer;
use super::{
    ClusterCanvas, DnsPanel, EventList, History, KubectlPanel, ManifestEditor, ObjectList,
    OpenFile, RulesPanel, ScenarioPicker, SelectionPanel, Timeline, TracePanel, WhatIf,
};
use crate::explorer::errand::{Errand, Reply};
use crate::explorer::scene::{Scene, SceneQuestion};
use crate::explorer::selection::marked_lines;
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
            focus: state.focus.get(),
            selected: state.selected.get(),
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
    // The inspector shows one panel at a time, beside the picture; `Cluster` closes it.
    let hidden = move |panel: Panel| move || state.panel.get() != panel;
    // Embedded, the editor is a fold of its own (`<details>`).
    let editor_open = move || !embed && !state.editor_folded.get();
    // The YAML lines the editor marks: what a reason pointed at, else the selection's own.
    let marked = Signal::derive(move || {
        state
            .pointed
            .get()
            .or_else(|| scene.with(|scene| marked_lines(&scene.selection)))
    });
    let editor = view! {
        <h2 class="panel__title">"Scenarios"</h2>
        <ScenarioPicker state=state />
        <h2 class="panel__title">"YAML"</h2>
        <div class="editor-tools">
            <History state=state />
            <OpenFile text=state.text />
        </div>
        <ManifestEditor text=state.text scene=scene marked=marked />
    };
    view! {
        <div
            class="workbench"
            class:workbench--embed=embed
            class:workbench--folded=move || !embed && state.editor_folded.get()
            class:workbench--inspecting=move || state.panel.get() != Panel::Cluster
        >
            <section class="workbench__editor panel" aria-label="Manifest editor" data-testid="editor-pane">
                {if embed {
                    view! {
                        <details class="workbench__fold" data-testid="editor-fold">
                            <summary>"Scenarios and YAML"</summary>
                            {editor}
                        </details>
                    }
                        .into_any()
                } else {
                    view! { <div class="workbench__editor-body" hidden=move || !editor_open()>{editor}</div> }.into_any()
                }}
            </section>
            <section class="workbench__stage" aria-label="Cluster picture">
                <p class="diagnostic diagnostic--error" data-testid="model-failed" role="alert" hidden=move || failed.with(String::is_empty)>
                    {move || failed.get()}
                </p>
                <div class="stage-bar">
                    {(!embed)
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="stage-bar__fold"
                                    data-testid="editor-toggle"
                                    aria-expanded=move || editor_open().to_string()
                                    on:click=move |_| state.editor_folded.update(|folded| *folded = !*folded)
                                >
                                    {move || if editor_open() { "\u{2039} YAML" } else { "YAML \u{203a}" }}
                                </button>
                            }
                        })}
                    <div class="tabs" role="tablist" aria-label="Panels">
                        {Panel::ALL
                            .into_iter()
                            .filter(|panel| *panel != Panel::Cluster)
                            .map(|panel| {
                                view! {
                                    <button
                                        type="button"
                                        role="tab"
                                        class="tabs__tab"
                                        data-testid="tab"
                                        data-panel=panel.id()
                                        aria-selected=move || (state.panel.get() == panel).to_string()
                                        on:click=move |_| {
                                            let open = state.panel.get();
                                            state.panel.set(if open == panel { Panel::Cluster } else { panel });
                                        }
                                    >
                                        {panel.title()}
                                    </button>
                                }
                            })
                            .collect::<Vec<_>>()}
                    </div>
                    <input
                        type="search"
                        class="stage-bar__find"
                        data-testid="find"
                        aria-label="Find a Service or pod by name"
                        placeholder="Find a Service or pod"
                        prop:value=move || state.focus.get()
                        on:input=move |event| state.focus.set(event_target_value(&event))
                    />
                </div>
                <Timeline scene=scene step=step />
                {super::object_list::empty_hint(state)}
                <ClusterCanvas scene=scene state=state />
            </section>
            <aside class="workbench__inspector panel" aria-label="Inspector" hidden=move || state.panel.get() == Panel::Cluster>
                <div class="inspector__head">
                    <h2 class="panel__title">{move || state.panel.get().title()}</h2>
                    <button type="button" class="inspector__close" data-testid="inspector-close" aria-label="Close the panel" on:click=move |_| state.panel.set(Panel::Cluster)>
                        "\u{d7}"
                    </button>
                </div>
                <section aria-label="Selected" hidden=hidden(Panel::Selection)>
                    <SelectionPanel scene=scene state=state />
                </section>
                <section aria-label="Objects found" hidden=hidden(Panel::Objects)>
                    <ObjectList scene=scene />
                </section>
                <section aria-label="What if" hidden=hidden(Panel::WhatIf)>
                    <WhatIf scene=scene state=state />
                </section>
                <section aria-label="Cluster DNS" hidden=hidden(Panel::Dns)>
                    <DnsPanel scene=scene state=state />
                </section>
                <section aria-label="Send a packet" hidden=hidden(Panel::Trace)>
                    <TracePanel scene=scene state=state send_twenty=send_twenty />
                </section>
                <section aria-label="kube-proxy rules" hidden=hidden(Panel::Rules)>
                    <RulesPanel state=state open=Signal::derive(move || state.panel.get() == Panel::Rules) />
                </section>
                <section aria-label="kubectl" hidden=hidden(Panel::Kubectl)>
                    <KubectlPanel state=state open=Signal::derive(move || state.panel.get() == Panel::Kubectl) />
                </section>
                <section aria-label="Events" hidden=hidden(Panel::Events)>
                    <EventList scene=scene step=step />
                </section>
            </aside>
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
