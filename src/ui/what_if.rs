//! What-ifs: change the running cluster as kubectl would and watch the controllers react.

use leptos::prelude::*;

use super::errands::ask_each;
use super::rows::{scrolled_to, spacer, LIST_VIEW_PX};
use super::state::Explorer;
use crate::explorer::errand::{Action, Errand, Reply};
use crate::explorer::scene::Scene;
use crate::explorer::view::{window, WHOLE_LIST_ROWS};
use crate::sim::control::cluster::Command;

/// A pod row's height in a long list, in pixels (`.what-if--long .what-if__row` in app.css).
const POD_ROW_PX: usize = 64;

/// Buttons that scale the input's workloads (written back into the YAML's `spec.replicas` when
/// it is there as a plain number), delete pods (their controller replaces them with a new name
/// and IP) and flip a pod's readiness, and a field per pod that takes `kubectl label
/// --overwrite pod NAME` arguments (a pod relabeled out of its selector is released and
/// replaced); each becomes a command in the event list, and the endpoints, DNS answers and
/// rules follow. What kubectl would print for a label change is shown below the lists.
#[component]
pub fn WhatIf(#[prop(into)] scene: Signal<Scene>, state: Explorer) -> impl IntoView {
    let (text, what_ifs) = (state.text, state.what_ifs);
    let said = RwSignal::new(String::new());
    // The second module says where the what-if goes; it is applied only if the text is still
    // the one it was made on.
    let act = move |action: Action| {
        let request = state.errand_untracked(Errand::WhatIf(action));
        let made_on = request.yaml.clone();
        ask_each("what-if", request, move |reply| {
            let Reply::WhatIf(done) = reply else {
                return;
            };
            if text.with_untracked(|text| *text != made_on) {
                return;
            }
            if !done.said.is_empty() {
                said.set(done.said);
            }
            for (command, written) in done.commands {
                let current = text.get_untracked();
                what_ifs.update(|what_ifs| what_ifs.record(&current, command, written.as_deref()));
                if let Some(edited) = written {
                    text.set(edited);
                }
            }
        });
    };
    let run = move |command: Command| act(Action::Run(command));
    let workloads = move || {
        scene
            .with(|scene| scene.workloads.clone())
            .into_iter()
            .map(|workload| {
                let (key, kind, desired) = (workload.key, workload.kind, workload.desired);
                let (down, restarted) = (key.clone(), key.clone());
                // `kubectl rollout restart`: Deployments and StatefulSets (not the nodes' row).
                let restartable = kind != crate::sim::input::objects::WorkloadKind::ReplicaSet
                    && key.namespace != crate::explorer::what_if::NODES.0;
                view! {
                    <li class="what-if__row" data-testid="what-if-workload">
                        <span>{workload.label}</span>
                        <button
                            type="button"
                            data-testid="scale-down"
                            disabled=desired == 0
                            on:click=move |_| run(Command::Scale {
                                workload: down.clone(),
                                kind,
                                replicas: desired.saturating_sub(1),
                            })
                        >
                            "−"
                        </button>
                        <button
                            type="button"
                            data-testid="scale-up"
                            on:click=move |_| run(Command::Scale {
                                workload: key.clone(),
                                kind,
                                replicas: desired + 1,
                            })
                        >
                            "+"
                        </button>
                        <button
                            type="button"
                            data-testid="restart"
                            title="kubectl rollout restart: a new template, rolled out"
                            hidden=!restartable
                            on:click=move |_| run(Command::Restart {
                                workload: restarted.clone(),
                                kind,
                            })
                        >
                            "Restart"
                        </button>
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    // A long pod list keeps only the rows in view in the page (and spacers for the rest).
    let scrolled = RwSignal::new(0usize);
    let long = move || scene.with(|scene| scene.pods.len() > WHOLE_LIST_ROWS);
    let pods = move || {
        let (rows, before, after) = scene.with(|scene| {
            let shown = window(scene.pods.len(), POD_ROW_PX, LIST_VIEW_PX, scrolled.get());
            (
                scene
                    .pods
                    .get(shown.rows)
                    .map(<[_]>::to_vec)
                    .unwrap_or_default(),
                shown.before_px,
                shown.after_px,
            )
        });
        let shown = rows
            .into_iter()
            .map(|row| {
                let ready = row.ready;
                let (delete, flip, relabeled) = (row.key.clone(), row.key.clone(), row.key);
                let relabel = move |args: String| {
                    act(Action::Label {
                        pod: relabeled.clone(),
                        args,
                    })
                };
                view! {
                    <li class="what-if__row" data-testid="what-if-pod">
                        <span>{row.label}</span>
                        <button
                            type="button"
                            data-testid="delete-pod"
                            on:click=move |_| run(Command::DeletePod { pod: delete.clone() })
                        >
                            "Delete"
                        </button>
                        <button
                            type="button"
                            data-testid="flip-ready"
                            on:click=move |_| run(Command::SetPodReady {
                                pod: flip.clone(),
                                ready: !ready,
                            })
                        >
                            {if ready { "Fail readiness" } else { "Pass readiness" }}
                        </button>
                        <input
                            class="what-if__labels"
                            data-testid="pod-labels"
                            aria-label="kubectl label --overwrite pod: labels"
                            title="KEY=VALUE sets, KEY- removes; Enter applies"
                            spellcheck="false"
                            value=row.labels
                            on:change=move |event| relabel(event_target_value(&event))
                        />
                    </li>
                }
            })
            .collect::<Vec<_>>();
        (spacer(before), shown, spacer(after))
    };
    view! {
        <ul class="what-if" aria-label="Workloads">{workloads}</ul>
        <ul
            class="what-if"
            class:what-if--long=long
            aria-label="Pods"
            on:scroll=move |event| scrolled.set(scrolled_to(&event))
        >
            {pods}
        </ul>
        <pre class="what-if__said" role="status" data-testid="what-if-output">{said}</pre>
    }
}
