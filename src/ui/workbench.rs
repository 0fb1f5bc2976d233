//! The editor beside what the model read from it.

use leptos::prelude::*;

use super::{ManifestEditor, ObjectList};
use crate::sim::manifest::parse_manifests;

/// The YAML editor and the list of objects parsed from it, re-parsed on every edit.
///
/// `text` is the manifest text; the workbench both shows and updates it.
#[component]
pub fn Workbench(text: RwSignal<String>) -> impl IntoView {
    let parsed = Memo::new(move |_| text.with(|text| parse_manifests(text)));
    view! {
        <div class="workbench">
            <section class="workbench__editor panel" aria-label="Manifest editor">
                <h2 class="panel__title">"YAML"</h2>
                <ManifestEditor text=text />
            </section>
            <section class="workbench__objects panel" aria-label="Objects found">
                <h2 class="panel__title">"Objects"</h2>
                <ObjectList parsed=parsed />
            </section>
        </div>
    }
}
