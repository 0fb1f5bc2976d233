//! The objects found in the manifest text, and the problems with them.

use leptos::prelude::*;

use super::rows::{scrolled_to, table_spacer, LIST_VIEW_PX};
use super::state::Explorer;
use crate::explorer::scene::Scene;
use crate::explorer::view::{window, WHOLE_LIST_ROWS};
use crate::sim::input::diagnostic::Severity;
use crate::sim::input::manifest::ReadStatus;

/// A row's height in a long table, in pixels (`.table-scroll--long` in app.css).
const OBJECT_ROW_PX: usize = 28;

/// A `kubectl get`-like table of the input's objects (kind, namespace, name, and what the API
/// server did with them) followed by the diagnostics, each with its line and column. Everything
/// shown is text, never HTML. A long table keeps only the rows in view.
///
/// `scene` is what the second module made of the editor's text.
#[component]
pub fn ObjectList(#[prop(into)] scene: Signal<Scene>) -> impl IntoView {
    // A long table keeps only the rows in view in the page (and spacers for the rest).
    let scrolled = RwSignal::new(0usize);
    let long = move || scene.with(|scene| scene.objects.len() > WHOLE_LIST_ROWS);
    let rows = move || {
        scene.with(|scene| {
            let shown = window(
                scene.objects.len(),
                OBJECT_ROW_PX,
                LIST_VIEW_PX,
                scrolled.get(),
            );
            let (before, after) = (
                table_spacer(shown.before_px, 4),
                table_spacer(shown.after_px, 4),
            );
            let rows = scene
                .objects
                .get(shown.rows)
                .unwrap_or_default()
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
                .collect::<Vec<_>>();
            (before, rows, after)
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
        <div
            class="table-scroll"
            class:table-scroll--long=long
            tabindex="0"
            aria-label="Objects"
            on:scroll=move |event| scrolled.set(scrolled_to(&event))
        >
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

/// What an empty editor says, on the stage above the picture: what to paste, with the
/// scenarios at hand (nothing while the editor has text).
pub fn empty_hint(state: Explorer) -> impl IntoView {
    // An empty editor says what to paste, with the scenarios at hand.
    let empty = move || state.text.with(|text| text.trim().is_empty());
    move || {
        empty().then(|| {
            view! {
                <div class="object-list__empty" data-testid="empty-hint">
                    <p>
                        "Nothing to simulate yet. Paste Kubernetes YAML into the editor (Services, and the \
                         Deployments, StatefulSets, DaemonSets or Pods they select; several documents \
                         separated by ---), open or drop files, or start from a scenario:"
                    </p>
                    <nav class="scenarios" aria-label="Scenarios to start from">
                        {super::scenario_picker::scenario_buttons(state, "empty-scenario")}
                    </nav>
                </div>
            }
        })
    }
}
