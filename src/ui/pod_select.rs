//! A choice of the pod a question or a connection starts from.

use leptos::prelude::*;

use crate::sim::cluster::Cluster;

/// The pods a question can be asked from (`namespace/name`), the input's first.
pub fn client_pods(cluster: &Cluster) -> Vec<String> {
    let mut pods: Vec<&crate::sim::workloads::SimPod> =
        cluster.pods.iter().filter(|pod| pod.ip.is_some()).collect();
    pods.sort_by_key(|pod| pod.namespace == "kube-system");
    pods.iter()
        .map(|pod| format!("{}/{}", pod.namespace, pod.name))
        .collect()
}

/// The pod a panel acts from: `chosen` when it is among `pods`, else the first of them (what
/// the select shows before anything is chosen).
pub fn chosen_pod(pods: &[String], chosen: String) -> String {
    if pods.contains(&chosen) {
        chosen
    } else {
        pods.first().cloned().unwrap_or_default()
    }
}

/// A `<select>` over `pods` (`namespace/name`), writing the choice into `chosen`; `testid`
/// names it for tests.
#[component]
pub fn PodSelect(
    #[prop(into)] pods: Signal<Vec<String>>,
    chosen: RwSignal<String>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <label class="query-form__field">
            "From pod"
            <select data-testid=testid on:change=move |event| chosen.set(event_target_value(&event))>
                {move || {
                    pods.get()
                        .into_iter()
                        .map(|pod| {
                            let selected = chosen.get() == pod;
                            view! { <option value=pod.clone() selected=selected>{pod.clone()}</option> }
                        })
                        .collect::<Vec<_>>()
                }}
            </select>
        </label>
    }
}
