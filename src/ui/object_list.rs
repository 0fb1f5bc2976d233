//! The objects found in the manifest text, and the problems with it.

use leptos::prelude::*;

use crate::sim::manifest::{ParsedManifests, Severity};

/// A `kubectl get`-like table of the objects (kind, namespace, name) followed by the
/// diagnostics, each with its line and column. Everything shown is text, never HTML.
///
/// `parsed` is what [`crate::sim::manifest::parse_manifests`] returned.
#[component]
pub fn ObjectList(#[prop(into)] parsed: Signal<ParsedManifests>) -> impl IntoView {
    let rows = move || {
        parsed.with(|parsed| {
            parsed
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
                    view! {
                        <tr data-testid="object-row">
                            <td>{object.kind.clone()}</td>
                            <td>{namespace}</td>
                            <td>{name}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let diagnostics = move || {
        parsed.with(|parsed| {
            parsed
                .diagnostics
                .iter()
                .map(|diagnostic| {
                    let class = match diagnostic.severity {
                        Severity::Error => "diagnostic diagnostic--error",
                        Severity::Warning => "diagnostic diagnostic--warning",
                    };
                    view! {
                        <li class=class data-testid="diagnostic">
                            {diagnostic.to_display_string()}
                        </li>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let summary = move || {
        parsed.with(|parsed| match parsed.objects.len() {
            1 => "1 object".to_owned(),
            count => format!("{count} objects"),
        })
    };
    view! {
        <p class="object-list__summary" data-testid="object-count">{summary}</p>
        <table class="object-list" data-testid="object-list">
            <thead>
                <tr><th scope="col">"KIND"</th><th scope="col">"NAMESPACE"</th><th scope="col">"NAME"</th></tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <ul class="diagnostics" data-testid="diagnostics" aria-live="polite">{diagnostics}</ul>
    }
}
