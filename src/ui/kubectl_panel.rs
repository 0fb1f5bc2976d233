//! `kubectl get` and `kubectl describe` of the simulated cluster, as the CLI prints them.

use leptos::prelude::*;

use super::Choice;
use crate::explorer::kubectl_view::{commands, output};
use crate::sim::control::cluster::Cluster;

/// A choice of `kubectl get -o wide` listings and `kubectl describe` of every Service,
/// Endpoints, EndpointSlice and pod, and the text the command prints: the same text as
/// `svcscope <command>` on the same YAML (the command line is shown so that it can be run).
#[component]
pub fn KubectlPanel(#[prop(into)] cluster: Signal<Cluster>) -> impl IntoView {
    let chosen = RwSignal::new(String::new());
    let shown = Memo::new(move |_| {
        cluster.with(|cluster| {
            let offered = commands(cluster);
            let wanted = chosen.get();
            let command = if offered.contains(&wanted) {
                wanted
            } else {
                offered.first().cloned().unwrap_or_default()
            };
            let text = output(cluster, &command);
            (offered, command, text)
        })
    });
    view! {
        <form class="query-form" on:submit=|event| event.prevent_default()>
            <Choice
                label="Command"
                options=Signal::derive(move || shown.get().0)
                shown=Signal::derive(move || shown.get().1)
                chosen=chosen
                testid="kubectl-command"
            />
        </form>
        <pre class="terminal" data-testid="kubectl-output" aria-label="kubectl output">
            <span class="terminal__prompt" data-testid="kubectl-line">
                {move || format!("$ kubectl {}\n", shown.get().1)}
            </span>
            <span data-testid="kubectl-text">{move || shown.get().2}</span>
        </pre>
    }
}
