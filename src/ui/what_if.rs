//! What-ifs: change the running cluster as kubectl would and watch the controllers react.

use crate::sim::input::labels::labels_text;
use leptos::prelude::*;

use crate::explorer::edit::{set_labels, set_replicas};
use crate::sim::control::cluster::{Cluster, Command};
use crate::sim::input::objects::WorkloadKind;
use crate::sim::kubectl::label::kubectl_label;

/// The commands applied on top of a text, and the text they belong to: editing the YAML
/// starts a new cluster, so the commands of the old one no longer apply.
pub type Commands = RwSignal<(String, Vec<Command>)>;

/// Builds the cluster for `text` and replays `commands` when they belong to that text.
pub fn cluster_with(
    text: &str,
    commands: &(String, Vec<Command>),
    build: impl Fn(&str) -> Cluster,
) -> Cluster {
    let mut cluster = build(text);
    if commands.0 == text {
        for command in &commands.1 {
            cluster.apply(command);
        }
    }
    cluster
}

/// Buttons that scale the input's workloads (written back into the YAML's `spec.replicas` when
/// it is there as a plain number), delete pods (their controller replaces them with a new name
/// and IP) and flip a pod's readiness, and a field per pod that takes `kubectl label
/// --overwrite pod NAME` arguments (a pod relabeled out of its selector is released and
/// replaced); each becomes a command in the event list, and the endpoints, DNS answers and
/// rules follow. What kubectl would print for a label change is shown below the lists.
#[component]
pub fn WhatIf(
    #[prop(into)] cluster: Signal<Cluster>,
    text: RwSignal<String>,
    commands: Commands,
) -> impl IntoView {
    let said = RwSignal::new(String::new());
    let current = cluster;
    let run = move |command: Command| {
        // A change of what the YAML states (a workload's replicas, a bare Pod's labels) goes
        // into the YAML when it can be written there in place; the commands so far move along
        // with the text.
        let current = text.get_untracked();
        let edited = cluster.with_untracked(|cluster| {
            let find = |kind: &str, namespace: &str, name: &str| {
                cluster.objects.iter().find(|object| {
                    object.kind == kind
                        && object.name == name
                        && (object.namespace == namespace
                            || (object.namespace.is_empty() && namespace == "default"))
                })
            };
            match &command {
                Command::Scale {
                    namespace,
                    kind,
                    name,
                    replicas,
                } => find(kind.as_str(), namespace, name)
                    .and_then(|object| set_replicas(&current, object, *replicas)),
                // A bare Pod's labels are in the YAML; a controller's pods are not (their
                // template is, and `kubectl label pod` leaves it alone).
                Command::SetPodLabels {
                    namespace,
                    name,
                    labels,
                } => find("Pod", namespace, name)
                    .and_then(|object| set_labels(&current, object, labels)),
                _ => None,
            }
        });
        if let Some(edited) = edited {
            commands.update(|(for_text, list)| {
                if *for_text != current {
                    list.clear();
                }
                *for_text = edited.clone();
            });
            text.set(edited);
            return;
        }
        commands.update(|(for_text, list)| {
            if *for_text != current {
                *for_text = current;
                list.clear();
            }
            list.push(command);
        });
    };
    let workloads = move || {
        cluster.with(|cluster| {
            cluster
                .workloads
                .iter()
                .filter(|workload| workload.namespace != "kube-system")
                .filter(|workload| workload.kind != WorkloadKind::DaemonSet)
                // A Deployment's ReplicaSet is scaled through its Deployment (the Deployment
                // controller would undo a direct change).
                .filter(|workload| {
                    workload.kind != WorkloadKind::ReplicaSet
                        || !cluster.workloads.iter().any(|owner| {
                            owner.kind == WorkloadKind::Deployment
                                && owner.namespace == workload.namespace
                                && owner.pod_owner.1 == workload.name
                        })
                })
                .map(|workload| {
                    let namespace = workload.namespace.clone();
                    let name = workload.name.clone();
                    let kind = workload.kind;
                    let desired = workload.desired;
                    let label = format!("{} {}/{}: {desired}", kind.as_str(), namespace, name);
                    let (down_ns, down_name) = (namespace.clone(), name.clone());
                    view! {
                        <li class="what-if__row" data-testid="what-if-workload">
                            <span>{label}</span>
                            <button
                                type="button"
                                data-testid="scale-down"
                                disabled=desired == 0
                                on:click=move |_| run(Command::Scale {
                                    namespace: down_ns.clone(),
                                    kind,
                                    name: down_name.clone(),
                                    replicas: desired.saturating_sub(1),
                                })
                            >
                                "−"
                            </button>
                            <button
                                type="button"
                                data-testid="scale-up"
                                on:click=move |_| run(Command::Scale {
                                    namespace: namespace.clone(),
                                    kind,
                                    name: name.clone(),
                                    replicas: desired + 1,
                                })
                            >
                                "+"
                            </button>
                        </li>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let pods = move || {
        cluster.with(|cluster| {
            cluster
                .pods
                .iter()
                .filter(|pod| pod.namespace != "kube-system")
                .map(|pod| {
                    let ready = pod.ready;
                    let label = format!(
                        "{}/{} {} {}",
                        pod.namespace,
                        pod.name,
                        pod.ip.clone().unwrap_or_default(),
                        if ready { "Ready" } else { "not ready" }
                    );
                    let (namespace, name) = (pod.namespace.clone(), pod.name.clone());
                    let (flip_ns, flip_name) = (namespace.clone(), name.clone());
                    let (label_ns, label_name) = (namespace.clone(), name.clone());
                    let labels = labels_text(&pod.labels, " ");
                    let relabel = move |args: String| {
                        let labeled = current.with_untracked(|cluster| {
                            kubectl_label(cluster, &label_ns, &label_name, &args)
                        });
                        said.set(format!(
                            "$ kubectl label --overwrite -n {label_ns} pod {label_name} {args}\n{}{}",
                            labeled.stdout, labeled.stderr
                        ));
                        for command in labeled.commands {
                            run(command);
                        }
                    };
                    view! {
                        <li class="what-if__row" data-testid="what-if-pod">
                            <span>{label}</span>
                            <button
                                type="button"
                                data-testid="delete-pod"
                                on:click=move |_| run(Command::DeletePod {
                                    namespace: namespace.clone(),
                                    name: name.clone(),
                                })
                            >
                                "Delete"
                            </button>
                            <button
                                type="button"
                                data-testid="flip-ready"
                                on:click=move |_| run(Command::SetPodReady {
                                    namespace: flip_ns.clone(),
                                    name: flip_name.clone(),
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
                                value=labels
                                on:change=move |event| relabel(event_target_value(&event))
                            />
                        </li>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <ul class="what-if" aria-label="Workloads">{workloads}</ul>
        <ul class="what-if" aria-label="Pods">{pods}</ul>
        <pre class="what-if__said" role="status" data-testid="what-if-output">{said}</pre>
    }
}
