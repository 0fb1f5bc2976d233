//! A labelled choice among names: the pod a question or a connection starts from, the node
//! whose rules are shown, the Service whose chains stand out.

use leptos::prelude::*;

use crate::sim::control::cluster::Cluster;

/// The pods a question can be asked from (`namespace/name`), the input's first.
pub fn client_pods(cluster: &Cluster) -> Vec<String> {
    let mut pods: Vec<&crate::sim::control::workloads::SimPod> =
        cluster.pods.iter().filter(|pod| pod.ip.is_some()).collect();
    crate::small::order::sort_by_key(&mut pods, |pod| pod.namespace == "kube-system");
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

/// A labelled `<select>` over `options`, showing `shown` as selected and writing the user's
/// choice into `chosen`; `testid` names it for tests.
#[component]
pub fn Choice(
    label: &'static str,
    #[prop(into)] options: Signal<Vec<String>>,
    #[prop(into)] shown: Signal<String>,
    chosen: RwSignal<String>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <label class="query-form__field">
            {label}
            <select data-testid=testid on:change=move |event| chosen.set(event_target_value(&event))>
                {move || {
                    let shown = shown.get();
                    options
                        .get()
                        .into_iter()
                        .map(|option| {
                            let selected = option == shown;
                            let text = option.clone();
                            view! { <option value=option selected=selected>{text}</option> }
                        })
                        .collect::<Vec<_>>()
                }}
            </select>
        </label>
    }
}
