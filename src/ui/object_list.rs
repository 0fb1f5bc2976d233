//! The objects found in the manifest text, and the problems with them.

use leptos::prelude::*;

use super::state::Explorer;
use crate::explorer::scenarios::SCENARIOS;
use crate::explorer::scene::Scene;
use crate::sim::input::diagnostic::Severity;
use crate::sim::input::manifest::ReadStatus;

/// A `kubectl get`-like table of the input's objects (kind, namespace, name, and what the API
/// server did with them) followed by the diagnostics, each with its line and column. Everything
/// shown is text, never HTML.
///
/// `cluster` is the simulated cluster built from the editor's text.
#[component]
pub fn ObjectList(#[prop(into)] scene: Signal<Scene>, state: Explorer) -> impl IntoView {
    // An empty editor says what to paste, with the scenarios at hand.
    let empty = move || state.text.with(|text| text.trim().is_empty());
    let hint = move || {
        empty().then(|| {
            view! {
                <div class="object-list__empty" data-testid="empty-hint">
                    <p>
                        "Nothing to simulate yet. Paste Kubernetes YAML into the editor (Services, and the \
                         Deployments, StatefulSets, DaemonSets or Pods they select; several documents \
                         separated by ---), open or drop files, or start from a scenario:"
                    </p>
                    <nav class="scenarios" aria-label="Scenarios to start from">
                        {SCENARIOS
                            .iter()
                            .map(|scenario| {
                                view! {
                                    <button
                                        type="button"
                                        class="scenarios__button"
                                        data-testid="empty-scenario"
                                        data-scenario=scenario.id
                                        on:click=move |_| state.load_scenario(scenario)
                                    >
                                        {scenario.title}
                                    </button>
                                }
                            })
                            .collect::<Vec<_>>()}
                    </nav>
                </div>
            }
        })
    };
    let rows = move || {
        scene.with(|scene| {
            scene
                .objects
                .iter()
                .map(|object| {
                    let namespace = if object.namespace.is_empty() {
                        "—".to_owned()
                    } else {
                        object.namespace.clone()
                    };
                    let name = if object.name.is_empty() {
                        "(no name)".to_owned()
                    } else {
                        object.name.clone()
                    };
                    let (status, class) = match object.status {
                        ReadStatus::Accepted => ("created", "object-list__status"),
                        ReadStatus::Rejected => (
                            "rejected",
                            "object-list__status object-list__status--rejected",
                        ),
                        ReadStatus::NotSimulated => (
                            "not simulated",
                            "object-list__status object-list__status--muted",
                        ),
                    };
                    view! {
                        <tr data-testid="object-row" data-status=status>
                            <td>{object.kind.clone()}</td>
                            <td>{namespace}</td>
                            <td>{name}</td>
                            <td class=class>{status}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let diagnostics = move || {
        scene.with(|scene| {
            scene
                .diagnostics
                .iter()
                .map(|diagnostic| {
                    let class = match diagnostic.severity {
                        Severity::Error => "diagnostic diagnostic--error",
                        Severity::Warning => "diagnostic diagnostic--warning",
                    };
                    view! {
                        <li class=class data-testid="diagnostic" title=diagnostic.object.clone()>
                            {diagnostic.to_display_string()}
                        </li>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let summary = move || {
        scene.with(|scene| match scene.objects.len() {
            1 => "1 object".to_owned(),
            count => format!("{count} objects"),
        })
    };
    view! {
        <p class="object-list__summary" data-testid="object-count">{summary}</p>
        {hint}
        <div class="table-scroll">
        <table class="object-list" data-testid="object-list">
            <thead>
                <tr>
                    <th scope="col">"KIND"</th>
                    <th scope="col">"NAMESPACE"</th>
                    <th scope="col">"NAME"</th>
                    <th scope="col">"STATUS"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        </div>
        <ul class="diagnostics" data-testid="diagnostics" aria-live="polite">{diagnostics}</ul>
    }
}
