//! `kubectl get` and `kubectl describe` of the simulated cluster, as the CLI prints them.

use leptos::prelude::*;

use super::errands::ask;
use super::state::Explorer;
use super::Choice;
use crate::explorer::errand::{Errand, Reply};
use crate::explorer::kubectl_view::KubectlView;

/// A choice of `kubectl get -o wide` listings and `kubectl describe` of every Service,
/// Endpoints, EndpointSlice and pod, and the text the command prints: the same text as
/// `svcscope <command>` on the same YAML (the command line is shown so that it can be run).
/// Computed by the page's second module, once the panel is `open`.
#[component]
pub fn KubectlPanel(state: Explorer, #[prop(into)] open: Signal<bool>) -> impl IntoView {
    let chosen = RwSignal::new(String::new());
    let shown = RwSignal::new(KubectlView::default());
    let failed = RwSignal::new(String::new());
    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        let request = state.errand(Errand::Kubectl {
            command: chosen.get(),
        });
        ask("kubectl", request, move |reply| match reply {
            Reply::Kubectl(view) => {
                failed.set(String::new());
                shown.set(view);
            }
            Reply::Failed(why) => failed.set(why),
            _ => {}
        });
    });
    view! {
        <form class="query-form" on:submit=|event| event.prevent_default()>
            <Choice
                label="Command"
                options=Signal::derive(move || shown.with(|view| view.offered.clone()))
                shown=Signal::derive(move || shown.with(|view| view.command.clone()))
                chosen=chosen
                testid="kubectl-command"
            />
        </form>
        <p class="diagnostic" data-testid="kubectl-failed" hidden=move || failed.with(String::is_empty)>
            {move || failed.get()}
        </p>
        <pre class="terminal" data-testid="kubectl-output" aria-label="kubectl output" tabindex="0">
            <span class="terminal__prompt" data-testid="kubectl-line">
                {move || shown.with(|view| format!("$ kubectl {}\n", view.command))}
            </span>
            <span data-testid="kubectl-text">{move || shown.with(|view| view.text.clone())}</span>
        </pre>
    }
}
